"""Properties of the NMA module on generated networks (hypothesis).

Networks are generated from arm-level data (a mean and a variance per arm),
so multi-arm studies are internally consistent and their contrasts carry the
covariance netmeta's multi-arm adjustment has to account for. The generalised
least squares fit with that covariance, written out independently below, is
the yardstick for the reduced-weights fit.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoboard.core.survival.nma import (
    Contrast,
    NetworkError,
    bucher,
    connected_components,
    is_connected,
    netmeta,
    split_components,
)
from oncoboard.core.survival.nma_pscore import pscores

# No deadline: no timing assertions in this project's tests.
PROPS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

Arm = tuple[str, float, float]  # treatment, mean, variance
Study = tuple[str, list[Arm]]

means = st.floats(-3, 3, allow_nan=False)
variances = st.floats(0.01, 1.5, allow_nan=False)


@st.composite
def arm_networks(draw, max_treatments: int = 6, multiarm: bool = True) -> list[Study]:
    """A connected network of studies: a spanning tree first, then extras."""
    n = draw(st.integers(2, max_treatments))
    names = [f"T{i}" for i in range(n)]
    studies: list[Study] = []
    for i in range(1, n):  # T_i joins an earlier treatment: connected by construction
        j = draw(st.integers(0, i - 1))
        studies.append(
            (
                f"tree{i}",
                [
                    (names[i], draw(means), draw(variances)),
                    (names[j], draw(means), draw(variances)),
                ],
            )
        )
    for s in range(draw(st.integers(0, 6))):
        size = draw(st.integers(2, min(3 if multiarm else 2, n)))
        arms = draw(st.permutations(names))[:size]
        studies.append((f"extra{s}", [(t, draw(means), draw(variances)) for t in arms]))
    return studies


def contrasts(studies: list[Study]) -> list[Contrast]:
    out = []
    for study, arms in studies:
        for (t1, m1, v1), (t2, m2, v2) in itertools.combinations(arms, 2):
            out.append(Contrast(study, t1, t2, m1 - m2, math.sqrt(v1 + v2)))
    return out


def gls(studies: list[Study], treatments: list[str]) -> tuple[np.ndarray, float]:
    """Textbook GLS ("reduce dimension"): each study's arms vs its first arm,
    with Cov(y_1j, y_1k) = var of the shared first arm. Returns effects vs
    treatments[0] and Q."""
    col = {t: i for i, t in enumerate(treatments)}
    rows, ys, blocks = [], [], []
    for _, arms in studies:
        (t0, m0, v0), rest = arms[0], arms[1:]
        block = np.full((len(rest), len(rest)), v0) + np.diag([v for _, _, v in rest])
        blocks.append(block)
        for t, m, _ in rest:
            x = np.zeros(len(treatments))
            x[col[t]] += 1
            x[col[t0]] -= 1
            rows.append(x[1:])  # treatments[0] is the reference
            ys.append(m - m0)
    x_mat, y = np.array(rows), np.array(ys)
    size = sum(len(b) for b in blocks)
    v_inv = np.zeros((size, size))
    at = 0
    for b in blocks:
        v_inv[at : at + len(b), at : at + len(b)] = np.linalg.inv(b)
        at += len(b)
    beta = np.linalg.solve(x_mat.T @ v_inv @ x_mat, x_mat.T @ v_inv @ y)
    r = y - x_mat @ beta
    return beta, float(r @ v_inv @ r)


@PROPS
@given(arm_networks())
def test_reduced_weights_equal_textbook_gls(studies) -> None:
    nma = netmeta(contrasts(studies))
    treatments = list(nma.treatments)
    beta, q = gls(studies, treatments)
    ref = treatments[0]
    for t, b in zip(treatments[1:], beta, strict=True):
        assert nma.common.estimate(t, ref).te == pytest.approx(b, abs=1e-8)
    assert nma.q == pytest.approx(q, rel=1e-7, abs=1e-8)


@PROPS
@given(arm_networks())
def test_consistent_network_has_no_heterogeneity(studies) -> None:
    # Every arm of a treatment gets the same mean: the network is consistent.
    true = {f"T{i}": 0.37 * i - 0.5 for i in range(10)}
    consistent = [(s, [(t, true[t], v) for t, _, v in arms]) for s, arms in studies]
    nma = netmeta(contrasts(consistent))
    assert nma.q == pytest.approx(0.0, abs=1e-8)
    assert nma.tau2 == 0.0 or math.isnan(nma.tau2)  # NaN only when df = 0
    for a, b in itertools.combinations(nma.treatments, 2):
        for model in (nma.common, nma.random):
            assert model.estimate(a, b).te == pytest.approx(true[a] - true[b], abs=1e-8)


@PROPS
@given(
    st.lists(st.tuples(means, st.floats(0.05, 1.0)), min_size=1, max_size=8),
)
def test_two_treatments_reduce_to_pairwise_meta_analysis(rows) -> None:
    nma = netmeta(
        [Contrast(f"s{i}", "A", "B", te, se) for i, (te, se) in enumerate(rows)]
    )
    te, se = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    w = 1 / se**2
    pooled = float(w @ te / w.sum())
    q = float(w @ (te - pooled) ** 2)
    df = len(rows) - 1
    # Classical DerSimonian-Laird for a single pairwise meta-analysis.
    tau2 = max(0.0, (q - df) / (w.sum() - (w**2).sum() / w.sum())) if df else 0.0
    wr = 1 / (se**2 + tau2)
    common, random = nma.common.estimate("A", "B"), nma.random.estimate("A", "B")
    assert common.te == pytest.approx(pooled, abs=1e-9)
    assert common.se == pytest.approx(1 / math.sqrt(w.sum()), rel=1e-9)
    assert nma.q == pytest.approx(q, rel=1e-9, abs=1e-9)
    assert nma.df == df
    assert random.te == pytest.approx(float(wr @ te / wr.sum()), abs=1e-9)
    assert random.se == pytest.approx(1 / math.sqrt(wr.sum()), rel=1e-9)
    if df:
        assert nma.tau2 == pytest.approx(tau2, rel=1e-9, abs=1e-12)
    else:
        assert math.isnan(nma.tau2)


@PROPS
@given(arm_networks(), st.data())
def test_swapping_treatment_labels_negates_effects(studies, data) -> None:
    nma = netmeta(contrasts(studies))
    a, b = data.draw(st.permutations(nma.treatments))[:2]
    swap = {a: b, b: a}
    swapped = [
        Contrast(
            c.study,
            swap.get(c.treat1, c.treat1),
            swap.get(c.treat2, c.treat2),
            c.te,
            c.se,
        )
        for c in nma.contrasts
    ]
    other = netmeta(swapped)
    for model, other_model in ((nma.common, other.common), (nma.random, other.random)):
        e, o = model.estimate(a, b), other_model.estimate(a, b)
        assert o.te == pytest.approx(-e.te, abs=1e-9)
        assert o.se == pytest.approx(e.se, rel=1e-9)
    assert other.q == pytest.approx(nma.q, rel=1e-9, abs=1e-12)


@PROPS
@given(arm_networks(), st.randoms(use_true_random=False))
def test_orientation_and_order_of_contrasts_do_not_matter(studies, rnd) -> None:
    rows = contrasts(studies)
    nma = netmeta(rows)
    shuffled = [c.flipped() if rnd.random() < 0.5 else c for c in rows]
    rnd.shuffle(shuffled)
    other = netmeta(shuffled)
    assert other.treatments == nma.treatments
    np.testing.assert_allclose(other.random.te, nma.random.te, atol=1e-9)
    np.testing.assert_allclose(other.random.se, nma.random.se, rtol=1e-9)
    assert other.tau2 == pytest.approx(nma.tau2, rel=1e-9, abs=1e-12) or (
        math.isnan(other.tau2) and math.isnan(nma.tau2)
    )


@PROPS
@given(arm_networks(), st.sampled_from(["good", "bad"]))
def test_pscores_sum_to_half_the_number_of_treatments(studies, small_values) -> None:
    nma = netmeta(contrasts(studies))
    scores = nma.random.pscores(small_values=small_values)
    assert sum(scores.values()) == pytest.approx(nma.n / 2, rel=1e-9)
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    flipped = nma.random.pscores("bad" if small_values == "good" else "good")
    for t in scores:  # reversing the direction mirrors the scores
        assert flipped[t] == pytest.approx(1.0 - scores[t], abs=1e-12)


def test_pscore_of_a_clearly_best_treatment_is_near_one() -> None:
    te = np.array([[0.0, -5.0], [5.0, 0.0]])
    se = np.full((2, 2), 0.1)
    scores = pscores(te, se, ["A", "B"], small_values="good")
    assert scores["A"] > 0.999 and scores["B"] < 0.001


@PROPS
@given(means, st.floats(0.05, 1), means, st.floats(0.05, 1))
def test_bucher_equals_the_network_of_two_trials(d_ac, se_ac, d_bc, se_bc) -> None:
    nma = netmeta(
        [Contrast("ac", "A", "C", d_ac, se_ac), Contrast("bc", "B", "C", d_bc, se_bc)]
    )
    est, indirect = nma.common.estimate("A", "B"), bucher(d_ac, se_ac, d_bc, se_bc)
    assert est.te == pytest.approx(indirect.te, abs=1e-9)
    assert est.se == pytest.approx(indirect.se, rel=1e-9)
    assert indirect.lower < indirect.te < indirect.upper


@PROPS
@given(arm_networks(max_treatments=4), arm_networks(max_treatments=4))
def test_disconnected_networks_are_split_not_pooled(left, right) -> None:
    rename = [
        (f"R{s}", [(t.replace("T", "U"), m, v) for t, m, v in arms])
        for s, arms in right
    ]
    rows = contrasts(left) + contrasts(rename)
    assert not is_connected(rows)
    with pytest.raises(NetworkError, match="not connected"):
        netmeta(rows)
    comps = connected_components(rows)
    parts = split_components(rows)
    assert len(comps) == len(parts) == 2
    assert sorted(t for c in comps for t in c) == sorted(
        {t for c in rows for t in (c.treat1, c.treat2)}
    )
    for comp, part in zip(comps, parts, strict=True):
        assert is_connected(part)
        assert netmeta(part).treatments == comp


def test_invalid_input_is_rejected() -> None:
    ok = Contrast("s", "A", "B", 0.1, 0.2)
    with pytest.raises(NetworkError):
        netmeta([])
    with pytest.raises(NetworkError):
        netmeta([Contrast("s", "A", "A", 0.1, 0.2)])
    with pytest.raises(NetworkError):
        netmeta([Contrast("s", "A", "B", float("nan"), 0.2)])
    with pytest.raises(NetworkError):
        netmeta([Contrast("s", "A", "B", 0.1, 0.0)])
    with pytest.raises(NetworkError, match="':'"):
        netmeta([Contrast("s", "A:B", "C", 0.1, 0.2)])
    with pytest.raises(ValueError, match="tau2"):
        netmeta([ok], tau2=-0.1)
    # A three-arm study needs all three contrasts, and they must add up.
    with pytest.raises(NetworkError, match="3 arms"):
        netmeta([ok, Contrast("s", "A", "C", 0.1, 0.2)])
    with pytest.raises(NetworkError, match="inconsistent"):
        netmeta(
            [ok, Contrast("s", "A", "C", 0.3, 0.2), Contrast("s", "B", "C", 0.5, 0.2)]
        )
