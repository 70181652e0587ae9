"""Patient data in exception texts (issue 22, item 12): an error whose text was the
case JSON went to stderr, the ERROR log and the support bundle."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from db_attacks import cli
from oncoboard.core import paths
from oncoboard.core.scrub import scrub

CASE_JSON = '{"case_id": "C1", "patient": {"sex": "female", "age": 61, "pseudonym": "Jane Roe"}}'


def test_scrub_removes_quoted_data_and_json() -> None:
    text = scrub(f"cannot decode {CASE_JSON} for 'Jane Roe' \x1b[31m")
    assert "Jane" not in text and "female" not in text and "\x1b" not in text
    assert text.startswith("cannot decode {…} for '…'")
    assert len(scrub("x" * 10_000)) == 301


def test_an_unexpected_error_quoting_a_case_is_scrubbed_in_stderr_and_log(
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from oncoboard.core.db import CaseStore

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError(f"'utf-8' codec can't decode {CASE_JSON}")

    monkeypatch.setattr(CaseStore, "list", broken)
    code, _, err = cli(capsys, "case", "list")
    assert code == 1 and "unexpected ValueError" in err and "This is a bug" in err
    log_text = (paths.log_dir() / "oncoboard.log").read_text()
    assert (
        "unexpected error" in log_text and "Traceback" in log_text
    )  # the frames are kept
    for where in (err, log_text):
        assert "Jane Roe" not in where and "female" not in where


def test_the_support_bundle_scrubs_error_records_and_tracebacks(
    isolated_home: Path, tmp_path: Path
) -> None:
    from oncoboard.core.support import export_support_bundle

    log_dir = paths.log_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "oncoboard.log").write_text(
        "2026-11-22 01:02:03,456 INFO oncoboard.core.db.store [1] created case pk=1 sha256=abc\n"
        f"2026-11-22 01:02:04,456 ERROR oncoboard.cli [1] unexpected error: {CASE_JSON}\n"
        "Traceback (most recent call last):\n"
        f"ValueError: cannot show {CASE_JSON}\n"
        "2026-11-22 01:02:05,456 DEBUG oncoboard.core [1] pseudonym 'Jane Roe'\n"
    )
    written = export_support_bundle(tmp_path / "support.zip")
    with zipfile.ZipFile(written) as zf:
        text = zf.read("logs/oncoboard.log").decode()
    assert (
        "created case pk=1" in text
        and "unexpected error: {…}" in text
        and "ValueError: cannot show {…}" in text
    )
    assert "Jane Roe" not in text and "female" not in text
