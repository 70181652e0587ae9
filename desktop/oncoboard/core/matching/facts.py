"""What the matcher knows about a case: alterations plus case-level statuses.

Statuses (HER2-low, TMB-H, MSI-H/dMMR, PD-L1 cut-offs, RAS wild-type ...) are
derived here once, each with the reason, so the explanation can say why a
status-based option applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oncoboard.core.case.model import Case
from oncoboard.core.matching.thresholds import status_thresholds
from oncoboard.core.profiles.model import NormalisedAlteration, Profile

ONCOGENIC_SIGNIFICANCE = frozenset({"hotspot", "oncogenic"})


@dataclass(frozen=True)
class CaseFacts:
    alterations: tuple[NormalisedAlteration, ...]
    statuses: dict[str, str] = field(default_factory=dict)  # status -> why
    prior_drugs_progressed: frozenset[str] = frozenset()
    prior_drugs: frozenset[str] = frozenset()
    prior_metastatic_lines: int = 0
    by_gene: dict[str, tuple[NormalisedAlteration, ...]] = field(default_factory=dict)

    def alterations_of(self, gene: str | None) -> tuple[NormalisedAlteration, ...]:
        """Alterations of ``gene``, including fusions that name it as the partner."""
        return self.by_gene.get(gene or "", ())

    def is_pathogenic_mutation(self, alt: NormalisedAlteration) -> bool:
        return alt.kind == "mutation" and (
            alt.significance in ONCOGENIC_SIGNIFICANCE or alt.loss_of_function
        )

    def gene_mutated(self, gene: str) -> list[NormalisedAlteration]:
        return [a for a in self.alterations_of(gene) if a.gene == gene and self.is_pathogenic_mutation(a)]


def _tested_by_panel(case: Case) -> bool:
    """A sequencing result exists (so the absence of a variant means something)."""
    return any(s.alterations or s.variant_files for s in case.samples)


def _her2_statuses(profile: Profile, case: Case, out: dict[str, str]) -> None:
    her2 = profile.her2
    if her2 is not None and her2.status:
        out[her2.status] = f"{her2.status} ({her2.rule})"
    biomarkers = case.biomarkers.her2
    if biomarkers is not None and biomarkers.ihc == "3+":
        out["HER2 IHC 3+"] = "HER2 IHC 3+ recorded"
    amplified = [a for a in profile.alterations if a.gene == "ERBB2" and a.kind == "amplification"]
    if amplified and biomarkers is None and not any(s.startswith("HER2-") for s in out):
        # Without IHC/ISH, ERBB2 amplification by sequencing stands in for HER2-positive
        # (as in the colorectal MOUNTAINEER eligibility); the reason asks for confirmation.
        out["HER2-positive"] = (
            f"{amplified[0].label} by sequencing (no IHC/ISH recorded; confirm by IHC/ISH)"
        )


def _hormone_statuses(case: Case, out: dict[str, str]) -> None:
    bm = case.biomarkers
    if bm.er == "positive":
        out["ER-positive"] = "ER positive"
    if bm.er == "positive" or bm.pr == "positive":
        out["HR-positive"] = f"ER {bm.er or 'not given'}, PR {bm.pr or 'not given'}"
    her2_not_positive = "HER2-positive" not in out and bm.her2 is not None
    if bm.er in ("negative", "low") and bm.pr in ("negative", "low") and her2_not_positive:
        # ER-low (1-10%) tumors are managed like triple-negative in trials such as KEYNOTE-355.
        out["triple-negative"] = f"ER {bm.er}, PR {bm.pr}, HER2 not positive"


def _immune_statuses(profile: Profile, case: Case, out: dict[str, str]) -> None:
    measured = {"tmb": profile.tmb, "pdl1_tps": profile.pdl1_tps, "pdl1_cps": profile.pdl1_cps}
    for threshold in status_thresholds():
        value = measured.get(threshold.field)
        if threshold.holds(value):
            out[threshold.status] = f"{threshold.field} {value:g} {threshold.operator} {threshold.value:g}"
    if profile.msi == "MSI-H":
        out["MSI-H"] = "MSI-H recorded"
    if profile.mmr == "deficient":
        out["dMMR"] = "MMR deficient recorded"
    if "MSI-H" in out or "dMMR" in out:
        out["MSI-H/dMMR"] = out.get("MSI-H") or out["dMMR"]


def _ras_status(facts_alts: tuple[NormalisedAlteration, ...], case: Case, out: dict[str, str]) -> None:
    ras = [a for a in facts_alts if a.gene in ("KRAS", "NRAS") and a.kind == "mutation"
           and a.significance != "vus" and a.variant_class not in ("synonymous",)]
    if not ras and _tested_by_panel(case):
        out["RAS-wild-type"] = (
            "no KRAS/NRAS variant in the tested samples; confirm the assay covered "
            "KRAS and NRAS exons 2, 3 and 4 (extended RAS testing)"
        )


def derive_facts(case: Case, profile: Profile) -> CaseFacts:
    statuses: dict[str, str] = {}
    _her2_statuses(profile, case, statuses)
    _hormone_statuses(case, statuses)
    _immune_statuses(profile, case, statuses)
    _ras_status(profile.alterations, case, statuses)
    progressed = {d for t in case.prior_therapies if t.outcome == "progression" for d in t.drugs}
    received = {d for t in case.prior_therapies for d in t.drugs}
    metastatic_lines = sum(1 for t in case.prior_therapies if (t.setting or "metastatic") in ("metastatic", "locally_advanced"))
    by_gene: dict[str, list[NormalisedAlteration]] = {}
    for alt in profile.alterations:
        by_gene.setdefault(alt.gene, []).append(alt)
        if alt.partner and alt.partner != alt.gene:
            by_gene.setdefault(alt.partner.upper(), []).append(alt)
    return CaseFacts(
        by_gene={gene: tuple(alts) for gene, alts in by_gene.items()},
        alterations=profile.alterations,
        statuses=statuses,
        prior_drugs_progressed=frozenset(progressed),
        prior_drugs=frozenset(received),
        prior_metastatic_lines=metastatic_lines,
    )
