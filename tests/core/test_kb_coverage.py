"""The shipped knowledge base covers the minimum list of issue 4 (curated entries, real KB)."""

from __future__ import annotations

import pytest

from oncoboard.core.pipeline import open_kb

# (tumor code the entry must cover, gene or status, optional drug that must appear)
REQUIRED = [
    ("NSCLC", "EGFR", "osimertinib"),
    ("NSCLC", "EGFR", "amivantamab"),
    ("NSCLC", "ALK", "alectinib"),
    ("NSCLC", "ROS1", "crizotinib"),
    ("NSCLC", "BRAF", "dabrafenib"),
    ("NSCLC", "KRAS", "sotorasib"),
    ("NSCLC", "MET", "capmatinib"),
    ("NSCLC", "MET", "telisotuzumab vedotin"),
    ("NSCLC", "RET", "selpercatinib"),
    ("NSCLC", "ERBB2", "trastuzumab deruxtecan"),
    ("NSCLC", "NRG1", "zenocutuzumab"),
    ("NSCLC", "PD-L1 TPS>=50", "pembrolizumab"),
    ("BRCA", "HER2-positive", "pertuzumab"),
    ("BRCA", "HER2-low", "trastuzumab deruxtecan"),
    ("BRCA", "HER2-ultralow", "trastuzumab deruxtecan"),
    ("BRCA", "PIK3CA", "alpelisib"),
    ("BRCA", "AKT1", "capivasertib"),
    ("BRCA", "PTEN", "capivasertib"),
    ("BRCA", "ESR1", "elacestrant"),
    ("BRCA", "BRCA1", "olaparib"),
    ("BRCA", "BRCA2", "talazoparib"),
    ("BRCA", "PD-L1 CPS>=10", "pembrolizumab"),
    ("COADREAD", "RAS-wild-type", "cetuximab"),
    ("COADREAD", "BRAF", "encorafenib"),
    ("COADREAD", "KRAS", "sotorasib"),
    ("COADREAD", "HER2-positive", "tucatinib"),
    ("COADREAD", "MSI-H/dMMR", "pembrolizumab"),
    ("STAD", "HER2-positive", "trastuzumab"),
    ("STAD", "CLDN18", "zolbetuximab"),
    ("STAD", "PD-L1 CPS>=1", "nivolumab"),
    ("HGSOC", "BRCA1", "olaparib"),
    ("HGSOC", "HRD-positive", "olaparib"),
    ("HGSOC", "FOLR1", "mirvetuximab soravtansine"),
    ("PRAD", "BRCA2", "olaparib"),
    ("PRAD", "ATM", "olaparib"),
    ("SKCM", "BRAF", "dabrafenib"),
    ("THME", "RET", "selpercatinib"),
    ("THAP", "BRAF", "dabrafenib"),
    ("IHCH", "FGFR2", "pemigatinib"),
    ("IHCH", "IDH1", "ivosidenib"),
    ("IHCH", "HER2 IHC 3+", "zanidatamab"),
    ("BLCA", "FGFR3", "erdafitinib"),
    ("GIST", "KIT", "imatinib"),
    ("GIST", "PDGFRA", "avapritinib"),
    ("agnostic", "NTRK1", "larotrectinib"),
    ("agnostic", "RET", "selpercatinib"),
    ("agnostic", "BRAF", "dabrafenib"),
    ("agnostic", "TMB-H", "pembrolizumab"),
    ("agnostic", "MSI-H/dMMR", "pembrolizumab"),
    ("agnostic", "HER2 IHC 3+", "trastuzumab deruxtecan"),
]
RESISTANCE = [
    ("NSCLC", "EGFR", "gefitinib"),
    ("NSCLC", "EGFR", "osimertinib"),
    ("COADREAD", "KRAS", "cetuximab"),
    ("COADREAD", "NRAS", "panitumumab"),
    ("BRCA", "ESR1", "letrozole"),
    ("GIST", "PDGFRA", "imatinib"),
]


@pytest.fixture(scope="module")
def curated():
    kb = open_kb()
    return kb, [e for e in kb.entries() if e.source == "OncoBoard curated"]


def _covers(kb, entry, tumor: str) -> bool:
    if tumor == "agnostic" or entry.tumor == "agnostic":
        return entry.tumor == tumor
    return kb.oncotree().is_same_or_descendant(tumor, entry.tumor)


def _key(entry) -> set[str]:
    b = entry.biomarker
    return {b.gene or "", b.status or ""} | {x.gene or "" for x in entry.also_requires}


@pytest.mark.parametrize("tumor,marker,drug", REQUIRED, ids=lambda v: str(v))
def test_sensitive_coverage(curated, tumor: str, marker: str, drug: str) -> None:
    kb, entries = curated
    hits = [
        e
        for e in entries
        if e.direction == "sensitive"
        and marker in _key(e)
        and drug in e.therapy
        and _covers(kb, e, tumor)
    ]
    assert hits, f"no curated entry: {marker} → {drug} in {tumor}"
    assert all(e.citations for e in hits)


@pytest.mark.parametrize("tumor,marker,drug", RESISTANCE, ids=lambda v: str(v))
def test_resistance_coverage(curated, tumor: str, marker: str, drug: str) -> None:
    kb, entries = curated
    assert [
        e
        for e in entries
        if e.direction == "resistant"
        and marker in _key(e)
        and drug in e.therapy
        and _covers(kb, e, tumor)
    ]


def test_stats_report_curated_and_civic_sources() -> None:
    stats = open_kb().stats()
    text = repr(stats)
    assert "OncoBoard curated" in text and "CIViC" in text
