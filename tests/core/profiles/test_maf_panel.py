"""MAF and panel-table import, with the record counts of the real examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import import_variant_file, read_variant_file

SPEC = Path(__file__).resolve().parents[3].parent / "shared" / "spec" / "examples"

# (file under ../shared/data/examples, data rows, imported alterations, skipped by reason)
REAL_MAFS = [
    ("vcf2maf/test_b38_output.maf", 25, 20, {"Silent": 4, "Splice_Region": 1}),
    (
        "vcf2maf/test.maf",
        20,
        14,
        {"Intron": 1, "no gene": 1, "Splice_Region": 2, "5'Flank": 2},
    ),
    ("maftools/brca.maf.gz", 1913, 31, None),
    (
        "maftools/tcga_laml.maf.gz",
        2207,
        1732,
        {"Silent": 449, "Intron": 8, "RNA": 10, "IGR": 5, "5'Flank": 3},
    ),
]


@pytest.mark.parametrize(("name", "rows", "imported", "skipped"), REAL_MAFS)
def test_real_mafs_import_with_counts(
    examples: Path, name: str, rows: int, imported: int, skipped
) -> None:  # noqa: ANN001
    result = import_variant_file(examples / name, "maf")
    assert result.records == rows
    assert len(result.alterations) == imported
    assert sum(result.skipped.values()) == rows - imported
    if skipped is not None:
        assert result.skipped == skipped


def test_spec_panel_maf(examples: Path) -> None:
    alts = read_variant_file(SPEC / "luad-panel.maf", "maf")
    assert [(a.label, a.sample, a.depth, round(a.vaf, 3)) for a in alts] == [
        ("EGFR L858R", "T2", 640, 0.391),
        ("EGFR T790M", "T2", 655, 0.145),
        ("TP53 R175H", "T2", 520, 0.423),
    ]
    assert alts[0].source == "luad-panel.maf:line 2"


def test_maf_without_protein_column_keeps_class_never_guesses(examples: Path) -> None:
    alts = read_variant_file(examples / "vcf2maf" / "test.maf", "maf")
    apc = [a for a in alts if a.gene == "APC"]
    assert len(apc) == 4
    assert all(
        a.protein is None and a.variant_class == "truncating" and a.loss_of_function
        for a in apc
    )
    assert all(
        a.significance == "unknown" for a in alts
    )  # no protein change -> never a hotspot


def test_laml_maf_legacy_protein_notation_and_samples(examples: Path) -> None:
    alts = read_variant_file(examples / "maftools" / "tcga_laml.maf.gz", "maf")
    assert len({a.sample for a in alts}) == 192
    flt3 = {a.label for a in alts if a.gene == "FLT3"}
    assert "FLT3 D835Y" in flt3
    assert (
        "FLT3 D600delinsDSSDNEYFYVDFREYEYD" in flt3
    )  # Oncotator "p.600_600D>DSSD..." (an ITD)
    assert any(a.label == "IDH1 R132H" and a.significance == "hotspot" for a in alts)


def test_maf_tumor_sample_filter(examples: Path) -> None:
    alts = read_variant_file(
        examples / "maftools" / "tcga_laml.maf.gz", "maf", tumor_sample="TCGA-AB-2802"
    )
    assert alts and {a.sample for a in alts} == {"TCGA-AB-2802"}
    with pytest.raises(UserInputError, match="no rows for tumor sample"):
        read_variant_file(
            examples / "maftools" / "tcga_laml.maf.gz", "maf", tumor_sample="nobody"
        )


def test_unannotated_maf_is_refused_with_how_to_fix(examples: Path) -> None:
    path = (
        examples / "vcf2maf" / "minimalist_test_maf.tsv"
    )  # 645 rows: coordinates only
    with pytest.raises(UserInputError) as err:
        read_variant_file(path, "maf")
    assert "vcf2maf" in str(err.value) and "Hugo_Symbol" in str(err.value)


def test_maf_bad_counts_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.maf"
    path.write_text("Hugo_Symbol\tHGVSp_Short\tt_alt_count\tt_depth\n"
                    "EGFR\tp.L858R\t10\t100\nKRAS\tp.G12C\tten\t100\nTP53\tp.R175H\t200\t100\n")  # fmt: skip
    with pytest.raises(UserInputError) as err:
        read_variant_file(path, "maf")
    text = str(err.value)
    assert (
        "line 3: t_alt_count: expected a whole number" in text
        or "line 3: t_alt_count" in text
    )
    assert "line 4" in text and "larger than t_depth" in text


def test_panel_common_headers(test_data: Path) -> None:
    result = import_variant_file(test_data / "panel_common.csv", "csv", sample_id="T1")
    assert [a.label for a in result.alterations] == [
        "EGFR L858R",
        "ERBB2 amplification",
        "CDKN2A deletion",
        "EML4::ALK fusion",
        "ROS1 fusion",
        "MET exon 14 skipping",
        "CLDN18 expression positive",
        "TP53 R273H",
    ]
    erbb2 = result.alterations[1]
    assert (erbb2.original_gene, erbb2.copy_number) == ("HER2", 12.0)
    assert result.alterations[-1].vaf == pytest.approx(0.42)  # "42%"


def test_gene_level_copy_number_uses_calls_then_thresholds(test_data: Path) -> None:
    result = import_variant_file(test_data / "cnv_gene_level.tsv", "tsv")
    assert [a.label for a in result.alterations] == [
        "ERBB2 amplification",
        "MET amplification",
        "PTEN deletion",
    ]
    assert result.records == 5


def test_column_mapping_for_unknown_headers(test_data: Path) -> None:
    path = test_data / "panel_custom_headers.tsv"
    with pytest.raises(UserInputError, match="column mapping"):
        read_variant_file(path, "tsv")
    alts = read_variant_file(
        path,
        "tsv",
        column_map={"gene": "Gen", "protein": "AA-Aenderung", "vaf": "Allelfrequenz"},
    )
    assert [(a.label, a.vaf) for a in alts] == [
        ("KRAS G12C", 0.12),
        ("BRAF V600E", 0.3),
    ]


def test_panel_errors_are_all_reported_and_nothing_imported(test_data: Path) -> None:
    with pytest.raises(UserInputError) as err:
        read_variant_file(test_data / "panel_bad_rows.csv", "csv")
    text = str(err.value)
    assert "3 problems" in text
    assert (
        "line 3: protein:" in text
        and "line 4: vaf:" in text
        and "line 5: vaf: expected a number" in text
    )


def test_pcgr_fusions_and_segment_cna(examples: Path) -> None:
    fusions = read_variant_file(
        examples / "pcgr" / "T001-COAD.grch37.fusions.tsv", "tsv"
    )
    assert len(fusions) == 13
    assert fusions[0].label == "EML4::ALK fusion" and fusions[0].gene == "ALK"
    assert [a.label for a in fusions[-3:]] == [
        "ALK fusion",
        "FGFR2 fusion",
        "NTRK3 fusion",
    ]
    with pytest.raises(UserInputError, match="segments without gene symbols"):
        read_variant_file(examples / "pcgr" / "T001-BRCA.grch38.cna.tsv", "tsv")


def test_unknown_format_is_refused(test_data: Path) -> None:
    with pytest.raises(UserInputError, match="expected one of vcf, maf, csv, tsv"):
        read_variant_file(test_data / "panel_common.csv", "xlsx")


def test_biomarker_rows_in_panel_tables(test_data: Path) -> None:
    result = import_variant_file(test_data / "panel_with_biomarkers.tsv", "tsv")
    assert [a.label for a in result.alterations] == ["KRAS G12D"]
    assert result.biomarkers == {"tmb": 12.5, "msi": "MSI-H", "pdl1_tps": 60.0}


def test_bad_biomarker_value_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("gene,value\nMSI,sometimes\nTMB,-3\n")
    with pytest.raises(UserInputError) as err:
        read_variant_file(path, "csv")
    assert "line 2: value: msi must be one of" in str(err.value)
    assert "line 3: value: tmb must be between 0" in str(err.value)
