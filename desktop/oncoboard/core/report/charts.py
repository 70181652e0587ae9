"""The serial plasma VAF trend: a small vector line chart (reportlab graphics)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from oncoboard.core.report.fonts import SANS
from oncoboard.core.report.model import VafPoint

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.graphics.shapes import Drawing

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def trend_series(
    vaf_series: Mapping[str, Sequence[VafPoint]],
) -> dict[str, list[VafPoint]]:
    """Series worth a trend: at least two time points, sorted by date."""
    return {
        label: sorted(points, key=lambda p: (p[0], p[1]))
        for label, points in vaf_series.items()
        if len(points) >= 2
    }


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for mult in (1, 2, 2.5, 5, 10):
        if value <= mult * step:
            return mult * step
    return 10 * step


def vaf_trend_drawing(
    series: Mapping[str, Sequence[VafPoint]], width: float, height: float = 130
) -> Drawing:
    """Draw VAF (%) against collection date, one line per alteration.

    Parameters
    ----------
    series
        Label -> time-ordered points (use :func:`trend_series`).
    width, height
        Size of the drawing in points.
    """
    from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
    from reportlab.lib import colors

    d = Drawing(width, height, initialFontName=SANS, initialFontSize=7)
    legend_w = min(170.0, width * 0.34)
    left, bottom, right, top = 40.0, 30.0, width - legend_w, height - 16.0
    dates = sorted({p[0] for pts in series.values() for p in pts})
    ymax = _nice_max(max(p[2] for pts in series.values() for p in pts) * 100 * 1.1)
    d0, d1 = dates[0].toordinal(), dates[-1].toordinal()
    span = max(d1 - d0, 1)

    def x_of(day: int) -> float:
        return left + (right - left) * (day - d0) / span

    def y_of(vaf: float) -> float:
        return bottom + (top - bottom) * (vaf * 100) / ymax

    grey = colors.HexColor("#888888")
    d.add(Line(left, bottom, right, bottom, strokeColor=grey, strokeWidth=0.6))
    d.add(Line(left, bottom, left, top, strokeColor=grey, strokeWidth=0.6))
    for i in range(5):
        val = ymax * i / 4
        y = bottom + (top - bottom) * i / 4
        d.add(
            Line(
                left,
                y,
                right,
                y,
                strokeColor=colors.HexColor("#e2e2e2"),
                strokeWidth=0.4,
            )
        )
        d.add(
            String(
                left - 3,
                y - 2.5,
                f"{val:g}%",
                fontName=SANS,
                fontSize=6.5,
                textAnchor="end",
            )
        )
    for day in dates:
        x = x_of(day.toordinal())
        d.add(Line(x, bottom, x, bottom - 3, strokeColor=grey, strokeWidth=0.6))
        d.add(
            String(
                x,
                bottom - 11,
                day.isoformat(),
                fontName=SANS,
                fontSize=6.5,
                textAnchor="middle",
            )
        )
    d.add(
        String(
            (left + right) / 2,
            2,
            "Collection date",
            fontName=SANS,
            fontSize=7,
            textAnchor="middle",
        )
    )
    for i, (label, pts) in enumerate(series.items()):
        color = colors.HexColor(PALETTE[i % len(PALETTE)])
        coords: list[float] = []
        for day, _sample, vaf in pts:
            coords += [x_of(day.toordinal()), y_of(vaf)]
        d.add(PolyLine(coords, strokeColor=color, strokeWidth=1.2))
        for j in range(0, len(coords), 2):
            d.add(
                Rect(
                    coords[j] - 1.8,
                    coords[j + 1] - 1.8,
                    3.6,
                    3.6,
                    fillColor=color,
                    strokeColor=None,
                )
            )
        ly = top - 10 * i - 4
        d.add(
            Line(
                right + 10,
                ly + 2.5,
                right + 24,
                ly + 2.5,
                strokeColor=color,
                strokeWidth=1.2,
            )
        )
        d.add(String(right + 28, ly, label[:40], fontName=SANS, fontSize=7))
    d.add(
        String(left, height - 8, "VAF", fontName=SANS, fontSize=7, textAnchor="middle")
    )
    return d
