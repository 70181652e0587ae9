"""Page 1 of a case: the summary for the board and the alteration view.

A board member must be able to state the proposed options from this page alone:
the board question, the actionable alterations with every option (tier,
applicability with its conditions, modelled survival with its trial), what is
not recommended and why, and the flags.  Then every alteration with what it
means for this patient.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from oncoboard.core.case.model import Case, Mutation
from oncoboard.core.matching.result import (
    AlterationView,
    NotRecommended,
    Option,
    Predicted,
)
from oncoboard.core.report.labels import (
    CATEGORY_ORDER,
    NOT_RECOMMENDED_MARK,
    applicability_text,
    category_text,
    pgx_board_lines,
    pgx_text,
    reason_text,
    view_detail,
)
from oncoboard.core.report.model import ReportInput
from oncoboard.core.report.refs import References, ref_marks
from oncoboard.core.report.styles import esc, fmt_fraction, fmt_months, styles
from oncoboard.core.report.tables import data_table

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.platypus import Flowable

FLAG_TITLES = {
    "possible_chip": "Possible clonal hematopoiesis (CHIP)",
    "noninformative_negative_liquid_biopsy": "Non-informative negative plasma",
    "her2_ish_required": "HER2 ISH required",
    "possible_germline": "Possible germline variant",
    "c797s_phase_unknown": "EGFR C797S phase unknown",
    "unknown_gene": "Unknown gene symbol",
    "missing_standard_biomarker": "Standard biomarker not recorded",
}
NO_ACTIONABLE = (
    "No actionable finding: no therapy option in the knowledge base matched this "
    "case's alterations and biomarkers. The flags below still apply."
)
FIGURES_NOTE = (
    "Survival figures describe the populations of different trials, not this patient, "
    "and are not a head-to-head comparison."
)


def heading(title: str, level: int = 1) -> Flowable:
    from reportlab.platypus import Paragraph

    st = styles()
    para = Paragraph(esc(title), st.h1 if level == 1 else st.h2)
    para.keepWithNext = 1
    return para


def survival_short(p: Predicted | None) -> str:
    """E.g. "PFS 9.7 mo (95% CI 8.2–12.3), AURA3"; "–" without a figure."""
    if p is None:
        return "–"
    if p.median_months is not None:
        text = f"{p.endpoint} {p.median_months:.1f} mo"
    elif p.followup_months is not None:
        text = f"{p.endpoint} not reached (> {p.followup_months:.1f} mo)"
    else:
        text = f"{p.endpoint} median not available"
    if p.median_ci is not None:
        text += f" (95% CI {fmt_months(p.median_ci[0])}–{fmt_months(p.median_ci[1])})"
    if p.source_trial:
        text += f", {'cohort ' if p.basis == 'cohort' else ''}{p.source_trial}"
    return text


def applicability_cell(o: Option) -> str:
    """Marker and short text in bold colour: green fits, amber conditional."""
    colour = "#0b6e4f" if o.applicability == "fits" else "#8a5a00"
    return f'<font color="{colour}"><b>{esc(applicability_text(o))}</b></font>'


def first_clause(text: str, limit: int = 170) -> str:
    """The explanation's first sentence (the reason, without its evidence).

    A long first sentence is cut at its first colon ("...with established
    cross-resistance: After progression on ..." keeps the part before it).
    """
    head = re.split(r"(?<=[a-z0-9)])\. ", text.strip(), maxsplit=1)[0].rstrip(".")
    if len(head) > limit and ": " in head[40:]:
        head = head[: 40 + head[40:].index(": ")]
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


def _actionable_line(views: list[AlterationView]) -> str:
    samples: dict[str, list[str]] = {}
    for v in views:
        if v.category == "actionable":
            samples.setdefault(v.label, [])
            if v.sample and v.sample not in samples[v.label]:
                samples[v.label].append(v.sample)
    parts = [
        f"<b>{esc(label)}</b>" + (f" ({esc(', '.join(s))})" if s else "")
        for label, s in samples.items()
    ]
    return "; ".join(parts)


def _pgx_cell(o: Option) -> str:
    """The option's applicability, with its pharmacogenomic warnings in small type."""
    text = applicability_cell(o)
    for w in o.pgx:
        colour = "#9b1c1c" if w.actionable else "#444444"
        text += f'<br/><font size=7 color="{colour}">PGx: {esc(pgx_text(w))}</font>'
    return text


def _options_table(opts: list[Option], width: float) -> Flowable:
    rows = [
        [
            esc(o.rank),
            f"<b>{esc(' + '.join(o.drugs))}</b>",
            esc(o.amp_tier),
            _pgx_cell(o),
            esc(survival_short(o.predicted)),
            esc(", ".join(o.matched)),
        ]
        for o in opts
    ]
    header = [
        "#",
        "Option",
        "Tier",
        "Applicability",
        "Modelled survival (trial)",
        "For",
    ]
    return data_table(header, rows, [0.5, 3.0, 0.7, 3.3, 3.1, 2.4], width)


def _not_recommended_rows(
    items: list[NotRecommended], refs: References
) -> list[list[str]]:
    """One row per reason and first clause: regimens with the same reason merge."""
    merged: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    for nr in items:
        drugs, numbers = merged.setdefault(
            (nr.reason, first_clause(nr.explanation)), ([], [])
        )
        drugs.append(" + ".join(nr.drugs))
        numbers += [n for n in refs.cite_all(list(nr.citations)) if n not in numbers]
    return [
        [
            f"<b>{esc('; '.join(drugs))}</b>",
            f"{NOT_RECOMMENDED_MARK} {esc(reason_text(reason))}",
            esc(why),
            esc(ref_marks(numbers)),
        ]
        for (reason, why), (drugs, numbers) in merged.items()
    ]


def flag_paragraphs(item: ReportInput) -> list[Flowable]:
    from reportlab.platypus import Paragraph

    st = styles()
    if not item.match.flags:
        return [Paragraph("No flags raised.", st.body)]
    out: list[Flowable] = []
    for f in item.match.flags:
        title = FLAG_TITLES.get(f.code, f.code.replace("_", " ").capitalize())
        where = f" ({esc(f.alteration)})" if f.alteration else ""
        out.append(Paragraph(
            f"<b>{esc(title)}</b>{where} <font size=7>[{esc(f.code)}]</font><br/>{esc(f.message)}",
            st.caveat,
        ))  # fmt: skip
    return out


def patient_line(item: ReportInput, deidentified: bool) -> str:
    """E.g. "female, 63 years, ECOG 1 · Lung Adenocarcinoma (LUAD), IVB · prior: erlotinib (progression)"."""
    from oncoboard.core.report.styles import age_band

    case = item.case
    p, t = case.patient, case.tumor
    age = (
        f"{age_band(p.age)} (age band)"
        if deidentified
        else (f"{p.age} years" if p.age is not None else "age unknown")
    )
    who = ", ".join([p.sex, age, f"ECOG {p.ecog if p.ecog is not None else 'unknown'}"])
    tumor = f"{item.oncotree_name or t.oncotree_code} ({t.oncotree_code})"
    if t.stage:
        tumor += f", stage {t.stage}"
    prior = (
        "; ".join(
            f"{' + '.join(pt.drugs)} ({pt.outcome})" for pt in case.prior_therapies
        )
        or "none recorded"
    )
    return f"<b>Patient:</b> {esc(who)} · {esc(tumor)} · <b>prior therapy:</b> {esc(prior)}"


def summary_section(
    item: ReportInput, refs: References, width: float, deidentified: bool = False
) -> list[Flowable]:
    """ "Summary for the board": question, options, not recommended, flags."""
    from reportlab.platypus import Paragraph

    st = styles()
    m = item.match
    question = item.case.board_question
    out: list[Flowable] = [
        heading("Summary for the board"),
        Paragraph(patient_line(item, deidentified), st.body),
        Paragraph(
            "<b>Board question:</b> "
            + (esc(question) if question else "<i>none recorded in the case</i>"),
            st.body,
        ),
    ]
    actionable = _actionable_line(list(m.alteration_view))
    if actionable:
        out.append(Paragraph(f"<b>Actionable alterations:</b> {actionable}", st.body))
    opts = list(m.options)
    if opts:
        n_fit = sum(o.applicability == "fits" for o in opts)
        out.append(heading(
            f"Proposed options ({len(opts)}: {n_fit} fit, {len(opts) - n_fit} conditional; best first)", 2))  # fmt: skip
        out.append(_options_table(opts, width))
        if any(o.predicted is not None for o in opts):
            out.append(Paragraph(esc(FIGURES_NOTE), st.muted))
    else:
        out += [
            heading("Proposed options", 2),
            Paragraph(esc(NO_ACTIONABLE), st.caveat),
        ]
    pgx = pgx_board_lines(m)
    if pgx or m.pharmacogenomics:
        out.append(heading("Pharmacogenomics (germline)", 2))
        for c in m.pharmacogenomics:
            score = f", activity score {c.activity_score}" if c.activity_score else ""
            note = f" ({c.note})" if c.note else ""
            out.append(Paragraph(
                f"<b>{esc(c.gene)} {esc(c.reported)}</b>: {esc(c.phenotype + score + note)}",
                st.body))  # fmt: skip
        out += [Paragraph(f"PGx: {esc(line)}", st.caveat) for line in pgx]
    out.append(heading("Not recommended", 2))
    if m.not_recommended:
        rows = _not_recommended_rows(list(m.not_recommended), refs)
        out.append(
            data_table(
                ["Regimen", "Reason", "Why", "Refs"], rows, [3.0, 1.9, 7.0, 1.1], width
            )
        )
    else:
        out.append(
            Paragraph(
                "Nothing with sensitivity evidence is ruled out for this patient.",
                st.body,
            )
        )
    out.append(heading("Flags and caveats", 2))
    out += flag_paragraphs(item)
    return out


def _vaf_lookup(case: Case) -> dict[tuple[str | None, str], list[float]]:
    """(sample id, gene) -> VAFs of mutations."""
    out: dict[tuple[str | None, str], list[float]] = {}
    for s in case.samples:
        for a in s.alterations:
            if isinstance(a, Mutation) and a.vaf is not None:
                out.setdefault((s.id, a.gene.upper()), []).append(a.vaf)
    return out


def vaf_for(item: ReportInput, label: str, gene: str, sample: str | None) -> str:
    """The VAF of one alteration in one sample as a percent with one decimal, or "–"."""
    known = item.alteration_vaf.get(f"{label}@{sample}")
    if known is not None:
        return fmt_fraction(known)
    for point in item.vaf_series.get(label, ()):
        if point[1] == sample:
            return fmt_fraction(point[2])
    vafs = _vaf_lookup(item.case).get((sample, gene.upper()), [])
    return fmt_fraction(vafs[0]) if len(vafs) == 1 else "–"


def _view_rows(item: ReportInput) -> list[tuple[str, str, str, list[str]]]:
    """(label, category, detail, ["T1: 38.0%", ...]) merged over samples, in category order.

    ``category`` is the code, or "" for a result without the alteration view.
    """
    views = [
        (v.label, v.gene, v.sample, str(v.category), v.detail)
        for v in item.match.alteration_view
    ]
    if (
        not views
    ):  # an older result without the view: list the alterations, unclassified
        views = [
            (a.label, a.gene, a.sample, "", "not classified")
            for a in item.match.alterations
        ]
    merged: dict[tuple[str, str, str], list[str]] = {}
    for label, gene, sample, category, detail in views:
        where = merged.setdefault((label, category, detail), [])
        vaf = vaf_for(item, label, gene, sample)
        where.append(f"{sample or '–'}" + (f": {vaf}" if vaf != "–" else ""))
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    rows = [
        (label, cat, detail, samples)
        for (label, cat, detail), samples in merged.items()
    ]
    return sorted(rows, key=lambda r: order.get(r[1], len(order)))


def _category_cell(item: ReportInput, label: str, category: str) -> str:
    """The category in words, and the alteration's other flags (small)."""
    text = esc(category_text(category)) if category else "–"
    flags = [f for f in item.flags_by_label.get(label, ()) if f != category]
    if flags:
        text += f"<br/><font size=7>flags: {esc(', '.join(flags))}</font>"
    return text


def alteration_view_section(item: ReportInput, width: float) -> list[Flowable]:
    """Every alteration with its category (actionable, resistance, ... VUS) and samples."""
    from reportlab.platypus import Paragraph

    out: list[Flowable] = [heading("Alterations and what they mean")]
    rows = _view_rows(item)
    if not rows:
        return [*out, Paragraph("No alterations reported.", styles().body)]
    table = [
        [
            f"<b>{esc(label)}</b>",
            "<br/>".join(esc(s) for s in samples),
            _category_cell(item, label, cat),
            esc(view_detail(cat, detail)),
        ]
        for label, cat, detail, samples in rows
    ]
    header = ["Alteration", "Sample VAF", "Category", "Meaning for this patient"]
    out.append(data_table(header, table, [2.8, 2.8, 2.6, 4.8], width))
    return out
