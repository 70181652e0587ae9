"""A site's own curation: YAML files laid over the bundled knowledge base at run time.

Hospitals add what the bundled KB cannot verify offline (EMA dates, ESCAT tiers,
local formulary restrictions, locally approved indications).  The files live in
``<data dir>/site-curation/*.yaml`` or where IT points the machine configuration
key ``kb.site_overlay`` (a folder or one file).  Each file holds ``entries:``;
an item is either a full entry (the curated schema, ``schema.Entry``) or an
annotation of a bundled entry, and every item names its ``curator`` and its
``curated_on`` date::

    entries:
      - id: SITE-EGFR-L858R-NSCLC-OSIMERTINIB-ADJ      # a locally approved indication
        curator: Dr A. Muster
        curated_on: 2026-11-30
        biomarker: {gene: EGFR, kind: variant, variant: L858R}
        ...                                             # as in knowledgebase/curated
      - annotate:
          entry: EGFR-L858R-NSCLC-OSIMERTINIB-1L       # a bundled entry's id
          escat: I-A
          approvals:
            - {agency: EMA, date: 2018-06-07, label: "Tagrisso", note: "EC decision ..."}
          citations:
            - {type: guideline, id: "ESMO ESCAT, Mosele et al. 2024"}
          note: "Formulary: first line only after oncology pharmacy approval."
        curator: Dr A. Muster
        curated_on: 2026-11-30

Entries are checked by the same schema and the same rules as the curated files
(``validate.py``: HGNC symbols, OncoTree codes, the drug vocabulary, citations,
ESCAT sources, EMA notes), against the vocabularies of the KB that is open.  An
annotation adds only what the bundled entry lacks; where it disagrees with a
bundled fact (another ESCAT tier, another date for an approval by the same
agency) the bundled value is kept and the disagreement is a :class:`Conflict`
that the option shows with both values and both sources.  Nothing is written to
the KB file: no rebuild is needed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oncoboard.core.errors import NotFoundError, Problem, UserInputError
from oncoboard.core.kb.curated import CuratedEntry, read_yaml, where
from oncoboard.core.kb.entry import SITE, KbEntry, SiteCuration
from oncoboard.core.kb.schema import ESCAT_VALUES, Approval, Citation, Entry
from oncoboard.core.kb.validate import Vocabularies, biomarker_key, validate_entries

if TYPE_CHECKING:
    from oncoboard.core.kb.store import KnowledgeBase

DEFAULT_FOLDER = "site-curation"
SITE_KEYS = ("curator", "curated_on")


# -- schema: the curated schema plus who curated it and when ---------------------------


class _SiteFields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    curator: str = Field(
        min_length=2, description="Name of the person who curated the item"
    )
    curated_on: dt.date = Field(description="Date of the curation (ISO)")

    @model_validator(mode="after")
    def _not_in_future(self) -> _SiteFields:
        if self.curated_on > dt.date.today():
            raise ValueError(f"curated_on {self.curated_on} is in the future")
        return self


@dataclass(frozen=True)
class SiteEntry:
    """A full entry of a site overlay: a curated-schema entry and who curated it when."""

    entry: Entry
    curator: str
    curated_on: dt.date
    source_file: str

    def as_kb_entry(self) -> KbEntry:
        """The entry as the matcher sees it: source ``site curation`` with its curator."""
        return dataclasses.replace(
            KbEntry.from_entry(self.entry, self.source_file),
            source=SITE,
            site=(
                SiteCuration(
                    self.curator, self.curated_on.isoformat(), self.source_file
                ),
            ),
        )


class Annotation(BaseModel):
    """What a site adds to a bundled entry: an ESCAT tier, approvals, a local note."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    entry: str = Field(description="Id of the bundled entry")
    escat: str | None = None
    approvals: list[Approval] = Field(default_factory=list)
    citations: list[Citation] = Field(
        default_factory=list,
        description="Sources of the ESCAT tier (a guideline naming ESCAT)",
    )
    note: str | None = Field(
        default=None, description="A local statement, e.g. a formulary restriction"
    )

    @model_validator(mode="after")
    def _adds_something(self) -> Annotation:
        if self.escat is None and not self.approvals and not self.note:
            raise ValueError("an annotation needs escat, approvals or a note")
        return self


class SiteAnnotation(_SiteFields):
    annotate: Annotation


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayFile:
    """One overlay file: its name, checksum and what it holds."""

    path: Path
    name: str  # e.g. site-curation/local.yaml
    sha256: str
    entries: int
    annotations: int


