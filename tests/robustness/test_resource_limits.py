"""Resource exhaustion and output paths (issue 22, items 8, 9 and 10).

- A 9 MB bgzipped VCF holding one 9 GB record reached 9 GB RSS (htslib reads a
  whole record): a bounded pre-scan now refuses records over 16 MB first.
- ``/dev/zero`` and FIFOs passed the case-file size check (``stat`` says 0).
- A 200,000-character pseudonym took 18.8 s in the report: free text is capped
  in the case contract.
- ``extensions`` nested 257 deep gave "unexpected ... This is a bug" at import.
- ``-o`` into a missing folder, ``-o ''``, and export over a symlink or device.
- ``sub/../../case/x.csv`` was accepted but the case could never be exported.

Memory is measured in a subprocess (peak RSS), never wall time.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db_attacks import cli
from oncoboard.core.case.model import MAX_SHORT_TEXT
from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import files
from oncoboard.core.profiles.profile import read_variant_file

HEADER = (
    "##fileformat=VCFv4.2\n"
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|SYMBOL|HGVSp">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
)


def _vcf_bomb(path: Path, record_bytes: int) -> Path:
    """A small gzip whose single record inflates to ``record_bytes``."""
    chunk = b"A" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(
            HEADER.encode()
            + b"7\t55259515\t.\tT\tG\t.\tPASS\tCSQ=G|missense_variant|EGFR|p.L858R"
        )
        for _ in range(record_bytes // len(chunk)):
            handle.write(chunk)
        handle.write(b"\n")
    return path


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles.profile import read_variant_file
try:
    read_variant_file(Path(sys.argv[1]), sys.argv[2])
    print("ACCEPTED")
except UserInputError as exc:
    print("REFUSED", str(exc).replace("\\n", " "))
# VmHWM is this process image's own high-water mark; ru_maxrss would also carry the
# parent's peak across fork+exec (a long pytest run made it read ~480 MB).
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print("PEAK_MB", int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _peak(path: Path, fmt: str) -> tuple[str, float]:
    """Read a variant file in a fresh process under a 2 GB address-space cap; (outcome, peak MB)."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path), fmt], capture_output=True,
                          text=True, timeout=300, preexec_fn=cap, check=False)  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines and lines[-1].startswith("PEAK_MB"), done.stderr[-2000:]
    return lines[0], float(lines[-1].split()[1])


def test_a_vcf_bomb_with_one_huge_record_is_refused_within_300_mb(
    tmp_path: Path,
) -> None:
    bomb = _vcf_bomb(
        tmp_path / "bomb.vcf.gz", 600 << 20
    )  # ~0.6 MB on disk, one 600 MB record
    assert bomb.stat().st_size < 2 << 20
    outcome, peak = _peak(bomb, "vcf")
    assert (
        outcome.startswith("REFUSED") and "longer than 16,777,216 bytes" in outcome
    ), outcome
    assert peak < 300, f"peak RSS {peak:.0f} MB"


def test_a_normal_vcf_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.vcf"
    path.write_text(
        HEADER + "7\t55259515\t.\tT\tG\t.\tPASS\tCSQ=G|missense_variant|EGFR|p.L858R\n"
    )
    assert [a.protein for a in read_variant_file(path, "vcf")] == ["L858R"]


def test_too_many_records_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_RECORDS", 10)
    record = "7\t55259515\t.\tT\tG\t.\tPASS\tCSQ=G|missense_variant|EGFR|p.L858R\n"
    (tmp_path / "many.vcf").write_text(HEADER + record * 20)
    (tmp_path / "many.csv").write_text("gene,protein\n" + "EGFR,L858R\n" * 20)
    for name, fmt in (("many.vcf", "vcf"), ("many.csv", "csv")):
        with pytest.raises(UserInputError, match="more than 10 lines"):
            read_variant_file(tmp_path / name, fmt)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def _run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ONCOBOARD_HOME": str(home),
        "ONCOBOARD_SYSTEM_CONFIG": str(home / "none.toml"),
    }
    # the timeout only guards against a hang (the bug); nothing asserts on time
    return subprocess.run([sys.executable, "-m", "oncoboard.cli.main", *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)  # fmt: skip


@pytest.mark.parametrize("device", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_is_refused_as_a_case_file(
    tmp_path: Path, fifo: Path, device: str
) -> None:
    target = str(fifo) if device == "fifo" else device
    done = _run_cli("case", "import", target, home=tmp_path / "home")
    assert done.returncode == 2, done.stderr
    assert "is not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_a_device_or_fifo_is_refused_as_a_variant_file(
    tmp_path: Path, fifo: Path
) -> None:
    for target in (Path("/dev/zero"), fifo):
        with pytest.raises(UserInputError, match="not a regular file"):
            read_variant_file(target, "vcf")
    (tmp_path / "link.vcf").symlink_to(fifo)
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"schema": "oncoboard.case/1", "case_id": "F", "tumor": {"oncotree_code": "LUAD"},
                                "samples": [{"id": "T", "specimen": "tissue",
                                             "variant_files": [{"path": "link.vcf", "format": "vcf"}]}]}))  # fmt: skip
    done = _run_cli("case", "import", str(case), home=tmp_path / "home")
    assert done.returncode == 2 and "is not a regular file" in done.stderr, done.stderr


