"""Flask-HTTPAuth -> the Flask-HTTPAuth bridge (port/written/flask_httpauth_bridge.py).

What the port rewrites, in a module that makes `NAME = HTTPBasicAuth(...)` or `HTTPTokenAuth(...)` (FMA389) with
literal settings: `from flask_httpauth import ...` becomes `from flask_httpauth_bridge import ...`, and every name
keeps its meaning: the bridge's classes parse the credentials, call the module's verify_password / verify_token
and get_user_roles, and answer the error handler's answer (by default "Unauthorized Access" with
`WWW-Authenticate`) as Flask-HTTPAuth does (tests/test_port_httpauth.py checks them against Flask-HTTPAuth itself).
`@NAME.login_required` (with role= or optional=) stays on the path operation (port/decorators.py); the error
handlers get the rewrites of a view (their answers become what FastAPI sends).

Left to people (each site keeps its TODO, with the reason), for the whole module: HTTPDigestAuth, MultiAuth, the
deprecated get_password and hash_password callbacks, settings that are not literals, the object used other than
by its decorators, `current_user()` and `username()`, a callback reading Flask's request (its site stays).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_auth import HTTPAUTH
from ..rules.ext_objects import EXTENSION_OBJECT
from . import decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments
from ..scopes import span

MODULE = "flask_httpauth_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("httpauth bridge", 0)  # file.memo key: True when the ported module imports the bridge
PLAN = ("httpauth plan", 0)
EXTENSION, OBJECT, API = extension_for_module("flask_httpauth").code, EXTENSION_OBJECT.code, HTTPAUTH.code  # type: ignore[union-attr]
CODES = (EXTENSION, OBJECT, API)
CLASSES = {"HTTPBasicAuth": {"scheme", "realm"}, "HTTPTokenAuth": {"scheme", "realm", "header"}}
CALLBACKS = frozenset({"verify_password", "verify_token", "get_user_roles", "error_handler"})
CALLS = frozenset({"current_user", "username"})


@dataclass
class Plan:
    modules: list[SgNode]
    answering: list[SgNode] = field(default_factory=list)  # the error handlers
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    """Before the routes are read: whether the module's Flask-HTTPAuth converts, and its login_required stays."""
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not any(site.code == EXTENSION for site in sites):
        return
    decorators.settle(file, sites, PLAN, lambda: _plan(file, sites), "Flask-HTTPAuth's",
                      lambda site: site.node if site.node.kind() == "attribute" and site.node.parent() is not None
                      and site.node.parent().kind() in ("decorator", "call") else None)  # type: ignore[union-attr]


def contexts(file: PortedFile) -> dict[int, SgNode]:
    plan = file.memo.get(PLAN)
    return {span(function)[0]: function for function in plan.answering} if plan else {}


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    for function in plan.answering:
        if file.signature(function).added or any(not s.handled for s in file.sites_in(function) if s not in plan.ours):
            for site in plan.ours:
                site.reason = site.reason or f"the error handler {function.field('name').text()} is not rewritten"  # type: ignore[union-attr]
            return
    decorators.bridged(file, plan.modules, MODULE, plan.ours, USED)


def _plan(file: PortedFile, sites: list[Site]) -> tuple[Plan, list[SgNode]]:
    made, modules = decorators.imported_names(file, "flask_httpauth", CLASSES)  # local class name -> its name
    if not modules:
        raise NotPortable("flask_httpauth is imported as a module")
    objects: dict[str, SgNode] = {}  # name -> its call
    for call in file.root.find_all(kind="call"):
        function = call.field("function")
        if function is None or function.text() not in made:
            continue
        positional, keywords = arguments(call)
        assignment = call.parent()
        statement = assignment.parent() if assignment is not None else None
        if positional or set(keywords) - CLASSES[made[function.text()]] or assignment is None or \
                assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
                statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"{function.text()}(...) is not bound to a name at module level with keyword settings")
        try:
            if any(not isinstance(literal(value), (str, type(None))) for value in keywords.values()):
                raise ValueError
        except ValueError:
            raise NotPortable(f"{function.text()}(...)'s settings are not literal strings") from None
        objects[assignment.field("left").text()] = call  # type: ignore[union-attr]
    plan = Plan(modules)
    guards: list[SgNode] = []
    answering: dict[int, SgNode] = {}
    targets = {span(call.parent().field("left"))[0] for call in objects.values()}  # type: ignore[union-attr]
    for node in file.root.find_all(kind="identifier"):
        if node.text() in objects and span(node)[0] not in targets:
            _use(file, node, guards, answering)
    plan.answering = list(answering.values())
    for site in sites:
        node = site.node
        statement = file.statement_of(node)
        if site.code == EXTENSION and statement.kind() == "import_from_statement" and \
                statement.field("module_name") in modules or \
                site.code == OBJECT and any(span(node) == span(call) or span(node) == span(call.field("function"))  # type: ignore[arg-type]
                                            for call in objects.values()) or \
                node.text().split(".")[0] in objects:
            plan.ours.append(site)
            continue
        raise NotPortable(f"{site.code} at line {node.range().start.line + 1} ({node.text()[:40]}) is not a use the "
                          "bridge has")
    return plan, guards


def _use(file: PortedFile, node: SgNode, guards: list[SgNode], answering: dict[int, SgNode]) -> None:
    attribute = node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node:
        raise NotPortable(f"{node.text()} is used at line {node.range().start.line + 1} other than by its methods")
    name = attribute.field("attribute").text()  # type: ignore[union-attr]
    holder = attribute.parent()
    call = holder if holder is not None and holder.kind() == "call" and holder.field("function") == attribute else None
    if name == "login_required":
        decorator = (call or attribute).parent()
        if decorator is None or decorator.kind() != "decorator":
            raise NotPortable(f"{attribute.text()} is used other than as a view's decorator")
        if call is not None:
            positional, keywords = arguments(call)
            if positional or set(keywords) - {"role", "optional"}:
                raise NotPortable(f"{attribute.text()}(...) with other arguments than role= and optional=")
        guards.append(attribute)
        return
    if name in CALLS and call is not None and call.field("arguments").text() == "()":  # type: ignore[union-attr]
        return
    if name in CALLBACKS and holder is not None and holder.kind() == "decorator":
        definition = holder.parent()
        function = definition.field("definition") if definition is not None else None
        if function is None or function.kind() != "function_definition" or definition.parent() is None or \
                definition.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"@{attribute.text()} is not on a module-level function")
        if function.text().startswith("async"):
            raise NotPortable(f"@{attribute.text()} is on an async function, which the bridge calls as Flask-HTTPAuth "
                              "does (ensure_sync)")
        if name == "error_handler":
            answering[span(function)[0]] = function
        return
    raise NotPortable(f"{attribute.text()} is not a Flask-HTTPAuth method the bridge has")


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
