"""One way to run many independent plans: any ``concurrent.futures``-style executor.

A ``concurrent.futures.Executor`` and a ``dask.distributed.Client`` both offer
``submit(fn, *args)`` returning a future with ``result()`` and ``add_done_callback``,
so local processes and a Dask cluster go through the same code below. Without an
executor, a local ``ProcessPoolExecutor`` is started and shut down again.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from islandroute.progress import Progress, progress_or_log

__all__ = ["Progress", "SerialExecutor", "Submitter", "default_workers", "run_jobs"]

T = TypeVar("T")


class Submitter(Protocol):
    """Anything with ``submit(fn, *args)`` -> future (``Executor``, dask ``Client``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any: ...


class SerialExecutor(Executor):
    """Runs each job at once in the calling process (debugging, tiny games, notebooks)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        fut: Future[T] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as err:  # handed to the caller through result()
            fut.set_exception(err)
        return fut


def default_workers() -> int:
    """Local worker processes: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_jobs(
    fn: Callable[..., T],
    jobs: Sequence[tuple[Any, ...]],
    *,
    executor: Submitter | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    labels: Sequence[str] | None = None,
) -> list[T]:
    """Run ``fn(*args)`` for every ``args`` in ``jobs`` and return results in job order.

    ``executor``: a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``;
    ``None`` starts a local process pool of ``workers`` processes (``spawn``, so no
    solver threads are forked). ``fn`` must be a top-level, picklable function.
    Progress reports one line per finished job.
    """
    if not jobs:
        return []
    say = progress_or_log(progress)
    own = executor is None
    if executor is None:
        executor = _local_pool(workers, len(jobs), say)
    else:
        say(f"{len(jobs)} plans on {type(executor).__name__}")
    names = list(labels) if labels is not None else [str(i) for i in range(len(jobs))]
    finished = _done_reporter(say, len(jobs))
    try:
        futures = []
        for args, label in zip(jobs, names, strict=True):
            fut = executor.submit(fn, *args)
            fut.add_done_callback(finished(label))
            futures.append(fut)
        return [f.result() for f in futures]
    finally:
        if own:
            executor.shutdown()  # type: ignore[union-attr]


def _local_pool(workers: int | None, n_jobs: int, say: Progress) -> ProcessPoolExecutor:
    """A pool of ``workers`` local processes (no more than jobs), started by ``spawn`` so
    that no solver threads are forked."""
    n = min(workers or default_workers(), n_jobs)
    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
    say(f"{n_jobs} plans on {n} local processes")
    return pool


def _done_reporter(say: Progress, total: int) -> Callable[[str], Callable[[Any], None]]:
    """Per job label, a done-callback that reports ``[k/total] label done (seconds)``;
    callbacks may run on other threads, so the count is locked."""
    lock = threading.Lock()
    done = [0]
    t0 = time.perf_counter()

    def finished(label: str) -> Callable[[Any], None]:
        def cb(_fut: Any) -> None:
            with lock:
                done[0] += 1
                k = done[0]
            say(f"[{k}/{total}] {label} done ({time.perf_counter() - t0:.0f}s)")

        return cb

    return finished
