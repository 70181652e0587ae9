"""``build_kb``: compile curated YAML and open sources into one SQLite KB file.

The build is deterministic: no wall-clock time enters the content (the release
date comes from ``knowledgebase/release.yaml``), rows are written in sorted
order, and the content hash is computed from the rows, so the same inputs give
the same hash and, with the same SQLite version, the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.errors import OncoBoardError, Problem, UserInputError
from oncoboard.core.kb import sources as src
from oncoboard.core.kb.build_inputs import BuildInputs, Release
from oncoboard.core.kb.civic import load_disease_map, read_civic
from oncoboard.core.kb.civic_entries import import_civic
from oncoboard.core.kb.curated import load_curated, read_yaml
from oncoboard.core.kb.drugs import DrugVocabulary, load_drug_vocabulary
from oncoboard.core.kb.oncotree import OncoTree, load_oncotree_tsv
from oncoboard.core.kb.reference import load_gene_vocabulary, load_kmdata_catalog
from oncoboard.core.kb.trials import TrialRegistry, load_trial_registry
from oncoboard.core.kb.validate import Vocabularies, validate_entries
from oncoboard.core.kb.writer import write_kb

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
FitOutcomes = Callable[[list[Any], Path], Any]
"""``fit_outcomes(curated KbEntries, kmdata folder)`` -> survival fit rows
(``oncoboard.core.survival.build.fit_kb_outcomes``)."""
RunNetworks = Callable[[TrialRegistry], list[dict[str, Any]]]
"""``run_networks(registry)`` -> one NMA result per network
(``oncoboard.core.survival.networks.run_networks``)."""

DISEASE_MAP = "civic_disease_map.tsv"
ALIASES = Path("reference") / "gene_aliases.tsv"
TRIALS = "trials"  # knowledgebase/trials: trial registry and network nodes


class BuildCancelled(OncoBoardError):
    """The user cancelled the build; nothing was written."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    path: Path
    version: str
    release_date: str
    sha256: str  # content hash
    counts: dict[str, int]
    warnings: tuple[str, ...] = ()


def read_release(kb_dir: Path) -> Release:
    """Read ``release.yaml`` (``version`` and ``release_date``) from ``kb_dir``."""
    path = kb_dir / "release.yaml"
    if not path.is_file():
        raise UserInputError(path, [Problem("", "release file missing")])
    data = read_yaml(path) or {}
    problems = []
    version = str(data.get("version") or "").strip()
    if not version:
        problems.append(Problem("version", "missing"))
    try:
        date = dt.date.fromisoformat(str(data.get("release_date")))
    except ValueError:
        problems.append(Problem("release_date", "expected an ISO date YYYY-MM-DD"))
    if problems:
        raise UserInputError(path, problems)
    return Release(version, date)


def build_kb(
    curated_dir: Path,
    shared_data_dir: Path,
    out_path: Path,
    *,
    release_date: dt.date | str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    civic_file: Path | None = None,
    fit_outcomes: FitOutcomes | None = None,
    run_networks: RunNetworks | None = None,
) -> BuildReport:
    """Validate the curated files, import open sources and write the KB file.

    Parameters
    ----------
    curated_dir
        ``knowledgebase/curated``; its parent holds ``drugs/``, ``release.yaml``,
        ``civic_disease_map.tsv`` and optionally ``reference/gene_aliases.tsv``.
    shared_data_dir
        The shared open-data folder (``oncotree/``, ``civic/``, ``survival/``...).
    out_path
        The SQLite file to write (replaced atomically; nothing is written if
        validation fails or the build is cancelled).
    release_date
        Overrides ``release.yaml``'s date (tests); never the clock.
    progress, cancelled
        Optional callables: ``progress(fraction, message)`` and ``cancelled()``.
    civic_file
        A CIViC evidence file to import instead of the shared one, e.g. a
        downloaded nightly ``ClinicalEvidenceSummaries.tsv``.
    fit_outcomes, run_networks
        The survival steps (survival sits above the KB in the layers, so they
        are passed in: ``oncoboard.core.api.build_kb`` wires the real ones).
        ``None`` skips the step: no survival fits, no network meta-analysis.

    Returns
    -------
    BuildReport
        Raises :class:`UserInputError` naming file, entry and field on any
        validation failure, :class:`BuildCancelled` if cancelled.
    """
    step = _stepper(progress, cancelled)
    inputs = read_inputs(
        curated_dir,
        shared_data_dir,
        release_date=release_date,
        step=step,
        civic_file=civic_file,
    )
    if fit_outcomes is not None:
        step(0.75, "Fitting survival models")
        entries = [c.entry for c in inputs.curated]
        inputs.survival_fits = list(
            fit_outcomes(entries, shared_data_dir / src.KMDATA_DIR)
        )
    if inputs.trials is not None and run_networks is not None:
        step(0.8, "Network meta-analysis of the trial registry")
        inputs.nma_results = run_networks(inputs.trials)
    step(0.85, "Writing the knowledge base")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".building")
    tmp.unlink(missing_ok=True)
    try:
        sha, counts = write_kb(tmp, inputs)
        step(0.98, "Finishing")
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    step(1.0, "Done")
    for w in inputs.warnings:
        log.warning("%s", w)
    return BuildReport(
        path=out_path,
        version=inputs.release.version,
        release_date=inputs.release.release_date.isoformat(),
        sha256=sha,
        counts=counts,
        warnings=tuple(inputs.warnings),
    )


