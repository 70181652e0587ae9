"""Vignettes for germline findings that change the plan (issue 23).

Sources: CPIC DPYD 2017 update (PMID 29152729), CPIC CYP2D6/tamoxifen 2018
(PMID 29385237), DPWG UGT1A1/irinotecan (PMID 36443464), EMA DPD-testing
recommendation (30 April 2020), ESMO PMWG germline-focused analysis (PMID 36529447).
"""

from __future__ import annotations

from typing import Any

import pytest

from oncoboard.core.case.model import Case
from oncoboard.core.matching import germline
from oncoboard.core.matching.result import MatchResult, Option
from oncoboard.core.pipeline import analyse_case, open_kb
from vignette_dsl import alt, make_case

FOLFOX_BEACON = {
    "encorafenib",
    "cetuximab",
    "oxaliplatin",
    "fluorouracil",
    "leucovorin",
}


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return open_kb()


def _with_pgx(case: Case, *results: dict[str, Any]) -> Case:
    data = case.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["pharmacogenomics"] = list(results)
    return Case.model_validate(data)


def _match(kb, case: Case) -> MatchResult:  # type: ignore[no-untyped-def]
    return analyse_case(case, kb=kb).match


def _option(m: MatchResult, drugs: set[str]) -> Option:
    return next(o for o in m.options if set(o.drugs) == drugs)


def _crc_braf(*results: dict[str, Any]) -> Case:
    return _with_pgx(make_case("COADREAD", [alt("BRAF V600E", 0.3)]), *results)


def test_dpyd_2a_heterozygous_braf_crc_folfox_option_carries_the_50_percent_reduction(
    kb,
) -> None:  # type: ignore[no-untyped-def]
    m = _match(
        kb,
        _crc_braf(
            {
                "gene": "DPYD",
                "diplotype": "*1/*2A",
                "test": "DPYD genotyping",
                "date": "2026-08-01",
            }
        ),
    )
    (warning,) = _option(m, FOLFOX_BEACON).pgx
    assert warning.drug == "fluorouracil" and warning.gene == "DPYD"
    assert (
        "Intermediate Metabolizer" in warning.phenotype and "1.0" in warning.phenotype
    )
    assert warning.summary.startswith("Reduce starting dose by 50%")
    assert (warning.strength, warning.citation, warning.source) == (
        "Strong",
        "PMID:29152729",
        "CPIC",
    )
    assert warning.actionable
    assert not _option(
        m, {"encorafenib", "cetuximab"}
    ).pgx  # no affected drug, no warning
    assert "pgx_untested" not in {f.code for f in m.flags}
    assert [c.phenotype for c in m.pharmacogenomics] == ["Intermediate Metabolizer"]


def test_dpyd_c1679_homozygous_means_avoid(kb) -> None:  # type: ignore[no-untyped-def]
    m = _match(
        kb,
        _crc_braf(
            {
                "gene": "DPYD",
                "variants": [{"hgvs": "c.1679T>G", "zygosity": "homozygous"}],
            }
        ),
    )
    (warning,) = _option(m, FOLFOX_BEACON).pgx
    assert "Poor Metabolizer" in warning.phenotype
    assert warning.summary.startswith("Avoid use of 5-fluorouracil")
    assert warning.strength == "Strong"


def test_ugt1a1_28_28_with_an_irinotecan_regimen_starts_at_70_percent(kb) -> None:  # type: ignore[no-untyped-def]
    m = _match(kb, _crc_braf({"gene": "UGT1A1", "diplotype": "*28/*28"}))
    with_irinotecan = [o for o in m.options if "irinotecan" in o.drugs]
    assert with_irinotecan
    for option in with_irinotecan:
        (warning,) = option.pgx
        assert warning.summary.startswith("Start at 70% of the normal irinotecan dose")
        assert (warning.source, warning.citation) == ("DPWG", "PMID:36443464")
    # fluorouracil without a DPYD result still asks for the DPD test
    assert "pgx_untested" in {f.code for f in m.flags}


def test_cyp2d6_poor_metabolizer_with_tamoxifen_in_hr_positive_breast() -> None:
    # The KB offers tamoxifen only through CIViC level-D items, which do not stand alone
    # as options; the warning any tamoxifen-containing regimen would carry:
    case = _with_pgx(
        make_case("IDC", [], er="positive", pr="positive"),
        {"gene": "CYP2D6", "diplotype": "*4/*4"},
    )
    (warning,) = germline.warnings_for(
        ["tamoxifen", "letrozole"], germline.gene_calls(case)
    )
    assert warning.gene == "CYP2D6" and "Poor Metabolizer" in warning.phenotype
    assert warning.summary.startswith("Recommend alternative hormonal therapy")
    assert (warning.strength, warning.citation) == ("Strong", "PMID:29385237")


def test_no_pgx_recorded_with_capecitabine_raises_pgx_untested(kb) -> None:  # type: ignore[no-untyped-def]
    m = _match(kb, make_case("STAD", [], her2={"ihc": "3+"}))
    assert any("capecitabine" in o.drugs for o in m.options)
    untested = [f for f in m.flags if f.code == "pgx_untested"]
    assert [f.message.split()[0] for f in untested] == ["capecitabine"]
    assert "DPYD" in untested[0].message and "EMA" in untested[0].message
    assert all(not o.pgx for o in m.options)


def test_indeterminate_dpyd_is_never_read_as_normal(kb) -> None:  # type: ignore[no-untyped-def]
    m = _match(kb, _crc_braf({"gene": "DPYD", "diplotype": "*1/*99"}))
    (warning,) = _option(m, FOLFOX_BEACON).pgx
    assert (
        "Indeterminate" in warning.phenotype
        and warning.actionable
        and not warning.citation == ""
    )
    assert "pgx_indeterminate" in {f.code for f in m.flags}


def test_germline_brca2_pathogenic_gives_referral_and_parp_inhibitors(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "IDC",
        [],
        er="negative",
        pr="negative",
        her2={"ihc": "0", "ihc0_staining": "absent"},
        germline=[
            {"gene": "BRCA2", "protein": "p.S1982fs", "classification": "pathogenic"}
        ],
    )
    m = _match(kb, case)
    (referral,) = [f for f in m.flags if f.code == "germline_referral"]
    assert referral.alteration == "BRCA2 p.S1982fs"
    assert (
        "genetic counselling" in referral.message
        and "PMID 36529447" in referral.message
    )
    drugs = {d for o in m.options for d in o.drugs}
    assert {"olaparib", "talazoparib"} <= drugs


def test_germline_vus_gives_no_referral(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "IDC",
        [],
        germline=[{"gene": "BRCA2", "protein": "p.V2466A", "classification": "vus"}],
    )
    assert "germline_referral" not in {f.code for f in _match(kb, case).flags}


def test_tumor_only_possible_germline_names_the_confirmatory_test(kb) -> None:  # type: ignore[no-untyped-def]
    m = _match(kb, make_case("IDC", [alt("BRCA2 S1982fs", 0.5)]))
    (flag,) = [f for f in m.flags if f.code == "possible_germline"]
    assert "germline testing of BRCA2 on a non-tumour sample" in flag.message
