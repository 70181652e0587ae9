"""The report's survival plot: predicted curves drawn with reportlab graphics.

It shows what the GUI's matplotlib figure (``core/survival/plots.py``) shows —
each curve (dashed when it is an approximation), its 95% band, the Kaplan-Meier
steps where patient-level data exist, a legend with the same labels and the
numbers at risk per trial arm under the time axis — as plain vector shapes and
real text in DejaVu, without importing matplotlib (whose import alone cost
`oncoboard report` about 0.6-0.7 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oncoboard.core.report.fonts import SANS
from oncoboard.core.survival.plots import (
    _COLORS,
    _row_label,
    _unique_at_risk,
    check_one_endpoint,
    legend_label,
    observed_part,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.graphics.shapes import Drawing

    from oncoboard.core.survival.predict import CurvePrediction

Y_TOP = 1.02  # headroom above survival 1.0, as in the matplotlib figure
PLOT_HEIGHT = 190.0
TICK_SIZE = 7.5
LABEL_SIZE = 8.5
TITLE_SIZE = 10.0
LEGEND_SIZE = 8.0
RISK_SIZE = 7.0
RISK_LINE = RISK_SIZE + 2.5
LEGEND_LINE = LEGEND_SIZE + 3.0
AXIS_HEIGHT = 30.0  # tick labels and "Months" under the plot
NO_AT_RISK = "not available: published median only, no patient-level data"


def x_axis_max(curves: Sequence[CurvePrediction]) -> float:
    """Right end of the time axis: the largest horizon, at least 24 months."""
    return max([24.0, *(c.horizon_months for c in curves)])


def month_ticks(x_max: float) -> list[float]:
    """Ticks on whole multiples of 1, 2, 3, 6, 12 ... months, at most 6 intervals."""
    step = 1.0
    for step in (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 60.0, 120.0, 240.0):
        if x_max / step <= 6:
            break
    n = int(x_max // step + 1e-9)
    return [i * step for i in range(n + 1)]


def clip_to(
    xs: Sequence[float], ys: Sequence[float], x_max: float
) -> list[tuple[float, float]]:
    """Points with x <= x_max, closed by the linear interpolation at x_max."""
    out: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(zip(xs, ys, strict=False)):
        if x <= x_max:
            out.append((float(x), float(y)))
            continue
        if i > 0 and xs[i - 1] < x_max:
            x0, y0 = float(xs[i - 1]), float(ys[i - 1])
            out.append((x_max, y0 + (y - y0) * (x_max - x0) / (x - x0)))
        break
    return out


def step_points(
    xs: Sequence[float], ys: Sequence[float], x_max: float
) -> list[tuple[float, float]]:
    """A post-step line (Kaplan-Meier) through the points, cut at x_max."""
    out: list[tuple[float, float]] = []
    for x, y in zip(xs, ys, strict=False):
        if x > x_max:
            if out:
                out.append((x_max, out[-1][1]))
            break
        if out:
            out.append((float(x), out[-1][1]))
        out.append((float(x), float(y)))
    return out


def _fit(text: str, size: float, max_width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, SANS, size, max_width) or [""]


def _text(
    x: float, y: float, text: str, size: float, anchor: str = "start", **kw: Any
) -> Any:
    from reportlab.graphics.shapes import String

    return String(x, y, text, fontName=SANS, fontSize=size, textAnchor=anchor, **kw)


@dataclass(frozen=True)
class _Frame:
    """The plot area in drawing coordinates and the data ranges it shows."""

    left: float
    right: float
    bottom: float
    top: float
    x_max: float

    def x(self, t: float) -> float:
        return self.left + (self.right - self.left) * t / self.x_max

    def y(self, s: float) -> float:
        return self.bottom + (self.top - self.bottom) * min(max(s, 0.0), Y_TOP) / Y_TOP

    def coords(self, points: Sequence[tuple[float, float]]) -> list[float]:
        out: list[float] = []
        for t, s in points:
            out += [round(self.x(t), 3), round(self.y(s), 3)]
        return out


ENDPOINT_TITLES = {"PFS": "Progression-free survival", "OS": "Overall survival"}


def y_axis_title(curves: Sequence[CurvePrediction]) -> str:
    """The endpoint the curves show, in words ("Progression-free survival")."""
    endpoints = {c.endpoint for c in curves}
    if len(endpoints) == 1:
        endpoint = next(iter(endpoints))
        if endpoint:
            return ENDPOINT_TITLES.get(str(endpoint), f"{endpoint} probability")
    return "Survival probability"


def _axes(d: Drawing, f: _Frame, y_title: str = "Survival probability") -> None:
    """Light grid, ticks with labels, axis labels."""
    from reportlab.graphics.shapes import Group, Line
    from reportlab.lib import colors

    black, grid = colors.HexColor("#000000"), colors.HexColor("#dedede")
    for t in month_ticks(f.x_max):
        x = f.x(t)
        d.add(Line(x, f.bottom, x, f.top, strokeColor=grid, strokeWidth=0.5))
        d.add(Line(x, f.bottom, x, f.bottom - 3, strokeColor=black, strokeWidth=0.6))
        d.add(_text(x, f.bottom - 11, f"{t:g}", TICK_SIZE, "middle"))
    for i in range(6):
        y = f.y(i / 5)
        d.add(Line(f.left, y, f.right, y, strokeColor=grid, strokeWidth=0.5))
        d.add(Line(f.left - 3, y, f.left, y, strokeColor=black, strokeWidth=0.6))
        d.add(_text(f.left - 5, y - 2.5, f"{i / 5:.1f}", TICK_SIZE, "end"))
    d.add(_text((f.left + f.right) / 2, f.bottom - 24, "Months", LABEL_SIZE, "middle"))
    y_label = Group(_text(0, 0, y_title, LABEL_SIZE, "middle"))
    y_label.translate(f.left - 28, (f.bottom + f.top) / 2)
    y_label.rotate(90)
    d.add(y_label)


def _curves(
    d: Drawing, f: _Frame, curves: Sequence[CurvePrediction], palette: list[Any]
) -> None:
    """Bands first (every line stays on top of every band), then KM steps and curves."""
    from reportlab.graphics.shapes import Polygon, PolyLine, Rect
    from reportlab.lib import colors

    for c, color in zip(curves, palette, strict=True):
        if c.lower is None or c.upper is None:
            continue
        k = observed_part(c)  # no band over the extrapolated tail
        upper, lower = (
            clip_to(c.times[:k], c.upper[:k], f.x_max),
            clip_to(c.times[:k], c.lower[:k], f.x_max),
        )
        if len(upper) >= 2 and len(lower) >= 2:
            d.add(
                Polygon(
                    f.coords(upper + lower[::-1]),
                    fillColor=color,
                    fillOpacity=0.15,
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
    for c, color in zip(curves, palette, strict=True):
        if c.km_times is not None and c.km_survival is not None:
            steps = step_points(c.km_times, c.km_survival, f.x_max)
            if len(steps) >= 2:
                d.add(
                    PolyLine(
                        f.coords(steps),
                        strokeColor=color,
                        strokeWidth=0.8,
                        strokeOpacity=0.7,
                    )
                )
        k = observed_part(c)
        points = clip_to(c.times[:k], c.survival[:k], f.x_max)
        if len(points) >= 2:
            d.add(
                PolyLine(
                    f.coords(points),
                    strokeColor=color,
                    strokeWidth=1.6,
                    strokeLineJoin=1,
                    strokeDashArray=[5.5, 2.5] if c.approximation else None,
                )
            )
        tail = clip_to(c.times[k - 1 :], c.survival[k - 1 :], f.x_max)
        if k < len(c.times) and len(tail) >= 2:  # extrapolated beyond follow-up
            d.add(
                PolyLine(
                    f.coords(tail),
                    strokeColor=color,
                    strokeWidth=1.0,
                    strokeDashArray=[1.0, 2.0],
                )
            )
    d.add(
        Rect(
            f.left,
            f.bottom,
            f.right - f.left,
            f.top - f.bottom,
            fillColor=None,
            strokeColor=colors.HexColor("#000000"),
            strokeWidth=0.6,
        )
    )


def _at_risk(
    d: Drawing,
    f: _Frame,
    y: float,
    rows: Sequence[tuple[CurvePrediction, list[str], Any]],
) -> None:
    """Numbers at risk under the time axis: one row per trial arm, in its curve's colour."""
    d.add(_text(f.left, y - RISK_SIZE, "Numbers at risk (trial data)", RISK_SIZE))
    y -= 12.0
    for row, lines, color in rows:
        base = y - RISK_SIZE
        for k, line in enumerate(lines):
            d.add(_text(f.left - 12, base - k * RISK_LINE, line, RISK_SIZE, "end"))
        if not row.at_risk:  # every arm has a row: say why there are no numbers
            d.add(_text(f.left, base, NO_AT_RISK, RISK_SIZE, fillColor=color))
        at_risk = row.at_risk or {"t": (), "n": ()}
        for t, n in zip(at_risk["t"], at_risk["n"], strict=False):
            if t <= f.x_max:
                d.add(
                    _text(
                        f.x(t), base, str(int(n)), RISK_SIZE, "middle", fillColor=color
                    )
                )
        y -= len(lines) * RISK_LINE


