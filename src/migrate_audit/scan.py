"""Orchestration: discover files, build the project index, analyse the files that can hold findings.

Every Python file is read once and summarised from its text alone: its imports, and whether it
mentions Flask (or an extension). Files that cannot hold a finding are never parsed; they only count
towards the codebase's size. The others are analysed in the order of their imports of each other
(import_order.py), each as soon as the files it imports are, seeing the project index (which names each
module binds to Flask objects: `db = SQLAlchemy()`, `class User(db.Model)`, `bp = Blueprint(...)`) built
from the files before it. An analysis records what it asked the index; only an analysis whose answers
changed (an import cycle) is redone, and one the final index says was not needed is dropped, so the
order decides how often files are analysed, never what is reported. Meanwhile, workers that would wait
for analyses draft the templates (filekinds/drafts.py).

A sharded scan (shard.py) runs the same steps over the same files, but analyses the files of other
shards exports-only (names, no rules), and reports its own files only.
"""
from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from . import names
from .config import Settings
from .discovery import Discovered, discover
from .engine import analyze_python, analyze_python_checked
from .import_order import Schedule, Unit, import_units
from .model import Diagnostic, FileResult, SourceFile, SyntaxCheck
from .prefilter import mentions_interest, text_imports
from .progress import ANALYSING, PROJECT_FILES, READING, phase
from .flow import passes_flask
from .pytest_fixtures import fixtures_reach
from .testpaths import is_pytest_module
from .index.build import IndexBuilder, build_index, index_contribution
from .index.resolve import ProjectIndex, answers_hold, module_name_for
from .index.result_cache import ResultCache, content_hash
from .shard import Shard, tree_digest
from .template_facts import route_parameter_names, template_context_names
from .source import (MAX_FILE_BYTES, BinaryFile, FileTooLarge, NotRegularFile, count_code_lines, decode_python,
                     read_regular_file)
from .index.summary import FileSummary, text_digest
from .workers import Mapper, ProgressCallback, gc_tuned

MAX_INDEX_ROUNDS = 6
# Template bytes drafted while the scan works out the analysis order, with the workers idle.
SPARE_AT_START = 256 * 1024
# Spare work is given while the workers have no more than this many chunks each left: the parent's
# pauses (an index build before analyses start) then find them busy, and an analysis waits little.
SPARE_QUEUE = 2


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


def _read(path: str, relpath: str, known: tuple[str, int] = ("", 0)) -> tuple[str | None, FileResult, str]:
    """`read_source`, plus the content hash of the bytes read (empty when nothing could be read).
    `known`: (content hash, code lines) of the bytes the file's summary read: the same bytes again, for
    an analysis, need not be counted again."""
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
    result.lines = known[1] if known[0] == digest and digest else count_code_lines(decoded.text)
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
    if summary.interest or summary.imported:
        # What its analysis will tell the template pass, read as the engine reads it: the scan's guess of
        # the project facts that templates are drafted under (filekinds/drafts.py). Taken off the
        # summary by `_read_summaries`.
        summary.__dict__["_template_names"] = (route_parameter_names(text) if "<" in text else (),
                                               template_context_names(text) if "template" in text else ())
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


def _summary_crashed(source: SourceFile, reason: str) -> FileSummary:
    return FileSummary(source, module_name_for(source.relpath), _analyze_crashed(source, reason))


def _analyze_crashed(source: SourceFile, reason: str) -> FileResult:
    result = FileResult(path=source.relpath, kind="python")
    result.diagnostics.append(Diagnostic(source.relpath, "internal-error", f"not audited: {reason}"))
    return result


# What `_analyze_task` gets of one file: the file, whether findings are wanted (else exports-only), the
# content hash and syntax check of its latest analysis, and (content hash, code lines) of its summary.
AnalysisTask = tuple[SourceFile, bool, str, "SyntaxCheck | None", tuple[str, int]]


def _analyze_task_crashed(task: AnalysisTask, reason: str) -> tuple[
    FileResult, SyntaxCheck | None, str
]:
    return _analyze_crashed(task[0], reason), None, ""


