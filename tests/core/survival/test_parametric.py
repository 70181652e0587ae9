"""Parametric fits (NICE DSU TSD 14 families): choice on known data, curves
matched to a median."""

from __future__ import annotations

import math

import numpy as np
import pytest

from oncoboard.core.survival import curves, parametric


def _weibull_sample(seed: int, shape: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = 10.0 * rng.weibull(shape, 600)
    c = rng.uniform(5, 40, 600)
    return np.minimum(t, c), (t <= c).astype(int)


def test_every_family_fits_and_aic_bic_are_consistent() -> None:
    time, event = _weibull_sample(7, 1.3)
    arm = parametric.fit_families(time, event)
    assert set(arm.fits) == set(parametric.FAMILIES)
    for f in arm.fits.values():
        k = len(f.params)
        assert f.aic == pytest.approx(-2 * f.log_likelihood + 2 * k, abs=1e-2)
        assert f.bic == pytest.approx(
            -2 * f.log_likelihood + k * math.log(600), abs=1e-2
        )


def test_weibull_data_are_not_best_fitted_by_the_exponential() -> None:
    time, event = _weibull_sample(7, 2.5)
    arm = parametric.fit_families(time, event)
    best, totals = parametric.choose_family([arm])
    assert best in ("weibull", "generalized_gamma", "rp_spline_1knot")
    assert totals["exponential"]["aic"] - totals[best]["aic"] > 50
    assert arm.fits["weibull"].params["rho_"] == pytest.approx(2.5, rel=0.15)


def test_one_family_is_chosen_for_both_arms_by_summed_aic() -> None:
    a = parametric.fit_families(*_weibull_sample(1, 2.5))
    b = parametric.fit_families(*_weibull_sample(2, 0.8))
    best, totals = parametric.choose_family([a, b])
    for fam, tot in totals.items():
        assert tot["aic"] == pytest.approx(a.fits[fam].aic + b.fits[fam].aic, abs=1e-2)
    assert totals[best]["aic"] == min(t["aic"] for t in totals.values())


def test_curve_has_a_band_that_contains_it() -> None:
    arm = parametric.fit_families(*_weibull_sample(3, 1.5))
    curve = arm.fits["gompertz"].curve(curves.default_grid())
    s, lo, hi = (np.array(curve[k]) for k in ("s", "lo", "hi"))
    assert s[0] == 1.0 and np.all(np.diff(s) <= 1e-9)
    assert np.all(lo <= s + 1e-6) and np.all(s <= hi + 1e-6)


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
