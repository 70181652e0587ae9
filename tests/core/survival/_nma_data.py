"""Reading the shared NMA reference data (``../shared/data/nma``) for the tests.

The data are read where they live, never copied into the repository. A
missing folder must fail the tests, not skip them: :func:`nma_dir` asserts.

The arm-level data sets are turned into contrasts here the way netmeta's
``pairwise()`` does (README of the data folder, "Derived files"), so the
tests also check the folder's ``*_pairwise_derived.csv`` files instead of
trusting them.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.survival.nma import Contrast
from shared_paths import DATA

NMA_DIR = DATA / "nma"


def nma_dir() -> Path:
    assert (NMA_DIR / "expected.json").is_file(), (
        f"shared NMA reference data missing at {NMA_DIR} (needs ../shared/data/nma)"
    )
    return NMA_DIR


def expected() -> dict[str, dict[str, Any]]:
    data = json.loads((nma_dir() / "expected.json").read_text())
    return {a["id"]: a for a in data["analyses"]}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(nma_dir() / name, newline="") as fh:
        return list(csv.DictReader(fh))


def contrasts_from_csv(name: str) -> list[Contrast]:
    """Contrast-level rows (senn2013.csv or a derived file), included rows only."""
    return [
        Contrast(
            r["studlab"], r["treat1"], r["treat2"], float(r["TE"]), float(r["seTE"])
        )
        for r in read_csv(name)
        if r.get("included", "1") == "1"
    ]


@dataclass(frozen=True)
class PairRow:
    """One pairwise() row; te/se are None for an all-or-nothing table."""

    study: str
    treat1: str
    treat2: str
    te: float | None
    se: float | None
    n1: int
    n2: int

    def contrast(self) -> Contrast:
        assert self.te is not None and self.se is not None
        return Contrast(self.study, self.treat1, self.treat2, self.te, self.se)


def pairwise_md(arms: list[tuple[str, str, float, float, int]]) -> list[PairRow]:
    """Arms (study, treatment, mean, sd, n) -> MD rows 1-2, 1-3, 2-3 per study."""
    out = []
    for study, group in itertools.groupby(arms, key=lambda a: a[0]):
        for a, b in itertools.combinations(list(group), 2):
            te = a[2] - b[2]
            se = math.sqrt(a[3] ** 2 / a[4] + b[3] ** 2 / b[4])
            out.append(PairRow(study, a[1], b[1], te, se, a[4], b[4]))
    return out


def pairwise_or(arms: list[tuple[str, str, int, int]]) -> list[PairRow]:
    """Arms (study, treatment, events, n) -> log OR rows, netmeta/meta style:
    0.5 added to every cell of a table with a zero cell; a table with no events
    (or only events) in both arms is not estimable."""
    out = []
    for study, group in itertools.groupby(arms, key=lambda a: a[0]):
        for (_, t1, e1, n1), (_, t2, e2, n2) in itertools.combinations(list(group), 2):
            cells = [e1, n1 - e1, e2, n2 - e2]
            if (e1 == 0 and e2 == 0) or (e1 == n1 and e2 == n2):
                out.append(PairRow(study, t1, t2, None, None, n1, n2))
                continue
            incr = 0.5 if 0 in cells else 0.0
            a, b, c, d = (x + incr for x in cells)
            te = math.log(a / b) - math.log(c / d)
            se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
            out.append(PairRow(study, t1, t2, te, se, n1, n2))
    return out


def stowe_pairs() -> list[PairRow]:
    arms = []
    for r in read_csv("stowe2010.csv"):
        for i in (1, 2, 3):
            if r[f"t{i}"]:
                arms.append(
                    (
                        r["study"],
                        r[f"t{i}"],
                        float(r[f"y{i}"]),
                        float(r[f"sd{i}"]),
                        int(r[f"n{i}"]),
                    )
                )
    return pairwise_md(arms)


def baker_pairs() -> list[PairRow]:
    rows = read_csv("baker2009.csv")
    arms = [
        (f"{r['study']} {r['year']}", r["treatment"], int(r["exac"]), int(r["total"]))
        for r in rows
    ]
    return pairwise_or(arms)


def dogliotti_pairs() -> list[PairRow]:
    rows = read_csv("dogliotti2014.csv")
    return pairwise_or(
        [(r["study"], r["treatment"], int(r["stroke"]), int(r["total"])) for r in rows]
    )


def observations(pairs: list[PairRow]) -> int:
    """netmeta's o: patients in the studies that enter the analysis."""
    size: dict[tuple[str, str], int] = {}
    for p in pairs:
        if p.te is not None:
            size[(p.study, p.treat1)] = p.n1
            size[(p.study, p.treat2)] = p.n2
    return sum(size.values())
