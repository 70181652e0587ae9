"""Relapsed patients get the later-line indication as an option that fits.

After progression on an ALK (or ROS1) inhibitor the next drug of the class is
only "conditional" unless a curated later-line entry names the prior therapy
in ``setting.after`` (knowledgebase/curated/nsclc_other.yaml: lorlatinib after
an ALK TKI, FDA 2018-11-02, Solomon et al. Lancet Oncol 2018 PMID 30413378;
alectinib after crizotinib, FDA 2015-12-11; brigatinib after crizotinib, FDA
2017-04-28, ALTA PMID 28475456; ceritinib after crizotinib, FDA 2014-04-29;
taletrectinib after a ROS1 TKI, FDA 2025-06-11, TRUST-I/II).
"""

from __future__ import annotations

import pytest

from oncoboard.core.pipeline import analyse_case, open_kb
from vignette_dsl import alt, make_case


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return open_kb()


def _options(case, kb):  # type: ignore[no-untyped-def]
    match = analyse_case(case, kb=kb).match
    options = {tuple(sorted(o.drugs)): o for o in match.options}
    blocked = {tuple(sorted(n.drugs)): n.reason for n in match.not_recommended}
    return options, blocked


def _fits(options, drug: str) -> None:  # type: ignore[no-untyped-def]
    option = options.get((drug,))
    assert option is not None, f"{drug} not offered: {sorted(options)}"
    assert option.applicability == "fits", (drug, option.conditions)
    assert option.amp_tier == "IA"


@pytest.mark.parametrize("prior", ["alectinib", "brigatinib", "ceritinib"])
def test_lorlatinib_fits_after_a_second_generation_alk_tki(kb, prior: str) -> None:  # type: ignore[no-untyped-def]
    options, blocked = _options(
        make_case("LUAD", [alt("EML4::ALK")], prior=[([prior], "progression")]), kb
    )
    _fits(options, "lorlatinib")
    assert options[("lorlatinib",)].rank == 1
    assert blocked.get((prior,)) == "progressed_on"


def test_lorlatinib_fits_after_crizotinib_and_alectinib(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        "LUAD",
        [alt("EML4::ALK")],
        prior=[(["crizotinib"], "progression"), (["alectinib"], "progression")],
    )
    options, blocked = _options(case, kb)
    _fits(options, "lorlatinib")
    assert blocked.get(("crizotinib",)) == "progressed_on"
    assert blocked.get(("alectinib",)) == "progressed_on"


@pytest.mark.parametrize("drug", ["alectinib", "brigatinib", "ceritinib", "lorlatinib"])
def test_next_alk_tki_fits_after_crizotinib(kb, drug: str) -> None:  # type: ignore[no-untyped-def]
    options, blocked = _options(
        make_case("LUAD", [alt("EML4::ALK")], prior=[(["crizotinib"], "progression")]),
        kb,
    )
    _fits(options, drug)
    assert blocked.get(("crizotinib",)) == "progressed_on"


def test_second_generation_tki_after_alectinib_stays_conditional(kb) -> None:  # type: ignore[no-untyped-def]
    """No label covers brigatinib after alectinib: same class, benefit not established."""
    options, _ = _options(
        make_case("LUAD", [alt("EML4::ALK")], prior=[(["alectinib"], "progression")]),
        kb,
    )
    brigatinib = options[("brigatinib",)]
    assert brigatinib.applicability == "conditional"
    assert "progressed_on_same_class" in {c.code for c in brigatinib.conditions}


def test_later_line_entries_do_not_displace_first_line_for_untreated(kb) -> None:  # type: ignore[no-untyped-def]
    options, _ = _options(make_case("LUAD", [alt("EML4::ALK")]), kb)
    for drug in ("alectinib", "brigatinib", "lorlatinib"):
        _fits(options, drug)


@pytest.mark.parametrize("prior", ["crizotinib", "entrectinib"])
def test_ros1_next_generation_tki_fits_after_a_ros1_tki(kb, prior: str) -> None:  # type: ignore[no-untyped-def]
    options, blocked = _options(
        make_case("LUAD", [alt("CD74::ROS1")], prior=[([prior], "progression")]), kb
    )
    _fits(options, "taletrectinib")
    if prior == "crizotinib":
        # After entrectinib, repotrectinib is still "conditional": both drugs are also
        # TRK inhibitors and that class is not in the entry's ``after`` (matcher open item).
        _fits(options, "repotrectinib")
    assert blocked.get((prior,)) == "progressed_on"


def test_entrectinib_after_crizotinib_is_conditional(kb) -> None:  # type: ignore[no-untyped-def]
    options, _ = _options(
        make_case("LUAD", [alt("CD74::ROS1")], prior=[(["crizotinib"], "progression")]),
        kb,
    )
    entrectinib = options[("entrectinib",)]
    assert entrectinib.applicability == "conditional"
    assert "progressed_on_same_class" in {c.code for c in entrectinib.conditions}
