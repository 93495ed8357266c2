"""A view's other decorators: which may stay on the path operation.

Flask runs a view's other decorators (`@login_required` under `@app.get(...)`) around the view on every request;
FastAPI does the same with the function the path operation is given, and reads its parameters through
`__wrapped__` (`functools.wraps`), so a decorator that does in FastAPI what it did in Flask can stay where it is,
in the same order. The port does not know that of any decorator by itself: a rewrite that makes one faithful says
so with `keep` before the routes are read (the extensions' bridges of port/bridges.py: Flask-Login, Flask-HTTPAuth,
Flask-CORS's cross_origin, Flask-Caching, Flask-Pydantic, Flask-Limiter; the module's own `functools.wraps`
decorators, below; and those another module of the project defines, port/shared_decorators.py), and routes.read_route lets such a decorator stay (with the methods it answers besides the
route's, `add_methods`); every other decorator still keeps its route with Flask, with the reason `refuse` gave.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Container

from ast_grep_py import SgNode

from . import shared_decorators
from .codes import TUPLE
from .edits import NotPortable, PortedFile, Site
from .hooks import give_request
from .responses import port_tuple
from ..scopes import span

KEPT = ("decorators kept", 0)  # file.memo key: the start offsets of the decorator expressions that stay
WHY = ("decorators refused", 0)  # file.memo key: start offset -> why a rewrite that knows the decorator left it


def keep(file: PortedFile, expression: SgNode, alone: Alone | None = None) -> None:
    """The decorator `expression` (`login_required`, or the callee of `limit(...)`) does in FastAPI what it did
    in Flask, as the module's port rewrites it: it stays on the path operation. `alone`: it does so on a view's
    copy moved in front of the Flask app too (split.py), on these terms."""
    file.memo.setdefault(KEPT, set()).add(span(expression)[0])
    if alone is not None:
        file.memo.setdefault(ALONE, {})[span(expression)[0]] = alone


def kept(file: PortedFile, expression: SgNode) -> bool:
    return span(expression)[0] in file.memo.get(KEPT, ())


# Route by route (split.py): a view moves to a module FastAPI serves in front of the Flask app, which stays. A kept
# decorator goes along with it only where its rewrite needs nothing of the converted module that the copy lacks (the
# copy imports the decorator's names from the bridge, or the Flask module's own import of a library's marker) and
# answers there as in Flask: what main.py gives the routes FastAPI serves is what it needs (the Flask app's injector,
# its LoginManager), and the Flask app's error handlers see no status it raises (Flask's would take them where the
# copy's exception handlers do not: split._raised).
ALONE = ("decorators moving alone", 0)  # file.memo key: start offset -> Alone


@dataclass(frozen=True)
class Alone:
    """How a kept decorator answers on a moved copy: `raises`, the statuses it may raise (as Werkzeug's exceptions in
    Flask, which the Flask app's error handlers take); `unless`, words that, anywhere in the project's text, make it
    answer otherwise (config keys of the extension, read from the Flask app's config), so it does not move;
    `unsure`, words that, anywhere, make it answer what the port cannot tell (a handler of the project's), so any
    status; `login`, it needs main.py's Flask-Login middleware for the Flask app's LoginManager."""

    raises: frozenset[str] = frozenset()
    unless: tuple[str, ...] = ()
    unsure: tuple[str, ...] = ()
    login: bool = False


def alone(file: PortedFile, expression: SgNode) -> Alone | None:
    """How the kept decorator `expression` answers on a view moved alone, or None where it does not move."""
    return file.memo.get(ALONE, {}).get(span(expression)[0]) if kept(file, expression) else None


ADDED = ("decorators' methods", 0)  # file.memo key: start offset -> the methods a kept decorator adds to its route


def add_methods(file: PortedFile, expression: SgNode, methods: list[str]) -> None:
    """The kept decorator `expression` makes its route answer `methods` too (Flask-CORS's OPTIONS)."""
    file.memo.setdefault(ADDED, {}).setdefault(span(expression)[0], []).extend(methods)


def methods_added(file: PortedFile, expressions: list[SgNode]) -> list[str]:
    found = file.memo.get(ADDED, {})
    return [method for expression in expressions for method in found.get(span(expression)[0], ())]


def refuse(file: PortedFile, expression: SgNode, reason: str) -> None:
    """The decorator `expression` is one a rewrite knows but leaves here, for `reason` (said where the route stays)."""
    file.memo.setdefault(WHY, {})[span(expression)[0]] = reason


def settle(file: PortedFile, sites: list[Site], key: object, plan: Callable[[], tuple[Any, list[SgNode]]],
           owner: str, decorator: Callable[[Site], SgNode | None] = lambda site: None,
           ours: Callable[[Site], bool] = lambda site: True,
           alone: Callable[[SgNode], Alone | None] = lambda node: None, pool: bool = False) -> Any:
    """A bridge's reading of a module (port/bridges.py): `plan()` gives its plan and the decorators it keeps on the
    views, stored under file.memo[key]; or it raises NotPortable, and then each of `sites` that is `ours` keeps
    its TODO with the reason, and the decorator expression of each (`decorator(site)`, None where the site is
    none) is refused with it, so the route that stays Flask says why. The plan, or None. `alone(guard)`: how a
    kept decorator answers on a view moved alone (keep); `pool`: the bridge's wrapper is a coroutine function that runs
    a sync view in FastAPI's thread pool (in_pool)."""
    try:
        made, guards = plan()
    except NotPortable as reason:
        for site in sites:
            if not ours(site):
                continue
            site.reason = site.reason or str(reason)
            expression = decorator(site)
            if expression is not None:
                refuse(file, expression, f"which stays {owner}: {reason}")
        return None
    file.memo[key] = made
    for node in guards:
        keep(file, node, alone(node))
        if pool:
            file.memo.setdefault(POOL, set()).add(span(node)[0])
    return made


POOL = ("decorators running the view in the thread pool", 0)  # file.memo key: their start offsets


def in_pool(file: PortedFile, expression: SgNode) -> bool:
    """True for a kept decorator whose wrapper is a coroutine function running a sync view in FastAPI's thread pool
    (Flask-Pydantic's and webargs' bridges, which await the body first): what must run in the view's own thread, as
    Flask-SQLAlchemy's app context, goes under it (flask_sqlalchemy._decorate)."""
    return span(expression)[0] in file.memo.get(POOL, ())


def bridged(file: PortedFile, modules: list[SgNode], bridge: str, ours: list[Site], used: object) -> None:
    """A bridge's plan carried out: the module's imports of the extension (`modules`, their module names) import
    `bridge` instead, `ours` are done, and file.memo[used] says the bridge module is to be written beside it."""
    for module in modules:
        file.swap_import(module, bridge)
    for site in ours:
        site.handled = True
    file.memo[used] = True


def imported_names(file: PortedFile, module: str, names: Container[str]) -> tuple[dict[str, str], list[SgNode]]:
    """The names the module imports from `module` at its top level (local name -> `module`'s name, each one of
    `names`, the bridge's) and the module-name nodes of those imports; NotPortable where `module` is imported
    inside a function, as a module, or with a name the bridge does not have."""
    local: dict[str, str] = {}
    modules = []
    for statement in file.root.find_all(kind="import_from_statement"):
        name_node = statement.field("module_name")
        if name_node is None or name_node.text() != module:
            continue
        if statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"{module} is imported inside a function")
        for item in statement.named_children()[1:]:
            name = item.field("name").text() if item.kind() == "aliased_import" else item.text()  # type: ignore[union-attr]
            if name not in names:
                raise NotPortable(f"{module}'s {name} is not in the bridge")
            local[(item.field("alias") if item.kind() == "aliased_import" else item).text()] = name  # type: ignore[union-attr]
        modules.append(name_node)
    if any(node.text() == module for node in file.root.find_all(kind="dotted_name")
           if node.parent() is not None and node.parent().kind() in ("import_statement", "aliased_import")):  # type: ignore[union-attr]
        raise NotPortable(f"{module} is imported as a module")
    return local, modules


def why(file: PortedFile, expression: SgNode) -> str:
    """Why the decorator `expression` keeps its view with Flask."""
    return file.memo.get(WHY, {}).get(span(expression)[0], "which runs code around it that the port does not convert")


# The module's own decorators ---------------------------------------------------------------------------------
# `def login_required(view): @functools.wraps(view) def wrapped(**kwargs): ...; return view(**kwargs); return
# wrapped` on the module's views: its wrapper is ported with the rewrites of a view (port/convert.py gives it as a
# context), and it stays on the path operation. FastAPI calls the path operation's function with keywords only, for
# the parameters `inspect.signature` finds, which follows `__wrapped__` to the view: the wrapper gets the view's
# arguments as Flask gave them. Where the wrapper reads the request, the port gives it `request: Request` (as a view);
# FastAPI passes the request only to a function whose signature asks for it, so each view it decorates asks for it
# too, and the wrapper hands it on (`view(**kwargs, request=request)`). Both are sync functions, as in Flask, where a
# sync wrapper around an async view fails (the wrapper returns a coroutine): FastAPI runs them in its thread pool.
OWN = ("own decorators", 0)  # file.memo key: the module's own decorators the port converts
# file.memo key: name -> why the port leaves a decorator of this module that other modules import (shared_decorators)
SHARED_WHY = ("shared decorators refused", 0)


@dataclass
class Own:
    name: str
    definition: SgNode  # def name(view): ...
    wrapper: SgNode  # the inner function, given the view's arguments
    call: SgNode  # the wrapper's call of the view
    views: list[SgNode] = field(default_factory=list)  # the view functions it decorates
    exported: bool = False  # other modules' views use it too (shared_decorators.py)


def read_own(file: PortedFile, root: Path | None, flagged: frozenset[str], shared: tuple[Any, ...] = ()) -> None:
    """Before the routes are read: the module's own decorators on its views that the port converts stay on them;
    the others say why where their routes stay. `root`, `flagged`: the project's folder and the files with
    findings, where another module may use a decorator of this one; `shared`: the decorators modules import from
    others for their views (shared_decorators.Shared), converted where they are defined and kept where used."""
    shared_decorators.read(file, shared)
    exported = {one.name: one for one in shared if one.path == file.path and one.kind == "decorator"}
    routes = file.route_starts()
    uses: dict[str, list[tuple[SgNode, SgNode]]] = {}  # name -> (its @name expression, the view function)
    for definition in file.root.find_all(kind="decorated_definition"):
        function = definition.field("definition")
        decorators = [d for d in definition.children() if d.kind() == "decorator"]
        if function is None or function.kind() != "function_definition" or not any(
                d.named_children() and span(_callee(d.named_children()[0]))[0] in routes for d in decorators):
            continue
        for decorator in decorators:
            expression = decorator.named_children()[0] if decorator.named_children() else None
            if expression is None or _callee(expression).kind() != "identifier":
                continue
            where = file.bound.get(_callee(expression).text())
            if where == file.path and expression.kind() == "identifier":
                uses.setdefault(expression.text(), []).append((expression, function))
            elif where is not None and where != file.path and span(expression)[0] not in file.memo.get(WHY, {}) \
                    and not kept(file, expression):
                refuse(file, _callee(expression), f"imported from {where}, which the port does not convert with "
                                                  "this module (it converts the decorators a module defines itself)")
    # a class-based view's `decorators = [...]`, on each of its methods (imported here: class_views uses this module)
    from .class_views import decorated_methods

    for expression, function in decorated_methods(file):
        if file.bound.get(expression.text()) == file.path:
            uses.setdefault(expression.text(), []).append((expression, function))
    for name in exported:
        uses.setdefault(name, [])
    if not uses:
        return
    named: dict[str, int] = {}  # how often each name of the module is written: once for all the decorators
    for node in file.root.find_all(kind="identifier"):
        named[node.text()] = named.get(node.text(), 0) + 1
    for name, found in uses.items():
        try:
            if name in exported and exported[name].why:
                raise NotPortable(exported[name].why)
            own = _own(file, name, found, lambda name: name not in exported and
                       used_elsewhere(file, name, root, flagged), named.get(name, 0))
        except NotPortable as reason:
            for expression, _ in found:
                refuse(file, expression, f"the module's own decorator, which stays Flask's: {reason}")
            file.memo.setdefault(SHARED_WHY, {})[name] = str(reason)
            continue
        own.exported = name in exported
        file.memo.setdefault(OWN, []).append(own)
        for expression, _ in found:
            keep(file, expression)


def own_contexts(file: PortedFile) -> dict[int, SgNode]:
    """The wrappers of the module's own decorators: ported as views are."""
    return {span(own.wrapper)[0]: own.wrapper for own in file.memo.get(OWN, ())}


def with_wrappers(file: PortedFile, views: Any) -> Any:
    """`views` (routes.Views) and, for each wrapper of the module's own decorators whose views are all on one
    owner, the route of its first view: url_for builds there as in that view (a `.name` on that Blueprint)."""
    owns = file.memo.get(OWN, ())
    if not owns:
        return views
    found = type(views)(views)
    for own in owns:
        routes = [views.get(span(view)[0]) for view in own.views]
        if own.exported:
            # on other modules' views too, whose Blueprint a `.name` would be relative to: a full endpoint only
            if not _RELATIVE_URL.search(own.wrapper.text()) and views:
                found[span(own.wrapper)[0]] = next(iter(views.values()))
        elif routes and all(route is not None for route in routes) and len({route.owner for route in routes}) == 1:
            found[span(own.wrapper)[0]] = routes[0]
    return found


_RELATIVE_URL = re.compile(r"""url_for\(\s*f?['"]\.""")  # url_for(".login"): the endpoint of the request's Blueprint


def finish_own(file: PortedFile) -> None:
    """After the rewrites: a wrapper that reads the request hands it on to the views, which ask FastAPI for it; a
    decorator whose wrapper keeps a TODO, or may answer what is not a Response, keeps the module with Flask."""
    shared_decorators.finish(file)  # another module's decorators, on this one's views
    for own in file.memo.get(OWN, ()):
        left = [site for site in file.sites_in(own.definition) if not site.handled]
        answers = [r for r in own.wrapper.find_all(kind="return_statement") if _function_of(r) == own.wrapper
                   and not (r.named_children() and r.named_children()[0] == own.call)]
        for answer in answers:  # `return body, status`: the audit flags a view's tuples only (FMA801)
            value = answer.named_children()[0] if answer.named_children() else None
            if value is not None and value.kind() in ("expression_list", "tuple"):
                try:
                    port_tuple(file, Site(TUPLE, value, ""))
                except NotPortable:
                    pass  # left as it is: not a Response, said below
        plain = [r for r in answers if not r.named_children() or
                 not file.rendered(r.named_children()[0]).startswith(_RESPONSES)]
        if left or plain:
            why = f"{left[0].code} at line {left[0].node.range().start.line + 1} is left to people" if left else \
                f"its answer at line {plain[0].range().start.line + 1} is not a Response FastAPI sends as it is"
            file.blocked.setdefault("*", f"the decorator {own.name} ({file.path}) stays Flask's: {why}")
            file.memo.setdefault(SHARED_WHY, {})[own.name] = why
            continue
        if "request" not in file.signature(own.wrapper).added:
            continue
        for view in own.views:
            if "request" not in file.signature(view).added and not any(
                    p.text() == "request" for p in view.field("parameters").find_all(kind="identifier")):  # type: ignore[union-attr]
                give_request(file, view)
        arguments = own.call.field("arguments")
        file.replace(arguments, file.rendered(arguments)[:-1] + ", request=request)")  # type: ignore[arg-type]


# What a wrapper's own answers must be: a Response (the port's rewrites of jsonify, tuples, redirect...), which
# FastAPI sends as it is, whatever the view's route says of the view's own return values.
_RESPONSES = ("JSONResponse(", "RedirectResponse(", "Response(", "HTMLResponse(", "PlainTextResponse(",
              "flask_redirect(")  # (responses.REDIRECT_HELPER, the port's Flask redirect)


def _own(file: PortedFile, name: str, found: list[tuple[SgNode, SgNode]], elsewhere: Callable[[str], bool],
         written: int) -> Own:
    definition = next((s for s in file.root.children() if s.kind() == "function_definition"
                       and s.field("name").text() == name), None)  # type: ignore[union-attr]
    if definition is None:
        raise NotPortable("not a function defined at module level without decorators of its own")
    parameters = [p for p in definition.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if len(parameters) != 1 or parameters[0].kind() != "identifier":
        raise NotPortable("it takes other arguments than the view")
    view = parameters[0].text()
    body = [s for s in definition.field("body").named_children() if s.kind() != "comment"]  # type: ignore[union-attr]
    if body and body[0].kind() == "expression_statement" and body[0].named_children()[0].kind() == "string":
        body = body[1:]  # its docstring
    inner = body[0].field("definition") if len(body) == 2 and body[0].kind() == "decorated_definition" else None
    if inner is None or inner.kind() != "function_definition" or body[1].text() != f"return {inner.field('name').text()}":  # type: ignore[union-attr]
        raise NotPortable("it is not a function wrapped with functools.wraps and returned")
    wraps = [d.named_children()[0] for d in body[0].children() if d.kind() == "decorator"]
    if len(wraps) != 1 or wraps[0].text() not in (f"functools.wraps({view})", f"wraps({view})") or \
            file.bound.get("wraps", "functools") != "functools":
        raise NotPortable("its wrapper has other decorators than functools.wraps(view)")
    if definition.text().startswith("async") or inner.text().startswith("async") or \
            any(function.text().startswith("async") for _, function in found):
        raise NotPortable("an async wrapper or view (FastAPI would await what Flask called)")
    taken = [p.text() for p in inner.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if taken not in (["*args", "**kwargs"], ["**kwargs"]):
        raise NotPortable("its wrapper takes other parameters than *args, **kwargs (FastAPI passes the view's by name)")
    given = ", ".join(taken)
    calls = [n for n in inner.find_all(kind="identifier") if n.text() == view]
    call = call_of_name(calls[0]) if len(calls) == 1 else None
    if call is None or call.field("arguments").text() != f"({given})" or call.parent() is None or \
            call.parent().kind() != "return_statement":  # type: ignore[union-attr]
        raise NotPortable(f"its wrapper does not only `return {view}({given})`")
    if written != len({span(expression)[0] for expression, _ in found}) + 1:  # its definition's name, and the decorators
        raise NotPortable("it is used otherwise than as a decorator of the module's views")
    if elsewhere(name):
        raise NotPortable("another module of the project may use it")
    return Own(name, definition, inner, call, [function for _, function in found])


def used_elsewhere(file: PortedFile, name: str, root: Path | None, flagged: frozenset[str]) -> bool:
    """True when another Python module of the project with findings names `name` (it may import it from `file`),
    or the project's files cannot be read."""
    if root is None:
        return True
    word = re.compile(rf"\b{re.escape(name)}\b")
    for path in flagged:
        if path.endswith(".py") and path != file.path:
            text = _project_text(root / path)
            if text is None or word.search(text):
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _read(path: Path, stamp: tuple[int, int]) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _project_text(path: Path) -> str | None:
    """A module of the project, read once per version of it (the port reads each file for each own decorator)."""
    try:
        status = path.stat()
        return _read(path, (status.st_mtime_ns, status.st_size))
    except OSError:
        return None


def call_of_name(node: SgNode) -> SgNode | None:
    parent = node.parent()
    return parent if parent is not None and parent.kind() == "call" and parent.field("function") == node else None


def _callee(expression: SgNode) -> SgNode:
    return expression.field("function") if expression.kind() == "call" else expression  # type: ignore[return-value]


def _function_of(node: SgNode) -> SgNode | None:
    current = node.parent()
    while current is not None and current.kind() not in ("function_definition", "lambda"):
        current = current.parent()
    return current
