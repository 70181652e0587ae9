"""The case store: create, update, list, search, soft-delete, restore, import, export.

Every change and its audit row are written in one transaction.  Updates are
optimistic: the caller says which version its edit is based on, and a stale
edit raises :class:`ConflictError` instead of overwriting newer work.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import functools
import getpass
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from oncoboard.core import paths
from oncoboard.core.case.io import (
    case_to_json,
    check_output_path,
    load_case,
    parse_case,
    resolve_variant_file,
    write_output,
)
from oncoboard.core.case.model import Case
from oncoboard.core.db import anchor
from oncoboard.core.db.audit import GENESIS_HASH, audit_row_hash
from oncoboard.core.db.opening import (
    DAMAGE_WORDS,
    damaged_case_message,
    damaged_message,
    open_database,
)
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
SORT_COLUMNS = {
    "updated": "updated_at DESC",
    "created": "created_at DESC",
    "case_id": "case_id COLLATE NOCASE",
}


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
                raise UserInputError(
                    case_file,
                    [
                        Problem(
                            where,
                            f"variant file is {size:,} bytes; at most "
                            f"{MAX_ATTACHMENT_BYTES:,} can be stored with a case",
                        )
                    ],
                )
            out[vf.path] = absolute.read_bytes()
    return out


NOT_WRITABLE_WORDS = ("readonly", "full", "disk I/O", "locked")
# Cases are read with their content as bytes: the checksum covers the exact bytes
# stored, and a non-UTF-8 edit must not put the case text into an error message.
CASE_COLUMNS = (
    "pk, case_id, version, status, created_at, updated_at, deleted_at, content_sha256, "
    "CAST(content AS BLOB) AS content"
)


def _storage_errors(
    operation: str, *, write: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn SQLite's disk-full, read-only and damaged-file errors into a :class:`StorageError`
    that names the file (and, for damage, the usable backups); a write rolls back first."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: CaseStore, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                text = str(exc)
                if any(k in text for k in DAMAGE_WORDS):
                    raise StorageError(
                        damaged_message(self.path, operation, exc)
                    ) from None
                if isinstance(exc, sqlite3.OperationalError) and any(
                    k in text for k in NOT_WRITABLE_WORDS
                ):
                    after = (
                        "Nothing was changed; your edit is still open."
                        if write
                        else "Try again."
                    )
                    raise StorageError(
                        f"Could not {operation}: the database {self.path} is not "
                        f"{'writable' if write else 'readable'} ({text}). {after}"
                    ) from None
                raise

        return guarded

    return decorate


def _search_text(case: Case) -> str:
    genes = {a.gene for s in case.samples for a in s.alterations} | {
        g.gene for g in case.germline
    }
    parts = [
        case.case_id,
        case.tumor.oncotree_code,
        case.patient.pseudonym or "",
        *sorted(genes),
    ]
    return " ".join(parts).lower()


CaseFileCheck = Callable[[Case, Path], None]
"""Reads a case's variant files as ``match`` will; raises on a file it would refuse."""


