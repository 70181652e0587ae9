"""Fit trial-derived survival curves at knowledge-base build time.

For every time-to-event outcome of every KB entry:

* with reconstructed patient-level data (``outcome.kmdata``): Kaplan-Meier
  (lifelines) for display and numbers at risk, plus exponential, Weibull,
  log-normal and log-logistic fits; the lowest AIC is kept for extrapolation
  and for every reported figure (method ``reconstructed-ipd``);
* with only a published median (and CI): an exponential curve with that median
  and a band from the CI; the comparator arm through the reported hazard ratio
  (method ``published-summary``, always marked as an approximation).

The result is a list of JSON-serialisable dicts that the KB build stores; cases
never refit them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from oncoboard.core.kb.schema import Entry, KmLink, Outcome
from oncoboard.core.survival import curves, parametric
from oncoboard.core.survival.issues import (
    ApproximationWarning,
    DataWarning,
    ExtrapolationWarning,
    SurvivalWarning,
)
from oncoboard.core.survival.jobs import CancelledFn, ProgressFn, step

TIME_TO_EVENT_ENDPOINTS = ("PFS", "OS", "DFS", "iDFS", "EFS")
FIT_SCHEMA = "oncoboard.survival-fit/1"


def fit_kb_outcomes(
    entries: Sequence[Entry],
    kmdata_dir: Path,
    *,
    horizon_months: float = 24.0,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> list[dict[str, Any]]:
    """Fit every time-to-event outcome of the given KB entries.

    Parameters
    ----------
    entries
        Validated KB entries.
    kmdata_dir
        The ``survival/kmdata_ipd`` folder of the shared data (read only when
        an outcome links to kmdata).
    horizon_months
        Horizon of the stored RMST (cases may ask for another one).
    progress, cancelled
        Optional progress callback and cancellation check.

    Returns
    -------
    list of dict
        One dict per (entry, outcome, arm); see ``docs/survival.md``.

    Raises
    ------
    UserInputError
        If an outcome links to a kmdata dataset or arm that does not exist.
    JobCancelled
        If ``cancelled()`` turns true.
    """
    todo = [
        (entry, i, outcome)
        for entry in entries
        for i, outcome in enumerate(entry.outcomes)
        if outcome.endpoint in TIME_TO_EVENT_ENDPOINTS
    ]
    km = None
    grid = curves.default_grid()
    fits: list[dict[str, Any]] = []
    for k, (entry, i, outcome) in enumerate(todo):
        step(progress, cancelled, k / max(len(todo), 1), f"{entry.id}: {outcome.trial}")
        if outcome.kmdata:
            if km is None:
                from oncoboard.core.survival.kmdata import KmData

                km = KmData(Path(kmdata_dir))
            for j, link in enumerate(outcome.kmdata):
                role = _role(link, outcome, entry)
                where = f"{entry.id}.outcomes[{i}].kmdata[{j}]"
                data = km.arm(link.dataset, link.arm, where)
                fit = _fit_ipd_arm(
                    entry, outcome, link, role, data, grid, horizon_months
                )
                fit["baseline"] = km.population(outcome.trial, link.arm)
                fits.append(fit)
        elif outcome.median_months is not None:
            fits.extend(_fit_published(entry, outcome, grid, horizon_months))
    step(progress, cancelled, 1.0, f"fitted {len(fits)} curves")
    return fits


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _role(link: KmLink, outcome: Outcome, entry: Entry) -> str:
    """Experimental if the arm names the most of the entry's drugs (or is arms[0])."""

    def score(arm: str) -> tuple[int, int]:
        words = _norm(arm)
        drugs = sum(1 for d in entry.therapy if _norm(d) in words)
        first = int(bool(outcome.arms) and _norm(outcome.arms[0]) == words)
        return drugs, first

    best = max(score(other.arm) for other in outcome.kmdata)
    mine = score(link.arm)
    if mine == best and mine != (0, 0):
        return "experimental"
    if best == (0, 0) and link == outcome.kmdata[0]:
        return "experimental"
    return "comparator"


def _base(entry: Entry, outcome: Outcome, arm: str, role: str) -> dict[str, Any]:
    return {
        "schema": FIT_SCHEMA,
        "entry_id": entry.id,
        "trial": outcome.trial,
        "endpoint": outcome.endpoint,
        "arm": arm,
        "role": role,
        "citation": outcome.citation.render(),
        "trial_population": outcome.population,
        "line": outcome.line,
    }


def _summary_fields(pfit: parametric.ParametricFit, horizon: float) -> dict[str, Any]:
    s = curves.summarise(pfit.times, pfit.survival, pfit.lower, pfit.upper, horizon)
    return {
        "distribution": pfit.distribution,
        "params": {k: round(v, 6) for k, v in pfit.params.items()},
        "aic": pfit.aic,
        "candidates_aic": pfit.candidates_aic,
        "median_months": s.median_months,
        "median_ci": list(s.median_ci) if s.median_ci else None,
        "rmst_months": s.rmst_months,
        "rmst_ci": list(s.rmst_ci) if s.rmst_ci else None,
        "horizon_months": horizon,
        "surv_12m": s.surv_12m,
        "curve": {
            "t": pfit.times,
            "s": pfit.survival,
            "lo": pfit.lower,
            "hi": pfit.upper,
        },
    }


