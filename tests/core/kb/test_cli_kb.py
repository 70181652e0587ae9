"""``oncoboard kb`` commands, end to end through the real entry point."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from oncoboard.cli.main import main

REPO = Path(__file__).resolve().parents[3]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def kb_file(built_kb: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kb.sqlite"
    shutil.copy(built_kb, copy)
    return copy


def test_build_check_and_build(
    kb_dir: Path, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        [
            "kb",
            "build",
            "--check",
            "--curated",
            str(kb_dir / "curated"),
            "--shared",
            str(shared),
        ],
        capsys,
    )
    assert code == 0 and "3 curated entries valid" in out
    out_file = tmp_path / "kb.sqlite"
    code, out, _ = run(
        [
            "kb",
            "build",
            "--curated",
            str(kb_dir / "curated"),
            "--shared",
            str(shared),
            "--out",
            str(out_file),
            "--no-survival",
        ],
        capsys,
    )
    assert code == 0 and out_file.is_file() and "version 2026.1.0" in out


def test_invalid_curated_file_exits_2_with_file_entry_field(
    kb_dir: Path, shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = kb_dir / "curated" / "fixture.yaml"
    path.write_text(path.read_text().replace("tumor: NSCLC", "tumor: NSCLCX", 1))
    code, _, err = run(
        [
            "kb",
            "build",
            "--check",
            "--curated",
            str(kb_dir / "curated"),
            "--shared",
            str(shared),
        ],
        capsys,
    )
    assert code == 2
    assert (
        "curated/fixture.yaml entry FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB field tumor"
        in err
    )
    assert "Traceback" not in err


def test_stats_search_show_verify(
    kb_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["kb", "stats", "--kb", str(kb_file)], capsys)
    assert (
        code == 0 and "by gene" in out and "EGFR" in out and "OncoTree nodes 898" in out
    )
    code, out, _ = run(["kb", "search", "Tagrisso", "--kb", str(kb_file)], capsys)
    assert code == 0 and "FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB" in out
    code, out, _ = run(["kb", "show", "CIVIC-EID11599", "--kb", str(kb_file)], capsys)
    assert code == 0 and "PMID:27959700" in out and "CIViC" in out
    code, _, err = run(["kb", "show", "NOPE", "--kb", str(kb_file)], capsys)
    assert code == 1 and "NOPE" in err
    code, out, _ = run(["kb", "verify", "--kb", str(kb_file)], capsys)
    assert code == 0 and "content hash OK" in out


def test_keygen_bundle_install_rollback(
    kb_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from oncoboard.core.kb import paths as kbpaths

    monkeypatch.setattr(kbpaths, "packaged_kb_path", lambda: tmp_path / "none.sqlite")
    priv, pub = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    code, out, _ = run(
        ["kb", "keygen", "--private", str(priv), "--public", str(pub)], capsys
    )
    assert code == 0 and "fingerprint SHA256:" in out
    zip_path = tmp_path / "b.zip"
    code, out, _ = run(
        [
            "kb",
            "bundle",
            "--key",
            str(priv),
            "--out",
            str(zip_path),
            "--kb",
            str(kb_file),
        ],
        capsys,
    )
    assert code == 0 and zip_path.is_file()
    code, _, err = run(["kb", "install", str(zip_path)], capsys)
    assert code == 2 and "no pinned public key" in err
    code, out, _ = run(
        ["kb", "install", str(zip_path), "--public-key", str(pub)], capsys
    )
    assert code == 0 and "installed KB 2026.1.0" in out
    code, _, err = run(
        ["kb", "install", str(zip_path), "--public-key", str(pub)], capsys
    )
    assert code == 2 and "already installed" in err
    code, _, err = run(["kb", "rollback"], capsys)
    assert code == 1 and "No previous knowledge base" in err


def test_docs_list_every_kb_command() -> None:
    from oncoboard.cli.kb import kb

    docs = (REPO / "docs" / "knowledgebase.md").read_text()
    documented = set(re.findall(r"oncoboard kb (\w+)", docs))
    assert set(kb.commands) <= documented


def test_search_has_a_header_a_count_and_puts_the_strongest_level_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 16: 'kb search' printed 50 rows with no header or count, a level C entry first."""
    code, out, _ = run(["kb", "search", "EGFR", "--limit", "5"], capsys)
    lines = out.splitlines()
    assert (
        code == 0
        and lines[0].startswith("showing 5 of ")
        and "entries matching 'EGFR'" in lines[0]
    )
    assert lines[1].split()[:2] == ["ENTRY", "BIOMARKER"]
    levels = [line.split()[-3] for line in lines[2:7]]
    assert levels == sorted(levels) and levels[0] == "A"
