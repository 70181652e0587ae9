"""One generic worker for long jobs: a QRunnable on the global QThreadPool.

A job is a plain function ``fn(*, progress, cancelled)`` (the core's long-job
shape).  Results cross threads only through the signals; a worker never
touches a widget.  :class:`JobRunner` keeps one job per screen: starting a new
one cancels the previous one, whose late results are then dropped.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)
_running: set[Worker] = set()  # keeps a running worker (and its signals) alive

JobFn = Callable[..., Any]


class JobCancelledError(Exception):
    """Raised inside a job (by :meth:`Worker.check`) once cancel was asked."""


class WorkerSignals(QObject):
    """Signals of one worker; they are delivered on the receiver's thread."""

    progress = Signal(object, float, str)
    finished = Signal(object, object)
    failed = Signal(object, object)
    cancelled = Signal(object)


class Worker(QRunnable):
    """Run ``fn(progress=..., cancelled=...)`` on a pool thread."""

    def __init__(self, fn: JobFn, name: str = "job") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.name = name
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, fraction: float, message: str = "") -> None:
        if not self._cancel.is_set():
            self._emit(self.signals.progress, float(fraction), message)

    def _emit(self, signal: Any, *args: object) -> None:
        try:
            signal.emit(self, *args)
        except RuntimeError:  # the application is shutting down: nobody listens
            self._cancel.set()

    def run(self) -> None:  # runs on the pool thread
        try:
            self._run()
        finally:
            self.done.set()
            _running.discard(self)

    def _run(self) -> None:
        try:
            result = self.fn(progress=self._progress, cancelled=self.is_cancelled)
        except BaseException as exc:  # noqa: BLE001 - reported through a signal
            if self._cancel.is_set() or _is_cancel(exc):
                self._emit(self.signals.cancelled)
            else:
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                self._emit(self.signals.failed, exc)
        else:
            if self._cancel.is_set():
                self._emit(self.signals.cancelled)
            else:
                self._emit(self.signals.finished, result)


def _is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, JobCancelledError) or type(exc).__name__ == "JobCancelled"


class JobRunner(QObject):
    """One job slot for a screen: a new job cancels the running one.

    Signals carry the results of the *current* job only.
    """

    started = Signal(str)
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    idle = Signal()

    def __init__(
        self, parent: QObject | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.current: Worker | None = None
        self._all: list[Worker] = []

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(self, fn: JobFn, name: str = "job") -> Worker:
        self.cancel()
        worker = Worker(fn, name)
        # Bound methods of this (GUI-thread) object: delivery is queued to it.
        worker.signals.progress.connect(self._on_progress)
        worker.signals.finished.connect(self._on_finished)
        worker.signals.failed.connect(self._on_failed)
        worker.signals.cancelled.connect(self._on_cancelled)
        self.current = worker
        self._all = [w for w in self._all if not w.done.is_set()] + [worker]
        log.debug("starting job %s", name)
        self.started.emit(name)
        _running.add(worker)
        self.pool.start(worker)
        return worker

    def cancel(self) -> None:
        if self.current is not None:
            self.current.cancel()
            self.current = None
            self.cancelled.emit()
            self.idle.emit()

    def wait(self, msecs: int = 5000) -> bool:
        """Block until every job this runner started has ended (used on close)."""
        return all(w.done.wait(msecs / 1000) for w in self._all)

    def _on_progress(self, worker: Worker, fraction: float, message: str) -> None:
        if worker is self.current:
            self.progress.emit(fraction, message)

    def _take(self, worker: Worker) -> bool:
        if worker is not self.current:
            return False  # a cancelled job's late answer
        self.current = None
        return True

    def _on_finished(self, worker: Worker, result: object) -> None:
        if self._take(worker):
            self.finished.emit(result)
            self.idle.emit()

    def _on_failed(self, worker: Worker, error: object) -> None:
        if self._take(worker):
            self.failed.emit(error)
            self.idle.emit()

    def _on_cancelled(self, worker: Worker) -> None:
        if self._take(worker):
            self.cancelled.emit()
            self.idle.emit()
