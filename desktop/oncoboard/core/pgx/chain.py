"""Place a recorded pharmacogene result in CPIC's tables.

diplotype (or variants with zygosity) → allele function / activity value →
phenotype and activity score, exactly as CPIC's diplotype table lists them.
An activity score is looked up among the table's keys; a phenotype is taken as
the lab reported it.  Anything the table cannot place (an allele without a
function row, an unknown gene, a score CPIC does not use) is
``Indeterminate``, never ``Normal Metabolizer``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from oncoboard.core.case.model import PharmacogenomicResult
from oncoboard.core.pgx.tables import phenotype_table

INDETERMINATE = "Indeterminate"
# Genes whose CPIC alleles are named by their defining cDNA variant, so that a list
# of variants with zygosity can be turned into a diplotype.
VARIANT_NAMED_GENES = frozenset({"DPYD"})
REFERENCE_ALLELE = {"DPYD": "Reference"}

Basis = Literal["diplotype", "variants", "activity_score", "phenotype"]


@dataclass(frozen=True)
class GeneCall:
    """One gene's place in the CPIC tables."""

    gene: str
    basis: Basis
    reported: str  # what was recorded, e.g. "*1/*2A" or "activity score 1.5"
    phenotype: str  # CPIC phenotype, or "Indeterminate"
    activity_score: str | None = None
    lookup_keys: tuple[str, ...] = ()  # CPIC recommendation keys this call may take
    diplotype: str | None = None  # in CPIC's allele names
    note: str = ""  # why indeterminate, or a disagreement with the lab's phenotype

    @property
    def determinate(self) -> bool:
        return self.phenotype != INDETERMINATE and bool(self.lookup_keys)

    @property
    def label(self) -> str:
        score = f", activity score {self.activity_score}" if self.activity_score else ""
        return f"{self.gene} {self.reported}: {self.phenotype}{score}"


@dataclass(frozen=True)
class _Index:
    aliases: dict[str, str]  # lower-case name or alias -> CPIC allele name
    diplotypes: dict[tuple[str, ...], dict[str, Any]]  # sorted allele names -> row
    phenotypes: dict[str, tuple[str, ...]]  # lower-case phenotype -> lookup keys
    scores: dict[str, str]  # activity-score lookup key -> phenotype
    names: dict[str, str]  # lower-case phenotype -> CPIC spelling


def _alias_names(gene: str, name: str) -> list[str]:
    """``c.1905+1G>A (*2A)`` is also ``c.1905+1G>A`` and ``*2A``; DPYD's reference is ``*1``."""
    out = [name]
    match = re.match(r"^(.*?) \((.*)\)$", name)
    if match:
        out += [p.strip() for p in match.group(1).split(",")] + [match.group(2)]
    if name == REFERENCE_ALLELE.get(gene):
        out.append("*1")
    return out


@cache
def _index(gene: str) -> _Index:
    table = phenotype_table(gene)
    aliases: dict[str, str] = {}
    for allele in table["namedAlleles"]:
        aliases[allele["name"].lower()] = allele["name"]
    for allele in table["namedAlleles"]:  # exact names first, then the aliases
        for alias in _alias_names(gene, allele["name"]):
            aliases.setdefault(alias.lower(), allele["name"])
    diplotypes: dict[tuple[str, ...], dict[str, Any]] = {}
    phenotypes: dict[str, list[str]] = {}
    scores: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in table["diplotypes"]:
        key = tuple(
            sorted(a for a, n in row["diplotypekey"].items() for _ in range(int(n)))
        )
        diplotypes[key] = row
        keys = phenotypes.setdefault(row["phenotype"].lower(), [])
        if row["lookupkey"] not in keys:
            keys.append(row["lookupkey"])
        names[row["phenotype"].lower()] = row["phenotype"]
        if row["activityScore"] is not None:
            scores.setdefault(row["lookupkey"], row["phenotype"])
    return _Index(
        aliases, diplotypes, {k: tuple(v) for k, v in phenotypes.items()}, scores, names
    )


def _indeterminate(
    result: PharmacogenomicResult, basis: Basis, reported: str, why: str
) -> GeneCall:
    return GeneCall(result.gene, basis, reported, INDETERMINATE, note=why)


