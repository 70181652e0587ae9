"""Which optional core parts this build has, and thin adapters to them.

Several core use cases arrive in later builds.  A screen asks here first and
shows a clear "not available in this build" state instead of faking data.
Only :func:`importlib.util.find_spec` is used to probe, so nothing heavy loads.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oncoboard.core import paths

PIPELINE = "oncoboard.core.pipeline"
PROFILES = "oncoboard.core.profiles"
KB_STORE = "oncoboard.core.kb.store"
KB_UPDATE = "oncoboard.core.kb.update"
SURVIVAL_PLOTS = "oncoboard.core.survival.plots"
SURVIVAL_COHORT = "oncoboard.core.survival.cohort"
REPORT = "oncoboard.core.report"


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # the parent package failed to import
        return False


def function(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` if this build has it, else None (imports the module)."""
    if not has_module(module):
        return None
    try:
        loaded = importlib.import_module(module)
    except ImportError:  # a core package that is only partly there
        return None
    return getattr(loaded, name, None)


def missing_text(what: str, module: str) -> str:
    return (
        f"{what} is not available in this build of OncoBoard "
        f"(the core module {module} is not installed). Nothing is shown rather "
        "than anything invented."
    )


@functools.cache
def oncotree() -> Any:
    """The OncoTree release: from the knowledge base when it is available,
    otherwise the pinned release shipped with the reference data."""
    opener = function(KB_STORE, "KnowledgeBase")
    if opener is not None:
        try:
            from oncoboard.core.config import load_config

            return opener.open(configured=load_config()["kb.path"]).oncotree()
        except Exception:  # noqa: BLE001 - fall back to the pinned release
            pass
    from oncoboard.core.kb.oncotree import load_oncotree_tsv

    files = oncotree_files()
    return load_oncotree_tsv(files[-1]) if files else None


def oncotree_files() -> list[Path]:
    """The pinned OncoTree release(s) in the shared reference data folder."""
    env = os.environ.get("ONCOBOARD_SHARED_DATA")
    base = (
        Path(env)
        if env
        else paths.package_data_dir().parents[2].parent / "shared" / "data"
    )
    return sorted((base / "oncotree").glob("oncotree_*.tsv"))


def oncotree_release() -> str:
    files = oncotree_files()
    return files[-1].stem.removeprefix("oncotree_") if files else "unknown"


def gene_check(symbol: str) -> tuple[bool, str | None]:
    """(is the symbol a known HGNC symbol or alias, nearest symbol); (True, None)
    when this build cannot check."""
    known = function("oncoboard.core.profiles.genes", "is_known_gene")
    nearest = function("oncoboard.core.profiles.genes", "nearest_symbol")
    if known is None or nearest is None:
        return True, None
    if known(symbol):
        return True, None
    return False, nearest(symbol)
