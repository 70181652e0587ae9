"""The detail panes of the Results screen as HTML: one option (applicability
first, then why this rank, survival, evidence) and one not-recommended regimen."""

from __future__ import annotations

import html
from typing import Any

from oncoboard.gui.options_model import months
from oncoboard.gui.result_labels import REASON_HELP, REASONS, condition_short


def _applicability_html(option: Any) -> str:
    e = html.escape
    if option.applicability != "conditional" or not option.conditions:
        return "<p style='color:#1f7a3a'><b>✓ Fits this patient</b>: no condition found.</p>"
    return (
        "<p style='color:#8a5200'><b>⚠ Conditional</b></p><ul>"
        + "".join(
            f"<li><b>{e(condition_short(c))}</b>: {e(c.message)}</li>"
            for c in option.conditions
        )
        + "</ul>"
    )


def _pgx_html(item: Any) -> str:
    """Pharmacogenomic warnings (issue 23): phenotype, recommendation, strength, PMID."""
    e = html.escape
    if not getattr(item, "pgx", None):
        return ""
    rows = "".join(
        f"<li style='color:{'#a12d2d' if w.actionable else '#444'}'><b>{e(w.phenotype)}</b> — "
        f"{e(w.drug)}: {e(w.recommendation)} <i>[{e(w.source)} {e(w.strength)}, {e(w.citation)}]</i></li>"
        for w in item.pgx
    )
    return f"<p><b>Pharmacogenomics</b></p><ul>{rows}</ul>"


def _list(title: str, items: list[str]) -> str:
    e = html.escape
    return (
        f"<p><b>{e(title)}</b></p><ul>"
        + "".join(f"<li>{e(x)}</li>" for x in items)
        + "</ul>"
    )


def detail_html(option: Any) -> str:
    e = html.escape
    parts = [
        f"<h3>{option.rank}. {e(' + '.join(option.drugs))}</h3>",
        _applicability_html(option),
        _pgx_html(option),
        f"<p><b>AMP tier</b> {e(option.amp_tier)} &nbsp; <b>ESCAT</b> {e(option.escat or '—')}"
        f" &nbsp; <b>Direction</b> {e(option.direction)}</p>",
        f"<p><b>Based on</b> {e(', '.join(option.matched))}</p>",
    ]
    if option.approvals:
        parts.append(
            _list(
                "Approvals",
                [
                    f"{a.agency} {a.date}: {a.label}"
                    + (f" ({a.reference})" if a.reference else "")
                    for a in option.approvals
                ],
            )
        )
    if option.explanation:
        parts.append(_list("Why this rank", list(option.explanation)))
    if option.predicted:
        p = option.predicted
        parts.append(
            f"<p><b>{e(p.description or 'Predicted ' + p.endpoint)}</b> "
            f"[{e(p.basis)}; {e(p.source_trial or '')}]: median {months(p.median_months)}, "
            f"RMST {months(p.rmst_months)} to {p.horizon_months:g} months "
            f"({e(p.method)}; {e(p.source)})</p>"
            + "".join(f"<p>⚠ {e(w.message)}</p>" for w in p.warnings)
        )
    parts.append(
        "<p><b>Evidence</b></p><ol>"
        + "".join(
            f"<li>{e(ev.summary)}<br><i>{e(ev.citation)}</i> — {e(ev.source)}</li>"
            for ev in option.evidence
        )
        + "</ol>"
    )
    if option.notes:
        parts.append(_list("Notes", list(option.notes)))
    return "".join(parts)


def not_recommended_html(item: Any) -> str:
    """One regimen that must not be offered: the reason, the explanation, citations."""
    e = html.escape
    return (
        f"<h3>{e(' + '.join(item.drugs))}</h3>"
        f"<p style='color:#a12d2d'><b>Not recommended: {e(REASONS.get(item.reason, item.reason))}</b>"
        f" — {e(REASON_HELP.get(item.reason, ''))}.</p>"
        f"<p>{e(item.explanation)}</p>"
        + _pgx_html(item)
        + "<p><b>Citations</b></p><ol>"
        + "".join(f"<li>{e(c)}</li>" for c in item.citations)
        + "</ol><p><i>Not ranked and no survival figure: this regimen is not an option "
        "for this patient.</i></p>"
    )
