"""The migration plan: the project's units (packages/Blueprints) in strangler-fig order.

A team moves one unit at a time to FastAPI, mounted beside the running Flask app (Flask served inside
FastAPI through a2wsgi), so the order that keeps risk and waiting lowest is: units without blockers
first, then the cheapest (fewest story points), then those fewest other units import (a leaf can move
without breaking anyone). Ties break on the name, so the plan is deterministic.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any


def strangler_order(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each unit of report["units"], ranked, with its step number, the units that import it
    (`dependents`), and the dependencies that come later in the plan (`waits_for`): code the unit
    imports that is still on Flask when the unit moves, to keep importable from both apps."""
    dependents: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for dependency in unit["depends_on"]:
            dependents[dependency].append(unit["name"])
    ranked = sorted(
        units, key=lambda u: (u["blockers"], u["story_points"], len(dependents[u["name"]]), u["name"])
    )
    step = {unit["name"]: i for i, unit in enumerate(ranked, 1)}
    plan = []
    for unit in ranked:
        me = step[unit["name"]]
        plan.append({
            **unit,
            "step": me,
            "dependents": sorted(dependents[unit["name"]]),
            "depends_on_steps": [(name, step.get(name)) for name in unit["depends_on"]],
            "waits_for": [name for name in unit["depends_on"] if step.get(name, 0) > me],
        })
    return plan
