"""Ranking policy: tier first, then RMST, then median, then evidence strength."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from oncoboard.core.survival.ranking import (
    CROSS_TRIAL_CAVEAT,
    RANKING_POLICY,
    TIER_ORDER,
    needs_cross_trial_caveat,
    rank_options,
)


@dataclass
class Opt:
    name: str
    tier: str
    rmst: float | None = None
    median: float | None = None
    strength: int = 0


def rank(options: list[Opt]) -> list[str]:
    ranked = rank_options(
        options,
        tier=lambda o: o.tier,
        rmst=lambda o: o.rmst,
        median=lambda o: o.median,
        evidence_strength=lambda o: o.strength,
    )
    return [o.name for o in ranked]


def test_weaker_tier_never_outranks_on_survival() -> None:
    assert rank([Opt("iic", "IIC", rmst=23.0), Opt("ia", "IA", rmst=3.0)]) == [
        "ia",
        "iic",
    ]
    assert rank([Opt(t, t) for t in ("IID", "IIC", "IB", "IA")]) == [
        "IA",
        "IB",
        "IIC",
        "IID",
    ]


def test_within_tier_longer_rmst_first_then_median() -> None:
    opts = [
        Opt("a", "IA", rmst=10.0, median=9.0),
        Opt("b", "IA", rmst=14.0, median=8.0),
        Opt("c", "IA", rmst=14.0, median=12.0),
    ]
    assert rank(opts) == ["c", "b", "a"]


def test_missing_prediction_goes_after_predicted_in_same_tier() -> None:
    assert rank([Opt("none", "IB"), Opt("p", "IB", rmst=1.0)]) == ["p", "none"]


def test_ties_go_to_evidence_strength_then_input_order() -> None:
    opts = [
        Opt("weak", "IA", rmst=12.02, median=9.0, strength=1),
        Opt("strong", "IA", rmst=12.0, median=9.0, strength=3),
        Opt("weak2", "IA", rmst=12.0, median=9.0, strength=1),
    ]
    assert rank(opts) == ["strong", "weak", "weak2"]


def test_unknown_tier_is_an_error() -> None:
    with pytest.raises(ValueError, match="tier"):
        rank([Opt("x", "III")])


def test_policy_and_caveat_texts_state_the_rules() -> None:
    assert TIER_ORDER == {"IA": 0, "IB": 1, "IIC": 2, "IID": 3}
    for words in ("tier", "RMST", "median", "Ties", "confidence intervals"):
        assert words in RANKING_POLICY
    assert "different trials" in CROSS_TRIAL_CAVEAT
    assert needs_cross_trial_caveat(["AURA3", "CLEOPATRA"])
    assert not needs_cross_trial_caveat(["AURA3", "AURA3"])