def _legend(
    d: Drawing,
    y: float,
    width: float,
    entries: Sequence[tuple[CurvePrediction, list[str], Any]],
) -> None:
    """Below the plot, centred, one entry per curve with its line style."""
    from reportlab.graphics.shapes import Line
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text_w = max(
        stringWidth(t, SANS, LEGEND_SIZE) for _, lines, _ in entries for t in lines
    )
    x0 = max(4.0, (width - (text_w + 26.0)) / 2)
    for c, lines, color in entries:
        base = y - LEGEND_SIZE
        d.add(
            Line(
                x0,
                base + 2.5,
                x0 + 20,
                base + 2.5,
                strokeColor=color,
                strokeWidth=1.6,
                strokeDashArray=[4.0, 2.0] if c.approximation else None,
            )
        )
        for k, line in enumerate(lines):
            d.add(_text(x0 + 26, base - k * LEGEND_LINE, line, LEGEND_SIZE))
        y -= len(lines) * LEGEND_LINE


def _every_arm(curves: Sequence[CurvePrediction]) -> list[CurvePrediction]:
    """One at-risk row per trial arm: the arms with numbers, then those without."""
    rows = _unique_at_risk(curves)
    seen = {_row_label(r) for r in rows}
    for c in curves:
        if _row_label(c) not in seen:
            seen.add(_row_label(c))
            rows.append(c)
    return rows


