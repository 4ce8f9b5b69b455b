"""One executor path: local processes, a Dask LocalCluster, or in-process; same results."""

from __future__ import annotations

import pytest

from islandroute.analysis.compare import compare
from islandroute.analysis.executor import SerialExecutor, run_jobs
from islandroute.datasets.synthetic import archipelago

TIME_LIMIT = 6.0  # generous: the plans stop on their solution count (effort) well before


def _square(x: int) -> int:
    return x * x


def _fail(x: int) -> int:
    raise RuntimeError(f"job {x} failed")


def test_run_jobs_keeps_job_order_and_reports_progress() -> None:
    lines: list[str] = []
    out = run_jobs(
        _square,
        [(3,), (1,), (2,)],
        executor=SerialExecutor(),
        progress=lines.append,
        labels=["three", "one", "two"],
    )
    assert out == [9, 1, 4]
    assert sum("done" in m for m in lines) == 3 and any("[3/3]" in m for m in lines)
    assert run_jobs(_square, []) == []


def test_run_jobs_on_local_processes_and_errors_surface() -> None:
    assert run_jobs(_square, [(i,) for i in range(5)], workers=2) == [0, 1, 4, 9, 16]
    with pytest.raises(RuntimeError, match="job 1 failed"):
        run_jobs(_fail, [(1,)], executor=SerialExecutor())


@pytest.fixture(scope="module")
def net():
    return archipelago(n_stations=8, n_islands=2, n_carriers=3, seed=3)


def test_dask_cluster_and_local_processes_give_the_same_allocation(net) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local_lines: list[str] = []
    local = compare(net, time_limit=TIME_LIMIT, seed=7, workers=2, progress=local_lines.append)
    dask_lines: list[str] = []
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = compare(
            net, time_limit=TIME_LIMIT, seed=7, executor=client, progress=dask_lines.append
        )
    assert local.shapley is not None and remote.shapley is not None
    assert remote.coalitions == local.coalitions
    assert remote.shapley.shares == local.shapley.shares
    assert remote.core == local.core
    assert sum(remote.shapley.shares.values()) == pytest.approx(remote.joint.cost)
    assert any("Client" in m for m in dask_lines) and any("[7/7]" in m for m in dask_lines)
    assert any("local processes" in m for m in local_lines)
