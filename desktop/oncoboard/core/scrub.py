"""Exception texts made safe for logs and the terminal.

An unexpected exception's text can quote the data it choked on (a case's JSON,
a pseudonym).  Before such a text is logged at ERROR or printed, JSON objects
and quoted strings are replaced by ``…``, control characters are escaped and
the length is capped; the traceback's frames (file, line, code) stay.
"""

from __future__ import annotations

import re
import traceback

MAX_CHARS = 300
_OBJECT = re.compile(r"\{.*\}", re.DOTALL)  # JSON objects, however nested
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|b'[^'\n]*'")


def scrub(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` without quoted data, JSON, control characters, and at most ``limit`` characters."""
    text = _QUOTED.sub("'…'", _OBJECT.sub("{…}", text))
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[:limit] + "…"


def scrubbed_traceback(exc: BaseException) -> str:
    """The frames of ``exc``'s traceback and its scrubbed text (never the raw message)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return f"Traceback (most recent call last):\n{frames}{type(exc).__name__}: {scrub(str(exc))}"
