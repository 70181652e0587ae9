"""Cohort survival models following the scikit-learn estimator contract.

* :class:`CohortCoxModel` wraps lifelines' ``CoxPHFitter``; once fitted it
  predicts with numpy alone and round-trips through JSON (:meth:`to_params`).
* :class:`CohortRSFModel` wraps scikit-survival's ``RandomSurvivalForest``,
  grown in chunks of trees so that progress is reported and cancellation
  honoured between chunks.

Both take ``X`` (a float matrix) and ``y`` (a structured array with ``event``
and ``time`` fields, as scikit-survival uses), expose ``predict`` (a risk score,
higher = worse), ``predict_survival_function(X, times)`` (an array of shape
``(n_samples, n_times)``) and ``score`` (Harrell's concordance).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from oncoboard.core.survival.issues import ConvergenceWarning, SurvivalWarning
from oncoboard.core.survival.jobs import CancelledFn, ProgressFn, step


def harrell_c(y: np.ndarray, risk: np.ndarray) -> float:
    """Harrell's concordance index of a risk score (scikit-survival)."""
    from sksurv.metrics import concordance_index_censored

    return float(concordance_index_censored(y["event"], y["time"], risk)[0])


class _SurvivalEstimator:
    """Shared ``score`` and parameter handling (scikit-learn style)."""

    _param_names: tuple[str, ...] = ()

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._param_names}

    def set_params(self, **params: Any) -> _SurvivalEstimator:
        for k, v in params.items():
            if k not in self._param_names:
                raise ValueError(f"unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        raise NotImplementedError

    def score(self, X: np.ndarray, y: np.ndarray) -> float:  # noqa: N803
        """Harrell's concordance index on ``(X, y)``."""
        return harrell_c(y, self.predict(X))


class CohortCoxModel(_SurvivalEstimator):
    """Cox proportional-hazards model (lifelines, Breslow baseline).

    Parameters
    ----------
    penalizer
        Ridge penalty (lifelines ``penalizer``) for numerical stability with
        sparse categories; 0 gives the plain partial likelihood.
    """

    _param_names = ("penalizer",)

    def __init__(self, penalizer: float = 0.01) -> None:
        self.penalizer = penalizer

    def fit(self, X: np.ndarray, y: np.ndarray) -> CohortCoxModel:  # noqa: N803
        """Fit on a design matrix and a structured ``(event, time)`` array."""
        import pandas as pd
        from lifelines import CoxPHFitter

        X = np.asarray(X, dtype=float)  # noqa: N806
        cols = [f"x{i}" for i in range(X.shape[1])]
        df = pd.DataFrame(X, columns=cols)
        df["_time"] = np.maximum(y["time"], 1e-6)
        df["_event"] = y["event"].astype(int)
        issues: list[SurvivalWarning] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cph = CoxPHFitter(penalizer=self.penalizer).fit(df, "_time", "_event")
        issues.extend(ConvergenceWarning(f"Cox fit: {w.message}") for w in caught)
        self.coef_ = cph.params_.loc[cols].to_numpy(dtype=float)
        self.coef_var_ = cph.variance_matrix_.loc[cols, cols].to_numpy(dtype=float)
        self.means_ = np.asarray(cph._norm_mean.loc[cols], dtype=float)
        base = cph.baseline_survival_.iloc[:, 0]
        self.unique_times_ = base.index.to_numpy(dtype=float)
        self.baseline_survival_ = base.to_numpy(dtype=float)
        self.n_features_in_ = X.shape[1]
        self.warnings_ = tuple(issues)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        """Linear predictor relative to the cohort means (higher = worse)."""
        return (np.asarray(X, dtype=float) - self.means_) @ self.coef_

    def predict_survival_function(
        self,
        X: np.ndarray,
        times: np.ndarray | None = None,  # noqa: N803
    ) -> np.ndarray:
        """Survival probabilities, shape ``(n_samples, n_times)``.

        Beyond the last observed time the curve is held flat.
        """
        times = self.unique_times_ if times is None else np.asarray(times, float)
        s0 = _step_at(self.unique_times_, self.baseline_survival_, times)
        hr = np.exp(self.predict(X))
        return s0[None, :] ** hr[:, None]

    def survival_band(
        self, x: np.ndarray, times: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise 95% band for one patient from the coefficients' variance.

        The baseline hazard's own uncertainty is not included.
        """
        diff = np.asarray(x, dtype=float) - self.means_
        lp = float(diff @ self.coef_)
        se = math.sqrt(max(float(diff @ self.coef_var_ @ diff), 0.0))
        s0 = _step_at(self.unique_times_, self.baseline_survival_, times)
        return s0 ** math.exp(lp + 1.96 * se), s0 ** math.exp(lp - 1.96 * se)

    def to_params(self) -> dict[str, Any]:
        """The fitted model as JSON-safe parameters."""
        return {
            "kind": "cox",
            "penalizer": self.penalizer,
            "coef": self.coef_.tolist(),
            "coef_var": self.coef_var_.tolist(),
            "means": self.means_.tolist(),
            "unique_times": self.unique_times_.tolist(),
            "baseline_survival": self.baseline_survival_.tolist(),
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> CohortCoxModel:
        """Rebuild a fitted model saved with :meth:`to_params`."""
        if params.get("kind") != "cox":
            raise ValueError("not a saved Cox model")
        model = cls(penalizer=float(params["penalizer"]))
        model.coef_ = np.asarray(params["coef"], dtype=float)
        model.coef_var_ = np.asarray(params["coef_var"], dtype=float)
        model.means_ = np.asarray(params["means"], dtype=float)
        model.unique_times_ = np.asarray(params["unique_times"], dtype=float)
        model.baseline_survival_ = np.asarray(params["baseline_survival"], dtype=float)
        model.n_features_in_ = model.coef_.size
        model.warnings_ = ()
        return model


class CohortRSFModel(_SurvivalEstimator):
    """Random survival forest (scikit-survival), grown in chunks of trees.

    Parameters
    ----------
    n_estimators, min_samples_leaf, max_features
        As in ``sksurv.ensemble.RandomSurvivalForest``.
    max_samples
        Bootstrap sample size per tree, capped at the cohort size (speed).
    time_bins
        Event times are rounded up to at most this many quantiles of the event
        times before fitting (speed: the split criterion scales with the number
        of distinct times); ``None`` keeps them exact.
    n_jobs
        Worker processes for tree building (does not change the result).
    random_state
        Seed of the bootstrap and feature sampling.
    """

    _param_names = (
        "n_estimators",
        "min_samples_leaf",
        "max_features",
        "max_samples",
        "time_bins",
        "n_jobs",
        "random_state",
    )
    chunk = 10

    def __init__(
        self,
        n_estimators: int = 100,
        min_samples_leaf: int = 15,
        max_features: str | float = "sqrt",
        max_samples: int | None = 2000,
        time_bins: int | None = 100,
        n_jobs: int = -1,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.max_samples = max_samples
        self.time_bins = time_bins
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(
        self,
        X: np.ndarray,  # noqa: N803
        y: np.ndarray,
        *,
        progress: ProgressFn | None = None,
        cancelled: CancelledFn | None = None,
    ) -> CohortRSFModel:
        """Grow the forest, ``chunk`` trees at a time, reporting progress."""
        from sksurv.ensemble import RandomSurvivalForest

        X = np.asarray(X, dtype=float)  # noqa: N806
        n = X.shape[0]
        max_samples = (
            None
            if self.max_samples is None or self.max_samples >= n
            else int(self.max_samples)
        )
        forest = RandomSurvivalForest(
            n_estimators=0,
            min_samples_leaf=self.min_samples_leaf,
            max_features=self.max_features,
            max_samples=max_samples,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
            warm_start=True,
        )
        y_fit = _bin_times(y, self.time_bins)
        grown = 0
        while grown < self.n_estimators:
            grown = min(grown + self.chunk, self.n_estimators)
            forest.set_params(n_estimators=grown)
            forest.fit(X, y_fit)
            step(
                progress,
                cancelled,
                grown / self.n_estimators,
                f"random survival forest: {grown}/{self.n_estimators} trees",
            )
        self.forest_ = forest
        self.unique_times_ = np.asarray(forest.unique_times_, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.warnings_: tuple[SurvivalWarning, ...] = ()
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        """Risk score: the ensemble's summed cumulative hazard (higher = worse)."""
        return np.asarray(self.forest_.predict(np.asarray(X, dtype=float)))

    def predict_survival_function(
        self,
        X: np.ndarray,
        times: np.ndarray | None = None,  # noqa: N803
    ) -> np.ndarray:
        """Survival probabilities, shape ``(n_samples, n_times)``."""
        surv = self.forest_.predict_survival_function(
            np.asarray(X, dtype=float), return_array=True
        )
        if times is None:
            return np.asarray(surv)
        times = np.asarray(times, dtype=float)
        return np.vstack([_step_at(self.unique_times_, s, times) for s in surv])


def _step_at(knots: np.ndarray, values: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Right-continuous step function through ``(knots, values)`` with S = 1 before."""
    idx = np.searchsorted(knots, times, side="right") - 1
    out = np.where(idx >= 0, values[np.clip(idx, 0, None)], 1.0)
    return out


def _bin_times(y: np.ndarray, bins: int | None) -> np.ndarray:
    if bins is None:
        return y
    event_times = y["time"][y["event"]]
    if np.unique(event_times).size <= bins:
        return y
    edges = np.unique(np.quantile(event_times, np.linspace(0, 1, bins + 1)[1:]))
    binned = y.copy()
    idx = np.clip(np.searchsorted(edges, y["time"], side="left"), 0, edges.size - 1)
    binned["time"] = np.where(y["time"] <= edges[-1], edges[idx], y["time"])
    return binned
