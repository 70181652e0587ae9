"""The CLI paths, run with the network blocked (conftest's autouse guard fails any connect)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncoboard.cli.main import cli, main
from shared_paths import SPEC_EXAMPLES

REPO = Path(__file__).resolve().parents[3]


def run(args: list[str]) -> tuple[int, str, str]:
    """Run main() in-process the way the console script does (exit codes included)."""
    runner = CliRunner()
    result = runner.invoke(lambda: main(args), [])  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]):
    def _invoke(*args: str) -> tuple[int, str, str]:
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return _invoke


def test_case_import_list_show_export(invoke, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "case", "import", *map(str, sorted(SPEC_EXAMPLES.glob("*.json")))
    )
    assert code == 0 and out.count("imported") == 4
    code, out, _ = invoke("case", "list", "--search", "luad")
    assert code == 0 and "EX-LUAD-001" in out and "EX-BRCA-002" not in out
    code, out, _ = invoke("case", "show", "EX-LUAD-001")
    assert json.loads(out)["case_id"] == "EX-LUAD-001"
    target = tmp_path / "back.json"
    code, out, _ = invoke("case", "export", "EX-LUAD-001", "-o", str(target))
    assert (
        code == 0
        and json.loads(target.read_text())["patient"]["pseudonym"] == "Patient A"
    )
    code, out, _ = invoke("audit", "verify")
    assert code == 0 and "intact" in out


def test_invalid_case_file_exits_2_with_path_and_no_traceback(
    invoke, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "schema": "oncoboard.case/1",
                "case_id": "X",
                "tumor": {"oncotree_code": "LUAD"},
                "patient": {"ecog": 7},
            }
        )
    )
    code, out, err = invoke("case", "import", str(bad))
    assert code == 2
    assert (
        str(bad) in err and "patient.ecog" in err and "less than or equal to 4" in err
    )
    assert "Traceback" not in err
    assert invoke("case", "list")[1].startswith("no cases")  # nothing stored


def test_one_bad_file_stores_none(invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    good = SPEC_EXAMPLES / "luad-egfr-exon19-tissue.json"
    code, _, err = invoke("case", "import", str(good), str(bad))
    assert code == 2 and "line 1" in err
    assert invoke("case", "list")[1].startswith("no cases")


def test_missing_case_is_exit_1_with_message(invoke) -> None:
    code, _, err = invoke("case", "show", "NOPE")
    assert code == 1 and "No case 'NOPE'" in err


def test_usage_error_is_exit_2(invoke) -> None:
    code, _, err = invoke("case", "export", "X")
    assert code == 2 and "--output" in err


def test_docs_list_every_cli_command() -> None:
    doc = (REPO / "docs" / "cli.md").read_text()

    def walk(command, prefix: str):
        for name, sub in getattr(command, "commands", {}).items():
            yield f"{prefix} {name}".strip()
            yield from walk(sub, f"{prefix} {name}")

    missing = [c for c in walk(cli, "") if f"oncoboard {c}" not in doc]
    assert missing == []


def test_console_script_starts_without_heavy_imports() -> None:
    code = (
        "import sys; from oncoboard.cli.main import cli; "
        "heavy = [m for m in ('lifelines','sksurv','matplotlib','reportlab','pandas','PySide6') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert re.search(r"oncoboard, version \d+\.\d+", result.output)
