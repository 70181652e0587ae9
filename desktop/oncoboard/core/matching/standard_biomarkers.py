"""Standard biomarkers a guideline expects for the case's tumor type.

"No flags raised" on a breast case with ER/PR not tested, an NSCLC without
PD-L1 or a colorectal case without RAS/MSI would read as reassurance.  The rules
(tumor type, what must be recorded, the guideline) are data in
``data/standard_biomarkers.yaml``; each missing biomarker gets one
``missing_standard_biomarker`` flag naming it and its source.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from oncoboard.core import paths
from oncoboard.core.case.model import Case
from oncoboard.core.matching.facts import informative_samples
from oncoboard.core.matching.result import Flag
from oncoboard.core.profiles.model import Profile

FLAG_CODE = "missing_standard_biomarker"


@dataclass(frozen=True)
class StandardBiomarker:
    tumor: str
    kind: Literal["field", "gene"]
    name: str
    label: str
    source: str
    exons: tuple[int, ...] = ()
    exclude: tuple[str, ...] = field(default_factory=tuple)


@functools.cache
def standard_biomarkers() -> tuple[StandardBiomarker, ...]:
    path = paths.package_data_dir() / "standard_biomarkers.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        StandardBiomarker(
            **{
                **row,
                "exons": tuple(row.get("exons", ())),
                "exclude": tuple(row.get("exclude", ())),
            }
        )
        for row in data["rules"]
    )


def _recorded(rule: StandardBiomarker, case: Case, profile: Profile) -> bool:
    if rule.kind == "field":
        if rule.name == "msi":
            return (
                case.biomarkers.msi is not None
                or case.biomarkers.mmr is not None
                or profile.msi is not None
            )
        if rule.name == "pdl1":
            return profile.pdl1_tps is not None or profile.pdl1_cps is not None
        return getattr(case.biomarkers, rule.name) is not None
    if rule.name in ("KRAS", "NRAS") and case.biomarkers.ras is not None:
        return True
    if any(
        a.gene == rule.name or (a.partner or "").upper() == rule.name
        for a in profile.alterations
    ):
        return True
    # Only an informative sample's scope counts (plasma below 1% tumor fraction does not).
    return any(
        s.tested is not None and s.tested.covers(rule.name, rule.exons)
        for s in informative_samples(case)
    )


def missing_standard_biomarker_flags(
    case: Case, profile: Profile, tree: Any
) -> list[Flag]:
    """One flag per guideline-expected biomarker the case does not record."""
    code = case.tumor.oncotree_code
    if not tree.exists(code):
        return []
    flags = []
    for rule in standard_biomarkers():
        if not tree.is_same_or_descendant(code, rule.tumor):
            continue
        if any(
            tree.exists(x) and tree.is_same_or_descendant(code, x) for x in rule.exclude
        ):
            continue
        if not _recorded(rule, case, profile):
            flags.append(
                Flag(
                    code=FLAG_CODE,
                    message=f"{rule.label} is not recorded for this {tree.name(rule.tumor)} case; the guideline "
                    f"expects it to be tested ({rule.source}). Record the result or the test's scope.",
                )
            )
    return flags
