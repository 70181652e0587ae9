"""Backups (issue 22, item 1): a kill or a full disk during a backup left a 0-byte
``backups/cases-*-scheduled.sqlite`` that then counted as the newest backup, was
named in error messages and restored without a check ("no cases"); a second
restore overwrote the first ``.broken`` copy; a full disk stopped ``case list``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from db_attacks import case, cli, contents, damage_page, filled
from oncoboard.core.db import CaseStore, backup
from oncoboard.core.db.integrity import check_file
from oncoboard.core.errors import StorageError

OLD = 3 * 24 * 3600  # seconds: makes a backup older than the daily interval


def _age(path: Path, seconds: float) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def _leftover(
    db: Path,
    name: str = "cases-29990101T000000000000Z-scheduled.sqlite",
    data: bytes = b"",
) -> Path:
    """A file named like the newest backup, as a killed backup of an older version left it."""
    folder = backup.backup_dir(db)
    folder.mkdir(exist_ok=True)
    bad = folder / name
    bad.write_bytes(data)
    return bad


# --- a 0-byte or truncated file named like a backup ----------------------------


def test_an_empty_leftover_backup_is_not_counted_and_a_backup_is_still_taken(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cases.sqlite"
    filled(db)
    CaseStore(db).close()  # takes the first daily backup
    [good] = backup.list_backups(db)
    _age(good, OLD)
    bad = _leftover(db)
    assert backup.list_backups(db)[0] == bad  # by name it is the newest
    assert backup.complete_backups(db) == [good]  # but it does not count
    CaseStore(db).close()  # the daily backup is due: the empty file did not postpone it
    fresh = [p for p in backup.complete_backups(db) if p != good]
    assert len(fresh) == 1 and check_file(fresh[0]) == []
    assert not bad.exists()  # and it was cleared away


def test_a_truncated_leftover_is_set_aside_not_offered_and_not_restored(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = isolated_home / "cases.sqlite"
    filled(db)
    CaseStore(db).close()
    [good] = backup.list_backups(db)
    bad = _leftover(db, data=good.read_bytes()[:8192])  # cut short by a kill
    before = db.read_bytes()

    code, _, err = cli(capsys, "db", "restore", bad.name)
    assert (
        code == 1
        and "cannot be restored" in err
        and "truncated" in err
        and "Nothing was changed" in err
    )
    assert good.name in err and "Traceback" not in err
    assert db.read_bytes() == before and not list(tmp_path.glob("*.broken*"))
    assert backup.usable_backups(db) == [good]

    db.write_bytes(b"")  # damage: the message offers the good backup only
    with pytest.raises(StorageError) as caught:
        CaseStore(db)
    assert good.name in str(caught.value) and bad.name not in str(caught.value)


def test_restore_refuses_an_empty_backup_and_changes_nothing(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = isolated_home / "cases.sqlite"
    expected = filled(db)
    bad = _leftover(db)
    code, _, err = cli(capsys, "db", "restore", bad.name)
    assert code == 1 and "is empty (0 bytes)" in err
    assert contents(db) == expected  # not "no cases"


@pytest.mark.parametrize(
    "attack", ["edited case", "edited audit row", "missing rows", "damaged page"]
)
def test_restore_refuses_a_backup_that_fails_its_check(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], attack: str
) -> None:
    db = isolated_home / "cases.sqlite"
    filled(db, n=40, pad=2000)
    with CaseStore(db) as store:
        target = backup.backup_database(store.db.conn, db, reason="manual")
    conn = sqlite3.connect(target)
    if attack == "edited case":
        conn.execute(
            "UPDATE cases SET content = replace(content, 'LUAD', 'BRCA') WHERE case_id = 'C1'"
        )
    elif attack == "edited audit row":
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET os_user = 'mallory' WHERE seq = 2")
    elif attack == "missing rows":
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit WHERE seq > 30")
    conn.commit()
    conn.close()
    if attack == "damaged page":
        damage_page(target, 5)
    before = db.read_bytes()
    code, _, err = cli(capsys, "db", "restore", target.name)
    assert code == 1 and "cannot be restored" in err and "Nothing was changed" in err, (
        err
    )
    assert db.read_bytes() == before
    code, out, _ = cli(capsys, "db", "check")
    assert code == 0 and f"backup {target.name}: UNUSABLE" in out


# --- restore keeps every replaced database -------------------------------------


def test_every_restore_keeps_the_replaced_database_under_its_own_name(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = isolated_home / "cases.sqlite"
    filled(db, n=2)
    code, out, _ = cli(capsys, "db", "backup")
    assert code == 0
    [snapshot] = [
        p for p in backup.list_backups(db) if p.name.endswith("-manual.sqlite")
    ]
    with CaseStore(db) as store:
        store.create(case("AFTER-1"))
    assert cli(capsys, "db", "restore", snapshot.name)[0] == 0
    with CaseStore(db) as store:
        store.create(case("AFTER-2"))
    code, out, _ = cli(capsys, "db", "restore", snapshot.name)
    assert code == 0 and "kept as" in out

    kept = sorted(isolated_home.glob("cases.sqlite.broken-*[0-9Z]"))
    assert len(kept) == 2
    assert {tuple(case_ids(k)) for k in kept} == {
        ("AFTER-1", "C0", "C1"),
        ("AFTER-2", "C0", "C1"),
    }
    assert sorted(contents(db)) == ["C0", "C1"]


CRASHED_WRITER = """
import os, sys
from db_attacks import case
from oncoboard.core.db import CaseStore
CaseStore(sys.argv[1]).create(case("ONLY-IN-WAL"))
os._exit(0)  # a crash: the WAL is never folded back into the file
"""


def case_ids(path: Path) -> list[str]:
    """Read a kept file directly (opening it as a store would start backing it up)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT case_id FROM cases"))
    finally:
        conn.close()


