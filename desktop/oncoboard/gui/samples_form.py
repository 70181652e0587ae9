"""Samples (tissue or plasma, dates, tumor fraction) and their alterations."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core.errors import Problem
from oncoboard.gui.alteration_dialog import AlterationDialog, describe
from oncoboard.gui.result_labels import percent
from oncoboard.gui.tested_scope import ScopeError, TestedScopeBox, parse_exons
from oncoboard.gui.widgets import (
    describe_problem,
    error_label,
    number_text,
    parse_number,
    show_errors,
)

SAMPLE_COLUMNS = (
    "Sample ID",
    "Specimen",
    "Collected (YYYY-MM-DD)",
    "Tumor fraction (plasma, 0–1)",
    "Assay",
)
ALT_COLUMNS = ("Alteration", "Kind", "VAF", "Depth")
# Keys the samples table edits; every other key of a sample is kept as it came.
EDITED = (
    "id",
    "specimen",
    "collected",
    "tumor_fraction",
    "assay",
    "alterations",
    "tested",
)


class SamplesForm(QWidget):
    changed = Signal()
    import_requested = Signal(str)  # sample id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._alterations: list[list[dict[str, Any]]] = []
        self._extra: list[dict[str, Any]] = []
        self._tested: list[dict[str, Any] | None] = []
        self.scope = TestedScopeBox()
        self.samples = QTableWidget(0, len(SAMPLE_COLUMNS))
        self.samples.setHorizontalHeaderLabels(SAMPLE_COLUMNS)
        self.samples.verticalHeader().hide()
        self.samples.setSelectionBehavior(
            QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.samples.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.samples.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.samples.horizontalHeader().setStretchLastSection(True)
        self.alts = QTableWidget(0, len(ALT_COLUMNS))
        self.alts.setHorizontalHeaderLabels(ALT_COLUMNS)
        self.alts.verticalHeader().hide()
        self.alts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alts.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.errors = error_label()
        self.b = {
            k: QPushButton(t)
            for k, t in (
                ("add_sample", "Add &sample"),
                ("remove_sample", "Remove sample"),
                ("add_alt", "&Add alteration…"),
                ("edit_alt", "&Edit…"),
                ("remove_alt", "&Remove"),
                ("import", "&Import VCF/MAF/CSV…"),
            )
        }
        top = QGroupBox("Samples")
        tl = QVBoxLayout(top)
        tl.addWidget(self.samples)
        tl.addLayout(_row(self.b["add_sample"], self.b["remove_sample"]))
        tl.addWidget(self.scope)
        bottom = QGroupBox("Alterations in the selected sample")
        bl = QVBoxLayout(bottom)
        bl.addWidget(self.alts)
        bl.addLayout(
            _row(
                self.b["add_alt"],
                self.b["edit_alt"],
                self.b["remove_alt"],
                self.b["import"],
            )
        )
        split = QSplitter()
        split.setOrientation(split.orientation().Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.errors)
        self._wire()
        self._update_buttons()

    def _wire(self) -> None:
        self.b["add_sample"].clicked.connect(
            lambda: self.add_sample({"specimen": "tissue"})
        )
        self.b["remove_sample"].clicked.connect(self.remove_sample)
        self.b["add_alt"].clicked.connect(self.add_alteration)
        self.b["edit_alt"].clicked.connect(self.edit_alteration)
        self.b["remove_alt"].clicked.connect(self.remove_alteration)
        self.b["import"].clicked.connect(
            lambda: self.import_requested.emit(self.current_sample_id() or "")
        )
        self.samples.itemChanged.connect(lambda _i: self.changed.emit())
        self.samples.itemSelectionChanged.connect(self._show_alterations)
        self.scope.changed.connect(self._scope_edited)
        self.alts.doubleClicked.connect(lambda _i: self.edit_alteration())
        self.alts.itemSelectionChanged.connect(self._update_buttons)

    # --- samples -------------------------------------------------------------
    def add_sample(self, sample: dict[str, Any]) -> None:
        row = self.samples.rowCount()
        sample = dict(sample)
        if not sample.get("id"):
            sample["id"] = f"S{row + 1}"
        self.samples.blockSignals(True)
        self.samples.insertRow(row)
        self.samples.setItem(row, 0, QTableWidgetItem(sample["id"]))
        specimen = QComboBox()
        specimen.addItems(["tissue", "plasma"])
        specimen.setCurrentText(sample.get("specimen", "tissue"))
        specimen.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.samples.setCellWidget(row, 1, specimen)
        for col, key in ((2, "collected"), (3, "tumor_fraction"), (4, "assay")):
            self.samples.setItem(
                row, col, QTableWidgetItem(number_text(sample.get(key)))
            )
        self.samples.blockSignals(False)
        self._alterations.append(list(sample.get("alterations", [])))
        self._extra.append({k: v for k, v in sample.items() if k not in EDITED})
        self._tested.append(copy.deepcopy(sample.get("tested")))
        self.samples.selectRow(row)
        self.changed.emit()

    def remove_sample(self) -> None:
        row = self.samples.currentRow()
        if row < 0:
            return
        self.samples.removeRow(row)
        del self._alterations[row]
        del self._extra[row]
        del self._tested[row]
        self._show_alterations()
        self.changed.emit()

    def current_sample_id(self) -> str | None:
        row = self.samples.currentRow()
        item = self.samples.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    # --- alterations ---------------------------------------------------------
    def _show_alterations(self) -> None:
        row = self.samples.currentRow()
        alts = self._alterations[row] if 0 <= row < len(self._alterations) else []
        self.alts.setRowCount(len(alts))
        for r, alt in enumerate(alts):
            cells = (
                describe(alt),
                alt.get("kind", ""),
                percent(alt["vaf"])
                if isinstance(alt.get("vaf"), int | float)
                else number_text(alt.get("vaf")),
                number_text(alt.get("depth")),
            )
            for c, text in enumerate(cells):
                self.alts.setItem(r, c, QTableWidgetItem(text))
        self.scope.setEnabled(0 <= row < len(self._tested))
        self.scope.load(self._tested[row] if 0 <= row < len(self._tested) else None)
        self._update_buttons()

    def _scope_edited(self) -> None:
        row = self.samples.currentRow()
        if 0 <= row < len(self._tested):
            self._tested[row] = self.scope.value()
            self.scope.check()
            self.changed.emit()

    def _update_buttons(self) -> None:
        has_sample = self.samples.currentRow() >= 0
        has_alt = bool(self.alts.selectionModel().selectedRows())
        for key in ("remove_sample", "add_alt", "import"):
            self.b[key].setEnabled(has_sample)
        for key in ("edit_alt", "remove_alt"):
            self.b[key].setEnabled(has_sample and has_alt)

    def add_alteration(self) -> None:
        dialog = AlterationDialog(parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_alterations([dialog.value()])

    def add_alterations(self, alterations: list[dict[str, Any]]) -> None:
        row = self.samples.currentRow()
        if row < 0:
            return
        self._alterations[row].extend(alterations)
        self._show_alterations()
        self.changed.emit()

    def edit_alteration(self) -> None:
        row, alt_row = self.samples.currentRow(), self.alts.currentRow()
        if row < 0 or alt_row < 0:
            return
        dialog = AlterationDialog(self._alterations[row][alt_row], parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._alterations[row][alt_row] = dialog.value()
            self._show_alterations()
            self.changed.emit()

    def remove_alteration(self) -> None:
        row, alt_row = self.samples.currentRow(), self.alts.currentRow()
        if row >= 0 and alt_row >= 0:
            del self._alterations[row][alt_row]
            self._show_alterations()
            self.changed.emit()

    # --- form protocol -------------------------------------------------------
    def load(self, data: dict[str, Any]) -> None:
        self.samples.setRowCount(0)
        self._alterations, self._extra, self._tested = [], [], []
        for sample in data.get("samples", []):
            self.add_sample(sample)
        if self.samples.rowCount():
            self.samples.selectRow(0)
        self._show_alterations()

    def values(self, base: dict[str, Any]) -> dict[str, Any]:
        out = []
        for row in range(self.samples.rowCount()):
            sample = copy.deepcopy(self._extra[row])
            sample["id"] = self._text(row, 0).strip()
            sample["specimen"] = self.samples.cellWidget(row, 1).currentText()
            for col, key in ((2, "collected"), (4, "assay")):
                if self._text(row, col).strip():
                    sample[key] = self._text(row, col).strip()
            fraction = parse_number(self._text(row, 3))
            if fraction is not None:
                sample["tumor_fraction"] = fraction
            sample["alterations"] = copy.deepcopy(self._alterations[row])
            if self._tested[row]:
                sample["tested"] = copy.deepcopy(self._tested[row])
            out.append(sample)
        return {"samples": out}

    def _text(self, row: int, col: int) -> str:
        item = self.samples.item(row, col)
        return item.text() if item else ""

    def show_problems(self, problems: list[Problem]) -> list[str]:
        scope = self._scope_messages()
        mine = [
            describe_problem(p)
            for p in problems
            if p.location.startswith("samples")
            and not any(p.location.startswith(prefix) for prefix in scope)
        ] + list(scope.values())
        show_errors(self.errors, mine)
        return mine

    def _scope_messages(self) -> dict[str, str]:
        """Exon lists that cannot be read, by location, in words (not pydantic's)."""
        out = {}
        for row, tested in enumerate(self._tested):
            exons = (tested or {}).get("exons")
            if isinstance(exons, str):
                try:
                    parse_exons(exons)
                except ScopeError as exc:
                    out[f"samples[{row}].tested"] = (
                        f"Sample {self._text(row, 0) or row + 1}, tested exons: {exc}"
                    )
        return out


def _row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    for w in widgets:
        layout.addWidget(w)
    layout.addStretch(1)
    return layout
