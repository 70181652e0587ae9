"""The last analysis of each case, kept for this session.

Every results and report view belongs to exactly one case id.  The core has
no stored-analysis API, so the GUI keeps each case's last successful analysis
in memory (with when it ran and the options it ran with); switching case shows
that case's own analysis or a "not analysed" state, never another patient's.
A failed analysis forgets the case's earlier one: the views clear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class AnalysisRecord:
    """One case's analysis as the screens show it."""

    analysis: Any  # core.pipeline.Analysis
    trend: Any  # the ctDNA trend figure, or None
    analysed_at: dt.datetime
    cohort: str | None = None

    @property
    def case_id(self) -> str:
        return str(self.analysis.case.case_id)

    def is_for(self, case: Any) -> bool:
        """True when this analysis was made from exactly this case content."""
        return case is not None and self.analysis.case == case

    def describe(self) -> str:
        """When, with which KB and survival options: the line the views show."""
        a = self.analysis
        survival = f"cohort {self.cohort}" if self.cohort else "trial curves"
        return (
            f"analysed {self.analysed_at:%Y-%m-%d %H:%M:%S}; knowledge base "
            f"{a.kb_label or a.match.kb.version}; survival {survival}"
        )


class AnalysisMemory(QObject):
    """Case id -> its last successful analysis in this session.

    :attr:`changed` carries the case id whose analysis was stored or forgotten.
    """

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_case: dict[str, AnalysisRecord] = {}

    def remember(self, record: AnalysisRecord) -> None:
        self._by_case[record.case_id] = record
        self.changed.emit(record.case_id)

    def forget(self, case_id: str) -> None:
        if self._by_case.pop(case_id, None) is not None:
            self.changed.emit(case_id)

    def get(self, case_id: str | None) -> AnalysisRecord | None:
        return self._by_case.get(case_id) if case_id else None
