"""The read API the matcher and GUI use."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from oncoboard.core.errors import NotFoundError, StorageError
from oncoboard.core.kb.store import KnowledgeBase

OSI = "FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB"


@pytest.fixture
def kb(built_kb: Path):  # type: ignore[no-untyped-def]
    with KnowledgeBase.open(built_kb) as base:
        yield base


def test_identity(kb: KnowledgeBase) -> None:
    assert kb.version == "2026.1.0" and len(kb.sha256) == 64
    assert kb.manifest["schema"] == "oncoboard.kb-manifest/1"
    assert kb.verify()


def test_entries_by_gene_include_also_required_genes(kb: KnowledgeBase) -> None:
    egfr = {e.id for e in kb.entries_for_gene("EGFR")}
    assert OSI in egfr and "CIVIC-EID11599" in egfr
    # ABL1 entries include BCR::ABL1 fusions; BCR itself is only a fusion partner.
    assert kb.entries_for_gene("ABL1")
    assert all(e.matchable for e in kb.entries_for_gene("EGFR"))


def test_entries_for_status(kb: KnowledgeBase) -> None:
    assert [e.id for e in kb.entries_for_status("HER2-low")] == [
        "FIXTURE-HER2LOW-BRCA-TDXD"
    ]
    assert kb.entries_for_status("MSI-H") == []


def test_entry_lookup(kb: KnowledgeBase) -> None:
    e = kb.entry(OSI)
    assert e.source == "OncoBoard curated" and e.source_file == "curated/fixture.yaml"
    assert e.setting.after == ["egfr_tki_1st_2nd_gen"]
    with pytest.raises(NotFoundError, match="NOPE"):
        kb.entry("NOPE")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("osimertinib", OSI),
        ("Tagrisso", OSI),  # brand name
        ("AZD9291", OSI),  # synonym
        ("osim", OSI),  # prefix
        ("T790M", OSI),
        ("Enhertu", "FIXTURE-HER2LOW-BRCA-TDXD"),
        ("HER2-low breast", "FIXTURE-HER2LOW-BRCA-TDXD"),
        ("Non-Small Cell Lung", OSI),  # tumor name
    ],
)
def test_search_finds_by_drug_brand_variant_and_tumor(
    kb: KnowledgeBase, term: str, expected: str
) -> None:
    assert expected in [e.id for e in kb.search(term)]


def test_search_puts_curated_first_and_handles_odd_input(kb: KnowledgeBase) -> None:
    hits = kb.search("osimertinib")
    assert hits[0].source == "OncoBoard curated"
    assert kb.search("") == [] and kb.search('"*') == []
    assert len(kb.search("EGFR", limit=3)) == 3


def test_drugs(kb: KnowledgeBase) -> None:
    assert kb.canonical_drug("Tagrisso") == "osimertinib"
    assert kb.canonical_drug("T-DXd") == "trastuzumab deruxtecan"
    assert kb.drug_classes("osimertinib") == {"egfr_tki", "egfr_tki_3rd_gen"}
    assert kb.drug_classes("Tagrisso") == {"egfr_tki", "egfr_tki_3rd_gen"}
    assert (
        kb.canonical_drug("unknownib") is None and kb.drug_classes("unknownib") == set()
    )


def test_oncotree_from_kb(kb: KnowledgeBase) -> None:
    tree = kb.oncotree()
    assert len(tree) == 898
    assert tree.parent("LUAD") == "NSCLC"
    assert tree.main_type("LUAD") == "Non-Small Cell Lung Cancer"


def test_kmdata_links(kb: KnowledgeBase) -> None:
    assert kb.kmdata_links(OSI) == [
        {
            "outcome": 0,
            "trial": "AURA3",
            "endpoint": "PFS",
            "dataset": "AURA3_1A",
            "arm": "osimertinib",
        }
    ]


def test_stats_show_coverage(kb: KnowledgeBase) -> None:
    stats = kb.stats()
    assert stats["by_source"]["OncoBoard curated"] == 3
    assert stats["oncotree_nodes"] == 898 and stats["civic_items"] == 4842
    assert stats["by_gene"]["EGFR"] >= 2
    assert stats["matchable"] == len(kb.entries())
    # The fixture: 3 curated entries, 2 sensitive, only the T-DXd one with an
    # FDA approval and an ESCAT tier, none with an EMA approval.
    assert stats["curation_coverage"] == {
        "curated_entries": 3,
        "curated_sensitive_entries": 2,
        "with_escat_tier": 1,
        "sensitive_with_fda_approval": 1,
        "sensitive_with_ema_approval": 0,
    }


def test_the_file_is_opened_read_only(kb: KnowledgeBase) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        kb._conn.execute("DELETE FROM entries")  # noqa: SLF001


def test_verify_detects_a_modified_file(built_kb: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kb.sqlite"
    shutil.copy(built_kb, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute(
            "UPDATE entries SET amp_level = 'A' WHERE id = ?",
            ("FIXTURE-EGFR-T790M-NSCLC-GEFITINIB-RES",),
        )
    conn.close()
    with KnowledgeBase.open(copy) as kb:
        assert not kb.verify()


def test_not_a_kb_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not an OncoBoard knowledge base"):
        KnowledgeBase.open(junk)
