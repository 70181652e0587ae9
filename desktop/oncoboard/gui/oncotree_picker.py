"""OncoTree picker: type a name or a code, pick from matches as you type."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from oncoboard.gui import context as session

SEPARATOR = " — "


class OncoTreePicker(QWidget):
    """A line edit whose completer searches OncoTree codes and names."""

    code_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(
            placeholderText="Type a tumor name or OncoTree code, e.g. lung or LUAD"
        )
        self.edit.setObjectName("oncotree_edit")
        self.matches = QStringListModel(self)
        self.completer = QCompleter(self.matches, self)
        self.completer.setCompletionMode(
            QCompleter.CompletionMode.UnfilteredPopupCompletion
        )
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.name.setStyleSheet("color:#444;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.name)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._search)
        self.edit.textChanged.connect(self._changed)
        self.completer.activated.connect(self._picked)

    def _search(self, text: str) -> None:
        tree = session.oncotree()
        hits = tree.search(text.split(SEPARATOR)[0], limit=25)
        self.matches.setStringList([f"{n.code}{SEPARATOR}{n.name}" for n in hits])
        if hits:
            self.completer.complete()

    def _picked(self, text: str) -> None:
        self.edit.setText(text.split(SEPARATOR)[0])

    def _changed(self, _text: str) -> None:
        code = self.code()
        tree = session.oncotree()
        if not code:
            self.name.setText("")
        elif tree.exists(code):
            node = tree.node(code)
            self.name.setText(f"{node.name} ({node.main_type or node.tissue})")
        else:
            self.name.setText(
                "Not an OncoTree code. Pick one from the list as you type."
            )
        self.code_changed.emit(code)

    def show_problem(self, message: str) -> None:
        """Show the core's message (with the nearest codes) under the field."""
        if message:
            self.name.setText(f"⚠ {message}")
            self.name.setStyleSheet("color:#a50e0e;")
        else:
            self.name.setStyleSheet("color:#444;")

    def code(self) -> str:
        return self.edit.text().split(SEPARATOR)[0].strip().upper()

    def set_code(self, code: str) -> None:
        self.edit.setText(code)

    def is_known(self) -> bool:
        tree = session.oncotree()
        return bool(tree.exists(self.code()))
