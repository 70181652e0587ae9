"""Does an option fit this patient?  Evidence is not a recommendation.

Each sensitive option (a group of KB entries for one regimen) ends in one of
three places:

* ``fits``: nothing in the history or the profile speaks against it;
* ``conditional``: it may be offered once a condition is met or checked
  (a first-line indication for a treated patient, a prerequisite therapy not
  recorded, a status no test established, progression on a drug of the same
  class without established cross-resistance, conflicting evidence);
* not recommended: it must not be offered, for one of three reasons:
  ``progressed_on`` (the patient progressed on a drug of the regimen, or on a
  drug of a class with established, cited cross-resistance),
  ``resistance_in_profile`` (curated resistance evidence for a drug of the
  regimen matches the profile) or ``contraindicated`` (a curated entry says the
  regimen does not work for this biomarker in this tumor type).

Curated evidence beats CIViC: CIViC resistance against a curated option makes
it conditional; curated resistance removes an option that only CIViC supports
with that marker.  A curated resistance entry may name partner classes that
lift it (``except_with``: anti-EGFR antibodies with a BRAF inhibitor in BRAF
V600E colorectal cancer).
An option designed for the resistance marker (osimertinib for T790M, sotorasib
+ panitumumab for KRAS G12C) is not affected by that marker's resistance entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oncoboard.core.matching.facts import CaseFacts

if TYPE_CHECKING:
    from oncoboard.core.matching.matcher import Candidate

CURATED = "OncoBoard curated"
# Classes whose drugs are a backbone rather than the targeted part of a regimen:
# progression on them makes an option conditional, never "not recommended".
BACKBONE_CLASSES = frozenset(
    {
        "chemotherapy",
        "platinum",
        "taxane",
        "fluoropyrimidine",
        "irinotecan",
        "oxaliplatin",
        "anthracycline",
        "anti_vegf",
    }
)
# Targeted classes where progression on one drug makes another of the class a weaker
# choice; without cited cross-resistance (knowledgebase/drugs/cross_resistance.yaml)
# the option stays, as conditional.
SAME_CLASS_CLASSES = frozenset(
    {
        "cdk46_inhibitor",
        "egfr_tki_1st_2nd_gen",
        "egfr_tki_3rd_gen",
        "alk_tki",
        "ros1_tki",
        "braf_inhibitor",
        "mek_inhibitor",
        "kras_g12c_inhibitor",
        "parp_inhibitor",
        "pi3k_akt_inhibitor",
        "anti_pd1_pdl1",
        "met_tki",
        "ret_inhibitor",
        "trk_inhibitor",
        "fgfr_inhibitor",
        "idh1_inhibitor",
        "kit_inhibitor",
    }
)
REASON_ORDER = ("progressed_on", "contraindicated", "resistance_in_profile")

ClassesOf = Callable[[str], set[str]]


@dataclass(frozen=True)
class Block:
    """Why a regimen must not be offered, with the sources of that statement."""

    reason: str  # one of REASON_ORDER
    explanation: str
    citations: tuple[str, ...]


def _exempt(drug: str, cand: Candidate, classes_of: ClassesOf) -> bool:
    """A drug the indication requires the patient to have had is no reason against it:
    named in ``setting.after``, or of a required class and continued in a combination
    (HER2CLIMB's trastuzumab).  A single agent the patient progressed on is never exempt
    through its class (trastuzumab deruxtecan "after an anti-HER2 regimen")."""
    after = set(cand.entry.setting.after)
    if drug in after:
        return True
    return len(cand.entry.therapy) > 1 and bool(classes_of(drug) & after)


def check_progression(
    cand: Candidate,
    facts: CaseFacts,
    classes_of: ClassesOf,
    cross_resistance: dict[str, tuple[str, str]],
) -> None:
    """Block or condition ``cand`` for drugs (or classes) the patient progressed on."""
    for drug in cand.entry.therapy:
        if drug in facts.prior_drugs_intolerant:
            cand.add_condition(
                "prior_intolerance",
                f"{drug} was stopped for intolerance before; review the toxicity before a re-challenge.",
            )
    progressed = facts.prior_drugs_progressed
    if set(cand.entry.therapy) <= progressed:
        # The same regimen (or every drug of it) failed before: no exemption applies.
        cand.progressed_on = tuple(cand.entry.therapy)
        cand.blocks.append(
            Block(
                "progressed_on",
                f"The patient progressed on {'this regimen' if len(cand.entry.therapy) == 1 else 'every drug of this regimen'} "
                f"({', '.join(cand.entry.therapy)}).",
                tuple(c.render() for c in cand.entry.citations[:1]),
            )
        )
        return
    for drug in cand.entry.therapy:
        if drug not in progressed or _exempt(drug, cand, classes_of):
            continue
        classes = classes_of(drug)
        if classes and classes <= BACKBONE_CLASSES:
            cand.add_condition(
                "progressed_on_component",
                f"The patient progressed on {drug}, a component of this regimen.",
            )
            continue
        cand.progressed_on = (*cand.progressed_on, drug)
        cand.blocks.append(
            Block(
                "progressed_on",
                f"The patient progressed on {drug}, a drug of this regimen.",
                tuple(c.render() for c in cand.entry.citations[:1]),
            )
        )
    if cand.progressed_on:
        return
    _same_class(cand, facts, classes_of, cross_resistance)


def _same_class(
    cand: Candidate,
    facts: CaseFacts,
    classes_of: ClassesOf,
    cross_resistance: dict[str, tuple[str, str]],
) -> None:
    for drug in cand.entry.therapy:
        if _exempt(drug, cand, classes_of):
            continue
        option_classes = classes_of(drug) - set(cand.entry.setting.after)
        for prior in sorted(facts.prior_drugs_progressed):
            after = set(cand.entry.setting.after)
            if prior in after or classes_of(prior) & after:
                continue  # progression on the required prior therapy is the indication itself
            shared = option_classes & classes_of(prior)
            crossed = sorted(shared & set(cross_resistance))
            if crossed:
                statement, citation = cross_resistance[crossed[0]]
                cand.progressed_on = (prior,)
                cand.blocks.append(
                    Block(
                        "progressed_on",
                        f"The patient progressed on {prior}; {drug} is of the same class "
                        f"({crossed[0].replace('_', ' ')}), with established cross-resistance: {statement}",
                        (citation,),
                    )
                )
                return
            similar = sorted(shared & SAME_CLASS_CLASSES)
            if similar:
                cand.add_condition(
                    "progressed_on_same_class",
                    f"The patient progressed on {prior}, of the same class as {drug} "
                    f"({similar[0].replace('_', ' ')}); benefit after that is not established.",
                )
                return


def _hit_labels(members: Sequence[Candidate], curated_only: bool = False) -> set[str]:
    """Labels that members in this tumor type rest on (``curated_only``: curated ones).
    A melanoma entry is not "designed for" BRAF V600E in colorectal cancer."""
    return {
        h.label
        for c in members
        if c.tumor_match != "other" and (not curated_only or c.entry.source == CURATED)
        for h in c.hits
    }


def _citations(members: Sequence[Candidate]) -> tuple[str, ...]:
    out: list[str] = []
    for cand in members:
        for citation in cand.entry.citations:
            text = citation.render()
            if text not in out:
                out.append(text)
    return tuple(out[:4])


def check_resistance(
    sensitive: list[list[Candidate]],
    resistant: list[list[Candidate]],
    classes_of: ClassesOf,
) -> None:
    """Block or condition sensitive groups that share a drug with a resistance group."""
    for members in sensitive:
        for r in resistant:
            _against(members, r, classes_of)


def _against(
    members: list[Candidate], r: list[Candidate], classes_of: ClassesOf
) -> None:
    best = members[0]
    regimen = set(best.entry.therapy)
    r_regimen = set(r[0].entry.therapy)
    shared = regimen & r_regimen
    if not shared:
        return
    # Each resistance entry is weighed on its own: one the regimen is curated for (its
    # markers are the regimen's own, osimertinib for T790M) is set aside, the others
    # still count (KRAS G12D against encorafenib + cetuximab in BRAF V600E CRC).
    designed = _hit_labels(members, curated_only=True)
    r = [
        c
        for c in r
        if c.tumor_match != "other" and not {h.label for h in c.hits} <= designed
    ]
    if not r:
        return
    r_labels = {h.label for c in r for h in c.hits}
    labels = ", ".join(sorted(r_labels))
    drugs = ", ".join(sorted(shared))
    if not r_regimen <= regimen:
        best.add_condition(
            "resistance_other_regimen",
            f"Resistance evidence for {drugs} given as {' + '.join(sorted(r_regimen))}: {labels}.",
        )
        return
    regimen_classes = {c for d in regimen for c in classes_of(d)}
    r_curated = [
        c
        for c in r
        if c.entry.source == CURATED
        and c.tumor_match != "other"
        and not set(c.entry.except_with) & (regimen_classes | regimen)
    ]
    if r_curated:
        best.blocks.append(_resistance_block(members, r_curated, labels, drugs))
        return
    if any(
        c.entry.source == CURATED
        and set(c.entry.except_with) & (regimen_classes | regimen)
        for c in r
    ):
        return  # curated resistance that names this regimen's partner as its exception
    if r_labels & _hit_labels(members):
        best.add_condition(
            "conflicting_evidence",
            f"Resistance evidence for {drugs} ({labels}); only CIViC evidence supports this regimen "
            "with that marker in this tumor type, no curated entry.",
        )
        return
    if best.tumor_match == "other" and r[0].tumor_match == "same":
        # Resistance evidence in this tumor type outweighs sensitivity borrowed from another.
        best.blocks.append(
            Block(
                "resistance_in_profile",
                f"{labels}: resistance evidence for {drugs} in this tumor type ({r[0].entry.source} "
                f"EID{r[0].entry.civic_eid}, level {r[0].entry.amp_level}); the sensitivity evidence is "
                f"from another tumor type ({best.entry.tumor}). {r[0].entry.summary}",
                _citations(r),
            )
        )
        return
    curated_sensitive = any(c.entry.source == CURATED for c in members)
    source = (
        "curated evidence supports the regimen"
        if curated_sensitive
        else "the sensitivity evidence is also from CIViC"
    )
    best.add_condition(
        "conflicting_evidence",
        f"CIViC resistance evidence for {drugs} ({labels}, EID{r[0].entry.civic_eid}, "
        f"level {r[0].entry.amp_level}); {source}.",
    )


def _resistance_block(
    members: list[Candidate], r_curated: list[Candidate], labels: str, drugs: str
) -> Block:
    contraindicated = any(c.entry.contraindicated for c in r_curated)
    reason = "contraindicated" if contraindicated else "resistance_in_profile"
    kind = "contraindication" if contraindicated else "resistance evidence"
    text = f"{labels}: curated {kind} for {drugs} ({r_curated[0].entry.id}). {r_curated[0].entry.summary}"
    civic = [c for c in members if c.entry.source != CURATED]
    if civic:
        text += (
            " Conflicting evidence not used: "
            + "; ".join(
                f"CIViC EID{c.entry.civic_eid} (level {c.entry.civic_level or c.entry.amp_level}, sensitivity)"
                for c in civic[:3]
            )
            + "."
        )
    return Block(reason, text, _citations(r_curated))


def primary_block(blocks: Sequence[Block]) -> Block:
    """The block to show first: progression, then contraindication, then resistance."""
    return sorted(blocks, key=lambda b: REASON_ORDER.index(b.reason))[0]
