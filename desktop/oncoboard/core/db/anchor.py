"""The audit anchor: the audit chain's last row, kept outside the database.

The hash chain alone cannot show rows deleted from its end, or a chain
recomputed after an edit.  So every write transaction that appends audit rows
also writes ``cases.sqlite.anchor.json`` beside the database (atomically, 0600,
just before COMMIT) with the last sequence number and hash before and after the
transaction: until COMMIT is confirmed the chain may end at either (a crash
between the anchor write and COMMIT leaves the "before" state).  After COMMIT
the anchor is rewritten with the "after" state alone, so deleting the last
transaction's rows is seen as truncation.  Each backup gets a copy of the
anchor as well (``<backup>.anchor.json``), and the live chain must still hold
each backup's last row.

If a transaction starts from a chain the anchor does not know, the anchor keeps
a note of it (``events``), so a later save does not bless the tampering.  A
missing anchor file is re-created with a note; ``oncoboard audit verify`` shows
the notes and fails on a mismatch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.db.audit import GENESIS_HASH
from oncoboard.core.errors import StorageError

log = logging.getLogger(__name__)

SCHEMA = "oncoboard.audit-anchor/1"
SUFFIX = ".anchor.json"
MAX_BYTES = 1024 * 1024
MAX_EVENTS = 100


@dataclass(frozen=True)
class ChainEnd:
    """The last audit row: its sequence number (the row count of an intact chain) and hash."""

    seq: int
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash}

    @classmethod
    def from_json(cls, data: Any) -> ChainEnd | None:
        if (
            isinstance(data, dict)
            and isinstance(data.get("seq"), int)
            and isinstance(data.get("hash"), str)
        ):
            return cls(data["seq"], data["hash"])
        return None

    def __str__(self) -> str:
        return f"{self.seq} rows ending in {self.hash[:12]}"


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def chain_end(conn: sqlite3.Connection) -> ChainEnd:
    row = conn.execute(
        "SELECT seq, row_hash FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return ChainEnd(int(row[0]), str(row[1])) if row else ChainEnd(0, GENESIS_HASH)


def read(path: Path) -> dict[str, Any] | None:
    """The anchor file's content; None if there is none; ``{"unreadable": why}`` if it is damaged."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"unreadable": exc.strerror or str(exc)}
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if (
        len(raw) > MAX_BYTES
        or not isinstance(data, dict)
        or data.get("schema") != SCHEMA
    ):
        return {"unreadable": "it is not an OncoBoard audit anchor"}
    return data


def accepted(data: dict[str, Any] | None) -> set[ChainEnd]:
    """The chain ends the anchor allows: after its last transaction, or before it."""
    if not data:
        return set()
    return {
        e
        for e in (ChainEnd.from_json(data.get(k)) for k in ("after", "before"))
        if e is not None
    }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write(path: Path, data: dict[str, Any]) -> None:
    from oncoboard.core.case.io import atomic_write_bytes

    atomic_write_bytes(path, json.dumps(data, indent=1, sort_keys=True).encode())
    os.chmod(path, 0o600)


def _with_event(data: dict[str, Any] | None, event: str) -> list[str]:
    events = list((data or {}).get("events") or [])
    return [*events, f"{_now()}: {event}"][-MAX_EVENTS:]


def advance(db_path: Path, before: ChainEnd, after: ChainEnd) -> None:
    """Record a transaction's chain end (called inside it, before COMMIT).

    Raises :class:`StorageError` if the file cannot be written, so that the
    transaction rolls back instead of leaving rows the anchor does not cover.
    """
    path = anchor_path(db_path)
    data = read(path)
    events = (
        list((data or {}).get("events") or [])
        if data and "unreadable" not in data
        else []
    )
    if data is None:
        events = _with_event(
            None, f"anchor file missing before a save; the chain then held {before}"
        )
    elif "unreadable" in data:
        events = _with_event(
            None,
            f"anchor file unreadable ({data['unreadable']}) before a save; "
            f"the chain then held {before}",
        )
    elif before not in accepted(data):
        expected = " or ".join(
            str(e) for e in sorted(accepted(data), key=lambda e: e.seq)
        )
        events = _with_event(
            data, f"the audit chain held {before}; the anchor expected {expected}"
        )
    try:
        _write(
            path,
            {
                "schema": SCHEMA,
                "before": before.to_json(),
                "after": after.to_json(),
                "events": events,
                "superseded": superseded(data),
                "written": _now(),
            },
        )
    except OSError as exc:
        full = exc.errno == 28
        raise StorageError(
            f"Could not save: {'the disk is full' if full else 'the audit anchor could not be written'} "
            f"({path}: {exc.strerror}). Nothing was changed; your edit is still open."
        ) from None


def confirm(db_path: Path, after: ChainEnd) -> None:
    """After COMMIT: only the committed chain end is accepted from now on."""
    path = anchor_path(db_path)
    data = read(path)
    if (
        not data
        or "unreadable" in data
        or ChainEnd.from_json(data.get("after")) != after
    ):
        return  # another writer has moved it on already (it holds the write lock now)
    try:
        _write(path, {**data, "before": None, "written": _now()})
    except OSError as exc:  # the save is committed; the next save rewrites the anchor
        log.warning(
            "audit anchor not confirmed after a save (%s); the next save will",
            exc.strerror,
        )


def ensure(db_path: Path, conn: sqlite3.Connection) -> None:
    """At open: create a missing anchor (noting it when the chain already has rows)."""
    path = anchor_path(db_path)
    if path.exists():
        return
    end = chain_end(conn)
    events = (
        []
        if end.seq == 0
        else _with_event(
            None,
            (
                f"anchor created for an existing audit chain of {end} (first start of a version that "
                "keeps an anchor, or the anchor file was deleted); rows up to there are not anchored"
            ),
        )
    )
    try:
        _write(
            path,
            {
                "schema": SCHEMA,
                "before": end.to_json(),
                "after": end.to_json(),
                "events": events,
                "written": _now(),
            },
        )
    except (
        OSError
    ):  # a read-only folder: reading still works; a save will say why it cannot
        return


def superseded(data: dict[str, Any] | None) -> list[str]:
    """Backups newer than a restored one: their chains legitimately went another way."""
    names = (data or {}).get("superseded") or []
    return [str(n) for n in names][-1000:] if isinstance(names, list) else []


def restored(
    db_path: Path, conn: sqlite3.Connection, backup: Path, newer: list[str]
) -> None:
    """After ``db restore``: anchor the restored chain, noting where it came from and
    which (newer) backups it supersedes."""
    end = chain_end(conn)
    _write(
        anchor_path(db_path),
        {
            "schema": SCHEMA,
            "before": end.to_json(),
            "after": end.to_json(),
            "events": [],
            "restored_from": backup.name,
            "superseded": newer,
            "written": _now(),
        },
    )


def backup_copy(conn: sqlite3.Connection, db_path: Path, backup: Path) -> None:
    """Write ``<backup>.anchor.json``: the backup's own chain end and the live anchor's notes."""
    live = read(anchor_path(db_path)) or {}
    end = chain_end(conn)
    _write(
        anchor_path(backup),
        {
            "schema": SCHEMA,
            "before": end.to_json(),
            "after": end.to_json(),
            "events": live.get("events") or [],
            "written": _now(),
        },
    )
