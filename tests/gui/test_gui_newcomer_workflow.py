"""A newcomer's first session (issue 16, Verification), through the main window:
import the demo cases, analyse each, switch between them, import a VCF and a
multi-sample MAF into a new case, export a PDF."""

from __future__ import annotations

from pathlib import Path

from oncoboard.gui.main_window import EDITOR, RESULTS
from oncoboard.gui.report_screen import renderers

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "assets" / "demo"
EXAMPLES = REPO.parent / "shared" / "data" / "examples"
ANNOTATED_VCF = REPO / "tests" / "data" / "profiles" / "test_b38_vep.vcf"


def _analyse(qtbot, window, case_id: str):  # noqa: ANN001, ANN202
    window.open_case(case_id)
    with qtbot.waitSignal(window.results.analysis_ready, timeout=60_000):
        window.actions["analyse"].trigger()
    assert window.tabs.currentIndex() == RESULTS
    qtbot.waitUntil(lambda: not window.results.plot_jobs.busy, timeout=30_000)
    return window.results.analysis


def _import_into_new_case(
    qtbot, window, case_id: str, path: Path, tumor_sample: str | None
):  # noqa: ANN001
    window.actions["new"].trigger()
    editor = window.editor
    editor.case_id_edit.setText(case_id)
    editor.patient.oncotree.set_code("LUAD" if "vcf" in path.name else "AML")
    editor.tabs.setCurrentWidget(editor.samples)
    editor.samples.b["add_sample"].click()
    assert editor.save()
    dialog = editor.import_variants(editor.samples.current_sample_id(), path)
    assert dialog is not None
    box = dialog.tumor_sample
    if tumor_sample is None:  # a single tumor sample, or the file marks it
        assert dialog.read_button.isEnabled()
    else:  # a cohort: no default, the user picks one patient
        assert box.currentData() is None and not dialog.read_button.isEnabled()
        box.setCurrentIndex(box.findData(tumor_sample))
    with qtbot.waitSignal(dialog.jobs.idle, timeout=60_000):
        dialog.read()
    alterations = dialog.alterations()
    assert alterations, dialog.summary.text()
    dialog.add_button.click()
    assert editor.save()
    stored = window.service.get(case_id).case
    assert len(stored.samples[0].alterations) == len(alterations)
    assert all(
        0 <= (a.vaf or 0) <= 1
        for a in stored.samples[0].alterations
        if hasattr(a, "vaf")
    )
    return stored


def _unannotated_vcf_is_explained(qtbot, window, path: Path) -> None:  # noqa: ANN001
    window.editor.tabs.setCurrentWidget(window.editor.samples)
    dialog = window.editor.import_variants(
        window.editor.samples.current_sample_id(), path
    )
    assert dialog is not None
    with qtbot.waitSignal(dialog.jobs.idle, timeout=60_000):
        dialog.read()
    assert "Annotate it with VEP" in dialog.banner.label.text()
    assert dialog.alterations() == [] and not dialog.add_button.isEnabled()
    dialog.reject()


def test_newcomer_session(qtbot, window, kb, tmp_path, monkeypatch):
    # 1. import the demo cases, as File > Import case files does
    files = sorted(DEMO.glob("*.json"))
    with qtbot.waitSignal(window.cases.jobs.idle, timeout=60_000):
        window.cases.import_files(files)
    ids = sorted(s.case_id for s in window.service.list())
    assert ids == ["DEMO-BRCA-02", "DEMO-CRC-03", "DEMO-LUAD-01", "DEMO-MEL-04"]
    assert f"Imported {len(files)} case(s)" in window.cases.banner.label.text()

    # 2. analyse each (DEMO-CRC-03 reads the MAF its case file names)
    analyses = {case_id: _analyse(qtbot, window, case_id) for case_id in ids}
    for case_id, analysis in analyses.items():
        assert analysis.case.case_id == case_id
    luad = analyses["DEMO-LUAD-01"].match  # progressed on erlotinib, T790M
    assert luad.not_recommended and luad.alteration_view
    crc = analyses["DEMO-CRC-03"].case
    assert any(s.variant_files for s in crc.samples)

    # 3. switch between them: each shows its own analysis, in every view
    results = window.results
    for case_id in [*ids, *reversed(ids)]:
        window.open_case(case_id)
        window.tabs.setCurrentIndex(RESULTS)
        assert results.case_id == case_id and results.analysis is analyses[case_id]
        assert case_id in results.title.text()
        match = analyses[case_id].match
        assert results.model.rowCount() == len(match.options)
        assert len(results.not_recommended.rows()) == len(match.not_recommended)
        assert len(results.alterations.rows()) == len(match.alteration_view)
        assert window.report.analysis is analyses[case_id]

    # 4. a VCF (tumor/normal; the file marks the tumor) and a cohort MAF (pick one).
    # The shared example VCFs carry no VEP/SnpEff annotation: the dialog says so
    # and adds nothing; the same vcf2maf example annotated with VEP imports.
    _unannotated_vcf_is_explained(qtbot, window, EXAMPLES / "vcf2maf" / "test_b38.vcf")
    vcf = _import_into_new_case(qtbot, window, "NEW-VCF", ANNOTATED_VCF, None)
    assert {s.id for s in vcf.samples} == {"S1"}
    maf = _import_into_new_case(
        qtbot,
        window,
        "NEW-MAF",
        EXAMPLES / "maftools" / "tcga_laml.maf.gz",
        "TCGA-AB-2802",
    )
    assert 0 < len(maf.samples[0].alterations) < 50  # one patient, not the cohort
    window.tabs.setCurrentIndex(EDITOR)

    # 5. export the PDF of an analysed demo case
    one, _ = renderers()
    assert one is not None, "the report renderer is part of this build"
    window.open_case("DEMO-LUAD-01")
    window.tabs.setCurrentIndex(RESULTS)
    out = tmp_path / "DEMO-LUAD-01.pdf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(out), "PDF (*.pdf)"),
    )
    window.actions["export_pdf"].trigger()
    qtbot.waitUntil(out.exists, timeout=90_000)
    assert out.read_bytes().startswith(b"%PDF")
    assert window.report.analysis is analyses["DEMO-LUAD-01"]
