"""Flask-Injector -> the injector bridge (port/written/flask_injector_bridge.py): the same `injector.Injector`, the
same modules, and a FastAPI dependency per argument a view received from it.

Flask-Injector 0.15 (`FlaskInjector(app=app, modules=[...])`, after the views) installs each module in a new
`Injector()` and wraps every view that has type hints in `injector.call_with_injection`: each annotated parameter
that is not a URL value is `injector.get(its annotation)`, whether or not the view is decorated with `@inject`.
The port writes that as `name: Annotated[T, Injected(T)]` (the bridge's dependency: `injector.get(T)` from the
injector of the app answering the request, `request.app.state.injector`), keeps `@inject` (injector's marker,
which returns the function itself) on the path operation, and imports `FlaskInjector` and the request scope
`request` from the bridge in place of Flask-Injector's: the bridge's `FlaskInjector` makes and installs the
injector as Flask-Injector did and puts it on the FastAPI app's state, and its `request` scope keeps one object
per binding per request (the modules are the same code, with `scope=request` or `@request` as before).
tests/test_port_injector.py runs each side by side with Flask-Injector itself.

Where every app the project makes gets a FlaskInjector (at the top of the app's module or of its factory's body),
a Blueprint's views take their arguments from the app's injector, typed views of a module that does not import the
injector too (Flask-Injector wraps them all): while the app stays Flask, main.py puts the Flask app's own injector
on the FastAPI app's state (`injector_of(flask_app)`), so both halves share its singletons; where the app's module
converts whole, the bridge's FlaskInjector puts its injector there (`Facts.flask_injector`).

Left to people, each site with the reason: an injected parameter with a default, a `*args`, a type that is not a
name (`Optional[T]`), Flask's own `Flask`, `Config` or `Request` (which Flask-Injector binds to the Flask app's),
a FlaskInjector given another app, an `injector=` or `request_scope_class=`, Flask-Injector's names the bridge
has not (`Config`, `Request`), or a hook, error handler, context processor or template global of the module that
has type hints (Flask-Injector injects those too, the port does not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_followed import (
    INJECTOR_MODULES,
    INJECTOR_REQUEST_SCOPE,
    INJECTOR_VIEW,
    INJECTOR_WIRING,
)
from ..scopes import span
from . import decorators, session
from .codes import ROUTE_DECORATOR
from .edits import NotPortable, PortedFile, Site
from .routes import arguments

MODULE = "flask_injector_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("injector bridge", 0)
PLAN = ("injector plan", 0)
REFUSED = ("injector: why typed views stay", 0)  # file.memo key, for a module without injector findings
# file.memo key: True when every app the project makes gets a FlaskInjector (plan.injector_on_every_app): the views
# of a module without one take their arguments from the app's
FROM_FLASK = ("injector: the app's", 0)
EXTENSION = extension_for_module("flask_injector").code  # type: ignore[union-attr]
WIRING, MODULES, SCOPE, VIEW = (INJECTOR_WIRING.code, INJECTOR_MODULES.code, INJECTOR_REQUEST_SCOPE.code,
                                INJECTOR_VIEW.code)
CODES = (EXTENSION, WIRING, MODULES, SCOPE, VIEW)
NAMES = frozenset({"FlaskInjector", "request", "RequestScope"})  # Flask-Injector's names the bridge has
FLASKS = frozenset({"Flask", "Config", "Request", "flask.Flask", "flask.Config", "flask.Request"})
_URL_VALUE = re.compile(r"<(?:[^<>:]+:)?(\w+)>")
_HOOKS = frozenset({"before_request", "after_request", "teardown_request", "teardown_appcontext", "errorhandler",
                    "context_processor", "template_global", "template_filter", "app_errorhandler",
                    "before_app_request", "after_app_request", "app_context_processor"})


@dataclass
class Plan:
    modules: list[SgNode]  # the module names of `from flask_injector import ...`
    views: list[tuple[SgNode, list[SgNode]]] = field(default_factory=list)  # (view, the types of its injected args)
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    """The module's plan, or its refusal: then each finding keeps its TODO with the reason, `@inject` keeps its
    view with Flask, and so does every typed view's route (Flask-Injector fills them all, findings or not: a
    module that does not import the injector has none, a typed parameter with a default has none)."""
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not sites and not (file.memo.get(FROM_FLASK) and _typed_views(file)):
        return
    try:
        plan, guards = _plan(file, sites, apps)
    except NotPortable as reason:
        for site in sites:
            site.reason = site.reason or str(reason)
            inject = _inject_decorator(site.node) if site.code == VIEW else None
            if inject is not None:
                decorators.refuse(file, inject, f"which stays Flask-Injector's: {reason}")
        held = [site for view in _typed_views(file) for site in file.sites_in(view.parent() or view, ROUTE_DECORATOR)]
        for site in held:  # not read as routes (convert._attempt skips them): finish() gives them back, left
            site.handled = True
        file.memo[REFUSED] = (str(reason), held)
        return
    file.memo[PLAN] = plan
    for node in guards:  # injector's marker, which returns the view itself: the same on a view moved alone (split.py),
        # whose `Injected` arguments come from the Flask app's injector, which main.py puts on its state
        decorators.keep(file, node, decorators.Alone())


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    if REFUSED in file.memo:  # typed views Flask-Injector fills, which the port does not: Flask's
        reason, held = file.memo[REFUSED]
        for site in held:
            site.handled, site.reason = False, f"Flask-Injector fills this view's typed arguments: {reason}"
        if held:
            file.blocked.setdefault("*", f"Flask-Injector fills the typed views of {file.path}: {reason}")
        return
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    if plan.views:
        file.use("typing", "Annotated")
        file.use(MODULE, "Injected")
    for _, types in plan.views:
        for annotation in types:
            file.replace(annotation, f"Annotated[{annotation.text()}, Injected({annotation.text()})]")
    decorators.bridged(file, plan.modules, MODULE, plan.ours, USED)


def injector_line(flask_app: str, indent: str = "") -> str:
    """What main.py (and the tests' ported_app) write after `app = FastAPI()` for views whose injector is the Flask
    app's."""
    return f"{indent}app.state.injector = injector_of({flask_app})  # the ported views' injector: the Flask app's own"


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE


def _plan(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[Plan, list[SgNode]]:
    _, modules = decorators.imported_names(file, "flask_injector", NAMES)
    plan = Plan(modules, ours=list(sites))
    wired = [site for site in sites if site.code == WIRING]
    if wired:
        if len(wired) != 1 or len(apps) != 1:
            raise NotPortable("not one FlaskInjector(...) for the one app this module makes")
        _wiring(file, wired[0].node, next(iter(apps)))
    elif not file.memo.get(FROM_FLASK):
        raise NotPortable("no FlaskInjector(app=...) in this module, nor on every app the project makes (the views "
                          "would have no injector to take their arguments from)")
    if any(site.code == SCOPE for site in sites) and not modules:
        raise NotPortable("the request scope is not imported from flask_injector")
    _no_typed_hooks(file)
    _no_typed_defaults(file)
    guards = []
    flagged = set()
    for site in sites:
        if site.code != VIEW:
            continue
        view = site.node.parent()
        if view is None or view.kind() != "function_definition":
            raise NotPortable("the injected view is not a function definition")
        if not _injected(view):
            raise NotPortable("the view takes nothing from the injector")
        flagged.add(span(view)[0])
        inject = _inject_decorator(site.node)
        if inject is not None:
            guards.append(inject)
    # every typed view, as Flask-Injector wraps every view with type hints (the findings name those of a module
    # that imports the injector)
    plan.views = [(view, types) for view in _route_views(file) if (types := _injected(view))]
    if flagged - {span(view)[0] for view, _ in plan.views}:
        raise NotPortable("an injected view is not a route's view the port reads")
    return plan, guards


def _route_views(file: PortedFile) -> list[SgNode]:
    """The view functions of the module's routes, once each."""
    found: dict[int, SgNode] = {}
    for site in file.sites_of(ROUTE_DECORATOR):
        definition = site.node
        while definition is not None and definition.kind() != "decorated_definition":
            definition = definition.parent()
        view = definition.field("definition") if definition is not None else None
        if view is not None and view.kind() == "function_definition":
            found.setdefault(span(view)[0], view)
    return list(found.values())


def _typed_views(file: PortedFile) -> list[SgNode]:
    """The route views with a typed parameter that is not a URL value (Flask-Injector's to fill)."""
    found = []
    for view in _route_views(file):
        parameters = view.field("parameters")
        url = _url_values(view)
        if any(p.kind() in ("typed_parameter", "typed_default_parameter") and p.named_children()
               and (p.field("name") or p.named_children()[0]).text() not in url  # type: ignore[union-attr]
               for p in (parameters.named_children() if parameters is not None else ())):
            found.append(view)
    return found


def _wiring(file: PortedFile, node: SgNode, app: str) -> None:
    call = node if node.kind() == "call" else node.find(kind="call")  # the span may be a block's
    statement = file.statement_of(call if call is not None else node)
    if call is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("FlaskInjector(...) is not called at the module's top level")
    positional, keywords = arguments(call)
    given = {"app": positional[0]} if positional else {}
    if len(positional) > 2:
        raise NotPortable("FlaskInjector(...) with arguments besides app and modules")
    if len(positional) == 2:
        given["modules"] = positional[1]
    given.update(keywords)
    if set(given) - {"app", "modules"}:
        raise NotPortable(f"FlaskInjector(...) with {min(set(given) - {'app', 'modules'})}=, which the bridge "
                          "does not take")
    if "app" not in given or given["app"].text() != app:
        raise NotPortable("FlaskInjector(...) is not given this module's app")


def _no_typed_hooks(file: PortedFile) -> None:
    """Flask-Injector also injects the app's hooks, handlers, context processors and template globals."""
    for decorator in file.root.find_all(kind="decorator"):
        expression = decorator.named_children()[0] if decorator.named_children() else None
        callee = expression.field("function") if expression is not None and expression.kind() == "call" else expression
        name = callee.field("attribute").text() if callee is not None and callee.kind() == "attribute" else ""  # type: ignore[union-attr]
        definition = decorator.parent().field("definition") if decorator.parent() is not None else None  # type: ignore[union-attr]
        if name in _HOOKS and definition is not None and definition.kind() == "function_definition":
            parameters = definition.field("parameters")
            if parameters is not None and any(p.kind() in ("typed_parameter", "typed_default_parameter")
                                              for p in parameters.named_children()):
                line = definition.range().start.line + 1
                raise NotPortable(f"the {name} function at line {line} has type hints, which Flask-Injector injects "
                                  "into and the port does not")


def _no_typed_defaults(file: PortedFile) -> None:
    """A view's typed parameter with a default is injected too (`injector.get(int)` is 0 for `page: int = 1`),
    where FastAPI reads it from the query: no view of the module may have one, injected or not."""
    for view in _route_views(file):
        parameters = view.field("parameters")
        url = _url_values(view)
        for parameter in parameters.named_children() if parameters is not None else ():
            name = parameter.field("name")
            if parameter.kind() == "typed_default_parameter" and name is not None and name.text() not in url:
                raise NotPortable(f"the view's parameter {parameter.text()} has a type and a default, which Flask-Injector "
                                  "injects over (FastAPI reads it from the query)")


def _url_values(view: SgNode) -> set[str]:
    """The URL values of the routes on `view` (its route decorators' rules), which Flask passes, not the injector."""
    values: set[str] = set()
    definition = view.parent()
    for decorator in definition.children() if definition is not None and definition.kind() == "decorated_definition" \
            else ():
        if decorator.kind() == "decorator":
            values.update(_URL_VALUE.findall(decorator.text()))
    return values


def _injected(view: SgNode) -> list[SgNode]:
    """The type nodes of the view's parameters the injector gives: typed, not URL values (`*args`, `**kwargs` and
    untyped parameters it leaves; a typed one with a default is _no_typed_defaults')."""
    url = _url_values(view)
    types = []
    parameters = view.field("parameters")
    for parameter in parameters.named_children() if parameters is not None else ():
        if parameter.kind() != "typed_parameter" or parameter.named_children()[0].kind() != "identifier":
            continue  # untyped, a default (typed ones refused before), `*args: T` (injector drops them)
        name = parameter.named_children()[0].text()
        annotation = parameter.field("type")
        if name in url:
            continue
        inner = annotation.named_children() if annotation is not None else []
        if not inner or inner[0].kind() not in ("identifier", "attribute"):
            raise NotPortable(f"the type of {name} is not a name, which the port does not inject")
        if annotation.text() in FLASKS:  # type: ignore[union-attr]
            raise NotPortable(f"{name}: {annotation.text()} is Flask's, which Flask-Injector binds to the Flask app's")  # type: ignore[union-attr]
        types.append(annotation)
    if types and view.text().startswith("async"):
        raise NotPortable("an async view, which Flask-Injector's wrapper calls without awaiting")
    return types  # type: ignore[return-value]


def _inject_decorator(node: SgNode) -> SgNode | None:
    """`inject` in `@inject` on the view whose name `node` is."""
    view = node.parent()
    definition = view.parent() if view is not None else None
    if definition is None or definition.kind() != "decorated_definition":
        return None
    for decorator in definition.children():
        if decorator.kind() == "decorator" and decorator.text() == "@inject":
            return decorator.named_children()[0]
    return None