def _from_alleles(
    result: PharmacogenomicResult, basis: Basis, reported: str, alleles: list[str]
) -> GeneCall:
    index = _index(result.gene)
    named = []
    inferred = []
    for allele in alleles:
        name = index.aliases.get(allele.strip().lower())
        if name is None:
            return _indeterminate(
                result,
                basis,
                reported,
                f"{result.gene} allele {allele.strip()!r} has no CPIC function "
                "assignment in the table",
            )
        if "," in name and allele.strip().lower() != name.lower():
            inferred.append(f"{name} inferred from {allele.strip()} alone")
        named.append(name)
    row = index.diplotypes.get(tuple(sorted(named)))
    if row is None:
        return _indeterminate(
            result,
            basis,
            reported,
            f"{result.gene} {'/'.join(named)} is not in CPIC's diplotype table",
        )
    score = row["activityScore"] if row["activityScore"] not in (None, "n/a") else None
    call = GeneCall(
        result.gene,
        basis,
        reported,
        row["phenotype"],
        score,
        (row["lookupkey"],),
        row["diplotype"],
        "; ".join(inferred),
    )
    return _with_lab_phenotype(result, call)


def _with_lab_phenotype(result: PharmacogenomicResult, call: GeneCall) -> GeneCall:
    """A lab phenotype that disagrees with CPIC's table is said, not silently replaced."""
    if (
        not result.phenotype
        or _normal_phenotype(result.phenotype) == call.phenotype.lower()
    ):
        return call
    note = (f"{call.note}; " if call.note else "") + (
        f"the laboratory reported {result.phenotype!r}; CPIC's table gives "
        f"{call.phenotype!r} for {call.diplotype}"
    )
    return GeneCall(
        call.gene,
        call.basis,
        call.reported,
        call.phenotype,
        call.activity_score,
        call.lookup_keys,
        call.diplotype,
        note,
    )


def _normal_phenotype(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower()).replace(
        "metaboliser", "metabolizer"
    )
    return {
        "pm": "poor metabolizer",
        "im": "intermediate metabolizer",
        "nm": "normal metabolizer",
        "um": "ultrarapid metabolizer",
        "rm": "rapid metabolizer",
    }.get(text, text)


def _from_variants(result: PharmacogenomicResult) -> GeneCall:
    variants = result.variants or []
    reported = ", ".join(f"{v.hgvs} ({v.zygosity})" for v in variants)
    if result.gene not in VARIANT_NAMED_GENES:
        return _indeterminate(
            result,
            "variants",
            reported,
            f"{result.gene} alleles are star alleles defined by several "
            "positions; record the diplotype the laboratory called",
        )
    alleles = [
        v.hgvs for v in variants for _ in range(2 if v.zygosity == "homozygous" else 1)
    ]
    if len(alleles) > 2:
        return _indeterminate(
            result,
            "variants",
            reported,
            f"more than two {result.gene} variant alleles with unknown phase; "
            "CPIC's activity score needs the two haplotypes",
        )
    alleles += [REFERENCE_ALLELE[result.gene]] * (2 - len(alleles))
    return _from_alleles(result, "variants", reported, alleles)


def _score_key(score: float) -> str:
    text = f"{score:.2f}"
    return text[:-1] if text.endswith("0") else text


def _from_score(result: PharmacogenomicResult) -> GeneCall:
    assert result.activity_score is not None
    key = _score_key(result.activity_score)
    reported = f"activity score {key}"
    index = _index(result.gene)
    if not index.scores:
        return _indeterminate(
            result,
            "activity_score",
            reported,
            f"CPIC assigns no activity score for {result.gene}",
        )
    phenotype = index.scores.get(key)
    if phenotype is None:
        return _indeterminate(
            result,
            "activity_score",
            reported,
            f"{key} is not an activity score in CPIC's {result.gene} table",
        )
    return GeneCall(result.gene, "activity_score", reported, phenotype, key, (key,))


def _from_phenotype(result: PharmacogenomicResult) -> GeneCall:
    assert result.phenotype is not None
    index = _index(result.gene)
    wanted = _normal_phenotype(result.phenotype)
    keys = tuple(k for k in index.phenotypes.get(wanted, ()) if k != "n/a")
    if not keys or wanted == INDETERMINATE.lower():
        return _indeterminate(
            result,
            "phenotype",
            result.phenotype,
            f"{result.phenotype!r} is not a {result.gene} phenotype in CPIC's table",
        )
    return GeneCall(
        result.gene, "phenotype", result.phenotype, index.names[wanted], None, keys
    )


def call_gene(result: PharmacogenomicResult) -> GeneCall:
    """Place ``result`` in CPIC's tables; the most specific recorded field decides:
    diplotype, then variants, then activity score, then the lab's phenotype."""
    if result.diplotype:
        parts = result.diplotype.split("/")
        if len(parts) != 2:
            return _indeterminate(
                result,
                "diplotype",
                result.diplotype,
                "a diplotype names two alleles separated by '/'",
            )
        return _from_alleles(result, "diplotype", result.diplotype, parts)
    if result.variants:
        return _from_variants(result)
    if result.activity_score is not None:
        return _with_lab_phenotype(result, _from_score(result))
    return _from_phenotype(result)
