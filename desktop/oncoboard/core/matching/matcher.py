"""Match a normalised case against the knowledge base (``oncoboard.match/1``).

The steps, each visible in an option's ``explanation``:

1. derive facts (alterations and case-level statuses, see ``facts.py``);
2. find KB entries whose biomarker (and co-requirements) the case satisfies;
3. place each entry's tumor type against the case's in OncoTree
   (``same`` / ``agnostic`` / ``other``) and assign the AMP/ASCO/CAP tier;
4. check the entry's setting and the prior therapies (``applicability.py``):
   conditions make an option conditional, blocks make it not recommended;
5. group entries by therapy; set each sensitive group against the resistance
   groups (curated beats CIViC); split into ``options`` and ``not_recommended``;
6. rank (``ranking.py``, ``comparison.py``) and attach survival figures
   (network-anchored where a network places the option);
7. classify every alteration (``alteration_view.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from oncoboard.core.case.model import Case
from oncoboard.core.kb.entry import KbEntry
from oncoboard.core.matching import applicability, germline, ranking, site_curation
from oncoboard.core.matching.alteration_view import alteration_view
from oncoboard.core.matching.applicability import Block
from oncoboard.core.matching.comparison import Placed
from oncoboard.core.matching.facts import CaseFacts, derive_facts
from oncoboard.core.matching.result import (
    Comparison,
    Condition,
    Evidence,
    Flag,
    KbRef,
    MatchedAlteration,
    MatchResult,
    NotRecommended,
    Option,
    Predicted,
    RegulatoryApproval,
)
from oncoboard.core.matching.rules import (
    SPECIFICITY_NAMES,
    BiomarkerHit,
    co_requirement_met,
    match_biomarker,
)
from oncoboard.core.matching.standard_biomarkers import missing_standard_biomarker_flags
from oncoboard.core.profiles.model import Profile

LEVEL_STRENGTH = {"A": 4, "B": 3, "C": 2, "D": 1}
ADVANCED_SETTINGS = ("metastatic", "locally_advanced")
MAX_EVIDENCE_PER_OPTION = 8

Predictor = Callable[[Case, list[KbEntry]], Predicted | None]
# (network, node, drugs) -> the option's curve anchored on the network's reference arm
Anchor = Callable[[dict, str, Sequence[str]], Predicted | None]


def amp_tier(level: str, tumor_match: str, source: str = "OncoBoard curated") -> str:
    """AMP/ASCO/CAP 2017 (Li et al., J Mol Diagn 2017): level A/B in this tumor type
    is tier I; evidence from another tumor type is level C at best, so tier IIC.

    CIViC level B is "clinical evidence" without consensus, which AMP/ASCO/CAP
    calls level C: tier IIC (a curated entry for the same regimen corroborates it
    by leading the option).  See docs/matching.md.
    """
    if source == "CIViC" and level == "B":
        return "IIC"
    if tumor_match in ("same", "agnostic"):
        return {"A": "IA", "B": "IB", "C": "IIC", "D": "IID"}[level]
    return "IIC" if level in ("A", "B", "C") else "IID"


@dataclass
class Candidate:
    """One KB entry that applies to the case, with everything the option needs."""

    entry: KbEntry
    hits: list[BiomarkerHit]
    tumor_match: str
    tier: str
    explanation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    later_line: bool = False
    line_mismatch: bool = False
    progressed_on: tuple[str, ...] = ()
    conditions: list[tuple[str, str]] = field(default_factory=list)  # (code, sentence)
    blocks: list[Block] = field(default_factory=list)

    def add_condition(self, code: str, message: str) -> None:
        if (code, message) not in self.conditions:
            self.conditions.append((code, message))

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)

    @property
    def specificity(self) -> int:
        return max(h.specificity for h in self.hits)

    @property
    def strength(self) -> int:
        """Evidence strength: level, regulatory approvals, curation, specificity."""
        curated = 1 if self.entry.source == "OncoBoard curated" else 0
        # Agencies, not approval rows: a second FDA row for the same drug is no stronger.
        agencies = len({a.agency for a in self.entry.approvals})
        return (
            LEVEL_STRENGTH[self.entry.amp_level] * 100
            + agencies * 10
            + curated * 5
            + self.specificity
        )


@dataclass
class MatchContext:
    case: Case
    profile: Profile
    facts: CaseFacts
    kb: object  # KnowledgeBase; typed loosely to keep this module free of sqlite imports


def _candidate_entries(kb: object, facts: CaseFacts) -> list[KbEntry]:
    genes = {a.gene for a in facts.alterations} | {
        a.partner for a in facts.alterations if a.partner
    }
    seen: dict[str, KbEntry] = {}
    for gene in sorted(g for g in genes if g):
        for entry in kb.entries_for_gene(gene):  # type: ignore[attr-defined]
            seen.setdefault(entry.id, entry)
    for status in sorted(set(facts.statuses) | set(facts.unestablished)):
        for entry in kb.entries_for_status(status):  # type: ignore[attr-defined]
            seen.setdefault(entry.id, entry)
    return [seen[k] for k in sorted(seen)]


def _tumor_match(ctx: MatchContext, entry: KbEntry) -> str:
    code = ctx.case.tumor.oncotree_code
    tree = ctx.kb.oncotree()  # type: ignore[attr-defined]
    if any(
        tree.is_same_or_descendant(code, excluded)
        for excluded in entry.tumor_exclude
        if tree.exists(excluded)
    ):
        return "excluded"
    if entry.tumor == "agnostic":
        return "agnostic"
    if (
        tree.exists(code)
        and tree.exists(entry.tumor)
        and tree.is_same_or_descendant(code, entry.tumor)
    ):
        return "same"
    return "other"


def _biomarker_hits(
    ctx: MatchContext, entry: KbEntry
) -> tuple[list[BiomarkerHit], list[str]] | None:
    hits = match_biomarker(entry.biomarker, ctx.facts)
    if not hits:
        return None
    why = [f"{h.label}: {h.why}" for h in hits]
    for extra in entry.also_requires:
        extra_hits = match_biomarker(extra, ctx.facts)
        if not extra_hits:
            return None
        hits += extra_hits
        why += [f"also requires {h.label}: {h.why}" for h in extra_hits]
    for requirement in entry.co_requirements:
        state, reason = co_requirement_met(requirement, ctx.facts)
        if state == "unmet":
            return None
        why.append(reason)
    return hits, why


def _setting_check(ctx: MatchContext, cand: Candidate) -> bool:
    """Apply line/setting rules; return False if the entry does not apply at all."""
    setting = cand.entry.setting
    case_setting = ctx.case.tumor.setting
    if (
        setting.line in ("adjuvant", "neoadjuvant")
        and case_setting in ADVANCED_SETTINGS
    ):
        return False
    if setting.line == "maintenance":
        # Maintenance or consolidation follows a described response or setting (LAURA:
        # after chemoradiation of stage III; olaparib: after platinum response) that the
        # case fields cannot confirm: never a plain fit, never a first-line figure.
        cand.line_mismatch = bool(ctx.facts.prior_metastatic_lines)
        cand.add_condition(
            "maintenance_setting",
            "Maintenance or consolidation indication: confirm the setting it requires ("
            f"{setting.description or 'see label'}).",
        )
    drug_classes = ctx.kb.drug_classes  # type: ignore[attr-defined]
    received_classes = {
        c for d in ctx.facts.prior_drugs for c in drug_classes(d)
    } | set(ctx.facts.prior_drugs)
    missing = [c for c in setting.after if c not in received_classes]
    lines = ctx.facts.prior_metastatic_lines
    if missing:
        cand.later_line = True
        cand.add_condition(
            "prerequisite_not_recorded",
            f"Requires prior {', '.join(m.replace('_', ' ') for m in missing)}"
            f" ({setting.description or 'see label'}); not recorded in the prior therapies.",
        )
    elif setting.after:
        cand.explanation.append(
            f"Setting met: prior {', '.join(setting.after)} recorded."
        )
    if setting.min_prior_lines and lines < setting.min_prior_lines:
        cand.later_line = True
        cand.add_condition(
            "prerequisite_not_recorded",
            f"Requires at least {setting.min_prior_lines} prior lines in the advanced setting; "
            f"{lines} recorded.",
        )
    if setting.line == "first" and lines:
        cand.line_mismatch = True
        cand.add_condition(
            "first_line_after_treatment",
            f"First-line indication; the patient has had {lines} prior line(s) in the advanced "
            "setting. First-line trial figures do not describe this patient.",
        )
    if setting.line == "second_or_later" and not lines and not setting.after:
        cand.later_line = True
        cand.add_condition(
            "prerequisite_not_recorded",
            "Indication is for second or later line; no prior line recorded.",
        )
    cross_resistance = ctx.kb.cross_resistance()  # type: ignore[attr-defined]
    applicability.check_progression(cand, ctx.facts, drug_classes, cross_resistance)
    return True


def _build_candidate(ctx: MatchContext, entry: KbEntry) -> Candidate | None:
    if not entry.matchable:
        return None
    found = _biomarker_hits(ctx, entry)
    if found is None:
        return None
    hits, why = found
    tumor_match = _tumor_match(ctx, entry)
    if tumor_match == "excluded":
        return None
    if (
        tumor_match == "other"
        and entry.biomarker.kind == "status"
        and not entry.also_requires
    ):
        # A status alone (PD-L1 TPS, RAS wild-type) carries no meaning across tumor types.
        return None
    if tumor_match == "other" and _has_lineage_drug(ctx, entry):
        # Hormonal partners (abiraterone, enzalutamide, letrozole ...), chemotherapy
        # backbones and anti-EGFR antibodies tie a regimen to its tumor lineage; such
        # combinations are not carried to other tumor types.
        return None
    tier = amp_tier(entry.amp_level, tumor_match, entry.source)
    source = site_curation.source_label(entry) or (
        entry.source + (f" EID{entry.civic_eid}" if entry.civic_eid else "")
    )
    explanation = [
        f"KB entry {entry.id} ({source}, level {entry.amp_level}) matched at "
        f"{SPECIFICITY_NAMES[max(h.specificity for h in hits)]} specificity: "
        + "; ".join(why)
        + ".",
        _tumor_sentence(ctx, entry, tumor_match),
        f"Tier {tier}: level {entry.amp_level} evidence, tumor match '{tumor_match}' (AMP/ASCO/CAP 2017).",
    ]
    cand = Candidate(entry, hits, tumor_match, tier, explanation)
    for hit in hits:
        if hit.unestablished:
            cand.add_condition("status_not_established", hit.unestablished + ".")
    for requirement in entry.co_requirements:
        state, reason = co_requirement_met(requirement, ctx.facts)
        if state == "unknown" and not cand.conditional:  # one "test this" per option
            cand.add_condition("status_not_established", reason + ".")
    if entry.source == "CIViC":
        _germline_label_check(ctx, cand)
    return cand if _setting_check(ctx, cand) else None


LINEAGE_CLASSES = frozenset({"arpi", "endocrine", "aromatase_inhibitor"})
# Partners chosen for a tumor type's biology, not for the biomarker: a combination
# with chemotherapy or an anti-EGFR antibody (BEACON's cetuximab answers colorectal
# EGFR feedback) is not carried to another tumor type; its targeted drug alone may be.
LINEAGE_PARTNER_CLASSES = frozenset({"chemotherapy", "anti_egfr_antibody"})


def _has_lineage_drug(ctx: MatchContext, entry: KbEntry) -> bool:
    classes_of = ctx.kb.drug_classes  # type: ignore[attr-defined]
    if any(classes_of(d) & LINEAGE_CLASSES for d in entry.therapy):
        return True
    return len(entry.therapy) > 1 and any(
        classes_of(d) & LINEAGE_PARTNER_CLASSES for d in entry.therapy
    )


def _germline_label_check(ctx: MatchContext, cand: Candidate) -> None:
    """CIViC has no variant origin: warn when our curated label for the same regimen
    and gene is limited to germline variants and the case's finding is not germline."""
    gene = cand.entry.biomarker.gene
    germline_only = [
        e
        for e in ctx.kb.entries_for_gene(gene or "")  # type: ignore[attr-defined]
        if e.source == "OncoBoard curated"
        and e.biomarker.origin == "germline"
        and set(e.therapy) == set(cand.entry.therapy)
    ]
    if not germline_only:
        return
    germline_labels = {a.label for a in ctx.facts.alterations if a.origin == "germline"}
    if all(h.label in germline_labels for h in cand.hits):
        return
    cand.add_condition(
        "germline_not_confirmed",
        f"The approved indication ({germline_only[0].id}) requires a germline {gene} variant; "
        "this finding is not recorded as germline. Confirm germline testing before relying on it.",
    )


