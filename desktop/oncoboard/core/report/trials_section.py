"""The report section "Clinical trials at this site" (issue 18).

The trials come with the match result (``MatchResult.trials``, matched against
the site's imported ClinicalTrials.gov snapshot); the section shows each trial's
match, what it still needs, and the criteria with the sentence they came from.
A stale snapshot is said first.  Without an imported snapshot the section is
left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncoboard.core.report.model import ReportInput
from oncoboard.core.report.styles import esc, styles
from oncoboard.core.report.tables import data_table
from oncoboard.core.report.therapy import _heading

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.platypus import Flowable

SHOWN = 8  # the board reads the best few; the rest are counted, and listed by `oncoboard match`
MATCH_TEXT = {
    "eligible": "eligible on recorded data",
    "possible": "possible",
    "excluded": "excluded",
}
OUTCOME_MARK = {"met": "✓", "failed": "✗", "unknown": "?"}


def snapshot_text(item: ReportInput) -> str:
    """One sentence on the snapshot: when it was imported, for which sites, stale or not."""
    snap = item.match.trials_snapshot
    if snap is None:
        return ""
    sites = (
        ", ".join(snap.sites)
        if snap.sites
        else "every imported trial (no site configured)"
    )
    text = (
        f"Snapshot imported {snap.imported[:10]}; sites: {sites}; "
        f"{snap.candidates} open trial(s) of this tumor type."
    )
    if snap.stale:
        text = (
            f"STALE: the trial snapshot is older than {snap.max_age_days} days; recruitment may "
            "have changed. Ask the trial office for a fresh export. "
        ) + text
    return text


def trials_section(item: ReportInput, width: float) -> list[Flowable]:
    """Trials the case may join, with reasons; empty when no snapshot is imported."""
    from reportlab.platypus import Paragraph

    trials = item.match.trials
    if trials is None:
        return []
    out: list[Flowable] = [_heading("Clinical trials at this site")]
    out.append(Paragraph(esc(snapshot_text(item)), styles().body))
    if not trials:
        out.append(
            Paragraph(
                "No open trial at this site fits this case on recorded data.",
                styles().body,
            )
        )
        return out
    ordered = sorted(
        trials, key=lambda t: (t.match != "eligible", len(t.needs), t.nct_id)
    )
    rows = []
    for t in ordered[:SHOWN]:
        reasons = "<br/>".join(
            f"{OUTCOME_MARK[r.outcome]} {esc(r.criterion)}: {esc(r.detail)} "
            f"<i>({'confirmed' if r.status == 'confirmed' else 'auto-extracted'}: “{esc(r.sentence[:160])}”)</i>"
            for r in t.reasons[:6]
        )
        needs = ", ".join(esc(n) for n in t.needs) or "–"
        rows.append(
            [
                f"<b>{esc(t.nct_id)}</b><br/>{esc(t.title)}",
                esc(MATCH_TEXT[t.match]),
                needs,
                reasons,
            ]
        )
    out.append(
        data_table(
            ["Trial", "Match", "Needs", "Criteria (source sentence)"],
            rows,
            [3.2, 1.6, 2.0, 6.2],
            width,
        )
    )
    if len(ordered) > SHOWN:
        out.append(
            Paragraph(
                f"{len(ordered) - SHOWN} more trial(s) not shown here (eligible first, then those "
                "needing the fewest tests); `oncoboard match` lists them all.",
                styles().body,
            )
        )
    out.append(
        Paragraph(
            "Eligibility criteria are extracted by rule from the registry text and marked auto until the "
            "trial office confirms them; the trial team decides eligibility.",
            styles().small,
        )
    )
    return out
