"""Plain-text rendering of a match result for the terminal."""

from __future__ import annotations

import textwrap

from oncoboard.core.matching.result import Option
from oncoboard.core.pipeline import Analysis


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


def _figure_lines(option: Option) -> list[str]:
    """Under the option's row: what the figure is, its trial, and its warnings."""
    p = option.predicted
    if p is None:
        return []
    who = f"cohort {p.source_trial}" if p.basis == "cohort" else p.source_trial
    head = f"{p.description or 'survival figure'} [{p.basis}; source: {who or p.source}]"
    if p.rmst_months is not None:
        lo, hi = p.rmst_ci or (None, None)
        ci = f" (95% CI {_months(lo)}-{_months(hi)})" if p.rmst_ci is not None else ""
        head += f" RMST to {p.horizon_months:g} mo: {p.rmst_months:.1f} mo{ci}."
    lines = textwrap.wrap(head, 100, initial_indent="        survival: ", subsequent_indent="              ")
    for w in p.warnings:
        if w.code == "cross_trial":
            continue  # printed once under the table
        lines += textwrap.wrap(f"[{w.code}] {w.message}", 100, initial_indent="        warning: ",
                               subsequent_indent="                 ")
    return lines


def _table(options: list[Option]) -> list[str]:
    lines = [f"  {'#':>2}  {'THERAPY':<40} {'TIER':<5} {'ESCAT':<6} {'MATCH':<9} {'PREDICTED (median, 95% CI)':<28} "
             f"{'TRIAL':<14} BASIS"]
    for o in options:
        therapy = " + ".join(o.drugs)
        trial = (o.predicted.source_trial or "-") if o.predicted else "-"
        lines.append(
            f"  {o.rank:>2}  {therapy[:40]:<40} {o.amp_tier:<5} {o.escat or '-':<6} {o.tumor_match:<9} "
            f"{_predicted(o):<28} {trial[:14]:<14} {', '.join(o.matched)}"
        )
        lines += _figure_lines(o)
        for note in o.notes:
            lines += textwrap.wrap(note, 100, initial_indent="        note: ", subsequent_indent="              ")
    return lines


def _caveat(options: list[Option]) -> list[str]:
    """The cross-trial caveat, once, when figures are compared without an anchor."""
    unanchored = [o for o in options if o.predicted is not None and o.predicted.basis != "nma-anchored"]
    if not unanchored:
        return []
    from oncoboard.core.survival.ranking import CROSS_TRIAL_CAVEAT

    return [""] + textwrap.wrap(CROSS_TRIAL_CAVEAT, 100)


def render_match(analysis: Analysis) -> str:
    m = analysis.match
    tumor = analysis.case.tumor.oncotree_code + (f" ({analysis.oncotree_name})" if analysis.oncotree_name else "")
    out = [f"Case {m.case_id} — {tumor}", f"Knowledge base {m.kb.version} (sha256 {m.kb.sha256[:12]}…)", ""]
    out.append("Alterations: " + (", ".join(a.label for a in m.alterations) or "none"))
    if analysis.profile.her2 is not None and analysis.profile.her2.status:
        out.append(f"HER2: {analysis.profile.her2.status} — {analysis.profile.her2.rule}")
    out.append("")
    if m.options:
        out.append("Options (best first):")
        out += _table(m.options)
        out += _caveat(m.options)
    else:
        out.append("No actionable finding in the knowledge base for this case.")
    if m.resistance:
        out += ["", "Resistance:"]
        out += _table(m.resistance)
    if m.flags:
        out += ["", "Flags:"]
        out += [f"  [{f.code}] {f.message}" for f in m.flags]
    out += ["", "Decision support only: verify every option with the treating team."]
    return "\n".join(out)
