"""Other case-level biomarkers: ER, PR, TMB, MSI, MMR, RAS status, PD-L1, HLA type
and PSMA PET status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from oncoboard.core.errors import Problem
from oncoboard.gui.patient_form import combo, set_combo
from oncoboard.gui.widgets import (
    describe_problem,
    mark_invalid,
    number_text,
    parse_number,
)

NOT_TESTED = (None, "Not tested")
HORMONE = (
    NOT_TESTED,
    ("positive", "Positive"),
    ("low", "Low"),
    ("negative", "Negative"),
)
MSI = (NOT_TESTED, ("MSI-H", "MSI-H"), ("MSI-L", "MSI-L"), ("MSS", "MSS"))
RAS = (
    (None, "Not reported"),
    ("wild-type", "Wild-type"),
    ("mutant", "Mutant"),
)
RAS_HELP = (
    "KRAS/NRAS exons 2-4 status as the lab reported it. Without it, RAS wild-type "
    "holds only when a sample's tested scope covered KRAS and NRAS exons 2-4 with "
    "no RAS variant found; otherwise anti-EGFR antibodies stay conditional."
)
MMR = (
    NOT_TESTED,
    ("deficient", "Deficient (dMMR)"),
    ("proficient", "Proficient (pMMR)"),
)
PSMA_PET = (NOT_TESTED, ("positive", "Positive"), ("negative", "Negative"))
HLA_PLACEHOLDER = "e.g. A*02:01, A*24:02"


def hla_alleles(text: str) -> list[str] | None:
    """The HLA alleles typed in the field, separated by commas, semicolons or spaces
    (the case model checks each one)."""
    alleles = [a for a in text.replace(";", ",").replace(",", " ").split() if a]
    return alleles or None


class BiomarkersForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.er, self.pr = combo(HORMONE), combo(HORMONE)
        self.msi, self.mmr = combo(MSI), combo(MMR)
        self.ras = combo(RAS)
        self.ras.setToolTip(RAS_HELP)
        self.psma_pet = combo(PSMA_PET)
        self.hla = QLineEdit(placeholderText=HLA_PLACEHOLDER)
        self.hla.textChanged.connect(self.changed)
        self.tmb = QLineEdit(placeholderText="mutations/Mb")
        self.tps = QLineEdit(placeholderText="%")
        self.cps = QLineEdit(placeholderText="score")
        for edit in (self.tmb, self.tps, self.cps):
            edit.setMaximumWidth(140)
            edit.textChanged.connect(self.changed)
        for box in (self.er, self.pr, self.msi, self.mmr, self.ras, self.psma_pet):
            box.currentIndexChanged.connect(self.changed)
        hormones = QGroupBox("Hormone receptors")
        hf = QFormLayout(hormones)
        hf.addRow("&ER", self.er)
        hf.addRow("&PR", self.pr)
        genomic = QGroupBox("Genomic signatures")
        gf = QFormLayout(genomic)
        gf.addRow("&TMB", self.tmb)
        gf.addRow("&MSI", self.msi)
        gf.addRow("MM&R", self.mmr)
        gf.addRow("R&AS (KRAS/NRAS ex 2–4)", self.ras)
        pdl1 = QGroupBox("PD-L1")
        pf = QFormLayout(pdl1)
        pf.addRow("TP&S (%)", self.tps)
        pf.addRow("&CPS", self.cps)
        selection = QGroupBox("HLA type and PSMA PET")
        sf = QFormLayout(selection)
        sf.addRow("HLA a&lleles", self.hla)
        sf.addRow("PSMA PET", self.psma_pet)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (hormones, genomic, pdl1, selection):
            layout.addWidget(box)
        layout.addStretch(1)
        self.fields = {
            "biomarkers.er": self.er,
            "biomarkers.pr": self.pr,
            "biomarkers.tmb": self.tmb,
            "biomarkers.msi": self.msi,
            "biomarkers.mmr": self.mmr,
            "biomarkers.ras": self.ras,
            "biomarkers.pdl1.tps": self.tps,
            "biomarkers.pdl1.cps": self.cps,
            "biomarkers.hla": self.hla,
            "biomarkers.psma_pet": self.psma_pet,
        }

    def load(self, data: dict[str, Any]) -> None:
        bio = data.get("biomarkers", {})
        for key in ("er", "pr", "msi", "mmr", "ras", "psma_pet"):
            set_combo(getattr(self, key), bio.get(key))
        self.hla.setText(", ".join(str(a) for a in bio.get("hla") or []))
        self.tmb.setText(number_text(bio.get("tmb")))
        pdl1 = bio.get("pdl1") or {}
        self.tps.setText(number_text(pdl1.get("tps")))
        self.cps.setText(number_text(pdl1.get("cps")))

    def values(self, bio: dict[str, Any]) -> dict[str, Any]:
        """Update the ``biomarkers`` dict in place (HER2 is the HER2 panel's)."""
        for key in ("er", "pr", "msi", "mmr", "ras", "psma_pet"):
            _put(bio, key, getattr(self, key).currentData())
        _put(bio, "hla", hla_alleles(self.hla.text()))
        _put(bio, "tmb", parse_number(self.tmb.text()))
        pdl1 = dict(bio.get("pdl1") or {})
        _put(pdl1, "tps", parse_number(self.tps.text()))
        _put(pdl1, "cps", parse_number(self.cps.text()))
        _put(
            bio,
            "pdl1",
            {k: v for k, v in pdl1.items() if k != "extensions"} and pdl1 or None,
        )
        return bio

    def show_problems(self, problems: list[Problem]) -> list[str]:
        by_field = {p.location: p.message for p in problems}
        for p in problems:  # biomarkers.hla[1] marks the HLA field
            if p.location.startswith("biomarkers.hla["):
                by_field.setdefault("biomarkers.hla", p.message)
        for location, widget in self.fields.items():
            mark_invalid(widget, by_field.get(location))
        return [
            describe_problem(p)
            for p in problems
            if p.location.startswith("biomarkers")
            and not p.location.startswith("biomarkers.her2")
        ]


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
