"""Every diplotype in CPIC's phenotype tables gives the listed phenotype, and the
recommendation CPIC keys on it (issue 23).  Tables: ../shared/data/pgx."""

from __future__ import annotations

import pytest

from oncoboard.core.case.model import PharmacogenomicResult
from oncoboard.core.kb import runtime_reference
from oncoboard.core.pgx import INDETERMINATE, advice_for, call_gene
from oncoboard.core.pgx.tables import SHARED_FILES, cpic_guideline, phenotype_table

# gene -> drugs whose CPIC recommendations are keyed on that gene alone
SINGLE_GENE_DRUGS = {"DPYD": ("fluorouracil", "capecitabine"), "CYP2D6": ("tamoxifen",)}
THIOPURINES = ("mercaptopurine", "thioguanine", "azathioprine")


def _cpic_text(drug: str, keys: dict[str, str]) -> tuple[str, str]:
    found = [
        r for r in cpic_guideline(drug)["recommendations"] if r["lookupkey"] == keys
    ]
    assert len(found) == 1, (drug, keys)
    return found[0]["drugrecommendation"], found[0]["classification"]


@pytest.mark.parametrize("gene", ["DPYD", "UGT1A1", "CYP2D6", "TPMT", "NUDT15"])
def test_every_diplotype_gives_the_listed_phenotype(gene: str) -> None:
    rows = phenotype_table(gene)["diplotypes"]
    assert rows
    for row in rows:
        call = call_gene(PharmacogenomicResult(gene=gene, diplotype=row["diplotype"]))
        assert call.phenotype == row["phenotype"], row["diplotype"]
        if row["phenotype"] != INDETERMINATE:
            assert call.lookup_keys == (row["lookupkey"],), row["diplotype"]
            assert call.determinate


@pytest.mark.parametrize("gene", sorted(SINGLE_GENE_DRUGS))
def test_every_diplotype_gives_cpics_recommendation(gene: str) -> None:
    for row in phenotype_table(gene)["diplotypes"]:
        call = call_gene(PharmacogenomicResult(gene=gene, diplotype=row["diplotype"]))
        for drug in SINGLE_GENE_DRUGS[gene]:
            advice = advice_for(drug, {gene: call})
            assert advice is not None
            if row["phenotype"] == INDETERMINATE:
                assert not advice.determinate and advice.actionable
                continue
            text, strength = _cpic_text(drug, {gene: row["lookupkey"]})
            assert (advice.recommendation, advice.strength) == (text, strength), row[
                "diplotype"
            ]
            assert (
                advice.citation
                == {"DPYD": "PMID:29152729", "CYP2D6": "PMID:29385237"}[gene]
            )


@pytest.mark.parametrize("gene", ["TPMT", "NUDT15"])
def test_thiopurines_with_one_gene_tested_use_cpics_no_result_key(gene: str) -> None:
    other = {"TPMT": "NUDT15", "NUDT15": "TPMT"}[gene]
    for row in phenotype_table(gene)["diplotypes"]:
        call = call_gene(PharmacogenomicResult(gene=gene, diplotype=row["diplotype"]))
        for drug in THIOPURINES:
            advice = advice_for(drug, {gene: call})
            assert advice is not None
            text, strength = _cpic_text(
                drug, {gene: row["lookupkey"], other: "No Result"}
            )
            assert (advice.recommendation, advice.strength, advice.citation) == (
                text,
                strength,
                "PMID:30447069",
            ), row["diplotype"]


def test_both_thiopurine_genes_key_the_recommendation_together() -> None:
    calls = {
        g: call_gene(PharmacogenomicResult(gene=g, diplotype=d))
        for g, d in (("TPMT", "*1/*3A"), ("NUDT15", "*1/*3"))
    }
    advice = advice_for("mercaptopurine", calls)
    assert advice is not None and advice.gene == "TPMT, NUDT15"
    text, _ = _cpic_text(
        "mercaptopurine",
        {"TPMT": "Intermediate Metabolizer", "NUDT15": "Intermediate Metabolizer"},
    )
    assert advice.recommendation == text


