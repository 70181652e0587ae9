"""Knowledge-base browser and report screen."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from oncoboard.gui.analysis_memory import AnalysisRecord
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


def test_kb_browser_lists_searches_and_cites(qtbot, qtmodeltester, browser):
    assert browser.model.rowCount() == len(browser.kb.entries()) > 0
    qtmodeltester.check(browser.model)
    qtmodeltester.check(browser.proxy)
    browser.search.setText("EGFR")
    qtbot.waitUntil(lambda: "matching “EGFR”" in browser.count.text())
    assert browser.proxy.rowCount() > 0
    total = len(browser.kb.search("EGFR", limit=10**6))
    assert browser.proxy.rowCount() == min(total, 200)
    if total > 200:  # the count never pretends the list is complete
        assert f"Showing 200 of {total} entries" in browser.count.text()
    browser.table.selectRow(0)
    assert "Citations" in browser.detail.toHtml()
    assert (
        "PMID" in browser.detail.toPlainText()
        or "Label" in browser.detail.toPlainText()
    )


def test_kb_browser_says_how_many_matched_when_it_shows_fewer(
    qtbot, browser, monkeypatch
):
    from oncoboard.gui import kb_browser

    monkeypatch.setattr(kb_browser, "SHOWN_MAX", 2)
    total = len(browser.kb.search("EGFR", limit=10**6))
    assert total > 2, "the test KB should have several EGFR entries"
    browser.search.setText("EGFR")
    qtbot.waitUntil(lambda: "matching “EGFR”" in browser.count.text())
    assert browser.proxy.rowCount() == 2
    assert browser.count.text().startswith(
        f"Showing 2 of {total} entries matching “EGFR”"
    )
    assert kb_browser.count_text(5, 5, "") == "5 entries"


def test_kb_browser_shows_version_sources_and_oncotree_attribution(browser):
    about = browser.about.toPlainText()
    assert browser.kb.version in about
    assert "OncoTree" in about and "CC BY 4.0" in about


def test_kb_rollback_without_a_previous_version_is_explained(
    qtbot, browser, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    with qtbot.waitSignal(browser.jobs.idle, timeout=10_000):
        browser.rollback()
    assert browser.banner.isVisibleTo(browser)


def test_report_screen_offers_preview_and_board_pack(qtbot, service, example_case):
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    one, pack = renderers()
    assert one is not None and pack is not None
    assert screen.preview_button.isEnabled() and screen.pack_button.isEnabled()


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


@pytest.mark.skipif(not __import__("shutil").which("pdftoppm"), reason="needs pdftoppm")
def test_preview_shows_the_pages_of_the_exported_bytes(
    qtbot, kb, service, example_case, tmp_path, monkeypatch
):
    """The preview and the export use the same bytes from one render call."""
    from oncoboard.core import api

    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    def render(analysis, options):  # a stand-in renderer: two pages naming the case
        path = tmp_path / "r.pdf"
        pdf = canvas.Canvas(str(path))
        for page in (1, 2):
            pdf.drawString(72, 720, f"{analysis.case.case_id} page {page}")
            pdf.showPage()
        pdf.save()
        return path.read_bytes()

    monkeypatch.setattr("oncoboard.gui.report_screen.renderers", lambda: (render, None))
    case = example_case("luad-egfr-exon19-tissue.json")
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    screen.memory.remember(
        AnalysisRecord(
            api.analyse(api.Context.create(), case),
            None,
            dt.datetime.now().astimezone(),
        )
    )
    screen.set_case(case)
    assert "The analysis shown on the Results screen" in screen.case_label.text()
    assert screen.preview_button.isEnabled()
    with qtbot.waitSignal(screen.jobs.idle, timeout=60_000):
        screen.render_preview()
    assert screen.preview.page_count == 2
    out = tmp_path / "export.pdf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "")
    )
    screen.export()
    assert out.read_bytes() == screen.pdf


def test_installing_a_bad_bundle_is_refused_inline(qtbot, browser, tmp_path):
    bundle = tmp_path / "not-a-bundle.zip"
    bundle.write_bytes(b"this is not a signed bundle")
    with qtbot.waitSignal(browser.jobs.idle, timeout=30_000):
        browser.install(bundle)
    assert browser.banner.isVisibleTo(browser)
    assert browser.kb is not None  # the KB in use is untouched


def test_a_failing_renderer_is_reported_and_nothing_exported(
    qtbot, service, example_case, monkeypatch
):
    from oncoboard.core.errors import StorageError

    def broken(analysis, options):
        raise StorageError("disk full")

    monkeypatch.setattr("oncoboard.gui.report_screen.renderers", lambda: (broken, None))
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    case = example_case("luad-egfr-exon19-tissue.json")

    cached = SimpleNamespace(  # an analysis already made by the Results screen
        case=case, kb_label="test", match=None
    )
    screen.memory.remember(AnalysisRecord(cached, None, dt.datetime.now()))
    screen.set_case(case)
    with qtbot.waitSignal(screen.jobs.idle, timeout=30_000):
        screen.render_preview()
    assert screen.pdf is None
    assert "disk full" in screen.banner.label.text()
    assert "could not be made" in screen.preview.message.text()
