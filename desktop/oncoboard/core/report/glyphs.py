"""Refuse text the report would print wrongly (issue 22, item 14).

reportlab lays text out left to right, glyph by glyph: Hebrew came out in
logical order (reversed), Arabic unshaped, and characters missing from DejaVu
Sans (emoji) as wrong glyphs (😀 -> "ὠ").  Until a bidi and shaping step exists,
a case whose printed text holds right-to-left letters, characters beyond
U+FFFF (reportlab mis-encodes them: the 😀 case) or characters the embedded
fonts cannot draw is refused with the field and the characters named;
a wrong glyph is never printed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from oncoboard.core.errors import Problem, UserInputError

RTL_CLASSES = {
    "R",
    "AL",
    "AN",
    "RLE",
    "RLO",
    "RLI",
}  # right-to-left letters, digits, overrides
ALLOWED_CONTROLS = {"\n", "\t"}
_coverage: frozenset[int] | None = None


def coverage() -> frozenset[int]:
    """Code points every face of the report font (regular, bold, italic) can draw."""
    global _coverage
    if _coverage is None:
        from reportlab.pdfbase import pdfmetrics

        from oncoboard.core.report.fonts import (
            SANS,
            SANS_BOLD,
            SANS_BOLD_ITALIC,
            SANS_ITALIC,
            register_fonts,
        )

        register_fonts()
        faces = [
            set(pdfmetrics.getFont(n).face.charToGlyph)
            for n in (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC)
        ]
        _coverage = frozenset(set.intersection(*faces))
    return _coverage


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def bad_characters(text: str) -> list[str]:
    """Characters of ``text`` the report cannot print correctly, each once, in order."""
    drawable = coverage()
    seen: dict[str, None] = {}
    for char in text:
        if char in ALLOWED_CONTROLS:
            continue
        # beyond U+FFFF reportlab prints a wrong glyph even where the font has one
        if (
            ord(char) > 0xFFFF
            or unicodedata.bidirectional(char) in RTL_CLASSES
            or ord(char) not in drawable
        ):
            seen.setdefault(char)
    return list(seen)


def check_case_text(case: Any, *, deidentified: bool = False) -> None:
    """Raise :class:`UserInputError` naming each field with characters the report would misprint.

    ``extensions`` are never printed; the pseudonym is not printed in a
    de-identified report.
    """
    from oncoboard.core.case.io import case_to_dict

    data = {k: v for k, v in case_to_dict(case).items() if k != "extensions"}
    problems = []
    for path, text in _strings(data, ""):
        if (
            path.endswith("extensions")
            or ".extensions." in path
            or (deidentified and path == "patient.pseudonym")
        ):
            continue
        bad = bad_characters(text)
        if bad:
            shown = ", ".join(_describe(c) for c in bad[:5]) + (
                " ..." if len(bad) > 5 else ""
            )
            problems.append(
                Problem(
                    path,
                    f"holds characters the PDF report cannot print correctly ({shown})",
                )
            )
    if problems:
        raise UserInputError(
            f"case {case.case_id!r}",
            problems,
            hint="Right-to-left scripts (Hebrew, Arabic) and characters missing from the report "
            "font DejaVu Sans (emoji, most CJK) are refused rather than printed wrongly; "
            "write these fields in a left-to-right script.",
        )
