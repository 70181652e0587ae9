"""missing_standard_biomarker: what the guideline expects to be tested, with its source."""

from __future__ import annotations

import pytest

from oncoboard.core.pipeline import analyse_case, open_kb
from vignette_dsl import alt, make_case

PANEL_NSCLC = {"genes": ["EGFR", "ALK", "ROS1", "KRAS", "BRAF"]}
CRC_TESTED = {"genes": ["BRAF"], "exons": {"KRAS": [2, 3, 4], "NRAS": [2, 3, 4]}}


@pytest.fixture(scope="module")
def kb():
    return open_kb()


def missing(case, kb) -> dict[str, str]:
    flags = analyse_case(case, kb=kb).match.flags
    return {
        f.message.split(" is not recorded")[0]: f.message
        for f in flags
        if f.code == "missing_standard_biomarker"
    }


def test_breast_without_er_pr_names_them_and_the_guideline(kb) -> None:
    found = missing(make_case("IDC", [], her2={"ihc": "1+"}), kb)
    assert set(found) == {"ER (estrogen receptor)", "PR (progesterone receptor)"}
    assert "PMID 31928404" in found["ER (estrogen receptor)"]


def test_breast_with_er_pr_her2_has_no_flag(kb) -> None:
    assert (
        missing(
            make_case("IDC", [], er="positive", pr="negative", her2={"ihc": "0"}), kb
        )
        == {}
    )


def test_nsclc_without_pdl1_or_driver_testing(kb) -> None:
    found = missing(make_case("LUAD", [alt("TP53 R273H")]), kb)
    assert set(found) == {
        "EGFR mutation",
        "ALK rearrangement",
        "ROS1 rearrangement",
        "PD-L1 (TPS)",
    }
    assert "Lindeman" in found["ROS1 rearrangement"]


def test_nsclc_with_panel_scope_and_pdl1_has_no_flag(kb) -> None:
    assert (
        missing(
            make_case("LUAD", [alt("TP53 R273H")], tested=PANEL_NSCLC, pdl1={"tps": 5}),
            kb,
        )
        == {}
    )


def test_a_recorded_driver_counts_as_tested(kb) -> None:
    found = missing(make_case("LUAD", [alt("EGFR L858R")], pdl1={"tps": 5}), kb)
    assert "EGFR mutation" not in found and "ALK rearrangement" in found


def test_squamous_nsclc_is_not_asked_for_driver_genes(kb) -> None:
    assert set(missing(make_case("LUSC", [alt("TP53 R273H")]), kb)) == {"PD-L1 (TPS)"}


def test_colorectal_without_ras_or_msi(kb) -> None:
    found = missing(make_case("COADREAD", [alt("APC R1450*")]), kb)
    assert set(found) == {
        "KRAS exons 2-4 (extended RAS)",
        "NRAS exons 2-4 (extended RAS)",
        "BRAF V600",
        "MSI or MMR status",
    }
    assert (
        missing(
            make_case("COADREAD", [alt("APC R1450*")], tested=CRC_TESTED, msi="MSS"), kb
        )
        == {}
    )
    assert "KRAS exons 2-4 (extended RAS)" not in missing(
        make_case("COADREAD", [], ras="wild-type"), kb
    )


def test_other_tumor_types_are_not_flagged(kb) -> None:
    assert missing(make_case("GIST", [alt("KIT W557_K558del")]), kb) == {}
