"""Read API of a built knowledge base, used by the matcher, the GUI and the CLI.

The file is opened read-only (SQLite URI ``mode=ro``): the shipped KB is never
written by the app.  Entries are parsed once and cached in memory.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncoboard.core.errors import NotFoundError, StorageError
from oncoboard.core.kb import db as kbdb
from oncoboard.core.kb.entry import CURATED, KbEntry
from oncoboard.core.kb.oncotree import OncoTree, TumorType
from oncoboard.core.kb.trials_db import NetworkMatch, TrialStore

if TYPE_CHECKING:
    from oncoboard.core.kb.overlay import SiteOverlay


class KnowledgeBase:
    """An open, read-only knowledge base.

    Use :meth:`open`; attributes ``path``, ``version``, ``release_date``,
    ``sha256`` (content hash) and ``manifest`` describe the file.
    ``site_overlay`` is the site's own curation laid over it (``overlay.py``), or None.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.version: str = meta.get("version", "")
        self.release_date: str = meta.get("release_date", "")
        self.sha256: str = meta.get("content_sha256", "")
        self.manifest: dict[str, Any] = json.loads(meta.get("manifest", "{}"))
        self._all: dict[str, KbEntry] | None = None
        self._oncotree: OncoTree | None = None
        self._trial_store: TrialStore | None = None
        self._cross_resistance: dict[str, tuple[str, str]] | None = None
        self.site_overlay: SiteOverlay | None = None

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        configured: Path | None = None,
        overlay: Path | None = None,
    ) -> KnowledgeBase:
        """Open a KB file read-only.

        Parameters
        ----------
        path
            The file; by default resolved with
            :func:`oncoboard.core.kb.paths.resolve_kb_path`.
        configured
            The ``kb.path`` configuration value, passed to the resolver.
        overlay
            A site-curation folder or file (``overlay.configured_overlay``) to lay
            over the entries; a missing folder adds nothing, an invalid overlay
            raises :class:`UserInputError` naming the file, entry and key.

        Returns
        -------
        KnowledgeBase
            Raises :class:`NotFoundError` if there is no KB and
            :class:`StorageError` if the file is not a KB.
        """
        from oncoboard.core.kb.paths import resolve_kb_path

        resolved = path if path is not None else resolve_kb_path(configured=configured)
        if not resolved.is_file():
            raise NotFoundError(f"Knowledge base {resolved} does not exist.")
        from oncoboard.core.kb.installed import check_installed, is_installed

        if is_installed(resolved):  # an update installed from a signed bundle
            check_installed(resolved)
        try:
            conn = sqlite3.connect(
                f"{resolved.resolve().as_uri()}?mode=ro",
                uri=True,
                check_same_thread=False,
            )
            kb = cls(resolved, conn)
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"{resolved} is not an OncoBoard knowledge base ({exc}). Rebuild it "
                "with `oncoboard kb build` or reinstall an update bundle."
            ) from exc
        if overlay is not None:
            try:
                kb.attach_overlay(overlay)
            except BaseException:
                kb.close()
                raise
        return kb

    def attach_overlay(self, location: Path) -> None:
        """Read, check and lay a site overlay over the entries (no rebuild: memory only)."""
        from oncoboard.core.kb.overlay import load_overlay

        site = load_overlay(location, self)
        self.site_overlay = site
        self._all = None  # the next read merges

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def label(self) -> str:
        """Readable identity, e.g. ``2026.11.0 (2026-11-22, sha256 1a2b3c4d5e6f)``."""
        return f"{self.version} ({self.release_date}, sha256 {self.sha256[:12]})"

    # -- entries ---------------------------------------------------------------

    def _load(self) -> dict[str, KbEntry]:
        if self._all is None:
            rows = self._conn.execute("SELECT data FROM entries ORDER BY id")
            self._all = {e.id: e for e in (KbEntry.from_json(r[0]) for r in rows)}
            if self.site_overlay is not None:
                self._all = self.site_overlay.merge(self._all)
        return self._all

    def _site_entries(
        self, gene: str | None = None, status: str | None = None
    ) -> list[KbEntry]:
        from oncoboard.core.kb.overlay import site_entries_matching

        if self.site_overlay is None:
            return []
        return site_entries_matching(
            self.site_overlay.entries, gene=gene, status=status
        )

    def entries(self) -> list[KbEntry]:
        """Return every matchable entry (curated and mapped CIViC), sorted by id."""
        return [e for e in self._load().values() if e.matchable]

    def all_entries(self) -> list[KbEntry]:
        """Return every entry, CIViC items without an OncoTree mapping included."""
        return list(self._load().values())

    def entries_for_gene(self, gene: str) -> list[KbEntry]:
        """Return matchable entries whose biomarkers (any of them) name ``gene``."""
        ids = self._conn.execute(
            "SELECT entry_id FROM entry_genes WHERE gene = ? ORDER BY entry_id", (gene,)
        )
        found = self._matchable(r[0] for r in ids) + self._site_entries(gene=gene)
        return sorted(found, key=lambda e: e.id)

    def entries_for_status(self, status: str) -> list[KbEntry]:
        """Return matchable entries for a case-level status such as ``HER2-low``."""
        ids = self._conn.execute(
            "SELECT id FROM entries WHERE status = ? ORDER BY id", (status,)
        )
        found = self._matchable(r[0] for r in ids) + self._site_entries(status=status)
        return sorted(found, key=lambda e: e.id)

    def _matchable(self, ids: Any) -> list[KbEntry]:
        entries = self._load()
        return [entries[i] for i in ids if entries[i].matchable]

    def entry(self, entry_id: str) -> KbEntry:
        """Return an entry by id, matchable or not (:class:`NotFoundError` if none)."""
        try:
            return self._load()[entry_id]
        except KeyError:
            raise NotFoundError(
                f"No knowledge-base entry {entry_id!r} in KB {self.version}. "
                "Find ids with `oncoboard kb search TERM`."
            ) from None

    def search(self, term: str, limit: int = 50) -> list[KbEntry]:
        """Full-text search: gene, biomarker, drug (synonyms, brands), tumor, summary.

        Every word must match (as a prefix); best matches first.
        """
        words = re.findall(r"[\w]+", term.lower())
        if not words:
            return []
        query = " ".join(f'"{w}"*' for w in words)
        # Curated entries first, then CIViC; bm25 rank within each source.
        rows = self._conn.execute(
            "SELECT s.entry_id FROM search_fts s JOIN entries e ON e.id = s.entry_id "
            "WHERE search_fts MATCH ? "
            "ORDER BY e.source != 'OncoBoard curated', s.rank, s.entry_id LIMIT ?",
            (query, limit),
        )
        entries = self._load()
        return [entries[r[0]] for r in rows]

    def survival_fits(self, entry_id: str) -> list[dict[str, Any]]:
        """Return the survival fits stored for an entry (empty if none)."""
        rows = self._conn.execute(
            "SELECT data FROM survival_fits WHERE entry_id = ? ORDER BY seq",
            (entry_id,),
        )
        return [json.loads(r[0]) for r in rows]

    def kmdata_links(self, entry_id: str) -> list[dict[str, Any]]:
        """Return the kmdata datasets linked to an entry's outcomes."""
        cur = self._conn.execute(
            "SELECT outcome, trial, endpoint, dataset, arm FROM entry_kmdata "
            "WHERE entry_id = ? ORDER BY outcome, dataset, arm",
            (entry_id,),
        )
        keys = ("outcome", "trial", "endpoint", "dataset", "arm")
        return [dict(zip(keys, row, strict=True)) for row in cur]

    # -- vocabularies ----------------------------------------------------------

    def oncotree(self) -> OncoTree:
        """Return the OncoTree release the KB was built with."""
        if self._oncotree is None:
            rows = self._conn.execute(
                "SELECT code, name, main_type, tissue, parent, level FROM oncotree"
            )
            self._oncotree = OncoTree(TumorType(*row) for row in rows)
        return self._oncotree

    def canonical_drug(self, name: str) -> str | None:
        """Return the canonical (INN) name for a drug name, synonym or brand."""
        row = self._conn.execute(
            "SELECT inn FROM drug_names WHERE name = ?", (name.strip().lower(),)
        ).fetchone()
        return row[0] if row else None

    def drug_classes(self, inn: str) -> set[str]:
        """Return the classes of a drug (empty set if unknown)."""
        canonical = self.canonical_drug(inn) or inn.lower()
        row = self._conn.execute(
            "SELECT classes FROM drugs WHERE inn = ?", (canonical,)
        ).fetchone()
        return set(json.loads(row[0])) if row else set()

    def cross_resistance(self) -> dict[str, tuple[str, str]]:
        """Classes with established cross-resistance: class -> (statement, citation)."""
        if self._cross_resistance is None:
            try:
                rows = self._conn.execute(
                    "SELECT class, statement, citation FROM cross_resistance"
                ).fetchall()
            except sqlite3.OperationalError:
                raise StorageError(
                    f"{self.path}: this knowledge base has no cross-resistance table; it was "
                    "built by an older OncoBoard. Rebuild it (oncoboard kb build) or install "
                    "a current KB bundle."
                ) from None
            self._cross_resistance = {r[0]: (r[1], r[2]) for r in rows}
        return self._cross_resistance

    # -- trial registry and network meta-analyses (issues 15, 17) -------------
    # Read API for "trial population fit" and NMA-anchored comparisons; the
    # tables are written by core/kb/trials_db.py, the NMA by core/survival/networks.py.

    def _trials(self) -> TrialStore:
        if self._trial_store is None:
            self._trial_store = TrialStore(self._conn, self.path)
        return self._trial_store

    def trial(self, name: str) -> dict[str, Any]:
        """A registered trial (population, endpoints, contrasts, not_pooled, network).

        ``name`` is the curated outcome's ``trial`` value, e.g. ``"FLAURA"``.
        Raises :class:`NotFoundError` if the trial is not registered.
        """
        return self._trials().trial(name)

    def trial_names(self) -> list[str]:
        """Names of every registered trial, sorted."""
        return self._trials().trial_names()

    def networks(self) -> list[dict[str, Any]]:
        """Every stored network meta-analysis (see core/survival/networks.py for keys)."""
        return self._trials().networks()

    def network(self, network_id: str) -> dict[str, Any]:
        """One network by id, e.g. ``"nsclc_alk_1l/PFS"``."""
        return self._trials().network(network_id)

    def network_node(self, drugs: Any) -> str | None:
        """The registry node whose drug set equals ``drugs`` (any order), or None."""
        return self._trials().node_for(
            [self.canonical_drug(d) or d.lower() for d in drugs]
        )

    def network_for(
        self,
        drugs: Any,
        tumor: str | None = None,
        line: str | None = None,
        endpoint: str = "PFS",
    ) -> NetworkMatch | None:
        """The network (of ``endpoint``) holding the node of ``drugs``, or None.

        ``tumor`` matches a network whose OncoTree code is the same or an
        ancestor (a LUAD case matches an NSCLC network); ``line`` must equal
        the network's line (``first``, ``second_or_later``). TTP and PFS are
        never mixed: ``endpoint`` selects exactly one.
        """
        tree = self.oncotree()

        def matches(case: str, net: str) -> bool:
            return case in tree and tree.is_same_or_descendant(case, net)

        return self._trials().network_for(
            [self.canonical_drug(d) or d.lower() for d in drugs],
            tumor=tumor, line=line, endpoint=endpoint, tumor_matches=matches,
        )  # fmt: skip

    def _registry_coverage(self) -> dict[str, int] | None:
        outcomes = [
            (o.trial, o.endpoint)
            for e in self.all_entries()
            if e.source == CURATED
            for o in e.outcomes
        ]
        try:
            return self._trials().stats(outcomes)
        except StorageError:
            return None

    # -- integrity and statistics ---------------------------------------------

    def verify(self) -> bool:
        """Recompute the content hash and compare it with the stored one."""
        return kbdb.content_hash(self._conn) == self.sha256

    def stats(self) -> dict[str, Any]:
        """Return counts by source, gene, AMP level, tumor type and CIViC use."""
        entries = self.all_entries()
        matchable = [e for e in entries if e.matchable]
        civic_use = dict(
            self._conn.execute(
                "SELECT used_as, count(*) FROM civic_evidence "
                "GROUP BY used_as ORDER BY used_as"
            ).fetchall()
        )
        return {
            "version": self.version,
            "release_date": self.release_date,
            "sha256": self.sha256,
            "entries": len(entries),
            "matchable": len(matchable),
            "by_source": _count(e.source for e in entries),
            "by_level": _count(f"{e.source}: {e.amp_level}" for e in matchable),
            "by_gene": _count(g for e in matchable for g in e.genes),
            "by_tumor": _count(e.tumor for e in matchable),
            "by_direction": _count(e.direction for e in matchable),
            "civic_items": sum(civic_use.values()),
            "civic_items_by_use": civic_use,
            "civic_unmapped_entries": len(entries) - len(matchable),
            "civic_drugs_outside_vocabulary": len(
                {d for e in entries for d in e.therapy} - self._vocabulary_names()
            ),
            "oncotree_nodes": self._scalar("SELECT count(*) FROM oncotree"),
            "drugs": self._scalar("SELECT count(*) FROM drugs"),
            "kmdata_links": self._scalar("SELECT count(*) FROM entry_kmdata"),
            "survival_fits": self._scalar("SELECT count(*) FROM survival_fits"),
            "curation_coverage": _curation_coverage(entries),
            "trial_registry": self._registry_coverage(),
        }

    def _vocabulary_names(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT inn FROM drugs")}

    def _scalar(self, sql: str) -> int:
        return int(self._conn.execute(sql).fetchone()[0])


def _curation_coverage(entries: list[Any]) -> dict[str, int]:
    """How many curated entries carry an ESCAT tier and FDA / EMA approvals.

    Shown so curators and IT see what is still to be filled in, rather than
    reading a missing tier or approval as "none exists".
    """
    curated = [e for e in entries if e.source == CURATED]
    sensitive = [e for e in curated if e.direction == "sensitive"]
    return {
        "curated_entries": len(curated),
        "curated_sensitive_entries": len(sensitive),
        "with_escat_tier": sum(1 for e in curated if e.escat),
        "sensitive_with_fda_approval": sum(
            1 for e in sensitive if any(a.agency == "FDA" for a in e.approvals)
        ),
        "sensitive_with_ema_approval": sum(
            1 for e in sensitive if any(a.agency == "EMA" for a in e.approvals)
        ),
    }


def _count(values: Any) -> dict[str, int]:
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
