"""Read-only table models over the immutable match output: what is not
recommended and why, and every alteration with its category.

Each model is a :class:`QAbstractTableModel` over a list of core objects
(``NotRecommended``, ``AlterationView``), sorted and filtered through a
:class:`QSortFilterProxyModel`, and checked with pytest-qt's ``qtmodeltester``.
"""

from __future__ import annotations

from typing import Any

from oncoboard.gui.result_labels import (
    CATEGORIES,
    CATEGORY_COLOURS,
    CATEGORY_ORDER,
    FITS_TEXT,
    REASON_HELP,
    REASONS,
)
from oncoboard.gui.table_model import ROW_ROLE, Column, RowsModel, RowsProxy

__all__ = [
    "ROW_ROLE",
    "AlterationsModel",
    "NotRecommendedModel",
    "RowsModel",
    "RowsProxy",
]


def _citations(item: Any) -> str:
    return "; ".join(item.citations)


class NotRecommendedModel(RowsModel):
    """``MatchResult.not_recommended``: no rank and no survival figure, by design."""

    COLUMNS = (
        Column("Therapy", lambda n: " + ".join(n.drugs), icon=lambda _n: "stop"),
        Column(
            "Reason",
            lambda n: REASONS.get(n.reason, n.reason),
            sort=lambda n: list(REASONS).index(n.reason) if n.reason in REASONS else 9,
            tooltip=lambda n: REASON_HELP.get(n.reason, n.reason),
            colour=lambda _n: "#a12d2d",
        ),
        Column("Why", lambda n: n.explanation, tooltip=lambda n: n.explanation),
        Column("Citations", _citations, tooltip=_citations),
    )
    EXPLANATION_COLUMN = 2


def _tier(view: Any) -> str:
    return view.best_tier or "—"


def _applicability(view: Any) -> str:
    if view.applicability is None:
        return "—"
    return FITS_TEXT if view.applicability == "fits" else "Conditional"


class AlterationsModel(RowsModel):
    """``MatchResult.alteration_view``: every alteration with its category."""

    COLUMNS = (
        Column("Alteration", lambda v: v.label),
        Column("Sample", lambda v: v.sample or "—"),
        Column(
            "Category",
            lambda v: CATEGORIES.get(v.category, v.category),
            sort=lambda v: (
                f"{CATEGORY_ORDER.index(v.category) if v.category in CATEGORY_ORDER else 99:02d}"
                f" {v.best_tier or 'Z'} {v.label}"
            ),
            colour=lambda v: CATEGORY_COLOURS.get(v.category),
        ),
        Column("Best tier", _tier, sort=lambda v: v.best_tier or "Z"),
        Column(
            "Applicability",
            _applicability,
            icon=lambda v: v.applicability,
        ),
        Column("What it means here", lambda v: v.detail),
    )
    CATEGORY_COLUMN = 2
