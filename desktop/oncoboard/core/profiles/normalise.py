"""Turning raw fields (from a case file, a MAF row, a VCF record) into one
:class:`NormalisedAlteration` with a canonical label.

Every importer calls :func:`normalise_alteration`; it raises
:class:`NormalisationError` (a ``ValueError``) with a message the importer
wraps into a :class:`~oncoboard.core.errors.UserInputError` naming the file,
line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any, NamedTuple

from oncoboard.core.profiles.exons import braf_class, call_exon
from oncoboard.core.profiles.genes import normalise_gene
from oncoboard.core.profiles.model import NormalisedAlteration, ProfileFlag
from oncoboard.core.profiles.protein import (
    ProteinChange,
    ProteinParseError,
    parse_protein_change,
)
from oncoboard.core.profiles.reference import fusion_drivers, hotspots

TRUNCATING = {"nonsense", "frameshift", "start_lost"}
_FUSION_SPLIT = re.compile(r"::|--|-|/|:")


class NormalisationError(ValueError):
    """A field cannot be normalised; the message says what was expected."""


class Context(NamedTuple):
    """Where an alteration came from (copied onto every alteration).

    A NamedTuple rather than a dataclass: one is made per VCF record, and
    tuple construction is several times cheaper.
    """

    sample: str | None = None
    specimen: str | None = None
    collected: dt.date | None = None
    origin: str = "unknown"
    source: str = "manual"


def variant_class_of(change: ProteinChange) -> str:
    """``missense``, ``truncating``, ``inframe_deletion`` ... for a protein change."""
    if change.kind == "missense":
        return "missense"
    if change.kind in TRUNCATING:
        return "truncating"
    if change.kind == "splice":
        return "splice"
    if change.kind == "synonymous":
        return "synonymous"
    delta = change.length_change
    if change.kind in ("deletion", "insertion", "duplication", "delins"):
        if delta < 0:
            return "inframe_deletion"
        if delta > 0:
            return "inframe_insertion"
    return "other"


def significance_of(gene: str, change: ProteinChange | None, suffix: str | None) -> str:
    """``hotspot``, ``oncogenic`` or ``vus`` from the curated hotspot table.

    Truncating variants stay ``unknown`` here: whether loss of function matters
    depends on the gene's role, which the matcher's evidence decides.
    """
    exact, codons = hotspots()
    if suffix and (gene, suffix) in exact:
        return "oncogenic"
    if change is None:
        return "unknown"
    if change.kind == "missense" and (gene, change.start) in codons:
        return "hotspot"
    if (gene, change.canonical) in exact:
        return "oncogenic"
    if change.kind in ("missense", "deletion", "insertion", "duplication", "delins"):
        return "vus"
    return "unknown"


def resolve_gene(symbol: str) -> tuple[str, str | None, ProfileFlag | None]:
    """``(HGNC symbol, original if an alias was resolved, unknown_gene flag)``."""
    if not symbol or not symbol.strip():
        raise NormalisationError("gene is empty; expected an HGNC symbol such as EGFR")
    gene, flag = normalise_gene(symbol)
    original = symbol.strip() if gene != symbol.strip() and flag is None else None
    return gene, original, flag


def mutation(
    gene: str,
    protein: str,
    ctx: Context,
    *,
    cdna: str | None = None,
    vaf: float | None = None,
    depth: int | None = None,
    phase: str | None = None,
    exon: int | None = None,
    intron: int | None = None,
    splice_site: bool = False,
    original_gene: str | None = None,
) -> NormalisedAlteration:
    """A normalised small variant; ``protein`` must be a readable protein change."""
    _check_fraction(vaf, "vaf")
    core = _mutation_core(gene, protein, exon, intron, splice_site)
    if core is None:  # MET exon 14 splice-site variant
        change = parse_protein_change(protein)
        return exon_skipping(gene, 14, ctx, original_gene=original_gene, vaf=vaf, depth=depth,
                             protein=change.canonical, cdna=cdna)  # fmt: skip
    return NormalisedAlteration(
        gene,
        "mutation",
        core[0],
        ctx.sample,
        ctx.specimen,
        ctx.origin,
        core[1],
        cdna,
        core[2],
        core[3],
        core[4],
        core[5],
        core[6],
        core[7],
        core[8],
        vaf,
        depth,
        None,
        None,
        None,
        phase,
        ctx.collected,
        ctx.source,
        original_gene,
    )  # positional: this runs once per imported record


@lru_cache(maxsize=65536)
def _mutation_core(
    gene: str, protein: str, exon: int | None, intron: int | None, splice_site: bool
):  # noqa: ANN202
    """Everything about a mutation that depends only on gene and change (cached).

    Returns ``(label, protein, codon, exon, exon_change, variant_class,
    significance, loss_of_function, braf_class)`` or None for MET exon 14 skipping.
    """
    try:
        change = parse_protein_change(protein)
    except ProteinParseError as exc:
        raise NormalisationError(str(exc)) from None
    call = call_exon(gene, change, exon, intron, splice_site or change.kind == "splice")
    if call.skipping:
        return None
    vclass = variant_class_of(change)
    bclass = braf_class(change) if gene == "BRAF" else None
    significance = significance_of(gene, change, call.label_suffix)
    if bclass is not None and significance == "vus":
        significance = "oncogenic"  # listed BRAF class II/III alleles (Yao et al. 2017)
    if significance == "vus" and (gene, f"exon {call.exon} mutation") in hotspots()[0]:
        significance = "oncogenic"  # e.g. KIT exon 11 (CIViC "KIT Exon 11 Mutation")
    label = (
        f"{gene} {call.label_suffix}"
        if call.label_suffix
        else f"{gene} {change.canonical}"
    )
    return (label, change.canonical, change.start, call.exon, call.exon_change, vclass,
            significance, vclass in ("truncating", "splice"), bclass)  # fmt: skip


def gene_level_mutation(
    gene: str,
    variant_class: str,
    ctx: Context,
    *,
    vaf: float | None = None,
    depth: int | None = None,
    original_gene: str | None = None,
    cdna: str | None = None,
) -> NormalisedAlteration:
    """A mutation whose protein change the file does not give (only its class).

    Used for MAFs without an HGVSp column: the class comes from the annotation
    (``Variant_Classification``), the protein change is left empty, never guessed.
    """
    _check_fraction(vaf, "vaf")
    words = {
        "truncating": "truncating mutation",
        "splice": "splice-site mutation",
        "missense": "missense mutation",
        "inframe_deletion": "in-frame deletion",
        "inframe_insertion": "in-frame insertion",
    }
    return NormalisedAlteration(
        gene=gene, kind="mutation",
        label=f"{gene} {words.get(variant_class, 'mutation')} (protein change not given)",
        cdna=cdna, variant_class=variant_class, significance="unknown",
        loss_of_function=variant_class in ("truncating", "splice"),
        vaf=vaf, depth=depth, original_gene=original_gene, **_ctx(ctx),
    )  # fmt: skip


def copy_number(
    gene: str,
    kind: str,
    ctx: Context,
    *,
    copies: float | None = None,
    original_gene: str | None = None,
) -> NormalisedAlteration:
    """An amplification or a deep (homozygous) deletion."""
    if kind not in ("amplification", "deletion"):
        raise NormalisationError(
            f"copy-number kind must be amplification or deletion, got {kind!r}"
        )
    if copies is not None and (copies != copies or copies < 0):
        raise NormalisationError(f"copy number must be a number >= 0, got {copies!r}")
    return NormalisedAlteration(
        gene=gene, kind=kind, label=f"{gene} {kind}", copy_number=copies,
        loss_of_function=kind == "deletion", original_gene=original_gene, **_ctx(ctx),
    )  # fmt: skip


def split_fusion(text: str) -> tuple[str, str | None]:
    """Split ``EML4::ALK``, ``EML4-ALK``, ``EML4--ALK`` or ``ALK`` into (5', 3')."""
    t = text.strip()
    for word in (" fusion", " rearrangement"):
        if t.lower().endswith(word):
            t = t[: -len(word)].strip()
    for sep in ("::", "--"):
        if sep in t:
            parts = [p.strip() for p in t.split(sep)]
            break
    else:
        # a single "-" may belong to a symbol (NKX2-1, HLA-A): split only if the
        # whole text is not a known gene
        parts = [t] if normalise_gene(t)[1] is None else _FUSION_SPLIT.split(t)
    parts = [p for p in parts if p]
    if len(parts) == 1:
        return parts[0], None
    if len(parts) != 2:
        raise NormalisationError(
            f"{text!r} is not a fusion; expected e.g. EML4::ALK or ALK"
        )
    return parts[0], parts[1]


def fusion(
    gene: str,
    partner: str | None,
    ctx: Context,
    *,
    original_gene: str | None = None,
    five_prime: str | None = None,
) -> NormalisedAlteration:
    """A fusion of ``gene`` (the driver) with ``partner`` (may be unknown).

    The label is written 5'::3' (``EML4::ALK fusion``) using the orientation
    the file gave, or the driver's usual side from ``fusion_drivers.tsv``.
    """
    if partner:
        partner, _ = normalise_gene(partner)
        drivers = fusion_drivers()
        if five_prime is None and gene not in drivers and partner in drivers:
            # Typed under the partner (gene EML4, partner ALK): the driver is the gene.
            gene, partner = partner, gene
    label = f"{gene} fusion"
    if partner:
        if five_prime is not None:
            first, second = (five_prime, gene if five_prime == partner else partner)
        elif fusion_drivers().get(gene) == "5p":
            first, second = gene, partner
        else:
            first, second = partner, gene
        label = f"{first}::{second} fusion"
    return NormalisedAlteration(
        gene=gene, kind="fusion", label=label, partner=partner, original_gene=original_gene,
        **_ctx(ctx),
    )  # fmt: skip


def fusion_from_pair(
    left: str, right: str | None, ctx: Context
) -> tuple[NormalisedAlteration, list[ProfileFlag]]:
    """A fusion from a 5'/3' pair as written in a file; picks the driver gene."""
    g1, o1, f1 = resolve_gene(left)
    flags = [f for f in (f1,) if f]
    if right is None:
        return fusion(g1, None, ctx, original_gene=o1), flags
    g2, _, f2 = resolve_gene(right)
    flags += [f for f in (f2,) if f]
    drivers = fusion_drivers()
    if g2 in drivers and not (g1 in drivers and drivers[g1] == "5p"):
        return fusion(g2, g1, ctx, five_prime=g1), flags
    return fusion(g1, g2, ctx, original_gene=o1, five_prime=g1), flags


def exon_skipping(
    gene: str,
    exon: int,
    ctx: Context,
    *,
    original_gene: str | None = None,
    vaf: float | None = None,
    depth: int | None = None,
    protein: str | None = None,
    cdna: str | None = None,
) -> NormalisedAlteration:
    """Exon skipping such as ``MET exon 14 skipping``."""
    if not isinstance(exon, int) or exon < 1:
        raise NormalisationError(f"exon must be a whole number >= 1, got {exon!r}")
    return NormalisedAlteration(
        gene=gene, kind="exon_skipping", label=f"{gene} exon {exon} skipping", exon=exon,
        exon_change="skipping", variant_class="splice", significance="oncogenic"
        if (gene, exon) == ("MET", 14) else "unknown",
        protein=protein, cdna=cdna, vaf=vaf, depth=depth, original_gene=original_gene,
        **_ctx(ctx),
    )  # fmt: skip


def expression(
    gene: str, level: str, ctx: Context, *, original_gene: str | None = None
) -> NormalisedAlteration:
    """A protein / RNA expression biomarker (``CLDN18 expression positive``)."""
    level = level.strip()
    if not level:
        raise NormalisationError("level is empty; expected e.g. positive")
    return NormalisedAlteration(
        gene=gene, kind="expression", label=f"{gene} expression {level}", level=level,
        original_gene=original_gene, **_ctx(ctx),
    )  # fmt: skip


def with_source(alt: NormalisedAlteration, source: str) -> NormalisedAlteration:
    return replace(alt, source=source)


def _ctx(ctx: Context) -> dict[str, Any]:
    return ctx._asdict()


def _check_fraction(value: float | None, name: str) -> None:
    if value is not None and not (0.0 <= value <= 1.0):
        raise NormalisationError(
            f"{name} must be a fraction between 0 and 1, got {value!r}"
        )
