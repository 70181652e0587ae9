"""A lab's FHIR Genomics Reporting Bundle as an ``oncoboard.case/1`` case.

Variants (mutations, copy-number changes, fusions, exon skipping) become the
alterations of one sample per Specimen; TMB, MSI and PD-L1 become the case's
biomarkers.  What the case cannot hold (implications, unknown observations,
germline variants without a classification, other resources) is listed in
:attr:`FhirCase.not_imported`, never dropped silently.  A file that is not a
genomics-report Bundle, or a finding that cannot be read, is a
:class:`UserInputError` naming the file, the entry and the field.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from oncoboard.core.case.model import Alteration, Case
from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.fhir import codes as c

Json = dict[str, Any]
ONCOTREE_IN_TEXT = re.compile(r"\(OncoTree ([A-Z0-9_]+)\)")
NO_TUMOR_HINT = (
    "The report does not name the tumor type as an OncoTree code: give it "
    "(oncoboard case import --tumor CODE FILE)."
)


@dataclass(frozen=True)
class FhirCase:
    case: Case
    not_imported: tuple[str, ...]


class TumorTypeNeeded(UserInputError):
    """The bundle does not say the tumor type; the caller must give an OncoTree code."""


def is_fhir_bundle(data: object) -> bool:
    return isinstance(data, dict) and "resourceType" in data


def _codes(concept: Any) -> set[str]:
    if not isinstance(concept, dict):
        return set()
    return {
        str(x.get("code")) for x in concept.get("coding", []) if isinstance(x, dict)
    }


def _text(concept: Any) -> str | None:
    """A concept's text, else its first display, else its first code."""
    if not isinstance(concept, dict):
        return None
    if concept.get("text"):
        return str(concept["text"])
    for x in concept.get("coding", []):
        if isinstance(x, dict) and (x.get("display") or x.get("code")):
            return str(x.get("display") or x.get("code"))
    return None


def _gene(concept: Any) -> str | None:
    by_id = {v: k for k, v in c.HGNC_IDS.items()}
    for x in concept.get("coding", []) if isinstance(concept, dict) else []:
        if x.get("display"):
            return str(x["display"])
        if x.get("code") in by_id:
            return by_id[x["code"]]
    return concept.get("text") if isinstance(concept, dict) else None


def _components(obs: Json) -> dict[str, list[Json]]:
    comps: dict[str, list[Json]] = {}
    for comp in obs.get("component", []):
        for code in _codes(comp.get("code")):
            comps.setdefault(code, []).append(comp)
    return comps


def _first_value(comps: dict[str, list[Json]], code: tuple[str, str]) -> Any:
    found = comps.get(code[0], [])
    if not found:
        return None
    first = found[0]
    return (
        first.get("valueCodeableConcept")
        or first.get("valueQuantity")
        or first.get("valueString")
    )


def _is_protein_change(text: str) -> bool:
    from oncoboard.core.profiles.protein import ProteinParseError, parse_protein_change

    try:
        parse_protein_change(text)
    except ProteinParseError:
        return False
    return True


def _hgvs_change(concept: Any) -> str | None:
    """``NP_005219.2:p.Leu858Arg`` or ``p.(Val600Glu)`` -> ``p.Leu858Arg`` / ``p.Val600Glu``."""
    text = None
    for x in concept.get("coding", []) if isinstance(concept, dict) else []:
        text = x.get("code") or x.get("display")
        if text:
            break
    text = text or (concept.get("text") if isinstance(concept, dict) else None)
    if not text:
        return None
    text = str(text).split(":")[-1].strip()
    return text.replace("(", "").replace(")", "")


