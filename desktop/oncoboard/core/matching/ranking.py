"""Ordering of options.  The policy text every report prints is
``oncoboard.core.survival.ranking.RANKING_POLICY``; this module implements it.

1. AMP/ASCO/CAP tier first: a tier IIC option never outranks a tier IA option.
2. Within a tier, options that fit the patient come before conditional ones
   (a later-line prerequisite not recorded, a first-line indication for a
   treated patient, a status not established ...; see ``applicability.py``).
   Regimens that must not be offered are not ranked at all.
3. Then predicted progression-free restricted mean survival time (RMST to the
   horizon, higher first), then predicted median.  Only PFS predictions are
   compared with each other; options without one follow those with one.
4. Ties go to evidence strength (level, approvals, curation, specificity),
   then tumor match (same, agnostic, other), then therapy name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from oncoboard.core.matching.result import Predicted

if TYPE_CHECKING:
    from oncoboard.core.matching.matcher import Candidate

TUMOR_MATCH_ORDER = {"same": 0, "agnostic": 1, "other": 2}
from oncoboard.core.survival.ranking import (  # noqa: E402  (single source)
    RANKING_POLICY,
    TIER_ORDER,
    prediction_key,
)

__all__ = ["RANKING_POLICY", "TIER_ORDER", "TUMOR_MATCH_ORDER", "candidate_key", "order_groups"]


def candidate_key(cand: Candidate) -> tuple[object, ...]:
    """Best candidate first: tier, curated before CIViC, setting met, strength, tumor match."""
    return (
        TIER_ORDER[cand.tier],
        cand.entry.source != "OncoBoard curated",
        bool(cand.blocks),
        cand.conditional,
        -cand.strength,
        TUMOR_MATCH_ORDER[cand.tumor_match],
        cand.entry.id,
    )


def order_groups(
    groups: list[list[Candidate]],
    predictions: Mapping[int, Predicted | None],
) -> list[int]:
    """Indices of ``groups`` in rank order."""

    def key(i: int) -> tuple[object, ...]:
        best = groups[i][0]
        pred = predictions.get(i)
        comparable = pred is not None and pred.endpoint == "PFS"
        rmst = pred.rmst_months if comparable and pred else None
        median = pred.median_months if comparable and pred else None
        return (
            TIER_ORDER[best.tier],
            best.conditional,
            *prediction_key(rmst, median),
            -best.strength,
            TUMOR_MATCH_ORDER[best.tumor_match],
            " + ".join(best.entry.therapy),
        )

    return sorted(range(len(groups)), key=key)
