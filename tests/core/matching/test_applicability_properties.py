"""Properties of applicability over every vignette and generated prior-therapy histories.

1. No drug set in ``options`` equals a regimen the patient progressed on.
2. A regimen holding a drug with resistance evidence in the profile (a
   resistance option of this tumor type whose drugs it contains) is never a
   ``fits`` option, unless a curated entry says it works despite that marker:
   a curated sensitive entry for the same marker, or the resistance entry's own
   ``except_with`` partner (a BRAF inhibitor with anti-EGFR in BRAF V600E CRC).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoboard.core.case.model import Case, PriorTherapy
from oncoboard.core.pipeline import analyse_case, open_kb


def _sibling(name: str):
    """Load a sibling test module (pytest's importlib mode keeps them off sys.path)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        f"_vignettes_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VIGNETTES = _sibling("test_vignettes").VIGNETTES
RELAPSED = _sibling("test_relapsed_vignettes").RELAPSED

KB = open_kb()
CASES = {v.id: v.case for v in VIGNETTES + RELAPSED}
ENTRY_ID = re.compile(r"KB entry (\S+) ")


def _baseline_regimens(case: Case) -> list[tuple[str, ...]]:
    """Regimens this case is offered or refused: the history generator draws from them."""
    m = analyse_case(case, kb=KB).match
    found = [tuple(o.drugs) for o in m.options] + [
        tuple(n.drugs) for n in m.not_recommended
    ]
    return sorted(set(found)) or [("carboplatin", "pemetrexed")]


REGIMENS = {k: _baseline_regimens(c) for k, c in CASES.items()}


def _with_history(case: Case, history: list[tuple[tuple[str, ...], str]]) -> Case:
    prior = [
        PriorTherapy(
            drugs=list(drugs), setting="metastatic", line=i + 1, outcome=outcome
        )
        for i, (drugs, outcome) in enumerate(history)
    ]
    return case.model_copy(update={"prior_therapies": prior})


def _lifted(resistance_option, option) -> bool:
    """The resistance option's curated entry names a partner of ``option`` as its exception."""
    classes = {c for d in option.drugs for c in KB.drug_classes(d)} | set(option.drugs)
    for line in resistance_option.explanation[:1]:
        found = ENTRY_ID.search(line)
        if found and set(KB.entry(found.group(1)).except_with) & classes:
            return True
    return False


def _curated_for_marker(option, labels: set[str]) -> bool:
    curated = any(e.source.startswith("OncoBoard curated") for e in option.evidence)
    return curated and bool(labels & set(option.matched))


def check_properties(case: Case) -> None:
    m = analyse_case(case, kb=KB).match
    progressed = {
        frozenset(t.drugs) for t in case.prior_therapies if t.outcome == "progression"
    }
    for option in m.options:
        assert frozenset(option.drugs) not in progressed, (
            f"offered a regimen progressed on: {option.drugs}"
        )
    for option in m.options:
        if option.applicability != "fits":
            continue
        for res in m.resistance:
            if res.tumor_match == "other" or not set(res.drugs) <= set(option.drugs):
                continue
            assert _curated_for_marker(option, set(res.matched)) or _lifted(
                res, option
            ), (
                f"{option.drugs} fits despite resistance evidence {res.drugs} ({res.matched})"
            )


@pytest.mark.parametrize("vid", sorted(CASES))
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_no_progressed_regimen_offered_and_no_resisted_drug_fits(
    vid: str, data
) -> None:
    regimens = REGIMENS[vid]
    history = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(regimens),
                st.sampled_from(["progression", "response", "intolerance"]),
            ),
            max_size=3,
        )
    )
    check_properties(_with_history(CASES[vid], history))
