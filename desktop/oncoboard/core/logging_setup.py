"""Standard logging to a rotating file in the user log folder.

Patient data (case ids, pseudonyms, alterations) is only ever logged at DEBUG;
INFO and above carry database row ids and content hashes.  A test checks it.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from oncoboard.core import paths

LOG_FILE_NAME = "oncoboard.log"
_configured_dir: Path | None = None


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
        target.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s")
    )
    logger.addHandler(handler)
    _configured_dir = target
    return target / LOG_FILE_NAME
