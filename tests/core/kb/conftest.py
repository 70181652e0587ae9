"""Fixtures for the knowledge-base tests: a copy of the miniature test KB."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "data" / "kb"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"


def _shared() -> Path:
    return Path(os.environ.get("ONCOBOARD_SHARED_DATA", SHARED))


@pytest.fixture
def shared() -> Path:
    return _shared()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/kb/knowledgebase (tests edit it)."""
    dst = tmp_path / "knowledgebase"
    shutil.copytree(FIXTURE / "knowledgebase", dst)
    return dst


@pytest.fixture
def small_civic() -> Path:
    return FIXTURE / "civic_small.tsv"


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture KB built once with the full shared CIViC file (read-only use)."""
    from oncoboard.core.api import build_kb

    out = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build_kb(FIXTURE / "knowledgebase" / "curated", _shared(), out)
    return out
