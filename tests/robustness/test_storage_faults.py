"""Disk full and read-only data folder: a clear error, and nothing already saved is lost.

The tests run as root in CI, where ``chmod`` does not stop writes.  So the
faults are made real with mounts where the kernel allows it: a 1 MB tmpfs that
fills up, and a read-only bind mount of the data folder.  Where mounting is not
allowed (an ordinary user), those tests skip and the portable ones still run:
SQLite's ``max_page_count`` makes the database "full" without a full disk.
(A folder turning read-only under an open store cannot be staged this way: the
kernel refuses to remount while files are open for writing; the read-only
connection case is covered in ``tests/core/foundation/test_case_store.py``.)
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oncoboard.core.case import parse_case
from oncoboard.core.case.model import Case
from oncoboard.core.db import CaseStore
from oncoboard.core.db.audit import verify_chain
from oncoboard.core.errors import StorageError


def _case(case_id: str, code: str = "LUAD", pad: int = 0) -> Case:
    return parse_case({
        "schema": "oncoboard.case/1", "case_id": case_id, "tumor": {"oncotree_code": code},
        "samples": [{"id": "T", "specimen": "tissue",
                     "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R"}]}],
        "extensions": {"notes": "n" * pad},
    })  # fmt: skip


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, so a few writes fill it."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or not _mount(
        "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)
    ):
        pytest.skip("needs root and permission to mount a tmpfs")
    yield mnt
    _umount(mnt)


@pytest.fixture
def read_only_switch(tmp_path: Path) -> Iterator[tuple[Path, Callable[[bool], None]]]:
    """A data folder and a switch that makes it read-only (a read-only bind mount)."""
    folder = tmp_path / "data"
    folder.mkdir()
    if os.geteuid() != 0 or not _mount("--bind", str(folder), str(folder)):
        pytest.skip("needs root and permission to bind-mount")

    def set_read_only(read_only: bool) -> None:
        mode = "remount,ro,bind" if read_only else "remount,rw,bind"
        assert _mount("-o", mode, str(folder))

    yield folder, set_read_only
    _umount(folder)


def _fill(folder: Path) -> Path:
    """Fill the file system holding ``folder``; return the filler to delete later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\x01" * 65536)
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC
    try:  # and the last few bytes
        while True:
            os.write(fd, b"\x01")
    except OSError:
        pass
    os.close(fd)
    return filler


def _intact(db: Path, expected: dict[str, str]) -> None:
    """The file passes integrity_check, the audit chain verifies, and every case is as saved."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with CaseStore(db) as store:
        assert {
            c.case_id: store.get(c.case_id).case.tumor.oncotree_code
            for c in store.list()
        } == expected
        assert verify_chain(store.audit_rows()) == []


# --- disk full -----------------------------------------------------------------


def test_disk_full_while_saving_is_a_clear_error_and_the_edit_can_be_retried(
    tiny_disk: Path,
) -> None:
    db = tiny_disk / "cases.sqlite"
    store = CaseStore(db)
    for i in range(3):
        store.create(_case(f"C{i}"))
    loaded = store.get("C1")
    filler = _fill(tiny_disk)

    edit = _case("C1", code="NSCLC", pad=200_000)
    with pytest.raises(
        StorageError,
        match=r"disk is full.*Nothing was changed; your edit is still open",
    ):
        store.update("C1", edit, based_on=loaded.version)
    with pytest.raises(StorageError, match="full"):
        store.create(_case("C9", pad=200_000))
    assert (
        store.get("C1").version == loaded.version
    )  # reads still work, nothing half-written

    filler.unlink()  # the user frees some space and presses Save again
    assert (
        store.update("C1", edit, based_on=loaded.version).version == loaded.version + 1
    )
    store.close()
    _intact(db, {"C0": "LUAD", "C1": "NSCLC", "C2": "LUAD"})


def test_opening_the_database_on_a_full_disk_says_so(tiny_disk: Path) -> None:
    db = tiny_disk / "cases.sqlite"
    with CaseStore(db) as store:
        store.create(_case("C1"))
    filler = _fill(tiny_disk)
    with pytest.raises(StorageError) as caught:
        CaseStore(db).close()
    message = str(caught.value)
    assert "disk is full" in message and "nothing saved was changed" in message
    assert "restore" not in message  # a backup would not help; do not suggest one
    filler.unlink()
    _intact(db, {"C1": "LUAD"})


def test_database_full_without_a_mount(tmp_path: Path) -> None:
    """Portable variant (no root): SQLite refuses to grow past max_page_count."""
    db = tmp_path / "cases.sqlite"
    store = CaseStore(db)
    store.create(_case("C1"))
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(
        StorageError, match=r"database or disk is full.*Nothing was changed"
    ):
        store.create(_case("C2", pad=100_000))
    with pytest.raises(StorageError, match="full"):
        store.update("C1", _case("C1", code="NSCLC", pad=100_000), based_on=1)
    store.close()
    _intact(db, {"C1": "LUAD"})


# --- read-only data folder -----------------------------------------------------


def test_read_only_data_folder_is_named_and_nothing_is_lost(
    read_only_switch: tuple[Path, Callable[[bool], None]],
) -> None:
    folder, set_read_only = read_only_switch
    db = folder / "cases.sqlite"
    with CaseStore(db) as store:
        store.create(_case("C1"))
    set_read_only(True)
    with pytest.raises(StorageError) as caught:
        CaseStore(db)
    message = str(caught.value)
    assert f"data folder {folder} is read-only" in message
    assert "ONCOBOARD_HOME" in message and "nothing saved was changed" in message
    set_read_only(False)
    _intact(db, {"C1": "LUAD"})


def test_cli_on_a_read_only_data_folder_exits_1_with_the_message(
    read_only_switch: tuple[Path, Callable[[bool], None]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from oncoboard.cli.main import main

    folder, set_read_only = read_only_switch
    with CaseStore(folder / "cases.sqlite") as store:
        store.create(_case("C1"))
    monkeypatch.setenv("ONCOBOARD_HOME", str(folder))
    set_read_only(True)
    with pytest.raises(SystemExit) as exit_:
        main(["case", "list"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "read-only" in err and "Traceback" not in err
    set_read_only(False)
