"""The Results screen's jobs (run in a worker): the analysis with its ctDNA
trend figure, and the survival figure of the selected options."""

from __future__ import annotations

from typing import Any

from oncoboard.gui import context as session
from oncoboard.gui.plots import vaf_trend_figure


def cohort_names() -> list[str]:
    """Saved cohort model names (in the session's data folder)."""
    from oncoboard.core.survival.cohort import list_cohorts

    return [info.name for info in list_cohorts(root=session.context().cohorts_dir)]


def run_analysis(
    case: Any, cohort: str | None = None, *, progress: Any, cancelled: Any
) -> dict[str, Any]:
    """The analysis job: the core use case (its own progress steps, cancelled between
    them) plus its ctDNA trend figure."""
    from oncoboard.core import api

    ctx = session.context()
    progress(0.0, "Opening the knowledge base")
    ctx.kb  # noqa: B018 - opened here so the first step's time shows as such

    def core_progress(fraction: float, message: str) -> None:
        progress(0.05 + 0.8 * fraction, message)

    analysis = api.analyse(
        ctx, case, cohort=cohort, progress=core_progress, cancelled=cancelled
    )
    if cancelled():
        return {}
    progress(0.9, "Drawing ctDNA trends")
    from oncoboard.core.profiles import vaf_series
    from oncoboard.core.report.charts import ctdna_series  # the PDF's own series

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