def _without_resisted_gene_level_hits(cands: list[Candidate]) -> list[Candidate]:
    """A variant with resistance evidence for a regimen is no basis for gene-level
    sensitivity to that same regimen (EGFR T790M must not support erlotinib through
    'any EGFR mutation').  Only curated variant- or codon-level resistance counts: gene-level
    resistance claims are too coarse, and a combination is judged in _resistance_notes."""
    resisted: dict[frozenset[str], set[str]] = {}
    for cand in cands:
        # Curated resistance only: CIViC must not silently remove curated sensitivity
        # (a CIViC item on KIT W557_K558del and sunitinib vs the sunitinib label).
        if (
            cand.entry.direction == "resistant"
            and cand.entry.source == "OncoBoard curated"
        ):
            resisted.setdefault(frozenset(cand.entry.therapy), set()).update(
                h.label for h in cand.hits if h.specificity >= 4
            )
    kept = []
    for cand in cands:
        if cand.entry.direction == "sensitive":
            blocked = resisted.get(frozenset(cand.entry.therapy), set())
            cand.hits = [
                h for h in cand.hits if h.specificity >= 5 or h.label not in blocked
            ]
            if not cand.hits:
                continue
        kept.append(cand)
    return kept


def _tumor_sentence(ctx: MatchContext, entry: KbEntry, tumor_match: str) -> str:
    code = ctx.case.tumor.oncotree_code
    if tumor_match == "agnostic":
        return "Tissue-agnostic indication: applies to any solid tumor type."
    if tumor_match == "same":
        return f"Evidence in {entry.tumor}; the case's {code} is {entry.tumor} or below it in OncoTree."
    return f"Evidence is in {entry.tumor}, not the case's {code}: out-of-type evidence, tier IIC at best."


