"""Parametric fits: AIC choice on known data, curves matched to a median."""

from __future__ import annotations

import math

import numpy as np
import pytest

from oncoboard.core.survival import curves, parametric


def test_aic_picks_weibull_for_strongly_weibull_data() -> None:
    rng = np.random.default_rng(7)
    t = 10.0 * rng.weibull(2.5, 600)
    c = rng.uniform(5, 40, 600)
    fit = parametric.fit_ipd(
        np.minimum(t, c), (t <= c).astype(int), curves.default_grid()
    )
    assert fit.distribution == "weibull"
    assert fit.params["rho_"] == pytest.approx(2.5, rel=0.15)
    assert set(fit.candidates_aic) == set(parametric.DISTRIBUTIONS)
    assert fit.aic == min(fit.candidates_aic.values())


@pytest.mark.parametrize(
    "dist,params",
    [
        ("exponential", {"lambda_": 10.0}),
        ("weibull", {"lambda_": 10.0, "rho_": 1.5}),
        ("lognormal", {"mu_": math.log(10.0), "sigma_": 0.8}),
        ("loglogistic", {"alpha_": 10.0, "beta_": 2.0}),
    ],
)
def test_survival_function_is_one_at_zero_and_decreasing(
    dist: str, params: dict
) -> None:
    s = parametric.survival_function(dist, params, np.array([0.0, 5.0, 10.0, 50.0]))
    assert s[0] == pytest.approx(1.0)
    assert np.all(np.diff(s) < 0)


def test_exponential_from_median_reproduces_median_and_ci() -> None:
    se = parametric.log_se_from_ci(20.0, (16.0, 25.0))
    fit = parametric.exponential_from_median(20.0, se, curves.default_grid())
    s = curves.summarise(fit.times, fit.survival, fit.lower, fit.upper, 24.0)
    assert s.median_months == pytest.approx(20.0, abs=0.01)
    assert s.median_ci == (pytest.approx(16.0, abs=0.05), pytest.approx(25.0, abs=0.05))


def test_log_se_handles_open_upper_limit() -> None:
    assert parametric.log_se_from_ci(20.0, (16.0, None)) == pytest.approx(
        math.log(20 / 16) / parametric.Z95
    )
    assert parametric.log_se_from_ci(20.0, None) is None
