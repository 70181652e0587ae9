"""Network-anchored survival curves (issue 15): one reference arm, each option by its NMA HR.

Comparing options by their own trials' curves compares populations as much as
treatments.  Within a network meta-analysis the comparison is anchored: every
option's curve is the network's reference-arm curve under proportional hazards,
``S(t) = S_ref(t) ** HR``, with ``HR`` the option's network estimate against the
reference.  All options of a network then share one population (the reference
arm's trial), and their differences are the network's.

The reference arm is the reference node's arm in a trial of the network's
population (the registry trials of the same network), reconstructed (kmdata
IPD) fits preferred over published summaries, then the most patients; a fit
without a known follow-up is never used.  Uncertainty is propagated by simulation: log HR from its normal
approximation, and the reference curve within its pointwise 95% band with one
standard-normal draw per simulation moving the whole curve (a fully correlated
band, which is conservative).  Figures are given only within
the reference arm's follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from oncoboard.core.survival import curves
from oncoboard.core.survival.predict import CurvePrediction, median_text

DRAWS = 2000
SEED = 20261206  # fixed: the same KB and case give the same figures


def _arm_node(arm: str, node_of: Callable[[Sequence[str]], str | None]) -> str | None:
    """The node of a curated arm label: the label itself, else its drugs.

    ``" or "`` separates interchangeable regimens ("gefitinib or erlotinib"),
    each of which must map to the same node; ``" + "`` joins the drugs of one
    regimen, and a placebo add-on is not a drug ("placebo + letrozole")."""
    node = node_of([arm])
    if node is not None:
        return node
    found: set[str | None] = set()
    for regimen in arm.split(" or "):
        drugs = [
            p.strip()
            for p in regimen.split(" + ")
            if p.strip() and p.strip().lower() != "placebo"
        ]
        if not drugs:
            return None
        found.add(node_of(drugs))
    return found.pop() if len(found) == 1 else None


def reference_fit(
    network: Mapping[str, Any],
    fits: Sequence[Mapping[str, Any]],
    node_of: Callable[[Sequence[str]], str | None],
    trials: set[str] | None = None,
) -> Mapping[str, Any] | None:
    """The reference node's arm fit among ``trials`` (the registry trials of the network's
    population): reconstructed IPD first, then the most patients.  A fit without a known
    follow-up is never used, since no figure may lie beyond the data."""
    trials = trials if trials is not None else set(network.get("trials", []))
    ref = network["reference"]
    found = [
        f
        for f in fits
        if f.get("trial") in trials
        and f.get("endpoint") == network["endpoint"]
        and f.get("max_followup_months")
        and _arm_node(str(f["arm"]), node_of) == ref
    ]
    if not found:
        return None
    return max(
        found, key=lambda f: (f.get("method") == "reconstructed-ipd", f.get("n") or 0)
    )


def _medians(t: Any, draws: Any) -> Any:
    """Vectorised :func:`curves.crossing_time` at 0.5 for every drawn curve; inf if never."""
    import numpy as np

    below = draws <= 0.5
    reached = below.any(axis=1)
    i = np.maximum(below.argmax(axis=1), 1)
    rows = np.arange(draws.shape[0])
    s0, s1 = draws[rows, i - 1], draws[rows, i]
    step = np.where(s0 > s1, s0 - s1, 1.0)
    frac = np.where(s0 > s1, (s0 - 0.5) / step, 1.0)
    times = t[i - 1] + np.clip(frac, 0.0, 1.0) * (t[i] - t[i - 1])
    times = np.where(below[:, 0], t[0], times)
    return np.where(reached, times, np.inf)


def _rmsts(t: Any, draws: Any, horizon: float) -> Any:
    """Vectorised :func:`curves.rmst` (trapezoid rule to ``horizon``) for every drawn curve."""
    import numpy as np

    k = int(np.searchsorted(t, horizon, side="left"))  # grid points strictly below
    grid = np.append(t[:k], horizon)
    j = min(max(k, 1), len(t) - 1)
    frac = (horizon - t[j - 1]) / (t[j] - t[j - 1]) if t[j] > t[j - 1] else 1.0
    last = draws[:, j - 1] + frac * (draws[:, j] - draws[:, j - 1])
    values = np.column_stack([draws[:, :k], last])
    return ((values[:, 1:] + values[:, :-1]) / 2 * np.diff(grid)).sum(axis=1)


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of sorted values (nearest rank; infinite values allowed)."""
    return float(
        sorted_values[
            min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
        ]
    )


