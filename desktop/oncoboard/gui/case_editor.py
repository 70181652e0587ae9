"""Case editor: patient and tumor, prior therapies, samples and alterations,
HER2 and other biomarkers.  Validated as you type; valid edits autosave,
edits that cannot be saved yet are kept in a crash-recovery journal
(:mod:`oncoboard.gui.draft_recovery`); a stale save shows the conflict and
lets the user decide."""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core.errors import ConflictError, Problem, UserInputError
from oncoboard.gui import context as session
from oncoboard.gui import settings
from oncoboard.gui.biomarkers_form import BiomarkersForm
from oncoboard.gui.board_question_form import BoardQuestionForm
from oncoboard.gui.conflict_dialog import ConflictDialog, Resolution
from oncoboard.gui.draft_recovery import DraftJournal, UnsavedEdits, now_text
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.her2_panel import Her2Panel
from oncoboard.gui.patient_form import PatientTumorForm
from oncoboard.gui.samples_form import SamplesForm
from oncoboard.gui.services import STATUS_LABELS, CaseService
from oncoboard.gui.therapies_form import TherapiesForm
from oncoboard.gui.variant_import_dialog import VariantImportDialog
from oncoboard.gui.widgets import (
    Banner,
    describe_problem,
    error_label,
    mark_invalid,
    show_errors,
)

if TYPE_CHECKING:
    from oncoboard.core.case import Case

log = logging.getLogger(__name__)
NEW_CASE = {"schema": "oncoboard.case/1", "case_id": "", "tumor": {"oncotree_code": ""}}
JOURNAL_DELAY_MS = (
    400  # short: the journal is the only copy of edits that cannot be saved
)