def _evidence(cands: Iterable[Candidate]) -> list[Evidence]:
    """One item per citation; the entry's summary goes with its first citation only.

    Further citations of the same entry carry an empty summary (the report lists
    them with the entry's summary, as one line with several reference numbers).
    """
    out: list[Evidence] = []
    seen: set[str] = set()
    for cand in cands:
        source = site_curation.source_label(cand.entry) or (
            cand.entry.source
            + (f" (EID{cand.entry.civic_eid})" if cand.entry.civic_eid else "")
        )
        first = True
        for citation in cand.entry.citations:
            text = citation.render()
            if text in seen:
                continue
            seen.add(text)
            summary = cand.entry.summary if first else ""
            out.append(Evidence(source=source, citation=text, summary=summary))
            first = False
    return out[:MAX_EVIDENCE_PER_OPTION]


def _keep_civic(cand: Candidate, kb: object) -> bool:
    # CIViC items stand alone only when strong, in this tumor type, and naming drugs of
    # our controlled vocabulary; others support a curated option for the same therapy.
    canonical = kb.canonical_drug  # type: ignore[attr-defined]
    known = all(canonical(d) == d for d in cand.entry.therapy)
    return (
        known
        and cand.entry.amp_level in ("A", "B")
        and cand.tumor_match in ("same", "agnostic")
    )


