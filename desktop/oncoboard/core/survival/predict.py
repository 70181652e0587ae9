"""Per-case survival prediction for one therapy option (fast: pure Python).

:func:`predict_option` takes the fits stored by the KB build
(:func:`oncoboard.core.survival.build.fit_kb_outcomes`), picks the experimental
arm's curve, applies the patient adjustment where a prognostic model fits the
tumor type, and summarises the curve.  No model is refitted per case.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from oncoboard.core.case.model import Case
from oncoboard.core.matching.result import Predicted
from oncoboard.core.survival import curves
from oncoboard.core.survival.issues import (
    ExtrapolationWarning,
    OutOfRangeWarning,
    SurvivalWarning,
    warning_from_dict,
)
from oncoboard.core.survival.prognostic import NCCTG_LUNG, PrognosticModel

Curve = list[float]

PREDICTED_ENDPOINTS = ("PFS", "OS")
ADJUSTMENT_OFF_NOTE = (
    "No patient adjustment: no prognostic model was fitted on this tumor type "
    "(the bundled model covers lung cancer only). The curve is the trial "
    "population's."
)


@dataclass(frozen=True)
class CurvePrediction:
    """A predicted survival curve for one option, ready to plot and report.

    Times are months; ``lower``/``upper`` are the pointwise 95% band (``None``
    when none can be given).  ``adjusted`` tells whether the patient
    adjustment was applied, and ``adjustment_note`` says how or why not.
    """

    label: str
    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...] | None
    upper: tuple[float, ...] | None
    median_months: float | None
    median_ci: tuple[float | None, float | None] | None
    rmst_months: float
    horizon_months: float
    surv_12m: float
    method: str
    source: str
    adjusted: bool
    adjustment_note: str
    at_risk: Mapping[str, Sequence[float]] | None = None
    endpoint: str = "PFS"
    rmst_ci: tuple[float, float] | None = None
    approximation: bool = False
    km_times: tuple[float, ...] | None = None
    km_survival: tuple[float, ...] | None = None
    warnings: tuple[SurvivalWarning, ...] = field(default_factory=tuple)
    trial: str = ""


def select_fit(
    fits: Sequence[Mapping[str, Any]],
    endpoints: Sequence[str] = PREDICTED_ENDPOINTS,
) -> Mapping[str, Any] | None:
    """Pick the experimental arm's fit: first endpoint in ``endpoints``, then
    patient-level data over published summaries, then the larger trial."""
    usable = [
        f
        for f in fits
        if f.get("role") == "experimental" and f.get("endpoint") in endpoints
    ]
    if not usable:
        return None

    def key(f: Mapping[str, Any]) -> tuple[int, int, int]:
        return (
            list(endpoints).index(f["endpoint"]),
            0 if f["method"] == "reconstructed-ipd" else 1,
            -(f.get("n") or 0),
        )

    return min(usable, key=key)


def patient_covariates(
    case: Case, model: PrognosticModel, reference: Mapping[str, float]
) -> tuple[dict[str, float], list[str]]:
    """The patient's covariate values; unknown ones take the reference value."""
    p = case.patient
    sex = {"male": 1.0, "female": 0.0}.get(p.sex)
    given = {"age": p.age, "male": sex, "ecog": p.ecog}
    x: dict[str, float] = {}
    missing: list[str] = []
    for name in model.covariates:
        value = given.get(name)
        if value is None:
            missing.append(name)
            x[name] = float(reference[name])
        else:
            x[name] = float(value)
    return x, missing


