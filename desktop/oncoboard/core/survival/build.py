"""Fit trial-derived survival curves at knowledge-base build time.

For every time-to-event outcome of every KB entry:

* with reconstructed patient-level data (``outcome.kmdata``): Kaplan-Meier
  (lifelines) for every reported figure within follow-up (median with its
  CI, RMST with its CI, survival at 12 months), and the NICE DSU TSD 14
  families (:mod:`~oncoboard.core.survival.parametric`) fitted to every arm;
  one family for all the arms of the trial (lowest summed AIC), recorded
  with every family's AIC and BIC.  The parametric curve is used only to draw
  the extrapolation beyond follow-up, which is marked as such; no figure is
  reported beyond the trial's maximum follow-up (method
  ``reconstructed-ipd``).  Each link is checked against the curated published
  figures (:mod:`~oncoboard.core.survival.reconstruction`): an unexplained
  difference over 10% fails the build.
* with only a published median (and CI): the published median and CI as
  reported (an open end stays open), and an exponential curve with that
  median for display and for the RMST (method ``published-summary``, always
  an approximation).  The comparator is its own published median when there
  is one, else derived through the reported hazard ratio.  Figures beyond the
  curated follow-up are not reported; without a curated follow-up a warning
  says so.

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

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.kb.schema import Entry, KmLink, Outcome
from oncoboard.core.survival import curves, parametric, reconstruction
from oncoboard.core.survival.issues import (
    ApproximationWarning,
    ConvergenceWarning,
    DataWarning,
    ExtrapolationWarning,
    FollowupWarning,
    SurvivalWarning,
)
from oncoboard.core.survival.jobs import CancelledFn, ProgressFn, step

TIME_TO_EVENT_ENDPOINTS = ("PFS", "OS", "DFS", "iDFS", "EFS")
FIT_SCHEMA = "oncoboard.survival-fit/2"
HORIZONS_MONTHS = (6.0, 12.0, 18.0, 24.0, 36.0, 48.0, 60.0)
"""RMST horizons stored at build time (a case may ask for any of them)."""


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
        The RMST horizon copied to ``rmst_months`` (one of :data:`HORIZONS_MONTHS`).
    progress, cancelled
        Optional progress callback and cancellation check.

    Returns
    -------
    list of dict
        One dict per (entry, outcome, arm); see ``docs/survival.md``.

    Raises
    ------
    UserInputError
        If an outcome links to a kmdata dataset or arm that does not exist, or
        a reconstruction differs from the published figures without a
        recorded reason.
    JobCancelled
        If ``cancelled()`` turns true.
    """
    if horizon_months not in HORIZONS_MONTHS:
        raise ValueError(f"horizon_months must be one of {HORIZONS_MONTHS}")
    todo = [
        (entry, i, outcome)
        for entry in entries
        for i, outcome in enumerate(entry.outcomes)
        if outcome.endpoint in TIME_TO_EVENT_ENDPOINTS
    ]
    km = None
    grid = curves.default_grid()
    fits: list[dict[str, Any]] = []
    problems: list[Problem] = []
    cache: dict[tuple[str, str], Any] = {}  # (dataset, arm) -> fits, shared by entries
    for k, (entry, i, outcome) in enumerate(todo):
        step(progress, cancelled, k / max(len(todo), 1), f"{entry.id}: {outcome.trial}")
        if outcome.kmdata:
            if km is None:
                from oncoboard.core.survival.kmdata import KmData

                km = KmData(Path(kmdata_dir))
            new, found = _fit_ipd_outcome(
                entry, i, outcome, km, grid, horizon_months, cache
            )
            fits.extend(new)
            problems.extend(found)
        elif outcome.median_months is not None:
            fits.extend(_fit_published(entry, outcome, grid, horizon_months))
    if problems:
        raise UserInputError(
            Path(kmdata_dir),
            problems,
            hint="reconstruction check (docs/survival.md, section 1)",
        )
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
        "trial_n": outcome.n,
    }


# -- reconstructed patient-level data -------------------------------------------


