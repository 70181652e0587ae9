"""Run OncoBoard's benchmarks and write ``docs/benchmarks.md``.

Usage::

    .venv/bin/python benchmarks/run.py              # everything, median of 5 runs
    .venv/bin/python benchmarks/run.py --runs 7 --only match vcf
    .venv/bin/python benchmarks/run.py --out /tmp/b.md

Every figure is the median of ``--runs`` runs (at least 5 by default) in fresh
processes unless it says "warm".  Inputs are generated from the real example
data in ``../shared`` into a temporary folder.  A sub-benchmark whose command
or script does not exist yet is recorded as "not available"; one that fails
records why.  Neither stops the others.  Targets come from the issues; no test
asserts a timing (timings belong here, not in the test suite).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import (  # noqa: E402
    REPO,
    Result,
    dir_size_mb,
    last_json_line,
    machine_info,
    median,
    oncoboard_cmd,
    run_timed,
)

SHARED = REPO.parent / "shared"
SPEC = SHARED / "spec" / "examples"
DEMO = REPO / "assets" / "demo"
BENCH = REPO / "benchmarks"
LAML_MAF = SHARED / "data" / "examples" / "maftools" / "tcga_laml.maf.gz"

TARGETS = {
    "cold_match_50": 1.5,
    "warm_match_5000": 0.3,
    "adjust_rank": 200.0,  # ms
    "vcf_seconds": 5.0,
    "vcf_mb": 300.0,
    "report": 1.5,
    "board": 15.0,
    "gui": 1.5,
    "rsf": 15.0,
    "bundle_mb": 400.0,
}


def _load_module(path: Path) -> ModuleType | None:
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Bench:
    """Shared state: a scratch folder, a private ONCOBOARD_HOME, the run count."""

    def __init__(self, runs: int, scratch: Path) -> None:
        self.runs = runs
        self.scratch = scratch
        self.env = dict(os.environ)
        self.env["ONCOBOARD_HOME"] = str(scratch / "home")
        self.env.pop("ONCOBOARD_KB", None)
        self.results: list[Result] = []
        self.details: list[str] = []
        self._vcf = _load_module(BENCH / "bench_vcf_import.py")

    # -- inputs ----------------------------------------------------------------------

    def variant_case(self, n: int) -> Path:
        """A LUAD case whose tissue sample references a generated n-record VEP VCF."""
        folder = self.scratch / f"case-{n}"
        folder.mkdir(exist_ok=True)
        if self._vcf is None:
            raise RuntimeError(
                "benchmarks/bench_vcf_import.py (VCF generator) is missing"
            )
        self._vcf.write_vcf(folder / "tumor.vcf", n)
        case = {
            "schema": "oncoboard.case/1", "case_id": f"BENCH-{n}",
            "patient": {"sex": "male", "age": 64, "ecog": 1},
            "tumor": {"oncotree_code": "LUAD", "stage": "IVB", "setting": "metastatic"},
            "prior_therapies": [{"drugs": ["carboplatin", "pemetrexed"], "setting": "metastatic",
                                 "line": 1, "outcome": "progression"}],
            "samples": [{"id": "T1", "specimen": "tissue", "collected": "2026-10-01",
                         "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R", "vaf": 0.31}],
                         "variant_files": [{"path": "tumor.vcf", "format": "vcf"}]}],
        }  # fmt: skip
        path = folder / "case.json"
        path.write_text(json.dumps(case, indent=2))
        return path

    def laml_case(self) -> Path:
        """An AML case referencing the real TCGA-LAML MAF (maftools): many distinct alterations."""
        folder = self.scratch / "case-laml"
        folder.mkdir(exist_ok=True)
        # all 192 patients' rows pooled under one sample id: one very diverse profile
        lines = gzip.decompress(LAML_MAF.read_bytes()).decode("utf-8").splitlines()
        header_at = next(
            i for i, ln in enumerate(lines) if ln.startswith("Hugo_Symbol")
        )
        column = lines[header_at].split("\t").index("Tumor_Sample_Barcode")
        pooled = lines[: header_at + 1]
        for line in lines[header_at + 1 :]:
            cells = line.split("\t")
            if len(cells) > column:
                cells[column] = "T1"
            pooled.append("\t".join(cells))
        (folder / "laml-pooled.maf").write_text(
            "\n".join(pooled) + "\n", encoding="utf-8"
        )
        case = {
            "schema": "oncoboard.case/1", "case_id": "BENCH-LAML",
            "patient": {"sex": "female", "age": 61, "ecog": 1},
            "tumor": {"oncotree_code": "AML", "setting": "metastatic"},
            "samples": [{"id": "T1", "specimen": "tissue",
                         "variant_files": [{"path": "laml-pooled.maf", "format": "maf"}]}],
        }  # fmt: skip
        path = folder / "case.json"
        path.write_text(json.dumps(case, indent=2))
        return path

    def board_cases(self, count: int) -> list[Path]:
        """``count`` case files: the demo and spec cases, repeated with new ids."""
        folder = self.scratch / "board"
        folder.mkdir(exist_ok=True)
        bases = sorted(DEMO.glob("*.json")) + sorted(SPEC.glob("*.json"))
        for src in (DEMO, SPEC):
            for f in src.iterdir():
                if f.is_file() and f.suffix != ".json":
                    shutil.copy(f, folder / f.name)
        out = []
        for i in range(count):
            base = bases[i % len(bases)]
            data = json.loads(base.read_text())
            data["case_id"] = f"{data['case_id']}-B{i:02d}"
            path = folder / f"case-{i:02d}.json"
            path.write_text(json.dumps(data))
            out.append(path)
        return out

    # -- running -----------------------------------------------------------------------

    def cli_available(self, *command: str) -> bool:
        done = run_timed(
            [*oncoboard_cmd(), *command, "--help"], env=self.env, timeout=120
        )
        return done.returncode == 0

    def repeat(
        self, cmd: list[str], cwd: Path | None = None, timeout: float = 900
    ) -> tuple[list[float], list[float], list[float]]:
        """Run ``cmd`` ``self.runs`` times: (wall seconds, peak MB, CPU seconds) per run."""
        seconds, peaks, cpus = [], [], []
        for _ in range(self.runs):
            done = run_timed(cmd, env=self.env, cwd=cwd, timeout=timeout)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise RuntimeError(
                    f"`{' '.join(cmd[-3:])}` exited {done.returncode}: {' / '.join(tail)}"
                )
            seconds.append(done.seconds)
            peaks.append(done.peak_mb)
            cpus.append(done.cpu_seconds)
        return seconds, peaks, cpus

    def add(self, result: Result) -> None:
        self.results.append(result)


# -- the benchmarks ---------------------------------------------------------------------


def bench_cold_match(b: Bench) -> None:
    """`oncoboard match CASE` in a fresh process: 50, 5,000 and 100,000 variants."""
    for n in (50, 5_000, 100_000):
        case = b.variant_case(n)
        seconds, peaks, cpus = b.repeat([*oncoboard_cmd(), "match", str(case)])
        target = TARGETS["cold_match_50"] if n == 50 else None
        b.add(Result(f"cold `oncoboard match`, {n:,}-variant VCF: wall time", median(seconds), "s",
                     target, seconds, note=f"CPU time (user + system) median {median(cpus):.2f} s"))  # fmt: skip
        b.add(Result(f"cold `oncoboard match`, {n:,}-variant VCF: peak memory", median(peaks), "MB",
                     None, peaks))  # fmt: skip


WARM_CHILD = r"""
import json, sys, time
from pathlib import Path
from oncoboard.core.case import load_case
from oncoboard.core.matching import matcher, ranking
from oncoboard.core.pipeline import _make_predictor, open_kb
from oncoboard.core.profiles import build_profile

