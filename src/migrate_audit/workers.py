"""The processes a scan runs in: a pool of workers for the per-file work, and the garbage-collector
policy of every process that scans."""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import shutil
import signal
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator

from .index.resolve import IndexChanges, ProjectIndex

PARALLEL_MIN_FILES = 64  # below this, process start-up costs more than it saves
MIN_CHUNK = 4  # files sent to a worker at once: a level of 5 files is not worth 5 round trips
# A new index file for the workers once the changes since the last one are a quarter of its size.
REBASE_RATIO = 4
# A call's pickled args larger than this go to workers in a file (`Mapper._pack`), not with every chunk.
INLINE_ARGS = 16 * 1024

# The cyclic garbage collector's first threshold while a scan runs (Python's default is 700). A scan
# allocates millions of short-lived objects (Python's syntax check builds a whole AST per file) while
# holding a large heap of summaries and results, so the default thresholds run a collection every 700
# net allocations and a full one every few hundred thousand, each walking that heap: a fifth of the
# scan's CPU time on the bench corpus. The objects are freed by reference counting anyway; the few
# cycles wait a little longer. So an analysis must leave no cycle holding its file: a handful of
# Python objects in one (a context and its Shadowing, before scopes.py held it weakly) kept each
# file's text and tree-sitter tree, which the collector's counts do not see, and a worker grew to
# 295 MB between full collections (tests/test_workers.py checks that none is left).
GC_THRESHOLD = 50_000

ProgressCallback = Callable[[int, int], None]


