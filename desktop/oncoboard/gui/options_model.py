"""Table model over the ranked therapy options of a match result, and its
tier-badge delegate.  The model is read-only over immutable core objects.

Each row shows whether the option fits the patient or is conditional, with the
condition in the row itself (icon + short text; the full sentences are the
tooltip), so a board never has to open the detail to see it (issue 16, item 4).
"""

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
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from oncoboard.gui.result_labels import applicability_help, applicability_text

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


_ICONS: dict[str, QIcon] = {}


def status_icon(kind: str) -> QIcon:
    """A small drawn icon: ``fits`` (green check), ``conditional`` (amber warning)
    or ``stop`` (red bar).  Drawn, not themed, so it looks the same everywhere."""
    if kind in _ICONS:
        return _ICONS[kind]
    from PySide6.QtCore import QPointF

    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    colour = {"fits": "#1f7a3a", "conditional": "#c77700", "stop": "#b3261e"}[kind]
    p.setBrush(QColor(colour))
    if kind == "conditional":
        p.drawPolygon(QPolygonF([QPointF(8, 1), QPointF(15, 15), QPointF(1, 15)]))
        glyph, rect = "!", QRectF(0, 3, 16, 13)
    else:
        p.drawEllipse(QRectF(1, 1, 14, 14))
        glyph, rect = ("✓" if kind == "fits" else "–"), QRectF(0, 0, 16, 16)
    p.setPen(QColor("white"))
    font = p.font()
    font.setBold(True)
    font.setPixelSize(11)
    p.setFont(font)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
    p.end()
    _ICONS[kind] = QIcon(pixmap)
    return _ICONS[kind]


class OptionsModel(QAbstractTableModel):
    """Rows are :class:`oncoboard.core.matching.result.Option` objects."""

    HEADERS = (
        "Rank",
        "Therapy",
        "AMP tier",
        "Applicability",
        "ESCAT",
        "Based on",
        "Tumor",
        "Median (trial)",
    )
    TIER_COLUMN = 2
    APPLICABILITY_COLUMN = 3
    ESCAT_COLUMN = 4
    BASED_ON_COLUMN = 5
    PREDICTED_COLUMN = 7

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
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.column() == self.APPLICABILITY_COLUMN
        ):
            return status_icon(option.applicability)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == self.APPLICABILITY_COLUMN
        ):
            return QColor("#8a5200") if option.applicability == "conditional" else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2, 4, 7):
            return Qt.AlignmentFlag.AlignCenter
        return None

    @staticmethod
    def _tooltip(option: Any, column: int) -> str:
        if column == OptionsModel.TIER_COLUMN:
            return f"AMP/ASCO/CAP 2017 tier {option.amp_tier}"
        if column == OptionsModel.APPLICABILITY_COLUMN:
            return applicability_help(option)
        if column == 6:
            return TUMOR_MATCH_HELP.get(option.tumor_match, option.tumor_match)
        if column == OptionsModel.PREDICTED_COLUMN and option.predicted:
            return f"{option.predicted.endpoint}, {option.predicted.method}: {option.predicted.source}"
        return OptionsModel._cell(option, column, False).__str__()

    @staticmethod
    def _cell(option: Any, column: int, for_sort: bool) -> Any:
        predicted = option.predicted
        median = predicted.median_months if predicted else None
        if column == 0:
            return option.rank
        if column == OptionsModel.APPLICABILITY_COLUMN and for_sort:
            return (option.applicability != "fits") * 10_000 + option.rank
        if column == OptionsModel.PREDICTED_COLUMN and for_sort:
            return -1.0 if median is None else median
        values = (
            option.rank,
            " + ".join(option.drugs),
            option.amp_tier,
            applicability_text(option),
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
