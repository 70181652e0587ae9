"""Where the survival code finds shared data and stores fitted cohorts."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA_ENV = "ONCOBOARD_SHARED_DATA"


def shared_data_dir() -> Path:
    """Return ``$ONCOBOARD_SHARED_DATA`` or ``<repo>/../shared/data``.

    Returns
    -------
    Path
        The shared data folder (it may not exist; callers check).
    """
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env).expanduser()
    repo_root = Path(__file__).resolve().parents[4]
    return (repo_root.parent / "shared" / "data").resolve()


def kmdata_dir() -> Path:
    """Return the folder of reconstructed individual patient data (kmdata)."""
    return shared_data_dir() / "survival" / "kmdata_ipd"


def cohorts_dir() -> Path:
    """Return the folder of fitted institutional cohorts: ``<data dir>/cohorts``.

    The data dir is resolved as for everything else (``core/paths.py``):
    ``ONCOBOARD_HOME``, then the ``paths.data_dir`` configuration key, then
    the platform's user data folder.
    """
    from oncoboard.core.paths import data_dir

    return data_dir() / "cohorts"
