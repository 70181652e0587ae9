"""Configuration layers: machine → user → environment, locked keys, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.config import KEYS, env_var_name, load_config
from oncoboard.core.errors import ConfigError


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_files(tmp_path: Path) -> None:
    config = load_config(tmp_path / "none.toml", tmp_path / "none2.toml", environ={})
    assert config["report.page_size"] == "A4"
    assert config["report.deidentified"] is False
    assert config.origins["report.page_size"] == "default"


def test_user_overrides_machine_and_environment_overrides_user(tmp_path: Path) -> None:
    machine = _write(
        tmp_path / "m.toml",
        '[institution]\nname = "Site"\n[report]\npage_size = "Letter"\n',
    )
    user = _write(
        tmp_path / "u.toml", '[report]\npage_size = "A4"\nprepared_by = "Dr Who"\n'
    )
    config = load_config(
        machine, user, environ={"ONCOBOARD_REPORT_PREPARED_BY": "Dr Env"}
    )
    assert config["institution.name"] == "Site"
    assert config["report.page_size"] == "A4"
    assert config["report.prepared_by"] == "Dr Env"
    assert config.origins["report.prepared_by"] == "environment"


def test_locked_keys_keep_the_machine_value(tmp_path: Path) -> None:
    machine = _write(
        tmp_path / "m.toml",
        '[report]\ndeidentified = true\n[policy]\nlocked = ["report.deidentified"]\n',
    )
    user = _write(tmp_path / "u.toml", "[report]\ndeidentified = false\n")
    config = load_config(machine, user, environ={"ONCOBOARD_REPORT_DEIDENTIFIED": "0"})
    assert config["report.deidentified"] is True
    assert "report.deidentified" in config.locked


def test_users_cannot_lock_keys(tmp_path: Path) -> None:
    user = _write(tmp_path / "u.toml", '[policy]\nlocked = ["report.deidentified"]\n')
    with pytest.raises(ConfigError, match="machine-wide"):
        load_config(tmp_path / "none.toml", user, environ={})


def test_unknown_key_names_the_file_and_key(tmp_path: Path) -> None:
    user = _write(tmp_path / "u.toml", '[report]\npagesize = "A4"\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "none.toml", user, environ={})
    assert str(user) in str(info.value) and "report.pagesize" in str(info.value)


def test_bad_value_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="one of A4, Letter"):
        load_config(
            _write(tmp_path / "m.toml", '[report]\npage_size = "A3"\n'),
            tmp_path / "x",
            environ={},
        )
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(
            _write(tmp_path / "b.toml", "[report\n"), tmp_path / "x", environ={}
        )
    with pytest.raises(ConfigError, match="true or false"):
        load_config(
            tmp_path / "x",
            tmp_path / "y",
            environ={"ONCOBOARD_REPORT_DEIDENTIFIED": "maybe"},
        )


def test_relative_paths_resolve_beside_the_file(tmp_path: Path) -> None:
    machine = _write(tmp_path / "m.toml", '[institution]\nlogo = "logo.png"\n')
    assert (
        load_config(machine, tmp_path / "x", environ={})["institution.logo"]
        == tmp_path / "logo.png"
    )


def test_every_key_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "config.md").read_text()
    for key in KEYS:
        assert f"`{key.name}`" in doc, key.name
        assert env_var_name(key.name) in doc


def test_machine_data_dir_moves_database_logs_and_installed_kb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncoboard.core import paths
    from oncoboard.core.db import CaseStore
    from oncoboard.core.kb.paths import installed_kb_path

    target = tmp_path / "srv-oncoboard"
    machine = _write(tmp_path / "machine.toml", f'[paths]\ndata_dir = "{target}"\n')
    monkeypatch.delenv("ONCOBOARD_HOME")
    monkeypatch.setenv("ONCOBOARD_SYSTEM_CONFIG", str(machine))
    monkeypatch.setenv("ONCOBOARD_CONFIG", str(tmp_path / "no-user.toml"))
    assert paths.data_dir() == target
    assert paths.log_dir() == target / "logs"
    assert installed_kb_path() == target / "kb" / "current.sqlite"
    with CaseStore() as store:
        assert store.path == target / "cases.sqlite"
