"""Flask's class-based views (FMA112): a `MethodView`'s methods, or a `View`'s `dispatch_request`, as path operations.

What Flask 3.1 does (flask/views.py) and how the port keeps it:
- `bp.add_url_rule(rule, view_func=Cls.as_view("name"))` registers one view function under the endpoint `name`
  (a Blueprint's `bp.name`): `as_view` makes a new `Cls()` on each request (`init_every_request`) and calls its
  `dispatch_request(**url_variables)`.
- A `MethodView`'s `methods` are the HTTP method functions the class defines (`get`, `post`...); its
  dispatch_request calls the one named for the request's method, and `get` for a HEAD; Flask adds OPTIONS, and
  any other method gets Werkzeug's 405 with Allow. Each method becomes its own path operation under the endpoint
  name (a GET's answers HEAD too, as routes.py writes a decorated GET view), registered where add_url_rule ran:
  `bp.api_route(path, methods=["GET", "HEAD"], name="api.book_reviews")(ReviewAPI.get)`.
- A `View` answers its `methods` (GET when it sets none) with `dispatch_request`: one function for them all.
- The method bodies are ported as views are (the rewrites of convert.py run on them: request reads, jsonify,
  abort...), the rule's converters as routes.py converts a decorated route's.

- `decorators = [a, b]`: as_view wraps the view function, `b(a(view))`; each method is registered so wrapped, where
  the names are the module's own `functools.wraps` decorators, which decorators.py converts for the methods as it
  does for decorated views (decorators.read_own reads them through decorated_methods). Any other decorator keeps
  the class with Flask.
- A method using Flask-SQLAlchemy runs in the Flask app's context, pushed per request by Flask: flask_sqlalchemy.py
  puts `@flask_app_context(...)` on it under its @staticmethod (decorate), where the class has no `decorators`.

The instance is the one thing a path operation has not: only a class whose methods never use `self` converts (each
method becomes a `@staticmethod`, the class stays as their namespace); a class with other methods, an `__init__`,
other attributes, `as_view` arguments for `__init__`, an add_url_rule with other options, or a name used besides its
definition and registrations keeps its TODO with the reason, and so do all its registrations.

Not Flask's yet, as for routes.py's decorated views of several methods: OPTIONS (Flask answers it with Allow;
each path operation here answers 405), and the Allow header of a 405 (the first path operation's methods, not
all of the rule's).
"""
from __future__ import annotations

from collections.abc import Callable

from ast_grep_py import SgNode

from ..api import returns_of
from ..rules.routing import CLASS_BASED_VIEW
from ..rules.silent_changes import STRING_RETURN, TUPLE_RETURN
from ..scopes import span
from . import codes, decorators, responses, routes
from .edits import NotPortable, PortedFile, Site, literal
from .routes import Route

# flask.views.http_method_funcs; `head`, `options` and `trace` of a class's own are not ported (Flask's HEAD is
# answered by `get`, its OPTIONS automatically: a class defining them changes what routes.py writes for them).
_METHOD_FUNCS = ("get", "post", "put", "delete", "patch")
_REFUSED_FUNCS = ("head", "options", "trace")
_BASES = ("MethodView", "View")
Resolver = Callable[[PortedFile, str], "routes.BlueprintInfo | None"]
# file.memo keys: the methods of the classes that convert (start -> method), read before the rewrites, which treat
# them as views; and the decorators a rewrite puts on a method (start -> lines), under its @staticmethod, as
# Flask-SQLAlchemy's app context (port/flask_sqlalchemy.py)
METHODS = ("class views: methods", 0)
DECORATED = ("class views: decorators of methods", 0)