class _Reader:
    def __init__(self, path: Path, data: Json) -> None:
        self.path = path
        self.data = data
        self.notes: list[str] = []
        self.problems: list[Problem] = []
        self.samples: dict[str, Json] = {}
        self.specimen_ids: dict[str, str] = {}  # fullUrl / "Specimen/id" -> sample id
        self.biomarkers: Json = {}
        self.patient: Json = {}
        self.tumor: str | None = None
        self.other: Counter[str] = Counter()

    def where(self, n: int, resource: Json, field: str = "") -> str:
        rid = f"/{resource['id']}" if resource.get("id") else ""
        return f"entry[{n}] ({resource.get('resourceType')}{rid}){'.' + field if field else ''}"

    # -- resources ------------------------------------------------------------------
    def specimen(self, n: int, url: str, res: Json) -> None:
        ids = [i.get("value") for i in res.get("identifier", []) if i.get("value")]
        sample_id = str(ids[0]) if ids else f"S{len(self.samples) + 1}"
        kind = (
            "plasma" if "plasma" in (_text(res.get("type")) or "").lower() else "tissue"
        )
        sample: Json = {"id": sample_id, "specimen": kind, "alterations": []}
        collected = (res.get("collection") or {}).get("collectedDateTime")
        if collected:
            sample["collected"] = str(collected)[:10]
        for note in res.get("note", []):
            m = re.match(r"Tumor fraction: ([0-9.]+)$", str(note.get("text", "")))
            if m and kind == "plasma":
                sample["tumor_fraction"] = float(m.group(1))
        self.samples[sample_id] = sample
        for key in (url, f"Specimen/{res.get('id')}", *ids):
            self.specimen_ids[str(key)] = sample_id

    def sample_for(self, obs: Json) -> Json:
        ref = obs.get("specimen") or {}
        key = ref.get("reference") or (ref.get("identifier") or {}).get("value")
        sample_id = self.specimen_ids.get(str(key)) if key else None
        if sample_id is None:
            sample_id = str(key) if key else "S1"
            self.samples.setdefault(
                sample_id, {"id": sample_id, "specimen": "tissue", "alterations": []}
            )
        return self.samples[sample_id]

    def observation(self, n: int, obs: Json) -> None:
        code = _codes(obs.get("code"))
        if c.VARIANT_ASSESSMENT[0] in code:
            self.variant(n, obs)
        elif c.TMB[0] in code:
            value = (obs.get("valueQuantity") or {}).get("value")
            if not isinstance(value, int | float):
                self.problems.append(
                    Problem(
                        self.where(n, obs, "valueQuantity.value"), "TMB needs a number"
                    )
                )
            else:
                self.biomarkers["tmb"] = value
        elif c.MSI[0] in code:
            self.msi(n, obs)
        elif c.PDL1[0] in code:
            self.pdl1(n, obs)
        elif code & {
            c.THERAPEUTIC_IMPLICATION[0],
            c.DIAGNOSTIC_IMPLICATION,
            c.MOLECULAR_CONSEQUENCE,
        }:
            self.other[
                f"{sorted(code)[0]} Observation(s) (OncoBoard derives its own)"
            ] += 1
        else:
            self.notes.append(
                f"{self.where(n, obs)}: {_text(obs.get('code')) or 'no code'} is not a supported finding"
            )

    def msi(self, n: int, obs: Json) -> None:
        value = obs.get("valueCodeableConcept")
        found = _codes(value)
        text = (_text(value) or "").upper()
        if c.MSI_HIGH[0] in found or text in ("MSI-H", "HIGH"):
            self.biomarkers["msi"] = "MSI-H"
        elif c.MSI_STABLE[0] in found or text in ("MSS", "STABLE"):
            self.biomarkers["msi"] = "MSS"
        elif text == "MSI-L":
            self.biomarkers["msi"] = "MSI-L"
        else:
            self.problems.append(
                Problem(
                    self.where(n, obs, "valueCodeableConcept"),
                    "expected MSI-H, MSI-L or MSS",
                )
            )

    def pdl1(self, n: int, obs: Json) -> None:
        label = " ".join(
            [_text(obs.get("code")) or ""]
            + [x.get("text", "") for x in obs.get("note", [])]
        ).lower()
        key = "cps" if "combined positive" in label else "tps"
        value = (obs.get("valueQuantity") or {}).get("value")
        if (
            value is None
        ):  # the IG example: "Positive" with a note "5% tumor proportion score"
            m = re.search(
                r"([0-9.]+)\s*%?\s*(tumor proportion|combined positive)", label
            )
            value = float(m.group(1)) if m else None
        if value is None:
            self.notes.append(
                f"{self.where(n, obs)}: PD-L1 without a score ({_text(obs.get('valueCodeableConcept'))})"
            )
            return
        self.biomarkers.setdefault("pdl1", {})[key] = value

    def variant(self, n: int, obs: Json) -> None:
        if obs.get("valueCodeableConcept") and c.PRESENT[0] not in _codes(
            obs["valueCodeableConcept"]
        ):
            self.notes.append(f"{self.where(n, obs)}: variant not reported as present")
            return
        comps = _components(obs)

        def value(code: tuple[str, str]) -> Any:
            return _first_value(comps, code)

        genes = [
            _gene(x.get("valueCodeableConcept"))
            for x in comps.get(c.GENE_STUDIED[0], [])
        ]
        genes_ = [g for g in genes if g]
        label = _text(value(c.VARIATION_CODE)) or _text(obs.get("code")) or ""
        if not genes_:
            self.problems.append(
                Problem(
                    self.where(n, obs, "component"),
                    "a variant needs a gene-studied (48018-6) component",
                )
            )
            return
        self._finding(n, obs, genes_, label, value, comps)

    def _finding(
        self,
        n: int,
        obs: Json,
        genes: list[str],
        label: str,
        value: Any,
        comps: dict[str, list[Json]],
    ) -> None:
        if c.GERMLINE[0] in _codes(value(c.GENOMIC_SOURCE_CLASS)):
            self.notes.append(
                f"{self.where(n, obs)}: germline variant in {genes[0]} not imported (add it with its classification)"
            )
            return
        alt = self._alteration(genes, label, value, comps)
        if alt is None:
            self.notes.append(
                f"{self.where(n, obs)}: {genes[0]} variant without a protein change, copy-number or fusion call"
            )
            return
        if alt["kind"] == "mutation" and not _is_protein_change(alt["protein"]):
            self.notes.append(
                f"{self.where(n, obs)}: {genes[0]} {alt['protein']} is not a protein change OncoBoard reads (e.g. synonymous)"
            )
            return
        try:
            TypeAdapter(Alteration).validate_python(alt)
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(x) for x in e["loc"][1:])
                self.problems.append(
                    Problem(self.where(n, obs, f"component ({loc})"), e["msg"])
                )
            return
        self.sample_for(obs)["alterations"].append(alt)
        assay = _text(obs.get("method"))
        if isinstance(obs.get("method"), dict) and obs["method"].get("text"):
            self.sample_for(obs).setdefault("assay", assay)

    def _alteration(
        self, genes: list[str], label: str, value: Any, comps: dict[str, list[Json]]
    ) -> Json | None:
        change = _codes(value(c.CHANGE_TYPE))
        vaf = value(c.VAF)
        if c.COPY_NUMBER_GAIN[0] in change or c.COPY_NUMBER_LOSS[0] in change:
            alt: Json = {
                "gene": genes[0],
                "kind": "amplification"
                if c.COPY_NUMBER_GAIN[0] in change
                else "deletion",
            }
            cn = value(c.COPY_NUMBER)
            if alt["kind"] == "amplification" and cn and cn.get("value") is not None:
                alt["copy_number"] = cn["value"]
            return alt
        if (
            "fusion" in label.lower()
            or c.GENE_FUSION[0] in comps
            or c.TRANSCRIPT_FUSION[0] in _codes(value(c.VARIATION_CODE))
        ):
            alt = {"gene": genes[0], "kind": "fusion"}
            if len(genes) > 1:
                alt["partner"] = genes[1]
            return alt
        skip = re.search(r"exon (\d+) skipping", label, re.I)
        if skip:
            return {
                "gene": genes[0],
                "kind": "exon_skipping",
                "exon": int(skip.group(1)),
            }
        protein = _hgvs_change(value(c.PROTEIN_HGVS))
        if not protein:
            return None
        alt = {"gene": genes[0], "kind": "mutation", "protein": protein}
        cdna = _hgvs_change(value(c.CODING_HGVS))
        if cdna:
            alt["cdna"] = cdna
        if isinstance(vaf, dict) and vaf.get("value") is not None:
            v = float(vaf["value"])
            alt["vaf"] = (
                v / 100 if vaf.get("code") == "%" or vaf.get("unit") == "%" else v
            )
        depth = value(c.READ_DEPTH)
        if isinstance(depth, dict) and depth.get("value") is not None:
            alt["depth"] = int(depth["value"])
        return alt

    def patient_(self, res: Json) -> None:
        if res.get("gender") in ("female", "male", "other", "unknown"):
            self.patient["sex"] = res["gender"]
        for name in res.get("name", []):
            if name.get("use") == "anonymous" and name.get("text"):
                self.patient["pseudonym"] = name["text"]

    def condition(self, res: Json) -> None:
        m = ONCOTREE_IN_TEXT.search(_text(res.get("code")) or "")
        if m:
            self.tumor = m.group(1)
        else:
            self.other["Condition (no OncoTree code)"] += 1


