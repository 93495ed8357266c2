"""The flake8 plugin's cheap view of the whole project, for names defined in one module and used in another.

flake8 hands a plugin one file at a time, but `from .extensions import db` only means Flask-SQLAlchemy
when `extensions.py` says `db = SQLAlchemy()`. So the plugin finds the project root (the nearest folder
upward with pyproject.toml, setup.cfg, setup.py or .git), analyses the project's Python files as the
scan does (`scan.index_project`, through the scan's own `analyse_in_import_order`), and keeps the result:

- per process, revalidated at most every few seconds (one flake8 run lints many files);
- on disk in the user's cache folder, one store file per project root (`_save_store`): the index, and each
  file's summary with its analysis, stamped with the file's mtime and size.

The index stands while every Python file of the project keeps its path, mtime and size. When some do not:

- a file with a new mtime but the same bytes (a fresh checkout, a `touch`) keeps its stored summary, unread;
- when the same files are there and a few changed (an editor lints on every save), each is analysed again
  alone, and if each still tells the index what it told it (a save that edits a view, not what a module
  exports), the index and every other file's analysis stand (`_after_edits`);
- otherwise the index is made again from the stored summaries of the files that did not change: only new
  and changed files are read, and only they and the files whose names they change are analysed again, as
  in a warm `migrate-audit scan`.

Building the index analyses most of the project's files. A linted file whose text is the one analysed
is not analysed a second time, in this run or the next; a run that lints one file reads that file's
analysis alone from the store.

Bounded on purpose: a root that is the home folder or `/` is not a project, and a tree with more than
MAX_PROJECT_FILES Python files gets no index (the plugin then resolves from the file's imports alone),
so an editor never stalls on a huge folder.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Sequence

from .. import __version__
from .result_cache import cache_file, content_hash, default_cache_dir, prune_cache_files, tool_fingerprint, write_cache_file
from ..discovery import DEFAULT_EXCLUDED_DIRS, PYTHON_SUFFIXES
from ..model import FileResult, Finding, SourceFile
from .resolve import ProjectIndex
from ..source import FileTooLarge, NotRegularFile, read_regular_file
from .summary import FileSummary, text_digest

LOG = logging.getLogger(__name__)

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
MAX_ROOT_LEVELS = 30  # folders walked upward from the linted file
MAX_PROJECT_FILES = 5000
REVALIDATE_SECONDS = 5.0  # within one flake8 run the tree does not change; in a long-lived process it may
CACHE_FORMAT = 4
MAX_EDITED = 16  # changed files checked one by one (`_after_edits`); more (a checkout) make the index again
MAX_STORES_PER_ROOT = 3  # one per release of migrate-audit that lints the project (editor, pre-commit...)


class StoredFile(NamedTuple):
    """A Python file of the project as the store knows it."""

    mtime_ns: int  # its stamp when it was summarised
    size: int
    digest: str  # the content hash of the bytes summarised: a file touched but not changed keeps its analysis
    text: str  # `text_digest` of the text its analysis was made from; empty without one
    offset: int  # where its pickled summary is in the store file, after the header
    length: int
    # What the project's facts (rules/_project_facts.py) read of this file, so that they are applied to
    # the whole project without reading every summary: (code, message, line, column) of its findings
    # they may drop, and the modules it imports.
    facts: tuple[tuple[str, str, int, int], ...] = ()
    imports: tuple[str, ...] = ()


def _stored(summary: FileSummary, mtime_ns: int, size: int) -> StoredFile:
    """The store's entry for a summary made in this run (its place in the store file comes when saved)."""
    from ..rules._project_facts import FACT_CODES  # loaded with the engine, which made the summary

    result = summary.analysis if summary.analysis is not None else summary.result
    facts = tuple((f.code, f.message, f.line, f.column) for f in result.findings if f.code in FACT_CODES)
    return StoredFile(mtime_ns, size, summary.digest, summary.analysed_text, 0, 0, facts, tuple(result.imports))


class _FactFile(NamedTuple):
    """A file as the project's facts read it (`_project_facts.ProjectFile`)."""

    path: str
    imports: list[str]


