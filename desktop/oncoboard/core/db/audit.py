"""The hash-chained audit trail: each row's hash covers its fields and the previous hash,
so an edited, deleted or reordered row breaks the chain (``oncoboard audit verify``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "at",
    "os_user",
    "action",
    "case_pk",
    "case_version",
    "content_sha256",
    "prev_hash",
)


def audit_row_hash(fields: Mapping[str, Any]) -> str:
    payload = json.dumps(
        {k: fields[k] for k in CHAINED_FIELDS}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Return the problems found (empty if the chain is intact)."""
    problems = []
    prev = GENESIS_HASH
    expected_seq = None
    for row in rows:
        seq = row["seq"]
        if expected_seq is not None and seq != expected_seq:
            problems.append(
                f"row {seq}: rows missing before it (expected {expected_seq})"
            )
        if row["prev_hash"] != prev:
            problems.append(
                f"row {seq}: does not follow the previous row (deleted or reordered rows)"
            )
        if audit_row_hash(row) != row["row_hash"]:
            problems.append(f"row {seq}: its content was edited")
        prev = row["row_hash"]
        expected_seq = seq + 1
    return problems
