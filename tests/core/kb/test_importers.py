"""Importers read the real shared files with the expected counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncoboard.core.kb.civic import (
    CIVIC_TO_AMP,
    direction_of,
    read_civic,
    therapy_groups,
)
from oncoboard.core.kb.civic_profile import parse_profile
from oncoboard.core.kb.oncotree import load_oncotree_tsv
from oncoboard.core.kb.sources import CIVIC_TSV, CIVIC_YAML, ONCOTREE_JSON, ONCOTREE_TSV


def test_oncotree_has_898_nodes_in_tsv_and_json(shared: Path) -> None:
    tree = load_oncotree_tsv(shared / ONCOTREE_TSV)
    assert len(tree) == 898

    def count(children: dict) -> int:  # type: ignore[type-arg]
        return sum(1 + count(n["children"]) for n in children.values())

    assert count(json.loads((shared / ONCOTREE_JSON).read_text())) == 898


def test_oncotree_hierarchy(shared: Path) -> None:
    tree = load_oncotree_tsv(shared / ONCOTREE_TSV)
    assert tree.ancestors("LUAD") == ["NSCLC", "LUNG", "TISSUE"]
    assert tree.is_same_or_descendant("LUAD", "NSCLC")
    assert not tree.is_same_or_descendant("NSCLC", "LUAD")
    assert tree.name("COADREAD") == "Colorectal Adenocarcinoma"
    assert (
        tree.search("lung adeno")[0].code == "LUAD"
        or tree.search("LUAD")[0].code == "LUAD"
    )
    assert not tree.exists("NOPE")


def test_civic_tsv_has_4842_accepted_items(shared: Path) -> None:
    items = read_civic(shared / CIVIC_TSV)
    assert len(items) == 4842
    assert len({i.eid for i in items}) == 4842


def test_civic_yaml_matches_the_tsv(shared: Path) -> None:
    from_yaml = read_civic(shared / CIVIC_YAML)
    from_tsv = read_civic(shared / CIVIC_TSV)
    assert from_yaml == from_tsv


def test_official_nightly_format_is_read(small_civic: Path) -> None:
    nightly = read_civic(small_civic.with_name("civic_nightly_small.tsv"))
    flat = read_civic(small_civic)
    assert [i.eid for i in nightly] == [i.eid for i in flat]
    kit = next(i for i in nightly if i.eid == 34)
    assert kit.therapies == ("Sorafenib", "Imatinib", "Nilotinib")
    assert kit.url.endswith("/34") and kit.evidence_statement.startswith("Test fixture")


def test_a_non_civic_tsv_is_refused(tmp_path: Path) -> None:
    from oncoboard.core.errors import UserInputError

    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\n1\t2\n")
    with pytest.raises(UserInputError, match="not a CIViC evidence TSV"):
        read_civic(bad)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("EGFR L858R", [[("EGFR", "variant", "L858R")]]),
        ("KRAS G12", [[("KRAS", "codon", 12)]]),
        ("EML4::ALK Fusion", [[("ALK", "fusion", "EML4")]]),
        ("v::ROS1 Fusion", [[("ROS1", "fusion", None)]]),
        ("EGFR Exon 19 Deletion", [[("EGFR", "exon", 19)]]),
        ("MET Exon 14 Skipping Mutation", [[("MET", "exon_skipping", 14)]]),
        ("ERBB2 Amplification", [[("ERBB2", "amplification", None)]]),
        (
            "EGFR L858R AND EGFR T790M",
            [[("EGFR", "variant", "L858R"), ("EGFR", "variant", "T790M")]],
        ),
        (
            "EGFR L858R OR EGFR Exon 19 Deletion",
            [[("EGFR", "variant", "L858R")], [("EGFR", "exon", 19)]],
        ),
        ("KRAS G12/G13", [[("KRAS", "codon", 12)], [("KRAS", "codon", 13)]]),
    ],
)
def test_profiles_are_derived_from_the_molecular_profile(
    profile: str, expected: list
) -> None:  # type: ignore[type-arg]
    def key(b):  # type: ignore[no-untyped-def]
        detail = {
            "variant": b.variant,
            "codon": b.codon,
            "fusion": b.partner,
            "exon": b.exon,
            "exon_skipping": b.exon,
        }.get(b.kind)
        return (b.gene, b.kind, detail)

    parsed = parse_profile(profile)
    assert parsed is not None
    assert [[key(b) for b in alt] for alt in parsed] == expected


@pytest.mark.parametrize(
    "profile",
    [
        "TP53 Wildtype",
        "MET Amplification AND NOT KRAS Mutation",
        "MGMT Promoter Methylation",
        "",
    ],
)
def test_inexpressible_profiles_are_rejected(profile: str) -> None:
    assert parse_profile(profile) is None


def test_level_mapping_and_directions(shared: Path) -> None:
    assert CIVIC_TO_AMP == {"A": "A", "B": "B", "C": "C", "D": "D", "E": "D"}
    items = {i.eid: i for i in read_civic(shared / CIVIC_TSV)}
    assert direction_of(items[11599]) == "sensitive"
    assert direction_of(items[1]) is None  # diagnostic evidence
    assert therapy_groups(items[34]) == [("Sorafenib",), ("Imatinib",), ("Nilotinib",)]


def test_civic_entries_in_the_built_kb(built_kb: Path) -> None:
    from oncoboard.core.kb.store import KnowledgeBase

    with KnowledgeBase.open(built_kb) as kb:
        e = kb.entry("CIVIC-EID11599")
        assert e.source == "CIViC" and e.civic_eid == 11599 and e.rating == 4
        assert [b.variant for b in (e.biomarker, *e.also_requires)] == [
            "L858R",
            "T790M",
        ]
        assert (
            e.tumor == "NSCLC" and e.amp_level == "A" and e.therapy == ("osimertinib",)
        )
        # Substitutes: one entry per drug, each with the CIViC EID kept.
        assert {kb.entry(f"CIVIC-EID34{s}").civic_eid for s in ("", ".2", ".3")} == {34}
        # "Cancer" has no single OncoTree code: kept, labelled, never matched.
        unmapped = kb.entry("CIVIC-EID39")
        assert unmapped.tumor == "unmapped" and not unmapped.matchable
        assert unmapped not in kb.entries()
        stats = kb.stats()
    assert stats["civic_items"] == 4842
    assert stats["civic_unmapped_entries"] > 0
    assert sum(stats["civic_items_by_use"].values()) == 4842
