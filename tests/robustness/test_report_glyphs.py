"""PDF text fidelity (issue 22, item 14): Hebrew printed in logical order, Arabic
unshaped, emoji as wrong glyphs.  Such text is refused, naming the field and the
characters; text the fonts draw (accents, Greek, Cyrillic) still prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db_attacks import cli


def _case(folder: Path, pseudonym: str, question: str = "Next line?") -> Path:
    path = folder / "case.json"
    path.write_text(json.dumps({
        "schema": "oncoboard.case/1", "case_id": "GLYPH", "tumor": {"oncotree_code": "LUAD"},
        "patient": {"pseudonym": pseudonym}, "board_question": question,
        "samples": [{"id": "T", "specimen": "tissue",
                     "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R"}]}],
    }, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize("text, named", [
    ("שלום", "U+05E9 HEBREW LETTER SHIN"),
    ("مرحبا", "U+0645 ARABIC LETTER MEEM"),
    ("Ana 😀", "U+1F600 GRINNING FACE"),
    ("王小明", "U+738B CJK UNIFIED IDEOGRAPH-738B"),
    ("x\u202ey", "U+202E RIGHT-TO-LEFT OVERRIDE"),
])  # fmt: skip
def test_text_the_report_would_misprint_is_refused(
    tmp_path: Path,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    named: str,
) -> None:
    for field in ("pseudonym", "question"):
        case = _case(
            tmp_path,
            text if field == "pseudonym" else "P",
            text if field == "question" else "Q?",
        )
        code, _, err = cli(capsys, "report", str(case), "-o", str(tmp_path / "r.pdf"))
        where = "patient.pseudonym" if field == "pseudonym" else "board_question"
        assert code == 2 and where in err and named in err, err
        assert not (tmp_path / "r.pdf").exists()


def test_a_deidentified_report_does_not_print_the_pseudonym_so_it_is_not_checked(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(tmp_path, "שלום")
    code, _, err = cli(
        capsys, "report", str(case), "-o", str(tmp_path / "r.pdf"), "--deidentified"
    )
    assert code == 0, err


def test_text_the_fonts_draw_still_prints(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _case(
        tmp_path, "Zoë Ødegård Καλή Наталья", "Is 2nd-line T-DXd an option? ≥ 50%"
    )
    code, _, err = cli(capsys, "report", str(case), "-o", str(tmp_path / "r.pdf"))
    assert code == 0, err