path, runs = Path(sys.argv[1]), int(sys.argv[2])
ctx = api.Context.create()
t = time.perf_counter(); kb = open_kb(); kb_s = time.perf_counter() - t
case = load_case(path)
t = time.perf_counter(); profile = build_profile(case, path); profile_s = time.perf_counter() - t
spent = {"predict": 0.0, "rank": 0.0}
real_rank = ranking.order_groups
def timed_rank(*a, **k):
    s = time.perf_counter(); r = real_rank(*a, **k); spent["rank"] += time.perf_counter() - s; return r
ranking.order_groups = timed_rank
def predictor():
    inner = _make_predictor(kb, True, 24.0, {})
    def p(c, e):
        s = time.perf_counter(); r = inner(c, e); spent["predict"] += time.perf_counter() - s; return r
    return p
def one(i):
    # a new patient each time (age differs), so patient adjustment is recomputed
    c = case.model_copy(update={"patient": case.patient.model_copy(update={"age": 50 + i})})
    spent.update(predict=0.0, rank=0.0)
    s = time.perf_counter(); res = matcher.match_case(c, profile, kb, predictor=predictor())
    return time.perf_counter() - s, (spent["predict"] + spent["rank"]) * 1000, len(res.options)
first = one(0)
runs_ = [one(i + 1) for i in range(runs)]
print(json.dumps({"kb_open_s": kb_s, "profile_s": profile_s, "alterations": len(profile.alterations),
                  "first_match_s": first[0], "first_adjust_ms": first[1],
                  "match_s": [r[0] for r in runs_], "adjust_ms": [r[1] for r in runs_],
                  "options": first[2]}))