def _analyze_task(task: AnalysisTask, index: ProjectIndex) -> tuple[
    FileResult, SyntaxCheck | None, str
]:
    """Analyse one file in full, or exports-only when `full` is False (a file another shard reports). The
    task also holds the content hash of the bytes a previous full analysis read and that analysis' syntax
    check, reused when the bytes read now are the same. Returns the analysis, the syntax check of a full
    analysis (else None) and the content hash of the bytes it read."""
    source, full, digest, syntax, known = task
    if not full:
        return _analyze_one(source, index, exports_only=True, known=known), None, ""
    if syntax is not None and digest:
        result, _, read_digest, checked = _analyze_read(source, index, previous=(digest, syntax), known=known)
        return result, checked, read_digest
    result = _analyze_one(source, index, known=known)
    checked, read_digest = result.__dict__.pop("_syntax_read", (None, ""))
    return result, checked, read_digest


def _analyze_one(source: SourceFile, index: ProjectIndex, exports_only: bool = False,
                 known: tuple[str, int] = ("", 0)) -> FileResult:
    """Analyse one file that may hold findings (read again: summaries do not keep text in memory).
    `exports_only`: only what other files depend on, for a file another shard reports. `known`: as `_read`
    takes it."""
    result, _, digest, syntax = _analyze_read(source, index, exports_only=exports_only, known=known)
    if syntax is not None:
        result._syntax_read = (syntax, digest)  # type: ignore[attr-defined]  # taken off by _analyze_task
    return result


def _analyze_read(source: SourceFile, index: ProjectIndex, known_valid: bool = False, exports_only: bool = False,
                  previous: tuple[str, SyntaxCheck | None] = ("", None), digest_text: bool = False,
                  known: tuple[str, int] = ("", 0)) -> tuple[
    FileResult, str, str, SyntaxCheck | None
]:
    """Analyse one file: with `analyze_python`'s `known_valid` or `exports_only`, or else with the syntax
    check `previous` made of the bytes with that content hash. Also returns the `text_digest` of the text
    analysed when `digest_text` (else, and when it could not be analysed, it is empty: only the flake8
    plugin's index keeps it, and hashing every text again was 1 % of a scan's CPU), the content hash of
    the bytes read, and the syntax check of a full analysis (None for an exports-only one, which makes
    none). `known`: as `_read` takes it."""
    text, result, digest = _read(source.path, source.relpath, known)
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
    return analyzed, text_digest(text) if digest_text else "", digest, syntax


def _analyze_for_index(source: SourceFile, index: ProjectIndex) -> tuple[FileResult, str, str, SyntaxCheck | None]:
    """The analysis `index_project` makes: `analyze_python(..., known_valid=True)`, with the `text_digest`
    of the text analysed (`FileSummary.analysed_text`)."""
    return _analyze_read(source, index, known_valid=True, digest_text=True)


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
        every_summary_read = summaries.count(None) == len(summaries)
        template_names: tuple[set[str], set[str]] = (set(), set())
        # True: the cache file needs writing.
        changed = _read_summaries(summaries, python_files, cache, mapper, progress, template_names)
        ready: list[FileSummary] = summaries  # type: ignore[assignment]
        full = [owns is None or owns(s.source.relpath) for s in ready]  # findings wanted (else exports only)
        from .filekinds._base import ProjectFacts  # not imported by the flake8 plugin: Jinja and co.
        from .filekinds.drafts import Drafting
        from .filekinds.project import audit_project_files

        memo = cache.others if cache is not None else None
        stamps = {relpath: entry[0] for relpath, entry in memo.items()} if memo is not None else {}
        analysing = phase(progress, ANALYSING)
        # Templates are drafted by workers the Python analysis leaves waiting (filekinds/drafts.py), under
        # the facts the files that may be analysed will give, as read from their text (a summary from the
        # cache does not say: then, none is drafted).
        drafting = Drafting(sources, memo, owns) if mapper.parallel and every_summary_read else None
        spare = _SpareWork(drafting, mapper, ProjectFacts(frozenset(), frozenset(template_names[0]), frozenset(
            template_names[1]))) if drafting is not None and drafting.todo else None
        if spare is not None:
            spare.give(SPARE_AT_START)  # the workers wait while the analysis order is worked out
        analyses = _MapperAnalyses(mapper, lambda positions, index: _analyze_positions(
            ready, positions, index, mapper, full), lambda arrived: _store_analyses(ready, arrived), spare)
        if analyse_in_import_order(ready, full, analyses, analysing):
            changed = True
        analyses.finish()
        phase(progress, PROJECT_FILES)
        # Copies: the project pass adds setup.py/wsgi.py findings to them, and the cache keeps the originals.
        python_results = [copy.copy(s.analysis or s.result) for s in ready]
        # Dependencies, deployment files and templates: after the Python analysis, which they depend on.
        other_files, other_diagnostics = audit_project_files(sources, python_results, root, paths, mapper, memo,
                                                             owns=owns,
                                                             drafts=drafting.drafts if drafting else None)
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


