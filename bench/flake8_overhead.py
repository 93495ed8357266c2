#!/usr/bin/env python3
"""How much time the migrate-audit flake8 plugin adds to a flake8 run on a real Flask application.

    python3 bench/corpus.py --only flaskbb          # once: the corpus, into bench/.corpus/
    .venv/bin/python bench/flake8_overhead.py       # flake8 alone vs flake8 + FMA, median of 5

The corpus folder is $MIGRATE_AUDIT_CORPUS when set (as for the other bench scripts), else bench/.corpus/.

flake8 runs every installed plugin whatever `--select` or `--extend-ignore` say (they filter the output
afterwards), so "without the plugin" has to mean a flake8 where it is not installed. The script keeps
such a baseline in bench/.venv/ (git-ignored), created on first use with exactly the flake8, pyflakes,
pycodestyle and mccabe versions of the interpreter that runs it, and checks that the two differ only by
migrate-audit (`flake8 --version` lists the plugins).

Both are timed as users run them (`flake8 PATH`, default jobs) and single-process (`-j 1`, the plugin's
CPU cost without parallelism hiding it). The plugin's project index is measured cold (an empty cache
folder per run: a first run or a CI job) and warm (the on-disk cache from a previous run: a developer's
second run), and in a CI job that keeps the cache folder between fresh checkouts of the project (every
file with a new mtime, the same bytes). Two rows measure a copy of the project without its project
markers: no index at all, the plugin sees each file's own imports, and still analyses every file that
mentions Flask (the engine's own cost, which a first run pays with or without an index). Two more rows
are an editor's: flake8 on one file of the project with a warm index, and on that file just after saving
an edit to it (the saved file is analysed again).
Runs alternate between the two flake8s so drift on the machine hits both.

The plugin is measured as users install it: the script installs this tree (not in editable mode, whose
import hook costs every Python start-up in that environment ~10 ms) into bench/.venv-plugin/
(git-ignored), beside the same flake8 versions, on every run. `--plugin-python` measures another
interpreter's installed migrate-audit instead.
Target: at most +15 % over flake8's own time, for the whole application.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
CORPUS_DIR = Path(os.environ.get("MIGRATE_AUDIT_CORPUS") or HERE / ".corpus")
DEFAULT_CORPUS = CORPUS_DIR / "flaskbb-2.2.0"
BASELINE_VENV = HERE / ".venv"
PLUGIN_VENV = HERE / ".venv-plugin"
REPO = HERE.parent
SHARED = ("flake8", "pyflakes", "pycodestyle", "mccabe")
TARGET = 1.15
# Byte code as an installed package has it: pip compiles at install time, and flake8's own modules must
# not be compiled on every run either where PYTHONDONTWRITEBYTECODE is set (some CI machines).
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_baseline(venv: Path) -> Path:
    python = venv_python(venv)
    pins = [f"{name}=={metadata.version(name)}" for name in SHARED]
    if not python.exists():
        log(f"creating the baseline flake8 in {venv} ({', '.join(pins)})")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = "import importlib.metadata as m; print(' '.join(f'{n}=={m.version(n)}' for n in %r))" % (SHARED,)
    have = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    if have.returncode != 0 or have.stdout.split() != pins:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *pins], check=True)
    return python


def install_plugin(venv: Path) -> Path:
    """This tree, installed as a wheel would be, beside the flake8 versions of the running interpreter."""
    python = venv_python(venv)
    if not python.exists():
        log(f"creating {venv} for the plugin as users install it")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pins = [f"{name}=={metadata.version(name)}" for name in SHARED]
    log(f"installing {REPO} into {venv} (not editable)")
    subprocess.run([str(python), "-m", "pip", "install", "-q", *pins, str(REPO)], check=True)
    # Reinstalled whatever the version says: the point is to measure this very tree.
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)], check=True)
    return python


def flake8_version(python: Path | str) -> str:
    out = subprocess.run([str(python), "-m", "flake8", "--version"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def count_py(root: Path) -> tuple[int, int]:
    files = lines = 0
    for path in root.rglob("*.py"):
        if path.is_file() and not path.is_symlink():
            files += 1
            lines += path.read_bytes().count(b"\n")
    return files, lines


def time_run(python: Path | str, args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of flake8 and its worker processes) of `flake8 ARGS` in `cwd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(python), "-m", "flake8", *args], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: flake8 found something, as it will on real code
        raise SystemExit(f"flake8 failed ({done.returncode}): {done.stderr.strip()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


Timing = tuple[float, float]  # (wall, CPU) medians


def _median(runs: list[tuple[float, float]]) -> Timing:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure(baseline: Path, plugin: Path | str, corpus: Path, jobs: list[str], repeat: int) -> list[tuple[str, Timing, Timing]]:
    """[(label, baseline medians, plugin medians)] of `flake8 .` with cold and warm project-index caches."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="ma-bench-") as scratch:
        warm = os.path.join(scratch, "warm")
        env = dict(BASE_ENV, MIGRATE_AUDIT_CACHE_DIR=warm)
        time_run(plugin, [*jobs, "."], corpus, env)  # fills the warm cache (and the OS file cache for both)
        time_run(baseline, [*jobs, "."], corpus, env)
        for label in ("cold", "warm"):
            base_runs, plugin_runs = [], []
            for i in range(repeat):
                folder = os.path.join(scratch, f"cold-{i}") if label == "cold" else warm
                env = dict(BASE_ENV, MIGRATE_AUDIT_CACHE_DIR=folder)
                base_runs.append(time_run(baseline, [*jobs, "."], corpus, env))
                plugin_runs.append(time_run(plugin, [*jobs, "."], corpus, env))
                if label == "cold":
                    shutil.rmtree(folder, ignore_errors=True)
            rows.append((label, _median(base_runs), _median(plugin_runs)))
    return rows


