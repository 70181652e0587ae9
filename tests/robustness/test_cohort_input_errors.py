"""``cohort fit`` input that gave "unexpected ... This is a bug" (issue 22, item 9):
one row, a repeated column, a time of 1e308.  Each is a clear exit-2 error now; a
repeated column was also silently renamed by pandas (``age.1``) and fitted."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from db_attacks import cli


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def _rows(n: int, extra: int = 0, first_time: str | None = None) -> list[str]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        time = first_time if (i == 0 and first_time) else f"{rng.uniform(1, 30):.2f}"
        cells = [time, str(rng.randint(0, 1)), rng.choice("ab")] + [
            str(rng.randint(30, 80))
        ] * (1 + extra)
        out.append(",".join(cells))
    return out


@pytest.mark.parametrize("name, header, rows, expected", [
    ("one.csv", "time,event,therapy,age", ["5,1,a,60"], "too few"),
    ("dup.csv", "time,event,therapy,age,age", _rows(60, extra=1), "repeated column names: age"),
    ("huge.csv", "time,event,therapy,age", _rows(60, first_time="1e308"), "not plausible"),
])  # fmt: skip
def test_bad_cohort_input_is_a_clear_error(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str],
    name: str, header: str, rows: list[str], expected: str,
) -> None:  # fmt: skip
    path = _csv(tmp_path / name, header, rows)
    code, _, err = cli(capsys, "cohort", "fit", str(path), "--time", "time", "--event", "event",
                       "--therapy", "therapy", "--no-save")  # fmt: skip
    assert code == 2 and expected in err and str(path.name) in err, err
    assert "This is a bug" not in err and "Traceback" not in err