@dataclass(frozen=True)
class Conflict:
    """A site annotation that disagrees with a bundled fact (the bundled value is kept)."""

    entry_id: str
    field: str  # "escat" or "approvals.EMA"
    bundled: str
    bundled_source: str  # e.g. "OncoBoard curated, curated/nsclc_egfr.yaml"
    site: str
    site_source: (
        str  # e.g. "site curation (Dr A. Muster, 2026-11-30), site-curation/local.yaml"
    )

    def sentence(self) -> str:
        what = (
            "ESCAT tier"
            if self.field == "escat"
            else (f"{self.field.split('.', 1)[1]} approval date")
        )
        return (
            f"Conflict on the {what} of {self.entry_id}: the bundled knowledge base says "
            f"{self.bundled} ({self.bundled_source}); {self.site_source} says {self.site}. "
            "The bundled value is kept; the curators should resolve it."
        )


@dataclass(frozen=True)
class SiteOverlay:
    """A read overlay: its files, the entries it adds, its annotations and conflicts."""

    location: Path
    files: tuple[OverlayFile, ...]
    entries: tuple[KbEntry, ...]  # source "site curation", each with one SiteCuration
    annotations: dict[str, tuple[SiteCuration, ...]]  # bundled id -> what the site says
    conflicts: tuple[Conflict, ...]
    problems: tuple[Problem, ...]

    @property
    def sha256(self) -> str:
        """One checksum of every file (name and content SHA-256, sorted by name)."""
        text = "".join(
            f"{f.name}\t{f.sha256}\n" for f in sorted(self.files, key=lambda f: f.name)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def annotation_count(self) -> int:
        return sum(len(v) for v in self.annotations.values())

    def raise_for_problems(self) -> None:
        """Raise :class:`UserInputError` naming each file, entry and key that is wrong."""
        if self.problems:
            raise UserInputError(
                self.location,
                list(self.problems),
                hint="Fix the site curation (check it with `oncoboard kb overlay validate`); "
                "the knowledge base is not used with an overlay that does not validate.",
            )

    def merge(self, bundled: dict[str, KbEntry]) -> dict[str, KbEntry]:
        """The bundled entries with the annotations attached, plus the added entries."""
        merged = dict(bundled)
        for entry_id, notes in self.annotations.items():
            if entry_id in merged:
                merged[entry_id] = dataclasses.replace(
                    merged[entry_id], site=merged[entry_id].site + notes
                )
        for entry in self.entries:
            merged[entry.id] = entry
        return dict(sorted(merged.items()))

    def summary(self) -> str:
        """One sentence for the report's methods section."""
        files = "; ".join(
            f"{f.name}: {f.entries} entries, {f.annotations} annotations, SHA-256 {f.sha256}"
            for f in self.files
        )
        text = (
            f"{len(self.files)} file(s) from {self.location} ({files}). "
            f"{len(self.entries)} entries added and {self.annotation_count} annotations of "
            f"bundled entries, shown as 'site curation' with the curator and date; "
            f"overlay SHA-256 {self.sha256}."
        )
        if self.conflicts:
            text += (
                f" {len(self.conflicts)} conflict(s) with bundled facts are shown with both "
                "values; the bundled values are kept."
            )
        return text

    def ref(self) -> dict[str, Any]:
        """The ``kb.overlay`` object of the match output."""
        return {
            "sha256": self.sha256,
            "files": [
                {
                    "name": f.name,
                    "sha256": f.sha256,
                    "entries": f.entries,
                    "annotations": f.annotations,
                }
                for f in self.files
            ],
            "conflicts": len(self.conflicts),
        }


# -- where the overlay is --------------------------------------------------------------


def configured_overlay(config: Any, data_dir: Path | None = None) -> Path | None:
    """The overlay to open for analysis, or None.

    ``kb.site_overlay`` (machine or user configuration) names a folder or a file
    and must exist; otherwise ``<data dir>/site-curation`` is used when it exists.
    """
    explicit = config["kb.site_overlay"]
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.exists():
            raise NotFoundError(
                f"Site curation {path} (from the kb.site_overlay setting) "
                "does not exist."
            )
        return path
    from oncoboard.core import paths

    folder = paths.data_dir(data_dir or config["paths.data_dir"]) / DEFAULT_FOLDER
    return folder if folder.is_dir() else None


def overlay_files(location: Path) -> list[Path]:
    """The YAML files of an overlay folder (sorted; sub-folders are not read), or the file."""
    if location.is_file():
        return [location]
    return sorted(
        p
        for p in location.iterdir()
        if p.is_file() and p.suffix.lower() in (".yaml", ".yml")
    )


# -- reading and checking --------------------------------------------------------------


def read_overlay(location: Path, kb: KnowledgeBase) -> SiteOverlay | None:
    """Read and check the overlay at ``location`` against the open (bundled) ``kb``.

    Returns None when there is nothing to read (no folder, no YAML file).  Problems
    do not raise here: they are in ``problems`` (see :meth:`SiteOverlay.raise_for_problems`).
    """
    if not location.exists():
        return None
    paths_ = overlay_files(location)
    if not paths_:
        return None
    bundled = {e.id: e for e in kb.all_entries()}
    problems: list[Problem] = []
    files: list[OverlayFile] = []
    checked: list[CuratedEntry] = []  # schema-valid entries, site fields or not
    added: list[SiteEntry] = []
    notes: list[tuple[SiteAnnotation, str, str]] = []  # (annotation, file, item label)
    for path in paths_:
        name = f"{path.parent.name}/{path.name}"
        raw = path.read_bytes()
        n_entries, n_notes = _read_file(path, name, problems, checked, added, notes)
        files.append(
            OverlayFile(path, name, hashlib.sha256(raw).hexdigest(), n_entries, n_notes)
        )
    problems += _check_entries(checked, added, bundled, kb)
    annotations, conflicts = _annotate(
        notes, bundled, {e.entry.id for e in checked}, problems
    )
    entries = tuple(e.as_kb_entry() for e in added)
    return SiteOverlay(
        location, tuple(files), entries, annotations, tuple(conflicts), tuple(problems)
    )


def _read_file(
    path: Path,
    name: str,
    problems: list[Problem],
    checked: list[CuratedEntry],
    added: list[SiteEntry],
    notes: list[tuple[SiteAnnotation, str, str]],
) -> tuple[int, int]:
    """Schema-check one file's items; return how many entries and annotations it holds."""
    import yaml

    try:
        data = read_yaml(path)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, f"not valid YAML: {exc}"))
        return 0, 0
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(name, "expected a top-level 'entries:' list"))
        return 0, 0
    if set(data) - {"entries"}:
        problems.append(
            Problem(
                name,
                f"unknown top-level key(s) {sorted(set(data) - {'entries'})}; "
                "expected only 'entries:'",
            )
        )
    n_entries = n_notes = 0
    for index, item in enumerate(items):
        if isinstance(item, dict) and "annotate" in item:
            n_notes += 1
            label = _item_label(item, index)
            note = _validated(SiteAnnotation, item, name, label, problems)
            if isinstance(note, SiteAnnotation):
                notes.append((note, name, label))
            continue
        n_entries += 1
        label = _item_label(item, index)
        body = (
            {k: v for k, v in item.items() if k not in SITE_KEYS}
            if isinstance(item, dict)
            else item
        )
        site = (
            {k: v for k, v in item.items() if k in SITE_KEYS}
            if isinstance(item, dict)
            else {}
        )
        entry = _validated(Entry, body, name, label, problems)
        who = _validated(_SiteFields, site, name, label, problems)
        if isinstance(entry, Entry):
            checked.append(CuratedEntry(entry, name))
            if isinstance(who, _SiteFields):
                added.append(SiteEntry(entry, who.curator, who.curated_on, name))
    return n_entries, n_notes


