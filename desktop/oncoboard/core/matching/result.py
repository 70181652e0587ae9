"""The ``oncoboard.match/1`` output contract (see ``shared/spec/case-format.md``).

These immutable models are what the CLI prints with ``--json``, what the GUI
shows and what the report renders.  Fields are never renamed; additions are
allowed.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from oncoboard.core.survival.predicted import Predicted

MATCH_SCHEMA_ID = "oncoboard.match/1"

AmpTier = Literal["IA", "IB", "IIC", "IID"]
Escat = Literal[
    "I-A", "I-B", "I-C", "II-A", "II-B", "III-A", "III-B", "IV-A", "IV-B", "V", "X"
]
TumorMatch = Literal["same", "agnostic", "other"]
Direction = Literal["sensitive", "resistant"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _OmitNone(_Frozen):
    """An addition to the contract left out of the JSON while it is None, so output
    without a site overlay stays exactly as before."""

    @model_serializer(mode="wrap")
    def _omit_none(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]  # noqa: ANN202 (no annotation keeps the schema)
        data = handler(self)
        for key in self._omitted_when_none:
            if data.get(key, 0) is None:
                del data[key]
        return data

    _omitted_when_none: ClassVar[tuple[str, ...]] = ()


class OverlayFileRef(_Frozen):
    name: str = Field(description="e.g. site-curation/local.yaml")
    sha256: str
    entries: int = Field(ge=0, description="Entries the file adds")
    annotations: int = Field(ge=0, description="Annotations of bundled entries")


class OverlayRef(_Frozen):
    """The site's own curation laid over the KB (``core/kb/overlay.py``)."""

    sha256: str = Field(
        description="One checksum of every overlay file (name and SHA-256)"
    )
    files: list[OverlayFileRef]
    conflicts: int = Field(
        default=0, ge=0, description="Annotations disagreeing with bundled facts"
    )


class KbRef(_OmitNone):
    version: str
    sha256: str
    overlay: OverlayRef | None = Field(
        default=None,
        description="Addition: the site overlay, absent when there is none",
    )

    _omitted_when_none: ClassVar[tuple[str, ...]] = ("overlay",)


class Evidence(_Frozen):
    source: str = Field(description="e.g. 'OncoBoard curated', 'CIViC'")
    citation: str = Field(description="PMID:..., FDA label ..., or guideline")
    summary: str


class RegulatoryApproval(_OmitNone):
    """An FDA or EMA approval of this therapy for the matched indication."""

    agency: Literal["FDA", "EMA"]
    date: str = Field(
        description="ISO date of the approval (EMA: European Commission decision)"
    )
    label: str
    reference: str | None = None
    source: str | None = Field(
        default=None,
        description="Addition: 'site curation (curator, date)' for an approval "
        "from the site overlay; absent for the bundled KB's",
    )

    _omitted_when_none: ClassVar[tuple[str, ...]] = ("source",)


Applicability = Literal["fits", "conditional"]
NotRecommendedReason = Literal[
    "progressed_on", "resistance_in_profile", "contraindicated"
]
AlterationCategory = Literal[
    "actionable",
    "resistance",
    "oncogenic_no_therapy",
    "vus",
    "possible_chip",
    "possible_germline",
]


class Condition(_Frozen):
    """Why an option is only conditionally applicable to this patient."""

    code: str = Field(
        description="e.g. first_line_after_treatment, prerequisite_not_recorded, "
        "status_not_established"
    )
    message: str


class PgxWarning(_Frozen):
    """What a germline pharmacogene result means for one drug of the regimen (issue 23)."""

    gene: str = Field(
        description="e.g. DPYD; 'TPMT, NUDT15' for a recommendation keyed on both"
    )
    phenotype: str = Field(
        description="e.g. 'DPYD Intermediate Metabolizer (activity score 1.0)'; "
        "'Indeterminate' when the result could not be placed"
    )
    drug: str
    recommendation: str = Field(
        description="The guideline's recommendation (CPIC text, or the "
        "curated DPWG fact for irinotecan)"
    )
    summary: str = Field(
        description="Its first sentence, e.g. 'Reduce starting dose by 50% ...'"
    )
    strength: str = Field(
        description="CPIC: Strong, Moderate, Optional; DPWG: not graded; "
        "'none' when no recommendation could be looked up"
    )
    citation: str = Field(description="Guideline PMID, e.g. PMID:29152729")
    source: Literal["CPIC", "DPWG"]
    actionable: bool = Field(
        description="The recommendation departs from standard dosing "
        "(or the phenotype is indeterminate)"
    )


class PgxCall(_Frozen):
    """A recorded pharmacogene result placed in CPIC's tables."""

    gene: str
    reported: str = Field(
        description="As recorded: diplotype, variants, activity score or phenotype"
    )
    basis: Literal["diplotype", "variants", "activity_score", "phenotype"]
    phenotype: str = Field(
        description="CPIC phenotype, or 'Indeterminate' (never assumed normal)"
    )
    activity_score: str | None = None
    diplotype: str | None = Field(default=None, description="In CPIC's allele names")
    note: str = Field(
        default="", description="Why indeterminate, or a disagreement with the lab"
    )
    test: str | None = None
    date: str | None = None


