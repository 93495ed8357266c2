"""Orchestration: discover files, build the project index, analyse the files that can hold findings.

Every Python file is read once and summarised from its text alone: its imports, whether it mentions
Flask (or an extension), whether it could define Flask objects. Files that cannot hold a finding are
never parsed; they only count towards the codebase's size. The others are analysed once each, in an
order that makes that enough: first the files that may define Flask objects (`db = SQLAlchemy()`,
`bp = Blueprint(...)`, `def create_app(): ... return app`), in the order of their imports of each other,
each seeing the project index (which names each module binds to Flask objects) built from the files
before it; then the rest. An analysis records what it asked the index; only an analysis whose answers
changed (an import cycle) is redone.
"""
from __future__ import annotations

import copy
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from . import names
from .config import Settings
from .discovery import SourceFile, discover
from .engine import analyze_python
from .filekinds.project import audit_project_files
from .model import Diagnostic, FileResult
from .prefilter import may_define_flask_objects, mentions_interest, text_imports
from .resolve import ProjectIndex, answers_hold, module_name_for
from .cache import ResultCache, content_hash
from .source import BinaryFile, count_code_lines, decode_python

MAX_FILE_BYTES = 50 * 1024 * 1024
PARALLEL_MIN_FILES = 64  # below this, process start-up costs more than it saves
MAX_INDEX_ROUNDS = 6

ProgressCallback = Callable[[int, int], None]


