"""A damaged case database (issue 22, items 2 and 3).

Attacks: a 0-byte ``cases.sqlite`` silently became a new empty database ("no
cases", exit 0); bytes edited inside a case's ``content`` were displayed; a
damaged page gave "unexpected DatabaseError ... This is a bug" and ``case
import`` still wrote into the damaged file.  Each must be a clear error (exit 1)
that names the file and the usable backups, and must change nothing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from db_attacks import case, cli, damage_page, edit_bytes, filled
from oncoboard.core.db import CaseStore, backup
from oncoboard.core.errors import StorageError
from shared_paths import SPEC_EXAMPLES


@pytest.fixture
def db(isolated_home: Path) -> Path:
    """The CLI's database with three cases and one checked daily backup."""
    path = isolated_home / "cases.sqlite"
    filled(path, n=3)
    CaseStore(path).close()
    assert len(backup.usable_backups(path)) == 1
    return path


def _refused(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    """The command exits 1 with a clear message naming the file and the usable backup."""
    code, out, err = cli(capsys, *args)
    assert code == 1, (out, err)
    assert str(db) in err and "oncoboard db restore cases-" in err
    assert "This is a bug" not in err and "Traceback" not in err
    assert "no cases" not in out
    return err


# --- an empty, truncated or unreadable file is not a new database --------------


@pytest.mark.parametrize("cut", [0, 100, 4096, "half"])
def test_an_empty_or_truncated_database_is_an_error_that_names_the_backups(
    db: Path, capsys: pytest.CaptureFixture[str], cut: int | str
) -> None:
    size = db.stat().st_size
    os.truncate(db, size // 2 if cut == "half" else int(cut))
    before = db.read_bytes()
    err = _refused(capsys, db, "case", "list")
    assert (
        ("empty (0 bytes)" in err)
        if cut == 0
        else ("truncated" in err or "damaged" in err or "malformed" in err)
    )
    assert db.read_bytes() == before  # nothing written, not replaced by a new database


def test_an_empty_database_without_backups_says_how_to_start_afresh(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cases.sqlite"
    db.write_bytes(b"")
    with pytest.raises(StorageError) as caught:
        CaseStore(db)
    assert "is empty (0 bytes)" in str(
        caught.value
    ) and "No automatic backup was found" in str(caught.value)
    assert "move the empty file away" in str(caught.value)
    assert db.stat().st_size == 0


def test_a_missing_database_with_a_leftover_wal_is_not_recreated(
    tmp_path: Path,
) -> None:
    """Replaying an old WAL into a new file would corrupt it: refuse, keep the WAL."""
    db = tmp_path / "cases.sqlite"
    Path(f"{db}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    with pytest.raises(StorageError, match="missing but its -wal file is still there"):
        CaseStore(db)
    assert not db.exists() and Path(f"{db}-wal").exists()


def test_a_new_database_is_only_ever_a_complete_one(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    with CaseStore(db) as store:
        assert store.list() == []
    assert db.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cases.sqlite",
        "cases.sqlite.anchor.json",
    ]  # no temporary file
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] >= 1


# --- edited bytes inside a case ------------------------------------------------


def test_an_edited_case_is_named_and_not_shown(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(db) as store:
        store.create(case("VICTIM", pseudonym="PATIENT-ALPHA"))
    edit_bytes(db, b"PATIENT-ALPHA", b"PATIENT-OMEGA")

    err = _refused(capsys, db, "case", "show", "VICTIM")
    assert "Case 'VICTIM'" in err and "does not match its checksum" in err
    assert "OMEGA" not in err and "ALPHA" not in err  # the case's data is not echoed
    code, out, _ = cli(capsys, "case", "list")  # the other cases are still reachable
    assert code == 0 and "C0" in out
    assert (
        cli(capsys, "case", "export", "VICTIM", "-o", str(db.parent / "x.json"))[0] == 1
    )
    code, _, err = cli(capsys, "db", "check")
    assert code == 1 and "'VICTIM'" in err and "does not match its checksum" in err


def test_an_edited_case_is_refused_by_the_store_api_too(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    filled(db, n=2)
    conn = sqlite3.connect(
        db
    )  # an edit that bypasses OncoBoard (no trigger guards `cases`)
    conn.execute(
        "UPDATE cases SET content = replace(content, 'LUAD', 'BRCA') WHERE case_id = 'C1'"
    )
    conn.commit()
    conn.close()
    with CaseStore(db) as store:
        assert store.get("C0").case.tumor.oncotree_code == "LUAD"
        with pytest.raises(StorageError, match="Case 'C1' .* is damaged"):
            store.get("C1")


def test_an_edited_variant_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "v.csv").write_text("gene,kind,protein\nEGFR,mutation,L858R\n")
    (folder / "case.json").write_text(
        '{"schema": "oncoboard.case/1", "case_id": "VF", "tumor": {"oncotree_code": "LUAD"},'
        ' "samples": [{"id": "T", "specimen": "tissue", "variant_files": [{"path": "v.csv", "format": "csv"}]}]}'
    )
    db = tmp_path / "cases.sqlite"
    with CaseStore(db) as store:
        store.import_file(folder / "case.json")
    edit_bytes(db, b"L858R\n", b"T790M\n")
    (tmp_path / "out").mkdir()
    with (
        CaseStore(db) as store,
        pytest.raises(StorageError, match="variant file 'v.csv' does not match"),
    ):
        store.export_file("VF", tmp_path / "out" / "case.json")


def test_content_that_is_not_utf8_gives_no_patient_data_in_the_error(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cases.sqlite"
    with CaseStore(db) as store:
        store.create(case("NU", pseudonym="PATIENT-ALPHA"))
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE cases SET content = CAST(content AS BLOB) || x'ff' WHERE case_id = 'NU'"
    )
    conn.commit()
    conn.close()
    with CaseStore(db) as store, pytest.raises(StorageError) as caught:
        store.get("NU")
    assert "PATIENT-ALPHA" not in str(caught.value) and "female" not in str(
        caught.value
    )


# --- a damaged page ------------------------------------------------------------


def test_a_damaged_page_is_a_clear_error_and_import_does_not_write(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_page(db, 3)
    before = db.read_bytes()
    err = _refused(capsys, db, "case", "list")
    assert "damaged" in err or "malformed" in err
    _refused(
        capsys,
        db,
        "case",
        "import",
        str(SPEC_EXAMPLES / "luad-egfr-exon19-tissue.json"),
    )
    assert db.read_bytes() == before
    code, _, err = cli(capsys, "db", "check")
    assert code == 1 and "DAMAGED" in err


def test_damage_found_after_opening_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that goes bad while the program runs (quick_check passed at open)."""
    db = tmp_path / "cases.sqlite"
    filled(db)
    store = CaseStore(db)
    real_query = store.db.query

    def bad_sector(sql: str, params: object = None):  # type: ignore[no-untyped-def]
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(store.db, "query", bad_sector)
    for call in (
        store.list,
        lambda: store.get("C0"),
        lambda: store.update("C0", case("C0"), based_on=1),
    ):
        with pytest.raises(
            StorageError, match=r"is damaged \(database disk image is malformed\)"
        ):
            call()
    monkeypatch.setattr(store.db, "query", real_query)
    store.close()


def test_db_check_on_a_sound_database(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "db", "check")
    assert (
        code == 0
        and f"case database {db}: ok" in out
        and "-scheduled.sqlite: ok" in out
    ), err
