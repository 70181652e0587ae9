"""Case list: search, filter, sort, new/duplicate/delete with undo, import, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncoboard.gui.case_list import CaseListModel, CaseListScreen

LUAD_ID = "EX-LUAD-001"


@pytest.fixture
def screen(qtbot, service, example_case):
    service.create(example_case("luad-egfr-exon19-tissue.json"), "ready")
    service.create(example_case("crc-plasma-serial.json"))
    service.create(example_case("breast-her2-low-after-chemo.json"), "discussed")
    widget = CaseListScreen(service)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def ids(screen: CaseListScreen) -> list[str]:
    return [screen.model.summary(r).case_id for r in range(screen.model.rowCount())]


def test_model_passes_qabstractitemmodeltester(qtmodeltester, service, example_case):
    service.create(example_case("crc-plasma-serial.json"))
    model = CaseListModel()
    model.set_rows(service.list())
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)).startswith(
        "COADREAD — "
    )  # OncoTree name shown


def test_search_filter_and_sort(qtbot, screen):
    assert len(ids(screen)) == 3
    screen.search.setText("kras")  # genes are searchable
    qtbot.waitUntil(lambda: ids(screen) == ["EX-CRC-003"])
    screen.search.clear()
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("ready"))
    assert ids(screen) == [LUAD_ID]
    screen.status_filter.setCurrentIndex(0)
    screen.sort.setCurrentIndex(screen.sort.findData("case_id"))
    assert ids(screen) == sorted(ids(screen), key=str.lower)
    screen.search.setText("no such thing")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    assert "No case matches" in screen.empty.text()


def test_delete_then_undo_restores(screen, service):
    screen.table.selectRow(0)
    victim = screen.selected_case_id()
    screen.delete_selected()
    assert victim not in ids(screen)
    assert screen.banner.isVisibleTo(screen) and "bin" in screen.banner.label.text()
    screen.banner.action_clicked.emit()  # the Undo button
    assert victim in ids(screen)
    assert not service.get(victim).deleted_at


def test_duplicate_makes_a_copy_with_a_new_id(screen):
    screen.table.selectRow(0)
    source = screen.selected_case_id()
    screen.duplicate_selected()
    assert f"{source} copy" in ids(screen)
    screen._select(source)
    screen.duplicate_selected()
    assert f"{source} copy 2" in ids(screen)


def test_import_valid_files(qtbot, screen, service, tmp_path):
    data = json.loads(
        Path(__file__)
        .parents[3]
        .joinpath("shared/spec/examples/crc-plasma-serial.json")
        .read_text()
    )
    data["case_id"] = "IMPORTED-1"
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data))
    with qtbot.waitSignal(screen.jobs.idle, timeout=10_000):
        screen.import_files([path])
    assert "IMPORTED-1" in ids(screen)
    assert "Imported 1 case" in screen.banner.label.text()


def test_import_of_a_bad_file_stores_nothing_and_says_where(qtbot, screen, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "schema": "oncoboard.case/1",
                "case_id": "G",
                "tumor": {"oncotree_code": "LUAD"},
            }
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "schema": "oncoboard.case/1",
                "case_id": "B",
                "tumor": {"oncotree_code": "LUAD"},
                "patient": {"age": -3},
            }
        )
    )
    with qtbot.waitSignal(screen.jobs.idle, timeout=10_000):
        screen.import_files([good, bad])
    assert "G" not in ids(screen)
    text = screen.banner.label.text()
    assert "Nothing was imported" in text and "patient.age" in text


def test_export_writes_a_valid_case_file(screen, tmp_path):
    from oncoboard.core.case import load_case

    screen.table.selectRow(0)
    case_id = screen.selected_case_id()
    out = tmp_path / "out.json"
    screen.export_to(case_id, out)
    assert load_case(out).case_id == case_id


def test_buttons_follow_the_selection(screen):
    screen.table.clearSelection()
    assert not screen.buttons["delete"].isEnabled()
    screen.table.selectRow(0)
    assert screen.buttons["delete"].isEnabled()


def test_tab_order_runs_search_filter_sort_table(qtbot, screen):
    screen.show()
    screen.search.setFocus()
    order = []
    widget = screen.search
    for _ in range(3):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & widget.focusPolicy().TabFocus:
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order == [screen.status_filter, screen.sort, screen.table]


DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"


def test_imported_demo_cases_analyse_with_their_variant_files(
    qtbot, kb, service, tmp_path
):
    """Issue 16 item 2: the GUI stores the variant files a case names, as the CLI does."""
    import shutil

    from oncoboard.core import api

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    widget = CaseListScreen(service)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.jobs.idle, timeout=10_000):
        widget.import_files(sorted(folder.glob("*.json")))
    assert "Imported 4 case(s)" in widget.banner.label.text()
    shutil.rmtree(folder)  # the temporary folder of the import is gone
    analysis = api.analyse(api.Context.create(), service.get("DEMO-CRC-03").case)
    assert any(a.label == "KRAS G12C" for a in analysis.profile.alterations)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("new-version", "EX-CRC-003 as a new version"),
        ("copy", "EX-CRC-003 copy"),
        (None, None),
    ],
)
def test_importing_a_stored_id_asks_new_version_or_copy(
    qtbot, screen, service, spec_examples, monkeypatch, choice, expected
):
    asked = []
    monkeypatch.setattr(screen, "ask_existing", lambda ids: asked.append(ids) or choice)
    before = service.get("EX-CRC-003").version
    with qtbot.waitSignal(screen.jobs.idle, timeout=10_000):
        screen.import_files([spec_examples / "crc-plasma-serial.json"])
    assert asked == [["EX-CRC-003"]]
    text = screen.banner.label.text()
    if expected is None:
        assert text == "Nothing was imported."
        assert service.get("EX-CRC-003").version == before
        assert "EX-CRC-003 copy" not in ids(screen)
    else:
        assert f"Imported 1 case(s): {expected}" in text
    if choice == "new-version":
        assert service.get("EX-CRC-003").version == before + 1
    if choice == "copy":
        assert "EX-CRC-003 copy" in ids(screen)
        assert service.get("EX-CRC-003").version == before
