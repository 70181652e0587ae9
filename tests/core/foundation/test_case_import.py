"""Case import, the one code path of ``oncoboard case import`` and the GUI:
variant files stored with the case, and a way on when a case id exists."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest

from oncoboard.core.api import open_kb
from oncoboard.core.case_import import CaseExistsError, import_case_files
from oncoboard.core.db import CaseStore
from oncoboard.core.errors import UserInputError

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "assets" / "demo"
CRC = "DEMO-CRC-03"
KB = functools.cache(open_kb)


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    s = CaseStore(tmp_path / "cases.sqlite")
    yield s
    s.close()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo folder (case files and the MAF DEMO-CRC-03 names)."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    return folder


def test_imported_cases_keep_the_variant_files_they_name(store, demo, tmp_path):
    from oncoboard.core.profiles import build_profile

    imported = import_case_files(store, sorted(demo.glob("*.json")), kb=KB())
    assert [i.action for i in imported] == ["new"] * 4
    maf = (demo / "demo-03-tissue.maf").read_bytes()
    assert store.attachments(CRC) == {"demo-03-tissue.maf": maf}
    shutil.rmtree(demo)  # the stored case no longer needs its folder
    case_file = store.materialize(CRC, tmp_path / "out")
    profile = build_profile(store.get(CRC).case, case_file)
    assert any(a.label == "KRAS G12C" for a in profile.alterations)


def test_an_existing_id_is_refused_with_the_way_on(store, demo):
    path = demo / "demo-03-crc-kras-g12c.json"
    import_case_files(store, [path], kb=KB())
    with pytest.raises(CaseExistsError) as err:
        import_case_files(store, [demo / "demo-01-luad-egfr-t790m.json", path], kb=KB())
    assert err.value.case_ids == [CRC]
    assert "--existing new-version|copy" in str(err.value)
    assert [s.case_id for s in store.list()] == [
        CRC
    ]  # the new LUAD file was not stored


def test_import_as_a_new_version(store, demo):
    path = demo / "demo-03-crc-kras-g12c.json"
    import_case_files(store, [path], kb=KB())
    data = json.loads(path.read_text())
    data["patient"]["age"] = data["patient"]["age"] + 1
    path.write_text(json.dumps(data))
    [item] = import_case_files(store, [path], kb=KB(), existing="new-version")
    assert item.action == "new version" and item.stored.version == 2
    assert store.get(CRC).case.patient.age == data["patient"]["age"]
    assert "demo-03-tissue.maf" in store.attachments(CRC)


def test_a_new_version_with_other_variant_files_is_refused(store, demo):
    path = demo / "demo-03-crc-kras-g12c.json"
    import_case_files(store, [path], kb=KB())
    (demo / "demo-03-tissue.maf").write_text(
        "Hugo_Symbol\tHGVSp_Short\nBRAF\tp.V600E\n"
    )
    with pytest.raises(UserInputError, match="differs from the one stored"):
        import_case_files(store, [path], kb=KB(), existing="new-version")
    assert store.get(CRC).version == 1


def test_import_as_a_copy_keeps_the_variant_files(store, demo):
    path = demo / "demo-03-crc-kras-g12c.json"
    import_case_files(store, [path], kb=KB())
    [first] = import_case_files(store, [path], kb=KB(), existing="copy")
    [second] = import_case_files(store, [path], kb=KB(), existing="copy")
    assert (first.stored.case_id, second.stored.case_id) == (
        f"{CRC} copy",
        f"{CRC} copy 2",
    )
    assert first.describe() == f"{CRC} copy (a copy of {CRC})"
    for item in (first, second):
        assert item.action == "copy"
        assert store.attachments(item.stored.case_id) == store.attachments(CRC)
    assert store.get(CRC).version == 1


def test_one_id_twice_in_one_import_is_refused(store, demo, tmp_path):
    path = demo / "demo-03-crc-kras-g12c.json"
    twin = demo / "twin.json"
    twin.write_text(path.read_text())
    with pytest.raises(UserInputError, match="also in"):
        import_case_files(store, [path, twin], kb=KB())
    assert store.list() == []


def test_cli_import_offers_and_takes_the_choice(demo, isolated_home, capsys):
    from oncoboard.cli.main import main

    path = str(demo / "demo-03-crc-kras-g12c.json")

    def run(*args: str) -> tuple[int, str, str]:  # as the console script runs
        code = 0
        try:
            main(["case", "import", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run(path)[0] == 0
    code, out, err = run(path)
    assert code == 2 and "--existing new-version|copy" in err
    assert "Traceback" not in out + err
    code, out, err = run("--existing", "copy", path)
    assert code == 0 and f"imported {CRC} copy (a copy of {CRC})" in out, err
    code, out, err = run("--existing", "new-version", path)
    assert code == 0 and f"imported {CRC} as a new version" in out, err
