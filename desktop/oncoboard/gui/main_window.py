"""The main window: screens in tabs, menus with shortcuts, and routing.

It owns no logic of its own: it wires screens to each other and to the one
:class:`CaseService`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from oncoboard.gui import settings
from oncoboard.gui.about_dialog import AboutDialog
from oncoboard.gui.analysis_memory import AnalysisMemory
from oncoboard.gui.case_editor import CaseEditor
from oncoboard.gui.case_list import CaseListScreen
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.kb_browser import KbBrowser
from oncoboard.gui.report_screen import ReportScreen
from oncoboard.gui.results import ResultsScreen
from oncoboard.gui.services import CaseService, preload, warm_up
from oncoboard.gui.settings_dialog import SettingsDialog
from oncoboard.gui.worker import JobRunner

log = logging.getLogger(__name__)
CASES, EDITOR, RESULTS, REPORT, KB = range(5)


class MainWindow(QMainWindow):
    def __init__(
        self, service: CaseService | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("OncoBoard")
        self.service = service or CaseService(parent=self)
        self.cases = CaseListScreen(self.service)
        self.editor = CaseEditor(self.service)
        self.analyses = AnalysisMemory(self)  # each case's last analysis, this session
        self.results = ResultsScreen(self.analyses)
        self.report = ReportScreen(
            self.service, memory=self.analyses, choices=self.results.choices
        )
        self.kb = KbBrowser()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for screen, title in (
            (self.cases, "&Cases"),
            (self.editor, "Case &editor"),
            (self.results, "&Results"),
            (self.report, "Re&port"),
            (self.kb, "&Knowledge base"),
        ):
            self.tabs.addTab(screen, title.replace("&", ""))
        self.setCentralWidget(self.tabs)
        self.actions: dict[str, QAction] = {}
        self._menus()
        self._route()
        self.statusBar().showMessage(
            "Ready. Decision support only: the tumor board decides."
        )
        self.resize(1280, 720)
        self._restore()
        self.support: Any = None
        self.startup = JobRunner(self)
        self.startup.finished.connect(self._database_ready)
        self.warm = JobRunner(self)
        self.startup.failed.connect(self._startup_failed)
        self.startup.start(preload, "open database")

    # --- menus ---------------------------------------------------------------
    def _action(
        self,
        key: str,
        text: str,
        shortcut: QKeySequence | str | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[key] = action
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self._action("new", "&New case", "Ctrl+N", self.new_case))
        file.addAction(
            self._action(
                "import", "&Import case files…", "Ctrl+I", self.cases.choose_import
            )
        )
        file.addAction(
            self._action(
                "export_case",
                "Export case &file…",
                "Ctrl+Shift+E",
                self.cases.choose_export,
            )
        )
        file.addAction(self._action("save", "&Save case", "Ctrl+S", self.editor.save))
        file.addSeparator()
        file.addAction(
            self._action("export_pdf", "Export &PDF report…", "Ctrl+E", self.export_pdf)
        )
        file.addAction(
            self._action(
                "export_fhir",
                "Export F&HIR report…",
                "Ctrl+Shift+F",
                self.export_fhir,
            )
        )
        file.addAction(
            self._action("pack", "&Board pack…", "Ctrl+B", self.report.build_pack)
        )
        file.addSeparator()
        file.addAction(
            self._action("settings", "Se&ttings…", "Ctrl+,", self.show_settings)
        )
        file.addAction(self._action("quit", "&Quit", "Ctrl+Q", self.close))
        edit = bar.addMenu("&Edit")
        edit.addAction(
            self._action("undo", "&Undo delete", "Ctrl+Z", self.cases.undo_delete)
        )
        edit.addAction(
            self._action(
                "duplicate", "&Duplicate case", "Ctrl+D", self.cases.duplicate_selected
            )
        )
        edit.addAction(
            self._action(
                "delete", "Move case to &bin", "Ctrl+Del", self.cases.delete_selected
            )
        )
        edit.addAction(self._action("find", "&Find case", "Ctrl+F", self.find))
        case = bar.addMenu("&Case")
        case.addAction(
            self._action(
                "add_alteration",
                "&Add alteration…",
                "Ctrl+Shift+A",
                self.add_alteration,
            )
        )
        case.addAction(
            self._action(
                "import_variants",
                "&Import VCF/MAF/CSV…",
                "Ctrl+Shift+I",
                self.import_variants,
            )
        )
        case.addAction(
            self._action("analyse", "&Run analysis", "F5", self.run_analysis)
        )
        case.addAction(
            self._action("preview", "&Preview report", "Ctrl+P", self.preview_report)
        )
        view = bar.addMenu("&View")
        for n, name in enumerate(
            ("Cases", "Case editor", "Results", "Report", "Knowledge base")
        ):
            view.addAction(
                self._action(
                    f"view_{n}",
                    name,
                    f"Ctrl+{n + 1}",
                    lambda n=n: self.tabs.setCurrentIndex(n),
                )
            )
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(
            self._action(
                "support",
                "Export &support bundle…",
                "Ctrl+Shift+H",
                self.export_support,
            )
        )
        help_menu.addAction(
            self._action("about", "&About OncoBoard", "F1", self.show_about)
        )

    def _route(self) -> None:
        self.cases.open_requested.connect(self.open_case)
        self.cases.new_requested.connect(self.new_case)
        self.editor.saved.connect(self._case_changed)
        self.editor.case_loaded.connect(self._case_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._previous_tab = CASES

    def _database_ready(self, _result: object) -> None:
        self.cases.refresh()
        self.warm.start(warm_up, "warm-up")
        self.offer_recovery()

    def offer_recovery(self) -> None:
        """Offer edits a crash left unsaved (see gui/draft_recovery.py)."""
        edits = self.editor.journal.read()
        if edits is None:
            return
        if self.ask_restore(edits.title, edits.saved_at):
            self.editor.restore(edits)
            self.tabs.setCurrentIndex(EDITOR)
        else:
            self.editor.journal.clear()

    def ask_restore(self, title: str, saved_at: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Restore unsaved edits?",
            f"OncoBoard closed before the edits to {title} (last change {saved_at}) "
            "could be saved. Restore them into the case editor?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _startup_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if is_expected(exc):
            self.cases.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "start-up")
        self.cases.refresh()

    # --- routing -------------------------------------------------------------
    def open_case(self, case_id: str) -> None:
        if self.editor.open_case(case_id):
            self.tabs.setCurrentIndex(EDITOR)

    def new_case(self) -> None:
        if self.editor.new_case():
            self.tabs.setCurrentIndex(EDITOR)

    def _case_changed(self, _case_id: str) -> None:
        case = self.editor.valid_case
        self.results.set_case(case)
        self.report.set_case(case)
        self.setWindowTitle(f"OncoBoard — {case.case_id}" if case else "OncoBoard")

    def _tab_changed(self, index: int) -> None:
        if self._previous_tab == EDITOR:
            self.editor.flush()
        self._previous_tab = index
        if index in (RESULTS, REPORT) and self.editor.valid_case is not None:
            if self.results.case != self.editor.valid_case:
                self.results.set_case(self.editor.valid_case)
                self.report.set_case(self.editor.valid_case)
        if index == KB:
            self.kb.load()

    def find(self) -> None:
        self.tabs.setCurrentIndex(CASES)
        self.cases.search.setFocus()
        self.cases.search.selectAll()

    def add_alteration(self) -> None:
        self.tabs.setCurrentIndex(EDITOR)
        self.editor.tabs.setCurrentWidget(self.editor.samples)
        self.editor.samples.add_alteration()

    def import_variants(self) -> None:
        self.tabs.setCurrentIndex(EDITOR)
        self.editor.tabs.setCurrentWidget(self.editor.samples)
        self.editor.import_variants(self.editor.samples.current_sample_id() or "")

    def run_analysis(self) -> None:
        self.tabs.setCurrentIndex(RESULTS)
        self.results.run()

    def preview_report(self) -> None:
        self.tabs.setCurrentIndex(REPORT)
        self.report.render_preview()

    def export_pdf(self) -> None:
        self.tabs.setCurrentIndex(REPORT)
        self.report.export()

    def export_fhir(self) -> None:
        self.tabs.setCurrentIndex(REPORT)
        self.report.export_fhir()

    def show_settings(self) -> None:
        SettingsDialog(self).exec()

    def show_about(self) -> None:
        AboutDialog(self).exec()

    def export_support(self) -> None:
        if self.support is None:
            from oncoboard.gui.support_export import SupportExport

            self.support = SupportExport(self)
        self.support.ask_and_export()

    # --- state ---------------------------------------------------------------
    def _restore(self) -> None:
        store = settings.qsettings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.editor.leave_current():
            event.ignore()
            return
        store = settings.qsettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Cancel every job, wait for the workers, close the database."""
        runners = [self.startup, self.warm, self.cases.jobs, self.report.jobs]
        for screen in (self.results, self.kb):
            runners += [
                getattr(screen, name)
                for name in ("jobs", "plot_jobs")
                if hasattr(screen, name)
            ]
        for runner in runners:
            runner.cancel()
        for runner in runners:
            runner.wait(10_000)
        self.service.close()
