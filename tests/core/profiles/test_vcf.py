"""VCF import: annotated VCFs import, unannotated ones are refused with a fix."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import import_variant_file, read_variant_file

# Real example VCFs (../shared/data/examples) and their record counts (grep -vc '^#').
UNANNOTATED = [
    ("vcf2maf/test_b38.vcf", 25),
    ("vcf2maf/test_grch38.vcf", 20),
    ("vcf2maf/test_muse.vcf", 434),
    ("vcf2maf/test_mutect.vcf", 500),
    ("pcgr/T001-BRCA.grch37.vcf.gz", 196),
    ("pcgr/T001-BRCA.grch38.vcf.gz", 196),
    ("pcgr/T001-COAD.grch37.vcf.gz", 3317),
    ("pcgr/T001-COAD.grch38.vcf.gz", 3313),
]


def _count_records(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return sum(1 for line in handle if line.strip() and not line.startswith("#"))


@pytest.mark.parametrize(("name", "records"), UNANNOTATED)
def test_real_unannotated_vcfs_are_refused_with_how_to_fix(
    examples: Path, name: str, records: int
) -> None:
    path = examples / name
    assert _count_records(path) == records  # the example is the one we think it is
    with pytest.raises(UserInputError) as err:
        read_variant_file(path, "vcf")
    text = str(err.value)
    assert str(path) in text
    assert "VEP" in text and "MAF" in text  # tells the user how to fix it


def test_annotated_real_records_import_with_counts(test_data: Path) -> None:
    # test_b38.vcf (25 records) with VEP CSQ rebuilt from vcf2maf's own output MAF
    result = import_variant_file(test_data / "test_b38_vep.vcf", "vcf")
    assert result.records == 25
    assert len(result.alterations) == 20
    assert result.skipped == {"synonymous": 4, "non-coding": 1}
    first = result.alterations[0]
    assert first.label == "RUNX1 L429R"
    assert first.sample == "TUMOR"  # the column named TUMOR, not NORMAL
    assert first.depth == 54 and first.vaf == pytest.approx(
        21 / 54
    )  # AD=.,21 -> alt/DP
    assert first.source == "test_b38_vep.vcf:line 10"


def test_vcf_and_maf_of_the_same_run_agree(test_data: Path, examples: Path) -> None:
    vcf = read_variant_file(test_data / "test_b38_vep.vcf", "vcf")
    maf = read_variant_file(examples / "vcf2maf" / "test_b38_output.maf", "maf")
    # vcf2maf writes p.X168_splice where VEP gives no protein change
    assert [a.label for a in vcf if "splice" not in a.label] == [
        a.label for a in maf if "splice" not in a.label
    ]


def test_gzipped_vcf_reads_like_plain(test_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.vcf.gz"
    with (
        open(test_data / "mutect2_snpeff.vcf", "rb") as src,
        gzip.open(target, "wb") as dst,
    ):
        shutil.copyfileobj(src, dst)
    plain = read_variant_file(test_data / "mutect2_snpeff.vcf", "vcf")
    assert read_variant_file(target, "vcf") == [
        a.__class__(
            **{
                **a.__dict__,
                "source": a.source.replace("mutect2_snpeff.vcf", "x.vcf.gz"),
            }
        )
        for a in plain
    ]


def test_mutect2_snpeff_exon_rules_and_filter(test_data: Path) -> None:
    result = import_variant_file(test_data / "mutect2_snpeff.vcf", "vcf")
    labels = [a.label for a in result.alterations]
    assert labels == [
        "EGFR exon 19 deletion",
        "EGFR L858R",
        "EGFR T790M",
        "EGFR S768I",
        "EGFR exon 20 insertion",
        "MET exon 14 skipping",
        "BRAF D594G",
        "ERBB2 exon 20 insertion",
        "KIT W557_E565del",
        "KRAS G12V",
    ]
    assert result.skipped == {"FILTER germline": 1}
    egfr = result.alterations[0]
    assert (egfr.sample, egfr.vaf, egfr.depth, egfr.origin) == (
        "TUMOR_X",
        pytest.approx(0.344),
        610,
        "somatic",
    )
    braf = next(a for a in result.alterations if a.gene == "BRAF")
    assert braf.braf_class == 3
    kit = next(a for a in result.alterations if a.gene == "KIT")
    assert (kit.exon, kit.exon_change) == (11, "deletion")


def test_strelka2_tier1_counts_give_vaf(test_data: Path) -> None:
    alts = read_variant_file(test_data / "strelka2_vep.vcf", "vcf")
    assert [(a.label, a.vaf, a.depth) for a in alts] == [
        ("PIK3CA H1047R", pytest.approx(50 / 200), 200),
        ("TP53 R248Gfs*17", pytest.approx(30 / 120), 120),
    ]


def test_pcgr_tvaf_and_adt_fields(test_data: Path) -> None:
    alts = read_variant_file(test_data / "pcgr_vep.vcf", "vcf")
    assert [(a.label, round(a.vaf, 3), a.depth) for a in alts] == [
        ("BRAF V600E", 0.222, 144),
        ("EGFR L858R", 0.2, 100),
    ]


def test_vardict_canonical_transcript_and_noncoding_skip(test_data: Path) -> None:
    result = import_variant_file(test_data / "vardict_vep.vcf", "vcf", sample_id="P1")
    assert [(a.label, a.vaf, a.sample) for a in result.alterations] == [
        ("KRAS G12C", 0.004, "P1"),
        ("BRCA2 S1982*", 0.48, "P1"),
    ]
    assert result.skipped == {"non-coding": 1}


def test_multiallelic_records_split_per_allele(test_data: Path) -> None:
    alts = read_variant_file(test_data / "multiallelic_vep.vcf", "vcf")
    assert [(a.label, round(a.vaf, 3)) for a in alts] == [
        ("KRAS G12V", 0.2),
        ("KRAS G12D", 0.133),
    ]


def test_tumor_sample_must_be_chosen_when_ambiguous(test_data: Path) -> None:
    path = test_data / "two_samples_unmarked.vcf"
    with pytest.raises(UserInputError, match="tumor_sample"):
        read_variant_file(path, "vcf")
    assert [a.sample for a in read_variant_file(path, "vcf", tumor_sample="S1")] == [
        "S1"
    ]
    with pytest.raises(UserInputError, match="'S9' is not a sample"):
        read_variant_file(path, "vcf", tumor_sample="S9")


def test_tumor_column_can_be_overridden(test_data: Path) -> None:
    alts = read_variant_file(
        test_data / "mutect2_snpeff.vcf", "vcf", tumor_sample="NORMAL_X"
    )
    assert alts[1].label == "EGFR L858R" and alts[1].vaf == pytest.approx(0.002)


def test_not_a_vcf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    path.write_text("Hugo_Symbol\tHGVSp_Short\nEGFR\tp.L858R\n")
    with pytest.raises(UserInputError, match="not a VCF"):
        read_variant_file(path, "vcf")


def test_size_limit_refuses_before_reading(
    test_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOBOARD_MAX_VARIANT_FILE_BYTES", "100")
    with pytest.raises(UserInputError, match="the limit is 100 bytes"):
        read_variant_file(test_data / "mutect2_snpeff.vcf", "vcf")


def test_bad_protein_in_annotation_names_record_and_line(
    test_data: Path, tmp_path: Path
) -> None:
    text = (
        (test_data / "pcgr_vep.vcf").read_text().replace("p.Val600Glu", "p.Val600Xyz")
    )
    path = tmp_path / "bad.vcf"
    path.write_text(text)
    with pytest.raises(UserInputError) as err:
        read_variant_file(path, "vcf")
    message = str(err.value)
    assert "record 1" in message and "line" in message and "Val600Xyz" in message
