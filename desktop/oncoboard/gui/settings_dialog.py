"""Settings: GUI preferences (QSettings) and, read-only, the deployed config."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core import paths
from oncoboard.gui import settings


def config_html() -> str:
    from oncoboard.core.config import KEYS, load_config

    try:
        config = load_config()
    except Exception as exc:  # noqa: BLE001 - a broken config file is shown, not fatal here
        return f"<p style='color:#a50e0e'>{html.escape(str(exc))}</p>"
    rows = "".join(
        f"<tr><td><code>{html.escape(k.name)}</code></td><td>{html.escape(_shown(config[k.name]))}"
        f"{' (locked by IT)' if k.name in config.locked else ''}</td>"
        f"<td>{html.escape(k.doc)}</td></tr>"
        for k in KEYS
        if k.name != "policy.locked"
    )
    return (
        f"<p>Edit <code>{html.escape(str(paths.user_config_file()))}</code> to change these "
        "(IT may lock some). They take effect on the next start.</p>"
        f"<table cellpadding=3>{rows}</table>"
    )


def _shown(value: object) -> str:
    return "not set" if value in (None, "") else str(value)


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.autosave = QSpinBox()
        self.autosave.setRange(1, 120)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(settings.get("ui/autosave_seconds"))
        self.autosave.setMaximumWidth(100)
        prefs = QGroupBox("Preferences (this computer)")
        form = QFormLayout(prefs)
        form.addRow("&Autosave drafts after", self.autosave)
        config = QGroupBox("Configuration (read-only here)")
        view = QTextBrowser()
        view.setHtml(config_html())
        QVBoxLayout(config).addWidget(view)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prefs)
        layout.addWidget(config, 1)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def accept(self) -> None:
        settings.put("ui/autosave_seconds", self.autosave.value())
        super().accept()
