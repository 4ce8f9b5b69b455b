"""Progress messages of long work: a callback type, and the library's logger they go to
when the caller gives no callback (``logging.getLogger("islandroute")``, level INFO)."""

from __future__ import annotations

import logging
from collections.abc import Callable

#: The library's logger; applications choose its handlers and level.
LOGGER = logging.getLogger("islandroute")

#: Something told each progress message as one line of text.
Progress = Callable[[str], None]


def log_progress(message: str) -> None:
    """A progress message as an INFO record of the library's logger."""
    LOGGER.info(message)


def progress_or_log(progress: Progress | None) -> Progress:
    """The caller's callback, else the library's logger."""
    return progress if progress is not None else log_progress
