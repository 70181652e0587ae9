"""Which prior therapies count as lines in the advanced setting.

One definition for the matcher (first-line indications, ``min_prior_lines``) and
the survival figures (a first-line trial never describes a treated patient).
"""

from __future__ import annotations

from oncoboard.core.case.model import Case

ADVANCED_PRIOR_SETTINGS = frozenset(
    {
        "metastatic",
        "advanced",
        "locally advanced",
        "palliative",
        "recurrent",
        "unresectable",
    }
)


def is_advanced_line(setting: str | None, line: int | None) -> bool:
    """Did this prior therapy count as a line in the advanced setting?"""
    if setting is None:
        return line is not None  # a numbered line with no setting is read as advanced
    words = " ".join(setting.lower().replace("_", " ").replace("-", " ").split())
    return words in ADVANCED_PRIOR_SETTINGS


def prior_advanced_lines(case: Case) -> int:
    """Prior lines of therapy in the advanced setting."""
    return sum(1 for t in case.prior_therapies if is_advanced_line(t.setting, t.line))
