"""Heterogeneity and inconsistency of a network meta-analysis.

* Design-based decomposition of Q (Krahn, Binder & König 2013, BMC Med Res
  Methodol 13:35; netmeta's ``decomp.design``): Q within designs, Q between
  designs, the between-designs Q after detaching each design, and the
  between-designs Q of the random-effects design-by-treatment interaction
  model with its own τ² ("tau within").
* Direct estimates and their split from indirect evidence by back-calculation
  (netmeta's ``netsplit``, "SIDE" back-calculation).

All of it is done by refitting :func:`.nma.fit` on relabelled networks: giving
a design its own copy of its treatments lets that design's studies be fitted
free of the rest of the network. With every design relabelled the residual Q
is the within-designs Q; what the consistent network adds on top is the
between-designs Q. (Same numbers as the design-level GLS of Krahn et al.,
since the reduced-weights fit is the same projection; Rücker & Schwarzer 2014.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .nma import Estimate, NetworkMetaAnalysis
from .nma_fit import Edges, components, dersimonian_laird, fit


@dataclass(frozen=True)
class QStat:
    q: float
    df: int

    @property
    def p(self) -> float:
        return float(stats.chi2.sf(self.q, self.df)) if self.df > 0 else math.nan


@dataclass(frozen=True)
class DesignQ:
    design: str
    q: float
    df: int

    @property
    def p(self) -> float:
        return QStat(self.q, self.df).p


@dataclass(frozen=True)
class QDecomposition:
    total: QStat
    within: QStat
    between: QStat
    by_design: tuple[DesignQ, ...]  # within-design Q of designs with df > 0
    detached: tuple[DesignQ, ...]  # between-designs Q after detaching a design
    tau2_within: float  # DL τ² of the full design-by-treatment interaction model
    between_random: QStat  # between-designs Q with τ²_within added

    @property
    def tau_within(self) -> float:
        return (
            math.sqrt(self.tau2_within) if math.isfinite(self.tau2_within) else math.nan
        )


def _relabel(nma: NetworkMetaAnalysis, own_nodes: set[str]) -> Edges:
    """The network with every design in ``own_nodes`` given private treatment nodes."""
    e = nma.edges
    design_of = np.array([nma.designs[nma.studies[s]] for s in e.study])
    nodes: dict[tuple[str, int], int] = {}

    def node(design: str, t: int) -> int:
        key = (design if design in own_nodes else "", t)
        return nodes.setdefault(key, len(nodes))

    t1 = np.array([node(d, t) for d, t in zip(design_of, e.t1.tolist(), strict=True)])
    t2 = np.array([node(d, t) for d, t in zip(design_of, e.t2.tolist(), strict=True)])
    return Edges(len(nodes), e.study, t1, t2, e.y, e.var)


def _spans_network_without(nma: NetworkMetaAnalysis, design: str) -> bool:
    """Do the other designs still connect all treatments? (else nothing to compare)"""
    e = nma.edges
    keep = np.array([nma.designs[nma.studies[s]] != design for s in e.study])
    if not keep.any():
        return False
    rest = Edges(
        e.n_nodes, e.study[keep], e.t1[keep], e.t2[keep], e.y[keep], e.var[keep]
    )
    comps = components(rest)
    return len(comps) == 1 and len(comps[0]) == e.n_nodes


def decompose_q(nma: NetworkMetaAnalysis) -> QDecomposition:
    e = nma.edges
    designs = sorted(set(nma.designs.values()))
    design_of = [nma.designs[nma.studies[s]] for s in e.study]

    total = QStat(nma.q, nma.df)
    inter = _relabel(nma, set(designs))
    inter_fit = fit(inter)
    within = QStat(inter_fit.q, inter.df())
    between = QStat(total.q - within.q, total.df - within.df)

    by_design = []
    contrib = inter_fit.residual_q
    for d in designs:
        rows = [r for r, dd in enumerate(design_of) if dd == d]
        studies = {int(e.study[r]) for r in rows}
        df = sum(len(e.arms(s)) - 1 for s in studies) - d.count(":")
        if df > 0:
            by_design.append(DesignQ(d, float(contrib[rows].sum()), df))

    detached = []
    for d in designs:
        df = between.df - d.count(":")
        if df < 0 or not _spans_network_without(nma, d):
            continue  # netmeta leaves out designs that cannot be compared
        q_d = fit(_relabel(nma, {d})).q - within.q
        detached.append(DesignQ(d, max(q_d, 0.0), df))

    tau2_within = dersimonian_laird(inter_fit, within.df)
    t2 = tau2_within if math.isfinite(tau2_within) else 0.0
    q_total_r = fit(e.with_var(e.var + t2)).q
    q_within_r = fit(inter.with_var(inter.var + t2)).q
    between_random = QStat(q_total_r - q_within_r, between.df)

    return QDecomposition(
        total,
        within,
        between,
        tuple(by_design),
        tuple(detached),
        tau2_within,
        between_random,
    )


# --- direct evidence and netsplit ---------------------------------------------


def _direct_rows(nma: NetworkMetaAnalysis, treat: str, versus: str):
    for c in nma.contrasts:
        if (c.treat1, c.treat2) == (treat, versus):
            yield c.study, c.te, c.se
        elif (c.treat1, c.treat2) == (versus, treat):
            yield c.study, -c.te, c.se


def direct_estimate(
    nma: NetworkMetaAnalysis, treat: str, versus: str, kind: str = "random"
) -> Estimate | None:
    """Inverse-variance pooled direct evidence of ``treat`` vs ``versus``.

    As netmeta: the comparisons' own standard errors (no multi-arm reduction,
    each study gives one row per pair) plus the network τ² for the random model.
    None when the two were never compared directly.
    """
    tau2 = nma.model(kind).tau2
    rows = list(_direct_rows(nma, treat, versus))
    if not rows:
        return None
    w = np.array([1.0 / (se * se + tau2) for _, _, se in rows])
    te = np.array([t for _, t, _ in rows])
    return Estimate.from_te_se(
        float(w @ te / w.sum()), float(1.0 / math.sqrt(w.sum())), nma.level
    )


@dataclass(frozen=True)
class SplitComparison:
    treat1: str
    treat2: str
    k: int  # studies with direct evidence
    prop: float  # share of direct evidence: var(network) / var(direct)
    nma: Estimate
    direct: Estimate | None
    indirect: Estimate | None
    diff: Estimate | None  # direct - indirect, with its z test


def netsplit(nma: NetworkMetaAnalysis, kind: str = "random") -> list[SplitComparison]:
    """Direct vs indirect evidence for every pair (back-calculation, netmeta's SIDE)."""
    model = nma.model(kind)
    out = []
    trts = nma.treatments
    for i, a in enumerate(trts):
        for b in trts[i + 1 :]:
            net = model.estimate(a, b)
            k = len({s for s, _, _ in _direct_rows(nma, a, b)})
            direct = direct_estimate(nma, a, b, kind)
            if direct is None:
                out.append(SplitComparison(a, b, 0, 0.0, net, None, net, None))
                continue
            prop = min(1.0, net.se**2 / direct.se**2)
            indirect = diff = None
            if prop < 1.0 - 1e-9:  # else all evidence is direct: nothing to split
                te_ind = (net.te - prop * direct.te) / (1.0 - prop)
                se_ind = net.se / math.sqrt(1.0 - prop)
                indirect = Estimate.from_te_se(te_ind, se_ind, nma.level)
                diff = Estimate.from_te_se(
                    direct.te - te_ind, math.hypot(direct.se, se_ind), nma.level
                )
            out.append(SplitComparison(a, b, k, prop, net, direct, indirect, diff))
    return out
