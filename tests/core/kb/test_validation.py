"""Every kind of validation error fails the build and names file, entry and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from oncoboard.core.api import build_kb
from oncoboard.core.errors import UserInputError
from oncoboard.core.kb.build import read_inputs

FILE = "curated/fixture.yaml"
OSI = "FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB"
RES = "FIXTURE-EGFR-T790M-NSCLC-GEFITINIB-RES"


def _edit(kb_dir: Path, change: Callable[[list[dict[str, Any]]], None]) -> None:
    path = kb_dir / "curated" / "fixture.yaml"
    data = yaml.safe_load(path.read_text())
    change(data["entries"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _problems(kb_dir: Path, shared: Path, small_civic: Path) -> str:
    with pytest.raises(UserInputError) as info:
        read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    return str(info.value)


def _set(index: int, field: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def change(entries: list[dict[str, Any]]) -> None:
        target: dict[str, Any] = entries[index]
        *parents, last = field.split(".")
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]  # type: ignore[index]
        target[last] = value

    return change


CASES = [
    pytest.param(
        _set(0, "biomarker.gene", "EGRF"),
        OSI,
        "biomarker.gene",
        "unknown HGNC gene symbol 'EGRF' (did you mean 'EGFR'?)",
        id="unknown-gene",
    ),
    pytest.param(
        _set(0, "tumor", "NSCLCX"),
        OSI,
        "tumor",
        "not an OncoTree code",
        id="unknown-oncotree-code",
    ),
    pytest.param(
        _set(0, "tumor_exclude", ["NOPE"]),
        OSI,
        "tumor_exclude.0",
        "not an OncoTree code",
        id="unknown-excluded-code",
    ),
    pytest.param(
        _set(0, "therapy", ["osimertinibb"]),
        OSI,
        "therapy.0",
        "not in the drug vocabulary",
        id="unknown-drug",
    ),
    pytest.param(
        _set(0, "therapy", ["Tagrisso"]),
        OSI,
        "therapy.0",
        "write the vocabulary name 'osimertinib'",
        id="brand-instead-of-inn",
    ),
    pytest.param(
        _set(0, "amp_level", "E"),
        OSI,
        "amp_level",
        "'A', 'B', 'C' or 'D'",
        id="bad-level",
    ),
    pytest.param(
        _set(0, "direction", "responsive"),
        OSI,
        "direction",
        "'sensitive' or 'resistant'",
        id="bad-direction",
    ),
    pytest.param(
        _set(0, "escat", "I-Z"), OSI, "escat", "unknown ESCAT tier", id="bad-escat"
    ),
    pytest.param(
        _set(0, "citations", []), OSI, "citations", "at least 1 item", id="no-citation"
    ),
    pytest.param(
        _set(0, "citations", [{"type": "pmid", "id": "PMID:123"}]),
        OSI,
        "citations.0",
        "PMID must be digits only",
        id="malformed-pmid",
    ),
    pytest.param(
        _set(2, "approvals", [{"agency": "FDA", "date": "2022-02-30", "label": "x"}]),
        "FIXTURE-HER2LOW-BRCA-TDXD",
        "approvals.0.date",
        "date",
        id="invalid-date",
    ),
    pytest.param(
        _set(2, "approvals", [{"agency": "FDA", "date": "2030-01-01", "label": "x"}]),
        "FIXTURE-HER2LOW-BRCA-TDXD",
        "approvals.0.date",
        "after the KB release date",
        id="date-after-release",
    ),
    pytest.param(
        _set(2, "citations", [{"type": "label", "id": "Test fixture label reference"}]),
        "FIXTURE-HER2LOW-BRCA-TDXD",
        "citations",
        "ESCAT I-A needs its source",
        id="escat-without-esmo-citation",
    ),
    pytest.param(
        _set(2, "approvals", [{"agency": "EMA", "date": "2023-01-25", "label": "x"}]),
        "FIXTURE-HER2LOW-BRCA-TDXD",
        "approvals.0.note",
        "EMA approval needs a note saying what the date is",
        id="ema-approval-without-note",
    ),
    pytest.param(
        _set(0, "setting.after", ["egfr_tki_4th_gen"]),
        OSI,
        "setting.after.0",
        "neither a drug class nor a vocabulary drug",
        id="unknown-drug-class",
    ),
    pytest.param(
        _set(0, "setting.after", ["Iressa"]),
        OSI,
        "setting.after.0",
        "'Iressa' is a synonym or brand; write the vocabulary name 'gefitinib'",
        id="after-brand-name",
    ),
    pytest.param(
        _set(0, "setting.after", ["Gefitinib"]),
        OSI,
        "setting.after.0",
        "write the drug name in lower case: 'gefitinib'",
        id="after-drug-not-lower-case",
    ),
    pytest.param(
        _set(0, "setting", {"line": "first", "min_prior_lines": 3}),
        OSI,
        "setting.min_prior_lines",
        "min_prior_lines 3 contradicts line 'first'",
        id="min-prior-lines-in-first-line",
    ),
    pytest.param(
        _set(0, "setting.min_prior_lines", 0),
        OSI,
        "setting.min_prior_lines",
        "greater than or equal to 1",
        id="min-prior-lines-zero",
    ),
    pytest.param(
        _set(0, "outcomes.0.citation.note", "primary endpoint was time to progression"),
        OSI,
        "outcomes.0.endpoint",
        "use endpoint: TTP",
        id="ttp-recorded-as-pfs",
    ),
    pytest.param(
        _set(0, "outcomes.0.endpoint", "TTR"),
        OSI,
        "outcomes.0.endpoint",
        "'TTP'",
        id="unknown-endpoint",
    ),
    pytest.param(
        _set(0, "outcomes.0.kmdata", [{"dataset": "NOPE_1A", "arm": "x"}]),
        OSI,
        "outcomes.0.kmdata.0.dataset",
        "not in kmdata_catalog.tsv",
        id="unknown-kmdata-dataset",
    ),
    pytest.param(
        _set(0, "outcomes.0.kmdata", [{"dataset": "AURA3_1A", "arm": "placebo"}]),
        OSI,
        "outcomes.0.kmdata.0.arm",
        "arms: osimertinib, platinum-pemetrexed",
        id="unknown-kmdata-arm",
    ),
    pytest.param(
        _set(0, "biomarker", {"gene": "EGFR", "kind": "variant"}),
        OSI,
        "biomarker",
        "needs the field 'variant'",
        id="biomarker-missing-field",
    ),
    pytest.param(
        _set(0, "unexpected", 1), OSI, "unexpected", "Extra inputs", id="unknown-field"
    ),
]


@pytest.mark.parametrize(("change", "entry_id", "field", "message"), CASES)
def test_each_error_names_file_entry_and_field(
    kb_dir: Path,
    shared: Path,
    small_civic: Path,
    change: Callable[[list[dict[str, Any]]], None],
    entry_id: str,
    field: str,
    message: str,
) -> None:
    _edit(kb_dir, change)
    text = _problems(kb_dir, shared, small_civic)
    assert f"{FILE} entry {entry_id} field {field}" in text
    assert message in text


def test_duplicate_id(kb_dir: Path, shared: Path, small_civic: Path) -> None:
    _edit(kb_dir, _set(1, "id", OSI))
    text = _problems(kb_dir, shared, small_civic)
    assert f"{FILE} entry {OSI} field id: duplicate id" in text


def test_duplicate_biomarker_tumor_therapy_direction(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    def change(entries: list[dict[str, Any]]) -> None:
        copy = dict(entries[0], id="FIXTURE-COPY")
        entries.append(copy)

    _edit(kb_dir, change)
    text = _problems(kb_dir, shared, small_civic)
    assert f"{FILE} entry FIXTURE-COPY: duplicate of {OSI}" in text


def test_same_claim_in_another_setting_line_is_not_a_duplicate(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    def change(entries: list[dict[str, Any]]) -> None:
        entries.append(dict(entries[0], id="FIXTURE-ADJ", setting={"line": "adjuvant"}))

    _edit(kb_dir, change)
    inputs = read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    assert "FIXTURE-ADJ" in {c.entry.id for c in inputs.curated}


def test_same_claim_after_more_prior_lines_is_not_a_duplicate(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    """First-line vs recurrent maintenance: min_prior_lines is part of the identity."""

    def change(entries: list[dict[str, Any]]) -> None:
        setting = dict(entries[0]["setting"], min_prior_lines=2)
        entries.append(dict(entries[0], id="FIXTURE-LATER", setting=setting))

    _edit(kb_dir, change)
    inputs = read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    assert "FIXTURE-LATER" in {c.entry.id for c in inputs.curated}


def test_same_claim_after_another_prior_therapy_is_not_a_duplicate(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    """After an ARPI vs after an ARPI and a taxane (lutetium-177 vipivotide
    tetraxetan, VISION vs PSMAfore): the required prior therapy is part of the identity."""

    def change(entries: list[dict[str, Any]]) -> None:
        setting = dict(entries[0]["setting"], after=["egfr_tki", "platinum"])
        entries.append(dict(entries[0], id="FIXTURE-AFTER", setting=setting))

    _edit(kb_dir, change)
    inputs = read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    assert "FIXTURE-AFTER" in {c.entry.id for c in inputs.curated}


def _contradiction(note: str | None) -> Callable[[list[dict[str, Any]]], None]:
    def change(entries: list[dict[str, Any]]) -> None:
        entries[1]["therapy"] = ["osimertinib"]
        entries[1].pop("note", None)
        entries[0].pop("note", None)
        if note:
            entries[1]["note"] = note

    return change


def test_contradiction_without_note_fails(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    _edit(kb_dir, _contradiction(None))
    text = _problems(kb_dir, shared, small_civic)
    assert f"{FILE} entry {RES} field direction: contradicts {OSI}" in text


def test_contradiction_with_note_is_accepted(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    _edit(kb_dir, _contradiction("Resistance seen only with a co-occurring C797S."))
    inputs = read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    assert {c.entry.direction for c in inputs.curated} == {"sensitive", "resistant"}


def test_alias_instead_of_symbol_is_named(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    (kb_dir / "reference").mkdir()
    (kb_dir / "reference" / "gene_aliases.tsv").write_text(
        "alias\tsymbol\tsource\nHER2\tERBB2\ttest\n"
    )
    _edit(kb_dir, _set(0, "biomarker.gene", "HER2"))
    text = _problems(kb_dir, shared, small_civic)
    assert "'HER2' is an alias; write the HGNC symbol 'ERBB2'" in text


def test_yaml_syntax_error_names_the_file(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    (kb_dir / "curated" / "broken.yaml").write_text("entries:\n  - id: [unclosed\n")
    text = _problems(kb_dir, shared, small_civic)
    assert "curated/broken.yaml: not valid YAML" in text


def test_file_without_entries_list(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    (kb_dir / "curated" / "empty.yaml").write_text("drugs: []\n")
    text = _problems(kb_dir, shared, small_civic)
    assert "curated/empty.yaml: expected a top-level 'entries:' list" in text


def test_all_problems_are_reported_at_once(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    def change(entries: list[dict[str, Any]]) -> None:
        entries[0]["tumor"] = "NOPE"
        entries[1]["biomarker"]["gene"] = "NOTAGENE"

    _edit(kb_dir, change)
    text = _problems(kb_dir, shared, small_civic)
    assert "2 problems" in text and "NOPE" in text and "NOTAGENE" in text


def test_failed_build_writes_nothing(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    _edit(kb_dir, _set(0, "tumor", "NOPE"))
    out = tmp_path / "out" / "kb.sqlite"
    with pytest.raises(UserInputError):
        build_kb(kb_dir / "curated", shared, out, civic_file=small_civic)
    assert not out.exists()


def test_bad_drug_vocabulary_names_file_and_drug(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    (kb_dir / "drugs" / "extra.yaml").write_text(
        "drugs:\n  - inn: newdrug\n    classes: [not_a_class]\n  - inn: osimertinib\n"
    )
    with pytest.raises(UserInputError) as info:
        read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    text = str(info.value)
    assert "extra.yaml drug newdrug field classes" in text and "not_a_class" in text
    assert "drug osimertinib: also defined in" in text


def test_bad_disease_map_code(kb_dir: Path, shared: Path, small_civic: Path) -> None:
    with (kb_dir / "civic_disease_map.tsv").open("a") as fh:
        fh.write("99999\tMade-up Disease\tNOTACODE\t\n")
    with pytest.raises(UserInputError) as info:
        read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    assert "civic_disease_map.tsv" in str(info.value) and "'NOTACODE'" in str(
        info.value
    )
