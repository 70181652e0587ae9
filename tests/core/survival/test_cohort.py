"""Institutional cohort models on real data: fit, validate, predict, save, load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from oncoboard.core.errors import StorageError
from oncoboard.core.survival.cohort import (
    CohortCoxModel,
    CohortRSFModel,
    fit_cohort,
    list_cohorts,
    load_cohort,
    predict_therapies,
    save_cohort,
)
from oncoboard.core.survival.cohort_data import read_cohort_csv
from oncoboard.core.survival.issues import OutOfRangeWarning, SmallGroupWarning
from oncoboard.core.survival.jobs import JobCancelled

VETERAN = dict(
    time_col="time",
    event_col="event",
    therapy_col="fac_trt",
    time_unit="days",
    exclude=("pid",),
)


@pytest.fixture(scope="module")
def veteran_csv(survival_data: Path) -> Path:
    path = survival_data / "survset" / "veteran.csv"
    if not path.is_file():
        pytest.skip("veteran.csv not available")
    return path


@pytest.fixture(scope="module")
def veteran_cox(veteran_csv: Path):
    return fit_cohort(veteran_csv, model="cox", **VETERAN)


def test_cox_matches_lifelines_predictions(veteran_csv: Path) -> None:
    import pandas as pd
    from lifelines import CoxPHFitter

    data = read_cohort_csv(veteran_csv, **VETERAN)
    X, y = data.X(), data.y()
    model = CohortCoxModel(penalizer=0.0).fit(X, y)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    df["t"], df["e"] = y["time"], y["event"].astype(int)
    ref = CoxPHFitter().fit(df, "t", "e")
    assert model.coef_ == pytest.approx(ref.params_.to_numpy(), rel=1e-6)
    times = model.unique_times_[[5, 40, 80]]
    expected = ref.predict_survival_function(df.iloc[:4], times=times).T.to_numpy()
    assert model.predict_survival_function(X[:4], times) == pytest.approx(
        expected, abs=1e-6
    )
    again = CohortCoxModel.from_params(json.loads(json.dumps(model.to_params())))
    assert again.predict_survival_function(X[:4], times) == pytest.approx(
        expected, abs=1e-6
    )


def test_fit_cohort_reports_validation_figures_and_seeds(veteran_cox) -> None:
    r = veteran_cox
    assert r.method == "cohort-cox" and r.n == 137 and r.events == 128
    assert r.therapy_counts == {"1": 69, "2": 68}
    assert 0.6 < r.harrell_c < 0.85 and 0.6 < r.uno_c < 0.85  # Karnofsky is prognostic
    assert 0.0 < r.integrated_brier < 0.25
    assert len(r.folds) == r.n_splits == 5
    assert r.seeds == {"cv_shuffle": 0}
    assert not any(isinstance(w, SmallGroupWarning) for w in r.warnings)


def test_predict_therapies_one_curve_per_therapy(veteran_cox) -> None:
    preds = predict_therapies(
        veteran_cox, {"num_karno": 60, "num_age": 60, "fac_celltype": "squamous"}
    )
    assert [p.label.split(" ")[0] for p in preds] == ["1", "2"]
    for p in preds:
        assert p.method == "cohort-cox" and p.lower is not None
        assert p.survival[0] == 1.0 and p.rmst_months > 0
    better = predict_therapies(veteran_cox, {"num_karno": 90})[0]
    worse = predict_therapies(veteran_cox, {"num_karno": 20})[0]
    assert better.rmst_months > worse.rmst_months


def test_patient_outside_cohort_range_is_warned(veteran_cox) -> None:
    pred = predict_therapies(
        veteran_cox, {"num_karno": 200, "fac_celltype": "unknown-type"}
    )[0]
    assert sum(isinstance(w, OutOfRangeWarning) for w in pred.warnings) == 2


def test_small_therapy_groups_are_warned(tmp_path: Path, veteran_csv: Path) -> None:
    lines = veteran_csv.read_text().splitlines()
    header, rows = lines[0], lines[1:]
    trt = header.split(",").index("fac_trt")
    kept = [r for r in rows if r.split(",")[trt] == "1"] + [
        r for r in rows if r.split(",")[trt] == "2"
    ][:20]
    small = tmp_path / "small.csv"
    small.write_text("\n".join([header, *kept]) + "\n")
    r = fit_cohort(small, model="cox", **VETERAN)
    warned = [w for w in r.warnings if isinstance(w, SmallGroupWarning)]
    assert len(warned) == 1 and "'2' has 20 patients" in warned[0].message
    pred = predict_therapies(r, {})
    assert any(isinstance(w, SmallGroupWarning) for w in pred[1].warnings)
    assert not any(isinstance(w, SmallGroupWarning) for w in pred[0].warnings)


def test_rsf_is_reproducible_reports_progress_and_cancels(veteran_csv: Path) -> None:
    data = read_cohort_csv(veteran_csv, **VETERAN)
    X, y = data.X(), data.y()
    seen: list[float] = []
    a = CohortRSFModel(n_estimators=30, random_state=3).fit(
        X, y, progress=lambda f, m: seen.append(f)
    )
    b = CohortRSFModel(n_estimators=30, random_state=3).fit(X, y)
    c = CohortRSFModel(n_estimators=30, random_state=4).fit(X, y)
    # same seed: same forest (parallel summation may differ in the last bits)
    assert np.allclose(a.predict(X), b.predict(X), rtol=1e-10, atol=0)
    assert not np.allclose(a.predict(X), c.predict(X), rtol=1e-3)
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert len(a.forest_.estimators_) == 30
    assert a.score(X, y) > 0.6
    with pytest.raises(JobCancelled):
        CohortRSFModel(n_estimators=30).fit(X, y, cancelled=lambda: True)


def test_save_list_load_roundtrip(
    tmp_path: Path, veteran_cox, veteran_csv: Path
) -> None:
    save_cohort(veteran_cox, root=tmp_path)
    rsf = fit_cohort(
        veteran_csv,
        model="rsf",
        n_splits=3,
        model_params={"n_estimators": 20},
        **VETERAN,
    )
    save_cohort(rsf, root=tmp_path)
    infos = list_cohorts(root=tmp_path)
    assert [(i.name, i.kind) for i in infos] == [
        ("veteran-cox", "cox"),
        ("veteran-rsf", "rsf"),
    ]
    assert not list((tmp_path / "veteran-cox").glob("*.joblib"))  # Cox is JSON only
    patient = {"num_karno": 70, "num_age": 65}
    for original in (veteran_cox, rsf):
        loaded = load_cohort(original.name, root=tmp_path)
        assert loaded.harrell_c == original.harrell_c and loaded.seeds == original.seeds
        assert (
            predict_therapies(loaded, patient)[0].survival
            == predict_therapies(original, patient)[0].survival
        )


def test_default_location_is_under_oncoboard_home(
    veteran_cox, isolated_home: Path
) -> None:
    folder = save_cohort(veteran_cox)
    assert folder == isolated_home / "cohorts" / "veteran-cox"
    assert [i.name for i in list_cohorts()] == ["veteran-cox"]


def test_tampered_forest_is_not_unpickled(tmp_path: Path, veteran_csv: Path) -> None:
    rsf = fit_cohort(
        veteran_csv,
        model="rsf",
        n_splits=2,
        model_params={"n_estimators": 10},
        **VETERAN,
    )
    folder = save_cohort(rsf, root=tmp_path)
    with (folder / "model.joblib").open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(StorageError, match="SHA-256"):
        load_cohort(rsf.name, root=tmp_path)


def test_unsafe_names_are_refused(veteran_cox) -> None:
    from oncoboard.core.errors import UserInputError

    with pytest.raises(UserInputError):
        load_cohort("../etc")


def test_fit_cohort_reports_progress_and_can_be_cancelled(veteran_csv: Path) -> None:
    seen: list[float] = []
    fit_cohort(
        veteran_csv,
        model="rsf",
        n_splits=2,
        model_params={"n_estimators": 10},
        progress=lambda f, m: seen.append(f),
        **VETERAN,
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    calls = iter(range(100))
    with pytest.raises(JobCancelled):
        fit_cohort(
            veteran_csv,
            model="rsf",
            n_splits=2,
            model_params={"n_estimators": 50},
            cancelled=lambda: next(calls) >= 3,
            **VETERAN,
        )
