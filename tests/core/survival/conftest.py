"""Session fixtures for the survival tests (helpers live in ``_helpers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ._helpers import (
    KMDATA_DIR,
    SURVIVAL_DATA,
    aura3_entry,
    cleopatra_entry,
    synthetic_summary_entry,
)


@pytest.fixture(scope="session")
def kmdata_dir() -> Path:
    if not (KMDATA_DIR / "kmdata_ipd_all.csv.gz").is_file():
        pytest.fail(f"shared kmdata missing: {KMDATA_DIR} (set ONCOBOARD_SHARED_DATA)")
    return KMDATA_DIR


@pytest.fixture(scope="session")
def survival_data() -> Path:
    return SURVIVAL_DATA


@pytest.fixture(scope="session")
def kb_fits(kmdata_dir: Path) -> list[dict[str, Any]]:
    from oncoboard.core.survival.build import fit_kb_outcomes

    entries = [aura3_entry(), cleopatra_entry(), synthetic_summary_entry()]
    return fit_kb_outcomes(entries, kmdata_dir)
