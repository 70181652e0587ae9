"""Case sections: patient summary, samples, serial ctDNA, HER2.

The therapy sections live in :mod:`oncoboard.core.report.therapy` and are
re-exported here, so ``document.py`` finds every section in one namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncoboard.core.case.model import Case, Her2, Sample
from oncoboard.core.report.charts import ctdna_series, vaf_trend_drawing
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
    methods_section,
    not_recommended_section,
    options_section,
    references_section,
    resistance_section,
)

__all__ = [
    "References",
    "ctdna_section",
    "evidence_section",
    "her2_section",
    "methods_section",
    "not_recommended_section",
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


def tested_text(sample: Sample) -> str:
    """What the assay covered, e.g. "APC, TP53; KRAS, NRAS exons 2–4; BRAF exon 15" ("–" if not given)."""
    t = sample.tested
    if t is None:
        return "–"
    listed = [g for g in t.genes if g not in t.exons]
    if len(listed) > 6:
        parts = [f"{len(listed)} genes incl. {', '.join(listed[:5])}, …"]
    else:
        parts = [", ".join(listed)]
    by_exons: dict[str, list[str]] = {}
    for gene, exons in t.exons.items():
        key = _ranges([int(e) for e in exons])
        by_exons.setdefault(key, []).append(gene)
    parts += [
        f"{', '.join(g)} exon{'s' if '–' in key or ',' in key else ''} {key}"
        for key, g in by_exons.items()
    ]
    return "; ".join(p for p in parts if p)


def _ranges(values: list[int]) -> str:
    """[2, 3, 4, 12] -> "2–4, 12"."""
    runs: list[list[int]] = []
    for v in sorted(set(values)):
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


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
            esc(tested_text(s)),
        ]
        for s in item.case.samples
    ]
    header = [
        "Sample",
        "Specimen",
        "Collected",
        "Assay",
        "Tumor fraction",
        "Tested scope",
    ]
    out.append(data_table(header, rows, [1.1, 1.3, 1.7, 4.0, 1.5, 3.4], width))
    return out


def ctdna_section(item: ReportInput, width: float) -> list[Flowable]:
    """The serial plasma VAF trend, with tissue results as separate markers."""
    from reportlab.platypus import Spacer

    specimens = {s.id: s.specimen for s in item.case.samples}
    plasma, tissue = ctdna_series(item.vaf_series, specimens)
    if not plasma:
        return []
    return [
        _heading("Serial plasma VAF (ctDNA)", 2),
        vaf_trend_drawing(plasma, width, tissue=tissue),
        Spacer(1, 4),
    ]


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
