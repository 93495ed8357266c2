"""Issue 17: analysis time against input size on hostile shapes (deep nesting, long chains, one long line).

    python bench/deep_nesting.py [--n 10000] [--shape NAME ...]

For each shape of `tests/hostile.py` (`growing_sources`), CPU time of `engine.analyze_python` at size N
and 2N, best of three, and their ratio: about 2 when the analysis is linear, 4 when quadratic. Nested
`def`s grow as n² in characters (each level is indented once more), so their row gives the sizes in
characters too and is linear at a ratio of about 4.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import FLASK_HEADER, growing_sources, nested_defs  # noqa: E402

from migrate_audit import registry  # noqa: E402
from migrate_audit.engine import analyze_python  # noqa: E402


def cpu_seconds(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        analyze_python(text, "hostile.py")
        best = min(best, time.process_time() - started)
    return best


def row(name: str, make: Callable[[int], str], n: int) -> str:
    small, large = FLASK_HEADER + make(n), FLASK_HEADER + make(2 * n)
    t1, t2 = cpu_seconds(small), cpu_seconds(large)
    return (f"{name:28} {n:>7,} {len(small):>11,} {t1:8.3f} {2 * n:>7,} {len(large):>11,} {t2:8.3f} "
            f"{t2 / max(t1, 1e-6):6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="the smaller size (default 10,000)")
    parser.add_argument("--defs-n", type=int, default=1_000, help="the smaller depth of nested defs (default 1,000)")
    parser.add_argument("--shape", action="append", help="only this shape (repeatable)")
    args = parser.parse_args()
    registry.load()
    print(f"{'shape':28} {'N':>7} {'chars':>11} {'cpu s':>8} {'2N':>7} {'chars':>11} {'cpu s':>8} {'ratio':>6}")
    for name in growing_sources(1):
        if not args.shape or name in args.shape:
            print(row(name, lambda n, name=name: growing_sources(n)[name], args.n), flush=True)
    if not args.shape or "nested_defs" in args.shape:
        print(row("nested_defs (n² chars)", nested_defs, args.defs_n), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
