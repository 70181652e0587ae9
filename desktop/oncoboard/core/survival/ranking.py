"""Ranking therapy options: evidence first, predicted survival second.

The policy below is printed in every report (:data:`RANKING_POLICY`) and
written down in ``docs/survival.md``.  The cross-trial caveat
(:data:`CROSS_TRIAL_CAVEAT`) accompanies every view that puts curves from
different trials side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

TIER_ORDER = {"IA": 0, "IB": 1, "IIC": 2, "IID": 3}

RMST_TIE_MONTHS = 0.1
"""RMSTs (and medians) are compared after rounding to this many months."""

RANKING_POLICY = (
    "Ranking policy. (1) Options are ordered by AMP/ASCO/CAP evidence tier first "
    "(IA, then IB, IIC, IID): an option never outranks one of a stronger tier on "
    "predicted survival alone. (2) Within a tier, options whose line of therapy fits "
    "the patient come first; options the patient already progressed on (the same drug "
    "or a targeted drug of the same class), options with resistance evidence for the "
    "same regimen, later-line options whose prerequisites are not recorded, and "
    "first-line options for an already treated patient follow, each with a note. "
    "(3) Then by predicted restricted mean survival time (RMST) to the stated horizon, "
    "longest first, then by predicted median; RMST and median are shown with their 95% "
    "confidence intervals. Only predictions of the same endpoint are compared "
    "(progression-free survival); options without a comparable prediction follow "
    "those with one. (4) Ties go to the stronger evidence (level, regulatory "
    "approvals, curated before CIViC, variant specificity), then tumor match "
    "(same type, tissue-agnostic, other). "
    "Predictions describe the population of the trial behind each figure "
    "(reconstructed patient-level data or, marked as approximations, published "
    "medians), never adjusted to the patient, or come from an institutional cohort "
    "model; the method, the trial and any population-fit warning are named with each "
    "figure. Predictions inform the board's discussion; they are not a treatment "
    "recommendation."
)

CROSS_TRIAL_CAVEAT = (
    "Cross-trial comparison: these curves come from different trials with "
    "different populations, eligibility criteria, lines of therapy, endpoint "
    "definitions, follow-up and eras. Differences between them are not "
    "randomised comparisons and may reflect the populations rather than the "
    "treatments."
)


def _bucket(value: float | None) -> float:
    """Sort key for 'longer is better' with ties under RMST_TIE_MONTHS."""
    if value is None or math.isnan(value):
        return math.inf
    return -round(value / RMST_TIE_MONTHS)


def prediction_key(rmst: float | None, median: float | None) -> tuple[int, float, float]:
    """The survival part of the policy (step 3) as a sort key, best first.

    Options with a prediction come before those without; then longer RMST,
    then longer median, each compared after rounding to RMST_TIE_MONTHS so that
    differences no model can resolve fall through to the evidence (step 4).
    The matcher (``core/matching/ranking.py``) and :func:`rank_options` share it.
    """
    has_prediction = 0 if rmst is not None and not math.isnan(rmst) else 1
    return (has_prediction, _bucket(rmst), _bucket(median))


def rank_options(
    options: Sequence[T],
    *,
    tier: Callable[[T], str],
    rmst: Callable[[T], float | None],
    median: Callable[[T], float | None],
    evidence_strength: Callable[[T], int],
) -> list[T]:
    """Order options by the ranking policy (:data:`RANKING_POLICY`).

    Parameters
    ----------
    options
        Any objects; the callables read what the policy needs from them.
    tier
        The AMP tier, one of :data:`TIER_ORDER`.
    rmst, median
        Predicted RMST and median in months, ``None`` when not predicted.
    evidence_strength
        Larger is stronger; breaks ties within a tier.

    Returns
    -------
    list
        A new list, best first.  The sort is stable: full ties keep the input
        order.

    Raises
    ------
    ValueError
        If an option's tier is unknown.
    """

    def key(option: T) -> tuple[int | float, ...]:
        t = tier(option)
        if t not in TIER_ORDER:
            raise ValueError(
                f"unknown evidence tier {t!r}; expected one of {list(TIER_ORDER)}"
            )
        return (
            TIER_ORDER[t],
            *prediction_key(rmst(option), median(option)),
            -int(evidence_strength(option)),
        )

    return sorted(options, key=key)


def needs_cross_trial_caveat(sources: Sequence[str]) -> bool:
    """True when predictions from more than one trial or cohort are shown together."""
    return len(set(sources)) > 1
