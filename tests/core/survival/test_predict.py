"""Per-case figures: trial population (no patient adjustment), population fit,
follow-up limits, and the match-output contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from oncoboard.core.matching.result import Predicted
from oncoboard.core.survival.predict import predict_option, to_predicted

from ._helpers import fits_of, make_case


@pytest.fixture
def aura3(kb_fits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return fits_of(kb_fits, "TEST-AURA3")


@dataclass(frozen=True)
class Population:
    """A trial population as the KB's registry gives it (test stand-in)."""

    name: str
    ecog_range: tuple[int, int] | None = (0, 1)
    age_range: tuple[float, float] | None = (18.0, 85.0)
    followup: dict[str, float] = field(default_factory=dict)

    def followup_months(self, endpoint: str) -> float | None:
        return self.followup.get(endpoint)


def _figures(pred: Any) -> tuple[Any, ...]:
    return (
        pred.median_months,
        pred.median_ci,
        pred.rmst_months,
        pred.rmst_ci,
        pred.surv_12m,
        pred.survival,
        pred.lower,
        pred.upper,
    )


def test_sex_age_and_ecog_do_not_change_the_figures_only_the_warnings(
    aura3: list[dict[str, Any]],
) -> None:
    """Issue 15: a trial-population prediction is the same for every patient."""
    lookup = {"AURA3": Population("AURA3")}.get
    young = predict_option(
        aura3, make_case(age=45, sex="female", ecog=0), population=lookup
    )
    old = predict_option(
        aura3, make_case(age=90, sex="male", ecog=2), population=lookup
    )
    assert young is not None and old is not None
    assert _figures(young) == _figures(old)
    assert not [w for w in young.warnings if w.code == "population"]
    messages = [w.message for w in old.warnings if w.code == "population"]
    assert "ECOG 2: outside AURA3 (ECOG 0–1)" in messages
    assert "age 90: outside AURA3 (ages 18–85)" in messages
    assert "trial population" in old.note


def test_figures_are_the_kaplan_meier_figures_of_the_trial_arm(
    aura3: list[dict[str, Any]], kmdata_dir: Any
) -> None:
    from lifelines import KaplanMeierFitter

    from oncoboard.core.survival.kmdata import KmData

    arm = KmData(kmdata_dir).arm("AURA3_1A", "osimertinib")
    km_median = KaplanMeierFitter().fit(arm.time, arm.event).median_survival_time_
    pred = predict_option(aura3, make_case(age=60))
    osi = next(f for f in aura3 if f["arm"] == "osimertinib")
    assert pred is not None and pred.basis == "single-trial"
    assert osi["median_source"] == "kaplan-meier"
    assert pred.median_months == pytest.approx(km_median, abs=1e-3)
    assert pred.method == "reconstructed-ipd"
    assert pred.at_risk is not None and pred.km_times is not None
    assert pred.followup_months == osi["max_followup_months"]


def test_nothing_beyond_follow_up_is_a_number(aura3: list[dict[str, Any]]) -> None:
    """AURA3 follow-up ends at 17.6 months: RMST to 24 months is not reported."""
    treated = make_case(prior_therapies=[{"drugs": ["gefitinib"], "line": 1}])
    short = predict_option(aura3, treated, horizon_months=12.0)
    long = predict_option(aura3, treated, horizon_months=24.0)
    assert short.rmst_months is not None and short.rmst_ci is not None
    assert short.rmst_ci[0] < short.rmst_months < short.rmst_ci[1] <= 12.0
    assert long.rmst_months is None and long.rmst_ci is None
    assert any(w.code == "followup" and "17.6" in w.message for w in long.warnings)


def test_a_first_line_trial_is_never_a_prediction_for_a_treated_patient(
    kb_fits: list[dict[str, Any]],
) -> None:
    first_line = [dict(f, line="first") for f in fits_of(kb_fits, "TEST-AURA3")]
    naive = make_case()
    treated = make_case(
        prior_therapies=[{"drugs": ["carboplatin"], "setting": "metastatic"}]
    )
    assert predict_option(first_line, naive) is not None
    assert predict_option(first_line, treated) is None
    adjuvant_only = make_case(
        prior_therapies=[{"drugs": ["cisplatin"], "setting": "adjuvant"}]
    )
    assert predict_option(first_line, adjuvant_only) is not None


def test_unknown_trial_population_is_said_not_checked(
    aura3: list[dict[str, Any]],
) -> None:
    pred = predict_option(aura3, make_case(ecog=3), population=lambda name: None)
    assert any(
        "not checked" in w.message for w in pred.warnings if w.code == "population"
    )


def test_published_summary_keeps_an_open_ci_bound_open(
    kb_fits: list[dict[str, Any]],
) -> None:
    """SYNTHETIC published median 20 with CI 16-not reached stays one-sided."""
    fits = [
        dict(f, median_ci=[16.0, None]) if f["role"] == "experimental" else f
        for f in fits_of(kb_fits, "TEST-SYNTHETIC-SUMMARY")
    ]
    pred = predict_option(fits, make_case("BRCA"))
    out = to_predicted(pred, caveat="not anchored")
    assert out.median_months == pytest.approx(20.0)
    assert out.median_ci == (16.0, None)
    data = out.model_dump(mode="json")
    assert data["median_ci"] == [16.0, None]
    assert data["basis"] == "single-trial" and data["source_trial"] == "SYNTHETIC-1"
    assert {"code": "cross_trial", "message": "not anchored"} in data["warnings"]


def test_registry_follow_up_bounds_a_published_summary(
    kb_fits: list[dict[str, Any]],
) -> None:
    fits = fits_of(kb_fits, "TEST-SYNTHETIC-SUMMARY")
    free = predict_option(fits, make_case("BRCA"))
    assert free.rmst_months is not None
    assert any(w.code == "followup" for w in free.warnings)  # no curated follow-up
    lookup = {"SYNTHETIC-1": Population("SYNTHETIC-1", followup={"OS": 18.0})}.get
    bounded = predict_option(fits, make_case("BRCA"), population=lookup)
    assert bounded.followup_months == 18.0
    assert bounded.rmst_months is None  # 24-month RMST lies beyond 18 months
    assert bounded.median_months is None  # the median 20 lies beyond it too
    assert bounded.median_text == "not reached (> 18.0 months)"


def test_to_predicted_carries_the_contract_fields(aura3: list[dict[str, Any]]) -> None:
    pred = predict_option(aura3, make_case(), horizon_months=12.0)
    out = to_predicted(pred)
    assert isinstance(out, Predicted)
    assert out.source_trial == "AURA3" and out.basis == "single-trial"
    assert out.population is not None and out.population.n == 279
    assert out.followup_months == pytest.approx(17.6, abs=0.1)
    assert out.rmst_ci == pred.rmst_ci
    assert out.description.startswith(
        "Modelled progression-free survival in the trial population"
    )
    assert {w.code for w in out.warnings} >= {"extrapolation", "population"}


def test_no_experimental_time_to_event_fit_gives_none(
    kb_fits: list[dict[str, Any]],
) -> None:
    comparators = [f for f in kb_fits if f["role"] == "comparator"]
    assert predict_option(comparators, make_case()) is None
    assert predict_option([], make_case()) is None


def test_an_unstored_horizon_is_an_error(aura3: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="no RMST stored"):
        predict_option(aura3, make_case(), horizon_months=7.0)
