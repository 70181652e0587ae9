"""Backups of the case database (before each migration, daily, and on demand) and restore.

A backup is copied to a temporary name, checked (``integrity_check``, row counts,
checksums, audit chain) and only then renamed into place, so a kill or a full
disk can never leave a file that counts as a backup but is not one.  A restore
checks the backup before it replaces anything and keeps every replaced database
under its own ``.broken-<time>`` name.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from pathlib import Path

from oncoboard.core.db import anchor, files
from oncoboard.core.db.integrity import check_file, connect, header_problem
from oncoboard.core.errors import StorageError

log = logging.getLogger(__name__)

KEEP_BACKUPS = 10
SCHEDULE_HOURS = 24.0
PARTIAL = ".partial-"  # marks a copy not yet checked; never listed, never offered
STALE_PARTIAL_SECONDS = 600.0


def age_hours(path: Path) -> float:
    return (dt.datetime.now().timestamp() - path.stat().st_mtime) / 3600.0


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Every file named like a backup, newest first, whether usable or not."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob(f"{db_path.stem}-*.sqlite") if p.is_file()),
        reverse=True,
    )


def complete_backups(db_path: Path) -> list[Path]:
    """Backups that pass the cheap header check (not empty, not truncated), newest first.

    Good enough to decide when the next backup is due; whatever is offered or
    restored gets the full check (:func:`usable_backups`, :func:`restore_backup`).
    """
    return [p for p in list_backups(db_path) if header_problem(p) is None]


def usable_backups(db_path: Path) -> list[Path]:
    """Backups that pass the full check, newest first: the only ones ever offered."""
    return [p for p in complete_backups(db_path) if not check_file(p)]


def offer(db_path: Path) -> str:
    """A sentence naming the backups a user can restore, for error messages."""
    usable = usable_backups(db_path)
    if not usable:
        found = len(list_backups(db_path))
        return (
            f" None of the {found} backup files in {backup_dir(db_path)} is usable."
            if found
            else " No automatic backup was found."
        )
    names = ", ".join(p.name for p in usable[:5])
    return (
        f" Usable backups (newest first): {names}. Restore the newest with "
        f"`oncoboard db restore {usable[0].name}` (the current file is kept)."
    )


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("cases", "audit")
    }


def _copy(conn: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup API (a consistent snapshot even under WAL) into a private file."""
    files.private_new_file(target)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        dest.execute(
            "PRAGMA journal_mode = DELETE"
        )  # one self-contained file, no -wal beside it
    finally:
        dest.close()
    files.fsync_file(target)


def backup_database(
    conn: sqlite3.Connection, db_path: Path, reason: str = "scheduled"
) -> Path:
    """Copy, check, then rename into place.  Raises :class:`StorageError`; leaves no partial file."""
    folder = backup_dir(db_path)
    target = folder / f"{db_path.stem}-{files.utc_stamp()}-{reason}.sqlite"
    partial = folder / f".{target.name}{PARTIAL}{os.getpid()}"
    try:
        files.private_dir(folder)
        os.chmod(
            folder, files.PRIVATE_DIR
        )  # the backups folder is ours alone, even if made earlier
        _remove_stale(folder)
        minimum = _counts(conn)  # rows only ever grow (soft delete, append-only audit)
        _copy(conn, partial)
        problems = check_file(partial, minimum=minimum)
        if problems:
            raise StorageError(
                f"The backup just written to {folder} failed its check "
                f"({'; '.join(problems[:3])}); it was discarded."
            )
        _anchor_backup(db_path, partial, target)
        os.replace(partial, target)
        files.fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        anchor.anchor_path(target).unlink(missing_ok=True)
        raise StorageError(
            f"Could not write a backup of {db_path} to {folder}: {exc}."
        ) from None
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    _prune(db_path)
    return target


def _anchor_backup(db_path: Path, copy: Path, target: Path) -> None:
    """Give the backup its own anchor (its chain end, and the live anchor's notes)."""
    conn = connect(copy, live=False)
    try:
        anchor.backup_copy(conn, db_path, target)
    finally:
        conn.close()


