"""Shared helpers for the case-database attack tests: a filled database, the CLI, byte edits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from oncoboard.cli.main import main
from oncoboard.core.case import parse_case
from oncoboard.core.case.model import Case
from oncoboard.core.db import CaseStore


def case(case_id: str, code: str = "LUAD", pseudonym: str = "", pad: int = 0) -> Case:
    return parse_case({
        "schema": "oncoboard.case/1", "case_id": case_id, "tumor": {"oncotree_code": code},
        "patient": {"sex": "female", "age": 61, **({"pseudonym": pseudonym} if pseudonym else {})},
        "samples": [{"id": "T", "specimen": "tissue",
                     "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R"}]}],
        "extensions": {"notes": "n" * pad},
    })  # fmt: skip


def filled(path: Path, n: int = 3, pad: int = 0) -> dict[str, str]:
    """A database at ``path`` holding ``n`` cases; returns case id -> OncoTree code."""
    with CaseStore(path) as store:
        for i in range(n):
            store.create(case(f"C{i}", pad=pad))
    return {f"C{i}": "LUAD" for i in range(n)}


def contents(path: Path) -> dict[str, str]:
    with CaseStore(path) as store:
        return {
            c.case_id: store.get(c.case_id).case.tumor.oncotree_code
            for c in store.list()
        }


def edit_bytes(path: Path, old: bytes, new: bytes) -> None:
    """Overwrite bytes in place, as a disk error or a hand edit would (same length)."""
    assert len(old) == len(new)
    data = path.read_bytes()
    assert data.count(old) == 1, f"{old!r} found {data.count(old)} times"
    path.write_bytes(data.replace(old, new))


def damage_page(path: Path, page: int) -> None:
    """Scribble over one b-tree page header (a bad sector)."""
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start : start + 64] = b"\xaa" * 64
    path.write_bytes(bytes(data))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``oncoboard ARGS`` in-process; exit status, stdout, stderr."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err
