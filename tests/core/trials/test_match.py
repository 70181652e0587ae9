"""Matching vignettes against real records (issue 18), site selection and staleness."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from oncoboard.core.api import Context, analyse, import_trials, with_trials
from oncoboard.core.case.model import Case
from oncoboard.core.config import load_config
from oncoboard.core.matching.result import MatchResult
from oncoboard.core.trials.service import snapshot_of


def _case(code: str, alterations: list[dict[str, Any]], **extra: Any) -> Case:
    data = {
        "schema": "oncoboard.case/1",
        "case_id": "TRIAL-VIGNETTE",
        "patient": {"age": 61, "ecog": 1, "sex": "female"},
        "tumor": {"oncotree_code": code, "setting": "metastatic"},
        "samples": [{"id": "T1", "specimen": "tissue", "alterations": alterations}],
        **extra,
    }
    return Case.model_validate(data)


def _match(ctx: Context, case: Case, **kw: Any) -> MatchResult:
    analysis = analyse(ctx, case)
    if kw:
        analysis = with_trials(ctx, analysis, **kw)
    return analysis.match


@pytest.fixture
def imported(ctx: Context, trials_dir: Path) -> Context:
    import_trials(ctx, [trials_dir])
    return ctx


def _ids(m: MatchResult, kind: str | None = None) -> set[str]:
    assert m.trials is not None
    return {t.nct_id for t in m.trials if kind is None or t.match == kind}


G12C = [{"gene": "KRAS", "kind": "mutation", "protein": "p.G12C"}]


def test_kras_g12c_after_a_g12c_inhibitor_is_not_offered_trials_excluding_it(
    imported: Context,
) -> None:
    naive = _match(imported, _case("LUAD", G12C))
    assert {"NCT04956640", "NCT06875310"} <= _ids(naive)
    treated = _case(
        "LUAD",
        G12C,
        prior_therapies=[
            {
                "drugs": ["sotorasib"],
                "setting": "metastatic",
                "line": 2,
                "outcome": "progression",
            }
        ],
    )
    m = _match(imported, treated)
    assert not {"NCT04956640", "NCT06875310"} & _ids(m)
    listed = _match(imported, treated, include_excluded=True)
    excluded = {t.nct_id: t for t in listed.trials or [] if t.match == "excluded"}
    reason = next(r for r in excluded["NCT06875310"].reasons if r.outcome == "failed")
    assert "sotorasib" in reason.detail
    assert reason.sentence.startswith("Treatment targeting KRAS G12C mutation")


def test_her2_mutant_nsclc_finds_the_her2_mutant_lung_trial(imported: Context) -> None:
    m = _match(
        imported,
        _case(
            "LUAD", [{"gene": "ERBB2", "kind": "mutation", "protein": "p.Y772_A775dup"}]
        ),
    )
    trial = next(t for t in m.trials or [] if t.nct_id == "NCT05048797")
    assert (
        trial.match == "possible"
    )  # the exon of a duplication is not determined for ERBB2
    reason = next(r for r in trial.reasons if "exon" in r.criterion)
    assert "exons 19 or 20" in reason.sentence and "Y772_A775dup" in reason.detail


def test_her2_low_breast_finds_her2_low_not_her2_positive_only(
    imported: Context,
) -> None:
    case = _case(
        "IDC",
        [],
        biomarkers={"her2": {"ihc": "1+"}, "er": "positive", "pr": "positive"},
    )
    m = _match(imported, case)
    assert "NCT06331169" in _ids(m)
    assert "NCT01785420" not in _ids(m)  # HER2-positive breast only


def test_egfr_mutant_nsclc_not_offered_trials_excluding_egfr_drivers(
    imported: Context,
) -> None:
    case = _case("LUAD", [{"gene": "EGFR", "kind": "mutation", "protein": "p.L858R"}])
    m = _match(imported, case)
    assert not {"NCT06119581", "NCT05048797", "NCT05110196"} & _ids(m)
    assert {"NCT06417814"} <= _ids(m) or {"NCT06194448"} <= _ids(m)


def test_unknown_biomarker_makes_a_trial_possible_with_needs(imported: Context) -> None:
    m = _match(imported, _case("LUAD", [], patient={"age": 60}))
    sunray = next(t for t in m.trials or [] if t.nct_id == "NCT06119581")
    assert sunray.match == "possible"
    assert "KRAS G12C" in sunray.needs and "ECOG 0-1" in sunray.needs


def test_site_selects_trials_recruiting_here(
    imported: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _ids(_match(imported, _case("LUAD", G12C)))
    monkeypatch.setenv("ONCOBOARD_TRIALS_SITES", "Clearview Cancer Institute")
    ctx = Context.create(config=load_config())
    m = _match(ctx, _case("LUAD", G12C))
    assert m.trials_snapshot is not None and m.trials_snapshot.sites == [
        "Clearview Cancer Institute"
    ]
    assert "NCT06119581" in _ids(m) and _ids(m) < everything


def test_no_trials_key_without_an_import(ctx: Context) -> None:
    m = _match(ctx, _case("LUAD", G12C))
    assert "trials" not in m.to_json_dict() and m.trials is None


def test_snapshot_goes_stale_after_max_age() -> None:
    fresh = snapshot_of(
        "2026-01-01T10:00:00+00:00",
        max_age_days=30,
        sites=[],
        candidates=3,
        today=dt.date(2026, 1, 31),
    )
    stale = snapshot_of(
        "2026-01-01T10:00:00+00:00",
        max_age_days=30,
        sites=[],
        candidates=3,
        today=dt.date(2026, 2, 1),
    )
    assert not fresh.stale and stale.stale
