"""Audit-chain attacks (issue 22, item 7): each went unseen by ``audit verify``.

Deleting the last rows (or all of them), recomputing the hashes after an edit,
dropping the append-only triggers and editing ``cases`` directly.  A dropped
audit table gave "unexpected ... This is a bug".
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db_attacks import case, cli
from oncoboard.core.db import CaseStore
from oncoboard.core.db.anchor import anchor_path
from oncoboard.core.db.audit import audit_row_hash
from oncoboard.core.db.backup import backup_database, list_backups, restore_backup
from oncoboard.core.db.migrations import MIGRATIONS
from oncoboard.core.errors import StorageError

TRIGGERS = [sql for sql in MIGRATIONS[0] if "CREATE TRIGGER" in sql]


@pytest.fixture
def db(isolated_home: Path) -> Path:
    path = isolated_home / "cases.sqlite"
    with CaseStore(path) as store:
        for i in range(3):
            store.create(case(f"C{i}"))
        stored = store.get("C1")
        store.update("C1", case("C1", code="NSCLC"), based_on=stored.version)
    return path


def _tamper(
    db: Path, *statements: str, rechain: bool = False, restore_triggers: bool = True
) -> None:
    """What an attacker with an SQLite tool does: drop the triggers, change rows, put them back."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for sql in statements:
        conn.execute(sql)
    if rechain:  # recompute every hash so that the chain verifies on its own
        prev = "0" * 64
        for row in [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]:
            row["prev_hash"] = prev
            prev = audit_row_hash(row)
            conn.execute(
                "UPDATE audit SET prev_hash = ?, row_hash = ? WHERE seq = ?",
                (row["prev_hash"], prev, row["seq"]),
            )
    if restore_triggers:
        for sql in TRIGGERS:
            conn.execute(sql)
    conn.commit()
    conn.close()


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code, out, err = cli(capsys, "audit", "verify")
    assert "This is a bug" not in err and "Traceback" not in err
    return code, out, err


def test_an_untouched_trail_verifies(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _verify(capsys)
    assert code == 0 and "audit trail intact (4 rows; anchored)" in out, err
    assert cli(capsys, "db", "check")[0] == 0


@pytest.mark.parametrize("statement, expected", [
    ("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)", "truncated: the anchor records 4 rows"),
    ("DELETE FROM audit WHERE seq >= 3", "truncated: the anchor records 4 rows"),
    ("DELETE FROM audit", "ends at row 0"),
])  # fmt: skip
def test_deleting_rows_from_the_end_is_reported(
    db: Path, capsys: pytest.CaptureFixture[str], statement: str, expected: str
) -> None:
    _tamper(db, statement)
    code, _, err = _verify(capsys)
    assert code == 1 and expected in err
    code, _, err = cli(capsys, "db", "check")
    assert code == 1 and expected in err


def test_a_recomputed_chain_is_reported(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # hide the update of C1: its audit row now claims the first version, and the case agrees
    _tamper(db, "DELETE FROM audit WHERE seq = 4",
            "UPDATE cases SET version = 1, content = (SELECT content FROM cases WHERE case_id = 'C0'), "
            "content_sha256 = (SELECT content_sha256 FROM cases WHERE case_id = 'C0') WHERE case_id = 'C1'",
            "INSERT INTO audit (seq, at, os_user, action, case_pk, case_version, content_sha256, prev_hash, "
            "row_hash) SELECT 4, at, os_user, 'create', 2, 1, content_sha256, '', '' FROM audit WHERE seq = 1",
            rechain=True)  # fmt: skip
    code, _, err = _verify(capsys)
    assert code == 1 and "re-chained: row 4" in err
    assert (
        "does not match its last audit row" not in err
    )  # the attacker made them agree...
    assert (
        "its content does not match" not in err
    )  # ...and the checksums: only the anchor sees it


def test_dropped_triggers_are_reported(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(db, restore_triggers=False)
    code, _, err = _verify(capsys)
    assert (
        code == 1
        and "trigger audit_no_update was dropped" in err
        and "audit_no_delete" in err
    )
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END"
    )
    conn.commit()
    conn.close()
    code, _, err = _verify(capsys)
    assert code == 1 and "trigger audit_no_update was altered" in err


def test_a_direct_edit_of_a_case_is_reported(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(db) as store:
        other = store.db.execute(
            "SELECT content, content_sha256 FROM cases WHERE case_id = 'C0'"
        ).fetchone()
    conn = sqlite3.connect(
        db
    )  # the content and its checksum agree, the audit trail does not
    conn.execute(
        "UPDATE cases SET content = ?, content_sha256 = ? WHERE case_id = 'C2'", other
    )
    conn.commit()
    conn.close()
    code, _, err = _verify(capsys)
    assert code == 1 and "case internal id 3 does not match its last audit row" in err


def test_a_dropped_audit_table_is_a_clear_error(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(db, "DROP TABLE audit", restore_triggers=False)
    for command in (["audit", "verify"], ["case", "list"], ["db", "check"]):
        code, _, err = cli(capsys, *command)
        assert (
            code == 1
            and "audit table was dropped" in err
            or "lost its audit table" in err
        ), (command, err)
        assert "This is a bug" not in err and "Traceback" not in err


def test_a_save_after_tampering_does_not_bless_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(db, "DELETE FROM audit WHERE seq = 4")
    with CaseStore(db) as store:  # the next user save moves the anchor on...
        store.create(case("C9"))
    code, _, err = _verify(capsys)  # ...but the anchor keeps a note of what it found
    assert (
        code == 1
        and "the audit chain held 3 rows" in err
        and "anchor expected 4 rows" in err
    )


def test_a_backup_anchor_catches_a_rewritten_anchor_file(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(db) as store:
        backup = backup_database(store.db.conn, db, reason="manual")
    assert json.loads(anchor_path(backup).read_text())["after"]["seq"] == 4
    _tamper(db, "DELETE FROM audit WHERE seq >= 3")
    anchor_path(db).unlink()  # the attacker removes the live anchor as well
    code, out, err = _verify(capsys)
    assert (
        code == 1
        and f"no longer holds row 4 as backup {backup.name} recorded it" in err
    )
    assert (
        "anchor created for an existing audit chain of 2 rows" in out
    )  # and says it was re-made


def test_a_missing_anchor_is_recreated_with_a_note(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anchor_path(
        db
    ).unlink()  # e.g. the first start of this version on an older database
    code, out, _ = _verify(capsys)
    assert (
        code == 0
        and "note: " in out
        and "anchor created for an existing audit chain of 4 rows" in out
    )


def test_a_crash_between_anchor_and_commit_is_not_tampering(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(db) as store, pytest.MonkeyPatch.context() as patch:
        real = store.db.execute

        def failing_commit(sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return real(sql, *args)

        patch.setattr(store.db, "execute", failing_commit)
        with pytest.raises(StorageError, match="disk I/O error"):
            store.create(case("C9"))
    assert (
        json.loads(anchor_path(db).read_text())["after"]["seq"] == 5
    )  # written, never committed
    code, out, err = _verify(capsys)
    assert code == 0 and "4 rows" in out, err


def test_restoring_an_older_backup_supersedes_the_newer_ones(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(db) as store:
        older = backup_database(store.db.conn, db, reason="manual")
        store.create(case("C9"))
        newer = backup_database(store.db.conn, db, reason="manual")
    assert newer in list_backups(db) and newer.name > older.name
    restore_backup(db, older)
    code, out, err = _verify(capsys)
    assert code == 0 and "4 rows" in out, err
    with CaseStore(db) as store:
        store.create(case("C8"))
    assert _verify(capsys)[0] == 0
