"""Helpers for ``benchmarks/run.py``: machine facts, timed child processes, results."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# -- machine -----------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def machine_info() -> dict[str, str]:
    ram = _ram_gb()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": f"{ram:.1f} GB" if ram else "unknown",
        "Python": platform.python_version(),
        "OS": _os_name(),
        "load average at start (1 min)": f"{load[0]:.2f}" if load else "unknown",
    }


# -- timed child processes -----------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # the child's own RSS high-water mark (ru_maxrss of that pid)
    cpu_seconds: float  # user + system time of the child
    returncode: int
    stdout: str
    stderr: str


def run_timed(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 900.0) -> Run:  # fmt: skip
    """Run ``cmd``; wall time, and peak RSS of exactly that child (``os.wait4``)."""
    out_path = (
        Path(os.environ.get("TMPDIR", "/tmp"))
        / f"bench-{os.getpid()}-{time.monotonic_ns()}"
    )
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=cwd)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = (
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, cpu, proc.returncode, stdout, stderr)


def oncoboard_cmd() -> list[str]:
    """The installed console script beside this Python, else ``python -m``."""
    script = Path(sys.executable).parent / "oncoboard"
    return (
        [str(script)]
        if script.exists()
        else [sys.executable, "-m", "oncoboard.cli.main"]
    )


def last_json_line(text: str) -> dict | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            p = Path(root) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total / 1024**2


def which(name: str) -> str | None:
    return shutil.which(name)


# -- results --------------------------------------------------------------------------


@dataclass
class Result:
    """One line of the summary table."""

    measure: str
    value: float | None = None  # None: not available
    unit: str = "s"
    target: float | None = None  # met if value <= target
    runs: list[float] = field(default_factory=list)
    note: str = ""
    unavailable: str = ""  # why there is no figure

    @property
    def status(self) -> str:
        if self.value is None:
            return "not available"
        if self.target is None:
            return "(no target)"
        return "**met**" if self.value <= self.target else "**not met**"

    def shown(self) -> str:
        if self.value is None:
            return (
                f"not available ({self.unavailable})"
                if self.unavailable
                else "not available"
            )
        fmt = f"{self.value:,.0f}" if self.unit == "MB" else f"{self.value:.2f}"
        if self.unit == "ms":
            fmt = f"{self.value:.0f}"
        return f"{fmt} {self.unit}"

    def target_shown(self) -> str:
        if self.target is None:
            return ""
        t = f"{self.target:g}" if self.unit != "MB" else f"{self.target:,.0f}"
        return f"≤ {t} {self.unit}"

    def runs_shown(self) -> str:
        if not self.runs:
            return ""
        digits = 0 if self.unit in ("MB", "ms") else 2
        return ", ".join(f"{r:.{digits}f}" for r in self.runs)
