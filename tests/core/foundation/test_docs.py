"""Generated documentation is current: the case JSON Schema and the CLI reference."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from oncoboard.core.case import parse_case
from shared_paths import SPEC_EXAMPLES

DOCS = Path(__file__).resolve().parents[3] / "docs"
_spec = importlib.util.spec_from_file_location(
    "make_reference", DOCS / "make_reference.py"
)
make_reference = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(make_reference)  # type: ignore[union-attr]

STALE = "is stale: run `python docs/make_reference.py`"


def test_published_case_schema_is_current() -> None:
    assert (
        DOCS / "case.schema.json"
    ).read_text() == make_reference.case_schema_json(), f"docs/case.schema.json {STALE}"


def test_published_match_schema_is_current() -> None:
    assert (
        DOCS / "match.schema.json"
    ).read_text() == make_reference.match_schema_json(), (
        f"docs/match.schema.json {STALE}"
    )


def test_match_output_validates_against_the_published_schema() -> None:
    import jsonschema

    from oncoboard.core import api

    schema = json.loads((DOCS / "match.schema.json").read_text())
    ctx = api.Context.create()
    for path in sorted(SPEC_EXAMPLES.glob("*.json")):
        out = api.analyse_file(ctx, path).match.to_json_dict()
        jsonschema.validate(out, schema)
        assert {"not_recommended", "alteration_view"} <= set(out)


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text() == make_reference.cli_reference_markdown(), (
        f"docs/cli.md {STALE}"
    )


def test_published_schema_accepts_the_spec_examples() -> None:
    import jsonschema

    schema = json.loads((DOCS / "case.schema.json").read_text())
    assert schema["title"] == "oncoboard.case/1"
    assert "case_id" in schema["required"] and "tumor" in schema["required"]
    for path in SPEC_EXAMPLES.glob("*.json"):
        parse_case(path.read_text())
        jsonschema.validate(json.loads(path.read_text()), schema)
