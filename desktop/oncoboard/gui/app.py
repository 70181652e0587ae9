"""Start-up: ``oncoboard-gui`` runs :func:`main`.

Only Qt and the light core modules load before the window shows; matplotlib,
the survival models and the report stack load on first use; the case database
(sqlite-utils pulls in pandas) opens from a worker, and a warm-up job imports
the analysis stack off the GUI thread once the window is up.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from oncoboard import __version__

log = logging.getLogger(__name__)


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QCoreApplication.setOrganizationName("OncoBoard")
    QCoreApplication.setApplicationName("OncoBoard")
    QCoreApplication.setApplicationVersion(__version__)
    return QApplication(list(argv if argv is not None else sys.argv))


def setup_logging() -> None:
    from oncoboard.core.config import load_config
    from oncoboard.core.logging_setup import setup_logging as core_setup

    try:
        level = load_config()["logging.level"]
    except Exception:  # noqa: BLE001 - a broken config is reported by Settings
        level = "INFO"
    core_setup(level)


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    app = make_app(argv)
    setup_logging()
    from oncoboard.gui.errors import install_excepthooks
    from oncoboard.gui.main_window import MainWindow

    install_excepthooks()
    from oncoboard.gui.gc_guard import install as install_gc_guard

    install_gc_guard(app)  # workers must never run the collector on Qt objects
    window = MainWindow()
    window.show()
    log.info("window shown after %.3f s", time.perf_counter() - started)
    if "--quit-after-start" in (
        argv or sys.argv
    ):  # for the start-up benchmark and tests
        QTimer.singleShot(
            0,
            lambda: print(
                f"interactive {time.perf_counter() - started:.3f}", flush=True
            ),
        )
        window.startup.idle.connect(
            lambda: print(
                f"cases_listed {time.perf_counter() - started:.3f}", flush=True
            )
        )
        window.startup.idle.connect(window.close)
    code = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
