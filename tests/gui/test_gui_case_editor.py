"""Case editor: inline validation, autosave, conflicts, HER2, OncoTree picker,
alteration dialog and variant import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from oncoboard.core.db.store import CaseStore
from oncoboard.gui import settings
from oncoboard.gui.alteration_dialog import AlterationDialog
from oncoboard.gui.case_editor import CaseEditor
from oncoboard.gui.conflict_dialog import ConflictDialog, Resolution
from oncoboard.gui.variant_import_dialog import VariantImportDialog

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples"


@pytest.fixture
def editor(qtbot, service, example_case):
    service.create(example_case("breast-her2-low-after-chemo.json"))
    widget = CaseEditor(service)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    assert widget.open_case("EX-BRCA-002")
    return widget


def test_opens_a_case_into_every_section(editor):
    assert editor.case_id_edit.text() == "EX-BRCA-002"
    assert editor.patient.age.text() == "51"
    assert editor.patient.oncotree.code() == "IDC"
    assert "Invasive Ductal Carcinoma" in editor.patient.oncotree.name.text()
    assert editor.therapies.table.rowCount() == 2
    assert editor.samples.samples.rowCount() == 1
    assert editor.biomarkers.er.currentData() == "positive"
    assert editor.state.text().startswith("✓ Saved")


def test_invalid_input_is_marked_inline_and_not_saved(editor, service):
    editor.patient.age.setText("abc")
    assert editor.valid_case is None
    assert editor.patient.age.property("invalid") is True
    assert "Age" in editor.errors.text()
    assert "Not saved" in editor.state.text()
    assert editor.save() is False
    assert service.get("EX-BRCA-002").version == 1
    editor.patient.age.setText("52")
    assert editor.patient.age.property("invalid") is False
    assert editor.save() is True
    assert service.get("EX-BRCA-002").case.patient.age == 52


def test_drafts_autosave(qtbot, editor, service):
    settings.put("ui/autosave_seconds", 1)
    editor.patient.stage.setText("IV (bone)")
    assert "Unsaved" in editor.state.text()
    qtbot.waitUntil(lambda: service.get("EX-BRCA-002").version == 2, timeout=4000)
    assert service.get("EX-BRCA-002").case.tumor.stage == "IV (bone)"
    assert editor.state.text() == "✓ Saved — version 2"


def _edit_elsewhere(service) -> None:
    other = CaseStore(service.store.path)  # a second program on the same database
    stored = other.get("EX-BRCA-002")
    changed = stored.case.model_copy(
        update={"patient": stored.case.patient.model_copy(update={"ecog": 2})}
    )
    other.update("EX-BRCA-002", changed, based_on=stored.version)
    other.close()


@pytest.mark.parametrize("choice", list(Resolution))
def test_a_conflict_is_shown_and_resolved_by_the_user(
    editor, service, monkeypatch, choice
):
    _edit_elsewhere(service)
    shown: list[ConflictDialog] = []

    def fake_exec(dialog):
        shown.append(dialog)
        dialog.choose(choice)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", fake_exec)
    editor.patient.stage.setText("IV (my edit)")
    assert editor.save() is True
    assert shown and "ecog" in shown[0].diff.toPlainText()
    stored = service.get("EX-BRCA-002")
    if choice is Resolution.KEEP_MINE:
        assert stored.case.tumor.stage == "IV (my edit)" and stored.version == 3
    elif choice is Resolution.TAKE_THEIRS:
        assert (
            stored.case.patient.ecog == 2 and stored.case.tumor.stage != "IV (my edit)"
        )
        assert editor.patient.ecog.currentData() == "2"
    else:
        assert stored.case.patient.ecog == 2  # theirs untouched
        copy = service.get("EX-BRCA-002 (my edits)")
        assert copy.case.tumor.stage == "IV (my edit)"


def test_deciding_later_keeps_the_edits_unsaved(editor, service, monkeypatch):
    _edit_elsewhere(service)
    monkeypatch.setattr(ConflictDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    editor.patient.stage.setText("IV (mine)")
    assert editor.save() is False
    assert editor.has_unsaved_work()
    assert editor.patient.stage.text() == "IV (mine)"
    assert service.get("EX-BRCA-002").case.tumor.stage != "IV (mine)"
    assert "changed elsewhere" in editor.banner.label.text()


def test_her2_status_is_derived_live_with_the_rule(editor):
    assert "HER2-low" in editor.her2.status.text()
    assert "Rule applied" in editor.her2.status.text()
    editor.her2.ihc.setCurrentIndex(editor.her2.ihc.findData("3+"))
    assert "HER2-positive" in editor.her2.status.text()


def test_ihc0_staining_only_for_ihc_0(editor):
    editor.her2.ihc.setCurrentIndex(editor.her2.ihc.findData("2+"))
    assert not editor.her2.staining.isEnabled()
    editor.her2.ihc.setCurrentIndex(editor.her2.ihc.findData("0"))
    assert editor.her2.staining.isEnabled()


def test_oncotree_picker_searches_names_and_codes(editor):
    picker = editor.patient.oncotree
    picker.edit.clear()
    picker._search("lung adeno")
    hits = picker.matches.stringList()
    assert any(h.startswith("LUAD — ") for h in hits)
    picker._search("LUAD")
    assert picker.matches.stringList()[0].startswith("LUAD — ")
    picker._picked("LUAD — Lung Adenocarcinoma")
    assert picker.code() == "LUAD"
    picker.set_code("NOTACODE")
    assert "not an oncotree code" in picker.name.text().lower()


def test_new_case_saves_once_valid(qtbot, service):
    editor = CaseEditor(service)
    qtbot.addWidget(editor)
    editor.new_case()
    assert editor.save() is False  # no id, no tumor yet
    editor.case_id_edit.setText("NEW-1")
    editor.patient.oncotree.set_code("LUAD")
    assert editor.save() is True
    assert service.get("NEW-1").case.tumor.oncotree_code == "LUAD"


def test_alteration_dialog_validates_as_you_type(qtbot):
    dialog = AlterationDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.gene.setText("EGFR")
    dialog.edits["protein"].setText("L858R")
    assert ok.isEnabled()
    dialog.edits["vaf"].setText("125")  # VAF is typed as a percent: 0-100
    assert not ok.isEnabled()
    assert "VAF is a percentage" in dialog.errors.text()
    dialog.edits["vaf"].setText("25")
    assert ok.isEnabled()
    assert dialog.value() == {
        "gene": "EGFR",
        "kind": "mutation",
        "protein": "L858R",
        "vaf": 0.25,
    }
    dialog.kind.setCurrentIndex(dialog.kind.findData("amplification"))
    assert dialog.form.isRowVisible(dialog.edits["copy_number"])
    assert not dialog.form.isRowVisible(dialog.edits["protein"])
    assert dialog.value() == {"gene": "EGFR", "kind": "amplification"}


def test_unknown_gene_gets_a_suggestion(qtbot):
    dialog = AlterationDialog({"gene": "EGFRR", "kind": "amplification"})
    qtbot.addWidget(dialog)
    assert "not a known HGNC symbol" in dialog.gene_note.text()


def test_variant_import_previews_maps_and_adds(qtbot, editor):
    editor.samples.samples.selectRow(0)
    dialog = VariantImportDialog("T1", EXAMPLES / "luad-panel.maf")
    qtbot.addWidget(dialog)
    assert dialog.format.currentText() == "maf"
    assert dialog.preview.rowCount() >= 3
    assert "Hugo_Symbol" in [
        dialog.preview.horizontalHeaderItem(c).text()
        for c in range(dialog.preview.columnCount())
    ]
    with qtbot.waitSignal(dialog.jobs.idle, timeout=20_000):
        dialog.read()
    labels = [
        dialog.result_table.item(r, 0).text()
        for r in range(dialog.result_table.rowCount())
    ]
    assert "EGFR L858R" in labels
    assert dialog.add_button.isEnabled()
    before = len(editor.samples._alterations[0])
    editor.samples.add_alterations(dialog.alterations())
    assert len(editor.samples._alterations[0]) == before + len(labels)
    assert editor.validate() is not None  # imported alterations are valid case data


def test_variant_import_reports_a_bad_file_inline(qtbot, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    dialog = VariantImportDialog("T1", bad)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.jobs.idle, timeout=20_000):
        dialog.read()
    assert dialog.banner.isVisibleTo(dialog)
    assert not dialog.add_button.isEnabled()
