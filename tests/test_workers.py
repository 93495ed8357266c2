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
