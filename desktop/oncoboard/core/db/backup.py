"""Automatic backups of the case database (before each migration, and on demand/schedule)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

KEEP_BACKUPS = 10
SCHEDULE_HOURS = 24.0


def age_hours(path: Path) -> float:
    return (dt.datetime.now().timestamp() - path.stat().st_mtime) / 3600.0


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite"), reverse=True)


def backup_database(conn: sqlite3.Connection, db_path: Path, reason: str = "scheduled") -> Path:
    """Copy the live database with SQLite's online backup API (consistent even under WAL)."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    for old in list_backups(db_path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def restore_backup(db_path: Path, backup: Path) -> None:
    """Replace the database with a backup; the current file is kept beside it as .broken."""
    if not backup.is_file():
        raise FileNotFoundError(backup)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    if db_path.exists():
        db_path.replace(db_path.with_suffix(".sqlite.broken"))
    src = sqlite3.connect(backup)
    dest = sqlite3.connect(db_path)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
