"""The GUI's single door to the case database.

Every read and write of :class:`~oncoboard.core.db.CaseStore` goes through
:class:`CaseService`, which lives on the GUI thread and holds the one store
the process opens, so writes are serialised.  Screens never see SQL.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from oncoboard.core.case import Case
    from oncoboard.core.case_import import Existing, ImportedCase
    from oncoboard.core.db.store import CaseStatus, CaseStore, CaseSummary, StoredCase

log = logging.getLogger(__name__)

STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "ready": "Ready for board",
    "discussed": "Discussed",
}


def preload(*, progress: Any, cancelled: Any) -> None:
    """Import the database layer (sqlite-utils pulls in pandas) off the GUI thread,
    and read the OncoTree release the screens show names from."""
    from oncoboard.gui import context as session

    progress(0.1, "Loading the case database")
    import oncoboard.core.db.store  # noqa: F401

    if not cancelled():
        progress(0.6, "Loading OncoTree")
        session.oncotree()


WARM_UP_MODULES = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "oncoboard.core.pipeline",
    "oncoboard.core.survival.plots",
)


def warm_up(*, progress: Any, cancelled: Any) -> None:
    """Import heavy modules in a worker so the first analysis starts quickly."""
    import importlib

    for n, name in enumerate(WARM_UP_MODULES):
        if cancelled():
            return
        progress(n / len(WARM_UP_MODULES), f"loading {name}")
        importlib.import_module(name)


class CaseService(QObject):
    """Owns the :class:`CaseStore`; emits :attr:`changed` after every write."""

    changed = Signal()

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._store: CaseStore | None = None
        self._lock = threading.RLock()

    @property
    def store(self) -> CaseStore:
        if self._store is None:
            from oncoboard.core.db.store import CaseStore

            self._store = CaseStore(self._path)
        return self._store

    @property
    def unsaved_edits_file(self) -> Path:
        """The editor's crash-recovery journal, beside the case database."""
        from oncoboard.core import paths

        db = self._path if self._path is not None else paths.database_file()
        return Path(db).parent / "recovery" / "unsaved-edits.json"

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    # --- reads ---------------------------------------------------------------
    def list(
        self,
        search: str = "",
        *,
        status: str | None = None,
        sort: str = "updated",
        deleted: bool = False,
    ) -> list[CaseSummary]:
        with self._lock:
            return self.store.list(search, status=status, sort=sort, deleted=deleted)  # type: ignore[arg-type]

    def get(self, case_id: str) -> StoredCase:
        with self._lock:
            return self.store.get(case_id)

    # --- writes --------------------------------------------------------------
    def _write(self, fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        with self._lock:
            result = fn(*args, **kwargs)
        self.changed.emit()
        return result

    def create(self, case: Case, status: CaseStatus = "draft") -> StoredCase:
        return self._write(self.store.create, case, status)

    def create_many(self, cases: list[Case]) -> list[StoredCase]:
        return self._write(self.store.create_many, cases)

    def update(
        self,
        case_id: str,
        case: Case,
        *,
        based_on: int,
        status: CaseStatus | None = None,
    ) -> StoredCase:
        return self._write(
            self.store.update, case_id, case, based_on=based_on, status=status
        )

    def set_status(
        self, case_id: str, status: CaseStatus, *, based_on: int
    ) -> StoredCase:
        return self._write(self.store.set_status, case_id, status, based_on=based_on)

    def delete(self, case_id: str) -> StoredCase:
        return self._write(self.store.delete, case_id)

    def restore(self, case_id: str) -> StoredCase:
        return self._write(self.store.restore, case_id)

    def duplicate(self, case_id: str) -> StoredCase:
        """Copy a case under a new, unused id (``<id> copy``, ``<id> copy 2`` ...)."""
        source = self.get(case_id).case
        new_id = self.free_id(f"{case_id} copy")
        return self.create(source.model_copy(update={"case_id": new_id}))

    def free_id(self, base: str) -> str:
        """``base``, or ``base 2``, ``base 3`` ...: the first id no stored case uses."""
        from oncoboard.core.case_import import free_case_id

        with self._lock:
            return free_case_id(self.store, base)

    def import_files(
        self,
        paths: list[Path],
        *,
        existing: Existing = "refuse",
        tumor: str | None = None,
    ) -> list[ImportedCase]:
        """Store case files with the variant files they name, or FHIR genomics report
        Bundles (``tumor``: their OncoTree code), through the CLI's code path."""
        from oncoboard.core.case_import import import_case_files
        from oncoboard.gui import context as session

        kb = session.context().kb  # the OncoTree codes are checked against it
        return self._write(
            import_case_files, self.store, paths, existing=existing, kb=kb, tumor=tumor
        )

    def export_file(self, case_id: str, path: Path) -> Path:
        with self._lock:
            return self.store.export_file(case_id, path)
