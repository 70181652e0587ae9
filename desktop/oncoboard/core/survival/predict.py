"""Per-case survival figures for one therapy option (fast: pure Python).

:func:`predict_option` takes the fits stored by the KB build
(:func:`oncoboard.core.survival.build.fit_kb_outcomes`) and picks the
experimental arm's curve of a trial that describes this patient's line of
therapy.  The figures describe the **trial population**: they are never
shifted to the patient (issue 15 removed the borrowed NCCTG adjustment).
Where the patient falls outside the trial's population (ECOG, age, line),
the prediction carries a :class:`PopulationWarning` instead.  Nothing beyond
the trial's follow-up is reported as a number.  No model is refitted per case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from oncoboard.core.case.lines import prior_advanced_lines
from oncoboard.core.case.model import Case
from oncoboard.core.survival.issues import (
    FollowupWarning,
    PopulationWarning,
    SurvivalWarning,
    warning_from_dict,
)
from oncoboard.core.survival.predicted import Predicted

Curve = list[float]

PREDICTED_ENDPOINTS = ("PFS", "OS")
FIT_SCHEMA = "oncoboard.survival-fit/2"  # as written by core/survival/build.py


ENDPOINT_WORDS = {
    "PFS": "progression-free survival",
    "OS": "overall survival",
    "DFS": "disease-free survival",
    "iDFS": "invasive disease-free survival",
    "EFS": "event-free survival",
}


class TrialPopulation(Protocol):
    """The eligibility of a trial that a prediction is checked against.

    Any object with these attributes will do (the curated trial registry of
    the KB provides them); ``None`` means the trial did not restrict it.
    """

    @property
    def name(self) -> str: ...

    @property
    def ecog_range(self) -> tuple[int, int] | None: ...

    @property
    def age_range(self) -> tuple[float, float] | None: ...

    def followup_months(self, endpoint: str) -> float | None:
        """Curated follow-up of the trial's analysis of ``endpoint`` (months)."""
        ...


PopulationLookup = Callable[[str], TrialPopulation | None]


@dataclass(frozen=True)
class CurvePrediction:
    """A survival curve and its figures for one option, ready to plot and report.

    Times are months; ``lower``/``upper`` are the pointwise 95% band (``None``
    when none can be given).  Figures that would lie beyond the follow-up of
    the data (``followup_months``) are ``None``; the curve beyond it is an
    extrapolation and is drawn as such.  ``basis`` is ``single-trial``,
    ``nma-anchored`` or ``cohort``; ``note`` says in words what the figures
    describe ("Modelled PFS in the trial population ...").
    """

    label: str
    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...] | None
    upper: tuple[float, ...] | None
    median_months: float | None
    median_ci: tuple[float | None, float | None] | None
    rmst_months: float | None
    horizon_months: float
    surv_12m: float | None
    method: str
    source: str
    note: str
    basis: str = "single-trial"
    at_risk: Mapping[str, Sequence[float]] | None = None
    endpoint: str = "PFS"
    rmst_ci: tuple[float | None, float | None] | None = None
    approximation: bool = False
    km_times: tuple[float, ...] | None = None
    km_survival: tuple[float, ...] | None = None
    warnings: tuple[SurvivalWarning, ...] = field(default_factory=tuple)
    trial: str = ""
    followup_months: float | None = None
    line: str | None = None
    n: int | None = None

    @property
    def median_text(self) -> str:
        """The median in words, e.g. ``"18.9 months"`` or ``"not reached (> 17.6 months)"``."""
        return median_text(self.median_months, self.followup_months)


def median_text(median: float | None, followup: float | None) -> str:
    """``"18.9 months"``, ``"not reached (> 17.6 months)"`` or ``"not available"``."""
    if median is not None:
        return f"{median:.1f} months"
    if followup is not None:
        return f"not reached (> {followup:.1f} months)"
    return "not available"


def select_fit(
    fits: Sequence[Mapping[str, Any]],
    endpoints: Sequence[str] = PREDICTED_ENDPOINTS,
    *,
    prior_lines: int = 0,
) -> Mapping[str, Any] | None:
    """Pick the experimental arm's fit.

    First-line trials are left out for a patient with prior lines in the
    advanced setting (their figures do not describe this patient).  Then the
    first endpoint in ``endpoints``, patient-level data over published
    summaries, and the larger trial.
    """
    usable = [
        f
        for f in fits
        if f.get("role") == "experimental"
        and f.get("endpoint") in endpoints
        and not (prior_lines > 0 and f.get("line") == "first")
    ]
    if not usable:
        return None

    def key(f: Mapping[str, Any]) -> tuple[int, int, int]:
        return (
            list(endpoints).index(f["endpoint"]),
            0 if f["method"] == "reconstructed-ipd" else 1,
            -(f.get("n") or f.get("trial_n") or 0),
        )

    return min(usable, key=key)


