"""Status thresholds (TMB-H, PD-L1 cut-offs) as versioned data with sources."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

import yaml

from oncoboard.core import paths

_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@dataclass(frozen=True)
class Threshold:
    status: str
    field: str
    operator: str
    value: float
    unit: str
    source: str

    def holds(self, measured: float | None) -> bool:
        return measured is not None and _OPERATORS[self.operator](measured, self.value)

    def describe(self) -> str:
        return f"{self.status}: {self.field} {self.operator} {self.value:g} {self.unit} ({self.source})"


@functools.cache
def status_thresholds() -> tuple[Threshold, ...]:
    path = paths.package_data_dir() / "status_thresholds.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Threshold(**row) for row in data["thresholds"])
