"""Page previews of a PDF: rendered with ``pdftoppm`` to PNGs in a temporary
folder (QtPdf is not part of PySide6-Essentials).  The bytes shown are the
bytes the export writes, from the same core renderer."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

PREVIEW_DPI = 90


def have_pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def render_pages(
    pdf: bytes, *, progress=None, cancelled=None, dpi: int = PREVIEW_DPI
) -> list[Path]:  # noqa: ANN001
    """Rasterise every page of ``pdf`` to PNG files (runs in a worker)."""
    folder = Path(tempfile.mkdtemp(prefix="oncoboard-preview-"))
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    if progress:
        progress(0.9, "Rendering page previews")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(source), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(folder.glob("page*.png"))


class PagePreview(QScrollArea):
    """A vertical strip of page images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.inner = QWidget()
        self.pages = QVBoxLayout(self.inner)
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.pages.addWidget(self.message)
        self.setWidget(self.inner)
        self.page_count = 0

    def show_message(self, text: str) -> None:
        self._clear()
        self.message.setText(text)
        self.message.show()

    def show_pages(self, files: list[Path]) -> None:
        self._clear()
        self.message.hide()
        for n, path in enumerate(files, start=1):
            label = QLabel()
            label.setPixmap(QPixmap(str(path)))
            label.setToolTip(f"Page {n} of {len(files)}")
            label.setStyleSheet("border:1px solid #999; background:white;")
            self.pages.addWidget(label)
        self.page_count = len(files)
        if files:
            shutil.rmtree(files[0].parent, ignore_errors=True)

    def _clear(self) -> None:
        while self.pages.count() > 1:
            item = self.pages.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        self.page_count = 0