def _stepper(progress: Progress | None, cancelled: Cancelled | None) -> Progress:
    def step(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise BuildCancelled("Knowledge-base build cancelled; nothing was written.")
        if progress is not None:
            progress(fraction, message)

    return step


def read_inputs(
    curated_dir: Path,
    shared_data_dir: Path,
    *,
    release_date: dt.date | str | None = None,
    step: Progress | None = None,
    civic_file: Path | None = None,
) -> BuildInputs:
    """Read and validate every input of a build (no file is written).

    Used by :func:`build_kb` and by ``oncoboard kb build --check``.
    """
    step = step or (lambda _f, _m: None)
    kb_dir = curated_dir.parent
    shared = shared_data_dir
    files: list[dict[str, Any]] = []
    step(0.0, "Reading the release")
    release = read_release(kb_dir)
    if release_date is not None:
        date = dt.date.fromisoformat(str(release_date))
        release = Release(release.version, date)
    step(0.05, "Reading OncoTree")
    oncotree = load_oncotree_tsv(src.require_file(shared, src.ONCOTREE_TSV))
    files += _shared_files(shared, [src.ONCOTREE_TSV, src.ONCOTREE_JSON])
    step(0.1, "Reading gene symbols")
    genes = load_gene_vocabulary(
        [src.require_file(shared, t) for t in src.GENE_TABLES], kb_dir / ALIASES
    )
    files += _shared_files(shared, list(src.GENE_TABLES))
    step(0.15, "Reading the drug vocabulary")
    drugs = load_drug_vocabulary(kb_dir / "drugs")
    kmdata = load_kmdata_catalog(src.require_file(shared, src.KMDATA_CATALOG))
    files += _shared_files(shared, [src.KMDATA_CATALOG])
    step(0.2, "Reading curated entries")
    curated, problems = load_curated(curated_dir)
    vocab = Vocabularies(genes, oncotree, drugs, kmdata, release.release_date)
    problems += validate_entries(curated, vocab)
    trials, trial_problems = _read_trials(kb_dir, drugs, oncotree)
    problems += trial_problems
    if problems:
        raise UserInputError(
            curated_dir,
            problems,
            hint="Fix the entries above (file, entry id, field); the schema and "
            "curation rules are in docs/knowledgebase.md. Nothing was written.",
        )
    step(0.4, "Reading CIViC evidence")
    civic_path = civic_file or src.require_file(shared, src.CIVIC_TSV)
    civic_items = read_civic(civic_path)
    files += (
        _shared_files(shared, [src.CIVIC_TSV])
        if civic_file is None
        else [_file_record("CIViC", civic_path.name, civic_path)]
    )
    step(0.6, "Mapping CIViC evidence")
    disease_map = load_disease_map(
        kb_dir / DISEASE_MAP, (n.code for n in oncotree.nodes())
    )
    civic = import_civic(civic_items, disease_map, drugs, civic_path.name)
    files += _kb_files(kb_dir, curated_dir)
    warnings = list(drugs.warnings)
    if trials is None:
        warnings.append(f"no trial registry at {kb_dir / TRIALS}; no networks built")
    if genes.aliases == {}:
        warnings.append(f"no gene alias table at {kb_dir / ALIASES}; symbols only")
    return BuildInputs(
        release=release,
        oncotree=oncotree,
        drugs=drugs,
        kmdata=kmdata,
        curated=curated,
        civic_items=civic_items,
        civic=civic,
        files=files,
        warnings=warnings,
        trials=trials,
    )


def _read_trials(
    kb_dir: Path, drugs: DrugVocabulary, oncotree: OncoTree
) -> tuple[TrialRegistry | None, list[Problem]]:
    """Read ``knowledgebase/trials`` if present (None when the folder is absent)."""
    folder = kb_dir / TRIALS
    if not folder.is_dir():
        return None, []
    return load_trial_registry(
        folder,
        drug_known=lambda d: d in drugs,
        tumor_known=lambda code: code in oncotree,
    )


def _file_record(group: str, name: str, path: Path) -> dict[str, Any]:
    return {
        "group": group,
        "path": name,
        "sha256": src.sha256_file(path),
        "bytes": path.stat().st_size,
    }


def _shared_files(shared: Path, relatives: list[Path]) -> list[dict[str, Any]]:
    return [
        _file_record("shared", rel.as_posix(), src.require_file(shared, rel))
        for rel in relatives
    ]


def _kb_files(kb_dir: Path, curated_dir: Path) -> list[dict[str, Any]]:
    paths = [kb_dir / "release.yaml", kb_dir / DISEASE_MAP]
    paths += sorted((kb_dir / "drugs").glob("*.yaml"))
    paths += sorted(curated_dir.glob("*.yaml"))
    paths += sorted((kb_dir / TRIALS).glob("*.yaml"))
    if (kb_dir / ALIASES).is_file():
        paths.append(kb_dir / ALIASES)
    return [
        _file_record("knowledgebase", p.relative_to(kb_dir).as_posix(), p)
        for p in paths
    ]
