"""A generic read-only table model over a list of immutable core objects, one
:class:`Column` per column, and its sort/filter proxy.  The results tables and
the knowledge-base browser are built on it; each is checked with pytest-qt's
``qtmodeltester``."""

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
