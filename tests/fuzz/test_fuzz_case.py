"""Case files: mutated copies of the spec and demo cases never crash the loader.

``load_case`` and ``parse_case`` either return a valid case or raise
``UserInputError`` naming the file; any other exception is a bug a user would
meet as "unexpected error".  A case that loads must survive a write/read round
trip unchanged (what the database does on every save).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.mutations import FAST, SLOW, Blob, byte_edits, json_edits
from oncoboard.core.case import case_to_json, load_case, parse_case
from oncoboard.core.errors import UserInputError
from shared_paths import REPO, SPEC_EXAMPLES

DEMO = REPO / "assets" / "demo"
SOURCES = sorted(SPEC_EXAMPLES.glob("*.json")) + sorted(DEMO.glob("*.json"))
RAW = [Blob(p.read_bytes()) for p in SOURCES]
OBJECTS = [json.loads(r) for r in RAW]


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the examples' variant files, so mutated cases can reference them."""
    folder = tmp_path_factory.mktemp("fuzz-cases")
    for src in (SPEC_EXAMPLES, DEMO):
        for f in src.iterdir():
            if f.is_file() and f.suffix != ".json":
                shutil.copy(f, folder / f.name)
    return folder


def _check_file(folder: Path, payload: bytes) -> None:
    path = folder / "fuzz-case.json"
    path.write_bytes(payload)
    try:
        case = load_case(path)
    except UserInputError as exc:
        assert str(path) in str(exc)  # the message names the file
        return
    assert parse_case(case_to_json(case)) == case


def _check_object(obj: object) -> None:
    try:
        case = parse_case(obj)  # type: ignore[arg-type]
    except UserInputError as exc:
        assert str(exc)
        return
    assert parse_case(case_to_json(case)) == case


mutated_bytes = st.sampled_from(RAW).flatmap(byte_edits)
mutated_objects = st.sampled_from(OBJECTS).flatmap(json_edits)


def test_there_is_something_to_fuzz() -> None:
    assert len(SOURCES) >= 4 and all(isinstance(o, dict) for o in OBJECTS)


@FAST
@given(payload=mutated_bytes)
def test_mutated_case_files(case_dir: Path, payload: bytes) -> None:
    _check_file(case_dir, payload)


@FAST
@given(obj=mutated_objects)
def test_cases_with_random_fields(obj: object) -> None:
    _check_object(obj)
    _check_object(json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@SLOW
@given(payload=mutated_bytes)
def test_mutated_case_files_10k(case_dir: Path, payload: bytes) -> None:
    _check_file(case_dir, payload)


@pytest.mark.slow
@SLOW
@given(obj=mutated_objects)
def test_cases_with_random_fields_10k(obj: object) -> None:
    _check_object(obj)


# --- hostile inputs found by the fuzzer or written by hand -------------------

HOSTILE = {
    "huge integer": b'{"schema": "oncoboard.case/1", "case_id": "x", '
    b'"tumor": {"oncotree_code": "LUAD"}, "patient": {"age": ' + b"9" * 5000 + b"}}",
    "deep nesting": b'{"schema": "oncoboard.case/1", "case_id": "x", '
    b'"tumor": {"oncotree_code": "LUAD"}, "extensions": {"a": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}}",
    "NaN": b'{"schema": "oncoboard.case/1", "case_id": "x", '
    b'"tumor": {"oncotree_code": "LUAD"}, "patient": {"age": NaN}}',
    "UTF-16": '{"schema": "oncoboard.case/1"}'.encode("utf-16"),
    "lone surrogate": b'{"schema": "oncoboard.case/1", "case_id": "\\udc80", '
    b'"tumor": {"oncotree_code": "LUAD"}}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_case_text_is_a_user_error(name: str) -> None:
    with pytest.raises(UserInputError):
        parse_case(HOSTILE[name], source="hostile.json")


@pytest.mark.parametrize(
    "path", ["a\x00b.maf", "a" * 5000 + ".maf", "x/" * 3000 + "y.maf", "~nouser/x.maf"]
)
def test_hostile_variant_file_paths_are_user_errors(case_dir: Path, path: str) -> None:
    case = json.loads((SPEC_EXAMPLES / "luad-panel-from-maf.json").read_text())
    case["samples"][0]["variant_files"][0]["path"] = path
    target = case_dir / "hostile-path.json"
    target.write_text(json.dumps(case))
    with pytest.raises(UserInputError, match="variant_files"):
        load_case(target)


def test_a_2_gb_case_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # sparse: nothing is written to disk
    with pytest.raises(UserInputError, match="at most"):
        load_case(big)
