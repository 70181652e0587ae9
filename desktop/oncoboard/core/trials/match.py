"""A case against the imported trials: eligible, possible (needs ...) or excluded.

A trial is a candidate when it is open (recruiting or not yet recruiting, unless
asked otherwise), recruiting at a configured site (every trial when no site is
configured; a site-file study is always local) and its conditions' OncoTree codes
hold the case's tumor type (same node or a descendant; ``SOLID`` holds any solid
tumor).  Each criterion is then ``met``, ``failed`` or ``unknown``:

- a required criterion that failed, or an excluding one that is met (a prior
  therapy, a resistance marker, ECOG, age), excludes the trial;
- a required criterion the case cannot answer goes to ``needs``;
- otherwise the trial is ``eligible`` on recorded data.

An excluding biomarker is met only by a recorded alteration or status; a
required "wild-type" (written as an excluding criterion from the inclusion
section) needs a test that covered the gene.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from oncoboard.core.case.model import Case
from oncoboard.core.kb.oncotree import OncoTree
from oncoboard.core.matching.facts import CaseFacts
from oncoboard.core.matching.result import TrialMatch, TrialReason
from oncoboard.core.profiles.model import NormalisedAlteration
from oncoboard.core.trials.conditions import tumor_matches
from oncoboard.core.trials.model import OPEN_STATUSES, Criterion, TrialRecord
from oncoboard.core.trials.store import StoredTrial

Outcome = tuple[str, str]  # ("met" | "failed" | "unknown", detail)
DrugClasses = Callable[[str], set[str]]

SENSITIZING_EGFR = re.compile(r"L858R|exon 19 deletion|G719|L861Q|S768I", re.I)
HRR_GENES = (
    "BRCA1",
    "BRCA2",
    "PALB2",
    "ATM",
    "CDK12",
    "CHEK2",
    "RAD51B",
    "RAD51C",
    "RAD51D",
    "BARD1",
    "BRIP1",
    "FANCL",
    "RAD54L",
    "CHEK1",
)


@dataclass(frozen=True)
class MatchOptions:
    sites: tuple[str, ...] = ()
    statuses: frozenset[str] = OPEN_STATUSES
    include_excluded: bool = False


def at_site(record: TrialRecord, sites: Sequence[str]) -> bool:
    """Recruiting at one of ``sites`` (a case-insensitive part of a location's
    facility, city or country); every trial when no site is configured."""
    if not sites or record.source == "site":
        return True
    wanted = [s.lower() for s in sites if s.strip()]
    for loc in record.locations:
        if loc.status and loc.status not in OPEN_STATUSES:
            continue
        text = loc.text().lower()
        if any(w in text for w in wanted):
            return True
    return False


def candidates(
    trials: Iterable[StoredTrial], options: MatchOptions
) -> list[StoredTrial]:
    return [
        t
        for t in trials
        if t.record.overall_status in options.statuses
        and at_site(t.record, options.sites)
    ]


# -- one criterion ----------------------------------------------------------------------


def _alts(
    facts: CaseFacts, gene: str, *, vus: bool = False
) -> list[NormalisedAlteration]:
    """The gene's alterations (VUS only when ``vus``: a named exon or change decides)."""
    return [
        a
        for a in facts.alterations_of(gene)
        if (vus or a.significance != "vus") and a.variant_class != "synonymous"
    ]


def _germline(case: Case, gene: str) -> list[str]:
    return [
        f"germline {g.gene} {g.protein or g.cdna or ''}".strip()
        for g in case.germline
        if g.gene.upper() == gene
        and g.classification in ("pathogenic", "likely_pathogenic")
    ]


def _gene_hits(facts: CaseFacts, case: Case, gene: str, alteration: str) -> list[str]:
    alt = alteration.lower()
    alts = _alts(
        facts,
        gene,
        vus=alt.startswith("exon") or bool(re.fullmatch(r"[a-z]\d+[a-z]", alt)),
    )
    if alt == "fusion":
        hits = [a for a in alts if a.kind == "fusion"]
    elif alt == "amplification":
        hits = [a for a in alts if a.kind == "amplification"]
    elif alt == "expression":
        hits = [a for a in alts if a.kind in ("expression", "amplification")]
    elif alt == "sensitizing":
        hits = [a for a in alts if SENSITIZING_EGFR.search(a.label)]
    elif alt.startswith("exon"):
        exons = {int(n) for n in re.findall(r"exon (\d+)", alt)}
        hits = [
            a
            for a in alts
            if a.exon in exons and a.kind in ("mutation", "exon_skipping")
        ]
    elif alt == "point mutation":
        hits = [a for a in alts if a.kind == "mutation"]
    elif re.fullmatch(r"[a-z]\d+[a-z]", alt):
        hits = [
            a
            for a in alts
            if a.kind == "mutation" and alt.upper() in a.label.upper().replace(" ", "")
        ]
    else:  # mutation / alteration / driver
        hits = [
            a
            for a in alts
            if a.kind != "expression"
            and (
                a.kind != "mutation"
                or facts.is_pathogenic_mutation(a)
                or a.significance == "unknown"
            )
        ]
    return [a.label for a in hits] + (
        _germline(case, gene) if alt in ("mutation", "point mutation") else []
    )


