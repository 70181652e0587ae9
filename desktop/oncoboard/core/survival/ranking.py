"""The ranking policy text and the cross-trial caveat.

The matcher implements the policy (``core/matching/ranking.py`` and
``comparison.py``); survival figures never order options.

The policy below is printed in every report (:data:`RANKING_POLICY`) and
written down in ``docs/survival.md``.  The cross-trial caveat
(:data:`CROSS_TRIAL_CAVEAT`) accompanies every view that puts curves from
different trials side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    "(frequentist, Rücker 2012) are reordered among their own places by P-score; two "
    "options whose network hazard ratio has a 95% CI including 1 are shown as tied. "
    "Options outside any network are labelled 'no comparative evidence' and keep their "
    "place. Survival figures from different trials never order options. "
    "Each figure describes the population of the trial behind it (or an institutional "
    "cohort, labelled as such), never adjusted to the patient; the trial, the method and "
    "any population-fit warning are named with each figure. Predictions inform the "
    "board's discussion; they are not a treatment recommendation."
)

CROSS_TRIAL_CAVEAT = (
    "Cross-trial comparison: these curves come from different trials with "
    "different populations, eligibility criteria, lines of therapy, endpoint "
    "definitions, follow-up and eras. Differences between them are not "
    "randomised comparisons and may reflect the populations rather than the "
    "treatments."
)


def needs_cross_trial_caveat(sources: Sequence[str]) -> bool:
    """True when predictions from more than one trial or cohort are shown together."""
    return len(set(sources)) > 1