def read_class_views(file: PortedFile, resolve: Resolver) -> list[Route]:
    """The routes of the module's `add_url_rule(..., view_func=Cls.as_view(...))` calls that convert, one per method;
    a class-based view that does not convert keeps its TODO, with the reason."""
    read: dict[str, list[tuple[Site, SgNode, list[Route] | NotPortable]]] = {}  # class name -> its registrations
    for site in file.sites_of(codes.ADD_RULE):
        view = _class_view_call(site)
        if view is None:
            continue  # a function view, a helper around add_url_rule: not this module's
        try:
            outcome: list[Route] | NotPortable = _read(file, site, view, resolve)
        except NotPortable as reason:
            outcome = reason
        read.setdefault(view.field("function").field("object").text(), []).append((site, view, outcome))  # type: ignore[union-attr]
    if not read:
        return []
    written: dict[str, int] = {}  # how often each class name is written: its definition and its registrations only
    for node in file.root.find_all(kind="identifier"):
        if node.text() in read:
            written[node.text()] = written.get(node.text(), 0) + 1
    found: list[Route] = []
    for name, registrations in read.items():
        refused = next((outcome for _, _, outcome in registrations if isinstance(outcome, NotPortable)), None)
        if refused is None and written.get(name, 0) != len(registrations) + 1:
            refused = NotPortable(f"{name} is used otherwise than in its definition and its add_url_rule calls")
        if refused is None:
            found += [route for _, _, outcome in registrations for route in outcome]  # type: ignore[union-attr]
            continue
        for site, view, _ in registrations:  # all of the class's registrations stay: they use the same class
            site.reason = site.reason or str(refused)
            file.todo(site, f"{site.advice} (not ported: {refused})")
            for other in _class_sites(file, view):
                other.reason = other.reason or str(refused)
    for function in {span(route.function)[0]: route.function for route in found}.values():
        _returns_as_views(file, function)
        file.memo.setdefault(METHODS, {})[span(function)[0]] = function
    return found


def methods(file: PortedFile) -> list[SgNode]:
    """The view methods of the module's class-based views that convert (read_class_views), in order."""
    return [method for _, method in sorted(file.memo.get(METHODS, {}).items())]


def decorate(file: PortedFile, method: SgNode, line: str) -> None:
    """`line` (`@flask_app_context(db)`) on the method, under its @staticmethod; NotPortable where its class has a
    `decorators` list, which as_view applies around the method's call, so outside what `line` does (Flask ran them
    inside what Flask-SQLAlchemy's app context needs, pushed for the whole request)."""
    cls = method.parent().parent() if method.parent() is not None else None  # type: ignore[union-attr]
    if cls is None or cls.kind() != "class_definition" or _decorators_of(cls):
        raise NotPortable("the class's decorators would run outside what the method is given")
    file.memo.setdefault(DECORATED, {}).setdefault(span(method)[0], []).append(line)


def _class_view_call(site: Site) -> SgNode | None:
    """The `Cls.as_view(...)` call given as the view function of the add_url_rule call at `site`, if any."""
    call = routes.call_of(site.node)
    if call is None or site.node.kind() != "attribute" or site.node.field("attribute").text() != "add_url_rule":  # type: ignore[union-attr]
        return None
    arglist = call.field("arguments")
    for arg in arglist.named_children() if arglist is not None else []:
        value = arg.field("value") if arg.kind() == "keyword_argument" else arg
        function = value.field("function") if value is not None and value.kind() == "call" else None
        if function is not None and function.kind() == "attribute" and function.field("attribute").text() == "as_view":  # type: ignore[union-attr]
            return value
    return None


def _class_sites(file: PortedFile, view: SgNode) -> list[Site]:
    cls = _class_of(file, view, strict=False)
    return file.sites_in(cls, CLASS_BASED_VIEW.code) if cls is not None else []


