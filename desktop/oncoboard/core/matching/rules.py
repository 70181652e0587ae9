"""Does a KB biomarker apply to this case?  One function per biomarker kind.

Specificity (higher is more specific) orders the evidence: exact variant >
codon > exon > gene-level oncogenic / loss-of-function > gene.  Gene-level
evidence never applies to a variant of unknown significance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from oncoboard.core.kb.schema import Biomarker, CoRequirement
from oncoboard.core.matching.facts import CaseFacts
from oncoboard.core.profiles.model import NormalisedAlteration

SPECIFICITY = {
    "variant": 5,
    "codon": 4,
    "exon": 3,
    "exon_skipping": 3,
    "braf_class": 3,
    "fusion": 3,
    "amplification": 2,
    "deletion": 2,
    "expression": 2,
    "oncogenic": 2,
    "loss_of_function": 2,
    "status": 2,
}
SPECIFICITY_NAMES = {
    5: "exact variant",
    4: "codon",
    3: "exon / structural",
    2: "gene level or status",
}


@dataclass(frozen=True)
class BiomarkerHit:
    label: str  # the alteration label or status name that matched
    specificity: int
    why: str
    # Not None when the status only holds if a test confirms it (what to test).
    unestablished: str | None = None


def _origin_ok(b: Biomarker, alt: NormalisedAlteration) -> bool:
    if b.origin == "any":
        return True
    if b.origin == "germline":
        return alt.origin == "germline"
    return alt.origin != "germline"


def _protein_key(text: str | None) -> str:
    return (text or "").upper().removeprefix("P.")


def _variant(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
    if alt.kind == "mutation" and _protein_key(alt.protein) == _protein_key(b.variant):
        return f"exact variant {b.variant}"
    return None


def _codon(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
    if (
        alt.kind == "mutation"
        and alt.codon == b.codon
        and alt.variant_class in ("missense", None)
    ):
        return f"missense change at codon {b.codon}"
    return None


_EXON_CHANGE_ALIASES = {
    "insertion": {"insertion", "duplication", "inframe_insertion", "delins_insertion"},
    "deletion": {"deletion", "delins", "inframe_deletion"},
    "missense": {"missense"},
}


def _exon(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
    if alt.kind != "mutation" or alt.exon != b.exon:
        return None
    wanted = b.exon_change or "any"
    if wanted == "any":
        if alt.significance == "vus" and not alt.loss_of_function:
            return None
        return f"exon {b.exon} alteration"
    if (alt.exon_change or "") in _EXON_CHANGE_ALIASES.get(wanted, {wanted}):
        return f"exon {b.exon} {wanted}"
    return None


def _exon_skipping(
    b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts
) -> str | None:
    if alt.kind == "exon_skipping" and alt.exon == b.exon:
        return f"exon {b.exon} skipping"
    return None


def _oncogenic(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
    if facts.is_pathogenic_mutation(alt):
        return f"oncogenic {b.gene} mutation ({alt.significance})"
    return None


def _loss_of_function(
    b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts
) -> str | None:
    if alt.kind == "deletion":
        return f"{b.gene} homozygous deletion (loss of function)"
    if alt.kind == "mutation" and alt.loss_of_function:
        return (
            f"{b.gene} loss-of-function variant ({alt.variant_class or 'truncating'})"
        )
    if (
        alt.kind == "mutation"
        and alt.origin == "germline"
        and alt.significance in ("oncogenic", "hotspot")
    ):
        return f"pathogenic germline {b.gene} variant"
    return None


def _kind_equals(
    kind: str,
) -> Callable[[Biomarker, NormalisedAlteration, CaseFacts], str | None]:
    def check(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
        return f"{b.gene} {kind}" if alt.kind == kind else None

    return check


def _fusion(b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts) -> str | None:
    if alt.kind != "fusion":
        return None
    if b.partner:
        partners = {(alt.partner or "").upper(), alt.gene.upper()}
        if b.partner.upper() not in partners:
            return None
        return f"{b.partner}::{b.gene} fusion"
    return f"{b.gene} fusion (any partner)"


def _expression(
    b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts
) -> str | None:
    if alt.kind != "expression" or not alt.level or not b.level:
        return None
    wanted = b.level.lower().split()[0]
    if alt.level.lower().startswith(wanted):
        return f"{b.gene} expression {alt.level}"
    return None


def _braf_class(
    b: Biomarker, alt: NormalisedAlteration, facts: CaseFacts
) -> str | None:
    if alt.kind == "mutation" and alt.braf_class == b.braf_class:
        return f"BRAF class {b.braf_class} mutation"
    return None


ALTERATION_RULES: dict[
    str, Callable[[Biomarker, NormalisedAlteration, CaseFacts], str | None]
] = {
    "variant": _variant,
    "codon": _codon,
    "exon": _exon,
    "exon_skipping": _exon_skipping,
    "oncogenic": _oncogenic,
    "loss_of_function": _loss_of_function,
    "amplification": _kind_equals("amplification"),
    "deletion": _kind_equals("deletion"),
    "fusion": _fusion,
    "expression": _expression,
    "braf_class": _braf_class,
}


def _gene_matches(b: Biomarker, alt: NormalisedAlteration) -> bool:
    if alt.gene == b.gene:
        return True
    # A fusion may be recorded under either partner (e.g. CD74::NRG1 typed as gene CD74).
    return b.kind == "fusion" and (alt.partner or "").upper() == (b.gene or "").upper()


def match_biomarker(b: Biomarker, facts: CaseFacts) -> list[BiomarkerHit]:
    """Every alteration or status of the case that satisfies biomarker ``b``."""
    specificity = SPECIFICITY[b.kind]
    if b.kind == "status":
        why = facts.statuses.get(b.status or "")
        if why:
            return [BiomarkerHit(b.status or "", specificity, why)]
        missing = facts.unestablished.get(b.status or "")
        if missing:
            return [
                BiomarkerHit(
                    b.status or "",
                    specificity,
                    "not established",
                    unestablished=missing,
                )
            ]
        return []
    rule = ALTERATION_RULES[b.kind]
    hits: dict[
        str, BiomarkerHit
    ] = {}  # one per label, even if several samples carry it
    for alt in facts.alterations_of(b.gene):  # indexed by gene: large panels stay fast
        if alt.label in hits or not _gene_matches(b, alt) or not _origin_ok(b, alt):
            continue
        why = rule(b, alt, facts)
        if why:
            hits[alt.label] = BiomarkerHit(alt.label, specificity, why)
    return list(hits.values())


CoRequirementState = Literal["met", "unmet", "unknown"]


def co_requirement_met(
    req: CoRequirement, facts: CaseFacts
) -> tuple[CoRequirementState, str]:
    """``unknown`` when a wild-type requirement was not covered by any recorded test:
    the absence of a variant is no evidence unless the assay looked for it."""
    if req.state == "wild_type":
        altered = facts.gene_altered(req.gene)
        if altered:
            return (
                "unmet",
                f"requires {req.gene} wild-type, but {altered[0].label} is present",
            )
        uncertain = facts.gene_uncertain(req.gene)
        if uncertain:
            return (
                "unknown",
                f"{req.gene} status not established: {uncertain[0].label} is a variant of "
                f"uncertain significance; review it before relying on {req.gene} wild-type",
            )
        scope = facts.wild_type_scope(req.gene)
        if scope:
            return "met", f"{req.gene} wild-type ({scope})"
        exons = " exons 2\u20134" if req.gene in ("KRAS", "NRAS") else ""
        return "unknown", f"{req.gene} status not established: test {req.gene}{exons}"
    mutated = facts.gene_mutated(req.gene)
    if mutated:
        return "met", f"{req.gene} mutated ({mutated[0].label})"
    return "unmet", f"requires a {req.gene} mutation"
