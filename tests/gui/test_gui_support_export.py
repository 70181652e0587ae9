"""Help → Export support bundle writes the zip in a worker and says where."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget


def test_support_export_writes_a_zip(qtbot, tmp_path: Path, monkeypatch) -> None:
    from oncoboard.gui.support_export import SupportExport

    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text: shown.append(text)
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    export = SupportExport(parent)
    target = tmp_path / "support.zip"
    with qtbot.waitSignal(export.jobs.finished, timeout=30_000):
        export.export(target)
    assert zipfile.is_zipfile(target)
    assert shown and str(target) in shown[0] and "no case data" in shown[0]
