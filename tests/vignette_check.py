"""The vignette record and its checker, shared by the vignette test modules (tests only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from oncoboard.core.case.model import Case
from oncoboard.core.matching.ranking import TIER_ORDER
from oncoboard.core.pipeline import analyse_case


@dataclass(frozen=True)
class V:
    id: str
    case: Case
    why: str
    top: tuple[str, ...] | None = None  # regimen expected at rank 1 (drug set)
    include: dict[tuple[str, ...], str | None] = field(
        default_factory=dict
    )  # regimen -> tier (None: any)
    exclude: tuple[tuple[str, ...], ...] = ()
    resistance: tuple[str, ...] = ()  # drugs expected in the resistance section
    flags: tuple[str, ...] = ()
    no_flags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    no_options: bool = False
    not_recommended: dict[tuple[str, ...], str] = field(
        default_factory=dict
    )  # regimen -> reason
    fits: tuple[tuple[str, ...], ...] = ()  # regimens offered with applicability "fits"
    conditional: dict[tuple[str, ...], str] = field(
        default_factory=dict
    )  # regimen -> condition code


def r(*drugs: str) -> tuple[str, ...]:
    return tuple(sorted(drugs))


def _special_checks(v: V, result) -> None:
    by_drugs = {tuple(sorted(o.drugs)): o for o in result.options}
    if v.id == "crc-ras-wt-caveat-is-visible":
        assert any(
            "KRAS/NRAS exons 2" in c.message
            for c in by_drugs[r("cetuximab")].conditions
        )
    if v.id == "brand-name-prior-therapy":
        blocked = {tuple(sorted(n.drugs)): n for n in result.not_recommended}
        text = blocked[r("trastuzumab deruxtecan")].explanation
        assert "progressed on this regimen (trastuzumab deruxtecan)" in text
    if v.id == "luad-pdl1-high-with-egfr-driver":
        flaura2 = by_drugs[r("osimertinib", "carboplatin", "pemetrexed")]
        assert flaura2.rank < by_drugs[r("osimertinib")].rank
        assert (
            by_drugs[r("amivantamab", "lazertinib")].rank
            in flaura2.comparison.tied_with
        )
    if v.id == "c797s-does-not-support-first-gen-tki":
        erlotinib = by_drugs.get(r("erlotinib"))
        assert erlotinib is None or "EGFR T790M" not in erlotinib.matched
        assert "osimertinib" not in result.options[0].drugs


def _regimens(options) -> dict[tuple[str, ...], str]:
    return {tuple(sorted(o.drugs)): o.amp_tier for o in options}


def check_vignette(v: V, kb):  # noqa: C901 - one assertion block per vignette field
    """Every expectation of ``v`` against a fresh analysis; returns the match result."""
    result = analyse_case(v.case, kb=kb).match
    regimens = _regimens(result.options)
    context = f"{v.why}\noptions: {[(o.rank, o.drugs, o.amp_tier) for o in result.options[:12]]}"
    if v.top is not None:
        assert tuple(sorted(result.options[0].drugs)) == v.top, context
    for regimen, tier in v.include.items():
        assert regimen in regimens, context
        if tier is not None:
            assert regimens[regimen] == tier, context
    for regimen in v.exclude:
        assert regimen not in regimens, context
    resistant = {d for o in result.resistance for d in o.drugs}
    for drug in v.resistance:
        assert drug in resistant, f"{context}\nresistance: {sorted(resistant)}"
    codes = {f.code for f in result.flags}
    for code in v.flags:
        assert code in codes, f"{context}\nflags: {codes}"
    for code in v.no_flags:
        assert code not in codes, f"{context}\nflags: {codes}"
    labels = {a.label for a in result.alterations}
    for label in v.labels:
        assert label in labels, f"{context}\nlabels: {labels}"
    if v.no_options:
        assert result.options == [], context
    blocked = {tuple(sorted(n.drugs)): n.reason for n in result.not_recommended}
    for regimen, reason in v.not_recommended.items():
        assert blocked.get(regimen) == reason, f"{context}\nnot recommended: {blocked}"
    applicability = {tuple(sorted(o.drugs)): o for o in result.options}
    for regimen in v.fits:
        assert (
            regimen in applicability and applicability[regimen].applicability == "fits"
        ), f"{context}\n{regimen}: {applicability.get(regimen)}"
    for regimen, code in v.conditional.items():
        option = applicability.get(regimen)
        assert option is not None and option.applicability == "conditional", (
            f"{context}\n{regimen}: {option}"
        )
        assert code in {c.code for c in option.conditions}, (
            f"{context}\n{option.conditions}"
        )
    for option in result.options + result.resistance:
        assert option.evidence and all(e.citation for e in option.evidence)
    _special_checks(v, result)
    tiers = [TIER_ORDER[o.amp_tier] for o in result.options]
    assert tiers == sorted(tiers), "a weaker tier outranked a stronger one"
    assert [o.rank for o in result.options] == list(range(1, len(result.options) + 1))
    return result