def _km_summary(time: np.ndarray, event: np.ndarray) -> dict[str, Any]:
    """Kaplan-Meier figures within follow-up (lifelines), JSON-safe."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    kmf = KaplanMeierFitter().fit(time, event)
    followup = float(np.max(time))
    median = float(kmf.median_survival_time_)
    ci = median_survival_times(kmf.confidence_interval_).iloc[0]
    median_ci = [_finite(ci.iloc[0]), _finite(ci.iloc[1])]
    rmst: dict[str, list[float]] = {}
    for h in HORIZONS_MONTHS:
        if h > followup:
            continue
        est, var = km_rmst(time, event, h)
        half = parametric.Z95 * math.sqrt(max(var, 0.0))
        rmst[f"{h:g}"] = [
            round(float(est), 3),
            round(max(0.0, float(est) - half), 3),
            round(min(h, float(est) + half), 3),
        ]
    sf = kmf.survival_function_.iloc[:, 0]
    band = kmf.confidence_interval_
    t_km, s_km, lo_km, hi_km = curves.downsample_steps(
        sf.index.to_numpy(),
        sf.to_numpy(),
        band.iloc[:, 0].to_numpy(),
        band.iloc[:, 1].to_numpy(),
    )
    surv_12 = float(kmf.predict(12.0)) if followup >= 12.0 else None
    return {
        "median_months": None if math.isinf(median) else round(median, 3),
        "median_ci": None if math.isinf(median) else median_ci,
        "rmst_by_horizon": rmst,
        "surv_12m": None if surv_12 is None else round(surv_12, 4),
        "km": {"t": t_km, "s": s_km, "lo": lo_km, "hi": hi_km},
        "max_followup_months": round(followup, 3),
    }


def km_rmst(time: np.ndarray, event: np.ndarray, horizon: float) -> tuple[float, float]:
    """Kaplan-Meier RMST to ``horizon`` and its variance.

    The variance is the Greenwood-type estimator
    ``sum_i A_i**2 d_i / (n_i (n_i - d_i))`` with ``A_i`` the area under the
    KM curve from event time ``t_i`` to the horizon (Klein & Moeschberger,
    Survival Analysis, 2nd ed., section 4.5).
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=int)
    times = np.unique(t[(e == 1) & (t <= horizon)])
    n = np.array([(t >= u).sum() for u in times], dtype=float)
    d = np.array([((t == u) & (e == 1)).sum() for u in times], dtype=float)
    surv = np.cumprod(1.0 - d / n)
    knots = np.concatenate([[0.0], times, [horizon]])
    levels = np.concatenate([[1.0], surv])
    areas = levels * np.diff(knots)  # area of each flat step
    rmst = float(areas.sum())
    tail = np.cumsum(areas[::-1])[::-1][1:]  # area from each event time to horizon
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, tail**2 * d / (n * (n - d)), 0.0)
    return rmst, float(terms.sum())


def _finite(x: float) -> float | None:
    x = float(x)
    return None if math.isinf(x) or math.isnan(x) else round(x, 3)


