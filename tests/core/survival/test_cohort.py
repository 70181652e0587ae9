"""Institutional cohort models on real data: fit, validate, predict, save, load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from oncoboard.core.errors import StorageError, UserInputError
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
    assert path.is_file(), f"shared data missing: {path}"
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


def test_configured_data_dir_holds_the_cohorts(
    veteran_cox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """paths.data_dir (machine config) is honoured, not the platform default."""
    target = tmp_path / "srv-oncoboard"
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[paths]\ndata_dir = "{target}"\n', encoding="utf-8")
    monkeypatch.delenv("ONCOBOARD_HOME")
    monkeypatch.setenv("ONCOBOARD_SYSTEM_CONFIG", str(machine))
    monkeypatch.setenv("ONCOBOARD_CONFIG", str(tmp_path / "no-user.toml"))
    assert save_cohort(veteran_cox) == target / "cohorts" / "veteran-cox"
    assert [i.name for i in list_cohorts()] == ["veteran-cox"]


def test_time_in_days_read_as_months_stops_and_asks_for_the_unit(
    survival_data: Path,
) -> None:
    """colon.csv is in days: read as months it would be 3,329 months of follow-up."""
    colon = survival_data / "survset" / "colon.csv"
    with pytest.raises(UserInputError) as err:
        read_cohort_csv(
            colon,
            time_col="time",
            event_col="event",
            therapy_col="fac_rx",
            exclude=("pid",),
        )
    text = str(err.value)
    assert "3,329 months" in text and "--time-unit" in text
    data = read_cohort_csv(
        colon,
        time_col="time",
        event_col="event",
        therapy_col="fac_rx",
        exclude=("pid",),
        time_unit="days",
    )
    assert data.time.max() == pytest.approx(3329 / 30.4375)


def test_calibration_and_brier_against_the_kaplan_meier_null(veteran_cox) -> None:
    r = veteran_cox
    # veterans: 80% are followed less than 12 months, so the median follow-up
    assert r.calibration_horizon_months == pytest.approx(2.6, abs=0.05)
    assert 0 < r.brier_at_horizon < 0.25
    assert r.brier_at_horizon < r.brier_km_null  # Karnofsky is prognostic
    assert r.brier_skill == pytest.approx(
        1 - r.brier_at_horizon / r.brier_km_null, abs=1e-3
    )
    assert 0.3 < r.calibration_slope < 1.5
    assert 0 <= r.ici < 0.2
    summary = r.summary()
    assert summary["caveat"].startswith("Confounding by indication")
    for key in (
        "calibration_slope",
        "ici",
        "brier_at_horizon",
        "brier_km_null",
        "brier_skill",
    ):
        assert summary[key] == getattr(r, key)


def test_calibration_detects_miscalibrated_predictions() -> None:
    """SYNTHETIC exponential data: true S(t0|x) is calibrated (slope ~1, small ICI);
    predictions with doubled log-hazards are too extreme (slope ~0.5)."""
    from oncoboard.core.survival.cohort_calibration import calibration

    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    rate = 0.05 * np.exp(0.8 * x)
    t = rng.exponential(1 / rate)
    c = rng.uniform(0, 40, size=x.size)
    time, event = np.minimum(t, c), (t <= c).astype(int)
    true = np.exp(-rate * 12.0)
    good = calibration(time, event, true, 12.0)
    bad = calibration(time, event, np.exp(-0.05 * np.exp(1.6 * x) * 12.0), 12.0)
    assert good.slope == pytest.approx(1.0, abs=0.1) and good.ici < 0.03
    assert bad.slope == pytest.approx(0.5, abs=0.08) and bad.ici > good.ici


def test_cohort_prediction_is_its_own_basis_and_warns_of_confounding(
    veteran_cox,
) -> None:
    (pred, *_) = predict_therapies(veteran_cox, {"num_age": 60, "num_karno": 60})
    assert (
        pred.basis == "cohort"
        and pred.followup_months == veteran_cox.max_followup_months
    )
    assert any(w.code == "confounding" for w in pred.warnings)
