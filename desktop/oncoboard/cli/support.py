"""``oncoboard support bundle``: export logs, versions and configuration for IT.

The bundle excludes patient data and secrets; see ``core/support.py``.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def support() -> None:
    """Help IT and the developers diagnose a problem."""


@support.command("bundle")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Zip file to write (or an existing folder to write it in).",
)
def bundle(output: Path) -> None:
    """Write a support bundle: versions, configuration, KB, INFO+ logs.

    It holds no case data, no database, no key files and no DEBUG log lines;
    the data folder is listed by file name and size only.
    """
    from oncoboard.core.support import export_support_bundle

    written = export_support_bundle(output)
    click.echo(f"support bundle written to {written}")
    click.echo("it holds no patient data; check README.txt inside before sending it")
