"""Issue 8 "done when": scan a real large Flask application plus a folder of every hostile input, and
check that every file is accounted for.

    python bench/hostile_scan.py [--app bench/.corpus/indico-3.3.14] [--jobs N] [--big-mb 20]

Builds, in a temporary folder: `app/` (a symlink-free copy of the corpus application: symlinks in it are
recreated as they are, never followed) and `hostile/` (tests/hostile.py). Scans both paths in one run
through the CLI, then checks: every Python file discovery can see (walked here independently, with
lstat) is either audited or listed in diagnostics, and the summary's counts agree. Prints the figures.
Exit 0 when everything is accounted for.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import AUDITED_KINDS, build_hostile_tree  # noqa: E402

from migrate_audit.cli import main as cli_main  # noqa: E402
from migrate_audit.discovery import DEFAULT_EXCLUDED_DIRS  # noqa: E402
from migrate_audit.source import printable_path  # noqa: E402

CORPUS_CANDIDATES = [ROOT / "bench" / ".corpus", Path("/work/main/bench/.corpus")]
DEFAULT_APPS = ("indico-3.3.14", "apache-superset-6.1.0")


def find_app(name: str | None) -> Path | None:
    if name and Path(name).is_dir():
        return Path(name)
    for corpus in CORPUS_CANDIDATES:
        for candidate in ([name] if name else DEFAULT_APPS):
            if (corpus / candidate).is_dir():
                return corpus / candidate
    return None


def copy_app(source: Path, target: Path) -> None:
    """Copy without following symlinks (they stay symlinks), skipping nothing."""
    shutil.copytree(source, target, symlinks=True, ignore_dangling_symlinks=True)


def expected_python_paths(root: Path, scanned: list[Path]) -> set[str]:
    """What an independent walk says must be accounted for: every *.py/*.pyw entry that is not inside a
    folder discovery skips by design, plus every symlink and unreadable folder (reported, not walked)."""
    expected: set[str] = set()
    stack = list(scanned)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            expected.add(printable_path(os.path.relpath(folder, root)))
            continue
        for entry in entries:
            rel = printable_path(os.path.relpath(entry.path, root))
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if entry.name.endswith((".py", ".pyw")) or os.path.isdir(target):
                    expected.add(rel)
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name in DEFAULT_EXCLUDED_DIRS or entry.name.endswith(".egg-info"):
                    continue
                if os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                stack.append(Path(entry.path))
            elif entry.name.endswith((".py", ".pyw")):
                expected.add(rel)
    return expected


def run(app: Path | None, jobs: int, big_mb: float) -> int:
    work = Path(tempfile.mkdtemp(prefix="migrate-audit-hostile-"))
    try:
        started = time.perf_counter()
        paths = []
        if app is not None:
            copy_app(app, work / "app")
            paths.append(str(work / "app"))
        tree = build_hostile_tree(work / "hostile", big_megabytes=big_mb)
        paths.append(str(tree.root))
        print(f"built in {time.perf_counter() - started:.1f}s: {'app ' + app.name + ' + ' if app else ''}hostile folder")
        report_path = work / "report.json"
        started = time.perf_counter()
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            code = cli_main(["scan", *paths, "--jobs", str(jobs), "--json", str(report_path), "-q", "--strict"])
        elapsed = time.perf_counter() - started
        report = json.loads(report_path.read_bytes().decode("utf-8"))
        expected = expected_python_paths(work, [Path(p) for p in paths])
        diagnosed = {d["path"]: d["kind"] for d in report["diagnostics"]}
        not_audited = {p for p, k in diagnosed.items() if k not in AUDITED_KINDS}
        audited = {f["path"] for f in report["files"]} - not_audited
        accounted = audited | not_audited
        summary = report["summary"]
        print(f"scan exit code {code} in {elapsed:.1f}s (--jobs {jobs})")
        print(f"python files and entries seen by an independent walk: {len(expected)}")
        print(f"audited: {len(audited)} (summary files_scanned {summary['files_scanned']}); not audited, in "
              f"diagnostics: {len(not_audited)} (summary files_not_audited {summary['files_not_audited']}); "
              f"partial: {summary['partial']}")
        kinds: dict[str, int] = {}
        for kind in diagnosed.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        print("diagnostics by kind:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        print(f"findings: {summary['findings']}, readiness {summary['readiness']} ({summary['grade']})")
        lost = sorted(expected - accounted)
        # Templates, requirements and deployment files are audited too; the walk above counts Python only.
        unexpected = sorted(p for p in accounted - expected if p.endswith((".py", ".pyw")) or p in diagnosed)
        tool_errors = [d for d in report["diagnostics"] if d["kind"] in ("internal-error", "rule-error")]
        ok = (not lost and not unexpected and summary["files_scanned"] == len(audited)
              and summary["files_not_audited"] == len(not_audited) and code in (0, 1) and not tool_errors)
        if lost:
            print(f"LOST ({len(lost)}):", *lost[:20], sep="\n  ")
        if unexpected:
            print(f"REPORTED BUT NOT EXPECTED ({len(unexpected)}):", *unexpected[:20], sep="\n  ")
        for d in tool_errors[:20]:
            print(f"TOOL ERROR {d['path']}: {d['message']}")
        print("every file accounted for" if ok else "ACCOUNTING FAILED")
        return 0 if ok else 1
    finally:
        for dirpath, dirnames, _ in os.walk(work):
            for name in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, name), 0o755)
                except OSError:
                    pass
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", help="corpus application folder or name (default: indico, else superset)")
    parser.add_argument("--no-app", action="store_true", help="only the hostile folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--big-mb", type=float, default=20, help="size of the generated module")
    args = parser.parse_args()
    app = None if args.no_app else find_app(args.app)
    if app is None and not args.no_app:
        print("no corpus application found (run bench/corpus.py); scanning the hostile folder only")
    return run(app, args.jobs, args.big_mb)


if __name__ == "__main__":
    sys.exit(main())
