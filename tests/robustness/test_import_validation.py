"""Case import validates what it stores (issue 22, item 11): empty or binary variant
files were stored with exit 0 (``match`` refused them later), and a repeated case
id was reported as "input:" instead of naming the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from db_attacks import cli
from oncoboard.core.api import open_kb
from oncoboard.core.case_import import import_case_files
from oncoboard.core.db import CaseStore
from oncoboard.core.errors import UserInputError

BAD_FILES = {
    "empty.vcf": (b"", "vcf", "not a VCF"),
    "binary.maf": (bytes(range(256)) * 12, "maf", "binary data"),
    "binary.csv": (b"gene,kind\n\x00\x01\x02\xff\xfe", "csv", "binary"),
    "headless.csv": (b"x", "csv", "no gene column"),
}


def _case_file(
    folder: Path, case_id: str, variant: str | None = None, fmt: str = "vcf"
) -> Path:
    sample: dict = {"id": "T", "specimen": "tissue"}
    if variant:
        sample["variant_files"] = [{"path": variant, "format": fmt}]
    path = folder / f"{case_id}.json"
    path.write_text(json.dumps({"schema": "oncoboard.case/1", "case_id": case_id,
                                "tumor": {"oncotree_code": "LUAD"}, "samples": [sample]}))  # fmt: skip
    return path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_broken_variant_file_is_refused_at_import_and_nothing_is_stored(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    data, fmt, expected = BAD_FILES[name]
    (tmp_path / name).write_bytes(data)
    good = _case_file(tmp_path, "GOOD")
    bad = _case_file(tmp_path, "BAD", name, fmt)
    with (
        CaseStore(tmp_path / "cases.sqlite") as store,
        pytest.raises(UserInputError) as caught,
    ):
        import_case_files(store, [good, bad], kb=open_kb())
    assert str(tmp_path / name) in str(caught.value) and expected in str(caught.value)

    code, _, err = cli(capsys, "case", "import", str(good), str(bad))
    assert code == 2 and name in err and "Traceback" not in err
    with CaseStore() as store:
        assert store.list() == []  # one bad file stores none


def test_a_repeated_case_id_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first = _case_file(tmp_path / "a", "SAME")
    second = _case_file(tmp_path, "SAME")
    with (
        CaseStore(tmp_path / "cases.sqlite") as store,
        pytest.raises(UserInputError) as caught,
    ):
        store.import_files([first, second])
    message = str(caught.value)
    assert message.startswith(
        f"{second}: case_id: 'SAME' is also the case id of {first}"
    )
    assert not message.startswith("input")


def test_an_already_stored_case_id_names_the_file(tmp_path: Path) -> None:
    path = _case_file(tmp_path, "TWICE")
    with CaseStore(tmp_path / "cases.sqlite") as store:
        store.import_files([path])
        with pytest.raises(
            UserInputError, match=rf"^{path}: case_id: a case 'TWICE' already exists"
        ):
            store.import_files([path])


def test_escape_codes_in_a_case_id_are_shown_not_obeyed(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = (
        "A\x1b[2J\x1b]0;owned\x07\u202eB"  # clear screen, set title, bidi override
    )
    path = _case_file(tmp_path, "x")
    path.write_text(path.read_text().replace('"x"', json.dumps(hostile)))
    outputs = [cli(capsys, "case", "import", str(path)), cli(capsys, "case", "list"),
               cli(capsys, "case", "delete", hostile), cli(capsys, "case", "restore", hostile)]  # fmt: skip
    for code, out, err in outputs:
        assert code == 0, err
        assert (
            "\x1b" not in out + err
            and "\x07" not in out + err
            and "\u202e" not in out + err
        )
        assert "A\\x1b[2J\\x1b]0;owned\\x07\\u202eB" in out


BASE = {
    "schema": "oncoboard.case/1",
    "case_id": "V",
    "tumor": {"oncotree_code": "LUAD"},
}


@pytest.mark.parametrize(("patch", "where"), [
    ({"patient": {"age": True}}, "patient.age"),
    ({"patient": {"ecog": False}}, "patient.ecog"),
    ({"patient": {"age": 61.5}}, "patient.age"),
    ({"prior_therapies": [{"drugs": ["erlotinib"], "line": True}]}, "prior_therapies[0].line"),
])  # fmt: skip
def test_age_ecog_and_line_are_whole_numbers_not_booleans(
    patch: dict, where: str
) -> None:
    from oncoboard.core.case import parse_case

    with pytest.raises(
        UserInputError,
        match=rf"f\.json: {re.escape(where)}: Input should be a valid integer",
    ):
        parse_case({**BASE, **patch}, source="f.json")
    assert parse_case({**BASE, "patient": {"age": 61, "ecog": 1}}).patient.age == 61


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_infinity_and_nan_are_refused_anywhere_in_a_case_file(
    tmp_path: Path,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    constant: str,
) -> None:
    amplified = (
        '{"schema": "oncoboard.case/1", "case_id": "INF", "tumor": {"oncotree_code": "BRCA"}, '
        '"samples": [{"id": "T", "specimen": "tissue", "alterations": '
        f'[{{"gene": "ERBB2", "kind": "amplification", "copy_number": {constant}}}]}}]}}'
    )
    in_extensions = f'{{"schema": "oncoboard.case/1", "case_id": "INF", "tumor": {{"oncotree_code": "BRCA"}}, "extensions": {{"x": {constant}}}}}'
    for n, text in enumerate([amplified, in_extensions]):
        path = tmp_path / f"c{n}.json"
        path.write_text(text)
        code, _, err = cli(capsys, "case", "import", str(path))
        assert code == 2 and str(path) in err and constant in err, err
    with CaseStore() as store:
        assert store.list() == []
