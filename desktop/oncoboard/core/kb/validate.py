"""Cross-checks of curated entries against the vocabularies and each other.

The schema (``schema.py``) checks each entry alone; this module checks what
needs context: known genes, OncoTree codes, the drug vocabulary, kmdata links,
dates against the release, duplicates and contradictions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from oncoboard.core.errors import Problem
from oncoboard.core.kb.curated import CuratedEntry, where
from oncoboard.core.kb.drugs import DRUG_CLASSES, DrugVocabulary
from oncoboard.core.kb.oncotree import OncoTree
from oncoboard.core.kb.reference import GeneVocabulary, KmDataset
from oncoboard.core.kb.schema import ESCAT_VALUES, Biomarker, Entry

AGNOSTIC = "agnostic"


@dataclass(frozen=True)
class Vocabularies:
    """Everything an entry is checked against."""

    genes: GeneVocabulary
    oncotree: OncoTree
    drugs: DrugVocabulary
    kmdata: dict[str, KmDataset]
    release_date: dt.date


def validate_entries(items: list[CuratedEntry], vocab: Vocabularies) -> list[Problem]:
    """Return every problem found in ``items`` (empty list if all is well).

    Parameters
    ----------
    items
        Schema-valid curated entries with their files.
    vocab
        Gene, tumor, drug and kmdata vocabularies and the release date.

    Returns
    -------
    list[Problem]
        Each problem's location names the file, the entry id and the field.
    """
    problems: list[Problem] = []
    for item in items:
        problems.extend(_check_entry(item, vocab))
    problems.extend(_duplicate_ids(items))
    problems.extend(_duplicates_and_contradictions(items))
    return problems


def _check_entry(item: CuratedEntry, vocab: Vocabularies) -> Iterable[Problem]:
    e, f = item.entry, item.source_file
    yield from _check_biomarker(e.biomarker, "biomarker", e.id, f, vocab.genes)
    for i, extra in enumerate(e.also_requires):
        yield from _check_biomarker(extra, f"also_requires.{i}", e.id, f, vocab.genes)
    for i, co in enumerate(e.co_requirements):
        yield from _check_gene(
            co.gene, f"co_requirements.{i}.gene", e.id, f, vocab.genes
        )
    yield from _check_tumors(e, f, vocab.oncotree)
    yield from _check_drugs(e, f, vocab.drugs)
    if e.escat is not None and e.escat not in ESCAT_VALUES:
        yield Problem(
            where(f, e.id, "escat"),
            f"unknown ESCAT tier {e.escat!r}; "
            f"expected one of {', '.join(ESCAT_VALUES)}",
        )
    if e.escat is not None and not _cites_escat_source(e):
        yield Problem(
            where(f, e.id, "citations"),
            f"ESCAT {e.escat} needs its source: a citation of type 'guideline' "
            "naming the ESMO publication, with 'ESCAT' in its id or note",
        )
    for i, approval in enumerate(e.approvals):
        if approval.date > vocab.release_date:
            yield Problem(
                where(f, e.id, f"approvals.{i}.date"),
                f"{approval.date} is after the KB release date {vocab.release_date}",
            )
        # An EMA "date" can be the initial authorisation, an extension of
        # indication or (wrongly) a CHMP opinion: the curator must say which.
        if approval.agency == "EMA" and not approval.note:
            yield Problem(
                where(f, e.id, f"approvals.{i}.note"),
                "EMA approval needs a note saying what the date is (initial "
                "authorisation or EC decision on the extension) and where it was verified",
            )
    yield from _check_kmdata(e, f, vocab.kmdata)
    yield from _check_setting(e, f)
    yield from _check_endpoints(e, f)


# Lines of therapy that cannot follow prior lines in the advanced setting.
_NO_PRIOR_LINES = ("first", "adjuvant", "neoadjuvant")
_TTP_PHRASES = (
    "time to progression",
    "time to tumour progression",
    "time to tumor progression",
)


def _check_setting(e: Entry, f: str) -> Iterable[Problem]:
    """``min_prior_lines`` needs a later-line setting (issue 14: therapy sequences)."""
    n = e.setting.min_prior_lines
    if n is not None and e.setting.line in _NO_PRIOR_LINES:
        yield Problem(
            where(f, e.id, "setting.min_prior_lines"),
            f"min_prior_lines {n} contradicts line {e.setting.line!r}; "
            "use line: second_or_later (or maintenance)",
        )


def _check_endpoints(e: Entry, f: str) -> Iterable[Problem]:
    """A PFS outcome whose source says time to progression is a TTP outcome (issue 17)."""
    for i, o in enumerate(e.outcomes):
        if o.endpoint != "PFS":
            continue
        text = f"{o.citation.id} {o.citation.note or ''}".lower()
        words = set(re.findall(r"[a-z]+", text))
        if any(p in text for p in _TTP_PHRASES) or "ttp" in words:
            yield Problem(
                where(f, e.id, f"outcomes.{i}.endpoint"),
                "recorded as PFS but its citation speaks of time to progression; "
                "use endpoint: TTP (TTP is never compared with PFS)",
            )


def _cites_escat_source(e: Entry) -> bool:
    return any(
        c.type == "guideline" and "ESCAT" in f"{c.id} {c.note or ''}".upper()
        for c in e.citations
    )


def _check_gene(
    gene: str | None, field: str, entry_id: str, f: str, genes: GeneVocabulary
) -> Iterable[Problem]:
    if gene is None or genes.is_symbol(gene):
        return
    symbol = genes.canonical(gene)
    if symbol:
        hint = f"{gene!r} is an alias; write the HGNC symbol {symbol!r}"
    else:
        near = nearest_symbol(gene, genes.symbols)
        hint = f"unknown HGNC gene symbol {gene!r}"
        if near:
            hint += f" (did you mean {near!r}?)"
    yield Problem(where(f, entry_id, field), hint)


def nearest_symbol(gene: str, symbols: Iterable[str]) -> str | None:
    """Return the known symbol closest to ``gene`` (typo or swapped letters), if any."""
    target = gene.upper()
    best: tuple[int, int, float, str] | None = None
    for symbol in symbols:
        if abs(len(symbol) - len(target)) > 1:
            continue
        distance = _osa_distance(target, symbol)
        if distance > 2:
            continue
        ratio = difflib.SequenceMatcher(None, target, symbol).ratio()
        key = (distance, abs(len(symbol) - len(target)), -ratio, symbol)
        if best is None or key < best:
            best = key
    return best[3] if best else None


def _osa_distance(a: str, b: str) -> int:
    # Optimal string alignment: edits plus adjacent transpositions (EGRF -> EGFR).
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _check_biomarker(
    b: Biomarker, field: str, entry_id: str, f: str, genes: GeneVocabulary
) -> Iterable[Problem]:
    yield from _check_gene(b.gene, f"{field}.gene", entry_id, f, genes)
    if b.kind == "fusion" and b.partner:
        yield from _check_gene(b.partner, f"{field}.partner", entry_id, f, genes)


def _check_tumors(e: Entry, f: str, tree: OncoTree) -> Iterable[Problem]:
    if e.tumor != AGNOSTIC and not tree.exists(e.tumor):
        yield Problem(where(f, e.id, "tumor"), _unknown_code(e.tumor, tree))
    for i, code in enumerate(e.tumor_exclude):
        if not tree.exists(code):
            yield Problem(
                where(f, e.id, f"tumor_exclude.{i}"), _unknown_code(code, tree)
            )


def _unknown_code(code: str, tree: OncoTree) -> str:
    text = (
        f"{code!r} is not an OncoTree code (release pinned in the build) nor 'agnostic'"
    )
    near = tree.search(code, limit=3)
    if near:
        text += "; similar: " + ", ".join(f"{n.code} ({n.name})" for n in near)
    return text


def _check_drugs(e: Entry, f: str, drugs: DrugVocabulary) -> Iterable[Problem]:
    for i, name in enumerate(e.therapy):
        if name in drugs:
            continue
        canonical = drugs.canonical(name)
        if canonical:
            msg = (
                f"{name!r} is a synonym or brand; "
                f"write the vocabulary name {canonical!r}"
            )
        else:
            msg = (
                f"drug {name!r} is not in the drug vocabulary "
                "(knowledgebase/drugs/*.yaml)"
            )
        yield Problem(where(f, e.id, f"therapy.{i}"), msg)
    for i, cls in enumerate(e.except_with):
        if cls not in DRUG_CLASSES and cls not in drugs:
            yield Problem(
                where(f, e.id, f"except_with.{i}"),
                f"{cls!r} is neither a drug class nor a vocabulary drug",
            )
    for i, cls in enumerate(e.setting.after):
        if cls in DRUG_CLASSES:
            continue
        if cls in drugs and cls != cls.lower():
            yield Problem(
                where(f, e.id, f"setting.after.{i}"),
                f"write the drug name in lower case: {cls.lower()!r}",
            )
            continue
        canonical = None if cls in drugs else drugs.canonical(cls)
        if canonical:
            yield Problem(
                where(f, e.id, f"setting.after.{i}"),
                f"{cls!r} is a synonym or brand; write the vocabulary name {canonical!r}",
            )
        elif cls not in drugs:
            yield Problem(
                where(f, e.id, f"setting.after.{i}"),
                f"{cls!r} is neither a drug class nor a vocabulary drug; "
                f"classes: {', '.join(sorted(DRUG_CLASSES))}",
            )


def _check_kmdata(e: Entry, f: str, kmdata: dict[str, KmDataset]) -> Iterable[Problem]:
    for i, outcome in enumerate(e.outcomes):
        for j, link in enumerate(outcome.kmdata):
            field = f"outcomes.{i}.kmdata.{j}"
            ds = kmdata.get(link.dataset)
            if ds is None:
                yield Problem(
                    where(f, e.id, f"{field}.dataset"),
                    f"kmdata dataset {link.dataset!r} is not in kmdata_catalog.tsv",
                )
            elif link.arm not in ds.arms:
                yield Problem(
                    where(f, e.id, f"{field}.arm"),
                    f"arm {link.arm!r} is not an arm of {link.dataset} "
                    f"(arms: {', '.join(ds.arms)})",
                )


def _duplicate_ids(items: list[CuratedEntry]) -> Iterable[Problem]:
    seen: dict[str, str] = {}
    for item in items:
        if item.entry.id in seen:
            yield Problem(
                where(item.source_file, item.entry.id, "id"),
                f"duplicate id (first defined in {seen[item.entry.id]})",
            )
        else:
            seen[item.entry.id] = item.source_file


def biomarker_key(e: Entry) -> str:
    """Return a canonical text key of an entry's biomarker(s) and co-requirements."""
    parts = {
        "biomarker": e.biomarker.model_dump(mode="json"),
        "also": sorted(
            json.dumps(b.model_dump(mode="json"), sort_keys=True)
            for b in e.also_requires
        ),
        "co": sorted(
            json.dumps(c.model_dump(mode="json", exclude={"note"}), sort_keys=True)
            for c in e.co_requirements
        ),
    }
    return json.dumps(parts, sort_keys=True)


