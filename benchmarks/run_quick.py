"""Quick benchmark subset (under 10 minutes): 3 PVRP instances at 20 s, scaling at 100 and 300.

    make bench-quick          # or: .venv/bin/python benchmarks/run_quick.py [--folder DIR]

Writes ``benchmarks/results/pvrp_quick.{json,md}`` and ``scaling_quick.{json,md,png}``.
The PVRP part is skipped (with a note) when the data folder is missing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pvrp
import scaling
from _common import DEFAULT_PVRP

QUICK_PVRP = ("p01", "p04", "pr01")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, default=DEFAULT_PVRP, help="PVRP data folder")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.folder.is_dir():
        pvrp.main([*QUICK_PVRP, "--folder", str(args.folder), "-t", "20", "--out", "pvrp_quick"])
    else:
        print(f"PVRP skipped: no folder {args.folder}")
    scaling.main(["--sizes", "100", "300", "--out", "scaling_quick"])
    print(f"quick benchmarks done in {time.perf_counter() - t0:.0f} s; see benchmarks/results/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