def _facts_applied(files: dict[str, StoredFile], linted: str = "", findings: Sequence[Finding] = (),
                   imports: Sequence[str] = ()) -> list[Any]:
    """What the project's facts keep of the stored facts of every file, the linted file's (`linted`) taken
    from its `findings` and `imports` instead when given: the scan's own `apply_project_facts`."""
    from ..rules._project_facts import FACT_CODES, apply_project_facts

    rows: list[Any] = [{"code": code, "message": message, "path": rel, "line": line, "column": column}
                       for rel, entry in files.items() if rel != linted for code, message, line, column in entry.facts]
    rows.extend(f for f in findings if f.code in FACT_CODES)
    project = [_FactFile(rel, list(entry.imports)) for rel, entry in files.items() if rel != linted]
    if linted:
        project.append(_FactFile(linted, list(imports)))
    return apply_project_facts(rows, project)


def _dropped_by_facts(files: dict[str, StoredFile]) -> frozenset[tuple[str, int, int, str]]:
    """(path, line, column, code) of each stored finding the project's facts drop."""
    kept = {(row["path"], row["line"], row["column"], row["code"]) for row in _facts_applied(files)}
    every = {(rel, line, column, code) for rel, entry in files.items() for code, _, line, column in entry.facts}
    return frozenset(every - kept)


class StoreFile(NamedTuple):
    """Where the summaries of a project are on disk: the store file, where its header ends, and the file's
    identity when it was read or written (a store another process has replaced since is another file)."""

    path: str
    base: int
    identity: tuple[int, int, int, int]


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


@dataclass
class Project:
    root: str
    index: ProjectIndex
    signature: str  # of every Python file's path, mtime and size: the index stands while it holds
    files: dict[str, StoredFile]
    validated_at: float = 0.0
    # Summaries (with their analyses) in memory: every file's where this process built the index, else
    # those read from the store so far or made again after an edit (None: unreadable in the store).
    summaries: dict[str, FileSummary | None] = field(default_factory=dict)
    store: StoreFile | None = None  # where the other summaries are
    # The stored findings the project's facts drop (one adoption per extension, the session and Babel
    # claims), as the scan's report drops them; made with the index, kept in the store.
    dropped: frozenset[tuple[str, int, int, str]] = frozenset()
    _by_digest: dict[str, str] | None = field(default=None, repr=False)

    def with_project_facts(self, relpath: str, result: FileResult, stored: bool) -> list[Finding]:
        """The findings of `result` (the linted file's analysis; `stored`: the one kept with the index)
        that the project's facts keep, as in the scan's report."""
        if stored:
            return [f for f in result.findings if (relpath, f.line, f.column, f.code) not in self.dropped]
        kept = {id(f) for f in _facts_applied(self.files, relpath, result.findings, result.imports)}
        from ..rules._project_facts import FACT_CODES  # the engine analysed the text: the rules are loaded

        return [f for f in result.findings if f.code not in FACT_CODES or id(f) in kept]

    def analysis_for(self, relpath: str, text: str) -> FileResult | None:
        """The analysis kept with the index (made while building it, or after an edit), when it was made
        from this very text."""
        entry = self.files.get(relpath)
        if entry is None or not entry.text or entry.text != text_digest(text):
            return None
        summary = self._summary(relpath, entry)
        return summary.analysis if summary is not None and summary.analysed_text == entry.text else None

    # What `scan.index_project` asks a cache of summaries (scan.SummaryCache).
    def get(self, relpath: str, size: int, mtime_ns: int) -> FileSummary | None:
        entry = self.files.get(relpath)
        if entry is None or entry.size != size or entry.mtime_ns != mtime_ns:
            return None
        return self._summary(relpath, entry)

    def get_by_hash(self, digest: str) -> FileSummary | None:
        if self._by_digest is None:
            self._by_digest = {entry.digest: rel for rel, entry in self.files.items() if entry.digest}
        relpath = self._by_digest.get(digest)
        return self._summary(relpath, self.files[relpath]) if relpath is not None else None

    def read_store(self) -> None:
        """Every summary not in memory yet, from one read of the store (to make the index again)."""
        data = self.stored_bytes()
        for relpath, entry in self.files.items():
            if relpath not in self.summaries:
                blob = data[entry.offset:entry.offset + entry.length] if data is not None else b""
                self.summaries[relpath] = self._unpickle(blob, relpath)

    def stored_bytes(self) -> bytes | None:
        """Everything after the store's header, while the store is the file it was; else None."""
        return self._read_store_file(0, -1)

    def _summary(self, relpath: str, entry: StoredFile) -> FileSummary | None:
        if relpath not in self.summaries:
            blob = self._read_store_file(entry.offset, entry.length) or b""
            self.summaries[relpath] = self._unpickle(blob, relpath)
        return self.summaries[relpath]

    def _read_store_file(self, offset: int, length: int) -> bytes | None:
        if self.store is None:
            return None
        try:
            with open(self.store.path, "rb") as handle:  # opened for each read: forked workers share no offset
                if _identity(os.fstat(handle.fileno())) != self.store.identity:
                    return None  # replaced by another process: its summaries are not this index's
                handle.seek(self.store.base + offset)
                return handle.read(length)
        except OSError as exc:
            LOG.info("migrate-audit: cannot read the project store %s: %s", self.store.path, exc)
            return None

    @staticmethod
    def _unpickle(data: bytes, relpath: str) -> FileSummary | None:
        try:
            stored_relpath, summary = pickle.loads(data)  # noqa: S301 - our own file in the user's cache folder
        except Exception:  # noqa: BLE001 - a damaged store: the file is analysed afresh
            return None
        return summary if stored_relpath == relpath and isinstance(summary, FileSummary) else None


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


