"""End to end through the GUI: create a case, import a MAF, run the analysis,
export the PDF."""

from __future__ import annotations

from pathlib import Path

from oncoboard.gui.report_screen import renderers

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples"


def test_create_case_import_maf_analyse_export_pdf(
    qtbot, window, kb, tmp_path, monkeypatch
):
    # 1. create a case in the editor
    window.actions["new"].trigger()
    editor = window.editor
    editor.case_id_edit.setText("E2E-1")
    editor.patient.oncotree.set_code("LUAD")
    editor.patient.age.setText("64")
    editor.tabs.setCurrentWidget(editor.samples)
    editor.samples.b["add_sample"].click()
    assert editor.save()
    assert window.service.get("E2E-1").version == 1

    # 2. import the MAF into the sample, through the preview dialog
    dialog = editor.import_variants(
        editor.samples.current_sample_id(), EXAMPLES / "luad-panel.maf"
    )
    assert dialog is not None and dialog.preview.rowCount() > 0
    with qtbot.waitSignal(dialog.jobs.idle, timeout=30_000):
        dialog.read()
    dialog.add_button.click()
    assert any(
        a.get("protein") == "L858R" or a.get("protein") == "p.L858R"
        for a in editor.samples._alterations[0]
    )
    assert editor.save()
    stored = window.service.get("E2E-1").case
    assert {a.gene for a in stored.samples[0].alterations} >= {"EGFR", "TP53"}

    # 3. run the analysis (F5)
    with qtbot.waitSignal(window.results.analysis_ready, timeout=60_000):
        window.actions["analyse"].trigger()
    options = window.results.analysis.match.options
    assert options and any("EGFR L858R" in o.matched for o in options)

    # 4. export the PDF, rendered by the same code as the preview
    one, _ = renderers()
    assert one is not None
    out = tmp_path / "E2E-1.pdf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(out), "PDF (*.pdf)"),
    )
    window.actions["export_pdf"].trigger()
    qtbot.waitUntil(out.exists, timeout=60_000)
    assert out.read_bytes().startswith(b"%PDF")
