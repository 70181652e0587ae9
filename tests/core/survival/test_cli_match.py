"""``oncoboard match``: the number's trial and warnings in the option's row, the
cross-trial caveat in the text and the JSON, and no adjustment flag (issue 15)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from oncoboard.cli.main import cli as main
from shared_paths import SPEC_EXAMPLES

CASE = str(SPEC_EXAMPLES / "luad-egfr-exon19-tissue.json")


def test_json_predicted_carries_basis_trial_population_and_caveat() -> None:
    done = CliRunner().invoke(main, ["match", CASE, "--json"])
    assert done.exit_code == 0, done.output
    options = json.loads(done.stdout)["options"]
    predicted = [o["predicted"] for o in options if o["predicted"]]
    assert predicted
    for p in predicted:
        assert p["basis"] in ("single-trial", "nma-anchored", "cohort")
        assert p["source_trial"] and p["source_trial"] in p["source"]
        assert set(p["population"]) == {"line", "n"}
        assert "trial population" in p["description"]
        codes = {w["code"] for w in p["warnings"]}
        assert ("cross_trial" in codes) is (p["basis"] != "nma-anchored")
        if p["median_months"] is None:
            assert p["followup_months"] is not None


def test_text_table_puts_trial_and_warnings_with_the_option() -> None:
    done = CliRunner().invoke(main, ["match", CASE])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "THERAPY" in line)
    assert "TRIAL" in lines[header]
    first = lines[header + 1]
    data = json.loads(CliRunner().invoke(main, ["match", CASE, "--json"]).stdout)
    top = data["options"][0]["predicted"]
    assert top is not None and top["source_trial"][:14] in first
    block = []
    for line in lines[header + 2 :]:
        if not line.startswith("        "):
            break
        block.append(line)
    assert any("survival:" in line and "trial population" in line for line in block)
    assert any("warning:" in line for line in block)
    assert "Cross-trial comparison" in done.stdout


def test_there_is_no_adjustment_flag() -> None:
    done = CliRunner().invoke(main, ["match", CASE, "--no-adjust"])
    assert done.exit_code == 2 and "No such option" in done.output
