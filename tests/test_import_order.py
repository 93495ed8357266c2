"""Dependency-driven analysis order (import_order.py) and the worker pool's streaming (Mapper.submit):
a unit starts only once every unit it waits for is done, whatever finishes first; no speed involved."""
from __future__ import annotations

import os

from migrate_audit import workers
from migrate_audit.import_order import Schedule, Unit
from migrate_audit.workers import Mapper


def _square_or_die(item: int) -> int:
    """Module level, so the pool can pickle it: dies on 13, like a segfault."""
    if item == 13:
        os._exit(139)
    return item * item


def test_a_unit_starts_once_every_unit_it_waits_for_is_done_longest_chain_first() -> None:
    # 0 -> 2 -> 3 (a long chain), 1 alone (short), 4 waits for 1 and 3.
    units = [Unit([0], False, []), Unit([1], False, []), Unit([2], False, [0]), Unit([3], False, [2]),
             Unit([4], False, [1, 3])]
    schedule = Schedule(units, [1, 5, 1, 1, 1])
    assert schedule.ready() == [1, 0]  # the chain 1 -> 4 costs 6, 0 -> 2 -> 3 -> 4 costs 4
    assert schedule.ready() == []
    schedule.done(0)
    assert schedule.ready() == [2]
    schedule.done(1)
    assert schedule.ready() == []  # 4 still waits for 3
    schedule.done(2)
    assert schedule.ready() == [3]
    schedule.done(3)
    assert schedule.ready() == [4]


def test_the_longest_chain_of_work_goes_first() -> None:
    units = [Unit([0], False, []), Unit([1], False, []), Unit([2], False, [0]), Unit([3], False, [2])]
    assert Schedule(units, [1, 2, 1, 1]).ready() == [0, 1]  # 0 -> 2 -> 3 costs 3, 1 costs 2


def test_submitted_work_arrives_with_its_keys_and_a_dying_worker_costs_one_item() -> None:
    items = list(range(workers.PARALLEL_MIN_FILES))
    with Mapper(2, len(items)) as mapper:
        assert mapper.parallel
        first, second = items[20:40], items[40:]
        mapper.submit(_square_or_die, first, keys=[f"a{i}" for i in first], costs=[1] * len(first))
        mapper.submit(_square_or_die, second, keys=[f"b{i}" for i in second])
        arrived: dict[object, object] = {}
        while mapper.running:
            arrived.update(mapper.collect())
        assert mapper.collect() == []
        assert mapper.parallel
    assert arrived == {**{f"a{i}": i * i for i in first}, **{f"b{i}": i * i for i in second}}

    with Mapper(2, len(items)) as mapper:
        mapper.submit(_square_or_die, items, keys=items, on_crash=lambda item, reason: -1)
        arrived = {}
        while mapper.running:
            arrived.update(mapper.collect())
        assert not mapper.parallel  # from now on, each item in a process of its own
    assert arrived == {i: -1 if i == 13 else i * i for i in items}


def test_without_a_pool_submitted_work_runs_at_once_in_this_process() -> None:
    with Mapper(1, 3) as mapper:
        mapper.submit(_square_or_die, [2, 3], keys=["x", "y"])
        assert mapper.running and not mapper.parallel
        assert mapper.collect() == [("x", 4), ("y", 9)]
        assert not mapper.running
