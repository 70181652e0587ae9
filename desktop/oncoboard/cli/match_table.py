"""Plain-text rendering of a match result for the terminal.

Three groups, as everywhere: the options (each ``fits`` or ``conditional``, the
condition in the row), what is not recommended and why, and resistance; then
every alteration with what it means, and the flags.  Cells wrap; nothing is cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from oncoboard.core.matching.result import MatchResult, NotRecommended, Option
from oncoboard.core.pipeline import Analysis
from oncoboard.core.report.labels import (
    category_text,
    conditions_short,
    percent,
    pgx_text,
    reason_text,
    view_detail,
)

WIDTH = 100
SUB = "        "  # indent of the lines under a row (survival, warnings, conditions, notes)


def _months(value: float | None) -> str:
    return "NR" if value is None else f"{value:.1f}"


def _predicted(option: Option) -> str:
    """The median in the trial population, with its CI (an open bound is NR)."""
    p = option.predicted
    if p is None:
        return "-"
    if p.median_months is not None:
        text = f"{p.endpoint} {p.median_months:.1f} mo"
    elif p.followup_months is not None:
        text = f"{p.endpoint} NR (>{p.followup_months:.1f})"
    else:
        return f"{p.endpoint} -"
    if p.median_ci is not None:
        text += f" ({_months(p.median_ci[0])}-{_months(p.median_ci[1])})"
    return text


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False)  # fmt: skip


def _figure_lines(option: Option) -> list[str]:
    """Under the option's row: what the figure is, its trial, and its warnings."""
    p = option.predicted
    if p is None:
        return []
    who = f"cohort {p.source_trial}" if p.basis == "cohort" else p.source_trial
    head = (
        f"{p.description or 'survival figure'} [{p.basis}; source: {who or p.source}]"
    )
    if p.rmst_months is not None:
        lo, hi = p.rmst_ci or (None, None)
        ci = f" (95% CI {_months(lo)}-{_months(hi)})" if p.rmst_ci is not None else ""
        head += f" RMST to {p.horizon_months:g} mo: {p.rmst_months:.1f} mo{ci}."
    lines = _wrap(head, SUB + "survival: ", SUB + "      ")
    for w in p.warnings:
        if w.code == "cross_trial":
            continue  # printed once under the table
        lines += _wrap(f"[{w.code}] {w.message}", SUB + "warning: ", SUB + "         ")
    return lines


@dataclass(frozen=True)
class _Column:
    title: str
    width: int
    wrap: bool = True


def _row(columns: Sequence[_Column], cells: Sequence[str]) -> list[str]:
    """One table row; cells wider than their column wrap onto further lines."""
    parts: list[list[str]] = []
    for col, cell in zip(columns, cells, strict=True):
        if col.wrap and len(cell) > col.width:
            parts.append(textwrap.wrap(cell, col.width, break_on_hyphens=False) or [""])
        else:
            parts.append([cell])
    lines = []
    for k in range(max(len(p) for p in parts)):
        cells_k = [p[k] if k < len(p) else "" for p in parts]
        text = "  " + " ".join(
            c.ljust(col.width)
            for col, c in zip(columns[:-1], cells_k[:-1], strict=True)
        )
        lines.append((text + " " + cells_k[-1]).rstrip())
    return lines


def _applicability(o: Option) -> str:
    if o.applicability != "conditional":
        return "fits"
    short = conditions_short(o.conditions)
    return f"conditional: {short}" if short else "conditional"


def _table(options: list[Option], *, applicability: bool = True) -> list[str]:
    with_escat = any(o.escat for o in options)
    predicted = max(
        [len("PREDICTED (median, 95% CI)"), *(len(_predicted(o)) for o in options)]
    )
    columns = [
        _Column(" #", 2, wrap=False),
        _Column("THERAPY", 26),
        _Column("TIER", 4, wrap=False),
    ]
    if with_escat:
        columns.append(_Column("ESCAT", 5, wrap=False))
    columns.append(_Column("MATCH", 8, wrap=False))
    if applicability:
        columns.append(_Column("APPLICABILITY", 22))
    columns += [_Column("PREDICTED (median, 95% CI)", predicted, wrap=False), _Column("TRIAL", 14),
                _Column("BASIS", 0, wrap=False)]  # fmt: skip
    lines = _row(columns, [c.title for c in columns])
    for o in options:
        cells = [str(o.rank).rjust(2), " + ".join(o.drugs), o.amp_tier]
        if with_escat:
            cells.append(o.escat or "-")
        cells.append(o.tumor_match)
        if applicability:
            cells.append(_applicability(o))
        trial = (o.predicted.source_trial or "-") if o.predicted else "-"
        cells += [_predicted(o), trial, ", ".join(o.matched)]
        lines += _row(columns, cells)
        for c in o.conditions:
            lines += _wrap(c.message, SUB + "condition: ", SUB + "           ")
        for w in o.pgx:
            lines += _wrap(pgx_text(w), SUB + "pgx: ", SUB + "     ")
        lines += _figure_lines(o)
        for note in o.notes:
            lines += _wrap(note, SUB + "note: ", SUB + "      ")
    return lines


