"""The one door into the core: typed use cases for the CLI, the GUI and the tests.

Each use case takes a :class:`Context` — the configuration and the data folder
resolved once, the knowledge base behind the :class:`KnowledgeSource` protocol
(opened once per context, never cached by a module), and the case store — and
long-running ones take ``progress(fraction, message)`` and ``cancelled()``
callables (the CLI draws a progress bar, the GUI's worker forwards them).

    ctx = Context.create()
    analysis = analyse_file(ctx, Path("case.json"), progress=print_progress)
    pdf = render_report(ctx, analysis)

Layers (``docs/ARCHITECTURE.md``, checked by import-linter): this module, with
``pipeline`` and ``case_import``, is the ``api`` layer; the CLI and the GUI sit
above it and nothing in the core imports it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncoboard.core import paths
from oncoboard.core.config import Config, load_config
from oncoboard.core.pipeline import (
    DEFAULT_HORIZON_MONTHS,
    Analysis,
    AnalysisCancelled,
    Cancelled,
    KnowledgeSource,
    Progress,
    open_kb,
)

if TYPE_CHECKING:
    from oncoboard.core.case.model import Case
    from oncoboard.core.case_import import Existing, ImportedCase
    from oncoboard.core.db.store import CaseStatus, CaseStore
    from oncoboard.core.fhir.export import FhirExport
    from oncoboard.core.kb.build import BuildReport
    from oncoboard.core.kb.bundle import BundleInfo
    from oncoboard.core.report import ReportOptions
    from oncoboard.core.report.model import ReportInput
    from oncoboard.core.trials.store import ImportSummary, TrialStore

__all__ = [
    "Analysis",
    "AnalysisCancelled",
    "Cancelled",
    "Context",
    "KnowledgeSource",
    "Progress",
    "analyse",
    "analyse_file",
    "build_kb",
    "export_fhir",
    "fit_cohort",
    "import_cases",
    "import_trials",
    "install_kb_update",
    "open_kb",
    "render_board_pack",
    "render_report",
    "report_input",
    "report_options",
    "rollback_kb",
    "save_trial_criteria",
    "with_trials",
]

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What every use case runs against: configuration, folders, the KB and the store.

    Create one per process (the CLI per command, the GUI at start-up, a test per
    test).  The KB is opened on first use and kept; :meth:`reset_kb` forgets it
    after an update is installed or rolled back.
    """

    config: Config
    data_dir: Path
    kb_path: Path | None = None
    _kb: KnowledgeSource | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls,
        *,
        kb_path: Path | None = None,
        kb: KnowledgeSource | None = None,
        config: Config | None = None,
    ) -> Context:
        """Resolve the configuration and the data folder once."""
        config = config or load_config()
        return cls(
            config=config,
            data_dir=paths.data_dir(config["paths.data_dir"]),
            kb_path=kb_path,
            _kb=kb,
        )

    @property
    def kb(self) -> KnowledgeSource:
        if self._kb is None:
            self._kb = open_kb(self.kb_path, self.config)
        return self._kb

    def reset_kb(self) -> None:
        """Forget the opened KB; the next use opens the current one.  A job that holds the
        old one keeps a valid connection until it finishes."""
        self._kb = None

    def open_store(self) -> CaseStore:
        """The user's case database (open it in a ``with`` block)."""
        from oncoboard.core.db import CaseStore

        return CaseStore(paths.database_file(self.data_dir))

    def open_trial_store(self) -> TrialStore:
        """The imported trial snapshot (``<data dir>/trials.sqlite``; a ``with`` block)."""
        from oncoboard.core.trials.store import TrialStore

        return TrialStore(paths.trials_file(self.data_dir))

    @property
    def cohorts_dir(self) -> Path:
        return self.data_dir / "cohorts"

    @property
    def installed_kb_dir(self) -> Path:
        return self.data_dir / "kb"

    @property
    def log_dir(self) -> Path:
        return paths.log_dir(self.data_dir)


# -- analysis ---------------------------------------------------------------------------