def test_restore_keeps_the_wal_with_the_replaced_database(isolated_home: Path) -> None:
    """Commits still in the WAL go with the replaced file, and are not replayed into the restored one."""
    db = isolated_home / "cases.sqlite"
    filled(db, n=1)
    with CaseStore(db) as store:
        snapshot = backup.backup_database(store.db.conn, db, reason="manual")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    subprocess.run([sys.executable, "-c", CRASHED_WRITER, str(db)], check=True, env=env)
    assert Path(f"{db}-wal").stat().st_size > 0
    kept = backup.restore_backup(db, snapshot)
    assert kept is not None and Path(f"{kept}-wal").exists()
    assert case_ids(kept) == ["C0", "ONLY-IN-WAL"]
    assert case_ids(db) == ["C0"] and contents(db) == {"C0": "LUAD"}


# --- a failed backup never stops the program -----------------------------------


def test_a_backup_failing_inside_sqlite_is_logged_and_the_cases_still_list(
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = isolated_home / "cases.sqlite"
    filled(db)

    def disk_full(conn: sqlite3.Connection, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\x00")  # a few bytes made it to disk
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", disk_full)
    with caplog.at_level(logging.WARNING, logger="oncoboard"):
        code, out, err = cli(capsys, "case", "list")
    assert code == 0 and "C0" in out and err == ""
    assert (
        "automatic backup (scheduled) failed" in caplog.text
        and "disk is full" in caplog.text
    )
    assert list(backup.backup_dir(db).iterdir()) == []  # the partial copy was removed


def test_a_manual_backup_that_fails_says_so(
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    filled(isolated_home / "cases.sqlite")

    def disk_full(conn: sqlite3.Connection, target: Path) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", disk_full)
    code, _, err = cli(capsys, "db", "backup")
    assert (
        code == 1
        and "Could not write a backup" in err
        and "disk is full" in err
        and "Traceback" not in err
    )


def test_a_backup_that_lost_rows_is_discarded(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    filled(db, n=5)
    with CaseStore(db) as store:
        target = backup.backup_database(store.db.conn, db, reason="manual")
    assert check_file(target, minimum={"cases": 5, "audit": 5}) == []
    assert check_file(target, minimum={"cases": 6, "audit": 5}) == [
        "holds 5 cases rows; the database held 6 when the copy started"
    ]


def test_a_partial_copy_of_a_dead_process_is_removed_and_never_listed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cases.sqlite"
    filled(db)
    folder = backup.backup_dir(db)
    folder.mkdir()
    partial = (
        folder
        / f".cases-29990101T000000000000Z-scheduled.sqlite{backup.PARTIAL}999999999"
    )  # no such pid
    partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    assert backup.list_backups(db) == []
    with CaseStore(db) as store:
        backup.backup_database(store.db.conn, db, reason="manual")
    assert not partial.exists()


# --- a really full disk (root: a tiny tmpfs mounted on the backup folder) ------


@pytest.fixture
def tiny_backup_folder(isolated_home: Path) -> Iterator[Path]:
    folder = isolated_home / "backups"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr!r}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_a_full_disk_during_the_daily_backup_keeps_no_file_and_cases_still_list(
    tiny_backup_folder: Path,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = isolated_home / "cases.sqlite"
    expected = filled(
        db, n=30, pad=5000
    )  # far more than the 64 kB the backup folder holds
    with caplog.at_level(logging.WARNING, logger="oncoboard"):
        code, out, err = cli(capsys, "case", "list")
    assert code == 0 and all(c in out for c in expected) and err == ""
    assert "failed" in caplog.text
    assert list(tiny_backup_folder.iterdir()) == []  # no 0-byte or partial file left
    assert contents(db) == expected
