"""Frequentist contrast-based network meta-analysis (NMA), numpy/scipy only.

Why this is written by hand: no maintained Python package implements the
frequentist, contrast-based NMA of the R package netmeta, so OncoBoard carries
this small, pure module and validates it against published netmeta printouts
(``tests/core/survival/test_nma.py``; see "Network meta-analysis" in
docs/survival.md). It does no I/O and never imports Qt.

Method, as in netmeta (graph-theoretical / weighted least squares):

* Input: one :class:`Contrast` per pairwise comparison within a study
  (``te`` = effect of ``treat1`` vs ``treat2``, e.g. a log hazard ratio, with
  its standard error). A study with p arms supplies all p(p-1)/2 contrasts.
* Multi-arm studies: the comparison variances of a study are turned into
  reduced weights through the pseudo-inverse of the study's Laplacian
  ("reduce weights", Rücker & Schwarzer 2014), after which every comparison
  is treated as an independent edge.
* Estimates: node potentials from the Moore-Penrose pseudo-inverse of the
  weighted Laplacian L = BᵀWB; the variance of i vs j is the effective
  resistance L⁺ᵢᵢ + L⁺ⱼⱼ - 2L⁺ᵢⱼ (Rücker 2012).
* Heterogeneity: Q = (y - ŷ)ᵀW(y - ŷ) with df = Σ(arms - 1) - (n - 1);
  τ² by the DerSimonian-Laird estimator generalised to networks,
  max(0, (Q - df) / tr[(I - H)(BBᵀ ∘ E / 2)W]); random effects add τ² to each
  comparison variance *before* the multi-arm adjustment. I² with the
  Higgins & Thompson (2002) interval.
* Ranking: P-scores (Rücker & Schwarzer 2015), in :mod:`.nma_pscore`.
* The linear algebra (multi-arm weights, Laplacian, Q, τ²) is in
  :mod:`.nma_fit`; this module validates input and assembles results.
* Q decomposition (within/between designs, detaching designs, design-by-
  treatment interaction) and direct/indirect splitting are in
  :mod:`.nma_inconsistency`.

References (checked against PubMed/publisher records):

* Rücker G (2012). Network meta-analysis, electrical networks and graph
  theory. Res Synth Methods 3(4):312-324. doi:10.1002/jrsm.1058
* Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights? Comparing
  two approaches to multi-arm studies in network meta-analysis. Stat Med
  33(25):4353-4369. doi:10.1002/sim.6236
* Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network
  meta-analysis works without resampling methods. BMC Med Res Methodol 15:58.
  doi:10.1186/s12874-015-0060-8
* Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a
  meta-analysis. Stat Med 21:1539-1558.
* Bucher HC, Guyatt GH, Griffith LE, Walter SD (1997). The results of direct
  and indirect treatment comparisons in meta-analysis of randomized
  controlled trials. J Clin Epidemiol 50(6):683-691.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from .nma_fit import Edges, Fit, dersimonian_laird, fit, i2_interval, z_quantile

if TYPE_CHECKING:
    from .nma_inconsistency import QDecomposition, SplitComparison

TOL_MULTIARM = 0.001
"""Largest allowed loop sum of a multi-arm study's contrasts (netmeta's default)."""


class NetworkError(ValueError):
    """The contrasts do not form a valid (connected) network."""


@dataclass(frozen=True)
class Contrast:
    """One pairwise comparison within a study: ``treat1`` vs ``treat2``."""

    study: str
    treat1: str
    treat2: str
    te: float
    se: float

    def flipped(self) -> Contrast:
        return Contrast(self.study, self.treat2, self.treat1, -self.te, self.se)


@dataclass(frozen=True)
class Estimate:
    """An effect with its standard error, normal (z) CI, z statistic and p value."""

    te: float
    se: float
    lower: float
    upper: float
    z: float
    p: float

    @classmethod
    def from_te_se(cls, te: float, se: float, level: float = 0.95) -> Estimate:
        half = z_quantile(level) * se
        z = te / se if se > 0 else math.nan
        p = float(2.0 * stats.norm.sf(abs(z))) if se > 0 else math.nan
        return cls(float(te), float(se), te - half, te + half, z, p)

    def ratio(self) -> tuple[float, float, float]:
        """(estimate, lower, upper) back-transformed from the log scale (HR, OR)."""
        return math.exp(self.te), math.exp(self.lower), math.exp(self.upper)


def se_from_ci(lower: float, upper: float, level: float = 0.95) -> float:
    """Standard error implied by a symmetric normal CI (pass logs for ratios)."""
    return (upper - lower) / (2.0 * z_quantile(level))


def bucher(
    te_ac: float, se_ac: float, te_bc: float, se_bc: float, *, level: float = 0.95
) -> Estimate:
    """Anchored indirect comparison of A vs B through a common comparator C.

    ``te_ac`` is A vs C and ``te_bc`` is B vs C (log scale for ratios); the two
    are independent, so the variances add (Bucher et al. 1997).
    """
    return Estimate.from_te_se(te_ac - te_bc, math.hypot(se_ac, se_bc), level)


def treatment_order(names: Iterable[str]) -> list[str]:
    """Case-insensitive alphabetical order, as netmeta's printouts sort treatments."""
    return sorted(set(names), key=lambda s: (s.casefold(), s))