def _tested(facts: CaseFacts, gene: str) -> str | None:
    return facts.wild_type_scope(gene)


def _biomarker(c: Criterion, facts: CaseFacts, case: Case) -> Outcome:
    genes = HRR_GENES if c.gene == "HRR" else tuple(c.gene.split("/"))
    if c.gene in ("HER2", "HR", "MSI", "TMB", "PD-L1", "CLDN18.2"):
        return _status(c, facts, case)
    hits = list(
        dict.fromkeys(
            h for g in genes for h in _gene_hits(facts, case, g, c.alteration)
        )
    )
    if hits:
        return "met", f"{', '.join(hits)} recorded"
    if c.alteration.startswith("exon"):
        no_exon = [
            a.label
            for g in genes
            for a in _alts(facts, g, vus=True)
            if a.kind == "mutation" and a.exon is None
        ]
        if no_exon:
            return (
                "unknown",
                f"{', '.join(no_exon)} recorded; its exon is not determined",
            )
    recorded = [a.label for g in genes for a in _alts(facts, g)]
    if recorded:
        return "failed", f"{', '.join(recorded)} recorded, not {c.alteration}"
    tested = [f"{g} {_tested(facts, g)}" for g in genes if _tested(facts, g)]
    if tested and len(tested) == len(genes):
        return "failed", f"no variant: {'; '.join(tested)}"
    return "unknown", f"{c.gene} {c.alteration} not tested"


def _her2(c: Criterion, st: dict[str, str]) -> Outcome:
    her2 = next((s for s in st if s.startswith("HER2-")), None)
    if her2 is None:
        return "unknown", "HER2 status not recorded"
    want = {
        "positive": {"HER2-positive"},
        "low": {"HER2-low"},
        "ultralow": {"HER2-ultralow"},
        "negative": {"HER2-low", "HER2-ultralow", "HER2-null", "HER2-negative"},
        "expression": {"HER2-positive", "HER2-low"},
    }.get(c.alteration, set())
    return ("met" if her2 in want else "failed"), st[her2]


def _hormone(c: Criterion, st: dict[str, str], case: Case) -> Outcome:
    bm = case.biomarkers
    if c.alteration == "triple-negative":
        if "triple-negative" in st:
            return "met", st["triple-negative"]
        return (
            ("unknown", "ER/PR/HER2 not all recorded")
            if bm.er is None
            else ("failed", f"ER {bm.er}, PR {bm.pr}")
        )
    if bm.er is None and bm.pr is None:
        return "unknown", "ER/PR not recorded"
    return (
        ("met", st["HR-positive"])
        if "HR-positive" in st
        else ("failed", f"ER {bm.er}, PR {bm.pr}")
    )


def _status(c: Criterion, facts: CaseFacts, case: Case) -> Outcome:
    st = facts.statuses
    bm = case.biomarkers
    if c.gene == "HER2":
        return _her2(c, st)
    if c.gene == "HR":
        return _hormone(c, st, case)
    if c.gene == "MSI":
        if bm.msi is None and bm.mmr is None:
            return "unknown", "MSI/MMR not recorded"
        high = "MSI-H/dMMR" in st
        ok = high if c.alteration == "high" else not high
        return (
            "met" if ok else "failed"
        ), f"MSI {bm.msi or 'not given'}, MMR {bm.mmr or 'not given'}"
    if c.gene == "TMB":
        if bm.tmb is None:
            return "unknown", "TMB not recorded"
        return (
            "met" if bm.tmb >= 10 else "failed"
        ), f"TMB {bm.tmb:g} mut/Mb (high: ≥ 10)"
    if c.gene == "PD-L1":
        return _pdl1(c, case)
    alts = _alts(facts, "CLDN18")
    if alts:
        return "met", ", ".join(a.label for a in alts)
    return "unknown", "CLDN18.2 not tested"


def _pdl1(c: Criterion, case: Case) -> Outcome:
    pd = case.biomarkers.pdl1
    m = re.fullmatch(r"(TPS|CPS)(>=|<)(\d+)", c.alteration)
    if m:
        value = getattr(pd, m.group(1).lower(), None) if pd else None
        if value is None:
            return "unknown", f"PD-L1 {m.group(1)} not recorded"
        ok = value >= int(m.group(3)) if m.group(2) == ">=" else value < int(m.group(3))
        return ("met" if ok else "failed"), f"PD-L1 {m.group(1)} {value:g}"
    if pd is None or (pd.tps is None and pd.cps is None):
        return "unknown", "PD-L1 not recorded"
    shown = f"PD-L1 TPS {pd.tps:g}" if pd.tps is not None else f"PD-L1 CPS {pd.cps:g}"
    if c.alteration == "positive":
        return ("met" if (pd.tps or 0) >= 1 or (pd.cps or 0) >= 1 else "failed"), shown
    return "met", shown