def _remove_stale(folder: Path) -> None:
    """Delete unchecked copies left by a killed backup (older than a few minutes or of a dead process)."""
    for partial in folder.glob(f".*{PARTIAL}*"):  # the copy and its -journal
        pid = partial.name.rsplit(PARTIAL, 1)[1].split("-")[0]
        old = time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS
        if old or (pid.isdigit() and not _alive(int(pid))):
            partial.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate it; rely on the age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prune(db_path: Path) -> None:
    """Keep the newest KEEP_BACKUPS complete backups; move aside files that are not backups."""
    complete = complete_backups(db_path)
    for path in list_backups(db_path):
        if path not in complete:
            _set_aside(path)
    for old in complete[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
        anchor.anchor_path(old).unlink(missing_ok=True)
    for kept in complete[:KEEP_BACKUPS]:  # backups written by older versions were 0644
        files.make_private(kept)


def _set_aside(path: Path) -> None:
    """An empty or truncated file named like a backup (left by an older version): never count it."""
    if path.stat().st_size == 0:
        path.unlink(missing_ok=True)
        log.warning("removed an empty file posing as a backup: %s", path.name)
        return
    path.replace(files.unused_name(path.with_name(path.name + ".unusable")))
    log.warning("set aside an unusable backup: %s", path.name)


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Replace the database with a checked backup; return where the replaced file was kept.

    Nothing is touched unless the backup passes the full check.  The replaced
    database (and its WAL) gets a new ``.broken-<time>`` name each time.
    """
    problems = check_file(backup)
    if problems:
        raise StorageError(
            f"The backup {backup} cannot be restored: it {'; '.join(problems[:3])}. "
            f"Nothing was changed.{offer(db_path)}"
        )
    staging = db_path.with_name(f".{db_path.name}.restoring-{os.getpid()}")
    staging.unlink(missing_ok=True)
    try:
        src = connect(backup, live=False)
        try:
            _copy(src, staging)
        finally:
            src.close()
        again = check_file(staging)
        if again:
            raise StorageError(
                f"Copying {backup} failed its check ({again[0]}). Nothing was changed."
            )
        kept = _move_aside(db_path)
        os.replace(staging, db_path)
        files.fsync_dir(db_path.parent)
        _anchor_restored(db_path, backup, kept)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"Could not restore {backup} to {db_path}: {exc}.") from None
    finally:
        staging.unlink(missing_ok=True)
    return kept


def _anchor_restored(db_path: Path, backup: Path, kept: Path | None) -> None:
    """The replaced database keeps its anchor; the restored one is anchored where it ends."""
    live = anchor.anchor_path(db_path)
    old = anchor.read(live)
    if kept is not None and live.exists():
        live.replace(anchor.anchor_path(kept))
    live.unlink(missing_ok=True)
    newer = [p.name for p in list_backups(db_path) if p.name > backup.name]
    conn = connect(db_path, live=False)
    try:
        anchor.restored(db_path, conn, backup, anchor.superseded(old) + newer)
    finally:
        conn.close()


def _move_aside(db_path: Path) -> Path | None:
    """Rename the database and its WAL to a fresh ``.broken-<time>`` name (never overwriting).

    The WAL goes with its database: it may hold the newest commits, and left
    behind it would be replayed into the restored file.
    """
    sides = [Path(f"{db_path}{s}") for s in ("-wal", "-journal")]
    if not db_path.exists() and not any(p.exists() for p in sides):
        return None
    kept = files.unused_name(db_path.with_name(db_path.name + ".broken"))
    if db_path.exists():
        db_path.replace(kept)
    for side in sides:
        if side.exists():
            side.replace(Path(f"{kept}{side.name[len(db_path.name) :]}"))
    Path(f"{db_path}-shm").unlink(
        missing_ok=True
    )  # an index SQLite rebuilds from the WAL
    return kept