def read_bundle(path: Path, data: Json, *, tumor: str | None = None) -> FhirCase:
    """The case a genomics-report Bundle describes (``tumor``: OncoTree code, if the
    bundle does not give one)."""
    if data.get("resourceType") != "Bundle":
        raise UserInputError(
            path,
            [
                Problem(
                    "resourceType",
                    f"expected a FHIR Bundle, got {data.get('resourceType')!r}",
                )
            ],
        )
    _check_structure(path, data)
    entries = [e.get("resource") or {} for e in data.get("entry", [])]
    reports = _genomics_reports(path, entries)
    reader = _Reader(path, data)
    _walk(reader, data, entries)
    if len(reports) > 1:
        reader.other["further DiagnosticReport"] += len(reports) - 1
    return _case(path, reader, reports[0], tumor)


def _genomics_reports(path: Path, entries: list[Json]) -> list[Json]:
    reports = [
        (n, r) for n, r in enumerate(entries)
        if r.get("resourceType") == "DiagnosticReport"
        and (_codes(r.get("code")) & {c.GENETIC_ANALYSIS_REPORT[0], c.MASTER_VARIANT_PANEL[0]}
             or any("GE" in _codes(cat) for cat in r.get("category", [])))
    ]  # fmt: skip
    if not reports:
        raise UserInputError(
            path,
            [
                Problem(
                    "entry",
                    "no genomics DiagnosticReport (LOINC 51969-4 or category GE): not a genomics report Bundle",
                )
            ],
        )
    return [r for _, r in reports]