def _validated(
    model: type[BaseModel], data: object, name: str, label: str, problems: list[Problem]
) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            problems.append(
                Problem(
                    where(name, label, field), err["msg"].removeprefix("Value error, ")
                )
            )
        return None


def _item_label(item: object, index: int) -> str:
    if not isinstance(item, dict):
        return f"#{index + 1}"
    if "annotate" in item:
        target = (
            item["annotate"].get("entry")
            if isinstance(item["annotate"], dict)
            else None
        )
        return f"#{index + 1} (annotation of {target})"
    return str(item["id"]) if item.get("id") else f"#{index + 1}"


class _KbDrugs:
    """The drug vocabulary of a built KB, with the two lookups the curated checks use."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._kb.canonical_drug(name) == name.lower()

    def canonical(self, name: str) -> str | None:
        return self._kb.canonical_drug(name)


def runtime_vocabularies(kb: KnowledgeBase) -> Vocabularies:
    """The vocabularies a curated file is checked against, from the open KB (OncoTree,
    drugs) and the reference tables the app ships (HGNC symbols and aliases).

    No release-date limit: a site records approvals after the KB's release (the
    overlay checks them against ``curated_on`` instead).
    """
    from oncoboard.core.kb.reference import load_gene_vocabulary
    from oncoboard.core.kb.sources import GENE_TABLES
    from oncoboard.core.paths import reference_dir, shared_data_dir

    tables = [shared_data_dir() / t for t in GENE_TABLES]
    missing = [str(t) for t in tables if not t.is_file()]
    if missing:
        raise NotFoundError(
            f"Gene tables needed to check the site curation are missing: "
            f"{', '.join(missing)}. Reinstall OncoBoard."
        )
    genes = load_gene_vocabulary(tables, reference_dir() / "gene_aliases.tsv")
    return Vocabularies(genes, kb.oncotree(), _KbDrugs(kb), {}, dt.date.max)  # type: ignore[arg-type]


def _check_entries(
    checked: list[CuratedEntry],
    added: list[SiteEntry],
    bundled: dict[str, KbEntry],
    kb: KnowledgeBase,
) -> list[Problem]:
    """The curated files' rules, plus what a site entry must respect of the bundled KB."""
    if not checked:
        return []
    problems = [
        p
        for p in validate_entries(checked, runtime_vocabularies(kb))
        if ".kmdata." not in p.location
    ]
    for item in checked:
        e, name = item.entry, item.source_file
        if e.id in bundled:
            problems.append(
                Problem(
                    where(name, e.id, "id"),
                    f"{e.id} is a bundled entry ({bundled[e.id].source_file}); "
                    "use another id, or annotate the bundled entry "
                    "(annotate: {entry: ...})",
                )
            )
        for i, outcome in enumerate(e.outcomes):
            if outcome.kmdata:
                problems.append(
                    Problem(
                        where(name, e.id, f"outcomes.{i}.kmdata"),
                        "kmdata links need a KB build; a site overlay cannot "
                        "add reconstructed survival data",
                    )
                )
    for site in added:
        for i, approval in enumerate(site.entry.approvals):
            if approval.date > site.curated_on:
                problems.append(
                    Problem(
                        where(site.source_file, site.entry.id, f"approvals.{i}.date"),
                        f"{approval.date} is after curated_on {site.curated_on}",
                    )
                )
    problems += _against_bundled(checked, bundled)
    return problems


