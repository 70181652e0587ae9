"""The Results screen's jobs (run in a worker): the analysis with its ctDNA
trend figure, and the survival figure of the selected options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oncoboard.gui import features
from oncoboard.gui.plots import vaf_trend_figure

Point = tuple[Any, str, float]  # (collection date, sample id, vaf)


def cohort_names() -> list[str] | None:
    """Saved cohort model names, or None when ``analyse_case`` cannot use one."""
    import inspect

    from oncoboard.core.pipeline import analyse_case

    lister = features.function(features.SURVIVAL_COHORT, "list_cohorts")
    if lister is None or "cohort" not in inspect.signature(analyse_case).parameters:
        return None
    return [info.name for info in lister()]


def ctdna_series(
    series: Mapping[str, Sequence[Point]], specimens: Mapping[str, str]
) -> tuple[dict[str, list[Point]], dict[str, list[Point]]]:
    """(plasma trends, tissue markers) from ``profiles.vaf_series``.

    The plasma part is the report's own rule (``report.charts.trend_series`` over
    plasma samples: labels with at least two plasma points), so the GUI and the
    PDF plot the same series.  Tissue points are kept apart, for the labels that
    have a plasma trend, to be drawn as separate markers.
    """
    from oncoboard.core.report.charts import trend_series

    plasma = trend_series(
        {
            label: [p for p in points if specimens.get(p[1]) == "plasma"]
            for label, points in series.items()
        }
    )
    tissue = {
        label: [p for p in series[label] if specimens.get(p[1]) == "tissue"]
        for label in plasma
    }
    return plasma, {k: v for k, v in tissue.items() if v}


def run_analysis(
    case: Any, cohort: str | None = None, *, progress: Any, cancelled: Any
) -> dict[str, Any]:
    """The analysis job: the core use case plus its ctDNA trend figure."""
    from oncoboard.core.pipeline import analyse_case, open_kb

    progress(0.05, "Opening the knowledge base")
    open_kb()
    if cancelled():
        return {}
    progress(0.2, "Building the profile and matching options")
    extra: dict[str, Any] = {"cohort": cohort} if cohort else {}
    analysis = analyse_case(case, **extra)
    if cancelled():
        return {}
    progress(0.8, "Drawing ctDNA trends")
    from oncoboard.core.profiles import vaf_series

    specimens = {s.id: s.specimen for s in case.samples}
    plasma, tissue = ctdna_series(vaf_series(analysis.profile), specimens)
    return {
        "analysis": analysis,
        "trend": vaf_trend_figure(plasma, tissue) if plasma else None,
        "cohorts": cohort_names(),
        "cohort": cohort,
    }


def curve_figure(curves: list[Any], *, progress: Any, cancelled: Any) -> Any:
    from oncoboard.core.survival.plots import split_by_endpoint, survival_figure

    progress(0.5, "Drawing survival curves")
    groups = split_by_endpoint(curves)  # PFS and OS are never on one plot
    endpoint, shown = next(iter(groups.items()), ("", []))
    title = f"Modelled {endpoint} in the trial populations of the selected options"
    if len(groups) > 1:
        others = ", ".join(e for e in groups if e != endpoint)
        title += f" ({others} curves: select those options alone)"
    return survival_figure(shown, title=title)
