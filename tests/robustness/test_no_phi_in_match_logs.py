"""``oncoboard match`` logs no patient data at INFO (the default level).

The import path is covered in ``tests/core/foundation/test_logging.py``; this
runs the whole match pipeline (case file, MAF import, matching, survival) on a
case with a pseudonym and distinctive identifiers, then reads the log file.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from oncoboard.cli.main import main
from shared_paths import SPEC_EXAMPLES

PHI = {
    "pseudonym": "Zyzzogeton Quaxley",
    "case_id": "PHI-CASE-778123",
    "sample_id": "SMPL-PHI-4411",
    "assay": "Assay-PHI-Marker",
    "stage": "IVB-PHI-STAGE",
}


def _flush() -> None:
    for handler in logging.getLogger("oncoboard").handlers:
        handler.flush()


@pytest.mark.parametrize("as_json", [False, True])
def test_match_logs_no_patient_data_at_info(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    as_json: bool,
) -> None:
    case = json.loads((SPEC_EXAMPLES / "luad-panel-from-maf.json").read_text())
    case["case_id"] = PHI["case_id"]
    case["patient"]["pseudonym"] = PHI["pseudonym"]
    case["tumor"]["stage"] = PHI["stage"]
    case["samples"][0]["id"] = PHI["sample_id"]
    case["samples"][0]["assay"] = PHI["assay"]
    path = tmp_path / "phi-case.json"
    path.write_text(json.dumps(case))
    shutil.copy(SPEC_EXAMPLES / "luad-panel.maf", tmp_path / "luad-panel.maf")

    try:
        main(["match", str(path), *(["--json"] if as_json else [])])
    except SystemExit as exc:
        assert not exc.code
    out = capsys.readouterr().out
    assert PHI["case_id"] in out  # the user sees their case; the log must not
    _flush()

    log = (isolated_home / "logs" / "oncoboard.log").read_text(encoding="utf-8")
    assert "analysed case" in log  # the run did log at INFO: this test can fail
    protected = [
        *PHI.values(),
        "L858R",
        "T790M",
        "R175H",
        "Patient",
        str(path),
        "luad-panel.maf",
    ]
    leaked = [value for value in protected if value in log]
    assert leaked == [], f"patient data in the INFO log: {leaked}"
