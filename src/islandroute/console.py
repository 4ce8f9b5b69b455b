"""What the command line shows while it works: the library's log lines on stderr with the
elapsed time, and a progress bar (tqdm) of the time limit on a terminal."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from islandroute.progress import LOGGER

#: Seconds between two redraws of the bar while no message arrives.
TICK_SECONDS = 0.5
#: Characters of the latest message shown beside the bar.
POSTFIX_CHARS = 48
BAR_FORMAT = "{l_bar}{bar}| {n:.0f}/{total:.0f}s {postfix}"


class ElapsedFormatter(logging.Formatter):
    """``[  12.3s] message``: seconds since the command started."""

    def __init__(self, start: float) -> None:
        super().__init__()
        self.start = start

    def format(self, record: logging.LogRecord) -> str:
        return f"[{time.perf_counter() - self.start:6.1f}s] {record.getMessage()}"


class _BarHandler(logging.Handler):
    """Log lines written above the bar (``tqdm.write``), the latest beside it."""

    def __init__(self, bar: Any) -> None:
        super().__init__()
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.write(self.format(record), file=sys.stderr)
        self.bar.set_postfix_str(record.getMessage()[:POSTFIX_CHARS], refresh=False)


@contextmanager
def progress_shown(seconds: float | None = None, quiet: bool = False) -> Iterator[None]:
    """While inside: the library's INFO lines on stderr (only warnings when ``quiet``), and
    with ``seconds`` a bar of the time used, redrawn by a ticker, on a terminal only."""
    start = time.perf_counter()
    bar = _bar(seconds) if seconds and not quiet and sys.stderr.isatty() else None
    handler: logging.Handler = _BarHandler(bar) if bar else logging.StreamHandler(sys.stderr)
    handler.setFormatter(ElapsedFormatter(start))
    old_level, old_propagate = LOGGER.level, LOGGER.propagate
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.WARNING if quiet else logging.INFO)
    LOGGER.propagate = False
    stop = threading.Event()
    ticker = _ticker(bar, start, stop) if bar else None
    try:
        yield
    finally:
        stop.set()
        if ticker:
            ticker.join()
        if bar:
            bar.close()
        LOGGER.removeHandler(handler)
        LOGGER.setLevel(old_level)
        LOGGER.propagate = old_propagate


def _bar(seconds: float) -> Any:
    """A tqdm bar whose total is the time limit in seconds."""
    from tqdm import tqdm

    return tqdm(total=seconds, file=sys.stderr, bar_format=BAR_FORMAT, leave=False)


def _ticker(bar: Any, start: float, stop: threading.Event) -> threading.Thread:
    """A daemon thread that moves the bar to the elapsed time until ``stop`` is set."""

    def tick() -> None:
        while not stop.wait(TICK_SECONDS):
            bar.n = min(bar.total, time.perf_counter() - start)
            bar.refresh()

    thread = threading.Thread(target=tick, name="islandroute-progress", daemon=True)
    thread.start()
    return thread
