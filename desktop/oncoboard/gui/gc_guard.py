"""Run Python's cyclic garbage collector on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate, so a worker
thread can end up destroying Qt objects (widgets, canvases) that belong to the
GUI thread, which crashes Qt.  This guard turns automatic collection off and
collects from a timer on the GUI thread instead (the approach pyqtgraph uses).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadGarbageCollector(QObject):
    """Collect generations whose thresholds were exceeded, on the GUI thread."""

    def __init__(
        self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] > self.threshold[0]:
            generation = 0
            if counts[1] > self.threshold[1]:
                generation = 1
                if counts[2] > self.threshold[2]:
                    generation = 2
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


_installed: MainThreadGarbageCollector | None = None


def install(parent: QObject) -> MainThreadGarbageCollector:
    """Install the guard once per application."""
    global _installed
    if _installed is None:
        _installed = MainThreadGarbageCollector(parent)
    return _installed
