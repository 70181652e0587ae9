"""Loading the reference tables (thresholds, gene lists) that profiles use.

Thresholds and gene lists are data with a source per value, kept in
``knowledgebase/reference/`` (see its README).  Shared, read-only reference
data (vcf2maf transcript tables, the EGFR exon table) is read from
``../shared/data`` beside the repository.  Both locations can be overridden
with ``ONCOBOARD_REFERENCE_DIR`` and ``ONCOBOARD_SHARED_DATA``.  Where the
repository layout does not exist (an installed bundle), the copies that
``make kb`` stages under ``oncoboard/data/reference/`` are used
(``oncoboard.core.kb.runtime_reference``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from oncoboard.core.paths import reference_dir, shared_data_dir

__all__ = [
    "ReferenceDataError",
    "Threshold",
    "read_tsv",
    "reference_dir",
    "shared_data_dir",
    "thresholds",
]


class ReferenceDataError(RuntimeError):
    """A shipped reference table is missing or malformed (a packaging bug)."""


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Read a tab-separated table whose comment lines start with ``#``."""
    try:
        with path.open(encoding="utf-8") as handle:
            lines = [ln for ln in handle if ln.strip() and not ln.startswith("#")]
    except OSError as exc:
        raise ReferenceDataError(f"cannot read reference table {path}: {exc}") from exc
    return list(csv.DictReader(lines, delimiter="\t"))


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    unit: str
    source: str


@lru_cache(maxsize=1)
def thresholds() -> dict[str, Threshold]:
    """All thresholds of ``thresholds.yaml`` with their sources."""
    import yaml  # lazily: only needed once per process

    path = reference_dir() / "thresholds.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {
            name: Threshold(
                name,
                float(v["value"]),
                str(v["unit"]),
                " ".join(str(v["source"]).split()),
            )
            for name, v in data["values"].items()
        }
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"invalid thresholds file {path}: {exc}") from exc


def threshold(name: str) -> float:
    """The value of one named threshold."""
    return thresholds()[name].value


@lru_cache(maxsize=1)
def chip_genes() -> frozenset[str]:
    return frozenset(r["gene"] for r in read_tsv(reference_dir() / "chip_genes.tsv"))


@lru_cache(maxsize=1)
def predisposition_genes() -> frozenset[str]:
    return frozenset(
        r["gene"] for r in read_tsv(reference_dir() / "predisposition_genes.tsv")
    )


@lru_cache(maxsize=1)
def predisposition_sources() -> dict[str, str]:
    """Gene -> the cited reason it is on the cancer-predisposition list."""
    return {
        r["gene"]: r["source"]
        for r in read_tsv(reference_dir() / "predisposition_genes.tsv")
    }


@lru_cache(maxsize=1)
def hotspots() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, int]]]:
    """``(exact variants, hotspot codons)`` as ``(gene, 'L858R')`` / ``(gene, 858)``."""
    exact: set[tuple[str, str]] = set()
    codons: set[tuple[str, int]] = set()
    for row in read_tsv(reference_dir() / "hotspots.tsv"):
        protein = row["protein"]
        if protein[1:].isdigit():
            codons.add((row["gene"], int(protein[1:])))
        else:
            exact.add((row["gene"], protein))
    return frozenset(exact), frozenset(codons)


@lru_cache(maxsize=1)
def braf_classes() -> tuple[dict[str, int], dict[int, int]]:
    """``(exact change -> class, codon -> class)`` for BRAF."""
    exact: dict[str, int] = {}
    codons: dict[int, int] = {}
    for row in read_tsv(reference_dir() / "braf_classes.tsv"):
        if row["protein"][1:].isdigit():
            codons[int(row["protein"][1:])] = int(row["class"])
        else:
            exact[row["protein"]] = int(row["class"])
    return exact, codons


@lru_cache(maxsize=1)
def fusion_drivers() -> dict[str, str]:
    """Fusion driver gene -> ``5p`` or ``3p``."""
    return {
        r["gene"]: r["position"]
        for r in read_tsv(reference_dir() / "fusion_drivers.tsv")
    }


@lru_cache(maxsize=1)
def egfr_exons() -> tuple[tuple[int, int, int], ...]:
    """``(exon, first codon, last codon)`` of EGFR NM_005228.3 (LRG_304)."""
    path = (
        shared_data_dir() / "reference" / "egfr" / "EGFR_LRG_304_NM_005228.3_exons.tsv"
    )
    rows = read_tsv(path)
    try:
        return tuple(
            (int(r["exon"]), int(r["aa_start"]), int(r["aa_end"])) for r in rows
        )
    except (KeyError, ValueError) as exc:
        raise ReferenceDataError(f"invalid EGFR exon table {path}: {exc}") from exc


@lru_cache(maxsize=1)
def exon_codon_spans() -> dict[str, tuple[tuple[int, int, int], ...]]:
    """Gene -> ``(exon, first codon, last codon)`` spans known to lie inside an exon."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    for row in read_tsv(reference_dir() / "exon_codon_spans.tsv"):
        span = (int(row["exon"]), int(row["first_codon"]), int(row["last_codon"]))
        out.setdefault(row["gene"], []).append(span)
    return {gene: tuple(spans) for gene, spans in out.items()}


@lru_cache(maxsize=1)
def canonical_transcripts() -> dict[str, tuple[str, ...]]:
    """Gene -> preferred Ensembl transcripts (no version): MANE Select, then MSK-IMPACT."""
    base = shared_data_dir() / "reference" / "vcf2maf"
    out: dict[str, list[str]] = {}
    for name in (
        "isoform_overrides_mane_grch38.tsv",
        "isoform_overrides_at_mskcc_grch38.tsv",
    ):
        for enst, gene in _read_isoforms(base / name):
            out.setdefault(gene, [])
            if enst not in out[gene]:
                out[gene].append(enst)
    return {gene: tuple(ids) for gene, ids in out.items()}


def _read_isoforms(path: Path) -> list[tuple[str, str]]:
    try:
        with path.open(encoding="utf-8") as handle:
            rows = [
                ln.rstrip("\n").split("\t") for ln in handle if not ln.startswith("#")
            ]
    except OSError as exc:
        raise ReferenceDataError(f"cannot read transcript table {path}: {exc}") from exc
    return [(r[0].split(".")[0], r[1]) for r in rows if len(r) >= 2 and r[0]]


@lru_cache(maxsize=1)
def known_gene_symbols() -> frozenset[str]:
    """HGNC symbols known offline: the vcf2maf transcript tables' gene names."""
    base = shared_data_dir() / "reference" / "vcf2maf"
    symbols: set[str] = set()
    for path in sorted(base.glob("isoform_overrides_*.tsv")):
        symbols.update(gene for _, gene in _read_isoforms(path))
    if not symbols:
        raise ReferenceDataError(f"no gene symbols found under {base}")
    return frozenset(symbols)
