"""The shipped KB records the FDA indications that issue 17 found missing.

Each row names the tumor the entry must cover, the biomarker (gene, or case
status), the exact therapy and the FDA approval date; the test reads the built
KB (``desktop/oncoboard/data/kb.sqlite``, via ``open_kb``) like
``tests/core/test_kb_coverage.py``.  Sources for every date are in the entry's
approval note.
"""

from __future__ import annotations

import datetime as dt

import pytest

from oncoboard.core.pipeline import open_kb

# (entry id, tumor covered, gene or status, therapy, FDA approval date)
INDICATIONS = [
    ("BRAF-V600E-MEL-VEMURAFENIB", "SKCM", "BRAF", {"vemurafenib"}, "2011-08-17"),
    ("BRAF-V600E-MEL-DABRAFENIB", "SKCM", "BRAF", {"dabrafenib"}, "2013-05-29"),
    ("BRAF-V600E-MEL-TRAMETINIB", "SKCM", "BRAF", {"trametinib"}, "2013-05-29"),
    ("BRAF-V600K-MEL-TRAMETINIB", "SKCM", "BRAF", {"trametinib"}, "2013-05-29"),
    (
        "BRCA1-OVARY-OLAPARIB-RECURRENT-MAINTENANCE",
        "HGSOC",
        "BRCA1",
        {"olaparib"},
        "2017-08-17",
    ),
    (
        "BRCA2-OVARY-OLAPARIB-RECURRENT-MAINTENANCE",
        "HGSOC",
        "BRCA2",
        {"olaparib"},
        "2017-08-17",
    ),
    (
        "KRAS-MUT-LGSOC-AVUTOMETINIB-DEFACTINIB",
        "LGSOC",
        "KRAS",
        {"avutometinib", "defactinib"},
        "2025-05-08",
    ),
    (
        "PDL1-TPS1-NSCLC-NIVOLUMAB-IPILIMUMAB-1L",
        "LUAD",
        "PD-L1 TPS>=1",
        {"nivolumab", "ipilimumab"},
        "2020-05-15",
    ),
    (
        "HER2POS-HRPOS-BRCA-LAPATINIB-LETROZOLE-1L",
        "IDC",
        "HER2-positive",
        {"lapatinib", "letrozole"},
        "2010-01-29",
    ),
    (
        "BRAF-V600E-NSCLC-ENCORAFENIB-BINIMETINIB",
        "LUAD",
        "BRAF",
        {"encorafenib", "binimetinib"},
        "2023-10-12",
    ),
    (
        "HRPOS-BRCA-PALBOCICLIB-LETROZOLE-1L",
        "BRCA",
        "HR-positive",
        {"palbociclib", "letrozole"},
        "2015-02-03",
    ),
    (
        "HRPOS-BRCA-PALBOCICLIB-LETROZOLE-1L",
        "BRCA",
        "HR-positive",
        {"palbociclib", "letrozole"},
        "2017-03-31",
    ),
    (
        "HRPOS-BRCA-PALBOCICLIB-FULVESTRANT",
        "BRCA",
        "HR-positive",
        {"palbociclib", "fulvestrant"},
        "2016-02-19",
    ),
    ("KIT-MUT-GIST-SUNITINIB-2L", "GIST", "KIT", {"sunitinib"}, "2006-01-26"),
    # Tumor-by-tumor search (issue 17, part D)
    (
        "BRCA1-GERMLINE-PAAD-OLAPARIB-MAINTENANCE",
        "PAAD",
        "BRCA1",
        {"olaparib"},
        "2019-12-27",
    ),
    (
        "BRCA2-GERMLINE-PAAD-OLAPARIB-MAINTENANCE",
        "PAAD",
        "BRCA2",
        {"olaparib"},
        "2019-12-27",
    ),
    (
        "PDL1-CPS1-HNSC-PEMBROLIZUMAB-1L",
        "HNSC",
        "PD-L1 CPS>=1",
        {"pembrolizumab"},
        "2019-06-10",
    ),
    (
        "DMMR-UCEC-DOSTARLIMAB-AFTER-PLATINUM",
        "UCEC",
        "dMMR",
        {"dostarlimab"},
        "2021-04-22",
    ),
    (
        "MSI-H-DMMR-UCEC-DOSTARLIMAB-CARBOPLATIN-PACLITAXEL-1L",
        "UCEC",
        "MSI-H/dMMR",
        {"dostarlimab", "carboplatin", "paclitaxel"},
        "2024-08-01",
    ),
    # Case statuses from the HLA type and the PSMA PET (biomarkers.hla, biomarkers.psma_pet)
    (
        "HLA-A0201-UM-TEBENTAFUSP",
        "UM",
        "HLA-A*02:01-positive",
        {"tebentafusp"},
        "2022-01-26",
    ),
    (
        "PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-AFTER-ARPI-TAXANE",
        "PRAD",
        "PSMA-positive",
        {"lutetium-177 vipivotide tetraxetan"},
        "2022-03-23",
    ),
    (
        "PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-TAXANE-NAIVE",
        "PRAD",
        "PSMA-positive",
        {"lutetium-177 vipivotide tetraxetan"},
        "2025-03-28",
    ),
]


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return open_kb()


