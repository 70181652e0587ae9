"""KB tables of the trial registry and its network meta-analyses.

Tables (all in the content hash, see :data:`TRIAL_CONTENT_TABLES`):

* ``network_nodes``: node id, label, drug sets (JSON).
* ``trials``: one row per registered trial with its population and endpoints
  (JSON of :class:`~oncoboard.core.kb.trials.Trial`), network and source file.
* ``trial_contrasts``: one row per trial, endpoint and contrast (HR, CI,
  PMID, assessment) for SQL-level queries.
* ``nma_results``: one row per network and endpoint (JSON, see
  :mod:`oncoboard.core.survival.networks`).

Writing happens at build time (:func:`write_trial_tables`); reading is in
:class:`TrialStore`, which :class:`~oncoboard.core.kb.store.KnowledgeBase`
exposes through small delegating methods.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oncoboard.core.errors import NotFoundError, StorageError

if TYPE_CHECKING:
    from oncoboard.core.kb.trials import TrialRegistry

TRIAL_CONTENT_TABLES: tuple[tuple[str, str], ...] = (
    ("network_nodes", "id"),
    ("trials", "trial"),
    ("trial_contrasts", "trial, endpoint, treat, control"),
    ("nma_results", "id"),
)


def create_trial_tables(db: Any) -> None:
    """Create the registry tables in a new KB (a sqlite-utils ``Database``)."""
    db["network_nodes"].create({"id": str, "label": str, "drug_sets": str}, pk="id")
    db["trials"].create(
        {
            "trial": str,
            "network": str,
            "tumor": str,
            "line": str,
            "source_file": str,
            "data": str,
        },
        pk="trial",
    )
    db["trial_contrasts"].create(
        {
            "trial": str, "network": str, "endpoint": str, "treat": str, "control": str,
            "hr": float, "lower": float, "upper": float, "pmid": str, "assessment": str,
        },
        pk=("trial", "endpoint", "treat", "control"),
    )  # fmt: skip
    db["nma_results"].create(
        {
            "id": str,
            "network": str,
            "endpoint": str,
            "tumor": str,
            "line": str,
            "data": str,
        },
        pk="id",
    )
    db["trial_contrasts"].create_index(["network", "endpoint"])


def write_trial_tables(
    db: Any, registry: TrialRegistry | None, results: list[dict[str, Any]]
) -> None:
    """Insert the registry and the NMA results (rows sorted by key)."""
    if registry is None:
        return
    db["network_nodes"].insert_all(
        {
            "id": n.id,
            "label": n.label,
            "drug_sets": json.dumps([sorted(s) for s in n.drug_sets()]),
        }
        for _, n in sorted(registry.nodes.items())
    )
    trials = sorted(registry.trials, key=lambda t: t.trial.trial)
    db["trials"].insert_all(
        {
            "trial": rt.trial.trial, "network": rt.network,
            "tumor": rt.trial.population.tumor, "line": rt.trial.population.line,
            "source_file": rt.source_file,
            "data": json.dumps(rt.trial.model_dump(mode="json"), sort_keys=True),
        }
        for rt in trials
    )  # fmt: skip
    db["trial_contrasts"].insert_all(
        {
            "trial": rt.trial.trial, "network": rt.network, "endpoint": e.endpoint,
            "treat": c.treat, "control": c.control, "hr": c.hr,
            "lower": c.ci[0], "upper": c.ci[1], "pmid": e.pmid,
            "assessment": e.assessment,
        }
        for rt in trials
        for e in rt.trial.endpoints
        for c in e.contrasts
    )  # fmt: skip
    db["nma_results"].insert_all(
        {
            "id": r["id"], "network": r["network"], "endpoint": r["endpoint"],
            "tumor": r["tumor"], "line": r["line"],
            "data": json.dumps(r, sort_keys=True),
        }
        for r in sorted(results, key=lambda r: r["id"])
    )  # fmt: skip


@dataclass(frozen=True)
class NetworkMatch:
    """Where a drug set sits in a network: its node and the network's results."""

    node: str
    network: dict[str, Any]

    def versus(self, other: str, model: str = "random") -> dict[str, Any] | None:
        """HR (with ``lower``, ``upper``, ``p``) of this node vs ``other``."""
        for p in self.network["pairs"]:
            if p["treat"] == self.node and p["control"] == other:
                return dict(p[model])
        return None

    def vs_reference(self, model: str = "random") -> dict[str, Any] | None:
        return self.versus(self.network["reference"], model)

    def pscore(self, model: str = "random") -> float | None:
        return self.network["pscores"][model].get(self.node)


