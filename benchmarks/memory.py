"""Memory benchmark of the travel tables: peak RSS and seconds of ``Travel(net)``.

Cases: the issue's network (a small archipelago and 12,000 junctions no road touches),
the same junctions chained into one road between two stations, and a generated
2,000-station archipelago. Each case runs in a fresh subprocess so that its peak
memory (``ru_maxrss``) is its own, with the current ``Travel`` (tables over stop nodes)
and with the dense all-nodes ``Travel`` of commit ``BEFORE`` (read with ``git show``;
the working tree is not touched).

    .venv/bin/python benchmarks/memory.py                 # every case, before and after
    .venv/bin/python benchmarks/memory.py --no-before     # the current code only

Writes ``benchmarks/results/<out>.json`` and ``<out>.md`` (default ``memory``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from _common import REPO, machine, md_table, write_json, write_text

#: The last commit with dense travel tables over every node.
BEFORE = "8936b80"
TRAVEL_PATH = "src/islandroute/network/travel.py"
JUNCTIONS = 12_000
#: The issue's figure for 12,000 unconnected junctions with dense tables.
ISSUE_DENSE_GB = 2.5
#: (stations, islands, carriers, seed) of the generated archipelago (seed 1: the
#: scaling benchmark's).
ARCHIPELAGO = (2000, 80, 7, 1)
CASES = ("junctions_12000", "junctions_12000_chained", "archipelago_2000")
IMPLS = ("before", "after")


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(case: str) -> Any:
    """The network of a case."""
    from islandroute.datasets.synthetic import archipelago
    from islandroute.model import Network

    if case == "archipelago_2000":
        n, islands, carriers, seed = ARCHIPELAGO
        return archipelago(n_stations=n, n_islands=islands, n_carriers=carriers, seed=seed)
    base = archipelago(n_stations=20, n_islands=2, n_carriers=3, seed=1)
    doc = base.model_dump(by_alias=True)
    junctions = [f"x{k}" for k in range(JUNCTIONS)]
    doc["nodes"] = list(doc["nodes"]) + [
        {"id": j, "kind": "junction", "island": "i0", "lon": 122.0, "lat": 30.0} for j in junctions
    ]
    if case == "junctions_12000_chained":
        ends = [s.node for s in base.stations[:2]]
        path = [ends[0], *junctions, ends[1]]
        doc["roads"] = list(doc["roads"]) + [
            {"a": a, "b": b, "km": 0.1, "minutes": 0.2} for a, b in pairwise(path)
        ]
    return Network.model_validate(doc)


def travel_class(impl: str) -> type:
    """``Travel`` as it is now (``after``) or at commit ``BEFORE`` (``before``)."""
    if impl == "after":
        from islandroute.network.travel import Travel

        return Travel
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:{TRAVEL_PATH}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "travel_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("travel_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.Travel


def run_case(case: str, impl: str) -> dict[str, Any]:
    """Build the network, then ``Travel(net)``: seconds and memory (in the child)."""
    net = build(case)
    cls = travel_class(impl)
    before_mb = peak_mb()
    t0 = time.perf_counter()
    travel = cls(net)
    seconds = time.perf_counter() - t0
    tables_mb = (travel.minutes.nbytes + travel.km.nbytes) / 2**20
    return {
        "case": case,
        "impl": impl,
        "nodes": len(net.nodes),
        "junctions": sum(n.kind == "junction" for n in net.nodes),
        "roads": len(net.roads),
        "table_shape": list(travel.minutes.shape),
        "tables_mb": round(tables_mb, 3),
        "travel_s": round(seconds, 3),
        "network_peak_mb": round(before_mb, 1),
        "peak_mb": round(peak_mb(), 1),
        "travel_mb": round(peak_mb() - before_mb, 1),
    }


def spawn(case: str, impl: str) -> dict[str, Any]:
    """Run one case in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", case, impl]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"case": case, "impl": impl, "error": err, "wall_s": wall}
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["wall_s"] = wall
    return row


def markdown(doc: dict[str, Any]) -> str:
    """The results as a Markdown report."""
    from islandroute.network.travel import MAX_NODES, MAX_ROADS, MAX_STOP_NODES

    m = doc["machine"]
    head = ["case", "code", "nodes", "junctions", "roads", "table shape", "tables MB"]
    head += ["Travel s", "peak MB", "Travel MB", "error"]
    rows = []
    for r in doc["rows"]:
        shape = " x ".join(f"{k:,}" for k in r["table_shape"]) if "table_shape" in r else None
        code = f"before ({BEFORE}, dense)" if r["impl"] == "before" else "after (stop nodes)"
        keys = ("nodes", "junctions", "roads")
        figures = ("tables_mb", "travel_s", "peak_mb", "travel_mb", "error")
        rows.append(
            [r["case"], code, *(r.get(k) for k in keys), shape, *(r.get(k) for k in figures)]
        )
    return (
        "# Travel tables: memory\n\n"
        f"Run {m['when']}, {m['cpus']} CPUs, Python {m['python']}. Each row is a fresh "
        "process: `peak MB` is its `ru_maxrss` (network, tables and all), `Travel MB` the "
        "rise of that peak during `Travel(net)`, `tables MB` the two tables' bytes.\n\n"
        + md_table(head, rows)
        + "\n"
        f"*Before*: the dense tables over every node, as at commit `{BEFORE}` (loaded from "
        "git, measured here). The issue reported "
        f"{ISSUE_DENSE_GB} GB for a network of {JUNCTIONS:,} unconnected junctions (a 1 MB "
        "file).\n\n"
        "*After*: tables over the stop nodes only (every node but junctions, and any "
        "junction a station, depot or ferry names); shortest paths still run through the "
        "junctions (the chained case: 12,000 junctions in one road between two stations).\n\n"
        f"Limits (`islandroute.network.travel`): `MAX_STOP_NODES` = {MAX_STOP_NODES:,} stop "
        f"nodes, `MAX_NODES` = {MAX_NODES:,} nodes, `MAX_ROADS` = {MAX_ROADS:,} roads; "
        "beyond them `Travel` raises `NetworkError` before allocating any table.\n\n"
        f"The archipelago is `archipelago(n_stations={ARCHIPELAGO[0]}, "
        f"n_islands={ARCHIPELAGO[1]}, n_carriers={ARCHIPELAGO[2]}, seed={ARCHIPELAGO[3]})` "
        "(seed 1, the scaling benchmark's).\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", nargs=2, metavar=("CASE", "IMPL"), help=argparse.SUPPRESS)
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    ap.add_argument("--no-before", action="store_true", help="skip the dense code")
    ap.add_argument("--out", default="memory")
    args = ap.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(*args.case)))
        return 0
    impls = ["after"] if args.no_before else list(IMPLS)
    rows = []
    for case in args.cases:
        for impl in impls:
            row = spawn(case, impl)
            rows.append(row)
            print(json.dumps(row), flush=True)
    doc = {"machine": machine(), "before_commit": BEFORE, "rows": rows}
    write_json(args.out, doc)
    write_text(f"{args.out}.md", markdown(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
