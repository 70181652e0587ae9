"""Network meta-analyses of the curated trial registry (issue 15, item 2).

Runs the NMA on knowledgebase/trials exactly as the KB build does and checks
the clinical conclusions the issue asks for, plus the rules that keep
endpoints apart and every input cited.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from oncoboard.core.kb.trials import load_trial_registry
from oncoboard.core.survival.networks import run_networks
from oncoboard.core.survival.nma import bucher, se_from_ci

REPO = Path(__file__).resolve().parents[3]
TRIALS = REPO / "knowledgebase" / "trials"

Net = dict[str, Any]


@pytest.fixture(scope="module")
def networks() -> dict[str, Net]:
    registry, problems = load_trial_registry(TRIALS)
    assert [str(p) for p in problems] == []
    return {r["id"]: r for r in run_networks(registry)}


def _pair(net: Net, treat: str, control: str, model: str) -> dict[str, Any]:
    return next(
        p[model]
        for p in net["pairs"]
        if p["treat"] == treat and p["control"] == control
    )


@pytest.mark.parametrize("model", ["common", "random"])
def test_alk_first_line_ranks_lorlatinib_and_alectinib_above_crizotinib(
    networks: dict[str, Net],
    model: str,
) -> None:
    net = networks["nsclc_alk_1l/PFS"]
    assert set(net["trials"]) == {"CROWN", "ALEX", "ALTA-1L", "eXALT3"}
    scores = net["pscores"][model]
    for drug in ("lorlatinib", "alectinib"):
        assert scores[drug] > scores["crizotinib"]
        hr = _pair(net, drug, "crizotinib", model)
        assert hr["upper"] < 1.0, f"{drug} vs crizotinib CI includes 1: {hr}"
    assert max(scores, key=scores.get) == "lorlatinib"
    assert min(scores, key=scores.get) == "crizotinib"


@pytest.mark.parametrize("model", ["common", "random"])
def test_egfr_first_line_flaura2_and_mariposa_are_not_resolved(
    networks: dict[str, Net],
    model: str,
) -> None:
    net = networks["nsclc_egfr_common_1l/PFS"]
    assert {"FLAURA", "FLAURA2", "MARIPOSA", "RELAY", "ARCHER 1050"} <= set(
        net["trials"]
    )
    hr = _pair(net, "osimertinib_chemo", "amivantamab_lazertinib", model)
    assert hr["lower"] < 1.0 < hr["upper"]
    # Anchored through osimertinib only, so it equals Bucher's comparison
    # (issue 15 quotes HR 0.89, 0.65-1.20).
    b = bucher(
        math.log(0.62), se_from_ci(math.log(0.49), math.log(0.79)),
        math.log(0.70), se_from_ci(math.log(0.58), math.log(0.85)),
    )  # fmt: skip
    est, lo, hi = b.ratio()
    assert (hr["hr"], hr["lower"], hr["upper"]) == pytest.approx(
        (est, lo, hi), rel=1e-9
    )
    assert (round(hr["hr"], 2), round(hr["lower"], 2), round(hr["upper"], 2)) == (
        0.89,
        0.65,
        1.20,
    )


def test_every_network_contrast_cites_a_pmid(networks: dict[str, Net]) -> None:
    contrasts = [c for net in networks.values() for c in net["contrasts"]]
    assert contrasts
    assert all(re.fullmatch(r"[1-9][0-9]{0,8}", c["pmid"]) for c in contrasts)


def test_networks_cover_the_five_issue_17_populations(networks: dict[str, Net]) -> None:
    assert {
        "nsclc_egfr_common_1l/PFS", "nsclc_egfr_common_1l/OS", "nsclc_alk_1l/PFS",
        "nsclc_alk_1l/OS", "brca_hrpos_her2neg_cdk46_1l/PFS", "mel_braf_v600/PFS",
        "mel_braf_v600/OS", "brca_her2pos_2l/PFS",
    } <= set(networks)  # fmt: skip
    for net in networks.values():
        assert net["reference"] in net["nodes"]
        assert {p["treat"] for p in net["pairs"]} == set(net["nodes"])


NODES = """\
nodes:
  - {id: a, label: a, drugs: [osimertinib]}
  - {id: b, label: b, drugs: [gefitinib]}
  - {id: c, label: c, drugs: [erlotinib]}
  - {id: d, label: d, drugs: [afatinib]}
"""

TRIAL = """\
  - trial: {name}
    population: {{line: first, biomarker: X, tumor: NSCLC}}
    endpoints:
      - endpoint: {endpoint}
        assessment: investigator
        pmid: "1"
        contrasts:
          - {{treat: {treat}, control: {control}, hr: 0.5, ci: [0.4, 0.625], checked: searched}}
