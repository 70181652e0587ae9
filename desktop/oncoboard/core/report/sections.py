"""Case sections: patient summary, samples, alterations, VAF trend, HER2.

The therapy sections live in :mod:`oncoboard.core.report.therapy` and are
re-exported here, so ``document.py`` finds every section in one namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncoboard.core.case.model import Case, Her2, Mutation
from oncoboard.core.report.charts import trend_series, vaf_trend_drawing
from oncoboard.core.report.model import ReportInput, ReportOptions
from oncoboard.core.report.styles import (
    age_band,
    esc,
    fmt_date,
    fmt_fraction,
    styles,
)
from oncoboard.core.report.tables import data_table, key_value_table
from oncoboard.core.report.therapy import (
    References,
    _heading,
    evidence_section,
    flags_section,
    methods_section,
    options_section,
    references_section,
    resistance_section,
)

__all__ = [
    "References",
    "alterations_section",
    "evidence_section",
    "flags_section",
    "her2_section",
    "methods_section",
    "options_section",
    "patient_section",
    "references_section",
    "resistance_section",
    "samples_section",
]

if TYPE_CHECKING:  # pragma: no cover - typing only
    from reportlab.platypus import Flowable


def _biomarker_text(case: Case) -> str:
    b = case.biomarkers
    parts: list[str] = []
    if b.er:
        parts.append(f"ER {b.er}")
    if b.pr:
        parts.append(f"PR {b.pr}")
    if b.tmb is not None:
        parts.append(f"TMB {b.tmb:g} mut/Mb")
    if b.msi:
        parts.append(b.msi)
    if b.mmr:
        parts.append(f"MMR {b.mmr}")
    if b.pdl1 is not None:
        if b.pdl1.tps is not None:
            parts.append(f"PD-L1 TPS {b.pdl1.tps:g}%")
        if b.pdl1.cps is not None:
            parts.append(f"PD-L1 CPS {b.pdl1.cps:g}")
    return "; ".join(parts)


def patient_section(
    item: ReportInput, options: ReportOptions, width: float
) -> list[Flowable]:
    """Age (or band), sex, ECOG, tumor type, stage, biomarkers, prior therapies."""
    case, deid = item.case, options.deidentified
    p, t = case.patient, case.tumor
    pairs: list[tuple[str, str]] = []
    if p.pseudonym and not deid:
        pairs.append(("Pseudonym", esc(p.pseudonym)))
    if deid:
        pairs.append(("Age", esc(f"{age_band(p.age)} (age band)")))
    else:
        pairs.append(("Age", esc(f"{p.age} years" if p.age is not None else "unknown")))
    pairs.append(("Sex", esc(p.sex)))
    pairs.append(("ECOG", esc(p.ecog if p.ecog is not None else "unknown")))
    name = item.oncotree_name or "name not found in bundled OncoTree"
    pairs.append(("Tumor type", f"{esc(name)} ({esc(t.oncotree_code)})"))
    pairs.append(("Stage", esc(t.stage or "not given")))
    pairs.append(("Setting", esc(t.setting.replace("_", " "))))
    bio = _biomarker_text(case)
    if bio:
        pairs.append(("Biomarkers", esc(bio)))
    out = [_heading("Patient summary"), key_value_table(pairs, width, 0.18)]
    out.append(_heading("Prior therapies", 2))
    if not case.prior_therapies:
        from reportlab.platypus import Paragraph

        out.append(Paragraph("None recorded.", styles().body))
        return out
    rows = [
        [
            esc(pt.line if pt.line is not None else "–"),
            esc(", ".join(pt.drugs)),
            esc(pt.setting or "–"),
            esc(pt.outcome),
        ]
        for pt in case.prior_therapies
    ]
    out.append(
        data_table(["Line", "Drugs", "Setting", "Outcome"], rows, [1, 6, 2.5, 2], width)
    )
    return out


def samples_section(item: ReportInput, width: float) -> list[Flowable]:
    """Specimen, date, assay and tumor fraction of each sample."""
    from reportlab.platypus import Paragraph

    out: list[Flowable] = [_heading("Samples")]
    if not item.case.samples:
        return [*out, Paragraph("No samples recorded.", styles().body)]
    rows = [
        [
            esc(s.id),
            esc(s.specimen),
            esc(fmt_date(s.collected)),
            esc(s.assay or "–"),
            esc(fmt_fraction(s.tumor_fraction) if s.specimen == "plasma" else "n/a"),
        ]
        for s in item.case.samples
    ]
    header = ["Sample", "Specimen", "Collected", "Assay", "Tumor fraction"]
    out.append(data_table(header, rows, [1.3, 1.5, 1.8, 5, 1.8], width))
    return out


def _vaf_lookup(case: Case) -> dict[tuple[str | None, str], list[float]]:
    """(sample id, gene) -> VAFs of mutations, to fill the VAF column."""
    out: dict[tuple[str | None, str], list[float]] = {}
    for s in case.samples:
        for a in s.alterations:
            if isinstance(a, Mutation) and a.vaf is not None:
                out.setdefault((s.id, a.gene.upper()), []).append(a.vaf)
    return out


def _vaf_for(item: ReportInput, label: str, gene: str, sample: str | None) -> str:
    known = item.alteration_vaf.get(f"{label}@{sample}")
    if known is not None:
        return fmt_fraction(known)
    for day_sample in item.vaf_series.get(label, ()):
        if day_sample[1] == sample:
            return fmt_fraction(day_sample[2])
    vafs = _vaf_lookup(item.case).get((sample, gene.upper()), [])
    return fmt_fraction(vafs[0]) if len(vafs) == 1 else "–"


def alterations_section(item: ReportInput, width: float) -> list[Flowable]:
    """Gene, alteration, VAF, sample and flags; then the serial VAF trend."""
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    out: list[Flowable] = [_heading("Alterations")]
    alts = item.match.alterations
    if not alts:
        out.append(Paragraph("No alterations reported.", st.body))
    else:
        rows = []
        for a in alts:
            flags = item.flags_by_label.get(a.label, ())
            rows.append(
                [
                    esc(a.gene),
                    esc(a.label),
                    esc(_vaf_for(item, a.label, a.gene, a.sample)),
                    esc(a.sample or "–"),
                    esc(a.origin),
                    esc(", ".join(flags) if flags else "–"),
                ]
            )
        header = ["Gene", "Alteration", "VAF", "Sample", "Origin", "Flags"]
        out.append(data_table(header, rows, [1.3, 3.6, 1.1, 1.1, 1.3, 3.4], width))
    plasma = {s.id for s in item.case.samples if s.specimen == "plasma"}
    series = trend_series(
        {
            label: [p for p in points if p[1] in plasma]
            for label, points in item.vaf_series.items()
        }
    )
    if series:
        out.append(_heading("Serial plasma VAF", 2))
        out.append(vaf_trend_drawing(series, width))
        out.append(Spacer(1, 4))
    return out


def _her2_inputs(her2: Her2 | None) -> str:
    if her2 is None:
        return "no HER2 IHC/ISH in the case"
    parts = [f"IHC {her2.ihc}" if her2.ihc else "IHC not done"]
    if her2.ihc0_staining:
        parts.append(f"IHC 0 staining: {her2.ihc0_staining.replace('_', ' ')}")
    if her2.ish is not None:
        if her2.ish.ratio is not None:
            parts.append(f"ISH HER2/CEP17 ratio {her2.ish.ratio:g}")
        if her2.ish.her2_copies is not None:
            parts.append(f"{her2.ish.her2_copies:g} HER2 signals/cell")
    else:
        parts.append("no ISH")
    return "; ".join(parts)


def her2_section(item: ReportInput, width: float) -> list[Flowable]:
    """HER2 status and how it was derived (empty when HER2 was not tested)."""
    raw, assessed = item.case.biomarkers.her2, item.her2
    if raw is None and assessed is None:
        return []
    pairs = [("Inputs", esc(_her2_inputs(raw)))]
    if assessed is None:
        pairs.insert(0, ("Status", "not assessed"))
    else:
        pairs.insert(0, ("Status", f"<b>{esc(assessed.status or 'indeterminate')}</b>"))
        pairs.append(("Derived by", esc(assessed.rule)))
        pairs.append(("Guideline", esc(assessed.guideline)))
        if assessed.ish_group is not None:
            pairs.append(("ISH group", esc(assessed.ish_group)))
    return [_heading("HER2 status"), key_value_table(pairs, width, 0.18)]
