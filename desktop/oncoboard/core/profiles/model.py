"""Typed, immutable results of genomic profile import.

Everything the matcher, the GUI and the report see about a tumor's genomics
passes through these dataclasses.  They are frozen so a profile can be shared
between threads and cached without defensive copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = (
    "mutation",
    "amplification",
    "deletion",
    "fusion",
    "exon_skipping",
    "expression",
)
VARIANT_CLASSES = (
    "missense",
    "truncating",
    "inframe_deletion",
    "inframe_insertion",
    "splice",
    "synonymous",
    "other",
)
SIGNIFICANCES = ("hotspot", "oncogenic", "vus", "unknown")


@dataclass(frozen=True)
class NormalisedAlteration:
    """One alteration after gene, protein and exon normalisation.

    ``label`` is the canonical text the knowledge base and the report use, e.g.
    ``"EGFR L858R"``, ``"EGFR exon 19 deletion"`` or ``"EML4::ALK fusion"``.
    Gene-level evidence may only be applied when ``significance`` is
    ``hotspot``/``oncogenic`` or ``loss_of_function`` is true.
    """

    gene: str
    kind: str
    label: str
    sample: str | None = None
    specimen: str | None = None
    origin: str = "unknown"
    protein: str | None = None
    cdna: str | None = None
    codon: int | None = None
    exon: int | None = None
    exon_change: str | None = None
    variant_class: str | None = None
    significance: str = "unknown"
    loss_of_function: bool = False
    braf_class: int | None = None
    vaf: float | None = None
    depth: int | None = None
    copy_number: float | None = None
    partner: str | None = None
    level: str | None = None
    phase: str | None = None
    collected: dt.date | None = None
    source: str = "manual"
    original_gene: str | None = None


@dataclass(frozen=True)
class ProfileFlag:
    """A finding the board must see; ``code`` is one of the spec's flag codes."""

    code: str
    message: str
    alteration: str | None = None


@dataclass(frozen=True)
class Her2Assessment:
    """HER2 status derived from IHC/ISH, with the guideline rule that decided it."""

    status: str | None
    ihc: str | None
    ish_group: int | None
    rule: str
    guideline: str
    flags: tuple[ProfileFlag, ...] = ()


@dataclass(frozen=True)
class SampleInfo:
    """What the profile keeps about each sample (for ctDNA interpretation)."""

    id: str
    specimen: str
    collected: dt.date | None = None
    tumor_fraction: float | None = None
    assay: str | None = None


@dataclass(frozen=True)
class Profile:
    """The normalised genomic profile of one case."""

    alterations: tuple[NormalisedAlteration, ...]
    flags: tuple[ProfileFlag, ...]
    her2: Her2Assessment | None
    samples: tuple[SampleInfo, ...] = ()
    tmb: float | None = None
    msi: str | None = None
    mmr: str | None = None
    pdl1_tps: float | None = None
    pdl1_cps: float | None = None

    def labels(self) -> set[str]:
        """Canonical labels of all alterations."""
        return {a.label for a in self.alterations}


@dataclass(frozen=True)
class VariantImport:
    """Result of reading one variant file.

    ``records`` counts the data records in the file (VCF records, MAF/table
    rows); ``skipped`` counts records not imported because they cannot carry
    therapy evidence (intronic, synonymous, filtered ...), keyed by reason.
    """

    path: str
    fmt: str
    records: int
    alterations: tuple[NormalisedAlteration, ...]
    skipped: dict[str, int] = field(default_factory=dict)
    flags: tuple[ProfileFlag, ...] = ()
    # case-level biomarkers found in panel tables: tmb, msi, mmr, pdl1_tps, pdl1_cps
    biomarkers: dict[str, float | str] = field(default_factory=dict)
