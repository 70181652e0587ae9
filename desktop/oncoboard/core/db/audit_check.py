"""``oncoboard audit verify``: everything that can be checked about the audit trail.

- the ``audit`` table exists and its append-only triggers are the ones OncoBoard made;
- the hash chain is whole (no edited, missing or reordered row);
- every case matches its stored checksum and its last audit row (a direct edit
  of ``cases`` shows here);
- the chain ends where the anchor file says (rows deleted from the end, or a
  chain recomputed after an edit, show here);
- the chain still holds the last row of every backup's anchor.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from oncoboard.core.db import anchor
from oncoboard.core.db.integrity import _audit_problems, _case_problems
from oncoboard.core.db.migrations import MIGRATIONS

NOTE_PREFIX = "anchor created for"
TRIGGERS = {
    re.search(r"TRIGGER (\w+)", sql).group(1): " ".join(sql.split())  # type: ignore[union-attr]
    for sql in MIGRATIONS[0]
    if "CREATE TRIGGER" in sql
}


@dataclass
class AuditReport:
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def trigger_problems(conn: sqlite3.Connection) -> list[str]:
    found = {
        name: " ".join((sql or "").split())
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
        )
    }
    problems = []
    for name, sql in TRIGGERS.items():
        if name not in found:
            problems.append(
                f"the append-only trigger {name} was dropped: audit rows could be "
                "edited or deleted unseen"
            )
        elif found[name] != sql:
            problems.append(f"the append-only trigger {name} was altered")
    return problems


def anchor_problems(
    conn: sqlite3.Connection, db_path: Path
) -> tuple[list[str], list[str]]:
    """(problems, notes) from comparing the chain with the anchor file and the backups' anchors."""
    data = anchor.read(anchor.anchor_path(db_path))
    if data is None:
        return [f"the audit anchor {anchor.anchor_path(db_path)} is missing"], []
    if "unreadable" in data:
        return [
            f"the audit anchor {anchor.anchor_path(db_path)} is unreadable ({data['unreadable']})"
        ], []
    events = [str(e) for e in data.get("events") or []]
    notes = [e for e in events if NOTE_PREFIX in e]
    problems = [f"anchor note: {e}" for e in events if NOTE_PREFIX not in e]
    end = anchor.chain_end(conn)
    allowed = anchor.accepted(data)
    if allowed and end not in allowed:
        problems.append(_mismatch(end, max(allowed, key=lambda e: e.seq)))
    problems += _backup_problems(conn, db_path, set(anchor.superseded(data)))
    return problems, notes


def _mismatch(end: anchor.ChainEnd, expected: anchor.ChainEnd) -> str:
    if end.seq < expected.seq:
        return (
            f"the audit trail was truncated: the anchor records {expected}; the table "
            f"ends at row {end.seq}"
        )
    if end.seq == expected.seq:
        return (
            f"the audit trail was re-chained: row {end.seq} has hash {end.hash[:12]}, the anchor "
            f"recorded {expected.hash[:12]} (rows edited and their hashes recomputed)"
        )
    return (
        f"the audit trail has {end.seq - expected.seq} rows after the anchor's last recorded "
        f"save ({expected}): rows written outside OncoBoard"
    )


def _backup_problems(
    conn: sqlite3.Connection, db_path: Path, superseded: set[str]
) -> list[str]:
    from oncoboard.core.db.backup import backup_dir

    folder = backup_dir(db_path)
    problems = []
    for side in (
        sorted(folder.glob(f"{db_path.stem}-*.sqlite{anchor.SUFFIX}"))
        if folder.is_dir()
        else []
    ):
        if (
            side.name.removesuffix(anchor.SUFFIX) in superseded
        ):  # newer than a restored backup
            continue
        data = anchor.read(side)
        end = anchor.ChainEnd.from_json((data or {}).get("after"))
        if end is None or end.seq == 0:
            continue
        row = conn.execute(
            "SELECT row_hash FROM audit WHERE seq = ?", (end.seq,)
        ).fetchone()
        if row is None or row[0] != end.hash:
            backup_name = side.name.removesuffix(anchor.SUFFIX)
            problems.append(
                f"the audit trail no longer holds row {end.seq} as backup {backup_name} "
                "recorded it: rows were deleted or re-chained since that backup"
            )
    return problems


def verify(conn: sqlite3.Connection, db_path: Path) -> AuditReport:
    """Check the audit trail of an open case database (see the module docstring)."""
    report = AuditReport()
    tables = {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if "audit" not in tables:
        report.problems.append("the audit table is missing (dropped outside OncoBoard)")
        return report
    report.rows = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    report.problems += trigger_problems(conn)
    report.problems += _case_problems(conn) + _audit_problems(conn)
    problems, report.notes = anchor_problems(conn, db_path)
    report.problems += problems
    return report
