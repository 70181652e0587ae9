"""Crash recovery for edits the case editor could not save yet.

The editor saves a case only when it is valid, so a half-typed case (a
missing tumor type, a VAF of 1.5) lives only in the widgets.  This journal
keeps a copy of those edits on disk, next to the case database, so a crash,
a power cut or a killed process does not lose them.  The next start offers
to restore them.  The journal is removed as soon as the edits are stored or
deliberately discarded.

It holds the same patient data as the database beside it, in the same
folder, and is written atomically (a crash leaves the old or the new copy).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.case.io import atomic_write_text

log = logging.getLogger(__name__)
JOURNAL_SCHEMA = "oncoboard.unsaved-edits/1"


@dataclass(frozen=True)
class UnsavedEdits:
    """What the editor held: the raw form content and which stored case it edits."""

    data: dict[str, Any]
    case_id: str | None  # stored case being edited; None for a new case
    version: int
    status: str
    saved_at: str  # ISO time, local

    @property
    def title(self) -> str:
        shown = self.case_id or str(self.data.get("case_id") or "").strip()
        return f"case {shown}" if shown else "a new case without an ID"


class DraftJournal:
    """One journal file for the one case editor of a running app."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, edits: UnsavedEdits) -> None:
        payload = {
            "schema": JOURNAL_SCHEMA,
            "saved_at": edits.saved_at,
            "case_id": edits.case_id,
            "version": edits.version,
            "status": edits.status,
            "data": edits.data,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(
                self.path, json.dumps(payload, ensure_ascii=False, indent=1)
            )
        except OSError as exc:
            # The editor still holds the edits; losing the safety copy must not stop typing.
            log.warning("could not write the unsaved-edits journal: %s", exc.strerror)

    def read(self) -> UnsavedEdits | None:
        """The journal's edits, or None when there is none or it is unreadable."""
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("unsaved-edits journal unreadable, ignored: %s", exc)
            return None
        if not isinstance(payload, dict) or payload.get("schema") != JOURNAL_SCHEMA:
            log.warning("unsaved-edits journal of an unknown format, ignored")
            return None
        data = payload.get("data")
        if not isinstance(data, dict):
            return None
        case_id = payload.get("case_id")
        version = payload.get("version")
        return UnsavedEdits(
            data=data,
            case_id=case_id if isinstance(case_id, str) else None,
            version=version if isinstance(version, int) else 0,
            status=str(payload.get("status") or "draft"),
            saved_at=str(payload.get("saved_at") or ""),
        )

    def clear(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove the unsaved-edits journal: %s", exc.strerror)


def now_text() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
