#!/usr/bin/env python3
"""Check that a change to the engine leaves every report unchanged: a guard for performance work.

    .venv/bin/python bench/same_findings.py --save /tmp/before     # on the old code
    .venv/bin/python bench/same_findings.py --compare /tmp/before  # on the new code

Runs `migrate-audit scan --no-cache --format json` on each project folder of the corpus
(bench/.corpus/, or $MIGRATE_AUDIT_CORPUS, or --corpus), one scan per project, and saves or compares
the whole JSON report (findings, diagnostics, files, units, extensions, summary), not only the count.
With `--flake8`, the flake8 plugin's output instead: `flake8 --isolated --select FMA` in each project
folder, twice (a new empty index cache, then that cache again), with `--jobs` as given; and on a copy
of the folder, after each of three rounds of changes (edits that change what the index says, an
editor's few saves, a fresh checkout: every file with a new mtime, one changed at the same size), with
the cache the round before left, checked against a new empty cache.

Exit status 0 when every report is identical, 1 when one differs (the first differences are printed).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def corpus_dest(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("MIGRATE_AUDIT_CORPUS")
    return Path(env) if env else BENCH / ".corpus"


def scan(corpus: Path, project: str, jobs: int) -> dict:
    proc = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "--no-cache", "--format", "json",
                           "--jobs", str(jobs), project], cwd=corpus, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{project}: migrate-audit exited {proc.returncode}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def flake8(corpus: Path, project: str, jobs: int) -> dict:
    """{"cold": lines, "warm": lines} of the plugin's output, sorted (flake8 --jobs orders by file); and
    "edited": the differences between the output after edits with the cache of the unedited tree (an
    incremental index) and the output of a new empty cache on the edited tree (empty when they agree)."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="ma-same-") as scratch:
        cache = os.path.join(scratch, "cache")
        for run in ("cold", "warm"):
            out[run] = _flake8_lines(corpus / project, cache, jobs)
        copy = Path(scratch, project)
        shutil.copytree(corpus / project, copy, symlinks=True)
        _flake8_lines(copy, cache, jobs)  # the copy's own index, as an editor's first run leaves it
        out["edited"] = []
        # An index made again from the changes, one brought up to date, and one whose files all have new mtimes.
        for edit in (_edit, _save_a_few, _checkout):
            edit(copy)
            incremental = _flake8_lines(copy, cache, jobs)
            afresh = _flake8_lines(copy, os.path.join(scratch, f"fresh-{edit.__name__}"), jobs)
            out["edited"] += first_differences({edit.__name__: afresh}, {edit.__name__: incremental})
    return out


def _flake8_lines(folder: Path, cache: str, jobs: int) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "FMA", "--jobs", str(jobs), "."],
                          cwd=folder, capture_output=True, text=True, env=dict(os.environ, MIGRATE_AUDIT_CACHE_DIR=cache))
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise SystemExit(f"{folder.name}: flake8 exited {proc.returncode}: {proc.stderr[-2000:]}")
    return sorted(proc.stdout.splitlines())


def _python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file() and not p.is_symlink())


def _most_imported(files: list[Path]) -> list[Path]:
    """Modules by how many files import from them by name, most first."""
    texts = [p.read_text(errors="replace") for p in files]
    counts = {path: sum(1 for text in texts if re.search(rf"\b{re.escape(path.stem)} import\b", text))
              for path in files if path.stem != "__init__"}
    return sorted(counts, key=lambda path: (-counts[path], str(path)))


def _later(paths: list[Path], seconds: int) -> None:
    """Later mtimes than the cache's stamps, even on file systems with coarse clocks."""
    for path in paths:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 10**9))


def _edit(root: Path) -> None:
    """Edits that change what the project index says: every 7th Python file gets a line, and the module
    that the most files import from (an extensions module, often) is emptied."""
    files = _python_files(root)
    central = _most_imported(files)[:1]
    for path in files[::7]:
        path.write_bytes(path.read_bytes() + b"\nedited_here = 1\n")
    for path in central:
        path.write_text("# emptied\n")
    _later(files, 1)


