"""The ``oncoboard.match/1`` output contract (see ``shared/spec/case-format.md``).

These immutable models are what the CLI prints with ``--json``, what the GUI
shows and what the report renders.  Fields are never renamed; additions are
allowed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MATCH_SCHEMA_ID = "oncoboard.match/1"

AmpTier = Literal["IA", "IB", "IIC", "IID"]
Escat = Literal[
    "I-A", "I-B", "I-C", "II-A", "II-B", "III-A", "III-B", "IV-A", "IV-B", "V", "X"
]
TumorMatch = Literal["same", "agnostic", "other"]
Direction = Literal["sensitive", "resistant"]
PredictionMethod = Literal["reconstructed-ipd", "published-summary", "cohort-cox", "cohort-rsf"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KbRef(_Frozen):
    version: str
    sha256: str


class Evidence(_Frozen):
    source: str = Field(description="e.g. 'OncoBoard curated', 'CIViC'")
    citation: str = Field(description="PMID:..., FDA label ..., or guideline")
    summary: str


class Predicted(_Frozen):
    endpoint: Literal["PFS", "OS"]
    median_months: float | None
    median_ci: tuple[float | None, float | None] | None
    rmst_months: float | None
    horizon_months: float
    method: PredictionMethod
    source: str


class RegulatoryApproval(_Frozen):
    """An FDA or EMA approval of this therapy for the matched indication."""

    agency: Literal["FDA", "EMA"]
    date: str = Field(description="ISO date of the approval (EMA: European Commission decision)")
    label: str
    reference: str | None = None


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


class MatchResult(_Frozen):
    schema_: Literal["oncoboard.match/1"] = Field(default="oncoboard.match/1", alias="schema")
    case_id: str
    kb: KbRef
    options: list[Option]
    resistance: list[Option]
    flags: list[Flag]
    alterations: list[MatchedAlteration]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)