def _prior(
    c: Criterion, case: Case, classes: DrugClasses, canonical: Callable[[str], str]
) -> Outcome:
    received = [
        d
        for t in case.prior_therapies
        for d in t.drugs
        if c.gene in classes(canonical(d))
    ]
    if received:
        return "met", f"received {', '.join(dict.fromkeys(received))}"
    if not case.prior_therapies:
        return (
            ("unknown", "no prior therapy recorded")
            if c.effect == "required"
            else ("failed", "no prior therapy recorded")
        )
    return "failed", "not among the recorded prior therapies"


def evaluate(
    c: Criterion,
    facts: CaseFacts,
    case: Case,
    classes: DrugClasses,
    canonical: Callable[[str], str],
) -> Outcome:
    """Does the case have what the criterion names (met), not (failed), or unknown?"""
    if c.kind == "prior_therapy":
        return _prior(c, case, classes, canonical)
    if c.kind == "ecog":
        if case.patient.ecog is None:
            return "unknown", "ECOG not recorded"
        return (
            "met" if case.patient.ecog <= int(c.alteration) else "failed"
        ), f"ECOG {case.patient.ecog}"
    return _biomarker(c, facts, case)


# -- one trial --------------------------------------------------------------------------


def _age(record: TrialRecord, case: Case) -> TrialReason | None:
    if record.minimum_age is None and record.maximum_age is None:
        return None
    lo, hi = record.minimum_age or 0, record.maximum_age
    label = f"age {lo:g}" + (f"-{hi:g}" if hi is not None else "+")
    sentence = f"minimumAge {lo:g} years" + (
        f", maximumAge {hi:g} years" if hi is not None else ""
    )
    age = case.patient.age
    if age is None:
        return TrialReason(
            criterion=label,
            outcome="unknown",
            detail="age not recorded",
            sentence=sentence,
            status="auto",
        )
    ok = age >= lo and (hi is None or age <= hi)
    return TrialReason(
        criterion=label,
        outcome="met" if ok else "failed",
        detail=f"age {age}",
        sentence=sentence,
        status="auto",
    )


def match_trial(
    trial: StoredTrial,
    facts: CaseFacts,
    case: Case,
    classes: DrugClasses,
    canonical: Callable[[str], str],
) -> TrialMatch:
    reasons: list[TrialReason] = []
    needs: list[str] = []
    excluded = False
    age = _age(trial.record, case)
    if age is not None:
        reasons.append(age)
        excluded |= age.outcome == "failed"
        needs += ["age"] if age.outcome == "unknown" else []
    for c in trial.criteria:
        outcome, detail = evaluate(c, facts, case, classes, canonical)
        if c.effect == "excluded":
            # An exclusion holds against the case only on a recorded fact.
            blocking = outcome == "met"
            if (
                c.section != "exclusion"
                and c.kind == "biomarker"
                and outcome == "unknown"
            ):
                needs.append(
                    f"{c.gene} {c.alteration} ruled out"
                )  # "KRAS wild-type" must be tested
                shown = "unknown"
            else:
                shown = "failed" if blocking else "met"
            excluded |= blocking
        else:
            shown = outcome
            excluded |= outcome == "failed"
            if outcome == "unknown":
                needs.append(c.label)
        reasons.append(
            TrialReason(
                criterion=c.label,
                outcome=shown,  # type: ignore[arg-type]
                detail=detail,
                sentence=c.sentence,
                status=c.status,
            )
        )
    kind = "excluded" if excluded else ("possible" if needs else "eligible")
    return TrialMatch(
        nct_id=trial.record.nct_id,
        title=trial.record.title,
        match=kind,  # type: ignore[arg-type]
        needs=list(dict.fromkeys(needs)),
        reasons=reasons,
    )


def match_trials(
    trials: Iterable[StoredTrial],
    facts: CaseFacts,
    case: Case,
    tree: OncoTree,
    *,
    classes: DrugClasses,
    canonical: Callable[[str], str] = lambda name: name,
    options: MatchOptions = MatchOptions(),
) -> tuple[list[TrialMatch], int]:
    """The trials the case may join (eligible first, then possible by fewest needs),
    and how many candidates were weighed; excluded ones only when asked for."""
    code = case.tumor.oncotree_code
    weighed = [
        t
        for t in candidates(trials, options)
        if tumor_matches(code, t.oncotree_codes, tree)
    ]
    out = [match_trial(t, facts, case, classes, canonical) for t in weighed]
    if not options.include_excluded:
        out = [m for m in out if m.match != "excluded"]
    order = {"eligible": 0, "possible": 1, "excluded": 2}
    out.sort(key=lambda m: (order[m.match], len(m.needs), m.nct_id))
    return out, len(weighed)
