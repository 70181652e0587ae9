"""The trial store: the imported snapshot, apart from the case database.

``<data dir>/trials.sqlite`` (``paths.trials_file``) through sqlite-utils:

- ``trials``: one row per study (the record as JSON, its OncoTree codes, the
  import that last wrote it);
- ``criteria``: the structured criteria of each study; ``auto`` ones are
  replaced at re-import, ``confirmed`` ones (the trial office's) are kept;
- ``history``: every import of every study (date, source file and checksum,
  the record's own last-update date), never deleted;
- ``meta``: the schema version.

One import is one transaction: every file is read and checked first, so a bad
file stores nothing and loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from oncoboard.core.errors import NotFoundError, Problem, UserInputError
from oncoboard.core.trials.model import Criterion, TrialRecord
from oncoboard.core.trials.sources import SourceFile

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class StoredTrial:
    """A study as the store holds it: the record, codes, criteria and its last import."""

    record: TrialRecord
    oncotree_codes: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    imported_at: str
    source_file: str
    source_sha256: str


@dataclass(frozen=True)
class ImportSummary:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    files: tuple[str, ...]


@dataclass(frozen=True)
class HistoryRow:
    nct_id: str
    imported_at: str
    action: str
    source_file: str
    source_sha256: str
    last_update: str | None
    version_holder: str | None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class TrialStore:
    """Open the store (created on first use); use it in a ``with`` block."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    def __enter__(self) -> TrialStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema --------------------------------------------------------------------------

    def _migrate(self) -> None:
        meta = self.db.table("meta")
        version = 0
        if meta.exists():
            row = self.db.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
            version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise UserInputError(
                self.path,
                [
                    Problem(
                        "meta.schema_version",
                        f"{version} is newer than this program ({SCHEMA_VERSION})",
                    )
                ],
            )
        if version < 1:
            with self.db.conn:
                self.db.table("meta").create(
                    {"key": str, "value": str}, pk="key", if_not_exists=True
                )
                self.db.table("trials").create(
                    {
                        "nct_id": str,
                        "title": str,
                        "overall_status": str,
                        "source": str,
                        "record": str,
                        "oncotree_codes": str,
                        "last_update": str,
                        "version_holder": str,
                        "imported_at": str,
                        "source_file": str,
                        "source_sha256": str,
                    },
                    pk="nct_id",
                    if_not_exists=True,
                )
                self.db.table("criteria").create(
                    {
                        "nct_id": str,
                        "id": str,
                        "position": int,
                        "kind": str,
                        "effect": str,
                        "gene": str,
                        "alteration": str,
                        "section": str,
                        "sentence": str,
                        "status": str,
                    },
                    pk=("nct_id", "id"),
                    if_not_exists=True,
                )
                self.db.table("history").create(
                    {
                        "nct_id": str,
                        "imported_at": str,
                        "action": str,
                        "source_file": str,
                        "source_sha256": str,
                        "last_update": str,
                        "version_holder": str,
                    },
                    if_not_exists=True,
                )
                self.db.execute(
                    "CREATE INDEX IF NOT EXISTS history_nct ON history(nct_id)"
                )
                self.db.table("meta").upsert(
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key"
                )

    # -- writing -------------------------------------------------------------------------

    def import_files(
        self,
        sources: Sequence[SourceFile],
        *,
        codes_of: Callable[[TrialRecord], tuple[str, ...]],
        criteria_of: Callable[[TrialRecord], tuple[Criterion, ...]],
        progress: Callable[[float, str], None] | None = None,
    ) -> ImportSummary:
        """Store the records of already-read files in one transaction."""
        now = _now()
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        total = sum(len(s.records) for s in sources) or 1
        done = 0
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for source in sources:
                for record in source.records:
                    action = self._store_one(record, source, now, codes_of, criteria_of)
                    {"added": added, "updated": updated, "unchanged": unchanged}[
                        action
                    ].append(record.nct_id)
                    done += 1
                    if progress is not None and done % 100 == 0:
                        progress(done / total, f"{done} of {total} studies")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return ImportSummary(
            tuple(added),
            tuple(updated),
            tuple(unchanged),
            tuple(str(s.path) for s in sources),
        )

    def _store_one(
        self,
        record: TrialRecord,
        source: SourceFile,
        now: str,
        codes_of: Callable[[TrialRecord], tuple[str, ...]],
        criteria_of: Callable[[TrialRecord], tuple[Criterion, ...]],
    ) -> str:
        body = json.dumps(record.to_dict(), sort_keys=True, ensure_ascii=False)
        old = self.db.execute(
            "SELECT record FROM trials WHERE nct_id = ?", [record.nct_id]
        ).fetchone()
        action = (
            "added" if old is None else ("unchanged" if old[0] == body else "updated")
        )
        self.db.table("trials").upsert(
            {
                "nct_id": record.nct_id,
                "title": record.title,
                "overall_status": record.overall_status,
                "source": record.source,
                "record": body,
                "oncotree_codes": json.dumps(codes_of(record)),
                "last_update": record.last_update,
                "version_holder": record.version_holder,
                "imported_at": now,
                "source_file": str(source.path),
                "source_sha256": source.sha256,
            },
            pk="nct_id",
        )
        self.db.table("history").insert(
            {
                "nct_id": record.nct_id,
                "imported_at": now,
                "action": action,
                "source_file": str(source.path),
                "source_sha256": source.sha256,
                "last_update": record.last_update,
                "version_holder": record.version_holder,
            }
        )
        if action != "unchanged":
            self._replace_auto_criteria(record.nct_id, criteria_of(record))
        return action

    def _replace_auto_criteria(
        self, nct_id: str, criteria: Iterable[Criterion]
    ) -> None:
        self.db.execute(
            "DELETE FROM criteria WHERE nct_id = ? AND status = 'auto'", [nct_id]
        )
        kept = self.criteria(nct_id)
        confirmed = {(c.kind, c.effect, c.gene, c.alteration) for c in kept}
        rows = [
            self._row(nct_id, c, len(kept) + i)
            for i, c in enumerate(criteria)
            if (c.kind, c.effect, c.gene, c.alteration) not in confirmed
        ]
        if rows:
            self.db.table("criteria").upsert_all(rows, pk=("nct_id", "id"))

    @staticmethod
    def _row(nct_id: str, c: Criterion, position: int) -> dict[str, Any]:
        return {"nct_id": nct_id, "id": c.id, "position": position, **c.to_dict()}

    def save_criteria(self, nct_id: str, criteria: Sequence[Criterion]) -> None:
        """Replace a trial's criteria with the trial office's list (each ``confirmed``)."""
        self.trial(nct_id)  # NotFoundError for an unknown trial
        with self.db.conn:
            self.db.execute("DELETE FROM criteria WHERE nct_id = ?", [nct_id])
            rows = [self._row(nct_id, _confirmed(c), i) for i, c in enumerate(criteria)]
            if rows:
                self.db.table("criteria").upsert_all(rows, pk=("nct_id", "id"))

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM trials").fetchone()[0])

    def criteria(self, nct_id: str) -> tuple[Criterion, ...]:
        rows = self.db.execute(
            "SELECT kind, effect, gene, alteration, section, sentence, status FROM criteria "
            "WHERE nct_id = ? ORDER BY position",
            [nct_id],
        ).fetchall()
        return tuple(Criterion(*row) for row in rows)

    def trial(self, nct_id: str) -> StoredTrial:
        found = [t for t in self.trials(ids=[nct_id])]
        if not found:
            raise NotFoundError(f"no trial {nct_id} in the trial store")
        return found[0]

    def trials(self, ids: Sequence[str] | None = None) -> list[StoredTrial]:
        """Every stored trial (or those of ``ids``), sorted by NCT id."""
        sql = (
            "SELECT nct_id, record, oncotree_codes, imported_at, source_file, source_sha256 "
            "FROM trials"
        )
        params: list[str] = []
        if ids is not None:
            sql += f" WHERE nct_id IN ({', '.join('?' for _ in ids)})"
            params = list(ids)
        rows = self.db.execute(sql + " ORDER BY nct_id", params).fetchall()
        by_trial: dict[str, list[Criterion]] = {}
        crit_sql = (
            "SELECT nct_id, kind, effect, gene, alteration, section, sentence, status FROM criteria"
            + (
                f" WHERE nct_id IN ({', '.join('?' for _ in ids)})"
                if ids is not None
                else ""
            )
            + " ORDER BY nct_id, position"
        )
        for row in self.db.execute(crit_sql, params).fetchall():
            by_trial.setdefault(row[0], []).append(Criterion(*row[1:]))
        return [
            StoredTrial(
                record=TrialRecord.from_dict(json.loads(r[1])),
                oncotree_codes=tuple(json.loads(r[2])),
                criteria=tuple(by_trial.get(r[0], ())),
                imported_at=r[3],
                source_file=r[4],
                source_sha256=r[5],
            )
            for r in rows
        ]

    def history(self, nct_id: str | None = None) -> list[HistoryRow]:
        sql = (
            "SELECT nct_id, imported_at, action, source_file, source_sha256, last_update, version_holder "
            "FROM history"
        )
        params = [nct_id] if nct_id else []
        if nct_id:
            sql += " WHERE nct_id = ?"
        return [
            HistoryRow(*r)
            for r in self.db.execute(sql + " ORDER BY rowid", params).fetchall()
        ]

    def snapshot_date(self) -> str | None:
        """When the store was last imported into (ISO timestamp), None when empty."""
        row = self.db.execute("SELECT max(imported_at) FROM trials").fetchone()
        return row[0] if row and row[0] else None


def _confirmed(c: Criterion) -> Criterion:
    import dataclasses

    return dataclasses.replace(c, status="confirmed")
