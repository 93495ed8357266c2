"""The migration plan: the project's units (packages/Blueprints) in strangler-fig order.

A team moves one unit at a time to FastAPI, mounted beside the running Flask app (Flask served inside
FastAPI through a2wsgi). A unit moves after the units it imports (dependency order: what it imports is
already on FastAPI's side when it moves); among the units free to move, those without blockers come
first, then the cheapest (fewest story points), then the name, so the plan is deterministic. When
imports form a cycle, the best-ranked unit of the cycle moves first and `waits_for` names what it
imports that is still on Flask (code to keep importable from both apps).

Only units with findings are in the order. Template, static, test and migration folders are not
units of their own: templates and static files move with the views that use them, tests with the code
they test, and database migrations do not change with the web framework.
"""
from __future__ import annotations

import heapq
import re
from collections import defaultdict
from typing import Any

from ..graph import strongly_connected
from ..index.resolve import module_name_for
from ..rules.deployment import WSGI_ENTRY
from ..rules.routing import APP_CREATED

NOT_UNITS = frozenset({"templates", "static", "tests", "test", "testing", "migrations", "alembic"})
# WSGI_ENTRY's message starts with the entry point it found: "`wsgi:app` is the WSGI entry point ...".
_WSGI_ENTRY = re.compile(r"^`([A-Za-z_][\w.]*):([A-Za-z_]\w*)`")


def left_out(unit: dict[str, Any]) -> str | None:
    """Why a unit is not a step of the plan, or None when it is one."""
    if any(part in NOT_UNITS for part in unit["name"].split("/")):
        return "templates, static files, tests and migrations move with the code that uses them"
    if not unit.get("findings", 0):
        return "no findings: nothing to port"
    return None


def strangler_order(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units of report["units"] that are steps (see `left_out`), in order, each with its step
    number, the units that import it (`dependents`), and the dependencies that come later in the plan
    (`waits_for`, only in an import cycle)."""
    steps = [u for u in units if left_out(u) is None]
    by_name = {u["name"]: u for u in steps}
    imports = {u["name"]: sorted({d for d in u["depends_on"] if d in by_name and d != u["name"]}) for u in steps}
    dependents: dict[str, list[str]] = defaultdict(list)
    for name, deps in imports.items():
        for dependency in deps:
            dependents[dependency].append(name)

    def rank(name: str) -> tuple[int, int, str]:
        unit = by_name[name]
        return (unit["blockers"], unit["story_points"], name)

    # Units that import each other (a cycle) move as a group, best-ranked first; groups move in
    # dependency order, the best-ranked group free to move first.
    groups = strongly_connected(sorted(imports), imports)
    group_of = {name: i for i, group in enumerate(groups) for name in group}
    members = [sorted(group, key=rank) for group in groups]
    waiting = [len({group_of[d] for name in group for d in imports[name]} - {i}) for i, group in enumerate(groups)]
    ready = [(rank(members[i][0]), i) for i in range(len(groups)) if waiting[i] == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, i = heapq.heappop(ready)
        ordered += members[i]
        for later in sorted({group_of[d] for name in groups[i] for d in dependents[name]} - {i}):
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, (rank(members[later][0]), later))
    step = {name: i for i, name in enumerate(ordered, 1)}
    plan = []
    for name in ordered:
        unit, me = by_name[name], step[name]
        plan.append({
            **unit,
            "step": me,
            "dependents": sorted(dependents[name]),
            "depends_on_steps": [(dep, step.get(dep)) for dep in unit["depends_on"]],
            "waits_for": [dep for dep in unit["depends_on"] if step.get(dep, 0) > me],
        })
    return plan


def a2wsgi_sample(findings: list[dict[str, Any]], plan: list[dict[str, Any]]) -> dict[str, str]:
    """The names the plan's a2wsgi sample uses: where the Flask app comes from (the WSGI entry point a
    finding names, else the module that creates the app, else placeholders) and the first unit to move."""
    app = {"app_module": "yourapp", "app_import": "create_app", "app_expr": "create_app()"}
    entry = next((m for f in findings if f["code"] == WSGI_ENTRY.code for m in [_WSGI_ENTRY.match(f["message"])] if m),
                 None)
    if entry:
        app = {"app_module": entry.group(1), "app_import": entry.group(2), "app_expr": entry.group(2)}
    else:
        created = next((f["path"] for f in findings if f["code"] == APP_CREATED.code), None)
        if created:
            app["app_module"] = module_name_for(created) or "yourapp"
    first = next((u["name"] for u in plan if u["name"] != "."), None)
    first_module = module_name_for(first + "/__init__.py") if first else "yourapp.catalog"
    return {**app, "first_module": first_module}