class Mapper:
    """`func(item, *args)` over items, in input order, in one pool of worker processes reused by every
    phase (starting workers once), or in this process when the work is too small to pay for them.

    Work is sent in a few chunks per worker, each carrying `args` once. A project index among `args` is
    large (0.8 MB pickled on the bench corpus) and a scan sends one per level of analyses, each a little
    different from the last: workers read it from a file once (`SharedIndex`) and then get only what
    changed. A worker that dies (a segfault or the OOM killer on one file) costs that file only: from
    then on every file runs in a process of its own, so the culprit is known and gets `on_crash`'s
    result. Ctrl-C and SIGTERM stop the workers at once."""

    def __init__(self, jobs: int, total_files: int) -> None:
        self.jobs = max(1, min(jobs, total_files))
        self.pool = (ProcessPoolExecutor(max_workers=self.jobs, initializer=_worker_init)
                     if jobs > 1 and total_files >= PARALLEL_MIN_FILES else None)
        self.isolated = False
        self.calls = 0
        self._folder: str | None = None  # for the files workers read indexes and large args from
        self._base: tuple[str, ProjectIndex] | None = None  # the latest such file, and its index
        # `submit`ted work: chunks running (or queued) in the pool, by future, in submission order, and
        # results not yet `collect`ed.
        self._running: dict[Future, _Chunk] = {}
        # Calls whose args are in a file (`_pack`): [path, chunks done], and how many chunks each sent.
        self._args_files: dict[int, list] = {}
        self._chunks_sent: dict[int, int] = {}
        self._arrived: list[tuple[object, object]] = []

    def __call__(self, func: Callable[..., object], items: list, *args: object,
                 progress: ProgressCallback | None = None,
                 on_crash: Callable[[object, str], object] | None = None,
                 costs: list[int] | None = None) -> list:
        """The results in the order of `items`. `costs`: an estimate of each item's work (its size): the
        costliest go first, in chunks of about equal cost, so that a call does not end with one worker
        busy on a large file while the others wait (each level of analyses is a call of its own)."""
        if costs is None or self.pool is None or len(items) < 2 or self.isolated:
            return self._map(func, items, args, progress, on_crash, None)
        order = sorted(range(len(items)), key=lambda i: -costs[i])
        done = self._map(func, [items[i] for i in order], args, progress, on_crash, [costs[i] for i in order])
        results: list[object] = [None] * len(items)
        for i, result in zip(order, done):
            results[i] = result
        return results

    def _map(self, func: Callable[..., object], items: list, args: tuple, progress: ProgressCallback | None,
             on_crash: Callable[[object, str], object] | None, costs: list[int] | None) -> list:
        total = len(items)
        results: list[object] = []
        if self.isolated and on_crash is not None:
            return self._isolated(func, items, args, on_crash, results, progress)
        if self.pool is None or total < 2:
            for i, item in enumerate(items, 1):
                results.append(func(item, *args))
                if progress:
                    progress(i, total)
            return results
        if costs is None:
            size = max(MIN_CHUNK, -(-total // (self.jobs * 4)))
            chunks = [items[i:i + size] for i in range(0, total, size)]
        else:
            chunks = _chunks_of_equal_cost(items, costs, self.jobs * 4)
        # `args` is pickled once per call, and unpickled once per worker and call rather than once per
        # chunk: with a call per level of analyses, unpickling the index per chunk cost a -j2 scan a
        # fifth of its CPU time.
        packed = self._pack(args)
        try:
            futures = [self.pool.submit(_run_chunk, func, chunk, packed) for chunk in chunks]
            for future in futures:  # in submission order: deterministic output whatever the scheduling
                results.extend(future.result())
                if progress:
                    progress(len(results), total)
            self._done_with(packed[1], len(futures))
        except BrokenProcessPool:
            _stop_pool(self.pool)
            self.pool, self.isolated = None, True
            if on_crash is None:
                raise
            return self._isolated(func, items, args, on_crash, results, progress)
        except BaseException:
            _stop_pool(self.pool)  # Ctrl-C or SIGTERM: stop now, do not wait for queued work
            self.pool = None
            raise
        return results

    def submit(self, func: Callable[..., object], items: list, *args: object, keys: list,
               on_crash: Callable[[object, str], object] | None = None, costs: list[int] | None = None,
               chunks: int | None = None) -> None:
        """Start `func(item, *args)` over `items` and return at once: `collect` gives each result with
        the item's key as it arrives. For work that is known a little at a time (an analysis may start
        once the files it imports are analysed), where a `__call__` per batch would leave workers idle
        until its slowest item is done. `costs` cut the items, in their order, into `chunks` (by default
        four per worker) of about equal cost."""
        if self.pool is None or self.isolated:
            self._arrived.extend(zip(keys, self._map(func, items, args, None, on_crash, None)))
            return
        packed = self._pack(args)
        pairs = list(zip(keys, items))
        cut = _chunks_of_equal_cost(pairs, costs if costs is not None else [1] * len(pairs), chunks or self.jobs * 4)
        sent = 0
        try:
            for chunk in cut:
                future = self.pool.submit(_run_chunk, func, [item for _, item in chunk], packed)
                self._running[future] = _Chunk(func, chunk, args, on_crash, packed[1])
                sent += 1
            self._chunks_sent[packed[1]] = sent
        except BrokenProcessPool:
            self._broken(on_crash)
            rest = [pair for chunk in cut[sent:] for pair in chunk]
            self._arrived.extend(zip((key for key, _ in rest), self._map(
                func, [item for _, item in rest], args, None, on_crash, None)))
        except BaseException:
            _stop_pool(self.pool)
            self.pool = None
            raise

    @property
    def running(self) -> int:
        """How many chunks of `submit`ted work are running or queued, or results not `collect`ed yet."""
        return len(self._running) + len(self._arrived)

    @property
    def parallel(self) -> bool:
        """Whether work runs in worker processes (else in this one, one item after the other)."""
        return self.pool is not None and not self.isolated

    @property
    def hungry(self) -> bool:
        """Whether the workers run short of `submit`ted work: no more than a chunk each is left."""
        return self.short_of_work(1)

    def short_of_work(self, chunks_each: int) -> bool:
        """Whether no more than `chunks_each` chunks of `submit`ted work per worker are left."""
        return len(self._running) <= self.jobs * chunks_each

    def collect(self) -> list[tuple[object, object]]:
        """(key, result) of `submit`ted work that has arrived, waiting for some when none has; [] when
        nothing is running."""
        if not self._arrived and self._running:
            try:
                finished, _ = wait(self._running, return_when=FIRST_COMPLETED)
                for future in [f for f in self._running if f in finished]:  # in submission order
                    chunk = self._running[future]
                    results = future.result()
                    del self._running[future]
                    self._done_with(chunk.call, 1)
                    self._arrived.extend(zip((key for key, _ in chunk.pairs), results))
            except BrokenProcessPool:
                self._broken(None)
            except BaseException:
                _stop_pool(self.pool)  # type: ignore[arg-type]  # Ctrl-C or SIGTERM: stop now
                self.pool = None
                raise
        arrived, self._arrived = self._arrived, []
        return arrived

    def _broken(self, on_crash: Callable[[object, str], object] | None) -> None:
        """A worker died: from now on each file runs in a process of its own (`__call__`), the running
        chunks too, so that the culprit is known and gets its `on_crash` result."""
        _stop_pool(self.pool)  # type: ignore[arg-type]
        self.pool, self.isolated = None, True
        running, self._running = self._running, {}
        for future, chunk in running.items():
            crash = chunk.on_crash or on_crash
            if future.done() and not future.cancelled() and future.exception() is None:
                results = future.result()
            elif crash is None:
                raise BrokenProcessPool("a worker process died")
            else:
                results = self._isolated(chunk.func, [item for _, item in chunk.pairs], chunk.args, crash, [], None)
            self._arrived.extend(zip((key for key, _ in chunk.pairs), results))

    def _pack(self, args: tuple) -> tuple[int, int, bytes | str]:
        """A call's `args` as its chunks carry them: (this process, the call's number, the pickled args,
        or the path of a file holding them when they are large). Every chunk of a call carries them, and
        a worker unpickles them once per call: in a file, a few hundred kilobytes of index changes cross
        to each worker once per call rather than once per chunk (55 MB through the pipes on the bench
        corpus, for 8 MB of files)."""
        self.calls += 1
        shared = tuple(self._shared(arg) if isinstance(arg, ProjectIndex) else arg for arg in args)
        payload = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) <= INLINE_ARGS:
            return os.getpid(), self.calls, payload
        path = os.path.join(self._workers_folder(), f"args-{self.calls}.pickle")
        with open(path, "wb") as handle:
            handle.write(payload)
        self._args_files[self.calls] = [path, 0]
        return os.getpid(), self.calls, path

    def _done_with(self, call: int, chunks: int) -> None:
        """`chunks` chunks of `call` are done: its args file goes once every chunk sent is (a scan makes
        a call per batch of analyses, and a large project's files would add up)."""
        entry = self._args_files.get(call)
        if entry is None:
            return
        entry[1] += chunks
        if entry[1] >= self._chunks_sent.get(call, entry[1]):
            del self._args_files[call]
            self._chunks_sent.pop(call, None)
            with contextlib.suppress(OSError):
                os.unlink(entry[0])

    def _workers_folder(self) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="migrate-audit-workers-")
        return self._folder

    def _shared(self, index: ProjectIndex) -> SharedIndex:
        """`index` as workers get it: the changes since the index in the latest file, or a new file once
        the changes are no longer small next to it."""
        if self._base is not None:
            changes = index.changes_since(self._base[1])
            if changes.size * REBASE_RATIO <= self._base[1].size:
                return SharedIndex(self._base[0], changes)
        path = os.path.join(self._workers_folder(), f"index-{self.calls}.pickle")
        with open(path, "wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._base = (path, index.copy())  # a copy: the caller's index is its own to change
        return SharedIndex(path, IndexChanges({}, {}, index.uses_flask))

    @staticmethod
    def _isolated(func: Callable[..., object], items: list, args: tuple, on_crash: Callable[[object, str], object],
                  results: list, progress: ProgressCallback | None) -> list:
        for item in items[len(results):]:
            results.append(_run_isolated(func, item, args, on_crash))
            if progress:
                progress(len(results), len(items))
        return results

    def __enter__(self) -> "Mapper":
        return self

    def __exit__(self, error_type: object, error: object, traceback: object) -> None:
        try:
            self._close_pool(error_type)
        finally:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)

    def _close_pool(self, error_type: object) -> None:
        if self.pool is None:
            return
        if error_type is not None:
            # Ctrl-C or SIGTERM while this process was between two phases: an idle pool must not be
            # left for the interpreter's exit handlers to join (a traceback on the way out).
            _stop_pool(self.pool)
        else:
            self.pool.shutdown(wait=True)