@dataclass
class ScanResult:
    paths: list[str]
    root: str
    settings: Settings
    files: list[FileResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    duration: float = 0.0


def read_source(path: str, relpath: str) -> tuple[str | None, FileResult]:
    """Read and decode one file; on failure the FileResult carries the diagnostic and the text is None."""
    text, result, _ = _read(path, relpath)
    return text, result


def _read(path: str, relpath: str) -> tuple[str | None, FileResult, str]:
    """`read_source`, plus the content hash of the bytes read (empty when nothing could be read)."""
    result = FileResult(path=relpath, kind="python")
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            result.diagnostics.append(Diagnostic(
                relpath, "too-large",
                f"{size // (1024 * 1024)} MB is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; not audited"))
            return None, result, ""
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        result.diagnostics.append(Diagnostic(relpath, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None, result, ""
    digest = content_hash(data)
    try:
        decoded = decode_python(data)
    except BinaryFile as exc:
        result.diagnostics.append(Diagnostic(relpath, "binary", str(exc)))
        return None, result, digest
    if decoded.problem:
        result.diagnostics.append(Diagnostic(relpath, "decode-error", decoded.problem))
    result.lines = count_code_lines(decoded.text)
    return decoded.text, result, digest


@dataclass
class FileSummary:
    """What the text of one file says (read once, never parsed here), and its latest analysis."""

    source: SourceFile
    module: str
    result: FileResult  # lines and read diagnostics; the final result for files never analysed
    digest: str = ""  # content hash, for the cache
    readable: bool = False
    interest: bool = False  # mentions Flask, Werkzeug, Quart or an extension module
    mentions_flask: bool = False
    may_define: bool = False  # could create an app, Blueprint or extension object (text check)
    imported: frozenset[tuple[str, str]] = frozenset()  # (module, name) of each `from module import name`
    imported_modules: frozenset[str] = frozenset()
    exports: dict[str, str] = field(default_factory=dict)
    project_imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The latest analysis; it stands while the project index gives the answers it was made with.
    analysis: FileResult | None = None


def _summarize(source: SourceFile) -> FileSummary:
    """Phase A for one file: read it and note what its text alone says (no parsing)."""
    text, result, digest = _read(source.path, source.relpath)
    module = module_name_for(source.relpath)
    summary = FileSummary(source, module, result, digest=digest)
    if text is None:
        return summary
    summary.readable = True
    summary.interest = mentions_interest(text)
    summary.mentions_flask = "flask" in text
    summary.may_define = summary.interest and may_define_flask_objects(text)
    is_package = source.relpath.endswith("__init__.py")
    imports = text_imports(text, module, is_package)
    summary.imported = frozenset((i.module, i.name) for i in imports if i.name)
    summary.imported_modules = frozenset(i.module for i in imports)
    for item in imports:  # re-exports, from the text alone; an analysis replaces them
        if names.is_interesting_module(item.module):
            qual = names.canonical(f"{item.module}.{item.name}" if item.name else item.module)
            summary.exports[item.local] = qual
        elif item.name:
            summary.project_imports[item.local] = (item.module, item.name)
    return summary


def _still_valid(result: FileResult | None, index: ProjectIndex) -> bool:
    """An analysis stands while the index gives the answers it was made with."""
    if result is None:
        return False
    if result.assumed_project_flask is not None and result.assumed_project_flask != index.uses_flask:
        return False
    return answers_hold(result.index_answers, index)


def _needs_analysis(summary: FileSummary, index: ProjectIndex) -> bool:
    """Parse a file only if it mentions Flask, or imports a name the project binds to a Flask object."""
    if not summary.readable:
        return False
    return summary.interest or any(index.lookup(module, name) for module, name in summary.imported)


def build_index(summaries: list[FileSummary]) -> ProjectIndex:
    """The index from every file's exports: parsed ones where analysed, what the text says elsewhere."""
    index = ProjectIndex()
    for summary in summaries:
        exports = summary.analysis.exports if summary.analysis is not None else summary.exports
        if exports:
            index.add(summary.module, dict(exports))
    index.resolve_reexports({
        s.module: (s.analysis.project_imports if s.analysis is not None else s.project_imports)
        for s in summaries
    })
    index.uses_flask = any(s.mentions_flask for s in summaries)
    return index


def definer_levels(summaries: list[FileSummary]) -> list[list[int]]:
    """Files that may define Flask objects, in the order of their imports of each other (Kahn's
    algorithm on the textual import graph), so a module is analysed after the modules it imports from;
    files in an import cycle come last, together."""
    definers = [i for i, s in enumerate(summaries) if s.may_define]
    by_module = {summaries[i].module: i for i in definers}
    suffixes: dict[str, int] = {}
    for module, i in by_module.items():
        parts = module.split(".")
        for k in range(len(parts)):
            suffixes.setdefault(".".join(parts[k:]), i)
    depends: dict[int, set[int]] = {}
    for i in definers:
        targets = set()
        for module in summaries[i].imported_modules:
            parts = module.split(".")
            for k in range(len(parts), 0, -1):
                target = suffixes.get(".".join(parts[:k]))
                if target is not None:
                    if target != i:
                        targets.add(target)
                    break
        depends[i] = targets
    levels: list[list[int]] = []
    done: set[int] = set()
    remaining = set(definers)
    while remaining:
        level = sorted(i for i in remaining if depends[i] <= done)
        if not level:
            levels.append(sorted(remaining))  # a cycle: analyse together, fix up in later rounds
            break
        levels.append(level)
        done.update(level)
        remaining.difference_update(level)
    return levels


def _analyze_one(source: SourceFile, index: ProjectIndex) -> FileResult:
    """Analyse one file that may hold findings (read again: summaries do not keep text in memory)."""
    text, result = read_source(source.path, source.relpath)
    if text is None:
        return result  # deleted or changed since it was summarised: say so rather than report stale findings
    try:
        analyzed = analyze_python(text, source.relpath, index)
    except (RecursionError, MemoryError) as exc:
        result.diagnostics.append(Diagnostic(source.relpath, "too-complex", f"not audited: {type(exc).__name__}"))
        return result
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the scan
        result.diagnostics.append(
            Diagnostic(source.relpath, "internal-error", f"not audited: {type(exc).__name__}: {exc}"))
        return result
    analyzed.lines = result.lines
    analyzed.diagnostics[:0] = result.diagnostics
    return analyzed


class _Mapper:
    """`func(item, *args)` over items, in input order, in one pool of worker processes reused by every
    phase (starting workers once), or in this process when the work is too small to pay for them.

    Work is sent in a few chunks per worker, each carrying `args` once: the project index is large, and
    pickling it per file would cost more than the analysis."""

    def __init__(self, jobs: int, total_files: int) -> None:
        self.pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 and total_files >= PARALLEL_MIN_FILES else None
        self.jobs = jobs

    def __call__(self, func: Callable[..., object], items: list, *args: object,
                 progress: ProgressCallback | None = None) -> list:
        total = len(items)
        if self.pool is None or total < 2:
            results = []
            for i, item in enumerate(items, 1):
                results.append(func(item, *args))
                if progress:
                    progress(i, total)
            return results
        size = max(1, -(-total // (self.jobs * 4)))
        chunks = [items[i:i + size] for i in range(0, total, size)]
        futures = [self.pool.submit(_run_chunk, func, chunk, args) for chunk in chunks]
        results = []
        for future in futures:  # in submission order: deterministic output whatever the scheduling
            results.extend(future.result())
            if progress:
                progress(len(results), total)
        return results

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _run_chunk(func: Callable[..., object], chunk: list, args: tuple) -> list:
    return [func(item, *args) for item in chunk]


def run_scan(paths: list[str], settings: Settings, jobs: int = 1,
             progress: ProgressCallback | None = None, cache_dir: str | None = None) -> ScanResult:
    """Scan `paths`. With `cache_dir`, summaries and analyses of unchanged files come from the cache."""
    started = time.perf_counter()
    sources, diagnostics, root = discover(paths, settings.exclude)
    python_files = [s for s in sources if s.kind == "python"]
    cache = ResultCache(cache_dir, paths) if cache_dir else None
    if cache is not None:
        cache.load()
    stats = [_stat(source.path) for source in python_files]
    summaries: list[FileSummary | None] = [
        _cached_summary(cache, source, stat) for source, stat in zip(python_files, stats)]
    mapper = _Mapper(jobs, sum(1 for s in summaries if s is None) + len(sources) - len(python_files))
    try:
        missing = [i for i, s in enumerate(summaries) if s is None]
        # Progress counts the files read: the step that grows with the tree (most are never parsed).
        for i, summary in zip(missing, mapper(_summarize, [python_files[i] for i in missing], progress=progress)):
            previous = cache.get_by_hash(summary.digest) if cache is not None and summary.digest else None
            if previous is not None and previous.source.relpath == summary.source.relpath:
                summary.analysis = previous.analysis  # touched, not changed: the analysis may still hold
            summaries[i] = summary
        ready: list[FileSummary] = summaries  # type: ignore[assignment]
        # Analyse the files that may define Flask objects first, in import order, so that most files
        # see a complete index the first time they are parsed; then everything else that needs it;
        # then, until nothing changes, the few whose index answers changed (import cycles).
        for level in definer_levels(ready):
            fresh = [i for i in level if ready[i].analysis is None]
            if fresh:
                _analyze_positions(ready, fresh, build_index(ready), mapper)
        for _ in range(MAX_INDEX_ROUNDS):
            index = build_index(ready)
            stale = [i for i, s in enumerate(ready)
                     if _needs_analysis(s, index) and not _still_valid(s.analysis, index)]
            if not stale:
                break
            _analyze_positions(ready, stale, index, mapper)
        # Copies: the project pass adds setup.py/wsgi.py findings to them, and the cache keeps the originals.
        python_results = [copy.copy(s.analysis or s.result) for s in ready]
        # Dependencies, deployment files and templates: after the Python analysis, which they depend on.
        memo = cache.others if cache is not None else None
        other_files, other_diagnostics = audit_project_files(sources, python_results, root, paths, mapper, memo)
    finally:
        mapper.close()
    if cache is not None:
        cache.save({s.source.relpath: (stat[0], stat[1], s.digest, s)
                    for s, stat in zip(ready, stats) if stat is not None and s.digest}, cache.others)


    result = ScanResult(paths=list(paths), root=root, settings=settings)
    result.files = sorted([*python_results, *other_files], key=lambda r: r.path)
    result.diagnostics = sorted(set(diagnostics + other_diagnostics + [d for r in result.files for d in r.diagnostics]))
    result.duration = time.perf_counter() - started
    return result


def index_project(sources: list[SourceFile], jobs: int = 1) -> ProjectIndex:
    """The project index alone, for front ends that analyse one file at a time (the flake8 plugin):
    analyse what can define Flask objects (in import order), and the files that create objects from
    project classes or factories, until the index stops changing."""
    mapper = _Mapper(jobs, len(sources))
    try:
        summaries: list[FileSummary] = mapper(_summarize, sources)
        for level in definer_levels(summaries):
            _analyze_positions(summaries, level, build_index(summaries), mapper)
        for _ in range(MAX_INDEX_ROUNDS):
            index = build_index(summaries)
            creating = [i for i, s in enumerate(summaries)
                        if s.readable and any(_creates(index.lookup(m, n)) for m, n in s.imported)
                        and not _still_valid(s.analysis, index)]
            if not creating:
                return index
            _analyze_positions(summaries, creating, index, mapper)
        return build_index(summaries)
    finally:
        mapper.close()


def _creates(qual: str | None) -> bool:
    """A project class standing for a Flask one (`CatalogBlueprint`) or a factory (`create_app`)."""
    if not qual:
        return False
    return qual.startswith("->") or (not qual.endswith("()") and qual.rpartition(".")[2][:1].isupper())


def may_hold_findings(text: str, relpath: str, index: ProjectIndex | None) -> bool:
    """The pre-filter of a single file: it mentions Flask, or imports a name the index binds."""
    if mentions_interest(text):
        return True
    if index is None:
        return False
    module = module_name_for(relpath)
    imports = text_imports(text, module, relpath.endswith("__init__.py"))
    return any(item.name and index.lookup(item.module, item.name) for item in imports)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _cached_summary(cache: ResultCache | None, source: SourceFile, stat: tuple[int, int] | None) -> FileSummary | None:
    """The cached summary of a file whose size and modification time are unchanged."""
    if cache is None or stat is None:
        return None
    summary = cache.get(source.relpath, *stat)
    if summary is None:
        return None
    summary.source = source  # the tree may have moved; relative paths are what the cache is keyed by
    return summary


def _analyze_positions(summaries: list[FileSummary], positions: list[int], index: ProjectIndex,
                       mapper: _Mapper, progress: ProgressCallback | None = None) -> None:
    results = mapper(_analyze_one, [summaries[i].source for i in positions], index, progress=progress)
    for i, analysis in zip(positions, results):
        summaries[i].analysis = analysis
