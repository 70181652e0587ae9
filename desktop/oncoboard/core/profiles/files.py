"""Opening variant files safely: size limit, gzip/bgzip, text decoding, errors.

Every parser reads the whole file, collects problems, and only then returns
(or raises one :class:`UserInputError` listing them), so a failing file is
never half-imported.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles.reference import threshold

MAX_PROBLEMS = (
    20  # report the first few problems; a thousand lines of errors helps nobody
)
GZIP_MAGIC = b"\x1f\x8b"


def max_file_bytes() -> int:
    """The size limit for variant files (``ONCOBOARD_MAX_VARIANT_FILE_BYTES`` or the table)."""
    env = os.environ.get("ONCOBOARD_MAX_VARIANT_FILE_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            raise UserInputError(
                "ONCOBOARD_MAX_VARIANT_FILE_BYTES",
                [Problem("", f"expected a whole number of bytes, got {env!r}")],
            ) from None
    return int(threshold("max_variant_file_bytes"))


def check_file(path: Path, max_bytes: int | None = None) -> None:
    """Refuse missing, unreadable or oversized files before reading them."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserInputError(path, [Problem("", "file not found")]) from None
    except OSError as exc:
        raise UserInputError(
            path, [Problem("", f"cannot be read: {exc.strerror}")]
        ) from None
    size = info.st_size
    if stat.S_ISDIR(info.st_mode):
        raise UserInputError(
            path, [Problem("", "is a folder, expected a variant file")]
        )
    if not stat.S_ISREG(
        info.st_mode
    ):  # /dev/zero, a FIFO: stat says 0 bytes, reads never end
        raise UserInputError(
            path,
            [
                Problem(
                    "",
                    "is not a regular file (a device, pipe or socket); "
                    "expected a variant file",
                )
            ],
        )
    if size > limit:
        raise UserInputError(
            path,
            [Problem("", f"file is {size:,} bytes; the limit is {limit:,} bytes")],
            hint="Split the file by sample, or raise ONCOBOARD_MAX_VARIANT_FILE_BYTES.",
        )


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


MAX_LINE_BYTES = 1024 * 1024  # a MAF or panel row is a few kB; refuse runaway lines
MAX_VCF_RECORD_BYTES = (
    16 * 1024 * 1024
)  # an annotated record with many samples: ~100 kB
MAX_RECORDS = (
    5_000_000  # lines of data: a somatic WGS VCF or a cohort MAF has far fewer
)


def _lines(
    handle: object, path: Path, limit_total: int, max_line: int = MAX_LINE_BYTES,
    what: str = "expected a tab- or comma-separated text table",
) -> Iterator[bytes]:  # fmt: skip
    """Read lines with caps on line length, line count and total (decompressed) size.

    The caps keep a small gzip that inflates to one enormous line (a "zip bomb")
    from taking minutes and gigabytes before it is refused.
    """
    total = count = 0
    while True:
        raw = handle.readline(max_line + 1)  # type: ignore[attr-defined]
        if not raw:
            return
        total += len(raw)
        count += 1
        if len(raw) > max_line:
            raise UserInputError(
                path,
                [
                    Problem(
                        f"line {count}",
                        f"a line is longer than {max_line:,} bytes; {what}",
                    )
                ],
            )
        if count > MAX_RECORDS:
            raise UserInputError(
                path,
                [Problem("", f"more than {MAX_RECORDS:,} lines")],
                hint="Split the file by sample.",
            )
        if total > limit_total:
            raise UserInputError(
                path,
                [
                    Problem(
                        "",
                        f"the data is larger than {limit_total:,} bytes "
                        "once decompressed",
                    )
                ],
                hint="Split the file by sample, or raise ONCOBOARD_MAX_VARIANT_FILE_BYTES.",
            )
        yield raw


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` of a plain or gzipped text file.

    Raises :class:`UserInputError` for binary garbage, bad compression, a
    non-UTF-8 encoding, a runaway line or too much decompressed data, naming
    the line where it happened.
    """
    opener = gzip.open if is_gzip(path) else open
    lineno = 0
    try:
        with opener(path, "rb") as handle:
            for lineno, raw in enumerate(
                _lines(handle, path, max_file_bytes()), start=1
            ):  # noqa: B007
                if b"\x00" in raw:
                    raise UserInputError(
                        path,
                        [
                            Problem(
                                f"line {lineno}", "binary data; expected a text table"
                            )
                        ],
                    )
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode(
                        "latin-1"
                    )  # old MAFs are often Latin-1; never fatal
                yield lineno, text.rstrip("\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise UserInputError(
            path,
            [
                Problem(
                    f"line {lineno + 1}",
                    f"the compressed data is damaged or truncated ({exc})",
                )
            ],
        ) from None


def scan_vcf(path: Path) -> None:
    """Stream through a (bgzipped) VCF once with the line, line-count and decompressed-size
    caps, before htslib reads it: htslib holds a whole record in memory, so a small
    bgzip that inflates to one 9 GB record took 22 s and 9 GB before this check."""
    opener = gzip.open if is_gzip(path) else open
    lineno = 0
    try:
        with opener(path, "rb") as handle:
            for _ in _lines(
                handle,
                path,
                max_file_bytes(),
                MAX_VCF_RECORD_BYTES,
                "expected VCF records of a few kilobytes",
            ):
                lineno += 1
    except (OSError, EOFError, zlib.error) as exc:
        raise UserInputError(
            path,
            [
                Problem(
                    f"line {lineno + 1}",
                    f"the compressed data is damaged or truncated ({exc})",
                )
            ],
        ) from None


def raise_problems(path: Path, problems: list[Problem], hint: str = "") -> None:
    """Raise one error for all problems found (at most :data:`MAX_PROBLEMS` listed)."""
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(
            Problem("", f"... and {len(problems) - MAX_PROBLEMS} more problems")
        )
    raise UserInputError(path, shown, hint=hint)


def parse_float(text: str | None) -> float | None:
    """A number from a table cell; empty, ``.``, ``NA`` -> None; raises ValueError."""
    if text is None:
        return None
    t = text.strip()
    if t in ("", ".", "NA", "N/A", "na", "nan", "NaN", "-", "None", "null"):
        return None
    try:
        value = float(t.rstrip("%")) / (100.0 if t.endswith("%") else 1.0)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def parse_int(text: str | None) -> int | None:
    value = parse_float(text)
    if value is None:
        return None
    if value != int(value) or value < 0:
        raise ValueError(f"expected a whole number >= 0, got {text!r}")
    return int(value)
