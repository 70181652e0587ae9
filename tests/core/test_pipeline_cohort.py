"""An institutional cohort model feeds `predicted` where its therapy labels name an option."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from oncoboard.core.case import load_case
from oncoboard.core.pipeline import analyse_case, open_kb
from shared_paths import REPO


def _synthetic_cohort(path: Path) -> Path:
    """SYNTHETIC outcomes table (random numbers, not patients) for a pipeline test."""
    rng = random.Random(7)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["age", "ecog", "therapy", "months", "progressed"])
        for i in range(240):
            therapy = ["osimertinib", "erlotinib", "carboplatin + pemetrexed"][i % 3]
            scale = {
                "osimertinib": 18.0,
                "erlotinib": 10.0,
                "carboplatin + pemetrexed": 6.0,
            }[therapy]
            writer.writerow(
                [
                    rng.randint(40, 85),
                    rng.randint(0, 2),
                    therapy,
                    round(rng.expovariate(1 / scale), 2),
                    int(rng.random() < 0.8),
                ]
            )
    return path


def test_cohort_predictions_replace_trial_curves_for_named_therapies(
    tmp_path: Path,
) -> None:
    from oncoboard.core.survival.cohort import fit_cohort

    result = fit_cohort(
        _synthetic_cohort(tmp_path / "cohort.csv"),
        time_col="months",
        event_col="progressed",
        therapy_col="therapy",
        model="cox",
        random_state=0,
        n_splits=3,
        name="synthetic-test",
    )
    demo = REPO / "assets" / "demo" / "demo-01-luad-egfr-t790m.json"
    analysis = analyse_case(load_case(demo), demo, kb=open_kb(), cohort=result)
    by_drugs = {tuple(o.drugs): o.predicted for o in analysis.match.options}
    # demo-01 progressed on erlotinib: erlotinib is not recommended, so only the
    # osimertinib option can take the cohort's figures.
    assert ("erlotinib",) not in by_drugs
    in_cohort = {("osimertinib",)}
    for drugs in in_cohort:
        assert by_drugs[drugs] is not None and by_drugs[drugs].method == "cohort-cox"
        assert "synthetic-test" in by_drugs[drugs].source
    others = [p for d, p in by_drugs.items() if d not in in_cohort and p is not None]
    assert others and all(
        p.method in ("reconstructed-ipd", "published-summary") for p in others
    )
    assert all(p.basis != "cohort" for p in others), (
        "cohort figures mixed into trial-based options"
    )