def population_warnings(
    case: Case,
    fit: Mapping[str, Any],
    population: TrialPopulation | None,
    prior_lines: int,
) -> list[SurvivalWarning]:
    """Where the patient falls outside the population of the trial behind a figure."""
    trial = str(fit["trial"])
    out: list[SurvivalWarning] = []
    line = fit.get("line")
    if line in ("second", "second_or_later") and prior_lines == 0:
        out.append(
            PopulationWarning(
                f"no prior line in the advanced setting recorded: {trial} is a "
                f"{str(line).replace('_', ' ')}-line trial"
            )
        )
    if population is None:
        out.append(
            PopulationWarning(
                f"population fit not checked: no curated eligibility (ECOG, age) "
                f"for {trial}"
            )
        )
        return out
    p = case.patient
    if population.ecog_range is None and population.age_range is None:
        out.append(
            PopulationWarning(
                f"population fit not checked: ECOG and age eligibility of {trial} "
                "are not curated"
            )
        )
    if population.ecog_range is not None:
        lo, hi = population.ecog_range
        if p.ecog is None:
            out.append(
                PopulationWarning(f"ECOG not recorded: {trial} enrolled ECOG {lo}–{hi}")
            )
        elif not lo <= p.ecog <= hi:
            out.append(
                PopulationWarning(f"ECOG {p.ecog}: outside {trial} (ECOG {lo}–{hi})")
            )
    if population.age_range is not None:
        lo_a, hi_a = population.age_range
        if p.age is None:
            out.append(
                PopulationWarning(
                    f"age not recorded: {trial} enrolled ages {lo_a:g}–{hi_a:g}"
                )
            )
        elif not lo_a <= p.age <= hi_a:
            out.append(
                PopulationWarning(
                    f"age {p.age}: outside {trial} (ages {lo_a:g}–{hi_a:g})"
                )
            )
    return out


def from_fit(
    fit: Mapping[str, Any],
    *,
    horizon_months: float = 24.0,
    extra_warnings: Sequence[SurvivalWarning] = (),
    registry_followup: float | None = None,
) -> CurvePrediction:
    """Build a :class:`CurvePrediction` from a stored fit (trial population).

    ``registry_followup`` is the trial registry's follow-up of this endpoint;
    it bounds a published-summary fit that has no curated follow-up of its own.

    Raises
    ------
    ValueError
        If the fit has no RMST stored for ``horizon_months`` and the horizon is
        within its follow-up (the KB build stores :data:`~.build.HORIZONS_MONTHS`).
    """
    curve = fit["curve"]
    followup = fit.get("max_followup_months")
    rmst_by = dict(fit.get("rmst_by_horizon") or {})
    issues = [warning_from_dict(w) for w in fit.get("warnings", [])]
    if followup is None and registry_followup is not None:
        followup = registry_followup
        issues = [w for w in issues if w.code != FollowupWarning.code]
        rmst_by = {h: v for h, v in rmst_by.items() if float(h) <= followup}
    rmst = rmst_by.get(f"{horizon_months:g}")
    if rmst is None:
        if followup is None or horizon_months <= followup:
            raise ValueError(
                f"no RMST stored for a {horizon_months:g}-month horizon; the KB "
                f"stores {sorted(float(h) for h in rmst_by)}"
            )
        issues.append(
            FollowupWarning(
                f"{fit['trial']} follow-up ends at {followup:g} months: no RMST to "
                f"{horizon_months:g} months is reported"
            )
        )
    issues.extend(extra_warnings)
    km = fit.get("km")
    median_ci = fit.get("median_ci")
    words = ENDPOINT_WORDS.get(fit["endpoint"], fit["endpoint"])
    return CurvePrediction(
        label=f"{fit['arm']} ({fit['trial']}, {fit['endpoint']})",
        times=tuple(float(v) for v in curve["t"]),
        survival=tuple(curve["s"]),
        lower=None if curve.get("lo") is None else tuple(curve["lo"]),
        upper=None if curve.get("hi") is None else tuple(curve["hi"]),
        median_months=_within(fit.get("median_months"), followup),
        median_ci=None if median_ci is None else (median_ci[0], median_ci[1]),
        rmst_months=None if rmst is None else rmst[0],
        horizon_months=float(horizon_months),
        surv_12m=fit.get("surv_12m"),
        method=fit["method"],
        source=_source(fit),
        note=(
            f"Modelled {words} in the trial population ({fit['trial']}, "
            f"{fit['arm']} arm); not adjusted to this patient."
        ),
        basis="single-trial",
        at_risk=fit.get("at_risk"),  # the trial data behind the curve
        endpoint=fit["endpoint"],
        rmst_ci=None if rmst is None or rmst[1] is None else (rmst[1], rmst[2]),
        approximation=bool(fit.get("approximation")),
        km_times=None if km is None else tuple(km["t"]),
        km_survival=None if km is None else tuple(km["s"]),
        warnings=tuple(dict.fromkeys(issues)),
        trial=str(fit["trial"]),
        followup_months=followup,
        line=fit.get("line"),
        n=fit.get("trial_n") or fit.get("n"),
    )


