"""Paragraph styles, escaping and value formatting shared by the report sections.

Every piece of user or knowledge-base text goes through :func:`esc` before it
reaches a reportlab ``Paragraph``: Paragraph text is a markup language, so a
pseudonym such as ``<font size=40>X</font>`` would otherwise be obeyed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from oncoboard.core.report.fonts import SANS, SANS_BOLD

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.lib.styles import ParagraphStyle

INK = "#1a1a1a"
MUTED = "#5a5a5a"
ACCENT = "#1f4e79"
RULE = "#b8c4d0"
HEADER_BG = "#e4ebf2"
ZEBRA_BG = "#f5f7f9"
FLAG_BG = "#fff4e0"
FLAG_RULE = "#d08a1c"
DEID_RED = "#a01818"
NOT_AVAILABLE = "not available"


def esc(value: object) -> str:
    """Escape any value for use inside reportlab Paragraph markup.

    Line breaks in the value are kept as line breaks.
    """
    text = "" if value is None else str(value)
    return escape(text, {'"': "&quot;"}).replace("\n", "<br/>")


def fmt_date(value: dt.date | None) -> str:
    """ISO date, or "not set"."""
    return value.isoformat() if value else "not set"


def fmt_fraction(value: float | None) -> str:
    """A 0-1 fraction as a percentage with one decimal (0.421 -> "42.1%")."""
    if value is None:
        return "–"
    return f"{value * 100:.1f}%"


def fmt_months(value: float | None) -> str:
    """Months with one decimal, or "NR" (not reached) when None."""
    return "NR" if value is None else f"{value:.1f}"


def age_band(age: int | None) -> str:
    """A ten-year age band for de-identified reports; 90 and over are pooled."""
    if age is None:
        return "unknown"
    if age >= 90:
        return "90+"
    low = (age // 10) * 10
    return f"{low}–{low + 9}"


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the report."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    mark: ParagraphStyle
    caveat: ParagraphStyle
    ref: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    """Build (once) and return the report's paragraph styles."""
    global _styles
    if _styles is not None:
        return _styles
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    def make(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": SANS,
            "fontSize": 9,
            "leading": 11.5,
            "textColor": colors.HexColor(INK),
            "splitLongWords": 1,
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    body = make("ob-body", spaceAfter=3)
    _styles = Styles(
        body=body,
        small=make("ob-small", fontSize=7.5, leading=9.5),
        muted=make(
            "ob-muted", fontSize=8, leading=10, textColor=colors.HexColor(MUTED)
        ),
        cell=make("ob-cell", fontSize=8, leading=10),
        cell_head=make("ob-cell-head", fontName=SANS_BOLD, fontSize=8, leading=10),
        title=make(
            "ob-title",
            fontName=SANS_BOLD,
            fontSize=17,
            leading=21,
            textColor=colors.HexColor(ACCENT),
            spaceAfter=4,
        ),
        h1=make(
            "ob-h1",
            fontName=SANS_BOLD,
            fontSize=12,
            leading=15,
            textColor=colors.HexColor(ACCENT),
            spaceBefore=10,
            spaceAfter=4,
        ),
        h2=make(
            "ob-h2",
            fontName=SANS_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        h3=make(
            "ob-h3",
            fontName=SANS_BOLD,
            fontSize=9,
            leading=11.5,
            spaceBefore=4,
            spaceAfter=1,
        ),
        mark=make(
            "ob-mark",
            fontName=SANS_BOLD,
            fontSize=10,
            leading=13,
            textColor=colors.HexColor(DEID_RED),
            borderColor=colors.HexColor(DEID_RED),
            borderWidth=1,
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=8,
        ),
        caveat=make(
            "ob-caveat",
            backColor=colors.HexColor(FLAG_BG),
            borderColor=colors.HexColor(FLAG_RULE),
            borderWidth=0.5,
            borderPadding=4,
            spaceBefore=3,
            spaceAfter=7,
        ),
        ref=make(
            "ob-ref",
            fontSize=8,
            leading=10,
            leftIndent=18,
            firstLineIndent=-18,
            spaceAfter=2,
        ),
    )
    return _styles
