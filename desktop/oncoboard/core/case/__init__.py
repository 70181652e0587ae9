"""The ``oncoboard.case/1`` contract: model, loading and writing."""

from oncoboard.core.case.io import case_to_json, dump_case, load_case, parse_case
from oncoboard.core.case.model import SCHEMA_ID, Case

__all__ = ["SCHEMA_ID", "Case", "case_to_json", "dump_case", "load_case", "parse_case"]
