"""Germline pharmacogenomics: the CPIC chain from a recorded result to a dosing
recommendation (issue 23, docs/pharmacogenomics.md).

``chain.call_gene`` places a result (diplotype, variants, activity score or
phenotype) in CPIC's allele-function and phenotype tables; ``advice`` turns the
calls into per-drug recommendations with strength and guideline PMID.  Pure
functions over read-only tables (``tables``); no Qt, no database.
"""

from oncoboard.core.pgx.advice import (
    DrugAdvice,
    ExpectedTest,
    advice_for,
    expected_tests,
)
from oncoboard.core.pgx.chain import INDETERMINATE, GeneCall, call_gene

__all__ = [
    "INDETERMINATE",
    "DrugAdvice",
    "ExpectedTest",
    "GeneCall",
    "advice_for",
    "call_gene",
    "expected_tests",
]
