"""Variant import dialog with real example files (issue 16, item 3): rows without a
protein change skipped and listed, one tumor sample of a cohort MAF, banners that
never grow the window beyond a 1366x768 screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.case import parse_case
from oncoboard.gui.variant_import_dialog import VariantImportDialog

EXAMPLES = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "examples" / "maftools"
)
SCREEN_HEIGHT = 768
LONG_ERROR = "\n".join(
    f"  - samples[0].alterations[{i}].protein: not readable" for i in range(62)
)


@pytest.fixture
def dialog(qtbot):
    def make(path: Path) -> VariantImportDialog:
        d = VariantImportDialog("T1", path)
        qtbot.addWidget(d)
        d.show()
        return d

    return make


def _labels(dialog: VariantImportDialog) -> list[str]:
    table = dialog.result_table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_rows_without_a_protein_change_are_skipped_and_listed(qtbot, dialog):
    d = dialog(EXAMPLES / "brca.maf.gz")
    assert d.read_button.isEnabled()  # one tumor sample: nothing to choose
    with qtbot.waitSignal(d.jobs.idle, timeout=60_000):
        d.read()
    skipped = d.case_ready.skipped
    assert len(skipped) > 0
    assert not any("protein change not given" in label for label in _labels(d))
    assert f"{len(skipped)} mutation(s) skipped" in d.summary.text()
    assert (
        d.skipped_button.isVisibleTo(d) and str(len(skipped)) in d.skipped_button.text()
    )
    listing = d.show_skipped()
    qtbot.addWidget(listing)
    from PySide6.QtWidgets import QTableWidget

    table = listing.findChild(QTableWidget)
    assert table.rowCount() == len(skipped)
    assert "brca.maf.gz:line" in table.item(0, 1).text()
    # what may be added is valid case data, and nothing without a protein change
    alts = d.alterations()
    assert len(alts) == len(_labels(d))
    assert d.add_button.isEnabled() is bool(alts)
    parse_case(
        {
            "schema": "oncoboard.case/1",
            "case_id": "X",
            "tumor": {"oncotree_code": "BRCA"},
            "samples": [{"id": "T1", "specimen": "tissue", "alterations": alts}],
        }
    )


def test_a_cohort_maf_needs_one_tumor_sample(qtbot, dialog):
    d = dialog(EXAMPLES / "tcga_laml.maf.gz")
    box = d.tumor_sample
    assert box.currentData() is None and "choose the tumor sample" in box.currentText()
    assert not any("all" in box.itemText(i).lower() for i in range(box.count()))
    assert box.count() == len(d.samples.names) + 1 > 100
    assert not d.read_button.isEnabled()
    d.read()  # refused with the reason, no job started
    assert not d.jobs.busy
    assert "Choose the one that belongs to this case" in d.banner.label.text()
    box.setCurrentIndex(box.findData("TCGA-AB-2802"))
    assert d.read_button.isEnabled()
    with qtbot.waitSignal(d.jobs.idle, timeout=60_000):
        d.read()
    assert "tumor sample TCGA-AB-2802" in d.summary.text()
    assert 0 < len(d.result.alterations) < 50  # one patient, not 1,700 from the cohort
    assert {a.sample for a in d.result.alterations} == {"T1"}


def test_a_long_error_scrolls_and_the_dialog_fits_the_screen(qtbot, dialog):
    d = dialog(EXAMPLES / "brca.maf.gz")
    d.banner.show_message(LONG_ERROR, "error")
    qtbot.waitUntil(lambda: d.banner.isVisible())
    qtbot.wait(20)
    assert d.minimumSizeHint().height() <= SCREEN_HEIGHT
    assert d.frameGeometry().height() <= SCREEN_HEIGHT
    assert d.banner.height() < 250
    assert d.banner.scroll.verticalScrollBar().maximum() > 0  # the rest scrolls


def test_a_long_error_never_grows_the_main_window(qtbot, window):
    window.resize(1366, 740)
    window.results.banner.show_message(LONG_ERROR, "error")
    window.tabs.setCurrentWidget(window.results)
    qtbot.wait(20)
    assert window.minimumSizeHint().height() <= SCREEN_HEIGHT
    assert window.frameGeometry().height() <= SCREEN_HEIGHT