def _fit_ipd_outcome(
    entry: Entry,
    index: int,
    outcome: Outcome,
    km: Any,
    grid: np.ndarray,
    horizon: float,
    cache: dict[tuple[str, str], Any],
) -> tuple[list[dict[str, Any]], list[Problem]]:
    arms = []
    for j, link in enumerate(outcome.kmdata):
        where = f"{entry.id}.outcomes[{index}].kmdata[{j}]"
        data = km.arm(link.dataset, link.arm, where)
        arms.append((j, link, _role(link, outcome, entry), data))
    for _, link, _, d in arms:
        if (link.dataset, link.arm) not in cache:
            cache[link.dataset, link.arm] = parametric.fit_families(d.time, d.event)
    families = [cache[link.dataset, link.arm] for (_, link, _, _) in arms]
    family, totals, chosen_curves, skipped = _common_family(families, grid)
    summaries = [_km_summary(d.time, d.event) for (_, _, _, d) in arms]
    inputs = [
        reconstruction.ArmInput(
            index=j,
            link=link,
            role=role,
            time=d.time,
            event=d.event,
            km_median=s["median_months"],
            pmid=km.pmid(link.dataset),
        )
        for (j, link, role, d), s in zip(arms, summaries, strict=True)
    ]
    records, problems = reconstruction.check_outcome(entry, index, outcome, inputs)
    fits = []
    for k, (j, link, role, data) in enumerate(arms):
        issues: list[SurvivalWarning] = list(families[k].warnings) + skipped
        summary = summaries[k]
        quality = km.quality_percent(link.dataset)
        issues += _ipd_warnings(outcome, link, data, summary, quality, records[j])
        chosen = families[k].fits[family]
        fit = _base(entry, outcome, link.arm, role)
        rmst = summary["rmst_by_horizon"].get(f"{horizon:g}")
        fit.update(
            method="reconstructed-ipd",
            approximation=False,
            kmdata_dataset=link.dataset,
            curve_pmid=km.pmid(link.dataset),
            kmdata_quality_percent=quality,
            n=int(data.time.size),
            events=int(data.event.sum()),
            median_source=None if summary["median_months"] is None else "kaplan-meier",
            rmst_months=None if rmst is None else rmst[0],
            rmst_ci=None if rmst is None else rmst[1:],
            horizon_months=horizon,
            at_risk=curves.at_risk_table(data.time),
            distribution=family,
            params=chosen.params,
            aic=chosen.aic,
            bic=chosen.bic,
            candidates=parametric.candidates_table(families[k]),
            selection={
                "criterion": parametric.SELECTION_CRITERION,
                "family": family,
                "totals": totals,
            },
            curve=chosen_curves[k],
            reconstruction=records[j],
            **summary,
        )
        fit["warnings"] = [w.to_dict() for w in dict.fromkeys(issues)]
        fits.append(fit)
    return fits, problems


def _common_family(
    families: list[parametric.ArmFits], grid: np.ndarray
) -> tuple[
    str, dict[str, dict[str, float]], list[dict[str, Any]], list[SurvivalWarning]
]:
    """The best family by summed AIC whose curve evaluates in every arm."""
    _, totals = parametric.choose_family(families)
    skipped: list[SurvivalWarning] = []
    for family in sorted(totals, key=lambda f: totals[f]["aic"]):
        try:
            return (
                family,
                totals,
                [a.fits[family].curve(grid) for a in families],
                skipped,
            )
        except RuntimeError as exc:
            skipped.append(ConvergenceWarning(f"{family} not used: {exc}"))
    raise RuntimeError("no parametric family gave a finite curve in every arm")


def _ipd_warnings(
    outcome: Outcome,
    link: KmLink,
    data: Any,
    summary: dict[str, Any],
    quality: float | None,
    record: dict[str, Any],
) -> list[SurvivalWarning]:
    issues: list[SurvivalWarning] = []
    followup = summary["max_followup_months"]
    issues.append(
        ExtrapolationWarning(
            f"{outcome.trial} {link.arm}: follow-up ends at {followup:.1f} months; "
            "the curve beyond it is a parametric extrapolation and no figure is "
            "reported there"
        )
    )
    if data.event_type and data.event_type != outcome.endpoint:
        issues.append(
            DataWarning(
                f"kmdata {link.dataset} is a {data.event_type} curve but the outcome "
                f"is {outcome.endpoint}"
            )
        )
    if quality is None or quality < reconstruction.QUALITY_WARN_PERCENT:
        shown = "unknown" if quality is None else f"{quality:g}%"
        issues.append(
            DataWarning(
                f"kmdata {link.dataset}: reconstruction quality score {shown} (below "
                f"{reconstruction.QUALITY_WARN_PERCENT:g}%: the curve reproduces only "
                "part of the published at-risk table, events, HR and median)"
            )
        )
    if record["discrepancy"] is not None:
        failed = [c["detail"] for c in record["checks"] if not c["ok"]]
        d = record["discrepancy"]
        issues.append(
            DataWarning(
                f"kmdata {link.dataset} differs from the curated figures"
                + (f" ({'; '.join(failed)})" if failed else "")
                + f"; recorded reason {d['reason']}: {d['note']}"
            )
        )
    return issues


# -- published summaries --------------------------------------------------------


