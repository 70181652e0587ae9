"""Shown when another window or program saved the same case meanwhile.

Nothing is overwritten until the user picks one of three ways out.
"""

from __future__ import annotations

import difflib
import enum

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class Resolution(enum.Enum):
    KEEP_MINE = "keep_mine"
    TAKE_THEIRS = "take_theirs"
    SAVE_COPY = "save_copy"


class ConflictDialog(QDialog):
    def __init__(
        self,
        case_id: str,
        mine: str,
        theirs: str,
        their_version: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Case {case_id} was changed elsewhere")
        self.resolution: Resolution | None = None
        intro = QLabel(
            f"While you were editing, case <b>{case_id}</b> was saved by another "
            f"OncoBoard window or program (now version {their_version}). Your edits "
            "have <b>not</b> been saved and nothing was overwritten. The differences "
            "(− theirs, + yours):"
        )
        intro.setWordWrap(True)
        diff = difflib.unified_diff(
            theirs.splitlines(),
            mine.splitlines(),
            "saved elsewhere",
            "your edits",
            lineterm="",
            n=2,
        )
        self.diff = QPlainTextEdit("\n".join(diff) or "(no difference in content)")
        self.diff.setReadOnly(True)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.diff.setMinimumSize(620, 300)
        buttons = QDialogButtonBox()
        self.buttons = {}
        for res, text, role in (
            (
                Resolution.KEEP_MINE,
                "&Keep my version",
                QDialogButtonBox.ButtonRole.AcceptRole,
            ),
            (
                Resolution.SAVE_COPY,
                "Save mine as a &copy",
                QDialogButtonBox.ButtonRole.AcceptRole,
            ),
            (
                Resolution.TAKE_THEIRS,
                "&Discard mine, load theirs",
                QDialogButtonBox.ButtonRole.DestructiveRole,
            ),
        ):
            button = QPushButton(text)
            buttons.addButton(button, role)
            button.clicked.connect(lambda _c=False, r=res: self.choose(r))
            self.buttons[res] = button
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Decide &later (keep editing)")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.diff, 1)
        layout.addWidget(buttons)

    def choose(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.accept()
