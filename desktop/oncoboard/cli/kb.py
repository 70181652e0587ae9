"""``oncoboard kb ...``: build, inspect, sign, install and roll back the knowledge base.

Heavy modules are imported inside each command so ``import oncoboard.cli.kb``
stays cheap.  User mistakes raise ``UserInputError`` (exit status 2).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

PASSPHRASE_ENV = "ONCOBOARD_KB_KEY_PASSPHRASE"


def _config() -> Any:
    from oncoboard.cli.context import context

    return context().config


def _open_kb(path: Path | None) -> Any:
    from oncoboard.cli.context import context

    return context(path).kb


def _key_lock(config: Any) -> str | None:
    """The machine config file if it locks ``kb.public_key`` (then --public-key is refused)."""
    from oncoboard.core import paths

    return str(paths.system_config_file()) if "kb.public_key" in config.locked else None


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


kb_path_option = click.option(
    "--kb",
    "kb_path",
    type=click.Path(path_type=Path),
    help="KB file to use (default: $ONCOBOARD_KB, kb.path, installed update, "
    "packaged KB).",
)


@click.group()
def kb() -> None:
    """Build, inspect, sign, install and roll back the knowledge base."""


@kb.command()
@click.option(
    "--curated",
    type=click.Path(path_type=Path, file_okay=False),
    help="Curated YAML folder [default: knowledgebase/curated of this checkout].",
)
@click.option(
    "--shared",
    type=click.Path(path_type=Path, file_okay=False),
    help="Shared open-data folder [default: $ONCOBOARD_SHARED_DATA or ../shared/data].",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file [default: the packaged oncoboard/data/kb.sqlite].",
)
@click.option(
    "--civic",
    "civic_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CIViC evidence file to import instead of the shared one "
    "(e.g. a downloaded nightly ClinicalEvidenceSummaries.tsv).",
)
@click.option("--check", is_flag=True, help="Validate only; write nothing.")
@click.option("--no-survival", is_flag=True, help="Skip the survival model fits.")
def build(
    curated: Path | None,
    shared: Path | None,
    out: Path | None,
    civic_file: Path | None,
    check: bool,
    no_survival: bool,
) -> None:
    """Validate the curated files and compile the KB into one SQLite file."""
    from oncoboard.core.api import build_kb
    from oncoboard.core.kb import build as kbbuild
    from oncoboard.core.kb.paths import packaged_kb_path
    from oncoboard.core.paths import repo_root, shared_data_dir

    curated = curated or repo_root() / "knowledgebase" / "curated"
    shared = shared or shared_data_dir(packaged_fallback=False)
    if check:
        inputs = kbbuild.read_inputs(curated, shared, civic_file=civic_file)
        click.echo(
            f"OK: {len(inputs.curated)} curated entries valid, "
            f"{len(inputs.civic.entries)} CIViC entries, "
            f"release {inputs.release.version}"
        )
        return
    out = out or packaged_kb_path()
    import sys

    with click.progressbar(length=100, label="Building KB", file=sys.stderr) as bar:
        done = [0]

        def progress(fraction: float, _message: str) -> None:
            bar.update(int(fraction * 100) - done[0])
            done[0] = int(fraction * 100)

        report = build_kb(
            curated, shared, out, progress=progress, fit_survival=not no_survival
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    click.echo(
        f"built {report.path}\nversion {report.version} ({report.release_date}) "
        f"sha256 {report.sha256}\n{counts}"
    )


@kb.command()
@kb_path_option
@click.option(
    "--public-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Public key to check a signed manifest with [default: kb.public_key].",
)
def verify(kb_path: Path | None, public_key: Path | None) -> None:
    """Check the KB's content hash (and signature, if installed from a bundle)."""
    from oncoboard.core.kb.bundle import pinned_public_key, verify_installed
    from oncoboard.core.kb.paths import resolve_kb_path

    config = _config()
    if public_key is not None:
        pinned_public_key(public_key, config["kb.public_key"], _key_lock(config))
    path = resolve_kb_path(kb_path, configured=config["kb.path"])
    key = public_key or config["kb.public_key"]
    for line in verify_installed(path, key):
        click.echo(f"{path}: {line}")


