"""The layers of docs/ARCHITECTURE.md, enforced by import-linter (`make lint` runs
`lint-imports`; this test runs it too, so `make test` fails on a broken layer), and
the diagram and the contract name the same layers in the same order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contract() -> dict:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        c for c in data["tool"]["importlinter"]["contracts"] if c["id"] == "layers"
    ]
    return layers


def _short(layer: str) -> str:
    """``oncoboard.gui | oncoboard.cli`` -> ``gui | cli``; the base modules -> ``base``."""
    names = [re.split(r"\s*[|:]\s*", layer)][0]
    parts = [
        n.removeprefix("oncoboard.core.").removeprefix("oncoboard.") for n in names
    ]
    if "errors" in parts:
        return "base"
    if "api" in parts:
        return "api"
    sep = " | " if "|" in layer else " : "
    return sep.join(parts)


def test_import_linter_contracts_are_kept() -> None:
    assert LINT_IMPORTS.is_file(), (
        "import-linter is a dev dependency: pip install -e '.[dev]'"
    )
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_architecture_doc_diagram_is_the_checked_contract() -> None:
    doc = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- layers -->\n```\n(.*?)```", doc, re.S)
    assert match, (
        "docs/ARCHITECTURE.md has a ```-fenced layer list after <!-- layers -->"
    )
    in_doc = [line.split("#")[0].strip() for line in match.group(1).splitlines()]
    in_doc = [line for line in in_doc if line and not set(line) <= set("↓│▼ ")]
    assert in_doc == [_short(layer) for layer in _contract()["layers"]]
    assert " -> ".join(in_doc) in _contract()["name"].replace("Layers: ", "")


def test_core_and_cli_never_import_qt() -> None:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (qt,) = [
        c
        for c in data["tool"]["importlinter"]["contracts"]
        if c["id"] == "no-qt-below-gui"
    ]
    assert {"oncoboard.core", "oncoboard.cli"} <= set(qt["source_modules"])
    assert {"PySide6", "oncoboard.gui"} <= set(qt["forbidden_modules"])
    assert shutil.which("lint-imports") or LINT_IMPORTS.is_file()
