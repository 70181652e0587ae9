"""The survival figures attached to a therapy option (part of ``oncoboard.match/1``).

Survival produces these and matching carries them in each ``Option``; they live
here so that survival never imports matching (matching sits above survival in
the layers of ``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PredictionMethod = Literal[
    "reconstructed-ipd", "published-summary", "cohort-cox", "cohort-rsf"
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PredictionWarning(_Frozen):
    """A caveat on a survival figure: ``code`` (population, followup, cross_trial,
    extrapolation, approximation, data, ...) and a sentence."""

    code: str
    message: str


class PredictedPopulation(_Frozen):
    """The population the figures describe (the trial's, never the patient's)."""

    line: str | None = Field(description="The trial's line of therapy, e.g. first")
    n: int | None = Field(description="Patients in the trial (or cohort)")


class Predicted(_Frozen):
    """Survival figures of the population behind an option (issue 15 contract).

    A ``null`` bound of ``median_ci`` or ``rmst_ci`` is an open bound (e.g.
    "24.7-not reached"), never a missing CI.  A ``null`` median with a
    ``followup_months`` reads "not reached (> followup_months months)": no
    figure beyond the follow-up of the data is given.
    """

    endpoint: Literal["PFS", "OS"]
    median_months: float | None
    median_ci: tuple[float | None, float | None] | None
    rmst_months: float | None
    horizon_months: float
    method: PredictionMethod
    source: str
    rmst_ci: tuple[float | None, float | None] | None = None
    basis: Literal["nma-anchored", "single-trial", "cohort"] = "single-trial"
    source_trial: str | None = Field(
        default=None, description="The trial (or cohort) whose data give the figures"
    )
    population: PredictedPopulation | None = None
    followup_months: float | None = Field(
        default=None, description="Follow-up of the data; no figure lies beyond it"
    )
    description: str | None = Field(
        default=None,
        description="What the figures are, e.g. 'Modelled PFS in the trial population'",
    )
    warnings: list[PredictionWarning] = Field(default_factory=list)
