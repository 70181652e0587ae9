"""``oncoboard trials ...``: import the site's trial snapshot and look at it.

The store is ``<data dir>/trials.sqlite``, apart from the case database.  A bad
file (truncated JSON, a record that is not a study, no NCT id) exits 2 naming it,
and nothing is stored.  ``oncoboard match`` lists a case's trials.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def trials() -> None:
    """Clinical trials open at this site (ClinicalTrials.gov snapshots, site files)."""


def _snapshot_line() -> str:
    from oncoboard.cli.context import context
    from oncoboard.core import paths
    from oncoboard.core.trials.service import snapshot

    ctx = context()
    snap = snapshot(
        paths.trials_file(ctx.data_dir),
        max_age_days=ctx.config["trials.max_age_days"],
        sites=ctx.config["trials.sites"],
    )
    if snap is None:
        return "No trial snapshot imported (oncoboard trials import PATH...)."
    sites = (
        ", ".join(snap.sites)
        if snap.sites
        else "none configured (every imported trial)"
    )
    line = f"Snapshot imported {snap.imported}; sites: {sites}."
    if snap.stale:
        line += f" STALE: older than {snap.max_age_days} days; import a fresh export."
    return line


@trials.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_(paths: tuple[Path, ...]) -> None:
    """Import ClinicalTrials.gov API v2 study JSON (one study, a folder, or a
    multi-study response) or a site file (CSV or YAML) of local studies.

    Re-importing a study updates it and keeps its history; criteria the trial
    office confirmed are kept.  All files are read first: one bad file exits 2
    naming it and nothing is stored.
    """
    from oncoboard.cli.context import context
    from oncoboard.core.api import import_trials

    summary = import_trials(context(), list(paths))
    click.echo(
        f"Imported {len(summary.files)} file(s): {len(summary.added)} added, "
        f"{len(summary.updated)} updated, {len(summary.unchanged)} unchanged."
    )
    click.echo(_snapshot_line())


@trials.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List the imported trials: status, whether recruiting at the site, tumor types."""
    from oncoboard.cli.context import context
    from oncoboard.core.trials.match import at_site

    ctx = context()
    sites = ctx.config["trials.sites"]
    with ctx.open_trial_store() as store:
        rows = [
            {
                "nct_id": t.record.nct_id,
                "status": t.record.overall_status,
                "at_site": at_site(t.record, sites),
                "oncotree": list(t.oncotree_codes),
                "criteria": len(t.criteria),
                "title": t.record.title,
            }
            for t in store.trials()
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(_snapshot_line())
    for r in rows:
        here = "here" if r["at_site"] else "-"
        codes = ",".join(r["oncotree"]) or "(tumor type not mapped)"
        click.echo(
            f"{r['nct_id']:<12} {r['status']:<22} {here:<5} {codes:<20} {r['title'][:70]}"
        )


@trials.command()
@click.argument("nct_id")
def show(nct_id: str) -> None:
    """Show one trial's criteria, each with its source sentence, and its import history."""
    from oncoboard.cli.context import context

    with context().open_trial_store() as store:
        trial = store.trial(nct_id)
        history = store.history(nct_id)
    r = trial.record
    click.echo(f"{r.nct_id}  {r.title}")
    click.echo(
        f"status {r.overall_status}; OncoTree {', '.join(trial.oncotree_codes) or 'not mapped'}; "
        f"last update {r.last_update or 'not given'}"
    )
    click.echo("Criteria:")
    for c in trial.criteria:
        click.echo(f"  [{c.status}] {c.effect:<8} {c.label}  ({c.section})")
        click.echo(f'      "{c.sentence}"')
    click.echo("History:")
    for h in history:
        click.echo(
            f"  {h.imported_at} {h.action:<9} {Path(h.source_file).name} sha256 {h.source_sha256[:12]} "
            f"record updated {h.last_update or '-'}"
        )
