"""The ranking the product uses (``matching/ranking.py:order_groups`` and
``comparison.py``), tested directly with small stand-ins for candidates and networks."""

from __future__ import annotations

from types import SimpleNamespace

from oncoboard.core.matching.comparison import NO_COMPARATIVE_EVIDENCE, Placed
from oncoboard.core.matching.ranking import order_groups


def cand(drugs: str, tier: str = "IA", conditional: bool = False, strength: int = 400):
    entry = SimpleNamespace(therapy=tuple(drugs.split("+")))
    return [
        SimpleNamespace(
            entry=entry,
            tier=tier,
            conditional=conditional,
            strength=strength,
            tumor_match="same",
        )
    ]


def network(
    pscores: dict[str, float], hrs: dict[tuple[str, str], tuple[float, float, float]]
):
    pairs = []
    for (a, b), (hr, lo, hi) in hrs.items():
        pairs.append(
            {"treat": a, "control": b, "random": {"hr": hr, "lower": lo, "upper": hi}}
        )
        pairs.append(
            {
                "treat": b,
                "control": a,
                "random": {"hr": 1 / hr, "lower": 1 / hi, "upper": 1 / lo},
            }
        )
    return {
        "id": "net/PFS",
        "label": "test network",
        "reference": "c",
        "pscores": {"random": pscores},
        "pairs": pairs,
    }


NET = network(
    {"a": 0.9, "b": 0.6, "c": 0.0},
    {
        ("a", "c"): (0.4, 0.3, 0.5),
        ("b", "c"): (0.5, 0.4, 0.6),
        ("a", "b"): (0.8, 0.6, 1.1),
    },
)


def locate(drugs):
    node = "+".join(drugs)
    return Placed(node, NET) if node in ("a", "b", "c") else None


def names(groups, order):
    return ["+".join(groups[i][0].entry.therapy) for i in order]


def test_tier_then_fits_before_conditional_then_strength() -> None:
    groups = [
        cand("x", "IIC"),
        cand("y", conditional=True, strength=900),
        cand("z", strength=300),
        cand("w", strength=400),
    ]
    order, _ = order_groups(groups)
    assert names(groups, order) == ["w", "z", "y", "x"]


def test_network_reorders_its_members_among_their_own_places() -> None:
    # c is strongest by evidence, but the network resolves a > c and b > c; a vs b is not
    # resolved (CI includes 1), so b keeps its evidence-strength place ahead of a.
    groups = [
        cand("c", strength=500),
        cand("solo", strength=450),
        cand("b", strength=420),
        cand("a", strength=410),
    ]
    order, compared = order_groups(groups, locate)
    assert names(groups, order) == ["b", "solo", "a", "c"]
    solo = compared[1]
    assert solo.basis == "none" and solo.statement == NO_COMPARATIVE_EVIDENCE


def test_unresolved_pairs_are_marked_tied_and_resolved_ones_are_not() -> None:
    groups = [cand("a"), cand("b"), cand("c")]
    order, compared = order_groups(groups, locate)
    rank = {names(groups, [i])[0]: r for r, i in enumerate(order, 1)}
    a, b, c = (compared[i] for i in range(3))
    assert a.tied_with == [rank["b"]] and b.tied_with == [rank["a"]]
    assert c.tied_with == [] and "resolved" in c.statement
    assert a.hr_vs_reference == (0.4, 0.3, 0.5) and a.p_score == 0.9


def test_network_never_moves_an_option_across_tiers_or_applicability() -> None:
    groups = [cand("c"), cand("a", conditional=True), cand("b", "IIC")]
    order, compared = order_groups(groups, locate)
    assert names(groups, order) == ["c", "a", "b"]
    assert all(
        compared[i].tied_with == [] for i in range(3)
    )  # no peers in their buckets


def test_survival_figures_play_no_part() -> None:
    """order_groups takes no predictions at all: cross-trial figures cannot order options."""
    import inspect

    assert list(inspect.signature(order_groups).parameters) == ["groups", "locate"]


def test_an_unresolved_pair_keeps_the_evidence_order() -> None:
    """P-scores alone never reorder two options the network cannot tell apart."""
    groups = [cand("b", strength=500), cand("a", strength=400)]
    order, compared = order_groups(groups, locate)
    assert names(groups, order) == ["b", "a"]
    assert compared[0].tied_with == [2] and compared[1].tied_with == [1]