"""


def _warm(b: Bench, case: Path) -> dict:
    done = run_timed(
        [sys.executable, "-c", WARM_CHILD, str(case), str(b.runs)], env=b.env
    )
    data = last_json_line(done.stdout)
    if done.returncode != 0 or data is None:
        raise RuntimeError((done.stderr or done.stdout).strip().splitlines()[-1:])
    return data


def bench_warm_match(b: Bench) -> None:
    """Matching once the KB and the profile are loaded: a 5,000-variant case and a diverse one."""
    data = _warm(b, b.variant_case(5_000))
    b.add(Result("match a 5,000-variant case once loaded (warm, `match_case`)", median(data["match_s"]),
                 "s", TARGETS["warm_match_5000"], data["match_s"],
                 note=f"the 5,000 generated records normalise to {data['alterations']:,} distinct "
                      f"alterations ({data['options']} options); first match in the process "
                      f"{data['first_match_s']:.2f} s (lazy imports)"))  # fmt: skip
    b.add(Result("per-case survival adjustment and ranking (warm)", median(data["adjust_ms"]), "ms",
                 TARGETS["adjust_rank"], data["adjust_ms"],
                 note=f"prediction + patient adjustment + ranking inside `match_case`; first case in "
                      f"the process {data['first_adjust_ms']:.0f} ms (loads lifelines)"))  # fmt: skip
    b.details.append(f"Warm-match set-up: KB opened in {data['kb_open_s']:.2f} s; the 5,000-record VCF "
                     f"profile built in {data['profile_s']:.2f} s (not part of the warm figure).")  # fmt: skip
    if LAML_MAF.is_file():
        laml = _warm(b, b.laml_case())
        b.add(Result("match a diverse profile once loaded: TCGA-LAML MAF pooled, 2,207 records (warm)",
                     median(laml["match_s"]), "s", TARGETS["warm_match_5000"], laml["match_s"],
                     note=f"{laml['alterations']:,} distinct alterations across the LAML cohort in one "
                          f"profile (far more than one real tumor after filtering); {laml['options']} "
                          f"options; profile built in {laml['profile_s']:.2f} s"))  # fmt: skip


def bench_vcf_import(b: Bench) -> None:
    """The profiles engineer's benchmark, re-measured: 100,000-record VCF import."""
    module = _load_module(BENCH / "bench_vcf_import.py")
    if module is None:
        b.add(
            Result(
                "100,000-record VCF import",
                unavailable="benchmarks/bench_vcf_import.py missing",
            )
        )
        return
    path = module.write_vcf(b.scratch / "vcf100k.vcf", 100_000)
    runs = [module.run_once(path) for _ in range(b.runs)]
    seconds = [r["seconds"] for r in runs]
    peaks = [r["peak_mb"] for r in runs]
    b.add(Result("100,000-record VCF import: time (fresh process)", median(seconds), "s",
                 TARGETS["vcf_seconds"], seconds,
                 note=f"{runs[0]['alterations']:,} alterations; CPU "
                      f"{median([r['cpu_seconds'] for r in runs]):.2f} s"))  # fmt: skip
    b.add(
        Result(
            "100,000-record VCF import: peak memory",
            median(peaks),
            "MB",
            TARGETS["vcf_mb"],
            peaks,
        )
    )


