"""Exon-level labels, variant classes and significance the matcher relies on."""

from __future__ import annotations

import pytest

from oncoboard.core.profiles.normalise import (
    Context,
    fusion_from_pair,
    mutation,
    split_fusion,
)

CTX = Context(sample="T1", specimen="tissue")


@pytest.mark.parametrize(
    ("gene", "protein", "label", "exon", "exon_change"),
    [
        ("EGFR", "p.E746_A750del", "EGFR exon 19 deletion", 19, "deletion"),
        ("EGFR", "L747_P753delinsS", "EGFR exon 19 deletion", 19, "deletion"),
        ("EGFR", "E746_S752delinsV", "EGFR exon 19 deletion", 19, "deletion"),
        ("EGFR", "A767_V769dup", "EGFR exon 20 insertion", 20, "insertion"),
        ("EGFR", "D770_N771insSVD", "EGFR exon 20 insertion", 20, "insertion"),
        (
            "EGFR",
            "T790M",
            "EGFR T790M",
            20,
            "missense",
        ),  # a substitution, not an insertion
        ("EGFR", "S768I", "EGFR S768I", 20, "missense"),
        ("EGFR", "L858R", "EGFR L858R", 21, "missense"),
        ("EGFR", "G719S", "EGFR G719S", 18, "missense"),
    ],
)
def test_egfr_exon_rules_from_lrg_codon_ranges(
    gene, protein, label, exon, exon_change
) -> None:  # noqa: ANN001
    alt = mutation(gene, protein, CTX)
    assert (alt.label, alt.exon, alt.exon_change) == (label, exon, exon_change)
    assert alt.kind == "mutation" and alt.gene == gene


def test_erbb2_exon20_needs_annotated_exon() -> None:
    # no verified ERBB2 codon table: without an annotated exon the exon stays unknown
    assert mutation("ERBB2", "Y772_A775dup", CTX).label == "ERBB2 Y772_A775dup"
    assert (
        mutation("ERBB2", "Y772_A775dup", CTX, exon=20).label
        == "ERBB2 exon 20 insertion"
    )


def test_met_splice_site_in_exon14_region_is_exon_skipping() -> None:
    alt = mutation("MET", "X1010_splice", CTX, intron=14, splice_site=True)
    assert (alt.kind, alt.label, alt.exon) == (
        "exon_skipping",
        "MET exon 14 skipping",
        14,
    )


def test_kit_exon_carried_for_exon_level_evidence() -> None:
    alt = mutation("KIT", "W557_K558del", CTX, exon=11)
    assert (alt.exon, alt.exon_change) == (11, "deletion")


def test_kit_exon_from_published_codon_span_only() -> None:
    # typed without annotation: codons 557-558 lie in the published exon-11 span
    assert mutation("KIT", "W557_K558del", CTX).exon == 11
    # codon 816 is outside every span held: the exon stays unknown, never guessed
    assert mutation("KIT", "D816V", CTX).exon is None


@pytest.mark.parametrize(
    ("protein", "braf_class"),
    [
        ("V600E", 1),
        ("V600K", 1),
        ("K601E", 2),
        ("G469A", 2),
        ("D594G", 3),
        ("G466V", 3),
        ("T440P", None),
    ],
)
def test_braf_classes(protein: str, braf_class: int | None) -> None:
    assert mutation("BRAF", protein, CTX).braf_class == braf_class


@pytest.mark.parametrize(
    ("gene", "protein", "variant_class", "significance", "lof"),
    [
        ("KRAS", "G12C", "missense", "hotspot", False),
        (
            "KRAS",
            "G12R",
            "missense",
            "hotspot",
            False,
        ),  # any missense at a hotspot codon
        ("EGFR", "T790M", "missense", "oncogenic", False),
        ("TP53", "P72R", "missense", "vus", False),
        ("APC", "R1450*", "truncating", "unknown", True),
        ("TP53", "R248Gfs*17", "truncating", "unknown", True),
        ("TP53", "S33=", "synonymous", "unknown", False),
        (
            "KIT",
            "W557_K558del",
            "inframe_deletion",
            "oncogenic",
            False,
        ),  # exon 11 (CIViC)
        ("KIT", "M541L", "missense", "vus", False),  # outside the known exon-11 span
    ],
)
def test_variant_class_and_significance(
    gene, protein, variant_class, significance, lof
) -> None:  # noqa: ANN001
    alt = mutation(gene, protein, CTX)
    assert (alt.variant_class, alt.significance, alt.loss_of_function) == (
        variant_class,
        significance,
        lof,
    )


def test_context_is_copied_onto_the_alteration() -> None:
    alt = mutation(
        "EGFR",
        "L858R",
        Context("T9", "plasma", None, "somatic", "x.maf:line 3"),
        vaf=0.2,
        depth=100,
    )
    assert (alt.sample, alt.specimen, alt.origin, alt.source, alt.vaf, alt.depth) == (
        "T9",
        "plasma",
        "somatic",
        "x.maf:line 3",
        0.2,
        100,
    )
    assert (alt.protein, alt.codon, alt.copy_number, alt.partner) == (
        "L858R",
        858,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("text", "label", "gene", "partner"),
    [
        ("EML4::ALK", "EML4::ALK fusion", "ALK", "EML4"),
        ("EML4-ALK", "EML4::ALK fusion", "ALK", "EML4"),
        ("EML4--ALK", "EML4::ALK fusion", "ALK", "EML4"),
        ("ALK", "ALK fusion", "ALK", None),
        ("ALK fusion", "ALK fusion", "ALK", None),
        ("FGFR3--TACC3", "FGFR3::TACC3 fusion", "FGFR3", "TACC3"),
        ("KIF5B::RET", "KIF5B::RET fusion", "RET", "KIF5B"),
    ],
)
def test_fusion_spellings(
    text: str, label: str, gene: str, partner: str | None
) -> None:
    left, right = split_fusion(text)
    alt, flags = fusion_from_pair(left, right, CTX)
    assert (alt.label, alt.gene, alt.partner, flags) == (label, gene, partner, [])


def test_gene_with_hyphen_is_not_split_as_a_fusion() -> None:
    assert split_fusion("NKX2-1") == ("NKX2-1", None)
