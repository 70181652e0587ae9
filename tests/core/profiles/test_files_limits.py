"""A small gzip that inflates to a huge line is refused at once, not after minutes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import read_variant_file


def test_gzip_bomb_line_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.maf.gz"
    bomb.write_bytes(
        gzip.compress(b"Hugo_Symbol\tHGVSp_Short\n" + b"A" * (50 * 1024 * 1024) + b"\n")
    )
    assert bomb.stat().st_size < 200_000
    with pytest.raises(UserInputError, match="longer than"):
        read_variant_file(bomb, "maf", sample_id="T")


def test_decompressed_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOBOARD_MAX_VARIANT_FILE_BYTES", "100000")
    rows = b"".join(b"KRAS\tp.G12C\n" for _ in range(20_000))
    big = tmp_path / "big.maf.gz"
    big.write_bytes(gzip.compress(b"Hugo_Symbol\tHGVSp_Short\n" + rows))
    with pytest.raises(UserInputError, match="decompressed"):
        read_variant_file(big, "maf", sample_id="T")
