#!/usr/bin/env python3
"""Performance benchmark of migrate-audit against named baselines (GitHub issue 7).

    python bench/perf.py                 # full reference corpus, 3 runs, table on stdout
    python bench/perf.py --runs 5
    python bench/perf.py --quick         # 3 small projects, 1 run: a smoke test (< 1 minute)
    python bench/perf.py --json out.json # also save every figure as JSON
    python bench/perf.py --migrate-audit .venv/bin/migrate-audit

Run it with the interpreter of the environment that has migrate-audit installed (for example
``.venv/bin/python bench/perf.py``): migrate-audit is run as ``sys.executable -m migrate_audit``
unless ``--migrate-audit PATH`` names an executable.

What it does, in one run (see bench/README.md for what each figure means):

1. makes sure the reference corpus is in bench/.corpus/ (else runs bench/corpus.py --only ...);
2. makes sure bench/.venv/ holds the pinned baselines (flake8, ast-grep-cli) and nothing else;
3. checks the 40-rule ast-grep baseline (bench/astgrep-flask-rules/) on a small Flask file:
   every rule must load and match;
4. times, interleaved round-robin (run 1 of every scenario, then run 2, ...), each scenario
   ``--runs`` times: migrate-audit cold on the whole corpus (default --jobs, and --jobs 1),
   on about 1/4 and 1/2 of it, ast-grep with the 40 rules, flake8 --jobs 2; and, when
   migrate-audit has --no-cache/--cache-dir, the cache fill, the warm re-scan and the re-scan
   after one file changed, in a hard-linked temporary copy of the corpus;
5. prints a table of medians (wall, CPU, memory, lines/s, spread), the issue-7 targets with
   their ratios from this same run, and the matches of each ast-grep rule on the corpus.

Standard library only; Python 3.10+; Linux (/proc and /usr/bin/time are used when present).
Exit status: 0 when the benchmark ran (whatever the targets say), 2 on a setup or tool error.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import itertools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
RULES_DIR = BENCH / "astgrep-flask-rules"
SGCONFIG = RULES_DIR / "sgconfig.yml"
CORPUS_SCRIPT = BENCH / "corpus.py"

# Baselines, pinned.  The bench venv holds these and their own dependencies only, so flake8
# runs with its default plugins (pycodestyle, pyflakes, mccabe) and nothing else.
PINS = {"flake8": "7.5.0", "ast-grep-cli": "0.51.1"}
FLAKE8_DEFAULT_PLUGINS = {"mccabe", "pycodestyle", "pyflakes"}

# The reference corpus of issue 7 (~660k physical lines of Python), as named in bench/corpus.py.
REFERENCE = (
    ("indico", "3.3.14"),
    ("ckan", "2.12.0"),
    ("pgadmin4", "9.18"),
    ("flaskbb", "2.2.0"),
    ("calibreweb", "0.6.27"),
    ("lemur", "1.9.3"),
    ("ihatemoney", "7.2.1"),
    ("Flask-AppBuilder", "5.3.0"),
)
# --quick: three small projects of the reference set (~73k lines).
QUICK = (("ihatemoney", "7.2.1"), ("flaskbb", "2.2.0"), ("calibreweb", "0.6.27"))

EXPECTED_RULES = 40
FRACTIONS = (0.25, 0.5)  # growth subsets, besides the whole set
FRACTION_NAMES = {0.25: "1/4", 0.5: "1/2"}

# flake8's default --exclude (flake8.defaults.EXCLUDE): used to count the files it checks.
FLAKE8_EXCLUDE = (".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs", "*.egg")
# ast-grep honours .gitignore/.ignore files and skips hidden files by default; the corpus
# projects ship .gitignore files (and bench/.corpus/ is itself git-ignored), so switch all of
# that off: every tool then walks the same tree.
ASTGREP_NO_IGNORE = ("hidden", "dot", "exclude", "global", "parent", "vcs")

SAMPLE_INTERVAL = 0.05  # seconds between samples of the process tree's memory

# A small Flask module holding every idiom of the 40 rules at least once: each rule must match
# it, or the rule set is broken (a typo in a pattern matches nothing, silently).
FIXTURE = '''\
from flask import (Blueprint, Flask, abort, current_app, flash, g, jsonify, make_response, redirect,
                   render_template, render_template_string, request, send_file, send_from_directory,
                   session, url_for)
from flask.views import MethodView
from flask_admin import Admin
from flask_cors import CORS
from flask_login import LoginManager, login_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
app.config.from_object("settings")
app.wsgi_app = ProxyFix(app.wsgi_app)
db = SQLAlchemy(app)
login_manager = LoginManager(app)
CORS(app)
admin = Admin(app)
bp = Blueprint("bp", __name__)


@app.route("/", methods=["GET", "POST"])
@login_required
def index():
    if request.method == "POST":
        name = request.form["name"]
        upload = request.files["upload"]
        flash(f"saved {name} {upload.filename}")
        return redirect(url_for("index"))
    page = request.args.get("page")
    agent = request.headers.get("User-Agent")
    session["seen"] = True
    g.user = current_app.config["USER"]
    return render_template("index.html", page=page, agent=agent)


@bp.get("/items")
def items():
    data = request.get_json()
    if not data:
        abort(400)
    return jsonify(data)


@bp.post("/raw")
def raw():
    return make_response(render_template_string("{{ x }}", x=1))


@app.errorhandler(404)
def not_found(error):
    return send_file("404.html")


@app.before_request
def before():
    pass


@app.after_request
def after(response):
    return response


@app.teardown_appcontext
def teardown(exc):
    pass


@app.context_processor
def inject():
    return {}


def static_file(name):
    return send_from_directory("static", name)


class ItemView(MethodView):
    def get(self):
        return "item"


app.add_url_rule("/item", view_func=ItemView.as_view("item"))
app.register_blueprint(bp)

if __name__ == "__main__":
    client = app.test_client()
    app.run(debug=True)
'''


class BenchError(Exception):
    """A setup or tool failure, reported as one line."""


def log(msg: str) -> None:
    sys.stdout.flush()
    print(f"perf: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# corpus


def corpus_dest() -> Path:
    """Where bench/corpus.py puts the corpus: $MIGRATE_AUDIT_CORPUS, else bench/.corpus/."""
    env = os.environ.get("MIGRATE_AUDIT_CORPUS")
    return Path(env) if env else BENCH / ".corpus"


def ensure_corpus(projects: tuple[tuple[str, str], ...], dest: Path) -> list[Path]:
    folders = [dest / f"{name}-{version}" for name, version in projects]
    missing = [name for (name, _), folder in zip(projects, folders) if not (folder / ".corpus.json").is_file()]
    if missing:
        log(f"corpus: fetching {', '.join(missing)} with bench/corpus.py ...")
        proc = subprocess.run([sys.executable, str(CORPUS_SCRIPT), "--only", ",".join(missing), "--dest", str(dest)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        still = [name for (name, _), folder in zip(projects, folders) if not (folder / ".corpus.json").is_file()]
        if proc.returncode != 0 or still:
            raise BenchError(f"bench/corpus.py could not fetch {', '.join(still or missing)} (exit {proc.returncode})")
    return folders


def physical_lines(data: bytes) -> int:
    """Lines as `wc -l` counts them, plus an unterminated last line (as bench/corpus.py does)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


