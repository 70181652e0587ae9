"""Case biomarkers ``hla`` and ``psma_pet`` (issue 17: tebentafusp needs the HLA type,
lutetium-177 vipivotide tetraxetan the PSMA PET status) and the statuses they give."""

from __future__ import annotations

import json

import pytest

from oncoboard.core.case import case_to_json, parse_case
from oncoboard.core.errors import UserInputError
from oncoboard.core.matching.facts import derive_facts, hla_a0201_allele
from oncoboard.core.profiles.profile import build_profile

BASE = {"schema": "oncoboard.case/1", "case_id": "C1", "tumor": {"oncotree_code": "UM"}}


def _case(**biomarkers: object):  # type: ignore[no-untyped-def]
    return parse_case({**BASE, "biomarkers": biomarkers})


def _problems(**biomarkers: object) -> list[tuple[str, str]]:
    with pytest.raises(UserInputError) as info:
        parse_case(json.dumps({**BASE, "biomarkers": biomarkers}), source="case.json")
    return [(p.location, p.message) for p in info.value.problems]


def test_hla_alleles_are_kept_as_typed_without_the_prefix() -> None:
    case = _case(hla=["A*02:01", "HLA-A*24:02", " b*57:01:01 ", "DRB1*15:01:01:02N"])
    assert case.biomarkers.hla == [
        "A*02:01",
        "A*24:02",
        "B*57:01:01",
        "DRB1*15:01:01:02N",
    ]
    assert parse_case(case_to_json(case)) == case


@pytest.mark.parametrize(
    "bad", ["A0201", "A*2:01", "A*02:01:01:01:01", "02:01", "A*02-01", ""]
)
def test_a_bad_allele_names_the_field_and_the_expected_form(bad: str) -> None:
    problems = _problems(hla=["A*03:01", bad])
    assert len(problems) == 1
    location, message = problems[0]
    assert location == "biomarkers.hla[1]"
    assert "HLA allele" in message and "A*02:01" in message


def test_hla_must_be_a_list() -> None:
    [(location, _)] = _problems(hla="A*02:01")
    assert location == "biomarkers.hla"


def test_psma_pet_is_positive_or_negative() -> None:
    assert _case(psma_pet="positive").biomarkers.psma_pet == "positive"
    assert _case(psma_pet="negative").biomarkers.psma_pet == "negative"
    [(location, _)] = _problems(psma_pet="equivocal")
    assert location == "biomarkers.psma_pet"


@pytest.mark.parametrize(
    ("alleles", "found"),
    [
        (["A*02:01"], "A*02:01"),
        (["A*03:01", "A*02:01:01"], "A*02:01:01"),
        (["A*02:01:01:02L"], "A*02:01:01:02L"),
        (["A*02:06", "A*24:02"], None),  # another A*02 allele is not A*02:01
        (["A*02"], None),  # one-field typing does not establish A*02:01
        (["A*02:011"], None),  # A*02:011 is a different allele
        (["A*02:01N"], None),  # null allele: not expressed
        (["B*02:01"], None),
        ([], None),
        (None, None),
    ],
)
def test_hla_a0201_allele(alleles: list[str] | None, found: str | None) -> None:
    assert hla_a0201_allele(alleles) == found


def _statuses(**biomarkers: object) -> dict[str, str]:
    case = _case(**biomarkers)
    return derive_facts(case, build_profile(case)).statuses


def test_statuses_from_hla_and_psma_pet() -> None:
    assert (
        _statuses(hla=["A*02:01:01"])["HLA-A*02:01-positive"] == "HLA-A*02:01:01 typed"
    )
    assert "HLA-A*02:01-positive" not in _statuses(hla=["A*03:01", "A*02:06"])
    assert "HLA-A*02:01-positive" not in _statuses()
    assert (
        _statuses(psma_pet="positive")["PSMA-positive"] == "PSMA PET positive recorded"
    )
    assert "PSMA-positive" not in _statuses(psma_pet="negative")
    assert "PSMA-positive" not in _statuses()
