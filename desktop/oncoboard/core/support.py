"""The support bundle: what IT sends to the developers when something goes wrong.

:func:`export_support_bundle` writes one zip with

``README.txt``
    what the bundle holds and what it leaves out;
``versions.json``
    OncoBoard, Python, SQLite and key library versions, the platform, and
    whether this is the frozen (PyInstaller) build;
``config.json``
    every effective configuration value with the layer it came from, and the
    configuration files looked at (their paths, never their contents).  If the
    configuration is invalid, the error message instead;
``kb.json``
    the knowledge base in use (path, version, content hash, build manifest) and
    the installed updates;
``data-folder.json``
    the files under the data folder with sizes and times, never their contents;
``logs/oncoboard.log*``
    the rotating log files, keeping INFO and higher records only.

It never holds patient data or secrets: no case database or backup (only their
names and sizes), no configuration file contents, no key files (the public-key
*path* from ``kb.public_key`` only), and no DEBUG log records.  OncoBoard logs
patient data (case ids, pseudonyms, alterations) at DEBUG only
(``core/logging_setup.py``), so a site that turned ``logging.level`` to DEBUG
still exports a bundle without it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import json
import logging
import os
import platform
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oncoboard import __version__
from oncoboard.core import paths

log = logging.getLogger(__name__)

SCHEMA = "oncoboard.support-bundle/1"

# (distribution name, importable module) of the libraries worth knowing about.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "PySide6"),
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("scipy", "scipy"),
    ("matplotlib", "matplotlib"),
    ("lifelines", "lifelines"),
    ("scikit-survival", "sksurv"),
    ("scikit-learn", "sklearn"),
    ("reportlab", "reportlab"),
    ("pypdf", "pypdf"),
    ("cryptography", "cryptography"),
    ("pydantic", "pydantic"),
    ("cyvcf2", "cyvcf2"),
    ("sqlite-utils", "sqlite_utils"),
    ("click", "click"),
    ("platformdirs", "platformdirs"),
    ("PyYAML", "yaml"),
)
# Importing these to read a version would break the rule that the core never
# loads Qt; their version comes from package metadata or an already loaded module.
NEVER_IMPORT = frozenset({"PySide6"})

KEPT_LEVELS = frozenset({"INFO", "WARNING", "ERROR", "CRITICAL"})
# The record header written by core/logging_setup.py: "2026-11-22 01:02:03,456 INFO ..."
_RECORD = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ([A-Z]+) ")


def export_support_bundle(out_path: Path) -> Path:
    """Write a support bundle (zip) and return its path.

    Parameters
    ----------
    out_path
        The ``.zip`` file to write, or an existing folder, in which case the
        file is named ``oncoboard-support-<UTC time>.zip``.

    Returns
    -------
    Path
        The written file.  It is written to a temporary name first and renamed,
        so a failed export never leaves half a zip behind.

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    stamp = dt.datetime.now(dt.UTC)
    if out_path.is_dir():
        out_path = out_path / f"oncoboard-support-{stamp:%Y%m%dT%H%M%SZ}.zip"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    config, config_info = _config_section()
    configured_data_dir = config.get("paths.data_dir") if config else None
    configured_kb = config.get("kb.path") if config else None
    members: dict[str, str] = {
        "versions.json": _json(versions()),
        "config.json": _json(config_info),
        "kb.json": _json(_kb_section(configured_kb, configured_data_dir)),
        "data-folder.json": _json(_data_folder_section(configured_data_dir)),
    }
    log_names = []
    for name, log_file in _log_files(configured_data_dir):
        members[name] = filter_log_text(_read_text(log_file))
        log_names.append(f"{name} ({log_file})")
    members["README.txt"] = _readme(stamp, log_names)
    fd, tmp_name = tempfile.mkstemp(
        prefix=".support-", suffix=".zip", dir=out_path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in members.items():
                zf.writestr(name, text)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("support bundle written: %s (%d members)", out_path, len(members))
    return out_path


# -- versions ----------------------------------------------------------------------


def versions() -> dict[str, Any]:
    """Versions of OncoBoard, Python, SQLite and key libraries, and the platform."""
    return {
        "schema": SCHEMA,
        "oncoboard": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": sys.version,
        "sqlite": sqlite3.sqlite_version,
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "version": platform.version(),
            "machine": platform.machine(),
            "platform": platform.platform(),
        },
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "libraries": {
            dist: library_version(dist, module) for dist, module in LIBRARIES
        },
    }


