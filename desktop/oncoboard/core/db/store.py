"""The case store: create, update, list, search, soft-delete, restore, import, export.

Every change and its audit row are written in one transaction.  Updates are
optimistic: the caller says which version its edit is based on, and a stale
edit raises :class:`ConflictError` instead of overwriting newer work.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from oncoboard.core import paths
from oncoboard.core.case.io import (
    atomic_write_bytes,
    case_to_json,
    dump_case,
    load_case,
    parse_case,
    resolve_variant_file,
)
from oncoboard.core.case.model import Case
from oncoboard.core.db import backup
from oncoboard.core.db.audit import GENESIS_HASH, audit_row_hash
from oncoboard.core.db.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from oncoboard.core.errors import (
    ConflictError,
    NotFoundError,
    Problem,
    StorageError,
    UserInputError,
)

log = logging.getLogger(__name__)

CaseStatus = Literal["draft", "ready", "discussed"]
CASE_STATUSES: tuple[CaseStatus, ...] = ("draft", "ready", "discussed")
SORT_COLUMNS = {"updated": "updated_at DESC", "created": "created_at DESC", "case_id": "case_id COLLATE NOCASE"}


@dataclass(frozen=True)
class StoredCase:
    pk: int
    case: Case
    version: int
    status: CaseStatus
    created_at: str
    updated_at: str
    deleted_at: str | None
    content_sha256: str

    @property
    def case_id(self) -> str:
        return self.case.case_id


@dataclass(frozen=True)
class CaseSummary:
    pk: int
    case_id: str
    oncotree_code: str
    status: CaseStatus
    version: int
    updated_at: str
    deleted: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _disk_full(folder: Path) -> bool:
    """True if the file system holding ``folder`` has (almost) no space left."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _read_only(folder: Path) -> bool:
    """True if ``folder`` is on a read-only file system or not writable by this user."""
    try:
        statvfs = getattr(os, "statvfs", None)  # not on Windows
        if statvfs is not None and statvfs(folder).f_flag & os.ST_RDONLY:
            return True
        return not os.access(folder, os.W_OK)
    except OSError:
        return False


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container)
        return "unknown"


MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024  # variant files stored with a case


def _read_attachments(case: Case, case_file: Path) -> dict[str, bytes]:
    """The variant files a case file names, keyed by the relative path it uses."""
    out: dict[str, bytes] = {}
    for i, sample in enumerate(case.samples):
        for j, vf in enumerate(sample.variant_files):
            if vf.path in out:
                continue
            where = f"samples[{i}].variant_files[{j}].path"
            absolute = resolve_variant_file(case_file.parent, vf.path, where, case_file)
            size = absolute.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise UserInputError(case_file, [Problem(where, f"variant file is {size:,} bytes; at most "
                                                                f"{MAX_ATTACHMENT_BYTES:,} can be stored with a case")])
            out[vf.path] = absolute.read_bytes()
    return out


def _search_text(case: Case) -> str:
    genes = {a.gene for s in case.samples for a in s.alterations} | {g.gene for g in case.germline}
    parts = [case.case_id, case.tumor.oncotree_code, case.patient.pseudonym or "", *sorted(genes)]
    return " ".join(parts).lower()


