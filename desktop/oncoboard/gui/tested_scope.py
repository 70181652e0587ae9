"""What a sample's assay covered (``samples[].tested``): genes, and exons for
genes covered only in part.  Without it no negative result is inferred (RAS
wild-type, EGFR/ALK wild-type...), so the editor lets the user record it.

Genes are typed as a list (``KRAS, NRAS, BRAF``); exons as ``GENE exons`` groups
separated by semicolons, exons as numbers or ranges (``KRAS 2-4; NRAS 2,3,4``).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from oncoboard.gui.widgets import mark_invalid

_GROUP = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9\-.]*)\s*[: ]\s*([\d,\s\-–]+)$")


class ScopeError(ValueError):
    """Text that is not a gene list or an exon list; the message says how to write it."""


def parse_genes(text: str) -> list[str]:
    return [g.upper() for g in re.split(r"[,;\s]+", text.strip()) if g]


def parse_exons(text: str) -> dict[str, list[int]]:
    """``"KRAS 2-4; NRAS 2,3,4"`` -> ``{"KRAS": [2, 3, 4], "NRAS": [2, 3, 4]}``."""
    out: dict[str, list[int]] = {}
    for group in filter(None, (g.strip() for g in text.split(";"))):
        found = _GROUP.match(group)
        if not found:
            raise ScopeError(
                f"“{group}” is not “GENE exons”: write e.g. KRAS 2-4; NRAS 2,3,4"
            )
        exons: set[int] = set()
        for part in filter(None, (p.strip() for p in found.group(2).split(","))):
            low, _, high = part.replace("–", "-").partition("-")
            if not low.strip().isdigit() or (high and not high.strip().isdigit()):
                raise ScopeError(
                    f"“{part}” in “{group}” is not an exon number or range"
                )
            first, last = int(low), int(high or low)
            if not 1 <= first <= last <= 200:
                raise ScopeError(
                    f"exons “{part}” in “{group}” must run upwards within 1-200"
                )
            exons.update(range(first, last + 1))
        out.setdefault(found.group(1).upper(), [])
        out[found.group(1).upper()] = sorted(set(out[found.group(1).upper()]) | exons)
    return out


def exons_text(exons: dict[str, list[int]]) -> str:
    """The inverse of :func:`parse_exons`, runs written as ranges."""
    groups = []
    for gene, numbers in exons.items():
        runs: list[str] = []
        for n in sorted(numbers):
            if runs and runs[-1].split("-")[-1] == str(n - 1):
                runs[-1] = f"{runs[-1].split('-')[0]}-{n}"
            else:
                runs.append(str(n))
        groups.append(f"{gene} {','.join(runs)}")
    return "; ".join(groups)


class TestedScopeBox(QGroupBox):
    """Edits the tested scope of the sample selected in the samples table."""

    __test__ = False  # not a pytest class
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "What the selected sample's assay covered (for negative results)", parent
        )
        self.genes = QLineEdit(
            placeholderText="whole genes, e.g. EGFR, ALK, BRAF, KRAS, NRAS"
        )
        self.exons = QLineEdit(
            placeholderText="genes covered in part, e.g. KRAS 2-4; NRAS 2-4"
        )
        self.help = QLabel(
            "Leave empty if unknown: then no gene is taken as tested, and statuses such "
            "as RAS wild-type stay “not established”."
        )
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color:#555;")
        form = QFormLayout(self)
        form.addRow("Tested &genes", self.genes)
        form.addRow("E&xons only", self.exons)
        form.addRow(self.help)
        self._extensions: Any = None
        self._loading = False
        for edit in (self.genes, self.exons):
            edit.textChanged.connect(self._edited)

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def load(self, tested: dict[str, Any] | None) -> None:
        tested = tested or {}
        self._loading = True
        try:
            self.genes.setText(", ".join(tested.get("genes") or []))
            exons = tested.get("exons") or {}
            self.exons.setText(exons if isinstance(exons, str) else exons_text(exons))
            self._extensions = tested.get("extensions")
        finally:
            self._loading = False
        self.check()

    def value(self) -> dict[str, Any] | None:
        """The ``tested`` dict (None when empty).  Unreadable exon text is kept as
        text, so the case does not validate until it is fixed."""
        genes = parse_genes(self.genes.text())
        try:
            exons: Any = parse_exons(self.exons.text())
        except ScopeError:
            exons = self.exons.text()
        out: dict[str, Any] = {}
        if genes:
            out["genes"] = genes
        if exons:
            out["exons"] = exons
        if self._extensions is not None:
            out["extensions"] = self._extensions
        return out or None

    def check(self) -> str | None:
        """Mark the exon field if it cannot be read; return the message."""
        try:
            parse_exons(self.exons.text())
            message = None
        except ScopeError as exc:
            message = str(exc)
        mark_invalid(self.exons, message)
        return message
