"""Is a case database file whole?  Used for backups (before they count), for
``oncoboard db restore`` (before anything is replaced) and for ``oncoboard db check``.

A file passes when SQLite's own check is clean, it is an OncoBoard database of a
schema this version knows, every case and variant file matches its stored
SHA-256, the audit chain verifies and agrees with every case, and (for a backup)
it holds at least the rows the live database held when the copy started.
"""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from oncoboard.core.db.audit import verify_chain
from oncoboard.core.db.migrations import APPLICATION_ID, SCHEMA_VERSION

HEADER = b"SQLite format 3\x00"
MAX_PROBLEMS = 20  # a wrecked file would otherwise list every row


def printable(text: str) -> str:
    """Text for a terminal or log line: control characters (escape codes) shown as ``\\x..``."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def header_problem(path: Path) -> str | None:
    """A cheap look at the file: missing, empty, not SQLite, foreign or shorter than it says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if size == 0:
        return "is empty (0 bytes)"
    if len(header) < 100 or not header.startswith(HEADER):
        return "is not an SQLite database"
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        return f"is an SQLite file of another program (application id {app_id:#x})"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    pages_valid = (
        header[92:96] == header[24:28]
    )  # the page count is only trusted when current
    if size < page_size or (pages_valid and size < pages * page_size):
        return f"is truncated ({size:,} bytes; its header says {pages * page_size:,})"
    return None


def connect(path: Path, *, live: bool) -> sqlite3.Connection:
    # mode=rw never creates a file; a live WAL database needs write access to its -shm
    mode = "rw" if live else "ro"
    return sqlite3.connect(
        f"file:{urllib.parse.quote(str(path))}?mode={mode}", uri=True, timeout=10.0
    )


def check_file(
    path: Path,
    *,
    full: bool = True,
    live: bool = False,
    minimum: Mapping[str, int] | None = None,
) -> list[str]:
    """Problems with the case database at ``path`` (empty if it is usable).

    ``full`` runs ``integrity_check`` (else ``quick_check``); ``live`` opens a
    database in use (WAL) rather than a backup; ``minimum`` holds the row counts
    a backup must at least have.
    """
    problem = header_problem(path)
    if problem:
        return [problem]
    try:
        conn = connect(path, live=live)
    except sqlite3.Error as exc:
        return [f"cannot be opened ({exc})"]
    try:
        problems = _check_open(conn, full=full, minimum=minimum or {})
        if not problems or not problems[0].startswith(
            ("is damaged (SQLite", "is not", "was written", "has lost")
        ):
            problems += _anchor_problems(conn, path, live=live)
        return problems[:MAX_PROBLEMS]
    except sqlite3.DatabaseError as exc:
        return [f"is damaged ({_reason(exc)})"]
    finally:
        conn.close()


def _anchor_problems(conn: sqlite3.Connection, path: Path, *, live: bool) -> list[str]:
    """Triggers and anchors (``core/db/audit_check.py``): for the live database its anchor
    file and the backups' anchors; for a backup, the anchor written beside it (if any)."""
    from oncoboard.core.db import anchor, audit_check

    problems = audit_check.trigger_problems(conn)
    if live:
        return problems + audit_check.anchor_problems(conn, path)[0]
    side = anchor.read(anchor.anchor_path(path))
    if side is not None and anchor.chain_end(conn) not in anchor.accepted(side):
        problems.append(
            f"does not end where its anchor {anchor.anchor_path(path).name} says "
            "(audit rows deleted or re-chained)"
        )
    return problems


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    return (
        "it holds text that is not UTF-8" if "decode" in text else text
    )  # never echo row text


def _check_open(
    conn: sqlite3.Connection, *, full: bool, minimum: Mapping[str, int]
) -> list[str]:
    pragma = "integrity_check" if full else "quick_check"
    result = [r[0] for r in conn.execute(f"PRAGMA {pragma}(5)")]
    if result != ["ok"]:
        return [f"is damaged (SQLite {pragma}: {'; '.join(result)})"]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if (
        conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
        or version < 1
    ):
        return ["is not an OncoBoard case database"]
    if version > SCHEMA_VERSION:
        return [
            f"was written by a newer OncoBoard (schema {version}; this version knows {SCHEMA_VERSION})"
        ]
    tables = {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    missing = {"cases", "audit"} - tables
    if missing:
        return [f"has lost its {' and '.join(sorted(missing))} table"]
    problems = (
        _case_problems(conn)
        + _attachment_problems(conn, tables)
        + _audit_problems(conn)
    )
    for table, least in minimum.items():
        have = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if have < least:
            problems.append(
                f"holds {have} {table} rows; the database held {least} when the copy started"
            )
    return problems


def _case_id(raw: bytes) -> str:
    return printable(raw.decode("utf-8", "replace"))


def _case_problems(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT pk, CAST(case_id AS BLOB), CAST(content AS BLOB), content_sha256 FROM cases ORDER BY pk"
    )
    return [
        f"case {_case_id(case_id)!r} (internal id {pk}) is damaged: its content does not match its checksum"
        for pk, case_id, content, sha in rows
        if hashlib.sha256(content or b"").hexdigest() != sha
    ]


def _attachment_problems(conn: sqlite3.Connection, tables: set[str]) -> list[str]:
    if "attachments" not in tables:  # schema 1 (a backup taken before migration 2)
        return []
    rows = conn.execute(
        "SELECT case_pk, CAST(rel_path AS BLOB), content, sha256 FROM attachments"
    )
    return [
        f"variant file {_case_id(rel)!r} of case internal id {pk} is damaged: it does not match its checksum"
        for pk, rel, content, sha in rows
        if hashlib.sha256(content or b"").hexdigest() != sha
    ]


def _audit_problems(conn: sqlite3.Connection) -> list[str]:
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]
        cases = list(conn.execute("SELECT pk, version, content_sha256 FROM cases"))
    finally:
        conn.row_factory = None
    problems = [f"audit trail: {p}" for p in verify_chain(rows)]
    if rows and rows[0]["seq"] != 1:
        problems.append(f"audit trail: rows before {rows[0]['seq']} are missing")
    last = {r["case_pk"]: r for r in rows if r["case_pk"] is not None}
    for case in cases:  # each case is what its last audited change wrote
        row = last.get(case["pk"])
        if row is None or (row["case_version"], row["content_sha256"]) != (
            case["version"],
            case["content_sha256"],
        ):
            problems.append(
                f"case internal id {case['pk']} does not match its last audit row"
            )
    return problems
