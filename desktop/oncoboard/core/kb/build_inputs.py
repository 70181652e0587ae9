"""What a KB build reads and checks before anything is written (``BuildInputs``).

Its own module so that the builder (``build.py``) and the writer (``writer.py``)
both depend on it and not on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oncoboard.core.kb.civic import CivicItem
from oncoboard.core.kb.civic_entries import CivicImport
from oncoboard.core.kb.curated import CuratedEntry
from oncoboard.core.kb.drugs import DrugVocabulary
from oncoboard.core.kb.oncotree import OncoTree
from oncoboard.core.kb.trials import TrialRegistry


@dataclass(frozen=True)
class Release:
    """The release named in ``knowledgebase/release.yaml``."""

    version: str
    release_date: dt.date


@dataclass
class BuildInputs:
    """Everything read and checked before the file is written."""

    release: Release
    oncotree: OncoTree
    drugs: DrugVocabulary
    kmdata: dict[str, Any]
    curated: list[CuratedEntry]
    civic_items: list[CivicItem]
    civic: CivicImport
    files: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    survival_fits: list[dict[str, Any]] = field(default_factory=list)
    trials: TrialRegistry | None = None
    nma_results: list[dict[str, Any]] = field(default_factory=list)
