"""Import case files into the case database: the one path the CLI and the GUI share.

Every file is validated (and its variant files found) before anything is
stored.  The variant files a case names are stored with it, so the case
analyses without its original folder.  A case id that is already stored is
refused unless the caller says what to do:

* ``new-version``: the file becomes the next version of the stored case;
* ``copy``: the file is stored as a new case under a free id
  (``<id> copy``, ``<id> copy 2`` ...).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from oncoboard.core.case.io import load_case, variant_file_paths
from oncoboard.core.case.model import Case
from oncoboard.core.errors import NotFoundError, Problem, UserInputError

if TYPE_CHECKING:
    from oncoboard.core.db.store import CaseStatus, CaseStore, StoredCase
    from oncoboard.core.pipeline import KnowledgeSource

Existing = Literal["refuse", "new-version", "copy"]
EXISTING_CHOICES: tuple[str, ...] = get_args(Existing)
EXISTS_HINT = (
    "Import it as a new version of the stored case or as a copy under a new id "
    "(oncoboard case import --existing new-version|copy)."
)


@dataclass
class CaseExistsError(UserInputError):
    """Some case ids in the files are already stored; nothing was imported."""

    case_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportedCase:
    """One imported file: what was stored and how."""

    source: Path
    stored: StoredCase
    action: Literal["new", "new version", "copy"]
    file_case_id: str  # the id the file gave (differs from the stored one for a copy)
    not_imported: tuple[str, ...] = ()  # a FHIR report's findings the case cannot hold

    def describe(self) -> str:
        s = self.stored
        if self.action == "copy":
            return f"{s.case_id} (a copy of {self.file_case_id})"
        if self.action == "new version":
            return f"{s.case_id} as a new version"
        return s.case_id


def free_case_id(store: CaseStore, base: str) -> str:
    """``base``, or ``base 2``, ``base 3`` ... : the first id no stored case uses."""
    candidate, n = base, 1
    while _stored(store, candidate) is not None:
        n += 1
        candidate = f"{base} {n}"
    return candidate


def _stored(store: CaseStore, case_id: str) -> StoredCase | None:
    try:
        return store.get(case_id, include_deleted=True)
    except NotFoundError:
        return None


def _check_unique(loaded: list[tuple[Path, Case]]) -> None:
    seen: dict[str, Path] = {}
    clashes: list[tuple[Path, str]] = []
    for path, case in loaded:
        if case.case_id in seen:
            clashes.append(
                (path, f"case id {case.case_id!r} is also in {seen[case.case_id]}")
            )
        seen.setdefault(case.case_id, path)
    if clashes:
        raise _file_error(clashes, "Each case id can be imported once.")


def _file_error(clashes: list[tuple[Path, str]], hint: str, kind: type[UserInputError] = UserInputError,
                **extra: object) -> UserInputError:  # fmt: skip
    """An error headed by the case file it is about (never "input:"); several files are each named."""
    files = {p for p, _ in clashes}
    if len(files) == 1:
        return kind(
            clashes[0][0],
            [Problem("case_id", m) for _, m in clashes],
            hint=hint,
            **extra,
        )
    return kind(
        f"{len(files)} case files",
        [Problem(str(p), m) for p, m in clashes],
        hint=hint,
        **extra,
    )


def _variant_files(case: Case, path: Path) -> dict[str, Path]:
    """The variant files a case file names: relative path as written -> the file."""
    relative = [vf.path for sample in case.samples for vf in sample.variant_files]
    found = [absolute for _, absolute, _ in variant_file_paths(case, path)]
    return dict(zip(relative, found, strict=True))


def _check_tumor_codes(loaded: list[tuple[Path, Case]], kb: KnowledgeSource) -> None:
    """An OncoTree code the KB does not know is invalid input: nothing is stored."""
    from oncoboard.core.kb.case_checks import check_case

    tree = kb.oncotree()
    for path, case in loaded:
        check_case(case, tree, path)


@dataclass(frozen=True)
class ReadFile:
    """One file to import: an ``oncoboard.case/1`` file, or a FHIR genomics report
    Bundle converted to a case file in the staging folder."""

    source: Path
    path: Path  # the case file to store (``source`` itself, or the converted one)
    case: Case
    not_imported: tuple[str, ...] = ()


def read_import_file(
    path: Path, staging: Path | None = None, *, tumor: str | None = None
) -> ReadFile:
    """Read a case file or a lab's FHIR Genomics Reporting Bundle (the one reader the CLI
    and the GUI share).  A bundle's case is written to ``staging`` (when given) so the
    store keeps it as a case file."""
    from oncoboard.core.case.io import _read_regular, parse_case

    path = Path(path)
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        raise UserInputError(path, [Problem("", "file not found")]) from None
    except (IsADirectoryError, PermissionError) as exc:
        raise UserInputError(
            path, [Problem("", f"cannot be read ({exc.strerror})")]
        ) from None
    if b'"resourceType"' not in raw:
        return ReadFile(path, path, load_case(path))
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ReadFile(path, path, load_case(path))  # load_case names the line
    from oncoboard.core.fhir.read import is_fhir_bundle, read_bundle

    if not is_fhir_bundle(data):
        parse_case(raw, path)  # a case file that merely mentions "resourceType"
        return ReadFile(path, path, load_case(path))
    converted = read_bundle(path, data, tumor=tumor)
    target = path
    if staging is not None:
        target = staging / f"fhir-{len(list(staging.iterdir()))}" / f"{path.stem}.json"
        target.parent.mkdir(parents=True)
        target.write_text(
            json.dumps(converted.case.model_dump(mode="json", by_alias=True, exclude_none=True),
                       ensure_ascii=False),
            encoding="utf-8",
        )  # fmt: skip
    return ReadFile(path, target, converted.case, converted.not_imported)


def check_variant_files(case: Case, case_file: Path) -> None:
    """Read the variant files as ``match`` will, so an empty, binary or malformed file is
    refused at import (naming the file and line) instead of being stored."""
    if any(s.variant_files for s in case.samples):
        # imported here: the profile readers take ~0.2 s to import, needed only for such cases
        from oncoboard.core.profiles.profile import build_profile

        build_profile(case, case_file)


def import_case_files(
    store: CaseStore,
    paths: Sequence[Path],
    *,
    status: CaseStatus = "draft",
    existing: Existing = "refuse",
    kb: KnowledgeSource,
    tumor: str | None = None,
) -> list[ImportedCase]:
    """Validate case files (or FHIR genomics report Bundles, see
    :func:`read_import_file`; ``tumor`` is their OncoTree code when they do not give
    one) and store them with the variant files they name.

    ``load_case`` checks that every named variant file exists inside the case
    file's folder; ``CaseStore.import_files`` stores them with the case.

    Raises
    ------
    UserInputError
        A file is invalid, names a missing variant file, or two files share an id.
    CaseExistsError
        A case id is already stored and ``existing`` is ``"refuse"``.
    """
    if existing not in EXISTING_CHOICES:
        raise UserInputError("existing", [Problem("", f"expected one of {', '.join(EXISTING_CHOICES)}, "
                                                      f"got {existing!r}")])  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="oncoboard-import-") as staging:
        read = [read_import_file(Path(p), Path(staging), tumor=tumor) for p in paths]
        return _import(store, read, status, existing, kb)


def _import(
    store: CaseStore,
    read: list[ReadFile],
    status: CaseStatus,
    existing: Existing,
    kb: KnowledgeSource,
) -> list[ImportedCase]:
    loaded = [(r.path, r.case) for r in read]
    _check_tumor_codes([(r.source, r.case) for r in read], kb)
    _check_unique([(r.source, r.case) for r in read])
    found = {case.case_id: _stored(store, case.case_id) for _, case in loaded}
    clashes: list[tuple[Path, Case, StoredCase]] = []
    for r in read:  # messages name the file the user gave
        current = found[r.case.case_id]
        if current is not None:
            clashes.append((r.source, r.case, current))
    if clashes and existing == "refuse":
        raise _file_error(
            [(p, f"a case {c.case_id!r} is already stored (version {s.version}"
                 f"{', in the bin' if s.deleted_at else ''})") for p, c, s in clashes],
            EXISTS_HINT, CaseExistsError, case_ids=[c.case_id for _, c, _ in clashes],
        )  # fmt: skip
    if existing == "new-version":
        _check_new_versions(store, clashes)
    with tempfile.TemporaryDirectory(prefix="oncoboard-import-") as staging:
        to_store, actions = _plan(store, loaded, found, existing, Path(staging))
        stored = iter(
            store.import_files(to_store, status=status, check=check_variant_files)
            if to_store
            else []
        )
        out = []
        for (_path, case), action, r in zip(loaded, actions, read, strict=True):
            if action == "new version":
                current = found[case.case_id]
                assert current is not None
                s = store.update(
                    case.case_id, case, based_on=current.version, status=status
                )
            else:
                s = next(stored)
            out.append(ImportedCase(r.source, s, action, case.case_id, r.not_imported))
    return out


def _plan(
    store: CaseStore,
    loaded: list[tuple[Path, Case]],
    found: dict[str, StoredCase | None],
    existing: Existing,
    staging: Path,
) -> tuple[list[Path], list[Literal["new", "new version", "copy"]]]:
    """The files to store as new cases (copies staged under a free id) and each file's action."""
    to_store: list[Path] = []
    actions: list[Literal["new", "new version", "copy"]] = []
    taken: set[str] = {c.case_id for _, c in loaded}
    for n, (path, case) in enumerate(loaded):
        if found[case.case_id] is None:
            to_store.append(path)
            actions.append("new")
        elif existing == "new-version":
            actions.append("new version")
        else:
            new_id = free_case_id(store, f"{case.case_id} copy")
            while new_id in taken:
                new_id = free_case_id(store, f"{new_id} copy")
            taken.add(new_id)
            to_store.append(_stage_copy(path, case, new_id, staging / str(n)))
            actions.append("copy")
    return to_store, actions


def _stage_copy(path: Path, case: Case, new_id: str, folder: Path) -> Path:
    """A copy of the case file under ``new_id``, with its variant files beside it."""
    folder.mkdir(parents=True)
    for relative, source in _variant_files(case, path).items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["case_id"] = new_id
    staged = folder / path.name
    staged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return staged


def _check_new_versions(
    store: CaseStore, clashes: list[tuple[Path, Case, StoredCase]]
) -> None:
    """A new version keeps the stored variant files: refuse one that names other files."""
    problems: list[tuple[Path, str]] = []
    for path, case, current in clashes:
        if current.deleted_at:
            problems.append(
                (path, f"case {case.case_id!r} is in the bin; restore it first")
            )
            continue
        stored = store.attachments(case.case_id)
        for rel_path, source in _variant_files(case, path).items():
            if stored.get(rel_path) != source.read_bytes():
                problems.append((path, (
                    f"variant file {rel_path!r} differs from the one stored with {case.case_id!r}; "
                    "a new version keeps the stored variant files")))  # fmt: skip
    if problems:
        raise _file_error(
            problems, "Import the file as a copy instead; nothing was imported."
        )
