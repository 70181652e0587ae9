"""A missing part is a failure with a clear message, never "not available in this build"
(issue 20: a simulated ImportError in core.report.model made `make demo` exit 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DEMO = sorted((REPO / "assets" / "demo").glob("*.json"))

RUN_WITHOUT = (
    "import sys; sys.modules[{module!r}] = None; "
    "from oncoboard.cli.main import main; sys.argv = ['oncoboard', *sys.argv[1:]]; main()"
)


def _demo_without(module: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = RUN_WITHOUT.format(module=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "demo",
            "--output",
            str(tmp_path / "out"),
            str(DEMO[0]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_fails_loudly_when_the_report_model_is_missing(tmp_path: Path) -> None:
    run = _demo_without("oncoboard.core.report.model", tmp_path)
    assert run.returncode != 0
    assert "not available" not in run.stdout + run.stderr
    assert (
        "oncoboard.core.report.model" in run.stderr
    )  # the message names what is missing
    assert not (tmp_path / "out" / "board-pack.pdf").exists()


def test_a_command_module_that_fails_to_import_is_an_error_not_a_missing_command(
    tmp_path: Path,
) -> None:
    code = (
        "import sys; sys.modules['oncoboard.cli.cohort'] = None; "
        "from oncoboard.cli.main import main; main(['--help'])"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0
    assert "oncoboard.cli.cohort" in run.stderr
