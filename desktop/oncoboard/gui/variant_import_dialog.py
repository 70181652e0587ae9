"""Import alterations from a VCF, MAF or panel CSV/TSV.

Three steps in one dialog: pick the file (a preview of its first rows shows),
map columns (panel tables) or choose the tumor sample (MAF/VCF), then read it
in a worker.  The normalised alterations are listed before anything is added.

A file with several tumor samples (a cohort MAF) is read for one sample the
user picks; there is no "all samples".  Mutations whose protein change the
file does not give cannot go into a case: they are skipped, counted, and
listed in a window the user can open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.widgets import Banner, BusyBar, number_text
from oncoboard.gui.worker import JobRunner

PREVIEW_ROWS = 12
MAPPED_FIELDS = (
    "gene",
    "protein",
    "cdna",
    "vaf",
    "depth",
    "copy_number",
    "fusion",
    "kind",
)
AUTO = "(detected automatically)"
CHOOSE = "— choose the tumor sample —"


def guess_format(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    for ext, fmt in (
        (".vcf", "vcf"),
        (".maf", "maf"),
        (".tsv", "tsv"),
        (".txt", "tsv"),
    ):
        if name.endswith(ext):
            return fmt
    return "csv"


class VariantImportDialog(QDialog):
    def __init__(
        self, sample_id: str, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import variants into sample {sample_id}")
        self.sample_id = sample_id
        self.path: Path | None = None
        self.result: Any = None
        self.case_ready: Any = None  # core CaseAlterations of the result
        self.samples: Any = None  # core TumorSamples of the file
        self.jobs = JobRunner(self)
        self._build()
        self.resize(900, 640)
        if path is not None:
            self.set_path(path)

    def _build(self) -> None:
        self.file_label = QLabel("No file chosen.")
        browse = QPushButton("&Choose file…")
        browse.clicked.connect(self.choose)
        self.format = QComboBox()
        self.format.addItems(["vcf", "maf", "csv", "tsv"])
        self.format.currentIndexChanged.connect(self._refresh_preview)
        top = QHBoxLayout()
        top.addWidget(browse)
        top.addWidget(self.file_label, 1)
        format_label = QLabel("&Format")
        format_label.setBuddy(self.format)
        top.addWidget(format_label)
        top.addWidget(self.format)
        self.preview = QTableWidget()
        self.preview.verticalHeader().hide()
        mapping = QGroupBox("Step 2 — columns and tumor sample")
        self.mapping_form = QFormLayout(mapping)
        self.mapping_hint = QLabel()
        self.mapping_hint.setWordWrap(True)
        self.mapping_form.addRow(self.mapping_hint)
        self.tumor_sample = QComboBox()
        self.tumor_sample.setMaxVisibleItems(20)
        self.tumor_sample.currentIndexChanged.connect(self._sample_chosen)
        self.mapping_form.addRow("&Tumor sample", self.tumor_sample)
        self.columns: dict[str, QComboBox] = {}
        for field in MAPPED_FIELDS:
            box = QComboBox()
            self.columns[field] = box
            self.mapping_form.addRow(field.replace("_", " ").capitalize(), box)
        self.read_button = QPushButton("&Read file")
        self.read_button.clicked.connect(self.read)
        self.result_table = QTableWidget(0, 4)
        self.result_table.setHorizontalHeaderLabels(
            ("Alteration", "Kind", "VAF", "Depth")
        )
        self.result_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.result_table.verticalHeader().hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        summary_scroll = QScrollArea()
        summary_scroll.setWidget(self.summary)
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        summary_scroll.setMaximumHeight(6 * self.fontMetrics().lineSpacing())
        self.skipped_button = QPushButton("Show &skipped rows…")
        self.skipped_button.clicked.connect(self.show_skipped)
        self.skipped_button.hide()
        self.banner = Banner()
        self.busy = BusyBar()
        self.busy.cancel_clicked.connect(self.jobs.cancel)
        self.jobs.progress.connect(self.busy.update_progress)
        self.jobs.finished.connect(self._read_done)
        self.jobs.failed.connect(self._read_failed)
        self.jobs.idle.connect(self.busy.stop)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(
            "&Add alterations", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        step1 = QGroupBox("Step 1 — file and preview of its first rows")
        QVBoxLayout(step1).addWidget(self.preview)
        step1.layout().insertLayout(0, top)
        step3 = QGroupBox("Step 3 — normalised alterations")
        s3 = QVBoxLayout(step3)
        s3.addWidget(self.read_button)
        s3.addWidget(self.result_table)
        s3.addWidget(summary_scroll)
        s3.addWidget(self.skipped_button)
        middle = QHBoxLayout()
        middle.addWidget(mapping, 1)
        middle.addWidget(step3, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(step1, 1)
        layout.addLayout(middle, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a variant file",
            "",
            "Variant files (*.vcf *.vcf.gz *.maf *.maf.gz *.csv *.tsv *.txt);;All files (*)",
        )
        if name:
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        self.format.setCurrentText(guess_format(path))
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        self.result = self.case_ready = self.samples = None
        self.add_button.setEnabled(False)
        self.skipped_button.hide()
        self.tumor_sample.clear()
        self.read_button.setEnabled(True)
        if self.path is None:
            return
        fmt = self.format.currentText()
        tabular = fmt != "vcf"
        self.mapping_form.setRowVisible(self.tumor_sample, fmt in ("vcf", "maf"))
        self.mapping_hint.setText(
            {
                "vcf": "VEP or SnpEff annotations are read from the INFO field. A VCF "
                "with several sample columns is read for the tumor column you choose.",
                "maf": "MAF columns are recognised by their standard names. A MAF with "
                "several Tumor_Sample_Barcodes is read for the one tumor sample you "
                "choose: a case describes one patient.",
            }.get(
                fmt,
                "Columns are recognised by common names; pick a column below for any "
                "field that was not recognised.",
            )
        )
        for box in self.columns.values():
            self.mapping_form.setRowVisible(box, tabular and fmt != "maf")
            box.clear()
        try:
            header, rows = self._read_preview(fmt)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self.banner.hide()
        self.preview.setColumnCount(len(header))
        self.preview.setHorizontalHeaderLabels(header)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        for box in self.columns.values():
            box.addItem(AUTO, None)
            for name in header:
                box.addItem(name, name)
        self._offer_samples(fmt)

    def _offer_samples(self, fmt: str) -> None:
        """List the file's tumor samples; with several, the user must pick one."""
        if fmt not in ("maf", "vcf"):
            return
        if self.samples is None:
            from oncoboard.core.profiles import tumor_samples

            try:
                self.samples = tumor_samples(self.path, fmt)
            except Exception as exc:  # noqa: BLE001
                self._show_error(exc)
                return
        names = self.samples.names
        self.mapping_form.setRowVisible(self.tumor_sample, bool(names))
        self.tumor_sample.blockSignals(True)
        if self.samples.must_choose:
            self.tumor_sample.addItem(f"{CHOOSE} ({len(names)} in this file)", None)
        for name in names:
            self.tumor_sample.addItem(name, name)
        if self.samples.marked:
            self.tumor_sample.setCurrentIndex(
                self.tumor_sample.findData(self.samples.marked)
            )
        self.tumor_sample.blockSignals(False)
        self._sample_chosen()

    def _sample_chosen(self, *_args: object) -> None:
        missing = (
            self.samples is not None
            and self.samples.must_choose
            and not (self.tumor_sample.currentData())
        )
        self.read_button.setEnabled(not missing)
        self.read_button.setToolTip(
            "Choose the tumor sample to read first." if missing else ""
        )
        self.result = self.case_ready = None
        self.add_button.setEnabled(False)

    def _read_preview(self, fmt: str) -> tuple[list[str], list[list[str]]]:
        if fmt == "vcf":
            from oncoboard.core.profiles.files import read_lines

            lines = []
            for _n, line in read_lines(self.path):
                if not line.startswith("##"):
                    lines.append(line.rstrip("\n").split("\t"))
                if len(lines) > PREVIEW_ROWS:
                    break
            return (lines[0] if lines else []), lines[1:]
        from oncoboard.core.profiles.tables import read_table
        from oncoboard.core.profiles.to_case import maf_tumor_samples

        table = read_table(self.path)
        if fmt == "maf":
            self.samples = maf_tumor_samples(table)  # one read of the file
        rows = [
            [row.get(h, "") for h in table.header]
            for _n, row in table.rows[:PREVIEW_ROWS]
        ]
        return list(table.header), rows

    def column_map(self) -> dict[str, str] | None:
        chosen = {
            f: box.currentData() for f, box in self.columns.items() if box.currentData()
        }
        return chosen or None

    def read(self) -> None:
        if self.path is None:
            self.banner.show_message("Choose a file first.", "error")
            return
        from oncoboard.core.profiles import import_variant_file as reader

        path, fmt = self.path, self.format.currentText()
        chosen = self.tumor_sample.currentData() if fmt in ("maf", "vcf") else None
        if chosen is None and self.samples is not None and self.samples.must_choose:
            self.banner.show_message(
                f"This file holds {len(self.samples.names)} tumor samples. Choose the "
                "one that belongs to this case under “Tumor sample”.",
                "error",
            )
            return
        kwargs = {"sample_id": self.sample_id, "tumor_sample": chosen}
        if fmt in ("csv", "tsv"):
            kwargs["column_map"] = self.column_map()

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            progress(0.1, f"Reading {path.name}")
            return reader(path, fmt, **kwargs)

        self.busy.start(f"Reading {path.name}…")
        self.jobs.start(job, "read variant file")

    def _read_done(self, result: Any) -> None:
        from oncoboard.core.profiles import case_alterations

        self.banner.hide()
        self.result, self.case_ready = result, case_alterations(result)
        alts = self.case_ready.kept
        self.result_table.setRowCount(len(alts))
        for r, alt in enumerate(alts):
            vaf = "" if alt.vaf is None else f"{100 * alt.vaf:.1f}%"
            for c, text in enumerate(
                (alt.label, alt.kind, vaf, number_text(alt.depth))
            ):
                self.result_table.setItem(r, c, QTableWidgetItem(text))
        skipped = ", ".join(f"{n} {why}" for why, n in result.skipped.items())
        sample = self.tumor_sample.currentData()
        lines = [
            f"{len(alts)} alteration(s) from {result.records} record(s)"
            + (f" (tumor sample {sample})." if sample else ".")
        ]
        if self.case_ready.skipped:
            lines.append(
                f"{len(self.case_ready.skipped)} mutation(s) skipped: the file gives no "
                "protein change, so a case cannot hold them (“Show skipped rows”)."
            )
        if skipped:
            lines.append(f"Not imported (cannot carry therapy evidence): {skipped}.")
        lines += [f"⚠ {flag.message}" for flag in result.flags]
        self.summary.setText("\n".join(lines))
        self.skipped_button.setText(
            f"Show &skipped rows ({len(self.case_ready.skipped)})…"
        )
        self.skipped_button.setVisible(bool(self.case_ready.skipped))
        self.add_button.setEnabled(bool(alts))

    def show_skipped(self) -> QDialog:
        """The rows skipped for want of a protein change: what, where, why."""
        rows = self.case_ready.skipped if self.case_ready else ()
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{len(rows)} skipped row(s)")
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(("Alteration", "Where in the file", "Why"))
        table.verticalHeader().hide()
        table.setWordWrap(False)
        for column in (0, 1):
            table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(rows):
            for c, text in enumerate((row.label, row.source, row.reason)):
                table.setItem(r, c, QTableWidgetItem(text))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(close)
        dialog.resize(720, 420)
        dialog.open()
        return dialog

    def _read_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "variant import")

    def alterations(self) -> list[dict[str, Any]]:
        """The case-file alterations to add (rows without a protein change left out)."""
        return list(self.case_ready.alterations) if self.case_ready else []

    def done(self, code: int) -> None:
        self.jobs.cancel()
        super().done(code)
