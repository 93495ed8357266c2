"""The flake8 plugin's cheap view of the whole project, for names defined in one module and used in another.

flake8 hands a plugin one file at a time, but `from .extensions import db` only means Flask-SQLAlchemy
when `extensions.py` says `db = SQLAlchemy()`. So the plugin finds the project root (the nearest folder
upward with pyproject.toml, setup.cfg, setup.py or .git), analyses the project's Python files as the
scan does (`scan.index_project`, through the scan's own `analyse_in_import_order`), and keeps the result:

- per process, revalidated at most every few seconds (one flake8 run lints many files);
- on disk in the user's cache folder, one JSON file per project root, valid while every Python file
  of the project keeps its path, mtime and size (an editor lints on every save: a save of a file
  elsewhere in the project, which may change what it exports, rebuilds the index once).

Building the index analyses most of the project's files; those analyses are kept with it (in memory,
and on disk beside the JSON file, valid with it), so a linted file whose text is the one analysed is not
analysed a second time, in this run or the next.

Bounded on purpose: a root that is the home folder or `/` is not a project, and a tree with more than
MAX_PROJECT_FILES Python files gets no index (the plugin then resolves from the file's imports alone),
so an editor never stalls on a huge folder.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import time
from dataclasses import dataclass, field
from functools import lru_cache

from . import __version__
from .cache import default_cache_dir, write_pickles
from .discovery import DEFAULT_EXCLUDED_DIRS, PYTHON_SUFFIXES, SourceFile
from .report.atomic import write_text_atomic
from .model import FileResult
from .resolve import ProjectIndex
from .scan import index_project

LOG = logging.getLogger(__name__)

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
MAX_ROOT_LEVELS = 30  # folders walked upward from the linted file
MAX_PROJECT_FILES = 5000
REVALIDATE_SECONDS = 5.0  # within one flake8 run the tree does not change; in a long-lived process it may
CACHE_FORMAT = 2


@dataclass
class Project:
    root: str
    index: ProjectIndex
    signature: str  # of every Python file's path, mtime and size: the index is valid while it holds
    validated_at: float = 0.0
    # The analyses made while building the index in this process, as `scan.index_project` keeps them:
    # relpath -> (text digest, analysis). A linted text with that digest needs no second analysis.
    analyses: dict[str, tuple[str, FileResult]] = field(default_factory=dict)


_PROJECTS: dict[str, Project | None] = {}


@lru_cache(maxsize=256)
def find_project_root(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding a project marker; None when there is none, or
    when it is the home folder or the filesystem root (a dotfiles `.git` there is no project)."""
    stops = {os.path.abspath(os.path.expanduser("~")), os.path.abspath(os.sep)}
    current = os.path.abspath(folder)
    for _ in range(MAX_ROOT_LEVELS):
        if any(os.path.exists(os.path.join(current, marker)) for marker in ROOT_MARKERS):
            return None if current in stops else current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return None


def project_for(path: str, jobs: int = 1) -> Project | None:
    """The project that the file at `path` belongs to, with its index; None when it has none. `jobs`:
    processes for building the index when it must be built (only where this process may fork)."""
    root = find_project_root(os.path.dirname(os.path.abspath(path)))
    if root is None:
        return None
    project = _PROJECTS.get(root)
    if root in _PROJECTS and (project is None or time.monotonic() - project.validated_at < REVALIDATE_SECONDS):
        return project  # None too: a tree over the size bound stays unindexed for this process
    try:
        project = _refresh(root, project, jobs)
    except (OSError, RecursionError, MemoryError) as exc:
        LOG.warning("migrate-audit: no project index for %s: %s", root, exc)
        project = None
    _PROJECTS[root] = project
    return project


def _python_files(root: str) -> list[tuple[str, str, int, int]] | None:
    """(path, relpath, mtime_ns, size) of the project's Python files, the folders `scan` skips left out;
    None when there are more than MAX_PROJECT_FILES."""
    found: list[tuple[str, str, int, int]] = []
    stack = [root]
    while stack:  # iterative, like discovery: deep trees cannot exhaust the recursion limit
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue  # never followed, as in `scan`: no loops, nothing outside the tree
                if entry.is_dir(follow_symlinks=False):
                    if (entry.name in DEFAULT_EXCLUDED_DIRS or entry.name.endswith(".egg-info")
                            or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))):
                        continue
                    stack.append(entry.path)
                elif entry.name.endswith(PYTHON_SUFFIXES):
                    st = entry.stat(follow_symlinks=False)
                    rel = os.path.relpath(entry.path, root).replace(os.sep, "/")
                    found.append((entry.path, rel, st.st_mtime_ns, st.st_size))
                    if len(found) > MAX_PROJECT_FILES:
                        return None
            except OSError:
                continue
    found.sort(key=lambda item: item[1])
    return found