def library_version(distribution: str, module: str) -> str:
    """A library's version from its metadata, else its module, else ``"not found"``."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        pass  # a frozen build ships few *.dist-info folders
    loaded = sys.modules.get(module)
    if loaded is None and module not in NEVER_IMPORT:
        try:
            loaded = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a broken library is itself worth reporting
            return "not importable"
    version = getattr(loaded, "__version__", None) if loaded is not None else None
    return str(version) if version else "not found"


# -- configuration -----------------------------------------------------------------


def _config_section() -> tuple[Any, dict[str, Any]]:
    from oncoboard.core.config import KEYS, load_config
    from oncoboard.core.errors import ConfigError

    info: dict[str, Any] = {
        "machine_file": _file_state(paths.system_config_file()),
        "user_file": _file_state(paths.user_config_file()),
        "environment": sorted(
            name for name in os.environ if name.startswith("ONCOBOARD_")
        ),
    }
    try:
        config = load_config()
    except ConfigError as exc:
        info["error"] = str(exc)
        return None, info
    info["values"] = {
        key.name: {
            "value": _plain(config[key.name]),
            "origin": config.origins[key.name],
        }
        for key in KEYS
    }
    info["locked"] = sorted(config.locked)
    return config, info


def _file_state(path: Path) -> dict[str, Any]:
    return {"path": str(path), "exists": path.is_file()}


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# -- knowledge base ----------------------------------------------------------------


def _kb_section(configured: Path | None, data_dir: Path | None) -> dict[str, Any]:
    from oncoboard.core.kb import paths as kbpaths

    info: dict[str, Any] = {
        "packaged": str(kbpaths.packaged_kb_path()),
        "installed_dir": str(kbpaths.installed_kb_dir(data_dir)),
    }
    try:
        active = kbpaths.resolve_kb_path(configured=configured)
    except Exception as exc:  # noqa: BLE001 - report, do not fail the export
        info["error"] = str(exc)
        return info
    info["active"] = str(active)
    info["meta"] = _kb_meta(active)
    installed = kbpaths.installed_kb_dir(data_dir)
    info["installed"] = (
        {p.name: _kb_meta(p) for p in sorted(installed.glob("*.sqlite"))}
        if installed.is_dir()
        else {}
    )
    return info


def _kb_meta(path: Path) -> dict[str, Any]:
    from oncoboard.core.kb.db import read_meta

    try:
        meta: dict[str, Any] = dict(read_meta(path))
    except (sqlite3.Error, OSError) as exc:
        return {"error": f"cannot read {path.name}: {exc}"}
    if "manifest" in meta:
        try:
            meta["manifest"] = json.loads(meta["manifest"])
        except ValueError:
            pass
    meta["size_bytes"] = path.stat().st_size
    return meta


# -- data folder and logs -------------------------------------------------------------


def _data_folder_section(configured: Path | None) -> dict[str, Any]:
    """The data folder(s): the one the configuration names and, if it differs,
    the default one (some code paths use the default; both are worth seeing)."""
    folders = [paths.data_dir(configured)]
    if paths.data_dir() != folders[0]:
        folders.append(paths.data_dir())
    return {
        "path": str(folders[0]),
        "folders": [
            {
                "path": str(root),
                "exists": root.is_dir(),
                "files": list(_listing(root)) if root.is_dir() else [],
            }
            for root in folders
        ],
    }


def _listing(root: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        stat = path.stat()
        yield {
            "path": path.relative_to(root).as_posix(),
            "size_bytes": stat.st_size,
            "modified": dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(
                timespec="seconds"
            ),
        }


def _log_files(configured: Path | None) -> Iterator[tuple[str, Path]]:
    """(member name, file) of every log file: the folder logging writes to and,
    if it differs, the configured data folder's ``logs/``."""
    folders = [paths.log_dir()]
    if paths.log_dir(configured) != folders[0]:
        folders.append(paths.log_dir(configured))
    for index, folder in enumerate(folders):
        prefix = "logs/" if index == 0 else "logs/data-dir/"
        if folder.is_dir():
            for file in sorted(folder.glob("oncoboard.log*")):
                yield prefix + file.name, file


def filter_log_text(text: str) -> str:
    """Keep INFO and higher log records (with their traceback lines); drop DEBUG.

    A line that does not start a record (a traceback, a multi-line message)
    belongs to the record above it and shares its fate.  Lines before the first
    record header are dropped: their level is unknown.
    """
    return "".join(filter_log_lines(text.splitlines(keepends=True)))


def filter_log_lines(lines: Iterable[str]) -> Iterator[str]:
    """Line-by-line form of :func:`filter_log_text`."""
    keep = False
    for line in lines:
        match = _RECORD.match(line)
        if match:
            keep = match.group(1) in KEPT_LEVELS
        if keep:  # a traceback's exception text may quote patient data
            yield (
                line
                if match and match.group(1) in ("INFO", "WARNING")
                else scrub_line(line)
            )


def scrub_line(line: str) -> str:
    """An ERROR record or traceback line without quoted data or JSON (see core/scrub.py)."""
    from oncoboard.core.scrub import scrub

    ending = "\n" if line.endswith("\n") else ""
    return scrub(line.rstrip("\n"), limit=2000) + ending


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(cannot read {path.name}: {exc})\n"


def _readme(stamp: dt.datetime, logs: list[str]) -> str:
    listed = "\n".join(f"                  {name}" for name in logs) or (
        "                  (no log files found)"
    )
    return (
        f"OncoBoard support bundle ({SCHEMA})\n"
        f"OncoBoard {__version__}, written {stamp.isoformat(timespec='seconds')}\n\n"
        "versions.json     OncoBoard, Python and library versions; platform\n"
        "config.json       effective configuration and the layer of each value\n"
        "kb.json           the knowledge base in use and installed updates\n"
        "data-folder.json  names and sizes of the files in the data folder\n"
        "logs/             log files, INFO and higher records only:\n"
        f"{listed}\n\n"
        "Left out on purpose: the case database and its backups (names and sizes\n"
        "only), configuration file contents, key files, DEBUG log records (the\n"
        "only level at which OncoBoard logs patient data).\n"
    )


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False, default=str) + "\n"


__all__ = [
    "export_support_bundle",
    "filter_log_text",
    "library_version",
    "versions",
]
