"""Opening the case database: create it whole, refuse anything damaged, migrate, back up.

An existing ``cases.sqlite`` is never silently replaced by a new empty database:
new databases are built under a temporary name and linked into place only when
complete, so an empty, truncated or unreadable file at the real name is damage,
and opening it is an error that names the file and the usable backups.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from oncoboard.core.db import backup, files
from oncoboard.core.db.integrity import connect, header_problem, printable
from oncoboard.core.db.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from oncoboard.core.errors import StorageError

log = logging.getLogger(__name__)

DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "decode", "quick_check")


def _disk_full(folder: Path) -> bool:
    """True if the file system holding ``folder`` has (almost) no space left."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _read_only(folder: Path) -> bool:
    """True if ``folder`` is on a read-only file system or not writable by this user."""
    try:
        statvfs = getattr(os, "statvfs", None)  # not on Windows
        if statvfs is not None and statvfs(folder).f_flag & os.ST_RDONLY:
            return True
        return not os.access(folder, os.W_OK)
    except OSError:
        return False


def unusable_message(path: Path, detail: str) -> str:
    """Why the database cannot be opened, and what the user can do about it."""
    folder = path.parent
    if "full" in detail or (
        "disk I/O" in detail and _disk_full(folder)
    ):  # a backup would not help
        return (
            f"The case database {path} cannot be opened: the disk is full ({detail}). "
            "Free some space and try again; nothing saved was changed."
        )
    if ("unable to open" in detail or "readonly" in detail) and _read_only(folder):
        return (
            f"The data folder {folder} is read-only, so the case database cannot be opened "
            f"({detail}). Make the folder writable, or set ONCOBOARD_HOME or "
            "paths.data_dir to a writable folder; nothing saved was changed."
        )
    offer = backup.offer(path)
    if detail.endswith("(0 bytes)") and "Usable backups" not in offer:
        offer += (
            " If no case was ever saved here, move the empty file away and OncoBoard "
            "will start a new database."
        )
    return f"The case database {path} cannot be used ({detail}). Nothing was changed.{offer}"


def damaged_message(path: Path, operation: str, exc: sqlite3.Error) -> str:
    text = str(exc)
    reason = (
        "it holds text that is not UTF-8" if "decode" in text else text
    )  # never echo row text
    return (
        f"Could not {operation}: the case database {path} is damaged ({reason}). Nothing was "
        f"changed; `oncoboard db check` lists what is damaged.{backup.offer(path)}"
    )


def damaged_case_message(path: Path, case_id: str, what: str) -> str:
    return (
        f"Case {printable(case_id)!r} in {path} is damaged: {what}, so it is not shown. "
        f"Nothing was changed; `oncoboard db check` lists every damaged record.{backup.offer(path)}"
    )


def _check_is_ours(path: Path) -> None:
    problem = header_problem(path)
    if problem is None:
        return
    if problem.startswith("is an SQLite file of another program"):
        raise StorageError(
            f"{path} {problem}; OncoBoard will not touch it. "
            "Point ONCOBOARD_HOME or paths.data_dir elsewhere."
        )
    raise StorageError(unusable_message(path, f"the file {problem}"))


def _apply_migrations(db: sqlite_utils.Database, current: int) -> None:
    for version in range(current, SCHEMA_VERSION):
        with db.atomic():
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _create_new(path: Path) -> None:
    """Build a new database under a temporary name, then link it into place."""
    orphans = [s for s in ("-wal", "-journal") if Path(f"{path}{s}").exists()]
    if orphans:  # replaying them into a new file would corrupt it
        raise StorageError(
            f"The case database {path} is missing but its {', '.join(orphans)} file is still there "
            f"(an interrupted move or restore). Nothing was changed.{backup.offer(path)}"
        )
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in files.SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        files.private_new_file(tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _apply_migrations(sqlite_utils.Database(conn), 0)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()  # the last close folds the WAL back into the file
        try:
            os.link(
                tmp, path
            )  # never replaces: two first starts at once share one database
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system
            if not path.exists():
                os.replace(tmp, path)
        log.info("created a new case database")
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(unusable_message(path, str(exc))) from None
    finally:
        tmp.unlink(missing_ok=True)


def _quick_check(db: sqlite_utils.Database, path: Path) -> None:
    result = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
    if result != ["ok"]:
        raise StorageError(
            unusable_message(
                path, f"it is damaged; SQLite quick_check: {'; '.join(result)}"
            )
        )


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise StorageError(
            f"{path} was written by a newer OncoBoard (schema {current}, this version "
            f"knows {SCHEMA_VERSION}). Update OncoBoard; the file was not changed."
        )
    if current == SCHEMA_VERSION:
        return
    if (
        current > 0
    ):  # the migration is one transaction, so it may go ahead if this fails
        _try_backup(db, path, f"before-migration-{current}")
    _apply_migrations(db, current)
    log.info("case database at schema version %d", SCHEMA_VERSION)


def _try_backup(db: sqlite_utils.Database, path: Path, reason: str) -> None:
    """A failed automatic backup is logged; it never stops the program."""
    try:
        backup.backup_database(db.conn, path, reason=reason)
    except (OSError, sqlite3.Error, StorageError) as exc:
        log.warning("automatic backup (%s) failed; carrying on: %s", reason, exc)


def _scheduled_backup(db: sqlite_utils.Database, path: Path) -> None:
    """Back up once a day (on the first open after the interval), if there is anything to keep."""
    if not db.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
        return
    try:
        newest = backup.complete_backups(
            path
        )  # an empty or truncated file does not count
        if newest and backup.age_hours(newest[0]) < backup.SCHEDULE_HOURS:
            return
    except OSError as exc:
        log.warning("cannot read the backup folder; taking a backup: %s", exc)
    _try_backup(db, path, "scheduled")


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (or create) the case database at ``path``; :class:`StorageError` if it cannot be used."""
    try:
        files.private_dir(path.parent)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the data folder {path.parent}: {exc.strerror}."
        ) from None
    if not path.exists():
        _create_new(path)
    _check_is_ours(path)
    files.make_private(path)
    db = None
    try:
        conn = connect(
            path, live=True
        )  # mode=rw: never creates an empty file in its place
        conn.isolation_level = None
        db = sqlite_utils.Database(conn)
        _refuse_foreign_tables(db, path)
        _quick_check(db, path)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = FULL")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        _migrate(db, path)
        _require_tables(db, path)
        _scheduled_backup(db, path)
    except sqlite3.DatabaseError as exc:
        _close(db)
        raise StorageError(unusable_message(path, str(exc))) from None
    except StorageError:
        _close(db)
        raise
    return db


def _require_tables(db: sqlite_utils.Database, path: Path) -> None:
    """A table dropped outside OncoBoard (the audit trail, say) is damage, named as such."""
    missing = {"cases", "audit", "attachments"} - set(db.table_names())
    if missing:
        raise StorageError(
            unusable_message(
                path,
                f"its {' and '.join(sorted(missing))} table was dropped outside OncoBoard",
            )
        )


def _close(db: sqlite_utils.Database | None) -> None:
    if db is not None:
        with contextlib.suppress(sqlite3.Error):
            db.close()


def _refuse_foreign_tables(db: sqlite_utils.Database, path: Path) -> None:
    """Before changing anything (even the journal mode), refuse files we did not create."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == 0 and db.table_names():
        raise StorageError(
            unusable_message(path, "it holds tables OncoBoard did not create")
        )