class NotRecommended(_Frozen):
    """A regimen with sensitivity evidence that must not be offered to this patient."""

    drugs: list[str]
    reason: NotRecommendedReason
    explanation: str
    citations: list[str] = Field(min_length=1)
    pgx: list[PgxWarning] = Field(
        default_factory=list,
        description="Addition: pharmacogenomic warnings for drugs of this regimen",
    )


class AlterationView(_Frozen):
    """What one alteration means for this patient (the alteration view)."""

    label: str
    gene: str
    sample: str | None
    category: AlterationCategory
    detail: str
    best_tier: AmpTier | None = None
    applicability: Applicability | None = None


class Comparison(_Frozen):
    """How an option compares with the others: through a network meta-analysis of
    trials (``nma``) or not at all (``none``: no comparative evidence)."""

    basis: Literal["nma", "none"]
    network: str | None = None
    node: str | None = None
    p_score: float | None = Field(
        default=None, description="P-score in the network (1 = best)"
    )
    reference: str | None = Field(
        default=None, description="The network's reference node"
    )
    hr_vs_reference: tuple[float, float, float] | None = Field(
        default=None,
        description="(HR, lower, upper) of this node vs the reference, 95% CI",
    )
    tied_with: list[int] = Field(
        default_factory=list,
        description="Ranks of options not resolved from this one (CI of the HR includes 1)",
    )
    statement: str


class Option(_Frozen):
    rank: int = Field(ge=1)
    drugs: list[str]
    direction: Direction
    amp_tier: AmpTier
    escat: Escat | None = None
    matched: list[str]
    tumor_match: TumorMatch
    evidence: list[Evidence] = Field(min_length=1)
    predicted: Predicted | None = None
    # Additions beyond the minimal contract (allowed by the spec):
    explanation: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    approvals: list[RegulatoryApproval] = Field(
        default_factory=list,
        description="Approvals for this indication (empty when the evidence is from another tumor type)",
    )
    comparison: Comparison | None = None
    applicability: Applicability = "fits"
    conditions: list[Condition] = Field(
        default_factory=list,
        description="Why a conditional option is conditional (empty if it fits)",
    )
    pgx: list[PgxWarning] = Field(
        default_factory=list,
        description="Addition: pharmacogenomic warnings for drugs of this regimen (issue 23)",
    )


class Flag(_Frozen):
    code: str
    message: str
    alteration: str | None = None


class MatchedAlteration(_Frozen):
    gene: str
    kind: str
    label: str
    sample: str | None
    origin: str = Field(description="'somatic', 'germline' or 'unknown'")


TrialMatchKind = Literal["eligible", "possible", "excluded"]


class TrialReason(_Frozen):
    """One criterion of a trial set against the case (``core/trials/match.py``)."""

    criterion: str = Field(
        description="e.g. 'KRAS G12C', 'no prior kras g12c inhibitor', 'ECOG 0-1'"
    )
    outcome: Literal["met", "failed", "unknown"]
    detail: str = Field(description="What in the case decided it, or what is missing")
    sentence: str = Field(
        description="The exact sentence of the record the criterion came from"
    )
    status: Literal["auto", "confirmed"] = Field(
        description="auto: extracted by rule; confirmed: checked by the trial office"
    )


class TrialMatch(_Frozen):
    """Addition (issue 18): a trial at this site the case may join."""

    nct_id: str
    title: str
    match: TrialMatchKind = Field(
        description="eligible on recorded data; possible (needs lists what is missing); "
        "excluded (only when asked for)"
    )
    needs: list[str] = Field(default_factory=list)
    reasons: list[TrialReason] = Field(default_factory=list)


class TrialsSnapshot(_Frozen):
    """Addition (issue 18): the imported trial snapshot the trials were matched against."""

    imported: str = Field(description="ISO timestamp of the latest import")
    stale: bool = Field(description="Older than trials.max_age_days")
    max_age_days: int
    sites: list[str] = Field(
        description="Configured site names (empty: every imported trial)"
    )
    candidates: int = Field(
        ge=0, description="Open trials at the site(s) whose tumor type fits"
    )


class MatchResult(_Frozen):
    schema_: Literal["oncoboard.match/1"] = Field(
        default="oncoboard.match/1", alias="schema"
    )
    case_id: str
    kb: KbRef
    options: list[Option]
    resistance: list[Option]
    flags: list[Flag]
    alterations: list[MatchedAlteration]
    not_recommended: list[NotRecommended] = Field(default_factory=list)
    alteration_view: list[AlterationView] = Field(default_factory=list)
    pharmacogenomics: list[PgxCall] = Field(
        default_factory=list,
        description="Addition: the recorded pharmacogene results, placed",
    )

    trials: list[TrialMatch] | None = Field(
        default=None,
        description="Addition (issue 18): trials at this site; absent when no trial is imported",
    )
    trials_snapshot: TrialsSnapshot | None = Field(
        default=None,
        description="Addition (issue 18): the trial snapshot; absent when no trial is imported",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_serializer(mode="wrap")
    def _omit_no_trials(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]  # noqa: ANN202 (no annotation keeps the schema)
        """Output without an imported trial snapshot stays exactly as before."""
        data = handler(self)
        for key in ("trials", "trials_snapshot"):
            if data.get(key, 0) is None:
                del data[key]
        return data

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)
