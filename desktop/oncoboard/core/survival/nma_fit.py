"""The weighted least squares core of :mod:`.nma` (numpy only, no I/O).

A network is given as :class:`Edges` (one row per contrast, treatments as
column indices). :func:`fit` reduces multi-arm weights (Rücker & Schwarzer
2014), inverts the weighted Laplacian (Rücker 2012) and returns the node
potentials, fitted contrasts and Q. It also works on disconnected networks
(each sub-network is fitted on its own), which the Q decomposition relies on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


def z_quantile(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2.0))


@dataclass(frozen=True)
class Edges:
    """The network as arrays: one row per contrast, treatments as column indices."""

    n_nodes: int
    study: np.ndarray  # int study index per row
    t1: np.ndarray
    t2: np.ndarray
    y: np.ndarray
    var: np.ndarray

    def incidence(self) -> np.ndarray:
        b = np.zeros((len(self.y), self.n_nodes))
        rows = np.arange(len(self.y))
        b[rows, self.t1] = 1.0
        b[rows, self.t2] = -1.0
        return b

    def df(self) -> int:
        """Σ(arms - 1) - (nodes - components): the residual degrees of freedom."""
        arms = sum(len(self.arms(s)) - 1 for s in np.unique(self.study))
        used = np.unique(np.concatenate([self.t1, self.t2]))
        return int(arms - (len(used) - len(components(self))))

    def arms(self, s: int) -> list[int]:
        sel = self.study == s
        return sorted(set(self.t1[sel].tolist()) | set(self.t2[sel].tolist()))

    def with_var(self, var: np.ndarray) -> Edges:
        return Edges(self.n_nodes, self.study, self.t1, self.t2, self.y, var)


def components(e: Edges) -> list[list[int]]:
    parent = list(range(e.n_nodes))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(e.t1.tolist(), e.t2.tolist(), strict=True):
        parent[root(a)] = root(b)
    used = sorted(set(e.t1.tolist()) | set(e.t2.tolist()))
    groups: dict[int, list[int]] = {}
    for t in used:
        groups.setdefault(root(t), []).append(t)
    return list(groups.values())


def multiarm_weights(e: Edges) -> np.ndarray:
    """Per-contrast weights, reduced for multi-arm studies (Rücker & Schwarzer 2014).

    For a study with p arms the matrix V of comparison variances is read as
    effective resistances: the study's Laplacian pseudo-inverse is
    L⁺ = -½ P V P with P = I - J/p, and the reduced weight of edge (a, b) is
    -L[a, b] of L = (L⁺)⁺. Two-arm studies keep 1/var.
    """
    w = 1.0 / e.var
    for s in np.unique(e.study):
        rows = np.flatnonzero(e.study == s)
        if len(rows) < 2:
            continue
        arms = e.arms(s)
        pos = {t: i for i, t in enumerate(arms)}
        p = len(arms)
        v = np.zeros((p, p))
        for r in rows:
            i, j = pos[e.t1[r]], pos[e.t2[r]]
            v[i, j] = v[j, i] = e.var[r]
        centre = np.eye(p) - 1.0 / p
        lap = np.linalg.pinv(-0.5 * centre @ v @ centre, hermitian=True)
        for r in rows:
            w[r] = -lap[pos[e.t1[r]], pos[e.t2[r]]]
    return w


def laplacian_pinv(lap: np.ndarray, components: Sequence[Sequence[int]]) -> np.ndarray:
    """Moore-Penrose inverse of a weighted Laplacian, one connected block at a time.

    For a connected block, (L + J/n)⁻¹ - J/n is the exact pseudo-inverse; this
    avoids choosing a singular-value cut-off when the weights span many orders
    of magnitude.
    """
    out = np.zeros_like(lap)
    for comp in components:
        idx = np.asarray(comp)
        k = len(idx)
        block = lap[np.ix_(idx, idx)] + 1.0 / k
        out[np.ix_(idx, idx)] = np.linalg.inv(block) - 1.0 / k
    return out


@dataclass(frozen=True)
class Fit:
    """A weighted least squares fit of node potentials to the contrasts."""

    edges: Edges
    w: np.ndarray  # reduced weights, one per contrast
    lplus: np.ndarray  # pseudo-inverse of the weighted Laplacian
    theta: np.ndarray  # node potentials; theta[i] - theta[j] = effect of i vs j
    fitted: np.ndarray  # fitted value of each contrast

    @property
    def residual_q(self) -> np.ndarray:
        """Each contrast's contribution to Q."""
        return self.w * (self.edges.y - self.fitted) ** 2

    @property
    def q(self) -> float:
        return float(self.residual_q.sum())

    def dl_denominator(self) -> float:
        """tr[(I - H)(BBᵀ ∘ E/2)W], the generalised DerSimonian-Laird divisor.

        E marks pairs of contrasts from the same study; BBᵀ ∘ E/2 is the
        covariance pattern τ² induces on a study's contrasts (τ² on each
        comparison, τ²/2 between comparisons sharing an arm).
        """
        e = self.edges
        b = e.incidence()
        same = e.study[:, None] == e.study[None, :]
        m_w = (b @ b.T) * same / 2.0 * self.w[None, :]
        hat = b @ self.lplus @ b.T * self.w[None, :]
        return float(np.trace(m_w) - np.trace(hat @ m_w))


def fit(e: Edges) -> Fit:
    """Fit the network (connected or not; Q is then the sum over sub-networks)."""
    w = multiarm_weights(e)
    b = e.incidence()
    lplus = laplacian_pinv(b.T @ (w[:, None] * b), components(e))
    theta = lplus @ (b.T @ (w * e.y))
    return Fit(e, w, lplus, theta, b @ theta)


def dersimonian_laird(f: Fit, df: int) -> float:
    """Generalised DL τ² (0 when Q ≤ df; NaN when df is 0: nothing to estimate)."""
    if df <= 0:
        return math.nan
    denom = f.dl_denominator()
    return max(0.0, (f.q - df) / denom) if denom > 0 else 0.0


def i2_interval(q: float, df: int, level: float = 0.95) -> tuple[float, float, float]:
    """I² = (Q - df)/Q with the Higgins & Thompson (2002) interval via log H."""
    if df <= 0 or not math.isfinite(q):
        return math.nan, math.nan, math.nan
    k = df + 1
    h = math.sqrt(q / df)
    if q > k:
        se_log_h = (
            0.5
            * (math.log(q) - math.log(df))
            / (math.sqrt(2 * q) - math.sqrt(2 * k - 3))
        )
    elif k > 2:
        se_log_h = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
    else:
        se_log_h = math.nan
    # As meta::isquared: the interval is centred on log(max(H, 1)), limits >= 0.
    centre = math.log(max(h, 1.0))
    half = z_quantile(level) * se_log_h

    def to_i2(log_h: float) -> float:
        hh = max(math.exp(log_h), 1.0)
        return (hh * hh - 1) / (hh * hh)

    return (
        (max(0.0, (q - df) / q) if q > 0 else 0.0),
        to_i2(centre - half),
        to_i2(centre + half),
    )
