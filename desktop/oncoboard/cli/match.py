"""``oncoboard match CASE_FILE [--json]``: the ranked options for one case."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("case_file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print oncoboard.match/1 JSON.")
@click.option("--kb", "kb_path", type=click.Path(path_type=Path), help="Use this knowledge-base file.")
def match(case_file: Path, as_json: bool, kb_path: Path | None) -> None:
    """Match CASE_FILE against the knowledge base and rank the options."""
    from oncoboard.cli.context import context
    from oncoboard.core.api import analyse_file

    analysis = analyse_file(context(kb_path), case_file)
    if as_json:
        click.echo(json.dumps(analysis.match.to_json_dict(), indent=2, ensure_ascii=False))
        return
    from oncoboard.cli.match_table import render_match

    click.echo(render_match(analysis))
