"""``oncoboard fhir ...``: HL7 FHIR Genomics Reporting bundles (``docs/fhir.md``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click


@click.group()
def fhir() -> None:
    """Write a case's board report as an HL7 FHIR Genomics Reporting Bundle.

    A lab's FHIR genomics report is imported with `oncoboard case import`.
    """


@fhir.command("export")
@click.argument("case_file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file to write (a FHIR R4 transaction Bundle).",
)
@click.option(
    "--deidentified/--identified",
    default=None,
    help="De-identified: no Patient resource, only a reference. "
    "Default from report.deidentified.",
)
@click.option(
    "--creation-date",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
    help="Fixed creation date of the embedded PDF.",
)
def export(
    case_file: Path,
    output: Path,
    deidentified: bool | None,
    creation_date: dt.datetime | None,
) -> None:
    """Analyse CASE_FILE and write its report as a FHIR Genomics Reporting Bundle:
    variants, copy-number changes, fusions, TMB/MSI/PD-L1, the options offered as
    therapeutic implications, and the PDF report."""
    from oncoboard.cli.context import context
    from oncoboard.core import api
    from oncoboard.core.case.io import write_output

    ctx = context()
    options = api.report_options(
        ctx, deidentified=deidentified, creation_date=creation_date
    )
    result = api.export_fhir(ctx, api.analyse_file(ctx, case_file), options)
    data = json.dumps(result.bundle, indent=2, ensure_ascii=False).encode("utf-8")
    write_output(output, data)
    click.echo(f"wrote {output} ({len(result.bundle['entry'])} resources)")
    for item in result.not_exported:
        click.echo(f"not exported: {item}")