def _save_a_few(root: Path) -> None:
    """An editor's saves: a line added to the two largest files that mention Flask, and the module that
    the second most files import from emptied (what the index says changes, in one file)."""
    files = _python_files(root)
    largest = sorted((p for p in files if b"flask" in p.read_bytes()), key=lambda p: (-p.stat().st_size, str(p)))[:2]
    central = _most_imported(files)[1:2]
    for path in largest:
        path.write_bytes(path.read_bytes() + b"\nsaved_here = 2\n")
    for path in central:
        path.write_text("# emptied\n")
    _later([*largest, *central], 2)


def _checkout(root: Path) -> None:
    """A fresh checkout (a CI job that keeps the cache folder): every Python file gets a new mtime and keeps
    its bytes, but for one change at the same size, which a check of the stamps alone would miss: in the
    module that the most files import from among those importing from Flask or an extension, the first
    `from flask` becomes `from flazk` (what it exports changes, so what the files importing it report)."""
    files = _python_files(root)
    for path in [p for p in _most_imported(files) if b"from flask" in p.read_bytes()][:1]:
        path.write_bytes(path.read_bytes().replace(b"from flask", b"from flazk", 1))
    _later(files, 3)


def first_differences(before: dict, after: dict, limit: int = 10) -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        old, new = before.get(key), after.get(key)
        if isinstance(old, list) and isinstance(new, list):
            old_items = {json.dumps(x, sort_keys=True) for x in old}
            new_items = {json.dumps(x, sort_keys=True) for x in new}
            out.append(f"  {key}: {len(old)} -> {len(new)} items")
            out += [f"    - {x[:300]}" for x in sorted(old_items - new_items)[:limit]]
            out += [f"    + {x[:300]}" for x in sorted(new_items - old_items)[:limit]]
        else:
            out.append(f"  {key}: {json.dumps(old)[:300]} -> {json.dumps(new)[:300]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="DIR", help="write each project's report to DIR/<project>.json")
    mode.add_argument("--compare", metavar="DIR", help="compare with the reports saved in DIR")
    parser.add_argument("--corpus", help="folder holding the project folders (default bench/.corpus)")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--only", help="comma-separated project folder names")
    parser.add_argument("--flake8", action="store_true", help="compare the flake8 plugin's output instead")
    args = parser.parse_args(argv)
    corpus = corpus_dest(args.corpus)
    projects = sorted(p.name for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if args.only:
        projects = [p for p in projects if p in args.only.split(",")]
    folder = Path(args.save or args.compare)
    folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    for project in projects:
        started = time.perf_counter()
        if args.flake8:
            report = flake8(corpus, project, args.jobs)
            counts = f"{len(report['cold']):>6} lines cold {len(report['warm']):>6} warm"
            path = folder / f"{project}.flake8.json"
        else:
            report = scan(corpus, project, args.jobs)
            counts = f"{len(report['findings']):>6} findings {len(report['diagnostics']):>4} diagnostics"
            path = folder / f"{project}.json"
        took = time.perf_counter() - started
        if args.save:
            report.pop("edited", None)
            path.write_text(json.dumps(report, sort_keys=True, indent=0))
            print(f"{project:<28} {counts}  saved ({took:.1f} s)")
            continue
        edited = report.pop("edited", [])
        if edited:  # a self-check in this run: nothing to compare with a saved report
            differ += 1
            print(f"{project:<28} the incremental index differs from a new one after edits:")
            print("\n".join(edited))
        before = json.loads(path.read_text())
        before.pop("edited", None)
        if before == report:
            print(f"{project:<28} {counts}  same ({took:.1f} s)")
        else:
            differ += 1
            print(f"{project:<28} {counts}  DIFFERENT ({took:.1f} s)")
            print("\n".join(first_differences(before, report)))
    if args.compare:
        print("all reports identical" if not differ else f"{differ} project(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
