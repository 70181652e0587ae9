"""Variant file -> case alterations: one tumor sample, rows without a protein change skipped."""

from __future__ import annotations

from pathlib import Path

from oncoboard.core.case import parse_case
from oncoboard.core.profiles import case_alterations, import_variant_file, tumor_samples


def test_rows_without_a_protein_change_are_skipped_counted_and_listed(
    examples: Path,
) -> None:
    path = examples / "maftools" / "brca.maf.gz"
    [sample, *_] = tumor_samples(path, "maf").names
    result = import_variant_file(path, "maf", sample_id="T1", tumor_sample=sample)
    gene_level = [
        a for a in result.alterations if a.kind == "mutation" and not a.protein
    ]
    assert gene_level, "brca.maf.gz has rows without a protein change"
    out = case_alterations(result)
    assert len(out.skipped) == len(gene_level)
    assert len(out.alterations) + len(out.skipped) == len(result.alterations)
    first = out.skipped[0]
    assert first.reason == "protein change not given"
    assert "brca.maf.gz:line " in first.source and "(protein change" not in first.label
    # what is kept is valid case data (the analysis accepts it)
    parse_case(
        {
            "schema": "oncoboard.case/1",
            "case_id": "X",
            "tumor": {"oncotree_code": "BRCA"},
            "samples": [
                {"id": "T1", "specimen": "tissue", "alterations": list(out.alterations)}
            ],
        }
    )


def test_a_multi_sample_maf_lists_its_tumor_samples(examples: Path) -> None:
    found = tumor_samples(examples / "maftools" / "tcga_laml.maf.gz", "maf")
    assert len(found.names) > 100 and found.must_choose
    assert "TCGA-AB-2802" in found.names and found.marked is None


def test_a_vcf_names_its_marked_tumor_column(test_data: Path) -> None:
    unmarked = tumor_samples(test_data / "two_samples_unmarked.vcf", "vcf")
    assert len(unmarked.names) == 2 and unmarked.must_choose
    mutect = tumor_samples(test_data / "mutect2_snpeff.vcf", "vcf")
    assert mutect.marked in mutect.names and not mutect.must_choose


def test_a_panel_table_has_no_sample_to_choose(test_data: Path) -> None:
    assert tumor_samples(test_data / "panel_common.csv", "csv").names == ()
