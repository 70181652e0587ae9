"""Time to progression (TTP) is its own endpoint and is never ranked against PFS (issue 17).

TTP censors deaths without progression, PFS counts them as events, so a TTP
median or curve is not a PFS one.  The survival build fits only the endpoints
the predictions may use (PFS, OS and the adjuvant ones), the prediction picks
PFS or OS only, and the match output's ``Predicted.endpoint`` is PFS or OS:
a TTP outcome therefore never becomes a PFS prediction and never enters the
PFS-based ranking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest

from oncoboard.core.kb.schema import Entry
from oncoboard.core.matching.result import Predicted
from oncoboard.core.survival.build import TIME_TO_EVENT_ENDPOINTS, fit_kb_outcomes
from oncoboard.core.survival.predict import PREDICTED_ENDPOINTS, select_fit

# The two curated entries whose pivotal trial's primary endpoint was TTP.
TTP_ENTRIES = ("HER2POS-BRCA-LAPATINIB-CAPECITABINE", "KIT-MUT-GIST-SUNITINIB-2L")


def _entry(endpoint: str) -> Entry:
    return Entry.model_validate(
        {
            "id": f"T-{endpoint}",
            "biomarker": {"gene": "KIT", "kind": "oncogenic"},
            "tumor": "GIST",
            "therapy": ["sunitinib"],
            "direction": "sensitive",
            "amp_level": "A",
            "citations": [{"type": "pmid", "id": "17227905"}],
            "outcomes": [
                {
                    "trial": "TTP-TRIAL",
                    "arms": ["sunitinib", "placebo"],
                    "n": 312,
                    "endpoint": endpoint,
                    "median_months": 6.3,
                    "median_ci": [3.7, 7.4],
                    "comparator_median_months": 1.5,
                    "hr": 0.33,
                    "hr_ci": [0.23, 0.47],
                    "citation": {"type": "pmid", "id": "17227905"},
                }
            ],
            "summary": "A test entry with one time-to-event outcome.",
        }
    )


def _fit(endpoint: str, n: int = 300) -> dict[str, Any]:
    return {
        "role": "experimental",
        "endpoint": endpoint,
        "method": "published-summary",
        "n": n,
        "trial": f"{endpoint}-TRIAL",
    }


def test_schema_accepts_ttp_as_its_own_endpoint() -> None:
    assert _entry("TTP").outcomes[0].endpoint == "TTP"


def test_ttp_is_neither_fitted_nor_predicted() -> None:
    assert "TTP" not in TIME_TO_EVENT_ENDPOINTS
    assert "TTP" not in PREDICTED_ENDPOINTS


def test_a_ttp_outcome_gets_no_survival_fit(tmp_path: Path) -> None:
    assert fit_kb_outcomes([_entry("TTP")], tmp_path) == []
    # Control: the same figures recorded as PFS are fitted (as PFS).
    pfs = fit_kb_outcomes([_entry("PFS")], tmp_path)
    assert pfs and {f["endpoint"] for f in pfs} == {"PFS"}


def test_a_ttp_fit_is_never_selected_for_a_pfs_prediction() -> None:
    # Even a larger TTP trial is not used in place of PFS (or at all).
    assert select_fit([_fit("TTP", n=900)]) is None
    chosen = select_fit([_fit("TTP", n=900), _fit("PFS", n=100)])
    assert chosen is not None and chosen["endpoint"] == "PFS"
    assert select_fit([_fit("TTP")], endpoints=("PFS",)) is None


def test_the_match_output_cannot_carry_a_ttp_prediction() -> None:
    allowed = get_args(Predicted.model_fields["endpoint"].annotation)
    assert "PFS" in allowed and "TTP" not in allowed


@pytest.mark.parametrize("entry_id", TTP_ENTRIES)
def test_shipped_ttp_outcomes_are_ttp_and_never_pfs_fits(entry_id: str) -> None:
    from oncoboard.core.pipeline import open_kb

    kb = open_kb()
    entry = kb.entry(entry_id)
    ttp_trials = {o.trial for o in entry.outcomes if o.endpoint == "TTP"}
    assert ttp_trials, f"{entry_id}: the pivotal TTP outcome is recorded as TTP"
    fits = kb.survival_fits(entry_id)
    assert not [f for f in fits if f["endpoint"] == "TTP"]
    assert not [f for f in fits if f["trial"] in ttp_trials and f["endpoint"] == "PFS"]
    assert select_fit(fits) is None or select_fit(fits)["trial"] not in ttp_trials
