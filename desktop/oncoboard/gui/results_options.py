"""The "Options" tab of the Results screen: the ranked options table (with each
option's applicability and condition in its row), flags, resistance evidence
and the detail pane."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui.options_model import OptionsModel, OptionsProxy, TierBadgeDelegate

# Fixed widths (elided, full text in the tooltip) so the therapy keeps the room.
FIXED_WIDTHS = {
    OptionsModel.APPLICABILITY_COLUMN: 215,
    OptionsModel.BASED_ON_COLUMN: 165,
}


class OptionsPage(QSplitter):
    """Options table, flags and resistance on the left; the detail on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit(
            placeholderText="Filter options (drug, gene, tier, condition…)"
        )
        self.filter.setClearButtonEnabled(True)
        self.model = OptionsModel(self)
        self.proxy = OptionsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._table()
        self.resistance = QListWidget()
        self.flags = QListWidget()
        self.flags.setWordWrap(True)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.flags, "Flags")
        self.lower_tabs.addTab(self.resistance, "Resistance")
        left = QSplitter(Qt.Orientation.Vertical)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.filter)
        bl.addWidget(self.table)
        left.addWidget(box)
        left.addWidget(self.lower_tabs)
        left.setSizes([420, 200])
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.addWidget(left)
        self.addWidget(self.detail)
        self.setSizes([960, 400])
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setItemDelegateForColumn(
            OptionsModel.TIER_COLUMN, TierBadgeDelegate(self)
        )
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in FIXED_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        return table

    def show_match(self, match: Any) -> None:
        """Fill from one match result (options, flags, resistance)."""
        self.model.set_options(match.options)
        # A column empty in every row (ESCAT outside its tumor types) is left out.
        self.table.setColumnHidden(
            OptionsModel.ESCAT_COLUMN, not any(o.escat for o in match.options)
        )
        self.resistance.clear()
        self.resistance.addItems(
            [
                f"{' + '.join(o.drugs)} — {', '.join(o.matched)} (tier {o.amp_tier})"
                for o in match.resistance
            ]
            or ["No resistance evidence for this profile."]
        )
        self.flags.clear()
        self.flags.addItems(
            [f"⚠ {f.message}" for f in match.flags] or ["No flags for this profile."]
        )
        self.lower_tabs.setTabText(
            0, f"{'⚠ ' if match.flags else ''}Flags ({len(match.flags)})"
        )
        self.lower_tabs.setCurrentIndex(0)
        self.lower_tabs.setTabText(1, f"Resistance ({len(match.resistance)})")

    def clear(self, why: str) -> None:
        self.model.set_options([])
        for box, tab, name in (
            (self.flags, 0, "Flags"),
            (self.resistance, 1, "Resistance"),
        ):
            box.clear()
            self.lower_tabs.setTabText(tab, name)
        self.detail.setHtml(f"<p>{html.escape(why)}</p>")
