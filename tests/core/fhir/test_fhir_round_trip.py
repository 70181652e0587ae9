"""Issue 21: FHIR Genomics Reporting export and import.

Export a demo case, import it back through the one import path (``case_import``), and
the alterations and biomarkers are the same; every exported resource parses with
``fhir.resources`` and carries the IG's codes, categories and references; the IG's own
example Bundle imports; bad input names the file and the entry.
"""

from __future__ import annotations

import base64
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class

from oncoboard.core import api
from oncoboard.core.case_import import import_case_files, read_import_file
from oncoboard.core.db import CaseStore
from oncoboard.core.errors import UserInputError
from oncoboard.core.fhir import codes as c
from oncoboard.core.fhir.read import TumorTypeNeeded
from oncoboard.core.profiles import build_profile

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "assets" / "demo"
IG = REPO.parent / "shared" / "data" / "examples" / "fhir_genomics_reporting"
IG_BUNDLE = IG / "oncology-report-example.json"
KB = functools.cache(api.open_kb)


@functools.cache
def _exported(name: str, deidentified: bool = False) -> tuple[dict, api.Analysis]:
    ctx = api.Context.create(kb=KB())
    analysis = api.analyse_file(ctx, DEMO / name)
    options = api.report_options(ctx, deidentified=deidentified)
    return api.export_fhir(ctx, analysis, options).bundle, analysis


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


def _codes(concept: dict) -> set[tuple[str, str]]:
    return {(x["system"], x["code"]) for x in concept.get("coding", [])}


def _facts(case, case_file: Path | None = None) -> tuple[set, dict]:
    profile = build_profile(case, case_file)
    alts = {
        (a.sample, a.gene, a.kind, a.label, a.vaf, a.depth, a.copy_number, a.partner)
        for a in profile.alterations
    }
    return alts, {"tmb": profile.tmb, "msi": profile.msi, "tps": profile.pdl1_tps,
                  "cps": profile.pdl1_cps}  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    s = CaseStore(tmp_path / "cases.sqlite")
    yield s
    s.close()


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.json")))
def test_a_demo_case_round_trips(name: str, store: CaseStore, tmp_path: Path) -> None:
    bundle, analysis = _exported(name)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    (imported,) = import_case_files(store, [path], kb=KB())
    assert imported.source == path
    back = imported.stored.case
    assert back.case_id == analysis.case.case_id
    assert back.tumor.oncotree_code == analysis.case.tumor.oncotree_code
    assert _facts(back) == _facts(analysis.case, analysis.case_file)
    assert [s.id for s in back.samples] == [s.id for s in analysis.case.samples]
    assert [s.tumor_fraction for s in back.samples] == [
        s.tumor_fraction for s in analysis.case.samples
    ]


def test_every_resource_parses_and_carries_the_ig_codes() -> None:
    bundle, analysis = _exported("demo-01-luad-egfr-t790m.json")
    get_fhir_model_class("Bundle").model_validate(bundle)
    urls = {e["fullUrl"] for e in bundle["entry"]}
    for entry in bundle["entry"]:
        r = entry["resource"]
        get_fhir_model_class(r["resourceType"]).model_validate(r)
        for ref in (
            [r.get("subject", {})] + r.get("derivedFrom", []) + r.get("result", [])
        ):
            if "reference" in ref:
                assert (
                    ref["reference"] in urls
                )  # every reference resolves in the bundle
    (report,) = _resources(bundle, "DiagnosticReport")
    assert report["meta"]["profile"] == [c.PROFILE_GENOMIC_REPORT]
    assert (c.LOINC, "51969-4") in _codes(report["code"])
    assert (c.DIAGNOSTIC_SERVICE, "GE") in _codes(report["category"][0])
    pdf = base64.b64decode(report["presentedForm"][0]["data"])
    assert (
        pdf.startswith(b"%PDF")
        and report["presentedForm"][0]["contentType"] == "application/pdf"
    )
    observations = _resources(bundle, "Observation")
    results = {ref["reference"] for ref in report["result"]}
    assert len(results) == len(observations)
    variants = [o for o in observations if c.PROFILE_VARIANT in o["meta"]["profile"]]
    assert len(variants) == len(analysis.profile.alterations)
    for v in variants:
        assert (c.LOINC, "69548-6") in _codes(v["code"])
        assert {(c.OBSERVATION_CATEGORY, "laboratory")} <= set().union(
            *map(_codes, v["category"])
        )
        comps = {code for comp in v["component"] for code in _codes(comp["code"])}
        assert (c.LOINC, "48018-6") in comps
    with_origin = [v for v in variants
                   if any((c.LOINC, "48002-0") in _codes(x["code"]) for x in v["component"])]  # fmt: skip
    known = [
        a for a in analysis.profile.alterations if a.origin in ("somatic", "germline")
    ]
    assert (
        len(with_origin) == len(known) < len(variants)
    )  # an unknown origin is left unsaid
    egfr = [v for v in variants if "EGFR T790M" in v["code"]["coding"][0].get("display", "")
            or v["code"].get("text") == "EGFR T790M"]  # fmt: skip
    assert egfr and all(
        (c.HGNC, "HGNC:3236") in _codes(v["component"][0]["valueCodeableConcept"])
        for v in egfr
    )
    biomarkers = {next(iter(_codes(o["code"])))[1] for o in observations
                  if c.PROFILE_BIOMARKER in o["meta"]["profile"]}  # fmt: skip
    assert biomarkers == {"94076-7", "81695-9", "85147-7"}  # TMB, MSI, PD-L1


