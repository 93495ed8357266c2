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

Then the analyses made again, by the answer from the index that changed since the file's previous
analysis (the first that applies): the facts about calls of the module's own functions (`@`, flow.py:
its callers are analysed after it, as they import it), whether a function it imports is passed an app
elsewhere (`@function`), a project helper method (`~`), else a name a module binds: while an import
cycle settles (`_analyse_units`), or after the import order (an import inside a function, or a module
analysed again in turn); and how many of them gave the same findings and exports as before (the change
made no difference to this file).
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
    real_positions, real_store, real_units = (getattr(scan, name, None) for name in (
        "_analyze_positions", "_store_analyses", "_analyse_units"))
    causes: dict[str, int] = dict.fromkeys(CAUSES, 0)
    same = [0]
    redone: dict[int, object] = {}  # position -> the analysis an analysis running replaces
    in_units = [False]

    def positions_(summaries, positions, index, *args):  # type: ignore[no-untyped-def]
        for i in positions:
            before = summaries[i].analysis
            if before is not None:
                causes[_cause(before, index, in_units[0])] += 1
                redone[i] = before
        return real_positions(summaries, positions, index, *args)

    def store(summaries, arrived):  # type: ignore[no-untyped-def]
        real_store(summaries, arrived)
        for i, _ in arrived:
            before = redone.pop(i, None)
            after = summaries[i].analysis
            if before is not None and after is not None and (before.findings, before.exports) == (
                    after.findings, after.exports):
                same[0] += 1

    def units(*args):  # type: ignore[no-untyped-def]
        in_units[0] = True
        try:
            return real_units(*args)
        finally:
            in_units[0] = False

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
    # An older commit without these steps is counted without the breakdown.
    by_cause = all(hasattr(scan, name) for name in ("_analyze_positions", "_store_analyses", "_analyse_units"))
    if by_cause:
        scan._analyze_positions, scan._store_analyses, scan._analyse_units = positions_, store, units
    try:
        scan.run_scan(projects, load_settings(None, projects), jobs=jobs)
    finally:
        scan._MapperAnalyses.start, build.IndexBuilder.build, ProjectIndex.follow_reexports = \
            real_start, real_build, real_follow
        if by_cause:
            scan._analyze_positions, scan._store_analyses, scan._analyse_units = \
                real_positions, real_store, real_units
    counts["files analysed"] = len(analysed)
    if by_cause:
        counts.update((f"again: {cause}", n) for cause, n in causes.items())
        counts["again, same findings and exports"] = same[0]
    return counts


CAUSES = ("facts about its functions (@)", "an imported function passed an app (@function)", "helper methods (~)",
          "names, settling an import cycle", "names, after the import order", "no answer changed")


def _cause(analysis, index, settling: bool) -> str:  # type: ignore[no-untyped-def]
    """Why `analysis` is made again under `index`: the first of CAUSES whose answer changed."""
    changed = [(module, name) for (module, name), qual in analysis.index_answers.items()
               if index.lookup(module, name) != qual]
    if any(name == "@" for _, name in changed):
        return CAUSES[0]
    if any(name.startswith("@") for _, name in changed):
        return CAUSES[1]
    if any(module == "~" for module, _ in changed):
        return CAUSES[2]
    if changed:
        return CAUSES[3] if settling else CAUSES[4]
    return CAUSES[5]


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
