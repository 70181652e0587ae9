"""Turn a CIViC molecular profile (``EGFR L858R AND EGFR T790M``) into biomarkers.

A profile is a boolean expression over variants.  ``OR`` gives alternatives
(one KB entry each), ``AND`` gives a primary biomarker plus ``also_requires``.
Profiles with ``NOT`` or variants we cannot express (expression loss, wild
type, methylation, rsIDs ...) return None and are counted as unparsed.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from oncoboard.core.kb.schema import Biomarker

# Genes that are the actionable kinase/driver when they appear in a fusion;
# otherwise the 3' partner is taken, which is the usual CIViC convention.
FUSION_DRIVERS = frozenset(
    {
        "ALK", "ROS1", "RET", "NTRK1", "NTRK2", "NTRK3", "ABL1", "BRAF", "RAF1",
        "FGFR1", "FGFR2", "FGFR3", "NRG1", "MET", "EGFR", "PDGFRA", "PDGFRB",
        "JAK2", "RARA", "CSF1R", "ERBB2", "ERBB4",
    }
)  # fmt: skip

_PROTEIN = re.compile(
    r"^[A-Z*]\d+(_[A-Z]\d+)?(?:[A-Z*]|del|ins[A-Z]+|dup[A-Z]*|delins[A-Z]+|fs\*?\d*|"
    r"del[A-Z]+|fs)$",
    re.IGNORECASE,
)
_CODON = re.compile(r"^[A-Z](\d+)$")
_EXON = re.compile(
    r"^exon (\d+) (deletion|insertion|mutation|missense|skipping mutation|skipping)$",
    re.IGNORECASE,
)
_FUSION = re.compile(
    r"^([A-Za-z0-9-]+|v|\?)::([A-Za-z0-9-]+|v|\?)(?: fusion| .*)?$", re.IGNORECASE
)

_KIND_WORDS = {
    "amplification": ("amplification", None),
    "copy number gain": ("amplification", None),
    "deletion": ("deletion", None),
    "loss": ("deletion", None),
    "homozygous deletion": ("deletion", None),
    "loss-of-function": ("loss_of_function", None),
    "loss of function": ("loss_of_function", None),
    "truncating mutation": ("loss_of_function", None),
    "frameshift": ("loss_of_function", None),
    "mutation": ("oncogenic", None),
    "oncogenic mutation": ("oncogenic", None),
    "activating mutation": ("oncogenic", None),
    "overexpression": ("expression", "high"),
    "expression": ("expression", "positive"),
    "high": ("expression", "high"),
    "positive": ("expression", "positive"),
}


def parse_profile(profile: str) -> list[list[Biomarker]] | None:
    """Parse a molecular profile into alternatives of biomarker conjunctions.

    Parameters
    ----------
    profile
        CIViC ``molecular_profile`` text.

    Returns
    -------
    list[list[Biomarker]] | None
        ``[[a, b], [c]]`` means (a AND b) OR c; None if any part is unsupported.

    Examples
    --------
    >>> [[b.variant for b in alt] for alt in parse_profile("EGFR L858R OR EGFR T790M")]
    [['L858R'], ['T790M']]
    """
    text = " ".join(profile.split())
    if not text or " NOT " in f" {text} ":
        return None
    alternatives: list[list[Biomarker]] = []
    for alt in text.split(" OR "):
        parts = [_component(p) for p in alt.split(" AND ")]
        if any(p is None for p in parts):
            return None
        for group in _expand(parts):  # type: ignore[arg-type]
            alternatives.append(group)
    return alternatives or None


def _expand(parts: list[list[Biomarker]]) -> list[list[Biomarker]]:
    # A component such as "KRAS G12/G13" is itself an OR of two codons.
    groups: list[list[Biomarker]] = [[]]
    for options in parts:
        groups = [g + [o] for g in groups for o in options]
    return groups


def _component(text: str) -> list[Biomarker] | None:
    fusion = _FUSION.match(text)
    if fusion:
        return _fusion(fusion.group(1), fusion.group(2))
    gene, _, variant = text.partition(" ")
    if not variant or not re.match(r"^[A-Z0-9][A-Za-z0-9-]*$", gene):
        return None
    try:
        return _variant(gene, variant.strip())
    except ValidationError:
        return None


def _fusion(five: str, three: str) -> list[Biomarker] | None:
    # CIViC writes an unknown partner as "v" (and occasionally "?").
    five = "v" if five == "?" else five
    three = "v" if three == "?" else three
    if five == "v" and three == "v":
        return None
    if (
        five == "v"
        or (three != "v" and three in FUSION_DRIVERS)
        or (three != "v" and five not in FUSION_DRIVERS)
    ):
        gene, partner = three, (None if five == "v" else five)
    else:
        gene, partner = five, (None if three == "v" else three)
    return [Biomarker(gene=gene, kind="fusion", partner=partner)]


def _variant(gene: str, variant: str) -> list[Biomarker] | None:
    low = variant.lower()
    if low in _KIND_WORDS:
        kind, level = _KIND_WORDS[low]
        return [Biomarker(gene=gene, kind=kind, level=level)]  # type: ignore[arg-type]
    exon = _EXON.match(variant)
    if exon:
        return [_exon(gene, int(exon.group(1)), exon.group(2).lower())]
    if "/" in variant:
        codons = [_CODON.match(v.strip()) for v in variant.split("/")]
        if all(codons):
            return [
                Biomarker(gene=gene, kind="codon", codon=int(m.group(1)))
                for m in codons
                if m
            ]
        return None
    if variant.upper() == "ITD":
        return [Biomarker(gene=gene, kind="variant", variant="ITD")]
    codon = _CODON.match(variant)
    if codon:
        return [Biomarker(gene=gene, kind="codon", codon=int(codon.group(1)))]
    if _PROTEIN.match(variant):
        return [
            Biomarker(gene=gene, kind="variant", variant=_canonical_protein(variant))
        ]
    return None


def _exon(gene: str, number: int, change: str) -> Biomarker:
    if change.startswith("skipping"):
        return Biomarker(gene=gene, kind="exon_skipping", exon=number)
    exon_change = {
        "deletion": "deletion",
        "insertion": "insertion",
        "missense": "missense",
    }
    return Biomarker(
        gene=gene,
        kind="exon",
        exon=number,
        exon_change=exon_change.get(change, "any"),  # type: ignore[arg-type]
    )


def _canonical_protein(variant: str) -> str:
    # One-letter amino acids upper case, keywords (del, ins, dup, fs) lower case.
    out = re.sub(r"(?i)(delins|del|ins|dup|fs)", lambda m: m.group(1).lower(), variant)
    return re.sub(r"^([a-z])", lambda m: m.group(1).upper(), out)
