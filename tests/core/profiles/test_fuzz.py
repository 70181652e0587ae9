"""Fuzzing: truncated and garbled copies of real files never crash the parsers.

Every outcome must be either a successful import or a UserInputError; any
other exception is a bug.  A failing file must not return partial results,
which the parsers guarantee by raising after reading everything.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import import_variant_file

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "profiles"
EXAMPLES = REPO.parent / "shared" / "data" / "examples"

SOURCES = {
    "vcf": [DATA / "test_b38_vep.vcf", DATA / "mutect2_snpeff.vcf", DATA / "strelka2_vep.vcf",
            EXAMPLES / "vcf2maf" / "test_mutect.vcf"],
    "maf": [EXAMPLES / "vcf2maf" / "test_b38_output.maf", EXAMPLES / "vcf2maf" / "test.maf",
            REPO.parent / "shared" / "spec" / "examples" / "luad-panel.maf"],
    "csv": [DATA / "panel_common.csv", DATA / "cnv_gene_level.tsv",
            EXAMPLES / "pcgr" / "T001-BRCA.grch38.fusions.tsv"],
}  # fmt: skip
FUZZ = settings(
    max_examples=int(os.environ.get("ONCOBOARD_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _mutate(raw: bytes, cut: float, edits: list[tuple[float, int]]) -> bytes:
    data = bytearray(raw[: max(0, int(len(raw) * cut))])
    for where, byte in edits:
        if data:
            data[int(where * (len(data) - 1))] = byte
    return bytes(data)


def _import(fmt: str, payload: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(payload)
        try:
            result = import_variant_file(path, fmt)
        except UserInputError as exc:
            assert str(exc)  # always a message for the user
            return
        assert result.records >= len(result.alterations) or fmt == "vcf"


@pytest.mark.parametrize("fmt", sorted(SOURCES))
@FUZZ
@given(data=st.data())
def test_truncated_and_garbled_copies(fmt: str, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(SOURCES[fmt]))
    cut = data.draw(st.floats(0.0, 1.0))
    edits = data.draw(
        st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8)
    )
    _import(fmt, _mutate(source.read_bytes(), cut, edits), source.suffix)


@FUZZ
@given(cut=st.floats(0.0, 1.0))
def test_truncated_bgzip_vcf(cut: float) -> None:
    raw = (EXAMPLES / "pcgr" / "T001-BRCA.grch38.vcf.gz").read_bytes()
    _import("vcf", raw[: int(len(raw) * cut)], ".vcf.gz")


@FUZZ
@given(
    lines=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
        max_size=8,
    )
)
def test_random_tables(lines: list[str]) -> None:
    payload = "\n".join(
        ["Hugo_Symbol\tHGVSp_Short\tt_alt_count\tt_depth", *lines]
    ).encode()
    _import("maf", payload, ".maf")
    _import(
        "csv",
        "\n".join(["gene,protein,vaf,copy_number,fusion", *lines]).encode(),
        ".csv",
    )


@FUZZ
@given(
    records=st.lists(
        st.text(alphabet="ACGT.,|:;=0123456789pLeuArgGlyEGFR*_\t", max_size=80),
        max_size=6,
    )
)
def test_random_vcf_records_after_a_valid_header(records: list[str]) -> None:
    header = (DATA / "pcgr_vep.vcf").read_text().split("#CHROM")[0]
    body = (
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT001\n"
        + "\n".join(records)
        + "\n"
    )
    _import("vcf", (header + body).encode(), ".vcf")


def test_gzip_garbage_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "x.maf.gz"
    path.write_bytes(gzip.compress(b"Hugo_Symbol\tHGVSp_Short\nEGFR\tp.L858R\n")[:-12])
    with pytest.raises(UserInputError):
        import_variant_file(path, "maf")
