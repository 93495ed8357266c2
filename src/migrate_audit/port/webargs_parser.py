"""webargs' `@use_args(...)` / `@use_kwargs(...)` (webargs.flaskparser) -> the decorators of
port/written/flask_webargs_bridge.py, on the path operation.

The bridge parses with webargs' own parser and the same schema what Flask's parser read of the request, and
raises its errors with the `.data` and `.code` Flask's error handlers read (tests/test_port_webargs.py checks it
against webargs.flaskparser itself): `from webargs.flaskparser import use_args, use_kwargs` becomes the bridge's.
Anything else keeps its TODO and its route with Flask, saying why: webargs' `parser` or `FlaskParser` (a project's
error handler or loaders), the `files` and path locations, `req=`, options that are not literals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_endpoints import API_DECORATORS
from . import decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments

MODULE = "flask_webargs_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("webargs bridge", 0)
PLAN = ("webargs plan", 0)
EXTENSION, OBJECT = extension_for_module("webargs.flaskparser").code, API_DECORATORS.code  # type: ignore[union-attr]
NAMES = ("use_args", "use_kwargs")
LOCATIONS = ("json", "query", "querystring", "form", "json_or_form", "headers", "cookies")
OPTIONS = {"location": str, "as_kwargs": bool, "arg_name": str, "error_status_code": int}


@dataclass
class Plan:
    module: SgNode  # `webargs.flaskparser` in its import
    names: list[str] = field(default_factory=list)  # the names it imports
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    imports = [site for site in file.sites_of(EXTENSION) if "webargs" in site.node.text()]
    if not imports:
        return
    uses = [site for site in file.sites_of(OBJECT) if site.node.text() in NAMES]  # the callee
    decorators.settle(file, imports + uses, PLAN, lambda: _plan(file, imports, uses), "webargs'",
                      lambda site: site.node if site.code == OBJECT else None, pool=True)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    # `from webargs.flaskparser import use_args`: the bridge's, imported where isort puts the project's modules
    file.delete_statement(plan.module.parent())  # type: ignore[arg-type]
    file.imports.setdefault(MODULE, set()).update(plan.names)
    for site in plan.ours:
        site.handled = True
    file.memo[USED] = True


def _plan(file: PortedFile, imports: list[Site], uses: list[Site]) -> tuple[Plan, list[SgNode]]:
    statements = [s for s in file.root.find_all(kind="import_from_statement")
                  if s.field("module_name") is not None and  # type: ignore[union-attr]
                  s.field("module_name").text().startswith("webargs.")]  # type: ignore[union-attr]
    imported = [item.text() for item in statements[0].named_children()[1:]] if len(statements) == 1 else []
    if len(statements) != 1 or statements[0].field("module_name").text() != "webargs.flaskparser" or \
            not imported or set(imported) - set(NAMES) or statements[0].parent() is None or \
            statements[0].parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the module imports other names of webargs' Flask parser than use_args and use_kwargs "
                          "(its parser, FlaskParser: a project's loaders and error handler), or imports it otherwise")
    guards = []
    for site in uses:
        call = site.node.parent()
        decorator = call.parent() if call is not None else None
        definition = decorator.parent() if decorator is not None else None
        view = definition.field("definition") if definition is not None else None
        if call is None or call.kind() != "call" or decorator is None or decorator.kind() != "decorator" or view is None or \
                view.kind() != "function_definition":
            raise NotPortable(f"{site.node.text()} is used other than as a view's decorator")
        positional, keywords = arguments(call)
        if len(positional) != 1 or set(keywords) - set(OPTIONS):
            raise NotPortable("use_args() with other arguments than an argmap and literal options the bridge has "
                              "(location, as_kwargs, arg_name, error_status_code)")
        if positional[0].kind() not in ("dictionary", "call"):
            raise NotPortable("use_args() is given its argmap by name, which may be a function of Flask's request "
                              "(webargs calls it with the request); the bridge takes a dict or a Schema() written there")
        for option, value in keywords.items():
            try:
                if not isinstance(literal(value), OPTIONS[option]):
                    raise ValueError
            except ValueError:
                raise NotPortable(f"use_args({option}=...) is not a literal of its type") from None
        if "location" not in keywords or literal(keywords["location"]) not in LOCATIONS:
            raise NotPortable("use_args() reads the JSON body by default (say location=) or a location the "
                              "bridge does not read (files, the view's arguments)")
        guards.append(site.node)
    names = [n for n in file.root.find_all(kind="identifier") if n.text() in NAMES]
    if len(names) != len(uses) + len(imported):
        raise NotPortable("use_args or use_kwargs is used other than as `@use_args(...)` on views")
    return Plan(statements[0].field("module_name"), imported, imports + uses), guards  # type: ignore[arg-type]


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