def _case(folder: Path, name: str = "case.json", **extra: object) -> Path:
    data = {"schema": "oncoboard.case/1", "case_id": "LIM", "tumor": {"oncotree_code": "LUAD"},
            "samples": [{"id": "T", "specimen": "tissue",
                         "alterations": [{"gene": "EGFR", "kind": "mutation", "protein": "L858R"}]}]}  # fmt: skip
    data.update(extra)
    path = folder / name
    path.write_text(json.dumps(data))
    return path


def test_long_free_text_is_refused_at_entry(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = _case(tmp_path, patient={"pseudonym": "ab" * 100_000})
    code, _, err = cli(capsys, "case", "import", str(long))
    assert (
        code == 2
        and "patient.pseudonym" in err
        and f"at most {MAX_SHORT_TEXT} characters" in err
    )
    longest = _case(tmp_path, "ok.json", patient={"pseudonym": "x" * MAX_SHORT_TEXT})
    code, _, err = cli(capsys, "report", str(longest), "-o", str(tmp_path / "r.pdf"))
    assert code == 0, err


def test_deeply_nested_extensions_are_refused_at_import(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested: dict = {}
    for _ in range(257):
        nested = {"a": nested}
    code, _, err = cli(
        capsys, "case", "import", str(_case(tmp_path, extensions=nested))
    )
    assert code == 2 and "extensions" in err and "nested deeper than 32 levels" in err
    assert "This is a bug" not in err


@pytest.mark.parametrize("output, expected", [
    ("missing/x.pdf", "does not exist"), ("", "is not a file name"),
])  # fmt: skip
def test_bad_output_paths_are_clear_errors(
    tmp_path: Path,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    expected: str,
) -> None:
    case = _case(tmp_path)
    target = str(tmp_path / output) if output else ""
    code, _, err = cli(capsys, "report", str(case), "-o", target)
    assert code == 2 and expected in err and "This is a bug" not in err
    assert cli(capsys, "case", "import", str(case))[0] == 0
    code, _, err = cli(capsys, "case", "export", "LIM", "-o", target)
    assert code == 2 and expected in err


def test_export_never_replaces_a_symlink_or_a_device(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "case", "import", str(_case(tmp_path)))[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "out.json").symlink_to(victim)
    for target in (tmp_path / "out.json", Path("/dev/null")):
        code, _, err = cli(capsys, "case", "export", "LIM", "-o", str(target))
        assert code == 2 and "not a regular file" in err, err
        code, _, err = cli(capsys, "report", str(_case(tmp_path)), "-o", str(target))
        assert code == 2 and "not a regular file" in err, err
    assert (tmp_path / "out.json").is_symlink() and victim.read_text() == "keep me"
    assert Path("/dev/null").is_char_device()


def test_a_roundabout_variant_file_path_is_normalised_so_the_case_exports(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "case"
    (folder / "sub").mkdir(parents=True)
    (folder / "x.csv").write_text("gene,protein\nEGFR,L858R\n")
    data = {"schema": "oncoboard.case/1", "case_id": "ROUND", "tumor": {"oncotree_code": "LUAD"},
            "samples": [{"id": "T", "specimen": "tissue",
                         "variant_files": [{"path": "sub/../../case/x.csv", "format": "csv"}]}]}  # fmt: skip
    (folder / "case.json").write_text(json.dumps(data))
    assert cli(capsys, "case", "import", str(folder / "case.json"))[0] == 0
    out = tmp_path / "export"
    out.mkdir()
    code, _, err = cli(capsys, "case", "export", "ROUND", "-o", str(out / "case.json"))
    assert code == 0, err
    exported = json.loads((out / "case.json").read_text())
    assert exported["samples"][0]["variant_files"][0]["path"] == "x.csv"
    assert (out / "x.csv").read_text() == "gene,protein\nEGFR,L858R\n"


def test_a_repeated_case_id_names_the_file_not_input(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    first, second = _case(tmp_path / "a"), _case(tmp_path, "again.json")
    code, _, err = cli(capsys, "case", "import", str(first), str(second))
    assert (
        code == 2
        and err.startswith(f"error: {second}: case_id: ")
        and str(first) in err
    )
    assert "input:" not in err
    assert cli(capsys, "case", "import", str(first))[0] == 0
    code, _, err = cli(capsys, "case", "import", str(second))  # already stored
    assert (
        code == 2
        and err.startswith(f"error: {second}: case_id: ")
        and "input:" not in err
    )


def test_no_log_folder_means_no_traceback_on_stderr(tmp_path: Path) -> None:
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from oncoboard.core.logging_setup import setup_logging\n"
        "assert setup_logging('INFO', Path(sys.argv[1]) / 'logs') is None\n"
        "try:\n    raise ValueError('case JSON would be here')\n"
        "except ValueError:\n    logging.getLogger('oncoboard.cli').exception('unexpected error')\n"
    )
    blocker = tmp_path / "file"
    blocker.write_text("a file where the log folder should be")
    done = subprocess.run([sys.executable, "-c", script, str(blocker)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "case JSON" not in done.stderr
