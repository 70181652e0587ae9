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
    "bic",
    "candidates",
    "selection",
    "median_months",
    "median_ci",
    "median_source",
    "rmst_months",
    "rmst_ci",
    "rmst_by_horizon",
    "horizon_months",
    "max_followup_months",
    "surv_12m",
    "curve",
    "km",
    "at_risk",
    "n",
    "citation",
    "approximation",
    "reconstruction",
    "warnings",
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
    assert osi["median_source"] == "kaplan-meier"
    lo, hi = osi["median_ci"]
    assert lo < osi["median_months"] < hi
    # follow-up ends at 17.6 months: RMST to 12 is stored, to 24 is not
    assert osi["max_followup_months"] == pytest.approx(17.6, abs=0.1)
    assert "12" in osi["rmst_by_horizon"] and "24" not in osi["rmst_by_horizon"]
    assert osi["rmst_months"] is None and osi["rmst_ci"] is None
    assert osi["rmst_by_horizon"]["12"][0] > chemo["rmst_by_horizon"]["12"][0]
    assert osi["at_risk"]["n"][0] == 279
    assert osi["kmdata_quality_percent"] == 75.0  # kmdata_key_study_metadata.csv
    assert osi["curve_pmid"] == "27959700"


def test_one_family_for_both_arms_with_aic_and_bic_recorded(
    kb_fits: list[dict[str, Any]],
) -> None:
    from oncoboard.core.survival.parametric import FAMILIES

    fits = fits_of(kb_fits, "TEST-AURA3")
    assert len({f["distribution"] for f in fits}) == 1
    sel = fits[0]["selection"]
    assert sel == fits[1]["selection"]
    totals = sel["totals"]
    assert set(totals) <= set(FAMILIES) and len(totals) >= 5
    assert sel["family"] == min(totals, key=lambda k: totals[k]["aic"])
    for f in fits:
        assert set(f["candidates"]) >= set(totals)
        assert f["aic"] == f["candidates"][f["distribution"]]["aic"]
        assert f["bic"] == f["candidates"][f["distribution"]]["bic"]
    # summed over the arms
    fam = sel["family"]
    assert totals[fam]["aic"] == pytest.approx(
        sum(f["candidates"][fam]["aic"] for f in fits), abs=1e-2
    )


def test_reconstruction_matches_the_published_figures_or_fails_the_build(
    kmdata_dir: Path,
) -> None:
    """AURA3 (PMID 27959700): median 10.1 vs 4.4 months, HR 0.30. The pseudo-patient
    Cox HR is 0.37: without a recorded reason the build fails; with one it passes."""
    outcome = {
        "trial": "AURA3",
        "arms": ["osimertinib", "platinum-pemetrexed"],
        "endpoint": "PFS",
        "median_months": 10.1,
        "comparator_median_months": 4.4,
        "hr": 0.30,
        "citation": {"type": "pmid", "id": "27959700"},
        "kmdata": [
            {"dataset": "AURA3_1A", "arm": "osimertinib"},
            {"dataset": "AURA3_1A", "arm": "platinum-pemetrexed"},
        ],
    }
    with pytest.raises(UserInputError) as err:
        fit_kb_outcomes([make_entry("TEST-R", ["osimertinib"], [outcome])], kmdata_dir)
    text = str(err.value)
    assert "TEST-R.outcomes[0].kmdata[0]" in text and "hazard ratio" in text
    assert "median (experimental)" not in text  # 9.7 vs 10.1 is within 10%
    outcome["kmdata"][0]["discrepancy"] = {
        "reason": "reconstruction",
        "note": "pseudo-patient Cox HR 0.37 vs published 0.30 (test)",
    }
    fits = fit_kb_outcomes(
        [make_entry("TEST-R", ["osimertinib"], [outcome])], kmdata_dir
    )
    rec = fits[0]["reconstruction"]
    assert rec["passed"] is False and rec["discrepancy"]["reason"] == "reconstruction"
    assert any(
        "recorded reason reconstruction" in w["message"] for w in fits[0]["warnings"]
    )


def test_a_curve_from_another_publication_needs_a_reason(kmdata_dir: Path) -> None:
    outcome = {
        "trial": "AURA3",
        "arms": ["osimertinib", "platinum-pemetrexed"],
        "endpoint": "PFS",
        "citation": {"type": "pmid", "id": "1"},
        "kmdata": [
            {"dataset": "AURA3_1A", "arm": "osimertinib"},
            {"dataset": "AURA3_1A", "arm": "platinum-pemetrexed"},
        ],
    }
    with pytest.raises(UserInputError, match="reconstructed from PMID 27959700"):
        fit_kb_outcomes([make_entry("TEST-P", ["osimertinib"], [outcome])], kmdata_dir)


@pytest.mark.slow
def test_the_curated_kb_passes_the_reconstruction_check(kmdata_dir: Path) -> None:
    """Every kmdata link of knowledgebase/curated matches its published figures,
    or records why not (issue 15)."""
    from oncoboard.core.kb.curated import load_curated

    repo = Path(__file__).resolve().parents[3]
    curated, problems = load_curated(repo / "knowledgebase" / "curated")
    assert not problems
    entries = [c.entry for c in curated if any(o.kmdata for o in c.entry.outcomes)]
    fits = fit_kb_outcomes(entries, kmdata_dir)
    ipd = [f for f in fits if f["method"] == "reconstructed-ipd"]
    assert ipd and all(f["reconstruction"] is not None for f in ipd)
    unexplained = [
        f["kmdata_dataset"]
        for f in ipd
        if not f["reconstruction"]["passed"]
        and f["reconstruction"]["discrepancy"] is None
    ]
    assert unexplained == []


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
    assert exp["median_months"] == 20.0 and exp["median_ci"] == [16.0, 25.0]
    assert comp["median_months"] == pytest.approx(10.0, abs=0.01)  # 20 x HR 0.5
    assert comp["median_source"] == "derived-through-hr"
    assert comp["arm"] == "control"
    assert any(w["code"] == "approximation" for w in exp["warnings"])
    assert any(w["code"] == "followup" for w in exp["warnings"])  # none curated
    assert exp["km"] is None and exp["at_risk"] is None


def test_published_summary_stops_at_its_curated_follow_up(kmdata_dir: Path) -> None:
    """SYNTHETIC figures: with 18 months of follow-up no 24-month RMST is stored."""
    entry = make_entry(
        "TEST-FU",
        ["drug z"],
        [
            {
                "trial": "SYNTHETIC-3",
                "arms": ["drug z", "control"],
                "endpoint": "PFS",
                "median_months": 12.0,
                "median_ci": [10.0, None],
                "followup_months": 18.0,
                "citation": {"type": "pmid", "id": "1"},
            }
        ],
    )
    (fit,) = fit_kb_outcomes([entry], kmdata_dir)
    assert fit["max_followup_months"] == 18.0
    assert fit["median_ci"] == [10.0, None]  # the open bound stays open
    assert set(fit["rmst_by_horizon"]) == {"6", "12", "18"}
    assert fit["rmst_months"] is None
    assert not any(w["code"] == "followup" for w in fit["warnings"])


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


def test_comparator_uses_its_published_median(kmdata_dir: Path) -> None:
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
    assert fits["comparator"]["median_ci"] == [5.0, 7.5]
    assert fits["comparator"]["median_source"] == "published"
    assert fits["experimental"]["median_ci"] is None  # no CI reported: no band
    assert any("no usable CI" in w["message"] for w in fits["experimental"]["warnings"])
