"""The trial use cases behind ``core/api.py``: import, snapshot, match.

Plain functions over explicit inputs (the store's path, the OncoTree, the
configured sites and age limit); ``api`` passes them from its context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from oncoboard.core.case.model import Case
from oncoboard.core.kb.oncotree import OncoTree
from oncoboard.core.matching.facts import CaseFacts
from oncoboard.core.matching.result import TrialMatch, TrialsSnapshot
from oncoboard.core.trials.conditions import map_trial
from oncoboard.core.trials.extract import extract
from oncoboard.core.trials.match import MatchOptions, match_trials
from oncoboard.core.trials.sources import expand, read_source
from oncoboard.core.trials.store import ImportSummary, TrialStore

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


class ImportCancelled(Exception):
    """The import was cancelled before anything was stored."""


def import_trials(
    store_path: Path,
    paths: Sequence[Path],
    tree: OncoTree,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Read every file (a bad one raises naming it, before anything is stored),
    then store them all in one transaction."""
    files = expand(list(paths))
    sources = []
    for i, path in enumerate(files):
        if cancelled is not None and cancelled():
            raise ImportCancelled("The trial import was cancelled; nothing was stored.")
        if progress is not None:
            progress(0.5 * i / max(len(files), 1), f"Reading {path.name}")
        sources.append(read_source(path))
    with TrialStore(store_path) as store:
        return store.import_files(
            sources,
            codes_of=lambda r: map_trial(r.conditions, r.keywords, r.title, tree),
            criteria_of=extract,
            progress=None
            if progress is None
            else (lambda f, m: progress(0.5 + 0.5 * f, m)),
        )


def snapshot(
    store_path: Path,
    *,
    max_age_days: int,
    sites: Sequence[str],
    candidates: int = 0,
    today: dt.date | None = None,
) -> TrialsSnapshot | None:
    """The snapshot's date and staleness; None when no trial was ever imported."""
    if not store_path.exists():
        return None
    with TrialStore(store_path) as store:
        imported = store.snapshot_date()
    if imported is None:
        return None
    return snapshot_of(
        imported,
        max_age_days=max_age_days,
        sites=sites,
        candidates=candidates,
        today=today,
    )


def snapshot_of(
    imported: str,
    *,
    max_age_days: int,
    sites: Sequence[str],
    candidates: int,
    today: dt.date | None = None,
) -> TrialsSnapshot:
    day = dt.date.fromisoformat(imported[:10])
    age = ((today or dt.date.today()) - day).days
    return TrialsSnapshot(
        imported=imported,
        stale=age > max_age_days,
        max_age_days=max_age_days,
        sites=list(sites),
        candidates=candidates,
    )


def match_case_trials(
    store_path: Path,
    case: Case,
    facts: CaseFacts,
    tree: OncoTree,
    *,
    classes: Callable[[str], set[str]],
    canonical: Callable[[str], str],
    sites: Sequence[str],
    max_age_days: int,
    include_excluded: bool = False,
    include_closed: bool = False,
    today: dt.date | None = None,
) -> tuple[list[TrialMatch], TrialsSnapshot] | None:
    """The case's trials and the snapshot; None when the store is empty or absent
    (the match output then has no ``trials``)."""
    if not store_path.exists():
        return None
    with TrialStore(store_path) as store:
        imported = store.snapshot_date()
        if imported is None:
            return None
        trials = store.trials()
    options = MatchOptions(sites=tuple(sites), include_excluded=include_excluded)
    if include_closed:
        options = MatchOptions(
            sites=tuple(sites),
            include_excluded=include_excluded,
            statuses=frozenset(t.record.overall_status for t in trials),
        )
    found, weighed = match_trials(
        trials, facts, case, tree, classes=classes, canonical=canonical, options=options
    )
    return found, snapshot_of(
        imported,
        max_age_days=max_age_days,
        sites=sites,
        candidates=weighed,
        today=today,
    )