def _fit_published(
    entry: Entry, outcome: Outcome, grid: np.ndarray, horizon: float
) -> list[dict[str, Any]]:
    assert outcome.median_months is not None
    note = (
        f"{outcome.trial}: exponential curve matched to the published median; "
        "an approximation, not patient-level data"
    )
    log_se = parametric.log_se_from_ci(outcome.median_months, outcome.median_ci)
    out = [
        _published_fit(
            entry,
            outcome,
            outcome.arms[0],
            "experimental",
            (outcome.median_months, outcome.median_ci, "published"),
            log_se,
            grid,
            horizon,
            note,
        )
    ]
    comparator = _comparator_median(outcome, log_se)
    if comparator is not None:
        median, ci, source, se, how = comparator
        arm = outcome.arms[1] if len(outcome.arms) > 1 else "comparator"
        out.append(
            _published_fit(
                entry,
                outcome,
                arm,
                "comparator",
                (median, ci, source),
                se,
                grid,
                horizon,
                f"{note}; comparator {how}",
            )
        )
    return out


def _comparator_median(
    outcome: Outcome, log_se: float | None
) -> tuple[float, Any, str, float | None, str] | None:
    """Comparator median: as published if reported, else through the HR."""
    assert outcome.median_months is not None
    if outcome.comparator_median_months is not None:
        se = parametric.log_se_from_ci(
            outcome.comparator_median_months, outcome.comparator_ci
        )
        return (
            outcome.comparator_median_months,
            outcome.comparator_ci,
            "published",
            se,
            "from its published median",
        )
    if outcome.hr is not None:
        median = outcome.median_months * outcome.hr  # exponential: median ~ 1 / hazard
        se_hr = None
        if outcome.hr_ci is not None and 0 < outcome.hr_ci[0] < outcome.hr_ci[1]:
            se_hr = math.log(outcome.hr_ci[1] / outcome.hr_ci[0]) / (2 * parametric.Z95)
        se = None if log_se is None or se_hr is None else math.hypot(log_se, se_hr)
        return (
            round(median, 3),
            None,
            "derived-through-hr",
            se,
            f"derived through the reported HR {outcome.hr:g} (no published median)",
        )
    return None


def _published_fit(
    entry: Entry,
    outcome: Outcome,
    arm: str,
    role: str,
    median: tuple[float, Any, str],
    log_se: float | None,
    grid: np.ndarray,
    horizon: float,
    note: str,
) -> dict[str, Any]:
    value, ci, source = median
    pfit = parametric.exponential_from_median(value, log_se, grid)
    followup = outcome.followup_months
    issues: list[SurvivalWarning] = [ApproximationWarning(note)]
    if log_se is None:
        issues.append(
            ApproximationWarning(f"{outcome.trial} {arm}: no usable CI; no band")
        )
    if followup is None:
        issues.append(
            FollowupWarning(
                f"{outcome.trial}: no curated follow-up; the RMST and the curve may "
                "lie beyond the trial's follow-up"
            )
        )
    rmst: dict[str, list[float] | None] = {}
    for h in HORIZONS_MONTHS:
        if followup is not None and h > followup:
            continue
        s = curves.summarise(pfit.times, pfit.survival, pfit.lower, pfit.upper, h)
        rmst[f"{h:g}"] = [s.rmst_months, *(s.rmst_ci or (None, None))]
    at = rmst.get(f"{horizon:g}")
    fit = _base(entry, outcome, arm, role)
    fit.update(
        method="published-summary",
        approximation=True,
        kmdata_dataset=None,
        curve_pmid=None,
        kmdata_quality_percent=None,
        n=None,
        events=None,
        max_followup_months=followup,
        median_months=value,
        median_ci=None if ci is None else list(ci),
        median_source=source,
        rmst_by_horizon=rmst,
        rmst_months=None if at is None else at[0],
        rmst_ci=None if at is None or at[1] is None else at[1:],
        horizon_months=horizon,
        surv_12m=None,
        distribution="exponential",
        params={k: round(v, 6) for k, v in pfit.params.items()},
        aic=None,
        bic=None,
        candidates={},
        selection=None,
        curve={"t": pfit.times, "s": pfit.survival, "lo": pfit.lower, "hi": pfit.upper},
        km=None,
        at_risk=None,
        reconstruction=None,
    )
    fit["warnings"] = [w.to_dict() for w in issues]
    return fit
