"""The KB package stays GUI-free and the kb CLI stays cheap to import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
KB_PACKAGE = REPO / "desktop" / "oncoboard" / "core" / "kb"


def test_core_kb_never_imports_qt_or_gui() -> None:
    offenders = []
    for path in sorted(KB_PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith(("PySide6", "oncoboard.gui"))
            ]
    assert offenders == []


def test_importing_the_kb_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, oncoboard.cli.kb; "
        "heavy = ('sqlite_utils', 'cryptography', 'yaml', 'pydantic', 'pandas'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
