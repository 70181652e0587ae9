"""Reading delimited tables (MAF, panel CSV/TSV) with line numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles.files import read_lines


class Row(Mapping[str, str]):
    """One table row: its cells by column name, split from the line on first use."""

    __slots__ = ("_cells", "_delimiter", "_index", "_line")

    def __init__(self, index: dict[str, int], line: str, delimiter: str) -> None:
        self._index = index
        self._line = line
        self._delimiter = delimiter
        self._cells: list[str] | None = None

    def _split_cells(self) -> list[str]:
        if self._cells is None:
            cells = _split(self._line, self._delimiter)
            self._cells = cells + [""] * (len(self._index) - len(cells))
        return self._cells

    def __getitem__(self, column: str) -> str:
        return self._split_cells()[self._index[column]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class Rows(Sequence[tuple[int, Row]]):
    """The rows of a table, made from the kept lines as they are read.

    A table keeps its lines, not split cells: a wide MAF then costs about twice
    its size in memory instead of a dict of cells per row (issue 22: a MAF used
    19 times its file size).  Each pass builds short-lived row objects.
    """

    def __init__(
        self, lines: tuple[tuple[int, str], ...], index: dict[str, int], delimiter: str
    ) -> None:
        self._lines = lines
        self._index = index
        self._delimiter = delimiter

    def __len__(self) -> int:
        return len(self._lines)

    def _row(self, item: tuple[int, str]) -> tuple[int, Row]:
        return item[0], Row(self._index, item[1], self._delimiter)

    @overload
    def __getitem__(self, i: int) -> tuple[int, Row]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, Row]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int, Row] | list[tuple[int, Row]]:
        if isinstance(i, slice):
            return [self._row(item) for item in self._lines[i]]
        return self._row(self._lines[i])

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        return (self._row(item) for item in self._lines)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: Rows  # (line number, column -> cell)

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
    lines: list[tuple[int, str]] = []
    index: dict[str, int] = {}
    problems: list[Problem] = []
    for lineno, line in read_lines(path):
        if header is None:
            if not line.strip() or line.startswith("#"):
                continue
            delimiter = "\t" if "\t" in line else ","
            header = [h.strip().lstrip("\ufeff") for h in _split(line, delimiter)]
            index = {h: i for i, h in enumerate(header)}
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
        lines.append((lineno, line))
    if header is None:
        raise UserInputError(
            path, [Problem("", "no header line found; the file is empty")]
        )
    if problems:
        from oncoboard.core.profiles.files import raise_problems

        raise_problems(path, problems)
    return Table(tuple(header), Rows(tuple(lines), index, delimiter))


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return line.split("\t")
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return line.split(delimiter)
