"""About: versions, licences, the knowledge-base manifest and the data folder."""

from __future__ import annotations

import html
import json
import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from oncoboard import __version__
from oncoboard.core import paths
from oncoboard.gui import context as session

THIRD_PARTY = (
    "PySide6-Essentials",
    "pydantic",
    "sqlite-utils",
    "reportlab",
    "pypdf",
    "matplotlib",
    "numpy",
    "pandas",
    "lifelines",
    "scikit-survival",
    "cryptography",
    "cyvcf2",
    "click",
    "platformdirs",
    "PyYAML",
)


def versions_html() -> str:
    return (
        f"<h2>OncoBoard {html.escape(__version__)}</h2>"
        "<p>Offline molecular tumor board assistant. Decision support only: every "
        "option must be reviewed by the tumor board.</p>"
        f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 "
        f"{pyside_version} · {html.escape(platform.platform())}</p>"
        "<p>OncoBoard is free software under the GNU General Public License, "
        "version 3 or later.</p>"
    )


def licences_html() -> str:
    rows = []
    for name in THIRD_PARTY:
        try:
            meta = metadata.metadata(name)
            version = meta["Version"]
            licence = meta.get("License-Expression") or meta.get("License") or ""
        except metadata.PackageNotFoundError:
            version, licence = "not installed", ""
        licence = licence.splitlines()[0][:80] if licence else "see package"
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(version)}</td>"
            f"<td>{html.escape(licence)}</td></tr>"
        )
    oncotree = (
        "<p><b>OncoTree</b> release "
        + html.escape(session.oncotree_release())
        + ", Memorial Sloan Kettering Cancer Center (oncotree.mskcc.org), licensed "
        "under CC BY 4.0. Tumor type names, codes and hierarchy are used unmodified.</p>"
    )
    return (
        oncotree + "<table cellpadding=3><tr><th align=left>Component</th>"
        "<th align=left>Version</th><th align=left>Licence</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def manifest_html() -> str:
    try:
        kb = session.context().kb
        label, manifest = kb.label, kb.manifest
    except Exception as exc:  # noqa: BLE001 - shown as text, e.g. "no KB installed"
        return f"<p>{html.escape(str(exc))}</p>"
    return (
        f"<p><b>{html.escape(label)}</b></p><pre>"
        f"{html.escape(json.dumps(manifest, indent=2, ensure_ascii=False))}</pre>"
    )


def data_html() -> str:
    from oncoboard.gui.settings import settings_file

    rows = (
        ("Data folder", paths.data_dir()),
        ("Case database", paths.database_file()),
        ("Logs", paths.log_dir()),
        ("Configuration file", paths.user_config_file()),
        ("Machine-wide configuration", paths.system_config_file()),
        ("Window settings", settings_file()),
    )
    return (
        "<table cellpadding=3>"
        + "".join(
            f"<tr><td><b>{k}</b></td><td>{html.escape(str(v))}</td></tr>"
            for k, v in rows
        )
        + "</table><p>Patient data stays in the case database; window settings hold no "
        "patient data.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About OncoBoard")
        self.tabs = QTabWidget()
        for title, text in (
            ("About", versions_html()),
            ("Licences", licences_html()),
            ("Knowledge base", manifest_html()),
            ("Data folder", data_html()),
        ):
            view = QTextBrowser()
            view.setHtml(text)
            self.tabs.addTab(view, title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_folder = QPushButton("Open data &folder")
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir())))
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)
