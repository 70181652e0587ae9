"""Figures of candidate survival curves for the GUI and the PDF report.

One function, :func:`survival_figure`, builds a :class:`matplotlib.figure.Figure`
without pyplot's global state and without Qt.  The GUI embeds it in a
``FigureCanvasQTAgg``; the report writes it as vector graphics with
:func:`figure_to_svg_bytes` or :func:`figure_to_pdf_bytes`.  matplotlib is
imported inside the functions.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT, needs_cross_trial_caveat
from oncoboard.core.survival.predict import CurvePrediction

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def survival_figure(
    curves: Sequence[CurvePrediction],
    *,
    title: str = "",
    show_at_risk: bool = True,
    width_in: float = 7.0,
    height_in: float = 4.5,
    x_max_months: float | None = None,
    show_caveat: bool = True,
) -> Figure:
    """Plot predicted curves with 95% bands and, where available, numbers at risk.

    Parameters
    ----------
    curves
        The predictions to draw, in legend order.
    title
        Figure title.
    show_at_risk
        Add a numbers-at-risk table for curves with patient-level data.
    width_in, height_in
        Figure size in inches.
    x_max_months
        Right end of the time axis; default: the largest horizon, at least 24.
    show_caveat
        Draw the cross-trial caveat above the plot when curves come from several
        trials (turn off where the page prints the caveat itself, e.g. the report).

    Returns
    -------
    matplotlib.figure.Figure
        A figure not attached to pyplot (embed it or save it).

    Raises
    ------
    ValueError
        If the curves are of more than one endpoint (PFS and OS are never
        drawn on one plot; use :func:`split_by_endpoint`).
    """
    from matplotlib.figure import Figure

    check_one_endpoint(curves)
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    # One at-risk row per arm; arms without patient-level data say so in their row.
    risk_rows = _risk_rows(curves) if show_at_risk and _unique_at_risk(curves) else []
    sources = [c.trial or c.source.split(";")[0] for c in curves]
    caveat = show_caveat and needs_cross_trial_caveat(sources)
    if risk_rows:
        grid = fig.add_gridspec(2, 1, height_ratios=[4, 0.35 + 0.3 * len(risk_rows)])
        ax = fig.add_subplot(grid[0])
        ax_risk = fig.add_subplot(grid[1], sharex=ax)
    else:
        ax = fig.add_subplot(1, 1, 1)
        ax_risk = None
    x_max = x_max_months or max([24.0, *(c.horizon_months for c in curves)])
    for i, c in enumerate(curves):
        _draw_curve(ax, c, _COLORS[i % len(_COLORS)])
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 1.02)
    endpoint = curves[0].endpoint if curves else ""
    ax.set_ylabel(f"{endpoint} probability (trial population)".strip())
    ax.set_xlabel("Months")
    ax.grid(True, alpha=0.3)
    if curves:
        # Below the plot: inside the axes the labels covered the curves.
        fig.legend(loc="outside lower center", fontsize="small", frameon=False, ncols=1)
    if title:
        ax.set_title(title)
    if ax_risk is not None:
        _draw_at_risk(ax_risk, risk_rows, curves, x_max)
    if caveat:
        # Above the plot, apart from the legend below it (they overlapped at the bottom).
        fig.text(
            0.01,
            0.995,
            _wrap(CROSS_TRIAL_CAVEAT, 150),
            fontsize=6,
            va="top",
            ha="left",
            color="#444444",
        )
        # reserve ~0.3 inch at the top for the two caveat lines
        top = min(0.15, 0.3 / height_in)
        engine = fig.get_layout_engine()
        engine.set(rect=(0, 0, 1, 1 - top))  # type: ignore[union-attr,call-arg]
    return fig


def legend_label(c: CurvePrediction) -> str:
    """The legend text of a curve (shared with the report's chart)."""
    label = c.label + (" (cohort model)" if c.basis == "cohort" else "")
    if c.approximation:
        label += " [approx.]"
    if c.followup_months is not None:
        label += f"; dotted: extrapolated beyond {c.followup_months:.1f} mo"
    return label


def observed_part(c: CurvePrediction) -> int:
    """Number of grid points within follow-up (all of them when it is unknown)."""
    if c.followup_months is None:
        return len(c.times)
    return sum(1 for t in c.times if t <= c.followup_months) + 1


def check_one_endpoint(curves: Sequence[CurvePrediction]) -> None:
    """Raise ``ValueError`` if the curves are of more than one endpoint."""
    endpoints = sorted({c.endpoint for c in curves})
    if len(endpoints) > 1:
        raise ValueError(
            f"curves of {', '.join(endpoints)} on one plot: PFS and OS are never "
            "drawn together; split them with split_by_endpoint()"
        )


def split_by_endpoint(
    curves: Sequence[CurvePrediction],
) -> dict[str, list[CurvePrediction]]:
    """The curves grouped by endpoint, in order of first appearance."""
    out: dict[str, list[CurvePrediction]] = {}
    for c in curves:
        out.setdefault(c.endpoint, []).append(c)
    return out


def _draw_curve(ax: Axes, c: CurvePrediction, color: str) -> None:
    style = "--" if c.approximation else "-"
    k = observed_part(c)
    ax.plot(
        c.times[:k], c.survival[:k], style, color=color, lw=1.8, label=legend_label(c)
    )
    if k < len(c.times):  # the parametric tail beyond follow-up: marked, no band
        ax.plot(c.times[k - 1 :], c.survival[k - 1 :], ":", color=color, lw=1.2)
    if c.lower is not None and c.upper is not None:
        ax.fill_between(
            c.times[:k], c.lower[:k], c.upper[:k], color=color, alpha=0.15, lw=0
        )
    if c.km_times is not None and c.km_survival is not None:
        ax.step(c.km_times, c.km_survival, where="post", color=color, lw=0.8, alpha=0.7)


def _draw_at_risk(
    ax: Axes,
    rows: Sequence[CurvePrediction],
    curves: Sequence[CurvePrediction],
    x_max: float,
) -> None:
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_row_label(r) for r in reversed(rows)], fontsize=7)
    ax.tick_params(axis="both", labelbottom=False, length=0)
    ax.tick_params(axis="y", pad=12)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title("Numbers at risk (trial data)", fontsize=7, loc="left")
    for y, row in enumerate(reversed(rows)):
        color = _COLORS[list(curves).index(row) % len(_COLORS)]
        if row.at_risk is None:
            ax.text(
                0,
                y,
                "not available: no patient-level data",
                ha="left",
                va="center",
                fontsize=7,
                color=color,
            )
            continue
        for t, n in zip(row.at_risk["t"], row.at_risk["n"], strict=False):
            if t <= x_max:
                ax.text(
                    t, y, str(int(n)), ha="center", va="center", fontsize=7, color=color
                )


def _row_label(c: CurvePrediction) -> str:
    arm = c.label.split(" (")[0]
    return f"{arm} ({c.trial})" if c.trial else arm


def _unique_at_risk(curves: Sequence[CurvePrediction]) -> list[CurvePrediction]:
    """Curves with numbers at risk, one row per trial arm."""
    return _risk_rows([c for c in curves if c.at_risk])


def _risk_rows(curves: Sequence[CurvePrediction]) -> list[CurvePrediction]:
    """Every arm once (by label), with or without numbers at risk."""
    seen: set[str] = set()
    rows = []
    for c in curves:
        if _row_label(c) not in seen:
            seen.add(_row_label(c))
            rows.append(c)
    return rows


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def figure_to_svg_bytes(fig: Figure) -> bytes:
    """Render a figure as SVG (vector) bytes without touching its canvas."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def figure_to_pdf_bytes(fig: Figure) -> bytes:
    """Render a figure as a one-page PDF (vector) without touching its canvas."""
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    return buf.getvalue()


def figure_to_png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """Render a figure as PNG bytes (raster, for previews)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
