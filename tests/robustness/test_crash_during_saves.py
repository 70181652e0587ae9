"""kill -9 during repeated saves: the database stays intact and no acknowledged save is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITER = r"""
import sys
from oncoboard.core.case import parse_case
from oncoboard.core.db import CaseStore
from oncoboard.core.errors import UserInputError

store = CaseStore(sys.argv[1])
prefix = sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    case = parse_case({"schema": "oncoboard.case/1", "case_id": f"{prefix}-{i}",
                       "tumor": {"oncotree_code": "LUAD"},
                       "samples": [{"id": "T", "specimen": "tissue", "alterations": [
                           {"gene": "EGFR", "kind": "mutation", "protein": "L858R", "vaf": 0.3}]}]})
    stored = store.create(case)
    stored = store.update(case.case_id, case, based_on=stored.version)
    print(f"ack {case.case_id} {stored.version}", flush=True)
    i += 1
"""


def _run_and_kill(db: Path, prefix: str, rng: random.Random) -> list[tuple[str, int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), prefix],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.15))
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    acked = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ack":
            acked.append((parts[1], int(parts[2])))
    return acked


@pytest.mark.slow
def test_kill_9_during_saves_200_times(tmp_path: Path) -> None:
    from oncoboard.core.db import CaseStore

    db = tmp_path / "cases.sqlite"
    rng = random.Random(20261122)
    acknowledged: list[tuple[str, int]] = []
    for run in range(200):
        acknowledged += _run_and_kill(db, f"R{run}", rng)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    with CaseStore(db) as store:
        for case_id, version in acknowledged:
            assert store.get(case_id).version >= version
        from oncoboard.core.db.audit import verify_chain

        assert verify_chain(store.audit_rows()) == []
    assert len(acknowledged) > 200  # the writer really was saving when killed
