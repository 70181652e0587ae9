"""Summaries of a survival curve given on a time grid (numpy only).

Every figure OncoBoard reports for a curve (median with 95% CI, restricted
mean survival time, survival at 12 months) is computed here from the same
gridded curve and its pointwise 95% band, so adjusted and unadjusted curves
are summarised identically.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GRID_MAX_MONTHS = 120.0
GRID_STEP_MONTHS = 0.5


def default_grid() -> np.ndarray:
    """Return the time grid (months) on which curves are stored: 0 to 120 by 0.5."""
    n = int(round(GRID_MAX_MONTHS / GRID_STEP_MONTHS)) + 1
    return np.linspace(0.0, GRID_MAX_MONTHS, n)


def crossing_time(times: Sequence[float], surv: Sequence[float], level: float = 0.5) -> float | None:
    """Return the first time the curve drops to ``level`` or below.

    Linear interpolation between grid points; ``None`` if the curve stays above
    ``level`` over the whole grid (the quantile is not reached).
    """
    t = np.asarray(times, dtype=float)
    s = np.asarray(surv, dtype=float)
    below = np.nonzero(s <= level)[0]
    if below.size == 0:
        return None
    i = int(below[0])
    if i == 0:
        return float(t[0])
    s0, s1 = s[i - 1], s[i]
    if s0 == s1:
        return float(t[i])
    frac = (s0 - level) / (s0 - s1)
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def rmst(times: Sequence[float], surv: Sequence[float], horizon: float) -> float:
    """Restricted mean survival time: the area under the curve from 0 to ``horizon``.

    Parameters
    ----------
    times, surv
        A curve on an increasing grid starting at 0.
    horizon
        Upper limit (same unit as ``times``); must lie within the grid.

    Returns
    -------
    float
        The area, by the trapezoid rule (exact for piecewise-linear curves).
    """
    t = np.asarray(times, dtype=float)
    s = np.asarray(surv, dtype=float)
    if horizon <= 0:
        return 0.0
    if horizon > t[-1] + 1e-9:
        raise ValueError(f"horizon {horizon} lies beyond the curve's grid ({t[-1]})")
    inside = t < horizon
    tt = np.append(t[inside], horizon)
    ss = np.append(s[inside], np.interp(horizon, t, s))
    return float(np.sum(np.diff(tt) * (ss[1:] + ss[:-1]) / 2.0))


def surv_at(times: Sequence[float], surv: Sequence[float], at: float) -> float:
    """Return the survival probability at time ``at`` (linear interpolation)."""
    return float(np.interp(at, np.asarray(times, float), np.asarray(surv, float)))


@dataclass(frozen=True)
class CurveSummary:
    """Median with 95% CI, RMST with 95% CI, and survival at 12 months."""

    median_months: float | None
    median_ci: tuple[float | None, float | None] | None
    rmst_months: float
    rmst_ci: tuple[float, float] | None
    horizon_months: float
    surv_12m: float


def summarise(
    times: Sequence[float],
    surv: Sequence[float],
    lower: Sequence[float] | None,
    upper: Sequence[float] | None,
    horizon: float,
) -> CurveSummary:
    """Summarise a gridded curve and its band.

    The median's CI is where the band's limits cross 0.5 (the lower limit
    crosses first); an end not reached within the grid is ``None``.
    """
    median = crossing_time(times, surv)
    median_ci: tuple[float | None, float | None] | None = None
    rmst_ci: tuple[float, float] | None = None
    if lower is not None and upper is not None:
        median_ci = (crossing_time(times, lower), crossing_time(times, upper))
        rmst_ci = (rmst(times, lower, horizon), rmst(times, upper, horizon))
    return CurveSummary(
        median_months=_round(median),
        median_ci=None if median_ci is None else (_round(median_ci[0]), _round(median_ci[1])),
        rmst_months=round(rmst(times, surv, horizon), 3),
        rmst_ci=None if rmst_ci is None else (round(rmst_ci[0], 3), round(rmst_ci[1], 3)),
        horizon_months=float(horizon),
        surv_12m=round(surv_at(times, surv, 12.0), 4),
    )


def _round(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(x, 3)


def downsample_steps(
    times: Sequence[float], *series: Sequence[float], max_points: int = 150
) -> tuple[list[float], ...]:
    """Thin a step curve to at most ``max_points`` points, keeping both ends."""
    t = np.asarray(times, dtype=float)
    if t.size <= max_points:
        idx = np.arange(t.size)
    else:
        idx = np.unique(np.linspace(0, t.size - 1, max_points).round().astype(int))
    out = [np.round(t[idx], 4).tolist()]
    for s in series:
        out.append(np.round(np.asarray(s, dtype=float)[idx], 5).tolist())
    return tuple(out)


def at_risk_table(times: Sequence[float], every: float = 6.0) -> dict[str, list[float]]:
    """Numbers at risk at multiples of ``every`` months up to the last follow-up.

    Returns
    -------
    dict
        ``{"t": [0, 6, ...], "n": [n0, n6, ...]}``.
    """
    t = np.sort(np.asarray(times, dtype=float))
    ticks = np.arange(0.0, float(t[-1]) + 1e-9, every) if t.size else np.array([0.0])
    n = t.size - np.searchsorted(t, ticks, side="left")
    return {"t": ticks.tolist(), "n": [int(v) for v in n]}
