"""Render the application icon set from ``assets/icons/oncoboard.svg``.

Writes ``oncoboard-<N>.png`` for N in 16, 32, 48, 64, 128, 256 (Qt's SVG
renderer, headless), ``oncoboard.ico`` (Windows, all sizes) and
``oncoboard.icns`` (macOS) with Pillow.  Run with the project venv::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

The outputs are committed; rerun only when the SVG changes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"cannot write {out}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    svg = ICONS / "oncoboard.svg"
    pngs = {}
    for size in SIZES:
        out = ICONS / f"oncoboard-{size}.png"
        render(svg, size, out)
        pngs[size] = out
        print(f"wrote {out}")
    from PIL import Image

    big = Image.open(pngs[256]).convert("RGBA")
    big.save(ICONS / "oncoboard.ico", sizes=[(s, s) for s in SIZES])
    print(f"wrote {ICONS / 'oncoboard.ico'}")
    # ICNS wants a 512/1024 source for retina sizes; 256 is enough for a Dock icon.
    render(svg, 1024, ICONS / "_icns-source.png")
    try:
        Image.open(ICONS / "_icns-source.png").convert("RGBA").save(ICONS / "oncoboard.icns")
        print(f"wrote {ICONS / 'oncoboard.icns'}")
    finally:
        (ICONS / "_icns-source.png").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
