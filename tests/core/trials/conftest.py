"""Real ClinicalTrials.gov records from ../shared/data/trials (not copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.api import Context


@pytest.fixture
def trials_dir(shared_data: Path) -> Path:
    folder = shared_data / "trials" / "ctgov-v2"
    assert folder.is_dir(), f"the shared trial records are missing: {folder}"
    return folder


@pytest.fixture(scope="session")
def kb_ctx() -> Context:
    return Context.create()


@pytest.fixture
def ctx() -> Context:
    return Context.create()