def _chunks_of_equal_cost(items: list, costs: list[int], count: int) -> list[list]:
    """`items` cut, in order, into about `count` runs of about equal total cost."""
    target = max(1, sum(costs)) / count
    chunks: list[list] = []
    current: list = []
    spent = 0.0
    for item, cost in zip(items, costs):
        current.append(item)
        spent += cost
        if spent >= target:
            chunks.append(current)
            current, spent = [], 0.0
    if current:
        chunks.append(current)
    return chunks


@dataclass
class _Chunk:
    """`submit`ted work that one worker runs: (key, item) pairs, and how to run them again alone."""

    func: Callable[..., object]
    pairs: list[tuple[object, object]]
    args: tuple
    on_crash: Callable[[object, str], object] | None
    call: int = 0  # the call it belongs to (`Mapper._pack`)


@dataclass(frozen=True)
class SharedIndex:
    """A project index sent to workers: a file they read once, and what changed since."""

    path: str
    changes: IndexChanges

    def index(self) -> ProjectIndex:
        global _read_index
        if _read_index is None or _read_index[0] != self.path:
            _read_index = None  # never keep the old one while reading the next
            with open(self.path, "rb") as handle:
                _read_index = (self.path, pickle.load(handle))  # noqa: S301 - written by our parent
        return _read_index[1].with_changes(self.changes)


_read_index: tuple[str, ProjectIndex] | None = None  # in a worker: the latest index file read
_unpacked: tuple[tuple[int, int], tuple] | None = None  # in a worker: the latest call's args, by call


def _run_chunk(func: Callable[..., object], chunk: list, packed: tuple[int, int, bytes | str]) -> list:
    global _unpacked
    parent, call, payload = packed
    if _unpacked is None or _unpacked[0] != (parent, call):
        _unpacked = None  # never keep one call's index while unpickling the next's
        if isinstance(payload, str):  # `Mapper._pack`: large args are in a file
            with open(payload, "rb") as handle:
                payload = handle.read()
        args = pickle.loads(payload)  # noqa: S301 - written by our parent
        _unpacked = ((parent, call), tuple(arg.index() if isinstance(arg, SharedIndex) else arg for arg in args))
    args = _unpacked[1]
    return [func(item, *args) for item in chunk]


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
    tune_gc()  # inherited through fork too, but not with the spawn or forkserver start methods


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


@contextlib.contextmanager
def gc_tuned() -> Iterator[None]:
    """Fewer garbage collections while a scan runs (see GC_THRESHOLD); the thresholds are restored
    afterwards, so a program that calls `run_scan` keeps its own."""
    saved = gc.get_threshold()
    tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def tune_gc() -> None:
    first, second, third = gc.get_threshold()
    if 0 < first < GC_THRESHOLD:  # 0: collection is disabled; a higher one was chosen on purpose
        gc.set_threshold(GC_THRESHOLD, max(second, 20), max(third, 20))
