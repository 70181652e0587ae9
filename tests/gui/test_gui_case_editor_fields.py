"""Case editor (issue 14 item 2, issue 16): the board question, each sample's
tested scope and the RAS status can be entered and are kept; an unknown OncoTree
code is refused at save with the nearest codes; VAFs are shown and typed as
percent with one decimal."""

from __future__ import annotations

import pytest

from oncoboard.gui.alteration_dialog import AlterationDialog
from oncoboard.gui.case_editor import CaseEditor
from oncoboard.gui.tested_scope import ScopeError, exons_text, parse_exons


@pytest.fixture
def editor(qtbot, service, example_case):
    service.create(example_case("crc-plasma-serial.json"))
    widget = CaseEditor(service)
    qtbot.addWidget(widget)
    widget.resize(1366, 740)
    widget.show()
    assert widget.open_case("EX-CRC-003")
    return widget


def test_exon_lists_read_and_write_ranges():
    assert parse_exons("KRAS 2-4; nras: 2,3,4") == {
        "KRAS": [2, 3, 4],
        "NRAS": [2, 3, 4],
    }
    assert parse_exons("") == {}
    assert exons_text({"KRAS": [2, 3, 4], "BRAF": [11, 15]}) == "KRAS 2-4; BRAF 11,15"
    for bad in ("KRAS", "KRAS two", "KRAS 4-2", "KRAS 0"):
        with pytest.raises(ScopeError):
            parse_exons(bad)


def test_board_question_tested_scope_and_ras_are_saved(editor, service):
    editor.tabs.setCurrentIndex(0)
    editor.question.text.setPlainText(
        "Anti-EGFR rechallenge or trifluridine/tipiracil?"
    )
    editor.tabs.setCurrentIndex(1)
    editor.samples.samples.selectRow(0)
    editor.samples.scope.genes.setText("braf, kras nras")
    editor.samples.scope.exons.setText("KRAS 2-4; NRAS 2-4")
    editor.biomarkers.ras.setCurrentIndex(editor.biomarkers.ras.findData("wild-type"))
    assert editor.save() is True
    case = service.get("EX-CRC-003").case
    assert case.board_question == "Anti-EGFR rechallenge or trifluridine/tipiracil?"
    first = case.samples[0]
    assert first.tested is not None
    assert first.tested.genes == ["BRAF", "KRAS", "NRAS"]
    assert first.tested.exons == {"KRAS": [2, 3, 4], "NRAS": [2, 3, 4]}
    assert first.tested.covers("KRAS", (2, 3, 4))
    assert case.biomarkers.ras == "wild-type"
    # reopening shows what was stored; another sample has its own (empty) scope
    editor.open_case("EX-CRC-003")
    editor.samples.samples.selectRow(0)
    assert editor.samples.scope.exons.text() == "KRAS 2-4; NRAS 2-4"
    assert editor.question.text.toPlainText().startswith("Anti-EGFR")
    if editor.samples.samples.rowCount() > 1:
        editor.samples.samples.selectRow(1)
        assert editor.samples.scope.genes.text() == ""


def test_an_unreadable_exon_list_is_not_saved_and_says_how(editor, service):
    editor.tabs.setCurrentIndex(1)
    editor.samples.samples.selectRow(0)
    editor.samples.scope.exons.setText("KRAS two to four")
    assert editor.valid_case is None
    assert editor.save() is False
    assert "tested exons" in editor.samples.errors.text()
    assert "KRAS 2-4" in editor.samples.errors.text()
    assert "dictionary" not in editor.samples.errors.text()
    assert editor.samples.scope.exons.property("invalid") is True
    editor.samples.scope.exons.setText("KRAS 2-4")
    assert editor.save() is True


def test_a_case_file_keeps_what_it_says(qtbot, service, example_case):
    """Loading and saving in the editor drops nothing the file recorded."""
    from oncoboard.core.case import parse_case
    from oncoboard.core.case.io import case_to_dict

    data = case_to_dict(example_case("crc-plasma-serial.json"))
    data["samples"][0]["tested"] = {
        "genes": ["KRAS", "NRAS"],
        "exons": {"KRAS": [2, 3, 4]},
    }
    data["board_question"] = "Which line next?"
    data["biomarkers"]["ras"] = "mutant"
    case = parse_case(data, source="test")
    first = case.samples[0]
    service.create(case)
    editor = CaseEditor(service)
    qtbot.addWidget(editor)
    assert editor.open_case(case.case_id)
    editor.patient.stage.setText("IV")  # an unrelated edit
    assert editor.save() is True
    stored = service.get(case.case_id).case
    assert stored.samples[0].tested == first.tested
    assert stored.board_question == "Which line next?"
    assert stored.biomarkers.ras == "mutant"


def test_save_refuses_an_unknown_oncotree_code_naming_the_nearest(editor, service):
    editor.patient.oncotree.set_code("LAUD")
    assert editor.valid_case is None
    assert editor.save() is False
    message = editor.banner.label.text()
    assert "'LAUD' is not an OncoTree code" in message and "LUAD" in message
    assert "nearest" in editor.patient.oncotree.name.text()
    assert service.get("EX-CRC-003").case.tumor.oncotree_code != "LAUD"
    editor.patient.oncotree.set_code("COAD")
    assert editor.save() is True


def test_vaf_is_shown_and_typed_as_percent(qtbot, editor):
    editor.tabs.setCurrentIndex(1)
    editor.samples.samples.selectRow(0)
    editor.samples.add_alterations(
        [{"gene": "KRAS", "kind": "mutation", "protein": "G12D", "vaf": 0.310344827}]
    )
    table = editor.samples.alts
    row = table.rowCount() - 1
    assert table.item(row, 2).text() == "31.0%"
    dialog = AlterationDialog(editor.samples._alterations[0][row])
    qtbot.addWidget(dialog)
    assert dialog.edits["vaf"].text() == "31.0"
    assert dialog.value()["vaf"] == 0.310344827  # unchanged: the exact stored value
    dialog.edits["vaf"].setText("12.5")
    assert dialog.value()["vaf"] == 0.125
