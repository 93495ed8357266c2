#!/usr/bin/env python3
"""CPU time of one cold scan in this process at --jobs 1, for comparing two trees (GitHub issue 18).

    .venv/bin/python bench/cpu_scan.py                          # the reference corpus, as perf.py scans it
    .venv/bin/python bench/cpu_scan.py --pairs 3 --base /work/perf/base/src
    .venv/bin/python bench/cpu_scan.py PROJECT ...

Without --base: runs `run_scan` (no cache, --jobs 1) on the projects of the corpus ($MIGRATE_AUDIT_CORPUS or
bench/.corpus/) all in one scan, and prints its CPU time (`time.process_time`: the only process at -j1, so
the machine's other load inflates it less than wall time). With --base SRC: runs this script in a fresh
interpreter alternately with this tree's `src` and with SRC first on PYTHONPATH, --pairs times, and prints
each pair, the medians and the ratio of the medians (this tree / SRC), so both are measured in the same
conditions.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REFERENCE = ("indico-3.3.14", "ckan-2.12.0", "pgadmin4-9.18", "flaskbb-2.2.0", "calibreweb-0.6.27", "lemur-1.9.3",
             "ihatemoney-7.2.1", "Flask-AppBuilder-5.3.0")  # perf.py's REFERENCE, in its order


def one(projects: list[str]) -> float:
    from migrate_audit import scan
    from migrate_audit.config import load_settings

    start = time.process_time()
    scan.run_scan(projects, load_settings(None, projects), jobs=1)
    return time.process_time() - start


def alternate(projects: list[str], base: str, pairs: int) -> None:
    here = str(BENCH.parent / "src")
    times: dict[str, list[float]] = {"this": [], "base": []}
    for i in range(pairs):
        for name, src in (("base", base), ("this", here)) if i % 2 else (("this", here), ("base", base)):
            env = dict(os.environ, PYTHONPATH=src)
            out = subprocess.run([sys.executable, __file__, *projects], env=env, check=True, capture_output=True,
                                 text=True).stdout
            times[name].append(float(out.split()[0]))
        print(f"pair {i + 1}: this {times['this'][-1]:.2f} s, base {times['base'][-1]:.2f} s, "
              f"ratio {times['this'][-1] / times['base'][-1]:.3f}", flush=True)
    this, base_ = statistics.median(times["this"]), statistics.median(times["base"])
    print(f"medians: this {this:.2f} s, base {base_:.2f} s, ratio {this / base_:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("projects", nargs="*", help="project folders of the corpus (default: perf.py's reference set)")
    ap.add_argument("--base", help="the other tree's src folder, to alternate with")
    ap.add_argument("--pairs", type=int, default=3)
    args = ap.parse_args()
    corpus = Path(os.environ.get("MIGRATE_AUDIT_CORPUS") or BENCH / ".corpus")
    projects = args.projects or list(REFERENCE)
    missing = [p for p in projects if not (corpus / p).is_dir()]
    if missing:
        print(f"not in {corpus}: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.base:
        alternate(projects, args.base, args.pairs)
        return 0
    os.chdir(corpus)  # relative paths, as perf.py scans them
    print(f"{one(projects):.3f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