def _reference(
    fit: Mapping[str, Any], model: PrognosticModel
) -> tuple[dict[str, float], str]:
    pop = fit.get("baseline") or {}
    ref = dict(model.means)
    from_trial = []
    if "age" in pop:
        ref["age"] = float(pop["age"])
        from_trial.append("median age")
    if "male_fraction" in pop:
        ref["male"] = float(pop["male_fraction"])
        from_trial.append("share of men")
    cohort = [
        c
        for c in model.covariates
        if not (
            (c == "age" and "age" in pop) or (c == "male" and "male_fraction" in pop)
        )
    ]
    parts = []
    if from_trial:
        parts.append(f"trial-reported {' and '.join(from_trial)}")
    if cohort:
        parts.append(
            f"{model.name} cohort means for {', '.join(cohort)} (the trial's own "
            "baseline is not recorded, so part of the shift may reflect the "
            "difference between that cohort and the trial population)"
        )
    return ref, "reference: " + "; ".join(parts)


def adjust(
    fit: Mapping[str, Any], case: Case, model: PrognosticModel = NCCTG_LUNG
) -> tuple[Curve, Curve | None, Curve | None, str, list[SurvivalWarning]]:
    """Shift a stored curve to the patient by proportional hazards.

    Returns
    -------
    tuple
        Adjusted survival, lower and upper band (the band also carries the
        uncertainty of the Cox coefficients), a note, and warnings.
    """
    ref, ref_note = _reference(fit, model)
    x, missing = patient_covariates(case, model, ref)
    lp, se = model.linear_predictor(x, ref)
    issues: list[SurvivalWarning] = []
    for name in model.covariates:
        lo, hi = model.ranges[name]
        if name not in missing and not lo <= x[name] <= hi:
            issues.append(
                OutOfRangeWarning(
                    f"patient {name} = {x[name]:g} lies outside the "
                    f"{model.name} cohort "
                    f"range {lo:g}-{hi:g}; the adjustment is an extrapolation"
                )
            )
    curve = fit["curve"]
    r, r_lo, r_hi = (math.exp(lp + k * 1.959964 * se) for k in (0.0, -1.0, 1.0))
    lower = upper = None
    if curve.get("lo") is not None and curve.get("hi") is not None:
        lower = [float(v) ** r_hi for v in curve["lo"]]
        upper = [float(v) ** r_lo for v in curve["hi"]]
    note = (
        f"Adjusted with the {model.name} model (age, sex, ECOG; proportional "
        f"hazards, {model.endpoint_note}); hazard ratio vs the trial population "
        f"{r:.2f} (95% CI {r_lo:.2f}-{r_hi:.2f}); {ref_note}"
    )
    if missing:
        note += (
            f"; unknown for this patient, left at the reference: {', '.join(missing)}"
        )
    survival = [float(v) ** r for v in curve["s"]]
    return survival, lower, upper, note + ".", issues


def from_fit(
    fit: Mapping[str, Any],
    *,
    horizon_months: float = 24.0,
    survival: Sequence[float] | None = None,
    lower: Sequence[float] | None = None,
    upper: Sequence[float] | None = None,
    adjusted: bool = False,
    adjustment_note: str = "",
    extra_warnings: Sequence[SurvivalWarning] = (),
) -> CurvePrediction:
    """Build a :class:`CurvePrediction` from a stored fit (or a replaced curve)."""
    curve = fit["curve"]
    t = [float(v) for v in curve["t"]]
    if survival is None:
        survival, lower, upper = curve["s"], curve.get("lo"), curve.get("hi")
    summary = curves.summarise(t, survival, lower, upper, horizon_months)
    issues = [
        warning_from_dict(w)
        for w in fit.get("warnings", [])
        if w.get("code") != ExtrapolationWarning.code
    ]
    followup = fit.get("max_followup_months")
    if followup is not None and horizon_months > followup:
        issues.append(
            ExtrapolationWarning(
                f"{fit['trial']} follow-up ends at {followup:g} months; the RMST to "
                f"{horizon_months:g} months relies on the {fit['distribution']} tail"
            )
        )
    issues.extend(extra_warnings)
    km = fit.get("km")
    return CurvePrediction(
        label=f"{fit['arm']} ({fit['trial']}, {fit['endpoint']})",
        times=tuple(t),
        survival=_rounded(survival),
        lower=None if lower is None else _rounded(lower),
        upper=None if upper is None else _rounded(upper),
        median_months=summary.median_months,
        median_ci=summary.median_ci,
        rmst_months=summary.rmst_months,
        horizon_months=summary.horizon_months,
        surv_12m=summary.surv_12m,
        method=fit["method"],
        source=_source(fit, adjusted),
        adjusted=adjusted,
        adjustment_note=adjustment_note,
        at_risk=fit.get("at_risk"),  # the trial data behind the curve
        endpoint=fit["endpoint"],
        rmst_ci=summary.rmst_ci,
        approximation=bool(fit.get("approximation")),
        km_times=None if km is None or adjusted else tuple(km["t"]),
        km_survival=None if km is None or adjusted else tuple(km["s"]),
        warnings=tuple(dict.fromkeys(issues)),
        trial=str(fit["trial"]),
    )


