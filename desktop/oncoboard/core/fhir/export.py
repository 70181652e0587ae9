"""An analysed case as a FHIR R4 Bundle following the HL7 Genomics Reporting IG.

The bundle is a ``transaction`` (as the IG's oncology example): a genomics-report
DiagnosticReport with the board PDF as ``presentedForm``, one Specimen per sample,
variant Observations (mutations, copy-number changes, fusions, exon skipping),
molecular-biomarker Observations (TMB, MSI, PD-L1), therapeutic-implication
Observations for the options offered, the tumor as a Condition and the patient (or
only a de-identified reference).  Every resource is validated with ``fhir.resources``
(R4B models, which serve R4 content) before the bundle is returned.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from oncoboard.core.fhir import codes as c

if TYPE_CHECKING:
    from oncoboard.core.case.model import Case
    from oncoboard.core.matching.result import MatchResult, Option
    from oncoboard.core.profiles.model import NormalisedAlteration, Profile

Json = dict[str, Any]
DEIDENTIFIED_DISPLAY = "De-identified patient"


@dataclass(frozen=True)
class FhirExport:
    """The bundle (a JSON-ready dict) and what the case holds that it does not carry."""

    bundle: Json
    not_exported: tuple[str, ...] = field(default_factory=tuple)


def coding(system: str, code_display: tuple[str, str]) -> Json:
    return {"system": system, "code": code_display[0], "display": code_display[1]}


def concept(
    system: str, code_display: tuple[str, str], text: str | None = None
) -> Json:
    out: Json = {"coding": [coding(system, code_display)]}
    if text:
        out["text"] = text
    return out


def loinc(code_display: tuple[str, str], text: str | None = None) -> Json:
    return concept(c.LOINC, code_display, text)


def gene_concept(symbol: str) -> Json:
    """HGNC coding where the id is known from the IG examples; else the symbol as text."""
    hgnc = c.HGNC_IDS.get(symbol.upper())
    if hgnc is None:
        return {"text": symbol}
    return {"coding": [{"system": c.HGNC, "code": hgnc, "display": symbol}]}


def _component(code: Json, **value: Any) -> Json:
    return {"code": code, **value}


def _hgvs(text: str) -> Json:
    return {"coding": [{"system": c.HGVS, "code": text, "display": text}]}


def _quantity(value: float, unit: str, code: str | None = None) -> Json:
    out: Json = {"value": float(value), "unit": unit}
    if code is not None:
        out.update(system=c.UCUM, code=code)
    return out


LAB = {"coding": [{"system": c.OBSERVATION_CATEGORY, "code": "laboratory"}]}
GENETICS = concept(c.DIAGNOSTIC_SERVICE, ("GE", "Genetics"))


class _Builder:
    def __init__(self, case: Case, deidentified: bool, issued: dt.datetime) -> None:
        self.case = case
        self.issued = issued.isoformat(timespec="seconds")
        self.entries: list[Json] = []
        self.results: list[str] = []
        self.not_exported: list[str] = []
        self.subject = self._patient(deidentified)
        self.specimens: dict[str, str] = {}
        self.by_label: dict[str, list[str]] = {}

    def add(self, resource: Json, *, result: bool = False) -> str:
        url = f"urn:uuid:{uuid.uuid4()}"
        self.entries.append(
            {
                "fullUrl": url,
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
        )
        if result:
            self.results.append(url)
        return url

    def _patient(self, deidentified: bool) -> Json:
        if deidentified:
            # no Patient resource: the record system links the report to its patient
            return {"display": DEIDENTIFIED_DISPLAY}
        p = self.case.patient
        patient: Json = {"resourceType": "Patient", "gender": p.sex}
        if p.pseudonym:
            patient["name"] = [{"use": "anonymous", "text": p.pseudonym}]
        return {"reference": self.add(patient)}

    def _observation(self, code: Json, profile: str, **rest: Any) -> Json:
        obs: Json = {
            "resourceType": "Observation",
            "meta": {"profile": [profile]},
            "status": "final",
            "category": [LAB, GENETICS],
            "code": code,
            "subject": self.subject,
            "issued": self.issued,
        }
        obs.update(rest)
        return obs

    # -- samples and findings -------------------------------------------------------
    def specimen(self, sample: Any) -> None:
        spec: Json = {
            "resourceType": "Specimen",
            "identifier": [{"value": sample.id}],
            "subject": self.subject,
        }
        if sample.specimen == "tissue":
            spec["type"] = concept(c.SPECIMEN_TYPE, ("TUMOR", "Tumor"), "tissue")
        else:
            spec["type"] = {"text": "plasma"}  # no plasma code in the IG examples
        if sample.collected:
            spec["collection"] = {"collectedDateTime": sample.collected.isoformat()}
        if sample.tumor_fraction is not None:
            spec["note"] = [{"text": f"Tumor fraction: {sample.tumor_fraction:g}"}]
        self.specimens[sample.id] = self.add(spec)

    def variant(self, alt: NormalisedAlteration, assay: str | None) -> None:
        comps = [
            _component(
                loinc(c.GENE_STUDIED), valueCodeableConcept=gene_concept(alt.gene)
            )
        ]
        source = {"germline": c.GERMLINE, "somatic": c.SOMATIC}.get(alt.origin)
        if source is not None:  # an unknown origin (e.g. plasma) is left unsaid
            comps.append(
                _component(
                    loinc(c.GENOMIC_SOURCE_CLASS), valueCodeableConcept=loinc(source)
                )
            )
        comps += _kind_components(alt)
        if alt.vaf is not None:
            comps.append(
                _component(loinc(c.VAF), valueQuantity=_quantity(alt.vaf, "1", "1"))
            )
        if alt.depth is not None:
            depth = _quantity(alt.depth, "reads", "1")
            comps.append(_component(loinc(c.READ_DEPTH), valueQuantity=depth))
        method = loinc(c.SEQUENCING, assay) if assay else loinc(c.SEQUENCING)
        obs = self._observation(
            loinc(c.VARIANT_ASSESSMENT, alt.label),
            c.PROFILE_VARIANT,
            valueCodeableConcept=loinc(c.PRESENT),
            method=method,
            component=comps,
        )
        if alt.sample in self.specimens:
            obs["specimen"] = {"reference": self.specimens[alt.sample]}
        url = self.add(obs, result=True)
        self.by_label.setdefault(alt.label, []).append(url)

    def biomarker(
        self, code: Json, label: str, gene: str | None = None, **value: Any
    ) -> None:
        comps = []
        if gene:
            comps.append(
                _component(
                    loinc(c.GENE_STUDIED), valueCodeableConcept=gene_concept(gene)
                )
            )
        extra: Json = {"component": comps} if comps else {}
        obs = self._observation(code, c.PROFILE_BIOMARKER, **value, **extra)
        self.by_label.setdefault(label, []).append(self.add(obs, result=True))

    def implication(self, option: Option, tumor: str) -> None:
        drugs = " + ".join(option.drugs)
        level = f"AMP/ASCO/CAP tier {option.amp_tier}" + (
            f"; ESCAT {option.escat}" if option.escat else ""
        )
        cites = [
            {
                "url": c.RELATED_ARTIFACT,
                "valueRelatedArtifact": {"type": "citation", "citation": e.citation},
            }
            for e in option.evidence
        ]
        level_comp = _component(
            concept(c.LOINC, c.EVIDENCE_LEVEL), valueCodeableConcept={"text": level}
        )
        if cites:
            level_comp["extension"] = cites
        summary = "; ".join(
            dict.fromkeys(e.summary for e in option.evidence if e.summary)
        )
        comps = [
            _component(
                concept(c.TBD_CODES, c.THERAPEUTIC_IMPLICATION),
                valueCodeableConcept=loinc(c.RESPONSIVE),
            ),
            _component(
                loinc(c.TREATMENT_CONTEXT), valueCodeableConcept={"text": tumor}
            ),
            _component(
                loinc(c.MEDICATION_ASSESSED), valueCodeableConcept={"text": drugs}
            ),
            level_comp,
        ]
        if summary:
            comps.append(
                _component(
                    concept(c.TBD_CODES, c.CONCLUSION_STRING), valueString=summary
                )
            )
        derived = [
            {"reference": url}
            for label in option.matched
            for url in self.by_label.get(label, [])
        ]
        obs = self._observation(
            concept(c.TBD_CODES, c.THERAPEUTIC_IMPLICATION),
            c.PROFILE_THERAPEUTIC,
            component=comps,
        )
        obs["category"] = [LAB]
        if derived:
            obs["derivedFrom"] = derived
        self.add(obs, result=True)


def _kind_components(alt: NormalisedAlteration) -> list[Json]:
    comps: list[Json] = []
    if alt.kind == "mutation":
        if alt.cdna:
            comps.append(
                _component(loinc(c.CODING_HGVS), valueCodeableConcept=_hgvs(alt.cdna))
            )
        if alt.protein:
            protein = (
                alt.protein if alt.protein.startswith("p.") else f"p.{alt.protein}"
            )
            comps.append(
                _component(loinc(c.PROTEIN_HGVS), valueCodeableConcept=_hgvs(protein))
            )
    elif alt.kind in ("amplification", "deletion"):
        change = (
            c.COPY_NUMBER_GAIN if alt.kind == "amplification" else c.COPY_NUMBER_LOSS
        )
        comps.append(
            _component(
                loinc(c.CHANGE_TYPE),
                valueCodeableConcept=concept(c.SEQUENCE_ONTOLOGY, change),
            )
        )
        if alt.copy_number is not None:
            cn = _quantity(alt.copy_number, "1", "1")
            comps.append(_component(loinc(c.COPY_NUMBER), valueQuantity=cn))
    elif alt.kind == "fusion":
        if alt.partner:
            comps.append(
                _component(
                    loinc(c.GENE_STUDIED),
                    valueCodeableConcept=gene_concept(alt.partner),
                )
            )
        comps.append(
            _component(
                loinc(c.VARIATION_CODE),
                valueCodeableConcept=concept(
                    c.SEQUENCE_ONTOLOGY, c.TRANSCRIPT_FUSION, alt.label
                ),
            )
        )
    elif alt.kind == "exon_skipping":
        comps.append(
            _component(
                loinc(c.VARIATION_CODE), valueCodeableConcept={"text": alt.label}
            )
        )
    return comps


EXPORTED_KINDS = ("mutation", "amplification", "deletion", "fusion", "exon_skipping")


def build_bundle(
    case: Case,
    profile: Profile,
    match: MatchResult,
    pdf: bytes | None,
    *,
    deidentified: bool,
    tumor_name: str | None = None,
    issued: dt.datetime | None = None,
) -> FhirExport:
    """The Genomics Reporting bundle of one analysed case, validated with fhir.resources."""
    b = _Builder(case, deidentified, issued or dt.datetime.now(dt.UTC))
    tumor = f"{tumor_name or case.tumor.oncotree_code} (OncoTree {case.tumor.oncotree_code})"
    b.add({"resourceType": "Condition", "subject": b.subject, "code": {"text": tumor}})
    assays = {s.id: s.assay for s in case.samples}
    for sample in case.samples:
        b.specimen(sample)
    for alt in profile.alterations:
        if alt.kind in EXPORTED_KINDS:
            b.variant(alt, assays.get(alt.sample or ""))
        else:
            b.not_exported.append(
                f"{alt.label} ({alt.kind}): no variant form in the IG"
            )
    _biomarkers(b, case)
    for option in match.options:  # options offered only: never not_recommended
        b.implication(option, tumor)
    if match.not_recommended:
        b.not_exported.append(
            f"{len(match.not_recommended)} regimen(s) not recommended: the IG has no "
            "contraindication implication (they are in the PDF)"
        )
    report: Json = {
        "resourceType": "DiagnosticReport",
        "meta": {"profile": [c.PROFILE_GENOMIC_REPORT]},
        "identifier": [{"value": case.case_id}],
        "status": "final",
        "category": [GENETICS],
        "code": loinc(c.GENETIC_ANALYSIS_REPORT),
        "subject": b.subject,
        "issued": b.issued,
        "specimen": [{"reference": url} for url in b.specimens.values()],
        "result": [{"reference": url} for url in b.results],
    }
    if pdf is not None:
        report["presentedForm"] = [
            {
                "contentType": "application/pdf",
                "data": base64.b64encode(pdf).decode("ascii"),
                "title": f"Tumor board report {case.case_id}",
            }
        ]
    b.add(report)
    bundle: Json = {"resourceType": "Bundle", "type": "transaction", "entry": b.entries}
    validate(bundle)
    return FhirExport(bundle, tuple(b.not_exported))


def _biomarkers(b: _Builder, case: Case) -> None:
    bm = case.biomarkers
    if bm.tmb is not None:
        b.biomarker(
            loinc(c.TMB), "TMB", valueQuantity=_quantity(bm.tmb, "mutations/Mb")
        )
    if bm.msi is not None:
        value = {"MSI-H": loinc(c.MSI_HIGH, "MSI-H"), "MSS": loinc(c.MSI_STABLE, "MSS")}
        b.biomarker(
            loinc(c.MSI),
            "MSI",
            valueCodeableConcept=value.get(bm.msi, {"text": bm.msi}),
        )
    if bm.pdl1 is not None:
        for score, name in ((bm.pdl1.tps, "tumor proportion score"),
                            (bm.pdl1.cps, "combined positive score")):  # fmt: skip
            if score is not None:
                b.biomarker(
                    concept(c.LOINC, c.PDL1, f"PD-L1 {name}"),
                    "PD-L1",
                    gene="CD274",
                    valueQuantity=_quantity(
                        score, "%" if "proportion" in name else "1"
                    ),
                    note=[
                        {
                            "text": f"{score:g}{'%' if 'proportion' in name else ''} {name}"
                        }
                    ],
                )
    for name in ("her2", "er", "pr", "mmr", "ras", "hla", "psma_pet"):
        if getattr(bm, name) is not None:
            b.not_exported.append(f"biomarker {name}: not mapped (see docs/fhir.md)")
    if case.germline:
        b.not_exported.append(
            f"{len(case.germline)} germline finding(s) listed in the case: only the "
            "pathogenic ones, as germline variants"
        )


def validate(bundle: Json) -> None:
    """Parse every resource with its fhir.resources model; raise ``ValueError`` naming
    the entry when one does not conform (a bug in the export, never the user's)."""
    from fhir.resources.R4B import get_fhir_model_class

    get_fhir_model_class("Bundle").model_validate(bundle)
    for n, entry in enumerate(bundle["entry"]):
        resource = entry["resource"]
        try:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        except ValueError as exc:
            raise ValueError(f"entry[{n}] {resource['resourceType']}: {exc}") from exc