def _within(value: float | None, followup: float | None) -> float | None:
    """A time figure, or None when it lies beyond the follow-up."""
    if value is None or followup is None or value <= followup:
        return value
    return None


def _source(fit: Mapping[str, Any]) -> str:
    text = f"{fit['trial']}, {fit['arm']} arm ({fit['citation']})"
    if fit.get("kmdata_dataset"):
        text += f"; reconstructed IPD kmdata {fit['kmdata_dataset']}"
        if fit.get("curve_pmid"):
            text += f" (curve from PMID:{fit['curve_pmid']})"
    if fit.get("approximation"):
        text += "; approximation from published summary"
    return text


def predict_option(
    fits: list[dict[str, Any]],
    case: Case,
    *,
    horizon_months: float = 24.0,
    endpoints: Sequence[str] = PREDICTED_ENDPOINTS,
    population: PopulationLookup | None = None,
) -> CurvePrediction | None:
    """The survival figures of one option, in the population of its trial.

    Parameters
    ----------
    fits
        The option's stored fits (from the KB build).
    case
        The case: its prior therapies decide which trials describe the
        patient's line; ECOG and age are checked against the trial's
        population (they never change the figures).
    horizon_months
        RMST horizon (one of the horizons the KB stores).
    endpoints
        Endpoint preference order.
    population
        Looks up a trial's eligibility by name (the KB's trial registry);
        ``None`` or an unknown trial gives a "not checked" warning.

    Returns
    -------
    CurvePrediction or None
        ``None`` if no experimental-arm fit of a PFS or OS outcome of a trial
        in the patient's line exists.
    """
    stale = {f.get("schema") for f in fits} - {FIT_SCHEMA}
    if stale:
        from oncoboard.core.errors import StorageError

        raise StorageError(
            f"the knowledge base holds survival fits of schema {sorted(map(str, stale))}, "
            f"not {FIT_SCHEMA}: it was built by an older OncoBoard. Rebuild it "
            "(oncoboard kb build) or install a current KB bundle."
        )
    lines = prior_advanced_lines(case)
    fit = select_fit(fits, endpoints, prior_lines=lines)
    if fit is None:
        return None
    trial_population = population(str(fit["trial"])) if population else None
    issues = population_warnings(case, fit, trial_population, lines)
    followup = (
        trial_population.followup_months(str(fit["endpoint"]))
        if trial_population is not None
        else None
    )
    return from_fit(
        fit,
        horizon_months=horizon_months,
        extra_warnings=issues,
        registry_followup=followup,
    )


def to_predicted(pred: CurvePrediction, *, caveat: str | None = None) -> Predicted:
    """Convert to the ``predicted`` field of the match output (``oncoboard.match/1``).

    Parameters
    ----------
    pred
        The prediction.
    caveat
        The cross-trial caveat, given when the options' figures are compared
        without a common anchor (a ``cross_trial`` warning is added).

    Raises
    ------
    ValueError
        If the prediction's endpoint is neither PFS nor OS.
    """
    if pred.endpoint not in PREDICTED_ENDPOINTS:
        raise ValueError(f"match output supports PFS and OS only, got {pred.endpoint}")
    warnings = [w.to_dict() for w in pred.warnings]
    if caveat:
        warnings.append({"code": "cross_trial", "message": caveat})
    return Predicted(
        endpoint=pred.endpoint,  # type: ignore[arg-type]
        median_months=pred.median_months,
        median_ci=pred.median_ci,
        rmst_months=pred.rmst_months,
        horizon_months=pred.horizon_months,
        method=pred.method,  # type: ignore[arg-type]
        source=pred.source,
        rmst_ci=pred.rmst_ci,
        basis=pred.basis,  # type: ignore[arg-type]
        source_trial=pred.trial or None,
        population={"line": pred.line, "n": pred.n},  # type: ignore[arg-type]
        followup_months=pred.followup_months,
        description=pred.note,
        warnings=warnings,  # type: ignore[arg-type]
    )
