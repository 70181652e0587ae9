"""``oncoboard audit|db|config``: administration commands."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def audit() -> None:
    """Inspect the audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the audit trail: no row edited, deleted, reordered or re-chained.

    Also checks the append-only triggers, every case against its checksum and
    its last audit row (direct edits of the cases), the anchor file beside the
    database (rows deleted from the end, a recomputed chain) and the anchors of
    the backups. Exit status 1 if anything is wrong.
    """
    from oncoboard.core.db import CaseStore
    from oncoboard.core.db.audit_check import verify

    with CaseStore() as store:
        report = verify(store.db.conn, store.path)
    for note in report.notes:
        click.echo(f"note: {note}")
    if report.problems:
        for p in report.problems:
            click.echo(f"BROKEN: {p}", err=True)
        raise SystemExit(1)
    click.echo(f"audit trail intact ({report.rows} rows; anchored)")


@click.group()
def db() -> None:
    """Back up and restore the case database."""


@db.command("backup")
def db_backup() -> None:
    """Take a backup of the case database now."""
    from oncoboard.core.db import CaseStore
    from oncoboard.core.db.backup import backup_database

    with CaseStore() as store:
        target = backup_database(store.db.conn, store.path, reason="manual")
    click.echo(f"backup written to {target}")


@db.command("restore")
@click.argument("backup_name")
def db_restore(backup_name: str) -> None:
    """Replace the case database with a backup, after checking the backup in full.

    Nothing is replaced if the backup fails its check. The current file (and
    its WAL) is kept as cases.sqlite.broken-<time>; earlier copies are never
    overwritten. Close OncoBoard everywhere before restoring.
    """
    from oncoboard.core import paths
    from oncoboard.core.db.backup import backup_dir, offer, restore_backup
    from oncoboard.core.errors import NotFoundError

    db_path = paths.database_file()
    candidate = backup_dir(db_path) / Path(backup_name).name
    if not candidate.is_file():
        raise NotFoundError(
            f"No backup {backup_name!r} in {backup_dir(db_path)}.{offer(db_path)}"
        )
    kept = restore_backup(db_path, candidate)
    click.echo(f"restored {candidate.name}")
    if kept is not None:
        click.echo(f"the replaced database was kept as {kept}")


@db.command("check")
def db_check() -> None:
    """Check the case database in full and say which backups are usable.

    Runs SQLite's integrity_check, compares every case and variant file with its
    stored SHA-256, verifies the audit chain against every case, and checks each
    backup the same way. Exit status 1 if the database is damaged.
    """
    from oncoboard.core import paths
    from oncoboard.core.db.backup import list_backups, offer
    from oncoboard.core.db.integrity import check_file
    from oncoboard.core.errors import NotFoundError

    db_path = paths.database_file()
    if not db_path.exists():
        raise NotFoundError(f"No case database at {db_path}.")
    for found in list_backups(db_path):
        trouble = check_file(found)
        click.echo(
            f"backup {found.name}: "
            + (f"UNUSABLE, it {trouble[0]}" if trouble else "ok")
        )
    problems = check_file(db_path, live=True)
    if problems:
        for problem in problems:
            click.echo(f"DAMAGED: {db_path} {problem}", err=True)
        click.echo(offer(db_path).strip(), err=True)
        raise SystemExit(1)
    click.echo(f"case database {db_path}: ok")


@click.group("config")
def config_group() -> None:
    """Show the effective configuration."""


@config_group.command("show")
def config_show() -> None:
    """Print every key, its value and where it came from."""
    from oncoboard.core import paths
    from oncoboard.core.config import KEYS, load_config

    config = load_config()
    click.echo(f"machine file: {paths.system_config_file()}")
    click.echo(f"user file:    {paths.user_config_file()}")
    for key in KEYS:
        click.echo(
            f"{key.name:<22} = {config[key.name]!r:<30} ({config.origins[key.name]})"
        )
