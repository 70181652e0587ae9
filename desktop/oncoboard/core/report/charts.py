"""The serial ctDNA trend: plasma VAF lines, tissue results as separate markers
(a small vector chart drawn with reportlab graphics)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
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


def ctdna_series(
    vaf_series: Mapping[str, Sequence[VafPoint]], specimens: Mapping[str, str]
) -> tuple[dict[str, list[VafPoint]], dict[str, list[VafPoint]]]:
    """(plasma trends, tissue markers): what the PDF and the GUI plot for serial ctDNA.

    Parameters
    ----------
    vaf_series
        ``profiles.vaf_series``: label -> ``(date, sample id, vaf)`` points.
    specimens
        Sample id -> specimen (``"plasma"``, ``"tissue"`` ...).

    Returns
    -------
    tuple
        The plasma series with at least two plasma points (sorted by date), and
        for those labels the tissue points.  Tissue VAFs come from another
        assay: they are drawn as separate labelled markers, never joined to the
        plasma line (a drop from 38% in tissue to 9% in plasma is a change of
        assay, not a response).
    """
    plasma = trend_series(
        {
            label: [p for p in points if specimens.get(p[1]) == "plasma"]
            for label, points in vaf_series.items()
        }
    )
    tissue = {
        label: sorted(p for p in vaf_series[label] if specimens.get(p[1]) == "tissue")
        for label in plasma
    }
    return plasma, {k: v for k, v in tissue.items() if v}


def _date_ticks(
    days: list[dt.date], x_of: Callable[[int], float], min_gap: float
) -> list[dt.date]:
    """The dates to label: every sample date, skipping one closer than ``min_gap``
    points to the one before; the first and the last date are always labelled."""
    out: list[dt.date] = []

    def gap(a: dt.date, b: dt.date) -> float:
        return x_of(b.toordinal()) - x_of(a.toordinal())

    for day in days:
        if not out or gap(out[-1], day) >= min_gap:
            out.append(day)
    if days and out[-1] != days[-1]:
        if len(out) > 1 and gap(out[-1], days[-1]) < min_gap:
            out.pop()
        out.append(days[-1])
    return out


def vaf_trend_drawing(
    series: Mapping[str, Sequence[VafPoint]],
    width: float,
    height: float = 140,
    tissue: Mapping[str, Sequence[VafPoint]] | None = None,
) -> Drawing:
    """Draw plasma VAF (%) against collection date, one line per alteration.

    Parameters
    ----------
    series
        Label -> time-ordered plasma points (use :func:`ctdna_series`).
    width, height
        Size of the drawing in points.
    tissue
        Label -> tissue points, drawn as hollow squares labelled with the sample
        and VAF, in the colour of the label's plasma line and not joined to it.
    """
    from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
    from reportlab.lib import colors

    tissue = {k: list(v) for k, v in (tissue or {}).items() if k in series and v}
    n_legend = len(series) + (1 if tissue else 0)
    legend_h = 10.0 * ((n_legend + 1) // 2) + 4.0  # two columns under the date axis
    total = height + legend_h
    d = Drawing(width, total, initialFontName=SANS, initialFontSize=7)
    left, bottom, right, top = 40.0, 30.0 + legend_h, width - 70.0, total - 16.0
    every = [p for pts in (*series.values(), *tissue.values()) for p in pts]
    dates = sorted({p[0] for p in every})
    ymax = _nice_max(max(p[2] for p in every) * 100 * 1.15)
    d0, d1 = dates[0].toordinal(), dates[-1].toordinal()
    span = max(d1 - d0, 1)

    def x_of(day: int) -> float:
        return left + (right - left) * (day - d0) / span

    def y_of(vaf: float) -> float:
        return bottom + (top - bottom) * (vaf * 100) / ymax

    def legend_at(k: int) -> tuple[float, float]:
        return left + (k % 2) * (width - left) / 2, legend_h - 10.0 * (k // 2) - 8.0

    grey = colors.HexColor("#888888")
    d.add(Line(left, bottom, right, bottom, strokeColor=grey, strokeWidth=0.6))
    d.add(Line(left, bottom, left, top, strokeColor=grey, strokeWidth=0.6))
    for i in range(5):
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
        d.add(String(left - 3, y - 2.5, f"{ymax * i / 4:g}%", fontName=SANS, fontSize=6.5,
                     textAnchor="end"))  # fmt: skip
    for day in dates:
        x = x_of(day.toordinal())
        d.add(Line(x, bottom, x, bottom - 3, strokeColor=grey, strokeWidth=0.6))
    for day in _date_ticks(dates, x_of, 40.0):
        d.add(String(x_of(day.toordinal()), bottom - 11, day.isoformat(), fontName=SANS,
                     fontSize=6.5, textAnchor="middle"))  # fmt: skip
    d.add(String((left + right) / 2, bottom - 24, "Collection date (YYYY-MM-DD)", fontName=SANS,
                 fontSize=7, textAnchor="middle"))  # fmt: skip
    for i, (label, pts) in enumerate(series.items()):
        color = colors.HexColor(PALETTE[i % len(PALETTE)])
        coords: list[float] = []
        for day, _sample, vaf in pts:
            coords += [x_of(day.toordinal()), y_of(vaf)]
        d.add(PolyLine(coords, strokeColor=color, strokeWidth=1.2))
        for j in range(0, len(coords), 2):
            d.add(Rect(coords[j] - 1.8, coords[j + 1] - 1.8, 3.6, 3.6, fillColor=color,
                       strokeColor=None))  # fmt: skip
        for day, sample, vaf in tissue.get(label, ()):
            x, y = x_of(day.toordinal()), y_of(vaf)
            d.add(Rect(x - 2.8, y - 2.8, 5.6, 5.6, fillColor=colors.white, strokeColor=color,
                       strokeWidth=1.2))  # fmt: skip
            d.add(String(x + 5, y + 3, f"tissue {sample}: {vaf * 100:.1f}%", fontName=SANS,
                         fontSize=6.5, fillColor=color))  # fmt: skip
        lx, ly = legend_at(i)
        d.add(Line(lx, ly + 2.5, lx + 14, ly + 2.5, strokeColor=color, strokeWidth=1.2))
        d.add(String(lx + 18, ly, f"{label[:48]} (plasma)", fontName=SANS, fontSize=7))
    if tissue:
        lx, ly = legend_at(len(series))
        d.add(Rect(lx + 4, ly, 5.6, 5.6, fillColor=colors.white, strokeColor=grey,
                   strokeWidth=1.0))  # fmt: skip
        d.add(String(lx + 18, ly, "tissue result (other assay; not joined to plasma)",
                     fontName=SANS, fontSize=7))  # fmt: skip
    d.add(
        String(left, total - 8, "VAF", fontName=SANS, fontSize=7, textAnchor="middle")
    )
    return d
