"""The KB file layout (SQLite via sqlite-utils) and its content hash.

The content hash covers every row of every content table in a fixed order, so
it does not depend on SQLite page layout and ``kb verify`` can recompute it
from an installed file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oncoboard.core.kb.trials_db import TRIAL_CONTENT_TABLES, create_trial_tables

SCHEMA_VERSION = 1

# Tables whose rows make up the content hash, with their ordering key.
CONTENT_TABLES: tuple[tuple[str, str], ...] = (
    ("entries", "id"),
    ("entry_genes", "entry_id, gene"),
    ("oncotree", "code"),
    ("drugs", "inn"),
    ("drug_names", "name"),
    ("cross_resistance", "class"),
    ("civic_evidence", "eid"),
    ("kmdata_catalog", "dataset"),
    ("entry_kmdata", "entry_id, outcome, dataset, arm"),
    ("survival_fits", "entry_id, seq"),
    *TRIAL_CONTENT_TABLES,
)
# Meta keys outside the hash (the hash itself).
UNHASHED_META = ("content_sha256",)


def create_schema(db: Any) -> None:
    """Create every table and index of an empty KB (a sqlite-utils ``Database``)."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["entries"].create(
        {
            "id": str, "source": str, "source_file": str, "gene": str, "kind": str,
            "status": str, "tumor": str, "direction": str, "amp_level": str,
            "escat": str, "therapy": str, "matchable": int, "civic_eid": int,
            "rating": int, "data": str,
        },
        pk="id",
    )  # fmt: skip
    db["cross_resistance"].create(
        {"class": str, "statement": str, "citation": str}, pk="class"
    )
    db["entry_genes"].create({"entry_id": str, "gene": str}, pk=("entry_id", "gene"))
    db["oncotree"].create(
        {
            "code": str,
            "name": str,
            "main_type": str,
            "tissue": str,
            "parent": str,
            "level": int,
        },
        pk="code",
    )
    db["drugs"].create(
        {
            "inn": str,
            "synonyms": str,
            "brands": str,
            "classes": str,
            "source_file": str,
        },
        pk="inn",
    )
    db["drug_names"].create({"name": str, "inn": str}, pk="name")
    db["civic_evidence"].create(
        {
            "eid": int, "molecular_profile": str, "disease": str, "doid": str,
            "oncotree_code": str, "therapies": str, "therapy_interaction_type": str,
            "evidence_type": str, "evidence_direction": str, "evidence_level": str,
            "significance": str, "citation_id": str, "source_type": str,
            "rating": int, "url": str, "used_as": str,
        },
        pk="eid",
    )  # fmt: skip
    db["kmdata_catalog"].create(
        {
            "dataset": str,
            "trial_figure": str,
            "pmid": str,
            "endpoint": str,
            "cancer": str,
            "arms": str,
        },
        pk="dataset",
    )
    db["entry_kmdata"].create(
        {
            "entry_id": str,
            "outcome": int,
            "trial": str,
            "endpoint": str,
            "dataset": str,
            "arm": str,
        },
        pk=("entry_id", "outcome", "dataset", "arm"),
    )
    db["survival_fits"].create(
        {"entry_id": str, "seq": int, "data": str}, pk=("entry_id", "seq")
    )
    db["search"].create(
        {"entry_id": str, "genes": str, "drugs": str, "tumor": str, "summary": str},
        pk="entry_id",
    )
    create_trial_tables(db)
    db["entries"].create_index(["gene"])
    db["entries"].create_index(["status"])
    db["entries"].create_index(["tumor"])
    db["entries"].create_index(["matchable", "source"])
    db["entry_genes"].create_index(["gene"])


def enable_search(db: Any) -> None:
    """Build the FTS5 index over the ``search`` table (after it is filled)."""
    db["search"].enable_fts(
        ["entry_id", "genes", "drugs", "tumor", "summary"],
        fts_version="FTS5",
    )


def _rows(conn: Any, table: str, order: str) -> Iterator[tuple[Any, ...]]:
    yield from conn.execute(f"SELECT * FROM [{table}] ORDER BY {order}")  # noqa: S608


def content_hash(conn: Any) -> str:
    """Return the SHA-256 of the KB's content (tables and hashed meta), hex.

    Parameters
    ----------
    conn
        An open ``sqlite3.Connection`` on a KB file.
    """
    digest = hashlib.sha256()
    meta = conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
    for key, value in meta:
        if key not in UNHASHED_META:
            digest.update(_line(("meta", key, value)))
    for table, order in CONTENT_TABLES:
        digest.update(_line(("table", table)))
        for row in _rows(conn, table, order):
            digest.update(_line(row))
    return digest.hexdigest()


def _line(values: Iterable[Any]) -> bytes:
    return (
        json.dumps(list(values), ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


def read_meta(path: Path) -> dict[str, str]:
    """Return the ``meta`` table of a KB file as a dict (read-only open)."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()
