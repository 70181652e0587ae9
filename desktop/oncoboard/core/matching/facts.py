"""What the matcher knows about a case: alterations plus case-level statuses.

Statuses (HER2-low, TMB-H, MSI-H/dMMR, PD-L1 cut-offs, RAS wild-type,
HLA-A*02:01-positive, PSMA-positive ...) are derived here once, each with the
reason, so the explanation can say why a status-based option applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from oncoboard.core.case.lines import prior_advanced_lines
from oncoboard.core.case.model import Case, Sample
from oncoboard.core.matching.thresholds import status_thresholds
from oncoboard.core.profiles.model import NormalisedAlteration, Profile
from oncoboard.core.profiles.reference import threshold as reference_threshold

ONCOGENIC_SIGNIFICANCE = frozenset({"hotspot", "oncogenic"})


@dataclass(frozen=True)
class CaseFacts:
    alterations: tuple[NormalisedAlteration, ...]
    statuses: dict[str, str] = field(default_factory=dict)  # status -> why
    # Statuses that would hold if a test had covered them (status -> what to test).
    unestablished: dict[str, str] = field(default_factory=dict)
    case: Case | None = None  # for the tested scopes of negative requirements
    prior_drugs_progressed: frozenset[str] = frozenset()
    prior_drugs_intolerant: frozenset[str] = frozenset()
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
        return [
            a
            for a in self.alterations_of(gene)
            if a.gene == gene and self.is_pathogenic_mutation(a)
        ]

    def gene_altered(self, gene: str) -> list[NormalisedAlteration]:
        """Pathogenic mutations and fusions involving ``gene`` (a "genomic aberration");
        for KRAS/NRAS also any change at an extended-RAS codon and amplification."""
        ras = [a for a in self.alterations_of(gene) if a.gene == gene and ras_mutant(a)]
        return list(
            dict.fromkeys(
                self.gene_mutated(gene)
                + ras
                + [a for a in self.alterations_of(gene) if a.kind == "fusion"]
            )
        )

    def gene_uncertain(self, gene: str) -> list[NormalisedAlteration]:
        """Non-synonymous changes of ``gene`` of uncertain significance: they neither
        establish nor exclude "wild-type"."""
        altered = self.gene_altered(gene)
        return [
            a
            for a in self.alterations_of(gene)
            if a.gene == gene
            and a.kind == "mutation"
            and a.variant_class != "synonymous"
            and a not in altered
        ]

    def wild_type_scope(self, gene: str) -> str | None:
        """Where ``gene`` was tested and found without a variant, if a test covered it."""
        if self.case is None:
            return None
        if gene in ("KRAS", "NRAS") and self.case.biomarkers.ras == "wild-type":
            return "RAS wild-type recorded by the laboratory"
        exons = RAS_EXONS if gene in ("KRAS", "NRAS") else ()
        sample = tested_negative_scope(self.case, gene, exons)
        return f"tested in sample {sample}" if sample else None


RAS_CODONS = frozenset(
    {12, 13, 59, 61, 117, 146}
)  # KRAS/NRAS exons 2-4 (PRIME, PMID 24024839)
RAS_EXONS = (2, 3, 4)  # extended RAS testing: KRAS and NRAS exons 2, 3 and 4


def informative_samples(case: Case) -> list[Sample]:
    """Samples whose negative result counts: tissue, or plasma with a tumor fraction of
    at least ``liquid_biopsy_min_tumor_fraction`` (1%, sourced in thresholds.yaml); an
    unknown plasma tumor fraction is not informative."""
    cutoff = reference_threshold("liquid_biopsy_min_tumor_fraction")
    return [
        s
        for s in case.samples
        if s.specimen == "tissue" or (s.tumor_fraction or 0.0) >= cutoff
    ]


def tested_negative_scope(
    case: Case, gene: str, exons: tuple[int, ...] = ()
) -> str | None:
    """The sample whose recorded test scope covered ``gene`` (and ``exons``), if any."""
    for sample in informative_samples(case):
        if sample.tested is not None and sample.tested.covers(gene, exons):
            return sample.id
    return None


def _her2_statuses(profile: Profile, case: Case, out: dict[str, str]) -> None:
    her2 = profile.her2
    if her2 is not None and her2.status:
        out[her2.status] = f"{her2.status} ({her2.rule})"
    biomarkers = case.biomarkers.her2
    if biomarkers is not None and biomarkers.ihc == "3+":
        out["HER2 IHC 3+"] = "HER2 IHC 3+ recorded"
    amplified = [
        a
        for a in profile.alterations
        if a.gene == "ERBB2" and a.kind == "amplification"
    ]
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
    # Only a resolved HER2-negative result counts (IHC 2+ awaiting ISH does not).
    her2_negative = any(
        k in out for k in ("HER2-low", "HER2-ultralow", "HER2-null", "HER2-negative")
    )
    if bm.er in ("negative", "low") and bm.pr in ("negative", "low") and her2_negative:
        # ER-low (1-10%) tumors are managed like triple-negative in trials such as KEYNOTE-355.
        out["triple-negative"] = f"ER {bm.er}, PR {bm.pr}, HER2 not positive"


def _immune_statuses(profile: Profile, case: Case, out: dict[str, str]) -> None:
    measured = {
        "tmb": profile.tmb,
        "pdl1_tps": profile.pdl1_tps,
        "pdl1_cps": profile.pdl1_cps,
    }
    for threshold in status_thresholds():
        value = measured.get(threshold.field)
        if threshold.holds(value):
            out[threshold.status] = (
                f"{threshold.field} {value:g} {threshold.operator} {threshold.value:g}"
            )
    if profile.msi == "MSI-H":
        out["MSI-H"] = "MSI-H recorded"
    if profile.mmr == "deficient":
        out["dMMR"] = "MMR deficient recorded"
    if "MSI-H" in out or "dMMR" in out:
        out["MSI-H/dMMR"] = out.get("MSI-H") or out["dMMR"]


# HLA-A*02:01 at two-field or higher resolution (A*02:01, A*02:01:01, A*02:01:01:02),
# with an optional expression suffix; a null allele (suffix N) is not expressed.
HLA_A0201_RE = re.compile(r"^A\*02:01(:\d{2,3}){0,2}([A-Z]?)$")


def hla_a0201_allele(alleles: list[str] | None) -> str | None:
    """The typed allele that is HLA-A*02:01, if any (A*02:06 or a bare A*02 is not)."""
    for allele in alleles or ():
        found = HLA_A0201_RE.match(allele)
        if found and found.group(2) != "N":
            return allele
    return None


def _hla_psma_statuses(case: Case, out: dict[str, str]) -> None:
    bm = case.biomarkers
    allele = hla_a0201_allele(bm.hla)
    if allele:
        out["HLA-A*02:01-positive"] = f"HLA-{allele} typed"
    if bm.psma_pet == "positive":
        out["PSMA-positive"] = "PSMA PET positive recorded"


RAS_NOT_ESTABLISHED = "RAS status not established: test KRAS/NRAS exons 2–4"


def ras_mutant(a: NormalisedAlteration) -> bool:
    """A KRAS/NRAS change that makes the tumor RAS-mutant for anti-EGFR antibodies:
    amplification, a classified oncogenic change, or any non-synonymous change at an
    extended-RAS codon (12, 13, 59, 61, 117, 146), whatever its annotation."""
    if a.gene not in ("KRAS", "NRAS"):
        return False
    if a.kind == "amplification":
        return True
    if a.kind != "mutation" or a.variant_class == "synonymous":
        return False
    return a.significance != "vus" or a.codon in RAS_CODONS


def _ras_status(
    facts_alts: tuple[NormalisedAlteration, ...],
    case: Case,
    out: dict[str, str],
    unknown: dict[str, str],
) -> None:
    """RAS wild-type only from a recorded status or a test that covered KRAS and NRAS
    exons 2-4 (informative sample) with no RAS variant; otherwise it is not established.
    A KRAS/NRAS variant of uncertain significance leaves it not established."""
    ras = [a for a in facts_alts if ras_mutant(a)]
    if ras or case.biomarkers.ras == "mutant":
        return
    uncertain = [
        a
        for a in facts_alts
        if a.gene in ("KRAS", "NRAS")
        and a.kind == "mutation"
        and a.variant_class != "synonymous"
    ]
    if uncertain:
        unknown["RAS-wild-type"] = (
            f"RAS status not established: {uncertain[0].label} is a variant of uncertain "
            "significance; review it before anti-EGFR therapy"
        )
        return
    if case.biomarkers.ras == "wild-type":
        out["RAS-wild-type"] = "RAS wild-type recorded by the laboratory"
        return
    kras = tested_negative_scope(case, "KRAS", RAS_EXONS)
    nras = tested_negative_scope(case, "NRAS", RAS_EXONS)
    if kras and nras:
        where = kras if kras == nras else f"{kras} and {nras}"
        out["RAS-wild-type"] = (
            f"no KRAS/NRAS variant in exons 2\u20134 tested in sample {where}"
        )
    else:
        unknown["RAS-wild-type"] = RAS_NOT_ESTABLISHED


def derive_facts(case: Case, profile: Profile, canonical_drug=None) -> CaseFacts:  # type: ignore[no-untyped-def]
    """Facts of one case; ``canonical_drug`` maps brand names and synonyms to INNs."""
    statuses: dict[str, str] = {}
    unestablished: dict[str, str] = {}
    _her2_statuses(profile, case, statuses)
    _hormone_statuses(case, statuses)
    _immune_statuses(profile, case, statuses)
    _ras_status(profile.alterations, case, statuses, unestablished)
    _hla_psma_statuses(case, statuses)

    def canon(name: str) -> str:
        return (canonical_drug(name) if canonical_drug else None) or name

    progressed = {
        canon(d)
        for t in case.prior_therapies
        if t.outcome == "progression"
        for d in t.drugs
    }
    intolerant = {
        canon(d)
        for t in case.prior_therapies
        if t.outcome == "intolerance"
        for d in t.drugs
    }
    received = {canon(d) for t in case.prior_therapies for d in t.drugs}
    metastatic_lines = prior_advanced_lines(case)
    by_gene: dict[str, list[NormalisedAlteration]] = {}
    for alt in profile.alterations:
        by_gene.setdefault(alt.gene, []).append(alt)
        if alt.partner and alt.partner != alt.gene:
            by_gene.setdefault(alt.partner.upper(), []).append(alt)
    return CaseFacts(
        by_gene={gene: tuple(alts) for gene, alts in by_gene.items()},
        alterations=profile.alterations,
        statuses=statuses,
        unestablished=unestablished,
        case=case,
        prior_drugs_progressed=frozenset(progressed),
        prior_drugs_intolerant=frozenset(intolerant),
        prior_drugs=frozenset(received),
        prior_metastatic_lines=metastatic_lines,
    )
