"""``make demo``: analyse the bundled (synthetic) demo cases and write the board PDF.

Run as ``oncoboard demo --output out/demo assets/demo/*.json``.  It prints
what it did and where the output is.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click


def safe_stem(case_id: str, used: set[str]) -> str:
    """A file name from a free-text case id: no separators, unique within one run."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", case_id).strip("._") or "case"
    candidate, n = stem, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate)
    return candidate


@click.command()
@click.argument(
    "case_files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
)
def demo(case_files: tuple[Path, ...], output: Path) -> None:
    """Analyse CASE_FILES, print each ranked result, write per-case reports and a board pack."""
    import json

    from oncoboard.cli.context import context
    from oncoboard.cli.match_table import render_match
    from oncoboard.core import api
    from oncoboard.core.case.io import atomic_write_bytes
    from oncoboard.core.report import (
        ReportOptions,
        render_board_pack,
        render_case_report,
    )

    ctx = context()
    kb = ctx.kb
    output.mkdir(parents=True, exist_ok=True)
    click.echo(f"OncoBoard demo — knowledge base {kb.label}")
    click.echo(
        "All demo cases are SYNTHETIC (invented for demonstration, not real patients).\n"
    )
    analyses = []
    used: set[str] = set()
    for path in case_files:
        analysis = api.analyse_file(ctx, path)
        analyses.append(analysis)
        click.echo(render_match(analysis))
        stem = safe_stem(analysis.case.case_id, used)
        json_path = output / f"{stem}.match.json"
        text = (
            json.dumps(analysis.match.to_json_dict(), indent=2, ensure_ascii=False)
            + "\n"
        )
        atomic_write_bytes(json_path, text.encode("utf-8"))
        click.echo(f"\n  match JSON: {json_path}\n" + "-" * 78)
    options = ReportOptions(
        institution="OncoBoard demo (synthetic cases)",
        prepared_by="make demo",
        board_date=dt.date.today(),
    )
    inputs = [api.report_input(a) for a in analyses]
    used.clear()
    for item in inputs:
        pdf = output / f"{safe_stem(item.case.case_id, used)}.pdf"
        atomic_write_bytes(pdf, render_case_report(item, options))
        click.echo(f"report: {pdf}")
    pack = output / "board-pack.pdf"
    atomic_write_bytes(pack, render_board_pack(inputs, options))
    click.echo(f"\nboard pack ({len(inputs)} cases): {pack.resolve()}")