class Analyses(Protocol):
    """Analyses run in the background (a `Mapper`'s workers): `start(positions, index)` them, and
    `arrived()` gives the positions whose analyses are now in their summaries, after waiting for something
    to arrive when nothing has (maybe other work: then none); `running`: whether any analysis is still
    running; `hungry`: whether the workers run short of work (time to start more)."""

    def start(self, positions: list[int], index: ProjectIndex) -> None: ...

    def arrived(self) -> list[int]: ...

    @property
    def running(self) -> bool: ...

    @property
    def hungry(self) -> bool: ...


class _MapperAnalyses:
    """`Analyses` in a Mapper's workers: `begin(positions, index)` submits them, `store(arrived)` puts
    the (position, result) pairs `Mapper.collect` gives into the summaries. With `spare`, workers that
    would wait for analyses get other work (`_SpareWork`) meanwhile."""

    def __init__(self, mapper: Mapper, begin: Callable[[list[int], ProjectIndex], None],
                 store: Callable[[list], None], spare: _SpareWork | None = None) -> None:
        self.mapper, self.begin, self.store, self.spare = mapper, begin, store, spare
        self.started = 0
        self.done = 0

    def start(self, positions: list[int], index: ProjectIndex) -> None:
        self.started += len(positions)
        self.begin(positions, index)

    def arrived(self) -> list[int]:
        if self.spare is not None and self.mapper.short_of_work(SPARE_QUEUE) and self.mapper.parallel:
            self.spare.give()
        pairs = self.mapper.collect()
        analyses = [(key, result) for key, result in pairs if isinstance(key, int)]
        if self.spare is not None and len(analyses) < len(pairs):
            for key, result in pairs:
                if not isinstance(key, int):
                    self.spare.keep(key, result)
        self.store(analyses)
        self.done += len(analyses)
        return [i for i, _ in analyses]

    @property
    def running(self) -> bool:
        return self.started > self.done

    @property
    def hungry(self) -> bool:
        return self.mapper.hungry

    def finish(self) -> None:
        """Wait for the spare work still running."""
        while self.mapper.running:
            for key, result in self.mapper.collect():
                self.spare.keep(key, result)  # type: ignore[union-attr]  # only spare work is left


class _SpareWork:
    """Templates drafted (filekinds/drafts.py) by workers the Python analysis leaves waiting, under a
    guess of the project facts."""

    def __init__(self, drafting: Any, mapper: Mapper, facts: Any) -> None:
        self.drafting, self.mapper, self.facts = drafting, mapper, facts

    def give(self, budget: int | None = None) -> None:
        from .filekinds.drafts import draft_template

        tasks = self.drafting.take() if budget is None else self.drafting.take(budget)
        if tasks:
            self.mapper.submit(draft_template, [task[:3] for task in tasks], self.facts,
                               keys=[("draft", task[2]) for task in tasks], on_crash=_no_draft,
                               costs=[task[3] for task in tasks], chunks=1 if budget is None else None)

    def keep(self, key: tuple[str, str], draft: Any) -> None:
        self.drafting.keep(key[1], draft)


def _no_draft(task: object, reason: str) -> None:
    return None  # the template is analysed after the Python analysis, where a crash is reported


