"""Gene symbols: HGNC symbols, aliases and "did you mean" for typos."""

from __future__ import annotations

import pytest

from oncoboard.core.profiles import normalise_gene


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HER2", "ERBB2"),
        ("her2", "ERBB2"),
        ("HER-2", "ERBB2"),
        ("PD-L1", "CD274"),
        ("TRKA", "NTRK1"),
        ("egfr", "EGFR"),
        ("NKX2-1", "NKX2-1"),
        ("TTF-1", "NKX2-1"),
        ("MLL", "KMT2A"),
        ("TET2", "TET2"),
    ],
)
def test_aliases_and_case_resolve_to_hgnc_symbols(typed: str, expected: str) -> None:
    symbol, flag = normalise_gene(typed)
    assert (symbol, flag) == (expected, None)


def test_unknown_symbol_raises_flag_with_nearest_symbol() -> None:
    symbol, flag = normalise_gene("EGFRR")
    assert symbol == "EGFRR"
    assert flag is not None and flag.code == "unknown_gene"
    assert "did you mean EGFR" in flag.message


def test_unknown_symbol_without_neighbour_still_flags() -> None:
    _, flag = normalise_gene("QQQ999")
    assert flag is not None and flag.code == "unknown_gene"
