"""Access to the reconstructed individual patient data (kmdata, Guyot method).

The files live in ``../shared/data/survival/kmdata_ipd`` (MIT licence):
``kmdata_ipd_all.csv.gz`` (dataset, time in months, event, arm),
``kmdata_catalog.tsv`` (endpoint and PMID of each curve) and
``kmdata_key_study_metadata.csv`` (kmdata's reconstruction quality score).  They are read at
knowledge-base build time only; pandas is imported lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from oncoboard.core.errors import Problem, UserInputError

IPD_FILE = "kmdata_ipd_all.csv.gz"
CATALOG_FILE = "kmdata_catalog.tsv"
METADATA_FILE = "kmdata_key_study_metadata.csv"


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
        metadata = Path(folder) / METADATA_FILE
        for required in (catalog, metadata):
            if not required.is_file():
                raise UserInputError(required, [], hint="kmdata table missing.")
        cat = pd.read_csv(catalog, sep="\t", dtype=str)
        self._event_type: dict[str, str] = dict(
            zip(cat["dataset"], cat["event_type"], strict=True)
        )
        self._pmid: dict[str, str] = {
            d: str(p).split(".")[0]
            for d, p in zip(cat["dataset"], cat["pmid"], strict=True)
            if isinstance(p, str) and p.strip()
        }
        meta = pd.read_csv(metadata, dtype=str)
        self._quality: dict[str, float] = {
            d: float(q)
            for d, q in zip(meta["name"], meta["QualityPercent"], strict=True)
            if isinstance(q, str) and q.strip()
        }
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

    def pmid(self, dataset: str) -> str | None:
        """The PMID of the publication the curve was reconstructed from (catalog)."""
        return self._pmid.get(dataset)

    def quality_percent(self, dataset: str) -> float | None:
        """kmdata's reconstruction quality score (``QualityPercent``, 0-100).

        The share of the published at-risk table, total events, hazard ratio
        and median that the reconstruction reproduces (kmdata's own scoring).
        """
        return self._quality.get(dataset)