def analyse_in_import_order(summaries: list[FileSummary], full: list[bool], analyses: Analyses,
                             progress: ProgressCallback | None = None) -> bool:
    """Give every file that needs one an analysis consistent with the final project index, run by
    `analyses`; True when anything was analysed or dropped. `full[i]`: findings are wanted (else an
    exports-only analysis will do). `progress(done, started)` hears of every analysis that arrives.

    Every file that may need an analysis (it mentions Flask, or imports from the project: a model class
    of `db.Model` may be all that makes it need one) is taken in import order (import_order.py), so it
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
    counts = [0, 0]  # analyses arrived, started

    def start(positions: list[int], index: ProjectIndex) -> None:
        counts[1] += len(positions)
        analyses.start(positions, index)

    def arrived() -> list[int]:
        positions = analyses.arrived()
        counts[0] += len(positions)
        if progress and positions:
            progress(counts[0], counts[1])
        return positions

    # Only files without an analysis are ordered: one whose kept analysis no longer holds is analysed
    # again below, like every other, until the index settles. So a warm re-scan orders nothing, and one
    # after an edit orders what changed, not the whole project (0.05 s on indico).
    unanalysed = [i for i in candidates if missing(i)]
    if any(_needs_analysis(summaries[i], index) for i in unanalysed):
        _analyse_units(summaries, full, import_units(summaries, unanalysed), builder, start, arrived,
                       analyses, missing)
        changed = True
    current = False  # whether `index` is built from the analyses as they are now
    needed: dict[int, bool] = {}  # `_needs_analysis` under `index`, as asked: the workers wait meanwhile

    def needs(i: int) -> bool:
        if i not in needed:
            needed[i] = _needs_analysis(summaries[i], index)
        return needed[i]

    for _ in range(MAX_INDEX_ROUNDS):
        if not current:
            index = builder.build()
            needed.clear()
        unneeded = [i for i, s in enumerate(summaries) if s.analysis is not None and not needs(i)]
        if unneeded:
            for i in unneeded:
                summaries[i].analysis = None
            changed = True
            index = builder.build()
            needed.clear()
        stale = [i for i, s in enumerate(summaries) if needs(i) and not _still_valid(s.analysis, index, full[i])]
        if not stale:
            break
        start(stale, index)
        while analyses.running:
            arrived()
        changed = True
        current = False
    return changed


def _analyse_units(summaries: list[FileSummary], full: list[bool], units: list[Unit], builder: IndexBuilder,
                   start: Callable[[list[int], ProjectIndex], None], arrived: Callable[[], list[int]],
                   analyses: Analyses, missing: Callable[[int], bool]) -> None:
    """Analyse `units` (`import_units`), each once the units it waits for are done, with an index built
    from every analysis arrived by then. A unit's files start together; an import cycle's are analysed
    again, with the index their own analyses make, until their answers from it hold (at most
    MAX_INDEX_ROUNDS rounds), before the units waiting for it may start.

    The index is built again only when work is started, and work is started only when the workers run
    short of it (`Analyses.hungry`): analyses arrive a few at a time, and a build for each arrival
    would cost more than the waits it saves (an index build looks at every file of the project)."""
    # A unit that settles a cycle usually analyses little: its files' first analyses were units of their own.
    schedule = Schedule(units, [1 if unit.settles else sum(summaries[i].result.lines for i in unit.files) + 1
                                for unit in units])
    rounds = [0] * len(units)  # analysis rounds each unit has started
    left = [0] * len(units)  # analyses of each unit's current round not yet arrived
    unit_of: dict[int, int] = {}  # the unit whose round started each running analysis (a cycle's file has two)
    index, fresh = builder.build(), True  # fresh: built from every analysis arrived
    to_check = schedule.ready()  # units that may start a round: the index says whether they need one
    while True:
        if to_check and (analyses.hungry or not analyses.running):
            if not fresh:
                index, fresh = builder.build(), True
            batch: list[int] = []
            while to_check:
                for k in to_check:
                    unit = units[k]
                    if rounds[k] == 0 and not unit.settles:
                        stale = [i for i in unit.files if _needs_analysis(summaries[i], index) and missing(i)]
                    elif unit.cyclic and rounds[k] < MAX_INDEX_ROUNDS:
                        stale = [i for i in unit.files if _needs_analysis(summaries[i], index)
                                 and not _still_valid(summaries[i].analysis, index, full[i])]
                    else:
                        stale = []
                    if stale:
                        rounds[k] += 1
                        left[k] = len(stale)
                        batch.extend(stale)
                        unit_of.update((i, k) for i in stale)
                    else:
                        schedule.done(k)  # nothing (more) to analyse: the units waiting for it may start
                to_check = schedule.ready()  # against the same index: a unit done unanalysed changes nothing
            if batch:
                start(batch, index)
            continue
        if not analyses.running:
            if not to_check:
                return
            continue  # hungry now
        for i in arrived():
            fresh = False
            k = unit_of.pop(i)
            left[k] -= 1
            if not left[k]:
                to_check.append(k)


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
            analyses = _MapperAnalyses(mapper, lambda positions, index: _index_positions(
                ready, positions, index, mapper), lambda arrived: _store_index_analyses(ready, arrived))
            analyse_in_import_order(ready, [True] * len(ready), analyses)
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
    summary.__dict__.pop("_template_names", None)  # for a scan's template drafts only
    if summary.digest and summary.digest == before.digest:  # touched, not changed
        _keep_analysis(summary, before)
    elif _needs_analysis(summary, index):
        summary.analysis, summary.analysed_text, summary.analysed_digest, summary.syntax = _analyze_for_index(
            source, index)
    same = (summary.module == before.module and summary.mentions_flask == before.mentions_flask
            and index_contribution(summary) == index_contribution(before))
    return summary if same else None


def _index_positions(summaries: list[FileSummary], positions: list[int], index: ProjectIndex,
                     mapper: Mapper) -> None:
    """Start the analyses `index_project` makes of the files at `positions` (`_store_index_analyses`
    keeps them)."""
    mapper.submit(_analyze_for_index, [summaries[i].source for i in positions], index, keys=positions,
                  on_crash=_index_crashed, costs=[summaries[i].result.lines for i in positions])


def _index_crashed(source: SourceFile, reason: str) -> tuple[FileResult, str, str, None]:
    return _analyze_crashed(source, reason), "", "", None


def _store_index_analyses(summaries: list[FileSummary], arrived: list) -> None:
    for i, result in arrived:  # _analyze_read's (analysis, text digest, bytes digest, check)
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
                    mapper: Mapper, progress: ProgressCallback | None = None,
                    template_names: tuple[set[str], set[str]] | None = None) -> bool:
    """Summarise the files `summaries` has none for, in place; True when there was any. A file touched but
    not changed (the same bytes) keeps its cached analysis, which may still hold. `template_names` gets
    the route parameters and template context names of the files read that may need an analysis."""
    missing = [i for i, s in enumerate(summaries) if s is None]
    read = mapper(_summarize, [sources[i] for i in missing], progress=progress, on_crash=_summary_crashed)
    for i, summary in zip(missing, read):
        names = summary.__dict__.pop("_template_names", None)
        if names is not None and template_names is not None:
            template_names[0].update(names[0])
            template_names[1].update(names[1])
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
                       mapper: Mapper, full: list[bool] | None = None) -> None:
    """Start analysing the files at `positions`: in full, or exports-only where `full` says so (sharded
    scans); `_store_analyses` keeps what arrives."""
    tasks = [(summaries[i].source, full is None or full[i], summaries[i].analysed_digest, summaries[i].syntax,
              (summaries[i].digest, summaries[i].result.lines)) for i in positions]
    mapper.submit(_analyze_task, tasks, index, keys=positions, on_crash=_analyze_task_crashed,
                  costs=[summaries[i].result.lines for i in positions])


def _store_analyses(summaries: list[FileSummary], arrived: list) -> None:
    for i, (analysis, syntax, digest) in arrived:
        summaries[i].analysis, summaries[i].syntax, summaries[i].analysed_digest = analysis, syntax, digest
