"""The support bundle holds versions, configuration and logs, and no case content."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncoboard import __version__
from oncoboard.core import paths
from oncoboard.core.case import parse_case
from oncoboard.core.db import CaseStore
from oncoboard.core.logging_setup import LOG_FILE_NAME, setup_logging
from oncoboard.core.support import export_support_bundle, filter_log_text

PSEUDONYM = "Zebulon Quixfeather 1947"
CASE_ID = "SUPPORT-TEST-CASE-7731"


DEMO = (
    Path(__file__).resolve().parents[2]
    / "assets"
    / "demo"
    / "demo-01-luad-egfr-t790m.json"
)


def _case_json() -> str:
    data = json.loads(DEMO.read_text())
    data["case_id"] = CASE_ID
    data["patient"]["pseudonym"] = PSEUDONYM
    return json.dumps(data)


@pytest.fixture
def stored_case(isolated_home: Path) -> Path:
    """A case with a pseudonym in the database, and DEBUG logging that names it."""
    setup_logging("DEBUG")
    case = parse_case(_case_json())
    with CaseStore() as store:
        store.create(case)
    logger = logging.getLogger("oncoboard.test_support")
    logger.debug("opened case %s for %s", CASE_ID, PSEUDONYM)
    logger.info("analysis finished in %.1f s", 1.5)
    for handler in logging.getLogger("oncoboard").handlers:
        handler.flush()
    return paths.database_file()


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_bundle_holds_versions_config_kb_logs(
    stored_case: Path, tmp_path: Path
) -> None:
    written = export_support_bundle(tmp_path / "support.zip")
    members = _members(written)
    assert {
        "README.txt",
        "versions.json",
        "config.json",
        "kb.json",
        "data-folder.json",
        f"logs/{LOG_FILE_NAME}",
    } <= set(members)
    versions = json.loads(members["versions.json"])
    assert versions["oncoboard"] == __version__
    assert versions["libraries"]["numpy"][0].isdigit()
    config = json.loads(members["config.json"])
    assert config["values"]["report.page_size"] == {"value": "A4", "origin": "default"}
    listing = json.loads(members["data-folder.json"])
    names = {f["path"] for folder in listing["folders"] for f in folder["files"]}
    assert stored_case.name in names  # listed by name and size ...
    log_text = members[f"logs/{LOG_FILE_NAME}"].decode()
    assert "analysis finished in 1.5 s" in log_text  # INFO kept
    assert " DEBUG " not in log_text


def test_bundle_contains_no_case_content(stored_case: Path, tmp_path: Path) -> None:
    raw_log = (paths.log_dir() / LOG_FILE_NAME).read_text()
    assert PSEUDONYM in raw_log  # the DEBUG line is really in the source log ...
    assert PSEUDONYM.encode() in stored_case.read_bytes() + _wal(stored_case)
    written = export_support_bundle(tmp_path / "support.zip")
    # ... and appears nowhere in the bundle, compressed or not.
    blob = written.read_bytes()
    members = _members(written)
    for needle in (PSEUDONYM, CASE_ID, "Quixfeather"):
        assert needle.encode() not in blob
        for name, data in members.items():
            assert needle.encode() not in data, f"{needle!r} leaked into {name}"
    assert not any(name.endswith((".sqlite", ".pem", ".key")) for name in members)


def _wal(database: Path) -> bytes:
    wal = database.with_name(database.name + "-wal")
    return wal.read_bytes() if wal.is_file() else b""


def test_bundle_never_holds_key_material(isolated_home: Path, tmp_path: Path) -> None:
    from oncoboard.core.kb.bundle import generate_keypair

    private = isolated_home / "keys" / "site.pem"
    public = isolated_home / "keys" / "site.pub.pem"
    generate_keypair(private, public)
    (isolated_home / "config.toml").write_text(f'[kb]\npublic_key = "{public}"\n')
    members = _members(export_support_bundle(tmp_path))
    config = json.loads(members["config.json"])
    assert config["values"]["kb.public_key"]["value"] == str(public)
    secret_body = private.read_text().splitlines()[1]
    public_body = public.read_text().splitlines()[1]
    for data in members.values():
        assert b"PRIVATE KEY" not in data and b"PUBLIC KEY" not in data
        assert secret_body.encode() not in data and public_body.encode() not in data


def test_invalid_config_is_reported_not_fatal(
    isolated_home: Path, tmp_path: Path
) -> None:
    (isolated_home / "config.toml").write_text("[report]\ncolour = 'red'\n")
    members = _members(export_support_bundle(tmp_path / "s.zip"))
    config = json.loads(members["config.json"])
    assert "report.colour" in config["error"]


def test_log_filter_keeps_tracebacks_of_kept_records() -> None:
    text = (
        "2026-11-22 01:00:00,000 DEBUG oncoboard.x [1] case ABC for Jane\n"
        "  continued debug line Jane\n"
        "2026-11-22 01:00:01,000 ERROR oncoboard.cli [1] unexpected error\n"
        "Traceback (most recent call last):\n"
        "ValueError: boom\n"
        "2026-11-22 01:00:02,000 INFO oncoboard.y [1] done\n"
    )
    kept = filter_log_text(text)
    assert "Jane" not in kept
    assert "Traceback" in kept and "ValueError: boom" in kept and "done" in kept


def test_cli_support_bundle(stored_case: Path, tmp_path: Path) -> None:
    from oncoboard.cli.main import cli

    out = tmp_path / "cli.zip"
    result = CliRunner().invoke(cli, ["support", "bundle", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert "versions.json" in zipfile.ZipFile(out).namelist()