class TrialStore:
    """Read access to the registry tables of an open KB connection."""

    def __init__(self, conn: sqlite3.Connection, path: Any) -> None:
        self._conn = conn
        self._path = path
        self._nodes: dict[str, tuple[str, list[frozenset[str]]]] | None = None
        self._networks: list[dict[str, Any]] | None = None

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError:
            raise StorageError(
                f"{self._path}: this knowledge base has no trial registry tables; it was "
                "built by an older OncoBoard. Rebuild it (oncoboard kb build) or install "
                "a current KB bundle."
            ) from None

    def nodes(self) -> dict[str, tuple[str, list[frozenset[str]]]]:
        """Node id -> (label, drug sets)."""
        if self._nodes is None:
            rows = self._query(
                "SELECT id, label, drug_sets FROM network_nodes ORDER BY id"
            )
            self._nodes = {
                r[0]: (r[1], [frozenset(s) for s in json.loads(r[2])]) for r in rows
            }
        return self._nodes

    def node_for(self, drugs: frozenset[str] | set[str] | list[str]) -> str | None:
        wanted = frozenset(d.lower() for d in drugs)
        return next(
            (n for n, (_, sets) in self.nodes().items() if wanted in sets), None
        )

    def trial(self, name: str) -> dict[str, Any]:
        rows = self._query(
            "SELECT data, network, source_file FROM trials WHERE trial = ?", (name,)
        )
        if not rows:
            raise NotFoundError(f"No trial {name!r} in the KB's trial registry.")
        data = json.loads(rows[0][0])
        data["network"], data["source_file"] = rows[0][1], rows[0][2]
        return data

    def trial_names(self) -> list[str]:
        return [r[0] for r in self._query("SELECT trial FROM trials ORDER BY trial")]

    def networks(self) -> list[dict[str, Any]]:
        if self._networks is None:
            rows = self._query("SELECT data FROM nma_results ORDER BY id")
            self._networks = [json.loads(r[0]) for r in rows]
        return self._networks

    def network(self, network_id: str) -> dict[str, Any]:
        for n in self.networks():
            if n["id"] == network_id:
                return n
        raise NotFoundError(f"No network {network_id!r} in the KB.")

    def network_for(
        self,
        drugs: frozenset[str] | set[str] | list[str],
        *,
        tumor: str | None = None,
        line: str | None = None,
        endpoint: str = "PFS",
        tumor_matches: Any = None,
    ) -> NetworkMatch | None:
        node = self.node_for(drugs)
        if node is None:
            return None
        for net in self.networks():
            if net["endpoint"] != endpoint or node not in net["nodes"]:
                continue
            if line is not None and net["line"] != line:
                continue
            if tumor is not None:
                ok = (
                    tumor_matches(tumor, net["tumor"])
                    if tumor_matches
                    else tumor == net["tumor"]
                )
                if not ok:
                    continue
            return NetworkMatch(node, net)
        return None

    def stats(self, outcomes: Sequence[tuple[str, str]]) -> dict[str, int]:
        """Coverage of curated outcomes ``(trial, endpoint)`` by the registry."""
        population = {r[0] for r in self._query("SELECT trial FROM trials")}
        contrasts = {
            (r[0], r[1])
            for r in self._query("SELECT trial, endpoint FROM trial_contrasts")
        }
        return {
            "registry_trials": len(population),
            "registry_contrasts": len(contrasts),
            "networks": len(self.networks()),
            "curated_outcomes": len(outcomes),
            "outcomes_with_population_fields": sum(
                1 for t, _ in outcomes if t in population
            ),
            "outcomes_with_network_node_ids": sum(
                1 for o in outcomes if o in contrasts
            ),
        }
