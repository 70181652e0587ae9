"""Inputs of the tumor-board report: one case section and the export options.

These are plain frozen dataclasses so that building them never imports
reportlab (the report never imports matplotlib at all); the lead's pipeline
(``core/pipeline.py``) assembles a :class:`ReportInput` per case and the CLI or
the GUI chooses the :class:`ReportOptions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from oncoboard.core.case.model import Case
from oncoboard.core.matching.result import MatchResult

if TYPE_CHECKING:  # pragma: no cover - typing only
    from oncoboard.core.survival.predict import CurvePrediction

PageSize = Literal["A4", "Letter"]
PAGE_SIZES: tuple[PageSize, ...] = ("A4", "Letter")

VafPoint = tuple[dt.date, str, float]
"""One serial measurement: (collection date, sample id, VAF as a fraction)."""


class Her2Like(Protocol):
    """What the report reads from ``oncoboard.core.profiles.Her2Assessment``."""

    @property
    def status(self) -> str | None: ...  # noqa: D102

    @property
    def rule(self) -> str: ...  # noqa: D102

    @property
    def guideline(self) -> str: ...  # noqa: D102

    @property
    def ish_group(self) -> int | None: ...  # noqa: D102


@dataclass(frozen=True)
class ReportInput:
    """Everything one case section of the report needs.

    Parameters
    ----------
    case
        The validated case.
    match
        The ``oncoboard.match/1`` result for the case.
    oncotree_name
        Display name of ``case.tumor.oncotree_code`` (e.g. "Lung Adenocarcinoma"),
        or None when the code is unknown to the bundled OncoTree.
    her2
        The HER2 assessment (status, rule, guideline, ISH group), or None.
    vaf_series
        Alteration label -> time-ordered ``(date, sample id, vaf)`` points; a
        trend chart is drawn for labels with at least two points.
    survival_curves
        The top options' predicted curves, in legend order; when there is at
        least one, the report draws them as a vector plot (reportlab graphics).
    survival_title
        Title of that plot.
    methods
        Ordered ``key -> value`` lines for the Methods section (ranking policy,
        model details, seeds, thresholds ...).
    flags_by_label
        Alteration label -> flag codes, shown in the alteration table.
    """

    case: Case
    match: MatchResult
    oncotree_name: str | None = None
    her2: Her2Like | None = None
    vaf_series: Mapping[str, Sequence[VafPoint]] = field(default_factory=dict)
    survival_curves: Sequence[CurvePrediction] = ()
    survival_title: str = ""
    methods: Mapping[str, str] = field(default_factory=dict)
    flags_by_label: Mapping[str, Sequence[str]] = field(default_factory=dict)
    alteration_vaf: Mapping[str, float] = field(default_factory=dict)
    """``"<label>@<sample id>"`` -> VAF (fraction), for the alteration table."""
    synthetic: bool = False
    """The case is marked synthetic (``extensions.synthetic``): say so on every page."""


@dataclass(frozen=True)
class ReportOptions:
    """How to render: letterhead, paper, identification and reproducibility.

    Parameters
    ----------
    institution
        Institution name printed in the header (from the deployment config).
    logo_path
        PNG or JPEG logo for the header, or None.
    prepared_by
        Who prepared the report.
    board_date
        The tumor board's date; None prints "not set".
    page_size
        ``"A4"`` or ``"Letter"``.
    deidentified
        Leave out pseudonyms, print an age band instead of the age and mark the
        cover and every page.
    creation_date
        A fixed creation date: with it, the same inputs give the same bytes.
    """

    institution: str = ""
    logo_path: Path | None = None
    prepared_by: str = ""
    board_date: dt.date | None = None
    page_size: PageSize = "A4"
    deidentified: bool = False
    creation_date: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(
                f"page_size must be one of {', '.join(PAGE_SIZES)}, "
                f"got {self.page_size!r}"
            )
