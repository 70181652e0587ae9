"""KB-build check of reconstructed trial curves against the published figures.

For every kmdata link the Kaplan-Meier median of the reconstructed arm is
compared with the outcome's curated published median (experimental arm:
``median_months``; comparator: ``comparator_median_months``), and the Cox
hazard ratio of the experimental vs the comparator arm of the same dataset
with the curated ``hr``.  A relative difference above
:data:`MAX_RELATIVE_DIFFERENCE` fails the build unless a link of the pair
records why (``discrepancy: {reason, note}``: another data cut, BICR vs
investigator assessment, a reconstruction error, or another publication).
A curve reconstructed from another publication than the outcome's citation
is a discrepancy too.  kmdata's own quality score (``QualityPercent`` of
``kmdata_key_study_metadata.csv``: how many of the at-risk table, total
events, HR and median the reconstruction reproduces) is recorded, and a
warning is attached below :data:`QUALITY_WARN_PERCENT`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from oncoboard.core.errors import Problem
from oncoboard.core.kb.schema import Entry, KmLink, Outcome

MAX_RELATIVE_DIFFERENCE = 0.10
"""Issue 15: a reconstructed median or HR more than 10% from the published one."""

QUALITY_WARN_PERCENT = 80.0
"""Below this kmdata quality score a reconstruction gets a DataWarning."""


@dataclass(frozen=True)
class Comparison:
    """One reconstructed figure against its published value."""

    quantity: str  # "median (experimental)", "median (comparator)", "hazard ratio"
    reconstructed: float | None
    published: float | None
    relative_difference: float | None
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class ArmInput:
    """What the check needs of one linked arm."""

    index: int  # position in outcome.kmdata
    link: KmLink
    role: str
    time: np.ndarray
    event: np.ndarray
    km_median: float | None
    pmid: str | None


def hazard_ratio(exp: ArmInput, comp: ArmInput) -> float:
    """Unstratified Cox HR of the experimental vs the comparator arm (lifelines)."""
    import pandas as pd
    from lifelines import CoxPHFitter

    df = pd.DataFrame(
        {
            "t": np.concatenate([exp.time, comp.time]),
            "e": np.concatenate([exp.event, comp.event]),
            "x": np.concatenate([np.ones(exp.time.size), np.zeros(comp.time.size)]),
        }
    )
    return float(math.exp(CoxPHFitter().fit(df, "t", "e").params_["x"]))


def _compare(
    quantity: str, recon: float | None, published: float, followup: float
) -> Comparison:
    if recon is None:
        ok = published > followup
        detail = (
            f"not reached in the reconstruction (follow-up {followup:.1f} months); "
            f"published {published:g}"
            + (" lies beyond it: consistent" if ok else " lies within it")
        )
        return Comparison(quantity, None, published, None, ok, detail)
    rel = abs(recon - published) / published
    ok = rel <= MAX_RELATIVE_DIFFERENCE
    detail = f"reconstructed {recon:.3g} vs published {published:g} ({rel:+.0%})"
    return Comparison(quantity, round(recon, 4), published, round(rel, 4), ok, detail)


def check_pair(
    outcome: Outcome, exp: ArmInput | None, comp: ArmInput | None
) -> list[Comparison]:
    """Compare one dataset's experimental and comparator arms with the outcome."""
    out: list[Comparison] = []
    if exp is not None and outcome.median_months is not None:
        out.append(
            _compare(
                "median (experimental)",
                exp.km_median,
                outcome.median_months,
                float(exp.time.max()),
            )
        )
    if comp is not None and outcome.comparator_median_months is not None:
        out.append(
            _compare(
                "median (comparator)",
                comp.km_median,
                outcome.comparator_median_months,
                float(comp.time.max()),
            )
        )
    if exp is not None and comp is not None and outcome.hr is not None:
        out.append(
            _compare("hazard ratio", hazard_ratio(exp, comp), outcome.hr, math.inf)
        )
    for arm in (exp, comp):
        cited = outcome.citation.id if outcome.citation.type == "pmid" else None
        if arm is not None and arm.pmid and cited and arm.pmid != cited:
            out.append(
                Comparison(
                    "publication",
                    None,
                    None,
                    None,
                    False,
                    f"curve reconstructed from PMID {arm.pmid}; the curated figures "
                    f"cite PMID {cited}",
                )
            )
            break
    return out


def check_outcome(
    entry: Entry, index: int, outcome: Outcome, arms: Sequence[ArmInput]
) -> tuple[dict[int, dict[str, Any]], list[Problem]]:
    """Check every dataset of one outcome.

    Returns
    -------
    tuple
        Per link index, the JSON-safe record stored with its fit
        (``{"checks": [...], "discrepancy": {...} | None}``), and the build
        problems (failed checks without a recorded discrepancy).
    """
    records: dict[int, dict[str, Any]] = {}
    problems: list[Problem] = []
    by_dataset: dict[str, list[ArmInput]] = {}
    for arm in arms:
        by_dataset.setdefault(arm.link.dataset, []).append(arm)
    for dataset, group in by_dataset.items():
        exp = next((a for a in group if a.role == "experimental"), None)
        comp = next((a for a in group if a.role == "comparator"), None)
        checks = check_pair(outcome, exp, comp)
        recorded = next((a.link.discrepancy for a in group if a.link.discrepancy), None)
        failed = [c for c in checks if not c.ok]
        if failed and recorded is None:
            first = min(a.index for a in group)
            problems.append(
                Problem(
                    f"{entry.id}.outcomes[{index}].kmdata[{first}]",
                    f"kmdata {dataset} ({outcome.trial} {outcome.endpoint}) differs from "
                    "the curated published figures: "
                    + "; ".join(f"{c.quantity}: {c.detail}" for c in failed)
                    + ". Fix the link or the figures, or record why on the link "
                    "(discrepancy: {reason: data_cut|assessment|reconstruction|"
                    "publication, note: ...})",
                )
            )
        record = {
            "checks": [c.to_dict() for c in checks],
            "passed": not failed,
            "discrepancy": None if recorded is None else recorded.model_dump(),
        }
        for a in group:
            records[a.index] = record
    return records, problems
