"""Which knowledge-base file the app uses.

Order: an explicit path, ``$ONCOBOARD_KB``, the configured ``kb.path``, an
installed update (``<data dir>/kb/current.sqlite``), then the KB packaged with
the app (``oncoboard/data/kb.sqlite``).
"""

from __future__ import annotations

import os
from pathlib import Path

from oncoboard.core.errors import NotFoundError
from oncoboard.core.paths import installed_kb_dir, package_data_dir

__all__ = [
    "installed_kb_dir",
    "installed_kb_path",
    "packaged_kb_path",
    "resolve_kb_path",
]

KB_ENV = "ONCOBOARD_KB"
PACKAGED_NAME = "kb.sqlite"


def packaged_kb_path() -> Path:
    """Return where ``oncoboard kb build`` writes by default (package data)."""
    return package_data_dir() / PACKAGED_NAME


def installed_kb_path(data_dir: Path | None = None) -> Path:
    """Return the path of the installed update (it may not exist)."""
    return installed_kb_dir(data_dir) / "current.sqlite"


def resolve_kb_path(
    explicit: Path | None = None, configured: Path | None = None
) -> Path:
    """Return the knowledge-base file to open.

    Parameters
    ----------
    explicit
        A path given on the command line or by the caller; used as is.
    configured
        The ``kb.path`` configuration value, if set.

    Returns
    -------
    Path
        An existing file.  Raises :class:`NotFoundError` with what to do if an
        explicitly named file is missing or no KB exists at all.
    """
    env = os.environ.get(KB_ENV)
    named = [
        (explicit, "the path given"),
        (Path(env) if env else None, f"${KB_ENV}"),
        (configured, "the kb.path setting"),
    ]
    for path, origin in named:
        if path is None:
            continue
        if not path.is_file():
            raise NotFoundError(
                f"Knowledge base {path} (from {origin}) does not exist."
            )
        return path
    for candidate in (installed_kb_path(), packaged_kb_path()):
        if candidate.is_file():
            return candidate
    raise NotFoundError(
        "No knowledge base found. Build one with `oncoboard kb build` (or `make "
        "demo`), or install an update bundle with `oncoboard kb install BUNDLE`."
    )
