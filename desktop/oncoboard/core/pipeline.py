"""The analysis behind ``oncoboard.core.api``: case → profile → match → report input.

``analyse_case`` is the main job: case → profile → match (with survival
predictions and ranking), reporting progress and checking for cancellation
between the steps.  ``report_input`` turns an analysis into what the report
renders; its provenance comes from the KB's manifest.  The CLI, the GUI and the
tests call these through :mod:`oncoboard.core.api`, which holds the context
(configuration, the KB, the case store).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from oncoboard import __version__
from oncoboard.core.case.io import load_case
from oncoboard.core.case.model import Case
from oncoboard.core.errors import OncoBoardError
from oncoboard.core.matching.result import MatchResult, Predicted
from oncoboard.core.profiles.model import Profile

if TYPE_CHECKING:
    from oncoboard.core.db.store import CaseStore
    from oncoboard.core.kb.entry import KbEntry
    from oncoboard.core.kb.oncotree import OncoTree
    from oncoboard.core.kb.store import KnowledgeBase
    from oncoboard.core.report.model import ReportInput
    from oncoboard.core.survival.predict import CurvePrediction

Progress = Callable[[float, str], None]
"""``progress(fraction, message)``: fraction in [0, 1], a short sentence."""
Cancelled = Callable[[], bool]
"""``cancelled()``: True when the caller wants the job stopped."""


class AnalysisCancelled(OncoBoardError):
    """The caller cancelled the analysis; nothing was produced."""


class KnowledgeSource(Protocol):
    """What the analysis needs of a knowledge base (``oncoboard.core.kb.store.KnowledgeBase``)."""

    path: Path
    version: str
    release_date: str
    sha256: str
    manifest: dict[str, Any]

    @property
    def label(self) -> str: ...
    def oncotree(self) -> OncoTree: ...
    def survival_fits(self, entry_id: str) -> list[dict[str, Any]]: ...
    def trial(self, name: str) -> dict[str, Any]: ...
    def canonical_drug(self, name: str) -> str | None: ...
    def drug_classes(self, inn: str) -> set[str]: ...
    def entries_for_gene(self, gene: str) -> list[KbEntry]: ...
    def entries_for_status(self, status: str) -> list[KbEntry]: ...
    def entry(self, entry_id: str) -> KbEntry: ...


StoreOpener = Callable[[], "CaseStore"]


def open_kb(path: Path | None = None, config: Any = None) -> KnowledgeSource:
    """Open a knowledge base read-only (``path``, else ``$ONCOBOARD_KB``, ``kb.path``,
    an installed update, the packaged KB) with the site's own curation laid over it
    (``kb.site_overlay`` or ``<data dir>/site-curation``; ``core/kb/overlay.py``).
    Not cached: an ``api.Context`` keeps one."""
    from oncoboard.core.config import load_config
    from oncoboard.core.kb.overlay import configured_overlay
    from oncoboard.core.kb.store import KnowledgeBase

    config = config or load_config()
    return KnowledgeBase.open(
        path, configured=config["kb.path"], overlay=configured_overlay(config)
    )


log = logging.getLogger(__name__)

DEFAULT_HORIZON_MONTHS = 24.0


@dataclass(frozen=True)
class Analysis:
    """Everything known about one analysed case."""

    case: Case
    case_file: Path | None
    profile: Profile
    match: MatchResult
    curves: dict[int, CurvePrediction] = field(
        default_factory=dict
    )  # option rank -> curve
    oncotree_name: str | None = None
    kb_label: str = ""
    kb_sources: tuple[str, ...] = ()  # "name version (licence)" from the KB's manifest


def not_anchored_caveat(trial: str) -> str:
    """The cross-trial caveat on one figure that is not an anchored comparison."""
    return (
        f"Not an anchored comparison: this figure comes from {trial} alone. Differences "
        "from other options' figures are cross-trial comparisons (different populations, "
        "eligibility, lines, follow-up and eras) and may reflect the populations rather "
        "than the treatments."
    )


@dataclass(frozen=True)
class RegistryPopulation:
    """A trial's eligibility from the KB's trial registry (``KnowledgeBase.trial``)."""

    name: str
    ecog_range: tuple[int, int] | None
    age_range: tuple[float, float] | None
    followup_by_endpoint: dict[str, float]

    def followup_months(self, endpoint: str) -> float | None:
        return self.followup_by_endpoint.get(endpoint)

    @classmethod
    def from_registry(cls, record: dict[str, Any]) -> RegistryPopulation:
        pop = record.get("population") or {}
        ecog, age = pop.get("ecog"), pop.get("age_range")
        followup = {}
        for ep in record.get("endpoints") or []:
            value = ep.get("max_followup_months") or ep.get("median_followup_months")
            if value is not None and ep.get("endpoint") not in followup:
                followup[ep["endpoint"]] = float(value)
        return cls(
            name=str(record["trial"]),
            ecog_range=None if ecog is None else (int(ecog[0]), int(ecog[1])),
            age_range=None if age is None else (float(age[0]), float(age[1])),
            followup_by_endpoint=followup,
        )


def _population_lookup(
    kb: KnowledgeSource,
) -> Callable[[str], RegistryPopulation | None]:
    """Trial populations from the KB's curated trial registry (``kb.trial``);
    ``None`` for a trial the registry does not hold (the prediction then says
    its population fit was not checked)."""
    from oncoboard.core.errors import NotFoundError

    cache: dict[str, RegistryPopulation | None] = {}

    def lookup(name: str) -> RegistryPopulation | None:
        if name not in cache:
            try:
                cache[name] = RegistryPopulation.from_registry(kb.trial(name))
            except NotFoundError:
                cache[name] = None
        return cache[name]

    return lookup


def _make_predictor(
    kb: KnowledgeSource, horizon: float, curves: dict[tuple[str, ...], CurvePrediction]
) -> Callable[[Case, list[KbEntry]], Predicted | None]:
    population = _population_lookup(kb)

    def predict(case: Case, entries: list[KbEntry]) -> Predicted | None:
        fits: list[dict[str, Any]] = []
        for entry in entries:
            fits.extend(kb.survival_fits(entry.id))
        if not fits:
            return None
        from oncoboard.core.survival.predict import predict_option, to_predicted

        curve = predict_option(
            fits, case, horizon_months=horizon, population=population
        )
        if curve is None:
            return None
        curves[tuple(entries[0].therapy)] = curve
        return to_predicted(curve, caveat=not_anchored_caveat(curve.trial))

    return predict


def _make_anchor(
    kb: KnowledgeBase, horizon: float, curves: dict[tuple[str, ...], CurvePrediction]
) -> Callable[[dict[str, Any], str, Sequence[str]], Predicted | None]:
    """Anchored curves for options in a network: the reference arm under the network HR."""
    references: dict[str, dict[str, Any] | None] = {}

    def reference_arm(network: dict[str, Any]) -> dict[str, Any] | None:
        """The network's reference-arm fit, looked up once per network."""
        from oncoboard.core.survival.anchored import reference_fit

        if network["id"] not in references:
            # Registry trials of the network's population (pooled or not).
            trials = set(network.get("trials", [])) | {
                name
                for name in kb.trial_names()
                if kb.trial(name).get("network") == network.get("network")
            }
            fits: list[dict[str, Any]] = []
            for entry in kb.all_entries():
                if any(o.trial in trials for o in entry.outcomes):
                    fits.extend(
                        f
                        for f in kb.survival_fits(entry.id)
                        if f.get("trial") in trials
                    )
            found = reference_fit(network, fits, kb.network_node, trials)
            references[network["id"]] = None if found is None else dict(found)
        return references[network["id"]]

    def anchor(
        network: dict[str, Any], node: str, drugs: Sequence[str]
    ) -> Predicted | None:
        from oncoboard.core.survival.anchored import anchored_curve
        from oncoboard.core.survival.predict import to_predicted

        ref = reference_arm(network)
        if ref is None:
            return None
        if node == network["reference"]:
            hr = {"hr": 1.0, "lower": 1.0, "upper": 1.0, "se": 0.0}
        else:
            pair = next(
                (
                    p
                    for p in network["pairs"]
                    if p["treat"] == node and p["control"] == network["reference"]
                ),
                None,
            )
            if pair is None:
                return None
            hr = pair["random"]
        curve = anchored_curve(
            ref,
            hr,
            node_label=" + ".join(drugs),
            network_id=network["id"],
            horizon_months=horizon,
        )
        curves[tuple(drugs)] = curve
        return to_predicted(curve)

    return anchor


