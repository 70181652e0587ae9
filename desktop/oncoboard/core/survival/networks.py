"""Network meta-analyses of the trial registry, run at KB build time.

One network per registry network (tumor type x biomarker population x line)
and endpoint. PFS, OS and TTP are always separate networks: a TTP contrast
never enters a PFS network. Disconnected parts of a network are analysed as
separate networks (suffix ``/c2``, ``/c3`` ...), never pooled.

The NMA itself is :func:`oncoboard.core.survival.nma.netmeta` (Rücker 2012;
validated against netmeta). Inputs are log hazard ratios with standard errors
from the published 95% CIs (:func:`se_from_ci`).

Each result is a plain JSON-able dict (stored in the KB's ``nma_results``
table)::

    {"id": "nsclc_alk_1l/PFS", "network": "nsclc_alk_1l", "endpoint": "PFS",
     "tumor": "NSCLC", "biomarker": ..., "line": "first", "label": ...,
     "reference": "crizotinib", "nodes": [...], "trials": [...],
     "contrasts": [{"trial", "treat", "control", "hr", "ci", "pmid",
                    "assessment", "data_cut"}],
     "assessments": ["BICR", "investigator"],
     "k": 4, "q": 0.0, "df": 0, "pval_q": null, "tau2": null, "i2": null,
     "pairs": [{"treat", "control", "common": {"hr", "lower", "upper", "p"},
                "random": {...}}],        # every ordered pair
     "pscores": {"common": {...}, "random": {...}}}

``pairs`` holds every ordered pair, so ``treat`` vs ``control`` is a lookup.
"""

from __future__ import annotations

import math
from typing import Any

from oncoboard.core.kb.trials import TrialRegistry, contrasts_for
from oncoboard.core.survival.nma import Contrast, netmeta, se_from_ci, split_components

ENDPOINTS = ("PFS", "OS", "TTP")
LEVEL = 0.95


def _num(x: float) -> float | None:
    """JSON-safe float: NaN/inf become None (e.g. I² with df = 0)."""
    return float(x) if math.isfinite(x) else None


def _estimate(model: Any, a: str, b: str) -> dict[str, float | None]:
    est = model.estimate(a, b)
    hr, lo, hi = est.ratio()
    return {"hr": _num(hr), "lower": _num(lo), "upper": _num(hi), "log_hr": _num(est.te),
            "se": _num(est.se), "p": _num(est.p)}  # fmt: skip


def run_networks(registry: TrialRegistry) -> list[dict[str, Any]]:
    """Run the NMA of every network and endpoint; return one dict per network."""
    results: list[dict[str, Any]] = []
    for net_id in sorted(registry.networks):
        net = registry.networks[net_id]
        for endpoint in ENDPOINTS:
            rows = list(contrasts_for(registry, net_id, endpoint))
            if not rows:
                continue
            meta = {
                (rt.trial.trial): {
                    "trial": rt.trial.trial, "treat": c.treat, "control": c.control,
                    "hr": c.hr, "ci": list(c.ci), "pmid": e.pmid,
                    "assessment": e.assessment, "analysis": e.analysis,
                    "data_cut": e.data_cut.isoformat() if e.data_cut else None,
                    "checked": c.checked,
                }
                for rt, e, c in rows
            }  # fmt: skip
            contrasts = [
                Contrast(
                    rt.trial.trial,
                    c.treat,
                    c.control,
                    math.log(c.hr),
                    se_from_ci(math.log(c.ci[0]), math.log(c.ci[1]), LEVEL),
                )
                for rt, _e, c in rows
            ]
            parts = split_components(contrasts)
            parts.sort(
                key=lambda p: (
                    -len({t for c in p for t in (c.treat1, c.treat2)}),
                    p[0].study,
                )
            )
            for k, part in enumerate(parts, start=1):
                suffix = "" if k == 1 else f"/c{k}"
                nma = netmeta(part, level=LEVEL)
                nodes = list(nma.treatments)
                reference = net.reference if net.reference in nodes else _hub(part)
                trials = sorted(nma.studies)
                used = [meta[s] for s in trials]
                results.append(
                    {
                        "id": f"{net_id}/{endpoint}{suffix}",
                        "network": net_id,
                        "endpoint": endpoint,
                        "label": net.label,
                        "tumor": net.tumor,
                        "biomarker": net.biomarker,
                        "line": net.line,
                        "reference": reference,
                        "nodes": nodes,
                        "trials": trials,
                        "contrasts": used,
                        "assessments": sorted(
                            {u["assessment"] for u in used if u["assessment"]}
                        ),
                        "k": nma.k,
                        "q": _num(nma.q),
                        "df": nma.df,
                        "pval_q": _num(nma.pval_q),
                        "tau2": _num(nma.tau2),
                        "i2": _num(nma.i2),
                        "level": LEVEL,
                        "pairs": [
                            {
                                "treat": a,
                                "control": b,
                                "common": _estimate(nma.common, a, b),
                                "random": _estimate(nma.random, a, b),
                            }
                            for a in nodes
                            for b in nodes
                            if a != b
                        ],
                        "pscores": {
                            "common": {
                                t: _num(v) for t, v in nma.common.pscores().items()
                            },
                            "random": {
                                t: _num(v) for t, v in nma.random.pscores().items()
                            },
                        },
                    }
                )
    return results


def _hub(contrasts: list[Any]) -> str:
    """The node with most contrasts (ties: alphabetical) as a fallback reference."""
    count: dict[str, int] = {}
    for c in contrasts:
        for t in (c.treat1, c.treat2):
            count[t] = count.get(t, 0) + 1
    return sorted(count, key=lambda t: (-count[t], t))[0]