@lru_cache(maxsize=1)
def _code_signature() -> str:
    """migrate-audit's own modules: an editable install changes them without changing the version."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(os.path.join(folder, name), package)}\0{st.st_mtime_ns}")
    return "\n".join(stamps)


def _signature(files: list[tuple[str, str, int, int]]) -> str:
    digest = hashlib.sha256(_code_signature().encode("utf-8", "surrogateescape"))
    for _, rel, mtime_ns, size in files:
        digest.update(f"{rel}\0{mtime_ns}\0{size}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _refresh(root: str, known: Project | None, jobs: int = 1) -> Project | None:
    files = _python_files(root)
    if files is None:
        LOG.info("migrate-audit: %s has over %d Python files; no project index", root, MAX_PROJECT_FILES)
        return None
    signature = _signature(files)
    if known is not None and known.signature == signature:
        known.validated_at = time.monotonic()
        return known
    cache_path = _cache_path(root)
    index = _load_cache(cache_path, root, signature)
    analyses: dict[str, tuple[str, FileResult]] = {}
    if index is None:
        index = _build(files, jobs, analyses)
        _save_cache(cache_path, root, signature, index)
        _save_analyses(cache_path, signature, analyses)
    else:
        analyses = _load_analyses(cache_path, signature)
    return Project(root, index, signature, time.monotonic(), analyses)


def _build(files: list[tuple[str, str, int, int]], jobs: int,
           analyses: dict[str, tuple[str, FileResult]]) -> ProjectIndex:
    """The scan's own analyses (`index_project`), in `jobs` processes; in this one where processes
    cannot be started (as flake8 itself then checks files serially: a sandbox without semaphores, a
    process limit)."""
    sources = [SourceFile(path, rel, "python") for path, rel, _, _ in files]
    if jobs > 1:
        try:
            return index_project(sources, jobs=jobs, analyses=analyses)
        except (OSError, ImportError, NotImplementedError) as exc:
            LOG.info("migrate-audit: building the project index in this process: %s", exc)
            analyses.clear()
    return index_project(sources, jobs=1, analyses=analyses)


def _cache_path(root: str) -> str:
    digest = hashlib.sha256(root.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return os.path.join(default_cache_dir(), "flake8-index", f"{digest}.json")


def _load_cache(path: str, root: str, signature: str) -> ProjectIndex | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if (data.get("format") != CACHE_FORMAT or data.get("version") != __version__
                or data.get("root") != root or data.get("signature") != signature):
            return None  # files changed, or another release may resolve differently
        index = ProjectIndex(uses_flask=bool(data["uses_flask"]))
        # Replayed in the original order: the first module to claim a suffix keeps it, as in the scan.
        for module, bindings in data["exports"]:
            index.add(str(module), {str(k): str(v) for k, v in bindings.items()})
        return index
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        LOG.info("migrate-audit: ignoring unreadable index cache %s: %s", path, exc)
        return None


def _save_cache(path: str, root: str, signature: str, index: ProjectIndex) -> None:
    data = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "root": root,
        "signature": signature,
        "uses_flask": index.uses_flask,
        "exports": [[module, bindings] for module, bindings in index.exports.items()],
    }
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_text_atomic(path, json.dumps(data))
    except OSError as exc:  # a read-only home must not break linting: the per-process cache still works
        LOG.info("migrate-audit: cannot write index cache %s: %s", path, exc)


def _analyses_path(cache_path: str) -> str:
    return cache_path[: -len(".json")] + ".analyses.pickle"


def _save_analyses(cache_path: str, signature: str, analyses: dict[str, tuple[str, FileResult]]) -> None:
    """The analyses made while building the index, beside it and valid with it (same signature, which
    covers migrate-audit's own code): replaced atomically, never required."""
    path = _analyses_path(cache_path)
    if not write_pickles(path, {"format": CACHE_FORMAT, "version": __version__, "signature": signature,
                                "analyses": analyses}):
        LOG.info("migrate-audit: cannot write analyses cache %s", path)


def _load_analyses(cache_path: str, signature: str) -> dict[str, tuple[str, FileResult]]:
    """The analyses saved with the index of this signature; empty when missing, stale or unreadable."""
    path = _analyses_path(cache_path)
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)  # noqa: S301 - our own file in the user's cache folder
        if (isinstance(data, dict) and data.get("format") == CACHE_FORMAT and data.get("version") == __version__
                and data.get("signature") == signature and isinstance(data.get("analyses"), dict)):
            return data["analyses"]
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a partial or corrupted cache is simply not used
        LOG.info("migrate-audit: ignoring unreadable analyses cache %s: %s", path, exc)
    return {}
