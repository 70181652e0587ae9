"""``oncoboard report`` and ``oncoboard board``: the PDF for one case or a board pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


def _options(
    page_size: str | None,
    deidentified: bool | None,
    board_date: dt.datetime | None,
    prepared_by: str | None,
    creation_date: dt.datetime | None,
):  # type: ignore[no-untyped-def]
    from oncoboard.cli.context import context
    from oncoboard.core.api import report_options

    return report_options(
        context(),
        page_size=page_size,
        deidentified=deidentified,
        board_date=board_date.date() if board_date else None,
        prepared_by=prepared_by,
        creation_date=creation_date,
    )


def _common(f):  # type: ignore[no-untyped-def]
    f = click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="PDF file to write.",
    )(f)
    f = click.option(
        "--deidentified/--identified",
        default=None,
        help="De-identified: no pseudonym, age band. Default from report.deidentified.",
    )(f)
    f = click.option(
        "--page-size",
        type=click.Choice(["A4", "Letter"]),
        help="Default from report.page_size.",
    )(f)
    f = click.option(
        "--board-date",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Board date (default today).",
    )(f)
    f = click.option("--prepared-by", help="Default from report.prepared_by.")(f)
    f = click.option(
        "--creation-date",
        type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
        help="Fixed PDF creation date: the same inputs then give the same bytes.",
    )(f)
    return f


def _write(path: Path, data: bytes) -> None:
    from oncoboard.core.case.io import write_output

    write_output(path, data)
    click.echo(f"wrote {path} ({len(data):,} bytes)")


@click.command()
@click.argument("case_file", type=click.Path(path_type=Path))
@_common
def report(
    case_file: Path,
    output: Path,
    deidentified: bool | None,
    page_size: str | None,
    board_date: dt.datetime | None,
    prepared_by: str | None,
    creation_date: dt.datetime | None,
) -> None:
    """Write the board report of CASE_FILE as a PDF."""
    from oncoboard.cli.context import context
    from oncoboard.core import api

    options = _options(page_size, deidentified, board_date, prepared_by, creation_date)
    ctx = context()
    _write(output, api.render_report(ctx, api.analyse_file(ctx, case_file), options))


@click.command()
@click.argument("case_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_common
def board(
    case_files: tuple[Path, ...],
    output: Path,
    deidentified: bool | None,
    page_size: str | None,
    board_date: dt.datetime | None,
    prepared_by: str | None,
    creation_date: dt.datetime | None,
) -> None:
    """Write a board pack: an agenda page, then one section per case, with bookmarks."""
    from oncoboard.cli.context import context
    from oncoboard.core import api

    options = _options(page_size, deidentified, board_date, prepared_by, creation_date)
    ctx = context()
    analyses = [api.analyse_file(ctx, path) for path in case_files]
    _write(output, api.render_board_pack(ctx, analyses, options))
