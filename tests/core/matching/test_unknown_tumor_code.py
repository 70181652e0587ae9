"""An OncoTree code that does not exist is invalid input everywhere (issue 14 item 6):
exit status 2, the field and the nearest codes named, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncoboard.cli.main import main

CASE = {
    "schema": "oncoboard.case/1",
    "case_id": "TYPO-1",
    "tumor": {"oncotree_code": "LAUD"},
    "samples": [
        {
            "id": "T1",
            "specimen": "tissue",
            "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R"}],
        }
    ],
}


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(CASE))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize(
    "command",
    [
        ["match", "{case}"],
        ["match", "{case}", "--json"],
        ["report", "{case}", "-o", "{out}"],
        ["case", "import", "{case}"],
    ],
)
def test_exit_2_names_the_field_and_the_nearest_codes(
    command: list[str],
    case_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_pdf = tmp_path / "r.pdf"
    args = [
        a.replace("{case}", str(case_file)).replace("{out}", str(out_pdf))
        for a in command
    ]
    code, text = run(capsys, *args)
    assert code == 2, text
    assert (
        "tumor.oncotree_code" in text
        and "'LAUD'" in text
        and "LUAD (Lung Adenocarcinoma)" in text
    )
    assert "Traceback" not in text
    assert not out_pdf.exists()


def test_case_import_stores_nothing(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "case", "import", str(case_file))
    code, listed = run(capsys, "case", "list")
    assert code == 0 and "TYPO-1" not in listed
