"""Start-up time of the desktop app: launch to an interactive window.

Runs ``python -m oncoboard.gui.app --quit-after-start`` several times in fresh
processes (offscreen Qt, a throw-away data folder) and reports, per run:

* ``launch_to_interactive``: from spawning the process to the first event-loop
  turn after the main window is shown (what the user waits for);
* ``main_to_interactive``: the same, measured inside the process from ``main()``;
* ``launch_to_cases_listed``: until the case database has been opened (in a
  worker) and the case list is filled.

Usage::

    .venv/bin/python benchmarks/bench_gui_startup.py [--runs 7] [--budget 1.5]

Exit status 1 when the median launch-to-interactive time exceeds the budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_run(home: Path) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        ONCOBOARD_HOME=str(home),
        PYTHONPATH=str(REPO / "desktop"),
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oncoboard.gui.app", "--quit-after-start"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        key, _, value = line.partition(" ")
        if key == "interactive":
            out["launch_to_interactive"] = time.perf_counter() - start
            out["main_to_interactive"] = float(value)
        elif key == "cases_listed":
            out["launch_to_cases_listed"] = time.perf_counter() - start
    if proc.wait(timeout=60) != 0 or len(out) != 3:
        raise SystemExit(f"start-up run failed (exit {proc.returncode}, got {out})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--budget", type=float, default=1.5, help="seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oncoboard-bench-") as tmp:
        one_run(Path(tmp))  # warm the OS file cache; not counted
        runs = [one_run(Path(tmp)) for _ in range(args.runs)]
    print(f"{args.runs} runs, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{'measure':<26}{'min':>8}{'median':>8}{'max':>8}")
    for key in (
        "launch_to_interactive",
        "main_to_interactive",
        "launch_to_cases_listed",
    ):
        values = [r[key] for r in runs]
        print(
            f"{key:<26}{min(values):>8.3f}{statistics.median(values):>8.3f}{max(values):>8.3f}"
        )
    median = statistics.median(r["launch_to_interactive"] for r in runs)
    verdict = "within" if median <= args.budget else "OVER"
    print(
        f"median launch-to-interactive {median:.3f} s: {verdict} the {args.budget} s budget"
    )
    return 0 if median <= args.budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