class CaseStore:
    """The user's case database.  Open one per process; it is not thread-safe."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.database_file()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the data folder {self.path.parent}: {exc.strerror}.") from None
        self._check_is_ours()
        try:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self._refuse_foreign_tables()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = FULL")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
            self._scheduled_backup()
        except sqlite3.DatabaseError as exc:
            raise StorageError(self._unusable_message(str(exc))) from None

    # --- opening -------------------------------------------------------------
    def _unusable_message(self, detail: str) -> str:
        folder = self.path.parent
        if "full" in detail or ("disk I/O" in detail and _disk_full(folder)):  # a backup would not help
            return (f"The case database {self.path} cannot be opened: the disk is full ({detail}). "
                    "Free some space and try again; nothing saved was changed.")
        if ("unable to open" in detail or "readonly" in detail) and _read_only(folder):
            return (f"The data folder {folder} is read-only, so the case database cannot be opened "
                    f"({detail}). Make the folder writable, or set ONCOBOARD_HOME or "
                    "paths.data_dir to a writable folder; nothing saved was changed.")
        found = backup.list_backups(self.path)
        offer = (
            f" The newest automatic backup is {found[0]}; restore it with "
            f"`oncoboard db restore {found[0].name}`."
            if found
            else " No automatic backup was found."
        )
        return f"The case database {self.path} cannot be used ({detail}).{offer}"

    def _check_is_ours(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb") as handle:
            header = handle.read(100)
        if not header.startswith(b"SQLite format 3\x00"):
            raise StorageError(self._unusable_message("it is not an SQLite database"))
        app_id = int.from_bytes(header[68:72], "big")
        if app_id not in (0, APPLICATION_ID):
            raise StorageError(
                f"{self.path} is an SQLite file of another program (application id {app_id:#x}); "
                "OncoBoard will not touch it. Point ONCOBOARD_HOME or paths.data_dir elsewhere."
            )

    def _refuse_foreign_tables(self) -> None:
        """Before changing anything (even the journal mode), refuse files we did not create."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and self.db.table_names():
            self.db.close()
            raise StorageError(self._unusable_message("it holds tables OncoBoard did not create"))

    def _migrate(self) -> None:
        current = self.db.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer OncoBoard (schema {current}, this version "
                f"knows {SCHEMA_VERSION}). Update OncoBoard; the file was not changed."
            )
        if current == SCHEMA_VERSION:
            return
        if current > 0:
            backup.backup_database(self.db.conn, self.path, reason=f"before-migration-{current}")
        for version in range(current, SCHEMA_VERSION):
            with self.db.atomic():
                for statement in MIGRATIONS[version]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version + 1}")
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        log.info("case database at schema version %d", SCHEMA_VERSION)

    def _scheduled_backup(self) -> None:
        """Back up once a day (on the first open after the interval), if there is anything to keep."""
        if not self.db.execute("SELECT 1 FROM cases LIMIT 1").fetchone():
            return
        newest = backup.list_backups(self.path)
        if newest and backup.age_hours(newest[0]) < backup.SCHEDULE_HOURS:
            return
        try:
            backup.backup_database(self.db.conn, self.path, reason="scheduled")
        except OSError as exc:  # a full disk must not stop the user from working
            log.warning("scheduled backup failed: %s", exc)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------
    def _audit(self, action: str, pk: int | None, version: int | None, sha: str | None) -> None:
        row = self.db.execute("SELECT row_hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS_HASH
        fields = {"at": _now(), "os_user": _os_user(), "action": action, "case_pk": pk,
                  "case_version": version, "content_sha256": sha, "prev_hash": prev}
        fields["row_hash"] = audit_row_hash(fields)
        self.db.table("audit").insert(fields)

    @contextlib.contextmanager
    def _write_guard(self, operation: str) -> Iterator[None]:
        """Turn disk-full / read-only errors into a StorageError; the transaction rolls back."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if any(k in text for k in ("readonly", "full", "disk I/O", "locked")):
                raise StorageError(
                    f"Could not {operation}: the database {self.path} is not writable "
                    f"({text}). Nothing was changed; your edit is still open."
                ) from None
            raise

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

        With a plain deferred ``BEGIN``, two processes saving the same case both
        read version N; the second one's stale read snapshot then fails with
        "database is locked" instead of a :class:`ConflictError`.  Taking the lock
        first makes the second writer wait, read version N+1 and report a conflict.
        """
        if self.db.conn.in_transaction:  # nested (create_many -> create): a savepoint
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def create(
        self, case: Case, status: CaseStatus = "draft", attachments: dict[str, bytes] | None = None
    ) -> StoredCase:
        content = case_to_json(case)
        sha = hashlib.sha256(content.encode()).hexdigest()
        now = _now()
        with self._write_guard("save the case"), self._atomic():
            existing = self.db.execute(
                "SELECT deleted_at FROM cases WHERE case_id = ?", [case.case_id]
            ).fetchone()
            if existing is not None:
                where = " (in the bin; restore it instead)" if existing[0] else ""
                raise UserInputError(
                    None, [Problem("case_id", f"a case {case.case_id!r} already exists{where}")]
                )
            cursor = self.db.execute(
                "INSERT INTO cases (case_id, version, status, oncotree_code, search_text, content, "
                "content_sha256, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                [case.case_id, status, case.tumor.oncotree_code, _search_text(case), content, sha, now, now],
            )
            pk = int(cursor.lastrowid or 0)
            for rel_path, blob in (attachments or {}).items():
                self.db.execute(
                    "INSERT INTO attachments (case_pk, rel_path, content, sha256) VALUES (?, ?, ?, ?)",
                    [pk, rel_path, blob, hashlib.sha256(blob).hexdigest()],
                )
            self._audit("create", pk, 1, sha)
        log.info("created case pk=%s sha256=%s", pk, sha[:12])
        return self.get_by_pk(pk)

    def update(
        self, case_id: str, case: Case, *, based_on: int, status: CaseStatus | None = None
    ) -> StoredCase:
        """Replace a case's content; ``based_on`` is the version the edit started from."""
        content = case_to_json(case)
        sha = hashlib.sha256(content.encode()).hexdigest()
        with self._write_guard("save the case"), self._atomic():
            current = self._row(case_id, include_deleted=True)
            if current["version"] != based_on:
                raise ConflictError(case_id, based_on, current["version"])
            if case.case_id != case_id and self._exists(case.case_id):
                raise UserInputError(None, [Problem("case_id", f"a case {case.case_id!r} already exists")])
            new_version = based_on + 1
            cursor = self.db.execute(
                "UPDATE cases SET case_id=?, version=?, status=?, oncotree_code=?, search_text=?, "
                "content=?, content_sha256=?, updated_at=? WHERE pk=? AND version=?",
                [case.case_id, new_version, status or current["status"], case.tumor.oncotree_code,
                 _search_text(case), content, sha, _now(), current["pk"], based_on],
            )
            if cursor.rowcount != 1:  # another process won the race between read and write
                raise ConflictError(case_id, based_on, self._row(case_id, True)["version"])
            self._audit("update", current["pk"], new_version, sha)
        return self.get_by_pk(current["pk"])

    def set_status(self, case_id: str, status: CaseStatus, *, based_on: int) -> StoredCase:
        stored = self.get(case_id)
        return self.update(case_id, stored.case, based_on=based_on, status=status)

    def delete(self, case_id: str) -> StoredCase:
        """Soft-delete: the case moves to the bin and can be restored."""
        return self._set_deleted(case_id, _now(), "delete")

    def restore(self, case_id: str) -> StoredCase:
        return self._set_deleted(case_id, None, "restore")

    def _set_deleted(self, case_id: str, when: str | None, action: str) -> StoredCase:
        with self._write_guard(f"{action} the case"), self._atomic():
            row = self._row(case_id, include_deleted=True)
            version = row["version"] + 1
            self.db.execute(
                "UPDATE cases SET deleted_at=?, version=?, updated_at=? WHERE pk=?",
                [when, version, _now(), row["pk"]],
            )
            self._audit(action, row["pk"], version, row["content_sha256"])
        return self.get_by_pk(row["pk"])

    # --- reading -------------------------------------------------------------
    def _exists(self, case_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM cases WHERE case_id = ?", [case_id]).fetchone() is not None

    def _row(self, case_id: str, include_deleted: bool = False) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM cases WHERE case_id = ?", [case_id]))
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            raise NotFoundError(f"No case {case_id!r} in {self.path}.")
        return rows[0]

    def _to_stored(self, row: dict[str, Any]) -> StoredCase:
        case = parse_case(row["content"], source=f"{self.path} (case pk {row['pk']})")
        return StoredCase(pk=row["pk"], case=case, version=row["version"], status=row["status"],
                          created_at=row["created_at"], updated_at=row["updated_at"],
                          deleted_at=row["deleted_at"], content_sha256=row["content_sha256"])

    def get(self, case_id: str, *, include_deleted: bool = False) -> StoredCase:
        return self._to_stored(self._row(case_id, include_deleted))

    def get_by_pk(self, pk: int) -> StoredCase:
        rows = list(self.db.query("SELECT * FROM cases WHERE pk = ?", [pk]))
        if not rows:
            raise NotFoundError(f"No case with internal id {pk}.")
        return self._to_stored(rows[0])

    def list(
        self,
        search: str = "",
        *,
        status: CaseStatus | None = None,
        deleted: bool = False,
        sort: str = "updated",
    ) -> builtins.list[CaseSummary]:
        """Cases matching all words of ``search`` (case id, OncoTree code, pseudonym, genes)."""
        where = ["deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"]
        params: list[Any] = []
        for word in search.lower().split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("search_text LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        if status:
            where.append("status = ?")
            params.append(status)
        order = SORT_COLUMNS.get(sort, SORT_COLUMNS["updated"])
        sql = (
            "SELECT pk, case_id, oncotree_code, status, version, updated_at, deleted_at FROM cases "
            f"WHERE {' AND '.join(where)} ORDER BY {order}"
        )
        return [
            CaseSummary(r["pk"], r["case_id"], r["oncotree_code"], r["status"], r["version"],
                        r["updated_at"], r["deleted_at"] is not None)
            for r in self.db.query(sql, params)
        ]

    def audit_rows(self) -> builtins.list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM audit ORDER BY seq"))

    # --- files ---------------------------------------------------------------
    def import_file(self, path: Path, status: CaseStatus = "draft") -> StoredCase:
        """Validate a case file and store it with its variant files; all or nothing."""
        return self.import_files([path], status=status)[0]

    def import_files(self, paths: builtins.list[Path], status: CaseStatus = "draft") -> builtins.list[StoredCase]:
        """Validate every case file (and read its variant files) first, then store all of them
        in one transaction: one bad file stores none."""
        cases = [(load_case(p), Path(p)) for p in paths]
        loaded = [(c, _read_attachments(c, p)) for c, p in cases]
        self._refuse_duplicates([c for c, _ in loaded])
        with self._write_guard("import the cases"), self._atomic():
            pks = [self.create(c, status=status, attachments=a).pk for c, a in loaded]
        return [self.get_by_pk(pk) for pk in pks]

    def attachments(self, case_id: str) -> dict[str, bytes]:
        """The stored variant files of a case, by their path relative to the case file."""
        row = self._row(case_id, include_deleted=True)
        return {r["rel_path"]: r["content"] for r in self.db.query(
            "SELECT rel_path, content FROM attachments WHERE case_pk = ? ORDER BY rel_path", [row["pk"]])}

    def materialize(self, case_id: str, folder: Path) -> Path:
        """Write a stored case and its variant files into ``folder``; return the case file."""
        folder.mkdir(parents=True, exist_ok=True)
        return self.export_file(case_id, folder / "case.json", audit=False)

    def create_many(
        self, cases: builtins.list[Case], status: CaseStatus = "draft"
    ) -> builtins.list[StoredCase]:
        """Store several cases in one transaction: all of them or none."""
        self._refuse_duplicates(cases)
        with self._write_guard("import the cases"), self._atomic():
            pks = [self.create(c, status=status).pk for c in cases]
        return [self.get_by_pk(pk) for pk in pks]

    @staticmethod
    def _refuse_duplicates(cases: builtins.list[Case]) -> None:
        ids = [c.case_id for c in cases]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise UserInputError(None, [Problem("case_id", f"{duplicates} appear more than once")])

    def export_file(self, case_id: str, path: Path, *, audit: bool = True) -> Path:
        """Write the case file, and its stored variant files beside it (same relative paths)."""
        stored = self.get(case_id, include_deleted=True)
        base = Path(path).parent.resolve()
        for rel_path, blob in self.attachments(case_id).items():
            target = (base / rel_path).resolve()
            if not target.is_relative_to(base):  # checked at import; never write outside
                raise StorageError(f"Stored variant file {rel_path!r} would leave {base}.")
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, blob)
        dump_case(stored.case, path)
        if audit:
            with self._atomic():
                self._audit("export", stored.pk, stored.version, stored.content_sha256)
        return path

    def export_json(self, case_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(case_to_json(self.get(case_id, include_deleted=True).case))
        return data
