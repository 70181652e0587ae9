"""Comparing options only where a network of trials connects them.

Options of one tier and applicability group are first ordered by evidence
strength (``ranking.py``).  Options that sit in the same network
meta-analysis (built at KB build from curated hazard ratios, ``core/kb/
networks.py``) are then reordered among the places they already hold, by
their P-score in that network: an anchored comparison decides their order,
and options outside the network keep their places, so no option is pushed
down merely for lacking a comparative figure.

Two options whose network hazard ratio has a 95% CI including 1 are not
resolved: each lists the other in ``tied_with``.  Point estimates from
different trials (median, RMST) never order options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from oncoboard.core.matching.result import Comparison

NO_COMPARATIVE_EVIDENCE = (
    "No comparative evidence: this option is outside any connected network of "
    "trials in the knowledge base, so it is not compared with the others."
)
MODEL = "random"  # random-effects NMA (DerSimonian-Laird tau^2); equals common when tau^2 = 0


@dataclass(frozen=True)
class Placed:
    """One option's place in a network: node and the network's stored results."""

    node: str
    network: dict[str, Any]

    def versus(self, other: str) -> dict[str, Any] | None:
        for pair in self.network["pairs"]:
            if pair["treat"] == self.node and pair["control"] == other:
                return dict(pair[MODEL])
        return None

    @property
    def pscore(self) -> float:
        return float(self.network["pscores"][MODEL].get(self.node, 0.0))


Locate = Callable[[Sequence[str]], Placed | None]


def _resolved(a: Placed, b: Placed) -> bool:
    hr = a.versus(b.node)
    return hr is not None and (hr["upper"] < 1 or hr["lower"] > 1)


def reorder(
    order: list[int],
    bucket_of: Callable[[int], object],
    drugs_of: Callable[[int], Sequence[str]],
    locate: Locate,
) -> tuple[list[int], dict[int, Placed]]:
    """Permute, within each bucket, the options of one network: an option moves ahead of
    another only where the network resolves the pair (95% CI of the HR excludes 1) in
    its favour; unresolved pairs keep their evidence-strength order."""
    placed = {i: p for i in order if (p := locate(drugs_of(i))) is not None}
    out = list(order)
    groups: dict[tuple[object, str], list[int]] = {}
    for pos, i in enumerate(out):
        if i in placed:
            groups.setdefault((bucket_of(i), placed[i].network["id"]), []).append(pos)
    for positions in groups.values():
        members = _resolved_order([out[p] for p in positions], placed)
        for pos, i in zip(positions, members, strict=True):
            out[pos] = i
    return out, placed


def _resolved_order(members: list[int], placed: dict[int, Placed]) -> list[int]:
    """Stable exchange sort that swaps neighbours only when the network resolves them."""
    out = list(members)
    changed = True
    while changed:
        changed = False
        for k in range(len(out) - 1):
            a, b = placed[out[k]], placed[out[k + 1]]
            if _resolved(a, b) and b.pscore > a.pscore:
                out[k], out[k + 1] = out[k + 1], out[k]
                changed = True
    return out


def comparisons(
    order: list[int], placed: dict[int, Placed], bucket_of: Callable[[int], object]
) -> dict[int, Comparison]:
    """The comparison shown with each option (by group index), with ranks of ties."""
    rank = {i: r for r, i in enumerate(order, 1)}
    out: dict[int, Comparison] = {}
    for i in order:
        p = placed.get(i)
        if p is None:
            out[i] = Comparison(basis="none", statement=NO_COMPARATIVE_EVIDENCE)
            continue
        peers = [
            j
            for j in order
            if j != i
            and j in placed
            and bucket_of(j) == bucket_of(i)
            and placed[j].network["id"] == p.network["id"]
        ]
        tied = sorted(rank[j] for j in peers if not _resolved(p, placed[j]))
        ref = p.network["reference"]
        hr = p.versus(ref) if p.node != ref else None
        out[i] = Comparison(
            basis="nma",
            network=p.network["id"],
            node=p.node,
            p_score=round(p.pscore, 3),
            reference=ref,
            hr_vs_reference=(
                round(hr["hr"], 2),
                round(hr["lower"], 2),
                round(hr["upper"], 2),
            )
            if hr
            else None,
            tied_with=tied,
            statement=_statement(p, hr, tied, len(peers)),
        )
    return out


def _statement(
    p: Placed, hr: dict[str, Any] | None, tied: list[int], peers: int
) -> str:
    text = f"Network meta-analysis {p.network['id']} ({p.network.get('label') or 'trials in the KB'}): "
    text += f"P-score {p.pscore:.2f}"
    if hr is not None:
        text += f"; HR vs {p.network['reference']} {hr['hr']:.2f} ({hr['lower']:.2f}\u2013{hr['upper']:.2f})"
    if tied:
        text += (
            "; not resolved from option(s) "
            + ", ".join(str(r) for r in tied)
            + " (95% CI of the HR includes 1)"
        )
    elif peers:
        text += "; resolved from the other options of this network"
    return text + "."