def _group(cands: list[Candidate], kb: object) -> list[list[Candidate]]:
    groups: dict[tuple[str, ...], list[Candidate]] = {}
    for cand in cands:
        groups.setdefault(tuple(sorted(cand.entry.therapy)), []).append(cand)
    kept = []
    for members in groups.values():
        members.sort(key=ranking.candidate_key)
        if members[0].entry.source == "CIViC" and not _keep_civic(members[0], kb):
            # The CIViC item may not stand alone; curated members (if any) still do.
            curated = [m for m in members if m.entry.source != "CIViC"]
            if not curated:
                continue
            members = curated + [m for m in members if m.entry.source == "CIViC"]
        kept.append(members)
    return kept


def _option(
    members: list[Candidate],
    rank: int,
    predicted: Predicted | None,
    comparison: Comparison | None = None,
) -> Option:
    best = members[0]
    matched: list[str] = []
    for cand in members:
        for hit in cand.hits:
            if hit.label not in matched:
                matched.append(hit.label)
    explanation = list(best.explanation)
    for other in members[1:4]:
        explanation.append(
            f"Also supported by {other.entry.id} ({other.entry.source}, level {other.entry.amp_level}, {other.tumor_match})."
        )
    if predicted is not None:
        explanation.append(
            f"Predicted {predicted.endpoint}: {predicted.method} from {predicted.source}."
        )
    return Option(
        rank=rank,
        drugs=list(best.entry.therapy),
        direction=best.entry.direction,
        amp_tier=best.tier,  # type: ignore[arg-type]
        # ESCAT ranks an alteration in a tumor type (tier I-C for tumor-agnostic
        # evidence), so it does not carry over to another tumor type; nor do approvals.
        escat=site_curation.escat(best.entry) if best.tumor_match != "other" else None,  # type: ignore[arg-type]
        matched=matched,
        tumor_match=best.tumor_match,  # type: ignore[arg-type]
        evidence=_evidence(members),
        predicted=predicted,
        explanation=explanation,
        notes=list(dict.fromkeys(best.notes + _site_notes(members))),
        approvals=_approvals(best),
        comparison=comparison,
        applicability="conditional" if best.conditional else "fits",
        conditions=[Condition(code=c, message=m) for c, m in best.conditions],
    )


