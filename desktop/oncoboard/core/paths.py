"""Where OncoBoard keeps its files.

``ONCOBOARD_HOME`` (or the ``paths.data_dir`` config key) puts everything —
database, logs, installed KB updates, cohorts — under one folder, which is
what tests, portable installs and IT deployments want.  Otherwise the
platform's user folders are used (platformdirs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "OncoBoard"


def _home_override() -> Path | None:
    home = os.environ.get("ONCOBOARD_HOME")
    return Path(home).expanduser() if home else None


def _configured_data_dir() -> Path | None:
    """``paths.data_dir`` from the layered configuration (machine, user, environment)."""
    from oncoboard.core.config import load_config

    value = load_config()["paths.data_dir"]
    return Path(value) if value else None


def data_dir(configured: Path | None = None) -> Path:
    """The user data folder (database, backups, installed KB, cohorts).

    Order: ``ONCOBOARD_HOME``, an explicit ``configured`` folder, the
    ``paths.data_dir`` configuration key, then the platform's user data folder.
    """
    base = _home_override() or configured or _configured_data_dir()
    if base is None:
        import platformdirs

        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return base


def log_dir(configured: Path | None = None) -> Path:
    base = _home_override() or configured or _configured_data_dir()
    if base is not None:
        return base / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def user_config_file() -> Path:
    explicit = os.environ.get("ONCOBOARD_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = _home_override()
    if home is not None:
        return home / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def system_config_file() -> Path:
    """The machine-wide file IT deploys (``ONCOBOARD_SYSTEM_CONFIG`` overrides, for tests)."""
    explicit = os.environ.get("ONCOBOARD_SYSTEM_CONFIG")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        program_data = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(program_data) / APP_NAME / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / "config.toml"
    return Path("/etc/oncoboard/config.toml")


def database_file(configured_data_dir: Path | None = None) -> Path:
    return data_dir(configured_data_dir) / "cases.sqlite"


def package_data_dir() -> Path:
    """Data shipped inside the package (built KB); also valid inside a PyInstaller bundle."""
    return Path(__file__).resolve().parent.parent / "data"
