"""Flask-Limiter's `@limiter.limit("...")` -> the bridge of port/written/flask_limiter_bridge.py, on the path operation.

Where the module's views are decorated with `@NAME.limit("<literal limits>")` and it makes `NAME =
Limiter(get_remote_address, app=app[, storage_uri="memory://"][, headers_enabled=<literal>][, strategy=<literal>])`
for its own app: `from flask_limiter import Limiter` and `from flask_limiter.util import get_remote_address` become
the bridge's, and the bridge counts and answers as Flask-Limiter does (tests/test_port_limiter.py checks it against
Flask-Limiter itself). Only where FastAPI calls the decorated view for every request Flask-Limiter counted: none of
the parameters the port gives the view may refuse a request before it (a JSON body, a typed query parameter),
and its returns are not strings (which the route's HTMLResponse would send). Anything else keeps its TODO and its
route with Flask, saying why: other limits (default, application), the limit's options, other key functions or
storages, RATELIMIT_* config keys, a handler of its own for 429.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_endpoints import LIMITER
from ..rules.ext_objects import EXTENSION_OBJECT
from . import codes, decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments

MODULE = "flask_limiter_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("limiter bridge", 0)
PLAN = ("limiter plan", 0)
EXTENSION, OBJECT, LIMIT = extension_for_module("flask_limiter").code, EXTENSION_OBJECT.code, LIMITER.code  # type: ignore[union-attr]
CODES = (EXTENSION, OBJECT, LIMIT)
STRATEGIES = ("fixed-window", "moving-window", "sliding-window-counter")


@dataclass
class Plan:
    modules: list[SgNode]
    views: list[tuple[Site, SgNode]] = field(default_factory=list)  # (the limit site, the view function)
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not any(site.code == LIMIT for site in sites):
        return  # a Limiter no view is decorated with: an extension given the app, port/extensions.py's to convert
    decorators.settle(file, sites, PLAN, lambda: _plan(file, sites, apps), "Flask-Limiter's",
                      lambda site: site.node if site.code == LIMIT and site.node.kind() == "attribute" else None)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    for site, view in plan.views:
        required = [text for key, text in file.signature(view).added.items() if key != "request"]
        if required or file.sites_in(view, codes.STRING):
            why = "the view takes a parameter FastAPI may refuse the request for before the limit counts it" \
                if required else "the view returns strings, which its route's HTMLResponse sends"
            file.blocked.setdefault("*", f"{site.node.text()} at {file.path}:{site.node.range().start.line + 1} stays "
                                         f"Flask-Limiter's: {why}")
            return
    decorators.bridged(file, plan.modules, MODULE, plan.ours, USED)


def _plan(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[Plan, list[SgNode]]:
    if "RATELIMIT_" in file.text or "429" in file.text or "RateLimitExceeded" in file.text:
        raise NotPortable("RATELIMIT_* config keys or a handler of the 429 change what Flask-Limiter answers")
    modules = []
    for statement in file.root.find_all(kind="import_from_statement"):
        module = statement.field("module_name")
        if module is None or not module.text().startswith("flask_limiter"):
            continue
        names = [item.text() for item in statement.named_children()[1:]]
        if statement.parent() is None or statement.parent().kind() != "module" or \
                (module.text(), names) not in (("flask_limiter", ["Limiter"]), ("flask_limiter.util", ["get_remote_address"])):  # type: ignore[union-attr]
            raise NotPortable("the module imports other names of flask_limiter than Limiter and get_remote_address")
        modules.append(module)
    if len(modules) != 2:
        raise NotPortable("the module does not import Limiter and get_remote_address once each")
    calls = [c for c in file.root.find_all(kind="call") if c.field("function") is not None
             and c.field("function").text() == "Limiter"]  # type: ignore[union-attr]
    if len(calls) != 1:
        raise NotPortable("not one Limiter(...) in the module")
    call = calls[0]
    positional, keywords = arguments(call)
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the Limiter is not bound to a name at module level")
    if [p.text() for p in positional] != ["get_remote_address"] or "app" not in keywords or \
            keywords["app"].text() not in apps or set(keywords) - {"app", "storage_uri", "headers_enabled", "strategy"}:
        raise NotPortable("Limiter(...) is not Limiter(get_remote_address, app=app) with storage_uri, headers_enabled "
                          "or strategy (its other options, default limits, have no counterpart in the bridge)")
    try:
        if literal(keywords["storage_uri"]) != "memory://" if "storage_uri" in keywords else False:
            raise ValueError
        if not isinstance(literal(keywords["headers_enabled"]) if "headers_enabled" in keywords else False, bool):
            raise ValueError
        if "strategy" in keywords and literal(keywords["strategy"]) not in STRATEGIES:
            raise ValueError
    except ValueError:
        raise NotPortable("storage_uri is not 'memory://', or headers_enabled or strategy is not a literal the bridge "
                          "has") from None
    name = assignment.field("left").text()  # type: ignore[union-attr]
    uses = [n for n in file.root.find_all(kind="identifier") if n.text() == "get_remote_address"]
    if len(uses) != 2:  # its import and the Limiter's argument
        raise NotPortable("get_remote_address is used other than as the Limiter's key function")
    plan = Plan(modules)
    guards: list[SgNode] = []
    for node in file.root.find_all(kind="identifier"):
        if node.text() != name or node == assignment.field("left"):
            continue
        attribute = node.parent()
        limit = attribute.parent() if attribute is not None else None
        decorator = limit.parent() if limit is not None else None
        if attribute is None or attribute.kind() != "attribute" or attribute.field("attribute").text() != "limit" or \
                limit is None or limit.kind() != "call" or decorator is None or decorator.kind() != "decorator":  # type: ignore[union-attr]
            raise NotPortable(f"{name} is used at line {node.range().start.line + 1} other than as `@{name}.limit(...)`")
        limit_positional, limit_keywords = arguments(limit)
        try:
            if limit_keywords or len(limit_positional) != 1 or not isinstance(literal(limit_positional[0]), str):
                raise ValueError
        except ValueError:
            raise NotPortable(f"@{name}.limit(...) is not given one literal limit string (its options have no "
                              "counterpart in the bridge)") from None
        view = decorator.parent().field("definition") if decorator.parent() is not None else None  # type: ignore[union-attr]
        if view is None or view.kind() != "function_definition":
            raise NotPortable(f"@{name}.limit(...) is not on a function")
        site = next((s for s in sites if s.code == LIMIT and s.node == attribute), None)
        if site is None:
            raise NotPortable(f"@{name}.limit(...) at line {node.range().start.line + 1} is not a finding of the audit")
        plan.views.append((site, view))
        guards.append(attribute)
    for site in sites:
        node = site.node
        if site.code == EXTENSION and file.statement_of(node).field("module_name") in modules or \
                site.code == OBJECT and span_in(node, call) or node.text().startswith(name + "."):
            plan.ours.append(site)
            continue
        raise NotPortable(f"{site.code} at line {node.range().start.line + 1} ({node.text()[:40]}) is not a use the "
                          "bridge has")
    return plan, guards


def span_in(node: SgNode, outer: SgNode) -> bool:
    return outer.range().start.index <= node.range().start.index <= outer.range().end.index


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