def _site_notes(members: list[Candidate]) -> list[str]:
    """The site's curation of the leading entry, and any conflict of another member."""
    best = members[0]
    out = site_curation.notes(best.entry, same_tumor=best.tumor_match != "other")
    for other in members[1:]:
        out += [c for s in other.entry.site for c in s.conflicts]
    return out


def _not_recommended(members: list[Candidate]) -> NotRecommended:
    best = members[0]
    primary = applicability.primary_block(best.blocks)
    others = [b.explanation for b in best.blocks if b is not primary]
    citations = list(
        dict.fromkeys(c for b in [primary, *best.blocks] for c in b.citations)
    )
    return NotRecommended(
        drugs=list(best.entry.therapy),
        reason=primary.reason,  # type: ignore[arg-type]
        explanation=" ".join([primary.explanation, *others]),
        citations=citations or [best.entry.citations[0].render()],
    )


def _approvals(best: Candidate) -> list[RegulatoryApproval]:
    if best.tumor_match == "other":
        return []
    return site_curation.approvals(best.entry)


def _flags(ctx: MatchContext, actionable: set[str]) -> list[Flag]:
    from oncoboard.core.profiles import liquid_biopsy_flags

    flags = [
        Flag(code=f.code, message=f.message, alteration=f.alteration)
        for f in ctx.profile.flags
    ]
    flags += missing_standard_biomarker_flags(ctx.case, ctx.profile, ctx.kb.oncotree())  # type: ignore[attr-defined]
    for f in liquid_biopsy_flags(ctx.profile, ctx.case, actionable):
        flag = Flag(code=f.code, message=f.message, alteration=f.alteration)
        if flag not in flags:
            flags.append(flag)
    return flags


def _network_locator(ctx: MatchContext) -> ranking.Locate:
    """Where a regimen sits in the KB's PFS networks for this tumor type and line."""
    line = "second_or_later" if ctx.facts.prior_metastatic_lines else "first"
    code = ctx.case.tumor.oncotree_code

    # Ordering and anchoring both ask where an option sits: look each regimen up once.
    seen: dict[tuple[str, ...], Placed | None] = {}

    def locate(drugs: Sequence[str]) -> Placed | None:
        key = tuple(drugs)
        if key not in seen:
            network_for = ctx.kb.network_for  # type: ignore[attr-defined]
            found = network_for(list(drugs), tumor=code, line=line, endpoint="PFS")
            seen[key] = Placed(found.node, found.network) if found is not None else None
        return seen[key]

    return locate


