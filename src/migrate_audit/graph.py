"""Graph algorithms the scan (analysis order) and the migration plan (unit order) share."""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence, TypeVar

Node = TypeVar("Node", bound=Hashable)


def strongly_connected(nodes: Sequence[Node], edges: Mapping[Node, Sequence[Node]]) -> list[list[Node]]:
    """Tarjan's algorithm without recursion (import chains can be thousands deep): the components,
    each after every component it has an edge to."""
    number: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    components: list[list[Node]] = []
    for root in nodes:
        if root in number:
            continue
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                number[node] = low[node] = len(number)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            while next_edge < len(targets) and targets[next_edge] in number:
                target = targets[next_edge]
                if target in on_stack:
                    low[node] = min(low[node], number[target])
                next_edge += 1
            if next_edge < len(targets):
                work.append((node, next_edge + 1))
                work.append((targets[next_edge], 0))
                continue
            if low[node] == number[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
