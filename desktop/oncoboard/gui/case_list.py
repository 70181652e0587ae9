"""Case list screen: search, filter by status, sort; new, duplicate, delete
with undo, import and export."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui import context as session
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.services import STATUS_LABELS, CaseService
from oncoboard.gui.widgets import Banner, BusyBar
from oncoboard.gui.worker import JobRunner

if TYPE_CHECKING:
    from oncoboard.core.db.store import CaseSummary

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
SORTS = (
    ("updated", "Last changed"),
    ("created", "Date created"),
    ("case_id", "Case ID"),
)


def tumor_name(code: str) -> str:
    tree = session.oncotree()
    if tree is not None and tree.exists(code):
        return f"{code} — {tree.name(code)}"
    return code


def short_time(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return when.strftime("%Y-%m-%d %H:%M")


def existing_case_box(
    parent: QWidget, case_ids: list[str]
) -> tuple[QMessageBox, QPushButton, QPushButton]:
    """The question asked when imported case ids are already stored."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Case already stored")
    box.setText(
        f"{', '.join(case_ids)} {'is' if len(case_ids) == 1 else 'are'} already "
        "in the case database. Nothing has been imported yet."
    )
    box.setInformativeText(
        "Import as a new version: the file replaces the stored content; earlier "
        "versions stay in the audit trail.\nImport as a copy: the file is stored "
        "as a new case under a new id."
    )
    version = box.addButton("Import as new &version", QMessageBox.ButtonRole.AcceptRole)
    copy = box.addButton("Import as a &copy", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box, version, copy


class CaseListModel(QAbstractTableModel):
    """Read-only table over immutable :class:`CaseSummary` rows."""

    HEADERS = ("Case ID", "Tumor type", "Status", "Last changed", "Version")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseSummary] = []

    def set_rows(self, rows: list[CaseSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:  # noqa: N802, E501
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            if 0 <= section < len(self.HEADERS):
                return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.case_id,
                tumor_name(row.oncotree_code),
                STATUS_LABELS.get(row.status, row.status),
                short_time(row.updated_at),
                row.version,
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row.case_id
        return None


class CaseListScreen(QWidget):
    """Lists the cases in the database; emits requests the main window routes."""

    open_requested = Signal(str)
    new_requested = Signal()

    def __init__(self, service: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_list")
        self.service = service
        self.jobs = JobRunner(self)
        self._last_deleted: str | None = None
        self._build()
        self._wire()
        self.empty.setText("Opening the case database…")
        service.changed.connect(self.refresh)

    # --- layout --------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(
            placeholderText="Search case ID, tumor code, pseudonym or gene"
        )
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for key, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, key)
        self.sort = QComboBox()
        for key, label in SORTS:
            self.sort.addItem(f"Sort: {label}", key)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.sort)

        self.model = CaseListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.buttons = {}
        row = QHBoxLayout()
        for key, text in (
            ("new", "&New case"),
            ("open", "&Open"),
            ("duplicate", "D&uplicate"),
            ("delete", "&Delete"),
            ("import", "&Import…"),
            ("export", "E&xport…"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{key}_button")
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.count = QLabel()
        row.addWidget(self.count)

        self.banner = Banner()
        self.busy = BusyBar()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.busy)
        layout.addLayout(row)

    def _wire(self) -> None:
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.sort.currentIndexChanged.connect(self.refresh)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.buttons["new"].clicked.connect(self.new_requested)
        self.buttons["open"].clicked.connect(self.open_selected)
        self.buttons["duplicate"].clicked.connect(self.duplicate_selected)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.buttons["import"].clicked.connect(self.choose_import)
        self.buttons["export"].clicked.connect(self.choose_export)
        self.banner.action_clicked.connect(self.undo_delete)
        self.busy.cancel_clicked.connect(self.jobs.cancel)
        self.jobs.progress.connect(self.busy.update_progress)
        self.jobs.finished.connect(self._imported)
        self.jobs.failed.connect(self._import_failed)
        self.jobs.idle.connect(self.busy.stop)
        self.jobs.cancelled.connect(
            lambda: self.banner.show_message("Import cancelled; nothing was added.")
        )
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.sort)
        self.setTabOrder(self.sort, self.table)

    # --- data ----------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_case_id()
        try:
            rows = self.service.list(
                self.search.text(),
                status=self.status_filter.currentData(),
                sort=self.sort.currentData(),
            )
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            rows = []
        self.model.set_rows(rows)
        self._select(selected)
        total = len(rows)
        self.count.setText(f"{total} case{'s' if total != 1 else ''}")
        filtering = bool(self.search.text().strip() or self.status_filter.currentData())
        self.empty.setText(
            "No case matches the search or filter."
            if filtering
            else "No cases yet. Create one with “New case” (Ctrl+N) or import case files "
            "(Ctrl+I)."
        )
        self.empty.setVisible(total == 0)
        self._update_buttons()

    def _select(self, case_id: str | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.summary(row).case_id == case_id:
                self.table.selectRow(row)
                return

    def selected_case_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()).case_id if rows else None

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected_case_id() is not None
        for key in ("open", "duplicate", "delete", "export"):
            self.buttons[key].setEnabled(has)

    def _show_error(self, exc: BaseException) -> None:
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "case list")

    # --- actions -------------------------------------------------------------
    def open_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id:
            self.open_requested.emit(case_id)

    def duplicate_selected(self) -> None:
        case_id = self.selected_case_id()
        if not case_id:
            return
        try:
            copy = self.service.duplicate(case_id)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._select(copy.case_id)
        self.banner.show_message(f"Copied {case_id} to “{copy.case_id}”.", "ok")

    def delete_selected(self) -> None:
        case_id = self.selected_case_id()
        if not case_id:
            return
        try:
            self.service.delete(case_id)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self._last_deleted = case_id
        self.banner.show_message(f"Case {case_id} moved to the bin.", "info", "&Undo")

    def undo_delete(self) -> bool:
        case_id, self._last_deleted = self._last_deleted, None
        if not case_id:
            return False
        try:
            self.service.restore(case_id)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return False
        self._select(case_id)
        self.banner.show_message(f"Case {case_id} restored.", "ok")
        return True

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import case files",
            "",
            "OncoBoard case files or FHIR genomics reports (*.json);;All files (*)",
        )
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, files: list[Path]) -> None:
        """Validate case files in a worker; store them with their variant files
        (all or none) on the GUI thread, through the core import the CLI uses."""

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            from oncoboard.core.case_import import read_import_file
            from oncoboard.core.fhir.read import TumorTypeNeeded

            for n, path in enumerate(files):
                if cancelled():
                    return None
                progress(n / len(files), f"Reading {path.name}")
                try:
                    read_import_file(path)  # a case file or a FHIR genomics report
                except TumorTypeNeeded:
                    pass  # asked for when storing
            return list(files)

        self.busy.start(f"Importing {len(files)} file(s)…")
        self.jobs.start(job, "import cases")

    def _imported(self, files: object) -> None:
        if files:
            self.store_files(list(files))  # type: ignore[call-overload]

    def store_files(
        self, files: list[Path], existing: str = "refuse", tumor: str | None = None
    ) -> None:
        from oncoboard.core.case_import import CaseExistsError
        from oncoboard.core.fhir.read import TumorTypeNeeded

        try:
            imported = self.service.import_files(files, existing=existing, tumor=tumor)  # type: ignore[arg-type]
        except CaseExistsError as exc:
            choice = self.ask_existing(exc.case_ids)
            if choice is None:
                self.banner.show_message("Nothing was imported.", "info")
            else:
                self.store_files(files, choice, tumor)
            return
        except TumorTypeNeeded:
            code = self.ask_tumor()
            if code:
                self.store_files(files, existing, code)
            else:
                self.banner.show_message("Nothing was imported.", "info")
            return
        except Exception as exc:  # noqa: BLE001
            self._import_failed(exc)
            return
        names = ", ".join(item.describe() for item in imported)
        skipped = "".join(
            f"\nNot imported: {note}" for item in imported for note in item.not_imported
        )
        self.banner.show_message(
            f"Imported {len(imported)} case(s): {names}.{skipped}", "ok"
        )
        if imported:
            self._select(imported[-1].stored.case_id)

    def ask_tumor(self) -> str | None:
        """The OncoTree code of a FHIR report that does not name its tumor type."""
        from PySide6.QtWidgets import QInputDialog

        code, ok = QInputDialog.getText(
            self,
            "Tumor type",
            "The FHIR report does not name the tumor type. OncoTree code (e.g. LUAD):",
        )
        return code.strip().upper() if ok and code.strip() else None

    def ask_existing(self, case_ids: list[str]) -> str | None:
        """How to import case ids that are already stored: "new-version", "copy" or None."""
        box, version, copy = existing_case_box(self, case_ids)
        box.exec()
        clicked = box.clickedButton()
        if clicked is version:
            return "new-version"
        return "copy" if clicked is copy else None

    def _import_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if is_expected(exc):
            self.banner.show_message("Nothing was imported.\n" + str(exc), "error")
        else:
            report_unexpected(exc, "import")

    def choose_export(self) -> None:
        case_id = self.selected_case_id()
        if not case_id:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export case file", f"{case_id}.json", "OncoBoard case files (*.json)"
        )
        if name:
            self.export_to(case_id, Path(name))

    def export_to(self, case_id: str, path: Path) -> None:
        try:
            self.service.export_file(case_id, path)
        except Exception as exc:  # noqa: BLE001
            self._show_error(exc)
            return
        self.banner.show_message(f"Exported {case_id} to {path}.", "ok")
