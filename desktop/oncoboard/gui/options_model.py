"""Table model over the ranked therapy options of a match result, and its
tier-badge delegate.  The model is read-only over immutable core objects."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OPTION_ROLE = Qt.ItemDataRole.UserRole + 2

TIER_COLOURS = {"IA": "#0b6e4f", "IB": "#2d8a5f", "IIC": "#b26b00", "IID": "#8a6d3b"}
TUMOR_MATCH = {"same": "Same type", "agnostic": "Agnostic", "other": "Other type"}
TUMOR_MATCH_HELP = {
    "same": "Evidence in this tumor type or an OncoTree ancestor of it",
    "agnostic": "Tumor-agnostic evidence or approval",
    "other": "Evidence only in another tumor type",
}


def months(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} mo"


class OptionsModel(QAbstractTableModel):
    """Rows are :class:`oncoboard.core.matching.result.Option` objects."""

    HEADERS = (
        "Rank",
        "Therapy",
        "AMP tier",
        "ESCAT",
        "Based on",
        "Tumor",
        "Predicted median",
    )
    TIER_COLUMN = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._options: list[Any] = []

    def set_options(self, options: list[Any]) -> None:
        self.beginResetModel()
        self._options = list(options)
        self.endResetModel()

    def option(self, row: int) -> Any:
        return self._options[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._options)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._options):
            return None
        option = self._options[index.row()]
        if role == OPTION_ROLE:
            return option
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._cell(option, index.column(), role == SORT_ROLE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(option, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2, 3, 6):
            return Qt.AlignmentFlag.AlignCenter
        return None

    @staticmethod
    def _tooltip(option: Any, column: int) -> str:
        if column == OptionsModel.TIER_COLUMN:
            return f"AMP/ASCO/CAP 2017 tier {option.amp_tier}"
        if column == 5:
            return TUMOR_MATCH_HELP.get(option.tumor_match, option.tumor_match)
        if column == 6 and option.predicted:
            return f"{option.predicted.endpoint}, {option.predicted.method}: {option.predicted.source}"
        return OptionsModel._cell(option, column, False).__str__()

    @staticmethod
    def _cell(option: Any, column: int, for_sort: bool) -> Any:
        predicted = option.predicted
        median = predicted.median_months if predicted else None
        if column == 0:
            return option.rank
        if column == 6 and for_sort:
            return -1.0 if median is None else median
        values = (
            option.rank,
            " + ".join(option.drugs),
            option.amp_tier,
            option.escat or "—",
            ", ".join(option.matched),
            TUMOR_MATCH.get(option.tumor_match, option.tumor_match),
            f"{months(median)} {predicted.endpoint}" if median is not None else "—",
        )
        return values[column]


class OptionsProxy(QSortFilterProxyModel):
    """Sorts by the model's sort role; filters on every column's text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


class TierBadgeDelegate(QStyledItemDelegate):
    """Draws the AMP tier as a coloured badge."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index
    ) -> None:
        tier = index.data(Qt.ItemDataRole.DisplayRole)
        if tier not in TIER_COLOURS:
            super().paint(painter, option, index)
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(option.fontMetrics.horizontalAdvance(tier) + 16, 36)
        height = option.fontMetrics.height() + 4
        rect = QRectF(
            option.rect.center().x() - width / 2,
            option.rect.center().y() - height / 2,
            width,
            height,
        )
        painter.setBrush(QBrush(QColor(TIER_COLOURS[tier])))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tier)
        painter.restore()
