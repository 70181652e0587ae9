"""With ``paths.data_dir`` set (and no ONCOBOARD_HOME), every store lives under it:
cases, backups, cohorts, installed KB updates and logs (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core import paths
from oncoboard.core.api import Context
from oncoboard.core.config import load_config
from oncoboard.core.kb.paths import installed_kb_dir, installed_kb_path


def test_every_store_lives_under_the_configured_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    config_file = tmp_path / "config.toml"
    config_file.write_text(f'[paths]\ndata_dir = "{data}"\n')
    monkeypatch.delenv("ONCOBOARD_HOME")
    monkeypatch.setenv("ONCOBOARD_CONFIG", str(config_file))
    assert load_config()["paths.data_dir"] == data

    ctx = Context.create()
    stores = {
        "cases": paths.database_file(),
        "cohorts": paths.cohorts_dir(),
        "KB updates": installed_kb_dir(),
        "installed KB": installed_kb_path(),
        "logs": paths.log_dir(),
        "context data": ctx.data_dir,
        "context cohorts": ctx.cohorts_dir,
        "context KB updates": ctx.installed_kb_dir,
        "context logs": ctx.log_dir,
    }
    from oncoboard.core.survival.cohort_store import list_cohorts

    list_cohorts()  # reads the configured folder (was the platform default)
    outside = {name: p for name, p in stores.items() if not p.is_relative_to(data)}
    assert outside == {}
    with ctx.open_store() as store:
        assert store.path.is_relative_to(data)
    assert (data / "cases.sqlite").is_file()


def test_the_configuration_is_read_once_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[report]\nprepared_by = "A"\n')
    monkeypatch.setenv("ONCOBOARD_CONFIG", str(config_file))
    first = load_config()
    assert load_config() is first  # cached
    config_file.write_text('[report]\nprepared_by = "Dr B"\n')
    assert load_config()["report.prepared_by"] == "Dr B"  # a changed file is re-read
    monkeypatch.setenv("ONCOBOARD_REPORT_PREPARED_BY", "C")
    assert load_config()["report.prepared_by"] == "C"
