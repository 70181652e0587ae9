"""The trial registry (knowledgebase/trials): schema, validation messages, build tables."""

from __future__ import annotations

import re
import sqlite3
import textwrap
from pathlib import Path

import pytest
import yaml

from oncoboard.core.api import build_kb
from oncoboard.core.errors import UserInputError
from oncoboard.core.kb.build import read_inputs
from oncoboard.core.kb.db import CONTENT_TABLES
from oncoboard.core.kb.drugs import load_drug_vocabulary
from oncoboard.core.kb.oncotree import load_oncotree_tsv
from oncoboard.core.kb.sources import ONCOTREE_TSV
from oncoboard.core.kb.store import KnowledgeBase
from oncoboard.core.kb.trials import load_trial_registry

REPO = Path(__file__).resolve().parents[3]
KB = REPO / "knowledgebase"
TRIALS = KB / "trials"

# Trials issue 17 names, spelled as in the curated outcomes' `trial:` field.
REQUIRED = (
    "FLAURA", "FLAURA2", "MARIPOSA", "RELAY", "ARCHER 1050", "LUX-Lung 7",
    "CROWN", "ALEX", "ALTA-1L", "eXALT3", "PROFILE 1014",
    "PALOMA-2", "MONALEESA-2", "MONARCH 3",
    "COMBI-d", "COMBI-v", "COLUMBUS", "coBRIM",
    "DESTINY-Breast03", "EMILIA",
)  # fmt: skip

NODES = """\
nodes:
  - {id: osimertinib, label: osimertinib, drugs: [osimertinib]}
  - {id: gefitinib, label: gefitinib, drugs: [gefitinib]}
  - {id: osimertinib_chemo, label: osimertinib + chemo, drugs: [osimertinib, carboplatin, pemetrexed]}
"""

GOOD = """\
network: {id: egfr_test, label: test network, tumor: NSCLC, biomarker: EGFR, line: first, reference: gefitinib}
trials:
  - trial: TRIAL-A
    n: 100
    population: {line: first, ecog: [0, 1], biomarker: EGFR, tumor: NSCLC}
    endpoints:
      - endpoint: PFS
        assessment: investigator
        pmid: "29151359"
        contrasts:
          - {treat: osimertinib, control: gefitinib, hr: 0.46, ci: [0.37, 0.57], checked: searched}
"""


@pytest.fixture
def vocab(shared: Path):  # type: ignore[no-untyped-def]
    drugs = load_drug_vocabulary(KB / "drugs")
    tree = load_oncotree_tsv(shared / ONCOTREE_TSV)
    return drugs, tree


def _write(folder: Path, trial_yaml: str, name: str = "test.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.yaml").write_text(NODES)
    (folder / name).write_text(textwrap.dedent(trial_yaml))
    return folder


def _messages(folder: Path) -> list[str]:
    _, problems = load_trial_registry(folder)
    return [str(p) for p in problems]


# -- the curated registry ----------------------------------------------------


def test_registry_is_valid_against_drug_vocabulary_and_oncotree(vocab) -> None:  # type: ignore[no-untyped-def]
    drugs, tree = vocab
    registry, problems = load_trial_registry(
        TRIALS, drug_known=lambda d: d in drugs, tumor_known=lambda c: c in tree
    )
    assert [str(p) for p in problems] == []
    assert {t.trial.trial for t in registry.trials} >= set(REQUIRED)


def test_registry_trial_names_match_the_curated_outcomes() -> None:
    outcome_trials = set()
    for path in (KB / "curated").glob("*.yaml"):
        for entry in yaml.safe_load(path.read_text())["entries"]:
            outcome_trials |= {o["trial"] for o in entry.get("outcomes", [])}
    registry, _ = load_trial_registry(TRIALS)
    names = {t.trial.trial for t in registry.trials}
    by_fold = {n.casefold(): n for n in outcome_trials}
    # Same spelling wherever a curated outcome names the trial.
    assert {
        n for n in names if n.casefold() in by_fold and by_fold[n.casefold()] != n
    } == set()
    missing = {"LUX-Lung 7", "MONARCH 3", "COMBI-d"}  # no curated outcome yet
    assert set(REQUIRED) - missing <= outcome_trials


def test_every_contrast_cites_a_pmid() -> None:
    registry, _ = load_trial_registry(TRIALS)
    contrasts = [
        (rt.trial.trial, e.endpoint, e.pmid)
        for rt in registry.trials
        for e in rt.trial.endpoints
        for _c in e.contrasts
    ]
    assert len(contrasts) >= 18
    assert all(re.fullmatch(r"[1-9][0-9]{0,8}", pmid) for _, _, pmid in contrasts)


def test_a_contrast_without_a_pmid_is_rejected_with_its_place(tmp_path: Path) -> None:
    folder = _write(tmp_path / "trials", GOOD.replace('        pmid: "29151359"\n', ""))
    assert _messages(folder) == [
        "trials/test.yaml trial TRIAL-A field endpoints.0.pmid: Field required"
    ]


