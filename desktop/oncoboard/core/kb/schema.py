"""Schema of one curated knowledge-base entry (``knowledgebase/curated/*.yaml``).

A curated file looks like::

    entries:
      - id: EGFR-L858R-NSCLC-OSIMERTINIB-1L
        biomarker: {gene: EGFR, kind: variant, variant: L858R}
        tumor: NSCLC
        therapy: [osimertinib]
        direction: sensitive
        amp_level: A
        escat: I-A
        approvals:
          - agency: FDA
            date: 2018-04-18
            label: "TAGRISSO (osimertinib)"
            reference: "NDA 208065"
        setting: {line: first}
        citations:
          - {type: pmid, id: "29151359", note: "FLAURA"}
        outcomes:
          - {trial: FLAURA, endpoint: PFS, ...}

The full field reference, the level definitions and the curation rules are in
``docs/knowledgebase.md``.  This module is the single source of truth for the
shape; the build validates every file against it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BiomarkerKind = Literal[
    "variant",  # an exact protein change: {variant: L858R}
    "codon",  # any missense change at a codon: {codon: 12}  (KRAS G12)
    "exon",  # a change class in an exon: {exon: 19, exon_change: deletion}
    "exon_skipping",  # {exon: 14}  (MET exon 14 skipping, incl. splice-site variants)
    "oncogenic",  # any oncogenic / hotspot mutation in the gene (never a VUS)
    "loss_of_function",  # truncating or known loss-of-function (never a VUS)
    "amplification",
    "deletion",  # homozygous / deep deletion
    "fusion",  # {partner: EML4} optional
    "expression",  # {level: positive} e.g. CLDN18 (18.2) or FOLR1 by IHC
    "status",  # case-level status: {status: HER2-low} see STATUS_VALUES
    "braf_class",  # {braf_class: 1|2|3}
]

# Case-level statuses the matcher can evaluate.  Thresholds live in data
# (``knowledgebase/thresholds.yaml``), not here.
STATUS_VALUES = (
    "HER2-positive",
    "HER2-low",
    "HER2-ultralow",
    "HER2-null",
    "HER2 IHC 3+",
    "TMB-H",
    "MSI-H",
    "dMMR",
    "MSI-H/dMMR",
    "PD-L1 TPS>=1",
    "PD-L1 TPS>=50",
    "PD-L1 CPS>=1",
    "PD-L1 CPS>=5",
    "PD-L1 CPS>=10",
    "ER-positive",
    "HR-positive",
    "triple-negative",
    "HRD-positive",
    "RAS-wild-type",
    "HLA-A*02:01-positive",  # case biomarkers.hla holds an A*02:01 allele (tebentafusp)
    "PSMA-positive",  # case biomarkers.psma_pet == "positive" (lutetium-177 PSMA-617)
)

# ESMO Scale for Clinical Actionability of molecular Targets (Mateo et al., Ann
# Oncol 2018).  ``escat`` stays a plain string for compatibility; the build
# checks it against this list.
ESCAT_VALUES = (
    "I-A",
    "I-B",
    "I-C",
    "II-A",
    "II-B",
    "III-A",
    "III-B",
    "IV-A",
    "IV-B",
    "V",
    "X",
)

ExonChange = Literal["deletion", "insertion", "missense", "any"]
Origin = Literal["somatic", "germline", "any"]

PMID_RE = re.compile(r"^[1-9][0-9]{0,8}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Biomarker(_Strict):
    gene: str | None = Field(
        default=None, description="HGNC symbol; None only for kind=status"
    )
    kind: BiomarkerKind
    variant: str | None = None
    codon: int | None = None
    exon: int | None = None
    exon_change: ExonChange | None = None
    partner: str | None = None
    level: str | None = None
    status: str | None = None
    braf_class: Literal[1, 2, 3] | None = None
    origin: Origin = "any"

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Biomarker:
        needs = {
            "variant": "variant",
            "codon": "codon",
            "exon": "exon",
            "exon_skipping": "exon",
            "expression": "level",
            "status": "status",
            "braf_class": "braf_class",
        }
        field = needs.get(self.kind)
        if field and getattr(self, field) is None:
            raise ValueError(f"biomarker kind {self.kind!r} needs the field {field!r}")
        if self.kind != "status" and not self.gene:
            raise ValueError(f"biomarker kind {self.kind!r} needs a gene")
        if self.kind == "status" and self.status not in STATUS_VALUES:
            raise ValueError(
                f"unknown status {self.status!r}; expected one of {STATUS_VALUES}"
            )
        return self


class CoRequirement(_Strict):
    """Something else the tumor must (not) have, e.g. RAS wild-type."""

    gene: str
    state: Literal["wild_type", "mutated"]
    note: str | None = None


class Citation(_Strict):
    type: Literal["pmid", "label", "guideline", "civic"]
    id: str
    note: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Citation:
        if self.type == "pmid" and not PMID_RE.match(self.id):
            raise ValueError(f"PMID must be digits only, got {self.id!r}")
        return self

    def render(self) -> str:
        prefix = {"pmid": "PMID:", "label": "", "guideline": "", "civic": "CIViC "}[
            self.type
        ]
        text = f"{prefix}{self.id}"
        return f"{text} ({self.note})" if self.note else text


class Approval(_Strict):
    agency: Literal["FDA", "EMA"]
    date: dt.date
    label: str = Field(description="Product / label name and indication wording")
    reference: str | None = Field(
        default=None, description="NDA/BLA or EMA procedure number"
    )
    note: str | None = Field(
        default=None,
        description="What the date is (e.g. EC decision on variation II/0031) and where it was verified",
    )


class Setting(_Strict):
    line: Literal[
        "first", "second_or_later", "any", "maintenance", "adjuvant", "neoadjuvant"
    ] = "any"
    after: list[str] = Field(
        default_factory=list,
        description="Drug classes from knowledgebase/drugs.yaml the patient must have "
        "received before (all of them), e.g. [egfr_tki_1st_2nd_gen]; a drug name "
        "(INN) requires that drug",
    )
    min_prior_lines: int | None = Field(
        default=None,
        ge=1,
        le=10,
        description="Minimum number of prior lines in the advanced setting the indication "
        "requires (e.g. 3 for ripretinib in GIST: three prior kinase inhibitors)",
    )
    description: str | None = None


class KmDiscrepancy(_Strict):
    """Why a reconstructed curve may differ from the curated published figures."""

    reason: Literal["data_cut", "assessment", "reconstruction", "publication"] = Field(
        description="data_cut: another analysis date; assessment: BICR vs investigator; "
        "reconstruction: error of the Guyot reconstruction itself; publication: the "
        "curated figures come from another publication of the trial"
    )
    note: str = Field(min_length=20, description="What differs, with PMIDs")


class KmLink(_Strict):
    dataset: str = Field(
        description="kmdata dataset id (shared/data/survival/kmdata_ipd)"
    )
    arm: str
    discrepancy: KmDiscrepancy | None = Field(
        default=None,
        description="Recorded reason why the reconstructed KM median or Cox HR may "
        "differ by more than 10% from the outcome's published figures (KB build check)",
    )


class Outcome(_Strict):
    trial: str
    population: str | None = None
    line: str | None = None
    arms: list[str] = Field(min_length=1)
    n: int | None = Field(default=None, ge=1)
    endpoint: Literal["PFS", "OS", "DFS", "iDFS", "EFS", "ORR", "DOR", "TTP"] = Field(
        description="TTP (time to progression; deaths without progression censored) is "
        "its own endpoint: never record it as PFS, and it is never compared with PFS"
    )
    median_months: float | None = None
    median_ci: tuple[float | None, float | None] | None = None
    comparator_median_months: float | None = None
    comparator_ci: tuple[float | None, float | None] | None = None
    hr: float | None = Field(default=None, gt=0)
    hr_ci: tuple[float, float] | None = None
    value_percent: float | None = Field(default=None, description="for ORR")
    followup_months: float | None = Field(
        default=None,
        gt=0,
        description="Follow-up of the analysis the figures come from (months; the "
        "reported median follow-up unless the maximum is reported). No survival figure "
        "beyond it is shown; a published-summary curve without it carries a warning",
    )
    citation: Citation
    kmdata: list[KmLink] = Field(default_factory=list)


class Entry(_Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+\-]*$")]
    biomarker: Biomarker
    also_requires: list[Biomarker] = Field(
        default_factory=list, description="Further biomarkers that must all be present"
    )
    co_requirements: list[CoRequirement] = Field(default_factory=list)
    tumor: str = Field(description="OncoTree code (descendants inherit) or 'agnostic'")
    tumor_exclude: list[str] = Field(default_factory=list)
    therapy: list[str] = Field(
        min_length=1, description="INN names; a combination is one list"
    )
    direction: Literal["sensitive", "resistant"]
    contraindicated: bool = Field(
        default=False,
        description="Resistant entries only: a label or guideline says the regimen does not "
        "work for this biomarker in this tumor type and must not be offered (e.g. anti-EGFR "
        "antibodies without a BRAF inhibitor in BRAF V600E colorectal cancer)",
    )
    except_with: list[str] = Field(
        default_factory=list,
        description="Resistant entries only: drug classes (or drugs) whose presence in a "
        "regimen lifts this resistance, e.g. [braf_inhibitor] for anti-EGFR antibodies in "
        "BRAF V600E colorectal cancer",
    )
    amp_level: Literal["A", "B", "C", "D"]
    escat: str | None = None
    approvals: list[Approval] = Field(default_factory=list)
    setting: Setting = Field(default_factory=Setting)
    citations: list[Citation] = Field(min_length=1)
    outcomes: list[Outcome] = Field(default_factory=list)
    summary: str = Field(
        min_length=10, description="One or two sentences for the board"
    )
    note: str | None = None

    @field_validator("therapy")
    @classmethod
    def _lower(cls, drugs: list[str]) -> list[str]:
        return [d.lower() for d in drugs]

    @model_validator(mode="after")
    def _contraindicated_is_resistance(self) -> Entry:
        if (self.contraindicated or self.except_with) and self.direction != "resistant":
            raise ValueError(
                "contraindicated and except_with need direction: resistant"
            )
        return self
