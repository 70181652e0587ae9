"""Writing a KB file from checked build inputs (rows in sorted order)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from oncoboard.core.kb import db as kbdb
from oncoboard.core.kb import sources as src
from oncoboard.core.kb.build_inputs import BuildInputs
from oncoboard.core.kb.entry import KbEntry
from oncoboard.core.kb.schema import Biomarker
from oncoboard.core.kb.trials_db import write_trial_tables

MANIFEST_SCHEMA = "oncoboard.kb-manifest/1"


def biomarker_label(b: Biomarker) -> str:
    """Return a short readable label such as ``EGFR L858R`` or ``ALK fusion``."""
    gene = b.gene or ""
    detail = {
        "variant": b.variant,
        "codon": f"codon {b.codon}",
        "exon": f"exon {b.exon} {b.exon_change or 'any'}",
        "exon_skipping": f"exon {b.exon} skipping",
        "oncogenic": "oncogenic mutation",
        "loss_of_function": "loss of function",
        "amplification": "amplification",
        "deletion": "deletion",
        "fusion": f"{b.partner}::{gene} fusion" if b.partner else "fusion",
        "expression": f"expression {b.level}",
        "status": b.status,
        "braf_class": f"class {b.braf_class}",
    }[b.kind]
    if b.kind == "fusion" and b.partner:
        return str(detail)
    return f"{gene} {detail}".strip()


def write_kb(path: Path, inputs: BuildInputs) -> tuple[str, dict[str, int]]:
    """Write all tables to a new file at ``path``; return (content hash, counts)."""
    import sqlite_utils

    entries = sorted(
        [KbEntry.from_entry(c.entry, c.source_file) for c in inputs.curated]
        + inputs.civic.entries,
        key=lambda e: e.id,
    )
    db = sqlite_utils.Database(path)
    try:
        kbdb.create_schema(db)
        with db.conn:
            _write_entries(db, entries, inputs)
            _write_reference(db, inputs)
            _write_civic(db, inputs)
            _write_kmdata(db, entries, inputs)
            _write_survival(db, inputs.survival_fits)
            write_trial_tables(db, inputs.trials, inputs.nma_results)
        kbdb.enable_search(db)
        counts = _counts(entries, inputs)
        manifest = _manifest(inputs, counts)
        with db.conn:
            db.table("meta").insert_all(
                [
                    {"key": "schema_version", "value": str(kbdb.SCHEMA_VERSION)},
                    {"key": "version", "value": inputs.release.version},
                    {
                        "key": "release_date",
                        "value": inputs.release.release_date.isoformat(),
                    },
                    {"key": "manifest", "value": json.dumps(manifest, sort_keys=True)},
                ]
            )
        sha = kbdb.content_hash(db.conn)
        with db.conn:
            db.table("meta").insert({"key": "content_sha256", "value": sha})
        db.conn.execute("VACUUM")
    finally:
        db.close()
    return sha, counts


def _entry_row(e: KbEntry) -> dict[str, Any]:
    return {
        "id": e.id, "source": e.source, "source_file": e.source_file, "gene": e.gene,
        "kind": e.biomarker.kind, "status": e.biomarker.status, "tumor": e.tumor,
        "direction": e.direction, "amp_level": e.amp_level, "escat": e.escat,
        "therapy": " + ".join(e.therapy), "matchable": int(e.matchable),
        "civic_eid": e.civic_eid, "rating": e.rating, "data": e.to_json(),
    }  # fmt: skip


def _search_row(e: KbEntry, inputs: BuildInputs) -> dict[str, Any]:
    drug_words: list[str] = []
    for inn in e.therapy:
        drug_words.append(inn)
        rec = inputs.drugs.records.get(inn)
        if rec:
            drug_words += rec.drug.synonyms + rec.drug.brands
    labels = [biomarker_label(b) for b in (e.biomarker, *e.also_requires)]
    tree = inputs.oncotree
    tumor = [e.tumor, tree.name(e.tumor), tree.main_type(e.tumor) or ""]
    return {
        "entry_id": e.id,
        "genes": " ".join([*e.genes, *labels]),
        "drugs": " ".join(drug_words),
        "tumor": " ".join(t for t in tumor if t),
        "summary": e.summary,
    }


def _write_entries(db: Any, entries: list[KbEntry], inputs: BuildInputs) -> None:
    db["entries"].insert_all((_entry_row(e) for e in entries), batch_size=500)
    db["entry_genes"].insert_all(
        ({"entry_id": e.id, "gene": g} for e in entries for g in e.genes),
        batch_size=1000,
    )
    db["search"].insert_all((_search_row(e, inputs) for e in entries), batch_size=500)


def _write_reference(db: Any, inputs: BuildInputs) -> None:
    db["oncotree"].insert_all(
        (
            {
                "code": n.code,
                "name": n.name,
                "main_type": n.main_type,
                "tissue": n.tissue,
                "parent": n.parent,
                "level": n.level,
            }
            for n in inputs.oncotree.nodes()
        ),
        batch_size=1000,
    )
    drugs = inputs.drugs
    db["drugs"].insert_all(
        {
            "inn": inn,
            "synonyms": json.dumps(rec.drug.synonyms),
            "brands": json.dumps(rec.drug.brands),
            "classes": json.dumps(sorted(rec.drug.classes)),
            "source_file": rec.source_file,
        }
        for inn, rec in sorted(drugs.records.items())
    )
    db["drug_names"].insert_all({"name": n, "inn": inn} for n, inn in drugs.names())
    db["cross_resistance"].insert_all(
        (
            {
                "class": c.drug_class,
                "statement": c.statement,
                "citation": c.render_citation(),
            }
            for _, c in sorted(drugs.cross_resistance.items())
        ),
    )


def _write_civic(db: Any, inputs: BuildInputs) -> None:
    civic = inputs.civic
    db["civic_evidence"].insert_all(
        (
            {
                "eid": i.eid, "molecular_profile": i.molecular_profile,
                "disease": i.disease, "doid": i.doid,
                "oncotree_code": civic.oncotree_code.get(i.eid),
                "therapies": " | ".join(i.therapies),
                "therapy_interaction_type": i.therapy_interaction_type,
                "evidence_type": i.evidence_type,
                "evidence_direction": i.evidence_direction,
                "evidence_level": i.evidence_level, "significance": i.significance,
                "citation_id": i.citation_id, "source_type": i.source_type,
                "rating": i.rating, "url": i.url, "used_as": civic.outcome[i.eid],
            }
            for i in inputs.civic_items
        ),
        batch_size=1000,
    )  # fmt: skip


def _write_kmdata(db: Any, entries: list[KbEntry], inputs: BuildInputs) -> None:
    db["kmdata_catalog"].insert_all(
        {
            "dataset": d.dataset, "trial_figure": d.trial_figure, "pmid": d.pmid,
            "endpoint": d.endpoint, "cancer": d.cancer, "arms": json.dumps(d.arms),
        }
        for _, d in sorted(inputs.kmdata.items())
    )  # fmt: skip
    links = {
        (e.id, i, link.dataset, link.arm): {
            "entry_id": e.id, "outcome": i, "trial": o.trial, "endpoint": o.endpoint,
            "dataset": link.dataset, "arm": link.arm,
        }
        for e in entries
        for i, o in enumerate(e.outcomes)
        for link in o.kmdata
    }  # fmt: skip
    db["entry_kmdata"].insert_all(v for _, v in sorted(links.items()))


def _write_survival(db: Any, fits: list[dict[str, Any]]) -> None:
    texts = sorted(
        (str(f.get("entry_id", "")), json.dumps(f, sort_keys=True, default=str))
        for f in fits
    )
    seq: Counter[str] = Counter()
    rows = []
    for entry_id, text in texts:
        rows.append({"entry_id": entry_id, "seq": seq[entry_id], "data": text})
        seq[entry_id] += 1
    db["survival_fits"].insert_all(rows)


def _counts(entries: list[KbEntry], inputs: BuildInputs) -> dict[str, int]:
    curated = sum(1 for e in entries if e.source != "CIViC")
    civic = len(entries) - curated
    return {
        "entries": len(entries),
        "curated_entries": curated,
        "civic_entries": civic,
        "civic_entries_unmapped": sum(1 for e in entries if not e.matchable),
        "civic_items": len(inputs.civic_items),
        "civic_drugs_outside_vocabulary": len(inputs.civic.drugs_outside_vocabulary),
        "oncotree_nodes": len(inputs.oncotree),
        "drugs": len(inputs.drugs.records),
        "kmdata_datasets": len(inputs.kmdata),
        "survival_fits": len(inputs.survival_fits),
        "registry_trials": len(inputs.trials.trials) if inputs.trials else 0,
        "networks": len(inputs.nma_results),
    }


def _manifest(inputs: BuildInputs, counts: dict[str, int]) -> dict[str, Any]:
    from oncoboard import __version__

    return {
        "schema": MANIFEST_SCHEMA,
        "version": inputs.release.version,
        "release_date": inputs.release.release_date.isoformat(),
        "built_with": f"oncoboard {__version__}",
        "sources": [
            {"name": "OncoBoard curated", "version": inputs.release.version,
             "licence": "GPL-3.0-or-later (project content)",
             "attribution": "OncoBoard curated knowledge base"},
            *[
                {"name": s.name, "version": s.version, "licence": s.licence,
                 "attribution": s.attribution}
                for s in src.SOURCES
            ],
        ],
        "files": inputs.files,
        "counts": counts,
    }  # fmt: skip
