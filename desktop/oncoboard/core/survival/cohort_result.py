"""The result of fitting an institutional cohort model (immutable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oncoboard.core.survival.cohort_data import FeatureEncoder
from oncoboard.core.survival.cohort_validate import FoldMetrics
from oncoboard.core.survival.issues import SurvivalWarning, warning_from_dict

MIN_PATIENTS_PER_THERAPY = 30

CONFOUNDING_CAVEAT = (
    "Confounding by indication: the therapies in an institutional cohort were not "
    "assigned at random. Patients were chosen for each therapy by their doctors for "
    "reasons (fitness, disease burden, biomarkers, era) that also affect survival and "
    "that the model may not capture; differences between the therapies' curves are "
    "not treatment effects."
)


CALIBRATION_KEYS = (
    "calibration_horizon_months",
    "calibration_slope",
    "ici",
    "brier_at_horizon",
    "brier_km_null",
    "brier_skill",
)


@dataclass(frozen=True)
class CohortFitResult:
    """A fitted cohort model with its cross-validated figures.

    ``harrell_c``, ``uno_c`` and ``integrated_brier`` are means over the
    cross-validation folds (``*_sd`` their standard deviations); ``seeds``
    lists every random seed used; ``model`` is refitted on the whole cohort.
    """

    name: str
    kind: str  # "cox" | "rsf"
    source: str
    source_sha256: str
    time_col: str
    event_col: str
    therapy_col: str
    time_unit: str
    n: int
    events: int
    therapy_counts: dict[str, int]
    max_followup_months: float
    harrell_c: float
    harrell_c_sd: float
    uno_c: float
    uno_c_sd: float
    integrated_brier: float
    integrated_brier_sd: float
    n_splits: int
    folds: tuple[FoldMetrics, ...]
    seeds: dict[str, int]
    hyperparameters: dict[str, Any]
    versions: dict[str, str]
    created: str
    encoder: FeatureEncoder
    model: Any = field(repr=False, compare=False)
    warnings: tuple[SurvivalWarning, ...] = ()
    endpoint: str = "OS"  # what the event column records: "OS" or "PFS"
    # calibration at a horizon (None: fitted by an older version; refit)
    calibration_horizon_months: float | None = None
    calibration_slope: float | None = None
    ici: float | None = None
    brier_at_horizon: float | None = None
    brier_km_null: float | None = None
    brier_skill: float | None = None

    @property
    def method(self) -> str:
        """``cohort-cox`` or ``cohort-rsf`` (the match output's method name)."""
        return f"cohort-{self.kind}"

    def summary(self) -> dict[str, Any]:
        """JSON-safe figures and metadata (everything except the model)."""
        return {
            "schema": "oncoboard.cohort/1",
            "name": self.name,
            "kind": self.kind,
            "method": self.method,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "time_col": self.time_col,
            "event_col": self.event_col,
            "therapy_col": self.therapy_col,
            "time_unit": self.time_unit,
            "n": self.n,
            "events": self.events,
            "therapy_counts": dict(self.therapy_counts),
            "max_followup_months": self.max_followup_months,
            "harrell_c": self.harrell_c,
            "harrell_c_sd": self.harrell_c_sd,
            "uno_c": self.uno_c,
            "uno_c_sd": self.uno_c_sd,
            "integrated_brier": self.integrated_brier,
            "integrated_brier_sd": self.integrated_brier_sd,
            "n_splits": self.n_splits,
            "folds": [f.__dict__ for f in self.folds],
            "seeds": dict(self.seeds),
            "hyperparameters": dict(self.hyperparameters),
            "versions": dict(self.versions),
            "created": self.created,
            "encoder": self.encoder.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
            "endpoint": self.endpoint,
            **{k: getattr(self, k) for k in CALIBRATION_KEYS},
            "caveat": CONFOUNDING_CAVEAT,
        }

    @classmethod
    def from_summary(cls, data: dict[str, Any], model: Any) -> CohortFitResult:
        """Rebuild from :meth:`summary` output and a loaded model."""
        return cls(
            **{
                k: data[k]
                for k in (
                    "name",
                    "kind",
                    "source",
                    "source_sha256",
                    "time_col",
                    "event_col",
                    "therapy_col",
                    "time_unit",
                    "n",
                    "events",
                    "therapy_counts",
                    "max_followup_months",
                    "harrell_c",
                    "harrell_c_sd",
                    "uno_c",
                    "uno_c_sd",
                    "integrated_brier",
                    "integrated_brier_sd",
                    "n_splits",
                    "seeds",
                    "hyperparameters",
                    "versions",
                    "created",
                )
            },
            folds=tuple(FoldMetrics(**f) for f in data["folds"]),
            encoder=FeatureEncoder.from_dict(data["encoder"]),
            model=model,
            warnings=tuple(warning_from_dict(w) for w in data["warnings"]),
            endpoint=data.get("endpoint", "OS"),
            **{k: data.get(k) for k in CALIBRATION_KEYS},  # type: ignore[arg-type]
        )