def survival_drawing(
    curves: Sequence[CurvePrediction],
    width: float,
    *,
    title: str = "",
    show_at_risk: bool = True,
) -> Drawing:
    """Draw the predicted survival curves of the top options.

    Parameters
    ----------
    curves
        The predictions to draw, in legend order (colours as in the GUI figure).
    width
        Width of the drawing in points; the height follows from the content.
    title
        Title above the plot.
    show_at_risk
        Add the numbers-at-risk rows (one per trial arm with patient-level data).

    Returns
    -------
    reportlab.graphics.shapes.Drawing
        A vector drawing (a platypus flowable).

    Raises
    ------
    ValueError
        If the curves are of more than one endpoint (PFS and OS never share a plot).
    """
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    curves = list(curves)
    check_one_endpoint(curves)
    palette = [colors.HexColor(_COLORS[i % len(_COLORS)]) for i in range(len(curves))]
    risk_rows = _every_arm(curves) if show_at_risk else []
    # room on the left for the y labels and the at-risk row labels
    left = 44.0
    if risk_rows:
        widest = max(stringWidth(_row_label(r), SANS, RISK_SIZE) for r in risk_rows)
        left = max(left, min(widest + 14.0, width * 0.3))
    risk = [
        (r, _fit(_row_label(r), RISK_SIZE, left - 14.0), palette[curves.index(r)])
        for r in risk_rows
    ]
    legend = [
        (c, _fit(legend_label(c), LEGEND_SIZE, width - 40.0), color)
        for c, color in zip(curves, palette, strict=True)
    ]
    title_lines = _fit(title, TITLE_SIZE, width - 8) if title else []
    # heights, from the top
    title_h = len(title_lines) * (TITLE_SIZE + 2.5) + (5.0 if title_lines else 0.0)
    risk_h = 16.0 + sum(len(lines) for _, lines, _ in risk) * RISK_LINE if risk else 0.0
    legend_h = sum(len(lines) for _, lines, _ in legend) * LEGEND_LINE + 6.0
    height = title_h + PLOT_HEIGHT + AXIS_HEIGHT + risk_h + legend_h + 4.0

    d = Drawing(width, height, initialFontName=SANS, initialFontSize=TICK_SIZE)
    top = height - title_h
    f = _Frame(left, width - 12.0, top - PLOT_HEIGHT, top, x_axis_max(curves))
    y = height - TITLE_SIZE - 1.0
    for line in title_lines:
        d.add(_text(width / 2, y, line, TITLE_SIZE, "middle"))
        y -= TITLE_SIZE + 2.5
    _axes(d, f, y_axis_title(curves))
    _curves(d, f, curves, palette)
    y = f.bottom - AXIS_HEIGHT - 2.0
    if risk:
        _at_risk(d, f, y, risk)
        y -= risk_h
    if legend:
        _legend(d, y - 4.0, width, legend)
    return d
