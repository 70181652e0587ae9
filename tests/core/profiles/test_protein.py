"""Protein changes: every common spelling gives one canonical label."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncoboard.core.profiles import ProteinParseError, parse_protein_change


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("L858R", "L858R", "missense"),
        ("p.L858R", "L858R", "missense"),
        ("p.Leu858Arg", "L858R", "missense"),
        ("p.(Leu858Arg)", "L858R", "missense"),
        ("(L858R)", "L858R", "missense"),
        ("l858r", "L858R", "missense"),
        ("LEU858ARG", "L858R", "missense"),
        ("ENSP00000275493.2:p.Leu858Arg", "L858R", "missense"),
        ("R1450*", "R1450*", "nonsense"),
        ("R1450X", "R1450*", "nonsense"),
        ("p.Arg1450Ter", "R1450*", "nonsense"),
        ("p.E746_A750del", "E746_A750del", "deletion"),
        ("p.Glu746_Ala750del", "E746_A750del", "deletion"),
        ("E746_A750delELREA", "E746_A750del", "deletion"),
        ("E746_A750DEL", "E746_A750del", "deletion"),
        ("E746_S752delinsV", "E746_S752delinsV", "delins"),
        ("p.Glu746_Ser752delinsVal", "E746_S752delinsV", "delins"),
        ("A767_V769dup", "A767_V769dup", "duplication"),
        ("p.D770_N771insSVD", "D770_N771insSVD", "insertion"),
        ("p.Asp770_Asn771insSerValAsp", "D770_N771insSVD", "insertion"),
        ("p.N139Qfs*5", "N139Qfs*5", "frameshift"),
        ("p.Asn139GlnfsTer5", "N139Qfs*5", "frameshift"),
        ("R248fs", "R248fs", "frameshift"),
        ("p.S406=", "S406=", "synonymous"),
        ("p.Ser406%3D", "S406=", "synonymous"),
        ("p.M1?", "M1?", "start_lost"),
        ("p.X168_splice", "X168_splice", "splice"),
        ("p.*757Lext*?", "*757Lext*?", "extension"),
        # Oncotator notation in TCGA MAFs (maftools Protein_Change)
        ("p.KIM2014fs", "K2014fs", "frameshift"),
        ("p.317_318insM", "X317_X318insM", "insertion"),
        ("p.310_311TQ>TKQNPQ", "T310_Q311delinsTKQNPQ", "delins"),
        ("p.SG123del", "S123_G124del", "deletion"),
    ],
)
def test_spellings_give_one_canonical_form(
    text: str, canonical: str, kind: str
) -> None:
    change = parse_protein_change(text)
    assert (change.canonical, change.kind) == (canonical, kind)


def test_codon_and_length_change() -> None:
    change = parse_protein_change("p.E746_A750del")
    assert (change.start, change.end, change.length_change) == (746, 750, -5)
    assert parse_protein_change("A767_V769dup").length_change == 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "V600",
        "EGFR",
        "p.?",
        "L858",
        "858R",
        "Z858R",
        "p.Leu858Xyz",
        "E750_A746del",
        "D770_N775insSVD",
        "E746_A750",
    ],
)
def test_unreadable_changes_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(ProteinParseError):
        parse_protein_change(text)


@given(st.text(max_size=40))
def test_parser_never_crashes_outside_its_error(text: str) -> None:
    try:
        change = parse_protein_change(text)
    except ProteinParseError:
        return
    # Whatever parses must re-parse to itself (the canonical form is stable).
    assert parse_protein_change(change.canonical).canonical == change.canonical


AA = st.sampled_from(list("ACDEFGHIKLMNPQRSTVWY"))


@given(AA, st.integers(1, 5000), AA)
def test_one_and_three_letter_forms_agree(ref: str, pos: int, alt: str) -> None:
    from oncoboard.core.profiles.protein import THREE_TO_ONE

    three = {v: k for k, v in THREE_TO_ONE.items()}
    one = parse_protein_change(f"{ref}{pos}{alt}")
    long = parse_protein_change(f"p.({three[ref]}{pos}{three[alt]})")
    assert one == long
