"""The trials block of ``oncoboard match``: eligible and possible trials at the site."""

from __future__ import annotations

import textwrap

from oncoboard.core.matching.result import MatchResult


def snapshot_line(m: MatchResult) -> str:
    snap = m.trials_snapshot
    if snap is None:
        return ""
    sites = (
        ", ".join(snap.sites)
        if snap.sites
        else "no site configured: every imported trial"
    )
    line = f"Trial snapshot imported {snap.imported[:10]} ({sites})."
    if snap.stale:
        line += f" STALE: older than {snap.max_age_days} days."
    return line


def render_trials(m: MatchResult) -> str:
    """Nothing when no trial is imported; else each trial with its needs and reasons."""
    if m.trials is None:
        return ""
    out = ["", "Clinical trials at this site:", snapshot_line(m)]
    if not m.trials:
        out.append(
            "  none open at the site fits this case's tumor type and recorded biomarkers."
        )
    for t in m.trials:
        head = {
            "eligible": "eligible on recorded data",
            "possible": "possible",
            "excluded": "excluded",
        }[t.match]
        if t.needs:
            head += f": needs {', '.join(t.needs)}"
        out.append(f"  {t.nct_id}  {head}")
        out += textwrap.wrap(
            t.title, 96, initial_indent="      ", subsequent_indent="      "
        )
        for r in t.reasons:
            if r.outcome == "met" and r.criterion.startswith(("no ", "age")):
                continue  # an exclusion the case does not meet: listed in --json
            out.append(f"      {r.outcome:<7} {r.criterion} ({r.detail}) [{r.status}]")
            out += textwrap.wrap(
                f'"{r.sentence}"',
                92,
                initial_indent="          ",
                subsequent_indent="          ",
                max_lines=2,
                placeholder=" ...",
            )
    return "\n".join(out)
