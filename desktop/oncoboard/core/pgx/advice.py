"""Per-drug pharmacogenomic advice from the gene calls.

CPIC drugs (fluorouracil, capecitabine, tamoxifen, thiopurines) are looked up
in CPIC's own recommendation exports by the calls' lookup keys; irinotecan
(no CPIC guideline) uses the curated DPWG fact in
``knowledgebase/reference/pgx_recommendations.tsv``.  Each advice carries the
phenotype, the recommendation, its strength and the guideline PMID.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from oncoboard.core.pgx.chain import INDETERMINATE, GeneCall
from oncoboard.core.pgx.tables import (
    cpic_guideline,
    curated_recommendations,
    expected_test_rows,
)

# CPIC guideline per drug: the genes its recommendations are keyed on.
CPIC_GENES: dict[str, tuple[str, ...]] = {
    "fluorouracil": ("DPYD",),
    "capecitabine": ("DPYD",),
    "tamoxifen": ("CYP2D6",),
    "mercaptopurine": ("TPMT", "NUDT15"),
    "thioguanine": ("TPMT", "NUDT15"),
    "azathioprine": ("TPMT", "NUDT15"),
}
NOT_ACTIONABLE = frozenset(
    {"Normal Metabolizer", "Rapid Metabolizer", "Ultrarapid Metabolizer"}
)
NO_RESULT = "No Result"  # CPIC's key for a gene that was not tested (thiopurines)


@dataclass(frozen=True)
class DrugAdvice:
    """What the guideline recommends for one drug of a regimen, for this patient."""

    gene: str  # "DPYD", or "TPMT, NUDT15" for a recommendation keyed on both
    phenotype: str
    drug: str
    recommendation: str
    strength: str
    citation: str  # "PMID:29152729"
    source: str  # "CPIC" or "DPWG"
    actionable: bool  # the recommendation departs from standard dosing
    determinate: bool = True

    @property
    def summary(self) -> str:
        """The recommendation's first sentence (the table cell); the full text is kept."""
        first = re.split(r"(?<=[.;])\s+(?=[A-Z])", self.recommendation, maxsplit=1)[0]
        return first.rstrip(".;") + "."


@dataclass(frozen=True)
class ExpectedTest:
    """A pre-treatment test a regimen expects and the patient's record lacks."""

    drug: str
    gene: str
    test: str
    reason: str
    citation: str


def _guideline_pmid(guideline: dict[str, Any]) -> str:
    latest = max(guideline["citations"], key=lambda c: (c.get("year") or 0, c["pmid"]))
    return f"PMID:{latest['pmid']}"


def _phenotype_text(calls: Iterable[GeneCall]) -> str:
    return "; ".join(
        f"{c.gene} {c.phenotype}"
        + (f" (activity score {c.activity_score})" if c.activity_score else "")
        for c in calls
    )


def _keys(gene: str, calls: Mapping[str, GeneCall]) -> tuple[str, ...]:
    call = calls.get(gene)
    if call is None:
        return (NO_RESULT,)
    return call.lookup_keys if call.determinate else (INDETERMINATE,)


def _indeterminate(
    drug: str, called: list[GeneCall], source: str, citation: str
) -> DrugAdvice:
    why = (
        "; ".join(c.note for c in called if c.note)
        or "the phenotype could not be assigned"
    )
    return DrugAdvice(
        gene=", ".join(c.gene for c in called),
        phenotype=_phenotype_text(called),
        drug=drug,
        recommendation=(
            f"Phenotype indeterminate ({why}): the {source} recommendation cannot be "
            "looked up. Treat as untested, not as normal; repeat or complete the test."
        ),
        strength="none",
        citation=citation,
        source=source,
        actionable=True,
        determinate=False,
    )


def _cpic(drug: str, calls: Mapping[str, GeneCall]) -> DrugAdvice | None:
    genes = CPIC_GENES[drug]
    called = [calls[g] for g in genes if g in calls]
    if not called:
        return None
    guideline = cpic_guideline(drug)
    citation = _guideline_pmid(guideline)
    wanted = {g: set(_keys(g, calls)) for g in genes}
    found = [
        r
        for r in guideline["recommendations"]
        if all(r["lookupkey"].get(g) in wanted[g] for g in genes)
    ]
    if not found or (len(genes) == 1 and not called[0].determinate):
        return _indeterminate(drug, called, "CPIC", citation)
    texts = list(dict.fromkeys(r["drugrecommendation"] for r in found))
    strengths = list(dict.fromkeys(r["classification"] for r in found))
    if len(texts) > 1:
        return DrugAdvice(
            gene=", ".join(c.gene for c in called),
            phenotype=_phenotype_text(called),
            drug=drug,
            recommendation=(
                "CPIC's recommendation depends on the activity score, which was not "
                "recorded; record the diplotype or the activity score."
            ),
            strength="none",
            citation=citation,
            source="CPIC",
            actionable=True,
            determinate=False,
        )
    phenotypes = {p for r in found for p in r["phenotypes"].values()} - {
        NO_RESULT,
        "n/a",
    }
    return DrugAdvice(
        gene=", ".join(c.gene for c in called),
        phenotype=_phenotype_text(called),
        drug=drug,
        recommendation=texts[0],
        strength=" or ".join(strengths),
        citation=citation,
        source="CPIC",
        actionable=bool(phenotypes - NOT_ACTIONABLE) or INDETERMINATE in phenotypes,
    )


def _curated(drug: str, calls: Mapping[str, GeneCall]) -> DrugAdvice | None:
    rows = [r for r in curated_recommendations() if r["drug"] == drug]
    if not rows:
        return None
    gene = rows[0]["gene"]
    call = calls.get(gene)
    if call is None:
        return None
    citation, source = rows[0]["citation"], rows[0]["source"]
    row = next((r for r in rows if r["phenotype"] == call.phenotype), None)
    if not call.determinate or row is None:
        return _indeterminate(drug, [call], source, citation)
    return DrugAdvice(
        gene=gene,
        phenotype=_phenotype_text([call]),
        drug=drug,
        recommendation=row["recommendation"],
        strength=row["strength"],
        citation=row["citation"],
        source=row["source"],
        actionable=row["actionable"] == "yes",
    )


def advice_for(drug: str, calls: Mapping[str, GeneCall]) -> DrugAdvice | None:
    """The guideline's advice for ``drug`` given the gene calls; None when the drug has
    no pharmacogene guideline here or none of its genes was tested."""
    if drug in CPIC_GENES:
        return _cpic(drug, calls)
    return _curated(drug, calls)


def expected_tests(drugs: Iterable[str], tested: Iterable[str]) -> list[ExpectedTest]:
    """Pre-treatment tests that ``drugs`` expect and that were not recorded."""
    have = set(tested)
    wanted = set(drugs)
    return [
        ExpectedTest(r["drug"], r["gene"], r["test"], r["reason"], r["citation"])
        for r in expected_test_rows()
        if r["drug"] in wanted and r["gene"] not in have
    ]
