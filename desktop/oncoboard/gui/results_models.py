"""Read-only table models over the immutable match output: what is not
recommended and why, and every alteration with its category.

Each model is a :class:`QAbstractTableModel` over a list of core objects
(``NotRecommended``, ``AlterationView``), sorted and filtered through a
:class:`QSortFilterProxyModel`, and checked with pytest-qt's ``qtmodeltester``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from oncoboard.gui.options_model import OPTION_ROLE, SORT_ROLE, status_icon
from oncoboard.gui.result_labels import (
    CATEGORIES,
    CATEGORY_COLOURS,
    CATEGORY_ORDER,
    FITS_TEXT,
    REASON_HELP,
    REASONS,
)

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = OPTION_ROLE  # the core object behind a row


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # default: the text
    tooltip: Callable[[Any], str] | None = None  # default: the text
    colour: Callable[[Any], str | None] | None = None
    icon: Callable[[Any], str | None] | None = None  # a status_icon kind


class RowsModel(QAbstractTableModel):
    """One row per core object, one :class:`Column` per column."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, column = self._rows[index.row()], self.COLUMNS[index.column()]
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == SORT_ROLE:
            return column.sort(item) if column.sort else column.text(item).lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else column.text(item)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour:
            colour = column.colour(item)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.DecorationRole and column.icon:
            kind = column.icon(item)
            return status_icon(kind) if kind else None
        return None


class RowsProxy(QSortFilterProxyModel):
    """Sorts by the sort role; filters on every column's text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


def _citations(item: Any) -> str:
    return "; ".join(item.citations)


class NotRecommendedModel(RowsModel):
    """``MatchResult.not_recommended``: no rank and no survival figure, by design."""

    COLUMNS = (
        Column("Therapy", lambda n: " + ".join(n.drugs), icon=lambda _n: "stop"),
        Column(
            "Reason",
            lambda n: REASONS.get(n.reason, n.reason),
            sort=lambda n: (list(REASONS).index(n.reason) if n.reason in REASONS else 9),
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
