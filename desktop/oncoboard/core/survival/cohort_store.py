"""Saving and loading fitted cohorts under the user data folder.

Layout: ``<cohorts dir>/<name>/summary.json`` (figures, encoder, metadata) and
either ``model.json`` (Cox: coefficients and baseline survival, plain JSON) or
``model.joblib`` (random survival forest) with ``model.joblib.sha256``.

joblib/pickle files are only ever written by :func:`save_cohort` from our own
fitted objects, and :func:`load_cohort` refuses to unpickle one whose SHA-256
differs from the sidecar written with it.  The sidecar detects corruption and
accidental replacement; it cannot protect against someone able to write both
files, so the cohorts folder must stay private to the user.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import NotFoundError, Problem, StorageError, UserInputError
from oncoboard.core.kb.sources import sha256_file
from oncoboard.core.paths import cohorts_dir
from oncoboard.core.survival.cohort_result import CohortFitResult

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
SUMMARY = "summary.json"
COX_FILE = "model.json"
RSF_FILE = "model.joblib"


@dataclass(frozen=True)
class CohortInfo:
    """What the GUI lists for a saved cohort (read from ``summary.json`` only)."""

    name: str
    kind: str
    n: int
    events: int
    therapies: tuple[str, ...]
    harrell_c: float
    uno_c: float
    integrated_brier: float
    created: str
    source: str


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe folder name, else raise a user error."""
    if not NAME_RE.match(name) or name in (".", ".."):
        raise UserInputError(
            None,
            [
                Problem(
                    "cohort name",
                    f"{name!r}: use letters, digits, "
                    "'.', '_' or '-' (max 80), starting with a letter "
                    "or digit",
                )
            ],
        )
    return name


def save_cohort(
    result: CohortFitResult, *, root: Path | None = None, overwrite: bool = True
) -> Path:
    """Save a fitted cohort; return its folder.

    The folder is written next to its final place and renamed into it, so a
    crash never leaves a half-written cohort behind.
    """
    root = root or cohorts_dir()
    target = root / check_name(result.name)
    if target.exists() and not overwrite:
        raise UserInputError(
            None, [Problem("cohort name", f"{result.name!r} already exists")]
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{result.name}-", dir=root))
        (tmp / SUMMARY).write_text(
            json.dumps(result.summary(), indent=1), encoding="utf-8"
        )
        if result.kind == "cox":
            (tmp / COX_FILE).write_text(
                json.dumps(result.model.to_params()), encoding="utf-8"
            )
        else:
            import joblib

            joblib.dump(result.model, tmp / RSF_FILE, compress=3)
            (tmp / (RSF_FILE + ".sha256")).write_text(
                sha256_file(tmp / RSF_FILE) + "\n"
            )
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except OSError as exc:
        raise StorageError(
            f"cannot save cohort {result.name!r} in {root}: {exc}"
        ) from exc
    return target


def list_cohorts(*, root: Path | None = None) -> list[CohortInfo]:
    """Saved cohorts, sorted by name (unreadable folders are skipped)."""
    root = root or cohorts_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not (folder / SUMMARY).is_file():
            continue
        try:
            d = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
            out.append(
                CohortInfo(
                    name=d["name"],
                    kind=d["kind"],
                    n=d["n"],
                    events=d["events"],
                    therapies=tuple(d["therapy_counts"]),
                    harrell_c=d["harrell_c"],
                    uno_c=d["uno_c"],
                    integrated_brier=d["integrated_brier"],
                    created=d["created"],
                    source=d["source"],
                )
            )
        except (OSError, ValueError, KeyError):
            continue
    return out


def load_cohort(name: str, *, root: Path | None = None) -> CohortFitResult:
    """Load a saved cohort by name.

    Raises
    ------
    NotFoundError
        No cohort of that name.
    StorageError
        Files missing, or the forest's SHA-256 does not match its sidecar
        (it is then not unpickled).
    """
    root = root or cohorts_dir()
    folder = root / check_name(name)
    if not (folder / SUMMARY).is_file():
        raise NotFoundError(f"no saved cohort named {name!r} in {root}")
    summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    model: object
    if summary["kind"] == "cox":
        from oncoboard.core.survival.cohort_models import CohortCoxModel

        params = json.loads((folder / COX_FILE).read_text(encoding="utf-8"))
        model = CohortCoxModel.from_params(params)
    else:
        model = _load_forest(folder)
    return CohortFitResult.from_summary(summary, model)


def _load_forest(folder: Path) -> object:
    from oncoboard.core.survival.cohort_models import CohortRSFModel

    path, sidecar = folder / RSF_FILE, folder / (RSF_FILE + ".sha256")
    if not path.is_file() or not sidecar.is_file():
        raise StorageError(
            f"cohort {folder.name!r} is incomplete (model or checksum missing)"
        )
    expected = sidecar.read_text().strip()
    if sha256_file(path) != expected:
        raise StorageError(
            f"cohort {folder.name!r}: model.joblib does not match its SHA-256; "
            "refusing to load it. Refit the cohort."
        )
    import joblib

    model = joblib.load(path)
    if not isinstance(model, CohortRSFModel):
        raise StorageError(f"cohort {folder.name!r}: unexpected object in model.joblib")
    return model
