"""Add or edit one alteration; fields follow the kind and validate as you type."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui import context as session
from oncoboard.gui.widgets import (
    error_label,
    mark_invalid,
    number_text,
    parse_number,
    show_errors,
)

KIND_LABELS = {
    "mutation": "Mutation",
    "amplification": "Amplification",
    "deletion": "Deep deletion",
    "fusion": "Fusion",
    "exon_skipping": "Exon skipping",
    "expression": "Expression",
}
# field -> (label, kinds that use it, numeric?)
FIELDS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "protein": ("&Protein change (HGVS p.)", ("mutation",), False),
    "cdna": ("c&DNA change", ("mutation",), False),
    "vaf": ("&VAF (%)", ("mutation",), True),
    "depth": ("&Depth (reads)", ("mutation",), True),
    "copy_number": ("&Copy number", ("amplification",), True),
    "partner": ("&Partner gene", ("fusion",), False),
    "exon": ("&Exon", ("exon_skipping",), True),
    "level": ("&Level", ("expression",), False),
}
PLACEHOLDERS = {
    "protein": "e.g. L858R or p.Leu858Arg",
    "vaf": "percent, e.g. 25 or 31.4",
    "partner": "leave empty if unknown",
    "exon": "e.g. 14",
    "level": "e.g. high, 3+",
}
ALTERATION_KINDS = tuple(KIND_LABELS)


@functools.cache
def _adapter() -> Any:
    from pydantic import TypeAdapter

    from oncoboard.core.case.model import Alteration

    return TypeAdapter(Alteration)


def alteration_problems(alt: dict[str, Any]) -> list[Any]:
    """Problems of one alteration dict, by the case model's own rules."""
    from pydantic import ValidationError

    from oncoboard.core.case.io import problems_from_validation

    try:
        _adapter().validate_python(alt)
    except ValidationError as exc:
        return problems_from_validation(exc)
    return []


class AlterationDialog(QDialog):
    """Collects one alteration; :meth:`value` returns it as a case-file dict."""

    def __init__(
        self, alteration: dict[str, Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit alteration" if alteration else "Add alteration")
        self._original = dict(alteration or {})
        self.kind = QComboBox()
        for kind in ALTERATION_KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.gene = QLineEdit(
            placeholderText="HGNC symbol, e.g. EGFR (HER2 is accepted)"
        )
        self.gene_note = QLabel()
        self.gene_note.setWordWrap(True)
        self.edits = {
            name: QLineEdit(placeholderText=PLACEHOLDERS.get(name, ""))
            for name in FIELDS
        }
        self.form = QFormLayout()
        self.form.addRow("&Kind", self.kind)
        self.form.addRow("&Gene", self.gene)
        self.form.addRow("", self.gene_note)
        for name, (label, _kinds, _num) in FIELDS.items():
            self.form.addRow(label, self.edits[name])
        self.errors = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self._load(self._original)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.gene.textChanged.connect(self.validate)
        for edit in self.edits.values():
            edit.textChanged.connect(self.validate)
        self._kind_changed()
        self.setMinimumWidth(460)

    def _load(self, alt: dict[str, Any]) -> None:
        self.kind.setCurrentIndex(
            max(self.kind.findData(alt.get("kind", "mutation")), 0)
        )
        self.gene.setText(alt.get("gene", ""))
        for name, edit in self.edits.items():
            edit.setText(number_text(alt.get(name)))
        vaf = alt.get("vaf")
        if isinstance(vaf, int | float) and not isinstance(vaf, bool):
            self.edits["vaf"].setText(vaf_percent_text(vaf))

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for name, (_label, kinds, _num) in FIELDS.items():
            visible = kind in kinds
            self.form.setRowVisible(self.edits[name], visible)
        self.validate()

    def value(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        alt: dict[str, Any] = {
            k: v
            for k, v in self._original.items()
            if k in ("extensions", "phase") and kind == "mutation"
        }
        alt.update(gene=self.gene.text().strip(), kind=kind)
        for name, (_label, kinds, numeric) in FIELDS.items():
            text = self.edits[name].text().strip()
            if kind not in kinds or not text:
                continue
            value = parse_number(text) if numeric else text
            if name == "vaf":
                value = self._vaf_fraction(text, value)
            if (
                numeric
                and isinstance(value, float)
                and name in ("depth", "exon")
                and value.is_integer()
            ):
                value = int(value)
            alt[name] = value
        return alt

    def _vaf_fraction(self, text: str, value: Any) -> Any:
        """The percent typed, as the fraction the case stores.  An unchanged VAF
        keeps its exact stored value (31.0% shown for 0.3103448)."""
        original = self._original.get("vaf")
        if isinstance(original, int | float) and text == vaf_percent_text(original):
            return original
        if isinstance(value, float):
            return round(value / 100, 6) if 0 <= value <= 100 else value
        return value

    def validate(self) -> bool:
        problems = alteration_problems(self.value())
        by_field = {p.location.split(".")[-1]: p.message for p in problems}
        mark_invalid(self.gene, by_field.get("gene"))
        for name, edit in self.edits.items():
            mark_invalid(edit, by_field.get(name))
        messages = [f"{_label_of(p.location)}: {_plain(p.message)}" for p in problems]
        vaf = parse_number(self.edits["vaf"].text())
        if isinstance(vaf, float) and not 0 <= vaf <= 100:
            messages = [m for m in messages if not m.startswith("VAF")]
            messages.append("VAF is a percentage from 0 to 100 (e.g. 25 for 25%).")
        show_errors(self.errors, messages)
        self._gene_hint()
        ok = not problems
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def _gene_hint(self) -> None:
        symbol = self.gene.text().strip()
        self.form.setRowVisible(self.gene_note, False)
        if not symbol:
            self.gene_note.setText("")
            return
        known, nearest = session.gene_check(symbol)
        if known:
            self.gene_note.setText("")
            return
        hint = f" Did you mean {nearest}?" if nearest else ""
        self.gene_note.setText(f"⚠ {symbol} is not a known HGNC symbol or alias.{hint}")
        self.form.setRowVisible(self.gene_note, True)


def vaf_percent_text(fraction: float) -> str:
    """A stored VAF fraction as the percent typed in the dialog (one decimal)."""
    return f"{100 * fraction:.1f}"


def _plain(message: str) -> str:
    return message.replace("Input should be", "must be")


def _label_of(location: str) -> str:
    name = location.split(".")[-1]
    if name in FIELDS:
        return FIELDS[name][0].replace("&", "")
    return name.replace("_", " ").capitalize() if name else "Alteration"


def describe(alt: dict[str, Any]) -> str:
    """A short human text for an alteration in the samples table."""
    kind = alt.get("kind", "")
    detail = {
        "mutation": alt.get("protein", ""),
        "amplification": "amplification"
        + (
            f" (CN {number_text(alt['copy_number'])})"
            if alt.get("copy_number") is not None
            else ""
        ),
        "deletion": "deep deletion",
        "fusion": f"fusion{' with ' + alt['partner'] if alt.get('partner') else ''}",
        "exon_skipping": f"exon {alt.get('exon', '?')} skipping",
        "expression": f"expression {alt.get('level', '')}",
    }.get(kind, kind)
    return f"{alt.get('gene', '?')} {detail}".strip()
