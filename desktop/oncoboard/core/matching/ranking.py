"""Ordering of options.  The policy text every report prints is
:data:`RANKING_POLICY` below; this module implements it.

1. AMP/ASCO/CAP tier first: a tier IIC option never outranks a tier IA option.
2. Within a tier, options that fit the patient come before conditional ones
   (a later-line prerequisite not recorded, a first-line indication for a
   treated patient, a status not established ...; see ``applicability.py``).
   Regimens that must not be offered are not ranked at all.
3. Then evidence strength (level, approvals, curation, specificity), tumor
   match (same, agnostic, other) and therapy name.
4. Options in one network meta-analysis of the KB's trials are reordered among
   their own places by P-score; unresolved pairs are marked as tied.  Options
   outside any network say "no comparative evidence".  Survival figures from
   different trials never order options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncoboard.core.matching.comparison import Locate, Placed, comparisons, reorder
from oncoboard.core.matching.result import Comparison

if TYPE_CHECKING:
    from oncoboard.core.matching.matcher import Candidate

TUMOR_MATCH_ORDER = {"same": 0, "agnostic": 1, "other": 2}

TIER_ORDER = {"IA": 0, "IB": 1, "IIC": 2, "IID": 3}

RANKING_POLICY = (
    "Ranking policy. (1) Options are ordered by AMP/ASCO/CAP evidence tier first "
    "(IA, then IB, IIC, IID). (2) Within a tier, options that fit this patient come "
    "before conditional ones; a conditional option names its condition (a first-line "
    "indication for a treated patient, a prerequisite therapy not recorded, a status no "
    "test established, progression on a drug of the same class, conflicting evidence). "
    "Regimens that must not be offered (progression on them or on a class with cited "
    "cross-resistance, resistance in the profile, a curated contraindication) are listed "
    "as not recommended, without a rank or a survival figure. (3) Then by the strength "
    "of the evidence (level, regulatory approvals, curated before CIViC, variant "
    "specificity) and tumor match (same type, tissue-agnostic, other). (4) Options that "
    "sit in one network meta-analysis of the knowledge base's randomised trials "
    "(frequentist, Rücker 2012) are reordered among their own places: one moves ahead of "
    "another only where the network resolves the pair (95% CI of the hazard ratio "
    "excluding 1) in its favour; unresolved pairs keep the evidence order and are shown "
    "as tied, with P-scores. "
    "Options outside any network are labelled 'no comparative evidence' and keep their "
    "place. Survival figures from different trials never order options. "
    "Each figure describes the population of the trial behind it (or an institutional "
    "cohort, labelled as such), never adjusted to the patient; the trial, the method and "
    "any population-fit warning are named with each figure. Predictions inform the "
    "board's discussion; they are not a treatment recommendation."
)

__all__ = [
    "RANKING_POLICY",
    "TIER_ORDER",
    "TUMOR_MATCH_ORDER",
    "Locate",
    "candidate_key",
    "order_groups",
]


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
    locate: Locate | None = None,
) -> tuple[list[int], dict[int, Comparison]]:
    """Indices of ``groups`` in rank order, and each option's comparison.

    Tier, then fits before conditional, then evidence strength; options of one
    network are then reordered among their own places by the network (see
    ``comparison.py``).  Predicted survival from different trials never orders
    options.
    """

    def bucket(i: int) -> tuple[int, bool]:
        best = groups[i][0]
        return (TIER_ORDER[best.tier], best.conditional)

    def key(i: int) -> tuple[object, ...]:
        best = groups[i][0]
        return (
            *bucket(i),
            -best.strength,
            TUMOR_MATCH_ORDER[best.tumor_match],
            " + ".join(best.entry.therapy),
        )

    order = sorted(range(len(groups)), key=key)
    placed: dict[int, Placed] = {}
    if locate is not None:
        order, placed = reorder(
            order, bucket, lambda i: groups[i][0].entry.therapy, locate
        )
    return order, comparisons(order, placed, bucket)
