"""Board-pack builder: pick the cases for a meeting date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui.services import STATUS_LABELS, CaseService


class BoardPackDialog(QDialog):
    """Collects a meeting date and a list of case ids; exposes them."""

    def __init__(self, service: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Build a board pack")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.ready_only = QCheckBox("Only cases marked “Ready for board”")
        self.ready_only.setChecked(True)
        self.cases = QListWidget()
        self.cases.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.service = service
        self.count = QLabel()
        form = QFormLayout()
        form.addRow("&Meeting date", self.date)
        form.addRow("", self.ready_only)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Build pack")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                "&Cases in the pack, in this order (drag to reorder):", buddy=self.cases
            )
        )
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.ready_only.toggled.connect(self.refresh)
        self.cases.itemChanged.connect(self._update)
        self.refresh()
        self.resize(520, 480)

    def refresh(self) -> None:
        status = "ready" if self.ready_only.isChecked() else None
        self.cases.clear()
        for summary in self.service.list(status=status, sort="case_id"):
            item = QListWidgetItem(
                f"{summary.case_id}  ·  {summary.oncotree_code}  ·  "
                f"{STATUS_LABELS[summary.status]}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.case_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.cases.addItem(item)
        self._update()

    def _update(self, *_args: object) -> None:
        n = len(self.case_ids())
        self.count.setText(
            f"{n} case(s) selected."
            if self.cases.count()
            else "No cases to choose from. Mark cases “Ready for board” in the editor, "
            "or untick the option above."
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n > 0)

    def case_ids(self) -> list[str]:
        return [
            self.cases.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.cases.count())
            if self.cases.item(i).checkState() == Qt.CheckState.Checked
        ]

    def meeting_date(self) -> dt.date:
        return self.date.date().toPython()
