"""Files that hold patient data: private permissions and durable renames.

Folders are created 0700 and files 0600 so that a shared ``paths.data_dir``
never makes the database, its WAL or its backups readable by other accounts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file


def private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents readable by this account only.

    (``mkdir(parents=True)`` would give the parents the default 0755.)
    """
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it first
            new.mkdir(mode=PRIVATE_DIR)


def private_new_file(path: Path) -> None:
    """Create an empty file that only this account can read; fail if it exists."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def make_private(path: Path) -> None:
    """Drop group and other permissions of an existing database file and its companions.

    SQLite gives a new WAL the permissions of its database, so this also covers
    the WAL and shared-memory files created later.
    """
    for candidate in (path, *(Path(f"{path}{s}") for s in SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if candidate.stat().st_mode & 0o077:
                os.chmod(candidate, PRIVATE_FILE)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (not possible on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def unused_name(path: Path) -> Path:
    """``path`` with a time stamp (and a counter if needed) so that nothing is overwritten."""
    base = f"{path}-{utc_stamp()}"
    candidate, n = Path(base), 1
    while candidate.exists() or any(
        Path(f"{candidate}{s}").exists() for s in SIDE_FILES
    ):
        candidate, n = Path(f"{base}-{n}"), n + 1
    return candidate
