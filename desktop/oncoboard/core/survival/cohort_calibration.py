"""Calibration of cohort models at a horizon, and the Brier score against a KM null.

* **Brier score** at the horizon (IPCW, scikit-survival ``brier_score``) of
  the model and of a Kaplan-Meier "null model" that predicts the training
  fold's KM survival for every patient; ``brier_skill = 1 - model / null``
  (the index of prediction accuracy: above 0 means better than no covariates).
* **Calibration** of the out-of-fold predicted risk ``1 - S(t0 | x)``,
  following Austin, Harrell & van Klaveren (Stat Med 2020;39:2714-2742):
  the *calibration slope* is the coefficient of a Cox model of the outcome on
  the complementary log-log of the predicted risk (1 is ideal; below 1 means
  predictions too extreme); the *ICI* is the mean absolute difference between
  the predicted risk and the risk observed through a Cox model on a
  restricted cubic spline (3 knots) of that log-log, at the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_EPS = 1e-6


@dataclass(frozen=True)
class Calibration:
    """Calibration of out-of-fold predictions at ``horizon_months``."""

    horizon_months: float
    slope: float
    ici: float


def default_horizon(time: np.ndarray) -> float:
    """12 months if below the 80th percentile of follow-up, else the median follow-up."""
    if float(np.percentile(time, 80)) > 12.0:
        return 12.0
    return round(float(np.percentile(time, 50)), 1)


def brier_at(
    y_train: np.ndarray, y_test: np.ndarray, surv_at: np.ndarray, horizon: float
) -> tuple[float, float]:
    """Brier score at ``horizon`` of the model and of the training KM (null model).

    Parameters
    ----------
    y_train, y_test
        Structured ``(event, time)`` arrays; test times must not exceed the
        last training time (the IPCW weights need the censoring distribution).
    surv_at
        The model's S(horizon | x) for each test patient.
    horizon
        Months.
    """
    from sksurv.metrics import brier_score
    from sksurv.nonparametric import kaplan_meier_estimator

    _, model = brier_score(y_train, y_test, surv_at.reshape(-1, 1), [horizon])
    km_t, km_s = kaplan_meier_estimator(y_train["event"], y_train["time"])
    k = np.searchsorted(km_t, horizon, side="right")
    null_s = 1.0 if k == 0 else float(km_s[k - 1])
    _, null = brier_score(y_train, y_test, np.full((len(y_test), 1), null_s), [horizon])
    return float(model[0]), float(null[0])


def _rcs3(x: np.ndarray) -> np.ndarray:
    """The one nonlinear term of a restricted cubic spline with 3 knots (Harrell)."""
    k1, k2, k3 = np.percentile(x, [10, 50, 90])
    if not k1 < k2 < k3:
        return np.zeros_like(x)

    def cube(v: np.ndarray) -> np.ndarray:
        return np.maximum(v, 0.0) ** 3

    term = (
        cube(x - k1)
        - cube(x - k2) * (k3 - k1) / (k3 - k2)
        + cube(x - k3) * (k2 - k1) / (k3 - k2)
    )
    return term / (k3 - k1) ** 2


def calibration(
    time: np.ndarray, event: np.ndarray, surv_at: np.ndarray, horizon: float
) -> Calibration:
    """Calibration slope and ICI of predicted S(horizon | x) (out-of-fold).

    Raises
    ------
    ValueError
        If the predictions do not vary (no slope can be estimated).
    """
    import pandas as pd
    from lifelines import CoxPHFitter

    s = np.clip(np.asarray(surv_at, dtype=float), _EPS, 1 - _EPS)
    risk = 1.0 - s
    cll = np.log(-np.log(s))
    if np.ptp(cll) < 1e-9:
        raise ValueError("predicted survival does not vary: no calibration slope")
    df = pd.DataFrame({"t": time, "e": event, "cll": cll})
    slope = float(CoxPHFitter().fit(df, "t", "e").params_["cll"])
    df["cll_nl"] = _rcs3(cll)
    flexible = CoxPHFitter(penalizer=0.0)
    if np.ptp(df["cll_nl"]) < 1e-12:
        df = df.drop(columns="cll_nl")
    flexible.fit(df, "t", "e")
    observed = (
        1.0
        - flexible.predict_survival_function(
            df.drop(columns=["t", "e"]), times=[horizon]
        ).to_numpy()[0]
    )
    ici = float(np.mean(np.abs(risk - observed)))
    return Calibration(
        horizon_months=float(horizon), slope=round(slope, 4), ici=round(ici, 4)
    )
