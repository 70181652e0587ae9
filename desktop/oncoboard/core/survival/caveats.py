"""The cross-trial caveat that accompanies survival figures from different trials.

Survival figures never order options: the ranking policy and its text
(``RANKING_POLICY``) live with the ranking in ``core/matching/ranking.py``.
The caveat (:data:`CROSS_TRIAL_CAVEAT`) accompanies every view that puts curves
from different trials side by side (the survival plots, the CLI, the report).
"""

from __future__ import annotations

from collections.abc import Sequence

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
