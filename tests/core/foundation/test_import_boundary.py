"""core/ never imports Qt or the GUI (STYLE.md: a pure core, a thin GUI)."""

from __future__ import annotations

import ast
from pathlib import Path

import oncoboard.core

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "oncoboard.gui", "matplotlib.backends.backend_qt")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_core_does_not_import_qt_or_gui() -> None:
    core = Path(oncoboard.core.__file__).parent
    files = sorted(core.rglob("*.py"))
    assert len(files) > 10
    offenders = [
        f"{path.relative_to(core)}:{line} imports {name}"
        for path in files
        for line, name in _imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_the_check_catches_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\n")
    assert _imports(bad) == [(1, "PySide6.QtWidgets")]
