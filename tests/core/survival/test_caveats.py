"""The ranking policy text (matching) and the cross-trial caveat (survival); the
ordering itself is tested in tests/core/matching/test_order_groups.py."""

from __future__ import annotations

from oncoboard.core.matching.ranking import RANKING_POLICY, TIER_ORDER
from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT, needs_cross_trial_caveat


def test_policy_and_caveat_texts_state_the_rules() -> None:
    assert TIER_ORDER == {"IA": 0, "IB": 1, "IIC": 2, "IID": 3}
    for words in (
        "tier",
        "conditional",
        "not recommended",
        "network meta-analysis",
        "no comparative evidence",
        "never order options",
    ):
        assert words in RANKING_POLICY
    assert "different trials" in CROSS_TRIAL_CAVEAT
    assert needs_cross_trial_caveat(["AURA3", "CLEOPATRA"])
    assert not needs_cross_trial_caveat(["AURA3", "AURA3"])