REPORT_CHILD = r"""
import json, sys, time
from pathlib import Path
from oncoboard.core import api
from oncoboard.core.report import ReportOptions, render_case_report

path, runs = Path(sys.argv[1]), int(sys.argv[2])
ctx = api.Context.create()
def one():
    s = time.perf_counter()
    data = render_case_report(api.report_input(api.analyse_file(ctx, path)), ReportOptions())
    return time.perf_counter() - s, len(data)
first = one()
rest = [one() for _ in range(runs)]
print(json.dumps({"first_s": first[0], "runs": [r[0] for r in rest], "bytes": first[1]}))
"""


def bench_report(b: Bench) -> None:
    if not b.cli_available("report"):
        b.add(Result("PDF report of one case (`oncoboard report CASE -o`)", target=TARGETS["report"],
                     unavailable="`oncoboard report` not in this build"))  # fmt: skip
        return
    case = b.board_cases(1)[0]
    seconds, _, cpus = b.repeat(
        [*oncoboard_cmd(), "report", str(case), "-o", str(b.scratch / "one.pdf")]
    )
    b.add(Result("PDF report of one case, cold (`oncoboard report CASE -o`)", median(seconds), "s",
                 TARGETS["report"], seconds,
                 note=f"a fresh process: start-up, imports (reportlab; no matplotlib), KB, analysis, "
                      f"figure and PDF; CPU median {median(cpus):.2f} s"))  # fmt: skip
    done = run_timed(
        [sys.executable, "-c", REPORT_CHILD, str(case), str(b.runs)], env=b.env
    )
    data = last_json_line(done.stdout)
    if done.returncode != 0 or data is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        b.add(
            Result(
                "PDF report per case, warm",
                target=TARGETS["report"],
                unavailable=tail[0][:150],
            )
        )
        return
    b.add(Result("PDF report per case, warm (analyse + render in a running app)", median(data["runs"]),
                 "s", TARGETS["report"], data["runs"],
                 note=f"first report in the process {data['first_s']:.2f} s; "
                      f"{data['bytes']:,}-byte PDF (`api.analyse_file` + `api.report_input` + `render_case_report`)"))  # fmt: skip


def bench_board(b: Bench) -> None:
    if not b.cli_available("board"):
        b.add(Result("20-case board pack (`oncoboard board ... -o`)", target=TARGETS["board"],
                     unavailable="`oncoboard board` not in this build"))  # fmt: skip
        return
    cases = [str(p) for p in b.board_cases(20)]
    seconds, peaks, _ = b.repeat(
        [*oncoboard_cmd(), "board", *cases, "-o", str(b.scratch / "pack.pdf")]
    )
    b.add(Result("20-case board pack, cold (`oncoboard board ... -o`)", median(seconds), "s",
                 TARGETS["board"], seconds, note=f"peak memory {median(peaks):.0f} MB"))  # fmt: skip


