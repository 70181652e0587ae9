"""GUI test fixtures: an isolated case database, the miniature test KB, and a
main window that has finished opening its database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ONCOBOARD_SHARED_DATA", REPO.parent / "shared" / "data"))
KB_FIXTURE = REPO / "tests" / "data" / "kb" / "knowledgebase" / "curated"
EXAMPLES = REPO.parent / "shared" / "spec" / "examples"


@pytest.fixture(autouse=True)
def _clean_threads_and_hooks(qapp):  # noqa: ANN001, ANN202
    # As in the app (gui/gc_guard.py): the cyclic collector must not run in a worker
    # thread, where it could destroy widgets of earlier tests and crash Qt.
    import gc

    gc.disable()
    gc.collect()
    yield
    from PySide6.QtCore import QThreadPool

    from oncoboard.gui.errors import uninstall_excepthooks

    QThreadPool.globalInstance().waitForDone(10_000)
    uninstall_excepthooks()
    gc.collect()
    gc.enable()


@pytest.fixture
def service(isolated_home: Path):  # noqa: ANN201
    from oncoboard.gui.services import CaseService

    svc = CaseService(isolated_home / "cases.sqlite")
    yield svc
    svc.close()


@pytest.fixture
def example_case():  # noqa: ANN201
    from oncoboard.core.case import load_case

    return lambda name: load_case(EXAMPLES / name)


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The miniature test KB (tests/data/kb), built once per session."""
    from oncoboard.core.api import build_kb

    out = tmp_path_factory.mktemp("gui-kb") / "kb.sqlite"
    build_kb(KB_FIXTURE, SHARED, out)
    return out


@pytest.fixture
def kb(built_kb: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the test KB (a changed ONCOBOARD_KB gives the GUI session a
    new context, so no KB opened by an earlier test is used)."""
    monkeypatch.setenv("ONCOBOARD_KB", str(built_kb))
    return built_kb


@pytest.fixture
def window(qtbot, isolated_home: Path):  # noqa: ANN001, ANN201
    from oncoboard.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.startup.busy, timeout=20_000)
    yield win
    win.shutdown()
