"""``oncoboard cohort``: fit and list institutional cohort survival models.

A thin layer over :mod:`oncoboard.core.survival.cohort`; importing this module
only imports click (the core and its heavy libraries load inside commands).
User errors (bad CSV, unknown column) print one message and exit with 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def _fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def _progress_printer(enabled: bool) -> Any:
    last = {"pct": -10}

    def progress(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if enabled and (pct >= last["pct"] + 10 or pct == 100):
            last["pct"] = pct
            click.echo(f"[{pct:3d}%] {message}", err=True)

    return progress


@click.group()
def cohort() -> None:
    """Institutional cohort models (Cox PH, random survival forest)."""


@cohort.command("fit")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--time", "time_col", required=True, help="Column with follow-up time.")
@click.option(
    "--event", "event_col", required=True, help="Column with 1 = event, 0 = censored."
)
@click.option(
    "--therapy", "therapy_col", required=True, help="Column with the therapy given."
)
@click.option(
    "--model", type=click.Choice(["cox", "rsf"]), default="cox", show_default=True
)
@click.option(
    "--time-unit",
    type=click.Choice(["days", "weeks", "months", "years"]),
    default="months",
    show_default=True,
    help="Unit of the time column.",
)
@click.option(
    "--endpoint",
    type=click.Choice(["OS", "PFS"]),
    default="OS",
    show_default=True,
    help="What an event is: death (OS) or progression or death (PFS).",
)
@click.option(
    "--exclude", multiple=True, help="Column that is not a feature (repeatable)."
)
@click.option(
    "--name", default=None, help="Save under this name (default: <file>-<model>)."
)
@click.option(
    "--horizon",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Months at which calibration and the Brier score are assessed "
    "(default 12, or the median follow-up if few patients reach 12).",
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--seed", default=0, show_default=True, type=int, help="random_state.")
@click.option("--no-save", is_flag=True, help="Validate only; do not save the cohort.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def fit_command(
    csv_file: str,
    time_col: str,
    event_col: str,
    therapy_col: str,
    model: str,
    time_unit: str,
    endpoint: str,
    exclude: tuple[str, ...],
    name: str | None,
    horizon: float | None,
    folds: int,
    seed: int,
    no_save: bool,
    as_json: bool,
) -> None:
    """Fit a cohort model on CSV_FILE and print cross-validated figures."""
    from oncoboard.cli.context import context
    from oncoboard.core.api import fit_cohort
    from oncoboard.core.errors import UserInputError

    try:
        result, saved = fit_cohort(
            context(),
            csv_file,
            save=not no_save,
            time_col=time_col,
            event_col=event_col,
            therapy_col=therapy_col,
            model=model,
            random_state=seed,
            n_splits=folds,
            time_unit=time_unit,  # type: ignore[arg-type]
            exclude=exclude,
            name=name,
            endpoint=endpoint,  # type: ignore[arg-type]
            calibration_horizon_months=horizon,
            progress=_progress_printer(not as_json),
        )
    except UserInputError as exc:
        _fail(exc)
        return
    summary = result.summary()
    if as_json:
        summary.pop("encoder")
        summary["saved_to"] = None if saved is None else str(saved)
        click.echo(json.dumps(summary, indent=2))
        return
    _print_summary(summary, saved)


def _print_summary(s: dict[str, Any], saved: Any) -> None:
    click.echo(
        f"Cohort {s['name']} ({s['method']}) from {s['source']}: "
        f"{s['n']} patients, {s['events']} events"
    )
    for therapy, count in s["therapy_counts"].items():
        click.echo(f"  {therapy}: {count} patients")
    click.echo(
        f"{s['n_splits']}-fold cross-validation (seed {s['seeds']['cv_shuffle']}):"
    )
    click.echo(f"  Harrell's C       {s['harrell_c']:.3f} (sd {s['harrell_c_sd']:.3f})")
    click.echo(f"  Uno's C           {s['uno_c']:.3f} (sd {s['uno_c_sd']:.3f})")
    click.echo(
        f"  Integrated Brier  {s['integrated_brier']:.3f} "
        f"(sd {s['integrated_brier_sd']:.3f})"
    )
    h = s["calibration_horizon_months"]
    click.echo(f"At {h:g} months (out-of-fold):")
    click.echo(
        f"  Calibration slope {s['calibration_slope']:.3f} (1 = ideal; < 1: predictions "
        "too extreme)"
    )
    click.echo(f"  ICI               {s['ici']:.3f} (mean |predicted - observed risk|)")
    click.echo(
        f"  Brier score       {s['brier_at_horizon']:.3f} vs {s['brier_km_null']:.3f} for "
        f"the Kaplan-Meier null model (skill {s['brier_skill']:+.3f}; > 0 is better "
        "than no covariates)"
    )
    click.echo(f"Seeds: {s['seeds']}")
    for w in s["warnings"]:
        click.echo(f"warning [{w['code']}]: {w['message']}")
    click.echo(f"caveat: {s['caveat']}")
    if saved is not None:
        click.echo(f"Saved to {saved}")


@cohort.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_command(as_json: bool) -> None:
    """List saved cohorts."""
    from dataclasses import asdict

    from oncoboard.cli.context import context
    from oncoboard.core.survival.cohort import list_cohorts

    infos = list_cohorts(root=context().cohorts_dir)
    if as_json:
        click.echo(json.dumps([asdict(i) for i in infos], indent=2))
        return
    if not infos:
        click.echo("No saved cohorts.")
    for i in infos:
        click.echo(
            f"{i.name}\t{i.kind}\tn={i.n}\tHarrell's C={i.harrell_c:.3f}\t"
            f"Uno's C={i.uno_c:.3f}\tIBS={i.integrated_brier:.3f}\t{i.created}"
        )
