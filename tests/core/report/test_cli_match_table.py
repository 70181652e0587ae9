"""``oncoboard match`` as text (issues 14 and 16): therapy names wrap instead of
being cut, columns stay aligned, applicability and conditions are in the row,
not-recommended regimens and the alteration view are listed, every variant names
its samples and VAFs are percent with one decimal."""

from __future__ import annotations

import json

from click.testing import CliRunner

from oncoboard.cli.main import cli as main
from shared_paths import REPO

DEMO = REPO / "assets" / "demo"
LUAD = str(DEMO / "demo-01-luad-egfr-t790m.json")
MEL = str(DEMO / "demo-04-melanoma-braf.json")


def _run(*args: str) -> str:
    done = CliRunner().invoke(main, ["match", *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def _options_block(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.startswith("Options (best first")
    )
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return lines[start + 1 : end]


def test_long_therapy_names_wrap_and_columns_stay_aligned() -> None:
    block = _options_block(_run(MEL))
    header = block[0]
    basis = header.index("BASIS")
    data = json.loads(_run(MEL, "--json"))
    long_one = next(o for o in data["options"] if len(" + ".join(o["drugs"])) > 26)
    words = " + ".join(long_one["drugs"]).split()
    joined = " ".join(block)
    for word in words:  # every word of the name is printed; nothing is cut
        assert word in joined
    rows = [line for line in block[1:] if line[:5].strip().isdigit()]
    assert len(rows) == len(data["options"])
    # the BASIS column starts at the same place in every row, with a CI or not
    for row in rows:
        assert row[basis - 1] == " " and row[basis] != " ", row


def test_applicability_and_conditions_are_in_the_row() -> None:
    text = _run(LUAD)
    data = json.loads(_run(LUAD, "--json"))
    block = _options_block(text)
    for o in data["options"]:
        row = next(
            i for i, line in enumerate(block) if line[:5].strip() == str(o["rank"])
        )
        word = "fits" if o["applicability"] == "fits" else "conditional:"
        assert word in block[row]
        if o["conditions"]:
            below = " ".join(block[row : row + 8])
            assert "condition: " in below


def test_not_recommended_block_and_alteration_view() -> None:
    text = _run(LUAD)
    data = json.loads(_run(LUAD, "--json"))
    assert "Not recommended" in text
    tail = text.split("Not recommended", 1)[1]
    for nr in data["not_recommended"]:
        assert f"x {' + '.join(nr['drugs'])}  [" in tail
    assert "What each alteration means:" in text
    assert "EGFR exon 19 deletion  T1 38.0%, P1 9.1%, P2 14.2%" in text
    assert "Possible clonal hematopoiesis: confirm in tissue" in " ".join(text.split())


def test_alterations_line_names_the_samples() -> None:
    text = _run(LUAD)
    line = " ".join(text.split("Alterations: ", 1)[1].split("\n\n")[0].split())
    assert line.startswith(
        "EGFR exon 19 deletion (T1, P1, P2), TP53 R248Q (T1), EGFR T790M (P1, P2)"
    )
    assert line.count("EGFR exon 19 deletion") == 1
