"""Case editor: HLA alleles and PSMA PET status are entered, kept and checked (issue 17)."""

from __future__ import annotations

import pytest

from oncoboard.gui.biomarkers_form import hla_alleles
from oncoboard.gui.case_editor import CaseEditor


@pytest.fixture
def editor(qtbot, service, example_case):
    service.create(example_case("crc-plasma-serial.json"))
    widget = CaseEditor(service)
    qtbot.addWidget(widget)
    widget.resize(1366, 740)
    widget.show()
    assert widget.open_case("EX-CRC-003")
    return widget


def test_hla_field_reads_commas_semicolons_and_spaces():
    assert hla_alleles("A*02:01, A*24:02; B*57:01  C*07:02") == [
        "A*02:01",
        "A*24:02",
        "B*57:01",
        "C*07:02",
    ]
    assert hla_alleles("  ") is None


def test_hla_and_psma_pet_are_saved_and_shown_again(editor, service):
    bio = editor.biomarkers
    bio.hla.setText("hla-a*02:01, A*24:02")
    bio.psma_pet.setCurrentIndex(bio.psma_pet.findData("positive"))
    assert editor.save() is True
    case = service.get("EX-CRC-003").case
    assert case.biomarkers.hla == ["A*02:01", "A*24:02"]
    assert case.biomarkers.psma_pet == "positive"
    editor.open_case("EX-CRC-003")  # the editor shows the alleles as they were typed
    assert editor.biomarkers.hla.text() == "hla-a*02:01, A*24:02"
    assert editor.biomarkers.psma_pet.currentData() == "positive"
    # clearing the fields removes them from the case
    editor.biomarkers.hla.setText("")
    editor.biomarkers.psma_pet.setCurrentIndex(0)
    assert editor.save() is True
    case = service.get("EX-CRC-003").case
    assert case.biomarkers.hla is None and case.biomarkers.psma_pet is None


def test_a_bad_hla_allele_is_not_saved_and_marks_the_field(editor):
    editor.biomarkers.hla.setText("A*02:01, A0201")
    assert editor.valid_case is None
    assert editor.save() is False
    assert editor.biomarkers.hla.property("invalid") is True
    assert "A0201" in editor.biomarkers.hla.toolTip()
    editor.biomarkers.hla.setText("A*02:01")
    assert editor.save() is True
