"""Vignette suite: realistic cases with the options, tiers, resistance and flags a
board would expect.  Each vignette says why, and where that comes from.

Tiers follow AMP/ASCO/CAP 2017 (Li et al., J Mol Diagn 2017): level A evidence in
the tumor type → IA; FDA approval in another tumor type → IIC.
"""

from __future__ import annotations

import pytest

from oncoboard.core.pipeline import open_kb
from vignette_check import V, check_vignette, r
from vignette_dsl import alt, make_case

GASTRIC_TOGA = r("trastuzumab", "cisplatin", "capecitabine")


VIGNETTES = [
    # ---------------- NSCLC: EGFR ----------------
    V(
        "luad-egfr-l858r-1l",
        make_case("LUAD", [alt("EGFR L858R", 0.4)]),
        "FLAURA: osimertinib first line for EGFR L858R/ex19del NSCLC (FDA label, PMID 29151359).",
        include={r("osimertinib"): "IA"},
        labels=("EGFR L858R",),
    ),
    V(
        "luad-ex19del-classic",
        make_case("LUAD", [alt("EGFR E746_A750del")]),
        "E746_A750del is the classic in-frame exon 19 deletion → canonical label.",
        include={r("osimertinib"): "IA", r("afatinib"): "IA"},
        labels=("EGFR exon 19 deletion",),
    ),
    V(
        "luad-ex19-delins",
        make_case("LUAD", [alt("EGFR p.(Leu747_Pro753delinsSer)")]),
        "Exon 19 delins is an in-frame exon 19 deletion for therapy (EGFR codons 729-761, LRG_304).",
        include={r("osimertinib"): "IA"},
        labels=("EGFR exon 19 deletion",),
    ),
    V(
        "luad-ex19-three-letter",
        make_case("LUAD", [alt("EGFR p.Glu746_Ala750del")]),
        "Three-letter HGVS normalises to the same label.",
        labels=("EGFR exon 19 deletion",),
        include={r("osimertinib"): "IA"},
    ),
    V(
        "nsclc-t790m-after-erlotinib",
        make_case(
            "NSCLC",
            [alt("EGFR L858R"), alt("EGFR T790M")],
            prior=[(["erlotinib"], "progression")],
        ),
        "AURA3: osimertinib after progression on a 1st-gen TKI with T790M (PMID 27959700); "
        "T790M is resistance to gefitinib/erlotinib/afatinib.",
        top=r("osimertinib"),
        resistance=("erlotinib", "gefitinib", "afatinib"),
    ),
    V(
        "luad-t790m-resistance-shown-beside-sensitivity",
        make_case("LUAD", [alt("EGFR E746_A750del"), alt("EGFR T790M")]),
        "Resistance is shown in its own section; a regimen it covers is not recommended, not offered (issue 14).",
        exclude=(r("afatinib"),),
        resistance=("afatinib",),
        not_recommended={r("afatinib"): "resistance_in_profile"},
    ),
    V(
        "luad-ex20ins",
        make_case("LUAD", [alt("EGFR A767_V769dup")]),
        "Exon 20 duplication = exon 20 insertion: amivantamab + chemo (PAPILLON); classic TKIs resistant.",
        top=r("amivantamab", "carboplatin", "pemetrexed"),
        labels=("EGFR exon 20 insertion",),
        resistance=("gefitinib", "erlotinib", "afatinib"),
    ),
    V(
        "luad-ex20ins-true-insertion",
        make_case("LUAD", [alt("EGFR D770_N771insSVD")]),
        "A true exon 20 insertion.",
        labels=("EGFR exon 20 insertion",),
        include={r("amivantamab", "carboplatin", "pemetrexed"): "IA"},
    ),
    V(
        "luad-t790m-is-not-an-insertion",
        make_case("LUAD", [alt("EGFR T790M")]),
        "T790M is an exon 20 point mutation, not an insertion.",
        labels=("EGFR T790M",),
        exclude=(r("amivantamab", "carboplatin", "pemetrexed"),),
    ),
    V(
        "luad-s768i-uncommon",
        make_case("LUAD", [alt("EGFR S768I")]),
        "S768I is an uncommon sensitising mutation (afatinib label: G719X, L861Q, S768I); not an insertion.",
        include={r("afatinib"): "IA"},
        labels=("EGFR S768I",),
        exclude=(r("amivantamab", "carboplatin", "pemetrexed"),),
    ),
    V(
        "luad-g719a",
        make_case("LUAD", [alt("EGFR G719A")]),
        "G719X covered by the afatinib label.",
        include={r("afatinib"): "IA"},
    ),
    V(
        "luad-l861q",
        make_case("LUAD", [alt("EGFR L861Q")]),
        "L861Q covered by the afatinib label.",
        include={r("afatinib"): "IA"},
    ),
    V(
        "luad-c797s-phase-unknown",
        make_case(
            "LUAD",
            [alt("EGFR E746_A750del"), alt("EGFR T790M"), alt("EGFR C797S")],
            prior=[(["osimertinib"], "progression")],
        ),
        "C797S with T790M and no phase → c797s_phase_unknown; osimertinib resistance (Thress 2015).",
        flags=("c797s_phase_unknown",),
        resistance=("osimertinib",),
    ),
    V(
        "luad-c797s-cis-given",
        make_case(
            "LUAD",
            [
                alt("EGFR E746_A750del"),
                alt("EGFR T790M"),
                alt("EGFR C797S", phase="cis"),
            ],
        ),
        "With the phase given there is no phase flag.",
        no_flags=("c797s_phase_unknown",),
        resistance=("osimertinib",),
    ),
    V(
        "luad-egfr-alias-her1",
        make_case("LUAD", [alt("ERBB1 L858R")]),
        "ERBB1 is an HGNC alias of EGFR (typed by a user).",
        labels=("EGFR L858R",),
        include={r("osimertinib"): "IA"},
    ),
    # ---------------- NSCLC: other drivers ----------------
    V(
        "luad-eml4-alk",
        make_case("LUAD", [alt("EML4::ALK")]),
        "ALK fusion: alectinib (ALEX), lorlatinib (CROWN), brigatinib first line.",
        include={r("alectinib"): "IA", r("lorlatinib"): "IA", r("brigatinib"): "IA"},
    ),
    V(
        "luad-alk-partner-unknown",
        make_case("LUAD", [alt("ALK fusion")]),
        "ALK fusion with unknown partner is still an ALK fusion.",
        include={r("alectinib"): "IA"},
    ),
    V(
        "luad-ros1",
        make_case("LUAD", [alt("CD74::ROS1")]),
        "ROS1 fusion: crizotinib, entrectinib, repotrectinib.",
        include={
            r("crizotinib"): "IA",
            r("entrectinib"): "IA",
            r("repotrectinib"): "IA",
        },
    ),
    V(
        "luad-braf-v600e",
        make_case("LUAD", [alt("BRAF V600E")]),
        "BRAF V600E NSCLC: dabrafenib + trametinib; encorafenib + binimetinib (PHAROS).",
        include={
            r("dabrafenib", "trametinib"): "IA",
            r("encorafenib", "binimetinib"): "IA",
        },
    ),
    V(
        "luad-kras-g12c-2l",
        make_case(
            "LUAD",
            [alt("KRAS G12C")],
            prior=[(["carboplatin", "pemetrexed", "pembrolizumab"], "progression")],
        ),
        "KRAS G12C after prior systemic therapy: sotorasib, adagrasib (accelerated approvals).",
        include={r("sotorasib"): "IA", r("adagrasib"): "IA"},
    ),
    V(
        "luad-kras-g12d-not-g12c",
        make_case("LUAD", [alt("KRAS G12D")]),
        "G12D is not G12C: no G12C inhibitor.",
        exclude=(r("sotorasib"), r("adagrasib")),
    ),
    V(
        "luad-met-ex14",
        make_case("LUAD", [alt("MET ex14")]),
        "MET exon 14 skipping: capmatinib (GEOMETRY), tepotinib (VISION).",
        include={r("capmatinib"): "IA", r("tepotinib"): "IA"},
    ),
    V(
        "luad-ret-fusion",
        make_case("LUAD", [alt("KIF5B::RET")]),
        "RET fusion NSCLC: selpercatinib, pralsetinib.",
        include={r("selpercatinib"): "IA", r("pralsetinib"): "IA"},
    ),
    V(
        "luad-erbb2-mutation",
        make_case(
            "LUAD",
            [alt("ERBB2 Y772_A775dup")],
            prior=[(["carboplatin", "pemetrexed"], "progression")],
        ),
        "HER2-mutant NSCLC after systemic therapy: trastuzumab deruxtecan (DESTINY-Lung02).",
        include={r("trastuzumab deruxtecan"): "IA"},
    ),
    V(
        "luad-nrg1-fusion",
        make_case("LUAD", [alt("CD74::NRG1")]),
        "NRG1 fusion: zenocutuzumab (2024 accelerated approval).",
        include={r("zenocutuzumab"): "IA"},
    ),
    V(
        "luad-pdl1-high-no-driver",
        make_case("LUAD", [alt("TP53 R273H"), alt("STK11 Q37*")], pdl1={"tps": 80}),
        "PD-L1 TPS ≥50% without a driver: pembrolizumab monotherapy (KEYNOTE-024).",
        include={r("pembrolizumab"): "IA"},
    ),
    V(
        "luad-pdl1-high-with-egfr-driver",
        make_case("LUAD", [alt("EGFR L858R")], pdl1={"tps": 80}),
        "With an EGFR driver, PD-L1 monotherapy labels (no EGFR aberration) do not apply; the first-line "
        "EGFR network orders osimertinib + chemotherapy (FLAURA2) above osimertinib (FLAURA), and "
        "FLAURA2 vs MARIPOSA is not resolved (HR 0.89, 0.65-1.20).",
        exclude=(r("pembrolizumab"), r("cemiplimab"), r("atezolizumab")),
        fits=(r("osimertinib", "carboplatin", "pemetrexed"), r("osimertinib")),
    ),
    V(
        "luad-ntrk-agnostic",
        make_case("LUAD", [alt("ETV6::NTRK3")]),
        "NTRK fusion: tissue-agnostic larotrectinib/entrectinib (IA, agnostic).",
        include={r("larotrectinib"): "IA", r("entrectinib"): "IA"},
    ),
    # ---------------- Breast ----------------
    V(
        "brca-her2-low-after-chemo",
        make_case(
            "IDC",
            [],
            her2={"ihc": "2+", "ish": {"ratio": 1.3, "her2_copies": 2.9}},
            er="positive",
            prior=[
                (["letrozole", "ribociclib"], "progression"),
                (["paclitaxel"], "progression"),
            ],
        ),
        "IHC 2+ ISH not amplified = HER2-low; T-DXd after chemotherapy (DESTINY-Breast04).",
        include={r("trastuzumab deruxtecan"): "IA"},
        no_flags=("her2_ish_required",),
    ),
    V(
        "brca-her2-ihc2-no-ish",
        make_case("IDC", [], her2={"ihc": "2+"}, er="positive"),
        "IHC 2+ without ISH: status indeterminate → her2_ish_required (ASCO/CAP 2018).",
        flags=("her2_ish_required",),
        exclude=(r("trastuzumab", "pertuzumab", "docetaxel"),),
    ),
    V(
        "brca-her2-positive-ihc3",
        make_case("IDC", [], her2={"ihc": "3+"}),
        "IHC 3+ = HER2-positive: trastuzumab + pertuzumab + docetaxel first line (CLEOPATRA).",
        include={r("docetaxel", "pertuzumab", "trastuzumab"): "IA"},
    ),
    V(
        "brca-her2-ish-amplified",
        make_case(
            "IDC", [], her2={"ihc": "2+", "ish": {"ratio": 2.6, "her2_copies": 6.2}}
        ),
        "IHC 2+ with ISH group 1 (ratio ≥2.0, copies ≥4.0) = HER2-positive.",
        include={r("docetaxel", "pertuzumab", "trastuzumab"): "IA"},
    ),
    V(
        "brca-her2-ultralow-hr-pos",
        make_case(
            "IDC",
            [],
            her2={"ihc": "0", "ihc0_staining": "faint_incomplete_le10pct"},
            er="positive",
            prior=[(["letrozole", "palbociclib"], "progression")],
        ),
        "HER2-ultralow, HR+, after endocrine therapy: T-DXd (DESTINY-Breast06).",
        include={r("trastuzumab deruxtecan"): "IA"},
    ),
    V(
        "brca-her2-null",
        make_case(
            "IDC", [], her2={"ihc": "0", "ihc0_staining": "absent"}, er="positive"
        ),
        "HER2-null (IHC 0, no staining): no anti-HER2 option.",
        exclude=(r("trastuzumab deruxtecan"),),
    ),
    V(
        "brca-her2-1plus-low",
        make_case(
            "IDC",
            [],
            her2={"ihc": "1+"},
            er="negative",
            pr="negative",
            prior=[(["paclitaxel"], "progression")],
        ),
        "IHC 1+ = HER2-low regardless of HR; T-DXd after chemotherapy.",
        include={r("trastuzumab deruxtecan"): "IA"},
    ),
    V(
        "brca-pik3ca-h1047r",
        make_case(
            "IDC",
            [alt("PIK3CA H1047R")],
            er="positive",
            her2={"ihc": "1+"},
            prior=[(["letrozole", "palbociclib"], "progression")],
        ),
        "PIK3CA-mutant HR+ after endocrine therapy: alpelisib or capivasertib + fulvestrant.",
        include={
            r("alpelisib", "fulvestrant"): "IA",
            r("capivasertib", "fulvestrant"): "IA",
        },
    ),
    V(
        "brca-akt1-e17k",
        make_case(
            "IDC",
            [alt("AKT1 E17K")],
            er="positive",
            prior=[(["anastrozole"], "progression")],
        ),
        "AKT1 E17K: capivasertib + fulvestrant (CAPItello-291).",
        include={r("capivasertib", "fulvestrant"): "IA"},
    ),
    V(
        "brca-pten-truncating",
        make_case(
            "IDC",
            [alt("PTEN R130*")],
            er="positive",
            prior=[(["anastrozole"], "progression")],
        ),
        "PTEN loss-of-function: capivasertib + fulvestrant.",
        include={r("capivasertib", "fulvestrant"): "IA"},
    ),
    V(
        "brca-esr1-plasma",
        make_case(
            "IDC",
            [],
            plasma=[alt("ESR1 Y537S", 0.03)],
            tumor_fraction=0.06,
            er="positive",
            prior=[(["letrozole", "palbociclib"], "progression")],
        ),
        "ESR1-mutant ER+ after endocrine + CDK4/6: elacestrant (EMERALD); ESR1 = AI resistance.",
        include={r("elacestrant"): "IA"},
        resistance=("letrozole",),
    ),
    V(
        "brca-germline-brca2",
        make_case(
            "IDC",
            [],
            er="negative",
            pr="negative",
            her2={"ihc": "0", "ihc0_staining": "absent"},
            germline=[
                {
                    "gene": "BRCA2",
                    "protein": "p.S1982fs",
                    "classification": "pathogenic",
                }
            ],
        ),
        "Germline BRCA2 pathogenic variant: olaparib (OlympiAD), talazoparib (EMBRACA).",
        include={r("olaparib"): "IA", r("talazoparib"): "IA"},
    ),
    V(
        "brca-somatic-brca2-not-germline",
        make_case("IDC", [alt("BRCA2 S1982fs", 0.12)], er="positive"),
        "A somatic BRCA2 variant does not satisfy the germline-only talazoparib label (EMBRACA, IA); "
        "CIViC level B evidence without variant origin gives IIC at most (level B without consensus is "
        "AMP level C; docs/matching.md).",
        include={r("talazoparib"): "IIC"},
    ),
    V(
        "brca-tnbc-pdl1-cps10",
        make_case(
            "IDC",
            [],
            er="negative",
            pr="negative",
            her2={"ihc": "0", "ihc0_staining": "absent"},
            pdl1={"cps": 15},
        ),
        "TNBC with CPS ≥10: pembrolizumab + chemotherapy (KEYNOTE-355).",
        include={r("pembrolizumab", "paclitaxel"): None},
    ),
    # ---------------- Colorectal ----------------
    V(
        "crc-ras-wt-anti-egfr",
        make_case("COADREAD", [alt("APC R1450*"), alt("TP53 R175H")], ras="wild-type"),
        "RAS wild-type recorded by the lab: cetuximab / panitumumab fit.",
        include={r("cetuximab"): "IA", r("panitumumab"): "IA"},
        fits=(r("cetuximab"), r("panitumumab")),
    ),
    V(
        "crc-kras-g12d-resistance",
        make_case("COAD", [alt("KRAS G12D"), alt("APC R1450*")]),
        "KRAS-mutant CRC: resistant to cetuximab/panitumumab (PRIME, PMID 24024839); no anti-EGFR option.",
        resistance=("cetuximab", "panitumumab"),
        exclude=(r("cetuximab"), r("panitumumab")),
    ),
    V(
        "crc-nras-q61k-resistance",
        make_case("COADREAD", [alt("NRAS Q61K")]),
        "NRAS-mutant CRC is also excluded from anti-EGFR therapy.",
        resistance=("cetuximab", "panitumumab"),
    ),
    V(
        "crc-braf-v600e-2l",
        make_case(
            "COADREAD",
            [alt("BRAF V600E")],
            prior=[(["oxaliplatin", "fluorouracil", "leucovorin"], "progression")],
        ),
        "BRAF V600E mCRC after prior therapy: encorafenib + cetuximab (BEACON).",
        include={r("encorafenib", "cetuximab"): "IA"},
    ),
    V(
        "crc-kras-g12c",
        make_case(
            "COADREAD",
            [alt("KRAS G12C")],
            prior=[(["oxaliplatin", "fluorouracil", "leucovorin"], "progression")],
        ),
        "KRAS G12C mCRC: sotorasib + panitumumab, adagrasib + cetuximab; single-agent anti-EGFR resistance noted.",
        include={
            r("sotorasib", "panitumumab"): "IA",
            r("adagrasib", "cetuximab"): "IA",
        },
        resistance=("panitumumab",),
    ),
    V(
        "crc-msi-h",
        make_case("COADREAD", [alt("BRAF V600E")], msi="MSI-H"),
        "MSI-H mCRC: pembrolizumab first line (KEYNOTE-177).",
        include={r("pembrolizumab"): "IA"},
    ),
    V(
        "crc-her2-amplified",
        make_case(
            "COADREAD",
            [alt("ERBB2 amp")],
            her2={"ihc": "3+"},
            prior=[(["oxaliplatin", "fluorouracil", "leucovorin"], "progression")],
        ),
        "HER2-positive RAS wild-type mCRC: tucatinib + trastuzumab (MOUNTAINEER); T-DXd agnostic IHC 3+.",
        include={
            r("trastuzumab deruxtecan"): "IA",
            r("tucatinib", "trastuzumab"): "IA",
        },
    ),
    V(
        "crc-erbb2-amplified-by-ngs-only",
        make_case(
            "COADREAD",
            [alt("ERBB2 amp")],
            prior=[(["oxaliplatin", "fluorouracil", "leucovorin"], "progression")],
        ),
        "ERBB2 amplification by sequencing without IHC/ISH still opens HER2-directed options (confirm by IHC/ISH).",
        include={r("tucatinib", "trastuzumab"): "IA"},
    ),
    V(
        "crc-plasma-serial-chip",
        make_case(
            "COADREAD",
            [],
            plasma=[alt("KRAS G12C", 0.06), alt("TET2 Q1034*", 0.012)],
            tumor_fraction=0.08,
        ),
        "TET2 in plasma without tissue confirmation → possible_chip (clonal hematopoiesis).",
        flags=("possible_chip",),
    ),
    V(
        "crc-negative-plasma-low-tf",
        make_case("COADREAD", None, plasma=[], tumor_fraction=0.003),
        "Negative plasma with tumor fraction < 1% → non-informative; test tissue. Anti-EGFR only "
        "conditional on RAS testing.",
        flags=("noninformative_negative_liquid_biopsy",),
        conditional={r("cetuximab"): "status_not_established"},
    ),
    V(
        "crc-negative-plasma-unknown-tf",
        make_case("COADREAD", None, plasma=[]),
        "Negative plasma with unknown tumor fraction → non-informative.",
        flags=("noninformative_negative_liquid_biopsy",),
    ),
    # ---------------- Other tumor types ----------------
    V(
        "mel-braf-v600e",
        make_case("SKCM", [alt("BRAF V600E")]),
        "BRAF V600E melanoma: dabrafenib + trametinib, encorafenib + binimetinib, vemurafenib + cobimetinib.",
        include={
            r("dabrafenib", "trametinib"): "IA",
            r("encorafenib", "binimetinib"): "IA",
            r("vemurafenib", "cobimetinib"): "IA",
        },
    ),
    V(
        "mel-braf-v600k",
        make_case("MEL", [alt("BRAF V600K")]),
        "BRAF V600K is covered by the melanoma labels.",
        include={r("dabrafenib", "trametinib"): "IA"},
    ),
    V(
        "thyroid-ret-mtc",
        make_case("THME", [alt("RET M918T")]),
        "RET-mutant medullary thyroid cancer: selpercatinib (LIBRETTO-001/531).",
        include={r("selpercatinib"): "IA"},
    ),
    V(
        "thyroid-anaplastic-braf",
        make_case("THAP", [alt("BRAF V600E")]),
        "BRAF V600E anaplastic thyroid cancer: dabrafenib + trametinib.",
        include={r("dabrafenib", "trametinib"): "IA"},
    ),
    V(
        "chol-fgfr2-fusion",
        make_case(
            "IHCH",
            [alt("FGFR2::BICC1")],
            prior=[(["gemcitabine", "cisplatin"], "progression")],
        ),
        "FGFR2 fusion cholangiocarcinoma after prior therapy: pemigatinib, futibatinib.",
        include={r("pemigatinib"): "IA", r("futibatinib"): "IA"},
    ),
    V(
        "chol-idh1",
        make_case(
            "IHCH",
            [alt("IDH1 R132C")],
            prior=[(["gemcitabine", "cisplatin"], "progression")],
        ),
        "IDH1-mutant cholangiocarcinoma: ivosidenib (ClarIDHy).",
        include={r("ivosidenib"): "IA"},
    ),
    V(
        "blca-fgfr3",
        make_case(
            "BLCA", [alt("FGFR3 S249C")], prior=[(["pembrolizumab"], "progression")]
        ),
        "FGFR3-altered urothelial carcinoma after PD-(L)1: erdafitinib (THOR).",
        include={r("erdafitinib"): "IA"},
    ),
    V(
        "gist-kit-exon11",
        make_case("GIST", [alt("KIT W557_K558del")]),
        "KIT exon 11 GIST: imatinib.",
        include={r("imatinib"): "IA"},
    ),
    V(
        "gist-pdgfra-d842v",
        make_case("GIST", [alt("PDGFRA D842V")]),
        "PDGFRA D842V: avapritinib (NAVIGATOR); resistant to imatinib.",
        include={r("avapritinib"): "IA"},
        resistance=("imatinib",),
    ),
    V(
        "ovary-brca1",
        make_case("HGSOC", [alt("BRCA1 Q1756fs", 0.5)], setting="locally_advanced"),
        "BRCA1-mutant ovarian cancer: olaparib maintenance (SOLO-1).",
        include={r("olaparib"): "IA"},
    ),
    V(
        "prad-brca2",
        make_case(
            "PRAD", [alt("BRCA2 K3326*")], prior=[(["enzalutamide"], "progression")]
        ),
        "BRCA2 mCRPC after an AR pathway inhibitor: olaparib (PROfound).",
        include={r("olaparib"): "IA"},
    ),
    V(
        "gastric-her2-positive",
        make_case("STAD", [], her2={"ihc": "3+"}),
        "HER2-positive gastric (IHC 3+, gastric scoring): trastuzumab + chemotherapy first line (ToGA).",
        top=GASTRIC_TOGA,
    ),
    V(
        "medullary-thyroid-ret",
        make_case("THME", [alt("RET M918T")]),
        "Medullary thyroid cancer (OncoTree THME) with RET M918T: selpercatinib (LIBRETTO-001, FDA label). "
        "An unknown code such as 'MTC' is invalid input (test_relapsed_vignettes.py).",
        include={r("selpercatinib"): None},
    ),
    # ---------------- Tissue-agnostic and out-of-type ----------------
    V(
        "agnostic-ntrk-in-rare-tumor",
        make_case("ACYC", [alt("ETV6::NTRK3")]),
        "Adenoid cystic carcinoma with NTRK fusion: tissue-agnostic larotrectinib (IA, agnostic).",
        include={r("larotrectinib"): "IA"},
    ),
    V(
        "agnostic-tmb-h",
        make_case(
            "ACC", [alt("TP53 R273H")], tmb=14.0, prior=[(["mitotane"], "progression")]
        ),
        "TMB-H ≥10 mut/Mb after prior therapy: pembrolizumab (tissue-agnostic).",
        include={r("pembrolizumab"): "IA"},
    ),
    V(
        "agnostic-msi-h-rare",
        make_case("SBC", [], msi="MSI-H"),
        "MSI-H small bowel cancer: pembrolizumab tissue-agnostic.",
        include={r("pembrolizumab"): "IA"},
    ),
    V(
        "agnostic-braf-v600e-glioma",
        make_case("GB", [alt("BRAF V600E")]),
        "BRAF V600E glioblastoma: dabrafenib + trametinib tissue-agnostic (excluding colorectal).",
        include={r("dabrafenib", "trametinib"): "IA"},
    ),
    V(
        "agnostic-braf-excludes-crc",
        make_case("COADREAD", [alt("BRAF V600E")]),
        "The tissue-agnostic dabrafenib + trametinib label (IA) excludes colorectal cancer; "
        "only CIViC colorectal evidence (level B: tier IIC without curated corroboration) remains.",
        include={r("dabrafenib", "trametinib"): "IIC"},
    ),
    V(
        "out-of-type-kras-g12c-pancreas",
        make_case("PAAD", [alt("KRAS G12C")]),
        "KRAS G12C pancreas: G12C inhibitors approved in NSCLC → out-of-type, IIC at best.",
        include={r("sotorasib"): "IIC"},
    ),
    V(
        "typo-gene-symbol",
        make_case("LUAD", [alt("EGRF L858R")]),
        "Typo 'EGRF' → unknown_gene flag suggesting EGFR.",
        flags=("unknown_gene",),
    ),
    V(
        "her2-alias-amplification",
        make_case("STAD", [alt("HER2 amp")]),
        "HER2 is an alias of ERBB2.",
        labels=("ERBB2 amplification",),
    ),
    V(
        "germline-vaf-tp53",
        make_case("IDC", [alt("TP53 R248W", 0.49)]),
        "VAF ≈50% in a cancer-predisposition gene → possible_germline.",
        flags=("possible_germline",),
    ),
    V(
        "vus-gets-no-gene-level-evidence",
        make_case(
            "PRAD", [alt("BRCA2 V2466A")], prior=[(["enzalutamide"], "progression")]
        ),
        "A BRCA2 missense VUS must not match gene-level loss-of-function evidence.",
        exclude=(r("olaparib"),),
    ),
    # ---------------- Review findings (each was a real defect) ----------------
    V(
        "crc-low-tf-plasma-is-not-ras-wild-type",
        make_case(
            "COADREAD", None, plasma=[alt("APC R1450*", 0.002)], tumor_fraction=0.005
        ),
        "Plasma below 1% tumor fraction cannot establish RAS wild-type, even with a tested scope: "
        "anti-EGFR stays conditional on RAS testing.",
        conditional={
            r("cetuximab"): "status_not_established",
            r("panitumumab"): "status_not_established",
        },
    ),
    V(
        "crc-kras-amplification-is-not-ras-wild-type",
        make_case("COADREAD", [alt("KRAS amp"), alt("APC R1450*")]),
        "KRAS amplification causes anti-EGFR resistance: not RAS wild-type.",
        exclude=(r("cetuximab"), r("panitumumab")),
    ),
    V(
        "crc-ras-wt-caveat-is-visible",
        make_case("COADREAD", [alt("APC R1450*")]),
        "No test covered KRAS/NRAS: RAS wild-type is not inferred; anti-EGFR is conditional on RAS testing.",
        include={r("cetuximab"): "IA"},
        conditional={r("cetuximab"): "status_not_established"},
    ),
    V(
        "tnbc-needs-resolved-her2",
        make_case("IDC", [], her2={"ihc": "2+"}, er="negative", pr="negative"),
        "IHC 2+ awaiting ISH is not HER2-negative, so not triple-negative: no sacituzumab govitecan yet.",
        exclude=(r("sacituzumab govitecan"),),
        flags=("her2_ish_required",),
    ),
    V(
        "brand-name-prior-therapy",
        make_case(
            "IDC",
            [],
            her2={"ihc": "1+"},
            er="positive",
            prior=[(["Enhertu"], "progression")],
        ),
        "'Enhertu' is trastuzumab deruxtecan: the option is marked as already progressed on.",
    ),
    V(
        "c797s-does-not-support-first-gen-tki",
        make_case(
            "LUAD",
            [alt("EGFR L858R"), alt("EGFR T790M"), alt("EGFR C797S")],
            prior=[(["osimertinib"], "progression")],
        ),
        "T790M/C797S are resistance, not a basis for gene-level erlotinib sensitivity; "
        "osimertinib-based regimens are ranked after fitting options.",
        flags=("c797s_phase_unknown",),
        resistance=("osimertinib", "erlotinib"),
    ),
    V(
        "fusion-typed-under-partner",
        make_case("LUAD", [{"gene": "EML4", "kind": "fusion", "partner": "ALK"}]),
        "A fusion typed under its partner gets the canonical 5'::3' label and the ALK options.",
        labels=("EML4::ALK fusion",),
        include={r("alectinib"): "IA"},
    ),
    V(
        "prostate-combinations-not-carried-to-breast",
        make_case(
            "IDC",
            [],
            er="negative",
            pr="negative",
            her2={"ihc": "0", "ihc0_staining": "absent"},
            germline=[
                {
                    "gene": "BRCA2",
                    "protein": "p.S1982fs",
                    "classification": "pathogenic",
                }
            ],
        ),
        "Abiraterone/enzalutamide combinations are prostate-specific: not offered out of type.",
        exclude=(
            r("olaparib", "abiraterone", "prednisone"),
            r("talazoparib", "enzalutamide"),
            r("niraparib", "abiraterone", "prednisone"),
        ),
    ),
    V(
        "no-actionable-finding",
        make_case("LUAD", [alt("TP53 R273H")]),
        "TP53 alone is not actionable.",
        no_options=True,
    ),
]


@pytest.fixture(scope="module")
def kb():
    return open_kb()


def test_there_are_at_least_60_vignettes() -> None:
    assert len(VIGNETTES) >= 60
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.id)
def test_vignette(v: V, kb) -> None:
    check_vignette(v, kb)
