"""ctDNA interpretation: serial VAF trends and liquid-biopsy flags.

Flags (codes in ``../shared/spec/case-format.md``):

* ``possible_chip``: a plasma variant in a clonal-hematopoiesis gene
  (``knowledgebase/reference/chip_genes.tsv``) not seen in any tissue sample.
* ``possible_germline``: a VAF near 50% or 100% (windows in ``thresholds.yaml``)
  in a cancer-predisposition gene (``predisposition_genes.tsv``).
* ``near_detection_limit``: a plasma call at or below the assay's limit of
  detection (``near_detection_limit_vaf``).
* ``noninformative_negative_liquid_biopsy``: a plasma sample with no actionable
  finding and a tumor fraction under ``liquid_biopsy_min_tumor_fraction`` or
  unknown.  Which findings are actionable is the matcher's knowledge, so
  :func:`liquid_biopsy_flags` takes the actionable labels as an argument; the
  profile itself can only raise it for samples with no (non-CHIP) alteration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oncoboard.core.case.model import Case
from oncoboard.core.profiles.model import (
    NormalisedAlteration,
    Profile,
    ProfileFlag,
    SampleInfo,
)
from oncoboard.core.profiles.reference import (
    chip_genes,
    predisposition_genes,
    threshold,
)


def vaf_series(profile: Profile) -> dict[str, list[tuple[dt.date, str, float]]]:
    """Per-alteration VAF over time, for trend plots and reports.

    Returns
    -------
    dict
        ``label -> [(collection date, sample id, vaf), ...]`` in time order
        (ties by sample id).  Alterations without a VAF or without a sample
        collection date are left out, since they cannot be placed on a time axis.
    """
    series: dict[str, list[tuple[dt.date, str, float]]] = {}
    for alt in profile.alterations:
        if alt.vaf is None or alt.collected is None or alt.sample is None:
            continue
        series.setdefault(alt.label, []).append((alt.collected, alt.sample, alt.vaf))
    return {label: sorted(points) for label, points in sorted(series.items())}


def _tissue_labels(alterations: Iterable[NormalisedAlteration]) -> set[str]:
    return {a.label for a in alterations if a.specimen == "tissue"}


def chip_flags(alterations: tuple[NormalisedAlteration, ...]) -> list[ProfileFlag]:
    """``possible_chip`` for plasma variants in CH genes with no tissue confirmation."""
    tissue = _tissue_labels(alterations)
    genes = chip_genes()
    seen: set[str] = set()
    out = []
    for alt in alterations:
        if (alt.specimen == "plasma" and alt.gene in genes and alt.kind == "mutation"
                and alt.label not in tissue and alt.label not in seen):  # fmt: skip
            seen.add(alt.label)
            out.append(ProfileFlag(
                "possible_chip",
                f"{alt.label} in plasma may come from clonal hematopoiesis ({alt.gene} is a "
                "CH gene) and is not confirmed in tissue; check matched white-blood-cell DNA",
                alt.label,
            ))  # fmt: skip
    return out


def germline_flags(alterations: tuple[NormalisedAlteration, ...]) -> list[ProfileFlag]:
    """``possible_germline`` for VAFs near 50%/100% in predisposition genes."""
    low, high = (
        threshold("germline_vaf_heterozygous_low"),
        threshold("germline_vaf_heterozygous_high"),
    )
    homo = threshold("germline_vaf_homozygous_min")
    genes = predisposition_genes()
    out: dict[str, ProfileFlag] = {}
    for alt in alterations:
        if alt.gene not in genes or alt.vaf is None or alt.origin == "germline":
            continue
        if low <= alt.vaf <= high or alt.vaf >= homo:
            out.setdefault(alt.label, ProfileFlag(
                "possible_germline",
                f"{alt.label} at VAF {alt.vaf:.1%} in a cancer-predisposition gene may be "
                f"germline; confirm with germline testing of {alt.gene} on a non-tumour sample "
                "(e.g. blood), with genetic counselling",
                alt.label,
            ))  # fmt: skip
    return list(out.values())


def detection_limit_flags(
    alterations: tuple[NormalisedAlteration, ...],
) -> list[ProfileFlag]:
    """``near_detection_limit`` for plasma calls at or below the assay's LoD."""
    limit = threshold("near_detection_limit_vaf")
    return [
        ProfileFlag(
            "near_detection_limit",
            f"{a.label} in plasma sample {a.sample} at VAF {a.vaf:.2%} is near the assay's "
            "detection limit; interpret with caution",
            a.label,
        )  # fmt: skip
        for a in alterations
        if a.specimen == "plasma" and a.vaf is not None and a.vaf <= limit
    ]


def _plasma_samples(profile: Profile, case: Case | None) -> list[SampleInfo]:
    if profile.samples:
        return [s for s in profile.samples if s.specimen == "plasma"]
    if case is None:
        return []
    return [SampleInfo(s.id, s.specimen, s.collected, s.tumor_fraction, s.assay)
            for s in case.samples if s.specimen == "plasma"]  # fmt: skip


def liquid_biopsy_flags(
    profile: Profile, case: Case, actionable_labels: set[str]
) -> list[ProfileFlag]:
    """``noninformative_negative_liquid_biopsy`` for plasma samples without actionable findings.

    Parameters
    ----------
    profile
        The case's profile.
    case
        The case (for plasma samples and their tumor fractions).
    actionable_labels
        Labels the matcher found actionable (any option or resistance evidence).

    Returns
    -------
    list of ProfileFlag
        One flag per plasma sample whose alterations contain no actionable label
        and whose tumor fraction is below the threshold or unknown.
    """
    cutoff = threshold("liquid_biopsy_min_tumor_fraction")
    flags = []
    for sample in _plasma_samples(profile, case):
        labels = {a.label for a in profile.alterations if a.sample == sample.id}
        if labels & actionable_labels:
            continue
        tf = sample.tumor_fraction
        if tf is not None and tf >= cutoff:
            continue
        tf_text = "unknown" if tf is None else f"{tf:.1%}"
        flags.append(ProfileFlag(
            "noninformative_negative_liquid_biopsy",
            f"Plasma sample {sample.id} has no actionable finding and its tumor fraction is "
            f"{tf_text} (< {cutoff:.0%} or unknown): a negative result is not informative; "
            "test tissue",
        ))  # fmt: skip
    return flags


def empty_plasma_flags(profile: Profile) -> list[ProfileFlag]:
    """The part of the liquid-biopsy rule computable without the knowledge base:
    plasma samples with no alterations at all, or only possible-CHIP ones."""
    chip = {f.alteration for f in profile.flags if f.code == "possible_chip"}
    informative = {a.label for a in profile.alterations if a.label not in chip}
    return liquid_biopsy_flags(profile, None, informative)  # type: ignore[arg-type]
