"""``oncoboard cohort fit`` and ``list`` (run through click's test runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncoboard.cli.cohort import cohort


@pytest.fixture
def veteran(survival_data: Path) -> Path:
    path = survival_data / "survset" / "veteran.csv"
    assert path.is_file(), f"shared data missing: {path}"
    return path


def test_fit_json_prints_figures_and_saves(veteran: Path, isolated_home: Path) -> None:
    args = [
        "fit",
        str(veteran),
        "--time",
        "time",
        "--event",
        "event",
        "--therapy",
        "fac_trt",
        "--model",
        "cox",
        "--time-unit",
        "days",
        "--exclude",
        "pid",
        "--json",
    ]
    done = CliRunner().invoke(cohort, args)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["method"] == "cohort-cox"
    assert {"harrell_c", "uno_c", "integrated_brier", "seeds"} <= set(data)
    assert Path(data["saved_to"]).parent == isolated_home / "cohorts"
    listed = CliRunner().invoke(cohort, ["list", "--json"])
    assert [c["name"] for c in json.loads(listed.stdout)] == ["veteran-cox"]


def test_fit_text_output(veteran: Path) -> None:
    done = CliRunner().invoke(
        cohort,
        [
            "fit",
            str(veteran),
            "--time",
            "time",
            "--event",
            "event",
            "--therapy",
            "fac_trt",
            "--time-unit",
            "days",
            "--horizon",
            "3",
            "--no-save",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "Harrell's C" in done.stdout and "Uno's C" in done.stdout
    assert "At 3 months (out-of-fold):" in done.stdout
    assert "Calibration slope" in done.stdout and "ICI" in done.stdout
    assert "Kaplan-Meier null model" in done.stdout
    assert "caveat: Confounding by indication" in done.stdout
    assert "Saved" not in done.stdout


def test_days_read_as_months_exit_2_asking_for_the_time_unit(veteran: Path) -> None:
    done = CliRunner().invoke(
        cohort,
        [
            "fit",
            str(veteran),
            "--time",
            "time",
            "--event",
            "event",
            "--therapy",
            "fac_trt",
        ],
    )
    assert done.exit_code == 2
    assert "999 months" in done.output and "--time-unit" in done.output


def test_missing_column_exits_2_with_message(veteran: Path) -> None:
    done = CliRunner().invoke(
        cohort,
        [
            "fit",
            str(veteran),
            "--time",
            "months",
            "--event",
            "event",
            "--therapy",
            "fac_trt",
        ],
    )
    assert done.exit_code == 2
    assert "veteran.csv" in done.stderr and "'months'" in done.stderr


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = (
        "import sys, oncoboard.cli.cohort; "
        "heavy = [m for m in ('pandas', 'lifelines', 'sksurv', 'matplotlib', 'numpy') "
        "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
