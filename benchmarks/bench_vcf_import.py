"""Benchmark: import of a 100,000-record VEP-annotated VCF.

The input is generated from real example data: the records of vcf2maf's
``test_b38.vcf`` with a VEP ``CSQ`` field rebuilt from the VEP columns of the
matching ``test_b38_output.maf`` (same positions, same tool run), repeated
with shifted positions until the requested count is reached.  The result is
synthetic in its repetition, real in its content.

Usage::

    .venv/bin/python benchmarks/bench_vcf_import.py [--records 100000] [--keep DIR]

Prints import time (wall clock, best of ``--repeat``) and peak memory (RSS
high-water mark of a fresh child process doing only the import).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO.parent / "shared" / "data" / "examples" / "vcf2maf"
CSQ_FIELDS = (
    "Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature_type", "Feature", "BIOTYPE",
    "EXON", "INTRON", "HGVSc", "HGVSp", "CANONICAL", "PICK",
)  # fmt: skip


def _csq_value(text: str) -> str:
    # VEP escapes these characters inside CSQ (";" "=" "," "|" are separators)
    return (
        text.replace("=", "%3D")
        .replace(";", "%3B")
        .replace(",", "%2C")
        .replace("|", "&")
    )


def csq_by_position(maf: Path) -> dict[str, str]:
    """POS -> CSQ string rebuilt from a vcf2maf MAF's VEP columns."""
    with maf.open(encoding="utf-8") as handle:
        rows = csv.DictReader(
            (ln for ln in handle if not ln.startswith("#")), delimiter="\t"
        )
        out = {}
        for row in rows:
            hgvsp = row["HGVSp"]
            values = dict(row)
            values["HGVSc"] = f"{row['Feature']}:{row['HGVSc']}" if row["HGVSc"] else ""
            values["HGVSp"] = f"{row['ENSP']}:{hgvsp}" if hgvsp else ""
            values["IMPACT"] = row.get("IMPACT", "")
            out[row["vcf_pos"]] = "|".join(
                _csq_value(values.get(f, "") or "") for f in CSQ_FIELDS
            )
    return out


def annotated_records(vcf: Path, maf: Path) -> tuple[list[str], list[list[str]]]:
    """Header lines and records of ``vcf`` with an added CSQ INFO field."""
    csq = csq_by_position(maf)
    header, records = [], []
    for line in vcf.read_text(encoding="utf-8").splitlines():
        if line.startswith("##"):
            header.append(line)
        elif line.startswith("#CHROM"):
            header.append(
                '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations '
                f'from Ensembl VEP. Format: {"|".join(CSQ_FIELDS)}">'
            )
            header.append(
                "##oncoboard_note=synthetic benchmark input: records of vcf2maf test_b38.vcf, "
                "CSQ rebuilt from test_b38_output.maf"
            )
            header.append(line)
        elif line.strip():
            cols = line.split("\t")
            if cols[1] in csq:
                cols[7] = f"CSQ={csq[cols[1]]}"
            records.append(cols)
    return header, records


def write_vcf(path: Path, n_records: int) -> Path:
    """Write an annotated VCF with ``n_records`` records (positions kept sorted)."""
    header, records = annotated_records(
        EXAMPLES / "test_b38.vcf", EXAMPLES / "test_b38_output.maf"
    )
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join(header) + "\n")
        written = copy = 0
        while written < n_records:
            for cols in records:
                if written >= n_records:
                    break
                shifted = list(cols)
                # copies sit a few bases apart: unique records, same annotation
                shifted[1] = str(int(cols[1]) + copy * 7)
                out.write("\t".join(shifted) + "\n")
                written += 1
            copy += 1
    return path


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from oncoboard.core.profiles import read_variant_file
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
alts = read_variant_file(Path(sys.argv[1]), "vcf")
elapsed = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "peak_mb": after.ru_maxrss / 1024,
                  "alterations": len(alts)}))
"""


def run_once(path: Path) -> dict[str, float]:
    """Import in a fresh interpreter so peak RSS covers only this import."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="write the generated VCF here and keep it"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        target = args.keep or Path(tmp) / "bench.vcf"
        t0 = time.perf_counter()
        write_vcf(target, args.records)
        gen = time.perf_counter() - t0
        runs = [run_once(target) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    print(f"records: {args.records:,}  (generated in {gen:.1f} s)")
    print(f"alterations imported: {best['alterations']:,}")
    times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
    cpu = ", ".join(f"{r['cpu_seconds']:.2f}" for r in runs)
    print(
        f"import time (wall): best {best['seconds']:.2f} s of {args.repeat} (all: {times})"
    )
    print(f"import CPU time (user+sys): {cpu} s")
    print(
        f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"peak memory (child RSS): {max(r['peak_mb'] for r in runs):.0f} MB")
    print(
        f"benchmark process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
