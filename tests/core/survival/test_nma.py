"""The NMA module reproduces published netmeta printouts and a Bucher table.

Reference: ``../shared/data/nma/expected.json`` (every number read from a
printout; its README says where from). Each in-scope number is compared at
its printed precision: |ours - printed| <= 0.5 x 10^-digits. Ratios (OR) are
compared on the printed, natural scale. "< 0.0001" means p < 0.0001.
Out of scope, and so not tested (the README marks them): netcomb (component
NMA), netmetabin (Mantel-Haenszel), R-simulated rankograms/SUCRA and the
incomplete oncology lead.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from oncoboard.core.survival.nma import (
    NetworkMetaAnalysis,
    bucher,
    netmeta,
    se_from_ci,
)

from . import _nma_data as data

SENN = "senn2013_random_md_ref_plac"
STOWE = "stowe2010_random_md_ref_placebo"
BAKER = "baker2009_random_or_ref_placebo"
DOGLIOTTI = "dogliotti2014_common_or_ref_placebo"
BUCHER = "bucher_dms2014_table3"

# Keys of each analysis in expected.json: descriptive, tested, or out of scope.
# A key in none of these fails test_every_reference_key_is_accounted_for.
META_KEYS = {
    "id",
    "input_file",
    "derived_contrast_file",
    "source",
    "calls",
    "model",
    "notes",
    "printed_digits",
    "method",
    "excluded",
}
TESTED_KEYS = {
    SENN: {
        "network",
        "vs_reference",
        "heterogeneity",
        "Q",
        "Q_within_by_design",
        "Q_between_after_detaching_design",
        "Q_design_by_treatment_interaction_random",
        "pscores_random",
        "other_contrasts_random",
        "input_as_printed_with_multiarm_adjusted_se",
    },
    STOWE: {
        "network",
        "pairwise_rows_printed",
        "input_with_multiarm_adjusted_se_printed",
        "vs_reference",
        "other_contrasts_random",
        "heterogeneity",
        "Q",
        "Q_within_by_design",
        "Q_between_after_detaching_design",
        "Q_design_by_treatment_interaction_random",
        "pscores_random",
        "league_table_random",
        "netsplit_random_back_calculation",
    },
    BAKER: {"network", "vs_reference", "heterogeneity", "Q", "pscores_random"},
    DOGLIOTTI: {"pairwise_rows_printed", "vs_reference_common_inverse_variance"},
    BUCHER: {"bucher_indirect"},
}
OUT_OF_SCOPE_KEYS = {
    STOWE: {"simulation_only_not_for_exact_tests"},
    BAKER: {"out_of_scope_component_nma"},
    DOGLIOTTI: {"out_of_scope_mantel_haenszel_netmetabin"},
    BUCHER: {"informational_bayesian_nma_same_table"},
}


# --- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Any]]:
    return data.expected()


@pytest.fixture(scope="module")
def senn() -> NetworkMetaAnalysis:
    return netmeta(data.contrasts_from_csv("senn2013.csv"))


@pytest.fixture(scope="module")
def stowe() -> NetworkMetaAnalysis:
    return netmeta([p.contrast() for p in data.stowe_pairs()])


@pytest.fixture(scope="module")
def baker() -> NetworkMetaAnalysis:
    return netmeta([p.contrast() for p in data.baker_pairs() if p.te is not None])


@pytest.fixture(scope="module")
def dogliotti() -> NetworkMetaAnalysis:
    return netmeta([p.contrast() for p in data.dogliotti_pairs() if p.te is not None])


@pytest.fixture(scope="module")
def fits(senn, stowe, baker) -> dict[str, NetworkMetaAnalysis]:
    return {SENN: senn, STOWE: stowe, BAKER: baker}


# --- comparing with a printout ---------------------------------------------------


def close(ours: float, printed: float, digits: int) -> bool:
    # The 1e-9 only absorbs binary representation of the printed decimal.
    return abs(ours - printed) <= 0.5 * 10.0**-digits + 1e-9


def check(ours: float, printed: float, digits: int, what: str) -> None:
    assert close(ours, printed, digits), f"{what}: ours {ours!r}, printed {printed!r}"


def check_p(ours: float, printed: float | str | None, what: str) -> None:
    if printed is None:
        assert math.isnan(ours), f"{what}: printed '.', ours {ours!r}"
    elif printed == "< 0.0001":
        assert ours < 0.0001, f"{what}: ours {ours!r}, printed < 0.0001"
    else:
        assert isinstance(printed, float | int)
        check(ours, float(printed), 4, what)


def decimals(x: float) -> int:
    """Decimals of a printed number as stored in the JSON (shortest repr)."""
    text = repr(float(x))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def design_key(label: str) -> frozenset[str]:
    return frozenset(label.split(":"))


def design_of(label: str) -> str:
    """Our label (sorted treatments) for a printed design label (any order)."""
    return ":".join(sorted(label.split(":"), key=lambda s: (s.casefold(), s)))


def reference_of(nma: NetworkMetaAnalysis) -> str:
    (ref,) = [t for t in nma.treatments if t.casefold().startswith("plac")]
    return ref


# --- the reference file itself ------------------------------------------------------


def test_shared_reference_data_is_present() -> None:
    # Fails (never skips) when ../shared/data/nma is missing.
    folder = data.nma_dir()
    for name in (
        "senn2013.csv",
        "stowe2010.csv",
        "baker2009.csv",
        "dogliotti2014.csv",
        "bucher_dms2014_inputs.csv",
    ):
        assert (folder / name).is_file(), name


def test_every_reference_key_is_accounted_for(expected) -> None:
    assert set(expected) == set(TESTED_KEYS)
    for aid, analysis in expected.items():
        keys = set(analysis) - META_KEYS
        known = TESTED_KEYS[aid] | OUT_OF_SCOPE_KEYS.get(aid, set())
        assert keys == known, f"{aid}: untested {keys - known}, missing {known - keys}"


# --- contrasts from the arm-level data (netmeta's pairwise()) ---------------------


@pytest.mark.parametrize(
    ("make", "derived"),
    [
        (data.stowe_pairs, "stowe2010_pairwise_derived.csv"),
        (data.baker_pairs, "baker2009_pairwise_derived.csv"),
        (data.dogliotti_pairs, "dogliotti2014_pairwise_derived.csv"),
    ],
)
def test_arm_level_data_give_the_derived_contrasts(make, derived) -> None:
    ours, rows = make(), data.read_csv(derived)
    assert len(ours) == len(rows)
    for p, r in zip(ours, rows, strict=True):
        assert (p.study, p.treat1, p.treat2) == (r["studlab"], r["treat1"], r["treat2"])
        if r.get("included", "1") == "0":
            assert p.te is None and r["TE"] == ""
        else:
            assert p.te == pytest.approx(float(r["TE"]), abs=1e-8)
            assert p.se == pytest.approx(float(r["seTE"]), abs=1e-8)


@pytest.mark.parametrize(
    ("aid", "make"), [(STOWE, data.stowe_pairs), (DOGLIOTTI, data.dogliotti_pairs)]
)
def test_printed_pairwise_rows(expected, aid, make) -> None:
    ours = {(p.study, p.treat1, p.treat2): p for p in make()}
    for row in expected[aid]["pairwise_rows_printed"]:
        p = ours[(row["studlab"], row["treat1"], row["treat2"])]
        check(p.te, row["TE"], decimals(row["TE"]), f"{row['studlab']} TE")
        check(p.se, row["seTE"], decimals(row["seTE"]), f"{row['studlab']} seTE")


@pytest.mark.parametrize(
    ("aid", "make"), [(BAKER, data.baker_pairs), (DOGLIOTTI, data.dogliotti_pairs)]
)
def test_not_estimable_studies_are_the_ones_netmeta_dropped(
    expected, aid, make
) -> None:
    dropped = {p.study for p in make() if p.te is None}
    # e.g. "WASPO, 2007: zero events in both arms ..."
    printed = {text.split(":")[0] for text in expected[aid]["excluded"]}
    assert dropped == printed


# --- network size ------------------------------------------------------------------


@pytest.mark.parametrize("aid", [SENN, STOWE, BAKER])
def test_network_size(expected, fits, aid) -> None:
    nma, printed = fits[aid], expected[aid]["network"]
    assert (nma.k, nma.m, nma.n, nma.d) == (
        printed["k"],
        printed["m"],
        printed["n"],
        printed["d"],
    )
    if "o" in printed:
        make = {STOWE: data.stowe_pairs, BAKER: data.baker_pairs}[aid]
        assert data.observations(make()) == printed["o"]


# --- estimates vs the reference treatment --------------------------------------------


@pytest.mark.parametrize("aid", [SENN, STOWE, BAKER])
def test_random_effects_vs_placebo(expected, fits, aid) -> None:
    nma, analysis = fits[aid], expected[aid]
    digits = analysis["printed_digits"]
    ref = reference_of(nma)
    ratio = "OR" in digits
    for row in analysis["vs_reference"]:
        est = nma.random.estimate(row["treatment"], ref)
        what = f"{aid} {row['treatment']}"
        if ratio:
            value, lower, upper = est.ratio()
            check(value, row["OR"], digits["OR"], what)
        else:
            value, lower, upper = est.te, est.lower, est.upper
            check(value, row["MD"], digits["MD"], what)
        check(lower, row["lower"], digits["CI"], what + " lower")
        check(upper, row["upper"], digits["CI"], what + " upper")
        check(est.z, row["z"], digits["z"], what + " z")
        check_p(est.p, row["p"], what + " p")


def test_dogliotti_common_effects_odds_ratios(expected, dogliotti) -> None:
    analysis = expected[DOGLIOTTI]
    digits = analysis["printed_digits"]
    for row in analysis["vs_reference_common_inverse_variance"]:
        value, lower, upper = dogliotti.common.estimate(
            row["treatment"], "Placebo/Control"
        ).ratio()
        check(value, row["OR"], digits["OR"], row["treatment"])
        check(lower, row["lower"], digits["CI"], row["treatment"] + " lower")
        check(upper, row["upper"], digits["CI"], row["treatment"] + " upper")


def test_senn_other_contrasts(expected, senn) -> None:
    digits = expected[SENN]["printed_digits"]
    for row in expected[SENN]["other_contrasts_random"]:
        est = senn.random.estimate(row["treat1"], row["treat2"])
        what = f"{row['treat1']} vs {row['treat2']}"
        check(est.te, row["MD"], digits["MD"], what)
        check(est.lower, row["lower"], digits["CI"], what + " lower")
        check(est.upper, row["upper"], digits["CI"], what + " upper")


def test_stowe_other_contrasts(expected, stowe) -> None:
    digits = expected[STOWE]["printed_digits"]
    for row in expected[STOWE]["other_contrasts_random"]:
        est = stowe.random.estimate(row["treatment"], row["versus"])
        what = f"{row['treatment']} vs {row['versus']}"
        check(est.te, row["MD"], digits["MD"], what)
        check(est.lower, row["lower"], digits["CI"], what + " lower")
        check(est.upper, row["upper"], digits["CI"], what + " upper")


# --- multi-arm adjusted standard errors -----------------------------------------------


def test_senn_input_rows_and_multiarm_adjusted_se(expected, senn) -> None:
    digits = expected[SENN]["printed_digits"]["MD"]
    ours = {(a.study, a.treat1, a.treat2): a for a in senn.adjusted_contrasts()}
    printed = expected[SENN]["input_as_printed_with_multiarm_adjusted_se"]
    assert len(printed) == len(ours)
    for row in printed:
        # The key includes netmeta's orientation (treat1 sorts first).
        a = ours[(row["studlab"], row["treat1"], row["treat2"])]
        what = f"{row['studlab']} {row['treat1']}:{row['treat2']}"
        check(a.te, row["TE"], digits, what)
        check(a.se, row["seTE"], digits, what + " seTE")
        check(a.se_adj_random, row["seTE_adj_random"], digits, what + " seTE.adj")
        assert a.narms == row["narms"], what


def test_stowe_multiarm_adjusted_se(expected, stowe) -> None:
    # Printed with nchar.trts = 4 (abbreviated names), TE 2 and SE 3 decimals.
    def full(abbrev: str) -> str:
        (name,) = [t for t in stowe.treatments if t.startswith(abbrev)]
        return name

    ours = {(a.study, a.treat1, a.treat2): a for a in stowe.adjusted_contrasts()}
    for row in expected[STOWE]["input_with_multiarm_adjusted_se_printed"]:
        a = ours[(row["studlab"], full(row["treat1"]), full(row["treat2"]))]
        what = f"{row['studlab']} {row['treat1']}:{row['treat2']}"
        check(a.te, row["TE"], 2, what)
        check(a.se, row["seTE"], 3, what + " seTE")
        check(a.se_adj_random, row["seTE_adj_random"], 3, what + " seTE.adj")


# --- heterogeneity and Q ---------------------------------------------------------------


@pytest.mark.parametrize("aid", [SENN, STOWE, BAKER])
def test_heterogeneity(expected, fits, aid) -> None:
    nma, printed = fits[aid], expected[aid]["heterogeneity"]
    digits = expected[aid]["printed_digits"]
    check(nma.tau2, printed["tau2"], digits["tau2"], "tau2")
    check(nma.tau, printed["tau"], 4, "tau")
    check(100 * nma.i2, printed["I2_pct"], digits["I2_pct"], "I2")
    check(100 * nma.i2_lower, printed["I2_lower_pct"], digits["I2_pct"], "I2 lower")
    check(100 * nma.i2_upper, printed["I2_upper_pct"], digits["I2_pct"], "I2 upper")


@pytest.mark.parametrize("aid", [SENN, STOWE, BAKER])
def test_q_total_within_between(expected, fits, aid) -> None:
    nma, printed = fits[aid], expected[aid]["Q"]
    digits = expected[aid]["printed_digits"]["Q"]
    check(nma.q, printed["total"]["Q"], digits, "Q")
    assert nma.df == printed["total"]["df"]
    check_p(nma.pval_q, printed["total"]["p"], "Q p")
    dec = nma.decomposition()
    for name, ours in (
        ("total", dec.total),
        ("within_designs", dec.within),
        ("between_designs", dec.between),
    ):
        check(ours.q, printed[name]["Q"], digits, name)
        assert ours.df == printed[name]["df"], name
        check_p(ours.p, printed[name]["p"], name + " p")


@pytest.mark.parametrize("aid", [SENN, STOWE])
def test_q_within_each_design(expected, fits, aid) -> None:
    digits = expected[aid]["printed_digits"]["Q"]
    ours = {design_key(d.design): d for d in fits[aid].decomposition().by_design}
    printed = expected[aid]["Q_within_by_design"]
    # netmeta prints the designs with more than one study, as we list them.
    assert set(ours) == {design_key(r["design"]) for r in printed}
    for row in printed:
        d = ours[design_key(row["design"])]
        check(d.q, row["Q"], digits, row["design"])
        assert d.df == row["df"], row["design"]
        check_p(d.p, row["p"], row["design"] + " p")


@pytest.mark.parametrize("aid", [SENN, STOWE])
def test_q_between_after_detaching_each_design(expected, fits, aid) -> None:
    digits = expected[aid]["printed_digits"]["Q"]
    ours = {design_key(d.design): d for d in fits[aid].decomposition().detached}
    printed = expected[aid]["Q_between_after_detaching_design"]
    # The same designs: those whose removal leaves every treatment connected.
    assert set(ours) == {design_key(r["detached_design"]) for r in printed}
    for row in printed:
        d = ours[design_key(row["detached_design"])]
        check(d.q, row["Q"], digits, row["detached_design"])
        assert d.df == row["df"], row["detached_design"]
        check_p(d.p, row["p"], row["detached_design"] + " p")


@pytest.mark.parametrize("aid", [SENN, STOWE])
def test_design_by_treatment_interaction_random(expected, fits, aid) -> None:
    printed = expected[aid]["Q_design_by_treatment_interaction_random"]
    dec = fits[aid].decomposition()
    check(dec.between_random.q, printed["Q"], 2, "Q")
    assert dec.between_random.df == printed["df"]
    check_p(dec.between_random.p, printed["p"], "p")
    check(dec.tau_within, printed["tau_within"], 4, "tau.within")
    check(dec.tau2_within, printed["tau2_within"], 4, "tau2.within")


# --- ranking -----------------------------------------------------------------------------


@pytest.mark.parametrize("aid", [SENN, STOWE, BAKER])
def test_pscores(expected, fits, aid) -> None:
    ours = fits[aid].random.pscores(small_values="good")
    printed = expected[aid]["pscores_random"]
    assert set(ours) == set(printed)
    for t, value in printed.items():
        check(ours[t], value, expected[aid]["printed_digits"]["pscore"], t)
    # Same order as printed (printout is sorted by P-score).
    assert sorted(ours, key=ours.__getitem__, reverse=True) == list(printed)


def test_stowe_league_table(expected, stowe) -> None:
    table = expected[STOWE]["league_table_random"]
    order = table["order"]
    for i, j in itertools.product(range(len(order)), repeat=2):
        cell = table["rows"][i][j]
        row_t, col_t = order[i], order[j]
        if i == j:
            assert cell == row_t
        elif i > j:  # network estimate of the column treatment vs the row treatment
            check(
                stowe.random.estimate(col_t, row_t).te, cell, 2, f"{col_t} vs {row_t}"
            )
        else:  # direct estimate of the row treatment vs the column treatment
            direct = stowe.direct(row_t, col_t, "random")
            if cell is None:
                assert direct is None, f"{row_t} vs {col_t}"
            else:
                assert direct is not None
                check(direct.te, cell, 2, f"direct {row_t} vs {col_t}")


def test_stowe_netsplit(expected, stowe) -> None:
    ours = {(s.treat1, s.treat2): s for s in stowe.netsplit("random")}
    printed = expected[STOWE]["netsplit_random_back_calculation"]
    assert set(ours) == {tuple(r["comparison"].split(":")) for r in printed}
    for row in printed:
        s = ours[tuple(row["comparison"].split(":"))]
        what = row["comparison"]
        assert s.k == row["k"], what
        check(s.prop, row["prop"], 2, what + " prop")
        check(s.nma.te, row["nma"], 2, what + " nma")
        for name, est in (
            ("direct", s.direct),
            ("indirect", s.indirect),
            ("diff", s.diff),
        ):
            if row[name] is None:
                assert est is None, f"{what} {name}"
            else:
                assert est is not None, f"{what} {name}"
                check(est.te, row[name], 2, f"{what} {name}")
        if row["z"] is None:
            assert s.diff is None
        else:
            assert s.diff is not None
            check(s.diff.z, row["z"], 2, what + " z")
            check_p(s.diff.p, row["p"], what + " p")


# --- Bucher ------------------------------------------------------------------------------


def _bucher_inputs() -> dict[tuple[str, str], dict[str, str]]:
    return {
        (r["outcome"], r["treatment"]): r
        for r in data.read_csv("bucher_dms2014_inputs.csv")
    }


def _bucher(outcome: str, a: dict[str, float], b: dict[str, float], ratio: bool):
    f = math.log if ratio else (lambda x: x)
    est = bucher(
        f(a["estimate"]),
        se_from_ci(f(a["lower"]), f(a["upper"])),
        f(b["estimate"]),
        se_from_ci(f(b["lower"]), f(b["upper"])),
    )
    return est.ratio() if ratio else (est.te, est.lower, est.upper)


def test_bucher_table(expected) -> None:
    """The inputs are printed to 2 decimals, so the published (unrounded)
    computation is reproduced by bounding: each input may be anywhere within
    +/-0.005 of its printed value, and the result is monotone in every input,
    so its range is spanned by the 2^6 corners. The printed value must lie in
    that range (widened by its own rounding). See also the data README."""
    inputs = _bucher_inputs()
    for row in expected[BUCHER]["bucher_indirect"]:
        ratio = row["scale"] == "OR"
        first, second = row["comparison"].split(" v ")
        ra, rb = inputs[(row["outcome"], first)], inputs[(row["outcome"], second)]
        printed = (row["estimate"], row["lower"], row["upper"])
        keys = ("estimate", "lower95", "upper95")
        corners = []
        for signs in itertools.product((-0.005, 0.005), repeat=6):
            a = {
                k: float(ra[c]) + s
                for k, c, s in zip(
                    ("estimate", "lower", "upper"), keys, signs[:3], strict=True
                )
            }
            b = {
                k: float(rb[c]) + s
                for k, c, s in zip(
                    ("estimate", "lower", "upper"), keys, signs[3:], strict=True
                )
            }
            corners.append(_bucher(row["outcome"], a, b, ratio))
        for i, name in enumerate(("estimate", "lower", "upper")):
            lo = min(c[i] for c in corners) - 0.005
            hi = max(c[i] for c in corners) + 0.005
            assert lo <= printed[i] <= hi, (
                f"{row['outcome']} {row['comparison']} {name}"
            )
        # And from the printed inputs directly, within the README's +/-0.01
        # (+/-0.02 for the upper OR limits).
        plain = _bucher(
            row["outcome"],
            {
                k: float(ra[c])
                for k, c in zip(("estimate", "lower", "upper"), keys, strict=True)
            },
            {
                k: float(rb[c])
                for k, c in zip(("estimate", "lower", "upper"), keys, strict=True)
            },
            ratio,
        )
        for i, tol in enumerate((0.01, 0.01, 0.02 if ratio else 0.01)):
            assert abs(round(plain[i], 2) - printed[i]) <= tol + 1e-9, row
