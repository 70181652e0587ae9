#!/bin/sh
# Register OncoBoard with the desktop (menu entry and icons) from wherever this
# folder was unpacked.  Per user by default; --system (as root) for all users.
#   ./install-desktop-entry.sh [--system] [--uninstall]
# The application itself needs no installation: ./oncoboard-gui runs in place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scope=user
action=install
for arg in "$@"; do
  case "$arg" in
    --system) scope=system ;;
    --uninstall) action=uninstall ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
if [ "$scope" = system ]; then
  share=/usr/local/share
  bindir=/usr/local/bin
else
  share=${XDG_DATA_HOME:-$HOME/.local/share}
  bindir=$HOME/.local/bin
fi
apps=$share/applications
icons=$share/icons/hicolor
if [ "$action" = uninstall ]; then
  rm -f "$apps/oncoboard.desktop" "$bindir/oncoboard" "$bindir/oncoboard-gui"
  for f in "$icons"/*/apps/oncoboard.png "$icons"/scalable/apps/oncoboard.svg; do rm -f "$f"; done
  echo "removed the OncoBoard desktop entry ($scope)"
  exit 0
fi
mkdir -p "$apps" "$bindir" "$icons/scalable/apps"
for size in 16 32 48 64 128 256; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$here/share/icons/hicolor/${size}x${size}/apps/oncoboard.png" "$icons/${size}x${size}/apps/"
done
cp "$here/share/icons/hicolor/scalable/apps/oncoboard.svg" "$icons/scalable/apps/"
ln -sf "$here/oncoboard" "$bindir/oncoboard"
ln -sf "$here/oncoboard" "$bindir/oncoboard-gui"
sed -e "s|^Exec=.*|Exec=\"$here/oncoboard-gui\"|" -e "s|^TryExec=.*|TryExec=$here/oncoboard-gui|" \
  "$here/share/applications/oncoboard.desktop" > "$apps/oncoboard.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
echo "installed the OncoBoard desktop entry ($scope): $apps/oncoboard.desktop"
echo "commands: $bindir/oncoboard, $bindir/oncoboard-gui"
