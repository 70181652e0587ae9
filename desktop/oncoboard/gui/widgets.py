"""Small shared widgets: inline message banners, "not available" panels, busy bars."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

_BANNER_STYLES = {
    "info": "background:#e8f0fe; border:1px solid #8ab4f8; color:#174ea6;",
    "error": "background:#fce8e6; border:1px solid #f28b82; color:#a50e0e;",
    "warning": "background:#fef7e0; border:1px solid #fdd663; color:#7a4f01;",
    "ok": "background:#e6f4ea; border:1px solid #81c995; color:#0d652d;",
}


class _FitScroll(QScrollArea):
    """A scroll area as tall as its text up to ``maximumHeight``, then it scrolls.

    A long message (a 60-line list of problems) must never make the window
    taller than the screen: the banner's height is capped, the text scrolls.
    """

    def sizeHint(self) -> QSize:  # noqa: N802
        inner = self.widget()
        width = max(self.viewport().width(), 200)
        wanted = (
            inner.heightForWidth(width)
            if inner.hasHeightForWidth()
            else inner.sizeHint().height()
        )
        height = min(wanted + 2 * self.frameWidth(), self.maximumHeight())
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(
            100, min(self.sizeHint().height(), 3 * self.fontMetrics().height())
        )

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self.updateGeometry()  # wrapped text height depends on the width


BANNER_MAX_LINES = 8


class Banner(QFrame):
    """An inline message with an optional action button (e.g. "Undo").

    Long messages scroll inside the banner (at most :data:`BANNER_MAX_LINES`
    lines tall), so the window never grows beyond the screen.
    """

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = _FitScroll()
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setStyleSheet("background: transparent;")
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMaximumHeight(
            BANNER_MAX_LINES * self.fontMetrics().lineSpacing() + 8
        )
        self.scroll.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum
        )
        self.button = QPushButton()
        self.button.clicked.connect(self.action_clicked)
        self.close_button = QPushButton("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: str = "") -> None:
        self.setStyleSheet(f"#banner {{{_BANNER_STYLES[kind]} border-radius:4px;}}")
        self.label.setText(text)
        self.button.setText(action)
        self.button.setVisible(bool(action))
        self.scroll.verticalScrollBar().setValue(0)
        self.scroll.updateGeometry()
        self.show()


class Unavailable(QFrame):
    """A clear panel saying what is missing from this build, and why."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unavailable")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        body = QLabel(text)
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)


class BusyBar(QWidget):
    """Progress of the current job with a Cancel button; hidden when idle."""

    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_clicked)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.show()

    def update_progress(self, fraction: float, message: str) -> None:
        self.bar.setRange(0, 100)
        self.bar.setValue(int(fraction * 100))
        if message:
            self.label.setText(message)

    def stop(self) -> None:
        self.hide()


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


INVALID_STYLE = "border: 2px solid #d93025; border-radius: 3px;"


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Outline a field in red with the problem as its tooltip (None clears it)."""
    widget.setStyleSheet(INVALID_STYLE if message else "")
    widget.setToolTip(message or "")
    widget.setProperty("invalid", bool(message))


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("inline_errors")
    label.setWordWrap(True)
    label.setStyleSheet("color:#a50e0e;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_errors(label: QLabel, messages: list[str]) -> None:
    label.setText("\n".join(f"• {m}" for m in messages))
    label.setVisible(bool(messages))


def parse_number(text: str) -> float | str | None:
    """Empty -> None; a number -> float; anything else stays text (for validation)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def number_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


FIELD_NAMES = {
    "case_id": "Case ID",
    "pseudonym": "Pseudonym",
    "age": "Age",
    "ecog": "ECOG",
    "sex": "Sex",
    "oncotree_code": "Tumor type (OncoTree code)",
    "stage": "Stage",
    "setting": "Setting",
    "drugs": "Drugs",
    "line": "Line",
    "outcome": "Outcome",
    "id": "Sample ID",
    "specimen": "Specimen",
    "collected": "Collection date",
    "tumor_fraction": "Tumor fraction",
    "assay": "Assay",
    "gene": "Gene",
    "protein": "Protein change",
    "vaf": "VAF",
    "depth": "Depth",
    "copy_number": "Copy number",
    "exon": "Exon",
    "level": "Level",
    "partner": "Partner",
    "ihc": "HER2 IHC",
    "ihc0_staining": "IHC 0 staining",
    "ish": "HER2 ISH",
    "ratio": "ISH ratio",
    "her2_copies": "HER2 copies",
    "cep17_copies": "CEP17 copies",
    "er": "ER",
    "pr": "PR",
    "tmb": "TMB",
    "msi": "MSI",
    "mmr": "MMR",
    "tps": "PD-L1 TPS",
    "cps": "PD-L1 CPS",
    "psma_pet": "PSMA PET",
}
_LISTS = {
    "samples": "Sample",
    "alterations": "alteration",
    "prior_therapies": "Therapy",
    "germline": "Germline finding",
    "variant_files": "variant file",
    "hla": "HLA allele",
}


def human_location(location: str) -> str:
    """``samples[0].alterations[1].vaf`` -> ``Sample 1, alteration 2, VAF``."""
    out = []
    for part in location.split("."):
        name, _, index = part.partition("[")
        if index:
            number = index.rstrip("]")
            label = _LISTS.get(name, name)
            out.append(f"{label} {int(number) + 1}" if number.isdigit() else label)
        elif name not in ("patient", "tumor", "biomarkers", "her2", "pdl1"):
            out.append(FIELD_NAMES.get(name, name.replace("_", " ")))
    return ", ".join(out) or location


def describe_problem(problem: object) -> str:
    location = getattr(problem, "location", "")
    message = str(getattr(problem, "message", problem))
    message = message.replace("Input should be", "must be").replace("Value error, ", "")
    return f"{human_location(location)}: {message}" if location else message
