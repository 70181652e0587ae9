"""The site overlay (issue 17, "A site's own curation"): reading, checking, conflicts,
the KB-open integration, the checksum and ``oncoboard kb overlay validate|list``.

Matching with an overlay is tested in tests/core/matching/test_site_curation.py.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from oncoboard.cli.main import main
from oncoboard.core.errors import NotFoundError, UserInputError
from oncoboard.core.kb.entry import SITE
from oncoboard.core.kb.overlay import read_overlay
from oncoboard.core.kb.paths import packaged_kb_path
from oncoboard.core.kb.store import KnowledgeBase
from oncoboard.core.pipeline import open_kb

DATA = Path(__file__).resolve().parents[2] / "data"
VALID = DATA / "site-curation"
INVALID = DATA / "site-curation-invalid"
ADDED = "SITE-KRAS-G12C-PAAD-SOTORASIB"
OSIMERTINIB = "EGFR-L858R-NSCLC-OSIMERTINIB-1L"
ELACESTRANT = "ESR1-HRPOS-BRCA-ELACESTRANT"
ENCO_CETUX = "BRAF-V600E-COADREAD-ENCORAFENIB-CETUXIMAB-2L"


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return KnowledgeBase.open(packaged_kb_path())


@pytest.fixture
def site_folder(isolated_home: Path) -> Path:
    """The default overlay folder, <data dir>/site-curation, holding the valid fixture."""
    folder = isolated_home / "site-curation"
    shutil.copytree(VALID, folder)
    return folder


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(text, encoding="utf-8")
    return folder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- a valid overlay --------------------------------------------------------------------


def test_valid_overlay_adds_entries_and_annotations(bundled: KnowledgeBase) -> None:
    site = read_overlay(VALID, bundled)
    assert site is not None and site.problems == ()
    [added] = site.entries
    assert added.id == ADDED and added.source == SITE
    assert added.site[0].label == "site curation (Dr A. Muster, 2026-11-30)"
    assert added.site[0].source_file == "site-curation/local.yaml"
    [osimertinib] = site.annotations[OSIMERTINIB]
    assert [(a.agency, a.date.isoformat()) for a in osimertinib.approvals] == [
        ("EMA", "2018-06-07")
    ]
    assert osimertinib.note and "Formulary" in osimertinib.note
    assert site.annotation_count == 3


def test_open_for_analysis_lays_the_default_folder_over_the_kb(
    site_folder: Path,
) -> None:
    kb = open_kb()
    assert kb.site_overlay is not None and kb.site_overlay.location == site_folder
    entry = kb.entry(ADDED)
    assert entry.source == SITE and entry in kb.entries_for_gene("KRAS")
    annotated = kb.entry(OSIMERTINIB)
    # The bundled facts are untouched; what the site adds rides beside them.
    assert [a.agency for a in annotated.approvals] == ["FDA"]
    assert [a.agency for s in annotated.site for a in s.approvals] == ["EMA"]
    assert kb.verify()  # nothing was written to the KB file


def test_configured_overlay_file_is_used_and_a_missing_one_is_an_error(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOBOARD_KB_SITE_OVERLAY", str(VALID / "local.yaml"))
    kb = open_kb()
    assert kb.site_overlay is not None and kb.entry(ADDED).source == SITE
    monkeypatch.setenv("ONCOBOARD_KB_SITE_OVERLAY", str(isolated_home / "nowhere"))
    with pytest.raises(NotFoundError, match="kb.site_overlay"):
        open_kb()


# -- an invalid overlay -----------------------------------------------------------------


def test_invalid_overlay_names_file_entry_and_key(bundled: KnowledgeBase) -> None:
    site = read_overlay(INVALID, bundled)
    assert site is not None
    text = "\n".join(str(p) for p in site.problems)
    assert (
        "site-curation-invalid/bad.yaml entry SITE-BAD-1 field curator: Field required"
        in text
    )
    assert "SITE-BAD-1 field biomarker.gene: unknown HGNC gene symbol 'EGRF'" in text
    assert "SITE-BAD-1 field tumor: 'NSCLCX' is not an OncoTree code" in text
    assert "SITE-BAD-1 field therapy.0: 'tagrisso' is a synonym or brand" in text
    assert "(annotation of NO-SUCH-ENTRY) field annotate.entry" in text
    assert (
        "(annotation of NO-SUCH-ENTRY) field annotate.citations: ESCAT II-A needs its source"
        in text
    )


def test_invalid_overlay_refuses_the_analysis_kb(isolated_home: Path) -> None:
    shutil.copytree(INVALID, isolated_home / "site-curation")
    with pytest.raises(UserInputError) as info:
        open_kb()
    assert "bad.yaml entry SITE-BAD-1 field curator" in str(info.value)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # a bundled id may not be reused
        (
            f"id: {OSIMERTINIB}\n    biomarker: {{gene: EGFR, kind: variant, variant: L858R}}\n"
            "    tumor: NSCLC\n    therapy: [osimertinib]",
            "field id: EGFR-L858R-NSCLC-OSIMERTINIB-1L is a bundled entry",
        ),
        # the same claim as a bundled entry: annotate it instead
        (
            "id: SITE-OSI\n    biomarker: {gene: EGFR, kind: variant, variant: L858R}\n"
            "    tumor: NSCLC\n    therapy: [osimertinib]\n    setting: {line: first}",
            "duplicate of bundled EGFR-L858R-NSCLC-OSIMERTINIB-1L",
        ),
    ],
)
def test_site_entries_respect_the_bundled_kb(
    bundled: KnowledgeBase, tmp_path: Path, item: str, expected: str
) -> None:
    folder = _write(
        tmp_path / "site-curation",
        f"""entries:
  - {item}
    curator: Dr A. Muster
    curated_on: 2026-11-30
    direction: sensitive
    amp_level: A
    citations: [{{type: pmid, id: "29151359"}}]
    summary: "A site entry for the test of the bundled-KB rules."