def test_pfs_without_assessment_is_rejected(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "trials",
        GOOD.replace("assessment: investigator", "assessment: null"),
    )
    msgs = _messages(folder)
    assert len(msgs) == 1
    assert msgs[0].startswith("trials/test.yaml trial TRIAL-A field endpoints.0")
    assert "PFS needs an assessment (BICR or investigator)" in msgs[0]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("ci: [0.37, 0.57]", "ci: [0.50, 0.57]", "endpoints.0.contrasts.0", "0 < lower < hr < upper"),
        ("ecog: [0, 1]", "ecog: [2, 1]", "population", "ecog must be [min, max] within 0-4"),
        ("treat: osimertinib", "treat: nobody", "endpoints.0.contrasts.0.treat", "unknown node 'nobody'"),
        ("line: first, ecog", "line: second_or_later, ecog", "population.line",
         "'second_or_later' does not fit a 'first'-line network"),
        ("endpoint: PFS", "endpoint: DFS", "endpoints.0.endpoint", "Input should be 'PFS', 'OS' or 'TTP'"),
        ("n: 100", "n: 100\n    surprise: 1", "surprise", "Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_errors_name_file_trial_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    folder = _write(tmp_path / "trials", GOOD.replace(old, new))
    msgs = _messages(folder)
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith(f"trials/test.yaml trial TRIAL-A field {field}")
    assert message in msgs[0]


def test_a_trial_registered_twice_is_an_error(tmp_path: Path) -> None:
    folder = _write(tmp_path / "trials", GOOD)
    (folder / "other.yaml").write_text(GOOD.replace("egfr_test", "egfr_other"))
    assert any(
        "trial also registered in trials/other.yaml" in m for m in _messages(folder)
    )


def test_one_analysis_per_endpoint(tmp_path: Path) -> None:
    twice = GOOD + textwrap.indent(
        textwrap.dedent(
            """\
            - endpoint: PFS
              assessment: BICR
              pmid: "29151359"
              contrasts:
                - {treat: osimertinib, control: gefitinib, hr: 0.5, ci: [0.4, 0.6], checked: searched}
            """
        ),
        "      ",
    )
    msgs = _messages(_write(tmp_path / "trials", twice))
    assert len(msgs) == 1 and "endpoint PFS listed twice" in msgs[0]


def test_a_drug_set_cannot_map_to_two_nodes(tmp_path: Path) -> None:
    folder = _write(tmp_path / "trials", GOOD)
    (folder / "nodes.yaml").write_text(
        NODES + "  - {id: osi2, label: again, drugs: [osimertinib]}\n"
    )
    assert any("already maps to node 'osimertinib'" in m for m in _messages(folder))


# -- the build ---------------------------------------------------------------


def test_build_rejects_a_bad_registry_naming_file_trial_and_field(
    kb_dir: Path, shared: Path, small_civic: Path
) -> None:
    _write(kb_dir / "trials", GOOD.replace("tumor: NSCLC}", "tumor: NOTACODE}"))
    with pytest.raises(UserInputError) as err:
        read_inputs(kb_dir / "curated", shared, civic_file=small_civic)
    text = str(err.value)
    assert (
        "trials/test.yaml trial TRIAL-A field population.tumor: unknown OncoTree code 'NOTACODE'"
        in text
    )


def test_build_stores_registry_networks_and_hashes_them(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    block = GOOD[GOOD.index("  - trial: TRIAL-A") :]
    _write(kb_dir / "trials", GOOD + block.replace("TRIAL-A", "TRIAL-B"))
    out = tmp_path / "kb.sqlite"
    report = build_kb(
        kb_dir / "curated", shared, out, civic_file=small_civic, fit_survival=False
    )
    assert report.counts["registry_trials"] == 2
    assert report.counts["networks"] == 1
    for table in ("network_nodes", "trials", "trial_contrasts", "nma_results"):
        assert table in {t for t, _ in CONTENT_TABLES}
    with KnowledgeBase.open(out) as kb:
        assert kb.verify()
        assert kb.trial_names() == ["TRIAL-A", "TRIAL-B"]
        assert kb.trial("TRIAL-A")["population"]["ecog"] == [0, 1]
        (net,) = kb.networks()
        assert net["id"] == "egfr_test/PFS" and net["k"] == 2
        match = kb.network_for(["Tagrisso"], tumor="LUAD", line="first")
        assert match is not None and match.node == "osimertinib"
        hr = match.vs_reference("common")
        assert hr is not None and hr["hr"] == pytest.approx(0.46)
        assert kb.network_for(["osimertinib"], tumor="BRCA") is None
        assert kb.network_for(["osimertinib"], endpoint="TTP") is None
        assert (
            kb.network_node(["pemetrexed", "osimertinib", "carboplatin"])
            == "osimertinib_chemo"
        )
        stats = kb.stats()["trial_registry"]
        assert stats["registry_trials"] == 2 and stats["networks"] == 1
    conn = sqlite3.connect(out)
    try:
        conn.execute("UPDATE trial_contrasts SET hr = 0.9")
        conn.commit()
    finally:
        conn.close()
    with KnowledgeBase.open(out) as kb:
        assert not kb.verify()


def test_build_without_a_registry_warns(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> None:
    report = build_kb(
        kb_dir / "curated",
        shared,
        tmp_path / "kb.sqlite",
        civic_file=small_civic,
        fit_survival=False,
    )
    assert any("no trial registry" in w for w in report.warnings)
    with KnowledgeBase.open(report.path) as kb:
        assert kb.networks() == []