def _against_bundled(
    items: list[CuratedEntry], bundled: dict[str, KbEntry]
) -> Iterable[Problem]:
    """The curated duplicate and contradiction rules, between site and bundled entries."""

    def key(e: Any) -> tuple[str, str, tuple[str, ...]]:
        return (biomarker_key(e), e.tumor.upper(), tuple(sorted(e.therapy)))

    by_key: dict[tuple[str, str, tuple[str, ...]], list[KbEntry]] = {}
    for b in bundled.values():
        if b.source != "CIViC":
            by_key.setdefault(key(b), []).append(b)
    for item in items:
        e = item.entry
        for b in by_key.get(key(e), []):
            if b.direction != e.direction:
                if not (b.note or e.note):
                    yield Problem(
                        where(item.source_file, e.id, "direction"),
                        f"contradicts bundled {b.id} ({b.source_file}): same biomarker, "
                        "tumor and therapy, sensitive vs resistant; add a 'note' "
                        "explaining the difference (e.g. setting or line)",
                    )
            elif _setting_key(b) == _setting_key(e):
                yield Problem(
                    where(item.source_file, e.id),
                    f"duplicate of bundled {b.id} ({b.source_file}): same biomarker, "
                    "tumor, therapy, direction and setting line; annotate the bundled "
                    "entry instead (annotate: {entry: " + b.id + ", ...})",
                )


def _setting_key(e: Any) -> tuple[str, int | None, tuple[str, ...]]:
    st = e.setting
    return (st.line, st.min_prior_lines, tuple(sorted(st.after)))


