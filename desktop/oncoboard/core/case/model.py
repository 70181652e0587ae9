"""Pydantic v2 model of the ``oncoboard.case/1`` case file.

The public contract is ``../shared/spec/case-format.md``.  Every model forbids
unknown keys, except under an ``extensions`` object, which is kept verbatim.
Fields are never renamed once released; new optional fields may be added.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SCHEMA_ID = "oncoboard.case/1"

# Length caps on free text (issue 22): a 200,000-character pseudonym took 18.8 s to
# lay out in the report.  Documented in ../shared/spec/case-format.md and docs/security.md.
MAX_SHORT_TEXT = 200  # names, codes, HGVS strings, stage, setting, assay, pseudonym
MAX_PATH_TEXT = 1024  # a variant file's relative path
MAX_EXTENSION_DEPTH = 32  # nesting of ``extensions`` (257 levels broke serialization)

NonEmptyStr = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT_TEXT),
]
ShortText = Annotated[str, StringConstraints(max_length=MAX_SHORT_TEXT)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


def _bounded_extensions(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Extensions are kept verbatim, within a nesting depth (the report never prints them;
    the 20 MB case-file limit bounds their size)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_EXTENSION_DEPTH:
            raise ValueError(f"nested deeper than {MAX_EXTENSION_DEPTH} levels")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return value


Extensions = Annotated[dict[str, Any] | None, AfterValidator(_bounded_extensions)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,  # NaN/Infinity would be written as non-standard JSON
        populate_by_name=True,
    )


class Patient(_Strict):
    sex: Literal["female", "male", "other", "unknown"] = "unknown"
    # strict: JSON true is not age 1, and 61.5 is not 61
    age: (
        Annotated[
            int, Field(ge=0, le=120, strict=True, description="Age in whole years")
        ]
        | None
    ) = None
    ecog: (
        Annotated[
            int, Field(ge=0, le=4, strict=True, description="ECOG performance status")
        ]
        | None
    ) = None
    pseudonym: ShortText | None = None
    extensions: Extensions = None


class Tumor(_Strict):
    oncotree_code: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=32, to_upper=True
        ),
    ] = Field(description="OncoTree code, e.g. LUAD, BRCA, COADREAD")
    stage: ShortText | None = None
    setting: Literal["metastatic", "locally_advanced", "early", "unknown"] = "unknown"
    extensions: Extensions = None


class PriorTherapy(_Strict):
    drugs: Annotated[list[NonEmptyStr], Field(min_length=1)]
    setting: ShortText | None = None
    line: Annotated[int, Field(ge=1, le=30, strict=True)] | None = None
    outcome: Literal["progression", "response", "intolerance", "unknown"] = "unknown"
    extensions: Extensions = None

    @field_validator("drugs")
    @classmethod
    def _lower_drugs(cls, drugs: list[str]) -> list[str]:
        # Generic names are matched case-insensitively; store them lower case.
        return [d.lower() for d in drugs]


class _AlterationBase(_Strict):
    gene: NonEmptyStr = Field(
        description="HGNC symbol; aliases such as HER2 are accepted"
    )
    extensions: Extensions = None


class Mutation(_AlterationBase):
    kind: Literal["mutation"]
    protein: NonEmptyStr = Field(description="HGVS p. change, one- or three-letter")
    cdna: ShortText | None = None
    vaf: Fraction | None = None
    depth: Annotated[int, Field(ge=0)] | None = None
    phase: Literal["cis", "trans"] | None = Field(
        default=None,
        description="Phase relative to another variant in the same gene (e.g. EGFR C797S vs T790M)",
    )


class Amplification(_AlterationBase):
    kind: Literal["amplification"]
    copy_number: Annotated[float, Field(ge=0)] | None = None


class Deletion(_AlterationBase):
    kind: Literal["deletion"]


class Fusion(_AlterationBase):
    kind: Literal["fusion"]
    partner: ShortText | None = None


class ExonSkipping(_AlterationBase):
    kind: Literal["exon_skipping"]
    exon: Annotated[int, Field(ge=1, le=200)]


class Expression(_AlterationBase):
    kind: Literal["expression"]
    level: NonEmptyStr


Alteration = Annotated[
    Mutation | Amplification | Deletion | Fusion | ExonSkipping | Expression,
    Field(discriminator="kind"),
]
ALTERATION_KINDS = (
    "mutation",
    "amplification",
    "deletion",
    "fusion",
    "exon_skipping",
    "expression",
)


class VariantFile(_Strict):
    path: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=MAX_PATH_TEXT
        ),
    ] = Field(description="Relative to the case file; may not leave its folder")
    format: Literal["vcf", "maf", "csv"]
    extensions: Extensions = None


class TestedScope(_Strict):
    """What a sample's assay covered, so that absence of a variant can mean "not present".

    ``genes`` covered as a whole; ``exons`` narrows a gene to the exons covered
    (e.g. ``{"KRAS": [2, 3, 4]}``).  A gene in ``exons`` counts as tested even if it
    is not repeated in ``genes``.
    """

    genes: list[
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=1, max_length=32, to_upper=True
            ),
        ]
    ] = Field(
        default_factory=list,
        description="HGNC symbols covered across their coding exons",
    )
    exons: dict[
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=1, max_length=32, to_upper=True
            ),
        ],
        Annotated[list[Annotated[int, Field(ge=1, le=200)]], Field(min_length=1)],
    ] = Field(
        default_factory=dict,
        description="Gene -> exons covered, where only part of a gene was tested",
    )
    extensions: Extensions = None

    def covers(self, gene: str, exons: tuple[int, ...] = ()) -> bool:
        """Did this assay cover ``gene`` (and, if given, all of ``exons``)?"""
        gene = gene.upper()
        if gene in self.exons:
            return set(exons) <= set(self.exons[gene]) if exons else True
        return gene in self.genes


class Sample(_Strict):
    id: NonEmptyStr
    specimen: Literal["tissue", "plasma"]
    collected: dt.date | None = None
    tumor_fraction: Fraction | None = None
    assay: ShortText | None = None
    tested: TestedScope | None = Field(
        default=None,
        description="Genes (and exons) the assay covered; without it, no negative result is inferred",
    )
    alterations: list[Alteration] = Field(default_factory=list)
    variant_files: list[VariantFile] = Field(default_factory=list)
    extensions: Extensions = None

    @model_validator(mode="after")
    def _tumor_fraction_is_plasma_only(self) -> Sample:
        if self.tumor_fraction is not None and self.specimen != "plasma":
            raise ValueError("tumor_fraction is only defined for plasma samples")
        return self


class IshResult(_Strict):
    ratio: Annotated[float, Field(gt=0, le=100)] | None = Field(
        default=None, description="HER2/CEP17 ratio"
    )
    her2_copies: Annotated[float, Field(ge=0, le=200)] | None = Field(
        default=None, description="Average HER2 signals per cell"
    )
    cep17_copies: Annotated[float, Field(ge=0, le=200)] | None = None
    extensions: Extensions = None

    @model_validator(mode="after")
    def _needs_a_number(self) -> IshResult:
        if self.ratio is None and self.her2_copies is None:
            raise ValueError("an ISH result needs at least ratio or her2_copies")
        return self


class Her2(_Strict):
    ihc: Literal["0", "1+", "2+", "3+"] | None = None
    ihc0_staining: Literal["absent", "faint_incomplete_le10pct"] | None = None
    ish: IshResult | None = None
    extensions: Extensions = None

    @model_validator(mode="after")
    def _staining_only_for_ihc0(self) -> Her2:
        if self.ihc0_staining is not None and self.ihc != "0":
            raise ValueError('ihc0_staining only applies when ihc is "0"')
        return self


class PdL1(_Strict):
    tps: (
        Annotated[float, Field(ge=0, le=100, description="Tumor proportion score, %")]
        | None
    ) = None
    cps: (
        Annotated[float, Field(ge=0, le=100, description="Combined positive score")]
        | None
    ) = None
    extensions: Extensions = None


# An HLA allele as typed (WHO nomenclature, with or without the "HLA-" prefix):
# gene, "*", allele group and up to three more colon-separated fields, optional
# expression suffix, e.g. A*02:01, A*02:01:01, HLA-B*57:01, DRB1*15:01:01:02N.
HLA_ALLELE_RE = re.compile(r"^[A-Z]+[0-9]*\*\d{2,3}(:\d{2,3}){0,3}[A-Z]?$")
MAX_HLA_ALLELES = 24  # two alleles of each typed locus, with room to spare


def _hla_allele(value: str) -> str:
    allele = value.strip().upper()
    if allele.startswith("HLA-"):
        allele = allele[4:]
    if not HLA_ALLELE_RE.match(allele):
        raise ValueError(
            f'{value!r} is not an HLA allele as typed: expected e.g. "A*02:01" '
            "(locus, '*', allele group and fields separated by ':')"
        )
    return allele


HlaAllele = Annotated[
    str, StringConstraints(max_length=64), AfterValidator(_hla_allele)
]


class Biomarkers(_Strict):
    her2: Her2 | None = None
    er: Literal["positive", "low", "negative"] | None = None
    pr: Literal["positive", "low", "negative"] | None = None
    tmb: (
        Annotated[float, Field(ge=0, le=10000, description="Mutations per megabase")]
        | None
    ) = None
    msi: Literal["MSI-H", "MSS", "MSI-L"] | None = None
    mmr: Literal["deficient", "proficient"] | None = None
    pdl1: PdL1 | None = None
    ras: Literal["wild-type", "mutant"] | None = Field(
        default=None, description="KRAS/NRAS exons 2-4 status as the lab reported it"
    )
    hla: Annotated[list[HlaAllele], Field(max_length=MAX_HLA_ALLELES)] | None = Field(
        default=None,
        description='HLA alleles as typed, e.g. ["A*02:01", "A*24:02"] (the "HLA-" prefix '
        "is optional and removed); tebentafusp needs an HLA-A*02:01 allele",
    )
    psma_pet: Literal["positive", "negative"] | None = Field(
        default=None,
        description="PSMA PET status as the nuclear-medicine report gave it "
        "(PSMA-positive disease qualifies for lutetium-177 vipivotide tetraxetan)",
    )
    extensions: Extensions = None


class GermlineFinding(_Strict):
    gene: NonEmptyStr
    protein: ShortText | None = None
    cdna: ShortText | None = None
    classification: Literal[
        "pathogenic", "likely_pathogenic", "vus", "likely_benign", "benign"
    ]
    extensions: Extensions = None

    @model_validator(mode="after")
    def _needs_a_change(self) -> GermlineFinding:
        if not self.protein and not self.cdna:
            raise ValueError("a germline finding needs protein or cdna")
        return self


PGX_GENES = ("DPYD", "UGT1A1", "CYP2D6", "TPMT", "NUDT15")
PgxGene = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, to_upper=True
    ),
]


class PgxVariant(_Strict):
    """One pharmacogene variant as the lab reported it (issue 23)."""

    hgvs: NonEmptyStr = Field(
        description="cDNA HGVS as named by CPIC, e.g. c.1905+1G>A"
    )
    zygosity: Literal["heterozygous", "homozygous"]
    extensions: Extensions = None


class PharmacogenomicResult(_Strict):
    """A germline pharmacogene result: a diplotype, variants with zygosity, a
    phenotype or an activity score, taken as the lab reported it.

    The CPIC chain (``core/pgx``) places a diplotype, variants or an activity
    score; a phenotype is used as reported.  What cannot be placed is
    "Indeterminate", never "Normal".
    """

    gene: PgxGene = Field(
        description="HGNC symbol: DPYD, UGT1A1, CYP2D6, TPMT or NUDT15"
    )
    diplotype: ShortText | None = Field(
        default=None,
        description='As called, e.g. "*1/*2A", "*28/*28", "c.1679T>G/c.1679T>G"',
    )
    variants: list[PgxVariant] | None = Field(
        default=None,
        description="Variants with zygosity, where no diplotype was called",
    )
    phenotype: ShortText | None = Field(
        default=None, description='As reported, e.g. "Poor Metabolizer"'
    )
    activity_score: Annotated[float, Field(ge=0, le=10)] | None = Field(
        default=None, description="Activity score as reported (DPYD, CYP2D6)"
    )
    test: ShortText | None = Field(default=None, description="Assay or laboratory")
    date: dt.date | None = None
    extensions: Extensions = None

    @model_validator(mode="after")
    def _needs_a_result(self) -> PharmacogenomicResult:
        if self.gene not in PGX_GENES:
            raise ValueError(
                f"{self.gene} is not a supported pharmacogene "
                f"(supported: {', '.join(PGX_GENES)})"
            )
        if (not self.diplotype and not self.variants and not self.phenotype
                and self.activity_score is None):  # fmt: skip
            raise ValueError(
                "a pharmacogenomic result needs a diplotype, variants, a phenotype "
                "or an activity_score"
            )
        return self


class Case(_Strict):
    """A tumor board case, as exchanged in ``oncoboard.case/1`` files."""

    schema_: Literal["oncoboard.case/1"] = Field(alias="schema")
    case_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    patient: Patient = Field(default_factory=Patient)
    tumor: Tumor
    prior_therapies: list[PriorTherapy] = Field(default_factory=list)
    samples: list[Sample] = Field(default_factory=list)
    biomarkers: Biomarkers = Field(default_factory=Biomarkers)
    germline: list[GermlineFinding] = Field(default_factory=list)
    pharmacogenomics: list[PharmacogenomicResult] = Field(
        default_factory=list,
        description="Germline pharmacogene results (DPYD, UGT1A1, CYP2D6, TPMT, NUDT15)",
    )
    board_question: str | None = Field(
        default=None, max_length=2000, description="The question put to the tumor board"
    )
    extensions: Extensions = None

    @model_validator(mode="after")
    def _sample_ids_unique(self) -> Case:
        seen: set[str] = set()
        for sample in self.samples:
            if sample.id in seen:
                raise ValueError(f"sample id {sample.id!r} is used twice")
            seen.add(sample.id)
        genes = [p.gene for p in self.pharmacogenomics]
        if len(genes) != len(set(genes)):
            raise ValueError(
                "pharmacogenomics lists a gene twice; give one result per gene"
            )
        return self
