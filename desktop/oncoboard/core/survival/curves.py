"""Summaries of a survival curve given on a time grid (pure Python).

Every figure OncoBoard reports for a curve (median with 95% CI, restricted
mean survival time, survival at 12 months) is computed here from the same
gridded curve and its pointwise 95% band, so adjusted and unadjusted curves
are summarised identically.  The per-case functions use plain Python on the
241-point grid so that ``oncoboard match`` does not need to import numpy;
the build-time helpers at the end import it lazily.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

Floats = Sequence[float] | Any
"""A curve's times or probabilities: a sequence or a 1-d numpy array."""

GRID_MAX_MONTHS = 120.0
GRID_STEP_MONTHS = 0.5


def grid_points() -> list[float]:
    """The time grid (months) on which curves are stored: 0 to 120 by 0.5."""
    n = int(round(GRID_MAX_MONTHS / GRID_STEP_MONTHS)) + 1
    return [i * GRID_STEP_MONTHS for i in range(n)]


def default_grid() -> np.ndarray:
    """:func:`grid_points` as a numpy array (build time and cohort models)."""
    import numpy as np

    return np.asarray(grid_points(), dtype=float)


def _seq(values: Floats) -> Sequence[float]:
    """Lists and tuples as they are; anything else (numpy arrays) as a list."""
    return values if isinstance(values, list | tuple) else [float(v) for v in values]


def crossing_time(times: Floats, surv: Floats, level: float = 0.5) -> float | None:
    """Return the first time the curve drops to ``level`` or below.

    Linear interpolation between grid points; ``None`` if the curve stays above
    ``level`` over the whole grid (the quantile is not reached).
    """
    t, s = _seq(times), _seq(surv)
    i = next((k for k, v in enumerate(s) if v <= level), None)
    if i is None:
        return None
    if i == 0:
        return t[0]
    s0, s1 = s[i - 1], s[i]
    if s0 == s1:
        return t[i]
    frac = (s0 - level) / (s0 - s1)
    return t[i - 1] + frac * (t[i] - t[i - 1])


def interp(x: float, times: Floats, values: Floats) -> float:
    """Linear interpolation of ``values`` at ``x`` (clamped at both ends)."""
    t, y = _seq(times), _seq(values)
    if x <= t[0]:
        return y[0]
    if x >= t[-1]:
        return y[-1]
    j = bisect_right(t, x)
    frac = (x - t[j - 1]) / (t[j] - t[j - 1])
    return y[j - 1] + frac * (y[j] - y[j - 1])


def rmst(times: Floats, surv: Floats, horizon: float) -> float:
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
    t, s = _seq(times), _seq(surv)
    if horizon <= 0:
        return 0.0
    if horizon > t[-1] + 1e-9:
        raise ValueError(f"horizon {horizon} lies beyond the curve's grid ({t[-1]})")
    k = bisect_left(t, horizon)  # points strictly below the horizon: t[:k]
    tt = [*t[:k], horizon]
    ss = [*s[:k], interp(horizon, t[: k + 1], s[: k + 1])]
    return sum(
        (tt[i + 1] - tt[i]) * (ss[i + 1] + ss[i]) / 2.0 for i in range(len(tt) - 1)
    )


def surv_at(times: Floats, surv: Floats, at: float) -> float:
    """Return the survival probability at time ``at`` (linear interpolation)."""
    return interp(at, times, surv)


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
    times: Floats,
    surv: Floats,
    lower: Floats | None,
    upper: Floats | None,
    horizon: float,
) -> CurveSummary:
    """Summarise a gridded curve and its band.

    The median's CI is where the band's limits cross 0.5 (the lower limit
    crosses first); an end not reached within the grid is ``None``.
    """
    times, surv = _seq(times), _seq(surv)
    lower = None if lower is None else _seq(lower)
    upper = None if upper is None else _seq(upper)
    median = crossing_time(times, surv)
    median_ci: tuple[float | None, float | None] | None = None
    rmst_ci: tuple[float, float] | None = None
    if lower is not None and upper is not None:
        median_ci = (crossing_time(times, lower), crossing_time(times, upper))
        rmst_ci = (rmst(times, lower, horizon), rmst(times, upper, horizon))
    return CurveSummary(
        median_months=_round(median),
        median_ci=None
        if median_ci is None
        else (_round(median_ci[0]), _round(median_ci[1])),
        rmst_months=round(rmst(times, surv, horizon), 3),
        rmst_ci=None
        if rmst_ci is None
        else (round(rmst_ci[0], 3), round(rmst_ci[1], 3)),
        horizon_months=float(horizon),
        surv_12m=round(surv_at(times, surv, 12.0), 4),
    )


def _round(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(x, 3)


def downsample_steps(
    times: Floats, *series: Floats, max_points: int = 150
) -> tuple[list[float], ...]:
    """Thin a step curve to at most ``max_points`` points, keeping both ends."""
    import numpy as np

    t = np.asarray(times, dtype=float)
    if t.size <= max_points:
        idx = np.arange(t.size)
    else:
        idx = np.unique(np.linspace(0, t.size - 1, max_points).round().astype(int))
    out = [np.round(t[idx], 4).tolist()]
    for s in series:
        out.append(np.round(np.asarray(s, dtype=float)[idx], 5).tolist())
    return tuple(out)


def at_risk_table(times: Floats, every: float = 6.0) -> dict[str, list[float]]:
    """Numbers at risk at multiples of ``every`` months up to the last follow-up.

    Returns
    -------
    dict
        ``{"t": [0, 6, ...], "n": [n0, n6, ...]}``.
    """
    import numpy as np

    t = np.sort(np.asarray(times, dtype=float))
    ticks = np.arange(0.0, float(t[-1]) + 1e-9, every) if t.size else np.array([0.0])
    n = t.size - np.searchsorted(t, ticks, side="left")
    return {"t": ticks.tolist(), "n": [int(v) for v in n]}
