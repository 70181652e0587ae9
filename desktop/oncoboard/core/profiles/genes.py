"""Gene symbol normalisation: HGNC symbols, curated aliases, nearest-symbol hints."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from oncoboard.core.profiles.model import ProfileFlag
from oncoboard.core.profiles.reference import (
    known_gene_symbols,
    read_tsv,
    reference_dir,
)

_SQUASH = re.compile(r"[\s\-_.()/]")


@lru_cache(maxsize=1)
def gene_aliases() -> dict[str, str]:
    """Upper-case alias -> HGNC symbol, from ``knowledgebase/reference/gene_aliases.tsv``."""
    return {
        r["alias"].upper(): r["symbol"]
        for r in read_tsv(reference_dir() / "gene_aliases.tsv")
    }


@lru_cache(maxsize=1)
def _squashed_symbols() -> dict[str, str]:
    # "NKX21" or "nkx2.1" should still find NKX2-1; "HER-2" should find HER2.
    out = {_SQUASH.sub("", s).upper(): s for s in known_gene_symbols()}
    for alias, symbol in gene_aliases().items():
        out.setdefault(_SQUASH.sub("", alias), symbol)
    return out


def is_known_gene(symbol: str) -> bool:
    """True if ``symbol`` is an approved symbol known offline."""
    return symbol in known_gene_symbols()


def nearest_symbol(symbol: str) -> str | None:
    """The closest known symbol or alias to ``symbol`` (for "did you mean")."""
    upper = symbol.upper()
    known = known_gene_symbols()
    for i in range(
        len(upper) - 1
    ):  # a swapped pair of letters is the commonest typo (EGRF)
        swapped = upper[:i] + upper[i + 1] + upper[i] + upper[i + 2 :]
        if swapped in known:
            return swapped
    # Comparing against ~19,000 symbols is slow; typos rarely change the first letter.
    candidates = [
        s for s in (*known_gene_symbols(), *gene_aliases()) if s[:1] == upper[:1]
    ]
    match = difflib.get_close_matches(upper, candidates, n=1, cutoff=0.6)
    if not match:
        return None
    return gene_aliases().get(match[0], match[0])


@lru_cache(maxsize=4096)
def normalise_gene(symbol: str) -> tuple[str, ProfileFlag | None]:
    """Resolve a gene symbol or alias to its HGNC symbol.

    Parameters
    ----------
    symbol
        What the user or the file wrote, e.g. ``"HER2"``, ``"egfr"``, ``"NKX2-1"``.

    Returns
    -------
    tuple
        ``(symbol, flag)``.  ``flag`` is ``None`` for a known symbol or alias; for
        an unknown symbol the input is returned upper-cased together with an
        ``unknown_gene`` flag whose message suggests the nearest known symbol.
    """
    text = symbol.strip()
    upper = text.upper()
    known = known_gene_symbols()
    if text in known:
        return text, None
    if upper in known:
        return upper, None
    aliases = gene_aliases()
    if upper in aliases:
        return aliases[upper], None
    squashed = _squashed_symbols().get(_SQUASH.sub("", upper))
    if squashed:
        return squashed, None
    hint = nearest_symbol(upper)
    message = f"{text!r} is not an HGNC symbol or a known alias"
    message += f"; did you mean {hint}?" if hint else "; check the spelling"
    return upper, ProfileFlag("unknown_gene", message, upper)
