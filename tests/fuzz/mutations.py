"""Hypothesis strategies that mutate real files the way damaged or hostile input looks.

Every fuzz test starts from a real file (``../shared/spec/examples``,
``../shared/data/examples``, ``tests/data``) and applies a short list of edits:
truncation, bit flips, random bytes, line deletion and duplication, and random
unicode spliced into a field.  Hypothesis shrinks a failure to the fewest
edits, so a report names the source file and the edits that broke it.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: the normal suite runs a quick pass; ``-m slow`` runs the 10,000-example pass
FAST_EXAMPLES = int(os.environ.get("ONCOBOARD_FUZZ_FAST_EXAMPLES", "200"))
SLOW_EXAMPLES = int(os.environ.get("ONCOBOARD_FUZZ_SLOW_EXAMPLES", "10000"))

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "derandomize": False,
    "database": None,  # no .hypothesis folder in the checkout; failures print a reproducer
    "print_blob": True,
}
FAST = settings(max_examples=FAST_EXAMPLES, **_COMMON)
SLOW = settings(max_examples=SLOW_EXAMPLES, **_COMMON)

#: characters that break parsers: controls, quotes, separators, BOMs, surrogate-free
#: astral characters, bidi overrides and the characters of the formats themselves
NASTY = (
    "\x00\x01\x1b\t\n\r\x7f\x85\u2028\u2029\ufeff\ufffd\u202e\u0301"
    "\"'\\#;,|=%[]{}<>:.~/*-_ "
    "\U0001f9ec\u00e9\u4e2d"
)
unicode_text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(NASTY),
    ),
    max_size=40,
)


class Blob(bytes):
    """Source bytes with a short repr, so Hypothesis' reports stay readable (and cheap)."""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes>"


@st.composite
def byte_edits(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` with up to six random edits applied in order."""
    data = bytearray(raw)
    ops = draw(st.lists(st.sampled_from(
        ["truncate", "flip", "set", "delete_line", "duplicate_line", "insert_text",
         "delete_span", "duplicate_span"]), min_size=1, max_size=6))  # fmt: skip
    for op in ops:
        n = len(data)
        where = draw(st.integers(0, max(n - 1, 0)))
        if op == "truncate":
            del data[where:]
        elif op == "flip" and n:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and n:
            data[where] = draw(st.integers(0, 255))
        elif op in ("delete_line", "duplicate_line"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "delete_line":
                del lines[i]
            else:
                lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif op == "insert_text":
            text = draw(unicode_text).encode("utf-8", "surrogatepass")
            data[where:where] = text
        elif op in ("delete_span", "duplicate_span"):
            length = draw(st.integers(1, 64))
            span = bytes(data[where : where + length])
            if op == "delete_span":
                del data[where : where + length]
            else:
                data[where:where] = span
    return bytes(data)


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, with nasty strings and numbers at the edges of the types."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([0, -1, 1e308, -1e-308, 2**63, 0.5, 1.0000001]),
        unicode_text,
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(unicode_text, inner, max_size=3),
        ),
        max_leaves=6,
    )


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def json_edits(draw: st.DrawFn, obj: Any) -> Any:
    """A deep copy of ``obj`` with up to four fields replaced, deleted or added."""
    obj = json.loads(json.dumps(obj))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(obj)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = obj
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["replace", "text", "delete", "add"]))
        if action == "replace":
            parent[last] = draw(json_values())
        elif action == "text":
            parent[last] = draw(unicode_text)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[draw(unicode_text)] = draw(json_values())
        else:
            parent.append(draw(json_values()))
    return obj
