"""Two kinds of error, two paths.

Expected problems (:class:`UserInputError`, :class:`ConflictError`,
:class:`NotFoundError`, :class:`StorageError`) are shown where the user is, by
the screen, through :func:`user_message`.  Anything else goes to
:func:`report_unexpected`: logged with its traceback and shown in one dialog
with a "Copy details" button.  :func:`install_excepthooks` routes uncaught
exceptions of every thread there.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from oncoboard.core.errors import (
    ConflictError,
    NotFoundError,
    StorageError,
    UserInputError,
)

log = logging.getLogger(__name__)

EXPECTED = (UserInputError, ConflictError, NotFoundError, StorageError)


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, EXPECTED)


def user_message(exc: BaseException) -> str:
    """The words to show inline for an expected error."""
    if isinstance(exc, UserInputError):
        if exc.problems:
            return "\n".join(str(p) for p in exc.problems) + (
                f"\n{exc.hint}" if exc.hint else ""
            )
    return str(exc)


def details_of(exc: BaseException) -> str:
    text = getattr(exc, "__traceback_text__", None)
    if text:
        return text
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorDialog(QDialog):
    """The one dialog for unexpected errors: a summary, details and a copy button."""

    def __init__(
        self, summary: str, details: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("OncoBoard — unexpected error")
        self.setObjectName("error_dialog")
        layout = QVBoxLayout(self)
        from oncoboard.core.paths import log_dir

        intro = QLabel(
            "Something went wrong that OncoBoard did not expect. Your saved cases "
            "are not affected. The details below were written to the log in "
            f"{log_dir()}; copy them into a support request."
        )
        intro.setWordWrap(True)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        for widget in (intro, self.summary, self.details, buttons):
            layout.addWidget(widget)

    def copy_details(self) -> None:
        text = f"{self.summary.text()}\n\n{self.details.toPlainText()}"
        QApplication.clipboard().setText(text)
        self.copy_button.setText("Copied")


class _Bridge(QObject):
    """Moves reports from any thread to the GUI thread."""

    report = Signal(str, str)


_bridge: _Bridge | None = None
_open_dialogs: list[ErrorDialog] = []


def _show(summary: str, details: str) -> None:
    parent = QApplication.activeWindow()
    dialog = ErrorDialog(summary, details, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r, d=dialog: _open_dialogs.remove(d))
    dialog.show()


def report_unexpected(exc: BaseException, context: str = "") -> None:
    """Log an unexpected error and show it in the error dialog (thread-safe)."""
    details = details_of(exc)
    summary = f"{context + ': ' if context else ''}{type(exc).__name__}: {exc}"
    log.error("unexpected error%s\n%s", f" ({context})" if context else "", details)
    if _bridge is not None:
        _bridge.report.emit(summary, details)


def _sys_hook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    exc.__traceback_text__ = "".join(  # type: ignore[attr-defined]
        traceback.format_exception(exc_type, exc, tb)
    )
    report_unexpected(exc, "uncaught")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _sys_hook(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthooks() -> None:
    """Send uncaught exceptions (any thread) to the log and the error dialog."""
    global _bridge
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.report.connect(_show, Qt.ConnectionType.QueuedConnection)
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def uninstall_excepthooks() -> None:
    global _bridge
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    _bridge = None
