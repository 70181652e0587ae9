"""SYNTHETIC TEST FIXTURES for the report tests.

The cases are the real example case files of the spec; the match results,
drugs, citations and survival figures below are INVENTED for testing the
layout only.  They are labelled as such in the data itself (KB version
"TEST-FIXTURE", drug names ending in "-fixture", citations "TEST-FIXTURE-REF")
and must never be shown as real output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.case import load_case
from oncoboard.core.matching.result import MatchResult
from oncoboard.core.report import ReportInput

EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "spec" / "examples"
FIXTURE_KB = {"version": "TEST-FIXTURE", "sha256": "0" * 64}
FIXED = dt.datetime(2026, 11, 20, 9, 0, 0, tzinfo=dt.UTC)
LABEL = "SYNTHETIC TEST FIXTURE"


@dataclass(frozen=True)
class FixtureHer2:
    """Stands in for ``Her2Assessment`` (synthetic)."""

    status: str | None
    rule: str
    guideline: str
    ish_group: int | None


def _evidence(n: int) -> list[dict[str, str]]:
    return [
        {
            "source": LABEL,
            "citation": f"TEST-FIXTURE-REF-{n}",
            "summary": f"{LABEL}: invented evidence summary {n}; not clinical evidence.",
        }
    ]


def _option(
    rank: int,
    drug: str,
    matched: list[str],
    *,
    predicted: bool = True,
    direction: str = "sensitive",
    ref: int | None = None,
) -> dict[str, Any]:
    pred = None
    if predicted:
        pred = {
            "endpoint": "PFS",
            "median_months": 10.0 + rank,
            "median_ci": [8.0 + rank, 12.5 + rank],
            "rmst_months": 9.0 + rank,
            "horizon_months": 24.0,
            "method": "published-summary",
            "source": LABEL,
        }
    return {
        "rank": rank,
        "drugs": [drug],
        "direction": direction,
        "amp_tier": "IA" if rank == 1 else "IIC",
        "escat": "I-A" if rank == 1 else None,
        "matched": matched,
        "tumor_match": "same" if rank == 1 else "other",
        "evidence": _evidence(ref or rank),
        "predicted": pred,
        "explanation": [f"{LABEL}: matched on {', '.join(matched)}."],
        "notes": [f"{LABEL} note."],
    }


def _alterations(case: Any) -> list[dict[str, Any]]:
    out = []
    for s in case.samples:
        for a in s.alterations:
            label = f"{a.gene} {getattr(a, 'protein', a.kind)}".replace("p.", "")
            out.append(
                {
                    "gene": a.gene,
                    "kind": a.kind,
                    "label": label,
                    "sample": s.id,
                    "origin": "somatic",
                }
            )
    return out


def survival_figure() -> Any:
    """A small synthetic two-curve step plot (vector)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.add_subplot()
    t = [0, 3, 6, 9, 12, 18, 24]
    ax.step(t, [1, 0.9, 0.75, 0.6, 0.45, 0.3, 0.2], where="post", label="alpha-fixture")
    ax.step(t, [1, 0.85, 0.65, 0.5, 0.35, 0.2, 0.1], where="post", label="beta-fixture")
    ax.set_xlabel("Months")
    ax.set_ylabel("PFS probability")
    ax.set_title(f"{LABEL} curves")
    ax.legend()
    fig.tight_layout()
    return fig


def luad_input(
    *, pseudonym: str | None = None, n_extra_alterations: int = 0, figure: bool = True
) -> ReportInput:
    """EX-LUAD-001 with two synthetic options and one resistance entry."""
    case = load_case(EXAMPLES / "luad-egfr-exon19-tissue.json")
    if pseudonym is not None:
        case = case.model_copy(
            update={"patient": case.patient.model_copy(update={"pseudonym": pseudonym})}
        )
    alts = _alterations(case)
    alts += [
        {
            "gene": f"GENE{i}",
            "kind": "mutation",
            "label": f"GENE{i} X{i}Y",
            "sample": "T1",
            "origin": "somatic",
        }
        for i in range(n_extra_alterations)
    ]
    match = MatchResult.model_validate(
        {
            "schema": "oncoboard.match/1",
            "case_id": case.case_id,
            "kb": FIXTURE_KB,
            "options": [
                _option(1, "alpha-fixture", ["EGFR E746_A750del"]),
                _option(2, "beta-fixture", ["EGFR E746_A750del"]),
            ],
            "resistance": [
                _option(
                    1,
                    "gamma-fixture",
                    ["TP53 R273H"],
                    predicted=False,
                    direction="resistant",
                    ref=3,
                )
            ],
            "flags": [
                {
                    "code": "possible_germline",
                    "message": f"{LABEL} flag message.",
                    "alteration": "TP53 R273H",
                }
            ],
            "alterations": alts,
        }
    )
    return ReportInput(
        case=case,
        match=match,
        oncotree_name="Lung Adenocarcinoma",
        survival_figure=survival_figure() if figure else None,
        methods={"Ranking policy": f"{LABEL} policy", "Seeds": "random_state=0"},
        flags_by_label={"TP53 R273H": ["possible_germline"]},
    )


def crc_input() -> ReportInput:
    """EX-CRC-003 (serial plasma) with no options and the CHIP flag."""
    case = load_case(EXAMPLES / "crc-plasma-serial.json")
    series: dict[str, list[tuple[dt.date, str, float]]] = {}
    for s in case.samples:
        for a in s.alterations:
            label = f"{a.gene} {a.protein}".replace("p.", "")
            assert s.collected is not None
            series.setdefault(label, []).append((s.collected, s.id, a.vaf))
    match = MatchResult.model_validate(
        {
            "schema": "oncoboard.match/1",
            "case_id": case.case_id,
            "kb": FIXTURE_KB,
            "options": [],
            "resistance": [],
            "flags": [
                {
                    "code": "possible_chip",
                    "message": f"{LABEL}: CHIP flag message.",
                    "alteration": "TET2 Q1034*",
                }
            ],
            "alterations": _alterations(case),
        }
    )
    return ReportInput(
        case=case,
        match=match,
        oncotree_name="Colorectal Adenocarcinoma",
        vaf_series=series,
        flags_by_label={"TET2 Q1034*": ["possible_chip"]},
    )


def breast_input() -> ReportInput:
    """EX-BRCA-002 with a synthetic HER2 assessment and no options."""
    case = load_case(EXAMPLES / "breast-her2-low-after-chemo.json")
    match = MatchResult.model_validate(
        {
            "schema": "oncoboard.match/1",
            "case_id": case.case_id,
            "kb": FIXTURE_KB,
            "options": [],
            "resistance": [],
            "flags": [],
            "alterations": [],
        }
    )
    her2 = FixtureHer2(
        status="HER2-low (fixture)",
        rule=f"{LABEL} rule",
        guideline=f"{LABEL} guideline",
        ish_group=5,
    )
    return ReportInput(case=case, match=match, oncotree_name=None, her2=her2)
