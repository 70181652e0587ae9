"""Patient and tumor section of the case editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from oncoboard.core.errors import Problem
from oncoboard.gui.oncotree_picker import OncoTreePicker
from oncoboard.gui.widgets import describe_problem, mark_invalid, number_text

SEXES = (
    ("unknown", "Unknown"),
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other"),
)
SETTINGS = (
    ("unknown", "Unknown"),
    ("metastatic", "Metastatic"),
    ("locally_advanced", "Locally advanced"),
    ("early", "Early"),
)


def combo(items: tuple[tuple[str | None, str], ...]) -> QComboBox:
    box = QComboBox()
    for key, label in items:
        box.addItem(label, key)
    return box


def set_combo(box: QComboBox, key: object) -> None:
    index = box.findData(key)
    box.setCurrentIndex(max(index, 0))


def int_or_text(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


class PatientTumorForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pseudonym = QLineEdit(
            placeholderText="optional; no names or record numbers"
        )
        self.sex = combo(SEXES)
        self.age = QLineEdit(placeholderText="years")
        self.ecog = combo(
            ((None, "Not recorded"),) + tuple((str(i), str(i)) for i in range(5))
        )
        self.oncotree = OncoTreePicker()
        self.stage = QLineEdit(placeholderText="e.g. IVB")
        self.setting = combo(SETTINGS)
        for w in (self.age, self.stage):
            w.setMaximumWidth(120)

        for box in (self.sex, self.ecog):
            box.setMaximumWidth(180)
        self.setting.setMaximumWidth(220)
        patient = QGroupBox("Patient")
        pf = QFormLayout(patient)
        pf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.pseudonym.setMinimumWidth(260)
        pf.addRow("&Pseudonym", self.pseudonym)
        pf.addRow("&Sex", self.sex)
        pf.addRow("&Age", self.age)
        pf.addRow("&ECOG", self.ecog)
        tumor = QGroupBox("Tumor")
        tf = QFormLayout(tumor)
        tf.addRow("&Tumor type", self.oncotree)
        tf.addRow("S&tage", self.stage)
        tf.addRow("Setti&ng", self.setting)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(patient, 2)
        layout.addWidget(tumor, 3)
        for edit in (self.pseudonym, self.age, self.stage):
            edit.textChanged.connect(self.changed)
        for box in (self.sex, self.ecog, self.setting):
            box.currentIndexChanged.connect(self.changed)
        self.oncotree.code_changed.connect(self.changed)
        self.unknown_code_message = ""
        self.fields = {
            "patient.pseudonym": self.pseudonym,
            "patient.age": self.age,
            "patient.ecog": self.ecog,
            "patient.sex": self.sex,
            "tumor.oncotree_code": self.oncotree.edit,
            "tumor.stage": self.stage,
            "tumor.setting": self.setting,
        }

    def load(self, data: dict[str, Any]) -> None:
        patient, tumor = data.get("patient", {}), data.get("tumor", {})
        self.pseudonym.setText(patient.get("pseudonym") or "")
        set_combo(self.sex, patient.get("sex", "unknown"))
        self.age.setText(number_text(patient.get("age")))
        set_combo(
            self.ecog, None if patient.get("ecog") is None else str(patient["ecog"])
        )
        self.oncotree.set_code(tumor.get("oncotree_code", ""))
        self.stage.setText(tumor.get("stage") or "")
        set_combo(self.setting, tumor.get("setting", "unknown"))

    def values(self, base: dict[str, Any]) -> dict[str, Any]:
        patient = dict(base.get("patient", {}))
        tumor = dict(base.get("tumor", {}))
        ecog = self.ecog.currentData()
        patient.update(
            sex=self.sex.currentData(),
            age=int_or_text(self.age.text()),
            ecog=int(ecog) if ecog is not None else None,
            pseudonym=self.pseudonym.text().strip() or None,
        )
        tumor.update(
            oncotree_code=self.oncotree.code(),
            stage=self.stage.text().strip() or None,
            setting=self.setting.currentData(),
        )
        return {"patient": _compact(patient), "tumor": _compact(tumor)}

    def show_problems(self, problems: list[Problem]) -> list[str]:
        """Mark the fields that have problems; return the messages not tied to a field."""
        by_field = {p.location: p.message for p in problems}
        for location, widget in self.fields.items():
            mark_invalid(widget, by_field.get(location))
        code = self.oncotree.code()
        message = by_field.get("tumor.oncotree_code", "")
        self.unknown_code_message = message if "not an OncoTree code" in message else ""
        self.oncotree.show_problem(self.unknown_code_message)
        if (
            code
            and not self.oncotree.is_known()
            and "tumor.oncotree_code" not in by_field
        ):
            mark_invalid(self.oncotree.edit, "not an OncoTree code")
        return [
            describe_problem(p)
            for p in problems
            if p.location.startswith(("patient", "tumor"))
        ]


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
