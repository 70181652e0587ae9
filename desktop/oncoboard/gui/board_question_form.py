"""The question put to the tumor board (``board_question``), shown first on page 1
of the report's "Summary for the board"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from oncoboard.core.errors import Problem
from oncoboard.gui.widgets import describe_problem, mark_invalid

MAX_CHARS = 2000  # the case model's limit


class BoardQuestionForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            "Optional: what should the board decide? e.g. “Next line after "
            "progression on erlotinib: osimertinib, or chemotherapy first?”"
        )
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(3 * self.text.fontMetrics().lineSpacing() + 14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        self.text.textChanged.connect(self.changed)

    def load(self, data: dict[str, Any]) -> None:
        self.text.setPlainText(data.get("board_question") or "")

    def values(self, base: dict[str, Any]) -> dict[str, Any]:
        text = self.text.toPlainText().strip()
        return {"board_question": text or None}

    def show_problems(self, problems: list[Problem]) -> list[str]:
        mine = [p for p in problems if p.location == "board_question"]
        mark_invalid(self.text, mine[0].message if mine else None)
        return [describe_problem(p) for p in mine]