class CaseEditor(QWidget):
    """Edits one case at a time; :attr:`saved` fires after each stored version."""

    saved = Signal(str)  # case id
    case_loaded = Signal(str)

    def __init__(self, service: CaseService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_editor")
        self.service = service
        self.case_id: str | None = None  # id as stored; None for a new, unsaved case
        self.version = 0
        self.dirty = False
        self.valid_case: Case | None = None
        self._base: dict[str, Any] = copy.deepcopy(NEW_CASE)
        self._loading = False
        self._build()
        self.autosave = QTimer(self, singleShot=True)
        self.autosave.timeout.connect(self.save)
        self.journal = DraftJournal(service.unsaved_edits_file)
        self.journal_timer = QTimer(self, singleShot=True, interval=JOURNAL_DELAY_MS)
        self.journal_timer.timeout.connect(self.write_journal)
        self.setEnabled(False)

    def _build(self) -> None:
        self.case_id_edit = QLineEdit(placeholderText="the board's case identifier")
        self.status = QComboBox()
        for key, label in STATUS_LABELS.items():
            self.status.addItem(label, key)
        self.state = QLabel("No case open.")
        self.state.setObjectName("save_state")
        self.save_button = QPushButton("&Save now")
        self.save_button.clicked.connect(self.save)
        header = QHBoxLayout()
        header.addWidget(QLabel("Case &ID"))
        header.addWidget(self.case_id_edit, 1)
        header.addWidget(QLabel("Stat&us"))
        header.addWidget(self.status)
        header.addWidget(self.state, 1)
        header.addWidget(self.save_button)
        for label in (header.itemAt(0).widget(), header.itemAt(2).widget()):
            label.setBuddy(
                self.case_id_edit if label.text() == "Case &ID" else self.status
            )
        self.patient = PatientTumorForm()
        self.therapies = TherapiesForm()
        self.samples = SamplesForm()
        self.her2 = Her2Panel()
        self.biomarkers = BiomarkersForm()
        self.question = BoardQuestionForm()
        self.forms = (
            self.patient, self.question, self.therapies, self.samples, self.her2, self.biomarkers
        )  # fmt: skip
        self.tabs = QTabWidget()
        self.page_patient = QWidget()
        first = QVBoxLayout(self.page_patient)
        first.addWidget(self.patient)
        question = QGroupBox("Question for the board")
        QVBoxLayout(question).addWidget(self.question)
        first.addWidget(question)
        therapies = QGroupBox("Prior therapies")
        QVBoxLayout(therapies).addWidget(self.therapies)
        first.addWidget(therapies, 1)
        self.page_markers = QWidget()
        markers = QHBoxLayout(self.page_markers)
        her2 = QGroupBox("HER2")
        QVBoxLayout(her2).addWidget(self.her2)
        others = QGroupBox("Other biomarkers")
        QVBoxLayout(others).addWidget(self.biomarkers)
        markers.addWidget(her2, 3)
        markers.addWidget(others, 2)
        for widget, title in (
            (self.page_patient, "Patient, tumor && prior therapies"),
            (self.samples, "Samples && alterations"),
            (self.page_markers, "HER2 && other biomarkers"),
        ):
            self.tabs.addTab(widget, title)
        self.banner = Banner()
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.errors)
        for form in self.forms:
            form.changed.connect(self.on_changed)
        self.case_id_edit.textChanged.connect(self.on_changed)
        self.status.currentIndexChanged.connect(self.on_changed)
        self.samples.import_requested.connect(self.import_variants)

    # --- loading -------------------------------------------------------------
    def new_case(self) -> bool:
        if not self.leave_current():
            return False
        self._load(copy.deepcopy(NEW_CASE), None, 0, "draft")
        self.tabs.setCurrentIndex(0)
        self.case_id_edit.setFocus()
        return True

    def open_case(self, case_id: str) -> bool:
        if case_id == self.case_id:
            return True
        if not self.leave_current():
            return False
        try:
            stored = self.service.get(case_id)
        except Exception as exc:  # noqa: BLE001
            self._error(exc)
            return False
        self._load(_as_dict(stored.case), stored.case_id, stored.version, stored.status)
        return True

    def _load(
        self, data: dict[str, Any], case_id: str | None, version: int, status: str
    ) -> None:
        self._loading = True
        try:
            self._base = data
            self.case_id, self.version = case_id, version
            self.case_id_edit.setText(data.get("case_id", ""))
            self.status.setCurrentIndex(max(self.status.findData(status), 0))
            for form in self.forms:
                form.load(data)
        finally:
            self._loading = False
        self.setEnabled(True)
        self.dirty = False
        self.banner.hide()
        self.validate()
        self._set_state()
        if case_id:
            self.case_loaded.emit(case_id)

    def leave_current(self) -> bool:
        """Save the open case before another replaces it; if it cannot be saved,
        ask before its edits are dropped.  False: stay on the current case."""
        if self.flush() or not self.has_unsaved_work():
            return True
        if not self.confirm_discard():
            return False
        self.discard_unsaved()
        return True

    def confirm_discard(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Unsaved changes",
            "The open case has changes that cannot be saved yet (fields marked in red, "
            "or a conflict to resolve). Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def discard_unsaved(self) -> None:
        self.autosave.stop()
        self.journal_timer.stop()
        self.dirty = False
        self.journal.clear()

    def restore(self, edits: UnsavedEdits) -> None:
        """Put edits recovered from the journal back into the editor, unsaved."""
        self._load(edits.data, edits.case_id, edits.version, edits.status)
        self.dirty = True
        self.validate()
        self._set_state()
        self.banner.show_message(
            f"Restored unsaved edits from {edits.saved_at}. Check them, then save (Ctrl+S).",
            "warning",
        )

    def write_journal(self) -> None:
        if not self.dirty or not self.isEnabled():
            return
        self.journal.write(
            UnsavedEdits(
                data=self.build_dict(),
                case_id=self.case_id,
                version=self.version,
                status=str(self.status.currentData()),
                saved_at=now_text(),
            )
        )

    # --- editing -------------------------------------------------------------
    def build_dict(self) -> dict[str, Any]:
        data = copy.deepcopy(self._base)
        data["schema"] = "oncoboard.case/1"
        data["case_id"] = self.case_id_edit.text().strip()
        data.update(self.patient.values(data))
        data.update(self.question.values(data))
        data.update(self.therapies.values(data))
        data.update(self.samples.values(data))
        bio = dict(data.get("biomarkers") or {})
        bio = self.her2.values(self.biomarkers.values(bio))
        data["biomarkers"] = bio
        for key in (
            "prior_therapies",
            "samples",
            "biomarkers",
            "patient",
            "board_question",
        ):
            if not data.get(key):
                data.pop(key, None)
        return data

    def on_changed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.validate()
        self._set_state()
        self.journal_timer.start()
        self.autosave.start(settings.get("ui/autosave_seconds") * 1000)

    def validate(self) -> Case | None:
        from oncoboard.core.case import parse_case

        try:
            self.valid_case = parse_case(self.build_dict(), source="case editor")
            problems: list[Problem] = _vocabulary_problems(self.valid_case)
        except UserInputError as exc:
            self.valid_case, problems = None, exc.problems
        if problems:
            self.valid_case = None
        mark_invalid(
            self.case_id_edit,
            next((p.message for p in problems if p.location == "case_id"), None),
        )
        shown: list[str] = []
        for form in self.forms:
            shown += form.show_problems(problems)
        rest = [
            describe_problem(p)
            for p in problems
            if not p.location.startswith(
                (
                    "patient",
                    "tumor",
                    "prior_therapies",
                    "samples",
                    "biomarkers",
                    "board_question",
                )
            )
        ]
        show_errors(self.errors, rest + shown)
        her2 = self.valid_case.biomarkers.her2 if self.valid_case else None
        self.her2.show_status(her2, self.patient.oncotree.code())
        return self.valid_case

    def _set_state(self) -> None:
        if not self.isEnabled():
            return
        if self.dirty and self.valid_case is None:
            text = "⚠ Not saved: fix the fields marked in red"
        elif self.dirty:
            text = "Unsaved changes (autosave in a moment)"
        elif self.case_id is None:
            text = "New case: enter a case ID and tumor type"
        else:
            text = f"✓ Saved — version {self.version}"
        self.state.setText(text)

    # --- saving --------------------------------------------------------------
    def flush(self) -> bool:
        """Save pending valid edits now; False when edits remain unsaved."""
        self.autosave.stop()
        if self.dirty:
            return self.save()
        return True

    def has_unsaved_work(self) -> bool:
        return self.dirty

    def save(self) -> bool:
        self.autosave.stop()
        case = self.validate()
        if case is None:
            self._set_state()
            if self.patient.unknown_code_message:  # say why, where the user looks
                self.banner.show_message(
                    f"Not saved: {self.patient.unknown_code_message}", "error"
                )
            return False
        status = self.status.currentData()
        try:
            if self.case_id is None:
                stored = self.service.create(case, status)
            else:
                stored = self.service.update(
                    self.case_id, case, based_on=self.version, status=status
                )
        except ConflictError:
            return self.resolve_conflict(case)
        except Exception as exc:  # noqa: BLE001
            self._error(exc)
            return False
        self._stored(stored)
        return True

    def _stored(self, stored: Any) -> None:
        self.case_id, self.version = stored.case_id, stored.version
        self._base = _as_dict(stored.case)
        self.dirty = False
        self.journal_timer.stop()
        self.journal.clear()
        self.banner.hide()
        self._set_state()
        self.saved.emit(stored.case_id)

    def resolve_conflict(self, mine: Case) -> bool:
        from oncoboard.core.case import case_to_json

        assert self.case_id is not None
        theirs = self.service.get(self.case_id)
        dialog = ConflictDialog(
            self.case_id,
            case_to_json(mine),
            case_to_json(theirs.case),
            theirs.version,
            self,
        )
        self.state.setText("⚠ Conflict: changed elsewhere — not saved")
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.resolution is None:
            self.banner.show_message(
                "This case was changed elsewhere; your edits are not saved yet. "
                "Save again (Ctrl+S) to choose what to keep.",
                "warning",
            )
            return False
        return self._apply_resolution(dialog.resolution, mine, theirs)

    def _apply_resolution(
        self, resolution: Resolution, mine: Case, theirs: Any
    ) -> bool:
        try:
            if resolution is Resolution.TAKE_THEIRS:
                self.discard_unsaved()
                self._load(
                    _as_dict(theirs.case), theirs.case_id, theirs.version, theirs.status
                )
                return True
            if resolution is Resolution.KEEP_MINE:
                stored = self.service.update(
                    self.case_id,
                    mine,
                    based_on=theirs.version,
                    status=self.status.currentData(),
                )
            else:
                new_id = self.service.free_id(f"{mine.case_id} (my edits)")
                stored = self.service.create(
                    mine.model_copy(update={"case_id": new_id})
                )
        except Exception as exc:  # noqa: BLE001
            self._error(exc)
            return False
        self._stored(stored)
        self._load(_as_dict(stored.case), stored.case_id, stored.version, stored.status)
        return True

    def _error(self, exc: BaseException) -> None:
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "case editor")

    # --- variant import ------------------------------------------------------
    def import_variants(
        self, sample_id: str, path: Any = None
    ) -> VariantImportDialog | None:
        if not sample_id:
            self.banner.show_message("Add and select a sample first.", "error")
            return None
        dialog = VariantImportDialog(sample_id, path, self)
        dialog.accepted.connect(
            lambda: self.samples.add_alterations(dialog.alterations())
        )
        dialog.open()
        return dialog


def _vocabulary_problems(case: Case) -> list[Problem]:
    """An OncoTree code the knowledge base does not know is invalid input: the
    save is refused with the nearest codes (the check ``match`` and ``case
    import`` make).  Without any OncoTree release the code cannot be checked."""
    from oncoboard.core.kb.case_checks import tumor_code_problem

    tree = session.oncotree()
    if tree is None:
        return []
    problem = tumor_code_problem(case.tumor.oncotree_code, tree)
    return [problem] if problem is not None else []


def _as_dict(case: Case) -> dict[str, Any]:
    from oncoboard.core.case.io import case_to_dict

    return case_to_dict(case)
