"""VCF, MAF and panel tables: mutated real files never crash ``read_variant_file``.

The profiles engineer's ``tests/core/profiles/test_fuzz.py`` truncates and
garbles a few files; this adds line edits, random unicode, gzip round trips,
files read as the wrong format, and the 10,000-example pass.  Every outcome is
a list of alterations or a ``UserInputError`` naming the file.
"""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.mutations import FAST, SLOW, Blob, byte_edits
from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import NormalisedAlteration, read_variant_file
from shared_paths import DATA, REPO, SPEC_EXAMPLES

PROFILES = REPO / "tests" / "data" / "profiles"
EXAMPLES = DATA / "examples"
SOURCES: dict[str, list[Path]] = {
    "vcf": [*sorted(PROFILES.glob("*.vcf")), EXAMPLES / "vcf2maf" / "test_b38.vcf",
            EXAMPLES / "vcf2maf" / "test_grch38.vcf", EXAMPLES / "pcgr" / "T001-BRCA.grch38.vcf.gz"],
    "maf": [EXAMPLES / "vcf2maf" / "test.maf", EXAMPLES / "vcf2maf" / "test_b38_output.maf",
            SPEC_EXAMPLES / "luad-panel.maf", REPO / "assets" / "demo" / "demo-03-tissue.maf"],
    "csv": [*sorted(PROFILES.glob("*.csv")), *sorted(PROFILES.glob("*.tsv")),
            EXAMPLES / "pcgr" / "T001-BRCA.grch38.fusions.tsv",
            EXAMPLES / "pcgr" / "T001-BRCA.grch38.cna.tsv"],
}  # fmt: skip
FORMATS = ("vcf", "maf", "csv", "tsv")


def _plain(path: Path) -> bytes:
    raw = path.read_bytes()
    return Blob(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)


RAW = {fmt: [(p.name, _plain(p)) for p in paths] for fmt, paths in SOURCES.items()}


@st.composite
def variant_inputs(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(declared format, file name, bytes): mostly the right format, sometimes not."""
    true_fmt = draw(st.sampled_from(sorted(RAW)))
    name, raw = draw(st.sampled_from(RAW[true_fmt]))
    payload = draw(byte_edits(raw))
    fmt = draw(st.sampled_from([true_fmt] * 6 + list(FORMATS)))
    if fmt == "csv" and name.endswith(".tsv"):
        fmt = "tsv"
    if draw(st.integers(0, 4)) == 0:  # a gzipped copy, sometimes cut short
        packed = gzip.compress(payload, compresslevel=1)
        payload = packed[: draw(st.integers(0, len(packed)))]
        name += ".gz"
    return fmt, name, payload


_counter = itertools.count()


def _check(folder: Path, fmt: str, name: str, payload: bytes) -> None:
    path = folder / f"{next(_counter)}-{name}"
    path.write_bytes(payload)
    try:
        alterations = read_variant_file(path, fmt, sample_id="T1")
    except UserInputError as exc:
        assert path.name in str(exc)  # the message names the file
        return
    finally:
        path.unlink()
    assert all(isinstance(a, NormalisedAlteration) and a.gene for a in alterations)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-variants")


def test_sources_exist_and_import() -> None:
    for paths in SOURCES.values():
        for path in paths:
            assert path.is_file(), path
    assert read_variant_file(SPEC_EXAMPLES / "luad-panel.maf", "maf")


@FAST
@given(case=variant_inputs())
def test_mutated_variant_files(folder: Path, case: tuple[str, str, bytes]) -> None:
    _check(folder, *case)


@pytest.mark.slow
@SLOW
@given(case=variant_inputs())
def test_mutated_variant_files_10k(folder: Path, case: tuple[str, str, bytes]) -> None:
    _check(folder, *case)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_2_gb_variant_file_is_refused_without_reading_it(
    tmp_path: Path, fmt: str
) -> None:
    big = tmp_path / f"big.{fmt}"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # sparse: nothing is written to disk
    with pytest.raises(UserInputError, match="the limit is"):
        read_variant_file(big, fmt)
