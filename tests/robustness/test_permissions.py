"""Patient data is readable by this account only (issue 22, item 13): the data folder
was created 0755 and the database, WAL, backups and logs 0644, so a shared
``paths.data_dir`` made them world-readable.  Now folders are 0700, files 0600.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from db_attacks import case, cli
from oncoboard.core.db import CaseStore, backup
from shared_paths import SPEC_EXAMPLES


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common 022 umask, under which the old code made everything world-readable."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_new_data_folder_and_everything_in_it_are_private(
    usual_umask: None,
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = isolated_home / "shared" / "oncoboard"  # neither folder exists yet
    monkeypatch.setenv("ONCOBOARD_HOME", str(home))
    assert (
        cli(
            capsys,
            "case",
            "import",
            str(SPEC_EXAMPLES / "luad-egfr-exon19-tissue.json"),
        )[0]
        == 0
    )
    assert cli(capsys, "db", "backup")[0] == 0
    db = home / "cases.sqlite"
    with CaseStore(db) as store:  # while open, the WAL and shared-memory files exist
        store.create(case("P1"))
        side = [Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert all(p.exists() for p in side)
        assert {p.name: _mode(p) for p in side} == {p.name: 0o600 for p in side}
    folders = [isolated_home / "shared", home, home / "backups", home / "logs"]
    assert {str(f): _mode(f) for f in folders} == {str(f): 0o700 for f in folders}
    data_files = [db, *backup.list_backups(db), home / "logs" / "oncoboard.log"]
    assert len(data_files) >= 3
    assert {p.name: _mode(p) for p in data_files} == {p.name: 0o600 for p in data_files}


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_files_left_world_readable_by_an_older_version_are_tightened(
    usual_umask: None, tmp_path: Path
) -> None:
    db = tmp_path / "cases.sqlite"
    with CaseStore(db) as store:
        store.create(case("P1"))
        old_backup = backup.backup_database(store.db.conn, db, reason="manual")
    for path in (db, old_backup):
        os.chmod(path, 0o644)
    with CaseStore(db) as store:
        backup.backup_database(store.db.conn, db, reason="manual")
    assert _mode(db) == 0o600 and _mode(old_backup) == 0o600
