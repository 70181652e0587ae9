"""Report screen: preview the PDF pages, export, and build a board pack.

The preview shows the exact bytes the export writes: one core render, then
``pdftoppm`` for page images.
"""

from __future__ import annotations

import datetime as dt
import logging
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

from oncoboard.gui import features
from oncoboard.gui.board_pack_dialog import BoardPackDialog
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.report_preview import PagePreview, have_pdftoppm, render_pages
from oncoboard.gui.services import CaseService
from oncoboard.gui.widgets import Banner, BusyBar
from oncoboard.gui.worker import JobRunner

log = logging.getLogger(__name__)
REPORT_MODULES = ("oncoboard.core.report", "oncoboard.core.report.render")


def _find(name: str) -> Any:
    for module in REPORT_MODULES:
        fn = features.function(module, name)
        if fn is not None:
            return fn
    return None


def renderers() -> tuple[Any, Any]:
    """(render one case, render a board pack) from the core, or None each."""
    report_input = features.function(features.PIPELINE, "report_input")
    case_fn, pack_fn = _find("render_case_report"), _find("render_board_pack")
    if report_input is None:
        return None, None
    one = (
        (lambda analysis, options: case_fn(report_input(analysis), options))
        if case_fn
        else None
    )
    pack = (
        (
            lambda analyses, options: pack_fn(
                [report_input(a) for a in analyses], options
            )
        )
        if pack_fn
        else None
    )
    return one, pack


def analyse_all(cases: list[Any], *, progress: Any, cancelled: Any) -> list[Any]:
    from oncoboard.core.pipeline import analyse_case

    out = []
    for n, case in enumerate(cases):
        if cancelled():
            return []
        progress(
            0.8 * n / max(len(cases), 1), f"Analysing case {n + 1} of {len(cases)}"
        )
        out.append(analyse_case(case))
    return out


class ReportScreen(QWidget):
    def __init__(self, service: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.service = service
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
        one, pack = renderers()
        missing = []
        if one is None:
            missing.append(
                "The PDF report is not available in this build of OncoBoard: the "
                "core report renderer (render_case_report in oncoboard.core.report) "
                "is not installed yet. Nothing is shown rather than anything "
                "invented."
            )
        if not have_pdftoppm():
            missing.append(
                "Page previews need the poppler-utils program pdftoppm; exporting "
                "works without it."
            )
        self.availability.setText("\n\n".join(missing))
        self.preview_button.setEnabled(one is not None and self.case is not None)
        self.export_button.setEnabled(one is not None and self.case is not None)
        self.pack_button.setEnabled(pack is not None)
        self.case_label.setText(
            f"<b>Case {self.case.case_id}</b>"
            if self.case
            else "Open a case to preview or export its report."
        )

    def set_case(self, case: Any, analysis: Any = None) -> None:
        self.case, self.analysis, self.pdf = case, analysis, None
        self._update_state()

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
        options, cached = self.options(), self.analysis
        reuse = cached is not None and len(cases) == 1 and cached.case == cases[0]

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            analyses = (
                [cached]
                if reuse
                else analyse_all(cases, progress=progress, cancelled=cancelled)
            )
            if cancelled():
                return None
            progress(0.85, "Writing the PDF")
            pdf = render(analyses if pack else analyses[0], options)
            pages = render_pages(pdf, progress=progress) if have_pdftoppm() else []
            return pdf, pages

        self.pdf_name = pdf_name
        self.busy.start("Preparing the report…")
        self.jobs.start(job, "board pack" if pack else "case report")

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
                "exactly these bytes.", "ok")
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
