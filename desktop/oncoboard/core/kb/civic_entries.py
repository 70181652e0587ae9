"""Turn CIViC evidence items into labelled ``KbEntry`` objects.

Only supported Predictive evidence with a sensitivity or resistance
significance becomes a therapy entry.  Every item, used or not, is kept in the
``civic_evidence`` table with the reason it was (not) used, so ``kb stats`` can
show what the import covered.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from oncoboard.core.kb.civic import (
    CIVIC_TO_AMP,
    CivicItem,
    DiseaseMap,
    direction_of,
    therapy_groups,
)
from oncoboard.core.kb.civic_profile import parse_profile
from oncoboard.core.kb.drugs import DrugVocabulary
from oncoboard.core.kb.entry import CIVIC, UNMAPPED, KbEntry
from oncoboard.core.kb.schema import PMID_RE, Citation

# Salt and hydrate words CIViC keeps in therapy names ("Imatinib Mesylate").
_SALT = re.compile(
    r"\s+(mesylate|anhydrous|hydrochloride|tosylate|ditosylate|malate|maleate|"
    r"dimaleate|citrate|sulfate|besylate|camsylate|phosphate|sodium|potassium|"
    r"acetate|tartrate|dihydrochloride|monohydrate|hydrobromide|fumarate)$",
    re.IGNORECASE,
)

# Reasons an item does not become an entry (stored per item, counted in stats).
USED = "entry"
USED_UNMAPPED = "entry (tumor unmapped, not matched)"
NOT_PREDICTIVE = "not predictive"
NO_DIRECTION = "no sensitive/resistant claim"
NO_THERAPY = "no therapy"
UNPARSED = "molecular profile not expressible"


@dataclass
class CivicImport:
    """Result of converting CIViC items."""

    entries: list[KbEntry] = field(default_factory=list)
    outcome: dict[int, str] = field(default_factory=dict)  # eid -> reason
    oncotree_code: dict[int, str] = field(default_factory=dict)  # eid -> code
    drugs_outside_vocabulary: Counter[str] = field(default_factory=Counter)


def canonical_drug(name: str, drugs: DrugVocabulary) -> tuple[str, bool]:
    """Return (canonical name, known) for a CIViC therapy name.

    The vocabulary is tried first, then the name without a salt suffix; an
    unknown drug keeps its lower-case CIViC name.
    """
    found = drugs.canonical(name)
    if found:
        return found, True
    bare = _SALT.sub("", name.strip()).lower()
    found = drugs.canonical(bare)
    return (found, True) if found else (bare, False)


def import_civic(
    items: list[CivicItem],
    diseases: DiseaseMap,
    drugs: DrugVocabulary,
    source_file: str,
) -> CivicImport:
    """Convert CIViC items into KB entries labelled ``source="CIViC"``.

    Parameters
    ----------
    items
        Items from :func:`oncoboard.core.kb.civic.read_civic`.
    diseases
        CIViC disease -> OncoTree mapping table.
    drugs
        Drug vocabulary, used to canonicalise therapy names.
    source_file
        The file name recorded on each entry.

    Returns
    -------
    CivicImport
    """
    result = CivicImport()
    for item in items:
        code = diseases.code(item.doid, item.disease)
        if code:
            result.oncotree_code[item.eid] = code
        result.outcome[item.eid] = _convert(item, code, drugs, source_file, result)
    return result


def _convert(
    item: CivicItem,
    code: str | None,
    drugs: DrugVocabulary,
    source_file: str,
    result: CivicImport,
) -> str:
    if item.evidence_type != "Predictive":
        return NOT_PREDICTIVE
    direction = direction_of(item)
    if direction is None:
        return NO_DIRECTION
    regimens = therapy_groups(item)
    if not regimens:
        return NO_THERAPY
    alternatives = parse_profile(item.molecular_profile)
    if alternatives is None:
        return UNPARSED
    n = 0
    for alt in alternatives:
        for regimen in regimens:
            therapy = []
            for name in regimen:
                canonical, known = canonical_drug(name, drugs)
                if not known:
                    result.drugs_outside_vocabulary[canonical] += 1
                therapy.append(canonical)
            n += 1
            result.entries.append(
                _entry(item, n, alt, tuple(therapy), direction, code, source_file)
            )
    return USED if code else USED_UNMAPPED


def _entry(
    item: CivicItem,
    n: int,
    alt: list,
    therapy: tuple[str, ...],
    direction: str,
    code: str | None,
    source_file: str,
) -> KbEntry:
    entry_id = f"CIVIC-EID{item.eid}" if n == 1 else f"CIVIC-EID{item.eid}.{n}"
    return KbEntry(
        id=entry_id,
        biomarker=alt[0],
        also_requires=tuple(alt[1:]),
        tumor=code or UNMAPPED,
        therapy=therapy,
        direction=direction,  # type: ignore[arg-type]
        amp_level=CIVIC_TO_AMP.get(item.evidence_level, "D"),  # type: ignore[arg-type]
        citations=_citations(item),
        summary=_summary(item),
        source=CIVIC,
        source_file=source_file,
        civic_eid=item.eid,
        rating=item.rating,
        civic_level=item.evidence_level or None,
        civic_url=item.url or None,
        matchable=code is not None,
        note=None
        if code
        else f"CIViC disease {item.disease!r} has no OncoTree mapping",
    )


def _citations(item: CivicItem) -> tuple[Citation, ...]:
    out = []
    if item.source_type == "PubMed" and PMID_RE.match(item.citation_id):
        out.append(Citation(type="pmid", id=item.citation_id))
    elif item.citation_id:
        out.append(
            Citation(
                type="civic",
                id=f"EID{item.eid}",
                note=f"{item.source_type} {item.citation_id}".strip(),
            )
        )
    out.append(Citation(type="civic", id=f"EID{item.eid}", note=item.url or None))
    return tuple(dict.fromkeys(out))


def _summary(item: CivicItem) -> str:
    if item.evidence_statement:
        return item.evidence_statement
    drugs = (
        " + ".join(item.therapies)
        if item.therapy_interaction_type != "Substitutes"
        else " or ".join(item.therapies)
    )
    return (
        f"CIViC evidence item {item.eid} (level {item.evidence_level}): "
        f"{item.molecular_profile} in {item.disease or 'unspecified disease'}, "
        f"{item.significance.lower()} to {drugs}."
    )
