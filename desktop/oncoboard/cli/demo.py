"""``make demo``: analyse the bundled (synthetic) demo cases and write the board PDF.

Run as ``oncoboard demo --output out/demo assets/demo/*.json``.  It prints
what it did and where the output is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


@click.command()
@click.argument("case_files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("out/demo"),
              show_default=True)
def demo(case_files: tuple[Path, ...], output: Path) -> None:
    """Analyse CASE_FILES, print each ranked result, write per-case reports and a board pack."""
    import json

    from oncoboard.cli.match_table import render_match
    from oncoboard.core.pipeline import analyse_file, open_kb, report_input

    kb = open_kb()
    output.mkdir(parents=True, exist_ok=True)
    click.echo(f"OncoBoard demo — knowledge base {kb.label}")
    click.echo("All demo cases are SYNTHETIC (invented for demonstration, not real patients).\n")
    analyses = []
    for path in case_files:
        analysis = analyse_file(path, kb=kb)
        analyses.append(analysis)
        click.echo(render_match(analysis))
        json_path = output / f"{analysis.case.case_id}.match.json"
        json_path.write_text(json.dumps(analysis.match.to_json_dict(), indent=2, ensure_ascii=False) + "\n")
        click.echo(f"\n  match JSON: {json_path}\n" + "-" * 78)
    try:
        from oncoboard.core.report import (
            ReportOptions,
            render_board_pack,
            render_case_report,
        )
    except ImportError:
        click.echo("The PDF report module is not available in this build; no PDF written.")
        return
    options = ReportOptions(institution="OncoBoard demo (synthetic cases)", prepared_by="make demo",
                            board_date=dt.date.today())
    inputs = [report_input(a) for a in analyses]
    for item in inputs:
        pdf = output / f"{item.case.case_id}.pdf"
        pdf.write_bytes(render_case_report(item, options))
        click.echo(f"report: {pdf}")
    pack = output / "board-pack.pdf"
    pack.write_bytes(render_board_pack(inputs, options))
    click.echo(f"\nboard pack ({len(inputs)} cases): {pack.resolve()}")
