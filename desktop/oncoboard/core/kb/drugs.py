"""The controlled drug vocabulary (``knowledgebase/drugs/*.yaml``).

Each drug has one canonical name (its INN, lower case, or the name clinicians
use where the INN is unfamiliar, e.g. leucovorin), synonyms and brand names
for search, and the drug classes that ``setting.after`` refers to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from oncoboard.core.errors import Problem, UserInputError

DRUG_CLASSES = frozenset(
    {
        "egfr_tki_1st_2nd_gen", "egfr_tki_3rd_gen", "egfr_tki", "alk_tki",
        "ros1_tki", "ret_inhibitor", "met_tki", "kras_g12c_inhibitor",
        "braf_inhibitor", "mek_inhibitor", "trk_inhibitor", "endocrine",
        "aromatase_inhibitor", "cdk46_inhibitor", "taxane", "trastuzumab",
        "anti_her2", "chemotherapy", "platinum", "fluoropyrimidine", "irinotecan",
        "oxaliplatin", "anthracycline", "anti_pd1_pdl1", "anti_ctla4",
        "parp_inhibitor", "anti_egfr_antibody", "anti_vegf", "arpi",
        "fgfr_inhibitor", "idh1_inhibitor", "kit_inhibitor", "pi3k_akt_inhibitor",
        "antibody_drug_conjugate",
    }
)  # fmt: skip


class Drug(BaseModel):
    """One drug of the vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    inn: str = Field(min_length=2)
    synonyms: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    classes: list[str] = Field(default_factory=list)

    @field_validator("inn")
    @classmethod
    def _lower(cls, inn: str) -> str:
        return inn.lower()

    @field_validator("classes")
    @classmethod
    def _known_classes(cls, classes: list[str]) -> list[str]:
        unknown = sorted(set(classes) - DRUG_CLASSES)
        if unknown:
            raise ValueError(f"unknown drug class(es) {unknown}")
        return classes


class CrossResistance(BaseModel):
    """A drug class whose members fail after progression on any one of them."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    drug_class: str = Field(alias="class")
    statement: str = Field(min_length=20)
    citation: dict[str, str] = Field(
        description="{type, id, note}: the source of the statement"
    )

    @field_validator("drug_class")
    @classmethod
    def _known_class(cls, name: str) -> str:
        if name not in DRUG_CLASSES:
            raise ValueError(f"unknown drug class {name!r}")
        return name

    @field_validator("citation")
    @classmethod
    def _cited(cls, citation: dict[str, str]) -> dict[str, str]:
        if not citation.get("type") or not citation.get("id"):
            raise ValueError(
                "a cross-resistance statement needs a citation with type and id"
            )
        return citation

    def render_citation(self) -> str:
        kind, ident = self.citation["type"], self.citation["id"]
        return f"PMID:{ident}" if kind == "pmid" else f"{kind} {ident}"


CROSS_RESISTANCE_FILE = "cross_resistance.yaml"


@dataclass(frozen=True)
class DrugRecord:
    """A drug with the file it came from."""

    drug: Drug
    source_file: str


class DrugVocabulary:
    """Lookup of canonical names, synonyms, brands and classes."""

    def __init__(
        self,
        records: Iterable[DrugRecord],
        cross_resistance: Iterable[CrossResistance] = (),
    ) -> None:
        self.records = {r.drug.inn: r for r in records}
        self.cross_resistance = {c.drug_class: c for c in cross_resistance}
        self._names: dict[str, str] = {}
        self.warnings: list[str] = []
        # INNs first so a brand that happens to equal another drug's INN never
        # hides that drug; then synonyms and brands in sorted order, first wins.
        for inn in sorted(self.records):
            self._names[inn] = inn
        for inn, rec in sorted(self.records.items()):
            for name in sorted(
                {n.lower() for n in (*rec.drug.synonyms, *rec.drug.brands)}
            ):
                owner = self._names.setdefault(name, inn)
                if owner != inn:
                    # A combination product's brand (e.g. a co-formulation) can
                    # name two drugs; search keeps the first, the build warns.
                    self.warnings.append(
                        f"{rec.source_file} drug {inn}: name {name!r} also names "
                        f"{owner!r}; it resolves to {owner!r}"
                    )

    def __contains__(self, inn: object) -> bool:
        return isinstance(inn, str) and inn.lower() in self.records

    def canonical(self, name: str) -> str | None:
        """Return the canonical name for an INN, synonym or brand (any case)."""
        return self._names.get(name.strip().lower())

    def names(self) -> list[tuple[str, str]]:
        """Return every (lower-case name, canonical name) pair, sorted."""
        return sorted(self._names.items())

    def classes(self, inn: str) -> set[str]:
        """Return the classes of a drug (empty if unknown)."""
        rec = self.records.get(inn.lower())
        return set(rec.drug.classes) if rec else set()


def load_drug_vocabulary(drug_dir: Path) -> DrugVocabulary:
    """Read every ``*.yaml`` under ``drug_dir`` (top-level ``drugs:`` list).

    Parameters
    ----------
    drug_dir
        ``knowledgebase/drugs``.

    Returns
    -------
    DrugVocabulary
        Raises :class:`UserInputError` naming file, drug and field on any error,
        including a drug defined in two files or a name that maps to two drugs.
    """
    import yaml

    problems: list[Problem] = []
    records: dict[str, DrugRecord] = {}
    cross = _load_cross_resistance(drug_dir / CROSS_RESISTANCE_FILE, problems)
    for path in sorted(drug_dir.glob("*.yaml")):
        if path.name == CROSS_RESISTANCE_FILE:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(path.name, f"not valid YAML: {exc}"))
            continue
        items = data.get("drugs") if isinstance(data, dict) else None
        if not isinstance(items, list):
            problems.append(Problem(path.name, "expected a top-level 'drugs:' list"))
            continue
        for i, item in enumerate(items):
            label = item.get("inn", f"#{i}") if isinstance(item, dict) else f"#{i}"
            try:
                drug = Drug.model_validate(item)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(p) for p in err["loc"])
                    problems.append(
                        Problem(f"{path.name} drug {label} field {loc}", err["msg"])
                    )
                continue
            if drug.inn in records:
                other = records[drug.inn].source_file
                problems.append(
                    Problem(f"{path.name} drug {drug.inn}", f"also defined in {other}")
                )
                continue
            records[drug.inn] = DrugRecord(drug, path.name)
    if problems:
        raise UserInputError(drug_dir, problems)
    return DrugVocabulary(records.values(), cross)


def _load_cross_resistance(
    path: Path, problems: list[Problem]
) -> list[CrossResistance]:
    """The cited cross-resistance classes (``cross_resistance.yaml``); required."""
    import yaml

    if not path.is_file():
        problems.append(
            Problem(path.name, "missing: the cross-resistance classes are required")
        )
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(path.name, f"not valid YAML: {exc}"))
        return []
    items = data.get("cross_resistance") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(
            Problem(path.name, "expected a top-level 'cross_resistance:' list")
        )
        return []
    out = []
    for i, item in enumerate(items):
        try:
            out.append(CrossResistance.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                problems.append(
                    Problem(f"{path.name} cross_resistance.{i}.{loc}", err["msg"])
                )
    return out