def anchored_curve(
    ref: Mapping[str, Any],
    hr: Mapping[str, float],
    *,
    node_label: str,
    network_id: str,
    horizon_months: float = 24.0,
) -> CurvePrediction:
    """The option's curve: the reference arm's curve to the power of the network HR."""
    import numpy as np

    curve = ref["curve"]
    t = np.asarray(curve["t"], dtype=float)
    s_ref = np.asarray(curve["s"], dtype=float)
    lo = np.asarray(
        curve["lo"] if curve.get("lo") is not None else curve["s"], dtype=float
    )
    hi = np.asarray(
        curve["hi"] if curve.get("hi") is not None else curve["s"], dtype=float
    )
    followup = float(ref["max_followup_months"])
    keep = t <= followup
    t, s_ref, lo, hi = t[keep], s_ref[keep], lo[keep], hi[keep]
    log_hr = math.log(hr["hr"])
    se_hr = float(
        hr.get("se") or (math.log(hr["upper"]) - math.log(hr["lower"])) / 3.919928
    )
    rng = np.random.default_rng(SEED)
    z_curve = rng.standard_normal(DRAWS)[:, None] / 1.959964
    hr_draws = np.exp(log_hr + rng.standard_normal(DRAWS) * se_hr)[:, None]
    # One draw of the reference curve moves the whole curve within its band (towards
    # the upper edge for z > 0, the lower for z < 0), then to the power of a drawn HR.
    ref_draws = np.where(
        z_curve > 0, s_ref + z_curve * (hi - s_ref), s_ref + z_curve * (s_ref - lo)
    )
    draws = np.clip(ref_draws, 0.0, 1.0) ** hr_draws
    point = s_ref ** hr["hr"]
    medians = sorted(_medians(t, draws).tolist())
    horizon = min(horizon_months, float(t[-1])) if len(t) else horizon_months
    median = curves.crossing_time(t, point)
    # A median not reached in a draw lies beyond follow-up: an open upper bound.
    low, high = _quantile(medians, 0.025), _quantile(medians, 0.975)
    med_ci = (
        None
        if not math.isfinite(low)
        else (round(low, 1), round(high, 1) if math.isfinite(high) else None)
    )
    rmst_ok = horizon >= horizon_months
    rmst = curves.rmst(t, point, horizon_months) if rmst_ok else None
    rmsts = sorted(_rmsts(t, draws, horizon_months).tolist()) if rmst_ok else []
    rmst_ci = (
        (round(_quantile(rmsts, 0.025), 1), round(_quantile(rmsts, 0.975), 1))
        if rmst_ok
        else None
    )
    trial = str(ref["trial"])
    endpoint = str(ref["endpoint"])
    note = (
        f"Modelled {endpoint} anchored on the network {network_id}: the reference arm "
        f"({ref['arm']}, {trial}) under proportional hazards with the network HR "
        f"{hr['hr']:.2f} ({hr['lower']:.2f}\u2013{hr['upper']:.2f}); the population is "
        f"{trial}'s, not this patient's. Median {median_text(median, followup)}."
    )
    return CurvePrediction(
        label=f"{node_label} (anchored on {trial} {ref['arm']}, {endpoint})",
        times=tuple(float(v) for v in t),
        survival=tuple(float(v) for v in point),
        lower=tuple(float(v) for v in np.percentile(draws, 2.5, axis=0)),
        upper=tuple(float(v) for v in np.percentile(draws, 97.5, axis=0)),
        median_months=None if median is None else round(median, 1),
        median_ci=med_ci,
        rmst_months=None if rmst is None else round(rmst, 1),
        horizon_months=float(horizon_months),
        surv_12m=float(curves.surv_at(t, point, 12.0))
        if len(t) and t[-1] >= 12
        else None,
        method=str(ref["method"]),
        source=f"NMA {network_id}; reference arm {ref['arm']} of {trial} ({ref.get('citation', '')})",
        note=note,
        basis="nma-anchored",
        endpoint=endpoint,
        rmst_ci=rmst_ci,
        approximation=bool(ref.get("approximation")),
        trial=f"{trial} (reference arm of NMA {network_id})",
        followup_months=followup,
        line=ref.get("line"),
        n=ref.get("n"),
    )
