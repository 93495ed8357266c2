"""Flask's `app.request_class = AppRequest` (FMA512), the Request subclass (FMA211) and helpers typed with Flask's
Request (FMA210) -> a Starlette Request subclass the path operations get through a route class
(port/written/flask_request_class.py: `app.router.route_class = request_class_route(AppRequest)`, before the
routes), as the request-class proof ports them.

Converted where all of it reads what Starlette's Request answers alike: the subclass's methods read `self.<attr>`
of request_object's table (`self.path` -> `self.url.path`); a helper's `Request` parameter is read only as
`req.args.get(key)` (-> Werkzeug's first value of the key, `next(iter(req.query_params.getlist(key)), None)`) or
such attributes; a view uses `request` only as `request.<a property of the subclass>` or as the argument of such a
helper, and takes `request: Request` (FastAPI hands it the subclass). Left: a module with Blueprints, error
handlers or hooks (Flask gave them the subclass too, the route class only the path operations), a route before the
assignment, anything else the subclass or helpers read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..rules.application import APP_ATTRIBUTE
from ..rules.request import CUSTOM_REQUEST, REQUEST_TYPE
from ..scopes import span
from . import codes, session
from .edits import NotPortable, PortedFile, Site
from .hooks import give_request
from .request_object import _ATTRIBUTES

MODULE = "flask_request_class"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("request class bridge", 0)
PLAN = ("request class plan", 0)
SETTING, SUBCLASS, TYPED = APP_ATTRIBUTE.code, CUSTOM_REQUEST.code, REQUEST_TYPE.code
_PLAIN = {name: text for name, text in _ATTRIBUTES.items() if "{q}" not in text and "(" not in text}


@dataclass
class Plan:
    sites: list[Site]
    edits: list[tuple[SgNode, str]] = field(default_factory=list)
    views: list[SgNode] = field(default_factory=list)
    flask_import: SgNode | None = None
    flask_names: list[str] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    settings = [s for s in file.sites_of(SETTING) if s.node.text().endswith(".request_class")]
    if not settings:
        return
    sites = settings + file.sites_of(SUBCLASS) + file.sites_of(TYPED)
    try:
        file.memo[PLAN] = _plan(file, apps, settings)
        file.memo[PLAN].sites = sites
    except NotPortable as reason:
        for site in sites:
            site.reason = site.reason or str(reason)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    names = ", ".join(plan.flask_names)
    file.replace(plan.flask_import, f"from flask import {names}" if names else "")  # type: ignore[arg-type]
    file.bound["Request"] = "fastapi"  # Flask's Request is no longer imported: every use is now Starlette's
    file.imports.setdefault("fastapi", set()).add("Request")
    file.imports.setdefault(MODULE, set()).add("request_class_route")
    for node, text in plan.edits:
        file.replace(node, text)
    for view in plan.views:
        give_request(file, view)
    for site in plan.sites:
        site.handled = True
    file.memo[USED] = True


def _plan(file: PortedFile, apps: set[str], settings: list[Site]) -> Plan:
    plan = Plan([])
    if len(settings) != 1 or len(apps) != 1:
        raise NotPortable("request_class is set other than once on the one app of the module")
    for code in (codes.ERRORS, codes.BEFORE, codes.AFTER, codes.TEARDOWN_HOOK, codes.BLUEPRINT):
        if file.sites_of(code):
            raise NotPortable("the module has Blueprints, error handlers or hooks, which Flask gave the subclass too; "
                              "the route class wraps only the path operations' requests")
    target = settings[0].node
    statement = file.statement_of(target)
    assignment = statement.named_children()[0] if statement.named_children() else None
    value = assignment.field("right") if assignment is not None and assignment.kind() == "assignment" else None
    if statement.parent() is None or statement.parent().kind() != "module" or value is None or \
            assignment.field("left") != target or target.field("object").text() not in apps or \
            value.kind() != "identifier":  # type: ignore[union-attr]
        raise NotPortable("not `app.request_class = Name` at the top of the module")
    if any(span(s.node)[0] < span(statement)[0] for s in file.sites_of(codes.ROUTE_DECORATOR)):
        raise NotPortable("a route is added before request_class is set, where the route class would not apply")
    name = value.text()
    app = target.field("object").text()  # type: ignore[union-attr]
    plan.edits.append((statement, f"{app}.router.route_class = request_class_route({name})"))
    # Flask's import: `Request` goes (Starlette's comes), `request` stays for what the port leaves
    imports = [s for s in file.root.children() if s.kind() == "import_from_statement"
               and s.field("module_name").text() == "flask"]  # type: ignore[union-attr]
    if len(imports) != 1 or any(item.kind() == "aliased_import" for item in imports[0].named_children()[1:]):
        raise NotPortable("Flask's names are imported otherwise than in one `from flask import ...`")
    plan.flask_import = imports[0]
    plan.flask_names = [item.text() for item in imports[0].named_children()[1:] if item.text() != "Request"]
    classes = [s for s in file.root.children() if s.kind() == "class_definition"
               and s.field("name").text() == name]  # type: ignore[union-attr]
    bases = classes[0].field("superclasses") if len(classes) == 1 else None
    if bases is None or [b.text() for b in bases.named_children()] != ["Request"] or \
            file.bound.get("Request") != "flask":
        raise NotPortable(f"{name} is not a class of the module deriving from Flask's Request alone")
    subclass = classes[0]
    properties = set()
    for function in subclass.field("body").find_all(kind="function_definition"):  # type: ignore[union-attr]
        properties.add(function.field("name").text())  # type: ignore[union-attr]
    _reads(file, subclass, "self", properties, plan)
    typed = {s.node for s in file.sites_of(TYPED)}
    helpers: dict[str, int] = {}
    for site in file.sites_of(TYPED):
        parameter = site.node.parent()
        function = parameter.parent().parent() if parameter is not None and parameter.parent() is not None else None
        if parameter is None or parameter.kind() != "typed_parameter" or function is None or \
                function.kind() != "function_definition" or function.parent() is None or \
                function.parent().kind() != "module":
            raise NotPortable("Flask's Request annotates other than a parameter of a module-level function")
        own = parameter.named_children()[0].text()
        _reads(file, function, own, set(), plan)
        position = [p for p in function.field("parameters").named_children()].index(parameter)  # type: ignore[union-attr]
        helpers[function.field("name").text()] = position  # type: ignore[union-attr]
    uses = [n for n in file.root.find_all(kind="identifier") if n.text() == "Request" and n.parent() is not None
            and n.parent().kind() not in ("dotted_name", "import_from_statement")]
    if any(n not in typed and n.parent() not in typed and n.parent() != bases for n in uses):
        raise NotPortable("Flask's Request is used otherwise than as the subclass's base and helpers' annotations")
    for site in file.sites_of(codes.ROUTE_DECORATOR):
        definition = file.statement_of(site.node)
        view = definition.field("definition") if definition.kind() == "decorated_definition" else None
        if view is None:
            continue
        reads = [n for n in view.find_all(kind="identifier") if n.text() == "request"]
        if not reads:
            continue
        if file.sites_in(view) or "request" in [p.text() for p in view.field("parameters").named_children()]:  # type: ignore[union-attr]
            raise NotPortable("a view reads the request otherwise too, which the port rewrites on its own")
        for node in reads:
            parent = node.parent()
            if parent is not None and parent.kind() == "attribute" and parent.field("object") == node and \
                    parent.field("attribute").text() in properties:  # type: ignore[union-attr]
                continue
            call = parent.parent() if parent is not None and parent.kind() == "argument_list" else None
            if call is not None and call.field("function").text() in helpers and \
                    parent.named_children().index(node) == helpers[call.field("function").text()]:  # type: ignore[union-attr]
                continue
            raise NotPortable("a view uses the request otherwise than the subclass's properties and the helpers")
        plan.views.append(view)
    if file.bound.get("request") == "flask" and not plan.views:
        raise NotPortable("no view reads the subclass")
    return plan


def _reads(file: PortedFile, scope: SgNode, name: str, own: set[str], plan: Plan) -> None:
    """`name.<attr>` reads in `scope`, rewritten as Starlette's Request answers them, or NotPortable."""
    for node in scope.find_all(kind="identifier"):
        if node.text() != name:
            continue
        parent = node.parent()
        if parent is not None and parent.kind() in ("parameters", "typed_parameter"):
            continue
        attribute = parent.field("attribute").text() if parent is not None and parent.kind() == "attribute" and \
            parent.field("object") == node else None  # type: ignore[union-attr]
        if attribute in _PLAIN:
            plan.edits.append((parent, _PLAIN[attribute].replace("request", name)))  # type: ignore[arg-type]
            continue
        if attribute in own:
            continue
        getter = parent.parent() if attribute == "args" else None
        call = getter.parent() if getter is not None and getter.kind() == "attribute" else None
        if call is not None and call.kind() == "call" and getter.field("attribute").text() == "get":  # type: ignore[union-attr]
            values = call.field("arguments").named_children()  # type: ignore[union-attr]
            if len(values) == 1 and values[0].kind() == "string":
                plan.edits.append((call, f"next(iter({name}.query_params.getlist({values[0].text()})), None)"))
                continue
        raise NotPortable(f"{name}.{attribute or ''} is read otherwise than Starlette's Request answers alike")


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
