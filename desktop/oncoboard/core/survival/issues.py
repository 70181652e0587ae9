"""Typed warnings raised by the survival models.

Following lifelines' ``exceptions.py``, numerical or statistical trouble is a
warning class, not a string.  The models do not call :func:`warnings.warn`;
they attach instances of these classes to their results (``warnings``
attribute) so that the GUI, the CLI and the report show them to the user.
"""

from __future__ import annotations


class SurvivalWarning(UserWarning):
    """Base class of every survival-model warning."""

    code = "survival"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """Return ``{"code", "message"}`` for JSON output."""
        return {"code": self.code, "message": self.message}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.message == self.message  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.message))


class ConvergenceWarning(SurvivalWarning):
    """An optimiser did not converge or a fit is numerically unstable."""

    code = "convergence"


class SmallGroupWarning(SurvivalWarning):
    """A therapy group has too few patients for a stable estimate."""

    code = "small_group"


class OutOfRangeWarning(SurvivalWarning):
    """The patient lies outside the covariate range of the fitting data."""

    code = "out_of_range"


class ExtrapolationWarning(SurvivalWarning):
    """A figure depends on the parametric tail beyond observed follow-up."""

    code = "extrapolation"


class ApproximationWarning(SurvivalWarning):
    """A curve is reconstructed from published summaries only."""

    code = "approximation"


class DataWarning(SurvivalWarning):
    """Input data were dropped or are inconsistent (e.g. missing values)."""

    code = "data"


class FollowupWarning(SurvivalWarning):
    """The follow-up behind a curve is unknown or shorter than a figure needs."""

    code = "followup"


class PopulationWarning(SurvivalWarning):
    """The patient lies outside the population of the trial behind a figure."""

    code = "population"


class CrossTrialWarning(SurvivalWarning):
    """A comparison across trials that is not anchored on a common comparator."""

    code = "cross_trial"


class ConfoundingWarning(SurvivalWarning):
    """Observational (non-randomised) therapy comparisons: confounding by indication."""

    code = "confounding"


WARNING_CLASSES: dict[str, type[SurvivalWarning]] = {
    cls.code: cls
    for cls in (
        SurvivalWarning,
        ConvergenceWarning,
        SmallGroupWarning,
        OutOfRangeWarning,
        ExtrapolationWarning,
        ApproximationWarning,
        DataWarning,
        FollowupWarning,
        PopulationWarning,
        CrossTrialWarning,
        ConfoundingWarning,
    )
}


def warning_from_dict(data: dict[str, str]) -> SurvivalWarning:
    """Rebuild a warning saved with :meth:`SurvivalWarning.to_dict`."""
    cls = WARNING_CLASSES.get(data.get("code", ""), SurvivalWarning)
    return cls(data.get("message", ""))
