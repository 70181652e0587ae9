"""Parametric survival curves: fits to patient-level data and to summaries.

Extrapolation follows NICE DSU Technical Support Document 14 (Latimer 2011,
updated 2013): the standard families are fitted to each arm, the *same*
family is used for every arm of a trial, and the choice and every family's
AIC and BIC are recorded.  The families (lifelines fitters; Gompertz is a
small :class:`~lifelines.fitters.ParametricUnivariateFitter` written here
because lifelines has none):

=================  =====================================================
family             model
=================  =====================================================
exponential        constant hazard
weibull            monotone hazard
gompertz           hazard ``b exp(a t)``; ``a < 0`` gives a plateau
loglogistic        hazard that can rise then fall
lognormal          hazard that can rise then fall
generalized_gamma  nests exponential, Weibull and log-normal
rp_spline_1knot    Royston-Parmar spline on the log cumulative hazard,
                   boundary knots at the first and last event, one
                   interior knot at the median event time
=================  =====================================================

BIC uses the number of patients as ``n``.  Curves are stored on the time
grid with lifelines' delta-method 95% band.  lifelines is imported inside the
fitting functions only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from oncoboard.core.survival.issues import ConvergenceWarning, SurvivalWarning

FAMILIES = (
    "exponential",
    "weibull",
    "gompertz",
    "loglogistic",
    "lognormal",
    "generalized_gamma",
    "rp_spline_1knot",
)
SELECTION_CRITERION = (
    "lowest AIC summed over the trial's arms (same family for every arm)"
)
Z95 = 1.959963984540054
_MIN_TIME = 1e-3  # months; lifelines needs strictly positive durations


@dataclass(frozen=True)
class FamilyFit:
    """One family fitted to one arm (the lifelines model is kept in memory)."""

    family: str
    params: dict[str, float]
    aic: float
    bic: float
    log_likelihood: float
    model: Any = field(repr=False, compare=False)

    def curve(self, grid: np.ndarray) -> dict[str, list[float]]:
        """The survival curve on ``grid`` with its delta-method 95% band.

        Returns
        -------
        dict
            ``{"t", "s", "lo", "hi"}`` (JSON-safe lists).

        Raises
        ------
        RuntimeError
            If the curve or its band is not finite.
        """
        timeline = grid[grid > 0]
        surv = self.model.survival_function_at_times(timeline).to_numpy(dtype=float)
        self.model.timeline = timeline
        band = self.model.confidence_interval_survival_function_
        lo = band.iloc[:, 0].to_numpy(dtype=float)
        hi = band.iloc[:, 1].to_numpy(dtype=float)
        lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
        if not all(np.all(np.isfinite(a)) for a in (surv, lo, hi)):
            raise RuntimeError(f"{self.family}: non-finite survival or band")
        return {
            "t": _r(grid),
            "s": _r(np.clip(np.concatenate([[1.0], surv]), 0, 1)),
            "lo": _r(np.clip(np.concatenate([[1.0], lo]), 0, 1)),
            "hi": _r(np.clip(np.concatenate([[1.0], hi]), 0, 1)),
        }


@dataclass(frozen=True)
class ArmFits:
    """Every family that could be fitted to one arm."""

    fits: dict[str, FamilyFit]
    warnings: tuple[SurvivalWarning, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ParametricFit:
    """A curve on a grid with its pointwise 95% band (summaries, cohort models)."""

    distribution: str
    params: dict[str, float]
    times: list[float]
    survival: list[float]
    lower: list[float] | None
    upper: list[float] | None


def _gompertz_class() -> type:
    import autograd.numpy as anp
    from lifelines.fitters import ParametricUnivariateFitter

    class GompertzFitter(ParametricUnivariateFitter):  # type: ignore[misc]
        """Gompertz: H(t) = (b / a) (exp(a t) - 1); hazard b exp(a t)."""

        _fitted_parameter_names = ["a_", "b_"]
        _bounds = [(-5.0, 5.0), (1e-9, None)]

        def _create_initial_point(self, Ts: Any, E: Any, *args: Any) -> np.ndarray:
            t = np.asarray(Ts[0] if isinstance(Ts, tuple) else Ts, dtype=float)
            rate = max(float(np.sum(E)) / max(float(np.sum(t)), 1e-9), 1e-4)
            return np.array([0.01, rate])

        def _cumulative_hazard(self, params: Any, times: Any) -> Any:
            a, b = params
            # a == 0 is the exponential limit; keep |a| away from 0 numerically
            a = anp.where(anp.abs(a) < 1e-8, 1e-8, a)
            return b * anp.expm1(a * times) / a

    return GompertzFitter


def _make_fitter(
    family: str, time: np.ndarray, event: np.ndarray
) -> tuple[Any, dict[str, Any]]:
    import lifelines

    simple: dict[str, Callable[[], Any]] = {
        "exponential": lifelines.ExponentialFitter,
        "weibull": lifelines.WeibullFitter,
        "loglogistic": lifelines.LogLogisticFitter,
        "lognormal": lifelines.LogNormalFitter,
        "generalized_gamma": lifelines.GeneralizedGammaFitter,
    }
    if family in simple:
        return simple[family](), {}
    if family == "gompertz":
        return _gompertz_class()(), {}
    if family == "rp_spline_1knot":
        # Started from the Weibull fit (the spline with phi_2 = 0): lifelines'
        # default starting point fails to converge on small or immature arms.
        weibull = lifelines.WeibullFitter().fit(time, event)
        start = np.array([-weibull.rho_ * math.log(weibull.lambda_), weibull.rho_, 0.0])
        knots = np.percentile(time[event.astype(bool)], [0, 50, 100])
        return lifelines.SplineFitter(knots), {"initial_point": start}
    raise ValueError(f"unknown family {family!r}; expected one of {FAMILIES}")


def fit_families(
    time: np.ndarray,
    event: np.ndarray,
    families: Sequence[str] = FAMILIES,
) -> ArmFits:
    """Fit every family to one arm.

    Parameters
    ----------
    time, event
        Follow-up in months and the event indicator (1 = event).
    families
        The families to try (default :data:`FAMILIES`).

    Returns
    -------
    ArmFits
        The families that converged; a :class:`ConvergenceWarning` for each
        one that did not (or that warned while fitting).

    Raises
    ------
    RuntimeError
        If no family could be fitted.
    """
    time = np.maximum(np.asarray(time, dtype=float), _MIN_TIME)
    event = np.asarray(event, dtype=int)
    out: dict[str, FamilyFit] = {}
    issues: list[SurvivalWarning] = []
    for name in families:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model, kwargs = _make_fitter(name, time, event)
                model.fit(time, event, **kwargs)
                out[name] = _family_fit(name, model, time.size)
            except Exception as exc:  # lifelines raises ConvergenceError and others
                issues.append(ConvergenceWarning(f"{name} fit failed: {exc}"))
                continue
        for w in caught:
            issues.append(ConvergenceWarning(f"{name} fit: {w.message}"))
    if not out:
        raise RuntimeError("no parametric family could be fitted")
    return ArmFits(fits=out, warnings=tuple(issues))


def _family_fit(name: str, model: Any, n: int) -> FamilyFit:
    params = {k: float(v) for k, v in model.params_.items()}
    ll = float(model.log_likelihood_)
    if not math.isfinite(ll):
        raise RuntimeError("non-finite log-likelihood")
    k = len(params)
    return FamilyFit(
        family=name,
        params={k_: round(v, 6) for k_, v in params.items()},
        aic=round(-2 * ll + 2 * k, 3),
        bic=round(-2 * ll + k * math.log(n), 3),
        log_likelihood=round(ll, 3),
        model=model,
    )


def choose_family(arms: Sequence[ArmFits]) -> tuple[str, dict[str, dict[str, float]]]:
    """The one family for every arm of a trial: lowest AIC summed over the arms.

    Only families fitted in every arm compete.

    Returns
    -------
    tuple
        The chosen family and ``{family: {"aic": sum, "bic": sum}}`` for every
        competing family.

    Raises
    ------
    RuntimeError
        If no family converged in every arm.
    """
    common = [f for f in FAMILIES if all(f in a.fits for a in arms)]
    if not common:
        raise RuntimeError("no parametric family converged in every arm of the trial")
    totals = {
        f: {
            "aic": round(sum(a.fits[f].aic for a in arms), 3),
            "bic": round(sum(a.fits[f].bic for a in arms), 3),
        }
        for f in common
    }
    best = min(common, key=lambda f: totals[f]["aic"])
    return best, totals


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
    t = np.maximum(np.asarray(grid, dtype=float), 0.0)
    lower = upper = None
    if log_se is not None:
        lower = _r(np.exp(-t / (scale * math.exp(-Z95 * log_se))))
        upper = _r(np.exp(-t / (scale * math.exp(Z95 * log_se))))
    return ParametricFit(
        distribution="exponential",
        params={"lambda_": scale},
        times=_r(grid),
        survival=_r(np.exp(-t / scale)),
        lower=lower,
        upper=upper,
    )


def candidates_table(arm: ArmFits) -> dict[str, dict[str, float]]:
    """``{family: {"aic", "bic"}}`` of one arm (JSON-safe)."""
    return {f: {"aic": v.aic, "bic": v.bic} for f, v in arm.fits.items()}


def _r(a: Any) -> list[float]:
    return np.round(np.asarray(a, dtype=float), 5).tolist()
