"""Reading and encoding an institutional outcomes table (CSV).

The CSV has one row per patient: a follow-up time, an event indicator (0/1),
the therapy received, and any number of feature columns (numbers or text
categories).  Problems a user can fix (a missing column, a time that is not a
number, an event that is not 0/1) are :class:`UserInputError` naming the file,
the line and column, and what was expected.  pandas is imported lazily.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.survival.issues import DataWarning, SurvivalWarning

TIME_UNITS = {"days": 1 / 30.4375, "weeks": 7 / 30.4375, "months": 1.0, "years": 12.0}
MAX_LEVELS = 30
MAX_PLAUSIBLE_FOLLOWUP_MONTHS = 240.0
"""Longest follow-up (20 years) accepted without questioning the time unit: an
institutional outcomes table for a tumor board rarely reaches it, while a
table in days read as months does at once (colon.csv: 3,329 days read as
3,329 months, i.e. 277 years)."""
MAX_PROBLEMS = 10


@dataclass(frozen=True)
class FeatureEncoder:
    """Turns patient records into the numeric design matrix of a cohort model.

    Numeric features pass through; text features and the therapy are one-hot
    encoded against a reference level (the most frequent one).  JSON-safe via
    :meth:`to_dict` / :meth:`from_dict`.
    """

    therapy_col: str
    numeric: tuple[str, ...]
    categorical: dict[str, tuple[str, ...]]  # column -> levels, reference first
    ranges: dict[str, tuple[float, float]]
    defaults: dict[str, Any]  # median / mode, used for features a patient lacks

    @property
    def columns(self) -> list[str]:
        """Names of the design-matrix columns."""
        cols = list(self.numeric)
        for col, levels in self.categorical.items():
            cols.extend(f"{col}={lv}" for lv in levels[1:])
        return cols

    @property
    def therapies(self) -> tuple[str, ...]:
        return self.categorical[self.therapy_col]

    def encode(self, records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Encode records (dicts with every feature and the therapy) to floats."""
        out = np.zeros((len(records), len(self.columns)), dtype=float)
        for i, rec in enumerate(records):
            row: list[float] = [float(rec[c]) for c in self.numeric]
            for col, levels in self.categorical.items():
                value = str(rec[col])
                row.extend(1.0 if value == lv else 0.0 for lv in levels[1:])
            out[i] = row
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "therapy_col": self.therapy_col,
            "numeric": list(self.numeric),
            "categorical": {k: list(v) for k, v in self.categorical.items()},
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "defaults": dict(self.defaults),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureEncoder:
        return cls(
            therapy_col=data["therapy_col"],
            numeric=tuple(data["numeric"]),
            categorical={k: tuple(v) for k, v in data["categorical"].items()},
            ranges={k: (float(v[0]), float(v[1])) for k, v in data["ranges"].items()},
            defaults=dict(data["defaults"]),
        )


@dataclass(frozen=True)
class CohortData:
    """A validated outcomes table: records, time (months) and events."""

    source: str
    records: tuple[dict[str, Any], ...]
    time: np.ndarray
    event: np.ndarray
    encoder: FeatureEncoder
    time_unit: str
    warnings: tuple[SurvivalWarning, ...] = field(default_factory=tuple)

    @property
    def therapy(self) -> list[str]:
        return [str(r[self.encoder.therapy_col]) for r in self.records]

    def X(self) -> np.ndarray:  # noqa: N802 - scikit-learn naming
        return self.encoder.encode(self.records)

    def y(self) -> np.ndarray:
        """The structured (event, time) array scikit-survival expects."""
        return make_y(self.event, self.time)


def make_y(event: np.ndarray, time: np.ndarray) -> np.ndarray:
    y = np.empty(len(time), dtype=[("event", bool), ("time", float)])
    y["event"] = np.asarray(event, dtype=bool)
    y["time"] = np.asarray(time, dtype=float)
    return y


def _as_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _refuse_repeated_columns(path: Path) -> None:
    """pandas renames a repeated column ``age`` to ``age.1``; a cohort must name each once."""
    import csv

    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        header = [h.strip() for h in next(csv.reader([handle.readline(1 << 20)]), [])]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise UserInputError(
            path, [Problem("line 1", f"repeated column names: {', '.join(repeated)}")]
        )


def read_cohort_csv(
    path: Path | str,
    *,
    time_col: str,
    event_col: str,
    therapy_col: str,
    time_unit: str = "months",
    exclude: Sequence[str] = (),
) -> CohortData:
    """Read and validate an outcomes CSV.

    Parameters
    ----------
    path
        The CSV file (comma-separated, header row).
    time_col, event_col, therapy_col
        Columns holding follow-up time, event (1 = event, 0 = censored) and
        therapy; every other column (except ``exclude``) is a feature.
    time_unit
        Unit of ``time_col``: days, weeks, months or years (converted to months).
    exclude
        Columns to ignore (e.g. a patient id).

    Returns
    -------
    CohortData

    Raises
    ------
    UserInputError
        Naming the file, the line and column, and what was expected.
    """
    import pandas as pd

    path = Path(path)
    if time_unit not in TIME_UNITS:
        raise UserInputError(
            None, [Problem("--time-unit", f"expected one of {list(TIME_UNITS)}")]
        )
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    ) as exc:
        raise UserInputError(
            path, [Problem("", f"not a readable CSV file ({exc})")]
        ) from exc
    _refuse_repeated_columns(path)
    wanted = {"time": time_col, "event": event_col, "therapy": therapy_col}
    missing = [
        Problem(
            f"column {c!r}",
            f"{role} column not found; the header has {list(raw.columns)}",
        )
        for role, c in wanted.items()
        if c not in raw.columns
    ]
    missing += [
        Problem(f"column {c!r}", "excluded column not found")
        for c in exclude
        if c not in raw.columns
    ]
    if missing:
        raise UserInputError(path, missing)
    features = [c for c in raw.columns if c not in (*wanted.values(), *exclude)]
    problems: list[Problem] = []
    time, event = _check_outcome(raw, time_col, event_col, problems)
    numeric, categorical = _classify(raw, features, problems)
    if problems:
        raise UserInputError(
            path,
            problems[:MAX_PROBLEMS],
            hint=""
            if len(problems) <= MAX_PROBLEMS
            else f"... and {len(problems) - MAX_PROBLEMS} more problems",
        )
    _check_time_scale(path, time, time_col, time_unit)
    return _assemble(
        raw,
        path,
        time * TIME_UNITS[time_unit],
        event,
        therapy_col,
        numeric,
        categorical,
        time_unit,
    )