# --- connectivity --------------------------------------------------------------


def connected_components(contrasts: Iterable[Contrast]) -> list[tuple[str, ...]]:
    """Treatments grouped into connected sub-networks, largest first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in contrasts:
        for t in (c.treat1, c.treat2):
            parent.setdefault(t, t)
        a, b = root(c.treat1), root(c.treat2)
        if a != b:
            parent[a] = b
    groups: dict[str, list[str]] = {}
    for t in parent:
        groups.setdefault(root(t), []).append(t)
    comps = [tuple(treatment_order(g)) for g in groups.values()]
    return sorted(comps, key=lambda g: (-len(g), g[0].casefold()))


def is_connected(contrasts: Iterable[Contrast]) -> bool:
    return len(connected_components(contrasts)) <= 1


def split_components(contrasts: Iterable[Contrast]) -> list[list[Contrast]]:
    """The contrasts of each connected sub-network, in the order of
    :func:`connected_components`; each can be passed to :func:`netmeta`."""
    rows = list(contrasts)
    comps = connected_components(rows)
    index = {t: i for i, comp in enumerate(comps) for t in comp}
    out: list[list[Contrast]] = [[] for _ in comps]
    for c in rows:
        out[index[c.treat1]].append(c)
    return out


# --- validation ----------------------------------------------------------------


def _validate(contrasts: Iterable[Contrast], tol_multiarm: float) -> list[Contrast]:
    rows = list(contrasts)
    if not rows:
        raise NetworkError("no contrasts given")
    by_study: dict[str, list[Contrast]] = {}
    for c in rows:
        if c.treat1 == c.treat2:
            raise NetworkError(f"{c.study}: a treatment compared with itself")
        if ":" in c.treat1 + c.treat2:
            # ":" separates treatments in design labels, as in netmeta.
            raise NetworkError(f"{c.study}: ':' in a treatment name")
        if not (math.isfinite(c.te) and math.isfinite(c.se) and c.se > 0):
            raise NetworkError(f"{c.study}: te and se must be finite, se > 0")
        by_study.setdefault(c.study, []).append(c)
    for study, cs in by_study.items():
        arms = {t for c in cs for t in (c.treat1, c.treat2)}
        pairs = {frozenset((c.treat1, c.treat2)) for c in cs}
        p = len(arms)
        if len(pairs) != len(cs):
            raise NetworkError(f"{study}: a comparison is given twice")
        if len(cs) != p * (p - 1) // 2:
            # netmeta needs every pair of a multi-arm study (it derives the
            # arm-level covariance from them).
            raise NetworkError(f"{study}: {p} arms need {p * (p - 1) // 2} contrasts")
        if p > 2:
            _check_multiarm_consistency(study, cs, tol_multiarm)
    return rows


def _check_multiarm_consistency(study: str, cs: list[Contrast], tol: float) -> None:
    # The contrasts of one study come from the same arms, so every loop must sum to 0.
    effect = {(c.treat1, c.treat2): c.te for c in cs}
    effect.update({(c.treat2, c.treat1): -c.te for c in cs})
    arms = sorted({t for c in cs for t in (c.treat1, c.treat2)})
    base = arms[0]
    for a in arms[1:]:
        for b in arms[1:]:
            if a < b:
                loop = effect[(a, base)] - effect[(b, base)] - effect[(a, b)]
                if abs(loop) > tol:
                    raise NetworkError(f"{study}: inconsistent multi-arm contrasts")


# --- results -------------------------------------------------------------------


@dataclass(frozen=True)
class NMAModel:
    """Common- or random-effects network estimates for every pair of treatments."""

    kind: str  # "common" or "random"
    treatments: tuple[str, ...]
    te: np.ndarray  # te[i, j]: treatments[i] vs treatments[j]
    se: np.ndarray
    level: float
    tau2: float  # heterogeneity variance used (0 for the common model)
    se_adjusted: tuple[float, ...]  # per contrast, after the multi-arm adjustment

    def _ix(self, name: str) -> int:
        try:
            return self.treatments.index(name)
        except ValueError:
            raise KeyError(f"unknown treatment {name!r}") from None

    def estimate(self, treat: str, versus: str) -> Estimate:
        i, j = self._ix(treat), self._ix(versus)
        return Estimate.from_te_se(self.te[i, j], self.se[i, j], self.level)

    def versus(self, reference: str) -> dict[str, Estimate]:
        """Every other treatment vs ``reference``."""
        return {
            t: self.estimate(t, reference) for t in self.treatments if t != reference
        }

    def pscores(self, small_values: str = "good") -> dict[str, float]:
        from .nma_pscore import pscores

        return pscores(self.te, self.se, self.treatments, small_values=small_values)


@dataclass(frozen=True)
class AdjustedContrast:
    """An input contrast as netmeta prints it (treat1 sorts first) with its
    standard errors after the multi-arm adjustment."""

    study: str
    treat1: str
    treat2: str
    te: float
    se: float
    se_adj_common: float
    se_adj_random: float
    narms: int


@dataclass(frozen=True)
class NetworkMetaAnalysis:
    treatments: tuple[str, ...]
    contrasts: tuple[Contrast, ...]
    studies: tuple[str, ...]
    designs: dict[str, str]  # study -> design label, e.g. "A:B:C"
    level: float
    q: float
    df: int
    pval_q: float
    tau2: float  # NaN when df = 0
    i2: float
    i2_lower: float
    i2_upper: float
    common: NMAModel
    random: NMAModel
    edges: Edges = field(repr=False)

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2) if math.isfinite(self.tau2) else math.nan

    @property
    def k(self) -> int:
        return len(self.studies)

    @property
    def m(self) -> int:
        return len(self.contrasts)

    @property
    def n(self) -> int:
        return len(self.treatments)

    @property
    def d(self) -> int:
        return len(set(self.designs.values()))

    def model(self, kind: str) -> NMAModel:
        if kind not in ("common", "random"):
            raise ValueError("model is 'common' or 'random'")
        return self.common if kind == "common" else self.random

    def adjusted_contrasts(self) -> list[AdjustedContrast]:
        order = {t: i for i, t in enumerate(self.treatments)}
        narms = {s: d.count(":") + 1 for s, d in self.designs.items()}
        out = []
        for r, c in enumerate(self.contrasts):
            c2 = c if order[c.treat1] < order[c.treat2] else c.flipped()
            out.append(
                AdjustedContrast(
                    c2.study,
                    c2.treat1,
                    c2.treat2,
                    c2.te,
                    c2.se,
                    self.common.se_adjusted[r],
                    self.random.se_adjusted[r],
                    narms[c.study],
                )
            )
        return out

    def decomposition(self) -> QDecomposition:
        from .nma_inconsistency import decompose_q

        return decompose_q(self)

    def direct(self, treat: str, versus: str, kind: str = "random") -> Estimate | None:
        from .nma_inconsistency import direct_estimate

        return direct_estimate(self, treat, versus, kind)

    def netsplit(self, kind: str = "random") -> list[SplitComparison]:
        from .nma_inconsistency import netsplit

        return netsplit(self, kind)


def netmeta(
    contrasts: Iterable[Contrast],
    *,
    level: float = 0.95,
    tau2: float | None = None,
    tol_multiarm: float = TOL_MULTIARM,
) -> NetworkMetaAnalysis:
    """Common- and random-effects NMA of a connected network of contrasts.

    ``tau2`` presets the heterogeneity variance; by default it is the
    generalised DerSimonian-Laird estimate (0 in the random model when df = 0).
    Raises :class:`NetworkError` for an invalid or disconnected network; use
    :func:`split_components` first to analyse sub-networks separately.
    """
    if tau2 is not None and not (math.isfinite(tau2) and tau2 >= 0):
        raise ValueError("tau2 must be a finite value >= 0")
    rows = _validate(contrasts, tol_multiarm)
    comps = connected_components(rows)
    if len(comps) > 1:
        raise NetworkError(
            "network is not connected: " + " | ".join(", ".join(c) for c in comps)
        )
    treatments = tuple(treatment_order(t for c in rows for t in (c.treat1, c.treat2)))
    col = {t: i for i, t in enumerate(treatments)}
    studies = tuple(dict.fromkeys(c.study for c in rows))
    sidx = {s: i for i, s in enumerate(studies)}
    edges = Edges(
        n_nodes=len(treatments),
        study=np.array([sidx[c.study] for c in rows]),
        t1=np.array([col[c.treat1] for c in rows]),
        t2=np.array([col[c.treat2] for c in rows]),
        y=np.array([c.te for c in rows], dtype=float),
        var=np.array([c.se**2 for c in rows], dtype=float),
    )
    arms: dict[str, set[str]] = {}
    for c in rows:
        arms.setdefault(c.study, set()).update((c.treat1, c.treat2))
    designs = {s: ":".join(treatment_order(a)) for s, a in arms.items()}

    common_fit = fit(edges)
    q, df = common_fit.q, edges.df()
    tau2_hat = dersimonian_laird(common_fit, df) if tau2 is None else float(tau2)
    tau2_used = tau2_hat if math.isfinite(tau2_hat) else 0.0
    random_fit = fit(edges.with_var(edges.var + tau2_used))
    i2, i2_lo, i2_hi = i2_interval(q, df, level)

    def model(kind: str, f: Fit, t2: float) -> NMAModel:
        lp = f.lplus
        dg = np.diag(lp)
        var = np.maximum(dg[:, None] + dg[None, :] - 2 * lp, 0.0)
        te = f.theta[:, None] - f.theta[None, :]
        # A reduced weight can be 0 (SE infinite) in an unbalanced multi-arm study.
        with np.errstate(divide="ignore", invalid="ignore"):
            se_adj = tuple(float(x) for x in np.sqrt(1.0 / f.w))
        return NMAModel(kind, treatments, te, np.sqrt(var), level, t2, se_adj)

    return NetworkMetaAnalysis(
        treatments=treatments,
        contrasts=tuple(rows),
        studies=studies,
        designs=designs,
        level=level,
        q=q,
        df=df,
        pval_q=float(stats.chi2.sf(q, df)) if df > 0 else math.nan,
        tau2=tau2_hat,
        i2=i2,
        i2_lower=i2_lo,
        i2_upper=i2_hi,
        common=model("common", common_fit, 0.0),
        random=model("random", random_fit, tau2_used),
        edges=edges,
    )
