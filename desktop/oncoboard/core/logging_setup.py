"""Standard logging to a rotating file in the user log folder.

Patient data (case ids, pseudonyms, alterations) is only ever logged at DEBUG;
INFO and above carry database row ids and content hashes.  A test checks it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from oncoboard.core import paths

LOG_FILE_NAME = "oncoboard.log"
_configured_dir: Path | None = None


def _private_dir(folder: Path) -> None:
    """Create ``folder`` and missing parents 0700 (``mkdir(parents=True)`` gives parents 0755)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir(mode=0o700, exist_ok=True)


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files (current and rotated) readable by this account only: they sit beside patient data."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )


def setup_logging(level: str = "INFO", directory: Path | None = None) -> Path | None:
    """Attach a rotating file handler to the ``oncoboard`` logger.

    Returns the log file path, or None if the log folder cannot be written
    (logging must never stop the program).
    """
    global _configured_dir
    target = directory or paths.log_dir()
    logger = logging.getLogger("oncoboard")
    logger.setLevel(getattr(logging, level.upper(), logging.INFO))
    if _configured_dir == target:
        return target / LOG_FILE_NAME
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    try:
        _private_dir(target)
        handler = _PrivateRotatingFileHandler(
            target / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        os.chmod(
            target / LOG_FILE_NAME, 0o600
        )  # a log written by an older version was 0644
    except OSError:
        # No file to log to: a NullHandler keeps logging's last-resort handler from
        # printing tracebacks (and their exception texts) on stderr.
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
        )
    )
    logger.addHandler(handler)
    _configured_dir = target
    return target / LOG_FILE_NAME
