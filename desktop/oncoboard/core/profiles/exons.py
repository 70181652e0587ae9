"""Exon-level rules where the exon, not the exact change, decides therapy.

* EGFR exons 18-21 (codon ranges from LRG_304 / NM_005228.3 in
  ``../shared/data/reference/egfr``): any in-frame exon 19 deletion or
  net-deleting delins is ``EGFR exon 19 deletion``; exon 20 insertions,
  duplications and net-inserting delins are ``EGFR exon 20 insertion``
  (substitutions such as T790M or S768I are not).
* ERBB2 exon 20 insertions, KIT exons 9/11/13/17 and MET exon 14 use the exon
  number given by the annotation (VEP ``EXON``/``INTRON``, MAF
  ``Exon_Number``).  We hold no verified exon table for them; for changes typed
  without annotation, only codon spans that published work places inside an
  exon (``knowledgebase/reference/exon_codon_spans.tsv``, e.g. KIT 550-581 in
  exon 11) are used.
* MET exon 14 skipping: a splice-site variant annotated in exon 14 or in the
  introns on either side of it (13 or 14).
* BRAF class I/II/III from ``knowledgebase/reference/braf_classes.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass

from oncoboard.core.profiles.protein import ProteinChange
from oncoboard.core.profiles.reference import braf_classes, egfr_exons, exon_codon_spans

EXON_LEVEL_GENES = {
    "EGFR": (18, 19, 20, 21),
    "ERBB2": (20,),
    "KIT": (9, 11, 13, 17),
    "MET": (14,),
}


@dataclass(frozen=True)
class ExonCall:
    exon: int | None
    exon_change: str | None
    label_suffix: str | None = (
        None  # e.g. "exon 19 deletion" replaces the protein in the label
    )
    skipping: bool = False


def egfr_exon_of_codon(codon: int) -> int | None:
    """EGFR exon containing ``codon`` (NM_005228.3); the first exon for split codons."""
    for exon, first, last in egfr_exons():
        if first <= codon <= last:
            return exon
    return None


def exon_from_spans(gene: str, first: int, last: int) -> int | None:
    """Exon of a change lying wholly inside a published codon span (exon_codon_spans.tsv)."""
    for exon, lo, hi in exon_codon_spans().get(gene, ()):
        if lo <= first and last <= hi:
            return exon
    return None


def exon_change_of(change: ProteinChange) -> str | None:
    """The exon-level change class: ``deletion``, ``insertion`` or ``missense``."""
    if change.kind == "missense":
        return "missense"
    if change.kind in ("deletion", "insertion", "duplication", "delins"):
        delta = change.length_change
        if delta < 0:
            return "deletion"
        if delta > 0:
            return "insertion"
    return None


def call_exon(
    gene: str,
    change: ProteinChange | None,
    annotated_exon: int | None = None,
    annotated_intron: int | None = None,
    splice_site: bool = False,
) -> ExonCall:
    """Decide the exon and any exon-level label for one variant.

    Parameters
    ----------
    gene
        HGNC symbol.
    change
        The parsed protein change, if the variant has one.
    annotated_exon, annotated_intron
        Exon / intron number from the annotation (VEP, MAF), if given.
    splice_site
        True when the annotation calls a splice donor/acceptor (or splice
        region) consequence.
    """
    exon = annotated_exon
    if exon is None and change is not None:
        if gene == "EGFR":
            exon = egfr_exon_of_codon(change.start)
        else:
            exon = exon_from_spans(gene, change.start, change.end)
    if gene == "MET" and (
        splice_site or (change is not None and change.kind == "splice")
    ):
        if exon == 14 or annotated_intron in (13, 14):
            return ExonCall(14, None, "exon 14 skipping", skipping=True)
    if change is None:
        return ExonCall(exon, None)
    kind = exon_change_of(change)
    suffix = None
    if gene == "EGFR" and exon == 19 and kind == "deletion":
        suffix = "exon 19 deletion"
    elif gene in ("EGFR", "ERBB2") and exon == 20 and kind == "insertion":
        suffix = "exon 20 insertion"
    return ExonCall(exon, kind, suffix)


def braf_class(change: ProteinChange | None) -> int | None:
    """BRAF functional class (1, 2 or 3) of a BRAF protein change, if listed."""
    if change is None:
        return None
    exact, codons = braf_classes()
    if change.canonical in exact:
        return exact[change.canonical]
    if change.kind == "missense" and change.start in codons:
        return codons[change.start]
    return None
