"""An installed bundle has no repository layout: profiles must work from the staged copies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from oncoboard.core.kb.runtime_reference import SHARED_FILES, stage
from shared_paths import DATA, REPO, SPEC_EXAMPLES


def test_staged_reference_is_enough_for_profiles(tmp_path: Path) -> None:
    out = tmp_path / "reference"
    manifest = stage(DATA, REPO / "knowledgebase" / "reference", out)
    assert all(f"shared/{rel}" in manifest for rel in SHARED_FILES)
    assert json.loads((out / "MANIFEST.json").read_text()) == manifest
    code = (
        "import sys; from pathlib import Path; from oncoboard.core.case import load_case; "
        "from oncoboard.core.profiles import build_profile; p = Path(sys.argv[1]); "
        "print(sorted(a.label for a in build_profile(load_case(p), p).alterations))"
    )
    env = {
        **os.environ,
        "ONCOBOARD_REFERENCE_DIR": str(out / "curated"),
        "ONCOBOARD_SHARED_DATA": str(out / "shared"),
    }
    case = SPEC_EXAMPLES / "luad-panel-from-maf.json"
    result = subprocess.run(
        [sys.executable, "-c", code, str(case)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "EGFR T790M" in result.stdout and "MET amplification" in result.stdout
