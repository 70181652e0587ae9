"""Checks of a case against the knowledge base's vocabularies.

A case file can be valid JSON and still name an OncoTree code that does not
exist (``LAUD`` for ``LUAD``).  Matching such a case would silently demote every
option to "other tumor type", so it is invalid input: exit 2, the field named,
and the nearest codes offered.
"""

from __future__ import annotations

from pathlib import Path

from oncoboard.core.case.model import Case
from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.kb.oncotree import OncoTree


def tumor_code_problem(code: str, tree: OncoTree) -> Problem | None:
    """A problem naming ``tumor.oncotree_code`` and the nearest codes, or None if it exists."""
    if tree.exists(code):
        return None
    near = tree.nearest(code, limit=3)
    hint = (
        "; nearest: " + ", ".join(f"{n.code} ({n.name})" for n in near) if near else ""
    )
    return Problem(
        "tumor.oncotree_code",
        f"{code!r} is not an OncoTree code (OncoTree release of the knowledge base){hint}",
    )


def check_case(case: Case, tree: OncoTree, source: str | Path | None = None) -> None:
    """Raise :class:`UserInputError` (exit 2) when the case names an unknown OncoTree code."""
    problem = tumor_code_problem(case.tumor.oncotree_code, tree)
    if problem is not None:
        raise UserInputError(source if source is not None else case.case_id, [problem])
