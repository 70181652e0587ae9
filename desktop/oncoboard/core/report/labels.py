"""Short words for the match output's codes, shared by the PDF report and the CLI.

The match result gives a code and a full sentence for each condition,
not-recommended reason and alteration category.  A table row needs a marker and
a few words; the full sentence goes in the row's detail (report) or under the
row (CLI).  The GUI keeps the same wording (``gui/result_labels.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FITS_MARK = "✓"  # U+2713, in DejaVu Sans
CONDITIONAL_MARK = "⚠"  # U+26A0, in DejaVu Sans
NOT_RECOMMENDED_MARK = "✗"  # U+2717
ASCII_MARKS = {FITS_MARK: "+", CONDITIONAL_MARK: "!", NOT_RECOMMENDED_MARK: "x"}

CONDITION_SHORT = {
    "first_line_after_treatment": "first-line indication; already treated",
    "progressed_on_component": "progressed on a component",
    "progressed_on_same_class": "progressed on the same class",
    "resistance_other_regimen": "resistance evidence in profile",
    "conflicting_evidence": "conflicting evidence",
    "germline_not_confirmed": "germline status not confirmed",
}
REASONS = {
    "progressed_on": "progressed on",
    "resistance_in_profile": "resistance in profile",
    "contraindicated": "contraindicated",
}
CATEGORIES = {
    "actionable": "Actionable",
    "resistance": "Resistance",
    "oncogenic_no_therapy": "Oncogenic, no therapy in KB",
    "vus": "Unknown significance (VUS)",
    "possible_chip": "Possible clonal hematopoiesis",
    "possible_germline": "Possible germline",
}
CATEGORY_ORDER = tuple(CATEGORIES)


def condition_short(condition: Any, limit: int = 60) -> str:
    """A few words for one condition.

    A fixed phrase per code, or the sentence's first clause where that clause is
    the point ("Requires prior platinum", "RAS status not established").
    """
    if condition.code in CONDITION_SHORT:
        return CONDITION_SHORT[condition.code]
    message = str(condition.message).rstrip(".")
    for stop in (":", " (", ";"):
        message = message.split(stop)[0]
    message = message[:1].lower() + message[1:]
    return message[:limit] + ("…" if len(message) > limit else "")


def conditions_short(conditions: Sequence[Any]) -> str:
    """Every condition's short text, without repeats, joined by "; "."""
    seen: list[str] = []
    for c in conditions:
        text = condition_short(c)
        if text not in seen:
            seen.append(text)
    return "; ".join(seen)


def applicability_text(option: Any, *, marks: bool = True) -> str:
    """``✓ fits`` or ``⚠ conditional: <short condition text>``."""
    if option.applicability != "conditional":
        return f"{FITS_MARK} fits" if marks else "fits"
    head = f"{CONDITIONAL_MARK} conditional" if marks else "conditional"
    short = conditions_short(option.conditions)
    return f"{head}: {short}" if short else head


def reason_text(reason: str) -> str:
    """The not-recommended reason in words ("progressed on")."""
    return REASONS.get(reason, reason.replace("_", " "))


def category_text(category: str) -> str:
    return CATEGORIES.get(category, category.replace("_", " "))


def view_detail(category: str, detail: str) -> str:
    """The alteration view's detail without a restatement of its category.

    "possible clonal hematopoiesis: confirm in tissue" under the category
    "Possible clonal hematopoiesis" reads "confirm in tissue".
    """
    head, sep, tail = detail.partition(": ")
    words = set(category_text(category).lower().split()) - {"no", "in", "of", "kb"}
    if sep and tail and words & set(head.lower().split()):
        return tail
    return detail


def percent(fraction: float | None) -> str:
    """A VAF or fraction as a percent with one decimal (``0.3103`` -> ``31.0%``)."""
    return "–" if fraction is None else f"{100 * fraction:.1f}%"


def pgx_text(w: Any) -> str:
    """One pharmacogenomic warning in a line: phenotype, drug, what the guideline
    recommends, strength and PMID (issue 23)."""
    strength = "" if w.strength in ("none", "") else f" {w.strength}"
    return f"{w.phenotype} — {w.drug}: {w.summary} [{w.source}{strength}, {w.citation}]"


def pgx_board_lines(match: Any) -> list[str]:
    """Each gene-drug warning once, with the options it concerns (the board summary)."""
    seen: dict[tuple[str, str], tuple[Any, list[str]]] = {}
    for o in match.options:
        for w in o.pgx:
            seen.setdefault((w.gene, w.drug), (w, []))[1].append(f"option {o.rank}")
    for nr in match.not_recommended:
        for w in nr.pgx:
            seen.setdefault((w.gene, w.drug), (w, []))[1].append("not recommended")
    return [
        f"{pgx_text(w)} ({', '.join(dict.fromkeys(where))})"
        for w, where in seen.values()
    ]