@pytest.mark.parametrize(
    ("entry_id", "tumor", "marker", "therapy", "date"),
    INDICATIONS,
    ids=[f"{row[0]}@{row[4]}" for row in INDICATIONS],
)
def test_missing_fda_indication_is_in_the_kb(  # type: ignore[no-untyped-def]
    kb, entry_id: str, tumor: str, marker: str, therapy: set[str], date: str
) -> None:
    e = kb.entry(entry_id)
    assert e.source == "OncoBoard curated"
    assert e.direction == "sensitive" and e.amp_level == "A"
    assert set(e.therapy) == therapy
    assert marker in {e.biomarker.gene, e.biomarker.status}
    assert kb.oncotree().is_same_or_descendant(tumor, e.tumor)
    fda = {a.date for a in e.approvals if a.agency == "FDA"}
    assert dt.date.fromisoformat(date) in fda
    assert all(a.note for a in e.approvals), (
        "every approval says where its date comes from"
    )


def test_melanoma_combination_lines_follow_the_label(kb) -> None:  # type: ignore[no-untyped-def]
    for entry_id in (
        "BRAF-V600E-MEL-VEMURAFENIB-COBIMETINIB",
        "BRAF-V600K-MEL-VEMURAFENIB-COBIMETINIB",
        "BRAF-V600-MEL-ATEZOLIZUMAB-COBIMETINIB-VEMURAFENIB",
    ):
        assert kb.entry(entry_id).setting.line == "any", entry_id


def test_gist_therapy_sequence(kb) -> None:  # type: ignore[no-untyped-def]
    sunitinib = kb.entry("KIT-MUT-GIST-SUNITINIB-2L").setting
    regorafenib = kb.entry("KIT-MUT-GIST-REGORAFENIB-3L").setting
    ripretinib = kb.entry("KIT-MUT-GIST-RIPRETINIB-4L").setting
    assert sunitinib.after == ["imatinib"]
    assert regorafenib.after == ["imatinib", "sunitinib"]
    # kit_inhibitor in `after`: progression on the other kinase inhibitors is the indication itself
    assert (
        ripretinib.after == ["imatinib", "kit_inhibitor"]
        and ripretinib.min_prior_lines == 3
    )
    d842v = kb.entry("PDGFRA-D842V-GIST-IMATINIB-RESISTANT")
    assert d842v.direction == "resistant" and d842v.amp_level == "A"
    assert kb.entry("PDGFRA-D842V-GIST-AVAPRITINIB").approvals[0].date == dt.date(
        2020, 1, 9
    )


def test_lu177_settings_follow_the_two_labels(kb) -> None:  # type: ignore[no-untyped-def]
    """VISION (2022): after an ARPI and a taxane; PSMAfore (2025): after an ARPI, taxane-naive."""
    vision = kb.entry("PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-AFTER-ARPI-TAXANE")
    psmafore = kb.entry("PSMA-PRAD-LU177-VIPIVOTIDE-MCRPC-TAXANE-NAIVE")
    assert vision.setting.line == psmafore.setting.line == "second_or_later"
    assert sorted(vision.setting.after) == ["arpi", "taxane"]
    assert psmafore.setting.after == ["arpi"]
    assert {o.trial for o in vision.outcomes} == {"VISION"}
    assert {o.trial for o in psmafore.outcomes} == {"PSMAfore"}
    assert {c.id for c in vision.citations if c.type == "pmid"} == {"34161051"}
    assert {c.id for c in psmafore.citations if c.type == "pmid"} == {"39293462"}
    tebentafusp = kb.entry("HLA-A0201-UM-TEBENTAFUSP")
    assert tebentafusp.setting.line == "any"
    assert {c.id for c in tebentafusp.citations if c.type == "pmid"} == {"34551229"}
    os_ = next(o for o in tebentafusp.outcomes if o.endpoint == "OS")
    assert (os_.trial, os_.hr, os_.hr_ci) == ("IMCgp100-202", 0.51, (0.37, 0.71))