@kb.command()
@kb_path_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--top", default=15, show_default=True, help="Rows per breakdown.")
def stats(kb_path: Path | None, as_json: bool, top: int) -> None:
    """Counts by source, gene, level and tumor type, and CIViC coverage."""
    with _open_kb(kb_path) as base:
        data = base.stats()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"KB {data['version']} ({data['release_date']}) sha256 {data['sha256'][:12]}"
    )
    click.echo(
        f"entries {data['entries']} (matchable {data['matchable']}, CIViC "
        f"unmapped {data['civic_unmapped_entries']}); OncoTree nodes "
        f"{data['oncotree_nodes']}; drugs {data['drugs']}; kmdata links "
        f"{data['kmdata_links']}; survival fits {data['survival_fits']}; CIViC drug "
        f"names outside the vocabulary {data['civic_drugs_outside_vocabulary']}"
    )
    cover = data["curation_coverage"]
    click.echo(
        f"curated entries {cover['curated_entries']}: ESCAT tier set on "
        f"{cover['with_escat_tier']}; of {cover['curated_sensitive_entries']} sensitive, "
        f"FDA approval recorded on {cover['sensitive_with_fda_approval']}, EMA approval on "
        f"{cover['sensitive_with_ema_approval']} (a missing tier or approval means not yet "
        "verified by the curators, not that none exists)"
    )
    reg = data.get("trial_registry")
    if reg is not None:
        click.echo(
            f"trial registry: {reg['registry_trials']} trials, {reg['networks']} networks; "
            f"of {reg['curated_outcomes']} curated outcomes, {reg['outcomes_with_network_node_ids']} "
            f"have network node ids (a registry contrast for their trial and endpoint) and "
            f"{reg['outcomes_with_population_fields']} have population fields (trial registered)"
        )
    for key in (
        "by_source",
        "by_level",
        "by_direction",
        "civic_items_by_use",
        "by_gene",
        "by_tumor",
    ):
        click.echo(f"\n{key.replace('_', ' ')}:")
        for name, count in list(data[key].items())[:top]:
            click.echo(f"  {name:<40} {count:>6}")


SEARCH_ALL = 100_000  # count every match; the table shows the first --limit


def _row(entry: Any) -> str:
    from oncoboard.core.kb.writer import biomarker_label

    label = biomarker_label(entry.biomarker)
    return (
        f"{entry.id:<44} {label:<28} {entry.tumor:<9} {' + '.join(entry.therapy):<32} "
        f"{entry.direction:<9} {entry.amp_level}  {entry.source}"
    )


@kb.command()
@click.argument("term")
@kb_path_option
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(term: str, kb_path: Path | None, limit: int, as_json: bool) -> None:
    """Full-text search by gene, variant, drug (incl. brand), tumor or words.

    Results are ordered by evidence level (A first), curated before CIViC, then id;
    a header says how many entries match and how many are shown.
    """
    with _open_kb(kb_path) as base:
        every = base.search(term, limit=SEARCH_ALL)
    ordered = sorted(
        every, key=lambda e: (e.amp_level, e.source != "OncoBoard curated", e.id)
    )
    hits = ordered[:limit]
    if as_json:
        click.echo("[" + ",".join(e.to_json() for e in hits) + "]")
        return
    if not hits:
        click.echo(f"no entries match {term!r}")
        return
    shown = (
        f"showing {len(hits)} of {len(every)}"
        if len(hits) < len(every)
        else f"{len(every)}"
    )
    click.echo(f"{shown} entries matching {term!r}, strongest evidence level first")
    click.echo(
        f"{'ENTRY':<44} {'BIOMARKER':<28} {'TUMOR':<9} {'THERAPY':<32} {'DIRECTION':<9} "
        f"L  SOURCE"
    )
    for entry in hits:
        click.echo(_row(entry))


