"""The oncoboard.case/1 contract: the spec's examples load, bad input gets a precise error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncoboard.core.case import case_to_json, load_case, parse_case
from oncoboard.core.errors import UserInputError
from shared_paths import SPEC_EXAMPLES

EXAMPLES = sorted(SPEC_EXAMPLES.glob("*.json"))

MINIMAL = {
    "schema": "oncoboard.case/1",
    "case_id": "C1",
    "tumor": {"oncotree_code": "LUAD"},
}


def test_the_spec_examples_exist() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_spec_example_loads_as_it_is(path: Path) -> None:
    case = load_case(path)
    raw = json.loads(path.read_text())
    assert case.case_id == raw["case_id"]
    assert case.tumor.oncotree_code == raw["tumor"]["oncotree_code"]
    assert len(case.samples) == len(raw.get("samples", []))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_writing_a_loaded_example_gives_back_the_same_content(path: Path) -> None:
    case = load_case(path)
    again = parse_case(case_to_json(case))
    assert again == case
    raw = json.loads(path.read_text())
    written = json.loads(case_to_json(case))
    # Only normalisation may differ (drug names lower-cased, codes upper-cased).
    assert written["case_id"] == raw["case_id"]
    assert written.keys() == raw.keys()


def _problems(data: object) -> list[tuple[str, str]]:
    with pytest.raises(UserInputError) as info:
        parse_case(
            data if isinstance(data, str) else json.dumps(data), source="case.json"
        )
    assert str(info.value).startswith("case.json")
    return [(p.location, p.message) for p in info.value.problems]


def test_minimal_case_is_valid() -> None:
    case = parse_case(MINIMAL)
    assert case.patient.sex == "unknown"
    assert case.samples == []


def test_unknown_key_is_named_with_its_json_path() -> None:
    data = {**MINIMAL, "samples": [{"id": "T1", "specimen": "tissue", "colour": "red"}]}
    assert _problems(data) == [
        (
            "samples[0].colour",
            "unknown key (put site-specific data under an 'extensions' object)",
        )
    ]


def test_extensions_are_kept_as_they_are() -> None:
    data = {**MINIMAL, "extensions": {"site": {"mrn_hash": "ab12", "list": [1, 2]}}}
    case = parse_case(data)
    assert json.loads(case_to_json(case))["extensions"] == data["extensions"]


def test_out_of_range_vaf_names_the_alteration() -> None:
    data = {
        **MINIMAL,
        "samples": [
            {
                "id": "T1",
                "specimen": "tissue",
                "alterations": [
                    {"gene": "EGFR", "kind": "mutation", "protein": "L858R", "vaf": 42}
                ],
            }
        ],
    }
    [(where, message)] = _problems(data)
    assert where == "samples[0].alterations[0].vaf"
    assert "less than or equal to 1" in message and "42" in message


def test_wrong_alteration_kind_lists_the_allowed_kinds() -> None:
    data = {
        **MINIMAL,
        "samples": [
            {
                "id": "T1",
                "specimen": "tissue",
                "alterations": [{"gene": "EGFR", "kind": "snv", "protein": "L858R"}],
            }
        ],
    }
    [(where, message)] = _problems(data)
    assert where == "samples[0].alterations[0]"
    assert "mutation" in message and "'snv'" in message


def test_missing_required_fields() -> None:
    problems = dict(_problems({"schema": "oncoboard.case/1"}))
    assert problems == {
        "case_id": "required field is missing",
        "tumor": "required field is missing",
    }


def test_wrong_schema_version_is_refused() -> None:
    [(where, message)] = _problems({**MINIMAL, "schema": "oncoboard.case/2"})
    assert where == "schema" and "oncoboard.case/1" in message


def test_invalid_json_gives_line_and_column() -> None:
    [(where, message)] = _problems(
        '{\n  "schema": "oncoboard.case/1",\n  "case_id": \n}'
    )
    assert where.startswith("line 4")
    assert "not valid JSON" in message


def test_tumor_fraction_is_for_plasma_only() -> None:
    data = {
        **MINIMAL,
        "samples": [{"id": "T1", "specimen": "tissue", "tumor_fraction": 0.3}],
    }
    [(where, message)] = _problems(data)
    assert where == "samples[0]" and "plasma" in message


def test_duplicate_sample_ids_are_refused() -> None:
    data = {
        **MINIMAL,
        "samples": [
            {"id": "T1", "specimen": "tissue"},
            {"id": "T1", "specimen": "plasma"},
        ],
    }
    assert "used twice" in _problems(data)[0][1]


def test_ihc0_staining_needs_ihc_0() -> None:
    data = {**MINIMAL, "biomarkers": {"her2": {"ihc": "2+", "ihc0_staining": "absent"}}}
    assert "ihc0_staining" in _problems(data)[0][1]


def _write_case(folder: Path, variant_path: str) -> Path:
    case = {
        **MINIMAL,
        "samples": [
            {
                "id": "T1",
                "specimen": "tissue",
                "variant_files": [{"path": variant_path, "format": "maf"}],
            }
        ],
    }
    path = folder / "case.json"
    path.write_text(json.dumps(case))
    return path


def test_variant_files_resolve_beside_the_case_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.maf").write_text("Hugo_Symbol\n")
    assert (
        load_case(_write_case(tmp_path, "sub/x.maf")).samples[0].variant_files[0].path
        == "sub/x.maf"
    )


@pytest.mark.parametrize(
    "escape", ["../secret.maf", "/etc/passwd", "sub/../../secret.maf"]
)
def test_variant_files_cannot_leave_the_case_folder(
    tmp_path: Path, escape: str
) -> None:
    inner = tmp_path / "cases"
    inner.mkdir()
    (tmp_path / "secret.maf").write_text("x")
    with pytest.raises(UserInputError) as info:
        load_case(_write_case(inner, escape))
    assert info.value.problems[0].location == "samples[0].variant_files[0].path"


def test_missing_variant_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserInputError) as info:
        load_case(_write_case(tmp_path, "absent.maf"))
    assert "file not found" in info.value.problems[0].message


def test_missing_case_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="file not found"):
        load_case(tmp_path / "nope.json")
