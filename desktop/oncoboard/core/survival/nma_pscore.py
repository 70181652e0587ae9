"""P-scores: ranking treatments of a frequentist NMA without resampling.

Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network
meta-analysis works without resampling methods. BMC Med Res Methodol 15:58.
doi:10.1186/s12874-015-0060-8

The P-score of treatment i is the mean, over the other n - 1 treatments j, of
the one-sided certainty that i is better than j: Φ((θⱼ - θᵢ)/seᵢⱼ) when small
values are good (e.g. log hazard ratios), Φ((θᵢ - θⱼ)/seᵢⱼ) when large values
are good. Since Φ(x) + Φ(-x) = 1, the scores of n treatments sum to n/2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats


def pscores(
    te: np.ndarray,
    se: np.ndarray,
    treatments: Sequence[str],
    *,
    small_values: str = "good",
) -> dict[str, float]:
    """P-score per treatment from the matrices te[i, j] (i vs j) and se[i, j]."""
    if small_values not in ("good", "bad"):
        raise ValueError("small_values is 'good' or 'bad'")
    n = len(treatments)
    if n < 2:
        return {t: float("nan") for t in treatments}
    sign = -1.0 if small_values == "good" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        p = stats.norm.cdf(sign * te / se)
    np.fill_diagonal(p, 0.0)
    return {t: float(p[i].sum() / (n - 1)) for i, t in enumerate(treatments)}