def bench_kb_build(b: Bench) -> None:
    if not b.cli_available("kb", "build"):
        b.add(Result("`oncoboard kb build`", unavailable="command missing"))
        return
    out = b.scratch / "kb-build.sqlite"
    seconds, peaks, _ = b.repeat(
        [*oncoboard_cmd(), "kb", "build", "--out", str(out)], timeout=1800
    )
    size = out.stat().st_size / 1024**2 if out.exists() else float("nan")
    b.add(Result("`oncoboard kb build` (curated YAML + CIViC + OncoTree + survival fits)",
                 median(seconds), "s", None, seconds,
                 note=f"peak memory {median(peaks):.0f} MB; KB file {size:.1f} MB"))  # fmt: skip


def _external(b: Bench, script: str, measure: str, target: float, keys: tuple[str, ...],
              pattern: str = "") -> dict:  # fmt: skip
    """Run another engineer's benchmark script and take its median figure.

    The figure comes from a JSON line (first of ``keys``) or else from ``pattern``
    (a regex with one group, in seconds) in the script's output.  A non-zero exit
    with a figure counts as a measurement (scripts may exit 1 when over budget).
    """
    path = BENCH / script
    if not path.is_file():
        b.add(
            Result(
                measure,
                target=target,
                unavailable=f"benchmarks/{script} not written yet",
            )
        )
        return {}
    done = run_timed(
        [sys.executable, str(path), "--runs", str(b.runs)],
        env=b.env,
        cwd=REPO,
        timeout=1800,
    )
    if done.returncode == 2 and "--runs" in done.stderr:  # argparse: no --runs option
        done = run_timed([sys.executable, str(path)], env=b.env, cwd=REPO, timeout=1800)
    data = last_json_line(done.stdout) or {}
    value = next(
        (float(data[k]) for k in keys if isinstance(data.get(k), int | float)), None
    )
    if value is None and pattern and (found := re.search(pattern, done.stdout)):
        value = float(found.group(1))
    runs = [float(x) for x in data.get("runs", []) if isinstance(x, int | float)]
    if value is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        why = "failed" if done.returncode else "printed no figure"
        b.add(
            Result(
                measure,
                target=target,
                unavailable=f"benchmarks/{script} {why}: {tail[0][:120]}",
            )
        )
    else:
        b.add(
            Result(
                measure,
                value,
                "s",
                target,
                runs,
                note=f"median reported by benchmarks/{script}",
            )
        )
    b.details.append(
        f"Output of `benchmarks/{script}`:\n\n```\n{done.stdout.strip()[-3000:]}\n```"
    )
    return data


def bench_gui(b: Bench) -> None:
    _external(b, "bench_gui_startup.py", "GUI start to interactive (launch to first event-loop turn)",
              TARGETS["gui"], ("median_s", "median", "seconds"),
              r"median launch-to-interactive ([0-9.]+) s")  # fmt: skip


def bench_rsf(b: Bench) -> None:
    data = _external(b, "bench_survival.py", "random survival forest fit, 5,000 patients", TARGETS["rsf"],
                     ("rsf_median_s", "median_s", "median", "seconds"),
                     r"(?i)rsf[^\n]*?median[^0-9\n]*([0-9.]+) ?s")  # fmt: skip
    if isinstance(data.get("adjust_rank_median_ms"), int | float):
        b.add(Result(f"per-case adjustment and ranking, {data.get('options_per_case', '?')} options "
                     "with real trial fits (survival engineer's benchmark)",
                     float(data["adjust_rank_median_ms"]), "ms", TARGETS["adjust_rank"],
                     note="median reported by benchmarks/bench_survival.py"))  # fmt: skip


