"""Reference vocabularies the build checks entries against: genes and kmdata.

Gene symbols come from the vcf2maf canonical transcript tables (MANE Select
GRCh38 and the MSK-IMPACT isoforms), plus the project's alias table
(``knowledgebase/reference/gene_aliases.tsv``) when it exists.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class GeneVocabulary:
    """Known HGNC symbols and aliases (alias -> symbol)."""

    symbols: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)

    def is_symbol(self, gene: str) -> bool:
        """Return True if ``gene`` is an approved symbol."""
        return gene in self.symbols

    def canonical(self, gene: str) -> str | None:
        """Return the symbol for ``gene`` or one of its aliases, else None."""
        if gene in self.symbols:
            return gene
        return self.aliases.get(gene) or self.aliases.get(gene.upper())


def load_gene_vocabulary(tables: list[Path], aliases: Path | None) -> GeneVocabulary:
    """Read gene symbols from vcf2maf isoform tables and an optional alias table.

    Parameters
    ----------
    tables
        TSV files whose ``gene_name`` column (second column) lists symbols.
    aliases
        Optional TSV of ``alias<TAB>symbol`` (a header row and ``#`` comments are
        skipped).  Missing file means no aliases.

    Returns
    -------
    GeneVocabulary
    """
    symbols: set[str] = set()
    for table in tables:
        with table.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 2 and cols[1]:
                    symbols.add(cols[1].strip())
    alias_map: dict[str, str] = {}
    if aliases is not None and aliases.is_file():
        alias_map = _read_aliases(aliases)
        # An alias table may name symbols the transcript tables lack (e.g. a
        # gene without a MANE transcript); its targets count as known symbols.
        symbols.update(alias_map.values())
    return GeneVocabulary(frozenset(symbols), alias_map)


def _read_aliases(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cols = [c.strip() for c in line.rstrip("\n").split("\t")]
            if len(cols) < 2 or cols[0].lower() in {"alias", "synonym"}:
                continue
            out[cols[0]] = cols[1]
    return out


@dataclass(frozen=True)
class KmDataset:
    """One reconstructed Kaplan-Meier dataset of the kmdata catalog."""

    dataset: str
    trial_figure: str
    pmid: str
    endpoint: str
    cancer: str
    arms: tuple[str, ...]


def load_kmdata_catalog(path: Path) -> dict[str, KmDataset]:
    """Read ``kmdata_catalog.tsv`` into a dict keyed by dataset id.

    Parameters
    ----------
    path
        The catalog file (``survival/kmdata_ipd/kmdata_catalog.tsv``).

    Returns
    -------
    dict[str, KmDataset]
    """
    out: dict[str, KmDataset] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            arms = tuple(a.strip() for a in (row.get("arms") or "").split(", ") if a)
            out[row["dataset"]] = KmDataset(
                dataset=row["dataset"],
                trial_figure=row.get("trial_figure") or "",
                pmid=row.get("pmid") or "",
                endpoint=row.get("event_type") or row.get("primary_endpoint") or "",
                cancer=row.get("cancer") or "",
                arms=arms,
            )
    return out
