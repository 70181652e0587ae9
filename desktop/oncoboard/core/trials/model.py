"""Trial records and their structured eligibility criteria (immutable)."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

CriterionKind = Literal["biomarker", "prior_therapy", "ecog"]
Effect = Literal["required", "excluded"]
Section = Literal["inclusion", "exclusion", "title", "keywords", "conditions", "site"]
CriterionStatus = Literal["auto", "confirmed"]

OPEN_STATUSES = frozenset({"RECRUITING", "NOT_YET_RECRUITING"})


@dataclass(frozen=True)
class Criterion:
    """One structured eligibility criterion and the sentence it came from.

    ``kind`` ``biomarker``: ``gene`` is an HGNC symbol (``KRAS``, ``ERBB2``) or a
    status family (``HER2``, ``PD-L1``, ``MSI``, ``TMB``, ``HR``, ``CLDN18.2``)
    and ``alteration`` says what of it: a protein change (``G12C``),
    ``exon 20``, ``fusion``, ``amplification``, ``mutation``, ``expression``,
    ``positive``, ``low``, ``negative``, ``high``, ``wild-type``, or a cut-off
    (``TPS>=50``).  ``kind`` ``prior_therapy``: ``gene`` holds the KB drug class
    (``kras_g12c_inhibitor``).  ``kind`` ``ecog``: ``alteration`` is the highest
    allowed ECOG (``"1"``).
    """

    kind: CriterionKind
    effect: Effect
    gene: str
    alteration: str
    section: Section
    sentence: str
    status: CriterionStatus = "auto"

    @property
    def id(self) -> str:
        """A stable id (kind, effect, gene, alteration, section, sentence)."""
        text = "\x1f".join(
            (
                self.kind,
                self.effect,
                self.gene,
                self.alteration,
                self.section,
                self.sentence,
            )
        )
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    @property
    def label(self) -> str:
        if self.kind == "prior_therapy":
            what = f"prior {self.gene.replace('_', ' ')}"
        elif self.kind == "ecog":
            what = f"ECOG 0-{self.alteration}"
        else:
            what = f"{self.gene} {self.alteration}"
        return what if self.effect == "required" else f"no {what}"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Criterion:
        return cls(
            **{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        )


@dataclass(frozen=True)
class Location:
    facility: str
    city: str = ""
    country: str = ""
    status: str = ""

    def text(self) -> str:
        return ", ".join(p for p in (self.facility, self.city, self.country) if p)


@dataclass(frozen=True)
class TrialRecord:
    """One study as read from its source (ClinicalTrials.gov or the site file)."""

    nct_id: str
    title: str
    overall_status: str
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    locations: tuple[Location, ...] = ()
    eligibility: str = ""
    official_title: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    last_update: str | None = None  # lastUpdatePostDate
    version_holder: str | None = None  # ClinicalTrials.gov data version
    source: Literal["ctgov", "site"] = "ctgov"
    interventions: tuple[str, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.overall_status in OPEN_STATUSES

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["locations"] = [dataclasses.asdict(loc) for loc in self.locations]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialRecord:
        values = dict(data)
        values["locations"] = tuple(
            Location(**loc) for loc in data.get("locations") or ()
        )
        for key in ("conditions", "keywords", "phases", "interventions"):
            values[key] = tuple(data.get(key) or ())
        return cls(**values)
