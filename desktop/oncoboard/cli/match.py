"""``oncoboard match CASE_FILE [--json]``: the ranked options for one case."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("case_file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print oncoboard.match/1 JSON.")
@click.option(
    "--kb",
    "kb_path",
    type=click.Path(path_type=Path),
    help="Use this knowledge-base file.",
)
@click.option(
    "--excluded-trials",
    is_flag=True,
    help="Also list trials a recorded fact excludes (and why).",
)
def match(
    case_file: Path, as_json: bool, kb_path: Path | None, excluded_trials: bool
) -> None:
    """Match CASE_FILE against the knowledge base and rank the options; list the
    imported trials at this site the case may join (oncoboard trials import)."""
    from oncoboard.cli.context import context
    from oncoboard.core.api import analyse_file, with_trials

    ctx = context(kb_path)
    analysis = analyse_file(ctx, case_file)
    if excluded_trials:
        analysis = with_trials(ctx, analysis, include_excluded=True)
    if as_json:
        click.echo(
            json.dumps(analysis.match.to_json_dict(), indent=2, ensure_ascii=False)
        )
        return
    from oncoboard.cli.match_table import render_match
    from oncoboard.cli.trials_table import render_trials

    click.echo(render_match(analysis))
    trials_text = render_trials(analysis.match)
    if trials_text:
        click.echo(trials_text)
