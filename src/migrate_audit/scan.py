"""Orchestration: discover files, build the project index, analyse every file, collect the results.

Two passes over Python files: the first records which names each module binds to Flask objects (the
project index: `db = SQLAlchemy()` in extensions.py), the second analyses each file with that index so
`from .extensions import db` resolves. A textual pre-filter keeps files that cannot mention Flask from
being parsed at all; they still count towards the codebase's size.
"""
from __future__ import annotations

import os
import re
import signal
import stat
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import names
from .config import Settings
from .discovery import SourceFile, discover
from .engine import analyze_python, collect_exports
from .model import Diagnostic, FileResult
from .resolve import ProjectIndex, module_name_for
from .source import BinaryFile, count_code_lines, decode_python

MAX_FILE_BYTES = 50 * 1024 * 1024
PARALLEL_MIN_FILES = 64  # below this, process start-up costs more than it saves

ProgressCallback = Callable[[int, int], None]


@dataclass
class ScanResult:
    paths: list[str]
    root: str
    settings: Settings
    files: list[FileResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    duration: float = 0.0


def _interest_regex(extra: Iterable[str] = ()) -> re.Pattern[str]:
    words = sorted(set(names.interest_roots()) | set(extra))
    return re.compile(r"\b(?:flask\w*|" + "|".join(re.escape(w) for w in words) + r")\b")


def read_source(path: str, relpath: str) -> tuple[str | None, FileResult]:
    """Read and decode one file; on failure the FileResult carries the diagnostic and the text is None."""
    result = FileResult(path=relpath, kind="python")
    try:
        data = _read_regular_file(path)
    except _NotRegular:
        # Replaced by a FIFO or device since discovery: opening it for reading could block forever.
        result.diagnostics.append(
            Diagnostic(relpath, "not-a-file", "not a regular file (FIFO, socket or device): not opened")
        )
        return None, result
    except _TooLarge as exc:
        result.diagnostics.append(
            Diagnostic(relpath, "too-large", f"{exc.args[0] // (1024 * 1024)} MB is over the "
                       f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit; not audited")
        )
        return None, result
    except FileNotFoundError:
        result.diagnostics.append(Diagnostic(relpath, "unreadable", "deleted while the scan ran; not audited"))
        return None, result
    except OSError as exc:
        result.diagnostics.append(Diagnostic(relpath, "unreadable", f"cannot read: {exc.strerror or exc}"))
        return None, result
    try:
        decoded = decode_python(data)
    except BinaryFile as exc:
        result.diagnostics.append(Diagnostic(relpath, "binary", str(exc)))
        return None, result
    except Exception as exc:  # noqa: BLE001 - a decoding bug must cost one file, not the scan
        result.diagnostics.append(Diagnostic(relpath, "internal-error", f"cannot decode: {type(exc).__name__}: {exc}"))
        return None, result
    if decoded.problem:
        result.diagnostics.append(Diagnostic(relpath, "decode-error", decoded.problem))
    result.lines = count_code_lines(decoded.text)
    return decoded.text, result


class _NotRegular(Exception):
    pass


class _TooLarge(Exception):
    pass


def _read_regular_file(path: str) -> bytes:
    """The bytes of a regular file, checked on the open descriptor (no race with discovery's check):
    O_NONBLOCK so that a FIFO swapped in never blocks the open, and a size limit that holds even when the
    file grows while it is read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(path)
        if info.st_size > MAX_FILE_BYTES:
            raise _TooLarge(info.st_size)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _TooLarge(len(data))
        return data
    finally:
        os.close(fd)


def _index_one(source: SourceFile, pattern: re.Pattern[str], index: ProjectIndex) -> tuple[
    str, dict[str, str] | None, dict[str, tuple[str, str]], bool
]:
    """Pass 1 for one file: its Flask-bound exports, or None when the file cannot have any yet."""
    text, _ = read_source(source.path, source.relpath)
    module = module_name_for(source.relpath)
    if text is None or not pattern.search(text):
        return module, None, {}, False
    try:
        exports, imports = collect_exports(text, source.relpath, index)
    except BaseException as exc:  # noqa: BLE001 - pass 2 reports the problem for this file
        if not is_bug(exc):
            raise
        return module, {}, {}, False
    uses_flask = any(q.startswith("flask") for q in exports.values())
    return module, exports, imports, uses_flask


MAX_INDEX_ROUNDS = 6


def build_index(python_files: list[SourceFile], jobs: int) -> ProjectIndex:
    """Rounds of pass 1: files that mention Flask first, then files that mention a name an earlier round
    found (`from .blueprint import CatalogBlueprint` -> `bp = CatalogBlueprint(...)`), until nothing new."""
    index = ProjectIndex()
    project_imports: dict[str, dict[str, tuple[str, str]]] = {}
    remaining = list(python_files)
    pattern = _interest_regex()
    for _ in range(MAX_INDEX_ROUNDS):
        found_new = False
        still_remaining = []
        for source, (module, exports, imports, uses_flask) in zip(
            remaining, _map(_index_one, remaining, jobs, pattern, index, on_crash=_index_crashed)  # type: ignore[misc]
        ):
            if exports is None:
                still_remaining.append(source)
                continue
            if exports:
                index.add(module, exports)
                found_new = True
            if imports:
                project_imports[module] = imports
            index.uses_flask = index.uses_flask or uses_flask
        index.resolve_reexports(project_imports)
        remaining = still_remaining
        if not found_new or not remaining:
            break
        exported = {name for bindings in index.exports.values() for name in bindings}
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(exported)) + r")\b")
    return index


def _index_crashed(source: SourceFile, reason: str) -> tuple[str, None, dict[str, tuple[str, str]], bool]:
    return module_name_for(source.relpath), None, {}, False  # pass 2 reports it


def _analyze_crashed(source: SourceFile, reason: str) -> FileResult:
    result = FileResult(path=source.relpath, kind="python")
    result.diagnostics.append(Diagnostic(source.relpath, "internal-error", f"not audited: {reason}"))
    return result


def _analyze_one(source: SourceFile, index: ProjectIndex, pattern: re.Pattern[str]) -> FileResult:
    text, result = read_source(source.path, source.relpath)
    if text is None:
        return result
    if not pattern.search(text):
        return result  # cannot contain a Flask finding: nothing to parse
    try:
        analyzed = analyze_python(text, source.relpath, index)
    except (RecursionError, MemoryError) as exc:
        result.diagnostics.append(Diagnostic(source.relpath, "too-complex", f"not audited: {type(exc).__name__}"))
        return result
    except BaseException as exc:  # noqa: BLE001 - one bad file must not stop the scan
        if not is_bug(exc):
            raise  # Ctrl-C, SIGTERM, exit
        result.diagnostics.append(
            Diagnostic(source.relpath, "internal-error", f"not audited: {type(exc).__name__}: {exc}")
        )
        return result
    analyzed.lines = result.lines
    analyzed.diagnostics[:0] = result.diagnostics
    return analyzed


def is_bug(exc: BaseException) -> bool:
    """An exception that means a bug on one input, as opposed to an interrupt. pyo3 (ast-grep-py) turns
    a Rust panic into `PanicException`, which derives from BaseException, not Exception."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _map(func: Callable[..., object], items: list[object], jobs: int, *args: object,
         progress: ProgressCallback | None = None,
         on_crash: Callable[[object, str], object] | None = None) -> list[object]:
    results: list[object] = []
    total = len(items)
    if jobs <= 1 or total < PARALLEL_MIN_FILES:
        for i, item in enumerate(items, 1):
            results.append(func(item, *args))
            if progress:
                progress(i, total)
        return results
    jobs = min(jobs, total)
    chunk = max(1, min(64, total // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
    try:
        # `map` keeps input order, so output is deterministic whatever the scheduling.
        for i, result in enumerate(pool.map(func, items, *[[a] * total for a in args], chunksize=chunk), 1):
            results.append(result)
            if progress:
                progress(i, total)
    except BrokenProcessPool:
        _stop_pool(pool)
        if on_crash is None:
            raise
        # A worker died (a segfault or the OOM killer on one file). Finish one file per process, so
        # the culprit is known: it gets `on_crash`'s result and the scan goes on.
        for item in items[len(results):]:
            results.append(_run_isolated(func, item, args, on_crash))
            if progress:
                progress(len(results), total)
    except BaseException:
        _stop_pool(pool)  # Ctrl-C or SIGTERM: stop now, do not wait for queued work
        raise
    pool.shutdown(wait=True)
    return results


def _run_isolated(func: Callable[..., object], item: object, args: tuple[object, ...],
                  on_crash: Callable[[object, str], object]) -> object:
    pool = ProcessPoolExecutor(max_workers=1, initializer=_worker_init)
    try:
        return pool.submit(func, item, *args).result()
    except BrokenProcessPool:
        return on_crash(item, "the worker process analysing it died (crash or out of memory)")
    finally:
        _stop_pool(pool)


def _worker_init() -> None:
    """Workers leave signals to the parent: Ctrl-C reaches the whole process group, and the parent
    stops the pool (no traceback from every worker, no worker left running)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if terminate is not None:
        terminate()
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def run_scan(paths: list[str], settings: Settings, jobs: int = 1,
             progress: ProgressCallback | None = None) -> ScanResult:
    started = time.perf_counter()
    sources, diagnostics, root = discover(paths, settings.exclude)
    python_files = [s for s in sources if s.kind == "python"]

    index = build_index(python_files, jobs)

    # Pass 2 must also parse files that import a Flask object from a project module.
    exported = {name for bindings in index.exports.values() for name in bindings}
    pattern2 = _interest_regex(exported)
    results = _map(_analyze_one, python_files, jobs, index, pattern2, progress=progress, on_crash=_analyze_crashed)
    result = ScanResult(paths=list(paths), root=root, settings=settings)
    result.files = sorted(results, key=lambda r: r.path)  # type: ignore[arg-type, attr-defined]
    result.diagnostics = sorted(set(diagnostics + [d for r in result.files for d in r.diagnostics]))
    result.duration = time.perf_counter() - started
    return result