@dataclass
class PyFile:
    path: str  # relative to the corpus folder, '/'-separated
    lines: int
    size: int
    flask_import: bool


def list_python_files(folders: list[Path], root: Path) -> list[PyFile]:
    """Every regular *.py file under the folders (no symlinks followed), sorted.  Reading them
    here also warms the OS page cache, so no tool pays for the first read from disk."""
    found: list[PyFile] = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for fn in filenames:
                if not fn.endswith(".py"):
                    continue
                full = os.path.join(dirpath, fn)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                with open(full, "rb") as fh:
                    data = fh.read()
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                found.append(PyFile(rel, physical_lines(data), len(data), b"from flask import" in data))
    found.sort(key=lambda f: f.path)
    return found


def flake8_sees(path: str) -> bool:
    """Whether flake8's default exclude list leaves this file in (it matches every component)."""
    import fnmatch

    return not any(fnmatch.fnmatch(part, pat) for part in path.split("/") for pat in FLAKE8_EXCLUDE)


def pick_subset(projects: list[str], lines: dict[str, int], fraction: float) -> list[str]:
    """The projects whose lines add up closest to `fraction` of the total (exhaustive over all
    combinations: 8 projects make 255; ties go to fewer projects, then to the names' order)."""
    total = sum(lines[p] for p in projects)
    target = fraction * total
    best: tuple[float, int, list[str]] | None = None
    for k in range(1, len(projects)):
        for combo in itertools.combinations(sorted(projects), k):
            key = (abs(sum(lines[p] for p in combo) - target), k, list(combo))
            if best is None or key < best:
                best = key
    assert best is not None
    order = {p: i for i, p in enumerate(projects)}
    return sorted(best[2], key=order.__getitem__)


# --------------------------------------------------------------------------------------------
# tools


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_venv() -> dict[str, str]:
    """Create bench/.venv and install the pinned baselines if needed; return their versions."""
    py = venv_bin("python")
    if not py.exists():
        log(f"creating {VENV} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, stdin=subprocess.DEVNULL)
    versions = installed_versions(py)
    if any(versions.get(name) != pin for name, pin in PINS.items()):
        log("installing " + ", ".join(f"{n}=={v}" for n, v in PINS.items()) + f" into {VENV} ...")
        proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               *[f"{n}=={v}" for n, v in PINS.items()]],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            tail = [ln for ln in proc.stdout.splitlines() if ln.strip() and not ln.startswith("WARNING")]
            raise BenchError(f"pip install into {VENV} failed: {(tail or ['?'])[-1]}")
        versions = installed_versions(py)
    for name, pin in PINS.items():
        if versions.get(name) != pin:
            raise BenchError(f"{VENV} has {name} {versions.get(name)}, expected {pin}")
    for exe in ("flake8", "ast-grep"):
        if not venv_bin(exe).exists():
            raise BenchError(f"{venv_bin(exe)} is missing after installing the baselines")
    out = run_text([str(venv_bin("flake8")), "--version"])
    plugins = {m.group(1) for m in re.finditer(r"([\w.-]+): [\d.]+", out.split("CPython")[0])}
    if plugins - FLAKE8_DEFAULT_PLUGINS:
        raise BenchError(f"flake8 in {VENV} has extra plugins {sorted(plugins - FLAKE8_DEFAULT_PLUGINS)}; "
                         f"remove {VENV} and run again")
    versions["ast-grep (binary)"] = run_text([str(venv_bin("ast-grep")), "--version"]).split()[-1]
    return versions


def installed_versions(py: Path) -> dict[str, str]:
    code = ("import json, importlib.metadata as m\n"
            "out = {}\n"
            f"for n in {sorted(PINS)!r}:\n"
            "    try: out[n] = m.version(n)\n"
            "    except m.PackageNotFoundError: pass\n"
            "print(json.dumps(out))")
    proc = subprocess.run([str(py), "-c", code], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return json.loads(proc.stdout) if proc.returncode == 0 else {}


def run_text(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd[:3])} ... exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return proc.stdout + proc.stderr