def test_ugt1a1_irinotecan_follows_dpwg_for_every_diplotype() -> None:
    expected = {
        "Poor Metabolizer": "Start at 70%",
        "Intermediate Metabolizer": "No action",
        "Normal Metabolizer": "No change",
    }
    for row in phenotype_table("UGT1A1")["diplotypes"]:
        call = call_gene(
            PharmacogenomicResult(gene="UGT1A1", diplotype=row["diplotype"])
        )
        advice = advice_for("irinotecan", {"UGT1A1": call})
        assert advice is not None and advice.citation == "PMID:36443464"
        if row["phenotype"] == INDETERMINATE:
            assert not advice.determinate
        else:
            assert advice.recommendation.startswith(expected[row["phenotype"]]), row[
                "diplotype"
            ]
            assert advice.actionable == (row["phenotype"] == "Poor Metabolizer")


@pytest.mark.parametrize(
    ("gene", "diplotype"),
    [
        (
            "TPMT",
            "*1/*42",
        ),  # defined allele without a function row (shared/data/pgx README)
        ("NUDT15", "*1/*12"),
        ("CYP2D6", "*1/*150"),
        ("DPYD", "*1/c.9999A>T"),  # no such allele
        ("UGT1A1", "*1"),  # not a diplotype
    ],
)
def test_what_cannot_be_placed_is_indeterminate_never_normal(
    gene: str, diplotype: str
) -> None:
    call = call_gene(PharmacogenomicResult(gene=gene, diplotype=diplotype))
    assert call.phenotype == INDETERMINATE and not call.determinate and call.note


def test_activity_scores_and_phenotypes_as_reported() -> None:
    dpyd = call_gene(PharmacogenomicResult(gene="DPYD", activity_score=1.5))
    assert (dpyd.phenotype, dpyd.lookup_keys) == ("Intermediate Metabolizer", ("1.5",))
    assert (
        call_gene(PharmacogenomicResult(gene="DPYD", activity_score=1.2)).phenotype
        == INDETERMINATE
    )
    assert (
        call_gene(PharmacogenomicResult(gene="UGT1A1", activity_score=1.0)).phenotype
        == INDETERMINATE
    )
    cyp = call_gene(PharmacogenomicResult(gene="CYP2D6", phenotype="poor metaboliser"))
    assert cyp.phenotype == "Poor Metabolizer"
    # DPYD IM is AS 1.0 (Strong) or 1.5 (Moderate): the phenotype alone cannot say which
    im = advice_for(
        "fluorouracil",
        {
            "DPYD": call_gene(
                PharmacogenomicResult(gene="DPYD", phenotype="Intermediate Metabolizer")
            )
        },
    )
    assert (
        im is not None and not im.determinate and "activity score" in im.recommendation
    )


def test_lab_phenotype_disagreeing_with_cpic_is_said() -> None:
    call = call_gene(
        PharmacogenomicResult(
            gene="DPYD", diplotype="*1/*2A", phenotype="Normal Metabolizer"
        )
    )
    assert (
        call.phenotype == "Intermediate Metabolizer"
        and "laboratory reported" in call.note
    )


def test_hapb3_from_c1236_alone_is_reported_as_inferred() -> None:
    call = call_gene(PharmacogenomicResult(gene="DPYD", diplotype="*1/c.1236G>A"))
    assert call.activity_score == "1.5" and "inferred" in call.note


def test_variants_outside_dpyd_are_refused_with_a_reason() -> None:
    call = call_gene(
        PharmacogenomicResult(
            gene="CYP2D6", variants=[{"hgvs": "c.506-1G>A", "zygosity": "homozygous"}]
        )
    )
    assert call.phenotype == INDETERMINATE and "diplotype" in call.note


def test_the_cpic_tables_are_staged_for_the_bundle() -> None:
    assert set(SHARED_FILES) <= set(runtime_reference.SHARED_FILES)
