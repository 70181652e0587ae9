"""Where OncoBoard keeps and finds its files: the one place for folder lookup.

User data: ``ONCOBOARD_HOME`` (or the ``paths.data_dir`` config key) puts
everything — database, backups, logs, installed KB updates, cohorts — under
one folder, which is what tests, portable installs and IT deployments want.
Otherwise the platform's user folders are used (platformdirs).

Read-only data: the packaged KB (``oncoboard/data``), the curated reference
tables (``knowledgebase/reference`` in a checkout) and the shared open data
(``../shared/data`` beside the checkout); ``ONCOBOARD_REFERENCE_DIR`` and
``ONCOBOARD_SHARED_DATA`` override them.  An installed bundle has no checkout:
the copies ``make kb`` staged under ``oncoboard/data/reference`` are used.
"""

from __future__ import annotations

import os
from pathlib import Path

from oncoboard.core.config import (
    APP_NAME,
    home_override,
    load_config,
    system_config_file,
    user_config_file,
)

__all__ = [
    "APP_NAME",
    "SHARED_DATA_ENV",
    "cohorts_dir",
    "data_dir",
    "database_file",
    "installed_kb_dir",
    "kmdata_dir",
    "log_dir",
    "package_data_dir",
    "reference_dir",
    "repo_root",
    "shared_data_dir",
    "system_config_file",
    "trials_file",
    "user_config_file",
]

SHARED_DATA_ENV = "ONCOBOARD_SHARED_DATA"
REFERENCE_ENV = "ONCOBOARD_REFERENCE_DIR"


def _configured_data_dir() -> Path | None:
    """``paths.data_dir`` from the layered configuration (machine, user, environment)."""
    value = load_config()["paths.data_dir"]
    return Path(value) if value else None


def data_dir(configured: Path | None = None) -> Path:
    """The user data folder (database, backups, installed KB, cohorts).

    Order: ``ONCOBOARD_HOME``, an explicit ``configured`` folder, the
    ``paths.data_dir`` configuration key, then the platform's user data folder.
    """
    base = home_override() or configured or _configured_data_dir()
    if base is None:
        import platformdirs

        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base


def log_dir(configured: Path | None = None) -> Path:
    base = home_override() or configured or _configured_data_dir()
    if base is not None:
        return base / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def database_file(configured_data_dir: Path | None = None) -> Path:
    return data_dir(configured_data_dir) / "cases.sqlite"


def trials_file(configured_data_dir: Path | None = None) -> Path:
    """The imported trial snapshot, apart from the case database: ``<data dir>/trials.sqlite``."""
    return data_dir(configured_data_dir) / "trials.sqlite"


def cohorts_dir(configured: Path | None = None) -> Path:
    """Fitted institutional cohorts: ``<data dir>/cohorts``."""
    return data_dir(configured) / "cohorts"


def installed_kb_dir(configured: Path | None = None) -> Path:
    """Installed KB updates and the rollback copy: ``<data dir>/kb``."""
    return data_dir(configured) / "kb"


def package_data_dir() -> Path:
    """Data shipped inside the package (built KB); also valid inside a PyInstaller bundle."""
    return Path(__file__).resolve().parent.parent / "data"


def repo_root() -> Path:
    """The checkout root (``desktop/oncoboard/core`` is three levels down)."""
    return Path(__file__).resolve().parents[3]


def packaged_reference_dir() -> Path:
    """Reference tables staged by ``make kb`` for an installed bundle."""
    return package_data_dir() / "reference"


def shared_data_dir(*, packaged_fallback: bool = True) -> Path:
    """The shared read-only data: ``$ONCOBOARD_SHARED_DATA``, ``../shared/data`` beside
    the checkout, or (``packaged_fallback``, an installed bundle) the staged copies.
    The folder may not exist; callers raise naming the missing file."""
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        return Path(env).expanduser()
    repo = (repo_root().parent / "shared" / "data").resolve()
    if repo.is_dir() or not packaged_fallback:
        return repo
    return packaged_reference_dir() / "shared"


def kmdata_dir() -> Path:
    """Reconstructed individual patient data (kmdata) in the shared data."""
    return shared_data_dir() / "survival" / "kmdata_ipd"


def reference_dir() -> Path:
    """The curated reference tables (``thresholds.yaml``, gene lists)."""
    env = os.environ.get(REFERENCE_ENV)
    if env:
        return Path(env)
    repo = repo_root() / "knowledgebase" / "reference"
    return repo if repo.is_dir() else packaged_reference_dir() / "curated"