def _signature(files: list[tuple[str, str, int, int]]) -> str:
    digest = hashlib.sha256()
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
    path = _store_path(root)
    stored = _open_store(path, root)
    if stored is not None and stored.signature == signature:
        stored.validated_at = time.monotonic()
        return stored
    previous = stored if stored is not None else known
    project = _after_edits(previous, files, signature) if previous is not None else None
    if project is None:
        project = _build(root, files, signature, jobs, previous)
    _save_store(path, project)
    return project


def _after_edits(previous: Project, files: list[tuple[str, str, int, int]], signature: str) -> Project | None:
    """`previous` brought up to date without making the index again: when the same files are there, a few
    of them changed, and each still tells the index what it told it (a save that edits a view, not what a
    module exports), the index and every other file's analysis stand. None otherwise."""
    if len(files) != len(previous.files):
        return None
    changed = []
    touched: dict[str, StoredFile] = {}
    for path, rel, mtime_ns, size in files:
        entry = previous.files.get(rel)
        if entry is None:
            return None
        if (entry.mtime_ns, entry.size) == (mtime_ns, size):
            continue
        if entry.size == size and entry.digest and _content_hash_of(path) == entry.digest:
            # A checkout or a `touch`: the same bytes, so the same summary, read from the store as it is.
            touched[rel] = entry._replace(mtime_ns=mtime_ns)
            continue
        changed.append((path, rel, mtime_ns, size))
        if len(changed) > MAX_EDITED:
            return None
    project = Project(previous.root, previous.index, signature, {**previous.files, **touched}, time.monotonic(),
                      dict(previous.summaries), previous.store, previous.dropped)
    if not changed:
        return project
    from ..scan import reanalysed  # the engine and the scan load only when something is analysed

    for path, rel, mtime_ns, size in changed:
        before = previous._summary(rel, previous.files[rel])
        summary = reanalysed(SourceFile(path, rel, "python"), previous.index, before) if before is not None else None
        if summary is None:
            return None
        project.summaries[rel] = summary
        project.files[rel] = _stored(summary, mtime_ns, size)
    project.dropped = _dropped_by_facts(project.files)
    return project


def _content_hash_of(path: str) -> str | None:
    """The content hash of the file's bytes (`cache.content_hash`, as summaries keep it); None when it
    cannot be read as a regular file."""
    try:
        return content_hash(read_regular_file(path))
    except (OSError, NotRegularFile, FileTooLarge):
        return None


