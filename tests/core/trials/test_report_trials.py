"""The report section "Clinical trials at this site" (issue 18)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from oncoboard.core.api import Context, analyse, import_trials, render_report
from oncoboard.core.case.model import Case

HER2_NSCLC = Case.model_validate(
    {
        "schema": "oncoboard.case/1",
        "case_id": "TRIAL-REPORT",
        "patient": {"age": 61, "ecog": 1, "sex": "female"},
        "tumor": {"oncotree_code": "LUAD", "setting": "metastatic"},
        "samples": [
            {
                "id": "T1",
                "specimen": "tissue",
                "alterations": [
                    {"gene": "ERBB2", "kind": "mutation", "protein": "p.Y772_A775dup"}
                ],
            }
        ],
    }
)


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_report_lists_trials_with_the_snapshot_and_source_sentences(
    ctx: Context, trials_dir: Path, tmp_path: Path
) -> None:
    import_trials(ctx, [trials_dir])
    analysis = analyse(ctx, HER2_NSCLC)
    assert analysis.match.trials, "the HER2-mutant lung trial should be listed"
    text = _text(render_report(ctx, analysis), tmp_path)
    assert "Clinical trials at this site" in text
    first = sorted(
        analysis.match.trials,
        key=lambda t: (t.match != "eligible", len(t.needs), t.nct_id),
    )[0]
    assert "Snapshot imported" in text and first.nct_id in text
    assert "auto-extracted" in text


def test_no_section_without_an_imported_snapshot(ctx: Context, tmp_path: Path) -> None:
    text = _text(render_report(ctx, analyse(ctx, HER2_NSCLC)), tmp_path)
    assert "Clinical trials at this site" not in text


def test_a_stale_snapshot_is_said_first(
    ctx: Context, trials_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncoboard.core.report.trials_section import snapshot_text

    import_trials(ctx, [trials_dir])
    analysis = analyse(ctx, HER2_NSCLC)
    stale = analysis.match.trials_snapshot.model_copy(update={"stale": True})
    match = analysis.match.model_copy(update={"trials_snapshot": stale})
    item = type("Item", (), {"match": match})()
    assert snapshot_text(item).startswith("STALE: the trial snapshot is older than")


def test_the_section_shows_the_best_few_and_counts_the_rest(
    ctx: Context, trials_dir: Path, tmp_path: Path
) -> None:
    from oncoboard.core.report.trials_section import SHOWN

    import_trials(ctx, [trials_dir])
    kras = HER2_NSCLC.model_copy(deep=True)
    kras = Case.model_validate(
        {
            **kras.model_dump(mode="json", by_alias=True),
            "samples": [
                {
                    "id": "T1",
                    "specimen": "tissue",
                    "alterations": [
                        {"gene": "KRAS", "kind": "mutation", "protein": "G12C"}
                    ],
                }
            ],
        }
    )
    analysis = analyse(ctx, kras)
    assert len(analysis.match.trials or []) > SHOWN
    text = _text(render_report(ctx, analysis), tmp_path)
    assert f"{len(analysis.match.trials) - SHOWN} more trial(s) not shown here" in text
