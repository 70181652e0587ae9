"""Per-case prediction: choice of fit, patient adjustment, match output."""

from __future__ import annotations

from typing import Any

import pytest

from oncoboard.core.matching.result import Predicted
from oncoboard.core.survival.issues import OutOfRangeWarning
from oncoboard.core.survival.predict import (
    ADJUSTMENT_OFF_NOTE,
    predict_option,
    to_predicted,
)

from ._helpers import fits_of, make_case


@pytest.fixture
def aura3(kb_fits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return fits_of(kb_fits, "TEST-AURA3")


def test_unadjusted_prediction_is_the_experimental_arm_fit(
    aura3: list[dict[str, Any]],
) -> None:
    pred = predict_option(aura3, make_case(age=60), adjust=False)
    osi = next(f for f in aura3 if f["arm"] == "osimertinib")
    assert pred is not None and not pred.adjusted
    assert pred.median_months == pytest.approx(osi["median_months"], abs=1e-3)
    assert pred.rmst_months == pytest.approx(osi["rmst_months"], abs=1e-3)
    assert pred.method == "reconstructed-ipd"
    assert pred.at_risk is not None and pred.km_times is not None


def test_frail_patient_has_shorter_predicted_survival(
    aura3: list[dict[str, Any]],
) -> None:
    base = predict_option(aura3, make_case(), adjust=False)
    frail = predict_option(aura3, make_case(age=78, sex="male", ecog=2))
    fit = predict_option(aura3, make_case(age=50, sex="female", ecog=0))
    assert frail.adjusted and fit.adjusted
    assert frail.rmst_months < base.rmst_months < fit.rmst_months
    assert frail.median_months < base.median_months < fit.median_months
    assert "NCCTG" in frail.adjustment_note and "hazard ratio" in frail.adjustment_note
    # the band also carries the Cox coefficients' uncertainty: it is wider
    lo, hi = frail.median_ci
    assert frail.median_months - lo > 0 and hi - frail.median_months > 0


def test_unknown_covariates_stay_at_the_reference(aura3: list[dict[str, Any]]) -> None:
    pred = predict_option(aura3, make_case())
    base = predict_option(aura3, make_case(), adjust=False)
    assert pred.adjusted
    assert pred.rmst_months == pytest.approx(base.rmst_months, abs=1e-3)
    assert "age, male, ecog" in pred.adjustment_note


def test_non_lung_tumor_is_not_adjusted_and_says_so(
    aura3: list[dict[str, Any]],
) -> None:
    pred = predict_option(aura3, make_case("BRCA", age=80, ecog=3))
    assert not pred.adjusted
    assert pred.adjustment_note == ADJUSTMENT_OFF_NOTE
    pred = predict_option(
        aura3, make_case("LUAD", age=80), oncotree_main_type="Breast Cancer"
    )
    assert not pred.adjusted


def test_patient_outside_cohort_range_is_warned(aura3: list[dict[str, Any]]) -> None:
    pred = predict_option(aura3, make_case(ecog=4, age=90))
    ranges = [w for w in pred.warnings if isinstance(w, OutOfRangeWarning)]
    assert len(ranges) == 2


def test_horizon_changes_rmst_and_extrapolation_is_flagged(
    aura3: list[dict[str, Any]],
) -> None:
    short = predict_option(aura3, make_case(), horizon_months=12.0, adjust=False)
    long = predict_option(aura3, make_case(), horizon_months=36.0, adjust=False)
    assert short.rmst_months < long.rmst_months <= 36.0
    assert short.horizon_months == 12.0
    assert not any(w.code == "extrapolation" for w in short.warnings)
    assert any(w.code == "extrapolation" for w in long.warnings)


def test_published_summary_and_to_predicted(kb_fits: list[dict[str, Any]]) -> None:
    pred = predict_option(fits_of(kb_fits, "TEST-SYNTHETIC-SUMMARY"), make_case("BRCA"))
    assert pred.method == "published-summary" and pred.approximation
    out = to_predicted(pred)
    assert isinstance(out, Predicted)
    assert out.endpoint == "OS" and out.method == "published-summary"
    assert out.median_months == pytest.approx(20.0, abs=0.01)
    assert "approximation" in out.source


def test_no_experimental_time_to_event_fit_gives_none(
    kb_fits: list[dict[str, Any]],
) -> None:
    comparators = [f for f in kb_fits if f["role"] == "comparator"]
    assert predict_option(comparators, make_case()) is None
    assert predict_option([], make_case()) is None


def test_adjusted_curve_keeps_trial_numbers_at_risk_but_not_km(
    aura3: list[dict[str, Any]],
) -> None:
    pred = predict_option(aura3, make_case(age=70, ecog=1))
    assert pred.adjusted
    assert pred.at_risk is not None and pred.at_risk["n"][0] == 279
    assert pred.km_times is None  # the trial's KM steps describe the unadjusted curve