class CaseStore:
    """The user's case database.  Open one per process; it is not thread-safe."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.database_file()
        self.db = open_database(self.path)
        anchor.ensure(self.path, self.db.conn)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------
    def _audit(
        self, action: str, pk: int | None, version: int | None, sha: str | None
    ) -> None:
        row = self.db.execute(
            "SELECT row_hash FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        prev = row[0] if row else GENESIS_HASH
        fields = {
            "at": _now(),
            "os_user": _os_user(),
            "action": action,
            "case_pk": pk,
            "case_version": version,
            "content_sha256": sha,
            "prev_hash": prev,
        }
        fields["row_hash"] = audit_row_hash(fields)
        self.db.table("audit").insert(fields)

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
            before = anchor.chain_end(self.db.conn)
            yield
            after = anchor.chain_end(self.db.conn)
            if after != before:  # audit rows appended: anchor them before they count
                anchor.advance(self.path, before, after)
            self.db.execute("COMMIT")
            if after != before:
                anchor.confirm(self.path, after)
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @_storage_errors("save the case")
    def create(
        self,
        case: Case,
        status: CaseStatus = "draft",
        attachments: dict[str, bytes] | None = None,
        source: Path | None = None,
    ) -> StoredCase:
        content = case_to_json(case)
        sha = hashlib.sha256(content.encode()).hexdigest()
        now = _now()
        with self._atomic():
            existing = self.db.execute(
                "SELECT deleted_at FROM cases WHERE case_id = ?", [case.case_id]
            ).fetchone()
            if existing is not None:
                where = " (in the bin; restore it instead)" if existing[0] else ""
                raise UserInputError(
                    source,
                    [
                        Problem(
                            "case_id", f"a case {case.case_id!r} already exists{where}"
                        )
                    ],
                )
            cursor = self.db.execute(
                "INSERT INTO cases (case_id, version, status, oncotree_code, search_text, content, "
                "content_sha256, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                [
                    case.case_id,
                    status,
                    case.tumor.oncotree_code,
                    _search_text(case),
                    content,
                    sha,
                    now,
                    now,
                ],
            )
            pk = int(cursor.lastrowid or 0)
            for rel_path, blob in (attachments or {}).items():
                self.db.execute(
                    "INSERT INTO attachments (case_pk, rel_path, content, sha256) VALUES (?, ?, ?, ?)",
                    [pk, rel_path, blob, hashlib.sha256(blob).hexdigest()],
                )
            self._audit("create", pk, 1, sha)
            stored = self.get_by_pk(
                pk
            )  # read inside the transaction: what this call wrote
        log.info("created case pk=%s sha256=%s", pk, sha[:12])
        return stored

    @_storage_errors("save the case")
    def update(
        self,
        case_id: str,
        case: Case,
        *,
        based_on: int,
        status: CaseStatus | None = None,
    ) -> StoredCase:
        """Replace a case's content; ``based_on`` is the version the edit started from.

        Returns the case as this call wrote it, read before COMMIT: a read after
        COMMIT could see another process's newer save and acknowledge its version.
        """
        content = case_to_json(case)
        sha = hashlib.sha256(content.encode()).hexdigest()
        with self._atomic():
            current = self._row(case_id, include_deleted=True)
            if current["version"] != based_on:
                raise ConflictError(case_id, based_on, current["version"])
            if case.case_id != case_id and self._exists(case.case_id):
                raise UserInputError(
                    None,
                    [Problem("case_id", f"a case {case.case_id!r} already exists")],
                )
            new_version = based_on + 1
            cursor = self.db.execute(
                "UPDATE cases SET case_id=?, version=?, status=?, oncotree_code=?, search_text=?, "
                "content=?, content_sha256=?, updated_at=? WHERE pk=? AND version=?",
                [
                    case.case_id,
                    new_version,
                    status or current["status"],
                    case.tumor.oncotree_code,
                    _search_text(case),
                    content,
                    sha,
                    _now(),
                    current["pk"],
                    based_on,
                ],
            )
            if (
                cursor.rowcount != 1
            ):  # another process won the race between read and write
                raise ConflictError(
                    case_id, based_on, self._row(case_id, True)["version"]
                )
            self._audit("update", current["pk"], new_version, sha)
            return self.get_by_pk(current["pk"])

    def set_status(
        self, case_id: str, status: CaseStatus, *, based_on: int
    ) -> StoredCase:
        stored = self.get(case_id)
        return self.update(case_id, stored.case, based_on=based_on, status=status)

    def delete(self, case_id: str) -> StoredCase:
        """Soft-delete: the case moves to the bin and can be restored."""
        return self._set_deleted(case_id, _now(), "delete")

    def restore(self, case_id: str) -> StoredCase:
        return self._set_deleted(case_id, None, "restore")

    @_storage_errors("change the case")
    def _set_deleted(self, case_id: str, when: str | None, action: str) -> StoredCase:
        with self._atomic():
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
        return (
            self.db.execute(
                "SELECT 1 FROM cases WHERE case_id = ?", [case_id]
            ).fetchone()
            is not None
        )

    def _row(self, case_id: str, include_deleted: bool = False) -> dict[str, Any]:
        rows = list(
            self.db.query(
                f"SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ?", [case_id]
            )
        )
        if not rows or (rows[0]["deleted_at"] and not include_deleted):
            raise NotFoundError(f"No case {case_id!r} in {self.path}.")
        return rows[0]

    def _to_stored(self, row: dict[str, Any]) -> StoredCase:
        content: bytes = row["content"]
        if (
            hashlib.sha256(content).hexdigest() != row["content_sha256"]
        ):  # edited outside OncoBoard
            raise StorageError(
                damaged_case_message(
                    self.path,
                    row["case_id"],
                    "its stored content does not match its checksum",
                )
            )
        case = parse_case(
            content.decode("utf-8"), source=f"{self.path} (case pk {row['pk']})"
        )
        return StoredCase(
            pk=row["pk"],
            case=case,
            version=row["version"],
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            deleted_at=row["deleted_at"],
            content_sha256=row["content_sha256"],
        )

    @_storage_errors("read the case", write=False)
    def get(self, case_id: str, *, include_deleted: bool = False) -> StoredCase:
        return self._to_stored(self._row(case_id, include_deleted))

    @_storage_errors("read the case", write=False)
    def get_by_pk(self, pk: int) -> StoredCase:
        rows = list(
            self.db.query(f"SELECT {CASE_COLUMNS} FROM cases WHERE pk = ?", [pk])
        )
        if not rows:
            raise NotFoundError(f"No case with internal id {pk}.")
        return self._to_stored(rows[0])

    @_storage_errors("list the cases", write=False)
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
            CaseSummary(
                r["pk"],
                r["case_id"],
                r["oncotree_code"],
                r["status"],
                r["version"],
                r["updated_at"],
                r["deleted_at"] is not None,
            )
            for r in self.db.query(sql, params)
        ]

    @_storage_errors("read the audit trail", write=False)
    def audit_rows(self) -> builtins.list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM audit ORDER BY seq"))

    # --- files ---------------------------------------------------------------
    def import_file(
        self,
        path: Path,
        status: CaseStatus = "draft",
        *,
        check: CaseFileCheck | None = None,
    ) -> StoredCase:
        """Validate a case file and store it with its variant files; all or nothing."""
        return self.import_files([path], status=status, check=check)[0]

    @_storage_errors("import the cases")
    def import_files(
        self,
        paths: builtins.list[Path],
        status: CaseStatus = "draft",
        *,
        check: CaseFileCheck | None = None,
    ) -> builtins.list[StoredCase]:
        """Validate every case file (and, with ``check``, read its variant files) first, then
        store all of them in one transaction: one bad file stores none.

        ``check(case, case_file)`` raises on a variant file ``match`` would refuse; the
        import use case (``oncoboard.core.case_import``) passes the profile reader, which
        sits above the store in the layers.
        """
        cases = [(load_case(p), Path(p)) for p in paths]
        for c, p in cases:
            if check is not None:
                check(c, p)
        loaded = [(c, _read_attachments(c, p), p) for c, p in cases]
        self._refuse_duplicates([c for c, _, _ in loaded], [p for _, p in cases])
        with self._atomic():
            return [
                self.create(c, status=status, attachments=a, source=p)
                for c, a, p in loaded
            ]

    @_storage_errors("read the variant files", write=False)
    def attachments(self, case_id: str) -> dict[str, bytes]:
        """The stored variant files of a case, by their path relative to the case file."""
        row = self._row(case_id, include_deleted=True)
        out = {}
        for r in self.db.query(
            "SELECT rel_path, content, sha256 FROM attachments WHERE case_pk = ? "
            "ORDER BY rel_path",
            [row["pk"]],
        ):
            if hashlib.sha256(r["content"]).hexdigest() != r["sha256"]:
                raise StorageError(
                    damaged_case_message(
                        self.path,
                        row["case_id"],
                        f"its variant file {r['rel_path']!r} does not match its checksum",
                    )
                )
            out[r["rel_path"]] = r["content"]
        return out

    def materialize(self, case_id: str, folder: Path) -> Path:
        """Write a stored case and its variant files into ``folder``; return the case file."""
        folder.mkdir(parents=True, exist_ok=True)
        return self.export_file(case_id, folder / "case.json", audit=False)

    @_storage_errors("import the cases")
    def create_many(
        self, cases: builtins.list[Case], status: CaseStatus = "draft"
    ) -> builtins.list[StoredCase]:
        """Store several cases in one transaction: all of them or none."""
        self._refuse_duplicates(cases)
        with self._atomic():
            return [self.create(c, status=status) for c in cases]

    @staticmethod
    def _refuse_duplicates(
        cases: builtins.list[Case], sources: builtins.list[Path] | None = None
    ) -> None:
        """Name the file (or the position) of each repeated case id, not just "input"."""
        where = (
            [str(p) for p in sources]
            if sources
            else [f"case {i + 1}" for i in range(len(cases))]
        )
        first: dict[str, str] = {}
        for case, place in zip(cases, where, strict=True):
            if case.case_id in first:
                raise UserInputError(
                    place,
                    [
                        Problem(
                            "case_id",
                            f"{case.case_id!r} is also the case id of "
                            f"{first[case.case_id]}",
                        )
                    ],
                )
            first[case.case_id] = place

    @_storage_errors("export the case")
    def export_file(self, case_id: str, path: Path, *, audit: bool = True) -> Path:
        """Write the case file, and its stored variant files beside it (same relative paths)."""
        stored = self.get(case_id, include_deleted=True)
        check_output_path(Path(path))  # before anything is written beside it
        base = Path(path).parent.resolve()
        for rel_path, blob in self.attachments(case_id).items():
            target = (base / rel_path).resolve()
            if not target.is_relative_to(
                base
            ):  # normalised at import; never write outside
                raise StorageError(
                    f"Stored variant file {rel_path!r} would leave {base}."
                )
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create {target.parent}: {exc.strerror}."
                ) from None
            write_output(base / rel_path, blob)
        write_output(Path(path), case_to_json(stored.case).encode("utf-8"))
        if audit:
            with self._atomic():
                self._audit("export", stored.pk, stored.version, stored.content_sha256)
        return path

    def export_json(self, case_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            case_to_json(self.get(case_id, include_deleted=True).case)
        )
        return data
