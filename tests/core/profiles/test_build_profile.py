"""Whole-case profiles: the spec examples, flags, serial ctDNA."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from oncoboard.core.case.io import load_case, parse_case
from oncoboard.core.errors import UserInputError
from oncoboard.core.profiles import build_profile, liquid_biopsy_flags, vaf_series

SPEC = Path(__file__).resolve().parents[3].parent / "shared" / "spec" / "examples"


def _case(samples: list[dict], **extra) -> dict:  # noqa: ANN003
    return {"schema": "oncoboard.case/1", "case_id": "T", "tumor": {"oncotree_code": "LUAD"},
            "samples": samples, **extra}  # fmt: skip


def _profile(data: dict):  # noqa: ANN202
    return build_profile(parse_case(data))


def test_luad_exon19_example() -> None:
    path = SPEC / "luad-egfr-exon19-tissue.json"
    profile = build_profile(load_case(path), path)
    assert [a.label for a in profile.alterations] == [
        "EGFR exon 19 deletion",
        "TP53 R273H",
    ]
    egfr = profile.alterations[0]
    assert (
        egfr.protein,
        egfr.cdna,
        egfr.vaf,
        egfr.depth,
        egfr.sample,
        egfr.specimen,
    ) == ("E746_A750del", "c.2235_2249del", 0.42, 812, "T1", "tissue")
    assert (profile.tmb, profile.msi, profile.pdl1_tps) == (4.1, "MSS", 20)
    assert profile.flags == ()


def test_luad_panel_from_maf_example() -> None:
    path = SPEC / "luad-panel-from-maf.json"
    profile = build_profile(load_case(path), path)
    assert {a.label for a in profile.alterations} == {
        "EGFR L858R",
        "EGFR T790M",
        "TP53 R175H",
        "MET amplification",
    }
    assert {a.sample for a in profile.alterations} == {"T2"}
    met = next(a for a in profile.alterations if a.gene == "MET")
    assert met.copy_number == 7


def test_breast_her2_low_example() -> None:
    path = SPEC / "breast-her2-low-after-chemo.json"
    profile = build_profile(load_case(path), path)
    assert profile.her2 is not None and profile.her2.status == "HER2-low"
    assert profile.her2.ish_group == 5


def test_crc_plasma_serial_example() -> None:
    path = SPEC / "crc-plasma-serial.json"
    profile = build_profile(load_case(path), path)
    chip = [f for f in profile.flags if f.code == "possible_chip"]
    assert [f.alteration for f in chip] == ["TET2 Q1034*"]
    series = vaf_series(profile)
    assert series["KRAS G12C"] == [
        (dt.date(2026, 6, 2), "P1", 0.061),
        (dt.date(2026, 9, 21), "P2", 0.014),
    ]
    assert list(series) == ["APC R1450*", "KRAS G12C", "TET2 Q1034*"]


def test_vaf_series_is_time_ordered_whatever_the_sample_order() -> None:
    later = {
        "id": "B",
        "specimen": "plasma",
        "collected": "2026-05-01",
        "alterations": [
            {"gene": "KRAS", "kind": "mutation", "protein": "G12D", "vaf": 0.01}
        ],
    }
    earlier = {
        "id": "A",
        "specimen": "plasma",
        "collected": "2026-01-01",
        "alterations": [
            {"gene": "KRAS", "kind": "mutation", "protein": "p.Gly12Asp", "vaf": 0.05}
        ],
    }
    series = vaf_series(_profile(_case([later, earlier])))
    assert series == {
        "KRAS G12D": [
            (dt.date(2026, 1, 1), "A", 0.05),
            (dt.date(2026, 5, 1), "B", 0.01),
        ]
    }


def test_chip_not_flagged_when_confirmed_in_tissue() -> None:
    mut = {"gene": "TET2", "kind": "mutation", "protein": "Q1034*", "vaf": 0.02}
    profile = _profile(_case([
        {"id": "T", "specimen": "tissue", "alterations": [mut]},
        {"id": "P", "specimen": "plasma", "tumor_fraction": 0.1, "alterations": [mut]},
    ]))  # fmt: skip
    assert not [f for f in profile.flags if f.code == "possible_chip"]


@pytest.mark.parametrize(
    ("vaf", "flagged"), [(0.48, True), (0.97, True), (0.2, False), (0.7, False)]
)
def test_possible_germline_near_50_or_100_percent(vaf: float, flagged: bool) -> None:
    profile = _profile(_case([{"id": "T", "specimen": "tissue", "alterations": [
        {"gene": "BRCA2", "kind": "mutation", "protein": "S1982fs", "vaf": vaf}]}]))  # fmt: skip
    assert any(f.code == "possible_germline" for f in profile.flags) is flagged


def test_possible_germline_only_in_predisposition_genes() -> None:
    profile = _profile(_case([{"id": "T", "specimen": "tissue", "alterations": [
        {"gene": "KRAS", "kind": "mutation", "protein": "G12C", "vaf": 0.5}]}]))  # fmt: skip
    assert not profile.flags


def test_near_detection_limit_plasma_call() -> None:
    profile = _profile(_case([{"id": "P", "specimen": "plasma", "tumor_fraction": 0.05, "alterations": [
        {"gene": "EGFR", "kind": "mutation", "protein": "T790M", "vaf": 0.003}]}]))  # fmt: skip
    assert [f.code for f in profile.flags] == ["near_detection_limit"]


def test_noninformative_negative_liquid_biopsy() -> None:
    empty_low_tf = {
        "id": "P1",
        "specimen": "plasma",
        "tumor_fraction": 0.004,
        "alterations": [],
    }
    empty_unknown_tf = {"id": "P2", "specimen": "plasma", "alterations": []}
    empty_high_tf = {
        "id": "P3",
        "specimen": "plasma",
        "tumor_fraction": 0.2,
        "alterations": [],
    }
    profile = _profile(_case([empty_low_tf, empty_unknown_tf, empty_high_tf]))
    flagged = [
        f.message
        for f in profile.flags
        if f.code == "noninformative_negative_liquid_biopsy"
    ]
    assert len(flagged) == 2 and "P1" in flagged[0] and "P2" in flagged[1]


def test_liquid_biopsy_flags_use_the_matchers_actionable_set() -> None:
    sample = {"id": "P", "specimen": "plasma", "tumor_fraction": 0.005, "alterations": [
        {"gene": "TP53", "kind": "mutation", "protein": "R175H", "vaf": 0.004}]}  # fmt: skip
    data = _case([sample])
    case = parse_case(data)
    profile = build_profile(case)
    assert [f.code for f in liquid_biopsy_flags(profile, case, set())] == [
        "noninformative_negative_liquid_biopsy"
    ]
    assert liquid_biopsy_flags(profile, case, {"TP53 R175H"}) == []


def test_c797s_with_t790m_and_no_phase() -> None:
    muts = [
        {"gene": "EGFR", "kind": "mutation", "protein": p} for p in ("T790M", "C797S")
    ]
    profile = _profile(_case([{"id": "T", "specimen": "tissue", "alterations": muts}]))
    assert [f.code for f in profile.flags] == ["c797s_phase_unknown"]
    muts[1]["phase"] = "cis"
    assert (
        _profile(_case([{"id": "T", "specimen": "tissue", "alterations": muts}])).flags
        == ()
    )


def test_alias_resolution_is_recorded_and_unknown_gene_flagged() -> None:
    profile = _profile(_case([{"id": "T", "specimen": "tissue", "alterations": [
        {"gene": "HER2", "kind": "amplification"}, {"gene": "EGRF", "kind": "mutation", "protein": "L858R"}]}]))  # fmt: skip
    erbb2 = profile.alterations[0]
    assert (erbb2.gene, erbb2.label, erbb2.original_gene) == (
        "ERBB2",
        "ERBB2 amplification",
        "HER2",
    )
    unknown = [f for f in profile.flags if f.code == "unknown_gene"]
    assert len(unknown) == 1 and "EGFR" in unknown[0].message


def test_fusion_partner_unknown_and_exon_skipping() -> None:
    profile = _profile(_case([{"id": "T", "specimen": "tissue", "alterations": [
        {"gene": "ALK", "kind": "fusion"}, {"gene": "ALK", "kind": "fusion", "partner": "EML4"},
        {"gene": "MET", "kind": "exon_skipping", "exon": 14}]}]))  # fmt: skip
    assert [a.label for a in profile.alterations] == [
        "ALK fusion",
        "EML4::ALK fusion",
        "MET exon 14 skipping",
    ]


def test_bad_protein_in_case_names_json_path() -> None:
    data = _case([{"id": "T", "specimen": "tissue", "alterations": [
        {"gene": "EGFR", "kind": "mutation", "protein": "L858"}]}])  # fmt: skip
    with pytest.raises(UserInputError) as err:
        _profile(data)
    assert "samples[0].alterations[0].protein" in str(err.value)


def test_germline_pathogenic_findings_join_the_profile() -> None:
    data = _case([], germline=[
        {"gene": "BRCA2", "protein": "p.Ser1982fs", "classification": "pathogenic"},
        {"gene": "ATM", "cdna": "c.1A>G", "classification": "vus"}])  # fmt: skip
    profile = _profile(data)
    assert [(a.label, a.origin) for a in profile.alterations] == [
        ("BRCA2 S1982fs", "germline")
    ]


def test_maf_with_several_tumors_needs_a_choice(tmp_path: Path, examples: Path) -> None:
    import shutil

    shutil.copy(examples / "maftools" / "tcga_laml.maf.gz", tmp_path / "laml.maf.gz")
    case_file = tmp_path / "case.json"
    sample = {
        "id": "T",
        "specimen": "tissue",
        "variant_files": [{"path": "laml.maf.gz", "format": "maf"}],
    }
    case_file.write_text(json.dumps(_case([sample])))
    with pytest.raises(UserInputError, match="193 tumor samples|192 tumor samples"):
        build_profile(load_case(case_file), case_file)
    sample["variant_files"][0]["extensions"] = {"tumor_sample": "TCGA-AB-2802"}
    case_file.write_text(json.dumps(_case([sample])))
    profile = build_profile(load_case(case_file), case_file)
    assert profile.alterations and {a.sample for a in profile.alterations} == {"T"}


def test_variant_file_errors_fail_the_whole_profile(
    tmp_path: Path, test_data: Path
) -> None:
    import shutil

    shutil.copy(test_data / "panel_bad_rows.csv", tmp_path / "bad.csv")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(_case([{"id": "T", "specimen": "tissue",
                                            "variant_files": [{"path": "bad.csv", "format": "csv"}]}])))  # fmt: skip
    with pytest.raises(UserInputError, match="bad.csv"):
        build_profile(load_case(case_file), case_file)


def test_profile_samples_are_in_time_order() -> None:
    later = {
        "id": "B",
        "specimen": "plasma",
        "collected": "2026-05-01",
        "tumor_fraction": 0.1,
    }
    undated = {"id": "C", "specimen": "tissue"}
    earlier = {
        "id": "A",
        "specimen": "plasma",
        "collected": "2026-01-01",
        "tumor_fraction": 0.1,
    }
    profile = _profile(_case([later, undated, earlier]))
    assert [s.id for s in profile.samples] == ["A", "B", "C"]


def test_chip_only_plasma_sample_with_low_tumor_fraction_is_noninformative() -> None:
    sample = {"id": "P", "specimen": "plasma", "tumor_fraction": 0.003, "alterations": [
        {"gene": "DNMT3A", "kind": "mutation", "protein": "R882H", "vaf": 0.02}]}  # fmt: skip
    codes = [f.code for f in _profile(_case([sample])).flags]
    assert codes == ["possible_chip", "noninformative_negative_liquid_biopsy"]


def test_met_splice_site_row_in_a_maf_is_exon_14_skipping(tmp_path: Path) -> None:
    from oncoboard.core.profiles import read_variant_file

    path = tmp_path / "met.maf"
    path.write_text(
        "Hugo_Symbol\tVariant_Classification\tHGVSp_Short\tHGVSc\tINTRON\tt_alt_count\tt_depth\n"
        "MET\tSplice_Site\t\tc.3028+1G>A\t14/20\t30\t200\n"
    )  # synthetic row
    alts = read_variant_file(path, "maf")
    assert [(a.label, a.kind, a.vaf) for a in alts] == [
        ("MET exon 14 skipping", "exon_skipping", 0.15)
    ]


def test_panel_biomarkers_fill_the_case_and_conflicts_are_flagged(
    tmp_path: Path, test_data: Path
) -> None:
    import shutil

    shutil.copy(test_data / "panel_with_biomarkers.tsv", tmp_path / "panel.tsv")
    case_file = tmp_path / "case.json"
    sample = {
        "id": "T",
        "specimen": "tissue",
        "variant_files": [{"path": "panel.tsv", "format": "csv"}],
    }
    case_file.write_text(json.dumps(_case([sample], biomarkers={"msi": "MSS"})))
    profile = build_profile(load_case(case_file), case_file)
    assert (profile.tmb, profile.msi, profile.pdl1_tps) == (
        12.5,
        "MSS",
        60.0,
    )  # the case wins
    assert [f.code for f in profile.flags] == ["biomarker_conflict"]
