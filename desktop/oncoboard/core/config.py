"""Configuration: one typed registry of keys, layered machine → user → environment.

Files are TOML with sections, e.g.::

    [institution]
    name = "Hôpital Exemple — Molecular Tumor Board"
    logo = "/etc/oncoboard/logo.png"

    [report]
    deidentified = true

    [policy]
    locked = ["report.deidentified"]   # machine file only: users cannot override

Layers, later wins: built-in defaults, the machine-wide file
(``/etc/oncoboard/config.toml``; ``%PROGRAMDATA%\\OncoBoard\\config.toml`` on
Windows), the user file, then ``ONCOBOARD_<SECTION>_<KEY>`` environment
variables.  A key the machine file lists under ``policy.locked`` keeps the
machine value.  An unknown key or a wrong type is a :class:`ConfigError`
naming the file and the key.  Every key is documented in ``docs/config.md``
(a test keeps the two in step).
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncoboard.core.errors import ConfigError, Problem

APP_NAME = "OncoBoard"
HOME_ENV = "ONCOBOARD_HOME"


def home_override() -> Path | None:
    """``$ONCOBOARD_HOME``: one folder for everything (tests, portable installs)."""
    home = os.environ.get(HOME_ENV)
    return Path(home).expanduser() if home else None


def user_config_file() -> Path:
    """The user's TOML file (``ONCOBOARD_CONFIG`` or ``$ONCOBOARD_HOME/config.toml`` overrides)."""
    explicit = os.environ.get("ONCOBOARD_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = home_override()
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


@dataclass(frozen=True)
class Key:
    name: str  # "section.key"
    type: type
    default: Any
    doc: str
    choices: tuple[str, ...] = ()


KEYS: tuple[Key, ...] = (
    Key("institution.name", str, "", "Institution name printed in the report header."),
    Key(
        "institution.logo", Path, None, "Path to a PNG/JPEG logo for the report header."
    ),
    Key(
        "paths.data_dir",
        Path,
        None,
        "Folder for the case database, backups, logs, installed KB updates and cohorts. "
        "ONCOBOARD_HOME overrides it.",
    ),
    Key(
        "kb.path",
        Path,
        None,
        "Use this knowledge-base file instead of the installed or bundled one.",
    ),
    Key(
        "kb.public_key",
        Path,
        None,
        "Pinned Ed25519 public key (PEM) that KB update bundles must be signed with.",
    ),
    Key(
        "kb.site_overlay",
        Path,
        None,
        "The site's own curation (a folder of YAML files or one file) laid over the KB "
        "for analysis; by default <data dir>/site-curation when it exists.",
    ),
    Key(
        "report.deidentified",
        bool,
        False,
        "Export reports de-identified by default (no pseudonym, age band).",
    ),
    Key("report.page_size", str, "A4", "Report paper size.", ("A4", "Letter")),
    Key("report.prepared_by", str, "", "Default 'prepared by' line on reports."),
    Key(
        "logging.level",
        str,
        "INFO",
        "Log level of the rotating log file.",
        ("DEBUG", "INFO", "WARNING", "ERROR"),
    ),
    Key(
        "trials.sites",
        list,
        [],
        'Site names (e.g. "Tata Memorial"): trials recruiting at a location whose facility, '
        "city or country contains one are matched; empty = every imported trial.",
    ),
    Key(
        "trials.max_age_days",
        int,
        30,
        "After this many days without an import, screens and reports say the trial snapshot "
        "is stale.",
    ),
    Key(
        "policy.locked",
        list,
        [],
        'Machine file only: keys (e.g. "report.deidentified") users cannot override.',
    ),
)
KEY_BY_NAME: dict[str, Key] = {k.name: k for k in KEYS}


@dataclass(frozen=True)
class Config:
    values: Mapping[str, Any]
    origins: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values[name]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def locked(self) -> frozenset[str]:
        return frozenset(self.values["policy.locked"])


def _coerce(
    key: Key, value: Any, where: str, source: str, base_dir: Path | None
) -> Any:
    def fail(expected: str) -> ConfigError:
        return ConfigError(
            source, [Problem(where, f"expected {expected}, got {value!r}")]
        )

    if key.type is bool:
        return _coerce_bool(value, fail)
    if key.type is list:
        return _coerce_list(key, value, where, source, fail)
    if key.type is int:
        return _coerce_int(value, fail)
    if not isinstance(value, str):
        raise fail("a string")
    if key.choices and value not in key.choices:
        raise fail(f"one of {', '.join(key.choices)}")
    if key.type is Path:
        try:
            path = Path(value).expanduser()
        except RuntimeError:  # "~someone/..." for a user that does not exist
            raise fail("a path (the user in '~user' does not exist)") from None
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return path
    return value


def _coerce_list(
    key: Key, value: Any, where: str, source: str, fail: Callable[[str], ConfigError]
) -> list[str]:
    """A list of strings (a comma-separated string is accepted); policy.locked names keys."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(
            "a list of key names"
            if key.name == "policy.locked"
            else "a list of strings"
        )
    if key.name == "policy.locked":
        unknown = [v for v in value if v not in KEY_BY_NAME]
        if unknown:
            raise ConfigError(source, [Problem(where, f"unknown key(s) {unknown}")])
    return value


def _coerce_int(value: Any, fail: Callable[[str], ConfigError]) -> int:
    if isinstance(value, bool):
        raise fail("a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise fail("a whole number")
    if not 0 < number <= 100_000:
        raise fail("a whole number from 1 to 100000")
    return number


def _coerce_bool(value: Any, fail: Callable[[str], ConfigError]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {
        "1",
        "true",
        "yes",
        "on",
        "0",
        "false",
        "no",
        "off",
    }:
        return value.lower() in {"1", "true", "yes", "on"}
    raise fail("true or false")


MAX_CONFIG_BYTES = 1024 * 1024  # a configuration file is a few hundred bytes


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_CONFIG_BYTES:
                raise ConfigError(
                    path,
                    [
                        Problem(
                            "",
                            f"file is {size:,} bytes; a configuration "
                            f"file may be at most {MAX_CONFIG_BYTES:,} bytes",
                        )
                    ],
                )
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [Problem("", f"not valid TOML: {exc}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [Problem("", f"cannot be read: {exc}")]) from None
    except (
        ValueError,
        RecursionError,
    ) as exc:  # 5,000-digit integers, 100,000-deep arrays
        raise ConfigError(path, [Problem("", f"not valid TOML: {exc}")]) from None


def _flatten(data: dict[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, body in data.items():
        if not isinstance(body, dict):
            raise ConfigError(
                path,
                [Problem(section, "expected a [section] table; see docs/config.md")],
            )
        for name, value in body.items():
            dotted = f"{section}.{name}"
            if dotted not in KEY_BY_NAME:
                known = ", ".join(k.name for k in KEYS)
                raise ConfigError(
                    path, [Problem(dotted, f"unknown key; known keys: {known}")]
                )
            flat[dotted] = value
    return flat


def env_var_name(key: str) -> str:
    return "ONCOBOARD_" + key.replace(".", "_").upper()


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


_cache: dict[tuple[Any, ...], Config] = {}


def load_config(
    system_file: Path | None = None,
    user_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Read the layered configuration; raise ConfigError on unknown keys or bad values.

    The files are read and checked once: later calls return the same
    :class:`Config` until a file or an ``ONCOBOARD_*`` variable changes (the
    cache key holds both, so a changed file is never served stale).
    """
    environ = os.environ if environ is None else environ
    system_file = system_file or system_config_file()
    user_file = user_file or user_config_file()
    key = (
        system_file,
        user_file,
        _file_stamp(system_file),
        _file_stamp(user_file),
        tuple(sorted((k, v) for k, v in environ.items() if k.startswith("ONCOBOARD_"))),
    )
    if key not in _cache:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = _read_config(system_file, user_file, environ)
    return _cache[key]


def clear_config_cache() -> None:
    """Forget read configurations (the next :func:`load_config` reads the files)."""
    _cache.clear()


def _read_config(
    system_file: Path, user_file: Path, environ: Mapping[str, str]
) -> Config:
    values: dict[str, Any] = {k.name: k.default for k in KEYS}
    origins: dict[str, str] = {k.name: "default" for k in KEYS}

    def apply(
        raw: Mapping[str, Any],
        source: str,
        base: Path | None,
        skip: Callable[[str], bool],
    ) -> None:
        for name, value in raw.items():
            if skip(name):
                continue
            values[name] = _coerce(KEY_BY_NAME[name], value, name, source, base)
            origins[name] = source

    apply(
        _flatten(_read_toml(system_file), system_file),
        str(system_file),
        system_file.parent,
        lambda n: False,
    )
    locked = set(values["policy.locked"])
    user_raw = _flatten(_read_toml(user_file), user_file)
    if "policy.locked" in user_raw:
        raise ConfigError(
            user_file,
            [Problem("policy.locked", "may only be set in the machine-wide file")],
        )
    apply(user_raw, str(user_file), user_file.parent, lambda n: n in locked)
    env_raw = {
        k.name: environ[env_var_name(k.name)]
        for k in KEYS
        if k.name != "policy.locked" and env_var_name(k.name) in environ
    }
    apply(env_raw, "environment", None, lambda n: n in locked)
    return Config(values=values, origins=origins)


def config_reference_markdown() -> str:
    """The key table for docs/config.md, generated from the registry."""
    lines = [
        "| key | type | default | environment variable | meaning |",
        "|---|---|---|---|---|",
    ]
    for k in KEYS:
        default = "" if k.default in (None, "", []) else f"`{k.default}`"
        kind = k.type.__name__ if not k.choices else " / ".join(k.choices)
        lines.append(
            f"| `{k.name}` | {kind} | {default} | `{env_var_name(k.name)}` | {k.doc} |"
        )
    return "\n".join(lines) + "\n"
