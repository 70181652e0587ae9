"""Prior therapies section: one row per line of therapy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core.errors import Problem
from oncoboard.gui.widgets import describe_problem, error_label, show_errors

OUTCOMES = ("unknown", "progression", "response", "intolerance")
COLUMNS = ("Drugs (generic names, comma-separated)", "Setting", "Line", "Outcome")


class TherapiesForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton("&Add therapy")
        self.remove_button = QPushButton("&Remove therapy")
        self.errors = error_label()
        hint = QLabel(
            "Double-click a cell to edit it. Lines are numbered from 1 (first line)."
        )
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row({"drugs": []}))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _i: self.changed.emit())

    def add_row(self, therapy: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(
            row, 0, QTableWidgetItem(", ".join(therapy.get("drugs", [])))
        )
        self.table.setItem(row, 1, QTableWidgetItem(therapy.get("setting") or ""))
        line = therapy.get("line")
        self.table.setItem(row, 2, QTableWidgetItem("" if line is None else str(line)))
        outcome = QComboBox()
        outcome.addItems(OUTCOMES)
        outcome.setCurrentText(therapy.get("outcome", "unknown"))
        outcome.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(row, 3, outcome)
        self.table.blockSignals(False)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def load(self, data: dict[str, Any]) -> None:
        self.table.setRowCount(0)
        for therapy in data.get("prior_therapies", []):
            self.add_row(therapy)

    def values(self, base: dict[str, Any]) -> dict[str, Any]:
        old = base.get("prior_therapies", [])
        out = []
        for row in range(self.table.rowCount()):
            therapy = dict(old[row]) if row < len(old) else {}
            drugs = [d.strip() for d in self._text(row, 0).split(",") if d.strip()]
            line = self._text(row, 2).strip()
            therapy.update(
                drugs=drugs,
                setting=self._text(row, 1).strip() or None,
                line=int(line) if line.isdigit() else (line or None),
                outcome=self.table.cellWidget(row, 3).currentText(),
            )
            out.append({k: v for k, v in therapy.items() if v is not None})
        return {"prior_therapies": out}

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item else ""

    def show_problems(self, problems: list[Problem]) -> list[str]:
        mine = [
            describe_problem(p)
            for p in problems
            if p.location.startswith("prior_therapies")
        ]
        show_errors(self.errors, mine)
        return mine