""",
    )
    site = read_overlay(folder, bundled)
    assert site is not None
    assert any(expected in str(p) for p in site.problems), site.problems


def test_annotation_rules(bundled: KnowledgeBase, tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "site-curation",
        f"""entries:
  - annotate:
      entry: {OSIMERTINIB}
      approvals:
        - {{agency: EMA, date: 2026-12-01, label: "Tagrisso"}}
    curator: Dr A. Muster
    curated_on: 2026-11-30
  - annotate: {{entry: {OSIMERTINIB}}}
    curator: Dr A. Muster
    curated_on: 2026-11-30
""",
    )
    site = read_overlay(folder, bundled)
    assert site is not None
    text = "\n".join(str(p) for p in site.problems)
    assert (
        "field annotate.approvals.0.date: 2026-12-01 is after curated_on 2026-11-30"
        in text
    )
    assert "field annotate.approvals.0.note: EMA approval needs a note" in text
    assert (
        "#2 (annotation of EGFR-L858R-NSCLC-OSIMERTINIB-1L) field annotate: "
        "an annotation needs escat, approvals or a note" in text
    )


# -- conflicts --------------------------------------------------------------------------


def test_conflicting_annotations_keep_the_bundled_value_and_show_both(
    bundled: KnowledgeBase,
) -> None:
    site = read_overlay(VALID, bundled)
    assert site is not None
    by_entry = {c.entry_id: c for c in site.conflicts}
    escat = by_entry[ELACESTRANT]
    assert (escat.field, escat.bundled, escat.site) == ("escat", "I-A", "II-A")
    assert escat.bundled_source == "OncoBoard curated, curated/breast.yaml"
    assert (
        escat.site_source
        == "site curation (Dr B. Beispiel, 2026-11-28), site-curation/local.yaml"
    )
    ema = by_entry[ENCO_CETUX]
    assert (ema.field, ema.bundled, ema.site) == (
        "approvals.EMA",
        "2020-06-02",
        "2020-06-03",
    )
    merged = site.merge({e.id: e for e in bundled.all_entries()})
    assert merged[ELACESTRANT].escat == "I-A"
    assert (
        merged[ELACESTRANT].site[0].escat is None
    )  # not added beside the bundled tier
    assert [
        a.date.isoformat() for a in merged[ENCO_CETUX].approvals if a.agency == "EMA"
    ] == ["2020-06-02"]
    assert merged[ENCO_CETUX].site[0].approvals == ()
    assert "I-A" in escat.sentence() and "II-A" in escat.sentence()


# -- checksum and no overlay ------------------------------------------------------------


def test_checksum_covers_every_file(bundled: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "site-curation"
    shutil.copytree(VALID, folder)
    site = read_overlay(folder, bundled)
    assert site is not None
    [f] = site.files
    assert f.sha256 == hashlib.sha256((VALID / "local.yaml").read_bytes()).hexdigest()
    before = site.sha256
    with (folder / "local.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    after = read_overlay(folder, bundled)
    assert after is not None and after.sha256 != before


def test_no_overlay_folder_changes_nothing(isolated_home: Path) -> None:
    assert not (isolated_home / "site-curation").exists()
    kb = open_kb()
    assert kb.site_overlay is None
    assert all(not e.site and e.source != SITE for e in kb.all_entries())


# -- CLI --------------------------------------------------------------------------------


def test_cli_validate_invalid_exits_2_naming_file_and_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["kb", "overlay", "validate", str(INVALID)], capsys)
    assert code == 2
    assert "bad.yaml entry SITE-BAD-1 field curator" in err
    assert "field annotate.entry" in err
    code, _, err = run(
        ["kb", "overlay", "validate", str(INVALID / "missing.yaml")], capsys
    )
    assert code == 2 and "missing.yaml" in err


def test_cli_validate_and_list(
    site_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["kb", "overlay", "validate"], capsys)
    assert code == 0
    assert "valid: 1 entries, 3 annotations, 2 conflicts" in out
    code, out, _ = run(["kb", "overlay", "list"], capsys)
    assert code == 0
    assert ADDED in out and "Dr A. Muster, 2026-11-30" in out
    assert f"{OSIMERTINIB:<40} adds EMA 2018-06-07, a local note" in out
    assert "conflicts (2):" in out
    code, out, _ = run(["kb", "overlay", "list", "--json"], capsys)
    data = json.loads(out)
    assert [e["id"] for e in data["entries"]] == [ADDED]
    assert {c["entry"] for c in data["conflicts"]} == {ELACESTRANT, ENCO_CETUX}
    assert data["entries"][0]["curator"] == "Dr A. Muster"


def test_cli_without_overlay(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["kb", "overlay", "validate"], capsys)
    assert code == 0 and "no site curation at" in out