def _duplicates_and_contradictions(items: list[CuratedEntry]) -> Iterable[Problem]:
    groups: dict[tuple[str, str, tuple[str, ...]], list[CuratedEntry]] = defaultdict(
        list
    )
    for item in items:
        e = item.entry
        groups[(biomarker_key(e), e.tumor.upper(), tuple(sorted(e.therapy)))].append(
            item
        )
    for group in groups.values():
        yield from _duplicates_in_group(group)
        sens = [i for i in group if i.entry.direction == "sensitive"]
        res = [i for i in group if i.entry.direction == "resistant"]
        for r in res:
            for s in sens:
                if not (r.entry.note or s.entry.note):
                    yield Problem(
                        where(r.source_file, r.entry.id, "direction"),
                        f"contradicts {s.entry.id} ({s.source_file}): same biomarker, "
                        "tumor and therapy, sensitive vs resistant; add a 'note' "
                        "explaining the difference (e.g. setting or line)",
                    )


def _duplicates_in_group(group: list[CuratedEntry]) -> Iterable[Problem]:
    # Setting line is part of identity: adjuvant and metastatic entries for the
    # same biomarker, tumor and drug are different claims with different trials.
    # So is the minimum number of prior lines (first-line vs recurrent maintenance),
    # and the prior therapy the label requires (lutetium-177 vipivotide tetraxetan
    # after an ARPI and a taxane, VISION, vs after an ARPI alone, PSMAfore).
    seen: dict[tuple[str, str, int | None, tuple[str, ...]], CuratedEntry] = {}
    for item in group:
        st = item.entry.setting
        key = (
            item.entry.direction,
            st.line,
            st.min_prior_lines,
            tuple(sorted(st.after)),
        )
        first = seen.setdefault(key, item)
        if first is not item:
            lines = (
                f"{st.line}"
                + (
                    f", min_prior_lines {st.min_prior_lines}"
                    if st.min_prior_lines
                    else ""
                )
                + (f", after {', '.join(st.after)}" if st.after else "")
            )
            yield Problem(
                where(item.source_file, item.entry.id),
                f"duplicate of {first.entry.id} ({first.source_file}): same biomarker, "
                f"tumor, therapy, direction and setting line ({lines})",
            )
