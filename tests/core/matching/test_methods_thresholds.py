"""The report's methods print every threshold the analysis used, with its source (issue 20)."""

from __future__ import annotations

from oncoboard.core.pipeline import analyse_case, methods_lines, open_kb
from oncoboard.core.profiles.reference import thresholds
from vignette_dsl import alt, make_case


def test_every_status_and_profile_threshold_is_printed_with_its_source() -> None:
    lines = methods_lines(
        analyse_case(make_case("LUAD", [alt("EGFR L858R")]), kb=open_kb())
    )
    assert "KEYNOTE-158" in lines["Threshold TMB-H"]
    for name, ref in thresholds().items():
        line = lines[f"Threshold {name.replace('_', ' ')}"]
        assert f"{ref.value:g} {ref.unit}" in line and "source:" in line


def test_negative_inference_uses_the_sourced_tumor_fraction_cut_off(
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    from oncoboard.core.matching import facts

    case = make_case(
        "COADREAD",
        None,
        plasma=[],
        tumor_fraction=0.02,
        plasma_tested={"exons": {"KRAS": [2, 3, 4], "NRAS": [2, 3, 4]}},
    )
    assert [s.id for s in facts.informative_samples(case)] == ["P1"]
    monkeypatch.setattr(facts, "reference_threshold", lambda name: 0.05)
    assert facts.informative_samples(case) == []
