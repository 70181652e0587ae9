"""The bundled NCCTG lung Cox model matches a refit on the real cohort."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.survival.prognostic import NCCTG_LUNG, fit_lung_model


def test_stored_coefficients_match_a_refit(survival_data: Path) -> None:
    path = survival_data / "lifelines" / "lung.csv"
    if not path.is_file():
        pytest.skip("lung.csv not available")
    refit = fit_lung_model(path)
    assert refit.coef == pytest.approx(NCCTG_LUNG.coef, rel=1e-4)
    for row, stored in zip(refit.variance, NCCTG_LUNG.variance, strict=True):
        assert row == pytest.approx(stored, rel=1e-4)
    assert refit.means == pytest.approx(NCCTG_LUNG.means, rel=1e-5)
    assert (refit.n, refit.events) == (NCCTG_LUNG.n, NCCTG_LUNG.events)
    assert refit.ranges == NCCTG_LUNG.ranges


def test_worse_ecog_and_male_sex_raise_the_hazard() -> None:
    ref = NCCTG_LUNG.means
    worse, _ = NCCTG_LUNG.linear_predictor({**ref, "ecog": 2.0, "male": 1.0}, ref)
    better, _ = NCCTG_LUNG.linear_predictor({**ref, "ecog": 0.0, "male": 0.0}, ref)
    assert better < 0 < worse


def test_applies_to_lung_only() -> None:
    assert NCCTG_LUNG.applies_to("Non-Small Cell Lung Cancer", None)
    assert NCCTG_LUNG.applies_to(None, "LUAD")
    assert not NCCTG_LUNG.applies_to("Breast Cancer", "LUAD")  # main type wins
    assert not NCCTG_LUNG.applies_to(None, "BRCA")
