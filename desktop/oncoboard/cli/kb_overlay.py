"""``oncoboard kb overlay ...``: check and list the site's own curation (``core/kb/overlay.py``).

Both commands read the overlay against the KB *without* it (the bundled
entries), so an overlay that does not validate can still be inspected.  Any
problem exits with status 2 and names the file, the entry and the key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from oncoboard.cli.kb import kb, kb_path_option


@kb.group()
def overlay() -> None:
    """Check and list the site's own curation (kb.site_overlay or <data dir>/site-curation)."""


path_argument = click.argument("path", required=False, type=click.Path(path_type=Path))


def _read(path: Path | None, kb_path: Path | None) -> tuple[Any, Path | None]:
    """(the overlay or None, where it was looked for); raises on a missing explicit PATH."""
    from oncoboard.cli.context import context
    from oncoboard.core.errors import Problem, UserInputError
    from oncoboard.core.kb.overlay import (
        DEFAULT_FOLDER,
        configured_overlay,
        read_overlay,
    )
    from oncoboard.core.kb.store import KnowledgeBase

    ctx = context()
    if path is not None and not path.exists():
        raise UserInputError(path, [Problem("", "no such file or folder")])
    location = (
        path if path is not None else configured_overlay(ctx.config, ctx.data_dir)
    )
    if location is None:
        return None, ctx.data_dir / DEFAULT_FOLDER
    with KnowledgeBase.open(
        kb_path or ctx.kb_path, configured=ctx.config["kb.path"]
    ) as base:
        return read_overlay(location, base), location


@overlay.command()
@path_argument
@kb_path_option
def validate(path: Path | None, kb_path: Path | None) -> None:
    """Check the overlay files with the curated schema and rules (exit 2 on any problem).

    PATH is a folder of YAML files or one file; by default the configured overlay.
    Conflicts with bundled facts are listed; they are not errors (the bundled value
    is kept and both are shown in the analysis).
    """
    site, location = _read(path, kb_path)
    if site is None:
        click.echo(f"no site curation at {location} (nothing to check)")
        return
    site.raise_for_problems()
    for f in site.files:
        click.echo(
            f"{f.name}: {f.entries} entries, {f.annotations} annotations, sha256 {f.sha256}"
        )
    for conflict in site.conflicts:
        click.echo(f"conflict: {conflict.sentence()}")
    click.echo(
        f"valid: {len(site.entries)} entries, {site.annotation_count} annotations, "
        f"{len(site.conflicts)} conflicts; overlay sha256 {site.sha256}"
    )


@overlay.command("list")
@path_argument
@kb_path_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(path: Path | None, kb_path: Path | None, as_json: bool) -> None:
    """List the overlay's entries, annotations and conflicts, with curator and date."""
    site, location = _read(path, kb_path)
    if site is None:
        click.echo(json.dumps(None) if as_json else f"no site curation at {location}")
        return
    site.raise_for_problems()
    data = _listing(site)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"site curation {site.location} (sha256 {site.sha256})")
    click.echo(f"\nentries ({len(data['entries'])}):")
    for e in data["entries"]:
        click.echo(
            f"  {e['id']:<40} {e['tumor']:<9} {' + '.join(e['therapy']):<28} "
            f"{e['curator']}, {e['curated_on']}  {e['file']}"
        )
    click.echo(f"\nannotations ({len(data['annotations'])}):")
    for a in data["annotations"]:
        adds = (", ".join(a["adds"]) or "nothing") + (
            f" ({len(a['conflicts'])} conflict(s))" if a["conflicts"] else ""
        )
        click.echo(
            f"  {a['entry']:<40} adds {adds}; {a['curator']}, {a['curated_on']}  {a['file']}"
        )
    click.echo(f"\nconflicts ({len(data['conflicts'])}):")
    for c in data["conflicts"]:
        click.echo(f"  {c['sentence']}")


def _listing(site: Any) -> dict[str, Any]:
    entries = [
        {
            "id": e.id,
            "tumor": e.tumor,
            "therapy": list(e.therapy),
            "direction": e.direction,
            "curator": e.site[0].curator,
            "curated_on": e.site[0].curated_on,
            "file": e.site[0].source_file,
        }
        for e in site.entries
    ]
    annotations = []
    for entry_id, notes in site.annotations.items():
        for s in notes:
            adds = (
                ([f"ESCAT {s.escat}"] if s.escat else [])
                + [f"{a.agency} {a.date.isoformat()}" for a in s.approvals]
                + (["a local note"] if s.note else [])
            )
            annotations.append(
                {
                    "entry": entry_id,
                    "adds": adds,
                    "note": s.note,
                    "curator": s.curator,
                    "curated_on": s.curated_on,
                    "file": s.source_file,
                    "conflicts": list(s.conflicts),
                }
            )
    conflicts = [
        {
            "entry": c.entry_id,
            "field": c.field,
            "bundled": c.bundled,
            "bundled_source": c.bundled_source,
            "site": c.site,
            "site_source": c.site_source,
            "sentence": c.sentence(),
        }
        for c in site.conflicts
    ]
    return {
        "location": str(site.location),
        "sha256": site.sha256,
        "files": [
            {
                "name": f.name,
                "sha256": f.sha256,
                "entries": f.entries,
                "annotations": f.annotations,
            }
            for f in site.files
        ],
        "entries": entries,
        "annotations": annotations,
        "conflicts": conflicts,
    }
