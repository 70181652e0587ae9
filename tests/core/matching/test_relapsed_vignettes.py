"""Relapsed and sequenced patients (issue 14): what is offered, what fits, what is
conditional and what is not recommended, and why.  Each vignette names its source.

"NR" below means the regimen is in ``not_recommended`` with that reason.
"""

from __future__ import annotations

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.pipeline import analyse_case, open_kb
from vignette_check import V, check_vignette, r
from vignette_dsl import alt, make_case

RAS_TESTED = {"genes": ["BRAF"], "exons": {"KRAS": [2, 3, 4], "NRAS": [2, 3, 4]}}
CHEMO_1L_NSCLC = (["carboplatin", "pemetrexed", "pembrolizumab"], "progression")
FOLFOX = (["oxaliplatin", "fluorouracil", "leucovorin"], "progression")
THP = (["trastuzumab", "pertuzumab", "docetaxel"], "progression")

RELAPSED = [
    # ---------------- EGFR NSCLC ----------------
    V(
        "r-egfr-t790m-after-erlotinib",
        make_case(
            "LUAD",
            [alt("EGFR E746_A750del"), alt("EGFR T790M")],
            prior=[(["erlotinib"], "progression")],
        ),
        "AURA3 (PMID 27959700): osimertinib after a 1st-gen TKI with T790M. Erlotinib was progressed on; "
        "gefitinib/afatinib/dacomitinib share cross-resistance (LUX-Lung 1, PMID 22452896) and T790M resistance.",
        fits=(r("osimertinib"),),
        not_recommended={
            r("erlotinib"): "progressed_on",
            r("gefitinib"): "progressed_on",
            r("afatinib"): "progressed_on",
            r("dacomitinib"): "progressed_on",
            r("erlotinib", "ramucirumab"): "progressed_on",
        },
        conditional={
            r("osimertinib", "carboplatin", "pemetrexed"): "first_line_after_treatment"
        },
        resistance=("erlotinib", "gefitinib", "afatinib"),
    ),
    V(
        "r-egfr-c797s-after-osimertinib",
        make_case(
            "LUAD",
            [alt("EGFR E746_A750del"), alt("EGFR C797S")],
            prior=[(["osimertinib"], "progression")],
        ),
        "After osimertinib: osimertinib and osimertinib + chemotherapy were progressed on; amivantamab + "
        "carboplatin + pemetrexed is labelled after an EGFR TKI (MARIPOSA-2).",
        not_recommended={
            r("osimertinib"): "progressed_on",
            r("osimertinib", "carboplatin", "pemetrexed"): "progressed_on",
        },
        fits=(r("amivantamab", "carboplatin", "pemetrexed"),),
    ),
    V(
        "r-egfr-t790m-untreated-first-gen-resisted",
        make_case("LUAD", [alt("EGFR L858R"), alt("EGFR T790M")]),
        "De novo T790M: first/second-generation TKIs are resisted (curated T790M entries); osimertinib fits.",
        not_recommended={
            r("erlotinib"): "resistance_in_profile",
            r("gefitinib"): "resistance_in_profile",
        },
        fits=(r("osimertinib"),),
    ),
    V(
        "r-egfr-first-line-figures-not-for-treated",
        make_case("LUAD", [alt("EGFR L858R")], prior=[CHEMO_1L_NSCLC]),
        "After first-line chemo-immunotherapy, FLAURA2 (first-line) is conditional and its first-line "
        "PFS is not shown as a prediction for this patient.",
        conditional={
            r("osimertinib", "carboplatin", "pemetrexed"): "first_line_after_treatment"
        },
    ),
    V(
        "r-egfr-naive-fits",
        make_case(
            "LUAD", [alt("EGFR L858R")], tested={"genes": ["EGFR", "ALK", "ROS1"]}
        ),
        "Treatment-naive EGFR L858R: osimertinib (FLAURA) and osimertinib + chemotherapy (FLAURA2) fit.",
        fits=(r("osimertinib"), r("osimertinib", "carboplatin", "pemetrexed")),
    ),
    # ---------------- ALK / ROS1 / RET / MET / KRAS NSCLC ----------------
    V(
        "r-alk-after-crizotinib",
        make_case("LUAD", [alt("EML4::ALK")], prior=[(["crizotinib"], "progression")]),
        "Crizotinib was progressed on: not recommended; the other ALK inhibitors stay on the list.",
        not_recommended={r("crizotinib"): "progressed_on"},
        include={r("lorlatinib"): "IA", r("alectinib"): "IA"},
    ),
    V(
        "r-alk-after-alectinib",
        make_case("LUAD", [alt("EML4::ALK")], prior=[(["alectinib"], "progression")]),
        "Alectinib was progressed on: not recommended.",
        not_recommended={r("alectinib"): "progressed_on"},
    ),
    V(
        "r-ros1-after-crizotinib",
        make_case("LUAD", [alt("CD74::ROS1")], prior=[(["crizotinib"], "progression")]),
        "Repotrectinib is labelled for TKI-pretreated ROS1 NSCLC (TRIDENT-1); entrectinib after crizotinib "
        "is conditional (same class, no established benefit).",
        fits=(r("repotrectinib"),),
        not_recommended={r("crizotinib"): "progressed_on"},
        conditional={r("entrectinib"): "progressed_on_same_class"},
    ),
    V(
        "r-ros1-after-entrectinib",
        make_case(
            "LUAD", [alt("CD74::ROS1")], prior=[(["entrectinib"], "progression")]
        ),
        "Repotrectinib is labelled after a ROS1 TKI: progression on entrectinib (also a TRK inhibitor) is "
        "the indication itself, not a same-class caveat.",
        fits=(r("repotrectinib"),),
        not_recommended={r("entrectinib"): "progressed_on"},
    ),
    V(
        "r-ret-after-selpercatinib",
        make_case(
            "LUAD", [alt("KIF5B::RET")], prior=[(["selpercatinib"], "progression")]
        ),
        "Selpercatinib progressed on; pralsetinib (same class) is only conditional.",
        not_recommended={r("selpercatinib"): "progressed_on"},
        conditional={r("pralsetinib"): "progressed_on_same_class"},
    ),
    V(
        "r-met-after-capmatinib",
        make_case("LUAD", [alt("MET ex14")], prior=[(["capmatinib"], "progression")]),
        "Capmatinib progressed on; tepotinib (same class) is only conditional.",
        not_recommended={r("capmatinib"): "progressed_on"},
        conditional={r("tepotinib"): "progressed_on_same_class"},
    ),
    V(
        "r-kras-g12c-after-sotorasib",
        make_case(
            "LUAD",
            [alt("KRAS G12C")],
            prior=[CHEMO_1L_NSCLC, (["sotorasib"], "progression")],
        ),
        "Sotorasib progressed on; adagrasib (same class) only conditional.",
        not_recommended={r("sotorasib"): "progressed_on"},
        conditional={r("adagrasib"): "progressed_on_same_class"},
    ),
    V(
        "r-nsclc-pdl1-high-negative-drivers-tested",
        make_case(
            "LUAD",
            [alt("TP53 R273H")],
            pdl1={"tps": 80},
            tested={"genes": ["EGFR", "ALK", "ROS1", "KRAS"]},
        ),
        "KEYNOTE-024: pembrolizumab for PD-L1 >= 50% with no EGFR/ALK aberration, established by a test "
        "that covered EGFR and ALK.",
        fits=(r("pembrolizumab"),),
    ),
    V(
        "r-nsclc-pdl1-high-drivers-untested",
        make_case("LUAD", [alt("TP53 R273H")], pdl1={"tps": 80}),
        "Without a test covering EGFR and ALK, 'no EGFR/ALK aberration' is not established: conditional.",
        conditional={r("pembrolizumab"): "status_not_established"},
    ),
    # ---------------- Breast ----------------
    V(
        "r-hrpos-after-palbociclib-letrozole",
        make_case(
            "IDC",
            [alt("PIK3CA H1047R")],
            er="positive",
            her2={"ihc": "0"},
            prior=[(["palbociclib", "letrozole"], "progression")],
        ),
        "Palbociclib + letrozole progressed on; ribociclib + letrozole keeps letrozole (progressed on); "
        "abemaciclib + fulvestrant is conditional (CDK4/6 class, benefit after progression not established); "
        "alpelisib + fulvestrant fits (SOLAR-1, PIK3CA).",
        not_recommended={
            r("palbociclib", "letrozole"): "progressed_on",
            r("ribociclib", "letrozole"): "progressed_on",
        },
        conditional={r("abemaciclib", "fulvestrant"): "progressed_on_same_class"},
        fits=(r("alpelisib", "fulvestrant"),),
    ),
    V(
        "r-hrpos-esr1-after-cdk46",
        make_case(
            "IDC",
            [alt("ESR1 Y537S")],
            er="positive",
            her2={"ihc": "0"},
            prior=[(["letrozole", "palbociclib"], "progression")],
        ),
        "ESR1-mutant after AI + CDK4/6: elacestrant (EMERALD) fits; AI-based regimens are not recommended.",
        fits=(r("elacestrant"),),
        not_recommended={r("ribociclib", "letrozole"): "progressed_on"},
    ),
    V(
        "r-her2pos-after-thp",
        make_case(
            "IDC", [], her2={"ihc": "3+"}, er="negative", pr="negative", prior=[THP]
        ),
        "After trastuzumab + pertuzumab + docetaxel: the THP regimen is not recommended; trastuzumab "
        "deruxtecan (DESTINY-Breast03) and tucatinib + trastuzumab + capecitabine (HER2CLIMB, trastuzumab "
        "continued by design) fit.",
        not_recommended={r("pertuzumab", "trastuzumab", "docetaxel"): "progressed_on"},
        fits=(
            r("trastuzumab deruxtecan"),
            r("tucatinib", "trastuzumab", "capecitabine"),
        ),
    ),
    V(
        "r-her2pos-after-thp-and-tdxd",
        make_case(
            "IDC",
            [],
            her2={"ihc": "3+"},
            er="negative",
            pr="negative",
            prior=[THP, (["trastuzumab deruxtecan"], "progression")],
        ),
        "After T-DXd progression, T-DXd is not recommended even though its label asks for a prior "
        "anti-HER2 regimen; neratinib + capecitabine needs two metastatic anti-HER2 lines (NALA): recorded.",
        not_recommended={r("trastuzumab deruxtecan"): "progressed_on"},
        fits=(
            r("tucatinib", "trastuzumab", "capecitabine"),
            r("neratinib", "capecitabine"),
        ),
    ),
    V(
        "r-her2pos-one-line-neratinib-conditional",
        make_case(
            "IDC", [], her2={"ihc": "3+"}, er="negative", pr="negative", prior=[THP]
        ),
        "Neratinib + capecitabine after one metastatic line: label requires two (NALA) -> conditional.",
        conditional={r("neratinib", "capecitabine"): "prerequisite_not_recorded"},
    ),
    # ---------------- GIST ----------------
    V(
        "r-gist-kit11-after-imatinib",
        make_case(
            "GIST", [alt("KIT W557_K558del")], prior=[(["imatinib"], "progression")]
        ),
        "Second line after imatinib: sunitinib (FDA 2006, Demetri 2006) fits and ranks first; regorafenib "
        "(after imatinib and sunitinib, GRID) and ripretinib (>= 3 kinase inhibitors, INVICTUS) are conditional.",
        top=r("sunitinib"),
        fits=(r("sunitinib"),),
        not_recommended={r("imatinib"): "progressed_on"},
        conditional={
            r("regorafenib"): "prerequisite_not_recorded",
            r("ripretinib"): "prerequisite_not_recorded",
        },
    ),
    V(
        "r-gist-after-imatinib-sunitinib",
        make_case(
            "GIST",
            [alt("KIT W557_K558del")],
            prior=[(["imatinib"], "progression"), (["sunitinib"], "progression")],
        ),
        "Third line: regorafenib fits (GRID); ripretinib still conditional (needs three prior lines).",
        top=r("regorafenib"),
        fits=(r("regorafenib"),),
        not_recommended={
            r("imatinib"): "progressed_on",
            r("sunitinib"): "progressed_on",
        },
        conditional={r("ripretinib"): "prerequisite_not_recorded"},
    ),
    V(
        "r-gist-fourth-line",
        make_case(
            "GIST",
            [alt("KIT W557_K558del")],
            prior=[
                (["imatinib"], "progression"),
                (["sunitinib"], "progression"),
                (["regorafenib"], "progression"),
            ],
        ),
        "Fourth line: ripretinib fits (INVICTUS); earlier kinase inhibitors not recommended.",
        top=r("ripretinib"),
        fits=(r("ripretinib"),),
        not_recommended={
            r("regorafenib"): "progressed_on",
            r("imatinib"): "progressed_on",
        },
    ),
    V(
        "r-gist-pdgfra-d842v-cd117",
        make_case("GIST", [alt("PDGFRA D842V"), alt("KIT expr positive (CD117 IHC)")]),
        "PDGFRA D842V is imatinib-resistant (level A, FDA statement at the avapritinib approval) even when "
        "CD117 is positive; avapritinib (NAVIGATOR) fits.",
        not_recommended={r("imatinib"): "resistance_in_profile"},
        fits=(r("avapritinib"),),
        top=r("avapritinib"),
    ),
    V(
        "r-gist-kit17-secondary-after-imatinib",
        make_case(
            "GIST",
            [alt("KIT W557_K558del"), alt("KIT D816V")],
            prior=[(["imatinib"], "progression")],
        ),
        "Secondary KIT exon 17 change after imatinib: imatinib not recommended.",
        not_recommended={r("imatinib"): "progressed_on"},
    ),
    # ---------------- Colorectal ----------------
    V(
        "r-crc-braf-v600e-anti-egfr-contraindicated",
        make_case("COADREAD", [alt("BRAF V600E")], tested=RAS_TESTED),
        "BRAF V600E mCRC: anti-EGFR antibodies without a BRAF inhibitor are contraindicated (NCCN); "
        "encorafenib + cetuximab is designed for it (except_with braf_inhibitor) and is conditional on a "
        "prior line (BEACON).",
        not_recommended={
            r("cetuximab"): "contraindicated",
            r("panitumumab"): "contraindicated",
        },
        conditional={r("encorafenib", "cetuximab"): "prerequisite_not_recorded"},
    ),
    V(
        "r-crc-braf-v600e-after-folfox",
        make_case("COADREAD", [alt("BRAF V600E")], tested=RAS_TESTED, prior=[FOLFOX]),
        "After FOLFOX, encorafenib + cetuximab fits (BEACON CRC, FDA 2020).",
        fits=(r("encorafenib", "cetuximab"),),
        not_recommended={r("cetuximab"): "contraindicated"},
    ),
    V(
        "r-crc-kras-g13d-civic-conflict",
        make_case("COADREAD", [alt("KRAS G13D")]),
        "KRAS G13D: the curated label-based resistance beats a CIViC level B cetuximab-sensitivity item.",
        not_recommended={r("cetuximab"): "resistance_in_profile"},
    ),
    V(
        "r-crc-msi-no-ras-test",
        make_case("COADREAD", [alt("APC R1450*")], msi="MSI-H"),
        "MSI-H with no RAS test: pembrolizumab fits (KEYNOTE-177); anti-EGFR conditional on RAS testing.",
        fits=(r("pembrolizumab"),),
        conditional={
            r("cetuximab"): "status_not_established",
            r("panitumumab"): "status_not_established",
        },
    ),
    V(
        "r-crc-ras-wt-tested-after-folfox",
        make_case("COADREAD", [alt("APC R1450*")], tested=RAS_TESTED, prior=[FOLFOX]),
        "A test that covered KRAS/NRAS exons 2-4 with no RAS variant establishes RAS wild-type.",
        fits=(r("cetuximab"), r("panitumumab")),
    ),
    V(
        "r-crc-low-tf-plasma-tested-scope",
        make_case(
            "COADREAD",
            None,
            plasma=[alt("APC R1450*", 0.002)],
            tumor_fraction=0.004,
            plasma_tested=RAS_TESTED,
        ),
        "A tested scope on plasma below 1% tumor fraction is not informative: RAS not established.",
        conditional={r("cetuximab"): "status_not_established"},
    ),
    V(
        "r-crc-kras-g12c-designed-combination",
        make_case("COADREAD", [alt("KRAS G12C")], prior=[FOLFOX]),
        "Sotorasib + panitumumab is designed for KRAS G12C (CodeBreaK 300): KRAS resistance to "
        "panitumumab does not remove it.",
        include={r("sotorasib", "panitumumab"): "IA"},
        resistance=("panitumumab",),
    ),
    V(
        "r-crc-msi-after-pembrolizumab",
        make_case(
            "COADREAD",
            [alt("APC R1450*")],
            msi="MSI-H",
            prior=[(["pembrolizumab"], "progression")],
        ),
        "Pembrolizumab progressed on: not recommended; nivolumab + ipilimumab is conditional (same class).",
        not_recommended={r("pembrolizumab"): "progressed_on"},
        conditional={r("nivolumab", "ipilimumab"): "progressed_on_same_class"},
    ),
    # ---------------- Review findings (safety) ----------------
    V(
        "r-crc-kras-a146t-is-ras-mutant",
        make_case("COADREAD", [alt("KRAS A146T")], tested=RAS_TESTED),
        "KRAS A146 (exon 4) is an extended-RAS codon (PRIME, PMID 24024839): RAS-mutant, no anti-EGFR "
        "option; the KRAS-mutant resistance entries apply.",
        exclude=(r("cetuximab"), r("panitumumab")),
        resistance=("cetuximab", "panitumumab"),
    ),
    V(
        "r-crc-kras-vus-leaves-ras-unknown",
        make_case("COADREAD", [alt("KRAS L19F")], tested=RAS_TESTED),
        "A KRAS variant of uncertain significance neither establishes nor excludes RAS wild-type: "
        "anti-EGFR is conditional.",
        conditional={r("cetuximab"): "status_not_established"},
    ),
    V(
        "r-nsclc-uncommon-egfr-blocks-io-monotherapy",
        make_case(
            "LUAD",
            [alt("EGFR G719A")],
            tested={"genes": ["EGFR", "ALK", "ROS1"]},
            pdl1={"tps": 80},
        ),
        "EGFR G719A (afatinib label G719X) is an EGFR aberration: PD-(L)1 monotherapy labels for "
        "tumors without EGFR aberrations do not apply.",
        fits=(r("afatinib"),),
        exclude=(r("pembrolizumab"), r("cemiplimab"), r("atezolizumab")),
    ),
    V(
        "r-crc-braf-with-kras-blocks-beacon",
        make_case(
            "COADREAD",
            [alt("BRAF V600E"), alt("KRAS G12D")],
            tested=RAS_TESTED,
            prior=[FOLFOX],
        ),
        "BEACON is curated for BRAF V600E, not for a KRAS-mutant tumor: the KRAS G12D resistance to "
        "cetuximab still counts (BEACON excluded RAS-mutant tumors).",
        not_recommended={r("encorafenib", "cetuximab"): "resistance_in_profile"},
    ),
    V(
        "r-crc-g12c-with-nras-q61k",
        make_case(
            "COADREAD",
            [alt("KRAS G12C"), alt("NRAS Q61K")],
            tested=RAS_TESTED,
            prior=[FOLFOX, (["irinotecan", "fluorouracil"], "progression")],
        ),
        "Sotorasib + panitumumab is curated for KRAS G12C; a second RAS mutation (NRAS Q61K) still "
        "resists panitumumab.",
        not_recommended={r("sotorasib", "panitumumab"): "resistance_in_profile"},
    ),
    V(
        "r-egfr-consolidation-does-not-lead-after-tki",
        make_case("LUAD", [alt("EGFR L858R")], prior=[(["erlotinib"], "progression")]),
        "LAURA (consolidation after chemoradiation of stage III) must not lead the osimertinib option "
        "of a metastatic, pre-treated patient; without T790M osimertinib is conditional.",
        conditional={r("osimertinib"): "first_line_after_treatment"},
    ),
    V(
        "r-prior-intolerance-is-a-condition",
        make_case(
            "LUAD", [alt("EGFR L858R")], prior=[(["osimertinib"], "intolerance")]
        ),
        "Osimertinib stopped for intolerance: a re-challenge is conditional on reviewing the toxicity.",
        conditional={r("osimertinib"): "prior_intolerance"},
    ),
    # ---------------- Other tumor types ----------------
    V(
        "r-ovary-brca1-after-olaparib",
        make_case(
            "HGSOC",
            [alt("BRCA1 Q1756fs")],
            prior=[
                (["carboplatin", "paclitaxel"], "response"),
                (["olaparib"], "progression"),
            ],
        ),
        "Olaparib progressed on; PARP inhibitor rechallenge is not established: rucaparib conditional.",
        not_recommended={r("olaparib"): "progressed_on"},
        conditional={r("rucaparib"): "progressed_on_same_class"},
    ),
    V(
        "r-prostate-brca2-after-abiraterone",
        make_case(
            "PRAD",
            [alt("BRCA2 S1982fs")],
            prior=[(["abiraterone", "prednisone"], "progression")],
        ),
        "After abiraterone: olaparib (PROfound) fits; abiraterone-containing PARP combinations are not "
        "recommended.",
        fits=(r("olaparib"),),
        not_recommended={r("olaparib", "abiraterone", "prednisone"): "progressed_on"},
    ),
    V(
        "r-cholangio-idh1-after-gem-cis",
        make_case(
            "IHCH",
            [alt("IDH1 R132C")],
            prior=[(["gemcitabine", "cisplatin"], "progression")],
        ),
        "ClarIDHy: ivosidenib after prior therapy in IDH1-mutant cholangiocarcinoma fits.",
        fits=(r("ivosidenib"),),
    ),
    V(
        "r-melanoma-no-colorectal-combinations",
        make_case("SKCM", [alt("BRAF V600E")]),
        "Colorectal BRAF regimens (encorafenib + cetuximab, BEACON; + FOLFOX, BREAKWATER) rest on "
        "colorectal EGFR feedback and chemotherapy: not carried to melanoma; colorectal anti-EGFR "
        "resistance is not listed for a melanoma.",
        exclude=(
            r("encorafenib", "cetuximab"),
            r("encorafenib", "cetuximab", "oxaliplatin", "fluorouracil", "leucovorin"),
        ),
        fits=(r("dabrafenib", "trametinib"), r("encorafenib", "binimetinib")),
    ),
    V(
        "r-melanoma-after-dabrafenib-trametinib",
        make_case(
            "SKCM",
            [alt("BRAF V600E")],
            prior=[(["dabrafenib", "trametinib"], "progression")],
        ),
        "Dabrafenib + trametinib progressed on; another BRAF/MEK pair is only conditional.",
        not_recommended={r("dabrafenib", "trametinib"): "progressed_on"},
        conditional={r("encorafenib", "binimetinib"): "progressed_on_same_class"},
    ),
]


