"""GUI preferences: one typed registry of defaults, stored in QSettings.

QSettings holds window state and preferences only, never patient data.  It is
an INI file inside the data folder (``ONCOBOARD_HOME`` in tests), so a test
never touches a real profile.  ``SCHEMA`` versions the layout; upgrade steps
live in ``_UPGRADES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from oncoboard.core import paths

SCHEMA = 2


@dataclass(frozen=True)
class Pref:
    key: str
    type: type
    default: Any
    help: str


PREFS: dict[str, Pref] = {
    p.key: p
    for p in (
        Pref(
            "ui/autosave_seconds",
            int,
            3,
            "Seconds of inactivity before a draft is saved.",
        ),
        Pref("ui/last_screen", int, 0, "Screen shown at start-up."),
        Pref("ui/confirm_delete", bool, False, "Ask before moving a case to the bin."),
        Pref("report/open_after_export", bool, False, "Open a PDF after exporting it."),
    )
}
WINDOW_KEYS = ("window/geometry", "window/state")


def settings_file() -> str:
    return str(paths.data_dir() / "gui-settings.ini")


def qsettings() -> QSettings:
    """The application's settings object (INI file in the data folder)."""
    settings = QSettings(settings_file(), QSettings.Format.IniFormat)
    _upgrade(settings)
    return settings


def _upgrade(settings: QSettings) -> None:
    version = int(settings.value("schema", 0) or 0)
    for step in range(version, SCHEMA):
        for fn in _UPGRADES.get(step, ()):
            fn(settings)
    if version != SCHEMA:
        settings.setValue("schema", SCHEMA)


def _drop_adjustment(settings: QSettings) -> None:
    # issue 15: the patient adjustment of survival curves was removed
    settings.remove("results/adjusted")


_UPGRADES: dict[int, tuple] = {0: (), 1: (_drop_adjustment,)}


def get(key: str) -> Any:
    pref = PREFS[key]  # unknown keys are an error
    value = qsettings().value(key, pref.default)
    if pref.type is bool:
        return value in (True, "true", "1", 1)
    try:
        return pref.type(value)
    except (TypeError, ValueError):
        return pref.default


def put(key: str, value: Any) -> None:
    pref = PREFS[key]
    qsettings().setValue(key, pref.type(value))
