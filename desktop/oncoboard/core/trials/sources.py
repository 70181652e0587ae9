"""Reading trial snapshots: ClinicalTrials.gov API v2 study JSON and site files.

A path is one study (``{"protocolSection": ...}``), a multi-study response
(``{"studies": [...]}`` or a JSON array of studies), a folder of ``*.json``
files, or a site file (``.csv``, ``.yaml``/``.yml``) of local studies.  Every
problem is a :class:`UserInputError` naming the file, so an import stops before
anything is stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.trials.model import Location, TrialRecord

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 1,000-study response is ~60 MB
SITE_SUFFIXES = (".csv", ".yaml", ".yml")
SITE_COLUMNS = ("id", "title", "status", "conditions", "eligibility")
_NCT = re.compile(r"^NCT\d{8}$")


@dataclass(frozen=True)
class SourceFile:
    """One file read: its records and its checksum."""

    path: Path
    sha256: str
    records: tuple[TrialRecord, ...]


def expand(paths: list[Path]) -> list[Path]:
    """The files behind ``paths`` (a folder gives its JSON and site files, sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in (".json", *SITE_SUFFIXES)
            )
            if not found:
                raise UserInputError(
                    path, [Problem("", "the folder holds no .json, .csv or .yaml file")]
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UserInputError(path, [Problem("", "no such file or folder")])
    return files


def read_source(path: Path) -> SourceFile:
    """Read one file into trial records; raise naming the file on any problem."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserInputError(
                path, [Problem("", f"larger than {MAX_FILE_BYTES:,} bytes")]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UserInputError(
            path, [Problem("", f"cannot be read: {exc.strerror}")]
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserInputError(path, [Problem("", "not UTF-8 text")]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = tuple(_site_records(path, list(csv.DictReader(io.StringIO(text)))))
    elif suffix in (".yaml", ".yml"):
        records = tuple(_site_records(path, _yaml_rows(path, text)))
    else:
        records = tuple(_ctgov_records(path, text))
    if not records:
        raise UserInputError(path, [Problem("", "no study in the file")])
    return SourceFile(path=path, sha256=digest, records=records)


# -- ClinicalTrials.gov API v2 ----------------------------------------------------------


def _ctgov_records(path: Path, text: str) -> Iterator[TrialRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserInputError(
            path,
            [
                Problem(
                    f"line {exc.lineno}",
                    f"not valid JSON ({exc.msg}); is the file truncated?",
                )
            ],
        ) from None
    except RecursionError:
        raise UserInputError(path, [Problem("", "JSON nested too deeply")]) from None
    if isinstance(data, dict) and "studies" in data:
        studies, where = data["studies"], "studies"
    elif isinstance(data, list):
        studies, where = data, ""
    else:
        studies, where = [data], ""
    if not isinstance(studies, list):
        raise UserInputError(path, [Problem("studies", "expected a list of studies")])
    for i, study in enumerate(studies):
        at = (
            f"{where}[{i}]"
            if (where or len(studies) > 1 or isinstance(data, list))
            else ""
        )
        yield parse_study(study, path, at)


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if isinstance(v, str | int | float))


def parse_age(text: Any) -> float | None:
    """``"18 Years"`` → 18.0, ``"6 Months"`` → 0.5; None when absent or unreadable."""
    if not isinstance(text, str):
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)", text, re.I)
    if not m:
        return None
    per_year = {"year": 1, "month": 12, "week": 52, "day": 365}[m.group(2).lower()]
    return round(float(m.group(1)) / per_year, 2)


def parse_study(study: Any, path: Path, at: str = "") -> TrialRecord:
    """One API v2 study object → :class:`TrialRecord` (the NCT id is required)."""
    protocol = _get(study, "protocolSection")
    if not isinstance(protocol, dict):
        raise UserInputError(
            path,
            [
                Problem(
                    at or "",
                    "not a ClinicalTrials.gov study record (no protocolSection)",
                )
            ],
        )
    ident = protocol.get("identificationModule") or {}
    nct_id = ident.get("nctId") if isinstance(ident, dict) else None
    if not isinstance(nct_id, str) or not _NCT.match(nct_id.strip()):
        raise UserInputError(
            path,
            [
                Problem(
                    f"{at}.protocolSection.identificationModule.nctId".lstrip("."),
                    f"missing or not an NCT id ({nct_id!r})",
                )
            ],
        )
    status = _get(protocol, "statusModule", "overallStatus")
    locations = []
    for loc in _get(protocol, "contactsLocationsModule", "locations") or []:
        if isinstance(loc, dict):
            locations.append(
                Location(
                    facility=str(loc.get("facility") or ""),
                    city=str(loc.get("city") or ""),
                    country=str(loc.get("country") or ""),
                    status=str(loc.get("status") or ""),
                )
            )
    eligibility = _get(protocol, "eligibilityModule") or {}
    interventions = [
        str(i.get("name"))
        for i in _get(protocol, "armsInterventionsModule", "interventions") or []
        if isinstance(i, dict) and i.get("name")
    ]
    return TrialRecord(
        nct_id=nct_id.strip(),
        title=str(ident.get("briefTitle") or ident.get("officialTitle") or nct_id),
        official_title=str(ident.get("officialTitle") or ""),
        overall_status=str(status or "UNKNOWN"),
        conditions=_strings(_get(protocol, "conditionsModule", "conditions")),
        keywords=_strings(_get(protocol, "conditionsModule", "keywords")),
        phases=_strings(_get(protocol, "designModule", "phases")),
        locations=tuple(locations),
        eligibility=str(eligibility.get("eligibilityCriteria") or ""),
        minimum_age=parse_age(eligibility.get("minimumAge")),
        maximum_age=parse_age(eligibility.get("maximumAge")),
        last_update=_get(protocol, "statusModule", "lastUpdatePostDateStruct", "date"),
        version_holder=_get(study, "derivedSection", "miscInfoModule", "versionHolder"),
        source="ctgov",
        interventions=tuple(interventions),
    )


# -- site files -------------------------------------------------------------------------


def _yaml_rows(path: Path, text: str) -> list[dict[str, Any]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UserInputError(path, [Problem("", f"not valid YAML ({exc})")]) from None
    if isinstance(data, dict):
        data = data.get("studies")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UserInputError(
            path, [Problem("studies", "expected a list of studies (mappings)")]
        )
    return data


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    if value is None:
        return ()
    return tuple(p.strip() for p in str(value).split("|") if p.strip())


def _site_records(path: Path, rows: list[dict[str, Any]]) -> Iterator[TrialRecord]:
    """Site-file rows: ``id`` (an NCT id or a local id), ``title``, ``status``,
    ``conditions`` (``|``-separated in CSV), ``eligibility``; optional
    ``keywords``, ``minimum_age``, ``maximum_age``, ``last_update``."""
    for i, row in enumerate(rows):
        missing = [
            c
            for c in ("id", "title", "conditions")
            if not str(row.get(c) or "").strip()
        ]
        if missing:
            raise UserInputError(
                path, [Problem(f"row {i + 1}", f"missing {', '.join(missing)}")]
            )
        ident = str(row["id"]).strip()
        status = (
            str(row.get("status") or "RECRUITING")
            .strip()
            .upper()
            .replace(" ", "_")
            .replace("-", "_")
        )
        yield TrialRecord(
            nct_id=ident,
            title=str(row["title"]).strip(),
            overall_status=status,
            conditions=_split(row.get("conditions")),
            keywords=_split(row.get("keywords")),
            eligibility=str(row.get("eligibility") or ""),
            minimum_age=_float(row.get("minimum_age")),
            maximum_age=_float(row.get("maximum_age")),
            last_update=str(row.get("last_update") or "") or None,
            source="site",
        )


def _float(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None
