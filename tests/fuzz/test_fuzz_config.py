"""Configuration TOML: mutated machine and user files only ever give a ConfigError.

``load_config(system_file, user_file, environ)`` reads IT's machine-wide file,
the user's file and ``ONCOBOARD_*`` variables.  Starting from the example in
``docs/config.md`` (every section set), mutated bytes, lines and values must
either load into a complete, typed configuration or raise ``ConfigError``
naming the file (or "environment") - never a traceback at start-up.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.mutations import FAST, SLOW, byte_edits, json_values, unicode_text
from oncoboard.core.config import KEYS, env_var_name, load_config
from oncoboard.core.errors import ConfigError
from shared_paths import REPO


def _doc_example() -> str:
    text = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    match = re.search(r"```toml\n(.*?)```", text, re.S)
    assert match, "docs/config.md has no TOML example"
    return match.group(1)


SYSTEM = _doc_example()
USER = '[institution]\nname = "Board"\n\n[report]\nprepared_by = "Dr A"\npage_size = "Letter"\n\n[logging]\nlevel = "DEBUG"\n'


def _toml_value(value: object) -> str:
    """A TOML literal for a JSON-ish value (invalid TOML is fine: it must be refused)."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


@st.composite
def toml_files(draw: st.DrawFn, base: str) -> bytes:
    """The base file with values replaced by random ones, then byte-level edits."""
    lines = base.splitlines()
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        if "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = draw(st.one_of(json_values(), unicode_text, st.just("~nouser/x")))
            lines[i] = f"{key}= {_toml_value(value)}"
    if draw(st.booleans()):  # a key that may or may not exist
        section, name = draw(st.sampled_from([k.name.split(".") for k in KEYS])
                             | st.tuples(unicode_text, unicode_text))  # fmt: skip
        lines.append(
            f"[{json.dumps(section)}]\n{json.dumps(name)} = {_toml_value(draw(json_values()))}"
        )
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    return draw(byte_edits(data)) if draw(st.booleans()) else data


environments = st.dictionaries(
    st.sampled_from([env_var_name(k.name) for k in KEYS] + ["ONCOBOARD_NOPE"]),
    unicode_text | st.sampled_from(["~nouser/x", "true", "no", "A4", "DEBUG", ""]),
    max_size=3,
)
_counter = itertools.count()


def _check(folder: Path, system: bytes, user: bytes, environ: dict[str, str]) -> None:
    n = next(_counter)
    system_file, user_file = folder / f"system-{n}.toml", folder / f"user-{n}.toml"
    system_file.write_bytes(system)
    user_file.write_bytes(user)
    try:
        config = load_config(system_file, user_file, environ=environ)
    except ConfigError as exc:
        assert str(exc).startswith((str(system_file), str(user_file), "environment"))
        return
    finally:
        system_file.unlink()
        user_file.unlink()
    for key in KEYS:  # every key present and of its declared type
        value = config[key.name]
        assert value is None or isinstance(value, key.type), (key.name, value)
        if key.choices:
            assert value in key.choices


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-config")


def test_the_unmutated_files_load(folder: Path) -> None:
    config = load_config(folder / "none.toml", folder / "none2.toml", environ={})
    assert config["report.page_size"] == "A4"
    _check(folder, SYSTEM.encode(), USER.encode(), {})


@FAST
@given(system=toml_files(SYSTEM), user=toml_files(USER), environ=environments)
def test_mutated_config_files(
    folder: Path, system: bytes, user: bytes, environ: dict[str, str]
) -> None:
    _check(folder, system, user, environ)


@pytest.mark.slow
@SLOW
@given(system=toml_files(SYSTEM), user=toml_files(USER), environ=environments)
def test_mutated_config_files_10k(
    folder: Path, system: bytes, user: bytes, environ: dict[str, str]
) -> None:
    _check(folder, system, user, environ)


@pytest.mark.parametrize(
    "text",
    ['[institution]\nlogo = "~nouser/x.png"\n', "[institution]\nname = " + "9" * 5000 + "\n",
     "[institution]\nname = " + "[" * 100_000 + "]" * 100_000 + "\n", "\ufeff[report]\n"],
    ids=["unknown ~user", "huge integer", "deep nesting", "BOM"],
)  # fmt: skip
def test_hostile_config_is_a_config_error(tmp_path: Path, text: str) -> None:
    user = tmp_path / "user.toml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(user)):
        load_config(tmp_path / "none.toml", user, environ={})


def test_a_2_gb_config_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "config.toml"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # sparse: nothing is written to disk
    with pytest.raises(ConfigError, match="at most"):
        load_config(big, tmp_path / "none.toml", environ={})