def _annotate(
    notes: list[tuple[SiteAnnotation, str, str]],
    bundled: dict[str, KbEntry],
    added_ids: set[str],
    problems: list[Problem],
) -> tuple[dict[str, tuple[SiteCuration, ...]], list[Conflict]]:
    out: dict[str, list[SiteCuration]] = {}
    conflicts: list[Conflict] = []
    site_escat: dict[str, tuple[str, str]] = {}
    for item, name, label in notes:
        a = item.annotate
        found = _annotation_problems(item, name, label, bundled, added_ids)
        target = bundled.get(a.entry)
        if a.escat is not None and target is not None:
            earlier = site_escat.setdefault(a.entry, (a.escat, name))
            if earlier[0] != a.escat:
                found.append(
                    Problem(
                        where(name, label, "annotate.escat"),
                        f"another annotation ({earlier[1]}) gives ESCAT {earlier[0]}",
                    )
                )
        problems += found
        if found or target is None:
            continue
        curation, new_conflicts = _against_entry(item, name, target)
        out.setdefault(a.entry, []).append(curation)
        conflicts += new_conflicts
    return {k: tuple(v) for k, v in sorted(out.items())}, conflicts


def _annotation_problems(
    item: SiteAnnotation,
    name: str,
    label: str,
    bundled: dict[str, KbEntry],
    added_ids: set[str],
) -> list[Problem]:
    a = item.annotate
    found: list[Problem] = []

    def problem(field: str, message: str) -> None:
        found.append(Problem(where(name, label, f"annotate.{field}"), message))

    if a.entry not in bundled:
        problem(
            "entry",
            f"{a.entry!r} is not an entry of the bundled knowledge base"
            + (
                " (it is a site entry: edit that entry instead)"
                if a.entry in added_ids
                else "; find ids with `oncoboard kb search TERM`"
            ),
        )
    if a.escat is not None and a.escat not in ESCAT_VALUES:
        problem(
            "escat",
            f"unknown ESCAT tier {a.escat!r}; expected one of {', '.join(ESCAT_VALUES)}",
        )
    elif a.escat is not None and not any(
        c.type == "guideline" and "ESCAT" in f"{c.id} {c.note or ''}".upper()
        for c in a.citations
    ):
        problem(
            "citations",
            f"ESCAT {a.escat} needs its source: a citation of type 'guideline' "
            "naming the ESMO publication, with 'ESCAT' in its id or note",
        )
    for i, approval in enumerate(a.approvals):
        if approval.date > item.curated_on:
            problem(
                f"approvals.{i}.date",
                f"{approval.date} is after curated_on {item.curated_on}",
            )
        if approval.agency == "EMA" and not approval.note:
            problem(
                f"approvals.{i}.note",
                "EMA approval needs a note saying what the date is (initial authorisation "
                "or EC decision on the extension) and where it was verified",
            )
    return found


def _against_entry(
    item: SiteAnnotation, name: str, target: KbEntry
) -> tuple[SiteCuration, list[Conflict]]:
    """What the annotation adds to ``target`` and where it disagrees (bundled value kept)."""
    a = item.annotate
    who = SiteCuration(item.curator, item.curated_on.isoformat(), name)
    site_source = f"{who.label}, {name}"
    bundled_source = f"{target.source}, {target.source_file}"
    conflicts: list[Conflict] = []
    escat = None
    if a.escat is not None:
        if target.escat is None:
            escat = a.escat
        elif target.escat != a.escat:
            conflicts.append(
                Conflict(
                    target.id,
                    "escat",
                    target.escat,
                    bundled_source,
                    a.escat,
                    site_source,
                )
            )
    approvals: list[Approval] = []
    for approval in a.approvals:
        same = [b for b in target.approvals if b.agency == approval.agency]
        if not same:
            approvals.append(approval)
        elif all(b.date != approval.date for b in same):
            bundled = ", ".join(sorted(b.date.isoformat() for b in same))
            conflicts.append(
                Conflict(
                    target.id,
                    f"approvals.{approval.agency}",
                    bundled,
                    bundled_source,
                    approval.date.isoformat(),
                    site_source,
                )
            )
    curation = dataclasses.replace(
        who,
        escat=escat,
        approvals=tuple(approvals),
        note=a.note,
        conflicts=tuple(c.sentence() for c in conflicts),
    )
    return curation, conflicts


# -- opening ---------------------------------------------------------------------------


def load_overlay(location: Path, kb: KnowledgeBase) -> SiteOverlay | None:
    """Read the overlay and raise :class:`UserInputError` if anything in it is wrong."""
    site = read_overlay(location, kb)
    if site is not None:
        site.raise_for_problems()
    return site


def site_entries_matching(
    entries: Sequence[KbEntry], gene: str | None = None, status: str | None = None
) -> list[KbEntry]:
    """The added site entries naming ``gene`` (any biomarker) or the case-level ``status``."""
    if gene is not None:
        return [e for e in entries if gene in e.genes]
    return [
        e
        for e in entries
        if e.biomarker.kind == "status" and e.biomarker.status == status
    ]
