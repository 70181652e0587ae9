"""``oncoboard case ...``: the case database from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click


def _store():  # type: ignore[no-untyped-def]
    from oncoboard.cli.context import context

    return context().open_store()


def _safe(text: str) -> str:
    """Case ids are free text: show escape codes and bidi overrides as ``\\x1b``, never obey them."""
    from oncoboard.core.db.integrity import printable

    return printable(text)


@click.group()
def case() -> None:
    """Create, list, show, export and delete cases in the local database."""


@case.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--status",
    type=click.Choice(["draft", "ready", "discussed"]),
    default="draft",
    show_default=True,
)
@click.option(
    "--existing",
    type=click.Choice(["refuse", "new-version", "copy"]),
    default="refuse",
    show_default=True,
    help="When a case id is already stored: refuse, store the file as the case's next "
    "version, or store it as a copy under a new id.",
)
@click.option(
    "--tumor",
    metavar="ONCOTREE",
    help="OncoTree code for a FHIR genomics report that does not name the tumor type.",
)
def import_(
    files: tuple[Path, ...], status: str, existing: str, tumor: str | None
) -> None:
    """Validate case FILES (oncoboard.case/1 JSON, or a lab's HL7 FHIR Genomics
    Reporting Bundle) and store them.

    The variant files a case names are stored with it. Every file is checked
    before anything is stored: one bad file stores none. A FHIR report's findings
    that a case cannot hold are listed.
    """
    from oncoboard.cli.context import context
    from oncoboard.core.api import import_cases

    imported = import_cases(
        context(),
        list(files),
        status=status,
        existing=existing,
        tumor=tumor,  # type: ignore[arg-type]
    )
    for item in imported:
        s = item.stored
        click.echo(
            _safe(
                f"imported {item.describe()} (version {s.version}, {s.case.tumor.oncotree_code})"
            )
        )
        for note in item.not_imported:
            click.echo(_safe(f"  not imported: {note}"))


@case.command("list")
@click.option(
    "--search",
    "-s",
    default="",
    help="Words to look for: case id, OncoTree code, gene, pseudonym.",
)
@click.option("--status", type=click.Choice(["draft", "ready", "discussed"]))
@click.option(
    "--deleted", is_flag=True, help="List the bin (soft-deleted cases) instead."
)
@click.option(
    "--sort",
    type=click.Choice(["updated", "created", "case_id"]),
    default="updated",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(
    search: str, status: str | None, deleted: bool, sort: str, as_json: bool
) -> None:
    """List cases."""
    with _store() as store:
        rows = store.list(search, status=status, deleted=deleted, sort=sort)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rows], indent=2))
        return
    if not rows:
        click.echo("no cases" + (" match" if search or status else ""))
        return
    click.echo(
        f"{'CASE ID':<24} {'TUMOR':<10} {'STATUS':<10} {'VER':>4}  UPDATED (UTC)"
    )
    for r in rows:
        click.echo(
            f"{_safe(r.case_id):<24} {_safe(r.oncotree_code):<10} {r.status:<10} {r.version:>4}  "
            f"{r.updated_at[:19]}"
        )


@case.command("show")
@click.argument("case_id")
def show(case_id: str) -> None:
    """Print a stored case as oncoboard.case/1 JSON."""
    with _store() as store:
        click.echo(json.dumps(store.export_json(case_id), indent=2, ensure_ascii=False))


@case.command("export")
@click.argument("case_id")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
def export(case_id: str, output: Path) -> None:
    """Write a stored case to a case file (its variant files are written beside it)."""
    with _store() as store:
        store.export_file(case_id, output)
    click.echo(f"wrote {output}")


@case.command("delete")
@click.argument("case_id")
def delete(case_id: str) -> None:
    """Move a case to the bin (it can be restored)."""
    with _store() as store:
        store.delete(case_id)
    click.echo(
        _safe(
            f"moved {case_id} to the bin; `oncoboard case restore {case_id}` brings it back"
        )
    )


@case.command("restore")
@click.argument("case_id")
def restore(case_id: str) -> None:
    """Bring a case back from the bin."""
    with _store() as store:
        store.restore(case_id)
    click.echo(_safe(f"restored {case_id}"))