def bench_bundle(b: Bench) -> None:
    bundle = REPO / "dist" / "oncoboard"
    if not bundle.is_dir():
        b.add(Result("PyInstaller one-folder bundle size", unit="MB", target=TARGETS["bundle_mb"],
                     unavailable="no dist/oncoboard; run `make bundle`"))  # fmt: skip
        return
    built = dt.datetime.fromtimestamp(bundle.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    b.add(Result("PyInstaller one-folder bundle size (`dist/oncoboard`)", dir_size_mb(bundle), "MB",
                 TARGETS["bundle_mb"], note=f"folder as found, last changed {built}; not rebuilt here"))  # fmt: skip


BENCHMARKS: dict[str, Callable[[Bench], None]] = {
    "match": bench_cold_match,
    "warm": bench_warm_match,
    "vcf": bench_vcf_import,
    "report": bench_report,
    "board": bench_board,
    "kb": bench_kb_build,
    "gui": bench_gui,
    "rsf": bench_rsf,
    "bundle": bench_bundle,
}


# -- the document -------------------------------------------------------------------------


def _merged_sections() -> list[str]:
    """Other engineers' ``docs/benchmarks-*.md``, included as they wrote them."""
    parts = []
    for path in sorted((REPO / "docs").glob("benchmarks-*.md")):
        text = path.read_text(encoding="utf-8").strip()
        text = re.sub(
            r"^To merge into `docs/benchmarks.md`\.\s*$", "", text, flags=re.M
        )
        text = re.sub(
            r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 3) + " ", text, flags=re.M
        )
        parts.append(f"### From `docs/{path.name}`\n\n{text.strip()}\n")
    return parts


def render(b: Bench, machine: dict[str, str], failures: list[str], started: str) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Measured by `benchmarks/run.py` (`make benchmarks`), which rewrites this file. Each figure is",
        f"the **median of {b.runs} runs**; cold figures start a fresh `oncoboard` process each time",
        "(Python start-up, imports, KB open and the work itself). Inputs are generated in a temporary",
        "folder from the real example data in `../shared`: variant files are the records of vcf2maf's",
        "`test_b38.vcf` with their VEP annotation, repeated with shifted positions",
        "(see `benchmarks/bench_vcf_import.py`). Peak memory is the child process's own RSS",
        "high-water mark (`os.wait4` → `ru_maxrss`). Targets are the goals set in the issues.",
        "",
        f"Run started {started} UTC.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "The machine is shared with other work (see the load average), so wall times carry noise;",
        "the individual runs are listed to show the spread.",
        "",
        "## Results",
        "",
        "| measure | median | target | status | runs |",
        "|---|---|---|---|---|",
    ]
    for r in b.results:
        lines.append(
            f"| {r.measure} | {r.shown()} | {r.target_shown()} | {r.status} | {r.runs_shown()} |"
        )
    notes = [f"- {r.measure}: {r.note}" for r in b.results if r.note]
    if notes:
        lines += ["", "Notes:", "", *notes]
    if failures:
        lines += ["", "## Benchmarks that failed", "", *[f"- {f}" for f in failures]]
    if b.details:
        lines += ["", "## Details", ""]
        for d in b.details:
            lines += [d, ""]
    merged = _merged_sections()
    if merged:
        lines += ["", "## Component reports", "",
                  "Written by the engineers of each component (their own scripts and runs); included",
                  "here unchanged. Where `run.py` re-measures the same thing, the table above is the",
                  "current figure.", ""]  # fmt: skip
        lines += merged
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per figure (median); default 5"
    )
    parser.add_argument(
        "--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these"
    )
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    machine = machine_info()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="oncoboard-bench-") as tmp:
        b = Bench(args.runs, Path(tmp))
        for name, fn in BENCHMARKS.items():
            if args.only and name not in args.only:
                continue
            print(f"[{dt.datetime.now():%H:%M:%S}] {name} ...", flush=True)
            try:
                fn(b)
            except Exception as exc:  # noqa: BLE001 - one failing benchmark must not stop the rest
                failures.append(f"`{name}`: {type(exc).__name__}: {exc}")
                traceback.print_exc()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        if load is not None:
            machine["load average at end (1 min)"] = f"{load:.2f}"
        text = render(b, machine, failures, started)
    args.out.write_text(text, encoding="utf-8")
    for r in b.results:
        print(f"{r.measure}: {r.shown()}  {r.target_shown()}  {r.status}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
