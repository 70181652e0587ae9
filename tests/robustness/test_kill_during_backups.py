"""kill -9 while backups are being written (issue 22, item 1): an older version left a
0-byte backup in 6 of 60 kills, which then counted as the newest backup.

A writer process backs the database up in a loop (and saves a case between
backups) and is killed at random moments.  After every kill: each file named
like a backup passes the full check, the killed copy (if any) is not listed, and
restoring the newest backup gives every case back.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db_attacks import filled
from oncoboard.core.db import CaseStore, backup
from oncoboard.core.db.integrity import check_file

WRITER = r"""
import sys
from pathlib import Path
from db_attacks import case
from oncoboard.core.db import CaseStore, backup

db, run = Path(sys.argv[1]), sys.argv[2]
store = CaseStore(db)
print("ready", flush=True)
i = 0
while True:
    target = backup.backup_database(store.db.conn, db, reason="manual")
    print(f"backup {target.name}", flush=True)
    store.create(case(f"K{run}-{i}"))
    i += 1
"""

BASE_CASES = 300


def _kill_once(db: Path, run: int, rng: random.Random) -> int:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(run)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(0.0, 0.25))
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    return sum(1 for x in out.splitlines() if x.startswith("backup "))


def _restore_gives_everything_back(db: Path, scratch: Path, base: set[str]) -> None:
    newest = backup.usable_backups(db)[0]
    target = scratch / "cases.sqlite"
    backup.restore_backup(target, newest)
    assert check_file(target, live=True) == []
    with CaseStore(target) as store:
        ids = {c.case_id for c in store.list()}
        assert base <= ids
        for case_id in sorted(base)[::50]:
            assert store.get(case_id).case.tumor.oncotree_code == "LUAD"


def _kill_loop(tmp_path: Path, kills: int) -> None:
    db = tmp_path / "data" / "cases.sqlite"
    base = set(filled(db, n=BASE_CASES, pad=3000))
    rng = random.Random(20261206)
    written = killed_mid_copy = 0
    for run in range(kills):
        written += _kill_once(db, run, rng)
        listed = backup.list_backups(db)
        assert [p for p in listed if check_file(p)] == []  # 0 unusable backups kept
        killed_mid_copy += any(backup.backup_dir(db).glob(f".*{backup.PARTIAL}*"))
        scratch = tmp_path / f"restore-{run}"
        scratch.mkdir()
        _restore_gives_everything_back(db, scratch, base)
    with CaseStore(db) as store:  # the next backup clears the killed copies away
        backup.backup_database(store.db.conn, db, reason="manual")
    assert list(backup.backup_dir(db).glob(f".*{backup.PARTIAL}*")) == []
    assert written > kills  # backups really were being written when the kills came
    assert killed_mid_copy > 0  # and some kills landed in the middle of one
    print(f"kills={kills} backups_written={written} killed_mid_copy={killed_mid_copy}")


def test_kill_9_during_backups_10_times(tmp_path: Path) -> None:
    _kill_loop(tmp_path, 10)


@pytest.mark.slow
def test_kill_9_during_backups_120_times(tmp_path: Path) -> None:
    _kill_loop(tmp_path, 120)
