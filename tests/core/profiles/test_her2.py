"""HER2 status engine: every branch, each row citing the guideline rule.

Breast: ASCO/CAP 2018 focused update, Wolff et al. J Clin Oncol 2018;36:2105,
PMID 29846122 (affirmed by the 2023 update, PMID 37284804).
Gastroesophageal: Bartley et al. J Clin Oncol 2017;35:446 / Arch Pathol Lab
Med 2016;140:1345, PMID 27841667.
"""

from __future__ import annotations

import pytest

from oncoboard.core.case.model import Her2, IshResult
from oncoboard.core.profiles import assess_her2
from oncoboard.core.profiles.her2 import ish_group


def her2(ihc: str | None = None, ratio: float | None = None, copies: float | None = None,
         staining: str | None = None) -> Her2:  # fmt: skip
    ish = (
        IshResult(ratio=ratio, her2_copies=copies)
        if (ratio or copies) is not None
        else None
    )
    return Her2(ihc=ihc, ish=ish, ihc0_staining=staining)


BREAST = [
    # (ihc, ratio, copies, staining, status, ish_group, flag, citation)
    ("3+", None, None, None, "HER2-positive", None, None, "2018: IHC 3+ positive"),
    (
        "2+",
        None,
        None,
        None,
        None,
        None,
        "her2_ish_required",
        "2018: IHC 2+ equivocal, reflex ISH",
    ),
    (
        "2+",
        2.5,
        5.0,
        None,
        "HER2-positive",
        1,
        None,
        "2018: group 1 ratio>=2.0 copies>=4.0",
    ),
    (
        "2+",
        2.2,
        3.5,
        None,
        "HER2-low",
        2,
        None,
        "2018: group 2 + IHC 2+ negative after recount",
    ),
    ("3+", 2.2, 3.5, None, "HER2-positive", 2, None, "2018: group 2 + IHC 3+ positive"),
    ("1+", 2.2, 3.5, None, "HER2-low", 2, None, "2018: group 2 + IHC 0/1+ negative"),
    (
        "2+",
        1.5,
        6.5,
        None,
        "HER2-positive",
        3,
        None,
        "2018: group 3 + IHC 2+ positive after recount",
    ),
    ("1+", 1.5, 6.5, None, "HER2-low", 3, None, "2018: group 3 + IHC 0/1+ negative"),
    ("0", 1.5, 6.5, "absent", "HER2-null", 3, None, "2018: group 3 + IHC 0 negative"),
    ("2+", 1.5, 4.5, None, "HER2-low", 4, None, "2018: group 4 + IHC 2+ negative"),
    ("3+", 1.5, 4.5, None, "HER2-positive", 4, None, "2018: group 4 + IHC 3+ positive"),
    (
        "2+",
        1.3,
        2.9,
        None,
        "HER2-low",
        5,
        None,
        "2018: group 5 negative; 2023: IHC 2+/ISH- is HER2-low",
    ),
    (
        "1+",
        None,
        None,
        None,
        "HER2-low",
        None,
        None,
        "2018: IHC 1+ negative; 2023: HER2-low",
    ),
    (
        "0",
        None,
        None,
        "faint_incomplete_le10pct",
        "HER2-ultralow",
        None,
        None,
        "IHC 0 with faint staining <=10% (DB-06)",
    ),
    ("0", None, None, "absent", "HER2-null", None, None, "IHC 0, no staining"),
    (
        "0",
        None,
        None,
        None,
        None,
        None,
        "her2_ihc0_staining_unknown",
        "IHC 0 without staining detail",
    ),
    (
        "0",
        2.4,
        4.4,
        None,
        "HER2-positive",
        1,
        None,
        "2018: group 1 is positive whatever the IHC",
    ),
    (None, 2.4, 4.4, None, "HER2-positive", 1, None, "2018: group 1 positive"),
    (
        None,
        1.2,
        2.0,
        None,
        None,
        5,
        "her2_ihc_required",
        "2018: group 5 negative; IHC needed for low/null",
    ),
    (
        None,
        2.2,
        3.5,
        None,
        None,
        2,
        "her2_ihc_required",
        "2018: groups 2-4 need concomitant IHC",
    ),
    (
        "2+",
        2.2,
        None,
        None,
        None,
        None,
        "her2_ish_required",
        "dual-probe ISH needs ratio and copies",
    ),
]


@pytest.mark.parametrize(
    ("ihc", "ratio", "copies", "staining", "status", "group", "flag", "citation"),
    BREAST,
)
def test_breast_asco_cap_2018(
    ihc, ratio, copies, staining, status, group, flag, citation
) -> None:  # noqa: ANN001
    result = assess_her2(her2(ihc, ratio, copies, staining), "IDC")
    assert result is not None, citation
    assert (result.status, result.ish_group) == (status, group), citation
    assert [f.code for f in result.flags] == ([flag] if flag else []), citation
    assert "29846122" in result.guideline
    assert result.rule  # the GUI and the report show it


def test_rule_string_names_the_deciding_rule() -> None:
    result = assess_her2(her2("2+", 1.3, 2.9), "IDC")
    assert result is not None
    assert "ISH group 5" in result.rule and "HER2-low" in result.rule


@pytest.mark.parametrize(
    ("ratio", "copies", "group"),
    [
        (2.0, 4.0, 1),
        (2.0, 3.99, 2),
        (1.99, 6.0, 3),
        (1.99, 4.0, 4),
        (1.99, 5.99, 4),
        (1.99, 3.99, 5),
        (None, 4.0, None),
    ],
)
def test_ish_group_boundaries(ratio, copies, group) -> None:  # noqa: ANN001
    assert ish_group(ratio, copies) == group


GASTRIC = [
    ("3+", None, "HER2-positive", None),
    ("2+", 2.0, "HER2-positive", None),
    ("2+", 1.9, "HER2-negative", None),
    ("2+", None, None, "her2_ish_required"),
    ("1+", None, "HER2-negative", None),
    ("0", None, "HER2-negative", None),
]


@pytest.mark.parametrize(("ihc", "ratio", "status", "flag"), GASTRIC)
def test_gastroesophageal_bartley_2017(ihc, ratio, status, flag) -> None:  # noqa: ANN001
    result = assess_her2(her2(ihc, ratio, 3.0 if ratio else None), "STAD")
    assert result is not None
    assert result.status == status
    assert [f.code for f in result.flags] == ([flag] if flag else [])
    assert "27841667" in result.guideline


def test_gastric_scoring_can_be_forced_and_low_categories_do_not_apply() -> None:
    result = assess_her2(her2("1+"), "ADNOS", is_gastric=True)
    assert result is not None and result.status == "HER2-negative"


def test_no_her2_result_gives_none() -> None:
    assert assess_her2(None, "IDC") is None
    assert assess_her2(Her2(), "IDC") is None