def patient_features(case: Case) -> dict[str, Any]:
    """The case's covariates under the column names cohort tables commonly use."""
    sex = case.patient.sex
    male = {"male": 1, "female": 0}.get(sex)
    return {
        "age": case.patient.age,
        "ecog": case.patient.ecog,
        "ph.ecog": case.patient.ecog,
        "sex": male,
        "male": male,
        "gender": sex if sex in ("male", "female") else None,
    }


def _therapy_key(text: str) -> frozenset[str]:
    import re

    return frozenset(
        p.strip().lower() for p in re.split(r"\+|/|,|;| and ", text) if p.strip()
    )


def _make_cohort_predictor(
    cohort: Any, horizon: float, curves: dict[tuple[str, ...], CurvePrediction]
) -> Callable[[Case, list[KbEntry]], Predicted | None]:
    """Predict from an institutional cohort where its therapy labels name the option's drugs."""
    from oncoboard.core.survival.cohort import load_cohort, predict_therapies
    from oncoboard.core.survival.predict import to_predicted

    result = load_cohort(cohort) if isinstance(cohort, str) else cohort
    cache: dict[str, list[CurvePrediction]] = {}

    def predict(case: Case, entries: list[KbEntry]) -> Predicted | None:
        if case.case_id not in cache:
            cache[case.case_id] = predict_therapies(
                result, patient_features(case), horizon_months=horizon
            )
        wanted = frozenset(entries[0].therapy)
        for curve in cache[case.case_id]:
            if (
                _therapy_key(curve.label.split(" (")[0]) == wanted
                or _therapy_key(curve.label) == wanted
            ):
                curves[tuple(entries[0].therapy)] = curve
                return to_predicted(
                    curve, caveat=not_anchored_caveat(f"cohort {curve.trial}")
                )
        return None

    return predict


