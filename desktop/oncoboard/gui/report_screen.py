"""Report screen: preview the PDF pages, export, and build a board pack.

The preview shows the exact bytes the export writes: one core render, then
``pdftoppm`` for page images.  A case's report shows the same analysis as the
Results screen (from :class:`AnalysisMemory`); a case not analysed there is
analysed with the Results screen's choice of cohort model.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui import context as session
from oncoboard.gui.analysis_memory import AnalysisMemory
from oncoboard.gui.board_pack_dialog import BoardPackDialog
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.report_preview import PagePreview, have_pdftoppm, render_pages
from oncoboard.gui.services import CaseService
from oncoboard.gui.widgets import Banner, BusyBar
from oncoboard.gui.worker import JobRunner

log = logging.getLogger(__name__)


def renderers() -> tuple[Any, Any]:
    """(render one case, render a board pack): the core's use cases."""
    from oncoboard.core import api

    def one(analysis: Any, options: Any) -> bytes:
        return api.render_report(session.context(), analysis, options)

    def pack(analyses: Any, options: Any) -> bytes:
        return api.render_board_pack(session.context(), analyses, options)

    return one, pack


Choices = str | None  # the cohort model name (None: trial curves)


def analyse_all(
    cases: list[Any],
    choices: Choices = None,
    *,
    progress: Any,
    cancelled: Any,
) -> list[Any]:
    """Analyse cases with the Results screen's choice of cohort model."""
    from oncoboard.core import api

    ctx = session.context()
    out = []
    for n, case in enumerate(cases):
        if cancelled():
            return []
        progress(
            0.8 * n / max(len(cases), 1), f"Analysing case {n + 1} of {len(cases)}"
        )
        out.append(api.analyse(ctx, case, cohort=choices, cancelled=cancelled))
    return out


def default_choices() -> Choices:
    return None


