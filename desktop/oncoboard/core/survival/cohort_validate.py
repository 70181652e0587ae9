"""Cross-validated performance of cohort models.

For each of ``n_splits`` folds (stratified on the event indicator, shuffled
with ``random_state``) the model is refitted on the training part and scored
on the held-out part:

* Harrell's concordance index;
* Uno's IPCW concordance index, truncated at ``tau`` = the 80th percentile of
  the held-out follow-up times (kept below the last training time);
* the integrated Brier score over 15 time points between the 10th and 80th
  percentiles of the held-out follow-up times (lower is better; 0.25 is what
  a constant prediction of 50% scores).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from oncoboard.core.survival.cohort_models import harrell_c
from oncoboard.core.survival.jobs import CancelledFn, ProgressFn, step


@dataclass(frozen=True)
class FoldMetrics:
    """Scores on one held-out fold."""

    fold: int
    n_test: int
    harrell_c: float
    uno_c: float
    integrated_brier: float
    brier_at_horizon: float | None = None
    brier_km_null: float | None = None


def _eval_times(y_train: np.ndarray, y_test: np.ndarray) -> tuple[float, np.ndarray]:
    t_test = y_test["time"]
    limit = np.nextafter(min(t_test.max(), y_train["time"].max()), 0)
    tau = float(min(np.percentile(t_test, 80), np.nextafter(limit, 0)))
    lo = max(np.percentile(t_test, 10), t_test.min())
    times = np.unique(np.linspace(lo, tau, 15))
    times = times[(times >= t_test.min()) & (times < limit)]
    return tau, times


def _clip_to_train(y_train: np.ndarray, y_test: np.ndarray) -> np.ndarray:
    """Pull held-out times beyond the last training time just inside it.

    The IPCW weights need the censoring distribution at each held-out time,
    known only up to the last training time.  Every evaluation time lies
    below that, so the clipped patients are still "at risk" at all of them
    and the scores are unchanged.
    """
    limit = np.nextafter(y_train["time"].max(), 0)
    out = y_test.copy()
    out["time"] = np.minimum(out["time"], limit)
    return out


def cross_validate(
    make_model: Callable[[], object],
    X: np.ndarray,  # noqa: N803
    y: np.ndarray,
    *,
    n_splits: int = 5,
    random_state: int = 0,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    fit_kwargs: Callable[[float, float], dict[str, object]] | None = None,
    horizon: float | None = None,
) -> tuple[list[FoldMetrics], np.ndarray | None]:
    """Score a model by stratified K-fold cross-validation.

    Parameters
    ----------
    make_model
        Returns a new, unfitted estimator.
    X, y
        Design matrix and structured ``(event, time)`` array.
    n_splits, random_state
        Folds and the seed of the shuffle.
    progress, cancelled
        Progress callback and cancellation check.
    fit_kwargs
        Optional ``(start, end) -> kwargs`` for the estimator's ``fit``
        (used to pass nested progress to the forest).

    horizon
        If given, the Brier score at this horizon (model and Kaplan-Meier
        null model) is added to each fold, and the out-of-fold S(horizon | x)
        of every patient is returned for the calibration.

    Returns
    -------
    tuple
        The fold metrics, and the out-of-fold S(horizon | x) (``None``
        without a horizon).
    """
    from sklearn.model_selection import StratifiedKFold
    from sksurv.metrics import concordance_index_ipcw, integrated_brier_score

    from oncoboard.core.survival.cohort_calibration import brier_at

    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    out: list[FoldMetrics] = []
    oof = None if horizon is None else np.full(len(y), np.nan)
    for k, (train, test) in enumerate(folds.split(X, y["event"])):
        step(
            progress,
            cancelled,
            k / n_splits,
            f"cross-validation fold {k + 1}/{n_splits}",
        )
        model = make_model()
        kwargs = fit_kwargs(k / n_splits, (k + 1) / n_splits) if fit_kwargs else {}
        model.fit(X[train], y[train], **kwargs)  # type: ignore[attr-defined]
        risk = model.predict(X[test])  # type: ignore[attr-defined]
        tau, times = _eval_times(y[train], y[test])
        y_eval = _clip_to_train(y[train], y[test])
        uno = concordance_index_ipcw(y[train], y_eval, risk, tau=tau)[0]
        surv = model.predict_survival_function(X[test], times)  # type: ignore[attr-defined]
        ibs = integrated_brier_score(y[train], y_eval, surv, times)
        brier = null = None
        if horizon is not None and oof is not None:
            at = model.predict_survival_function(X[test], np.array([horizon]))[:, 0]  # type: ignore[attr-defined]
            oof[test] = at
            brier, null = brier_at(y[train], y_eval, at, horizon)
        out.append(
            FoldMetrics(
                k + 1,
                int(len(test)),
                round(harrell_c(y[test], risk), 4),
                round(float(uno), 4),
                round(float(ibs), 4),
                None if brier is None else round(brier, 4),
                None if null is None else round(null, 4),
            )
        )
    step(progress, cancelled, 1.0, "cross-validation done")
    return out, oof
