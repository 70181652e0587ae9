"""The profiles package is core: it must never import Qt or the GUI."""

from __future__ import annotations

import ast
from pathlib import Path

import oncoboard.core.profiles as profiles

FORBIDDEN = ("PySide6", "oncoboard.gui", "shiboken6")


def test_profiles_never_import_the_gui() -> None:
    offenders = []
    for path in Path(profiles.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