def _build(root: str, files: list[tuple[str, str, int, int]], signature: str, jobs: int,
           previous: Project | None) -> Project:
    """The scan's own analyses (`index_project`), in `jobs` processes, reusing what `previous` holds for
    files that did not change; in this process where processes cannot be started (as flake8 itself then
    checks files serially: a sandbox without semaphores, a process limit)."""
    from ..scan import index_project  # the engine and the scan load only when something is analysed

    sources = [SourceFile(path, rel, "python") for path, rel, _, _ in files]
    stats: list[tuple[int, int] | None] = [(size, mtime_ns) for _, _, mtime_ns, size in files]
    if previous is not None:
        previous.read_store()
    try:
        index, summaries = index_project(sources, jobs, previous, stats)
    except (OSError, ImportError, NotImplementedError) as exc:
        if jobs == 1:
            raise
        LOG.info("migrate-audit: building the project index in this process: %s", exc)
        index, summaries = index_project(sources, 1, previous, stats)
    project = Project(root, index, signature, {}, time.monotonic())
    for (_, rel, mtime_ns, size), summary in zip(files, summaries):
        project.files[rel] = _stored(summary, mtime_ns, size)
        project.summaries[rel] = summary
    project.dropped = _dropped_by_facts(project.files)
    return project


def _store_path(root: str) -> str:
    """The store of `root` for this migrate-audit (its source, and the Python running it), named like the
    scan's caches (`cache.cache_file`). Another one has its own (an editor's environment and pre-commit's
    may lint one project with two releases), or they would make each other's index again on every run;
    the same code installed twice shares it, and so does a CI job that keeps the cache folder between
    fresh checkouts."""
    return cache_file(os.path.join(default_cache_dir(), "flake8-index"), [root], ".pickle")


def _open_store(path: str, root: str) -> Project | None:
    """The project as the store at `path` has it: the index and where each summary is (read when asked
    for); None when there is none, or it is another release's or another root's."""
    try:
        with open(path, "rb") as handle:
            header = pickle.load(handle)  # noqa: S301 - our own file in the user's cache folder
            store = StoreFile(path, handle.tell(), _identity(os.fstat(handle.fileno())))
        if not (isinstance(header, dict) and header.get("format") == CACHE_FORMAT
                and header.get("version") == __version__ and header.get("code") == tool_fingerprint()
                and header.get("root") == root and isinstance(header.get("index"), ProjectIndex)):
            return None  # another release may resolve differently
        files = {str(rel): StoredFile(*entry) for rel, entry in header["files"].items()}
        return Project(root, header["index"], str(header["signature"]), files, store=store,
                       dropped=frozenset(header["dropped"]))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a partial or corrupted store is simply not used
        LOG.info("migrate-audit: ignoring unreadable project store %s: %s", path, exc)
        return None


def _save_store(path: str, project: Project) -> None:
    """The index, then each file's summary, pickled one by one so that a run can read one alone; the
    summaries not in memory are copied from the store they are in. Replaced atomically, never required;
    once written, `project` reads from it."""
    stored: bytes | None = None
    blobs: list[bytes] = []
    files: dict[str, StoredFile] = {}
    offset = 0
    for relpath, entry in project.files.items():
        if relpath in project.summaries:
            summary = project.summaries[relpath]
            blob = pickle.dumps((relpath, summary), protocol=pickle.HIGHEST_PROTOCOL) if summary is not None else b""
        else:
            stored = stored if stored is not None else project.stored_bytes()
            if stored is None:
                LOG.info("migrate-audit: the project store %s changed while in use; not rewritten", path)
                return
            blob = stored[entry.offset:entry.offset + entry.length]
        files[relpath] = entry._replace(offset=offset, length=len(blob))
        blobs.append(blob)
        offset += len(blob)
    header = pickle.dumps({"format": CACHE_FORMAT, "version": __version__, "code": tool_fingerprint(),
                           "root": project.root, "signature": project.signature, "index": project.index,
                           "files": {relpath: tuple(entry) for relpath, entry in files.items()},
                           "dropped": project.dropped},
                          protocol=pickle.HIGHEST_PROTOCOL)
    written = write_cache_file(path, [header, *blobs])
    if written is None:
        # A read-only home must not break linting: the per-process project still works.
        LOG.info("migrate-audit: cannot write the project store %s", path)
        return
    project.files, project.store = files, StoreFile(path, len(header), _identity(written))
    prune_cache_files(path, MAX_STORES_PER_ROOT)