def _rounded(values: Sequence[float]) -> tuple[float, ...]:
    # stored curves are already rounded; adjusted ones need no rounding to plot
    return tuple(values)


def _source(fit: Mapping[str, Any], adjusted: bool) -> str:
    text = f"{fit['trial']}, {fit['arm']} arm ({fit['citation']})"
    if fit.get("kmdata_dataset"):
        text += f"; reconstructed IPD kmdata {fit['kmdata_dataset']}"
    if fit.get("approximation"):
        text += "; approximation from published summary"
    if adjusted:
        text += "; adjusted to the patient"
    return text


def predict_option(
    fits: list[dict[str, Any]],
    case: Case,
    *,
    horizon_months: float = 24.0,
    adjust: bool = True,
    oncotree_main_type: str | None = None,
    model: PrognosticModel = NCCTG_LUNG,
    endpoints: Sequence[str] = PREDICTED_ENDPOINTS,
) -> CurvePrediction | None:
    """Predict the survival curve of one option for this patient.

    Parameters
    ----------
    fits
        The option's stored fits (from the KB build).
    case
        The case; ``patient.age``, ``sex`` and ``ecog`` feed the adjustment.
    horizon_months
        RMST horizon (at most 120 months).
    adjust
        Apply the patient adjustment where the prognostic model fits the tumor.
    oncotree_main_type
        OncoTree main type of the case's tumor; if ``None`` the case's OncoTree
        code is checked against the model's list of lung codes.
    model
        The prognostic model (default: NCCTG lung Cox).
    endpoints
        Endpoint preference order.

    Returns
    -------
    CurvePrediction or None
        ``None`` if no experimental-arm fit for a PFS or OS outcome exists.
    """
    fit = select_fit(fits, endpoints)
    if fit is None:
        return None
    if not adjust:
        return from_fit(
            fit,
            horizon_months=horizon_months,
            adjustment_note="Patient adjustment switched off.",
        )
    if not model.applies_to(oncotree_main_type, case.tumor.oncotree_code):
        return from_fit(
            fit, horizon_months=horizon_months, adjustment_note=ADJUSTMENT_OFF_NOTE
        )
    s, lo, hi, note, issues = _adjust(fit, case, model)
    return from_fit(
        fit,
        horizon_months=horizon_months,
        survival=s,
        lower=lo,
        upper=hi,
        adjusted=True,
        adjustment_note=note,
        extra_warnings=issues,
    )


_adjust = adjust


def to_predicted(pred: CurvePrediction) -> Predicted:
    """Convert to the ``predicted`` field of the match output (``oncoboard.match/1``).

    Raises
    ------
    ValueError
        If the prediction's endpoint is neither PFS nor OS.
    """
    if pred.endpoint not in PREDICTED_ENDPOINTS:
        raise ValueError(f"match output supports PFS and OS only, got {pred.endpoint}")
    return Predicted(
        endpoint=pred.endpoint,  # type: ignore[arg-type]
        median_months=pred.median_months,
        median_ci=pred.median_ci,
        rmst_months=pred.rmst_months,
        horizon_months=pred.horizon_months,
        method=pred.method,  # type: ignore[arg-type]
        source=pred.source,
    )
