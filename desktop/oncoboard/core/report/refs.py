"""One deduplicated, numbered reference list per case.

The match output cites the same publication in several spellings
("PMID:24035188", "PMID:24035188 (CIViC EID1863)", "CIViC EID1863", or
"PMID:23470965" from the CIViC item EID1391).  A reference is keyed by its PMID
when it has one, else by the CIViC evidence item it names, else by its text;
every spelling of one source gets one number, and the list shows the most
informative spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PMID = re.compile(r"PMID:\s*(\d+)", re.IGNORECASE)
_EID = re.compile(r"\bEID\s*(\d+)")


def _pmid(text: str) -> str | None:
    found = _PMID.search(text)
    return f"PMID:{found.group(1)}" if found else None


def _eids(citation: str, source: str) -> list[str]:
    """CIViC items a citation names; a CIViC source's item counts for its PMID."""
    texts = [citation]
    if _pmid(citation) and source.startswith("CIViC"):
        texts.append(
            source
        )  # "CIViC (EID1391)" citing "PMID:23470965": one publication
    return [f"EID:{e}" for t in texts for e in _EID.findall(t)]


@dataclass
class References:
    """Numbers citations in order of first use; one source keeps one number.

    A citation is the same reference as an earlier one when it has the same PMID,
    or when it names (in its text or its evidence source) the same CIViC
    evidence item and the PMIDs do not differ: a CIViC item has one publication.
    """

    keys: dict[str, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    sources: dict[int, list[str]] = field(default_factory=dict)
    pmids: dict[int, str | None] = field(default_factory=dict)

    def _find(self, citation: str, source: str) -> int | None:
        pmid = _pmid(citation)
        if pmid and pmid in self.keys:
            return self.keys[pmid]
        for key in _eids(citation, source):
            n = self.keys.get(key)
            if n is not None and (pmid is None or self.pmids[n] in (None, pmid)):
                return n
        text_key = f"TEXT:{' '.join(citation.split()).lower()}"
        return self.keys.get(text_key)

    def cite(self, citation: str, source: str = "") -> int:
        """Return the number of ``citation``, giving it the next one if new."""
        pmid = _pmid(citation)
        n = self._find(citation, source)
        if n is None:
            n = len(self.texts) + 1
            self.texts[n], self.sources[n], self.pmids[n] = citation, [], pmid
        elif (
            pmid and self.pmids[n] is None
        ):  # the publication of a CIViC item cited before
            self.texts[n], self.pmids[n] = f"{citation}; {self.texts[n]}", pmid
        elif pmid and len(citation) > len(self.texts[n]):
            self.texts[n] = citation  # the fuller spelling of the same publication
        if source and source not in self.sources[n]:
            self.sources[n].append(source)
        keys = [pmid] if pmid else []
        keys += _eids(citation, source) + [f"TEXT:{' '.join(citation.split()).lower()}"]
        for key in keys:
            self.keys.setdefault(key, n)
        return n

    def cite_all(self, citations: list[str], source: str = "") -> list[int]:
        """Numbers of several citations, without repeats, in order."""
        out: list[int] = []
        for c in citations:
            n = self.cite(c, source)
            if n not in out:
                out.append(n)
        return out

    def entries(self) -> list[tuple[int, str, str]]:
        """``(number, citation, sources)`` in number order."""
        return [
            (n, self.texts[n], "; ".join(self.sources[n])) for n in sorted(self.texts)
        ]


def ref_marks(numbers: list[int]) -> str:
    """``[5, 3, 6]`` -> "[3, 5, 6]" (sorted, each once); empty -> ""."""
    return f"[{', '.join(str(n) for n in sorted(set(numbers)))}]" if numbers else ""
