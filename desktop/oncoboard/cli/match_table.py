"""Plain-text rendering of a match result for the terminal."""

from __future__ import annotations

import textwrap

from oncoboard.core.matching.result import Option
from oncoboard.core.pipeline import Analysis


def _predicted(option: Option) -> str:
    p = option.predicted
    if p is None or p.median_months is None:
        return "-"
    lo, hi = p.median_ci or (None, None)
    ci = f" ({lo:.1f}-{hi:.1f})" if lo is not None and hi is not None else ""
    return f"{p.endpoint} {p.median_months:.1f} mo{ci}"


def _table(options: list[Option]) -> list[str]:
    lines = [f"  {'#':>2}  {'THERAPY':<44} {'TIER':<5} {'ESCAT':<6} {'MATCH':<9} {'PREDICTED (median)':<22} BASIS"]
    for o in options:
        therapy = " + ".join(o.drugs)
        lines.append(
            f"  {o.rank:>2}  {therapy[:44]:<44} {o.amp_tier:<5} {o.escat or '-':<6} {o.tumor_match:<9} "
            f"{_predicted(o):<22} {', '.join(o.matched)}"
        )
        for note in o.notes:
            lines += textwrap.wrap(note, 100, initial_indent="        note: ", subsequent_indent="              ")
    return lines


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
