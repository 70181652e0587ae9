"""Curve summaries: median, RMST, survival at 12 months, numbers at risk."""

from __future__ import annotations

import math

import numpy as np
import pytest

from oncoboard.core.survival import curves


def test_rmst_of_exponential_matches_closed_form() -> None:
    grid = curves.default_grid()
    scale = 10.0
    s = np.exp(-grid / scale)
    expected = scale * (1 - math.exp(-24.0 / scale))
    assert curves.rmst(grid, s, 24.0) == pytest.approx(expected, rel=1e-3)


def test_rmst_at_horizon_between_grid_points() -> None:
    t = [0.0, 10.0, 20.0]
    s = [1.0, 1.0, 1.0]
    assert curves.rmst(t, s, 15.0) == pytest.approx(15.0)
    with pytest.raises(ValueError):
        curves.rmst(t, s, 30.0)


def test_median_and_its_ci_come_from_curve_and_band() -> None:
    grid = curves.default_grid()
    summary = curves.summarise(
        grid,
        np.exp(-grid * math.log(2) / 12),
        np.exp(-grid * math.log(2) / 9),
        np.exp(-grid * math.log(2) / 16),
        24.0,
    )
    assert summary.median_months == pytest.approx(12.0, abs=0.01)
    assert summary.median_ci == (
        pytest.approx(9.0, abs=0.01),
        pytest.approx(16.0, abs=0.01),
    )
    assert summary.rmst_ci[0] < summary.rmst_months < summary.rmst_ci[1]
    assert summary.surv_12m == pytest.approx(0.5, abs=1e-3)


def test_median_not_reached_is_none() -> None:
    grid = curves.default_grid()
    assert curves.crossing_time(grid, np.full(grid.shape, 0.8)) is None


def test_at_risk_counts_patients_still_followed() -> None:
    table = curves.at_risk_table([1.0, 5.0, 7.0, 13.0], every=6.0)
    assert table == {"t": [0.0, 6.0, 12.0], "n": [4, 2, 1]}
