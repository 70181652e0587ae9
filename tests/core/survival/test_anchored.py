"""Network-anchored curves: S(t) = S_ref(t) ** HR, within the reference arm's follow-up."""

from __future__ import annotations

import math

import pytest

from oncoboard.core.survival.anchored import anchored_curve, reference_fit
from vignette_dsl import alt, make_case

GRID = [i * 0.5 for i in range(0, 241)]  # 0..120 months


def exp_fit(
    median: float,
    *,
    followup: float = 40.0,
    method: str = "reconstructed-ipd",
    n: int = 200,
    trial: str = "REF",
    arm: str = "crizotinib",
) -> dict:
    rate = math.log(2) / median
    s = [math.exp(-rate * t) for t in GRID]
    return {
        "trial": trial,
        "arm": arm,
        "endpoint": "PFS",
        "method": method,
        "n": n,
        "line": "first",
        "max_followup_months": followup,
        "citation": "PMID:1",
        "curve": {
            "t": GRID,
            "s": s,
            "lo": [v * 0.95 for v in s],
            "hi": [min(1.0, v * 1.05) for v in s],
        },
    }


NET = {
    "id": "net/PFS",
    "network": "net",
    "reference": "crizotinib",
    "endpoint": "PFS",
    "trials": ["REF", "OTHER"],
}


def node_of(drugs):
    return "crizotinib" if list(drugs) == ["crizotinib"] else None


def test_curve_is_the_reference_to_the_power_of_the_hr_and_stops_at_followup() -> None:
    ref = exp_fit(10.0, followup=40.0)
    curve = anchored_curve(
        ref,
        {"hr": 0.5, "lower": 0.4, "upper": 0.625},
        node_label="x",
        network_id="net/PFS",
    )
    assert max(curve.times) <= 40.0
    for t, s in zip(curve.times, curve.survival, strict=True):
        assert s == pytest.approx(math.exp(-math.log(2) / 10.0 * t) ** 0.5, abs=1e-9)
    assert curve.median_months == pytest.approx(
        20.0, abs=0.6
    )  # exponential: median / HR
    assert curve.basis == "nma-anchored" and "REF" in curve.trial
    lo, hi = curve.median_ci
    assert lo < curve.median_months < hi


def test_a_median_beyond_followup_is_not_a_number() -> None:
    ref = exp_fit(10.0, followup=15.0)
    curve = anchored_curve(
        ref,
        {"hr": 0.3, "lower": 0.2, "upper": 0.45},
        node_label="x",
        network_id="net/PFS",
    )
    assert curve.median_months is None and curve.followup_months == 15.0
    assert curve.median_text == "not reached (> 15.0 months)"
    assert curve.rmst_months is None  # the 24-month horizon lies beyond the data


def test_reference_fit_prefers_ipd_then_size_and_needs_followup() -> None:
    ipd = exp_fit(10.0, n=100)
    summary = exp_fit(11.0, method="published-summary", n=400, trial="OTHER")
    no_followup = {**exp_fit(12.0, n=900), "max_followup_months": None}
    assert reference_fit(NET, [summary, ipd, no_followup], node_of) is ipd
    assert reference_fit(NET, [no_followup], node_of) is None
    assert reference_fit(NET, [exp_fit(10.0, trial="ELSEWHERE")], node_of) is None


def test_alk_first_line_options_share_one_anchor(kb_match) -> None:
    case = make_case(
        "LUAD", [alt("EML4::ALK")], tested={"genes": ["ALK", "EGFR", "ROS1"]}
    )
    options = {tuple(o.drugs): o.predicted for o in kb_match(case).options}
    anchored = {
        k: p for k, p in options.items() if p is not None and p.basis == "nma-anchored"
    }
    assert {("lorlatinib",), ("alectinib",), ("crizotinib",)} <= set(anchored)
    assert len({p.source_trial for p in anchored.values()}) == 1, (
        "one reference arm for the whole network"
    )
    assert anchored[("lorlatinib",)].rmst_months > anchored[("crizotinib",)].rmst_months


@pytest.fixture(scope="module")
def kb_match():
    from oncoboard.core.pipeline import analyse_case, open_kb

    kb = open_kb()
    return lambda case: analyse_case(case, kb=kb).match


def test_vectorised_median_and_rmst_equal_the_curve_functions() -> None:
    import numpy as np

    from oncoboard.core.survival import anchored, curves

    t = np.array(GRID)
    rng = np.random.default_rng(0)
    draws = np.array(
        [np.exp(-rng.uniform(0.02, 0.2) * t) for _ in range(20)] + [np.ones_like(t)]
    )
    medians = anchored._medians(t, draws)
    for d, m in zip(draws, medians, strict=True):
        expected = curves.crossing_time(t, d)
        assert (m == np.inf) if expected is None else m == pytest.approx(expected)
    for horizon in (24.0, 24.25, 0.5):
        rm = anchored._rmsts(t, draws, horizon)
        assert rm == pytest.approx([curves.rmst(t, d, horizon) for d in draws])


def test_reference_fit_maps_alternative_and_placebo_arm_labels() -> None:
    """Curated comparator labels name interchangeable drugs ("gefitinib or
    erlotinib", FLAURA) or a placebo add-on ("placebo + letrozole", PALOMA-2)."""
    nodes = {("gefitinib",): "tki", ("erlotinib",): "tki", ("letrozole",): "nsai"}

    def node_of(drugs):  # type: ignore[no-untyped-def]
        return nodes.get(tuple(sorted(d.lower() for d in drugs)))

    def net(ref: str) -> dict:
        return {"reference": ref, "endpoint": "PFS", "trials": ["REF"]}

    flaura = exp_fit(10.0, arm="gefitinib or erlotinib")
    paloma = exp_fit(14.0, arm="placebo + letrozole")
    assert reference_fit(net("tki"), [flaura], node_of) is flaura
    assert reference_fit(net("nsai"), [paloma], node_of) is paloma
    # a placebo arm alone, or alternatives of different nodes, map to nothing
    assert reference_fit(net("nsai"), [exp_fit(9.0, arm="placebo")], node_of) is None
    assert (
        reference_fit(net("tki"), [exp_fit(9.0, arm="gefitinib or letrozole")], node_of)
        is None
    )
