"""The rule-based extractor on real records: hand-labelled inclusion biomarkers, each with
the sentence a careful reader finds (issue 18, "Data and quality")."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.trials.extract import extract
from oncoboard.core.trials.model import Criterion
from oncoboard.core.trials.sources import read_source

# nct_id -> the required biomarkers (gene, alteration) and a phrase of the sentence.
LABELS: dict[str, list[tuple[str, str, str]]] = {
    "NCT06119581": [("KRAS", "G12C", "evidence of KRAS G12C mutation")],
    "NCT05048797": [
        (
            "ERBB2",
            "exon 19 mutation/exon 20 mutation",
            "HER2 mutation in exons 19 or 20",
        )
    ],
    "NCT06331169": [("HER2", "low", "low HER2 expression")],
    "NCT05110196": [("MET", "exon 14 skipping", "MET")],
    "NCT06380751": [
        ("BRCA1/BRCA2/PALB2", "mutation", "BRCA1, BRCA2, or PALB2"),
        ("HR", "positive", "HR-positive"),
        ("HER2", "negative", "HER2-negative"),
    ],
    "NCT06346392": [("CLDN18.2", "positive", "positive CLDN18.2 expression")],
    "NCT06120491": [("HRR", "mutation", "HRRm")],
    "NCT05236946": [("EGFR/ALK", "mutation", "oncogene mutation status (EGFR/ALK)")],
    "NCT05170204": [
        ("ALK", "fusion", "Documented ALK fusion"),
        ("ROS1", "fusion", "Documented ROS1 fusion"),
    ],
    "NCT06194448": [("EGFR", "sensitizing", "common EGFR mutation")],
}
EXCLUDED: dict[str, list[tuple[str, str]]] = {
    "NCT06119581": [
        ("EGFR", "mutation"),
        ("ROS1", "fusion"),
        ("MET", "exon 14 skipping"),
    ],
    "NCT05048797": [("EGFR", "mutation")],
    "NCT05110196": [
        ("EGFR", "mutation"),
        ("ALK", "fusion"),
    ],  # "EGFR wild-type and ALK rearrangement negative"
    "NCT06346392": [("HER2", "positive")],
}
PRIOR_EXCLUDED: dict[str, list[str]] = {
    "NCT05170204": ["alk_tki", "ros1_tki"],
    "NCT05110196": ["met_tki"],
    "NCT06194448": ["egfr_tki"],
}


def _criteria(trials_dir: Path, nct: str) -> tuple[Criterion, ...]:
    return extract(read_source(trials_dir / f"{nct}.json").records[0])


@pytest.mark.parametrize("nct", sorted(LABELS))
def test_inclusion_biomarkers_with_their_sentence(trials_dir: Path, nct: str) -> None:
    found = _criteria(trials_dir, nct)
    for gene, alteration, phrase in LABELS[nct]:
        hits = [
            c
            for c in found
            if c.kind == "biomarker"
            and c.effect == "required"
            and (c.gene, c.alteration) == (gene, alteration)
        ]
        assert hits, (
            f"{nct}: {gene} {alteration} not found in {[(c.gene, c.alteration) for c in found]}"
        )
        assert phrase.lower() in hits[0].sentence.lower()
        assert hits[0].status == "auto"


@pytest.mark.parametrize("nct", sorted(EXCLUDED))
def test_exclusions_and_negations(trials_dir: Path, nct: str) -> None:
    found = {
        (c.gene, c.alteration)
        for c in _criteria(trials_dir, nct)
        if c.kind == "biomarker" and c.effect == "excluded"
    }
    for pair in EXCLUDED[nct]:
        assert pair in found, f"{nct}: {pair} not excluded ({sorted(found)})"


@pytest.mark.parametrize("nct", sorted(PRIOR_EXCLUDED))
def test_excluded_prior_therapy(trials_dir: Path, nct: str) -> None:
    found = {
        c.gene
        for c in _criteria(trials_dir, nct)
        if c.kind == "prior_therapy" and c.effect == "excluded"
    }
    assert set(PRIOR_EXCLUDED[nct]) <= found


def test_a_drug_class_is_not_read_as_a_biomarker(trials_dir: Path) -> None:
    """'Prior exposure to EGFR-TKI therapy' is a prior therapy, not an EGFR biomarker."""
    found = _criteria(trials_dir, "NCT06194448")
    exclusion = [c for c in found if c.section == "exclusion"]
    assert not [c for c in exclusion if c.kind == "biomarker" and c.gene == "EGFR"]


def test_stratification_is_not_a_requirement(trials_dir: Path) -> None:
    """'ESR1m versus ESR1nmd' in NCT06065748 stratifies; PD-L1 'regardless' in a title."""
    found = _criteria(trials_dir, "NCT06065748")
    assert not [c for c in found if c.gene == "ESR1" and c.section == "inclusion"]
    sunray = _criteria(trials_dir, "NCT06119581")
    assert not [c for c in sunray if c.gene == "PD-L1" and c.section == "title"]


def test_negative_controls_have_no_inclusion_biomarker(trials_dir: Path) -> None:
    for nct in ("NCT00003454", "NCT03256916", "NCT04073706"):
        found = [
            c
            for c in _criteria(trials_dir, nct)
            if c.kind == "biomarker" and c.effect == "required"
        ]
        assert found == [], nct


def test_ecog_range(trials_dir: Path) -> None:
    (ecog,) = [c for c in _criteria(trials_dir, "NCT04603807") if c.kind == "ecog"]
    assert ecog.alteration == "2"
