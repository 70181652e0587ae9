"""OncoTree tumor types: loading the pinned release and walking the hierarchy."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError

ROOT = "TISSUE"


@dataclass(frozen=True)
class TumorType:
    """One OncoTree node."""

    code: str
    name: str
    main_type: str
    tissue: str
    parent: str | None
    level: int


class OncoTree:
    """An immutable OncoTree release with hierarchy queries.

    Parameters
    ----------
    nodes
        Every node of the release, the root (``TISSUE``) included.
    """

    def __init__(self, nodes: Iterable[TumorType]) -> None:
        self._nodes = {n.code: n for n in nodes}

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.upper() in self._nodes

    def nodes(self) -> list[TumorType]:
        """Return every node, sorted by code."""
        return [self._nodes[c] for c in sorted(self._nodes)]

    def exists(self, code: str) -> bool:
        """Return True if ``code`` is a node of this release (case-insensitive)."""
        return code in self

    def node(self, code: str) -> TumorType:
        """Return the node for ``code``; ``KeyError`` if unknown."""
        return self._nodes[code.upper()]

    def name(self, code: str) -> str:
        """Return the display name of ``code``, or the code itself if unknown."""
        node = self._nodes.get(code.upper())
        return node.name if node else code

    def main_type(self, code: str) -> str | None:
        """Return the OncoTree main type of ``code`` (None if unknown)."""
        node = self._nodes.get(code.upper())
        return node.main_type if node and node.main_type else None

    def parent(self, code: str) -> str | None:
        """Return the parent code of ``code`` (None for the root or unknown codes)."""
        node = self._nodes.get(code.upper())
        return node.parent if node else None

    def ancestors(self, code: str) -> list[str]:
        """Return the ancestors of ``code``, nearest first, the root last."""
        out: list[str] = []
        current = self.parent(code)
        # The guard stops a malformed file with a cycle from looping forever.
        while current and current not in out:
            out.append(current)
            current = self.parent(current)
        return out

    def is_same_or_descendant(self, code: str, ancestor: str) -> bool:
        """Return True if ``code`` is ``ancestor`` or lies below it in the tree."""
        code, ancestor = code.upper(), ancestor.upper()
        return code == ancestor or ancestor in self.ancestors(code)

    def search(self, text: str, limit: int = 20) -> list[TumorType]:
        """Find nodes whose code or name contains ``text`` (exact code match first)."""
        needle = text.strip().lower()
        if not needle:
            return []
        hits = [
            n
            for n in self._nodes.values()
            if needle in n.code.lower() or needle in n.name.lower()
        ]
        hits.sort(key=lambda n: (n.code.lower() != needle, n.level, n.code))
        return hits[:limit]

    def nearest(self, text: str, limit: int = 3) -> list[TumorType]:
        """Codes closest to ``text``: substring matches first, then similar spellings
        (a typo such as ``LAUD`` for ``LUAD``)."""
        import difflib

        found = self.search(text, limit=limit)
        codes = difflib.get_close_matches(
            text.strip().upper(), list(self._nodes), n=limit, cutoff=0.5
        )
        for code in codes:
            if len(found) >= limit:
                break
            if self._nodes[code] not in found:
                found.append(self._nodes[code])
        return found[:limit]


def load_oncotree_tsv(path: Path) -> OncoTree:
    """Read the flat OncoTree TSV (code, name, main_type, tissue, parent, level).

    Parameters
    ----------
    path
        ``oncotree_<release>.tsv`` from the shared data folder.

    Returns
    -------
    OncoTree
        The release; raises :class:`UserInputError` on a malformed row.
    """
    nodes: list[TumorType] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for lineno, row in enumerate(reader, start=2):
            try:
                nodes.append(
                    TumorType(
                        code=row["code"].strip(),
                        name=row["name"].strip(),
                        main_type=(row.get("main_type") or "").strip(),
                        tissue=(row.get("tissue") or "").strip(),
                        parent=(row.get("parent") or "").strip() or None,
                        level=int(row["level"]),
                    )
                )
            except (KeyError, ValueError, AttributeError) as exc:
                problems.append(Problem(f"line {lineno}", f"malformed row ({exc})"))
    if problems:
        raise UserInputError(path, problems)
    return OncoTree(nodes)
