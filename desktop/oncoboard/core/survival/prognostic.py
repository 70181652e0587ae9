"""Patient adjustment with a prognostic Cox model fitted on a real cohort.

The bundled model is a Cox proportional-hazards model of overall survival in
the NCCTG advanced lung cancer cohort (Loprinzi et al., J Clin Oncol 1994;
lifelines ``load_lung``, MIT; ``../shared/data/survival/lifelines/lung.csv``),
with age (years), male sex and ECOG performance status (0-3, linear) as
covariates; 227 patients with complete covariates, 164 deaths.

Its coefficients are stored below so that a case never imports lifelines;
:func:`fit_lung_model` refits them from the CSV and a test checks that the
stored values match.  For a patient with covariates ``x`` the trial curve is
shifted by proportional hazards relative to the trial population's covariate
means ``m``::

    S_patient(t) = S_trial(t) ** exp(beta . (x - m))

``m`` comes from the trial's reported baseline characteristics where the
kmdata demographics table has them (median age, share of men), otherwise from
the NCCTG cohort means; each substitution is stated in the adjustment note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COVARIATES = ("age", "male", "ecog")


@dataclass(frozen=True)
class PrognosticModel:
    """Coefficients of a fitted Cox model, enough to shift curves (pure Python)."""

    name: str
    source: str
    covariates: tuple[str, ...]
    coef: tuple[float, ...]
    variance: tuple[tuple[float, ...], ...]
    means: dict[str, float]
    ranges: dict[str, tuple[float, float]]
    n: int
    events: int
    main_types: tuple[str, ...]
    oncotree_codes: tuple[str, ...]
    endpoint_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def linear_predictor(
        self, x: dict[str, float], ref: dict[str, float]
    ) -> tuple[float, float]:
        """Return ``beta . (x - ref)`` and its standard error."""
        diff = [x[c] - ref[c] for c in self.covariates]
        lp = sum(b * d for b, d in zip(self.coef, diff, strict=True))
        var = sum(
            diff[i] * self.variance[i][j] * diff[j]
            for i in range(len(diff))
            for j in range(len(diff))
        )
        return float(lp), math.sqrt(max(var, 0.0))

    def applies_to(self, main_type: str | None, oncotree_code: str | None) -> bool:
        """True if the model was fitted on this kind of tumor."""
        if main_type is not None:
            return main_type in self.main_types
        return (oncotree_code or "").upper() in self.oncotree_codes


# Refit with fit_lung_model(); tests/core/survival/test_prognostic.py checks these.
NCCTG_LUNG = PrognosticModel(
    name="NCCTG lung Cox",
    source="NCCTG advanced lung cancer cohort (Loprinzi 1994; lifelines load_lung)",
    covariates=COVARIATES,
    coef=(0.0110667, 0.5526104, 0.4637281),
    variance=(
        (8.588489e-05, -4.310038e-06, -1.821732e-04),
        (-4.310038e-06, 2.813637e-02, 9.300874e-04),
        (-1.821732e-04, 9.300874e-04, 1.289980e-02),
    ),
    means={"age": 62.458150, "male": 0.603524, "ecog": 0.951542},
    ranges={"age": (39.0, 82.0), "male": (0.0, 1.0), "ecog": (0.0, 3.0)},
    n=227,
    events=164,
    main_types=("Non-Small Cell Lung Cancer", "Small Cell Lung Cancer", "Lung Cancer"),
    oncotree_codes=(
        "LUNG",
        "NSCLC",
        "LUAD",
        "LUSC",
        "LCLC",
        "NSCLCPD",
        "LUAS",
        "LUPC",
        "SARCL",
        "SCLC",
        "CSCLC",
        "LUNE",
        "LNET",
    ),
    endpoint_note="fitted on overall survival; applied to PFS and OS curves alike",
)


def fit_lung_model(csv_path: Path) -> PrognosticModel:
    """Refit the NCCTG lung model from ``lung.csv`` (lifelines, imported here).

    Parameters
    ----------
    csv_path
        ``survival/lifelines/lung.csv`` of the shared data.

    Returns
    -------
    PrognosticModel
        Same metadata as :data:`NCCTG_LUNG`, with freshly fitted numbers.
    """
    import pandas as pd
    from lifelines import CoxPHFitter

    raw = pd.read_csv(csv_path)
    df = pd.DataFrame(
        {
            "time": raw["time"],
            "event": raw["status"],
            "age": raw["age"],
            "male": (raw["sex"] == 1).astype(float),
            "ecog": raw["ph.ecog"],
        }
    ).dropna()
    cph = CoxPHFitter().fit(df, "time", "event")
    cov = df[list(COVARIATES)]
    return PrognosticModel(
        name=NCCTG_LUNG.name,
        source=NCCTG_LUNG.source,
        covariates=COVARIATES,
        coef=tuple(float(cph.params_[c]) for c in COVARIATES),
        variance=tuple(
            tuple(float(v) for v in row)
            for row in cph.variance_matrix_.loc[COVARIATES, COVARIATES].to_numpy()
        ),
        means={c: float(cov[c].mean()) for c in COVARIATES},
        ranges={c: (float(cov[c].min()), float(cov[c].max())) for c in COVARIATES},
        n=int(len(df)),
        events=int(df["event"].sum()),
        main_types=NCCTG_LUNG.main_types,
        oncotree_codes=NCCTG_LUNG.oncotree_codes,
        endpoint_note=NCCTG_LUNG.endpoint_note,
    )
