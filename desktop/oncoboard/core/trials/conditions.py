"""Trial conditions → OncoTree codes (names and synonyms, respecting the hierarchy).

A condition matches an OncoTree node by its name (``Non-Small Cell Lung Cancer``),
else by the first row of ``knowledgebase/reference/trial_conditions.tsv`` whose
pattern it contains.  Of a trial's codes, one that is an ancestor of another is
dropped ("Lung Cancer" beside "NSCLC" keeps NSCLC).  ``SOLID`` stands for any
solid tumor (outside OncoTree's Lymphoid and Myeloid branches).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oncoboard.core import paths
from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.kb.oncotree import OncoTree

SOLID = "SOLID"
HEME_BRANCHES = ("LYMPH", "MYELOID")
TABLE = "trial_conditions.tsv"
_NOISE = re.compile(
    r"\b(stage\s+[ivx]+[abc]?\d?|ajcc v\d( and v\d)?|metastatic|advanced|recurrent|relapsed|"
    r"refractory|locally|unresectable|inoperable|early|adult|\(.*?\))\b",
    re.I,
)


@dataclass(frozen=True)
class Synonym:
    pattern: re.Pattern[str]
    code: str


@cache
def _synonyms(path: Path) -> tuple[Synonym, ...]:
    rows: list[Synonym] = []
    try:
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")
        ]
    except OSError as exc:
        raise UserInputError(
            path, [Problem("", f"cannot be read: {exc.strerror}")]
        ) from None
    for i, row in enumerate(csv.DictReader(lines, delimiter="\t")):
        try:
            pattern = re.compile(rf"\b(?:{row['pattern']})\b", re.I)
        except (re.error, KeyError, TypeError) as exc:
            raise UserInputError(
                path, [Problem(f"row {i + 2}", f"bad pattern: {exc}")]
            ) from None
        rows.append(Synonym(pattern, row["oncotree_code"].strip()))
    return tuple(rows)


def synonyms() -> tuple[Synonym, ...]:
    return _synonyms(paths.reference_dir() / TABLE)


def map_condition(text: str, tree: OncoTree) -> str | None:
    """The OncoTree code (or ``SOLID``) of one condition, None when nothing fits."""
    cleaned = " ".join(_NOISE.sub(" ", text).replace(",", " ").split()).lower()
    by_name = {n.name.lower(): n.code for n in tree.nodes()}
    for candidate in (text.strip().lower(), cleaned):
        if candidate in by_name and by_name[candidate] != "TISSUE":
            return by_name[candidate]
        if candidate.upper() in tree and candidate.upper() != "TISSUE":
            return candidate.upper()
    for syn in synonyms():
        if syn.pattern.search(text):
            if syn.code == SOLID or tree.exists(syn.code):
                return syn.code
    return None


def map_conditions(conditions: Iterable[str], tree: OncoTree) -> tuple[str, ...]:
    """The codes of a trial's conditions, ancestors of other codes dropped, sorted."""
    codes = {c for c in (map_condition(t, tree) for t in conditions) if c}
    kept = {
        c
        for c in codes
        if c == SOLID
        or not any(
            o != c and o != SOLID and tree.is_same_or_descendant(o, c) for o in codes
        )
    }
    return tuple(sorted(kept))


def tumor_matches(
    case_code: str, trial_codes: Iterable[str], tree: OncoTree
) -> str | None:
    """The trial code the case's tumor falls under (same or descendant), or None."""
    for code in trial_codes:
        if code == SOLID:
            if not any(tree.is_same_or_descendant(case_code, h) for h in HEME_BRANCHES):
                return code
        elif tree.is_same_or_descendant(case_code, code):
            return code
    return None


def map_trial(
    conditions: Iterable[str], keywords: Iterable[str], title: str, tree: OncoTree
) -> tuple[str, ...]:
    """A trial's codes from its conditions, else its keywords, else its title."""
    for texts in (list(conditions), list(keywords), [title]):
        codes = map_conditions(texts, tree)
        if codes:
            return codes
    return ()