def _class_of(file: PortedFile, view: SgNode, strict: bool = True) -> SgNode | None:
    """The module-level class definition `Cls` of `Cls.as_view(...)`."""
    target = view.field("function").field("object")  # type: ignore[union-attr]
    if target is None or target.kind() != "identifier":
        if strict:
            raise NotPortable("the view class is not a plain name")
        return None
    for statement in file.root.children():
        if statement.kind() == "class_definition" and statement.field("name").text() == target.text():  # type: ignore[union-attr]
            return statement
    if strict:
        raise NotPortable(f"the view class {target.text()} is not defined (undecorated) in this module")
    return None


def _read(file: PortedFile, site: Site, view: SgNode, resolve: Resolver) -> list[Route]:
    call = routes.call_of(site.node)
    assert call is not None
    statement = call.parent()
    if statement is None or statement.kind() != "expression_statement" or statement.parent() is None or \
            statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("add_url_rule is not a statement of the module's top level, where the routes would go")
    owner_node = site.node.field("object")
    if owner_node is None or owner_node.kind() != "identifier":
        raise NotPortable("add_url_rule is not called on a plain name")
    positional, keywords = routes.arguments(call)
    named = dict(zip(("rule", "endpoint", "view_func"), positional))
    if len(positional) > 3 or set(named) & set(keywords):
        raise NotPortable("add_url_rule's arguments are not (rule, endpoint, view_func)")
    named.update(keywords)
    extra = sorted(set(named) - {"rule", "endpoint", "view_func"})
    if extra or "rule" not in named or named.get("view_func") != view:
        raise NotPortable(f"add_url_rule's {', '.join(extra) or 'arguments'} are not ported yet")
    view_positional, view_keywords = routes.arguments(view)
    if len(view_positional) != 1 or view_keywords:
        raise NotPortable("as_view() passes arguments to the class's __init__, which the port does not make")
    try:
        endpoint = str(literal(named["endpoint"])) if named.get("endpoint") is not None else str(literal(view_positional[0]))
    except ValueError:
        raise NotPortable("the view's name is not a literal") from None
    cls = _class_of(file, view)
    assert cls is not None
    base = _base(file, cls)
    functions = _functions(file, cls, base)
    path, types = routes.route_path(file, named["rule"])
    owner = owner_node.text()
    blueprint = resolve(file, owner)
    name = f"{blueprint.name}.{endpoint}" if blueprint is not None else endpoint
    found = []
    for method, function in functions.items():
        parameters = _parameters(function)
        if set(parameters) != set(types):
            raise NotPortable(f"{cls.field('name').text()}.{function.field('name').text()} takes "  # type: ignore[union-attr]
                              f"({', '.join(parameters)}), not the rule's variables ({', '.join(types)})")
        methods = [method] if base == "MethodView" else _view_methods(cls)
        found.append(Route(site, call, statement, function, owner, path, methods, name, dict(types), None, name))
    return found


def _returns_as_views(file: PortedFile, function: SgNode) -> None:
    """The audit reports a decorated view's tuple and string returns (FMA801, FMA802: silent_changes.py), not a
    method's: the same sites are added for the method, so that its returns are ported as a view's (responses.py) or
    keep their TODO. They follow the audit's sites (nothing pairs them with a finding)."""
    for statement in returns_of(function):
        value = next(iter(statement.named_children()), None)
        if value is None:
            continue
        if value.kind() in ("tuple", "expression_list"):
            file.sites.append(Site(codes.TUPLE, value, TUPLE_RETURN.counterpart))
        elif value.kind() in ("string", "concatenated_string"):
            file.sites.append(Site(codes.STRING, value, STRING_RETURN.counterpart))


def _base(file: PortedFile, cls: SgNode) -> str:
    """MethodView or View, when the class subclasses Flask's (the audit's FMA112 site on its one base)."""
    bases = cls.field("superclasses")
    named = bases.named_children() if bases is not None else []
    sites = file.sites_in(bases, CLASS_BASED_VIEW.code) if bases is not None else []
    if len(named) != 1 or not sites or named[0].text().rpartition(".")[2] not in _BASES:
        raise NotPortable("the class does not subclass Flask's MethodView or View alone")
    return named[0].text().rpartition(".")[2]


