"""The generic worker: results by signal, cancel, one job per screen, and a
GUI that keeps running during a long job."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer

from oncoboard.gui.worker import JobRunner


def test_result_and_progress_arrive_on_the_gui_thread(qtbot):
    runner = JobRunner()
    seen: list[tuple[float, str]] = []
    threads: list[object] = []
    runner.progress.connect(
        lambda f, m: (seen.append((f, m)), threads.append(threading.get_ident()))
    )

    def job(*, progress, cancelled):
        progress(0.5, "half")
        return threading.get_ident()

    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.start(job)
    assert blocker.args[0] != threading.get_ident()  # ran on a pool thread
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(0.5, "half")]
    assert threads == [threading.get_ident()]  # delivered to the GUI thread
    assert not runner.busy


def test_failure_is_reported_not_raised(qtbot):
    runner = JobRunner()

    def job(*, progress, cancelled):
        raise ValueError("boom")

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(job)
    assert isinstance(blocker.args[0], ValueError)
    assert "Traceback" in blocker.args[0].__traceback_text__


def test_a_new_job_cancels_the_old_one_and_drops_its_result(qtbot):
    runner = JobRunner()
    release = threading.Event()
    results: list[object] = []
    runner.finished.connect(results.append)
    saw_cancel = threading.Event()

    def slow(*, progress, cancelled):
        release.wait(5)
        if cancelled():
            saw_cancel.set()
        return "old"

    first = runner.start(slow)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(lambda *, progress, cancelled: "new")
    release.set()
    first.done.wait(5)
    qtbot.wait(100)
    assert results == ["new"]
    assert first.is_cancelled() and saw_cancel.is_set()


def test_cancel_stops_a_job_that_checks_the_flag(qtbot):
    runner = JobRunner()
    steps: list[int] = []

    def job(*, progress, cancelled):
        for i in range(200):
            if cancelled():
                return None
            steps.append(i)
            time.sleep(0.01)
        return "done"

    worker = runner.start(job)
    qtbot.waitUntil(lambda: len(steps) > 2)
    with qtbot.waitSignal(runner.idle, timeout=1000):
        runner.cancel()
    assert worker.done.wait(2)
    assert len(steps) < 200


def test_event_loop_keeps_running_during_a_long_job(qtbot):
    """The job waits until the GUI thread has handled ten timer events: it can only
    finish if the event loop runs while the job runs (no wall-time assertion)."""
    import threading

    runner = JobRunner()
    ticks: list[int] = []
    ten_ticks = threading.Event()
    timer = QTimer(interval=20)

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 10:
            ten_ticks.set()

    timer.timeout.connect(tick)
    timer.start()
    started = threading.Event()

    def long_job(*, progress, cancelled):
        started.set()
        assert ten_ticks.wait(30), "the GUI thread stopped handling events"
        return "ok"

    with qtbot.waitSignal(runner.finished, timeout=40_000) as finished:
        runner.start(long_job)
    timer.stop()
    assert started.is_set() and finished.args == ["ok"]


@pytest.mark.parametrize("exc_name", ["JobCancelledError"])
def test_cancel_exception_counts_as_cancelled(qtbot, exc_name):
    from oncoboard.gui import worker as w

    runner = JobRunner()

    def job(*, progress, cancelled):
        raise getattr(w, exc_name)()

    with qtbot.waitSignal(runner.cancelled, timeout=5000):
        runner.start(job)


def test_gc_guard_collects_on_the_gui_thread(qtbot) -> None:
    import gc

    from PySide6.QtCore import QObject

    from oncoboard.gui.gc_guard import MainThreadGarbageCollector

    parent = QObject()
    guard = MainThreadGarbageCollector(parent, interval_ms=10)
    try:
        assert not gc.isenabled()
        for _ in range(guard.threshold[0] + 50):
            a: list[object] = []
            a.append(a)  # reference cycles for the collector
        qtbot.waitUntil(lambda: gc.get_count()[0] < guard.threshold[0], timeout=2000)
    finally:
        guard.stop()
    assert gc.isenabled()
