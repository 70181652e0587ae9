"""Reading and writing case files, with errors a user can act on."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oncoboard.core.case.model import ALTERATION_KINDS, Case
from oncoboard.core.errors import Problem, UserInputError

MAX_CASE_FILE_BYTES = 20 * 1024 * 1024  # a case file is a few kB; refuse absurd inputs


def json_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic location as a JSON path such as ``samples[0].vaf``."""
    out = ""
    previous_was_index = False
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            previous_was_index = True
            continue
        # pydantic inserts the union tag (``mutation``) after a list index
        if previous_was_index and part in ALTERATION_KINDS:
            previous_was_index = False
            continue
        if part == "schema_":
            part = "schema"
        out += f".{part}" if out else str(part)
        previous_was_index = False
    return out or "(top level)"


def _describe(error: dict[str, Any]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (put site-specific data under an 'extensions' object)"
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        return f"kind must be one of {', '.join(ALTERATION_KINDS)}; got {given!r}"
    if kind == "union_tag_not_found":
        return f"'kind' is missing; expected one of {', '.join(ALTERATION_KINDS)}"
    msg = str(error["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if (
        kind != "model_type"
        and given is not None
        and not isinstance(given, dict | list)
    ):
        msg += f" (got {given!r})"
    return msg


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    return [Problem(json_path(e["loc"]), _describe(dict(e))) for e in exc.errors()]


def _refuse_constant(name: str) -> float:
    """NaN and Infinity are not JSON: refuse them (even under ``extensions``) rather than store them."""
    raise ValueError(f"{name} is not a JSON number; write a finite number or null")


def parse_case(
    data: str | bytes | dict[str, Any], source: str | Path = "<case>"
) -> Case:
    """Validate a case from JSON text or an already-decoded object."""
    if isinstance(data, str | bytes):
        try:
            obj = json.loads(data, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise UserInputError(
                source,
                [
                    Problem(
                        f"line {exc.lineno}, column {exc.colno}",
                        f"not valid JSON: {exc.msg}",
                    )
                ],
            ) from None
        except UnicodeDecodeError:
            raise UserInputError(source, [Problem("", "not UTF-8 text")]) from None
        except (
            ValueError,
            RecursionError,
        ) as exc:  # 5,000-digit numbers, 100,000-deep nesting
            raise UserInputError(
                source, [Problem("", f"not valid JSON: {exc}")]
            ) from None
    else:
        obj = data
    if not isinstance(obj, dict):
        raise UserInputError(source, [Problem("(top level)", "expected a JSON object")])
    schema = obj.get("schema")
    if schema is not None and schema != "oncoboard.case/1":
        raise UserInputError(
            source,
            [Problem("schema", f'expected "oncoboard.case/1", got {schema!r}')],
        )
    try:
        return Case.model_validate(obj)
    except ValidationError as exc:
        raise UserInputError(source, problems_from_validation(exc)) from None


def resolve_variant_file(
    case_dir: Path, relative: str, location: str, source: Path
) -> Path:
    """Resolve a ``variant_files`` path; refuse paths that leave the case's folder."""
    candidate = Path(relative)
    if candidate.is_absolute() or candidate.drive:
        raise UserInputError(
            source,
            [
                Problem(
                    location,
                    f"path must be relative to the case file, got {relative!r}",
                )
            ],
        )
    base = case_dir.resolve()
    try:
        resolved = (base / candidate).resolve()
        resolved.stat()
    except FileNotFoundError:
        pass  # reported below, after the folder check
    except (OSError, ValueError) as exc:  # NUL byte, name too long, too many links
        raise UserInputError(
            source, [Problem(location, f"not a usable path: {exc}")]
        ) from None
    if not resolved.is_relative_to(base):
        raise UserInputError(
            source,
            [
                Problem(
                    location,
                    f"path {relative!r} leaves the case file's folder; "
                    "keep variant files beside the case file or below it",
                )
            ],
        )
    if resolved.exists() and not resolved.is_file():
        raise UserInputError(
            source,
            [
                Problem(
                    location,
                    f"{resolved} is not a regular file "
                    "(a folder, device, pipe or socket)",
                )
            ],
        )
    if not resolved.is_file():
        raise UserInputError(source, [Problem(location, f"file not found: {resolved}")])
    return resolved


def variant_file_paths(case: Case, case_file: Path) -> list[tuple[str, Path, str]]:
    """Return ``(sample_id, absolute_path, format)`` for every variant file."""
    out: list[tuple[str, Path, str]] = []
    for i, sample in enumerate(case.samples):
        for j, vf in enumerate(sample.variant_files):
            loc = f"samples[{i}].variant_files[{j}].path"
            out.append(
                (
                    sample.id,
                    resolve_variant_file(case_file.parent, vf.path, loc, case_file),
                    vf.format,
                )
            )
    return out


def load_case(path: str | Path) -> Case:
    """Load and validate a case file; check that its variant files exist and stay inside its folder."""
    path = Path(path)
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        raise UserInputError(path, [Problem("", "file not found")]) from None
    except IsADirectoryError:
        raise UserInputError(
            path, [Problem("", "is a folder, expected a case file")]
        ) from None
    except PermissionError:
        raise UserInputError(
            path, [Problem("", "cannot be read (permission denied)")]
        ) from None
    case = parse_case(raw, path)
    return _normalised_paths(case, path)


def _read_regular(path: Path) -> bytes:
    """At most the size limit, from a regular file only: ``/dev/zero`` and FIFOs say 0 bytes
    to ``stat`` and then never end (or block) when read."""
    with open(
        path,
        "rb",
        buffering=0,
        opener=lambda p, f: os.open(p, f | getattr(os, "O_NONBLOCK", 0)),
    ) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UserInputError(
                path,
                [
                    Problem(
                        "",
                        "is not a regular file (a device, pipe or socket); "
                        "expected a case file",
                    )
                ],
            )
        raw = handle.read(MAX_CASE_FILE_BYTES + 1)
    if info.st_size > MAX_CASE_FILE_BYTES or len(raw) > MAX_CASE_FILE_BYTES:
        size = max(info.st_size, len(raw))
        raise UserInputError(
            path,
            [
                Problem(
                    "",
                    f"file is {size} bytes; a case file may be at most "
                    f"{MAX_CASE_FILE_BYTES} bytes",
                )
            ],
        )
    return bytes(raw)


def _normalised_paths(case: Case, case_file: Path) -> Case:
    """Check every variant file and store its path in plain form (``sub/../x.csv`` -> ``x.csv``),
    so that a stored case can always be exported beside its variant files."""
    base = case_file.parent.resolve()
    found = variant_file_paths(case, case_file)
    plain = [absolute.relative_to(base).as_posix() for _, absolute, _ in found]
    given = [vf.path for s in case.samples for vf in s.variant_files]
    if plain == given:
        return case
    data = case_to_dict(case)
    names = iter(plain)
    for sample in data.get("samples", []):
        for vf in sample.get("variant_files", []):
            vf["path"] = next(names)
    return parse_case(json.dumps(data), case_file)


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as a JSON-ready dict: only fields that were set, so a round trip is lossless."""
    return case.model_dump(mode="json", by_alias=True, exclude_unset=True)


def case_to_json(case: Case) -> str:
    return json.dumps(case_to_dict(case), indent=2, ensure_ascii=False) + "\n"


def check_output_path(path: Path) -> None:
    """Refuse an output path that is no file name, lies in a missing folder, or names
    something other than a regular file: a rename would replace a symlink or a
    device node (``-o /dev/null`` as root) with a regular file."""
    if path.name in ("", ".", ".."):
        raise UserInputError(
            str(path) or "''",
            [Problem("", "is not a file name; give the file to write")],
        )
    if not path.parent.is_dir():
        raise UserInputError(
            path, [Problem("", f"the folder {path.parent} does not exist")]
        )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserInputError(
            path, [Problem("", f"cannot be written: {exc.strerror}")]
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise UserInputError(
            path,
            [
                Problem(
                    "",
                    "exists and is not a regular file (a symlink, device, "
                    "pipe or folder); refusing to replace it",
                )
            ],
        )


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user asked for (an export, a report); clear errors, never a traceback."""
    from oncoboard.core.errors import StorageError

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise StorageError(
            f"Cannot write {path}: {exc.strerror or exc}. Nothing was written; "
            "choose a folder you can write to."
        ) from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes so that a crash leaves either the old file or the complete new one.

    Refuses (:class:`UserInputError`) a target that is not a regular file, see
    :func:`check_output_path`; I/O failures raise :class:`OSError`.
    """
    path = Path(path)
    check_output_path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text so that a crash leaves either the old or the new content."""
    atomic_write_bytes(path, text.encode("utf-8"))


def dump_case(case: Case, path: str | Path) -> None:
    atomic_write_text(Path(path), case_to_json(case))
