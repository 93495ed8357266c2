"""The effort estimate as every report format shows it: the sentence, what it covers, and what drives it.

The drivers are the lines of `summary.estimate_breakdown` (effort.py) in words, one per line, so a
reader can disagree with one line rather than with the total. Plain text: each format escapes and
lays it out itself.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from ..effort import COVERS, SCOPES

SCOPE_LABELS = {"app": "App code", "tests": "Tests", "templates": "Templates", "deployment": "Deployment",
                "dependencies": "Dependency files"}


class Driver(NamedTuple):
    label: str
    days: float
    what: str  # what the line counts, in words


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def days_text(days: float) -> str:
    return f"{days:.2f}".rstrip("0").rstrip(".") if days else "0"


def headline(summary: dict[str, Any]) -> str:
    """'Effort: about 6 developer-days, likely 3-12', or the old figure for a report without the model."""
    text = summary.get("estimate_text")
    if text is None:
        return f"Effort: about {summary.get('estimate_days', 0):g} developer-days"
    return f"Effort: {text}"


def covers(summary: dict[str, Any]) -> str:
    return f"The estimate covers {summary.get('estimate_covers', COVERS)}."


def drivers(summary: dict[str, Any]) -> list[Driver]:
    """The breakdown's lines in words, in the model's order; empty for a report without one."""
    b = summary.get("estimate_breakdown")
    if not b:
        return []
    idioms = b["idioms"]
    top = ", ".join(f"{t['code']} ({t['places']:,})" for t in idioms.get("top", []))
    ext = b["extensions"]
    rep, tests, other = b["repetitions"], b["tests"], b["templates_deployment"]
    by_scope = ", ".join(f"{n:,} in {SCOPE_LABELS.get(scope, scope).lower()}"
                         for scope, n in sorted(other.get("by_scope", {}).items(), key=_scope_order))
    return [
        Driver("Setup", b["setup"]["days"],
               "the FastAPI app, run command, settings and test client, once" if b["setup"]["count"]
               else "none: no app code to port"),
        Driver("Idioms to learn", idioms["days"],
               _n(idioms["count"], "distinct idiom") + (f"; most places: {top}" if top else "")),
        Driver("Extensions to replace", ext["days"],
               _n(ext["count"], "extension") + (f": {', '.join(ext.get('names', []))}" if ext.get("names") else "")),
        Driver("Repetitions", rep["days"],
               f"{_n(rep['count'], 'place')} in {_n(rep.get('modules', 0), 'app module')}, "
               f"{rep.get('lines', 0):,} lines reworked"),
        Driver("Tests (apart)", tests["days"],
               f"{_n(tests['count'], 'place')} in {_n(tests.get('modules', 0), 'test module')}, "
               f"{tests.get('lines', 0):,} lines reworked at half the app rate"),
        Driver("Templates and deployment", other["days"],
               _n(other["count"], "place") + (f" ({by_scope})" if by_scope else "")),
    ]


def blocking_summary(summary: dict[str, Any]) -> str:
    """'5 blocking idioms, 121 places' (or the places alone for a report without per-rule counts)."""
    rules = summary.get("blocking_rules")
    if rules is None:
        return _n(summary.get("blockers", 0), "blocker")
    return f"{_n(rules, 'blocking idiom')}, {_n(summary.get('blockers', 0), 'place')}"


def scopes(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-scope subtotals with their labels, in the model's order."""
    return [{"scope": scope, "label": SCOPE_LABELS.get(scope, scope), **values}
            for scope, values in sorted(summary.get("by_scope", {}).items(), key=_scope_order)]


def _scope_order(item: tuple[str, Any]) -> tuple[int, str]:
    return (SCOPES.index(item[0]) if item[0] in SCOPES else len(SCOPES), item[0])
