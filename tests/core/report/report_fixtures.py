"""SYNTHETIC TEST FIXTURES for the report tests.

The cases are the real example case files of the spec; the match results,
drugs, citations and survival curves below are INVENTED for testing the
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
from oncoboard.core.survival.predict import CurvePrediction

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


def survival_curves() -> list[CurvePrediction]:
    """Three synthetic curves: one with a band, KM steps, numbers at risk and an
    extrapolated tail beyond 18 months of follow-up, a cohort-model curve of the
    same arm (one at-risk row for both), and a dashed approximation."""
    times = tuple(i * 0.5 for i in range(121))  # 0..60 months; the axis stops at 24
    surv = tuple(0.5 ** (t / 11.0) for t in times)

    def curve(label: str, s: tuple[float, ...], **kw: Any) -> CurvePrediction:
        base: dict[str, Any] = {
            "label": label,
            "times": times,
            "survival": s,
            "lower": None,
            "upper": None,
            "median_months": 11.0,
            "median_ci": None,
            "rmst_months": 12.0,
            "horizon_months": 24.0,
            "surv_12m": 0.47,
            "method": "published-summary",
            "source": LABEL,
            "note": LABEL,
        }
        base.update(kw)
        return CurvePrediction(**base)

    km = (0.0, 2.0, 5.0, 9.0, 14.0, 20.0, 30.0)
    return [
        curve(
            "alpha-fixture (TRIAL-A, PFS)",
            surv,
            lower=tuple(max(0.0, v - 0.08) for v in surv),
            upper=tuple(min(1.0, v + 0.08) for v in surv),
            method="reconstructed-ipd",
            km_times=km,
            km_survival=(1.0, 0.88, 0.74, 0.58, 0.41, 0.3, 0.15),
            at_risk={"t": [0.0, 6.0, 12.0, 18.0, 36.0], "n": [120, 81, 47, 22, 3]},
            trial="TRIAL-A",
            followup_months=18.0,
        ),
        curve(
            "alpha-fixture (TRIAL-A, PFS)",
            tuple(v**1.2 for v in surv),
            basis="cohort",
            at_risk={"t": [0.0, 6.0, 12.0, 18.0, 36.0], "n": [120, 81, 47, 22, 3]},
            trial="TRIAL-A",
        ),
        curve(
            "beta-fixture (TRIAL-B, PFS)",
            tuple(0.5 ** (t / 7.0) for t in times),
            approximation=True,
            trial="TRIAL-B",
        ),
    ]


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
        survival_curves=survival_curves() if figure else (),
        survival_title=f"{LABEL} curves",
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
