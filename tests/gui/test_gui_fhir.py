"""Issue 21 in the GUI: "Export FHIR" on the report screen and the case list's import of
a lab's FHIR genomics report (the core's one import path), asking for the tumor type."""

from __future__ import annotations

import json
from pathlib import Path

from oncoboard.gui.case_list import CaseListScreen
from oncoboard.gui.report_screen import ReportScreen

REPO = Path(__file__).resolve().parents[2]
IG_BUNDLE = (
    REPO.parent
    / "shared/data/examples/fhir_genomics_reporting/oncology-report-example.json"
)


def test_export_fhir_writes_a_bundle_with_the_pdf(
    qtbot, service, example_case, monkeypatch, tmp_path
):
    screen = ReportScreen(service)
    qtbot.addWidget(screen)
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    out = tmp_path / "report.json"
    monkeypatch.setattr(
        "oncoboard.gui.fhir_export.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(out), ""),
    )
    screen.export_fhir()
    with qtbot.waitSignal(screen.fhir.jobs.idle, timeout=120_000):
        pass
    bundle = json.loads(out.read_text())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert bundle["resourceType"] == "Bundle" and "DiagnosticReport" in kinds
    report = next(e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "DiagnosticReport")  # fmt: skip
    assert report["presentedForm"][0]["contentType"] == "application/pdf"
    assert f"Saved {out}" in screen.banner.label.text()


def test_importing_a_lab_fhir_report_asks_the_tumor_type(qtbot, service, monkeypatch):
    screen = CaseListScreen(service)
    qtbot.addWidget(screen)
    asked = []
    monkeypatch.setattr(screen, "ask_tumor", lambda: asked.append(1) or "STAD")
    with qtbot.waitSignal(screen.jobs.idle, timeout=30_000):
        screen.import_files([IG_BUNDLE])
    assert asked == [1]
    stored = service.get("42867").case
    assert stored.tumor.oncotree_code == "STAD" and stored.samples[0].alterations
    text = screen.banner.label.text()
    assert (
        "Imported 1 case(s): 42867" in text and "Not imported: 1 Organization" in text
    )