def _fit_ipd_arm(
    entry: Entry,
    outcome: Outcome,
    link: KmLink,
    role: str,
    data: Any,
    grid: np.ndarray,
    horizon: float,
) -> dict[str, Any]:
    from lifelines import KaplanMeierFitter

    pfit = parametric.fit_ipd(data.time, data.event, grid)
    kmf = KaplanMeierFitter().fit(data.time, data.event)
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    t_km, s_km, lo_km, hi_km = curves.downsample_steps(
        sf.index.to_numpy(),
        sf.to_numpy(),
        ci.iloc[:, 0].to_numpy(),
        ci.iloc[:, 1].to_numpy(),
    )
    issues: list[SurvivalWarning] = list(pfit.warnings)
    followup = float(np.max(data.time))
    if horizon > followup:
        issues.append(
            ExtrapolationWarning(
                f"{outcome.trial} {link.arm}: follow-up ends at {followup:.1f} months; "
                f"the RMST to {horizon:g} months uses the {pfit.distribution} tail"
            )
        )
    if data.event_type and data.event_type != outcome.endpoint:
        issues.append(
            DataWarning(
                f"kmdata {link.dataset} is a {data.event_type} curve but the outcome "
                f"is {outcome.endpoint}"
            )
        )
    km_median = kmf.median_survival_time_
    fit = _base(entry, outcome, link.arm, role)
    fit.update(
        method="reconstructed-ipd",
        approximation=False,
        kmdata_dataset=link.dataset,
        n=int(data.time.size),
        events=int(data.event.sum()),
        max_followup_months=round(followup, 3),
        km_median_months=None if math.isinf(km_median) else round(float(km_median), 3),
        km={"t": t_km, "s": s_km, "lo": lo_km, "hi": hi_km},
        at_risk=curves.at_risk_table(data.time),
        **_summary_fields(pfit, horizon),
    )
    fit["warnings"] = [w.to_dict() for w in issues]
    return fit


def _fit_published(
    entry: Entry, outcome: Outcome, grid: np.ndarray, horizon: float
) -> list[dict[str, Any]]:
    assert outcome.median_months is not None
    note = (
        f"{outcome.trial}: exponential curve matched to the published median; "
        "an approximation, not patient-level data"
    )
    log_se = parametric.log_se_from_ci(outcome.median_months, outcome.median_ci)
    exp_arm = outcome.arms[0]
    out = [
        _published_fit(
            entry,
            outcome,
            exp_arm,
            "experimental",
            outcome.median_months,
            log_se,
            grid,
            horizon,
            note,
        )
    ]
    comparator = _comparator_median(outcome, log_se)
    if comparator is not None:
        median, se, how = comparator
        arm = outcome.arms[1] if len(outcome.arms) > 1 else "comparator"
        out.append(
            _published_fit(
                entry,
                outcome,
                arm,
                "comparator",
                median,
                se,
                grid,
                horizon,
                f"{note}; comparator {how}",
            )
        )
    return out


def _comparator_median(
    outcome: Outcome, log_se: float | None
) -> tuple[float, float | None, str] | None:
    """Comparator median and log-SE: through the HR if reported, else as published."""
    assert outcome.median_months is not None
    if outcome.hr is not None:
        median = outcome.median_months * outcome.hr  # exponential: median ~ 1 / hazard
        se_hr = None
        if outcome.hr_ci is not None and 0 < outcome.hr_ci[0] < outcome.hr_ci[1]:
            se_hr = math.log(outcome.hr_ci[1] / outcome.hr_ci[0]) / (2 * parametric.Z95)
        se = None if log_se is None or se_hr is None else math.hypot(log_se, se_hr)
        return median, se, f"derived through the reported HR {outcome.hr:g}"
    if outcome.comparator_median_months is not None:
        se = parametric.log_se_from_ci(
            outcome.comparator_median_months, outcome.comparator_ci
        )
        return outcome.comparator_median_months, se, "from its published median (no HR)"
    return None


def _published_fit(
    entry: Entry,
    outcome: Outcome,
    arm: str,
    role: str,
    median: float,
    log_se: float | None,
    grid: np.ndarray,
    horizon: float,
    note: str,
) -> dict[str, Any]:
    pfit = parametric.exponential_from_median(median, log_se, grid)
    fit = _base(entry, outcome, arm, role)
    fit.update(
        method="published-summary",
        approximation=True,
        kmdata_dataset=None,
        n=outcome.n,
        events=None,
        max_followup_months=None,
        km_median_months=None,
        km=None,
        at_risk=None,
        baseline=None,
        **_summary_fields(pfit, horizon),
    )
    issues: list[SurvivalWarning] = [ApproximationWarning(note)]
    if log_se is None:
        issues.append(
            ApproximationWarning(f"{outcome.trial} {arm}: no usable CI; no band")
        )
    fit["warnings"] = [w.to_dict() for w in issues]
    return fit