class ReportScreen(QWidget):
    def __init__(
        self,
        service: CaseService,
        parent: QWidget | None = None,
        *,
        memory: AnalysisMemory | None = None,
        choices: Callable[[], Choices] = default_choices,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.service = service
        self.memory = memory or AnalysisMemory(self)
        self.choices = choices
        self.memory.changed.connect(self._memory_changed)
        self.case: Any = None
        self.analysis: Any = None
        self.pdf: bytes | None = None
        self.pdf_name = "report.pdf"
        self.jobs = JobRunner(self)
        self._build()
        self._wire()
        self._update_state()

    def _build(self) -> None:
        from oncoboard.core.config import load_config

        try:
            config = load_config()
        except Exception:  # noqa: BLE001 - shown in Settings; use defaults here
            config = None
        self.locked = set(config.locked) if config else set()
        self.institution = config["institution.name"] if config else ""
        self.logo = config["institution.logo"] if config else None
        self.deidentified = QCheckBox("&De-identified report")
        self.deidentified.setToolTip(
            "Age bands instead of ages, no pseudonym, marked on every page."
        )
        self.deidentified.setChecked(bool(config and config["report.deidentified"]))
        self.deidentified.setEnabled("report.deidentified" not in self.locked)
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.page_size.setCurrentText(config["report.page_size"] if config else "A4")
        self.prepared_by = QLineEdit(config["report.prepared_by"] if config else "")
        self.board_date = QDateEdit(QDate.currentDate())
        self.board_date.setCalendarPopup(True)
        self.board_date.setDisplayFormat("yyyy-MM-dd")
        options = QGroupBox("Report options")
        form = QFormLayout(options)
        form.addRow("", self.deidentified)
        form.addRow("&Paper", self.page_size)
        form.addRow("Prepared &by", self.prepared_by)
        form.addRow("Board da&te", self.board_date)
        self.case_label = QLabel()
        self.case_label.setWordWrap(True)
        self.preview_button = QPushButton("&Preview report")
        self.export_button = QPushButton("&Export PDF…")
        self.pack_button = QPushButton("Board &pack…")
        side = QVBoxLayout()
        side.addWidget(self.case_label)
        side.addWidget(options)
        for button in (self.preview_button, self.export_button, self.pack_button):
            side.addWidget(button)
        self.availability = QLabel()
        self.availability.setWordWrap(True)
        side.addWidget(self.availability)
        side.addStretch(1)
        self.preview = PagePreview()
        self.preview.show_message(
            "Press “Preview report” to see the pages exactly as they will be exported."
        )
        self.banner = Banner()
        self.busy = BusyBar()
        body = QHBoxLayout()
        panel = QWidget()
        panel.setLayout(side)
        panel.setMaximumWidth(380)
        body.addWidget(panel)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addLayout(body, 1)

    def _wire(self) -> None:
        self.preview_button.clicked.connect(self.render_preview)
        self.export_button.clicked.connect(self.export)
        self.pack_button.clicked.connect(self.build_pack)
        self.busy.cancel_clicked.connect(self.jobs.cancel)
        self.jobs.progress.connect(self.busy.update_progress)
        self.jobs.finished.connect(self._rendered)
        self.jobs.failed.connect(self._failed)
        self.jobs.idle.connect(self.busy.stop)
        for widget in (self.deidentified, self.page_size):
            (
                widget.toggled
                if isinstance(widget, QCheckBox)
                else widget.currentIndexChanged
            ).connect(self._options_changed)

    def _options_changed(self, *_args: object) -> None:
        self.pdf = None
        self._update_state()

    def _update_state(self) -> None:
        missing = []
        if not have_pdftoppm():
            missing.append(
                "Page previews need the poppler-utils program pdftoppm; exporting "
                "works without it."
            )
        self.availability.setText("\n\n".join(missing))
        self.preview_button.setEnabled(self.case is not None)
        self.export_button.setEnabled(self.case is not None)
        self.pack_button.setEnabled(True)
        self.case_label.setText(self._case_text())

    def _case_text(self) -> str:
        if self.case is None:
            return "Open a case to preview or export its report."
        head = f"<b>Case {html.escape(self.case.case_id)}</b><br>"
        record = self.memory.get(self.case.case_id)
        if self.analysis is not None and record is not None:
            return (
                head
                + "The analysis shown on the Results screen: "
                + html.escape(record.describe())
            )
        cohort = self.choices()
        return head + html.escape(
            "Not analysed on the Results screen (or changed since): the preview "
            f"analyses it with {f'cohort {cohort}' if cohort else 'trial curves'}."
        )

    def set_case(self, case: Any) -> None:
        """Show ``case``; its analysis is the Results screen's one for that content."""
        record = self.memory.get(case.case_id if case is not None else None)
        self.case, self.pdf = case, None
        self.analysis = record.analysis if record and record.is_for(case) else None
        self._update_state()

    def _memory_changed(self, case_id: str) -> None:
        if self.case is not None and self.case.case_id == case_id:
            self.set_case(self.case)

    def options(self) -> Any:
        from oncoboard.core.report.model import ReportOptions

        return ReportOptions(
            institution=self.institution or "",
            logo_path=self.logo,
            prepared_by=self.prepared_by.text().strip(),
            board_date=self.board_date.date().toPython(),
            page_size=self.page_size.currentText(),
            deidentified=self.deidentified.isChecked(),
        )

    def _start(
        self, cases: list[Any], render: Any, *, pack: bool, pdf_name: str
    ) -> None:
        """Analyse (unless the Results screen already did), render once, rasterise pages."""
        options, choices = self.options(), self.choices()
        known = [self._analysis_of(c) for c in cases]

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            todo = [c for c, a in zip(cases, known, strict=True) if a is None]
            fresh = iter(
                analyse_all(todo, choices, progress=progress, cancelled=cancelled)
            )
            if cancelled():
                return None
            analyses = [a if a is not None else next(fresh) for a in known]
            progress(0.85, "Writing the PDF")
            pdf = render(analyses if pack else analyses[0], options)
            pages = render_pages(pdf, progress=progress) if have_pdftoppm() else []
            return pdf, pages

        self.pdf_name = pdf_name
        self.busy.start("Preparing the report…")
        self.jobs.start(job, "board pack" if pack else "case report")

    def _analysis_of(self, case: Any) -> Any:
        """The Results screen's analysis of exactly this case content, or None."""
        record = self.memory.get(case.case_id)
        return record.analysis if record is not None and record.is_for(case) else None

    def render_preview(self) -> None:
        one, _ = renderers()
        if one is not None and self.case is not None:
            self._start(
                [self.case], one, pack=False, pdf_name=f"{self.case.case_id}.pdf"
            )

    def export(self) -> None:
        if self.pdf is None:
            self._export_after = True
            self.render_preview()
            return
        self._save(self.pdf)

    def export_fhir(self) -> None:
        """The report as a FHIR Genomics Reporting Bundle (``gui/fhir_export.py``)."""
        from oncoboard.gui.fhir_export import FhirExporter

        if getattr(self, "fhir", None) is None:
            self.fhir = FhirExporter(self)
        self.fhir.start()

    def _save(self, pdf: bytes, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export PDF", self.pdf_name, "PDF (*.pdf)"
            )
            if not name:
                return None
            path = Path(name)
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            self.banner.show_message(
                f"Could not write {path}: {exc.strerror}.", "error"
            )
            return None
        self.banner.show_message(f"Saved {path}.", "ok")
        return path

    def build_pack(self) -> None:
        _, pack = renderers()
        if pack is None:
            return
        dialog = BoardPackDialog(self.service, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_pack(dialog.case_ids(), dialog.meeting_date())

    def start_pack(self, case_ids: list[str], date: dt.date) -> None:
        _, pack = renderers()
        try:
            cases = [self.service.get(c).case for c in case_ids]
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return
        self.board_date.setDate(QDate(date.year, date.month, date.day))
        self._start(
            cases, pack, pack=True, pdf_name=f"board-pack-{date.isoformat()}.pdf"
        )

    def _rendered(self, result: Any) -> None:
        if not result:
            return
        self.pdf, pages = result
        if pages:
            self.preview.show_pages(pages)
            self.banner.show_message(
                f"{len(pages)} page(s), {len(self.pdf) // 1024} kB. Export (Ctrl+E) writes "
                "exactly these bytes.",
                "ok",
            )
        else:
            self.preview.show_message(
                "The report was rendered; page previews need pdftoppm."
            )
        if getattr(self, "_export_after", False):
            self._export_after = False
            self._save(self.pdf)

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.pdf = None
        self._export_after = False
        self.preview.show_message(
            "The report could not be made; nothing was exported. "
            "The reason is shown above or in the error dialog."
        )
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "report")
