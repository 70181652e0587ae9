"""Matching with a site overlay (issue 17): what the board sees of the site's own curation.

The overlay is tests/data/site-curation/local.yaml, laid over the packaged KB the
way an analysis opens it (``<data dir>/site-curation``, no rebuild).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from oncoboard.core.pipeline import Analysis, analyse_case, methods_lines, open_kb
from vignette_dsl import alt, make_case

OVERLAY = Path(__file__).resolve().parents[2] / "data" / "site-curation"
CURATOR = "site curation (Dr A. Muster, 2026-11-30)"
OTHER_CURATOR = "site curation (Dr B. Beispiel, 2026-11-28)"


@pytest.fixture
def kb(isolated_home: Path):  # type: ignore[no-untyped-def]
    shutil.copytree(OVERLAY, isolated_home / "site-curation")
    return open_kb()


def _option(analysis: Analysis, drugs: list[str]):  # type: ignore[no-untyped-def]
    found = [o for o in analysis.match.options if o.drugs == drugs]
    assert found, [o.drugs for o in analysis.match.options]
    return found[0]


def test_added_entry_is_offered_with_source_site_curation_and_the_curator(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "PAAD", [alt("KRAS G12C")], prior=[(["gemcitabine"], "progression")]
    )
    option = _option(analyse_case(case, kb=kb), ["sotorasib"])
    assert option.rank == 1 and option.amp_tier == "IB"  # level B in this tumor type
    assert option.evidence[0].source == CURATOR
    assert (
        option.evidence[0].citation == "PMID:36546651 (CodeBreaK 100 pancreatic cohort)"
    )
    assert (
        f"SITE-KRAS-G12C-PAAD-SOTORASIB ({CURATOR}, level B)" in option.explanation[0]
    )


def test_ema_annotation_is_shown_with_the_curator_beside_the_bundled_fda_approval(
    kb,
) -> None:  # type: ignore[no-untyped-def]
    option = _option(
        analyse_case(make_case("LUAD", [alt("EGFR L858R")]), kb=kb), ["osimertinib"]
    )
    approvals = {(a.agency, a.date): a.source for a in option.approvals}
    assert approvals == {("FDA", "2018-04-18"): None, ("EMA", "2018-06-07"): CURATOR}
    assert any(
        n.startswith("EMA approval 2018-06-07") and CURATOR in n for n in option.notes
    )
    assert any("Formulary: first line only" in n and CURATOR in n for n in option.notes)
    data = option.model_dump(mode="json")
    assert (
        "source" not in data["approvals"][0]
        and data["approvals"][1]["source"] == CURATOR
    )


def test_conflicting_escat_keeps_the_bundled_tier_and_shows_both(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "IDC",
        [alt("ESR1 Y537S")],
        er="positive",
        her2={"ihc": "0"},
        prior=[(["letrozole", "palbociclib"], "progression")],
    )
    analysis = analyse_case(case, kb=kb)
    match, option = analysis.match, _option(analysis, ["elacestrant"])
    assert option.escat == "I-A"
    [note] = [n for n in option.notes if n.startswith("Conflict on the ESCAT tier")]
    assert "says I-A (OncoBoard curated, curated/breast.yaml)" in note
    assert f"{OTHER_CURATOR}, site-curation/local.yaml says II-A" in note
    assert "The bundled value is kept" in note
    flags = [f for f in match.flags if f.code == "site_curation_conflict"]
    assert [f.message for f in flags] == [note]


def test_conflicting_ema_date_keeps_the_bundled_date(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "COADREAD",
        [alt("BRAF V600E")],
        prior=[(["fluorouracil", "oxaliplatin"], "progression")],
    )
    option = _option(analyse_case(case, kb=kb), ["encorafenib", "cetuximab"])
    assert [a.date for a in option.approvals if a.agency == "EMA"] == ["2020-06-02"]
    assert any(
        "EMA approval date" in n and "2020-06-02" in n and "2020-06-03" in n
        for n in option.notes
    )


def test_methods_and_match_json_name_the_overlay_and_its_checksum(kb) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse_case(make_case("LUAD", [alt("EGFR L858R")]), kb=kb)
    file_sha = hashlib.sha256((OVERLAY / "local.yaml").read_bytes()).hexdigest()
    line = methods_lines(analysis)["Site curation"]
    assert (
        f"site-curation/local.yaml (1 entries, 3 annotations, SHA-256 {file_sha})"
        in line
    )
    assert f"Overlay SHA-256 {kb.site_overlay.sha256}" in line
    assert "2 annotation value(s) disagree" in line
    overlay = analysis.match.to_json_dict()["kb"]["overlay"]
    assert overlay == {
        "sha256": kb.site_overlay.sha256,
        "conflicts": 2,
        "files": [
            {
                "name": "site-curation/local.yaml",
                "sha256": file_sha,
                "entries": 1,
                "annotations": 3,
            }
        ],
    }


def test_without_an_overlay_folder_the_match_is_unchanged(isolated_home: Path) -> None:
    case = make_case("LUAD", [alt("EGFR L858R")])
    plain = analyse_case(case, kb=open_kb())
    data = plain.match.to_json_dict()
    assert "overlay" not in data["kb"]
    assert all("source" not in a for o in data["options"] for a in o["approvals"])
    assert "Site curation" not in methods_lines(plain)
    assert not any(f["code"] == "site_curation_conflict" for f in data["flags"])