def _walk(reader: _Reader, data: Json, entries: list[Json]) -> None:
    for n, (entry, res) in enumerate(zip(data.get("entry", []), entries, strict=True)):
        kind = res.get("resourceType")
        if kind == "Specimen":
            reader.specimen(n, str(entry.get("fullUrl")), res)
    for n, res in enumerate(entries):
        kind = res.get("resourceType")
        if kind == "Observation":
            reader.observation(n, res)
        elif kind == "Patient":
            reader.patient_(res)
        elif kind == "Condition":
            reader.condition(res)
        elif kind not in ("Specimen", "DiagnosticReport"):
            reader.other[str(kind)] += 1


def _case(path: Path, reader: _Reader, report: Json, tumor: str | None) -> FhirCase:
    if reader.problems:
        raise UserInputError(path, reader.problems)
    code = tumor or reader.tumor
    if not code:
        raise TumorTypeNeeded(
            path,
            [Problem("entry", "no Condition naming an OncoTree code")],
            hint=NO_TUMOR_HINT,
        )
    ids = [i.get("value") for i in report.get("identifier", []) if i.get("value")]
    case_data: Json = {
        "schema": "oncoboard.case/1",
        "case_id": str(ids[0]) if ids else path.stem,
        "patient": reader.patient,
        "tumor": {"oncotree_code": code},
        "samples": [s for s in reader.samples.values()],
        "biomarkers": reader.biomarkers,
        "extensions": {"imported_from": "FHIR Genomics Reporting Bundle"},
    }
    try:
        case = Case.model_validate(case_data)
    except ValidationError as exc:
        raise UserInputError(
            path,
            [
                Problem(".".join(str(x) for x in e["loc"]), e["msg"])
                for e in exc.errors()
            ],
        ) from None
    notes = reader.notes + [
        f"{count} {name}" for name, count in sorted(reader.other.items())
    ]
    return FhirCase(case, tuple(notes))


def _check_structure(path: Path, data: Json) -> None:
    """The bundle's structure per fhir.resources (R4B models, which serve R4 content)."""
    from fhir.resources.R4B import get_fhir_model_class

    try:
        get_fhir_model_class("Bundle").model_validate(data)
    except ValidationError as exc:
        raise UserInputError(
            path,
            [
                Problem(".".join(str(x) for x in e["loc"]), e["msg"])
                for e in exc.errors()[:20]
            ],
            hint="Not a valid FHIR R4 Bundle.",
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise UserInputError(
            path, [Problem("", f"not a FHIR R4 Bundle: {exc}")]
        ) from None


def read_file(path: Path, raw: bytes, *, tumor: str | None = None) -> FhirCase:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserInputError(path, [Problem("", f"not JSON: {exc}")]) from None
    if not isinstance(data, dict):
        raise UserInputError(path, [Problem("", "expected a JSON object")])
    return read_bundle(path, data, tumor=tumor)
