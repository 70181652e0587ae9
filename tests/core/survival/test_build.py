"""KB-build-time fits from real reconstructed trial data and from summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.survival.build import fit_kb_outcomes
from oncoboard.core.survival.jobs import JobCancelled

from ._helpers import aura3_entry, fits_of, make_entry

REQUIRED = {
    "entry_id",
    "trial",
    "endpoint",
    "arm",
    "role",
    "method",
    "distribution",
    "params",
    "aic",
    "median_months",
    "median_ci",
    "rmst_months",
    "horizon_months",
    "surv_12m",
    "km",
    "at_risk",
    "n",
    "citation",
    "approximation",
}


def test_every_fit_has_the_documented_keys_and_is_json(
    kb_fits: list[dict[str, Any]],
) -> None:
    assert kb_fits
    for fit in kb_fits:
        assert REQUIRED <= set(fit)
    assert json.loads(json.dumps(kb_fits)) == kb_fits


def test_aura3_arms_roles_and_figures(kb_fits: list[dict[str, Any]]) -> None:
    fits = {f["arm"]: f for f in fits_of(kb_fits, "TEST-AURA3")}
    osi, chemo = fits["osimertinib"], fits["platinum-pemetrexed"]
    assert (osi["role"], chemo["role"]) == ("experimental", "comparator")
    assert osi["method"] == "reconstructed-ipd" and osi["approximation"] is False
    assert osi["n"] == 279 and chemo["n"] == 140  # rows of the kmdata arms
    # the parametric median stays close to the Kaplan-Meier median of the same data
    assert osi["median_months"] == pytest.approx(osi["km_median_months"], rel=0.1)
    lo, hi = osi["median_ci"]
    assert lo < osi["median_months"] < hi
    assert osi["rmst_months"] > chemo["rmst_months"]
    assert osi["at_risk"]["n"][0] == 279
    assert osi["aic"] == min(osi["candidates_aic"].values())


def test_role_follows_the_entry_drugs_not_link_order(
    kb_fits: list[dict[str, Any]],
) -> None:
    fits = {f["arm"]: f["role"] for f in fits_of(kb_fits, "TEST-CLEOPATRA")}
    assert fits == {"pertuzumab": "experimental", "control": "comparator"}


def test_published_summary_comparator_derived_through_hr(
    kb_fits: list[dict[str, Any]],
) -> None:
    fits = {f["role"]: f for f in fits_of(kb_fits, "TEST-SYNTHETIC-SUMMARY")}
    exp, comp = fits["experimental"], fits["comparator"]
    assert exp["method"] == comp["method"] == "published-summary"
    assert exp["approximation"] and comp["approximation"]
    assert exp["median_months"] == pytest.approx(20.0, abs=0.01)
    assert comp["median_months"] == pytest.approx(10.0, abs=0.01)  # 20 x HR 0.5
    assert comp["arm"] == "control"
    assert any(w["code"] == "approximation" for w in exp["warnings"])
    assert exp["km"] is None and exp["at_risk"] is None


def test_unknown_kmdata_arm_is_a_user_error(kmdata_dir: Path) -> None:
    entry = make_entry(
        "TEST-BAD",
        ["osimertinib"],
        [
            {
                "trial": "AURA3",
                "arms": ["osimertinib"],
                "endpoint": "PFS",
                "citation": {"type": "pmid", "id": "1"},
                "kmdata": [{"dataset": "AURA3_1A", "arm": "osimertinb"}],
            }
        ],
    )
    with pytest.raises(UserInputError) as err:
        fit_kb_outcomes([entry], kmdata_dir)
    assert "TEST-BAD.outcomes[0].kmdata[0]" in str(err.value)
    assert "platinum-pemetrexed" in str(err.value)  # lists the real arms


def test_outcomes_without_time_to_event_data_are_skipped(kmdata_dir: Path) -> None:
    entry = make_entry(
        "TEST-ORR",
        ["x"],
        [
            {
                "trial": "T",
                "arms": ["x"],
                "endpoint": "ORR",
                "value_percent": 40.0,
                "citation": {"type": "pmid", "id": "1"},
            }
        ],
    )
    assert fit_kb_outcomes([entry], kmdata_dir) == []


def test_progress_and_cancel(kmdata_dir: Path) -> None:
    seen: list[float] = []
    fit_kb_outcomes([aura3_entry()], kmdata_dir, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    with pytest.raises(JobCancelled):
        fit_kb_outcomes([aura3_entry()], kmdata_dir, cancelled=lambda: True)


def test_comparator_without_hr_uses_its_published_median(kmdata_dir: Path) -> None:
    """SYNTHETIC figures: no HR, so the comparator's own median is used."""
    entry = make_entry(
        "TEST-NO-HR",
        ["drug y"],
        [
            {
                "trial": "SYNTHETIC-2",
                "arms": ["drug y", "control"],
                "endpoint": "PFS",
                "median_months": 12.0,
                "comparator_median_months": 6.0,
                "comparator_ci": [5.0, 7.5],
                "citation": {"type": "pmid", "id": "1"},
            }
        ],
    )
    fits = {f["role"]: f for f in fit_kb_outcomes([entry], kmdata_dir)}
    assert fits["comparator"]["median_months"] == pytest.approx(6.0, abs=0.01)
    assert fits["comparator"]["median_ci"] is not None
    assert fits["experimental"]["median_ci"] is None  # no CI reported: no band
    assert any("no usable CI" in w["message"] for w in fits["experimental"]["warnings"])