def _check_time_scale(path: Path, time: np.ndarray, time_col: str, unit: str) -> None:
    """Stop when the follow-up is implausibly long in the stated unit."""
    months = float(np.nanmax(time)) * TIME_UNITS[unit]
    if months <= MAX_PLAUSIBLE_FOLLOWUP_MONTHS:
        return
    hint = {
        "months": "days (--time-unit days) or weeks (--time-unit weeks)",
        "years": "months, weeks or days",
        "weeks": "days (--time-unit days)",
        "days": "another unit",
    }[unit]
    raise UserInputError(
        path,
        [
            Problem(
                f"column {time_col!r}",
                f"read as {unit}, the longest follow-up is {months:,.0f} months "
                f"({months / 12:,.0f} years), which is not plausible; the column is "
                f"probably in {hint}. Pass --time-unit with the unit of the column",
            )
        ],
        hint="set --time-unit (days, weeks, months or years)",
    )


def _check_outcome(
    raw: Any, time_col: str, event_col: str, problems: list[Problem]
) -> tuple[np.ndarray, np.ndarray]:
    time = np.full(len(raw), np.nan)
    event = np.zeros(len(raw), dtype=int)
    for i, (t_text, e_text) in enumerate(
        zip(raw[time_col], raw[event_col], strict=True)
    ):
        line = i + 2  # header is line 1
        t = _as_float(t_text)
        if t is None or t < 0:
            problems.append(
                Problem(
                    f"line {line}, column {time_col!r}",
                    f"expected a number >= 0 (follow-up time), got {t_text!r}",
                )
            )
        else:
            time[i] = t
        e = _as_float(e_text)
        if e not in (0.0, 1.0):
            problems.append(
                Problem(
                    f"line {line}, column {event_col!r}",
                    f"expected 0 (censored) or 1 (event), got {e_text!r}",
                )
            )
        else:
            event[i] = int(e)  # type: ignore[arg-type]
    if not problems and event.sum() == 0:
        problems.append(
            Problem(f"column {event_col!r}", "no events (all 0); nothing to fit")
        )
    return time, event


def _classify(
    raw: Any, features: list[str], problems: list[Problem]
) -> tuple[list[str], list[str]]:
    numeric, categorical = [], []
    for col in features:
        values = [v for v in raw[col] if v.strip() != ""]
        if values and all(_as_float(v) is not None for v in values):
            numeric.append(col)
            continue
        levels = set(values)
        if len(levels) > MAX_LEVELS:
            problems.append(
                Problem(
                    f"column {col!r}",
                    f"{len(levels)} distinct text values; "
                    f"expected numbers or at most {MAX_LEVELS} categories "
                    "(exclude it or code it numerically)",
                )
            )
        categorical.append(col)
    return numeric, categorical


def _assemble(
    raw: Any,
    path: Path,
    time: np.ndarray,
    event: np.ndarray,
    therapy_col: str,
    numeric: list[str],
    categorical: list[str],
    time_unit: str,
) -> CohortData:
    cols = [*numeric, *categorical, therapy_col]
    blank = (raw[cols].apply(lambda s: s.str.strip() == "")).any(axis=1).to_numpy()
    issues: list[SurvivalWarning] = []
    if blank.any():
        issues.append(
            DataWarning(
                f"{int(blank.sum())} of {len(raw)} rows have missing "
                "values and were left out"
            )
        )
    keep = ~blank
    df = raw.loc[keep, cols].copy()
    for col in numeric:
        df[col] = df[col].astype(float)
    levels: dict[str, tuple[str, ...]] = {}
    for col in [*categorical, therapy_col]:
        counts = df[col].value_counts()
        ordered = sorted(counts.index, key=lambda v: (-counts[v], v))
        levels[col] = tuple(str(v) for v in ordered)
    encoder = FeatureEncoder(
        therapy_col=therapy_col,
        numeric=tuple(numeric),
        categorical=levels,
        ranges={c: (float(df[c].min()), float(df[c].max())) for c in numeric},
        defaults={
            **{c: float(df[c].median()) for c in numeric},
            **{c: lv[0] for c, lv in levels.items()},
        },
    )
    return CohortData(
        source=str(path),
        records=tuple(df.to_dict(orient="records")),
        time=time[keep],
        event=event[keep],
        encoder=encoder,
        time_unit=time_unit,
        warnings=tuple(issues),
    )
