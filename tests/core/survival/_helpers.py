"""Fixtures for the survival tests.

KB entries here are TEST FIXTURES: they link to real reconstructed trial data
(kmdata) but carry no curated clinical figures; the published-summary entry
uses made-up round numbers and is labelled as synthetic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oncoboard.core.case.model import Case
from oncoboard.core.kb.schema import Entry

REPO = Path(__file__).resolve().parents[3]
SURVIVAL_DATA = (REPO.parent / "shared" / "data" / "survival").resolve()
KMDATA_DIR = SURVIVAL_DATA / "kmdata_ipd"


def make_entry(
    entry_id: str,
    therapy: list[str],
    outcomes: list[dict[str, Any]],
    amp_level: str = "A",
) -> Entry:
    return Entry.model_validate(
        {
            "id": entry_id,
            "biomarker": {"gene": "EGFR", "kind": "oncogenic"},
            "tumor": "NSCLC",
            "therapy": therapy,
            "direction": "sensitive",
            "amp_level": amp_level,
            "citations": [{"type": "pmid", "id": "1"}],
            "summary": "Test fixture entry, not curated content.",
            "outcomes": outcomes,
        }
    )


def aura3_entry() -> Entry:
    return make_entry(
        "TEST-AURA3",
        ["osimertinib"],
        [
            {
                "trial": "AURA3",
                "arms": ["osimertinib", "platinum-pemetrexed"],
                "endpoint": "PFS",
                "citation": {"type": "pmid", "id": "27959700"},
                "kmdata": [
                    {"dataset": "AURA3_1A", "arm": "osimertinib"},
                    {"dataset": "AURA3_1A", "arm": "platinum-pemetrexed"},
                ],
            }
        ],
    )


def cleopatra_entry() -> Entry:
    return make_entry(
        "TEST-CLEOPATRA",
        ["pertuzumab", "trastuzumab", "docetaxel"],
        [
            {
                "trial": "CLEOPATRA",
                "arms": ["pertuzumab", "control"],
                "endpoint": "PFS",
                "citation": {"type": "pmid", "id": "25693012"},
                "kmdata": [
                    {"dataset": "CLEOPATRA_3A", "arm": "control"},
                    {"dataset": "CLEOPATRA_3A", "arm": "pertuzumab"},
                ],
            }
        ],
    )


def synthetic_summary_entry() -> Entry:
    """SYNTHETIC published-summary outcome (round made-up numbers, not a trial)."""
    return make_entry(
        "TEST-SYNTHETIC-SUMMARY",
        ["drug x"],
        [
            {
                "trial": "SYNTHETIC-1",
                "arms": ["drug x", "control"],
                "endpoint": "OS",
                "median_months": 20.0,
                "median_ci": [16.0, 25.0],
                "hr": 0.5,
                "hr_ci": [0.4, 0.625],
                "citation": {"type": "pmid", "id": "1"},
            }
        ],
    )


def make_case(
    code: str = "LUAD",
    prior_therapies: list[dict[str, Any]] | None = None,
    **patient: Any,
) -> Case:
    return Case.model_validate(
        {
            "schema": "oncoboard.case/1",
            "case_id": "t",
            "tumor": {"oncotree_code": code},
            "patient": patient,
            "prior_therapies": prior_therapies or [],
        }
    )


def fits_of(fits: list[dict[str, Any]], entry_id: str) -> list[dict[str, Any]]:
    return [f for f in fits if f["entry_id"] == entry_id]