def _anchor_predictions(
    offered: list[list[Candidate]],
    predictions: dict[int, Predicted | None],
    locate: ranking.Locate,
    anchor: Anchor,
) -> None:
    """Options in a network get the network-anchored curve instead of their own trial's;
    an institutional cohort's prediction is a separate basis and is kept."""
    for i, members in enumerate(offered):
        current = predictions.get(i)
        if current is not None and current.basis == "cohort":
            continue
        drugs = members[0].entry.therapy
        placed = locate(drugs)
        if placed is None:
            continue
        anchored = anchor(placed.network, placed.node, drugs)
        if anchored is not None:
            predictions[i] = anchored


def _prediction_members(members: list[Candidate]) -> list[KbEntry]:
    """Entries whose trials describe this patient's line: a first-line trial's figure
    is never a prediction for a patient already treated, and where one entry's prior
    therapy is recorded, another's trial that required a therapy the patient has not
    had (VISION's taxane for a taxane-naive patient) does not describe the patient."""
    in_line = [c for c in members if not c.line_mismatch]
    prerequisites_met = [c for c in in_line if not c.later_line]
    return [c.entry for c in (prerequisites_met or in_line)]


def match_case(
    case: Case,
    profile: Profile,
    kb: object,
    *,
    predictor: Predictor | None = None,
    anchor: Anchor | None = None,
) -> MatchResult:
    """Match one case; the same result feeds the CLI, the GUI and the report."""
    canonical = kb.canonical_drug  # type: ignore[attr-defined]
    ctx = MatchContext(case, profile, derive_facts(case, profile, canonical), kb)
    cands = [
        c for e in _candidate_entries(kb, ctx.facts) if (c := _build_candidate(ctx, e))
    ]
    cands = _without_resisted_gene_level_hits(cands)
    sensitive = _group([c for c in cands if c.entry.direction == "sensitive"], kb)
    # Resistance shown for another tumor type (anti-EGFR in colorectal cancer for a
    # melanoma) is not this patient's; it neither decides nor is listed.
    resistant = _group(
        [
            c
            for c in cands
            if c.entry.direction == "resistant" and c.tumor_match != "other"
        ],
        kb,
    )
    applicability.check_resistance(sensitive, resistant, kb.drug_classes)  # type: ignore[attr-defined]
    blocked = [m for m in sensitive if m[0].blocks]
    offered = [m for m in sensitive if not m[0].blocks]
    predictions: dict[int, Predicted | None] = {}
    for i, members in enumerate(offered):
        entries = _prediction_members(members)
        predictions[i] = predictor(case, entries) if predictor and entries else None
    locate = _network_locator(ctx)
    order, compared = ranking.order_groups(offered, locate)
    if anchor is not None:
        _anchor_predictions(offered, predictions, locate, anchor)
    options = [
        _option(offered[i], rank, predictions[i], compared.get(i))
        for rank, i in enumerate(order, 1)
    ]
    resistant.sort(key=lambda members: ranking.candidate_key(members[0]))
    resistance = [_option(m, rank, None) for rank, m in enumerate(resistant, 1)]
    blocked.sort(key=lambda members: ranking.candidate_key(members[0]))
    not_recommended = [_not_recommended(m) for m in blocked]
    calls = germline.gene_calls(case)
    options = germline.annotate(options, calls)
    not_recommended = germline.annotate(not_recommended, calls)
    actionable = {label for o in options for label in o.matched}
    flags = _flags(ctx, actionable)
    flags += site_curation.conflict_flags(
        c.entry for m in [*offered, *resistant, *blocked] for c in m
    )
    flags += germline.pgx_flags(calls, [o.drugs for o in options])
    flags += germline.germline_referral_flags(case)
    return MatchResult(
        case_id=case.case_id,
        kb=KbRef(
            version=kb.version,  # type: ignore[attr-defined]
            sha256=kb.sha256,  # type: ignore[attr-defined]
            overlay=site_curation.overlay_ref(kb),
        ),
        options=options,
        resistance=resistance,
        flags=flags,
        alterations=[
            MatchedAlteration(
                gene=a.gene,
                kind=a.kind,
                label=a.label,
                sample=a.sample,
                origin=a.origin,
            )
            for a in profile.alterations
        ],
        not_recommended=not_recommended,
        alteration_view=alteration_view(
            profile, options, resistance, not_recommended, flags
        ),
        pharmacogenomics=germline.pgx_calls(case, calls),
    )