def analyse(
    ctx: Context,
    case: Case,
    case_file: Path | None = None,
    *,
    horizon_months: float = DEFAULT_HORIZON_MONTHS,
    cohort: Any = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Analysis:
    """Profile, match and rank one case (a stored case's variant files come from the store).

    Raises :class:`AnalysisCancelled` when ``cancelled()`` turns true between steps.
    """
    from oncoboard.core.pipeline import analyse_case

    analysis = analyse_case(
        case,
        case_file,
        kb=ctx.kb,
        open_store=ctx.open_store,
        horizon_months=horizon_months,
        cohort=cohort,
        progress=progress,
        cancelled=cancelled,
    )
    return with_trials(ctx, analysis)


def analyse_file(ctx: Context, path: Path, **kwargs: Any) -> Analysis:
    """:func:`analyse` a case file (its variant files beside it)."""
    from oncoboard.core.case.io import load_case

    return analyse(ctx, load_case(path), Path(path), **kwargs)


# -- reports ----------------------------------------------------------------------------


def report_input(analysis: Analysis) -> ReportInput:
    """What the report renders for one analysis (provenance from the KB's manifest)."""
    from oncoboard.core.pipeline import report_input as build

    return build(analysis)


def report_options(
    ctx: Context,
    *,
    page_size: str | None = None,
    deidentified: bool | None = None,
    board_date: dt.date | None = None,
    prepared_by: str | None = None,
    creation_date: dt.datetime | None = None,
    institution: str | None = None,
) -> ReportOptions:
    """Report options from the configuration; a key the machine file locks wins."""
    from oncoboard.core.report import ReportOptions

    config = ctx.config
    deid = (
        config["report.deidentified"]
        if deidentified is None or "report.deidentified" in config.locked
        else deidentified
    )
    return ReportOptions(
        institution=institution
        if institution is not None
        else config["institution.name"],
        logo_path=config["institution.logo"],
        prepared_by=prepared_by
        if prepared_by is not None
        else config["report.prepared_by"],
        board_date=board_date or dt.date.today(),
        page_size=page_size or config["report.page_size"],  # type: ignore[arg-type]
        deidentified=bool(deid),
        creation_date=creation_date,
    )


def render_report(
    ctx: Context, analysis: Analysis, options: ReportOptions | None = None
) -> bytes:
    """The board report of one analysed case, as PDF bytes."""
    from oncoboard.core.report import render_case_report

    return render_case_report(report_input(analysis), options or report_options(ctx))


def render_board_pack(
    ctx: Context, analyses: Sequence[Analysis], options: ReportOptions | None = None
) -> bytes:
    """A board pack (agenda, then one section per case), as PDF bytes."""
    from oncoboard.core.report import render_board_pack as render

    return render([report_input(a) for a in analyses], options or report_options(ctx))


def export_fhir(
    ctx: Context, analysis: Analysis, options: ReportOptions | None = None
) -> FhirExport:
    """The analysed case as a FHIR Genomics Reporting Bundle, the board PDF as its
    report's ``presentedForm``; the patient only as a reference when ``options`` say
    de-identified (``docs/fhir.md``)."""
    from oncoboard.core.fhir.export import build_bundle

    options = options or report_options(ctx)
    return build_bundle(
        analysis.case,
        analysis.profile,
        analysis.match,
        render_report(ctx, analysis, options),
        deidentified=options.deidentified,
        tumor_name=analysis.oncotree_name,
    )


# -- cases ------------------------------------------------------------------------------


def import_cases(
    ctx: Context,
    paths_: Sequence[Path],
    *,
    status: CaseStatus = "draft",
    existing: Existing = "refuse",
    store: CaseStore | None = None,
    tumor: str | None = None,
) -> list[ImportedCase]:
    """Validate case files (and their variant files) or FHIR genomics report Bundles
    (``tumor``: their OncoTree code when they give none) and store them; all or nothing."""
    from oncoboard.core.case_import import import_case_files

    if store is not None:
        return import_case_files(
            store, paths_, status=status, existing=existing, kb=ctx.kb, tumor=tumor
        )
    with ctx.open_store() as opened:
        return import_case_files(
            opened, paths_, status=status, existing=existing, kb=ctx.kb, tumor=tumor
        )


# -- knowledge base ---------------------------------------------------------------------


def build_kb(
    curated_dir: Path,
    shared_data_dir: Path,
    out_path: Path,
    *,
    fit_survival: bool = True,
    release_date: dt.date | str | None = None,
    civic_file: Path | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BuildReport:
    """Build the KB file with the survival fits and the network meta-analyses.

    The KB builder sits below survival in the layers; this is where the two meet.
    """
    from oncoboard.core.kb.build import build_kb as build
    from oncoboard.core.survival.build import fit_kb_outcomes
    from oncoboard.core.survival.networks import run_networks

    return build(
        curated_dir,
        shared_data_dir,
        out_path,
        release_date=release_date,
        progress=progress,
        cancelled=cancelled,
        civic_file=civic_file,
        fit_outcomes=fit_kb_outcomes if fit_survival else None,
        run_networks=run_networks,
    )


def install_kb_update(
    ctx: Context,
    bundle: Path,
    *,
    public_key: Path | None = None,
    progress: Progress | None = None,
) -> BundleInfo:
    """Verify a signed KB update bundle against the pinned key and install it.

    The key: ``public_key`` (refused when the machine file locks ``kb.public_key``),
    else the configured one.  The previous KB is kept for :func:`rollback_kb`; the
    context opens the new KB on next use.
    """
    from oncoboard.core.kb.bundle import install_bundle, pinned_public_key

    if progress is not None:
        progress(0.1, "Verifying the signature")
    lock = (
        str(paths.system_config_file())
        if "kb.public_key" in ctx.config.locked
        else None
    )
    key = pinned_public_key(public_key, ctx.config["kb.public_key"], lock)
    info = install_bundle(bundle, key, ctx.data_dir)
    ctx.reset_kb()
    if progress is not None:
        progress(1.0, "Installed")
    return info


def rollback_kb(ctx: Context) -> tuple[str, str]:
    """Go back to the previously installed KB; return (was, now) versions."""
    from oncoboard.core.kb.bundle import rollback

    was, now = rollback(ctx.data_dir)
    ctx.reset_kb()
    return was, now


# -- cohorts ----------------------------------------------------------------------------


def fit_cohort(
    ctx: Context, *args: Any, save: bool = True, **kwargs: Any
) -> tuple[Any, Path | None]:
    """Fit an institutional cohort (``oncoboard.core.survival.cohort.fit_cohort``'s
    arguments) and save it under the context's cohorts folder; return (result, saved)."""
    from oncoboard.core.survival.cohort import fit_cohort as fit
    from oncoboard.core.survival.cohort import save_cohort

    result = fit(*args, **kwargs)
    saved = save_cohort(result, root=ctx.cohorts_dir) if save else None
    return result, saved


def replace_case_file(analysis: Analysis, case_file: Path | None) -> Analysis:
    """The same analysis naming another (or no) case file."""
    return dataclasses.replace(analysis, case_file=case_file)


# -- clinical trials (issue 18) ---------------------------------------------------------


def import_trials(
    ctx: Context,
    paths_: Sequence[Path],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Import ClinicalTrials.gov study JSON or site files into the trial store, in one
    transaction; a bad file raises naming it and nothing is stored."""
    from oncoboard.core.trials.service import import_trials as run

    return run(
        paths.trials_file(ctx.data_dir),
        paths_,
        ctx.kb.oncotree(),
        progress=progress,
        cancelled=cancelled,
    )


def with_trials(
    ctx: Context,
    analysis: Analysis,
    *,
    include_excluded: bool = False,
    include_closed: bool = False,
) -> Analysis:
    """The analysis with the site's trials in its match (unchanged when none is imported)."""
    from oncoboard.core.matching.facts import derive_facts
    from oncoboard.core.trials.service import match_case_trials

    store_path = paths.trials_file(ctx.data_dir)
    if not store_path.exists():
        return analysis
    kb = ctx.kb
    facts = derive_facts(analysis.case, analysis.profile, kb.canonical_drug)
    found = match_case_trials(
        store_path,
        analysis.case,
        facts,
        kb.oncotree(),
        classes=kb.drug_classes,
        canonical=lambda name: kb.canonical_drug(name) or name,
        sites=ctx.config["trials.sites"],
        max_age_days=ctx.config["trials.max_age_days"],
        include_excluded=include_excluded,
        include_closed=include_closed,
    )
    if found is None:
        return analysis
    trials, snapshot = found
    match = analysis.match.model_copy(
        update={"trials": trials, "trials_snapshot": snapshot}
    )
    return dataclasses.replace(analysis, match=match)


def save_trial_criteria(ctx: Context, nct_id: str, criteria: Sequence[Any]) -> None:
    """The trial office's criteria for one trial (each stored ``confirmed``)."""
    with ctx.open_trial_store() as store:
        store.save_criteria(nct_id, criteria)
