"""A unit that would convert while the app stays Flask, and whose module calls a helper of another project module
that needs Flask's context (the Flask tutorial's `get_db()`, reading `g` and `current_app.config`, imported by the
`blog` Blueprint): it stays Flask.

The first pass converts the unit's own code only: the helper stays Flask's in its module, which main.py does not
run in a Flask app context. Called from a path operation of FastAPI, `g` or `current_app` raises "Working outside of
application context" and FastAPI answers 500 where Flask answered the view. So a unit stays while a name it imports
from a module of the project that does not convert with it is one that needs Flask (split.tainted: a statement with a
finding in it, or one using such a name, or an import from Flask or a flagged module), unless the name is a decorator
another module shares (shared_decorators.py decides those: they convert with their module and every user, or stay).
Only when the app stays Flask: a whole-project port converts every module, helpers too.
"""
from __future__ import annotations

from typing import Any

from ..rules.application import WERKZEUG_HELPERS
from ..rules.inventory import IMPORT_LINE
from . import codes
from .edits import PortedFile


def held(files: dict[str, PortedFile], selected: set[str], stay: dict[str, str], notes: list[str],
         shared: tuple[Any, ...]) -> dict[str, str]:
    """Unit -> why it stays, for the units of the selected files that would convert and use such a name."""
    from .plan import module_files
    from .shared_decorators import imported_names

    decorators = {(one.path, one.name) for one in shared}
    chosen = {unit for relpath, file in files.items() if relpath in selected for unit in file.units}
    found: dict[str, str] = {}
    taints: dict[str, set[str]] = {}
    for relpath, file in sorted(files.items()):
        units = file.units - set(stay) - {"app"}
        if relpath not in selected or not units:
            continue
        used = {n.text() for statement in file.root.children() if "import" not in statement.kind()
                for n in statement.find_all(kind="identifier")}
        for local, (module, name) in sorted(imported_names(file).items()):
            where = next((path for path in module_files(relpath, module) if path in files), None)
            if where is None or where == relpath or local not in used or (where, name) in decorators:
                continue
            if where in selected and files[where].units and not files[where].units & set(stay):
                continue  # converts with it
            if where not in taints:
                taints[where] = needs_context(files[where])
            if name in taints[where]:
                reason = (f"{relpath} calls {name} of {where}, which needs Flask's context (its code, or code it uses, "
                          "has findings) and stays Flask's: FastAPI would answer 500 there")
                for unit in sorted(units):
                    found.setdefault(unit, reason)
                break
    notes += [f"{unit} stays Flask: {why}" for unit, why in sorted(found.items()) if unit in chosen]
    return found



# Findings that need no request or app at run time: an import line, Werkzeug's plain helpers, abort and Werkzeug's
# exceptions (raised the same without Flask)
_NO_CONTEXT = frozenset({IMPORT_LINE.code, WERKZEUG_HELPERS.code, codes.ABORT_CALL, codes.WERKZEUG_EXCEPTION})


def needs_context(file: PortedFile) -> set[str]:
    """The module's top-level functions whose run needs Flask's context: a finding in them (`g`, `current_app`,
    `request`, `session`, `url_for`...), or a call of such a function of the module, followed through a graph of
    calls; each statement read once."""
    bad: set[str] = set()
    callers: dict[str, set[str]] = {}  # function -> the module's functions naming it
    functions = {}
    for statement in file.root.children():
        function = statement.field("definition") if statement.kind() == "decorated_definition" else statement
        if function is not None and function.kind() == "function_definition":
            functions[function.field("name").text()] = statement  # type: ignore[union-attr]
    for name, statement in functions.items():
        if any(site.code not in _NO_CONTEXT for site in file.sites_in(statement)):
            bad.add(name)
        for used in {n.text() for n in statement.find_all(kind="identifier")} & set(functions) - {name}:
            callers.setdefault(used, set()).add(name)
    queue = list(bad)
    while queue:
        for caller in callers.pop(queue.pop(), set()) - bad:
            bad.add(caller)
            queue.append(caller)
    return bad
