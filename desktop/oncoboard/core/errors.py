"""Error types shared by the core, the CLI and the GUI.

Two kinds of error take two paths (see ``docs/ARCHITECTURE.md``):

* :class:`UserInputError` and its subclasses are expected, fixable problems
  (a bad file, an invalid field, a stale edit).  They carry enough context for
  a message a user can act on and never reach the user as a traceback.  The
  CLI maps them to exit status 2.
* Anything else is unexpected and goes through the single crash handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    location: str  # JSON path such as ``samples[0].alterations[1].vaf`` or ``line 12``
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class OncoBoardError(Exception):
    """Base class of every error OncoBoard raises on purpose."""


@dataclass
class UserInputError(OncoBoardError):
    """An input the user can fix: names the file, the place and the expectation."""

    source: str | Path | None
    problems: list[Problem] = field(default_factory=list)
    hint: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def format(self) -> str:
        head = f"{self.source}" if self.source is not None else "input"
        if not self.problems:
            text = f"{head}: invalid input"
        elif len(self.problems) == 1:
            text = f"{head}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            text = f"{head}: {len(self.problems)} problems\n{lines}"
        if self.hint:
            text += f"\n{self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class ConflictError(OncoBoardError):
    """An update was based on an older version than the one stored."""

    def __init__(self, case_id: str, based_on: int, current: int) -> None:
        self.case_id = case_id
        self.based_on = based_on
        self.current = current
        super().__init__(
            f"Case {case_id!r} was changed elsewhere: your edit is based on version "
            f"{based_on}, but version {current} is stored. Nothing was overwritten; "
            "reload the case, re-apply your changes and save again."
        )


class NotFoundError(OncoBoardError):
    """A case, KB entry or file that the user named does not exist."""


class StorageError(OncoBoardError):
    """The data folder or database cannot be used (read-only, full, corrupt)."""


class ConfigError(UserInputError):
    """A configuration file or environment variable is invalid."""
