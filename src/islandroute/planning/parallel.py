"""Independent searches of one instance in forked processes; the cheapest week wins.

Each worker is forked, so it reads the instance from the parent's memory (nothing is
pickled on the way in); it ignores Ctrl-C and sends its week back through a pipe,
ending early enough for the sending. The parent kills every worker still running when
it is interrupted, when anything fails, and once the deadline has passed with a week in
hand: no worker outlives :func:`solve_parallel`.
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, cast

from islandroute.errors import InfeasibleError, Problem
from islandroute.planning.clock import Deadline
from islandroute.planning.day import COST_SCALE
from islandroute.planning.instance import Instance
from islandroute.planning.options import PlanOptions
from islandroute.planning.week import Week
from islandroute.progress import Progress

Clock = dict[str, float]
Solve = Callable[..., tuple[Week, str]]
Result = tuple[str, Any]  # ("week", (assignment, days, clock, stopped)), ("infeasible", ...)
STOP_WAIT_S = 0.5  # seconds a terminated worker gets to exit before it is killed


@dataclass(frozen=True)
class _Job:
    """What a forked search needs besides its seed (read from the parent's memory)."""

    inst: Instance
    opts: PlanOptions
    target: Deadline
    hard: Deadline
    label: str
    solve: Solve


_JOB: list[_Job] = []  # set around a parallel run, so that workers need nothing pickled


def solve_parallel(
    inst: Instance,
    opts: PlanOptions,
    target: Deadline,
    hard: Deadline,
    say: Progress,
    label: str,
    clock: Clock,
    solve: Solve,
) -> tuple[Week, str]:
    """``opts.workers`` searches from seeds ``seed, seed + 1, ...``; the week that leaves
    least out at least cost, and why its search stopped."""
    sending = opts.tuning.send_seconds(inst.weekly_visits())
    _JOB[:] = [
        _Job(
            inst,
            opts,
            Deadline(target.end - sending),
            Deadline(hard.end - sending),
            label,
            solve,
        )
    ]
    say(f"[{label}] {opts.workers} searches in parallel")
    workers: list[tuple[BaseProcess, Connection]] = []
    try:
        workers = _start(opts.seed, opts.workers)
        results = _collect(workers, hard)
    finally:
        _JOB.clear()
        _stop(workers)
    return _best(inst, opts, results, hard, say, label, clock)


def _start(seed: int, count: int) -> list[tuple[BaseProcess, Connection]]:
    """Fork ``count`` workers (Ctrl-C blocked meanwhile, so none starts unprotected)."""
    ctx = multiprocessing.get_context("fork")
    out: list[tuple[BaseProcess, Connection]] = []
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for n in range(count):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_work, args=(seed + n, send, blocked), daemon=True)
            out.append((proc, receive))
            proc.start()
            send.close()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return out


def _work(seed: int, send: Connection, mask: set[signal.Signals]) -> None:
    """One search in a forked worker; its week (or what stopped it) goes to the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    job = _JOB[0]
    clock: Clock = {}
    result: Result
    try:
        week, stopped = job.solve(
            job.inst, job.opts, seed, job.target, job.hard, lambda _m: None, job.label, clock
        )
        result = ("week", (week.assignment, week.days, clock, stopped))
    except InfeasibleError as exc:
        result = ("infeasible", list(exc.problems))
    except Exception:
        result = ("error", traceback.format_exc())
    send.send(result)
    send.close()


def _collect(workers: list[tuple[BaseProcess, Connection]], hard: Deadline) -> dict[int, Result]:
    """Every worker's result; once one is in hand, the others only until ``hard``."""
    results: dict[int, Result] = {}
    pending = {receive: n for n, (_, receive) in enumerate(workers)}
    while pending:
        timeout = max(0.0, hard.left()) if results else None
        ready = wait(list(pending), timeout)
        if not ready:
            break
        for receive in ready:
            n = pending.pop(receive)  # type: ignore[call-overload]
            try:
                results[n] = cast(Connection, receive).recv()
            except EOFError:
                results[n] = ("error", f"search {n} ended without a result")
    return results


def _stop(workers: list[tuple[BaseProcess, Connection]]) -> None:
    """Terminate the workers still running, kill the ones that linger, close pipes."""
    for proc, _ in workers:
        if proc.is_alive():
            proc.terminate()
    for proc, receive in workers:
        proc.join(STOP_WAIT_S)
        if proc.is_alive():
            proc.kill()
            proc.join()
        receive.close()


def _best(
    inst: Instance,
    opts: PlanOptions,
    results: dict[int, Result],
    hard: Deadline,
    say: Progress,
    label: str,
    clock: Clock,
) -> tuple[Week, str]:
    """The week that leaves least out at least cost (a failed search is a bug: raised)."""
    done = []
    problems: list[Problem] = []
    for n, (kind, data) in sorted(results.items()):
        seed = opts.seed + n
        if kind == "error":
            raise RuntimeError(f"[{label}] search {n} (seed {seed}) failed:\n{data}")
        if kind == "infeasible":
            say(f"[{label}] search {n} (seed {seed}): {len(data)} problems")
            problems = problems or data
            continue
        assignment, days, times, stopped = data
        week = Week(inst, assignment, opts.effort, tuning=opts.tuning, deadline=hard)
        week.days = days
        say(
            f"[{label}] search {n} (seed {seed}): routing cost {week.objective() / COST_SCALE:,.0f}"
        )
        done.append(((len(week.dropped()), week.objective(), n), week, times, stopped))
    if not done:
        raise InfeasibleError(problems)
    _, best, times, stopped = min(done, key=lambda x: x[0])
    for key, dt in times.items():  # the winner's stages
        clock[key] = clock.get(key, 0.0) + dt
    return best, stopped