def _steps(
    progress: Progress | None, cancelled: Cancelled | None
) -> Callable[[float, str], None]:
    """One step: check for cancellation, then report progress."""

    def step(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise AnalysisCancelled("The analysis was cancelled.")
        if progress is not None:
            progress(fraction, message)

    return step


def kb_sources(kb: KnowledgeSource) -> tuple[str, ...]:
    """The KB's sources as its manifest names them, e.g. ``OncoTree 2025_10_03 (CC-BY-4.0)``."""
    out = []
    for source in kb.manifest.get("sources") or []:
        name, version, licence = (
            source.get("name"),
            source.get("version"),
            source.get("licence"),
        )
        if name:
            out.append(f"{name} {version}" + (f" ({licence})" if licence else ""))
    return tuple(out)


def analyse_case(
    case: Case,
    case_file: Path | None = None,
    *,
    kb: KnowledgeSource,
    open_store: StoreOpener | None = None,
    horizon_months: float = DEFAULT_HORIZON_MONTHS,
    cohort: Any = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Analysis:
    """Build the profile, match it against the KB and rank the options.

    ``cohort`` (a saved cohort's name or a fitted ``CohortFitResult``) makes the
    predictions come from the institution's own outcomes where the cohort's
    therapy labels name an option's drugs; other options keep trial curves.
    ``progress(fraction, message)`` hears of each step (the case checked, the
    profile built, matching, each option's survival figures) and ``cancelled()``
    is checked between them: :class:`AnalysisCancelled` stops the job.
    ``open_store`` opens the case database, for a stored case whose variant
    files are kept beside it (``case_file`` None).
    """
    from oncoboard.core.kb.case_checks import check_case
    from oncoboard.core.matching.matcher import match_case
    from oncoboard.core.profiles import build_profile

    step = _steps(progress, cancelled)
    step(0.0, "Checking the case")
    check_case(case, kb.oncotree(), case_file)
    if case_file is None and any(s.variant_files for s in case.samples):
        return _analyse_stored(
            case,
            kb=kb,
            open_store=open_store,
            horizon_months=horizon_months,
            cohort=cohort,
            progress=progress,
            cancelled=cancelled,
        )
    step(0.1, "Reading the variant files and building the profile")
    profile = build_profile(case, case_file)
    step(0.4, "Matching the profile against the knowledge base")
    by_therapy: dict[tuple[str, ...], CurvePrediction] = {}
    trial_predictor = _make_predictor(kb, horizon_months, by_therapy)
    cohort_predictor = (
        _make_cohort_predictor(cohort, horizon_months, by_therapy)
        if cohort is not None
        else None
    )
    calls = [0]

    def predictor(c: Case, entries: list[KbEntry]) -> Predicted | None:
        calls[0] += 1
        step(
            min(0.5 + 0.04 * calls[0], 0.95),
            f"Survival figures for {' + '.join(entries[0].therapy)}",
        )
        return (cohort_predictor and cohort_predictor(c, entries)) or trial_predictor(
            c, entries
        )

    match = match_case(
        case,
        profile,
        kb,
        predictor=predictor,
        anchor=_make_anchor(kb, horizon_months, by_therapy),  # type: ignore[arg-type]
    )
    step(0.97, "Ranking done")
    curves = {
        o.rank: by_therapy[tuple(o.drugs)]
        for o in match.options
        if tuple(o.drugs) in by_therapy
    }
    tree = kb.oncotree()
    code = case.tumor.oncotree_code
    log.info(
        "analysed case: %d options, %d resistance, %d flags",
        len(match.options),
        len(match.resistance),
        len(match.flags),
    )
    analysis = Analysis(
        case=case,
        case_file=case_file,
        profile=profile,
        match=match,
        curves=curves,
        oncotree_name=tree.name(code) if tree.exists(code) else None,
        kb_label=kb.label,
        kb_sources=kb_sources(kb),
    )
    if progress is not None:
        progress(1.0, "Done")
    return analysis


def _analyse_stored(
    case: Case, *, open_store: StoreOpener | None, **kwargs: Any
) -> Analysis:
    """A case from the database that names variant files: analyse it with the copies
    stored beside it (``CaseStore.materialize``); the edited case content wins."""
    import dataclasses
    import tempfile

    from oncoboard.core.case.io import dump_case
    from oncoboard.core.errors import NotFoundError, Problem, UserInputError

    if open_store is None:
        raise UserInputError(
            case.case_id,
            [
                Problem(
                    "samples[].variant_files",
                    "the case names variant files but no case file or "
                    "case database was given to read them from",
                )
            ],
        )
    with (
        tempfile.TemporaryDirectory(prefix="oncoboard-case-") as folder,
        open_store() as store,
    ):
        try:
            case_file = store.materialize(case.case_id, Path(folder))
        except NotFoundError:
            raise UserInputError(
                case.case_id,
                [
                    Problem(
                        "samples[].variant_files",
                        "the variant files are not stored with this case; import the case file "
                        "(oncoboard case import) or import the files into its samples",
                    )
                ],
            ) from None
        dump_case(case, case_file)
        # The temporary folder is gone after this call: do not hand out its path.
        return dataclasses.replace(
            analyse_case(case, case_file, **kwargs), case_file=None
        )


def analyse_file(path: Path, **kwargs: Any) -> Analysis:
    return analyse_case(load_case(path), Path(path), **kwargs)


def methods_lines(analysis: Analysis) -> dict[str, str]:
    """The report's Methods section: versions, checksums, sources (from the KB's
    manifest), policy, models, thresholds."""
    from oncoboard.core.matching.ranking import RANKING_POLICY
    from oncoboard.core.matching.thresholds import status_thresholds
    from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT

    sources = (
        "; ".join(analysis.kb_sources)
        or "not recorded in the knowledge base's manifest"
    )
    lines = {
        "Application": f"OncoBoard {__version__}",
        "Knowledge base": f"{analysis.match.kb.version} (SHA-256 {analysis.match.kb.sha256})",
        "Sources": f"{sources}. Curated entries cite PMIDs, FDA/EMA labels and guidelines; "
        "CIViC is a labelled second source.",
        "Tiering": "AMP/ASCO/CAP 2017 tiers (Li et al., J Mol Diagn 2017); ESCAT where curated.",
        "Ranking policy": " ".join(RANKING_POLICY.split()),
        "Survival": (
            "Figures describe the trial population, not this patient: Kaplan-Meier median, "
            f"RMST to {DEFAULT_HORIZON_MONTHS:g} months and their 95% CIs from reconstructed "
            "patient data (kmdata), or the published median and CI (an exponential curve "
            "for the RMST, marked as an approximation). Nothing beyond a trial's follow-up "
            "is reported; curves beyond it are parametric extrapolations (NICE DSU TSD 14: "
            "exponential, Weibull, Gompertz, log-logistic, log-normal, generalized gamma and "
            "Royston-Parmar spline; one family per trial, lowest summed AIC) and are marked. "
            "Where the patient lies outside a trial's population (ECOG, age, line) the "
            "figure carries a warning."
        ),
    }
    if analysis.match.kb.overlay is not None:
        from oncoboard.core.matching.site_curation import methods_line

        lines["Site curation"] = methods_line(analysis.match.kb.overlay)
    for t in status_thresholds():
        lines[f"Threshold {t.status}"] = (
            f"{t.field} {t.operator} {t.value:g} {t.unit}; source: {t.source}"
        )
    from oncoboard.core.profiles.reference import thresholds as profile_thresholds

    for name, ref in sorted(profile_thresholds().items()):
        lines[f"Threshold {name.replace('_', ' ')}"] = (
            f"{ref.value:g} {ref.unit}; source: {ref.source}"
        )
    lines["Cross-trial caveat"] = CROSS_TRIAL_CAVEAT
    return lines


SURVIVAL_PLOT_TITLE = "Modelled survival in the trial populations of the top options"


def survival_curves(analysis: Analysis, top: int = 4) -> list[CurvePrediction]:
    """The predicted curves of the top ``top`` options, in rank order (may be empty).

    The report draws them (``core/report/survival_chart.py``) under
    :data:`SURVIVAL_PLOT_TITLE`, one plot per endpoint (PFS and OS are never on
    one plot); it prints the cross-trial caveat itself.
    """
    return [
        analysis.curves[o.rank]
        for o in analysis.match.options[:top]
        if o.rank in analysis.curves
    ]


def report_input(analysis: Analysis) -> ReportInput:
    from oncoboard.core.profiles import vaf_series
    from oncoboard.core.report.model import ReportInput

    flags_by_label: dict[str, list[str]] = {}
    for flag in analysis.match.flags:
        if flag.alteration:
            flags_by_label.setdefault(flag.alteration, []).append(flag.code)
    return ReportInput(
        case=analysis.case,
        match=analysis.match,
        oncotree_name=analysis.oncotree_name,
        her2=analysis.profile.her2,
        vaf_series=vaf_series(analysis.profile),
        survival_curves=survival_curves(analysis),
        survival_title=SURVIVAL_PLOT_TITLE,
        methods=methods_lines(analysis),
        flags_by_label=flags_by_label,
        alteration_vaf={
            f"{a.label}@{a.sample}": a.vaf
            for a in analysis.profile.alterations
            if a.vaf is not None
        },
        synthetic=bool((analysis.case.extensions or {}).get("synthetic")),
    )
