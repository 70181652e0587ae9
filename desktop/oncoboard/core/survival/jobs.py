"""Progress and cancellation for long survival jobs.

Long jobs are plain functions ``run(inputs, *, progress, cancelled)``: the
same function serves the CLI (a terminal progress bar) and the GUI worker.
"""

from __future__ import annotations

from collections.abc import Callable

from oncoboard.core.errors import OncoBoardError

ProgressFn = Callable[[float, str], None]
"""``progress(fraction, message)`` with fraction in [0, 1]."""

CancelledFn = Callable[[], bool]
"""``cancelled()`` returns True once the user asked to stop."""


class JobCancelled(OncoBoardError):
    """The user cancelled a long job; nothing was saved."""


def step(
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
    fraction: float,
    message: str,
) -> None:
    """Report progress, then stop with :class:`JobCancelled` if asked to.

    Raises
    ------
    JobCancelled
        When ``cancelled()`` is true.
    """
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)
    if cancelled is not None and cancelled():
        raise JobCancelled(f"cancelled during: {message}")
