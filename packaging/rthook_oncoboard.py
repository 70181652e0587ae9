"""PyInstaller runtime hook: point OncoBoard at the data shipped in the bundle.

Runs before ``entry.py``.  In a source checkout ``core/profiles/reference.py``
and the survival/GUI helpers find their reference tables through the repository
layout (``knowledgebase/reference`` and ``../shared/data``), which does not exist
in a bundle.  They all honour ``ONCOBOARD_REFERENCE_DIR`` and
``ONCOBOARD_SHARED_DATA``; this hook sets both to the bundled copies unless the
user (or IT) has already set them.  ``oncoboard/data`` (the KB, status
thresholds) and ``oncoboard/assets/fonts`` are found relative to the package, so
they need nothing here.
"""

import os
import sys
from pathlib import Path

_base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
os.environ.setdefault("ONCOBOARD_REFERENCE_DIR", str(_base / "knowledgebase" / "reference"))
os.environ.setdefault("ONCOBOARD_SHARED_DATA", str(_base / "shared" / "data"))
