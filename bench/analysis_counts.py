#!/usr/bin/env python3
"""How often a cold scan analyses files and builds its project index: counts, not timings (GitHub issue 18).

    .venv/bin/python bench/analysis_counts.py              # the reference corpus as perf.py scans it, --jobs 1 and 2
    .venv/bin/python bench/analysis_counts.py --jobs 2 PROJECT ...

Runs `run_scan` in this process on the projects of the corpus ($MIGRATE_AUDIT_CORPUS or bench/.corpus/),
all in one scan as `bench/perf.py` runs its cold scan, and prints: the analyses started (a file analysed
again counts again), the files analysed, the calls of `IndexBuilder.build` and the indexes it made (a
build with nothing changed gives the last one). At --jobs 1 the counts are deterministic; at --jobs 2 the
builds depend a little on when analyses arrive. To count an older commit, put its `src` first on
PYTHONPATH.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REFERENCE = ("indico-3.3.14", "ckan-2.12.0", "pgadmin4-9.18", "flaskbb-2.2.0", "calibreweb-0.6.27", "lemur-1.9.3",
             "ihatemoney-7.2.1", "Flask-AppBuilder-5.3.0")  # perf.py's REFERENCE, in its order


def count(projects: list[str], jobs: int) -> dict[str, int]:
    from migrate_audit import scan
    from migrate_audit.config import load_settings
    from migrate_audit.index import build
    from migrate_audit.index.resolve import ProjectIndex

    counts = {"analyses": 0, "builds": 0, "indexes made": 0}
    analysed: set[int] = set()
    real_start, real_build, real_follow = scan._MapperAnalyses.start, build.IndexBuilder.build, \
        ProjectIndex.follow_reexports

    def start(self, positions, index):  # type: ignore[no-untyped-def]
        counts["analyses"] += len(positions)
        analysed.update(positions)
        return real_start(self, positions, index)

    def builds(self):  # type: ignore[no-untyped-def]
        counts["builds"] += 1
        return real_build(self)

    def follow(self, *args):  # type: ignore[no-untyped-def]
        counts["indexes made"] += 1  # every index a build makes follows the re-exports once
        return real_follow(self, *args)

    scan._MapperAnalyses.start, build.IndexBuilder.build, ProjectIndex.follow_reexports = start, builds, follow
    try:
        scan.run_scan(projects, load_settings(None, projects), jobs=jobs)
    finally:
        scan._MapperAnalyses.start, build.IndexBuilder.build, ProjectIndex.follow_reexports = \
            real_start, real_build, real_follow
    counts["files analysed"] = len(analysed)
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("projects", nargs="*", help="project folders of the corpus (default: perf.py's reference set)")
    ap.add_argument("--jobs", type=int, action="append", help="worker processes (repeatable; default 1 and 2)")
    args = ap.parse_args()
    corpus = Path(os.environ.get("MIGRATE_AUDIT_CORPUS") or Path(__file__).resolve().parent / ".corpus")
    projects = args.projects or list(REFERENCE)
    missing = [p for p in projects if not (corpus / p).is_dir()]
    if missing:
        print(f"not in {corpus}: {', '.join(missing)}", file=sys.stderr)
        return 2
    os.chdir(corpus)  # relative paths, as perf.py scans them
    for jobs in args.jobs or [1, 2]:
        counts = count(projects, jobs)
        print(f"--jobs {jobs}: " + ", ".join(f"{key} {value:,}" for key, value in counts.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
