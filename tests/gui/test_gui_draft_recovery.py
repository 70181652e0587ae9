"""Edits that cannot be saved yet survive a crash, and are never dropped silently."""

from __future__ import annotations

import json

import pytest

from oncoboard.gui.case_editor import CaseEditor
from oncoboard.gui.draft_recovery import DraftJournal
from oncoboard.gui.main_window import EDITOR, MainWindow


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    # A modal box would block the offscreen test run; any unplanned one is a failure.
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def editor(qtbot, service, example_case):
    service.create(example_case("breast-her2-low-after-chemo.json"))
    widget = CaseEditor(service)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.open_case("EX-BRCA-002")
    return widget


def _journal(service) -> DraftJournal:
    return DraftJournal(service.unsaved_edits_file)


def test_invalid_edits_are_journaled_and_cleared_once_saved(qtbot, editor, service):
    editor.patient.age.setText("abc")  # invalid: cannot be saved
    qtbot.waitUntil(lambda: service.unsaved_edits_file.exists(), timeout=3000)
    edits = _journal(service).read()
    assert edits is not None
    assert edits.case_id == "EX-BRCA-002" and edits.version == 1
    assert edits.data["patient"]["age"] == "abc"  # kept as typed, not coerced
    editor.patient.age.setText("52")
    assert editor.save() is True
    assert not service.unsaved_edits_file.exists()


def test_edits_left_by_a_crash_are_offered_and_restored(
    qtbot, isolated_home, example_case, monkeypatch
):
    first = MainWindow()
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: not first.startup.busy, timeout=20_000)
    first.service.create(example_case("breast-her2-low-after-chemo.json"))
    first.open_case("EX-BRCA-002")
    first.editor.patient.stage.setText("IV (liver)")
    first.editor.patient.age.setText("fifty")
    qtbot.waitUntil(lambda: first.service.unsaved_edits_file.exists(), timeout=3000)
    first.shutdown()  # the process dies here: no close event, nothing saved
    first.editor.dirty = False  # so the widget's teardown does not ask

    asked: list[str] = []

    def answer_yes(self, title: str, saved_at: str) -> bool:
        asked.append(title)
        return True

    monkeypatch.setattr(MainWindow, "ask_restore", answer_yes)
    second = MainWindow()
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: not second.startup.busy, timeout=20_000)
    qtbot.waitUntil(lambda: asked == ["case EX-BRCA-002"], timeout=5000)
    editor = second.editor
    assert second.tabs.currentIndex() == EDITOR
    assert editor.patient.stage.text() == "IV (liver)"
    assert editor.patient.age.text() == "fifty"
    assert editor.has_unsaved_work() and "Not saved" in editor.state.text()
    assert "Restored unsaved edits" in editor.banner.label.text()
    editor.patient.age.setText("51")
    assert editor.save() is True
    assert second.service.get("EX-BRCA-002").case.tumor.stage == "IV (liver)"
    assert not second.service.unsaved_edits_file.exists()
    second.shutdown()


def test_declining_the_restore_removes_the_journal(qtbot, isolated_home, monkeypatch):
    from oncoboard.gui.services import CaseService

    journal = DraftJournal(CaseService().unsaved_edits_file)
    journal.path.parent.mkdir(parents=True, exist_ok=True)
    journal.path.write_text(
        json.dumps(
            {
                "schema": "oncoboard.unsaved-edits/1",
                "saved_at": "2026-11-22 09:00:00",
                "case_id": None,
                "version": 0,
                "status": "draft",
                "data": {"schema": "oncoboard.case/1", "case_id": "NEW-1"},
            }
        )
    )
    monkeypatch.setattr(MainWindow, "ask_restore", lambda self, title, at: False)
    win = MainWindow()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.startup.busy, timeout=20_000)
    qtbot.waitUntil(lambda: not journal.path.exists(), timeout=5000)
    assert not win.editor.has_unsaved_work()
    win.shutdown()


def test_an_unreadable_journal_is_ignored(tmp_path):
    path = tmp_path / "unsaved-edits.json"
    path.write_text("{not json")
    assert DraftJournal(path).read() is None
    path.write_text(json.dumps({"schema": "something-else/1", "data": {}}))
    assert DraftJournal(path).read() is None


def test_switching_case_asks_before_dropping_unsaveable_edits(
    qtbot, editor, service, example_case, monkeypatch
):
    service.create(example_case("luad-egfr-exon19-tissue.json"))
    editor.patient.age.setText("abc")
    monkeypatch.setattr(CaseEditor, "confirm_discard", lambda self: False)
    assert editor.open_case("EX-LUAD-001") is False  # the user chose to stay
    assert editor.case_id == "EX-BRCA-002" and editor.patient.age.text() == "abc"
    assert editor.new_case() is False
    monkeypatch.setattr(CaseEditor, "confirm_discard", lambda self: True)
    assert editor.open_case("EX-LUAD-001") is True
    assert editor.case_id == "EX-LUAD-001" and not editor.has_unsaved_work()
    assert not service.unsaved_edits_file.exists()
