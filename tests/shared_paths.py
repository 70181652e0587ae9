"""Paths of the shared open data and contracts (``../shared`` beside the repository)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO.parent / "shared").resolve()
SPEC_EXAMPLES = SHARED / "spec" / "examples"
DATA = SHARED / "data"
