"""A table keeps its lines, not a dict of cells per row (issue 22: a MAF used ~19x its size)."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

from oncoboard.core.profiles.tables import read_table


def test_a_wide_maf_costs_at_most_three_times_its_size(tmp_path: Path) -> None:
    rnd = random.Random(3)
    header = "\t".join(
        ["Hugo_Symbol", "Tumor_Sample_Barcode", "Protein_Change"]
        + [f"X{i}" for i in range(117)]
    )
    rows = [
        "\t".join(
            ["KRAS", f"S{i % 7}", "p.G12D"]
            + [str(rnd.randint(0, 99999)) for _ in range(117)]
        )
        for i in range(4000)
    ]
    path = tmp_path / "wide.maf"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    tracemalloc.start()
    table = read_table(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3 * path.stat().st_size, (
        f"{peak / path.stat().st_size:.1f}x the file size"
    )
    assert len(table.rows) == 4000
    lineno, row = table.rows[5]
    assert (
        lineno == 7
        and row["Hugo_Symbol"] == "KRAS"
        and row.get("Protein_Change") == "p.G12D"
    )
    assert row.get("missing", "") == "" and len(row) == 120


def test_short_rows_are_padded_and_csv_quotes_kept(tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    path.write_text('gene,protein,note\nEGFR,L858R,"a, b"\nKRAS,G12C\n')
    table = read_table(path)
    rows = [r for _, r in table.rows]
    assert rows[0]["note"] == "a, b" and rows[1]["note"] == ""
