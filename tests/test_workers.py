"""The worker pool: results in the order of the items whatever the scheduling, costliest items first."""
from __future__ import annotations

import os
import random

from migrate_audit import workers
from migrate_audit.workers import Mapper, _chunks_of_equal_cost


def _pid_and_square(item: int) -> tuple[int, int]:
    """Module level, so the pool can pickle it."""
    return os.getpid(), item * item


def test_results_come_in_the_order_of_the_items_whatever_their_costs() -> None:
    items = list(range(workers.PARALLEL_MIN_FILES * 2))
    rng = random.Random(7)
    costs = [rng.randint(1, 1000) for _ in items]
    with Mapper(2, len(items)) as mapper:
        assert mapper.pool is not None
        done = mapper(_pid_and_square, items, costs=costs)
    assert [square for _, square in done] == [i * i for i in items]
    assert len({pid for pid, _ in done} - {os.getpid()}) >= 1  # the work went to the workers


def _tail_of(item: int, big: str) -> tuple[int, str]:
    return item, big[-item - 1:]


def test_large_args_reach_the_workers_in_a_file_once_per_call_not_with_every_chunk() -> None:
    items = list(range(workers.PARALLEL_MIN_FILES))
    big = "".join(chr(65 + i % 26) for i in range(workers.INLINE_ARGS * 2))  # pickled, over the limit
    sent: list[object] = []
    with Mapper(2, len(items)) as mapper:
        assert mapper.pool is not None
        real_submit = mapper.pool.submit
        mapper.pool.submit = lambda fn, *args: sent.append(args[-1]) or real_submit(fn, *args)  # type: ignore
        mapper.submit(_tail_of, items, big, keys=items)
        small = mapper._pack(("small",))
        arrived = []
        while mapper.running:
            arrived.extend(mapper.collect())
        assert not os.path.exists(sent[0][2])  # type: ignore[index]  # gone once every chunk is done
        submitted = list(sent)
        assert mapper(_tail_of, items, big) == [(i, big[-i - 1:]) for i in items]
        assert not os.listdir(mapper._folder)  # type: ignore[arg-type]
    assert sorted(arrived) == [(i, (i, big[-i - 1:])) for i in items]
    assert len(submitted) > 2 and len({id(packed) for packed in submitted}) == 1  # one packed call, every chunk
    assert isinstance(submitted[0][2], str)  # type: ignore[index]  # a path, not the pickled args
    assert isinstance(small[2], bytes)  # small args travel with the chunks


def test_chunks_keep_the_items_in_order_and_have_about_equal_costs() -> None:
    rng = random.Random(3)
    costs = sorted((rng.randint(1, 500) for _ in range(200)), reverse=True)
    items = list(range(len(costs)))
    chunks = _chunks_of_equal_cost(items, costs, 8)
    assert [i for chunk in chunks for i in chunk] == items
    target = sum(costs) / 8
    assert 7 <= len(chunks) <= 9
    assert all(sum(costs[i] for i in chunk[:-1]) < target for chunk in chunks)  # closed as soon as full
    assert _chunks_of_equal_cost(["only"], [0], 8) == [["only"]]


# Function parameters and loop variables named like the module's Flask names: the analysis asks
# `Shadowing` (scopes.py) about them, which refers back to the file's context.
_SHADOWING = """\
from flask import Blueprint, request

bp = Blueprint("bp", __name__)


def helper(request):
    return request.args


@bp.route("/")
def index():
    rows = [request for request in range(3)]
    return request.args.get("q"), rows
"""


def test_an_analysis_leaves_nothing_for_the_cycle_collector(tmp_path) -> None:
    """A worker analyses hundreds of files between two full garbage collections (GC_THRESHOLD): what an
    analysis leaves in a reference cycle (the file's context, its text, its tree-sitter tree and nodes)
    piles up until then. Reference counting alone must free a file's analysis once it returns."""
    import gc

    from migrate_audit.api import FileContext
    from migrate_audit.model import SourceFile
    from migrate_audit.scan import _analyze_task

    path = tmp_path / "views.py"
    path.write_text(_SHADOWING)
    source = SourceFile(str(path), "views.py", "python")
    gc.collect()
    gc.disable()
    try:
        result, _, _ = _analyze_task((source, True, "", None, ("", 0)), None)
        assert result.findings  # the analysis ran in full, name resolution and rules
        left = [o for o in gc.get_objects() if isinstance(o, FileContext)]
    finally:
        gc.enable()
    assert left == []