@kb.command()
@click.argument("entry_id")
@kb_path_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(entry_id: str, kb_path: Path | None, as_json: bool) -> None:
    """Show one entry with its citations, approvals and outcomes."""
    with _open_kb(kb_path) as base:
        entry = base.entry(entry_id)
        fits = base.survival_fits(entry_id)
        name = base.oncotree().name(entry.tumor)
    if as_json:
        click.echo(json.dumps(json.loads(entry.to_json()), indent=2))
        return
    click.echo(_row(entry))
    click.echo(
        f"tumor: {entry.tumor} ({name}); source: {entry.source} ({entry.source_file})"
    )
    click.echo(f"summary: {entry.summary}")
    for c in entry.citations:
        click.echo(f"citation: {c.render()}")
    for a in entry.approvals:
        click.echo(f"approval: {a.agency} {a.date} {a.label}")
    for o in entry.outcomes:
        click.echo(
            f"outcome: {o.trial} {o.endpoint} median {o.median_months} HR {o.hr}"
        )
    if entry.note:
        click.echo(f"note: {entry.note}")
    click.echo(f"survival fits: {len(fits)}")


@kb.command()
@click.option(
    "--private",
    "private_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Private key file to create (keep it offline).",
)
@click.option(
    "--public",
    "public_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Public key file to create (distribute and pin it).",
)
def keygen(private_path: Path, public_path: Path) -> None:
    """Create an Ed25519 signing key pair for KB bundles.

    The private key is encrypted with $ONCOBOARD_KB_KEY_PASSPHRASE when set.
    """
    from oncoboard.core.kb.bundle import generate_keypair

    fp = generate_keypair(private_path, public_path, _passphrase())
    click.echo(
        f"created {private_path} (private, keep offline) and {public_path}\n"
        f"fingerprint {fp}"
    )


@kb.command("bundle")
@click.option(
    "--key",
    "key_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Ed25519 private key (PEM).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Bundle .zip to write.",
)
@kb_path_option
def bundle_(key_path: Path, out: Path, kb_path: Path | None) -> None:
    """Sign a KB file into an update bundle for IT."""
    from oncoboard.core.kb.bundle import make_bundle
    from oncoboard.core.kb.paths import resolve_kb_path

    path = resolve_kb_path(kb_path, configured=_config()["kb.path"])
    info = make_bundle(path, key_path, out, _passphrase())
    click.echo(
        f"wrote {out}: KB {info.version} ({info.release_date}), signed by "
        f"{info.key_fingerprint}"
    )


@kb.command()
@click.argument(
    "bundle_file",
    metavar="BUNDLE",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@click.option(
    "--public-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pinned public key [default: kb.public_key, then the packaged key].",
)
def install(bundle_file: Path, public_key: Path | None) -> None:
    """Verify a signed bundle and install it (the previous KB is kept for rollback)."""
    from oncoboard.cli.context import context
    from oncoboard.core.api import install_kb_update

    info = install_kb_update(context(), bundle_file, public_key=public_key)
    click.echo(
        f"installed KB {info.version} ({info.release_date}), sha256 "
        f"{info.content_sha256[:12]}; `oncoboard kb rollback` restores the previous one"
    )


@kb.command()
def rollback() -> None:
    """Go back to the previously installed KB (run again to undo)."""
    from oncoboard.cli.context import context
    from oncoboard.core.api import rollback_kb

    was, now = rollback_kb(context())
    click.echo(f"rolled back: KB {was} -> {now}")


# ``kb overlay validate|list`` (the site's own curation) live in their own module.
from oncoboard.cli.kb_overlay import overlay  # noqa: E402

__all__ = ["kb", "kb_path_option", "overlay"]
