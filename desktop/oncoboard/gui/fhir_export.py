"""The report screen's "Export FHIR" action: the case's report as an HL7 FHIR Genomics
Reporting Bundle, through the core's ``api.export_fhir`` (the CLI's use case)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from oncoboard.gui import context as session
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.worker import JobRunner


class FhirExporter(QObject):
    """Analyse (unless the Results screen already did), build the bundle in a worker,
    then ask where to save it."""

    def __init__(self, screen: Any) -> None:
        super().__init__(screen)
        self.screen = screen
        self.jobs = JobRunner(self)
        self.jobs.progress.connect(screen.busy.update_progress)
        self.jobs.finished.connect(self._built)
        self.jobs.failed.connect(self._failed)
        self.jobs.idle.connect(screen.busy.stop)

    def start(self) -> None:
        from oncoboard.gui.report_screen import analyse_all

        case = self.screen.case
        if case is None:
            self.screen.banner.show_message("Open a case first.", "info")
            return
        known = self.screen._analysis_of(case)
        options, choices = self.screen.options(), self.screen.choices()

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            from oncoboard.core import api

            analysis = known
            if analysis is None:
                done = analyse_all(
                    [case], choices, progress=progress, cancelled=cancelled
                )
                if cancelled() or not done:
                    return None
                analysis = done[0]
            progress(0.85, "Writing the FHIR bundle")
            return api.export_fhir(session.context(), analysis, options)

        self.name = f"{case.case_id}.fhir.json"
        self.screen.busy.start("Preparing the FHIR bundle…")
        self.jobs.start(job, "FHIR export")

    def _built(self, result: Any) -> None:
        if result is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self.screen, "Export FHIR", self.name, "FHIR JSON (*.json)"
        )
        if name:
            self.save(result, Path(name))

    def save(self, result: Any, path: Path) -> None:
        from oncoboard.core.case.io import write_output

        data = json.dumps(result.bundle, indent=2, ensure_ascii=False).encode("utf-8")
        try:
            write_output(path, data)
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return
        skipped = "".join(f"\nNot exported: {item}" for item in result.not_exported)
        self.screen.banner.show_message(f"Saved {path}.{skipped}", "ok")

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if is_expected(exc):
            self.screen.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "FHIR export")
