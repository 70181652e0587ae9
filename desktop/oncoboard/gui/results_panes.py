"""The Results screen's tabs other than the ranked options: what is not
recommended (and why), every alteration with its category, and the survival
curves page.  Each pane only shows what it is given; the screen decides whose
analysis that is."""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui.plots import FigurePane
from oncoboard.gui.result_labels import CATEGORIES
from oncoboard.gui.results_detail import not_recommended_html
from oncoboard.gui.results_models import (
    ROW_ROLE,
    AlterationsModel,
    NotRecommendedModel,
    RowsModel,
    RowsProxy,
)

MAX_CURVES = 4


def table_view(proxy: QSortFilterProxyModel, stretch: int) -> QTableView:
    """A read-only, row-selecting, sortable table; column ``stretch`` takes the rest."""
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class _TablePane(QWidget):
    """A heading, a table over one :class:`RowsModel` and an optional detail pane."""

    def __init__(
        self, model: RowsModel, stretch: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(model)
        self.table = table_view(self.proxy, stretch)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)

    def rows(self) -> list[Any]:
        """The core objects in the order shown."""
        return [
            self.proxy.data(self.proxy.index(r, 0), ROW_ROLE)
            for r in range(self.proxy.rowCount())
        ]


class NotRecommendedPane(_TablePane):
    """``not_recommended``: regimens with sensitivity evidence that must not be
    offered to this patient.  No rank, no survival figure."""

    INTRO = (
        "Regimens that have sensitivity evidence for this profile but <b>must not be "
        "offered to this patient</b>: no rank and no survival figure."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            NotRecommendedModel(), NotRecommendedModel.EXPLANATION_COLUMN, parent
        )
        self.model.setParent(self)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 320)  # citations elided; all of them in the detail
        self.detail = QTextBrowser()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([300, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.table.selectionModel().selectionChanged.connect(self._selected)

    def show_rows(self, items: list[Any]) -> None:
        self.model.set_rows(items)
        self.heading.setText(
            f"{self.INTRO} {len(items)} regimen(s)."
            if items
            else "Nothing is marked not recommended for this profile and history."
        )
        if items:
            self.table.selectRow(0)
        else:
            self.detail.setHtml("")

    def clear(self, why: str) -> None:
        self.model.set_rows([])
        self.heading.setText(html.escape(why))
        self.detail.setHtml("")

    def _selected(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.detail.setHtml(
                not_recommended_html(self.proxy.data(rows[0], ROW_ROLE))
            )


class AlterationsPane(_TablePane):
    """``alteration_view``: every alteration of the profile and what it means here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(AlterationsModel(), len(AlterationsModel.COLUMNS) - 1, parent)
        self.model.setParent(self)
        self.table.sortByColumn(
            AlterationsModel.CATEGORY_COLUMN, Qt.SortOrder.AscendingOrder
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_rows(self, views: list[Any]) -> None:
        self.model.set_rows(views)
        counts = Counter(v.category for v in views)
        summary = ", ".join(
            f"{counts[c]} {label.lower()}"
            for c, label in CATEGORIES.items()
            if counts[c]
        )
        self.heading.setText(
            f"Every alteration in the profile, by sample, with what it means for this "
            f"patient: {html.escape(summary)}."
            if views
            else "No alterations in the profile."
        )

    def clear(self, why: str) -> None:
        self.model.set_rows([])
        self.heading.setText(html.escape(why))


class SurvivalPage(QWidget):
    """Full-width curves; the option list shares the options table's selection."""

    def __init__(
        self, options_table: QTableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.option_list = QListView()
        self.option_list.setModel(options_table.model())
        self.option_list.setModelColumn(1)
        self.option_list.setSelectionModel(options_table.selectionModel())
        self.option_list.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
        )
        self.option_list.setMaximumWidth(300)
        self.figure = FigurePane(
            "Select options in the list to compare their predicted survival."
        )
        hint = QLabel(
            f"Select up to {MAX_CURVES} options (Ctrl+click) to compare. Curves are "
            "trial-derived; see the caveat above the plot."
        )
        hint.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(hint)
        side.addWidget(self.option_list, 1)
        row = QHBoxLayout(self)
        row.addLayout(side)
        row.addWidget(self.figure, 1)
