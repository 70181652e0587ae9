"""How the site's own curation (``core/kb/overlay.py``) shows in a match.

An entry the site added is evidence whose source reads ``site curation
(curator, date)``.  An annotation of a bundled entry adds what the entry lacks
(an ESCAT tier, an approval by another agency, a local note), each shown with
who curated it; where it disagrees with a bundled fact the bundled value stays
and the option's notes and a ``site_curation_conflict`` flag name both values
and both sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from oncoboard.core.kb.entry import SITE, KbEntry
from oncoboard.core.matching.result import (
    Flag,
    OverlayFileRef,
    OverlayRef,
    RegulatoryApproval,
)

CONFLICT_FLAG = "site_curation_conflict"


def source_label(entry: KbEntry) -> str | None:
    """``site curation (curator, date)`` for an entry the site added, else None."""
    if entry.source == SITE and entry.site:
        return entry.site[0].label
    return None


def escat(entry: KbEntry) -> str | None:
    """The bundled ESCAT tier, else one a site annotation adds."""
    return entry.escat or next((s.escat for s in entry.site if s.escat), None)


def approvals(entry: KbEntry) -> list[RegulatoryApproval]:
    """The entry's approvals (a site entry's labelled as such) and those annotations add."""
    own = source_label(entry)
    pairs = [(a, own) for a in entry.approvals]
    pairs += [(a, s.label) for s in entry.site for a in s.approvals]
    return [
        RegulatoryApproval(
            agency=a.agency,
            date=a.date.isoformat(),
            label=a.label,
            reference=a.reference,
            source=source,
        )
        for a, source in sorted(pairs, key=lambda p: (p[0].date, p[0].agency))
    ]


def notes(entry: KbEntry, *, same_tumor: bool = True) -> list[str]:
    """What the site says about the entry, each sentence naming the curator and date.

    ESCAT and approvals are named only for evidence in this tumor type (they do
    not carry over to another type); local notes and conflicts always.
    """
    out: list[str] = []
    for s in entry.site:
        who = f"{s.label}, {s.source_file}"
        if same_tumor and s.escat and not entry.escat:
            out.append(f"ESCAT {s.escat} from {who}.")
        if same_tumor:
            out += [
                f"{a.agency} approval {a.date.isoformat()} ({a.label}) from {who}."
                for a in s.approvals
            ]
        if s.note:
            out.append(f"Local note from {who}: {s.note}")
        out += list(s.conflicts)
    return out


def conflict_flags(entries: Iterable[KbEntry]) -> list[Flag]:
    """One ``site_curation_conflict`` flag per conflict of a matched entry."""
    seen: dict[str, Flag] = {}
    for entry in entries:
        for s in entry.site:
            for sentence in s.conflicts:
                seen.setdefault(sentence, Flag(code=CONFLICT_FLAG, message=sentence))
    return list(seen.values())


def overlay_ref(kb: object) -> OverlayRef | None:
    """The match output's ``kb.overlay`` for a KB opened with a site overlay."""
    site = getattr(kb, "site_overlay", None)
    if site is None:
        return None
    return OverlayRef(
        sha256=site.sha256,
        files=[
            OverlayFileRef(
                name=f.name,
                sha256=f.sha256,
                entries=f.entries,
                annotations=f.annotations,
            )
            for f in site.files
        ],
        conflicts=len(site.conflicts),
    )


def methods_line(ref: OverlayRef) -> str:
    """The report's methods line: files, counts and checksums of the overlay."""
    entries = sum(f.entries for f in ref.files)
    annotations = sum(f.annotations for f in ref.files)
    files = "; ".join(
        f"{f.name} ({f.entries} entries, {f.annotations} annotations, "
        f"SHA-256 {f.sha256})"
        for f in ref.files
    )
    text = (
        f"The site's own curation was laid over the knowledge base: {len(ref.files)} "
        f"file(s), {entries} added entries and {annotations} annotations of bundled "
        f"entries, shown as 'site curation' with the curator and date. Files: {files}. "
        f"Overlay SHA-256 {ref.sha256}."
    )
    if ref.conflicts:
        text += (
            f" {ref.conflicts} annotation value(s) disagree with the bundled knowledge "
            "base; the bundled values are kept and both are shown."
        )
    return text
