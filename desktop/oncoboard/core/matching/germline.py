"""Germline findings that change the plan (issue 23).

* Pharmacogenomics: every option and not-recommended regimen containing a drug
  with a pharmacogene guideline carries the guideline's advice for this patient
  (``pgx``); a fluoropyrimidine regimen without a recorded DPYD result raises
  ``pgx_untested`` (``knowledgebase/reference/pgx_expected_tests.tsv``).
* Hereditary cancer: a germline pathogenic or likely pathogenic finding in a
  cancer-predisposition gene (``knowledgebase/reference/predisposition_genes.tsv``)
  raises ``germline_referral``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from oncoboard.core.case.model import Case, GermlineFinding
from oncoboard.core.matching.result import (
    Flag,
    NotRecommended,
    Option,
    PgxCall,
    PgxWarning,
)
from oncoboard.core.pgx import (
    DrugAdvice,
    GeneCall,
    advice_for,
    call_gene,
    expected_tests,
)
from oncoboard.core.profiles.reference import predisposition_sources

Carrier = TypeVar("Carrier", Option, NotRecommended)


def gene_calls(case: Case) -> dict[str, GeneCall]:
    """Each recorded pharmacogene result placed in CPIC's tables."""
    return {r.gene: call_gene(r) for r in case.pharmacogenomics}


def pgx_calls(case: Case, calls: dict[str, GeneCall]) -> list[PgxCall]:
    out = []
    for result in case.pharmacogenomics:
        c = calls[result.gene]
        out.append(
            PgxCall(
                gene=c.gene,
                reported=c.reported,
                basis=c.basis,
                phenotype=c.phenotype,
                activity_score=c.activity_score,
                diplotype=c.diplotype,
                note=c.note,
                test=result.test,
                date=result.date.isoformat() if result.date else None,
            )
        )
    return out


def _warning(a: DrugAdvice) -> PgxWarning:
    return PgxWarning(
        gene=a.gene,
        phenotype=a.phenotype,
        drug=a.drug,
        recommendation=a.recommendation,
        summary=a.summary,
        strength=a.strength,
        citation=a.citation,
        source=a.source,  # type: ignore[arg-type]
        actionable=a.actionable,
    )


def warnings_for(drugs: Sequence[str], calls: dict[str, GeneCall]) -> list[PgxWarning]:
    return [_warning(a) for d in drugs if (a := advice_for(d, calls)) is not None]


def annotate(items: list[Carrier], calls: dict[str, GeneCall]) -> list[Carrier]:
    """Options or not-recommended regimens with their pharmacogenomic warnings."""
    return [
        i.model_copy(update={"pgx": w}) if (w := warnings_for(i.drugs, calls)) else i
        for i in items
    ]


def pgx_flags(
    calls: dict[str, GeneCall], regimens: Sequence[Sequence[str]]
) -> list[Flag]:
    """``pgx_untested`` once per drug and expected test; ``pgx_indeterminate`` per gene."""
    drugs = list(dict.fromkeys(d for r in regimens for d in r))
    flags = [
        Flag(
            code="pgx_untested",
            message=f"{t.drug} is in an option and no {t.gene} result is recorded: {t.test}. "
            f"{t.reason} ({t.citation}).",
        )
        for t in expected_tests(drugs, calls)
    ]
    for call in calls.values():
        if not call.determinate:
            flags.append(
                Flag(
                    code="pgx_indeterminate",
                    message=f"{call.gene} {call.reported}: phenotype indeterminate ({call.note or 'not placed'}); "
                    "treated as untested, never as normal.",
                )
            )
    return flags


def _finding(f: GermlineFinding) -> str:
    return " ".join(x for x in (f.gene, f.protein or f.cdna) if x)


def germline_referral_flags(case: Case) -> list[Flag]:
    """A germline P/LP finding in a cancer-predisposition gene: refer to genetics."""
    sources = predisposition_sources()
    flags = []
    for f in case.germline:
        if (
            f.classification not in ("pathogenic", "likely_pathogenic")
            or f.gene.upper() not in sources
        ):
            continue
        cls = f.classification.replace("_", " ")
        flags.append(
            Flag(
                code="germline_referral",
                message=f"Germline {_finding(f)} ({cls}) in a cancer-predisposition gene: refer to "
                "clinical genetics / genetic counselling for hereditary cancer risk, "
                f"surveillance and testing of relatives. Source: {sources[f.gene.upper()]}.",
                alteration=_finding(f),
            )
        )
    return flags
