"""The case database: CRUD, optimistic conflicts, soft delete, audit, lossless round trip."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoboard.core.case import case_to_json, load_case, parse_case
from oncoboard.core.db import CaseStore
from oncoboard.core.db.audit import verify_chain
from oncoboard.core.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    UserInputError,
)
from shared_paths import SPEC_EXAMPLES


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    s = CaseStore(tmp_path / "cases.sqlite")
    yield s
    s.close()


def _case(case_id: str = "C1", code: str = "LUAD", **extra: object):
    return parse_case(
        {
            "schema": "oncoboard.case/1",
            "case_id": case_id,
            "tumor": {"oncotree_code": code},
            **extra,
        }
    )


def test_database_defaults_to_oncoboard_home(isolated_home: Path) -> None:
    with CaseStore() as s:
        assert s.path == isolated_home / "cases.sqlite"
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_import_all_spec_examples_and_export_them_unchanged(
    store: CaseStore, tmp_path: Path
) -> None:
    for path in sorted(SPEC_EXAMPLES.glob("*.json")):
        stored = store.import_file(path)
        out = tmp_path / f"out-{path.name}"
        store.export_file(stored.case_id, out)
        assert load_case(path) == parse_case(out.read_text())
    assert len(store.list()) == 4


def test_update_needs_the_current_version(store: CaseStore) -> None:
    first = store.create(_case())
    second = store.update("C1", _case(code="NSCLC"), based_on=first.version)
    assert second.version == 2 and second.case.tumor.oncotree_code == "NSCLC"
    with pytest.raises(ConflictError, match="based on version 1, but version 2"):
        store.update("C1", _case(code="BRCA"), based_on=1)
    assert store.get("C1").case.tumor.oncotree_code == "NSCLC"  # newer work kept


def test_two_stores_on_one_file_conflict_instead_of_overwriting(tmp_path: Path) -> None:
    a, b = CaseStore(tmp_path / "x.sqlite"), CaseStore(tmp_path / "x.sqlite")
    base = a.create(_case())
    a.update("C1", _case(code="NSCLC"), based_on=base.version)
    with pytest.raises(ConflictError):
        b.update("C1", _case(code="BRCA"), based_on=base.version)
    assert b.get("C1").case.tumor.oncotree_code == "NSCLC"


def test_duplicate_case_id_is_refused(store: CaseStore) -> None:
    store.create(_case())
    with pytest.raises(UserInputError, match="already exists"):
        store.create(_case())


def test_create_many_is_all_or_nothing(store: CaseStore) -> None:
    store.create(_case("C2"))
    with pytest.raises(UserInputError):
        store.create_many([_case("C1"), _case("C2")])
    assert [c.case_id for c in store.list()] == ["C2"]


def test_soft_delete_and_restore(store: CaseStore) -> None:
    store.create(_case())
    store.delete("C1")
    assert store.list() == []
    assert [c.case_id for c in store.list(deleted=True)] == ["C1"]
    with pytest.raises(NotFoundError):
        store.get("C1")
    store.restore("C1")
    assert store.get("C1").version == 3


def test_search_and_filter(store: CaseStore) -> None:
    store.create(
        _case(
            "LUNG-1",
            "LUAD",
            samples=[
                {
                    "id": "T",
                    "specimen": "tissue",
                    "alterations": [
                        {"gene": "EGFR", "kind": "mutation", "protein": "L858R"}
                    ],
                }
            ],
        )
    )
    store.create(
        _case("BREAST-1", "BRCA", patient={"pseudonym": "Mrs 50%_x"}), status="ready"
    )
    assert [c.case_id for c in store.list("egfr")] == ["LUNG-1"]
    assert [c.case_id for c in store.list("brca")] == ["BREAST-1"]
    assert [c.case_id for c in store.list(status="ready")] == ["BREAST-1"]
    assert [c.case_id for c in store.list("50%_")] == ["BREAST-1"]
    assert store.list("50%_q") == []  # % and _ are literal, not wildcards
    assert [c.case_id for c in store.list(sort="case_id")] == ["BREAST-1", "LUNG-1"]


def test_every_change_is_audited_in_a_verifiable_chain(store: CaseStore) -> None:
    created = store.create(_case())
    store.update("C1", _case(code="NSCLC"), based_on=created.version)
    store.delete("C1")
    rows = store.audit_rows()
    assert [r["action"] for r in rows] == ["create", "update", "delete"]
    assert all(r["os_user"] for r in rows)
    assert (
        rows[1]["content_sha256"]
        == store.get("C1", include_deleted=True).content_sha256
    )
    assert verify_chain(rows) == []


def test_audit_rows_cannot_be_edited_or_deleted(store: CaseStore) -> None:
    store.create(_case())
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET action = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit")


def test_a_failed_write_leaves_no_audit_row(store: CaseStore) -> None:
    store.create(_case())
    with pytest.raises(UserInputError):
        store.create(_case())
    assert len(store.audit_rows()) == 1


def test_verify_chain_detects_tampering(store: CaseStore) -> None:
    store.create(_case())
    store.create(_case("C2"))
    store.create(_case("C3"))
    rows = store.audit_rows()
    edited = [dict(rows[0], action="delete"), *rows[1:]]
    assert "edited" in verify_chain(edited)[0]
    assert verify_chain([rows[0], rows[2]])  # deleted row
    assert verify_chain([rows[1], rows[0], rows[2]])  # reordered


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="tables OncoBoard did not create"):
        CaseStore(path)
    assert path.read_bytes() == before


def test_corrupt_file_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="not an SQLite database"):
        CaseStore(path)


def test_read_only_database_gives_a_clear_error_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.create(_case())
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    store = CaseStore.__new__(CaseStore)
    store.path = path
    import sqlite_utils

    store.db = sqlite_utils.Database(conn)
    with pytest.raises(StorageError, match="not writable"):
        store.create(_case("C2"))
    with CaseStore(path) as s:
        assert [c.case_id for c in s.list()] == ["C1"]


# --- lossless round trip (hypothesis) ---------------------------------------

_text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
_alteration = st.one_of(
    st.fixed_dictionaries(
        {
            "gene": st.sampled_from(["EGFR", "KRAS", "HER2", "TP53"]),
            "kind": st.just("mutation"),
            "protein": st.sampled_from(
                ["L858R", "p.G12C", "p.(Arg273His)", "E746_A750del"]
            ),
        },
        optional={
            "vaf": st.floats(0, 1),
            "depth": st.integers(0, 10_000),
            "cdna": _text,
        },
    ),
    st.fixed_dictionaries(
        {"gene": st.just("ERBB2"), "kind": st.just("amplification")},
        optional={"copy_number": st.floats(0, 100)},
    ),
    st.fixed_dictionaries(
        {"gene": st.just("ALK"), "kind": st.just("fusion")},
        optional={"partner": st.just("EML4")},
    ),
    st.fixed_dictionaries(
        {"gene": st.just("MET"), "kind": st.just("exon_skipping"), "exon": st.just(14)}
    ),
)
_sample = st.fixed_dictionaries(
    {"id": _text, "specimen": st.just("plasma")},
    optional={
        "collected": st.dates().map(str),
        "tumor_fraction": st.floats(0, 1),
        "assay": _text,
        "alterations": st.lists(_alteration, max_size=3),
    },
)
_case_dict = st.fixed_dictionaries(
    {
        "schema": st.just("oncoboard.case/1"),
        "case_id": _text,
        "tumor": st.fixed_dictionaries(
            {"oncotree_code": st.sampled_from(["LUAD", "BRCA", "COADREAD"])},
            optional={
                "stage": _text,
                "setting": st.sampled_from(["metastatic", "early"]),
            },
        ),
    },
    optional={
        "patient": st.fixed_dictionaries(
            {},
            optional={
                "sex": st.sampled_from(["female", "male"]),
                "age": st.integers(0, 120),
                "ecog": st.integers(0, 4),
                "pseudonym": _text,
            },
        ),
        "samples": st.lists(_sample, max_size=2, unique_by=lambda s: s["id"]),
        "prior_therapies": st.lists(
            st.fixed_dictionaries(
                {
                    "drugs": st.lists(
                        st.sampled_from(["erlotinib", "paclitaxel"]), min_size=1
                    )
                },
                optional={
                    "line": st.integers(1, 5),
                    "outcome": st.sampled_from(["progression", "response"]),
                },
            ),
            max_size=2,
        ),
        "biomarkers": st.fixed_dictionaries(
            {},
            optional={
                "tmb": st.floats(0, 200),
                "msi": st.sampled_from(["MSI-H", "MSS"]),
                "pdl1": st.fixed_dictionaries({"tps": st.floats(0, 100)}),
            },
        ),
        "extensions": st.dictionaries(
            _text, st.one_of(st.integers(), _text), max_size=2
        ),
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=_case_dict)
def test_case_file_to_database_to_case_file_is_lossless(
    tmp_path_factory: pytest.TempPathFactory, data: dict
) -> None:
    case = parse_case(data)
    folder = tmp_path_factory.mktemp("rt")
    with CaseStore(folder / "db.sqlite") as s:
        s.create(case)
        s.export_file(case.case_id, folder / "out.json")
        back = parse_case((folder / "out.json").read_text())
    assert back == case
    assert json.loads(case_to_json(back)) == json.loads(case_to_json(case))


def test_scheduled_backup_on_open_and_restore(tmp_path: Path) -> None:
    from oncoboard.core.db.backup import list_backups, restore_backup

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.create(_case())
    assert list_backups(path) == []  # nothing to back up when it was opened empty
    with CaseStore(path) as s:
        s.create(_case("C2"))
    [first] = list_backups(path)
    with CaseStore(path):
        pass
    assert list_backups(path) == [first]  # at most once a day
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(
        StorageError, match="Restore the newest with `oncoboard db restore"
    ):
        CaseStore(path)
    restore_backup(path, first)
    with CaseStore(path) as s:
        assert [c.case_id for c in s.list()] == ["C1"]


def test_variant_files_are_stored_exported_and_analysable(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Nothing is lost: a case's MAF travels with it through the database."""
    from oncoboard.core import api

    source = SPEC_EXAMPLES / "luad-panel-from-maf.json"
    with CaseStore() as store:
        stored = store.import_file(source)
        assert set(store.attachments(stored.case_id)) == {"luad-panel.maf"}
        out = tmp_path / "elsewhere" / "case.json"
        out.parent.mkdir()
        store.export_file(stored.case_id, out)
    assert (out.parent / "luad-panel.maf").read_bytes() == (
        SPEC_EXAMPLES / "luad-panel.maf"
    ).read_bytes()
    assert load_case(out) == load_case(source)
    analysis = api.analyse(
        api.Context.create(), stored.case
    )  # as the GUI does: no case file
    assert {"EGFR T790M", "EGFR L858R", "MET amplification"} <= {
        a.label for a in analysis.match.alterations
    }


def test_import_with_missing_variant_file_stores_nothing(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text(
        json.dumps(
            {
                "schema": "oncoboard.case/1",
                "case_id": "M",
                "tumor": {"oncotree_code": "LUAD"},
                "samples": [
                    {
                        "id": "T",
                        "specimen": "tissue",
                        "variant_files": [{"path": "gone.maf", "format": "maf"}],
                    }
                ],
            }
        )
    )
    with CaseStore(tmp_path / "db.sqlite") as store:
        with pytest.raises(UserInputError, match="file not found"):
            store.import_file(case)
        assert store.list() == []
