"""Read-only CPIC tables for the pharmacogenes (``../shared/data/pgx``).

Only CPIC content (CC0) is read: the CPIC allele-function and diplotype →
phenotype tables as PharmCAT 2.10.0 ships them (CPIC database v1.38.0,
PharmGKB data version 2024-03-11) and CPIC's own recommendation exports in
PharmCAT 2.6.0 (CPIC database v1.30.0).  The irinotecan fact (DPWG) and the
expected pre-treatment tests are our own curation in
``knowledgebase/reference/pgx_*.tsv``.  A missing file is an error naming it.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from oncoboard.core.errors import OncoBoardError
from oncoboard.core.paths import reference_dir, shared_data_dir

PGX = "pgx/pharmcat"
PHENOTYPE_RELEASE = "v2.10.0"
RECOMMENDATION_RELEASE = "v2.6.0"
# The files staged for an installed bundle (core/kb/runtime_reference.py).
GENES = ("DPYD", "UGT1A1", "CYP2D6", "TPMT", "NUDT15")
CPIC_DRUGS = (
    "fluorouracil",
    "capecitabine",
    "tamoxifen",
    "mercaptopurine",
    "thioguanine",
    "azathioprine",
)
SHARED_FILES = (
    *(f"{PGX}/{PHENOTYPE_RELEASE}/phenotype/cpic/{g}.json" for g in GENES),
    *(
        f"{PGX}/{RECOMMENDATION_RELEASE}/reporter/guidelines/cpic/{d}.json"
        for d in CPIC_DRUGS
    ),
    f"{PGX}/LICENSE",
    "pgx/cpic-data/LICENSE.md",
)
SOURCE_NOTE = (
    f"CPIC tables via PharmCAT {PHENOTYPE_RELEASE} (phenotypes, CPIC database v1.38.0) and "
    f"PharmCAT {RECOMMENDATION_RELEASE} (recommendations, CPIC database v1.30.0); CC0"
)


class PgxDataError(OncoBoardError):
    """A pharmacogenomics table is missing or unreadable (a broken installation)."""


def _json(rel: str) -> Any:
    path = shared_data_dir() / rel
    if not path.is_file():
        raise PgxDataError(
            f"pharmacogenomics table missing: {path} (see docs/pharmacogenomics.md)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def phenotype_table(gene: str) -> dict[str, Any]:
    """CPIC allele functions, activity values and diplotype → phenotype rows of ``gene``."""
    return _json(f"{PGX}/{PHENOTYPE_RELEASE}/phenotype/cpic/{gene}.json")  # type: ignore[no-any-return]


@cache
def cpic_guideline(drug: str) -> dict[str, Any]:
    """CPIC's recommendation export for ``drug`` (lookup keys, text, strength, PMIDs)."""
    return _json(f"{PGX}/{RECOMMENDATION_RELEASE}/reporter/guidelines/cpic/{drug}.json")  # type: ignore[no-any-return]


def _tsv(name: str) -> list[dict[str, str]]:
    path = reference_dir() / name
    if not path.is_file():
        raise PgxDataError(f"pharmacogenomics reference table missing: {path}")
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [dict(r) for r in csv.DictReader(lines, delimiter="\t")]


@cache
def curated_recommendations() -> tuple[dict[str, str], ...]:
    """Gene-drug facts outside CPIC (DPWG irinotecan), one row per phenotype."""
    return tuple(_tsv("pgx_recommendations.tsv"))


@cache
def expected_test_rows() -> tuple[dict[str, str], ...]:
    """Drugs whose regimen expects a pre-treatment pharmacogene test, with the reason."""
    return tuple(_tsv("pgx_expected_tests.tsv"))


def shared_path(rel: str) -> Path:
    return shared_data_dir() / rel
