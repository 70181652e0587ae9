"""The build: reproducible, versioned, with a manifest, progress and cancellation."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from oncoboard.core.api import build_kb
from oncoboard.core.kb.build import BuildCancelled
from oncoboard.core.kb.db import read_meta
from oncoboard.core.kb.sources import sha256_file


def _build(kb_dir: Path, shared: Path, civic: Path, out: Path, **kw: object):  # type: ignore[no-untyped-def]
    return build_kb(
        kb_dir / "curated", shared, out, civic_file=civic, fit_survival=False, **kw
    )


def test_same_inputs_give_same_hash_and_bytes(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    a = _build(kb_dir, shared, small_civic, tmp_path / "a.sqlite")
    b = _build(kb_dir, shared, small_civic, tmp_path / "b.sqlite")
    assert a.sha256 == b.sha256
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a.path, b.path)]
    assert digest[0] == digest[1]


def test_changed_entry_changes_the_content_hash(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    before = _build(kb_dir, shared, small_civic, tmp_path / "a.sqlite").sha256
    path = kb_dir / "curated" / "fixture.yaml"
    path.write_text(
        path.read_text().replace("for the build tests.", "for build tests!")
    )
    after = _build(kb_dir, shared, small_civic, tmp_path / "b.sqlite").sha256
    assert before != after


def test_version_and_release_date_come_from_release_yaml(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    report = _build(kb_dir, shared, small_civic, tmp_path / "kb.sqlite")
    meta = read_meta(report.path)
    assert (meta["version"], meta["release_date"]) == ("2026.1.0", "2026-01-15")
    assert meta["content_sha256"] == report.sha256


def test_manifest_records_sources_checksums_and_licences(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    import json

    report = _build(kb_dir, shared, small_civic, tmp_path / "kb.sqlite")
    manifest = json.loads(read_meta(report.path)["manifest"])
    licences = {s["name"]: s["licence"] for s in manifest["sources"]}
    assert licences["OncoTree"] == "CC-BY-4.0" and licences["CIViC"] == "CC0-1.0"
    assert licences["kmdata"] == "MIT"
    files = {f["path"]: f["sha256"] for f in manifest["files"]}
    tsv = "oncotree/oncotree_2025_10_03.tsv"
    assert files[tsv] == sha256_file(shared / tsv)
    assert files["curated/fixture.yaml"] == sha256_file(
        kb_dir / "curated" / "fixture.yaml"
    )
    assert files["civic_small.tsv"] == sha256_file(small_civic)


def test_progress_reaches_one_and_cancel_writes_nothing(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    seen: list[float] = []
    _build(
        kb_dir,
        shared,
        small_civic,
        tmp_path / "kb.sqlite",
        progress=lambda f, _m: seen.append(f),
    )
    assert seen == sorted(seen) and seen[-1] == 1.0

    calls = iter([False, False, True])
    out = tmp_path / "cancelled.sqlite"
    with pytest.raises(BuildCancelled):
        _build(kb_dir, shared, small_civic, out, cancelled=lambda: next(calls, True))
    assert not out.exists()


def test_build_replaces_an_existing_file(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kb.sqlite"
    out.write_bytes(b"old junk")
    _build(kb_dir, shared, small_civic, out)
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    conn.close()
    assert not list(tmp_path.glob("*.building"))


def test_survival_fits_are_stored_when_the_module_is_present(built_kb: Path) -> None:
    from oncoboard.core.kb.store import KnowledgeBase

    pytest.importorskip("oncoboard.core.survival.build")
    with KnowledgeBase.open(built_kb) as kb:
        fits = kb.survival_fits("FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB")
    assert fits and all(
        f["entry_id"] == "FIXTURE-EGFR-T790M-NSCLC-OSIMERTINIB" for f in fits
    )
