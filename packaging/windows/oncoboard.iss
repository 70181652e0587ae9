; OncoBoard - Inno Setup 6 script: per-machine installer for Windows x64.
;
; Build on Windows after `make bundle` (which writes dist\oncoboard\):
;   iscc packaging\windows\oncoboard.iss
; -> dist\oncoboard-<version>-windows-x64-setup.exe
;
; Silent install (IT, software distribution):
;   oncoboard-<version>-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-
;   optional: /DIR="D:\Apps\OncoBoard"  /TASKS="desktopicon"  /LOG="C:\Temp\oncoboard-setup.log"
; Silent uninstall:
;   "C:\Program Files\OncoBoard\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;
; What it does:
;   * installs the one-folder bundle to {autopf}\OncoBoard (Program Files), for all users;
;   * creates %PROGRAMDATA%\OncoBoard\config.toml from the template ONLY IF ABSENT
;     (a configuration IT already pushed is never overwritten), and always refreshes
;     config.template.toml beside it for reference;
;   * a Start menu shortcut (and, as an unchecked task, a desktop shortcut).
; What it does not do: no service, no scheduled task, no firewall rule, no URL or
; file-type handler, no proxy or update settings, no PATH change. OncoBoard opens
; no network connection. Uninstalling keeps %PROGRAMDATA%\OncoBoard (machine
; configuration) and every user's data folder (case database, backups, logs).
; Review notes: docs/packaging.md.

#define AppName "OncoBoard"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\oncoboard"
#ifndef AppVersion
  ; The version is the one frozen into the bundle (from oncoboard.__version__).
  #define VersionHandle FileOpen(BundleDir + "\_internal\VERSION")
  #if !VersionHandle
    #error dist\oncoboard\_internal\VERSION not found: run `make bundle` first
  #endif
  #define AppVersion Trim(FileRead(VersionHandle))
  #expr FileClose(VersionHandle)
#endif

[Setup]
; A fixed AppId: upgrades replace the previous version in place. Never change it.
AppId={{6E0B8B52-4C1E-4F0B-9A57-0B7D1C3E2A91}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=OncoBoard developers
AppCopyright=GPL-3.0-or-later
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine: needs administrator rights; never falls back to a per-user install.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\assets\icons\oncoboard.ico
UninstallDisplayIcon={app}\oncoboard-gui.exe
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\..\dist
OutputBaseFilename=oncoboard-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running OncoBoard before replacing its files; do not restart it.
CloseApplications=yes
RestartApplications=no
ChangesEnvironment=no
ChangesAssociations=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Files of an older version that the new bundle no longer has (stale DLLs, modules).
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
; Machine-wide configuration folder. Users keep the inherited read access of
; ProgramData; tighten with icacls if your policy requires it (docs/deployment.md).
Name: "{commonappdata}\{#AppName}"; Flags: uninsneveruninstall

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\config.template.toml"; DestDir: "{commonappdata}\{#AppName}"; DestName: "config.toml"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "..\config.template.toml"; DestDir: "{commonappdata}\{#AppName}"; DestName: "config.template.toml"; Flags: ignoreversion uninsneveruninstall
Source: "..\..\LICENSE"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\NOTICE"; DestDir: "{app}"; DestName: "NOTICE.txt"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\oncoboard-gui.exe"; WorkingDir: "{userdocs}"; Comment: "Offline decision support for molecular tumor boards"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\oncoboard-gui.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\oncoboard-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
