"""The survival core never imports Qt, and per-case code never loads heavy libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import oncoboard.core.survival as survival_pkg

PKG = Path(survival_pkg.__file__).parent


def test_no_qt_or_gui_imports_in_survival_core() -> None:
    for path in PKG.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(
                    ("PySide6", "oncoboard.gui", "matplotlib.pyplot")
                ), f"{path.name} imports {name}"


def test_per_case_prediction_and_ranking_stay_light() -> None:
    """Not even numpy: `oncoboard match` must start fast."""
    code = """
import sys
from oncoboard.core.case.model import Case
from oncoboard.core.survival.predict import predict_option, to_predicted
from oncoboard.core.matching.ranking import order_groups
import math
from oncoboard.core.survival import curves
grid = curves.grid_points()
curve = lambda m: [math.exp(-t * math.log(2) / m) for t in grid]
fit = {"schema": "oncoboard.survival-fit/2", "role": "experimental", "endpoint": "OS",
       "method": "published-summary", "n": 10,
       "curve": {"t": grid, "s": curve(10), "lo": curve(8), "hi": curve(12)},
       "trial": "SYNTHETIC", "arm": "x", "citation": "PMID:1", "approximation": True,
       "distribution": "exponential", "warnings": [], "median_months": 10.0,
       "median_ci": [8.0, None], "max_followup_months": 30.0,
       "rmst_by_horizon": {"24": [12.0, 11.0, 13.0]}}
case = Case.model_validate({"schema": "oncoboard.case/1", "case_id": "c",
    "tumor": {"oncotree_code": "LUAD"}, "patient": {"age": 70, "ecog": 1}})
p = predict_option([fit], case)
to_predicted(p)
heavy = [m for m in ("numpy", "pandas", "lifelines", "sksurv", "matplotlib", "scipy",
                    "PySide6")
         if m in sys.modules]
print(heavy)
sys.exit(1 if heavy or p.rmst_months != 12.0 else 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
