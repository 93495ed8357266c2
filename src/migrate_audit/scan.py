"""Orchestration: discover files, build the project index, analyse the files that can hold findings.

Every Python file is read once and summarised from its text alone: its imports, and whether it
mentions Flask (or an extension). Files that cannot hold a finding are never parsed; they only count
towards the codebase's size. The others are analysed in the order of
their imports of each other (`import_levels`), each seeing the project index (which names each module
binds to Flask objects: `db = SQLAlchemy()`, `class User(db.Model)`, `bp = Blueprint(...)`) built from
the files before it. An analysis records what it asked the index; only an analysis whose answers
changed (an import cycle) is redone, and one the final index says was not needed is dropped, so the
order decides how often files are analysed, never what is reported.

A sharded scan (shard.py) runs the same steps over the same files, but analyses the files of other
shards exports-only (names, no rules), and reports its own files only.
"""
from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from . import names
from .config import Settings
from .discovery import Discovered, discover
from .engine import analyze_python, analyze_python_checked
from .graph import strongly_connected
from .model import Diagnostic, FileResult, SourceFile, SyntaxCheck
from .prefilter import mentions_interest, text_imports
from .progress import ANALYSING, PROJECT_FILES, READING, phase
from .flow import passes_flask
from .pytest_fixtures import conftest_modules, fixtures_reach
from .testpaths import is_pytest_module
from .index.build import IndexBuilder, build_index, index_contribution
from .index.resolve import ModuleNames, ProjectIndex, answers_hold, module_name_for
from .index.result_cache import ResultCache, content_hash
from .shard import Shard, tree_digest
from .source import (MAX_FILE_BYTES, BinaryFile, FileTooLarge, NotRegularFile, count_code_lines, decode_python,
                     read_regular_file)
from .index.summary import FileSummary, text_digest
from .workers import Mapper, ProgressCallback, gc_tuned

MAX_INDEX_ROUNDS = 6


