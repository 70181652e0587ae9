"""Later-line indications in the shipped KB (relapsed patients).

A first-line entry only makes an option "conditional" for a treated patient, so
the later-line FDA indications are curated as their own entries with the prior
therapy the label requires in ``setting.after``.  Each row: entry id, tumor the
entry must cover, gene, therapy, ``setting.after``, FDA approval date.  Sources
for every date are in the entry's approval note (knowledgebase/curated).
"""

from __future__ import annotations

import datetime as dt

import pytest

from oncoboard.core.kb.drugs import DRUG_CLASSES
from oncoboard.core.pipeline import open_kb

LATER_LINE = [
    (
        "ALK-FUSION-NSCLC-LORLATINIB-AFTER-ALK-TKI",
        "LUAD",
        "ALK",
        {"lorlatinib"},
        ["alk_tki"],
        "2018-11-02",
    ),
    (
        "ALK-FUSION-NSCLC-ALECTINIB-AFTER-CRIZOTINIB",
        "LUAD",
        "ALK",
        {"alectinib"},
        ["crizotinib"],
        "2015-12-11",
    ),
    (
        "ALK-FUSION-NSCLC-BRIGATINIB-AFTER-CRIZOTINIB",
        "LUAD",
        "ALK",
        {"brigatinib"},
        ["crizotinib"],
        "2017-04-28",
    ),
    (
        "ALK-FUSION-NSCLC-CERITINIB-AFTER-CRIZOTINIB",
        "LUSC",
        "ALK",
        {"ceritinib"},
        ["crizotinib"],
        "2014-04-29",
    ),
    (
        "ROS1-FUSION-NSCLC-TALETRECTINIB-AFTER-ROS1-TKI",
        "LUAD",
        "ROS1",
        {"taletrectinib"},
        ["ros1_tki"],
        "2025-06-11",
    ),
]


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return open_kb()


@pytest.mark.parametrize(
    ("entry_id", "tumor", "gene", "therapy", "after", "date"),
    LATER_LINE,
    ids=[row[0] for row in LATER_LINE],
)
def test_later_line_entry_is_in_the_kb(  # type: ignore[no-untyped-def]
    kb,
    entry_id: str,
    tumor: str,
    gene: str,
    therapy: set[str],
    after: list[str],
    date: str,
) -> None:
    e = kb.entry(entry_id)
    assert e.source == "OncoBoard curated"
    assert e.direction == "sensitive" and e.amp_level == "A"
    assert set(e.therapy) == therapy
    assert e.biomarker.gene == gene and e.biomarker.kind == "fusion"
    assert kb.oncotree().is_same_or_descendant(tumor, e.tumor)
    assert e.setting.line == "second_or_later"
    assert list(e.setting.after) == after
    fda = {a.date for a in e.approvals if a.agency == "FDA"}
    assert dt.date.fromisoformat(date) in fda
    assert all(a.note for a in e.approvals), (
        "every approval says where its date comes from"
    )
    assert any(c.type == "pmid" for c in e.citations) or entry_id.startswith("ROS1-")
    assert e.outcomes, "the pivotal later-line trial figures are recorded"


def test_every_after_names_a_class_or_a_drug(kb) -> None:  # type: ignore[no-untyped-def]
    for entry_id, *_ in LATER_LINE:
        for prior in kb.entry(entry_id).setting.after:
            assert prior in DRUG_CLASSES or kb.drug_classes(prior), prior


def test_margetuximab_needs_a_metastatic_anti_her2_line(kb) -> None:  # type: ignore[no-untyped-def]
    """MARGENZA label: two or more prior anti-HER2 regimens, at least one for metastatic disease."""
    e = kb.entry("HER2POS-BRCA-MARGETUXIMAB-CHEMO")
    assert list(e.setting.after) == ["anti_her2"]
    assert e.setting.min_prior_lines == 1
