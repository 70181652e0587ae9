"""Access to the reconstructed individual patient data (kmdata, Guyot method).

The files live in ``../shared/data/survival/kmdata_ipd`` (MIT licence):
``kmdata_ipd_all.csv.gz`` (dataset, time in months, event, arm),
``kmdata_catalog.tsv`` and ``kmdata_demo_demographics.csv``.  They are read at
knowledge-base build time only; pandas is imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from oncoboard.core.errors import Problem, UserInputError

IPD_FILE = "kmdata_ipd_all.csv.gz"
CATALOG_FILE = "kmdata_catalog.tsv"
DEMOGRAPHICS_FILE = "kmdata_demo_demographics.csv"


@dataclass(frozen=True)
class ArmData:
    """Reconstructed pseudo-patients of one arm of one published KM curve."""

    dataset: str
    arm: str
    time: np.ndarray
    event: np.ndarray
    event_type: str | None  # the catalog's endpoint of the curve (PFS, OS, ...)


class KmData:
    """The kmdata tables, read once.

    Parameters
    ----------
    folder
        The ``kmdata_ipd`` folder.
    """

    def __init__(self, folder: Path) -> None:
        import pandas as pd

        path = Path(folder) / IPD_FILE
        if not path.is_file():
            raise UserInputError(
                path, [], hint="kmdata file missing; set ONCOBOARD_SHARED_DATA."
            )
        self.path = path
        self._ipd = pd.read_csv(path, dtype={"dataset": str, "arm": str})
        catalog = Path(folder) / CATALOG_FILE
        self._event_type: dict[str, str] = {}
        if catalog.is_file():
            cat = pd.read_csv(catalog, sep="\t", dtype=str)
            self._event_type = dict(
                zip(cat["dataset"], cat["event_type"], strict=False)
            )
        demo = Path(folder) / DEMOGRAPHICS_FILE
        self._demo = pd.read_csv(demo, dtype=str) if demo.is_file() else None
        self._groups = {k: v for k, v in self._ipd.groupby(["dataset", "arm"])}

    def arms(self, dataset: str) -> list[str]:
        """Return the arm names of a dataset (empty if the dataset is unknown)."""
        return sorted(arm for (ds, arm) in self._groups if ds == dataset)

    def arm(self, dataset: str, arm: str, location: str = "") -> ArmData:
        """Return one arm's pseudo-patients.

        Raises
        ------
        UserInputError
            If the dataset or arm does not exist; the message lists the arms.
        """
        rows = self._groups.get((dataset, arm))
        if rows is None:
            known = self.arms(dataset)
            expected = (
                f"arm {arm!r} not in dataset {dataset!r}; arms are {known}"
                if known
                else f"dataset {dataset!r} not in kmdata"
            )
            raise UserInputError(self.path, [Problem(location, expected)])
        return ArmData(
            dataset=dataset,
            arm=arm,
            time=rows["time"].to_numpy(dtype=float),
            event=rows["event"].to_numpy(dtype=int),
            event_type=self._event_type.get(dataset),
        )

    def population(self, trial: str, arm: str) -> dict[str, Any] | None:
        """Reported baseline covariates of a trial arm, where the catalog has them.

        Returns
        -------
        dict or None
            ``{"age": median age, "male_fraction": ..., "source": ...}`` with
            only the figures the demographics table reports.
        """
        if self._demo is None:
            return None
        demo = self._demo
        hit = demo[
            (demo["Publication"].str.lower() == trial.lower())
            & (demo["Therapy"].str.lower() == arm.lower())
        ]
        if hit.empty:
            return None
        row = hit.iloc[0]
        out: dict[str, Any] = {}
        age = _num(row.get("Median Age"))
        if age is not None:
            out["age"] = age
        males, females = _num(row.get("Sex:Males")), _num(row.get("Sex:Females"))
        if males is not None and females is not None and males + females > 0:
            out["male_fraction"] = round(males / (males + females), 4)
        if not out:
            return None
        out["source"] = "kmdata demographics table (median age; sex counts)"
        return out


def _num(value: object) -> float | None:
    try:
        x = float(str(value))
    except ValueError:
        return None
    return None if np.isnan(x) else x
