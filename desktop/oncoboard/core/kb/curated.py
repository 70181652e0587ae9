"""Reading the curated YAML files (``knowledgebase/curated/*.yaml``).

Every problem is reported with the file, the entry id and the field, so a
curator can fix it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oncoboard.core.errors import Problem
from oncoboard.core.kb.schema import Entry


@dataclass(frozen=True)
class CuratedEntry:
    """A validated entry and the file it came from."""

    entry: Entry
    source_file: str


def yaml_loader() -> type:
    """Return a safe YAML loader that keeps dates as strings.

    PyYAML turns ``2018-02-30`` into an exception for the whole file; keeping
    dates as text lets the schema report the bad date at its field instead.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        key: [
            (tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"
        ]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with :func:`yaml_loader` (raises ``yaml.YAMLError``)."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml_loader())  # noqa: S506


def where(source_file: str, entry_id: str, field: str = "") -> str:
    """Format the location of a problem: file, entry id and (optional) field."""
    text = f"{source_file} entry {entry_id}"
    return f"{text} field {field}" if field else text


def load_curated(curated_dir: Path) -> tuple[list[CuratedEntry], list[Problem]]:
    """Read and schema-check every ``*.yaml`` file under ``curated_dir``.

    Parameters
    ----------
    curated_dir
        The folder of curated files (sub-folders are not read).

    Returns
    -------
    tuple[list[CuratedEntry], list[Problem]]
        The entries that passed the schema and one problem per failure.
    """
    import yaml

    entries: list[CuratedEntry] = []
    problems: list[Problem] = []
    for path in sorted(curated_dir.glob("*.yaml")):
        name = f"{curated_dir.name}/{path.name}"
        try:
            data = read_yaml(path)
        except yaml.YAMLError as exc:
            problems.append(Problem(name, f"not valid YAML: {exc}"))
            continue
        items = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(items, list):
            problems.append(Problem(name, "expected a top-level 'entries:' list"))
            continue
        for index, item in enumerate(items):
            parsed = _parse_entry(item, index, name, problems)
            if parsed is not None:
                entries.append(CuratedEntry(parsed, name))
    return entries, problems


def _parse_entry(
    item: object, index: int, name: str, problems: list[Problem]
) -> Entry | None:
    entry_id = (
        str(item.get("id"))
        if isinstance(item, dict) and item.get("id")
        else f"#{index + 1}"
    )
    try:
        return Entry.model_validate(item)
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(where(name, entry_id, field), msg))
        return None
