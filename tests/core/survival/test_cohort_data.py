"""Outcome CSV validation: errors name the file, line, column and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.survival.cohort_data import read_cohort_csv
from oncoboard.core.survival.issues import DataWarning

HEADER = "id,age,stage,rx,months,dead\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "outcomes.csv"
    path.write_text(HEADER + body)
    return path


def read(path: Path, **kw: object):
    return read_cohort_csv(
        path,
        time_col="months",
        event_col="dead",
        therapy_col="rx",
        exclude=("id",),
        **kw,
    )


def test_reads_features_and_one_hot_encodes(tmp_path: Path) -> None:
    data = read(write(tmp_path, "1,60,II,A,10,1\n2,70,III,B,5,0\n3,65,II,A,7,1\n"))
    assert data.encoder.numeric == ("age",)
    assert data.encoder.therapies == ("A", "B")  # most frequent first = reference
    assert data.encoder.columns == ["age", "stage=III", "rx=B"]
    assert data.X().tolist() == [[60, 0, 0], [70, 1, 1], [65, 0, 0]]
    assert data.y()["event"].tolist() == [True, False, True]


def test_missing_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserInputError) as err:
        read_cohort_csv(
            write(tmp_path, "1,60,II,A,10,1\n"),
            time_col="time",
            event_col="dead",
            therapy_col="rx",
        )
    text = str(err.value)
    assert "outcomes.csv" in text and "'time'" in text and "not found" in text


def test_non_numeric_time_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(UserInputError) as err:
        read(write(tmp_path, "1,60,II,A,10,1\n2,70,III,B,ten,0\n"))
    assert "line 3, column 'months'" in str(err.value)
    assert "expected a number" in str(err.value) and "'ten'" in str(err.value)


def test_event_must_be_zero_or_one(tmp_path: Path) -> None:
    with pytest.raises(UserInputError) as err:
        read(write(tmp_path, "1,60,II,A,10,2\n"))
    assert "line 2, column 'dead'" in str(err.value)
    assert "0 (censored) or 1 (event)" in str(err.value)


def test_rows_with_missing_values_are_dropped_with_a_warning(tmp_path: Path) -> None:
    data = read(write(tmp_path, "1,60,II,A,10,1\n2,,III,B,5,0\n3,65,II,A,7,1\n"))
    assert len(data.records) == 2
    assert any(
        isinstance(w, DataWarning) and "1 of 3" in w.message for w in data.warnings
    )


def test_time_unit_converts_to_months(tmp_path: Path) -> None:
    data = read(write(tmp_path, "1,60,II,A,2,1\n"), time_unit="years")
    assert data.time.tolist() == [24.0]
