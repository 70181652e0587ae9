"""A tiny language for writing realistic test cases compactly (tests only).

``alt("EGFR L858R")`` → mutation; ``alt("ERBB2 amp")``; ``alt("CDKN2A del")``;
``alt("EML4::ALK")`` → fusion (partner EML4); ``alt("ALK fusion")`` → unknown
partner; ``alt("MET ex14")`` → exon 14 skipping; ``alt("CLDN18 expr positive")``.
"""

from __future__ import annotations

from typing import Any

from oncoboard.core.case import parse_case
from oncoboard.core.case.model import Case


def alt(text: str, vaf: float | None = None, **extra: Any) -> dict[str, Any]:
    parts = text.split()
    if "::" in parts[0]:
        partner, gene = parts[0].split("::")
        return {"gene": gene, "kind": "fusion", "partner": partner, **extra}
    gene, rest = parts[0], parts[1:]
    if rest == ["amp"]:
        return {"gene": gene, "kind": "amplification", **extra}
    if rest == ["del"]:
        return {"gene": gene, "kind": "deletion", **extra}
    if rest == ["fusion"]:
        return {"gene": gene, "kind": "fusion", **extra}
    if rest and rest[0].startswith("ex") and rest[0][2:].isdigit():
        return {
            "gene": gene,
            "kind": "exon_skipping",
            "exon": int(rest[0][2:]),
            **extra,
        }
    if rest and rest[0] == "expr":
        return {
            "gene": gene,
            "kind": "expression",
            "level": " ".join(rest[1:]),
            **extra,
        }
    out: dict[str, Any] = {
        "gene": gene,
        "kind": "mutation",
        "protein": rest[0],
        **extra,
    }
    if vaf is not None:
        out["vaf"] = vaf
    return out


def make_case(
    code: str,
    alts: list[dict[str, Any]] | tuple = (),
    *,
    plasma: list[dict[str, Any]] | None = None,
    tumor_fraction: float | None = None,
    prior: list[tuple[list[str], str]] = (),  # type: ignore[assignment]
    setting: str = "metastatic",
    germline: list[dict[str, Any]] = (),  # type: ignore[assignment]
    tested: dict[str, Any] | None = None,
    plasma_tested: dict[str, Any] | None = None,
    **biomarkers: Any,
) -> Case:
    """``tested``/``plasma_tested`` are the samples' test scopes, e.g.
    ``{"genes": ["EGFR"], "exons": {"KRAS": [2, 3, 4]}}``."""
    samples = []
    if alts is not None:
        t: dict[str, Any] = {
            "id": "T1",
            "specimen": "tissue",
            "collected": "2026-09-01",
            "alterations": list(alts),
        }
        if tested is not None:
            t["tested"] = tested
        samples.append(t)
    if plasma is not None:
        p: dict[str, Any] = {
            "id": "P1",
            "specimen": "plasma",
            "collected": "2026-10-01",
            "alterations": plasma,
        }
        if tumor_fraction is not None:
            p["tumor_fraction"] = tumor_fraction
        if plasma_tested is not None:
            p["tested"] = plasma_tested
        samples.append(p)
    data: dict[str, Any] = {
        "schema": "oncoboard.case/1",
        "case_id": "VIGNETTE",
        "patient": {"sex": "female", "age": 60, "ecog": 1},
        "tumor": {"oncotree_code": code, "setting": setting},
        "samples": samples,
        "prior_therapies": [
            {"drugs": drugs, "setting": "metastatic", "line": i + 1, "outcome": outcome}
            for i, (drugs, outcome) in enumerate(prior)
        ],
        "germline": list(germline),
    }
    if biomarkers:
        data["biomarkers"] = biomarkers
    return parse_case(data)
