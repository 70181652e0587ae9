"""Logs go to a rotating file in the user log folder, with no patient data above DEBUG."""

from __future__ import annotations

import logging
from pathlib import Path

from oncoboard.cli.main import main
from shared_paths import SPEC_EXAMPLES


def test_import_logs_no_patient_data_at_info(isolated_home: Path) -> None:
    try:
        main(["case", "import", str(SPEC_EXAMPLES / "luad-egfr-exon19-tissue.json")])
    except SystemExit as exc:
        assert not exc.code
    for handler in logging.getLogger("oncoboard").handlers:
        handler.flush()
    log = (isolated_home / "logs" / "oncoboard.log").read_text()
    assert "created case pk=1" in log
    for phi in ("Patient A", "EX-LUAD-001", "E746_A750del"):
        assert phi not in log
