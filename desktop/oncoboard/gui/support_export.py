"""Help → Export support bundle: logs, versions and config for IT, without patient data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.worker import JobRunner


def default_name() -> str:
    return f"oncoboard-support-{dt.date.today().isoformat()}.zip"


class SupportExport:
    """Asks where to save, writes the zip in a worker, reports the result."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.jobs = JobRunner(parent)
        self.jobs.finished.connect(self._done)
        self.jobs.failed.connect(self._failed)

    def ask_and_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            "Export support bundle",
            str(Path.home() / default_name()),
            "Zip archives (*.zip)",
        )
        if name:
            self.export(Path(name))

    def export(self, target: Path) -> None:
        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            from oncoboard.core.support import export_support_bundle

            progress(0.1, "Collecting logs, versions and configuration")
            return export_support_bundle(target)

        self.jobs.start(job, "support bundle")

    def _done(self, path: object) -> None:
        QMessageBox.information(
            self.parent,
            "Support bundle written",
            f"Wrote {path}.\n\nIt holds logs (INFO and above), versions, the configuration "
            "and the list of data files, and no case data. Send it to your IT support.",
        )

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if is_expected(exc) or isinstance(exc, OSError):
            QMessageBox.warning(
                self.parent, "Support bundle not written", user_message(exc)
            )
        else:
            report_unexpected(exc, "support bundle")
