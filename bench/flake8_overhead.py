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
folder per run: a first run or a CI job) and warm (the on-disk cache from a previous run: an editor or a
developer's second run). Runs alternate between the two flake8s so drift on the machine hits both.
Target: at most +15 % over flake8's own time.
"""
from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent
CORPUS_DIR = Path(os.environ.get("MIGRATE_AUDIT_CORPUS") or HERE / ".corpus")
DEFAULT_CORPUS = CORPUS_DIR / "flaskbb-2.2.0"
BASELINE_VENV = HERE / ".venv"
SHARED = ("flake8", "pyflakes", "pycodestyle", "mccabe")
TARGET = 1.15


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
    """(wall seconds, CPU seconds of flake8 and its worker processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(python), "-m", "flake8", *args, "."], cwd=cwd, env=env,
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


def measure(baseline: Path, plugin: str, corpus: Path, jobs: list[str], repeat: int) -> list[tuple[str, Timing, Timing]]:
    """[(label, baseline medians, plugin medians)] for cold and warm project-index caches."""
    rows = []
    # Byte code as an installed package has it: pip compiles at install time, but an editable install
    # under PYTHONDONTWRITEBYTECODE (set on some CI machines) would compile the plugin on every run.
    # The first run below writes it.
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="ma-bench-") as scratch:
        warm = os.path.join(scratch, "warm")
        env = dict(base_env, MIGRATE_AUDIT_CACHE_DIR=warm)
        time_run(plugin, jobs, corpus, env)  # fills the warm cache (and the OS file cache for both)
        time_run(baseline, jobs, corpus, env)
        for label in ("cold", "warm"):
            base_runs, plugin_runs = [], []
            for i in range(repeat):
                folder = os.path.join(scratch, f"cold-{i}") if label == "cold" else warm
                env = dict(base_env, MIGRATE_AUDIT_CACHE_DIR=folder)
                base_runs.append(time_run(baseline, jobs, corpus, env))
                plugin_runs.append(time_run(plugin, jobs, corpus, env))
                if label == "cold":
                    shutil.rmtree(folder, ignore_errors=True)
            rows.append((label, _median(base_runs), _median(plugin_runs)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help=f"folder of a Flask application (default: {DEFAULT_CORPUS})")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is shown")
    parser.add_argument("--baseline-venv", type=Path, default=BASELINE_VENV)
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        log(f"no corpus at {args.corpus}; fetch it with: python3 bench/corpus.py --only flaskbb")
        return 2
    try:
        metadata.version("migrate-audit")
    except metadata.PackageNotFoundError:
        log("run this with the interpreter that has migrate-audit installed (e.g. .venv/bin/python)")
        return 2
    baseline = ensure_baseline(args.baseline_venv)
    base_version, plugin_version = flake8_version(baseline), flake8_version(sys.executable)
    if "migrate-audit" in base_version or "migrate-audit" not in plugin_version:
        log(f"the two flake8s must differ by migrate-audit only:\n  {base_version}\n  {plugin_version}")
        return 2

    files, lines = count_py(args.corpus)
    print(f"corpus: {args.corpus.name} ({files} Python files, {lines} lines); {os.cpu_count()} CPUs")
    print(f"baseline: {base_version}")
    print(f"plugin:   {plugin_version}")
    print(f"median of {args.repeat} runs each\n")
    print(f"{'run':<24} {'flake8 alone':>16} {'with FMA':>16} {'ratio':>14}")
    print(f"{'':<24} {'wall':>7} {'CPU':>8} {'wall':>7} {'CPU':>8} {'wall':>6} {'CPU':>7}")
    worst = 0.0
    for jobs_label, jobs in (("default jobs", []), ("-j 1", ["-j", "1"])):
        for cache, base, plugin in measure(baseline, sys.executable, args.corpus, jobs, args.repeat):
            wall, cpu = plugin[0] / base[0], plugin[1] / base[1]
            worst = max(worst, wall)
            print(f"{jobs_label + ', ' + cache + ' index':<24} {base[0]:>6.3f}s {base[1]:>7.3f}s "
                  f"{plugin[0]:>6.3f}s {plugin[1]:>7.3f}s {wall:>5.2f}x {cpu:>6.2f}x")
    verdict = "within" if worst <= TARGET else "OVER"
    print(f"\nworst wall-clock ratio {worst:.2f}x: {verdict} the target of {TARGET:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