"""


def _registry(tmp_path: Path, *trials: tuple[str, str, str, str]):  # type: ignore[no-untyped-def]
    folder = tmp_path / "trials"
    folder.mkdir(parents=True)
    (folder / "nodes.yaml").write_text(NODES)
    body = "network: {id: net, label: n, tumor: NSCLC, biomarker: X, line: first, reference: b}\ntrials:\n"
    body += "".join(
        TRIAL.format(name=n, endpoint=e, treat=t, control=c) for n, e, t, c in trials
    )
    (folder / "net.yaml").write_text(textwrap.dedent(body))
    registry, problems = load_trial_registry(folder)
    assert [str(p) for p in problems] == []
    return registry


def test_ttp_contrasts_never_enter_a_pfs_network(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path,
        ("P1", "PFS", "a", "b"),
        ("T1", "TTP", "c", "b"),
        ("O1", "OS", "a", "b"),
    )
    nets = {r["id"]: r for r in run_networks(registry)}
    assert set(nets) == {"net/PFS", "net/TTP", "net/OS"}
    assert nets["net/PFS"]["trials"] == ["P1"] and "c" not in nets["net/PFS"]["nodes"]
    assert nets["net/TTP"]["trials"] == ["T1"]
    assert all(
        c["trial"] != "T1"
        for r in nets.values()
        if r["endpoint"] != "TTP"
        for c in r["contrasts"]
    )


def test_disconnected_parts_become_separate_networks(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path,
        ("P1", "PFS", "a", "b"),
        ("P2", "PFS", "c", "b"),
        ("P3", "PFS", "d", "c"),
        ("P4", "PFS", "a", "b"),
    )
    nets = {r["id"]: r for r in run_networks(registry)}
    assert set(nets) == {"net/PFS"}  # all connected through b and c
    registry = _registry(
        tmp_path / "x", ("P1", "PFS", "a", "b"), ("P2", "PFS", "c", "d")
    )
    nets = {r["id"]: r for r in run_networks(registry)}
    assert set(nets) == {"net/PFS", "net/PFS/c2"}
    assert nets["net/PFS"]["reference"] == "b"
    assert nets["net/PFS/c2"]["reference"] in {"c", "d"}


def test_two_trials_of_one_comparison_pool_and_report_heterogeneity(
    tmp_path: Path,
) -> None:
    registry = _registry(tmp_path, ("P1", "PFS", "a", "b"), ("P2", "PFS", "a", "b"))
    (net,) = run_networks(registry)
    assert net["k"] == 2 and net["df"] == 1
    assert net["q"] == pytest.approx(0.0, abs=1e-12)
    assert net["tau2"] == pytest.approx(0.0, abs=1e-12)
    common = _pair(net, "a", "b", "common")
    assert common["hr"] == pytest.approx(0.5)
    # Two identical trials halve the variance of one.
    se_one = se_from_ci(math.log(0.4), math.log(0.625))
    assert common["se"] == pytest.approx(se_one / math.sqrt(2))


@pytest.mark.parametrize("model", ["common", "random"])
def test_melanoma_monotherapies_rank_below_the_braf_mek_combinations(
    networks: dict[str, Net],
    model: str,
) -> None:
    """COMBI-d joins dabrafenib, METRIC trametinib (through chemotherapy): both
    single agents must rank below every BRAF + MEK combination (issue 15)."""
    net = networks["mel_braf_v600/PFS"]
    assert {"COMBI-d", "BRIM-3", "BREAK-3", "METRIC"} <= set(net["trials"])
    assert not any(i.startswith("mel_braf_v600/PFS/") for i in networks)  # one part
    scores = net["pscores"][model]
    combos = (
        "dabrafenib_trametinib",
        "vemurafenib_cobimetinib",
        "encorafenib_binimetinib",
    )
    for mono in ("dabrafenib", "trametinib"):
        assert mono in scores
        assert scores[mono] < min(scores[c] for c in combos)
    assert min(scores, key=scores.get) == "melanoma_chemo"
    hr = _pair(net, "dabrafenib_trametinib", "dabrafenib", model)
    assert hr["upper"] < 1.0


def test_combi_d_pfs_is_pooled_with_its_pmid(networks: dict[str, Net]) -> None:
    net = networks["mel_braf_v600/PFS"]
    combi_d = [c for c in net["contrasts"] if c["trial"] == "COMBI-d"]
    assert len(combi_d) == 1
    c = combi_d[0]
    assert (c["treat"], c["control"], c["pmid"]) == (
        "dabrafenib_trametinib", "dabrafenib", "25265492",
    )  # fmt: skip
    assert (c["hr"], *c["ci"]) == (0.75, 0.57, 0.99)