def rule_ids() -> list[str]:
    ids = []
    for f in sorted((RULES_DIR / "rules").glob("*.yml")):
        ids += re.findall(r"^id:\s*(\S+)", f.read_text(encoding="utf-8"), re.M)
    return ids


def astgrep_cmd(paths: list[str]) -> list[str]:
    cmd = [str(venv_bin("ast-grep")), "scan", "--config", str(SGCONFIG)]
    for kind in ASTGREP_NO_IGNORE:
        cmd += ["--no-ignore", kind]
    return cmd + ["--inspect", "summary", "--json=stream", *paths]


def count_rule_hits(jsonl: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(jsonl, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rid = json.loads(line)["ruleId"]
                counts[rid] = counts.get(rid, 0) + 1
    return counts


def astgrep_scanned_files(stderr_text: str) -> int | None:
    m = re.search(r"scannedFileCount=(\d+)", stderr_text)
    return int(m.group(1)) if m else None


def verify_rules() -> list[str]:
    """Every rule file loads, there are 40 rules, and each one matches the fixture."""
    ids = rule_ids()
    if len(ids) != EXPECTED_RULES or len(set(ids)) != len(ids):
        raise BenchError(f"{RULES_DIR}/rules holds {len(ids)} rule ids ({len(set(ids))} distinct), "
                         f"expected {EXPECTED_RULES}")
    with tempfile.TemporaryDirectory(prefix="perf-rules-") as tmp:
        (Path(tmp) / "flask_idioms.py").write_text(FIXTURE, encoding="utf-8")
        proc = subprocess.run(astgrep_cmd(["flask_idioms.py"]), cwd=tmp, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise BenchError(f"ast-grep rejected the rule set (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
        m = re.search(r"effectiveRuleCount=(\d+)", proc.stderr)
        if not m or int(m.group(1)) != EXPECTED_RULES:
            raise BenchError(f"ast-grep loaded {m.group(1) if m else '?'} rules, expected {EXPECTED_RULES}: "
                             f"{proc.stderr.strip()[-400:]}")
        counts: dict[str, int] = {}
        for line in proc.stdout.splitlines():
            if line.strip():
                rid = json.loads(line)["ruleId"]
                counts[rid] = counts.get(rid, 0) + 1
    dead = [rid for rid in ids if not counts.get(rid)]
    if dead:
        raise BenchError(f"ast-grep rules matching nothing in the Flask fixture: {', '.join(dead)}")
    return ids


@dataclass
class MigrateAudit:
    cmd: list[str]
    version: str
    has_cache_flags: bool
    env: dict[str, str] | None = None  # PYTHONPATH pointing at the snapshot, when one is used
    snapshot: dict | None = None  # {"dir", "sources", "sha256"}


# Run in the benchmarked interpreter: where each part of the migrate_audit package lives.  A
# setuptools editable install maps subpackages to folders outside the package (MAPPING).
_LOCATE = """
import importlib.util, json, sys
spec = importlib.util.find_spec("migrate_audit")
locs = {"migrate_audit": list(spec.submodule_search_locations or [])[:1]}
for finder in sys.meta_path:
    mapping = getattr(sys.modules.get(getattr(finder, "__module__", "") or ""), "MAPPING", None)
    if isinstance(mapping, dict):
        for name, path in mapping.items():
            if name.startswith("migrate_audit.") and name not in locs:
                locs[name] = [path]
print(json.dumps({k: v[0] for k, v in locs.items() if v}))
"""
_CHECK = """
import importlib.util, json, sys
print(json.dumps({n: importlib.util.find_spec(n).origin for n in sys.argv[1:]}))
"""


def tree_digest(folders: dict[str, str]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(folders):
        base = Path(folders[name])
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{name}/{path.relative_to(base).as_posix()}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot_package(tmp: Path) -> tuple[dict[str, str], dict] | None:
    """Copy the migrate_audit package (as the current interpreter imports it) into tmp, so every
    timed run measures the same code even while someone edits src/.  None when that fails."""
    proc = subprocess.run([sys.executable, "-c", _LOCATE], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    sources: dict[str, str] = json.loads(proc.stdout)
    if "migrate_audit" not in sources:
        return None
    snap = tmp / "migrate-audit-snapshot"
    # Of the live folders, as the end of the run digests them again: the snapshot nests the editable
    # install's `migrate_audit._templates` inside `migrate_audit`, so its own digest always differed.
    live_digest = tree_digest(sources)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in sorted(sources, key=lambda n: n.count(".")):
        shutil.copytree(sources[name], snap.joinpath(*name.split(".")), ignore=ignore, dirs_exist_ok=True)
    # Byte-compiled like an installed wheel (pip compiles at install time): with PYTHONDONTWRITEBYTECODE
    # set, as on some CI machines, every timed run would otherwise compile the package again (~0.1 s).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(snap)], stdin=subprocess.DEVNULL,
                   capture_output=True, check=False)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(snap), *filter(None, [os.environ.get("PYTHONPATH")])])
    check = subprocess.run([sys.executable, "-c", _CHECK, *sources], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
    if check.returncode != 0:
        return None
    origins = json.loads(check.stdout)
    if not all(o and Path(o).resolve().is_relative_to(snap.resolve()) for o in origins.values()):
        return None
    info = {"dir": str(snap), "sources": sources, "sha256": live_digest}
    return env, info


def find_migrate_audit(path: str | None, tmp: Path, live: bool) -> MigrateAudit:
    cmd = [path] if path else [sys.executable, "-m", "migrate_audit"]
    if path and not shutil.which(path) and not Path(path).is_file():
        raise BenchError(f"--migrate-audit {path}: no such executable")
    env = info = None
    if not path and not live:
        snap = snapshot_package(tmp)
        if snap is None:
            log("could not snapshot the migrate_audit package: running the live code")
        else:
            env, info = snap
    try:
        version = run_text(cmd + ["--version"], env=env).strip()
        helptext = run_text(cmd + ["scan", "--help"], env=env)
    except (BenchError, OSError) as exc:
        hint = ""
        if not path and "No module named" in str(exc):
            hint = f" (migrate-audit is not installed for {sys.executable}: try .venv/bin/python bench/perf.py)"
        raise BenchError(f"cannot run migrate-audit: {exc}{hint}") from None
    has_cache = "--no-cache" in helptext and "--cache-dir" in helptext
    return MigrateAudit(cmd, version, has_cache, env, info)


# --------------------------------------------------------------------------------------------
# measuring


def _children_of(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    kids += [int(x) for x in fh.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return kids


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; PSS splits shared pages (forked workers) fairly."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of every process below `root_pid` (the /usr/bin/time
    wrapper itself excluded when present) and keeps the peaks."""

    def __init__(self, root_pid: int, skip_root: bool) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.skip_root = root_pid, skip_root
        self.stop_event = threading.Event()
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.samples = 0
        self.available = os.path.exists(f"/proc/{root_pid}/task")

    def run(self) -> None:
        while not self.stop_event.is_set():
            pids, todo = [], [self.root_pid]
            while todo:
                pid = todo.pop()
                if pid != self.root_pid or not self.skip_root:
                    pids.append(pid)
                todo += _children_of(pid)
            rss = pss = 0
            for pid in pids:
                r, p = _mem_kb(pid)
                rss += r
                pss += p
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.samples += 1
            self.stop_event.wait(SAMPLE_INTERVAL)


def _busy_jiffies() -> int | None:
    """Busy CPU time of the whole machine (all processes), in clock ticks."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    guest = sum(fields[8:10]) if len(fields) > 9 else 0  # already inside user/nice
    return sum(fields) - idle - guest


TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
CPUS = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Sample:
    wall: float
    user: float
    sys: float
    max_rss_mb: float | None  # largest single process (/usr/bin/time %M)
    tree_rss_mb: float | None  # sampled sum over the process tree
    tree_pss_mb: float | None
    procs: int
    other_load: float | None  # share of the machine's CPU used by other processes meanwhile
    rc: int

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(cmd: list[str], cwd: Path, stdout: Path, ok_codes: tuple[int, ...] = (0,),
            env: dict[str, str] | None = None) -> Sample:
    """Run cmd once with stdout to a file; wall clock, CPU of the children, memory."""
    stderr_path = stdout.with_suffix(stdout.suffix + ".err")
    timefile = stdout.with_suffix(stdout.suffix + ".time")
    full = [TIME_BIN, "-f", "%M", "-o", str(timefile), *cmd] if TIME_BIN else cmd
    before_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_self = time.process_time()
    before_busy = _busy_jiffies()
    with open(stdout, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid, skip_root=TIME_BIN is not None)
        sampler.start()
        rc = proc.wait()
        wall = time.perf_counter() - start
        sampler.stop_event.set()
        sampler.join()
    after_busy = _busy_jiffies()
    own = time.process_time() - before_self  # the sampler's CPU, not the tool's
    after_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after_ru.ru_utime - before_ru.ru_utime
    sys_ = after_ru.ru_stime - before_ru.ru_stime
    max_rss = None
    if TIME_BIN:
        text = timefile.read_text(errors="replace").strip().splitlines()
        if text and text[-1].strip().isdigit():
            max_rss = int(text[-1]) / 1024
        if text and text[0].startswith("Command exited with non-zero status"):
            pass  # rc below says it
        timefile.unlink(missing_ok=True)
    if rc not in ok_codes:
        tail = stderr_path.read_text(errors="replace").strip().splitlines()[-5:]
        raise BenchError(f"{' '.join(cmd[:4])} ... exited {rc}: {' | '.join(tail)}")
    other = None
    if before_busy is not None and after_busy is not None and wall > 0:
        foreign = (after_busy - before_busy) / TICK - user - sys_ - own
        other = max(0.0, min(1.0, foreign / (wall * CPUS)))
    tree_rss = sampler.peak_rss / 1024 if sampler.available and sampler.samples else None
    tree_pss = sampler.peak_pss / 1024 if sampler.available and sampler.samples else None
    return Sample(wall, user, sys_, max_rss, tree_rss, tree_pss, sampler.peak_procs, other, rc)


@dataclass
class Scenario:
    key: str
    label: str
    group: str  # "baseline", "cold", "jobs", "size", "warm"
    files: int
    lines: int
    out: str = ""  # output file of run i: tmp / f"{out}.{i}"
    scanned: list[str] = field(default_factory=list)  # the project folders given to the tool
    results: int | None = None  # findings / matches / violations in run 1's output
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    extra: dict = field(default_factory=dict)

    def med(self, attr: str) -> float | None:
        values = [getattr(s, attr) for s in self.samples if getattr(s, attr) is not None]
        return statistics.median(values) if values else None

    def spread(self) -> float | None:
        walls = [s.wall for s in self.samples]
        if len(walls) < 2:
            return None
        return (max(walls) - min(walls)) / statistics.median(walls)

    def as_json(self) -> dict:
        med = {a: self.med(a) for a in ("wall", "cpu", "user", "sys", "max_rss_mb", "tree_rss_mb",
                                        "tree_pss_mb", "other_load")}
        return {
            "label": self.label, "group": self.group, "files": self.files, "lines": self.lines,
            "scanned": self.scanned, "results": self.results,
            "median": med,
            "lines_per_second": self.lines / med["wall"] if med["wall"] else None,
            "wall_spread": self.spread(),
            "runs": [{**s.__dict__, "cpu": s.cpu} for s in self.samples],
            "note": self.note, **self.extra,
        }


# --------------------------------------------------------------------------------------------
# the benchmark


def link_copy(src: Path, dst: Path) -> str:
    """Copy a tree with hard links (instant, no space); plain copies across file systems."""
    mode = {"how": "hard links"}

    def copy(s: str, d: str) -> str:
        try:
            os.link(s, d)
        except OSError:
            mode["how"] = "copies"
            shutil.copy2(s, d)
        return d

    shutil.copytree(src, dst, symlinks=True, copy_function=copy)
    return mode["how"]


def touch_file(path: Path, stamp: int) -> None:
    """Append a comment line; the file gets its own inode first so the corpus (which it is
    hard-linked to) is left untouched."""
    data = path.read_bytes()
    path.unlink()
    sep = b"" if data.endswith(b"\n") or not data else b"\n"
    path.write_bytes(data + sep + f"# touched by bench/perf.py ({stamp})\n".encode())


def report_summary(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        summary = data.get("summary", {})
        return {"findings": summary.get("findings"), "files_scanned": summary.get("files_scanned"),
                "files_not_audited": summary.get("files_not_audited"), "code_lines": summary.get("lines"),
                "paths": [f.get("path") for f in data.get("files", [])], "root": data.get("root")}
    except (OSError, ValueError, AttributeError):
        return {}


def human(n: float | None, digits: int = 1) -> str:
    if n is None:
        return "-"
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if abs(n) >= div:
            return f"{n / div:.{digits}f}{unit}"
    return f"{n:.0f}"


def fmt(v: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if v is None else f"{v:{spec}}{suffix}"


def print_table(rows: list[list[str]], right: set[int]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark migrate-audit against ast-grep and flake8 on the "
                                             "reference corpus (issue 7 targets).")
    ap.add_argument("--runs", type=int, default=None, metavar="N",
                    help="timed runs of each scenario; the median is reported (default 3, 1 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="three small projects and 1 run: a smoke test in under a minute")
    ap.add_argument("--json", dest="json_out", metavar="FILE", help="also save every figure to FILE")
    ap.add_argument("--migrate-audit", dest="migrate_audit", metavar="PATH",
                    help="migrate-audit executable to benchmark (default: sys.executable -m migrate_audit)")
    ap.add_argument("--live", action="store_true",
                    help="run the installed migrate_audit package as it is at each run, instead of a snapshot "
                         "of it copied at start (the snapshot keeps concurrent edits of src/ out of the figures)")
    args = ap.parse_args(argv)
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    if runs < 1:
        ap.error("--runs must be 1 or more")
    if args.json_out:
        out_dir = os.path.dirname(os.path.abspath(args.json_out))
        if not os.path.isdir(out_dir):
            ap.error(f"--json {args.json_out}: folder {out_dir} does not exist")
    try:
        return run(args, runs)
    except BenchError as exc:
        log(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130


def run(args: argparse.Namespace, runs: int) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="migrate-audit-perf-"))
    try:
        return prepare_and_bench(args, runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prepare_and_bench(args: argparse.Namespace, runs: int, tmp: Path) -> int:
    started = time.time()
    projects_spec = QUICK if args.quick else REFERENCE
    dest = corpus_dest()
    folders = ensure_corpus(projects_spec, dest)
    versions = ensure_venv()
    ids = verify_rules()
    ma = find_migrate_audit(args.migrate_audit, tmp, args.live)
    versions["migrate-audit"] = ma.version.split()[-1]
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    root = dest.resolve()
    names = [f.name for f in folders]
    files = list_python_files([root / n for n in names], root)
    by_project: dict[str, list[PyFile]] = {n: [] for n in names}
    for f in files:
        by_project[f.path.split("/", 1)[0]].append(f)
    proj_lines = {n: sum(f.lines for f in fs) for n, fs in by_project.items()}
    total_lines = sum(proj_lines.values())
    lines_of = {f.path: f.lines for f in files}
    flake8_files = [f for f in files if flake8_sees(f.path)]

    print(f"corpus: {len(names)} projects in {root}: {len(files):,} .py files, {total_lines:,} lines")
    for n in names:
        print(f"  {n:<26} {len(by_project[n]):>5} files {proj_lines[n]:>9,} lines")
    how = f"snapshot {ma.snapshot['sha256'][:12]} of the package" if ma.snapshot else "live code"
    print(f"tools: migrate-audit {versions['migrate-audit']} ({' '.join(ma.cmd)}, {how}), "
          f"flake8 {versions['flake8']}, ast-grep-cli {versions['ast-grep-cli']} "
          f"(binary {versions['ast-grep (binary)']}) in {VENV}")
    print(f"machine: {CPUS} CPUs, Python {platform.python_version()}, load average at start "
          f"{fmt(load_at_start, '.2f')}; {runs} run(s) of each scenario, interleaved")
    if load_at_start is not None and load_at_start > 0.5:
        print(f"  note: the machine is not idle (load {load_at_start:.2f}); see the 'other' column")
    if not ma.has_cache_flags:
        print("  note: `migrate-audit scan --help` has no --no-cache/--cache-dir yet: warm and "
              "touched-file re-scans are skipped")
    print()
    return bench(args, runs, ma, versions, ids, root, names, files, by_project, proj_lines, total_lines,
                 lines_of, flake8_files, tmp, started, load_at_start)


def bench(args, runs, ma, versions, ids, root, names, files, by_project, proj_lines, total_lines, lines_of,
          flake8_files, tmp, started, load_at_start) -> int:
    cold_flags = ["--no-cache"] if ma.has_cache_flags else []
    ma_scan = [*ma.cmd, "scan", "--format", "json"]
    default_jobs = CPUS
    scenarios: dict[str, Scenario] = {}
    plans: list[tuple[Scenario, object]] = []  # (scenario, callable(run_index) -> Sample)

    def add(key, label, group, nfiles, nlines, fn, note="", out="", scanned=names):
        sc = Scenario(key, label, group, nfiles, nlines, out=out or f"{key}.json", scanned=list(scanned),
                      note=note)
        scenarios[key] = sc
        plans.append((sc, fn))
        return sc

    def simple(cmd, cwd, out_name, ok=(0,), env=None):
        return lambda i: measure(cmd, cwd, tmp / f"{out_name}.{i}", ok, env)

    # Headline: migrate-audit cold, default --jobs (the CPU count), whole set.
    add("ma_cold", f"migrate-audit cold (--jobs default = {default_jobs})", "cold", len(files), total_lines,
        simple([*ma_scan, *cold_flags, *names], root, "ma_cold.json", env=ma.env))
    add("astgrep", f"ast-grep {versions['ast-grep (binary)']} scan, {len(ids)} rules", "baseline",
        len(files), total_lines, simple(astgrep_cmd(names), root, "astgrep.jsonl"), out="astgrep.jsonl")
    # The work no exact scan can leave out (floor_work.py), in as many processes as the headline.
    add("floor", f"floor: read, parse, syntax-check (no rules), --jobs {default_jobs}", "baseline", len(files),
        total_lines, simple([ma.cmd[0], str(BENCH / "floor_work.py"), "--jobs", str(default_jobs), *names], root,
                            "floor.json", env=ma.env), out="floor.json")
    add("flake8", f"flake8 {versions['flake8']} --jobs 2 (defaults)", "baseline", len(flake8_files),
        sum(f.lines for f in flake8_files),
        simple([str(venv_bin("flake8")), "--isolated", "--jobs", "2", *names], root, "flake8.txt", ok=(0, 1)),
        out="flake8.txt")
    for jobs in (1, 2):
        if jobs == default_jobs:
            continue  # the same command as the headline: its figures are reused below
        add(f"ma_jobs{jobs}", f"migrate-audit cold --jobs {jobs}", "jobs", len(files), total_lines,
            simple([*ma_scan, *cold_flags, "--jobs", str(jobs), *names], root, f"ma_jobs{jobs}.json",
                   env=ma.env))
    seen_subsets: set[tuple[str, ...]] = set()
    for fraction in FRACTIONS:
        subset = pick_subset(names, proj_lines, fraction)
        if tuple(subset) in seen_subsets or len(subset) == len(names):
            continue
        seen_subsets.add(tuple(subset))
        sub_files = sum(len(by_project[p]) for p in subset)
        sub_lines = sum(proj_lines[p] for p in subset)
        add(f"ma_size{int(fraction * 100)}",
            f"migrate-audit cold, ~{FRACTION_NAMES[fraction]} ({sub_lines / total_lines:.0%} of lines)", "size",
            sub_files, sub_lines,
            simple([*ma_scan, *cold_flags, *subset], root, f"ma_size{int(fraction * 100)}.json", env=ma.env),
            note="projects: " + ", ".join(subset), scanned=subset)

    # Warm: in a hard-linked copy of the corpus; per run a fresh cache dir, then fill, warm,
    # touch one file, re-scan.  The cache is never edited; the corpus never changes.
    touched_rel = None
    if ma.has_cache_flags:
        copy_root = tmp / "corpus-copy"
        copy_root.mkdir()
        how = "hard links"
        for n in names:
            if link_copy(root / n, copy_root / n) != "hard links":
                how = "copies"
        candidates = sorted((f for f in files if f.flask_import), key=lambda f: (-f.size, f.path))
        touched_rel = (candidates or sorted(files, key=lambda f: (-f.size, f.path)))[0].path
        warm_state: dict[int, Path] = {}

        def fill_fn(i):
            cache = tmp / f"cache-{i}"
            warm_state[i] = cache
            return measure([*ma_scan, "--cache-dir", str(cache), *names], copy_root, tmp / f"ma_fill.json.{i}",
                           env=ma.env)

        def warm_fn(i):
            return measure([*ma_scan, "--cache-dir", str(warm_state[i]), *names], copy_root,
                           tmp / f"ma_warm.json.{i}", env=ma.env)

        def touched_fn(i):
            touch_file(copy_root / touched_rel, i)
            return measure([*ma_scan, "--cache-dir", str(warm_state[i]), *names], copy_root,
                           tmp / f"ma_touched.json.{i}", env=ma.env)

        add("ma_fill", "migrate-audit cache fill (empty --cache-dir)", "warm", len(files), total_lines, fill_fn,
            note=f"in a copy of the corpus made of {how}")
        add("ma_warm", "migrate-audit warm re-scan (nothing changed)", "warm", len(files), total_lines, warm_fn)
        add("ma_touched", "migrate-audit re-scan, 1 file touched", "warm", len(files), total_lines + 1,
            touched_fn, note=f"touched: {touched_rel} (largest file with 'from flask import')")

    for i in range(runs):
        round_start = time.time()
        for sc, fn in plans:
            log(f"run {i + 1}/{runs}: {sc.label} ...")
            sc.samples.append(fn(i))
        log(f"run {i + 1}/{runs} took {time.time() - round_start:.0f} s")

    # What each tool actually looked at, and found, from its own output of run 1.
    rule_hits: dict[str, int] = {}
    for sc in scenarios.values():
        out0 = tmp / f"{sc.out}.0"
        if sc.key.startswith("ma_"):
            rep = report_summary(out0)
            sc.results = rep.get("findings")
            if rep.get("paths"):
                # Report paths are relative to the common folder of the scanned paths.
                common = os.path.commonpath([str(root / n) for n in sc.scanned])
                prefix = os.path.relpath(common, root).replace(os.sep, "/")
                prefix = "" if prefix == "." else prefix + "/"
                seen = [prefix + p for p in rep["paths"]]
                py_seen = [p for p in seen if p.endswith((".py", ".pyw"))]
                sc.files = len(py_seen)
                sc.lines = sum(lines_of.get(p, 0) for p in py_seen)
                sc.extra["other_files"] = len(seen) - len(py_seen)
        elif sc.key == "astgrep":
            rule_hits = count_rule_hits(out0)
            sc.results = sum(rule_hits.values())
            sg_files = astgrep_scanned_files((tmp / f"{sc.out}.0.err").read_text(errors="replace"))
            if sg_files is not None:
                sc.files = sg_files
        elif sc.key == "flake8":
            with open(out0, "rb") as fh:
                sc.results = sum(1 for _ in fh)
        elif sc.key == "floor":
            done = json.loads(out0.read_text(encoding="utf-8"))
            sc.note = (f"read {done['files_read']:,} files, parsed and syntax-checked the "
                       f"{done['python_parsed']:,} Python files the pre-filter keeps, parsed "
                       f"{done['templates_parsed']:,} templates (bench/floor_work.py)")
    other = scenarios["ma_cold"].extra.get("other_files")
    if other:
        scenarios["ma_cold"].note = (f"also audits {other:,} other files (templates, requirements, ...): "
                                     "not in the files/lines columns")

    # Consistency: the same findings on every run and --jobs; the cache gives the same report.
    odd: list[str] = []
    counts: dict[str, set] = {}
    for key in ("ma_cold", "ma_jobs1", "ma_jobs2", "ma_fill", "ma_warm"):
        if key in scenarios:
            for i in range(runs):
                counts.setdefault(key, set()).add(report_summary(tmp / f"{key}.json.{i}").get("findings"))
    if len({c for v in counts.values() for c in v}) > 1:
        odd.append(f"migrate-audit findings differ between runs or --jobs: {counts}")
    if ma.has_cache_flags:
        for i in range(runs):
            if (tmp / f"ma_fill.json.{i}").read_bytes() != (tmp / f"ma_warm.json.{i}").read_bytes():
                odd.append(f"run {i + 1}: the warm report differs from the cache-fill report")
            t = report_summary(tmp / f"ma_touched.json.{i}")
            f0 = report_summary(tmp / f"ma_fill.json.{i}")
            if t.get("findings") != f0.get("findings"):
                odd.append(f"run {i + 1}: a comment line changed the findings count "
                           f"({f0.get('findings')} -> {t.get('findings')})")
    zero_rules = [rid for rid in ids if not rule_hits.get(rid)]
    code_changed = False
    if ma.snapshot:
        try:
            code_changed = tree_digest(ma.snapshot["sources"]) != ma.snapshot["sha256"]
        except OSError:
            code_changed = True

    # ------------------------------------------------------------------ the table
    cold = scenarios["ma_cold"]
    rows = [["scenario", "files", "lines", "results", "wall s", "spread", "cpu s", "maxRSS MB", "tree RSS MB",
             "tree PSS MB", "lines/s", "other"]]
    order = ["ma_cold", "astgrep", "floor", "flake8", "ma_jobs1", "ma_jobs2"] + \
            [k for k in scenarios if k.startswith("ma_size")] + ["ma_fill", "ma_warm", "ma_touched"]
    for key in order:
        sc = scenarios.get(key)
        if sc is None:
            continue
        wall = sc.med("wall")
        rows.append([sc.label, f"{sc.files:,}", human(sc.lines), fmt(sc.results, ","), fmt(wall),
                     fmt(sc.spread(), ".0%"),
                     fmt(sc.med("cpu")), fmt(sc.med("max_rss_mb"), ".0f"), fmt(sc.med("tree_rss_mb"), ".0f"),
                     fmt(sc.med("tree_pss_mb"), ".0f"), human(sc.lines / wall if wall else None),
                     fmt(sc.med("other_load"), ".0%")])
    print(f"Medians of {runs} run(s).  results: findings (migrate-audit), matches (ast-grep), violations "
          "(flake8);\nspread: (max - min) / median of the wall time; maxRSS: largest single process; tree: "
          "sum over the process tree,\nsampled every 50 ms (may miss a short peak); other: CPU share that other "
          "processes used meanwhile")
    print_table(rows, right=set(range(1, 12)))
    if default_jobs in (1, 2):
        print(f"  migrate-audit cold --jobs {default_jobs}: the first row (--jobs defaults to the CPU count, "
              f"{default_jobs} here)")
    for key in order:
        sc = scenarios.get(key)
        if sc is not None and sc.note:
            print(f"  {sc.label}: {sc.note}")
    if not ma.has_cache_flags:
        print("  warm re-scan, touched-file re-scan: skipped (migrate-audit scan has no --no-cache/--cache-dir yet)")

    # ------------------------------------------------------------------ the targets
    print()
    targets = []

    def target(name, value, shown, goal, ok, per_cpu=None):
        targets.append({"target": name, "value": value, "goal": goal,
                        "met": ok if value is not None else None, "cpu_time_figure": per_cpu})
        status = "n/a" if value is None else ("reported" if ok is None else ("met" if ok else "NOT met"))
        return [name, shown, goal, status, "" if per_cpu is None else per_cpu]

    sg, fl = scenarios["astgrep"], scenarios["flake8"]
    r_sg = cold.med("wall") / sg.med("wall")
    r_sg_cpu = cold.med("cpu") / sg.med("cpu")
    r_fl = fl.med("wall") / cold.med("wall")
    r_fl_cpu = fl.med("cpu") / cold.med("cpu")
    trows = [["issue 7 target", "this run", "goal", "status", "same on CPU time"]]
    trows.append(target("cold scan / ast-grep (40 rules), wall", r_sg, f"{r_sg:.2f}", "<= 1.0", r_sg <= 1.0,
                        f"{r_sg_cpu:.2f}"))
    trows.append(target("speed-up over flake8 --jobs 2, wall", r_fl, f"{r_fl:.1f}x", ">= 15x", r_fl >= 15,
                        f"{r_fl_cpu:.1f}x"))
    floor = scenarios["floor"]
    r_floor = floor.med("wall") / sg.med("wall")
    trows.append(target("  floor (no rules) / ast-grep, wall", r_floor, f"{r_floor:.2f}", "(reported)", None,
                        f"{floor.med('cpu') / sg.med('cpu'):.2f}"))
    r_floor_fl = fl.med("wall") / floor.med("wall")
    trows.append(target("  floor's speed-up over flake8, wall", r_floor_fl, f"{r_floor_fl:.1f}x", "(reported)",
                        None, f"{fl.med('cpu') / floor.med('cpu'):.1f}x"))
    r_above = cold.med("wall") / floor.med("wall")
    trows.append(target("  cold scan / floor (rules, resolution, report), wall", r_above, f"{r_above:.2f}",
                        "(reported)", None, f"{cold.med('cpu') / floor.med('cpu'):.2f}"))
    if ma.has_cache_flags:
        warm, touched = scenarios["ma_warm"], scenarios["ma_touched"]
        r_w = warm.med("wall") / cold.med("wall")
        trows.append(target("warm re-scan / cold, wall", r_w, f"{r_w:.1%}", "< 15%", r_w < 0.15,
                            f"{warm.med('cpu') / cold.med('cpu'):.1%}"))
        r_t = touched.med("wall") / cold.med("wall")
        trows.append(target("1 file touched: re-scan time, wall", touched.med("wall"),
                            f"{touched.med('wall'):.2f} s ({r_t:.0%} of cold)", "(reported)", None,
                            f"{touched.med('cpu'):.2f} s"))
    else:
        trows.append(target("warm re-scan / cold, wall", None, "skipped", "< 15%", None))
        trows.append(target("1 file touched: re-scan time", None, "skipped", "(reported)", None))
    peak = cold.med("max_rss_mb")
    tree = cold.med("tree_rss_mb")
    tree_pss = cold.med("tree_pss_mb")
    trows.append(target("peak memory, largest process (maxRSS)", peak, fmt(peak, ".0f", " MB"), "< 250 MB",
                        peak is not None and peak < 250))
    trows.append(target("peak memory, process tree (sampled RSS sum)", tree,
                        fmt(tree, ".0f", " MB") + (f" (PSS {tree_pss:.0f} MB)" if tree_pss else ""), "< 250 MB",
                        tree is not None and tree < 250))
    trows.append(["JSON report of 20,000 findings", "see bench/report_speed.py", "< 1 s", "n/a", ""])
    print_table(trows, right=set())

    # ------------------------------------------------------------------ the rules
    print()
    print(f"ast-grep matches per rule on the corpus (run 1; {sum(rule_hits.values()):,} in all, "
          f"{sg.files:,} files scanned):")
    cells = [f"{rid.removeprefix('flask-')} {rule_hits.get(rid, 0):,}" for rid in ids]
    width = max(len(c) for c in cells) + 2
    per_line = max(1, 100 // width)
    for k in range(0, len(cells), per_line):
        print("  " + "".join(c.ljust(width) for c in cells[k:k + per_line]).rstrip())
    if zero_rules:
        where = "these projects" if args.quick else "the whole corpus"
        print(f"  suspicious: no match on {where} for {', '.join(zero_rules)}")
    if cold.files != sg.files or fl.files != sg.files:
        print(f"  files: migrate-audit scanned {cold.files:,}, ast-grep {sg.files:,}, flake8 {fl.files:,} "
              f"(of {len(files):,} .py files; migrate-audit skips build/, dist/ and similar folders)")
    for line in odd:
        print(f"  odd: {line}")
    if code_changed:
        print("  note: the migrate_audit sources changed during the benchmark; every run used the snapshot "
              "taken at the start")
    noisy = [sc.label for sc in scenarios.values() if (sc.med("other_load") or 0) > 0.10]
    if noisy:
        print(f"  note: other processes took over 10% of the CPU during: {'; '.join(noisy)}; "
              "wall times there are inflated, CPU times much less so")
    print(f"\nbenchmark took {time.time() - started:.0f} s")

    if args.json_out:
        result = {
            "generated": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": {"cpus": CPUS, "python": platform.python_version(), "platform": platform.platform(),
                        "load_average_at_start": load_at_start, "time_bin": TIME_BIN},
            "runs": runs, "quick": bool(args.quick), "versions": versions,
            "migrate_audit_cmd": ma.cmd, "cache_flags": ma.has_cache_flags,
            "migrate_audit_code": ({"snapshot_sha256": ma.snapshot["sha256"], "sources": ma.snapshot["sources"],
                                    "changed_during_run": code_changed} if ma.snapshot else "live"),
            "corpus": {"root": str(root), "projects": {n: {"files": len(by_project[n]), "lines": proj_lines[n]}
                                                       for n in names},
                       "files": len(files), "lines": total_lines},
            "scenarios": {k: sc.as_json() for k, sc in scenarios.items()},
            "targets": targets,
            "astgrep_rule_matches": {rid: rule_hits.get(rid, 0) for rid in ids},
            "astgrep_rules_without_match": zero_rules,
            "touched_file": touched_rel,
            "odd": odd,
        }
        tmp_json = Path(args.json_out).with_name(Path(args.json_out).name + ".part")
        tmp_json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp_json, args.json_out)
        print(f"figures saved to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
