"""Whole-app behaviour: smoke tests, shortcuts, errors, settings storage,
start-up in a subprocess, and the architecture rules."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from oncoboard.gui import errors, settings

GUI = Path(__file__).resolve().parents[2] / "desktop" / "oncoboard" / "gui"


def test_main_window_builds_every_screen_and_closes_cleanly(qtbot, window):
    assert window.tabs.count() == 5
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window
    ]


def test_every_main_action_has_a_unique_shortcut_and_a_menu(window):
    shortcuts = {}
    for key, action in window.actions.items():
        sequence = action.shortcut().toString()
        assert sequence, f"{key} has no shortcut"
        assert sequence not in shortcuts, (
            f"{key} and {shortcuts[sequence]} share {sequence}"
        )
        shortcuts[sequence] = key
        assert action.associatedObjects(), f"{key} is in no menu"


@pytest.mark.parametrize("dialog_name", ["about", "settings"])
def test_dialogs_build_and_close(qtbot, monkeypatch, dialog_name):
    from oncoboard.gui.about_dialog import AboutDialog
    from oncoboard.gui.settings_dialog import SettingsDialog

    dialog = {"about": AboutDialog, "settings": SettingsDialog}[dialog_name]()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close()


def test_about_names_versions_licences_and_data_folder(qtbot, isolated_home):
    from oncoboard.gui.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    texts = [dialog.tabs.widget(i).toPlainText() for i in range(dialog.tabs.count())]
    assert "OncoBoard" in texts[0] and "Qt" in texts[0]
    assert "CC BY 4.0" in texts[1] and "matplotlib" in texts[1]
    assert str(isolated_home) in texts[3]


def test_settings_live_in_the_data_folder_and_hold_no_patient_data(
    window, isolated_home, service, example_case
):
    window.editor.service.create(example_case("crc-plasma-serial.json"))
    window.cases.refresh()
    window.open_case("EX-CRC-003")
    window.close()
    ini = isolated_home / "gui-settings.ini"
    assert ini.is_file()
    text = ini.read_text(errors="replace")
    assert "window" in text
    assert "EX-CRC-003" not in text and "COADREAD" not in text


def test_unknown_preference_keys_are_an_error():
    with pytest.raises(KeyError):
        settings.get("ui/no_such_key")
    settings.put("ui/autosave_seconds", 7)
    assert settings.get("ui/autosave_seconds") == 7


def test_expected_errors_are_classified():
    from oncoboard.core.errors import (
        ConflictError,
        NotFoundError,
        Problem,
        UserInputError,
    )

    assert errors.is_expected(ConflictError("A", 1, 2))
    assert errors.is_expected(NotFoundError("x"))
    assert not errors.is_expected(ZeroDivisionError())
    message = errors.user_message(
        UserInputError("f", [Problem("patient.age", "too old")])
    )
    assert message == "patient.age: too old"


def test_unexpected_errors_from_any_thread_open_one_dialog_with_copy(qtbot, caplog):
    errors.install_excepthooks()
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(errors._open_dialogs), timeout=3000)
    dialog = errors._open_dialogs[-1]
    assert "ZeroDivisionError" in dialog.summary.text()
    assert "Traceback" in dialog.details.toPlainText()
    dialog.copy_button.click()
    assert "ZeroDivisionError" in QApplication.clipboard().text()
    assert "unexpected error" in caplog.text
    dialog.close()


def test_startup_in_a_subprocess(isolated_home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "oncoboard.gui.app", "--quit-after-start"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seconds = float(done.stdout.split("interactive")[1].split()[0])
    assert (
        seconds < 5
    )  # the 1.5 s budget is measured by benchmarks/bench_gui_startup.py


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_screens_never_use_sql_or_sqlite_directly():
    for path in GUI.glob("*.py"):
        text = path.read_text()
        assert "sqlite3" not in _imports(path) and "sqlite_utils" not in _imports(
            path
        ), path
        for word in ("SELECT ", "INSERT ", "UPDATE cases", "DELETE FROM"):
            assert word not in text, f"{path.name} contains SQL ({word.strip()})"


def test_heavy_libraries_are_not_imported_at_module_level():
    heavy = ("matplotlib", "lifelines", "sksurv", "reportlab", "pandas", "sqlite_utils")
    for path in GUI.glob("*.py"):
        tree = ast.parse(path.read_text())
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in top:
            module = (
                node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            )
            assert not (module or "").startswith(heavy), (
                f"{path.name} imports {module} eagerly"
            )


def test_importing_the_gui_does_not_load_heavy_libraries():
    code = (
        "import sys; import oncoboard.gui.main_window; "
        "print(sorted(m for m in ('matplotlib','pandas','lifelines','sksurv','reportlab') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_user_guide_lists_every_shortcut(window):
    guide = (GUI.parents[2] / "docs" / "gui.md").read_text()
    for key, action in window.actions.items():
        sequence = action.shortcut().toString()
        if key.startswith("view_"):
            assert "Ctrl+1 … Ctrl+5" in guide
        else:
            assert f"| {sequence} |" in guide, (
                f"docs/gui.md does not list {key} ({sequence})"
            )