def later(path: Path) -> None:
    """A modification time a second later: a new stamp even on file systems with coarse clocks."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


@contextlib.contextmanager
def project_copy(corpus: Path) -> Iterator[tuple[str, Path]]:
    """(scratch folder, a copy of the project in it), removed afterwards: rows that change files."""
    with tempfile.TemporaryDirectory(prefix="ma-bench-") as scratch:
        project = Path(scratch, corpus.name)
        shutil.copytree(corpus, project, symlinks=True)
        yield scratch, project


def measure_fresh_checkout(baseline: Path, plugin: Path | str, corpus: Path, jobs: list[str],
                           repeat: int) -> tuple[str, Timing, Timing]:
    """(label, baseline medians, plugin medians) of `flake8 .` in a CI job that keeps the cache folder
    between runs: a copy of the project at one path, every file's mtime new before each run, its bytes
    the same (a fresh checkout of the same commit)."""
    with project_copy(corpus) as (scratch, project):
        files = [p for p in project.rglob("*.py") if p.is_file() and not p.is_symlink()]
        env = dict(BASE_ENV, MIGRATE_AUDIT_CACHE_DIR=os.path.join(scratch, "cache"))
        time_run(plugin, [*jobs, "."], project, env)  # the cache an earlier CI run left
        base_runs, plugin_runs = [], []
        for i in range(repeat):
            for runs, python in ((base_runs, baseline), (plugin_runs, plugin)):
                for path in files:
                    later(path)
                runs.append(time_run(python, [*jobs, "."], project, env))
    return "fresh checkout, cache kept", _median(base_runs), _median(plugin_runs)


def measure_without_index(baseline: Path, plugin: Path | str, corpus: Path, jobs: list[str],
                          repeat: int) -> tuple[str, Timing, Timing]:
    """(label, baseline medians, plugin medians) of `flake8 .` on a copy of the project without its
    project markers (pyproject.toml, setup.py...): the plugin then makes no index and sees each file's own
    imports alone. Every file that mentions Flask is still analysed, with fewer names resolved, so this is
    what the engine costs on its own: the floor of any first run, with or without an index."""
    from migrate_audit.index.plugin_store import ROOT_MARKERS, find_project_root

    with project_copy(corpus) as (scratch, project):
        for marker in [p for name in ROOT_MARKERS for p in project.rglob(name)]:  # nested ones too
            shutil.rmtree(marker) if marker.is_dir() and not marker.is_symlink() else marker.unlink()
        if find_project_root(str(project)) is not None:
            raise SystemExit(f"{scratch} is inside a project ({find_project_root(str(project))}): set TMPDIR")
        base_runs, plugin_runs = [], []
        for i in range(repeat):
            env = dict(BASE_ENV, MIGRATE_AUDIT_CACHE_DIR=os.path.join(scratch, f"cache-{i}"))
            base_runs.append(time_run(baseline, [*jobs, "."], project, env))
            plugin_runs.append(time_run(plugin, [*jobs, "."], project, env))
    return "no index (imports alone)", _median(base_runs), _median(plugin_runs)


def measure_editor(baseline: Path, plugin: Path | str, corpus: Path, linted: str,
                   repeat: int) -> list[tuple[str, Timing, Timing]]:
    """[(label, baseline medians, plugin medians)] of `flake8 FILE` on a copy of the project: with a warm
    index, and just after an edit to FILE was saved (a line appended, so its mtime, size and text change)."""
    rows = []
    with project_copy(corpus) as (scratch, project):
        env = dict(BASE_ENV, MIGRATE_AUDIT_CACHE_DIR=os.path.join(scratch, "cache"))
        time_run(plugin, [linted], project, env)  # the index, as the editor's first lint leaves it
        time_run(baseline, [linted], project, env)
        target = project / linted
        for label in ("warm index", "after a save"):
            base_runs, plugin_runs = [], []
            for i in range(repeat):
                for runs, python in ((base_runs, baseline), (plugin_runs, plugin)):
                    if label == "after a save":
                        with open(target, "a", encoding="utf-8") as handle:
                            handle.write(f"\nsaved_{python is plugin}_{i} = {i}\n")
                        later(target)
                    runs.append(time_run(python, [linted], project, env))
            rows.append((label, _median(base_runs), _median(plugin_runs)))
    return rows


def default_linted(corpus: Path) -> str:
    """The file an editor lints: the largest one that imports flask."""
    candidates = [p for p in corpus.rglob("*.py") if p.is_file() and not p.is_symlink()
                  and "from flask import" in p.read_text(encoding="utf-8", errors="replace")]
    if not candidates:
        raise SystemExit(f"no file of {corpus} imports flask; name one with --file")
    return max(candidates, key=lambda p: (p.stat().st_size, str(p))).relative_to(corpus).as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help=f"folder of a Flask application (default: {DEFAULT_CORPUS})")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is shown")
    parser.add_argument("--file", help="the file the editor rows lint, relative to the corpus folder "
                                       "(default: its largest file that imports flask)")
    parser.add_argument("--baseline-venv", type=Path, default=BASELINE_VENV)
    parser.add_argument("--plugin-python", type=Path,
                        help=f"an interpreter with migrate-audit installed (default: this tree, installed into {PLUGIN_VENV})")
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        log(f"no corpus at {args.corpus}; fetch it with: python3 bench/corpus.py --only flaskbb")
        return 2
    baseline = ensure_baseline(args.baseline_venv)
    plugin = args.plugin_python or install_plugin(PLUGIN_VENV)
    base_version, plugin_version = flake8_version(baseline), flake8_version(plugin)
    if "migrate-audit" in base_version or "migrate-audit" not in plugin_version:
        log(f"the two flake8s must differ by migrate-audit only:\n  {base_version}\n  {plugin_version}")
        return 2
    linted = args.file or default_linted(args.corpus)

    files, lines = count_py(args.corpus)
    print(f"corpus: {args.corpus.name} ({files} Python files, {lines} lines); {os.cpu_count()} CPUs")
    print(f"baseline: {base_version}")
    print(f"plugin:   {plugin_version} ({plugin})")
    print(f"median of {args.repeat} runs each\n")
    print(f"{'run':<42} {'flake8 alone':>16} {'with FMA':>16} {'ratio':>14}")
    print(f"{'':<42} {'wall':>7} {'CPU':>8} {'wall':>7} {'CPU':>8} {'wall':>6} {'CPU':>7}")

    def row(label: str, base: Timing, with_plugin: Timing) -> float:
        wall, cpu = with_plugin[0] / base[0], with_plugin[1] / base[1]
        print(f"{label:<42} {base[0]:>6.3f}s {base[1]:>7.3f}s "
              f"{with_plugin[0]:>6.3f}s {with_plugin[1]:>7.3f}s {wall:>5.2f}x {cpu:>6.2f}x")
        return wall

    worst = {"cold": 0.0, "warm": 0.0}
    for jobs_label, jobs in (("default jobs", []), ("-j 1", ["-j", "1"])):
        for cache, base, with_plugin in measure(baseline, plugin, args.corpus, jobs, args.repeat):
            worst[cache] = max(worst[cache], row(f"{jobs_label}, {cache} index", base, with_plugin))
    label, base, with_plugin = measure_fresh_checkout(baseline, plugin, args.corpus, [], args.repeat)
    worst["warm"] = max(worst["warm"], row(f"default jobs, {label}", base, with_plugin))
    for jobs_label, jobs in (("default jobs", []), ("-j 1", ["-j", "1"])):
        label, base, with_plugin = measure_without_index(baseline, plugin, args.corpus, jobs, args.repeat)
        worst["cold"] = max(worst["cold"], row(f"{jobs_label}, {label}", base, with_plugin))
    print(f"\neditor: flake8 {linted}")
    for label, base, with_plugin in measure_editor(baseline, plugin, args.corpus, linted, args.repeat):
        row(f"one file, {label}", base, with_plugin)
    print()
    for cache, what in (("warm", "an index from an earlier run, or a kept cache"), ("cold", "a first run")):
        verdict = "within" if worst[cache] <= TARGET else "OVER"
        print(f"whole application, {what}: worst wall-clock ratio {worst[cache]:.2f}x: {verdict} the "
              f"target of {TARGET:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
