"""Profile-level flags that are not about ctDNA or HER2 (see :mod:`.ctdna`, :mod:`.her2`)."""

from __future__ import annotations

from oncoboard.core.profiles.model import NormalisedAlteration, ProfileFlag

FLAG_CODES = (
    "possible_chip",
    "noninformative_negative_liquid_biopsy",
    "her2_ish_required",
    "possible_germline",
    "c797s_phase_unknown",
    "unknown_gene",
    "near_detection_limit",
    # added here (allowed by the spec: "more may be added")
    "her2_ihc_required",
    "her2_ihc0_staining_unknown",
    "biomarker_conflict",
)


def c797s_flags(alterations: tuple[NormalisedAlteration, ...]) -> list[ProfileFlag]:
    """``c797s_phase_unknown``: EGFR C797S with T790M in the same sample, phase not given.

    Cis or trans changes which EGFR inhibitors can work, so the board must ask
    the lab when the report does not say.
    """
    out = []
    by_sample: dict[str | None, set[str]] = {}
    for alt in alterations:
        if alt.gene == "EGFR" and alt.protein in ("C797S", "T790M"):
            by_sample.setdefault(alt.sample, set()).add(alt.protein)
    for alt in alterations:
        if (alt.gene == "EGFR" and alt.protein == "C797S" and alt.phase is None
                and "T790M" in by_sample.get(alt.sample, set())):  # fmt: skip
            out.append(ProfileFlag(
                "c797s_phase_unknown",
                f"EGFR C797S and T790M in sample {alt.sample or '(unnamed)'}: whether they are in "
                "cis or trans is not given; ask the lab (it changes which EGFR inhibitors may work)",
                alt.label,
            ))  # fmt: skip
    return out
