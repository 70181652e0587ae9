"""Importing real ClinicalTrials.gov records: the store, re-import history, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from oncoboard.cli.main import main
from oncoboard.core import paths
from oncoboard.core.api import Context, import_trials
from oncoboard.core.trials.model import Criterion


def _stored_ids(ctx: Context) -> list[str]:
    with ctx.open_trial_store() as store:
        return [t.record.nct_id for t in store.trials()]


def test_import_a_folder_into_its_own_store(ctx: Context, trials_dir: Path) -> None:
    summary = import_trials(ctx, [trials_dir])
    assert len(summary.added) == 148
    assert paths.trials_file(ctx.data_dir).is_file()
    assert not paths.database_file(
        ctx.data_dir
    ).exists()  # apart from the case database
    with ctx.open_trial_store() as store:
        trial = store.trial("NCT06119581")
    assert trial.oncotree_codes == ("NSCLC",)
    assert trial.record.last_update == "2025-06-26"
    assert any(c.gene == "KRAS" and c.alteration == "G12C" for c in trial.criteria)


def test_multi_study_response_and_array(
    ctx: Context, trials_dir: Path, tmp_path: Path
) -> None:
    studies = [
        json.loads((trials_dir / f"{n}.json").read_text())
        for n in ("NCT05048797", "NCT06331169")
    ]
    (tmp_path / "response.json").write_text(json.dumps({"studies": studies}))
    (tmp_path / "array.json").write_text(json.dumps(studies[:1]))
    summary = import_trials(ctx, [tmp_path / "response.json", tmp_path / "array.json"])
    assert summary.added == ("NCT05048797", "NCT06331169")
    assert summary.unchanged == ("NCT05048797",)


def test_reimport_updates_and_keeps_history(
    ctx: Context, trials_dir: Path, tmp_path: Path
) -> None:
    source = trials_dir / "NCT06119581.json"
    import_trials(ctx, [source])
    record = json.loads(source.read_text())
    record["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = (
        "2025-09-01"
    )
    changed = tmp_path / "NCT06119581.json"
    changed.write_text(json.dumps(record))
    summary = import_trials(ctx, [changed])
    assert summary.updated == ("NCT06119581",)
    with ctx.open_trial_store() as store:
        history = store.history("NCT06119581")
        trial = store.trial("NCT06119581")
    assert [h.action for h in history] == ["added", "updated"]
    assert [h.last_update for h in history] == ["2025-06-26", "2025-09-01"]
    assert history[0].source_sha256 != history[1].source_sha256
    assert trial.record.overall_status == "ACTIVE_NOT_RECRUITING"


def test_confirmed_criteria_survive_reimport(
    ctx: Context, trials_dir: Path, tmp_path: Path
) -> None:
    source = trials_dir / "NCT05048797.json"
    import_trials(ctx, [source])
    mine = Criterion(
        "biomarker",
        "required",
        "ERBB2",
        "exon 20 mutation",
        "inclusion",
        "Histologically documented non-squamous NSCLC with HER2 mutation in exons 19 or 20",
    )
    with ctx.open_trial_store() as store:
        store.save_criteria("NCT05048797", [mine])
    record = json.loads(source.read_text())
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = (
        "2026-01-01"
    )
    (tmp_path / "again.json").write_text(json.dumps(record))
    import_trials(ctx, [tmp_path / "again.json"])
    with ctx.open_trial_store() as store:
        criteria = store.trial("NCT05048797").criteria
    confirmed = [c for c in criteria if c.status == "confirmed"]
    assert [(c.gene, c.alteration) for c in confirmed] == [
        ("ERBB2", "exon 20 mutation")
    ]
    assert any(c.status == "auto" for c in criteria)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("truncated.json", None, "not valid JSON"),
        (
            "not-a-study.json",
            '{"name": "a patient", "protocol": 1}',
            "not a ClinicalTrials.gov study",
        ),
        (
            "no-id.json",
            '{"protocolSection": {"identificationModule": {"briefTitle": "x"}}}',
            "NCT id",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_file_and_loses_nothing(
    ctx: Context,
    trials_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | None,
    says: str,
) -> None:
    import_trials(ctx, [trials_dir / "NCT06119581.json"])
    before = _stored_ids(ctx)
    bad = tmp_path / name
    if content is None:
        bad.write_text((trials_dir / "NCT05048797.json").read_text()[:5000])
    else:
        bad.write_text(content)
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(trials_dir / "NCT06331169.json", good)
    with pytest.raises(SystemExit) as exit_:
        main(["trials", "import", str(good), str(bad)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert name in err and says in err
    assert _stored_ids(ctx) == before  # the good file before it was not stored either


def test_site_files_csv_and_yaml(ctx: Context, tmp_path: Path) -> None:
    (tmp_path / "local.csv").write_text(
        "id,title,status,conditions,eligibility\n"
        "LOCAL-001,Local KRAS G12C lung study,recruiting,Non-small Cell Lung Cancer,"
        '"Inclusion Criteria:\n* KRAS G12C mutation"\n'
    )
    (tmp_path / "local.yaml").write_text(
        "studies:\n  - id: LOCAL-002\n    title: Local HER2-low breast study\n"
        "    conditions: [Breast Cancer]\n    eligibility: |\n      Inclusion Criteria:\n      * HER2-low\n"
    )
    summary = import_trials(ctx, [tmp_path / "local.csv", tmp_path / "local.yaml"])
    assert summary.added == ("LOCAL-001", "LOCAL-002")
    with ctx.open_trial_store() as store:
        local = store.trial("LOCAL-001")
    assert local.record.source == "site" and local.oncotree_codes == ("NSCLC",)
    assert [(c.gene, c.alteration) for c in local.criteria] == [("KRAS", "G12C")]


def test_site_file_missing_column_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.csv").write_text("id,title\nLOCAL-9,No conditions\n")
    with pytest.raises(SystemExit) as exit_:
        main(["trials", "import", str(tmp_path / "bad.csv")])
    assert exit_.value.code == 2
    assert "bad.csv" in capsys.readouterr().err


def test_cli_import_list_show(
    trials_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["trials", "import", str(trials_dir / "NCT06119581.json")])
    assert "1 added" in capsys.readouterr().out
    main(["trials", "show", "NCT06119581"])
    out = capsys.readouterr().out
    assert (
        "Must have disease with evidence of KRAS G12C mutation." in out
        and "[auto]" in out
    )
    main(["trials", "list"])
    assert "NCT06119581" in capsys.readouterr().out
