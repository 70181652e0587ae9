"""Import CIViC clinical evidence as a second, clearly labelled source.

Reads three renderings of the CIViC nightly ``ClinicalEvidenceSummaries``:

* the official nightly TSV (``evidence_id``, ``evidence_civic_url`` ...), so an
  installation can refresh from a file downloaded from civicdb.org;
* the shared YAML rendering (``evidence_items:`` list);
* the shared flat TSV (``id``, ``civic_url``, lists joined with ``|``).

Genes and variants are derived from ``molecular_profile``: the split
``gene``/``variant`` columns of the shared files are wrong for complex profiles.
How profiles, levels and diseases are mapped is documented in
``docs/knowledgebase.md`` (section "CIViC import").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError

# CIViC evidence level -> AMP/ASCO/CAP 2017 level of evidence.  CIViC A
# (validated association) and B (clinical evidence) line up with AMP A and B;
# C (case study) with AMP C; D (preclinical) and E (inferential) are both no
# better than AMP D.  The original letter is kept beside the mapped one.
CIVIC_TO_AMP = {"A": "A", "B": "B", "C": "C", "D": "D", "E": "D"}

SENSITIVE_SIGNIFICANCE = {"sensitivity/response", "sensitivity"}
RESISTANT_SIGNIFICANCE = {"resistance", "reduced sensitivity"}


@dataclass(frozen=True)
class CivicItem:
    """One CIViC evidence item, as read (no interpretation yet)."""

    eid: int
    molecular_profile: str
    disease: str
    doid: str
    therapies: tuple[str, ...]
    therapy_interaction_type: str
    evidence_type: str
    evidence_direction: str
    evidence_level: str
    significance: str
    evidence_statement: str
    citation_id: str
    source_type: str
    rating: int | None
    status: str
    url: str


def read_civic(path: Path) -> list[CivicItem]:
    """Read CIViC evidence from any of the three supported renderings.

    Parameters
    ----------
    path
        ``.yaml``/``.yml`` (shared rendering) or ``.tsv`` (shared flat TSV or the
        official nightly ``ClinicalEvidenceSummaries.tsv``).

    Returns
    -------
    list[CivicItem]
        Accepted evidence items sorted by evidence id.
    """
    if path.suffix.lower() in {".yaml", ".yml"}:
        rows = _yaml_rows(path)
    else:
        rows = _tsv_rows(path)
    items = [_item(row, path, n) for n, row in enumerate(rows, start=1)]
    # The nightly lists accepted items only, but a manual export may not.
    items = [i for i in items if i.status in ("", "accepted")]
    return sorted(items, key=lambda i: i.eid)


def _yaml_rows(path: Path) -> list[dict[str, object]]:
    import yaml

    # The C loader when available: the nightly rendering is ~90,000 lines.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    if not isinstance(data, dict) or not isinstance(data.get("evidence_items"), list):
        raise UserInputError(path, [Problem("", "expected an 'evidence_items:' list")])
    return list(data["evidence_items"])


def _tsv_rows(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = set(reader.fieldnames or ())
        nightly = "evidence_id" in header
        if not nightly and not {"id", "molecular_profile"} <= header:
            raise UserInputError(
                path,
                [
                    Problem(
                        "line 1",
                        "not a CIViC evidence TSV (no evidence_id or id column)",
                    )
                ],
            )
        rows: list[dict[str, object]] = []
        for row in reader:
            d: dict[str, object] = dict(row)
            if nightly:
                # The official nightly joins therapies with commas.
                d["id"] = row.get("evidence_id", "")
                d["civic_url"] = row.get("evidence_civic_url", "")
                d["citation_source_type"] = row.get("source_type", "")
                d["therapies"] = _split(row.get("therapies") or "", ",")
            else:
                d["therapies"] = _split(row.get("therapies") or "", "|")
            rows.append(d)
    return rows


def _split(text: str, sep: str) -> list[str]:
    return [t.strip() for t in text.split(sep) if t.strip()]


def _text(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _item(row: dict[str, object], path: Path, n: int) -> CivicItem:
    try:
        eid = int(_text(row, "id"))
    except ValueError:
        raise UserInputError(
            path, [Problem(f"item {n}", "evidence id is not a number")]
        ) from None
    rating = _text(row, "rating")
    therapies = row.get("therapies") or []
    if not isinstance(therapies, list):
        therapies = _split(str(therapies), "|")
    return CivicItem(
        eid=eid,
        molecular_profile=_text(row, "molecular_profile"),
        disease=_text(row, "disease"),
        doid=_text(row, "doid"),
        therapies=tuple(str(t).strip() for t in therapies if str(t).strip()),
        therapy_interaction_type=_text(row, "therapy_interaction_type"),
        evidence_type=_text(row, "evidence_type"),
        evidence_direction=_text(row, "evidence_direction"),
        evidence_level=_text(row, "evidence_level"),
        significance=_text(row, "significance"),
        evidence_statement=_text(row, "evidence_statement"),
        citation_id=_text(row, "citation_id") or _text(row, "pmid"),
        source_type=_text(row, "citation_source_type"),
        rating=int(rating) if rating.isdigit() else None,
        status=_text(row, "evidence_status"),
        url=_text(row, "civic_url"),
    )


def direction_of(item: CivicItem) -> str | None:
    """Return ``sensitive``/``resistant`` for supported predictive items, else None.

    "Does Not Support" items say a biomarker does *not* predict response; they
    are kept in the evidence table but never become a therapy option.
    """
    if item.evidence_type != "Predictive" or item.evidence_direction != "Supports":
        return None
    sig = item.significance.lower()
    if sig in SENSITIVE_SIGNIFICANCE:
        return "sensitive"
    if sig in RESISTANT_SIGNIFICANCE:
        return "resistant"
    return None


def therapy_groups(item: CivicItem) -> list[tuple[str, ...]]:
    """Split an item's therapies into the regimens it describes.

    ``Substitutes`` means any one of the drugs, so each drug is its own
    regimen; ``Combination`` and ``Sequential`` describe one regimen.
    """
    if not item.therapies:
        return []
    if item.therapy_interaction_type == "Substitutes":
        return [(t,) for t in item.therapies]
    return [item.therapies]


@dataclass(frozen=True)
class DiseaseMap:
    """CIViC disease (by DOID, else by name) -> OncoTree code."""

    by_doid: dict[str, str]
    by_name: dict[str, str]

    def code(self, doid: str, disease: str) -> str | None:
        """Return the OncoTree code for a CIViC disease, or None if unmapped."""
        if doid and doid in self.by_doid:
            return self.by_doid[doid]
        return self.by_name.get(disease.strip().lower())


def load_disease_map(path: Path, known_code: Iterable[str] | None = None) -> DiseaseMap:
    """Read ``knowledgebase/civic_disease_map.tsv``.

    Columns: ``doid``, ``civic_disease``, ``oncotree_code``, ``note``.  Rows
    with an empty ``oncotree_code`` are documented non-mappings.

    Parameters
    ----------
    path
        The mapping table.
    known_code
        If given, every mapped code must be in it (the pinned OncoTree release).

    Returns
    -------
    DiseaseMap
    """
    known = set(known_code) if known_code is not None else None
    by_doid: dict[str, str] = {}
    by_name: dict[str, str] = {}
    problems: list[Problem] = []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        for lineno, row in enumerate(csv.DictReader(rows, delimiter="\t"), start=2):
            code = (row.get("oncotree_code") or "").strip()
            if not code:
                continue
            if known is not None and code not in known:
                problems.append(
                    Problem(
                        f"line {lineno} ({row.get('civic_disease')})",
                        f"{code!r} is not an OncoTree code",
                    )
                )
                continue
            doid = (row.get("doid") or "").strip()
            if doid:
                by_doid[doid] = code
            by_name[(row.get("civic_disease") or "").strip().lower()] = code
    if problems:
        raise UserInputError(path, problems)
    return DiseaseMap(by_doid, by_name)
