"""The ranking policy has one text, printed in reports and written in docs/survival.md."""

from __future__ import annotations

import textwrap

from oncoboard.core.matching import ranking as matching_ranking
from oncoboard.core.matching.ranking import RANKING_POLICY
from shared_paths import REPO


def test_one_policy_text_everywhere() -> None:
    assert matching_ranking.RANKING_POLICY is RANKING_POLICY
    doc = (REPO / "docs" / "survival.md").read_text()
    assert "\n".join("> " + line for line in textwrap.wrap(RANKING_POLICY, 76)) in doc


def test_tier_order_is_shared() -> None:
    from oncoboard.core.matching.ranking import TIER_ORDER

    assert matching_ranking.TIER_ORDER == TIER_ORDER