@pytest.fixture(scope="module")
def kb():
    return open_kb()


def test_there_are_at_least_30_relapsed_vignettes() -> None:
    assert len(RELAPSED) >= 30
    assert len({v.id for v in RELAPSED}) == len(RELAPSED)


@pytest.mark.parametrize("v", RELAPSED, ids=lambda v: v.id)
def test_relapsed_vignette(v: V, kb) -> None:
    result = check_vignette(v, kb)
    for item in result.not_recommended:
        assert item.citations and item.explanation
    if v.id == "r-egfr-first-line-figures-not-for-treated":
        flaura2 = {tuple(sorted(o.drugs)): o for o in result.options}[
            r("osimertinib", "carboplatin", "pemetrexed")
        ]
        assert flaura2.predicted is None, (
            "a first-line trial figure shown for a treated patient"
        )
    if v.id == "r-crc-kras-g13d-civic-conflict":
        cetuximab = [n for n in result.not_recommended if n.drugs == ["cetuximab"]][0]
        assert "Conflicting evidence not used: CIViC EID" in cetuximab.explanation


def test_unknown_oncotree_code_is_invalid_input_naming_the_nearest_codes(kb) -> None:
    case = make_case("LAUD", [alt("EGFR L858R")])
    with pytest.raises(UserInputError) as err:
        analyse_case(case, kb=kb)
    assert "tumor.oncotree_code" in str(err.value) and "LUAD" in str(err.value)


def test_resistance_from_another_tumor_type_is_not_listed(kb) -> None:
    result = analyse_case(make_case("SKCM", [alt("BRAF V600E")]), kb=kb).match
    assert not {"cetuximab", "panitumumab"} & {
        d for o in result.resistance for d in o.drugs
    }
