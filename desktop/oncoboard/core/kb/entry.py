"""``KbEntry``: one knowledge-base entry as the matcher and GUI see it.

It carries the curated schema's fields plus where the entry came from, so a
CIViC-derived option is always labelled as such in the GUI and the report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from oncoboard.core.kb.schema import (
    Approval,
    Biomarker,
    Citation,
    CoRequirement,
    Entry,
    Outcome,
    Setting,
)

Source = Literal["OncoBoard curated", "CIViC", "site curation"]
CURATED: Source = "OncoBoard curated"
CIVIC: Source = "CIViC"
SITE: Source = (
    "site curation"  # a hospital's overlay (core/kb/overlay.py), never in the KB file
)
UNMAPPED = "unmapped"


@dataclass(frozen=True)
class SiteCuration:
    """What a site overlay (``core/kb/overlay.py``) says about one entry, and who said it.

    An entry the site added carries one with only the curator, date and file.
    A bundled entry a site annotated carries one per annotation: what it adds
    (an ESCAT tier or approvals the bundled entry lacks, a local note) and the
    conflicts with the bundled facts, which stay as they are.
    """

    curator: str
    curated_on: str  # ISO date
    source_file: str
    escat: str | None = None
    approvals: tuple[Approval, ...] = ()
    note: str | None = None
    conflicts: tuple[str, ...] = ()  # sentences naming both values and both sources

    @property
    def label(self) -> str:
        """E.g. ``site curation (Dr A. Muster, 2026-11-30)``."""
        return f"{SITE} ({self.curator}, {self.curated_on})"


@dataclass(frozen=True)
class KbEntry:
    """An immutable KB entry (curated or imported from CIViC).

    Lists of the schema are tuples here so the entry is hashable and cannot be
    changed after it leaves the store.
    """

    id: str
    biomarker: Biomarker
    tumor: str
    therapy: tuple[str, ...]
    direction: Literal["sensitive", "resistant"]
    amp_level: Literal["A", "B", "C", "D"]
    citations: tuple[Citation, ...]
    summary: str
    source: Source
    source_file: str
    also_requires: tuple[Biomarker, ...] = ()
    co_requirements: tuple[CoRequirement, ...] = ()
    tumor_exclude: tuple[str, ...] = ()
    escat: str | None = None
    approvals: tuple[Approval, ...] = ()
    setting: Setting = field(default_factory=Setting)
    outcomes: tuple[Outcome, ...] = ()
    note: str | None = None
    civic_eid: int | None = None
    rating: int | None = None
    civic_level: str | None = None  # the original CIViC level A-E
    civic_url: str | None = None
    matchable: bool = True  # False for CIViC items whose disease has no OncoTree code
    contraindicated: bool = (
        False  # curated resistance: must not be offered (see schema)
    )
    except_with: tuple[str, ...] = ()  # drug classes that lift a resistance entry
    site: tuple[
        SiteCuration, ...
    ] = ()  # site overlay provenance (runtime only, never stored)

    @property
    def gene(self) -> str | None:
        """The primary biomarker's gene (None for case-level statuses)."""
        return self.biomarker.gene

    @property
    def genes(self) -> tuple[str, ...]:
        """Every gene the entry's biomarkers name, primary first, no repeats."""
        out: list[str] = []
        for b in (self.biomarker, *self.also_requires):
            if b.gene and b.gene not in out:
                out.append(b.gene)
        return tuple(out)

    @classmethod
    def from_entry(cls, entry: Entry, source_file: str) -> KbEntry:
        """Wrap a curated schema entry."""
        return cls(
            id=entry.id,
            biomarker=entry.biomarker,
            tumor=entry.tumor,
            therapy=tuple(entry.therapy),
            direction=entry.direction,
            amp_level=entry.amp_level,
            citations=tuple(entry.citations),
            summary=entry.summary,
            source=CURATED,
            source_file=source_file,
            also_requires=tuple(entry.also_requires),
            co_requirements=tuple(entry.co_requirements),
            tumor_exclude=tuple(entry.tumor_exclude),
            escat=entry.escat,
            approvals=tuple(entry.approvals),
            setting=entry.setting,
            outcomes=tuple(entry.outcomes),
            note=entry.note,
            contraindicated=entry.contraindicated,
            except_with=tuple(entry.except_with),
        )

    def to_json(self) -> str:
        """Serialise to canonical JSON (sorted keys) for storage in the KB file."""
        data = _plain(asdict(self))
        if not self.site:  # keeps built KB files byte-identical to before the overlay
            del data["site"]
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> KbEntry:
        """Rebuild an entry stored with :meth:`to_json`."""
        d: dict[str, Any] = json.loads(text)
        d["biomarker"] = Biomarker.model_validate(d["biomarker"])
        d["also_requires"] = tuple(
            Biomarker.model_validate(b) for b in d["also_requires"]
        )
        d["co_requirements"] = tuple(
            CoRequirement.model_validate(c) for c in d["co_requirements"]
        )
        d["citations"] = tuple(Citation.model_validate(c) for c in d["citations"])
        d["approvals"] = tuple(Approval.model_validate(a) for a in d["approvals"])
        d["outcomes"] = tuple(Outcome.model_validate(o) for o in d["outcomes"])
        d["setting"] = Setting.model_validate(d["setting"])
        for key in ("therapy", "tumor_exclude", "except_with"):
            d[key] = tuple(d.get(key, ()))
        d["site"] = tuple(
            SiteCuration(
                **{
                    **s,
                    "approvals": tuple(
                        Approval.model_validate(a) for a in s["approvals"]
                    ),
                    "conflicts": tuple(s["conflicts"]),
                }
            )
            for s in d.get("site", ())
        )
        return cls(**d)


def _plain(value: Any) -> Any:
    """Turn pydantic models, tuples and dates into JSON-ready values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
