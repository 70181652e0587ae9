"""HER2 IHC/ISH panel, with the derived status shown live and the rule applied.

The status comes from the core's ``assess_her2`` (ASCO/CAP rules); this panel
only collects the inputs and shows the answer.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.gui.patient_form import combo, set_combo
from oncoboard.gui.widgets import (
    describe_problem,
    mark_invalid,
    number_text,
    parse_number,
)

log = logging.getLogger(__name__)

IHC = ((None, "Not tested"), ("0", "0"), ("1+", "1+"), ("2+", "2+"), ("3+", "3+"))
STAINING = (
    (None, "—"),
    ("absent", "Absent (null)"),
    ("faint_incomplete_le10pct", "Faint, incomplete, ≤10% of cells (ultralow)"),
)


class Her2Panel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ihc = combo(IHC)
        self.staining = combo(STAINING)
        self.ratio = QLineEdit(placeholderText="HER2/CEP17")
        self.copies = QLineEdit(placeholderText="signals/cell")
        self.cep17 = QLineEdit(placeholderText="signals/cell")
        for edit in (self.ratio, self.copies, self.cep17):
            edit.setMaximumWidth(160)
            edit.textChanged.connect(self.changed)
        self.ihc.setMaximumWidth(160)
        self.staining.setMaximumWidth(360)
        self.ihc.currentIndexChanged.connect(self._ihc_changed)
        self.staining.currentIndexChanged.connect(self.changed)
        ihc_box = QGroupBox("Immunohistochemistry (IHC)")
        f1 = QFormLayout(ihc_box)
        f1.addRow("&IHC score", self.ihc)
        f1.addRow("IHC 0 &staining", self.staining)
        ish_box = QGroupBox("In situ hybridisation (ISH)")
        f2 = QFormLayout(ish_box)
        f2.addRow("&Ratio", self.ratio)
        f2.addRow("HER2 &copies", self.copies)
        f2.addRow("C&EP17 copies", self.cep17)
        self.status = QLabel()
        self.status.setObjectName("her2_status")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(60)
        result = QGroupBox("Derived HER2 status")
        QVBoxLayout(result).addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ihc_box)
        layout.addWidget(ish_box)
        layout.addWidget(result)
        layout.addStretch(1)
        self.fields = {
            "biomarkers.her2.ihc": self.ihc,
            "biomarkers.her2.ihc0_staining": self.staining,
            "biomarkers.her2.ish.ratio": self.ratio,
            "biomarkers.her2.ish.her2_copies": self.copies,
            "biomarkers.her2.ish.cep17_copies": self.cep17,
            "biomarkers.her2.ish": self.ratio,
        }
        self._ihc_changed()

    def _ihc_changed(self) -> None:
        self.staining.setEnabled(self.ihc.currentData() == "0")
        if self.ihc.currentData() != "0":
            set_combo(self.staining, None)
        self.changed.emit()

    def load(self, data: dict[str, Any]) -> None:
        her2 = (data.get("biomarkers") or {}).get("her2") or {}
        set_combo(self.ihc, her2.get("ihc"))
        set_combo(self.staining, her2.get("ihc0_staining"))
        ish = her2.get("ish") or {}
        self.ratio.setText(number_text(ish.get("ratio")))
        self.copies.setText(number_text(ish.get("her2_copies")))
        self.cep17.setText(number_text(ish.get("cep17_copies")))

    def values(self, bio: dict[str, Any]) -> dict[str, Any]:
        her2 = dict(bio.get("her2") or {})
        for key, value in (
            ("ihc", self.ihc.currentData()),
            ("ihc0_staining", self.staining.currentData()),
        ):
            if value is None:
                her2.pop(key, None)
            else:
                her2[key] = value
        ish = dict(her2.get("ish") or {})
        for key, edit in (
            ("ratio", self.ratio),
            ("her2_copies", self.copies),
            ("cep17_copies", self.cep17),
        ):
            value = parse_number(edit.text())
            if value is None:
                ish.pop(key, None)
            else:
                ish[key] = value
        if set(ish) - {"extensions"}:
            her2["ish"] = ish
        else:
            her2.pop("ish", None)
        if set(her2) - {"extensions"}:
            bio["her2"] = her2
        else:
            bio.pop("her2", None)
        return bio

    def show_problems(self, problems: list[Problem]) -> list[str]:
        by_field = {p.location: p.message for p in problems}
        for location, widget in self.fields.items():
            if location != "biomarkers.her2.ish":
                mark_invalid(widget, by_field.get(location))
        if "biomarkers.her2.ish" in by_field:
            mark_invalid(self.ratio, by_field["biomarkers.her2.ish"])
        return [
            describe_problem(p)
            for p in problems
            if p.location.startswith("biomarkers.her2")
        ]

    def show_status(self, her2: Any, oncotree_code: str) -> None:
        """Show the derived status for a validated ``Her2`` model (or None)."""
        from oncoboard.core.profiles import assess_her2 as assess

        if her2 is None:
            self.status.setText(
                "Enter an IHC score or an ISH result to derive the HER2 status."
            )
            return
        try:
            result = assess(her2, oncotree_code)
        except UserInputError as exc:
            self.status.setText(html.escape(f"Cannot derive a status: {exc}"))
            return
        self.status.setText(format_assessment(result))


def format_assessment(result: Any) -> str:
    e = html.escape
    status = result.status or "undetermined"
    lines = [
        f"<b style='font-size:13pt'>{e(status)}</b>",
        f"<b>Rule applied:</b> {e(result.rule)}",
        f"<b>Guideline:</b> {e(result.guideline)}",
    ]
    if result.ish_group is not None:
        lines.append(f"<b>ISH group</b> {result.ish_group}")
    lines += [f"⚠ {e(flag.message)}" for flag in getattr(result, "flags", ())]
    return "<br>".join(lines)
