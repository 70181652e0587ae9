"""Parametric survival curves: fits to patient-level data and to summaries.

Parameters use lifelines' conventions (months):

============  ======================  ===================================
distribution  parameters              survival function S(t)
============  ======================  ===================================
exponential   ``lambda_``             exp(-t / lambda_)
weibull       ``lambda_``, ``rho_``   exp(-(t / lambda_) ** rho_)
lognormal     ``mu_``, ``sigma_``     1 - Phi((log t - mu_) / sigma_)
loglogistic   ``alpha_``, ``beta_``   1 / (1 + (t / alpha_) ** beta_)
============  ======================  ===================================

lifelines is imported inside :func:`fit_ipd` only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from oncoboard.core.survival.issues import ConvergenceWarning, SurvivalWarning

DISTRIBUTIONS = ("exponential", "weibull", "lognormal", "loglogistic")
Z95 = 1.959963984540054
_MIN_TIME = 1e-3  # months; lifelines needs strictly positive durations


def survival_function(
    distribution: str, params: dict[str, float], t: np.ndarray
) -> np.ndarray:
    """Evaluate a fitted parametric survival function (numpy only).

    Parameters
    ----------
    distribution
        One of :data:`DISTRIBUTIONS`.
    params
        Parameters in lifelines' naming (see the module docstring).
    t
        Times in months.

    Returns
    -------
    numpy.ndarray
        S(t), with S(0) = 1.
    """
    t = np.maximum(np.asarray(t, dtype=float), 0.0)
    with np.errstate(divide="ignore"):
        if distribution == "exponential":
            return np.exp(-t / params["lambda_"])
        if distribution == "weibull":
            return np.exp(-((t / params["lambda_"]) ** params["rho_"]))
        if distribution == "loglogistic":
            return 1.0 / (1.0 + (t / params["alpha_"]) ** params["beta_"])
        if distribution == "lognormal":
            from scipy.special import ndtr

            z = (np.log(np.where(t > 0, t, 1e-300)) - params["mu_"]) / params["sigma_"]
            return np.where(t > 0, 1.0 - ndtr(z), 1.0)
    raise ValueError(f"unknown distribution {distribution!r}; expected {DISTRIBUTIONS}")


@dataclass(frozen=True)
class ParametricFit:
    """A parametric curve on a grid with its pointwise 95% band."""

    distribution: str
    params: dict[str, float]
    aic: float | None
    candidates_aic: dict[str, float]
    times: list[float]
    survival: list[float]
    lower: list[float] | None
    upper: list[float] | None
    warnings: tuple[SurvivalWarning, ...] = field(default_factory=tuple)


def _fitters() -> dict[str, Callable[[], object]]:
    from lifelines import (
        ExponentialFitter,
        LogLogisticFitter,
        LogNormalFitter,
        WeibullFitter,
    )

    return {
        "exponential": ExponentialFitter,
        "weibull": WeibullFitter,
        "lognormal": LogNormalFitter,
        "loglogistic": LogLogisticFitter,
    }


def fit_ipd(time: np.ndarray, event: np.ndarray, grid: np.ndarray) -> ParametricFit:
    """Fit the four parametric families and keep the one with the lowest AIC.

    Parameters
    ----------
    time, event
        Follow-up in months and the event indicator (1 = event).
    grid
        Times (starting at 0) at which the chosen curve and its delta-method
        95% band are stored.

    Returns
    -------
    ParametricFit
        The chosen family, its parameters, every family's AIC, and the curve.
    """
    time = np.maximum(np.asarray(time, dtype=float), _MIN_TIME)
    event = np.asarray(event, dtype=int)
    timeline = grid[grid > 0]
    fitted: dict[str, object] = {}
    issues: list[SurvivalWarning] = []
    for name, cls in _fitters().items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fitted[name] = cls().fit(time, event, timeline=timeline)  # type: ignore[attr-defined]
            except Exception as exc:  # lifelines raises ConvergenceError and others
                issues.append(ConvergenceWarning(f"{name} fit failed: {exc}"))
                continue
        for w in caught:
            issues.append(ConvergenceWarning(f"{name} fit: {w.message}"))
    if not fitted:
        raise RuntimeError("no parametric family could be fitted")
    aics = {name: float(f.AIC_) for name, f in fitted.items()}  # type: ignore[attr-defined]
    best = min(aics, key=lambda k: aics[k])
    model = fitted[best]
    params = {k: float(v) for k, v in model.params_.items()}  # type: ignore[attr-defined]
    surv = survival_function(best, params, grid)
    band = model.confidence_interval_survival_function_  # type: ignore[attr-defined]
    lower = np.concatenate([[1.0], band.iloc[:, 0].to_numpy(dtype=float)])
    upper = np.concatenate([[1.0], band.iloc[:, 1].to_numpy(dtype=float)])
    lower, upper = np.minimum(lower, upper), np.maximum(lower, upper)
    return ParametricFit(
        distribution=best,
        params=params,
        aic=round(aics[best], 3),
        candidates_aic={k: round(v, 3) for k, v in aics.items()},
        times=_r(grid),
        survival=_r(surv),
        lower=_r(np.clip(lower, 0, 1)),
        upper=_r(np.clip(upper, 0, 1)),
        warnings=tuple(issues),
    )


def log_se_from_ci(
    median: float, ci: tuple[float | None, float | None] | None
) -> float | None:
    """Standard error of log(median) implied by a reported 95% CI.

    Uses both ends when available, else the one reported end; ``None`` when
    the CI is missing or inconsistent with the median.
    """
    if ci is None:
        return None
    lo, hi = ci
    if lo is not None and hi is not None and 0 < lo < hi:
        return (math.log(hi) - math.log(lo)) / (2 * Z95)
    if lo is not None and 0 < lo < median:
        return (math.log(median) - math.log(lo)) / Z95
    if hi is not None and hi > median > 0:
        return (math.log(hi) - math.log(median)) / Z95
    return None


def exponential_from_median(
    median: float, log_se: float | None, grid: np.ndarray
) -> ParametricFit:
    """The exponential curve with the given median, and a band from its CI.

    Under an exponential model the median is ``log(2) * lambda_``, and
    ``log(median)`` has standard error ``log_se``; the band is the curve at
    ``median * exp(+/- 1.96 log_se)``.  Used when only a published median (and
    CI) exist; always an approximation.
    """
    if not median > 0:
        raise ValueError(f"median must be positive, got {median!r}")
    scale = median / math.log(2.0)
    surv = survival_function("exponential", {"lambda_": scale}, grid)
    lower = upper = None
    if log_se is not None:
        lower = _r(
            survival_function(
                "exponential", {"lambda_": scale * math.exp(-Z95 * log_se)}, grid
            )
        )
        upper = _r(
            survival_function(
                "exponential", {"lambda_": scale * math.exp(Z95 * log_se)}, grid
            )
        )
    return ParametricFit(
        distribution="exponential",
        params={"lambda_": scale},
        aic=None,
        candidates_aic={},
        times=_r(grid),
        survival=_r(surv),
        lower=lower,
        upper=upper,
    )


def _r(a: np.ndarray) -> list[float]:
    return np.round(np.asarray(a, dtype=float), 5).tolist()
