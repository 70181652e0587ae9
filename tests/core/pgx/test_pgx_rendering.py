"""The CLI match table and the report show the pharmacogenomic warnings and the
referral (issue 23)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from oncoboard.cli.main import cli
from oncoboard.core import api
from oncoboard.core.case import parse_case
from oncoboard.core.pipeline import analyse_case, open_kb
from oncoboard.core.report import ReportOptions, render_case_report

CASE = {
    "schema": "oncoboard.case/1",
    "case_id": "pgx-render",
    "tumor": {"oncotree_code": "COADREAD", "setting": "metastatic"},
    "samples": [
        {
            "id": "T1",
            "specimen": "tissue",
            "alterations": [
                {"gene": "BRAF", "kind": "mutation", "protein": "V600E", "vaf": 0.3}
            ],
        }
    ],
    "germline": [
        {"gene": "BRCA2", "protein": "p.S1982fs", "classification": "pathogenic"}
    ],
    "pharmacogenomics": [
        {
            "gene": "DPYD",
            "diplotype": "*1/*2A",
            "test": "DPYD genotyping",
            "date": "2026-08-01",
        }
    ],
}


def test_cli_match_shows_pgx_under_the_option_and_the_results(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    done = CliRunner().invoke(cli, ["match", str(path)])
    assert done.exit_code == 0, done.output
    out = " ".join(done.stdout.split())
    assert (
        "pgx: DPYD Intermediate Metabolizer (activity score 1.0) — fluorouracil: Reduce "
        "starting dose by 50%"
    ) in out
    assert "[CPIC Strong, PMID:29152729]" in out
    assert "DPYD *1/*2A: Intermediate Metabolizer, activity score 1.0" in out
    assert "[germline_referral] Germline BRCA2 p.S1982fs (pathogenic)" in out


def test_report_page_one_shows_pgx_in_the_option_row_and_the_board_summary() -> None:
    analysis = analyse_case(parse_case(CASE), kb=open_kb())
    pdf = render_case_report(api.report_input(analysis), ReportOptions())
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Pharmacogenomics (germline)" in first
    assert "DPYD *1/*2A: Intermediate Metabolizer, activity score 1.0" in first
    assert (
        "PGx: DPYD Intermediate Metabolizer (activity score 1.0) — fluorouracil"
        in first
    )
    assert "(option 1)" in first
    assert "germline_referral" in " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
