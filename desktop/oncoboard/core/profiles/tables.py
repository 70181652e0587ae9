"""Reading delimited tables (MAF, panel CSV/TSV) with line numbers."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles.files import read_lines


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, column -> cell)

    def find(self, *names: str) -> str | None:
        """The first header matching one of ``names`` (case- and space-insensitive)."""
        index = {_key(h): h for h in self.header}
        for name in names:
            hit = index.get(_key(name))
            if hit is not None:
                return hit
        return None


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_").replace(".", "_")


def read_table(path: Path) -> Table:
    """Read a TSV/CSV table, skipping ``#`` comment lines before the header.

    The delimiter is a tab if the header has one, else a comma (quotes allowed).
    Rows with more cells than the header are an error naming the line.
    """
    header: list[str] | None = None
    delimiter = "\t"
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for lineno, line in read_lines(path):
        if header is None:
            if not line.strip() or line.startswith("#"):
                continue
            delimiter = "\t" if "\t" in line else ","
            header = [h.strip().lstrip("\ufeff") for h in _split(line, delimiter)]
            if len(set(header)) != len(header):
                dupes = sorted({h for h in header if header.count(h) > 1})
                problems.append(
                    Problem(
                        f"line {lineno}", f"repeated column names: {', '.join(dupes)}"
                    )
                )
            continue
        if not line.strip():
            continue
        cells = _split(line, delimiter)
        if len(cells) > len(header):
            problems.append(
                Problem(
                    f"line {lineno}",
                    f"{len(cells)} cells but the header has {len(header)} columns",
                )
            )
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append((lineno, dict(zip(header, cells, strict=True))))
    if header is None:
        raise UserInputError(
            path, [Problem("", "no header line found; the file is empty")]
        )
    if problems:
        from oncoboard.core.profiles.files import raise_problems

        raise_problems(path, problems)
    return Table(tuple(header), tuple(rows))


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return line.split("\t")
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return line.split(delimiter)
