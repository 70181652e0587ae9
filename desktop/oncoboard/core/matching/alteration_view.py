"""The alteration view: what each alteration means for this patient.

Every alteration of the profile gets one category, as PCGR, cBioPortal and
OncoKB organise a case, so that no finding is left without an interpretation:

1. ``actionable``: an option rests on it (best tier and applicability shown);
2. ``resistance``: resistance evidence in the profile, or the reason a regimen
   is not recommended;
3. ``possible_chip`` / ``possible_germline``: a flag says the variant may not be
   a somatic tumor variant (checked before "oncogenic", because the origin
   changes what the board does with it);
4. ``oncogenic_no_therapy``: a hotspot, oncogenic or loss-of-function change,
   fusion, amplification or deletion with no therapy in the knowledge base;
5. ``vus``: everything else (variant of unknown significance).
"""

from __future__ import annotations

from collections.abc import Sequence

from oncoboard.core.matching.ranking import TIER_ORDER
from oncoboard.core.matching.result import (
    AlterationView,
    Flag,
    NotRecommended,
    Option,
)
from oncoboard.core.profiles.model import NormalisedAlteration, Profile

STRUCTURAL_KINDS = frozenset({"fusion", "amplification", "deletion", "exon_skipping"})
ORIGIN_FLAGS = {
    "possible_chip": "possible_chip",
    "possible_germline": "possible_germline",
}


def _best_option(label: str, options: Sequence[Option]) -> Option | None:
    found = [o for o in options if label in o.matched]
    if not found:
        return None
    return min(
        found, key=lambda o: (TIER_ORDER[o.amp_tier], o.applicability != "fits", o.rank)
    )


def _oncogenic(alt: NormalisedAlteration) -> bool:
    if alt.kind in STRUCTURAL_KINDS:
        return True
    return alt.significance in ("hotspot", "oncogenic") or alt.loss_of_function


def _classify(
    alt: NormalisedAlteration,
    options: Sequence[Option],
    resistance: Sequence[Option],
    not_recommended: Sequence[NotRecommended],
    flags: dict[str, str],
) -> AlterationView:
    def view(
        category: str, detail: str, option: Option | None = None
    ) -> AlterationView:
        return AlterationView(
            label=alt.label,
            gene=alt.gene,
            sample=alt.sample,
            category=category,  # type: ignore[arg-type]
            detail=detail,
            best_tier=option.amp_tier if option else None,
            applicability=option.applicability if option else None,
        )

    best = _best_option(alt.label, options)
    if best is not None:
        how = "fits" if best.applicability == "fits" else "conditional"
        return view(
            "actionable",
            f"{' + '.join(best.drugs)} (tier {best.amp_tier}, {how})",
            best,
        )
    resisted = [o for o in resistance if alt.label in o.matched]
    blocked = [n for n in not_recommended if alt.label in n.explanation]
    if resisted or blocked:
        drugs = sorted(
            {d for o in resisted for d in o.drugs}
            | {d for n in blocked for d in n.drugs}
        )
        return view("resistance", "resistance to " + ", ".join(drugs))
    if alt.label in flags:
        code = flags[alt.label]
        text = (
            "possible clonal hematopoiesis: confirm in tissue"
            if code == "possible_chip"
            else "possible germline variant: consider germline testing and counselling"
        )
        return view(code, text)
    if alt.origin == "germline" and _oncogenic(alt):
        return view(
            "possible_germline",
            "germline pathogenic variant with no therapy in the KB: "
            "genetic counselling",
        )
    if _oncogenic(alt):
        return view(
            "oncogenic_no_therapy",
            "known or likely oncogenic; no therapy in the knowledge base",
        )
    return view("vus", "variant of unknown significance: not used for therapy")


def alteration_view(
    profile: Profile,
    options: Sequence[Option],
    resistance: Sequence[Option],
    not_recommended: Sequence[NotRecommended],
    flags: Sequence[Flag],
) -> list[AlterationView]:
    """One entry per alteration (per label and sample), in the profile's order."""
    origin_flags = {
        f.alteration: f.code for f in flags if f.alteration and f.code in ORIGIN_FLAGS
    }
    out: list[AlterationView] = []
    seen: set[tuple[str, str | None]] = set()
    for alt in profile.alterations:
        key = (alt.label, alt.sample)
        if key in seen:
            continue
        seen.add(key)
        out.append(_classify(alt, options, resistance, not_recommended, origin_flags))
    return out
