"""Institutional cohort models: fit, validate, save, and predict per therapy.

A hospital imports its own outcomes table (CSV: features, therapy, time,
event).  :func:`fit_cohort` fits a Cox PH model (lifelines) or a random
survival forest (scikit-survival) with the therapy as a feature, reports
cross-validated Harrell's and Uno's concordance and the integrated Brier
score, and refits on the whole cohort.  :func:`predict_therapies` predicts
each candidate therapy's curve for one patient.  Saving and loading live in
:mod:`oncoboard.core.survival.cohort_store` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.survival import curves
from oncoboard.core.survival.cohort_calibration import calibration, default_horizon
from oncoboard.core.survival.cohort_data import read_cohort_csv
from oncoboard.core.survival.cohort_models import CohortCoxModel, CohortRSFModel
from oncoboard.core.survival.cohort_result import (
    CONFOUNDING_CAVEAT,
    MIN_PATIENTS_PER_THERAPY,
    CohortFitResult,
)
from oncoboard.core.survival.cohort_store import (
    CohortInfo,
    check_name,
    list_cohorts,
    load_cohort,
    save_cohort,
)
from oncoboard.core.survival.cohort_validate import cross_validate
from oncoboard.core.survival.issues import (
    ConfoundingWarning,
    DataWarning,
    FollowupWarning,
    OutOfRangeWarning,
    SmallGroupWarning,
    SurvivalWarning,
)
from oncoboard.core.survival.jobs import CancelledFn, ProgressFn, step
from oncoboard.core.survival.predict import CurvePrediction

__all__ = [
    "CohortCoxModel",
    "CohortFitResult",
    "CohortInfo",
    "CohortRSFModel",
    "fit_cohort",
    "list_cohorts",
    "load_cohort",
    "predict_therapies",
    "save_cohort",
]

CV_SHARE = 0.85  # share of the progress bar spent on cross-validation


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("lifelines", "scikit-survival", "scikit-learn", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _make_model(kind: str, random_state: int, params: Mapping[str, Any]) -> Any:
    if kind == "cox":
        return CohortCoxModel(**params)
    if kind == "rsf":
        return CohortRSFModel(random_state=random_state, **params)
    raise UserInputError(
        None, [Problem("--model", f"expected 'cox' or 'rsf', got {kind!r}")]
    )


def fit_cohort(
    csv_path: Path | str,
    *,
    time_col: str,
    event_col: str,
    therapy_col: str,
    model: Literal["cox", "rsf"] = "cox",
    random_state: int = 0,
    n_splits: int = 5,
    time_unit: str = "months",
    exclude: tuple[str, ...] = (),
    name: str | None = None,
    model_params: Mapping[str, Any] | None = None,
    endpoint: Literal["OS", "PFS"] = "OS",
    calibration_horizon_months: float | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> CohortFitResult:
    """Fit and cross-validate a cohort model from an outcomes CSV.

    Parameters
    ----------
    csv_path
        The outcomes table (see :func:`~.cohort_data.read_cohort_csv`).
    time_col, event_col, therapy_col
        Column names.
    model
        ``"cox"`` (Cox PH, lifelines) or ``"rsf"`` (random survival forest).
    random_state
        Seed of the fold shuffle and of the forest (reported in ``seeds``).
    n_splits
        Cross-validation folds.
    time_unit
        Unit of the time column (converted to months).
    exclude
        Columns that are not features (e.g. a patient id).
    name
        Name to save under; default ``<csv stem>-<model>``.
    model_params
        Hyperparameters passed to the estimator.
    endpoint
        What an event in the table is: death (``"OS"``) or progression or
        death (``"PFS"``); labels the predictions.
    calibration_horizon_months
        Horizon of the calibration (slope, ICI) and of the Brier score against
        the Kaplan-Meier null model; default 12 months, or the median
        follow-up when fewer than 20% of patients are followed beyond 12 months.
    progress, cancelled
        Progress callback and cancellation check.

    Returns
    -------
    CohortFitResult
        Not yet saved; call :func:`save_cohort`.
    """
    csv_path = Path(csv_path)
    params = dict(model_params or {})
    name = check_name(name or f"{csv_path.stem}-{model}")
    _make_model(model, random_state, params)  # validates the kind early
    step(progress, cancelled, 0.0, f"reading {csv_path.name}")
    data = read_cohort_csv(
        csv_path,
        time_col=time_col,
        event_col=event_col,
        therapy_col=therapy_col,
        time_unit=time_unit,
        exclude=exclude,
    )
    X, y = data.X(), data.y()  # noqa: N806
    if int(y["event"].sum()) < n_splits or len(y) < 2 * n_splits:
        raise UserInputError(
            csv_path,
            [
                Problem(
                    "",
                    f"{len(y)} patients with "
                    f"{int(y['event'].sum())} events: too few for {n_splits}-fold "
                    "cross-validation",
                )
            ],
        )
    issues: list[SurvivalWarning] = list(data.warnings)
    counts = {t: data.therapy.count(t) for t in data.encoder.therapies}
    issues += [
        SmallGroupWarning(
            f"therapy {t!r} has {c} patients (< "
            f"{MIN_PATIENTS_PER_THERAPY}); its curve is unstable"
        )
        for t, c in counts.items()
        if c < MIN_PATIENTS_PER_THERAPY
    ]

    def nested(start: float, end: float) -> dict[str, object]:
        if model != "rsf":
            return {}
        return {
            "progress": _sub(progress, start * CV_SHARE, end * CV_SHARE),
            "cancelled": cancelled,
        }

    horizon = calibration_horizon_months or default_horizon(y["time"])
    if not 0 < horizon < float(np.percentile(y["time"], 90)):
        raise UserInputError(
            csv_path,
            [
                Problem(
                    "calibration horizon",
                    f"{horizon:g} months: must lie within the follow-up of most "
                    f"patients (below {float(np.percentile(y['time'], 90)):.1f} months, "
                    "the 90th percentile)",
                )
            ],
        )
    folds, oof = cross_validate(
        lambda: _make_model(model, random_state, params),
        X,
        y,
        n_splits=n_splits,
        random_state=random_state,
        progress=_sub(progress, 0.0, CV_SHARE),
        cancelled=cancelled,
        fit_kwargs=nested,
        horizon=horizon,
    )
    assert oof is not None
    calib = calibration(y["time"], y["event"].astype(int), oof, horizon)
    final = _make_model(model, random_state, params)
    fit_kwargs = nested(1.0, 1.0 / CV_SHARE) if model == "rsf" else {}
    final.fit(X, y, **fit_kwargs)
    issues += list(final.warnings_)
    step(progress, cancelled, 1.0, "done")
    metric = {
        k: np.array([getattr(f, k) for f in folds])
        for k in (
            "harrell_c",
            "uno_c",
            "integrated_brier",
            "brier_at_horizon",
            "brier_km_null",
        )
    }
    brier, null = (
        float(metric["brier_at_horizon"].mean()),
        float(metric["brier_km_null"].mean()),
    )
    return CohortFitResult(
        name=name,
        kind=model,
        source=csv_path.name,
        source_sha256=hashlib.sha256(csv_path.read_bytes()).hexdigest(),
        time_col=time_col,
        event_col=event_col,
        therapy_col=therapy_col,
        time_unit=time_unit,
        n=len(y),
        events=int(y["event"].sum()),
        therapy_counts=counts,
        max_followup_months=round(float(y["time"].max()), 3),
        **{
            k: round(float(v.mean()), 4)
            for k, v in metric.items()
            if k in ("harrell_c", "uno_c", "integrated_brier")
        },
        **{
            f"{k}_sd": round(float(v.std(ddof=1)), 4)
            for k, v in metric.items()
            if k in ("harrell_c", "uno_c", "integrated_brier")
        },
        calibration_horizon_months=horizon,
        calibration_slope=calib.slope,
        ici=calib.ici,
        brier_at_horizon=round(brier, 4),
        brier_km_null=round(null, 4),
        brier_skill=round(1.0 - brier / null, 4) if null > 0 else None,
        n_splits=n_splits,
        folds=tuple(folds),
        seeds={
            "cv_shuffle": random_state,
            **({"forest": random_state} if model == "rsf" else {}),
        },
        hyperparameters=final.get_params(),
        versions=_versions(),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        encoder=data.encoder,
        model=final,
        warnings=tuple(dict.fromkeys(issues)),
        endpoint=endpoint,
    )


def _sub(progress: ProgressFn | None, start: float, end: float) -> ProgressFn | None:
    if progress is None:
        return None
    return lambda f, msg: progress(start + (end - start) * f, msg)


def _patient_record(
    result: CohortFitResult, features: Mapping[str, Any]
) -> tuple[dict[str, Any], list[SurvivalWarning]]:
    enc = result.encoder
    rec: dict[str, Any] = {}
    issues: list[SurvivalWarning] = []
    missing = []
    for col in enc.numeric:
        value = features.get(col)
        if value is None:
            missing.append(col)
            rec[col] = enc.defaults[col]
            continue
        rec[col] = float(value)
        lo, hi = enc.ranges[col]
        if not lo <= rec[col] <= hi:
            issues.append(
                OutOfRangeWarning(
                    f"{col} = {rec[col]:g} lies outside the cohort's "
                    f"range {lo:g}-{hi:g}"
                )
            )
    for col, levels in enc.categorical.items():
        if col == enc.therapy_col:
            continue
        value = features.get(col)
        if value is None:
            missing.append(col)
            rec[col] = enc.defaults[col]
        elif str(value) not in levels:
            issues.append(
                OutOfRangeWarning(
                    f"{col} = {value!r} does not occur in the cohort "
                    f"(levels {list(levels)}); treated as {levels[0]!r}"
                )
            )
            rec[col] = levels[0]
        else:
            rec[col] = str(value)
    if missing:
        issues.append(
            DataWarning(
                "not given for this patient, set to the cohort median or "
                f"most frequent value: {', '.join(missing)}"
            )
        )
    return rec, issues


def predict_therapies(
    result: CohortFitResult,
    patient_features: Mapping[str, Any],
    *,
    horizon_months: float = 24.0,
) -> list[CurvePrediction]:
    """Predict every therapy's curve for one patient from a cohort model.

    Parameters
    ----------
    result
        A fitted or loaded cohort.
    patient_features
        Feature values by column name (the therapy column is ignored).
    horizon_months
        RMST horizon.

    Returns
    -------
    list of CurvePrediction
        One per therapy, in the cohort's order (most frequent first).
    """
    rec, issues = _patient_record(result, patient_features)
    grid = curves.default_grid()
    therapies = result.encoder.therapies
    records = [{**rec, result.encoder.therapy_col: t} for t in therapies]
    X = result.encoder.encode(records)  # noqa: N806
    surv = result.model.predict_survival_function(X, grid)
    out = []
    for i, therapy in enumerate(therapies):
        lower = upper = None
        if result.kind == "cox":
            lower, upper = result.model.survival_band(X[i], grid)
        extra = list(issues)
        if result.therapy_counts[therapy] < MIN_PATIENTS_PER_THERAPY:
            extra.append(
                SmallGroupWarning(
                    f"{therapy!r}: {result.therapy_counts[therapy]} "
                    f"patients in the cohort (< {MIN_PATIENTS_PER_THERAPY})"
                )
            )
        if horizon_months > result.max_followup_months:
            extra.append(
                FollowupWarning(
                    f"cohort follow-up ends at {result.max_followup_months:g} months: "
                    f"no RMST to {horizon_months:g} months is reported"
                )
            )
        out.append(
            _prediction(
                result, therapy, grid, surv[i], lower, upper, horizon_months, extra
            )
        )
    return out


def _prediction(
    result: CohortFitResult,
    therapy: str,
    grid: np.ndarray,
    surv: np.ndarray,
    lower: np.ndarray | None,
    upper: np.ndarray | None,
    horizon: float,
    issues: list[SurvivalWarning],
) -> CurvePrediction:
    followup = result.max_followup_months
    s = curves.summarise(grid, surv, lower, upper, min(horizon, followup))
    model_name = "Cox PH" if result.kind == "cox" else "random survival forest"
    note = (
        f"Predicted for this patient's features by the institutional {model_name} "
        f"(cross-validated Harrell's C {result.harrell_c:.3f}, Uno's C "
        f"{result.uno_c:.3f}, integrated Brier {result.integrated_brier:.3f}). "
        f"{CONFOUNDING_CAVEAT}"
    )
    if lower is None:
        note += " No confidence band for the forest."
    median = (
        s.median_months
        if s.median_months is not None and s.median_months <= followup
        else None
    )
    median_ci = None
    if median is not None and s.median_ci is not None:
        median_ci = tuple(
            v if v is not None and v <= followup else None for v in s.median_ci
        )
    within = horizon <= followup
    return CurvePrediction(
        label=f"{therapy} (cohort {result.name})",
        times=tuple(grid.tolist()),
        survival=tuple(np.round(surv, 5).tolist()),
        lower=None if lower is None else tuple(np.round(lower, 5).tolist()),
        upper=None if upper is None else tuple(np.round(upper, 5).tolist()),
        median_months=median,
        median_ci=median_ci,  # type: ignore[arg-type]
        rmst_months=s.rmst_months if within else None,
        horizon_months=float(horizon),
        surv_12m=s.surv_12m if followup >= 12.0 else None,
        method=result.method,
        source=f"institutional cohort {result.name} ({result.source}, n={result.n})",
        note=note,
        basis="cohort",
        at_risk=None,
        endpoint=result.endpoint,
        rmst_ci=s.rmst_ci if within else None,
        warnings=tuple(
            dict.fromkeys([*issues, ConfoundingWarning(CONFOUNDING_CAVEAT)])
        ),
        trial=result.name,
        followup_months=followup,
        line=None,
        n=result.n,
    )
