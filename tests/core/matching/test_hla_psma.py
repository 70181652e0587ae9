"""Tebentafusp needs HLA-A*02:01, lutetium-177 vipivotide tetraxetan needs PSMA PET
positivity and the label's prior therapy (issue 17).

KB entries (knowledgebase/curated/melanoma.yaml, prostate.yaml):
HLA-A0201-UM-TEBENTAFUSP (FDA 2022, IMCgp100-202, PMID 34551229);
PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-AFTER-ARPI-TAXANE (FDA 2022-03-23, VISION,
PMID 34161051) and PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-TAXANE-NAIVE (FDA 2025-03-28,
PSMAfore, PMID 39293462).
"""

from __future__ import annotations

import pytest

from oncoboard.core.pipeline import analyse_case, open_kb
from vignette_dsl import alt, make_case

TEBENTAFUSP = ("tebentafusp",)
LU177 = ("lutetium-177 vipivotide tetraxetan",)


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return open_kb()


def _options(case, kb):  # type: ignore[no-untyped-def]
    match = analyse_case(case, kb=kb).match
    return {tuple(sorted(o.drugs)): o for o in match.options}


def _fits(option) -> None:  # type: ignore[no-untyped-def]
    assert option is not None
    assert option.amp_tier == "IA"
    assert option.tumor_match == "same"
    assert option.applicability == "fits", option.conditions


# --- tebentafusp, HLA-A*02:01-positive uveal melanoma ---------------------------------


@pytest.mark.parametrize(
    "hla", [["A*02:01"], ["A*02:01:01", "A*24:02"], ["HLA-A*02:01"]]
)
def test_tebentafusp_is_offered_with_hla_a0201(kb, hla: list[str]) -> None:  # type: ignore[no-untyped-def]
    option = _options(make_case("UM", [], hla=hla), kb).get(TEBENTAFUSP)
    _fits(option)
    assert option.matched == ["HLA-A*02:01-positive"]
    assert any("34551229" in e.citation for e in option.evidence)


@pytest.mark.parametrize(
    "hla", [None, ["A*03:01", "A*24:02"], ["A*02:06"], ["A*02:01N"]]
)
def test_tebentafusp_is_not_offered_without_hla_a0201(kb, hla) -> None:  # type: ignore[no-untyped-def]
    case = make_case("UM", []) if hla is None else make_case("UM", [], hla=hla)
    assert TEBENTAFUSP not in _options(case, kb)


def test_tebentafusp_is_for_uveal_not_cutaneous_melanoma(kb) -> None:  # type: ignore[no-untyped-def]
    options = _options(make_case("SKCM", [alt("BRAF V600E")], hla=["A*02:01"]), kb)
    assert TEBENTAFUSP not in options


def test_tebentafusp_has_no_line_restriction(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "UM", [], hla=["A*02:01"], prior=[(["ipilimumab", "nivolumab"], "progression")]
    )
    _fits(_options(case, kb).get(TEBENTAFUSP))


# --- lutetium-177 vipivotide tetraxetan, PSMA-positive mCRPC ----------------------------


@pytest.mark.parametrize(
    "prior",
    [
        [
            (["abiraterone"], "progression"),
            (["docetaxel"], "progression"),
        ],  # VISION, 2022
        [(["enzalutamide"], "progression"), (["cabazitaxel"], "progression")],
        [(["enzalutamide"], "progression")],  # PSMAfore, 2025: taxane-naive
        [(["darolutamide"], "progression")],
        [(["apalutamide"], "progression")],
    ],
)
def test_lu177_fits_after_an_arpi_with_psma_positive_pet(kb, prior) -> None:  # type: ignore[no-untyped-def]
    option = _options(make_case("PRAD", [], psma_pet="positive", prior=prior), kb).get(
        LU177
    )
    _fits(option)
    assert option.matched == ["PSMA-positive"]


def test_lu177_figures_follow_the_taxane_history(kb) -> None:  # type: ignore[no-untyped-def]
    """After a taxane the VISION entry leads; taxane-naive, the PSMAfore entry and its
    trial (VISION required a taxane, so its figures do not describe this patient)."""
    after_taxane = make_case(
        "PRAD",
        [],
        psma_pet="positive",
        prior=[(["abiraterone"], "progression"), (["docetaxel"], "progression")],
    )
    option = _options(after_taxane, kb)[LU177]
    assert "PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-AFTER-ARPI-TAXANE" in option.explanation[0]
    assert option.predicted is not None and option.predicted.source_trial == "VISION"
    naive = make_case(
        "PRAD", [], psma_pet="positive", prior=[(["enzalutamide"], "progression")]
    )
    option = _options(naive, kb)[LU177]
    assert "PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-TAXANE-NAIVE" in option.explanation[0]
    assert option.predicted is not None and option.predicted.source_trial == "PSMAfore"


@pytest.mark.parametrize(
    "prior",
    [
        [],  # no prior therapy: both labels need an ARPI
        [(["docetaxel"], "progression")],  # a taxane alone is not the prerequisite
    ],
)
def test_lu177_without_a_prior_arpi_is_conditional(kb, prior) -> None:  # type: ignore[no-untyped-def]
    option = _options(make_case("PRAD", [], psma_pet="positive", prior=prior), kb).get(
        LU177
    )
    assert option is not None and option.amp_tier == "IA"
    assert option.applicability == "conditional"
    codes = {c.code for c in option.conditions}
    assert "prerequisite_not_recorded" in codes
    assert any("arpi" in c.message for c in option.conditions)


@pytest.mark.parametrize("psma_pet", [None, "negative"])
def test_lu177_needs_a_positive_psma_pet(kb, psma_pet) -> None:  # type: ignore[no-untyped-def]
    prior = [(["abiraterone"], "progression"), (["docetaxel"], "progression")]
    case = (
        make_case("PRAD", [], prior=prior)
        if psma_pet is None
        else make_case("PRAD", [], psma_pet=psma_pet, prior=prior)
    )
    assert LU177 not in _options(case, kb)


def test_psma_status_does_not_carry_to_other_tumors(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "BRCA", [], psma_pet="positive", prior=[(["enzalutamide"], "progression")]
    )
    assert LU177 not in _options(case, kb)
