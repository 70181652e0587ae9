"""Tables that paginate: wrapped cells, repeated headers, rows split if needed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from oncoboard.core.report.fonts import SANS
from oncoboard.core.report.styles import HEADER_BG, RULE, ZEBRA_BG, styles

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.platypus import Flowable


EMPTY_CELLS = frozenset({"", "-", "–"})


def is_empty(cell: object) -> bool:
    """A cell that says nothing: "", "-" or "–" (markup aside); flowables are never empty."""
    if not isinstance(cell, str):
        return False
    return re.sub(r"<[^>]*>", "", cell).strip() in EMPTY_CELLS


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    total_width: float,
    *,
    drop_empty: bool = True,
) -> Flowable:
    """A full-width table whose header repeats on every page it spans.

    Parameters
    ----------
    header
        Column titles, as Paragraph markup (already escaped).
    rows
        Cells as Paragraph markup (already escaped) or ready flowables.
    widths
        Relative column widths; they are scaled to ``total_width``.
    total_width
        Width available in points.
    drop_empty
        Leave out a column that is empty ("", "-" or "–") in every row; the
        other columns share its width.

    Returns
    -------
    Flowable
        A reportlab ``Table``; every string cell is a wrapping Paragraph and a
        row taller than a page is split across pages.
    """
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = styles()
    if drop_empty and rows:
        keep = [i for i in range(len(header)) if not all(is_empty(r[i]) for r in rows)]
        header = [header[i] for i in keep]
        widths = [widths[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
    scale = total_width / float(sum(widths))
    col_widths = [w * scale for w in widths]
    data: list[list[Flowable]] = [[Paragraph(h, st.cell_head) for h in header]]
    for row in rows:
        data.append([Paragraph(c, st.cell) if isinstance(c, str) else c for c in row])
    table = Table(
        data,
        colWidths=col_widths,
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
        hAlign="LEFT",
    )
    commands: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(RULE)),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.HexColor(RULE)),
        ("FONT", (0, 0), (-1, -1), SANS, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for i in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor(ZEBRA_BG)))
    table.setStyle(TableStyle(commands))
    return table


def key_value_table(
    pairs: Sequence[tuple[str, str]], total_width: float, key_share: float = 0.28
) -> Flowable:
    """A two-column label/value table without a header row.

    Parameters
    ----------
    pairs
        ``(label, value)`` as Paragraph markup (already escaped).
    total_width
        Width available in points.
    key_share
        Fraction of the width given to the label column.
    """
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = styles()
    data = [[Paragraph(k, st.cell_head), Paragraph(v, st.cell)] for k, v in pairs]
    table = Table(
        data,
        colWidths=[total_width * key_share, total_width * (1 - key_share)],
        splitInRow=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table
