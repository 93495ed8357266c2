"""The order a scan analyses Python files in: each after the files it imports, so that it sees their
final exports (a model class of `db.Model` two imports away), and each as soon as those are done.

The files are cut into units (`import_units`): one file, or the files of an import cycle, analysed
together and again until their answers from the index hold. A unit waits for the units it imports
(`Unit.waits_for`), no more: there are no levels, where a whole level would wait for its slowest
file while a worker sat idle (GitHub issue 18). `Schedule` says which units may start, the one with
the longest chain of work after it first, so that the end of the scan does not wait for a long
import chain started late.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Protocol, Sequence

from .graph import strongly_connected
from .index.resolve import ModuleNames
from .pytest_fixtures import conftest_modules
from .testpaths import is_pytest_module


class _Source(Protocol):
    relpath: str


class OrderedFile(Protocol):
    """What the order needs of a file (summary.FileSummary): its module name and its textual imports."""

    source: _Source
    module: str
    imported_modules: frozenset[str]
    module_level_imports: frozenset[str]


# The waves a cycle of module-level imports is first analysed in (`import_units`): each wave is an index
# build more, each analyses with the exports of the waves before it. On the bench corpus, 6 waves of its
# cycle of 193 files: 45 analyses fewer for 11 builds more (one wave per file: 82 fewer, 60 more).
CYCLE_WAVES = 6


@dataclass
class Unit:
    """Files analysed together: one file, or an import cycle (`cyclic`), analysed again until their
    answers from the index stop changing. `waits_for`: the units (positions in the list
    `import_units` gives, all before this one) whose files this one's import. `settles`: a cycle whose
    files the units it waits for analysed first, one by one (`import_units`): it analyses again only
    those whose answers no longer hold, until they do."""

    files: list[int]
    cyclic: bool
    waits_for: list[int]
    settles: bool = False


def import_units(summaries: Sequence[OrderedFile], members: list[int]) -> list[Unit]:
    """`members` cut into units in the order of their textual imports of each other: on indico, 847
    analyses for 736 files instead of 1,291 in any order.

    The strongly connected components of the import graph (Tarjan) are ordered by their imports. Inside
    a component (an import cycle), the module-level imports alone order its files: it is usually an
    import inside a function that closes the cycle, and a module's exports never depend on those. Files
    still in a cycle of module-level imports are analysed first in waves (units of their own, ordered as
    if the cycle were broken at its back edges), then settled by one cyclic unit."""
    modules: ModuleNames[int] = ModuleNames()
    for i in {summaries[i].module: i for i in members}.values():
        modules.add(summaries[i].module, i)

    found: dict[str, int | None] = {}  # module name -> the member it names: most are imported many times

    def targets(i: int, imported: frozenset[str]) -> list[int]:
        named = set()
        for module in imported:
            if module not in found:
                found[module] = modules.find(module)
            named.add(found[module])
        return sorted(t for t in named if t is not None and t != i)

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
    components: list[list[int]] = []  # in dependency order
    for component in strongly_connected(members, every_import):
        if len(component) == 1:
            components.append(component)
            continue
        inside = set(component)
        components.extend(strongly_connected(
            component, {i: [t for t in module_level[i] if t in inside] for i in component}))
    # Imports of units that come later are the function-level ones that closed a cycle: not waited for.
    # A cycle of module-level imports is broken at the back edges of a depth-first search
    # (`_acyclic_order`), which leaves each file a level (1 + the highest level of the files it imports
    # at module level but along a back edge); its files are first analysed in CYCLE_WAVES waves of
    # levels, each wave with the exports of those before it, then settled as one cyclic unit, which
    # analyses again those whose answers changed. All at once, none of the cycle's own exports known, the
    # cycle of 193 files (147 analysed) of the bench corpus cost 245 analyses; in waves, 187.
    units: list[Unit] = []
    unit_of: dict[int, int] = {}  # each file's unit: for a cycle, the unit that settles it
    for component in components:
        outside = lambda i: {unit_of[t] for t in every_import[i] if t in unit_of}  # noqa: E731
        if len(component) == 1:
            unit_of[component[0]] = len(units)
            units.append(Unit(component, False, sorted(outside(component[0]))))
            continue
        inside = set(component)
        order = _acyclic_order(sorted(component), {i: [t for t in module_level[i] if t in inside] for i in component})
        position = {i: p for p, i in enumerate(order)}
        level: dict[int, int] = {}
        for i in order:
            level[i] = 1 + max((level[t] for t in module_level[i] if t in inside and position[t] < position[i]),
                               default=-1)
        depth = max(level.values()) + 1
        band = -(-depth // min(depth, CYCLE_WAVES))
        waves: dict[int, list[int]] = {}
        for i in order:
            waves.setdefault(level[i] // band, []).append(i)
        first = len(units)
        for wave in sorted(waves):
            files = sorted(waves[wave])
            before = {len(units) - 1} if wave else set()
            units.append(Unit(files, False, sorted(set().union(*map(outside, files)) | before)))
        settle = len(units)
        units.append(Unit(sorted(component), True, list(range(first, settle)), settles=True))
        for i in component:
            unit_of[i] = settle
    return units


def _acyclic_order(nodes: list[int], edges: dict[int, list[int]]) -> list[int]:
    """`nodes` in the post-order of a depth-first search (without recursion) along `edges`: each after
    every node it has an edge to, except along a back edge (to a node still being searched from)."""
    order: list[int] = []
    seen: set[int] = set()
    for root in nodes:
        if root in seen:
            continue
        seen.add(root)
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            targets = edges[node]
            while next_edge < len(targets) and targets[next_edge] in seen:
                next_edge += 1
            if next_edge < len(targets):
                target = targets[next_edge]
                seen.add(target)
                work.append((node, next_edge + 1))
                work.append((target, 0))
            else:
                order.append(node)
    return order


class Schedule:
    """Which units may start: those whose every unit waited for is `done`. Of those, `ready` gives first
    the ones with the most work (`costs`, one per unit) on their longest chain of waiting units."""

    def __init__(self, units: Sequence[Unit], costs: Sequence[int]) -> None:
        self._waiting = [len(unit.waits_for) for unit in units]
        self._then: list[list[int]] = [[] for _ in units]  # the units that wait for each one
        for k, unit in enumerate(units):
            for before in unit.waits_for:
                self._then[before].append(k)
        chain = [0] * len(units)
        for k in reversed(range(len(units))):  # a unit waits only for units before it
            chain[k] = costs[k] + max((chain[after] for after in self._then[k]), default=0)
        self._chain = chain
        self._ready = [(-chain[k], k) for k, waiting in enumerate(self._waiting) if not waiting]
        heapq.heapify(self._ready)

    def ready(self) -> list[int]:
        """The units that may start and have not been given yet, the most urgent first."""
        out = []
        while self._ready:
            out.append(heapq.heappop(self._ready)[1])
        return out

    def done(self, k: int) -> None:
        """Unit `k` is done: the units waiting for it alone become ready."""
        for after in self._then[k]:
            self._waiting[after] -= 1
            if not self._waiting[after]:
                heapq.heappush(self._ready, (-self._chain[after], after))
