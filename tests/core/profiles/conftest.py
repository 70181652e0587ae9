"""Shared paths for profile tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TEST_DATA = REPO / "tests" / "data" / "profiles"
EXAMPLES = (REPO.parent / "shared" / "data" / "examples").resolve()
SPEC_EXAMPLES = (REPO.parent / "shared" / "spec" / "examples").resolve()


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