def test_implications_are_the_options_offered_with_evidence_and_citations() -> None:
    bundle, analysis = _exported("demo-01-luad-egfr-t790m.json")
    implications = [o for o in _resources(bundle, "Observation")
                    if c.PROFILE_THERAPEUTIC in o["meta"]["profile"]]  # fmt: skip
    assert len(implications) == len(analysis.match.options)
    assert analysis.match.not_recommended  # erlotinib after progression
    medications = []
    for obs, option in zip(implications, analysis.match.options, strict=True):
        comps = {next(iter(_codes(x["code"])))[1]: x for x in obs["component"]}
        medications.append(comps["51963-7"]["valueCodeableConcept"]["text"])
        assert comps["93044-6"]["valueCodeableConcept"]["text"].startswith(
            f"AMP/ASCO/CAP tier {option.amp_tier}"
        )
        cited = [
            x["valueRelatedArtifact"]["citation"] for x in comps["93044-6"]["extension"]
        ]
        assert cited == [e.citation for e in option.evidence]
        assert (c.LOINC, "LA6677-4") in _codes(
            comps["therapeutic-implication"]["valueCodeableConcept"]
        )
        assert obs["derivedFrom"]
    refused = {" + ".join(n.drugs) for n in analysis.match.not_recommended}
    assert not refused & set(medications)


def test_a_deidentified_export_names_no_patient() -> None:
    bundle, analysis = _exported("demo-01-luad-egfr-t790m.json", deidentified=True)
    assert not _resources(bundle, "Patient")
    assert analysis.case.patient.pseudonym not in json.dumps(bundle)
    (report,) = _resources(bundle, "DiagnosticReport")
    assert report["subject"] == {"display": "De-identified patient"}


def test_the_ig_example_bundle_imports(store: CaseStore) -> None:
    with pytest.raises(TumorTypeNeeded, match="--tumor"):
        import_case_files(store, [IG_BUNDLE], kb=KB())
    (imported,) = import_case_files(store, [IG_BUNDLE], kb=KB(), tumor="STAD")
    alts = imported.stored.case.samples[0].alterations
    assert (
        len(alts) == 11 and alts[0].gene == "PIK3CA" and alts[0].protein == "p.H1047R"
    )
    assert alts[0].vaf == pytest.approx(0.2188) and alts[0].depth == 64
    assert (
        "IRS2 p.= is not a protein change OncoBoard reads" in imported.not_imported[0]
    )
    assert imported.not_imported[1:] == ("1 Organization",)
    build_profile(imported.stored.case)  # the imported case analyses


def test_unsupported_findings_are_listed(tmp_path: Path) -> None:
    bundle, _ = _exported("demo-04-melanoma-braf.json")
    bundle = json.loads(json.dumps(bundle))
    other = {"resourceType": "Observation", "status": "final",
             "code": {"coding": [{"system": c.LOINC, "code": "1234-5", "display": "Something else"}]}}  # fmt: skip
    bundle["entry"].append({"fullUrl": "urn:uuid:1", "resource": other})
    path = tmp_path / "r.json"
    path.write_text(json.dumps(bundle))
    read = read_import_file(path)
    assert any(
        "Something else is not a supported finding" in n for n in read.not_imported
    )
    assert any("therapeutic-implication" in n for n in read.not_imported)


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda b: b.update(resourceType="Patient"), "resourceType"),
        (lambda b: b["entry"].pop(-1), "no genomics DiagnosticReport"),
        (lambda b: b["entry"][0]["resource"].update(gender=7), "entry.0.resource"),
        (lambda b: _tmb(b).pop("valueQuantity"), "valueQuantity.value"),
    ],
)
def test_bad_bundles_name_the_file_and_the_place(
    mutate, where: str, tmp_path: Path
) -> None:
    bundle = json.loads(json.dumps(_exported("demo-04-melanoma-braf.json")[0]))
    mutate(bundle)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(UserInputError) as info:
        read_import_file(path)
    assert str(path) in str(info.value) and where in str(info.value)


def _tmb(bundle: dict) -> dict:
    return next(o for o in _resources(bundle, "Observation")
                if (c.LOINC, "94076-7") in _codes(o["code"]))  # fmt: skip


def test_cli_exports_and_imports_and_exits_2_on_a_bad_bundle(tmp_path: Path) -> None:
    env_home = {"ONCOBOARD_HOME": str(tmp_path / "home")}
    out = tmp_path / "report.json"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        import os

        return subprocess.run([sys.executable, "-m", "oncoboard.cli.main", *args],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, **env_home})  # fmt: skip

    done = run(
        "fhir", "export", str(DEMO / "demo-04-melanoma-braf.json"), "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    done = run("case", "import", str(out))
    assert done.returncode == 0, done.stderr
    assert "imported DEMO-MEL-04" in done.stdout and "not imported:" in done.stdout
    out.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []})
    )
    done = run("case", "import", str(out))
    assert done.returncode == 2 and str(out) in done.stderr