def _functions(file: PortedFile, cls: SgNode, base: str) -> dict[str, SgNode]:
    """HTTP method (MethodView) or "*" (View's dispatch_request) -> its function; NotPortable for a class body
    with anything the path operations would lose."""
    body = cls.field("body")
    found: dict[str, SgNode] = {}
    for statement in body.named_children() if body is not None else []:
        kind = statement.kind()
        if kind == "comment" or kind == "expression_statement" and statement.named_children()[0].kind() == "string":
            continue
        if kind == "function_definition":
            function_name = statement.field("name").text()  # type: ignore[union-attr]
            if base == "MethodView" and function_name in _METHOD_FUNCS:
                found[function_name.upper()] = statement
            elif base == "View" and function_name == "dispatch_request":
                found["*"] = statement
            elif function_name in _REFUSED_FUNCS:
                raise NotPortable(f"the class answers {function_name.upper()} itself, where routes.py writes Flask's")
            else:
                raise NotPortable(f"the class has a method {function_name} besides its views")
            continue
        if kind == "expression_statement" and statement.named_children()[0].kind() == "assignment":
            _setting(file, statement.named_children()[0], base)
            continue
        raise NotPortable(f"the class body has a {kind}, which its path operations would not keep")
    if not found:
        raise NotPortable("the class defines no view method")
    return found


def _setting(file: PortedFile, assignment: SgNode, base: str) -> None:
    """A class attribute Flask reads: `init_every_request` (no instance is used: either is the same), an empty
    `decorators`, a View's literal `methods`; anything else may be read through `self`... or not: left."""
    left = assignment.field("left")
    name = left.text() if left is not None else ""
    right = assignment.field("right")
    try:
        value = literal(right) if right is not None else None
    except ValueError:
        value = ...
    if name == "init_every_request" and isinstance(value, bool):
        return
    if name == "decorators":
        if right is None or right.kind() not in ("list", "tuple"):
            raise NotPortable("the decorators are not a literal list")
        for expression in right.named_children():
            if not decorators.kept(file, expression):
                raise NotPortable(f"the decorators list has {expression.text()}, "
                                  f"{decorators.why(file, expression)}")
        return
    if name == "methods" and base == "View":
        return  # read by _view_methods
    raise NotPortable(f"the class attribute {name or assignment.text()} is not one the port knows to drop")


def _view_methods(cls: SgNode) -> list[str]:
    """A View's methods: its `methods` list, GET without one (add_url_rule's default)."""
    body = cls.field("body")
    for statement in body.named_children() if body is not None else []:
        assignment = statement.named_children()[0] if statement.kind() == "expression_statement" else None
        if assignment is not None and assignment.kind() == "assignment" and assignment.field("left").text() == "methods":  # type: ignore[union-attr]
            try:
                methods = [str(m).upper() for m in routes.literal_list(assignment.field("right"))]  # type: ignore[arg-type]
            except ValueError:
                raise NotPortable("the View's methods are not a literal list") from None
            if not methods or set(methods) - set(routes.METHODS) or "HEAD" in methods or "OPTIONS" in methods:
                raise NotPortable(f"methods {methods} are not methods the port writes a path operation for")
            return list(dict.fromkeys(methods))
    return ["GET"]


def _parameters(function: SgNode) -> list[str]:
    """The function's parameters after `self`, which must be plain names; and `self` must be used nowhere else."""
    parameters = function.field("parameters")
    names = [p for p in parameters.named_children() if p.kind() != "comment"] if parameters is not None else []
    if not names or names[0].kind() != "identifier" or names[0].text() != "self":
        raise NotPortable(f"{function.field('name').text()} is not a method taking self first")  # type: ignore[union-attr]
    if any(p.kind() != "identifier" for p in names[1:]):
        raise NotPortable(f"{function.field('name').text()} takes defaults, * or ** parameters")  # type: ignore[union-attr]
    body = function.field("body")
    if body is not None and any(node.text() == "self" for node in body.find_all(kind="identifier")):
        raise NotPortable(f"{function.field('name').text()} uses self, the instance a path operation has not")  # type: ignore[union-attr]
    return [p.text() for p in names[1:]]