def _caveat(options: list[Option]) -> list[str]:
    """The cross-trial caveat, once, when figures are compared without an anchor."""
    unanchored = [
        o
        for o in options
        if o.predicted is not None and o.predicted.basis != "nma-anchored"
    ]
    if not unanchored:
        return []
    from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT

    return [""] + textwrap.wrap(CROSS_TRIAL_CAVEAT, WIDTH)


def _not_recommended(items: Sequence[NotRecommended]) -> list[str]:
    out = [
        "",
        "Not recommended (sensitivity evidence exists, but not for this patient):",
    ]
    for nr in items:
        out.append(f"  x {' + '.join(nr.drugs)}  [{reason_text(nr.reason)}]")
        out += _wrap(nr.explanation, "      ", "      ")
        out += _wrap("; ".join(nr.citations), "      citations: ", "                 ")
        for w in nr.pgx:
            out += _wrap(pgx_text(w), "      pgx: ", "           ")
    return out


def _pharmacogenomics(m: MatchResult) -> list[str]:
    """The recorded pharmacogene results as CPIC's tables place them."""
    if not m.pharmacogenomics:
        return []
    out = ["", "Pharmacogenomics (germline, CPIC tables):"]
    for c in m.pharmacogenomics:
        score = f", activity score {c.activity_score}" if c.activity_score else ""
        note = f" ({c.note})" if c.note else ""
        out += _wrap(f"{c.gene} {c.reported}: {c.phenotype}{score}{note}", "  ", "    ")
    return out


def alterations_line(m: MatchResult) -> str:
    """``EGFR exon 19 deletion (T1, P1, P2), EGFR T790M (P1, P2)``: each variant once,
    with the samples it was found in."""
    samples: dict[str, list[str]] = {}
    for a in m.alterations:
        where = samples.setdefault(a.label, [])
        if a.sample and a.sample not in where:
            where.append(a.sample)
    return (
        ", ".join(
            f"{label} ({', '.join(s)})" if s else label for label, s in samples.items()
        )
        or "none"
    )


def _alteration_view(analysis: Analysis) -> list[str]:
    """Every alteration with its samples, VAFs (percent) and what it means."""
    m = analysis.match
    if not m.alteration_view:
        return []
    vaf = {(a.label, a.sample): a.vaf for a in analysis.profile.alterations}
    rows: dict[tuple[str, str, str], list[str]] = {}
    for v in m.alteration_view:
        where = rows.setdefault((v.label, v.category, v.detail), [])
        value = vaf.get((v.label, v.sample))
        where.append(
            f"{v.sample or '-'}" + (f" {percent(value)}" if value is not None else "")
        )
    width = max(len(label) for label, _, _ in rows)
    samples_w = max(len(", ".join(s)) for s in rows.values())
    out = ["", "What each alteration means:"]
    for (label, category, detail), where in rows.items():
        head = f"  {label:<{width}}  {', '.join(where):<{samples_w}}  "
        out += _wrap(
            f"{category_text(category)}: {view_detail(category, detail)}",
            head,
            " " * len(head),
        )
    return out


def render_match(analysis: Analysis) -> str:
    m = analysis.match
    tumor = analysis.case.tumor.oncotree_code + (
        f" ({analysis.oncotree_name})" if analysis.oncotree_name else ""
    )
    out = [
        f"Case {m.case_id} — {tumor}",
        f"Knowledge base {m.kb.version} (sha256 {m.kb.sha256[:12]}…)",
        "",
    ]
    if analysis.case.board_question:
        out += _wrap(
            analysis.case.board_question, "Board question: ", "                "
        )
    out += _wrap(alterations_line(m), "Alterations: ", "             ")
    if analysis.profile.her2 is not None and analysis.profile.her2.status:
        out.append(
            f"HER2: {analysis.profile.her2.status} — {analysis.profile.her2.rule}"
        )
    out.append("")
    if m.options:
        fit = sum(o.applicability == "fits" for o in m.options)
        out.append(
            f"Options (best first; {fit} fit, {len(m.options) - fit} conditional):"
        )
        out += _table(m.options)
        out += _caveat(m.options)
    else:
        out.append("No actionable finding in the knowledge base for this case.")
    if m.not_recommended:
        out += _not_recommended(m.not_recommended)
    if m.resistance:
        out += ["", "Resistance:"]
        out += _table(m.resistance, applicability=False)
    out += _pharmacogenomics(m)
    out += _alteration_view(analysis)
    if m.flags:
        out += ["", "Flags:"]
        out += [f"  [{f.code}] {f.message}" for f in m.flags]
    out += ["", "Decision support only: verify every option with the treating team."]
    return "\n".join(out)
