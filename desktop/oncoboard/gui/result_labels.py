"""Short words for the match output's codes, as the results tables show them.

The core gives a code and a full sentence for each condition, not-recommended
reason and alteration category; the tables need a few words that fit in a row
(the sentence is the tooltip and is in the detail pane).
"""

from __future__ import annotations

from typing import Any

from oncoboard.core.report.labels import CATEGORIES

FITS_TEXT = "Fits"
CONDITION_SHORT = {
    "first_line_after_treatment": "First-line indication; already treated",
    "progressed_on_component": "Progressed on a component",
    "progressed_on_same_class": "Progressed on the same class",
    "resistance_other_regimen": "Resistance evidence in profile",
    "conflicting_evidence": "Conflicting evidence",
    "germline_not_confirmed": "Germline status not confirmed",
}
REASONS = {
    "progressed_on": "Progressed on",
    "resistance_in_profile": "Resistance in profile",
    "contraindicated": "Contraindicated",
}
REASON_HELP = {
    "progressed_on": "The patient progressed on this regimen, a drug of it, or a drug of a "
    "class with established cross-resistance",
    "resistance_in_profile": "The profile carries resistance evidence for a drug of this regimen",
    "contraindicated": "A curated entry says this regimen does not work here",
}
CATEGORY_COLOURS = {
    "actionable": "#0b6e4f",
    "resistance": "#a12d2d",
    "oncogenic_no_therapy": "#444444",
    "vus": "#666666",
    "possible_chip": "#8a5a00",
    "possible_germline": "#5a3d8a",
}
CATEGORY_ORDER = tuple(CATEGORIES)


def condition_short(condition: Any) -> str:
    """A few words for one condition: a fixed phrase, or the sentence's first clause
    where that clause is the point (which status, which prerequisite)."""
    if condition.code in CONDITION_SHORT:
        return CONDITION_SHORT[condition.code]
    message = str(condition.message).rstrip(".")
    for stop in (
        ":",
        " (",
        ";",
    ):  # "RAS status not established: test ..." -> first part
        message = message.split(stop)[0]
    return message[:60] + ("…" if len(message) > 60 else "")


def applicability_text(option: Any) -> str:
    """``Fits`` or the first condition's short text (+ how many more)."""
    if option.applicability != "conditional" or not option.conditions:
        return FITS_TEXT
    more = len(option.conditions) - 1
    return condition_short(option.conditions[0]) + (f" (+{more} more)" if more else "")


def applicability_help(option: Any) -> str:
    if option.applicability != "conditional" or not option.conditions:
        return "Fits this patient: no condition found"
    return "Conditional:\n" + "\n".join(f"• {c.message}" for c in option.conditions)


def percent(fraction: float | None) -> str:
    """A VAF or fraction as a percent with one decimal (``0.3103`` -> ``31.0%``)."""
    return "" if fraction is None else f"{100 * fraction:.1f}%"
