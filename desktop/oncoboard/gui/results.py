"""Results screen: the case's analysis in tabs.

* *Options*: ranked options (model + sort/filter proxy) with tier badges and
  each option's applicability in its row, flags, resistance, and a detail pane.
* *Not recommended*: regimens that must not be offered, with the reason.
* *Alterations*: every alteration with its category.
* *Survival curves* of the selected options, and serial *ctDNA trends*.

Every view shows one case's analysis: the case shown in the title.  Switching
case shows that case's last analysis from :class:`AnalysisMemory` or an empty
"not analysed" state; a failed analysis clears the views.  The tabs live in
:mod:`results_options` and :mod:`results_panes`; the jobs in :mod:`results_jobs`.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui.analysis_memory import AnalysisMemory, AnalysisRecord
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.options_model import OPTION_ROLE, status_icon
from oncoboard.gui.plots import FigurePane
from oncoboard.gui.results_detail import detail_html
from oncoboard.gui.results_jobs import curve_figure, run_analysis
from oncoboard.gui.results_options import OptionsPage
from oncoboard.gui.results_panes import (
    MAX_CURVES,
    AlterationsPane,
    NotRecommendedPane,
    SurvivalPage,
)
from oncoboard.gui.widgets import Banner, BusyBar
from oncoboard.gui.worker import JobRunner

__all__ = ["NO_TREND", "ResultsScreen", "detail_html", "run_analysis"]
log = logging.getLogger(__name__)
NO_TREND = (
    "Serial ctDNA trends need at least two plasma samples with the same alteration."
)
OPTIONS_TAB, NOT_RECOMMENDED_TAB, ALTERATIONS_TAB, SURVIVAL_TAB, TRENDS_TAB = range(5)


class ResultsScreen(QWidget):
    analysis_ready = Signal(object)  # a new analysis of the case shown
    shown_changed = Signal(object)  # the AnalysisRecord now shown, or None

    def __init__(
        self, memory: AnalysisMemory | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.memory = memory or AnalysisMemory(self)
        self.case: Any = None
        self.analysis: Any = None  # always the analysis of self.case (or None)
        self.record: AnalysisRecord | None = None
        self.survival_owner: str | None = None  # case id of the drawn curves
        self._running: str | None = None  # case id of the running analysis
        self.jobs = JobRunner(self)
        self.plot_jobs = JobRunner(self)
        layout = QVBoxLayout(self)
        self._build(layout)
        self._wire()

    def _build(self, layout: QVBoxLayout) -> None:
        self.title = QLabel("Open a case and press “Run analysis” (F5).")
        self.title.setWordWrap(True)
        self.run_button = QPushButton("&Run analysis")
        self.cohort = QComboBox()
        self._fill_cohorts(None)
        self.cohort.setToolTip(
            "Run an analysis to see the cohort models this build can use."
        )
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Cohort model"))
        top.addWidget(self.cohort)
        top.addWidget(self.run_button)
        self.banner = Banner()
        self.busy = BusyBar()
        self.options = OptionsPage()
        # The views the rest of the app and the tests address directly.
        o = self.options
        self.model, self.proxy, self.table, self.filter = (
            o.model,
            o.proxy,
            o.table,
            o.filter,
        )
        self.detail, self.flags, self.resistance = o.detail, o.flags, o.resistance
        self.lower_tabs = o.lower_tabs
        self.not_recommended = NotRecommendedPane()
        self.alterations = AlterationsPane()
        self.survival_page = SurvivalPage(self.table)
        self.option_list, self.survival = (
            self.survival_page.option_list,
            self.survival_page.figure,
        )
        self.trends = FigurePane(NO_TREND)
        self.views = QTabWidget()
        self.views.addTab(self.options, "Ranked options")
        self.views.addTab(self.not_recommended, "Not recommended")
        self.views.addTab(self.alterations, "Alterations")
        self.views.addTab(self.survival_page, "Survival curves")
        self.views.addTab(self.trends, "ctDNA trends")
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.views, 1)

    def _fill_cohorts(self, names: list[str] | None = None) -> None:
        """Offer the saved institutional cohort models.

        ``names`` comes from the analysis job; None means not read yet (no analysis
        run in this session).
        """
        chosen = self.cohort.currentData()
        self.cohort.blockSignals(True)
        self.cohort.clear()
        self.cohort.addItem("Trial curves only", None)
        for name in names or ():
            self.cohort.addItem(f"Cohort: {name}", name)
        self.cohort.setCurrentIndex(max(self.cohort.findData(chosen), 0))
        self.cohort.blockSignals(False)
        self.cohort.setEnabled(bool(names))
        if names is None:
            self.cohort.setToolTip(
                "Run an analysis to see the saved institutional cohort models. "
                "Until then the curves come from the trials in the knowledge base."
            )
        elif not names:
            self.cohort.setToolTip(
                "No institutional cohort model has been fitted and saved."
            )
        else:
            self.cohort.setToolTip(
                "Predict with a saved institutional cohort model "
                "instead of the trial curves."
            )

    def _wire(self) -> None:
        self.run_button.clicked.connect(self.run)
        self.cohort.currentIndexChanged.connect(self._rerun_if_analysed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.busy.cancel_clicked.connect(self.jobs.cancel)
        self.jobs.progress.connect(self.busy.update_progress)
        self.jobs.finished.connect(self._analysed)
        self.jobs.failed.connect(self._failed)
        self.jobs.idle.connect(self.busy.stop)
        self.jobs.cancelled.connect(
            lambda: self.banner.show_message("Analysis cancelled.")
        )
        self.plot_jobs.finished.connect(self._plotted)
        self.plot_jobs.failed.connect(self._plot_failed)

    # --- which case ------------------------------------------------------------
    @property
    def case_id(self) -> str | None:
        return self.case.case_id if self.case is not None else None

    def set_case(self, case: Any) -> None:
        """Show ``case``: its own last analysis, or the empty "not analysed" state."""
        switched = (
            case is None or self.case is None or case.case_id != self.case.case_id
        )
        self.case = case
        if switched:
            self.jobs.cancel()  # its late answer is dropped by the runner
            self.plot_jobs.cancel()
            self.banner.hide()
            self._show(self.memory.get(self.case_id))
        else:
            self._update_title()

    def _update_title(self) -> None:
        e = html.escape
        if self.case is None:
            self.title.setText("No case open.")
        elif self.record is None:
            self.title.setText(
                f"Case <b>{e(self.case.case_id)}</b> — not analysed in this session; "
                "press “Run analysis” (F5)."
            )
        else:
            stale = (
                ""
                if self.record.is_for(self.case)
                else " <b>The case has changed since: run the analysis again.</b>"
            )
            match = self.analysis.match
            conditional = sum(o.applicability == "conditional" for o in match.options)
            self.title.setText(
                f"Case <b>{e(self.case.case_id)}</b> — "
                f"{len(match.options)} option(s) ({conditional} conditional), "
                f"{len(match.not_recommended)} not recommended; "
                f"{e(self.record.describe())}.{stale}"
            )

    # --- running -------------------------------------------------------------
    def run(self) -> None:
        if self.case is None:
            self.banner.show_message("Open a valid case in the editor first.", "error")
            return
        case, cohort = self.case, self.cohort.currentData()
        self.banner.hide()
        self.busy.start(f"Analysing {case.case_id}…")
        self.jobs.start(
            lambda *, progress, cancelled: run_analysis(
                case, cohort, progress=progress, cancelled=cancelled
            ),
            "analysis",
        )
        self._running = case.case_id

    def choices(self) -> str | None:
        """The cohort model chosen on this screen (None: trial curves)."""
        return self.cohort.currentData()

    def _rerun_if_analysed(self, *_args: object) -> None:
        if self.analysis is not None:
            self.run()

    def _failed(self, exc: object) -> None:
        """The analysis of the case shown failed: forget its earlier one, clear."""
        assert isinstance(exc, BaseException)
        failed_id, self._running = self._running, None
        if failed_id is not None:
            self.memory.forget(failed_id)
        if failed_id == self.case_id:
            self._show(None, failed=True)
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "analysis")

    def _analysed(self, result: dict[str, Any]) -> None:
        self._running = None
        if not result:
            return
        self._fill_cohorts(result.get("cohorts"))
        record = AnalysisRecord(
            analysis=result["analysis"],
            trend=result["trend"],
            analysed_at=dt.datetime.now().astimezone(),
            cohort=result.get("cohort"),
        )
        self.memory.remember(record)
        if record.case_id != self.case_id:
            return  # never show another case's analysis under this case
        self._show(record)
        self.analysis_ready.emit(record.analysis)

    # --- showing one case's analysis -------------------------------------------
    def _show(self, record: AnalysisRecord | None, *, failed: bool = False) -> None:
        """Fill every view from ``record`` (the shown case's), or clear them all."""
        self.record = record
        self.analysis = record.analysis if record else None
        self.survival_owner = None
        self._update_title()
        if record is None:
            self._clear(failed)
        else:
            self._fill(record)
        self.shown_changed.emit(record)

    def _clear(self, failed: bool) -> None:
        why = (
            "The analysis failed (the reason is shown above); nothing is shown "
            "rather than an earlier result."
            if failed
            else "This case has not been analysed in this session. Press "
            "“Run analysis” (F5)."
        )
        self.options.clear(why)
        self.not_recommended.clear(why)
        self.alterations.clear(why)
        self._tab_counts(None)
        self.survival.show_message(why)
        self.trends.show_message(why)

    def _tab_counts(self, match: Any) -> None:
        counts = (
            (len(match.options), len(match.not_recommended), len(match.alteration_view))
            if match is not None
            else None
        )
        for tab, name, n in zip(
            (OPTIONS_TAB, NOT_RECOMMENDED_TAB, ALTERATIONS_TAB),
            ("Ranked options", "Not recommended", "Alterations"),
            counts or (None, None, None),
            strict=True,
        ):
            self.views.setTabText(tab, name + (f" ({n})" if n is not None else ""))
        self.views.setTabIcon(
            NOT_RECOMMENDED_TAB,
            status_icon("stop") if counts and counts[1] else QIcon(),
        )

    def _fill(self, record: AnalysisRecord) -> None:
        match = record.analysis.match
        self.survival.show_message("Drawing the survival curves…")
        self.options.show_match(match)
        self.not_recommended.show_rows(list(match.not_recommended))
        self.alterations.show_rows(list(match.alteration_view))
        self._tab_counts(match)
        if record.trend is not None:
            self.trends.show_figure(record.trend)
        else:
            self.trends.show_message(NO_TREND)
        self._select_default()

    def _select_default(self) -> None:
        """Select the top option plus the best-ranked ones that have curves, so the
        plot and the selection always agree."""
        if self.proxy.rowCount():
            with_curves = {
                o.rank
                for o in self.analysis.match.options
                if o.rank in self.analysis.curves
            }
            wanted = set(sorted(with_curves)[:MAX_CURVES])
            selection = QItemSelection()
            for row in range(self.proxy.rowCount()):
                option = self.proxy.data(self.proxy.index(row, 0), OPTION_ROLE)
                if option.rank in wanted or row == 0:
                    selection.select(
                        self.proxy.index(row, 0),
                        self.proxy.index(row, self.proxy.columnCount() - 1),
                    )
            model = self.table.selectionModel()
            model.setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
            model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            self.detail.setHtml(
                "<p>No therapy option matched this profile in the knowledge "
                "base. Check the flags for findings the board must see.</p>"
            )
            self.survival.show_message("No options, so no survival curves.")

    def selected_options(self) -> list[Any]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.data(r, OPTION_ROLE) for r in rows]

    def _selection_changed(self, *_args: object) -> None:
        options = self.selected_options()
        if not options:
            return
        current = self.proxy.data(self.table.currentIndex(), OPTION_ROLE)
        shown = current if current in options else min(options, key=lambda o: o.rank)
        self.detail.setHtml(detail_html(shown))
        self._plot(sorted(o.rank for o in options))

    def _plot(self, ranks: list[int]) -> None:
        curves = [self.analysis.curves[r] for r in ranks if r in self.analysis.curves][
            :MAX_CURVES
        ]
        if not curves:
            self.plot_jobs.cancel()
            self.survival_owner = self.case_id
            self.survival.show_message(
                "No survival prediction for the selected option(s): the knowledge base has "
                "no trial curve for them."
            )
            return
        owner = self.analysis.case.case_id
        self.plot_jobs.start(
            lambda *, progress, cancelled: (
                owner,
                curve_figure(curves, progress=progress, cancelled=cancelled),
            ),
            "survival plot",
        )

    def _plotted(self, result: tuple[str, Any]) -> None:
        owner, figure = result
        if owner != self.case_id or self.analysis is None:
            return  # drawn for a case no longer shown
        self.survival_owner = owner
        self.survival.show_figure(figure)

    def _plot_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.survival.show_message("The survival curves could not be drawn.")
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "survival plot")