@dataclass
class ScanResult:
    paths: list[str]
    root: str
    settings: Settings
    files: list[FileResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    duration: float = 0.0
    shard: Shard | None = None  # set when only this shard's files are reported
    tree: str = ""  # shard.tree_digest of every discovered file: shards of one project share it


def read_source(path: str, relpath: str) -> tuple[str | None, FileResult]:
    """Read and decode one file; on failure the FileResult carries the diagnostic and the text is None."""
    text, result, _ = _read(path, relpath)
    return text, result


def _read(path: str, relpath: str) -> tuple[str | None, FileResult, str]:
    """`read_source`, plus the content hash of the bytes read (empty when nothing could be read)."""
    result = FileResult(path=relpath, kind="python")
    try:
        data = read_regular_file(path)
    except NotRegularFile:
        # Replaced by a FIFO or device since discovery: opening it for reading could block forever.
        result.diagnostics.append(
            Diagnostic(relpath, "not-a-file", "not a regular file (FIFO, socket or device): not opened")
        )
        return None, result, ""
    except FileTooLarge as exc:
        result.diagnostics.append(
            Diagnostic(relpath, "too-large", f"{exc.args[0] // (1024 * 1024)} MB is over the "
                       f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit; not audited")
        )
        return None, result, ""
    except FileNotFoundError:
        result.diagnostics.append(Diagnostic(relpath, "unreadable", "deleted while the scan ran; not audited"))
        return None, result, ""
    except OSError as exc:
        result.diagnostics.append(Diagnostic(relpath, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None, result, ""
    digest = content_hash(data)
    try:
        decoded = decode_python(data)
    except BinaryFile as exc:
        result.diagnostics.append(Diagnostic(relpath, "binary", str(exc)))
        return None, result, digest
        return None, result, digest
    except Exception as exc:  # noqa: BLE001 - a decoding bug must cost one file, not the scan
        result.diagnostics.append(Diagnostic(relpath, "internal-error", f"cannot decode: {type(exc).__name__}: {exc}"))
        return None, result, digest
    if decoded.problem:
        result.diagnostics.append(Diagnostic(relpath, "decode-error", decoded.problem))
    result.lines = count_code_lines(decoded.text)
    return decoded.text, result, digest


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
    is_package = source.relpath.endswith("__init__.py")
    imports = text_imports(text, module, is_package)
    summary.imported = frozenset((i.module, i.name) for i in imports if i.name)
    summary.imported_modules = frozenset(i.module for i in imports)
    summary.module_level_imports = frozenset(i.module for i in imports if i.unindented)
    for item in imports:  # re-exports, from the text alone; an analysis replaces them
        if names.is_interesting_module(item.module):
            qual = names.canonical(f"{item.module}.{item.name}" if item.name else item.module)
            summary.exports[item.local] = qual
        elif item.name:
            summary.project_imports[item.local] = (item.module, item.name)
    return summary


def _still_valid(result: FileResult | None, index: ProjectIndex, full: bool = True) -> bool:
    """An analysis stands while the index gives the answers it was made with; where findings are
    reported (`full`), an exports-only analysis (from a sharded scan, or the cache) does not."""
    if result is None or (full and not result.complete):
        return False
    if result.assumed_project_flask is not None and result.assumed_project_flask != index.uses_flask:
        return False
    return answers_hold(result.index_answers, index)


def _may_need_analysis(summary: FileSummary) -> bool:
    """Whatever the index: it mentions Flask, or imports a name from the project, or is a pytest module
    (`_needs_analysis` under some index, maybe)."""
    return summary.readable and bool(summary.interest or summary.imported or is_pytest_module(summary.source.relpath))


def _needs_analysis(summary: FileSummary, index: ProjectIndex) -> bool:
    """Parse a file only if it mentions Flask, or imports a name the project binds to a Flask object, or
    the project passes an app to its functions or to functions it calls too (flow.py), or a conftest above
    it gives its tests a Flask app or test client (testclients.py)."""
    if not summary.readable:
        return False
    return summary.interest or any(index.lookup(module, name) for module, name in summary.imported) \
        or passes_flask(summary.module, summary.imported, index) \
        or fixtures_reach(summary.source.relpath, summary.imported, index)


@dataclass
class Level:
    """Files whose imported modules (from the same set) all come in earlier levels, except those of an
    import cycle with them: `cyclic` lists the members of such cycles, analysed again until their
    answers from the index stop changing, before the next level."""

    files: list[int]
    cyclic: list[int]


def import_levels(summaries: list[FileSummary], members: list[int]) -> list[Level]:
    """`members` in the order of their textual imports of each other, so that a file is analysed after
    the modules it imports and sees their final exports: on indico, 833 analyses instead of 1,291.

    The strongly connected components of the import graph (Tarjan) are ordered by their imports. Inside
    a component (an import cycle), the module-level imports alone order its files: it is usually an
    import inside a function that closes the cycle, and a module's exports never depend on those. Files
    still in a cycle of module-level imports are analysed together, again until their answers from the
    index stop changing."""
    modules: ModuleNames[int] = ModuleNames()
    for i in {summaries[i].module: i for i in members}.values():
        modules.add(summaries[i].module, i)

    def targets(i: int, imported: frozenset[str]) -> list[int]:
        found = {modules.find(module) for module in imported}
        return sorted(t for t in found if t is not None and t != i)

    # pytest hands a conftest's fixtures to the tests below it without an import, and following a test
    # client through a fixture reads the conftest's exports: ordered as if imported, a test module is
    # analysed once, after its conftests, rather than again when their facts arrive.
    # (By exact module name: a conftest is no import, and a suffix match would tie every `conftest` together.)
    by_module = {summaries[i].module: i for i in members}
    fixtures = {i: [by_module[m] for m in conftest_modules(summaries[i].source.relpath)
                    if by_module.get(m, i) != i]
                for i in members if is_pytest_module(summaries[i].source.relpath)}
    every_import = {i: sorted({*targets(i, summaries[i].imported_modules), *fixtures.get(i, ())}) for i in members}
    module_level = {i: sorted({*targets(i, summaries[i].module_level_imports), *fixtures.get(i, ())})
                    for i in members}
    units: list[list[int]] = []  # in dependency order
    for component in strongly_connected(members, every_import):
        if len(component) == 1:
            units.append(component)
            continue
        inside = set(component)
        units.extend(strongly_connected(
            component, {i: [t for t in module_level[i] if t in inside] for i in component}))
    unit_of = {i: k for k, unit in enumerate(units) for i in unit}
    depth: list[int] = []
    for k, unit in enumerate(units):
        # Imports of units that come later are the function-level ones that closed a cycle: not waited for.
        depth.append(max((depth[unit_of[t]] + 1 for i in unit for t in every_import[i]
                          if unit_of[t] < k), default=0))
    levels = [Level([], []) for _ in range(max(depth, default=-1) + 1)]
    for k, unit in enumerate(units):
        level = levels[depth[k]]
        level.files.extend(unit)
        if len(unit) > 1:
            level.cyclic.extend(unit)
    for level in levels:
        level.files.sort()
        level.cyclic.sort()
    return levels


def _summary_crashed(source: SourceFile, reason: str) -> FileSummary:
    return FileSummary(source, module_name_for(source.relpath), _analyze_crashed(source, reason))


def _analyze_crashed(source: SourceFile, reason: str) -> FileResult:
    result = FileResult(path=source.relpath, kind="python")
    result.diagnostics.append(Diagnostic(source.relpath, "internal-error", f"not audited: {reason}"))
    return result


def _analyze_task_crashed(task: tuple[SourceFile, bool, str, SyntaxCheck | None], reason: str) -> tuple[
    FileResult, SyntaxCheck | None, str
]:
    return _analyze_crashed(task[0], reason), None, ""


def _analyze_task(task: tuple[SourceFile, bool, str, SyntaxCheck | None], index: ProjectIndex) -> tuple[
    FileResult, SyntaxCheck | None, str
]:
    """Analyse one file in full, or exports-only when `full` is False (a file another shard reports). The
    task also holds the content hash of the bytes a previous full analysis read and that analysis' syntax
    check, reused when the bytes read now are the same. Returns the analysis, the syntax check of a full
    analysis (else None) and the content hash of the bytes it read."""
    source, full, digest, syntax = task
    if not full:
        return _analyze_one(source, index, exports_only=True), None, ""
    if syntax is not None and digest:
        result, _, read_digest, checked = _analyze_read(source, index, previous=(digest, syntax))
        return result, checked, read_digest
    result = _analyze_one(source, index)
    checked, read_digest = result.__dict__.pop("_syntax_read", (None, ""))
    return result, checked, read_digest


def _analyze_one(source: SourceFile, index: ProjectIndex, exports_only: bool = False) -> FileResult:
    """Analyse one file that may hold findings (read again: summaries do not keep text in memory).
    `exports_only`: only what other files depend on, for a file another shard reports."""
    result, _, digest, syntax = _analyze_read(source, index, exports_only=exports_only)
    if syntax is not None:
        result._syntax_read = (syntax, digest)  # type: ignore[attr-defined]  # taken off by _analyze_task
    return result


def _analyze_read(source: SourceFile, index: ProjectIndex, known_valid: bool = False, exports_only: bool = False,
                  previous: tuple[str, SyntaxCheck | None] = ("", None)) -> tuple[
    FileResult, str, str, SyntaxCheck | None
]:
    """Analyse one file: with `analyze_python`'s `known_valid` or `exports_only`, or else with the syntax
    check `previous` made of the bytes with that content hash. Also returns the `text_digest` of the text
    analysed (empty when it could not be analysed), the content hash of the bytes read, and the syntax
    check of a full analysis (None for an exports-only one, which makes none)."""
    text, result, digest = _read(source.path, source.relpath)
    if text is None:
        # Deleted or changed since it was summarised: say so rather than report stale findings.
        return result, "", digest, None
    known = previous[1] if previous[0] == digest and digest and not (known_valid or exports_only) else None
    try:
        if exports_only:
            analyzed, syntax = analyze_python(text, source.relpath, index, exports_only=True), None
        elif known_valid:
            analyzed, syntax = analyze_python(text, source.relpath, index, known_valid=True), SyntaxCheck()
        elif known is not None:
            analyzed, syntax = analyze_python_checked(text, source.relpath, index, known)
        else:
            analyzed = analyze_python(text, source.relpath, index)
            syntax = _syntax_check_of(analyzed)
    except (RecursionError, MemoryError) as exc:
        result.diagnostics.append(Diagnostic(source.relpath, "too-complex", f"not audited: {type(exc).__name__}"))
        return result, "", digest, None
    except BaseException as exc:  # noqa: BLE001 - one bad file must not stop the scan
        if not is_bug(exc):
            raise  # Ctrl-C, SIGTERM, exit
        result.diagnostics.append(
            Diagnostic(source.relpath, "internal-error", f"not audited: {type(exc).__name__}: {exc}"))
        return result, "", digest, None
    analyzed.lines = result.lines
    analyzed.diagnostics[:0] = result.diagnostics
    return analyzed, text_digest(text), digest, syntax


_SYNTAX_KINDS = ("syntax-error", "newer-syntax")


def _syntax_check_of(analysis: FileResult) -> SyntaxCheck:
    """The syntax check an analysis made, from the diagnostic it gives first (the engine's own, before
    the read diagnostics are put in front): what `analyze_python_checked` takes to skip it."""
    first = analysis.diagnostics[0] if analysis.diagnostics else None
    if first is None or first.kind not in _SYNTAX_KINDS:
        return SyntaxCheck()
    return SyntaxCheck(first.kind, first.message, first.line)


def is_bug(exc: BaseException) -> bool:
    """An exception that means a bug on one input, as opposed to an interrupt. pyo3 (ast-grep-py) turns
    a Rust panic into `PanicException`, which derives from BaseException, not Exception."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def run_scan(paths: list[str], settings: Settings, jobs: int = 1,
             progress: ProgressCallback | None = None, cache_dir: str | None = None,
             shard: Shard | None = None,
             discovered: Discovered | None = None) -> ScanResult:
    """Scan `paths`. With `cache_dir`, summaries and analyses of unchanged files come from the cache.
    With `shard`, every file still counts towards the project index and facts, but only the shard's own
    files are analysed in full and reported (shard.py). `discovered`: what `discover(paths, exclude)`
    gave, when the caller has it already."""
    with gc_tuned():
        return _run_scan(paths, settings, jobs, progress, cache_dir, shard, discovered)


def _run_scan(paths: list[str], settings: Settings, jobs: int, progress: ProgressCallback | None,
              cache_dir: str | None, shard: Shard | None,
              discovered: Discovered | None) -> ScanResult:
    started = time.perf_counter()
    sources, diagnostics, root = discovered or discover(paths, settings.exclude)
    owns = shard.owns if shard is not None else None
    python_files = [s for s in sources if s.kind == "python"]
    cache = ResultCache(cache_dir, paths) if cache_dir else None
    if cache is not None:
        cache.load()
    stats = [_stat(source.path) for source in python_files]
    summaries = _cached_summaries(cache, python_files, stats)
    with Mapper(jobs, summaries.count(None) + len(sources) - len(python_files)) as mapper:
        # Progress counts the files read: the step that grows with the tree (most are never parsed); a
        # display of every phase (progress.py) also hears of the others, and counts the analyses.
        phase(progress, READING)
        changed = _read_summaries(summaries, python_files, cache, mapper, progress)  # the cache file needs writing
        ready: list[FileSummary] = summaries  # type: ignore[assignment]
        full = [owns is None or owns(s.source.relpath) for s in ready]  # findings wanted (else exports only)
        analysing = phase(progress, ANALYSING)
        if analyse_in_import_order(ready, full, lambda positions, index: _analyze_positions(
                ready, positions, index, mapper, full, analysing)):
            changed = True
        phase(progress, PROJECT_FILES)
        # Copies: the project pass adds setup.py/wsgi.py findings to them, and the cache keeps the originals.
        python_results = [copy.copy(s.analysis or s.result) for s in ready]
        # Dependencies, deployment files and templates: after the Python analysis, which they depend on.
        from .filekinds.project import audit_project_files  # not imported by the flake8 plugin: Jinja and co.

        memo = cache.others if cache is not None else None
        stamps = {relpath: entry[0] for relpath, entry in memo.items()} if memo is not None else {}
        other_files, other_diagnostics = audit_project_files(sources, python_results, root, paths, mapper, memo,
                                                             owns=owns)
    if cache is not None:
        entries = {s.source.relpath: (stat[0], stat[1], s.digest, s)
                   for s, stat in zip(ready, stats) if stat is not None and s.digest}
        # A warm scan that analysed nothing would write back what it read: 0.1 s on the bench corpus.
        if changed or entries.keys() != cache.entries.keys() or stamps != {
                relpath: entry[0] for relpath, entry in cache.others.items()}:
            cache.save(entries, cache.others)


    result = ScanResult(paths=list(paths), root=root, settings=settings, shard=shard)
    result.tree = tree_digest([*((s.source.relpath, "python", s.digest) for s in ready),
                               *((s.relpath, s.kind, "") for s in sources if s.kind != "python")])
    if owns is not None:
        python_results = [r for r, wanted in zip(python_results, full) if wanted]
        diagnostics = [d for d in diagnostics if owns(d.path)]
    result.files = sorted([*python_results, *other_files], key=lambda r: r.path)
    result.diagnostics = sorted(set(diagnostics + other_diagnostics + [d for r in result.files for d in r.diagnostics]))
    result.duration = time.perf_counter() - started
    return result


def analyse_in_import_order(summaries: list[FileSummary], full: list[bool],
                             analyse: Callable[[list[int], ProjectIndex], None]) -> bool:
    """Give every file that needs one an analysis consistent with the final project index, calling
    `analyse(positions, index)`; True when anything was analysed or dropped. `full[i]`: findings are
    wanted (else an exports-only analysis will do).

    Every file that may need an analysis (it mentions Flask, or imports from the project: a model class
    of `db.Model` may be all that makes it need one) is taken in import order (`import_levels`), so it
    sees the final exports of what it imports; an import cycle is analysed again until its answers from
    the index hold. Then, until nothing changes: analyses that a transient index asked for and the final
    one does not are dropped (the report must not depend on the order of analysis), and whatever is
    stale is analysed again."""
    changed = False
    candidates = [i for i, s in enumerate(summaries) if _may_need_analysis(s)]

    def missing(i: int) -> bool:
        analysis = summaries[i].analysis
        return analysis is None or (full[i] and not analysis.complete)

    builder = IndexBuilder(summaries)
    index = builder.build()
    # Only files without an analysis are ordered: one whose kept analysis no longer holds is analysed
    # again below, like every other, until the index settles. So a warm re-scan orders nothing, and one
    # after an edit orders what changed, not the whole project (0.05 s on indico).
    unanalysed = [i for i in candidates if missing(i)]
    pending = any(_needs_analysis(summaries[i], index) for i in unanalysed)
    for level in import_levels(summaries, unanalysed) if pending else []:
        stale = [i for i in level.files if _needs_analysis(summaries[i], index) and missing(i)]
        for _ in range(MAX_INDEX_ROUNDS):
            if not stale:
                break
            analyse(stale, index)
            changed = True
            index = builder.build()
            stale = [i for i in level.cyclic if _needs_analysis(summaries[i], index)
                     and not _still_valid(summaries[i].analysis, index, full[i])]
    current = True  # whether `index` is built from the analyses as they are now
    for _ in range(MAX_INDEX_ROUNDS):
        if not current:
            index = builder.build()
        unneeded = [i for i, s in enumerate(summaries) if s.analysis is not None and not _needs_analysis(s, index)]
        if unneeded:
            for i in unneeded:
                summaries[i].analysis = None
            changed = True
            index = builder.build()
        stale = [i for i, s in enumerate(summaries)
                 if _needs_analysis(s, index) and not _still_valid(s.analysis, index, full[i])]
        if not stale:
            break
        analyse(stale, index)
        changed = True
        current = False
    return changed


def index_project(sources: list[SourceFile], jobs: int = 1, cache: SummaryCache | None = None,
                  stats: list[tuple[int, int] | None] | None = None) -> tuple[ProjectIndex, list[FileSummary]]:
    """The project index alone, for front ends that analyse one file at a time (the flake8 plugin),
    made by the very steps of a scan (`analyse_in_import_order`), so it knows what the scan's does; with
    the summaries of `sources`, in order.

    These analyses skip Python's syntax check (the index needs only what files bind), so each one is
    `analyze_python(text, relpath, index, known_valid=True)` for the final index, and `analysed_text`
    says which text it was made from: a front end that checks only files Python parses need not analyse
    them a second time. A summary whose analysis the final index does not confirm has none.

    With `cache` (and each source's (size, mtime_ns) in `stats`), the summaries of unchanged files come
    from there, as in a scan: only new and changed files are read, and only they and the files whose
    answers from the index they change are analysed again."""
    summaries = _cached_summaries(cache, sources, stats or [None] * len(sources))
    with gc_tuned():
        if cache is not None:
            # Most analyses will be kept (an edit, a fresh checkout of the same code), and reading is cheap
            # next to analysing: read here, and start workers only for what is left to analyse.
            with Mapper(1, 0) as here:
                _read_summaries(summaries, sources, cache, here)
        to_analyse = sum(1 for s in summaries if s is None or (s.analysis is None and _may_need_analysis(s)))
        with Mapper(jobs, to_analyse) as mapper:
            _read_summaries(summaries, sources, cache, mapper)  # all of them, without a cache
            ready: list[FileSummary] = summaries  # type: ignore[assignment]
            analyse_in_import_order(ready, [True] * len(ready), lambda positions, index: _index_positions(
                ready, positions, index, mapper))
        index = build_index(ready)
    for summary in ready:
        if summary.analysis is not None and not (summary.analysed_text and _still_valid(summary.analysis, index)):
            summary.analysis, summary.syntax, summary.analysed_digest, summary.analysed_text = None, None, "", ""
    return index, ready


def reanalysed(source: SourceFile, index: ProjectIndex, before: FileSummary) -> FileSummary | None:
    """`source` summarised again, and analysed as `index_project` would under `index`, when it still tells
    the index what `before` told it (the same exports, re-exports and Flask mention): then `index` and
    every other file's analysis stand, and a front end need not make the index again after an edit.
    None when it tells the index something else."""
    summary = _summarize(source)
    if summary.digest and summary.digest == before.digest:  # touched, not changed
        _keep_analysis(summary, before)
    elif _needs_analysis(summary, index):
        summary.analysis, summary.analysed_text, summary.analysed_digest, summary.syntax = _analyze_read(
            source, index, True)
    same = (summary.module == before.module and summary.mentions_flask == before.mentions_flask
            and index_contribution(summary) == index_contribution(before))
    return summary if same else None


def _index_positions(summaries: list[FileSummary], positions: list[int], index: ProjectIndex,
                     mapper: Mapper) -> None:
    results = mapper(_analyze_read, [summaries[i].source for i in positions], index, True,
                     on_crash=lambda source, reason: (_analyze_crashed(source, reason), "", "", None),
                     costs=[summaries[i].result.lines for i in positions])
    for i, result in zip(positions, results):  # _analyze_read's (analysis, text digest, bytes digest, check)
        summary = summaries[i]
        summary.analysis, summary.analysed_text, summary.analysed_digest, summary.syntax = result


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class SummaryCache(Protocol):
    """Summaries from an earlier run (`cache.ResultCache`; the flake8 plugin has its own)."""

    def get(self, relpath: str, size: int, mtime_ns: int) -> FileSummary | None: ...

    def get_by_hash(self, digest: str) -> FileSummary | None: ...


def _cached_summaries(cache: SummaryCache | None, sources: list[SourceFile],
                      stats: list[tuple[int, int] | None]) -> list[FileSummary | None]:
    """The cached summary of each file whose size and modification time are unchanged; None for the others."""
    if cache is None:
        return [None] * len(sources)
    summaries: list[FileSummary | None] = []
    for source, stamp in zip(sources, stats):
        summary = cache.get(source.relpath, *stamp) if stamp is not None else None
        if summary is not None:
            summary.source = source  # the tree may have moved; relative paths are what the cache is keyed by
        summaries.append(summary)
    return summaries


def _read_summaries(summaries: list[FileSummary | None], sources: list[SourceFile], cache: SummaryCache | None,
                    mapper: Mapper, progress: ProgressCallback | None = None) -> bool:
    """Summarise the files `summaries` has none for, in place; True when there was any. A file touched but
    not changed (the same bytes) keeps its cached analysis, which may still hold."""
    missing = [i for i, s in enumerate(summaries) if s is None]
    read = mapper(_summarize, [sources[i] for i in missing], progress=progress, on_crash=_summary_crashed)
    for i, summary in zip(missing, read):
        previous = cache.get_by_hash(summary.digest) if cache is not None and summary.digest else None
        if previous is not None and previous.source.relpath == summary.source.relpath:
            _keep_analysis(summary, previous)
        summaries[i] = summary
    return bool(missing)


def _keep_analysis(summary: FileSummary, previous: FileSummary) -> None:
    """`summary` of the same bytes as `previous` takes its analysis, which may still hold."""
    summary.analysis, summary.syntax = previous.analysis, previous.syntax
    summary.analysed_digest, summary.analysed_text = previous.analysed_digest, previous.analysed_text


def _analyze_positions(summaries: list[FileSummary], positions: list[int], index: ProjectIndex,
                       mapper: Mapper, full: list[bool] | None = None,
                       progress: ProgressCallback | None = None) -> None:
    """Analyse the files at `positions`: in full, or exports-only where `full` says so (sharded scans)."""
    tasks = [(summaries[i].source, full is None or full[i], summaries[i].analysed_digest, summaries[i].syntax)
             for i in positions]
    results = mapper(_analyze_task, tasks, index, on_crash=_analyze_task_crashed,
                     costs=[summaries[i].result.lines for i in positions], progress=progress)
    for i, (analysis, syntax, digest) in zip(positions, results):
        summaries[i].analysis, summaries[i].syntax, summaries[i].analysed_digest = analysis, syntax, digest