def port_class_views(file: PortedFile, found: list[Route]) -> None:
    """Each add_url_rule of `found` becomes its path operations, registered where it ran, on the class's methods,
    which become static methods without `self` (routes.render_signature drops it)."""
    by_statement: dict[int, list[Route]] = {}
    for route in found:
        by_statement.setdefault(span(route.decorator)[0], []).append(route)
    classes: dict[int, SgNode] = {}
    for group in by_statement.values():
        lines = []
        for route in group:
            html = "HTMLResponse" if responses.html_view(file, route.function, list(returns_of(route.function))) else None
            cls = route.function.parent().parent()  # type: ignore[union-attr]  # block, class_definition
            classes[span(cls)[0]] = cls  # type: ignore[arg-type]
            target = f"{cls.field('name').text()}.{route.function.field('name').text()}"  # type: ignore[union-attr]
            for expression in _decorators_of(cls):  # as_view: `for decorator in cls.decorators: view = decorator(view)`
                target = f"{expression.text()}({target})"
            lines += [f"{line.lstrip('@')}({target})" for line in routes.decorators_text(route, "", html).split("\n")]
            signature = file.signature(route.function)
            for parameter, annotation in route.types.items():
                signature.annotations.setdefault(parameter, annotation)
            file.memo.setdefault(routes.SELFLESS, set()).add(span(route.function)[0])
            first = route.function.children()[0]
            indent = file.text[file.line_start(span(route.function)[0]):span(route.function)[0]]
            added = "".join(f"{line}\n{indent}" for line in file.memo.get(DECORATED, {}).get(span(route.function)[0], ()))
            file.replace(first, f"@staticmethod\n{indent}{added}{first.text()}")
            routes.settle_route_sites(file, route)
        file.replace(group[0].decorator, "\n".join(lines))
    for cls in classes.values():
        bases = cls.field("superclasses")
        if bases is not None:
            file.replace(bases, "")
            for site in file.sites_in(bases, CLASS_BASED_VIEW.code):
                site.handled = True


def _decorators_of(cls: SgNode) -> list[SgNode]:
    """The expressions of the class's literal `decorators = [...]`, in order."""
    body = cls.field("body")
    for statement in body.named_children() if body is not None else []:
        assignment = statement.named_children()[0] if statement.kind() == "expression_statement" else None
        if assignment is not None and assignment.kind() == "assignment" and \
                assignment.field("left").text() == "decorators" and \
                assignment.field("right").kind() in ("list", "tuple"):  # type: ignore[union-attr]
            return list(assignment.field("right").named_children())  # type: ignore[union-attr]
    return []


def decorated_methods(file: PortedFile) -> list[tuple[SgNode, SgNode]]:
    """(decorator expression, method) for each name of the `decorators` list of each class-based view the module
    registers with add_url_rule, and each view method of the class: read before the routes by decorators.read_own,
    which converts the module's own decorators for them (or says why not, then the class stays)."""
    found = []
    for site in file.sites_of(codes.ADD_RULE):
        view = _class_view_call(site)
        cls = _class_of(file, view, strict=False) if view is not None else None
        if cls is None:
            continue
        expressions = [e for e in _decorators_of(cls) if e.kind() == "identifier"]
        body = cls.field("body")
        methods = [s for s in (body.named_children() if body is not None else []) if s.kind() == "function_definition"
                   and s.field("name").text() in (*_METHOD_FUNCS, "dispatch_request")]  # type: ignore[union-attr]
        found += [(expression, method) for expression in expressions for method in methods]
    return found
