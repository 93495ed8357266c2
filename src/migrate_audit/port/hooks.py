"""What runs around the views: error handlers and request hooks on the app, and the `g` they share with views.

- `@app.errorhandler(404)` -> `@app.exception_handler(404)`: keyed by the status, it answers a view's
  `HTTPException(404)` and the router's own 404 as Flask's answered `abort(404)` and unknown URLs (the
  error-handlers proof). Only for statuses both raise alike (not 400, 413, 415, which Flask raises while
  parsing where FastAPI answers 422), for exception classes of the project, and for classes imported from a
  library that is not Flask's, an extension's or Werkzeug's (raised by the views' own code on both sides); a
  handler for 500 runs in Starlette's ServerErrorMiddleware, which still raises the exception to the server
  after answering (said in a TODO), and is left where the module aborts with 500 (that HTTPException would not
  reach it). A handler for a status may read Werkzeug's `e.code` and `e.name` (-> `e.status_code` and
  Werkzeug's own table of names); keyed by a class, it gets the very exception raised.
- `@app.before_request`, `@app.after_request`, `@app.teardown_request` / `teardown_appcontext` -> plain
  functions taking the request, called by one `@app.middleware("http")` in Flask's order: the before hooks in
  turn until one returns a response (which short-circuits the view), the after hooks in reverse on the
  response, the teardown hooks last with the exception or None. Sync hooks run in the thread pool, as FastAPI
  runs sync views. A hook that raises or aborts is left: Flask's error handlers answered for it, middleware sits
  outside them. Hooks at the top of the app factory that makes the app get the middleware there, beside them.
- `g.name` -> `request.state.name` in the views, hooks and handlers the port converts (each takes
  `request: Request`), and in the module's helpers only they call (`get_db()`, which then takes the caller's
  request first); `g.get(name, default)` -> `getattr(request.state, name, default)`, `name in g` ->
  `hasattr(request.state, name)`, `g.pop` / `g.setdefault` -> helpers doing what g's dict did. Starlette keeps
  `request.state` in the request's scope, which the middleware and the view share.

A handler or hook converts whole or not at all: its returns must become responses (a dict or list ->
`JSONResponse`, a string -> `HTMLResponse`, as Flask made them), and every finding in it must be rewritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ast_grep_py import SgNode

from ..rules.lifecycle import HANDLER_EXCEPTION as WERKZEUG_READ
from . import codes
from . import werkzeug_http
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .routes import arguments, call_of
from ..scopes import span

# Statuses Flask raises while parsing a request where FastAPI raises RequestValidationError (422) instead.
_PARSING_STATUSES = frozenset({400, 413, 415})
# teardown_appcontext: in a request, Flask pops the app context right after the request context, with the same
# exception; the contexts pushed by hand that it also ran for are findings of their own (FMA410).
KINDS = {"errorhandler": "error", "before_request": "before", "after_request": "after",
         "teardown_request": "teardown", "teardown_appcontext": "teardown"}
# A Blueprint's hooks that Flask adds to the app's own, for every request of the app (hooks_in_front.py carries them)
APP_WIDE = {"before_app_request": "before_request", "after_app_request": "after_request",
            "teardown_app_request": "teardown_request"}
APP_WIDE_LEFT = ("a Blueprint's hook for every request of the app, which an APIRouter has no form for: main.py runs it "
                 "around FastAPI's routes while the app stays Flask (hooks_in_front.py)")
SERVER_ERROR_DIFFERS = ("A handler for 500 runs in Starlette's ServerErrorMiddleware: it answers as Flask's did, "
                        "and the exception is then raised to the server, which logs it (the error-handlers proof "
                        "documents this).")
AFTER_DIFFERS = ("Flask also ran after_request hooks on the 500 page of an unhandled exception; the middleware's "
                 "call_next raises it past them.")
FINISHED_DIFFERS = ("Flask also sent request_finished with the 500 page of an unhandled exception; the middleware's "
                    "call_next raises it past the receiver (the builtin-signals proof documents this).")
MIDDLEWARE = "flask_request_hooks"
SIGNAL_KINDS = ("started", "finished", "exception")
REWRITTEN = ("rewritten uses of the app", 0)  # file.memo key: spans the port rewrote that named the app
_JSON_KINDS = frozenset({"dictionary", "list", "dictionary_comprehension", "list_comprehension"})
_STRING_KINDS = frozenset({"string", "concatenated_string"})
STARLETTE_HTTP_EXCEPTION = werkzeug_http.STARLETTE_NAME
# responses.REDIRECT_HELPER, responses.TUPLE_HELPER (a tuple made one response already), templates.FLASK_RENDER
_RESPONSES = ("JSONResponse(", "HTMLResponse(", "RedirectResponse(", "Response(", "flask_redirect(", "flask_response(",
              "flask_render(")


@dataclass
class Around:
    """A handler or hook the port reads: its site, decorator, function, kind and registration key."""

    site: Site
    decorator: SgNode
    function: SgNode
    owner: str
    kind: str  # "error", "before", "after", "teardown"
    key: str = ""  # an error handler's status or class, as written
    parameter: str | None = None  # the error, response or exception parameter
    router: str | None = None  # a Blueprint's after hook: the router whose views it applies to
    registered: str | None = None  # an error handler registered by register_error_handler: the function's name
    # an error handler for a status: its reads of Werkzeug's exception (`e.code`, `e.name`), which Starlette's
    # HTTPException answers otherwise
    reads: tuple[SgNode, ...] = ()
    # a handler for Werkzeug's HTTPException: the statements making its response, and the Response it returns
    answer: tuple[tuple[SgNode, ...], SgNode, str] | None = None
    # a Blueprint's hook for every request of the app (`@bp.before_app_request`): converted as the app's, left on
    # its decorator with a TODO (the module has no app to put a middleware on); main.py may carry the copy
    app_wide: bool = False


def read_all(file: PortedFile, apps: set[str], routers: set[str] = frozenset(),  # type: ignore[assignment]
             elsewhere: Callable[[], bool] = lambda: True) -> list[Around]:
    """The handlers and hooks on the app objects named `apps` the port can convert, and the after hooks of the
    Blueprints named `routers` made in a module that also makes the app; the others get their reason (and
    stay TODOs). `elsewhere()`: whether another module of the project imports Flask's request."""
    found = []
    for code in (codes.ERRORS, codes.BEFORE, codes.AFTER, codes.TEARDOWN_HOOK, codes.SIGNAL):
        for site in file.sites_of(code):
            try:
                if code == codes.SIGNAL:
                    if len(apps) != 1:
                        raise NotPortable("the module does not make one app the middleware can go on")
                    found.append(_read_signal(file, site, apps))
                else:
                    found.append(_read(file, site, apps, routers, elsewhere))
            except NotPortable as reason:
                site.reason = site.reason or str(reason)
    return _stacked(file, found)


def _stacked(file: PortedFile, found: list[Around]) -> list[Around]:
    """`found` without the handlers of a function some of whose stacked `@app.errorhandler(...)` decorators
    are left (it converts whole or not at all); the reads of each function rewritten once."""
    by_function: dict[tuple[int, int], list[Site]] = {}
    for site in file.sites_of(codes.ERRORS):
        decorator = site.node.parent()
        while decorator is not None and decorator.kind() != "decorator":
            decorator = decorator.parent()
        definition = decorator.parent() if decorator is not None else None
        function = definition.field("definition") if definition is not None else None
        if function is not None and len(definition.children()) > 2:  # type: ignore[union-attr]
            by_function.setdefault(span(function), []).append(site)
    kept, done = [], set()
    for around in found:
        group = by_function.get(span(around.function), [around.site])
        left = next((site for site in group if site.reason), None)
        if left is not None:
            around.site.reason = around.site.reason or f"a stacked errorhandler decorator of the function is left: {left.reason}"
            continue
        kept.append(around)
        if span(around.function) not in done:
            done.add(span(around.function))
            _rewrite_reads(file, around)
    return kept


# file.memo key: the spans of `e.code` reads in handlers for a status, which a returned tuple may take as its
# status (responses.port_tuple): Starlette's `status_code` is the int Werkzeug's `code` was
STATUS_READS = ("status reads of handlers", 0)


def _rewrite_reads(file: PortedFile, around: Around) -> None:
    """A handler's reads of Werkzeug's exception, rewritten before the returns around them are (a jsonify, a
    tuple take the rewritten text). Left so when the handler does not convert after all: the unit stays Flask,
    and the file is ported again from its own text (port/__init__.py)."""
    for read in around.reads:
        attribute = read.field("attribute").text()  # type: ignore[union-attr]
        if attribute == "name":  # only `e.name` needs Werkzeug's table (`e.code` alone left an unused import)
            file.use("werkzeug.http", "HTTP_STATUS_CODES")
        file.replace(read, EXCEPTION_READS[attribute].format(e=around.parameter))
        if attribute == "code":
            file.memo.setdefault(STATUS_READS, set()).add(span(read))


# Flask's request signals -> when the middleware sends them, and the keyword Flask sent with them.
SIGNALS = {"request_started": ("started", None), "request_finished": ("finished", "response"),
           "got_request_exception": ("exception", "exception")}


def _read_signal(file: PortedFile, site: Site, apps: set[str]) -> Around:
    """`@request_started.connect_via(app)` (or `.connect`) on a module-level receiver."""
    node = site.node
    name = node.text()
    if node.kind() != "identifier" or name not in SIGNALS or file.bound.get(name) not in ("flask", "flask.signals"):
        raise NotPortable(f"{name} is not a request signal the middleware can send")
    attribute = node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("attribute").text() not in (  # type: ignore[union-attr]
            "connect", "connect_via"):
        raise NotPortable("not connected with a decorator")
    call = call_of(attribute)
    if attribute.field("attribute").text() == "connect_via":  # type: ignore[union-attr]
        positional, keywords = arguments(call) if call is not None else ([], {"": None})
        if keywords or len(positional) != 1 or positional[0].text() not in apps:
            raise NotPortable("connected for another sender than this module's app")
    elif call is not None:
        raise NotPortable("connect() with arguments")
    decorator = (call or attribute).parent()
    definition = decorator.parent() if decorator is not None else None
    if decorator is None or decorator.kind() != "decorator" or definition is None or \
            len(definition.children()) != 2 or definition.parent() is None or definition.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("not the one decorator of a module-level receiver")
    function = definition.field("definition")
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if not parameters or parameters[0].kind() != "identifier" or _uses(function, parameters[0].text()):  # type: ignore[arg-type]
        raise NotPortable("the receiver uses its sender, Flask's app")
    kind, keyword = SIGNALS[name]
    around = Around(site, decorator, function, next(iter(apps)), kind, key=keyword or "")  # type: ignore[arg-type]
    if keyword == "response":
        around.parameter = keyword
        if not any(p.text() in (keyword, f"**{p.text().lstrip('*')}") or p.text().startswith("**") for p in parameters):
            raise NotPortable("the receiver does not take the response")
        _only_headers(around)
    receiver = function.field("name").text()  # type: ignore[union-attr]
    if any(n.text() == receiver and not _within(n, function) for n in file.root.find_all(kind="identifier")):
        raise NotPortable(f"{receiver} is also used elsewhere in the module")
    return around


def _read(file: PortedFile, site: Site, apps: set[str], routers: set[str],
          elsewhere: Callable[[], bool] = lambda: True) -> Around:
    node = site.node
    if node.kind() != "attribute":
        raise NotPortable("not a decorator on the app")
    owner, method = node.field("object").text(), node.field("attribute").text()  # type: ignore[union-attr]
    if method == "register_error_handler" and owner in apps:
        return _read_registration(file, site, owner)
    app_wide = method in APP_WIDE and owner in routers and not apps
    method = APP_WIDE[method] if app_wide else method
    if method not in KINDS:
        raise NotPortable(f"{method} is not ported yet")
    router = None
    if owner in routers and KINDS[method] == "after" and len(apps) == 1:
        # after the view, the route FastAPI matched says whether it is one of the Blueprint's views
        owner, router = next(iter(apps)), owner
    if owner not in apps and not app_wide:
        raise NotPortable(f"{owner} is not the Flask app of this module (a Blueprint's hooks and handlers apply "
                          "to its own views only, which FastAPI has no form for)")
    call = call_of(node)
    decorator = (call or node).parent()
    if decorator is None or decorator.kind() != "decorator":
        raise NotPortable("not used as a decorator")
    definition = decorator.parent()
    function = definition.field("definition") if definition is not None else None
    kind = KINDS[method]
    stacked = kind == "error" and all(child.kind() == "decorator" and child.text().startswith(f"@{owner}.errorhandler(")
                                      for child in definition.children()[:-1])  # type: ignore[union-attr]
    if function is None or function.kind() != "function_definition" or \
            (len(definition.children()) != 2 and not stacked):  # type: ignore[union-attr]
        raise NotPortable("the decorated object is not a function with this one decorator")
    if kind != "error" and (definition.parent() is None or definition.parent().kind() != "module") and \
            (app_wide or not in_factory_body(file, definition, owner)):  # type: ignore[union-attr]
        raise NotPortable("the hook is defined inside a function other than at the top of the app factory that "
                          "makes the app, where the middleware that calls it would go")
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    wanted = 0 if kind == "before" else 1
    if len(parameters) != wanted or any(p.kind() != "identifier" for p in parameters):
        raise NotPortable(f"the function does not take {wanted} plain parameter(s) as Flask calls it")
    parameter = parameters[0].text() if parameters else None
    if parameter == "request" or _binds_request(function):
        raise NotPortable("the function binds the name request itself")
    around = Around(site, decorator, function, owner, kind, parameter=parameter, router=router, app_wide=app_wide)
    if kind == "error" and call is not None and any(a.text() == "HTTPException" for a in arguments(call)[0]) and \
            file.bound.get("HTTPException") == "werkzeug.exceptions":
        around.key = STARLETTE_HTTP_EXCEPTION
        around.reads, around.answer = werkzeug_http.read_handler(file, function, parameter, elsewhere)
    elif kind == "error":
        around.key = _error_key(file, call)
        if parameter is not None and _uses(function, parameter) and around.key.isdigit():
            # keyed by a class of the project, the handler gets the very exception raised, on both sides
            around.reads = _exception_reads(function, parameter, around.key, _webargs_only(file))
    elif call is not None:
        raise NotPortable("the hook decorator is called")
    if kind in ("before", "after") and _raises(function):
        raise NotPortable("the hook raises: Flask's error handlers answered for it, and middleware runs outside "
                          "FastAPI's exception handlers")
    name = function.field("name").text()  # type: ignore[union-attr]
    if any(n.text() == name and not _within(n, function) for n in file.root.find_all(kind="identifier")):
        raise NotPortable(f"{name} is also used elsewhere in the module")
    return around


def _scope(function: SgNode) -> int:
    """Where a hook is defined: the start of the function around it (an app factory), -1 at the module's top."""
    outer = enclosing_function(function)
    return span(outer)[0] if outer is not None else -1


def in_factory_body(file: PortedFile, definition: SgNode, owner: str) -> bool:
    """True when `definition` is a statement of the body of the function that makes the app `owner` there too
    (`app = Flask(__name__)` in `create_app()`): the middleware goes beside it, on each app the factory makes."""
    block = definition.parent()
    factory = block.parent() if block is not None and block.kind() == "block" else None
    if factory is None or factory.kind() != "function_definition":
        return False
    for site in file.sites_of(codes.APP):
        call = call_of(site.node)
        assignment = call.parent() if call is not None else None
        statement = assignment.parent() if assignment is not None else None
        if assignment is not None and assignment.kind() == "assignment" and assignment.field("left").text() == owner \
                and statement is not None and statement.parent() == block:  # type: ignore[union-attr]
            return True
    return False


def _read_registration(file: PortedFile, site: Site, owner: str) -> Around:
    """`app.register_error_handler(key, handler)` as a statement, for a module-level function of this module
    named nowhere else: as `@app.errorhandler(key)` on it."""
    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "expression_statement":
        raise NotPortable("register_error_handler(...) is ported where it is a statement of its own")
    positional, keywords = arguments(call)
    if keywords or len(positional) != 2 or positional[1].kind() != "identifier":
        raise NotPortable("register_error_handler() with other arguments than a key and a function's name")
    name = positional[1].text()
    function = next((s for s in file.root.children() if s.kind() == "function_definition"
                     and s.field("name").text() == name), None)  # type: ignore[union-attr]
    if function is None:
        raise NotPortable(f"{name} is not a plain module-level function of this module")
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if len(parameters) != 1 or parameters[0].kind() != "identifier":
        raise NotPortable("the handler does not take one plain parameter, as Flask calls it")
    parameter = parameters[0].text()
    if parameter == "request" or _binds_request(function) or _uses(function, parameter):
        raise NotPortable(f"the handler binds request or reads {parameter}, Werkzeug's exception")
    if any(n.text() == name and not _within(n, function) and n != positional[1]
           for n in file.root.find_all(kind="identifier")):
        raise NotPortable(f"{name} is also used elsewhere in the module")
    first = positional[0]
    key = _Key(first)
    return Around(site, call, function, owner, "error", key=_error_key(file, key), parameter=parameter,
                  registered=name)


class _Key:
    """The key argument of register_error_handler, read by _error_key as errorhandler's one argument."""

    def __init__(self, argument: SgNode) -> None:
        self.argument = argument


def _error_key(file: PortedFile, call: SgNode | _Key | None) -> str:
    if call is None:
        raise NotPortable("errorhandler without an argument")
    if isinstance(call, _Key):
        first = call.argument
    else:
        positional, keywords = arguments(call)
        if keywords or len(positional) != 1:
            raise NotPortable("errorhandler with other arguments")
        first = positional[0]
    if first.kind() == "integer":
        status = literal(first)
        if status in _PARSING_STATUSES and not (status == 400 and _webargs_only(file)):
            raise NotPortable(f"Flask raises {status} itself while parsing a request, where FastAPI answers 422 "
                              "without running a handler for it")
        if status == 500 and ("abort(500" in file.text or "InternalServerError" in file.text):
            raise NotPortable("the module aborts with 500: FastAPI answers that HTTPException without the handler")
        return first.text()
    if first.kind() == "identifier" and (_project_exception(file, first.text(), set())
                                         or _library_exception(file, first.text())):
        return first.text()
    raise NotPortable(f"{first.text()} is not a status, an exception class of this module or one imported from a "
                      "library other than Flask's and Werkzeug's (Werkzeug's classes are not FastAPI's)")


def _library_exception(file: PortedFile, name: str) -> bool:
    """True for a class imported from a library that is neither Flask, its extensions nor Werkzeug
    (`from marshmallow import ValidationError`): raised by the view's own code on both sides, and Starlette looks
    a handler up along the exception's classes as Flask does. Flask's and Werkzeug's are raised by their own
    machinery (routing, parsing), which the port replaces with FastAPI's."""
    module = file.bound.get(name)
    if module is None or module == file.path or module.startswith("."):
        return False
    root = module.split(".")[0]
    return root not in ("flask", "werkzeug", "starlette", "fastapi") and not root.startswith("flask_")


def _project_exception(file: PortedFile, name: str, seen: set[str]) -> bool:
    """True for a class of this module that derives, through classes of this module, from Exception."""
    if name in seen:
        return False
    seen.add(name)
    for statement in file.root.children():
        if statement.kind() == "class_definition" and statement.field("name").text() == name:  # type: ignore[union-attr]
            bases = statement.field("superclasses")
            names = [b.text() for b in bases.named_children()] if bases is not None else []
            return bool(names) and all(b == "Exception" or _project_exception(file, b, seen) for b in names)
    return False


def _within(node: SgNode, outer: SgNode) -> bool:
    start, end = span(outer)
    return start <= span(node)[0] and span(node)[1] <= end


# What a handler for a status may read of Werkzeug's exception, as Starlette's HTTPException gives it: the status
# (`code`), and its name, which Werkzeug looks up in its own table (werkzeug/exceptions.py `HTTPException.name`).
# Not `description`: Werkzeug's default text for the class, or abort's, which Starlette's `detail` (the status
# phrase by default) cannot tell apart.
EXCEPTION_READS = {"code": "{e}.status_code", "name": 'HTTP_STATUS_CODES.get({e}.status_code, "Unknown Error")'}


def _webargs_only(file: PortedFile) -> bool:
    """True where the module's views read the request only through webargs' decorators, which the webargs bridge
    converts (port/webargs_parser.py): only its errors are a 400 there, as in Flask, and they carry Flask's
    `.data` (`{"messages": ...}`) for the handlers."""
    return file.memo.get(("webargs plan", 0)) is not None and file.bound.get("request") != "flask"


def _exception_reads(function: SgNode, parameter: str, key: str, webargs: bool = False) -> tuple[SgNode, ...]:
    """The `parameter.code` / `parameter.name` reads of a handler for the status `key`, or NotPortable; with
    `webargs`, `parameter.data` too, which the webargs bridge's exception carries as Flask's did (not rewritten)."""
    why = NotPortable(f"the handler reads {parameter}, Werkzeug's exception, otherwise than its code and name, "
                      "which Starlette's HTTPException names otherwise (detail, status_code)")
    if key == "500":  # Starlette hands a 500 handler the exception raised, not an HTTPException
        raise why
    found = []
    for node in function.field("body").find_all(kind="identifier"):  # type: ignore[union-attr]
        if node.text() != parameter or _named_only(node):
            continue
        attribute = node.parent()
        read = attribute.field("attribute").text() if attribute is not None and \
            attribute.kind() == "attribute" else None  # type: ignore[union-attr]
        if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node or \
                (read not in EXCEPTION_READS and not (webargs and read == "data")):
            raise why
        above = attribute.parent()
        if above is not None and above.kind() in ("assignment", "augmented_assignment") and above.field("left") == attribute:
            raise why
        if read in EXCEPTION_READS:
            found.append(attribute)
    return tuple(found)


def _uses(function: SgNode, name: str) -> bool:
    body = function.field("body")
    return body is not None and any(n.text() == name and not _named_only(n) for n in body.find_all(kind="identifier"))


def _named_only(node: SgNode) -> bool:
    """True for an identifier that names without using a variable: a keyword argument's name (`jsonify(error=...)`),
    an attribute of something else (`exc.error`)."""
    parent = node.parent()
    if parent is None:
        return False
    if parent.kind() == "keyword_argument":
        return parent.field("name") == node
    return parent.kind() == "attribute" and parent.field("attribute") == node


def _binds_request(function: SgNode) -> bool:
    body = function.field("body")
    return body is not None and any(
        n.text() == "request" and n.parent() is not None and n.parent().kind() == "assignment"  # type: ignore[union-attr]
        and n.parent().field("left") == n for n in body.find_all(kind="identifier"))  # type: ignore[union-attr]


def _raises(function: SgNode) -> bool:
    return any(True for _ in function.find_all(kind="raise_statement"))


def give_request(file: PortedFile, function: SgNode) -> None:
    """`request: Request` first among the function's parameters (Starlette calls handlers positionally)."""
    file.use("fastapi", "Request")
    file.signature(function).added["request"] = "request: Request"


# g ------------------------------------------------------------------------------------------------------------
def port_g(file: PortedFile, contexts: dict[int, SgNode], elsewhere: Callable[[str], bool] = lambda name: False) -> None:
    """Every `g` of a converted function -> `request.state`, function by function, all or nothing; and of the
    module's helpers those functions call (`get_db()`), which get the request from them (`_helpers`).
    `elsewhere(name)` says whether another module of the project may use the function `name`."""
    by_function: dict[int, list[Site]] = {}
    for site in file.sites_of(codes.G):
        function = enclosing_function(site.node)
        by_function.setdefault(span(function)[0] if function is not None else -1, []).append(site)
    helpers = _helpers(file, contexts, by_function, elsewhere)
    for start, sites in by_function.items():
        callers: list[tuple[SgNode, SgNode]] = []  # (call, the context it is in), for a helper
        try:
            if start in helpers:
                function, callers = helpers[start]
            elif start not in contexts:
                raise NotPortable("outside a view, hook or handler the port converts, or a helper only they call: "
                                  "no request there")
            else:
                function = contexts[start]
            for checked in [function, *(context for _, context in callers)]:
                if any(not s.handled and s.node.text().split(".")[0] == "request" for s in file.sites_in(checked)):
                    raise NotPortable("the function still reads Flask's request, which a `request: Request` "
                                      "parameter would hide")
                parameters = checked.field("parameters")
                if checked is function and parameters is not None and \
                        any(p.text() == "request" for p in parameters.find_all(kind="identifier")):
                    raise NotPortable("the function already has a parameter named request")
            plans = [_g_rewrite(file, site) for site in sites]
            file.use("fastapi", "Request")  # NotPortable when the module binds Request to another class
        except NotPortable as reason:
            for site in sites:
                site.reason = site.reason or str(reason)
            continue
        for site, (node, text) in zip(sites, plans):
            file.replace(node, text)
            site.handled = True
        give_request(file, function)
        for call, context in callers:  # the request handed over, first, as the helper now takes it
            arguments_node = call.field("arguments")
            given = bool(arguments_node.named_children())  # type: ignore[union-attr]
            edit = call.replace("request, " if given else "request")
            edit.start_pos = edit.end_pos = span(arguments_node)[0] + 1  # type: ignore[arg-type]
            file.edits.setdefault(file.line_of(edit.start_pos), []).append(edit)
            give_request(file, context)


def _helpers(file: PortedFile, contexts: dict[int, SgNode], by_function: dict[int, list[Site]],
             elsewhere: Callable[[str], bool]) -> dict[int, tuple[SgNode, list[tuple[SgNode, SgNode]]]]:
    """The module-level functions using g, not views, hooks or handlers, that only converted ones call, directly
    and by name: start -> (function, [(call, caller)]). Flask's g in them was the request's (the app context of
    the request calling them), which is the request.state of the caller's request, handed to them."""
    candidates: dict[str, SgNode] = {}
    for start in by_function:
        if start == -1 or start in contexts:
            continue
        function = next((s for s in file.root.children() if span(s)[0] == start), None)
        if function is not None and function.kind() == "function_definition":
            candidates[function.field("name").text()] = function  # type: ignore[union-attr]
    if not candidates:
        return {}
    uses: dict[str, list[SgNode]] = {}
    for node in file.root.find_all(kind="identifier"):  # one walk for every helper
        if node.text() in candidates:
            uses.setdefault(node.text(), []).append(node)
    found = {}
    for name, function in candidates.items():
        callers = []
        for node in uses.get(name, []):
            if node == function.field("name"):
                continue
            call = node.parent()
            caller = enclosing_function(node)
            if call is None or call.kind() != "call" or call.field("function") != node or caller is None \
                    or span(caller)[0] not in contexts or call.field("arguments") is None \
                    or call.field("arguments").kind() != "argument_list":  # type: ignore[union-attr]
                break
            callers.append((call, contexts[span(caller)[0]]))
        else:
            if callers and not elsewhere(name) and not function.find(kind="global_statement"):
                found[span(function)[0]] = (function, callers)
    return found


# Flask's _AppCtxGlobals.pop and .setdefault (flask/ctx.py, 3.1) on request.state, where Starlette's State has no
# such methods: its attributes are the ones g had.
G_POP = "flask_g_pop"
G_POP_TEXT = f'''def {G_POP}(state: Any, name: str, *default: Any) -> Any:
    """Flask's g.pop(name[, default]) on request.state: KeyError without a default, as g's dict raised."""
    if hasattr(state, name):
        value = getattr(state, name)
        delattr(state, name)
        return value
    if default:
        return default[0]
    raise KeyError(name)
'''
G_SETDEFAULT = "flask_g_setdefault"
G_SETDEFAULT_TEXT = f'''def {G_SETDEFAULT}(state: Any, name: str, default: Any = None) -> Any:
    """Flask's g.setdefault(name, default) on request.state."""
    if not hasattr(state, name):
        setattr(state, name, default)
    return getattr(state, name)
'''


def _g_rewrite(file: PortedFile, site: Site) -> tuple[SgNode, str]:
    node = site.node
    g = node if node.kind() == "identifier" else node.field("object")
    if g is None or g.kind() != "identifier" or g.text() != "g":
        raise NotPortable("not a use of g itself")
    parent = g.parent()
    if parent is not None and parent.kind() == "attribute" and parent.field("object") == g:
        attribute = parent.field("attribute").text()  # type: ignore[union-attr]
        call = call_of(parent)
        if attribute == "get" and call is not None:
            positional, keywords = arguments(call)
            if keywords or not 1 <= len(positional) <= 2:
                raise NotPortable("g.get() with other arguments")
            rest = "".join(f", {p.text()}" for p in positional[1:]) or ", None"
            return call, f"getattr(request.state, {positional[0].text()}{rest})"
        if attribute in ("pop", "setdefault") and call is not None:
            positional, keywords = arguments(call)
            if keywords or not 1 <= len(positional) <= 2:
                raise NotPortable(f"g.{attribute}() with other arguments")
            from .routes import define_standalone

            helper, text = (G_POP, G_POP_TEXT) if attribute == "pop" else (G_SETDEFAULT, G_SETDEFAULT_TEXT)
            file.use("typing", "Any")
            define_standalone(file, helper, text)
            return call, f"{helper}(request.state, {', '.join(p.text() for p in positional)})"
        if attribute in ("pop", "setdefault", "__contains__"):
            raise NotPortable(f"g.{attribute}() has no request.state form")
        return g, "request.state"
    if parent is not None and parent.kind() == "comparison_operator" and parent.named_children()[-1] == g and \
            len(parent.named_children()) == 2:
        operators = [c.text() for c in parent.children() if not c.is_named()]
        key = parent.named_children()[0]
        if operators == ["in"]:
            return parent, f"hasattr(request.state, {key.text()})"
        if operators == ["not", "in"] or operators == ["not in"]:
            return parent, f"not hasattr(request.state, {key.text()})"
    raise NotPortable("a use of g other than an attribute, get() or `in`")


# Handlers and hooks -----------------------------------------------------------------------------------------
def port_around(file: PortedFile, found: list[Around], app_statement: SgNode | None = None) -> None:
    """Convert each handler and hook whose body converted fully; then one middleware calls the hooks."""
    hooks: list[Around] = []
    requested = [around for around in found if around.kind != "error"]
    try:
        if requested and (MIDDLEWARE in file.bound or MIDDLEWARE in file.text):
            raise NotPortable(f"the module already has a name {MIDDLEWARE}")
        if any(around.router for around in requested) and "_routed_to" in file.text:
            raise NotPortable("the module already has a name _routed_to")
        if len({around.owner for around in requested}) > 1:
            raise NotPortable("hooks on more than one app")
        if len({_scope(around.function) for around in requested}) > 1:
            raise NotPortable("the hooks are not all at the top of one module or one app factory, where the "
                              "middleware that calls them goes")
        if requested:
            file.use("fastapi", "Request")  # NotPortable when the module binds these names otherwise
            file.use("fastapi.concurrency", "run_in_threadpool")
    except NotPortable as reason:
        for around in requested:
            around.site.reason = around.site.reason or str(reason)
        found = [around for around in found if around.kind == "error"]
    for around in found:
        try:
            _convert(file, around)
        except NotPortable as reason:
            around.site.reason = around.site.reason or str(reason)
            continue
        if around.kind != "error" and not around.app_wide:
            hooks.append(around)
    _drop_body_notes(file, {around.key for around in found if around.kind == "error" and around.site.handled})
    if any(around.answer is not None and around.site.handled for around in found):
        _drop_body_notes(file, set(), every=True)  # every abort and Werkzeug exception reaches that handler
    if not hooks:
        return
    _middleware(file, hooks, app_statement)


def _drop_body_notes(file: PortedFile, statuses: set[str], every: bool = False) -> None:
    """An abort or Werkzeug exception whose status a converted handler answers: the handler's answer is the
    same on both sides, so the note that the body changes from HTML to JSON goes."""
    from .responses import ABORT_BODY_DIFFERS

    if not statuses and not every:
        return
    note = " ".join(ABORT_BODY_DIFFERS.split())
    for start, entries in file.todos.items():
        kept = []
        for code, text in entries:
            line = file.text[start:file.text.find("\n", start)]
            if text == note and (every or any(f"({status}" in line or f"={status}" in line for status in statuses)):
                continue
            kept.append((code, text))
        entries[:] = kept


CONVERTED = ("converted handlers", 0)  # file.memo key: the spans of the functions of stacked handlers converted


def _convert(file: PortedFile, around: Around) -> None:
    function = around.function
    if around.kind == "error" and span(function) in file.memo.get(CONVERTED, ()):
        # a stacked `@app.errorhandler(...)` of a function converted with the first: only the decorator is left
        file.replace(around.decorator, f"@{around.owner}.exception_handler({around.key})")
        around.site.handled = True
        return
    reads = {span(read) for read in around.reads}  # rewritten by _rewrite_reads (FMA417)
    # a handler for Werkzeug's HTTPException reads the exception only as werkzeug_http checked: all rewritten
    left = [s for s in file.sites_in(function) if not s.handled and s is not around.site
            and not (s.code == WERKZEUG_READ.code and (span(s.node) in reads or around.answer is not None))]
    if left:
        raise NotPortable(f"{left[0].code} in it is left to people")
    if around.kind in SIGNAL_KINDS:  # a receiver keeps its signature: the middleware calls it as blinker did
        file.delete_statement(around.decorator)
        file.memo.setdefault(REWRITTEN, []).append(span(around.decorator))  # its `connect_via(app)` goes
        if around.kind == "finished":
            file.todo(around.site, FINISHED_DIFFERS)
        around.site.handled = True
        return
    replacements = _returns(file, around) if around.answer is None else werkzeug_http.answer(file, around.answer)
    give_request(file, function)
    for node, text in replacements:
        file.replace(node, text)
    if around.app_wide:  # its decorator and a TODO stay: only a copy main.py carries runs (hooks_in_front.py)
        around.site.reason = APP_WIDE_LEFT
        return
    if around.kind == "error" and around.registered:
        file.replace(around.decorator, f"{around.owner}.add_exception_handler({around.key}, {around.registered})")
        if around.key == "500":
            file.todo(around.site, SERVER_ERROR_DIFFERS)
    elif around.kind == "error":
        file.replace(around.decorator, f"@{around.owner}.exception_handler({around.key})")
        if around.key == "500":
            file.todo(around.site, SERVER_ERROR_DIFFERS)
        if around.answer is not None:
            file.use(*werkzeug_http.STARLETTE_IMPORT)
            for site in file.sites_in(around.decorator, codes.WERKZEUG_EXCEPTION):  # the key, now Starlette's
                site.handled = True
            file.todo(around.site, werkzeug_http.UNHANDLED_DIFFERS)
        file.memo.setdefault(CONVERTED, set()).add(span(function))
    else:
        file.delete_statement(around.decorator)
        if around.kind == "after":
            file.todo(around.site, AFTER_DIFFERS)
    around.site.handled = True
    for site in file.sites_in(function, WERKZEUG_READ.code):
        site.handled = site.handled or span(site.node) in reads or around.answer is not None


def _own_returns(function: SgNode) -> list[SgNode]:
    """The return statements of `function` itself, not of functions or lambdas nested in it."""
    found = []
    for statement in function.find_all(kind="return_statement"):
        if enclosing_function(statement) == function:
            found.append(statement)
    return found


def _returns(file: PortedFile, around: Around) -> list[tuple[SgNode, str]]:
    """The returns rewritten to what FastAPI needs: a Response from a handler or a before hook (None from a
    hook lets the request go on), the response itself from an after hook."""
    replacements = []
    statements = _own_returns(around.function)
    if around.kind == "error" and not statements:
        raise NotPortable("the handler returns nothing")
    for statement in statements:
        value = statement.named_children()[0] if statement.named_children() else None
        if around.kind == "teardown":
            continue  # Flask ignores what a teardown hook returns; so does the middleware
        if around.kind == "after":
            if value is None or value.text() != around.parameter:
                raise NotPortable("the after_request hook returns another response than the one it got")
            continue
        if value is None or value.kind() == "none":
            if around.kind == "error":
                raise NotPortable("the handler returns None")
            continue
        text = file.rendered(value)
        if text.startswith(_RESPONSES):
            continue
        if value.kind() in ("expression_list", "tuple"):  # (body, status[, headers]), as a view's (FMA801)
            from .responses import port_tuple

            port_tuple(file, Site(codes.TUPLE, value, ""))
            continue
        if value.kind() in _JSON_KINDS or any(s.handled for s in file.sites_in(value, codes.JSONIFY_CALL)):
            file.use("fastapi.responses", "JSONResponse")
            replacements.append((value, f"JSONResponse({text})"))
        elif value.kind() in _STRING_KINDS:
            file.use("fastapi.responses", "HTMLResponse")
            replacements.append((value, f"HTMLResponse({text})"))
        else:
            raise NotPortable("a return whose value's type decides what Flask sent")
    if around.kind == "after":
        _only_headers(around)
    return replacements


def _only_headers(around: Around) -> None:
    """An after hook may set and read the response's headers and read its status: Werkzeug's and Starlette's
    responses differ elsewhere (set_cookie's defaults, data, mimetype)."""
    body = around.function.field("body")
    for node in body.find_all(kind="identifier") if body is not None else ():
        if node.text() != around.parameter:
            continue
        parent = node.parent()
        if parent is not None and parent.kind() == "return_statement":
            continue
        if parent is not None and parent.kind() == "attribute" and parent.field("object") == node and \
                parent.field("attribute").text() in ("headers", "status_code"):  # type: ignore[union-attr]
            outer = parent.parent()
            if parent.field("attribute").text() == "headers" or outer is None or outer.kind() != "assignment" \
                    or outer.field("left") != parent:  # type: ignore[union-attr]
                continue
        raise NotPortable(f"the hook uses the response otherwise than its headers: {parent.text() if parent else ''}")


def _middleware(file: PortedFile, hooks: list[Around], app_statement: SgNode | None) -> None:
    file.use("fastapi", "Request")
    file.use("fastapi.concurrency", "run_in_threadpool")

    def call(hook: Around, *rest: str) -> str:
        name = hook.function.field("name").text()  # type: ignore[union-attr]
        arguments_text = ", ".join(("request", *rest))
        if hook.function.text().startswith("async"):
            return f"await {name}({arguments_text})"
        return f"await run_in_threadpool({name}, {arguments_text})"

    def send(hook: Around, value: str | None = None) -> str:  # blinker called receiver(sender, **kwargs)
        name = hook.function.field("name").text()  # type: ignore[union-attr]
        extra = f", {hook.key}={value}" if hook.key else ""
        if hook.function.text().startswith("async"):
            return f"await {name}({owner}{extra})"
        return f"await run_in_threadpool({name}, {owner}{extra})"

    owner = hooks[0].owner
    before = [h for h in hooks if h.kind == "before"]
    after = [h for h in hooks if h.kind == "after"]
    teardown = [h for h in hooks if h.kind == "teardown"]
    started, finished, failed = ([h for h in hooks if h.kind == kind] for kind in SIGNAL_KINDS)
    body = [send(hook) for hook in started]
    for index, hook in enumerate(before):
        if index == 0:
            body.append(f"response = {call(hook)}")
        else:
            body += ["if response is None:", f"    response = {call(hook)}"]
    if before:
        body += ["if response is None:", "    response = await call_next(request)"]
    else:
        body.append("response = await call_next(request)")
    for hook in reversed(after):
        if hook.router is None:
            body.append(f"response = {call(hook, 'response')}")
        else:  # Flask ran a Blueprint's hook for the requests routed to one of its views (not a 404 or 405)
            body += [f"if _routed_to(request, {hook.router}):", f"    response = {call(hook, 'response')}"]
    if teardown or failed:
        body = ["try:", *("    " + line for line in body), "except Exception as exc:",
                *(f"    {send(hook, 'exc')}" for hook in failed),
                *(f"    {call(hook, 'exc')}" for hook in reversed(teardown)), "    raise"]
    body += [send(hook, "response") for hook in finished]
    body += [call(hook, "None") for hook in reversed(teardown)]
    body.append("return response")
    lines = ["", "", f'@{owner}.middleware("http")', f"async def {MIDDLEWARE}(request: Request, call_next):",
             "    # Flask's request signals and hooks, in Flask's order: request_started, before_request until one",
             "    # answers, after_request in reverse, request_finished, teardown_request last", *("    " + line for line in body)]
    if any(hook.router for hook in hooks):
        if "_routed_to" in file.bound or "_routed_to" in file.text:
            raise NotPortable("the module already has a name _routed_to")
        lines += ["", "", "def _routed_to(request: Request, router) -> bool:",
                  '    """True when the request was routed to one of the router\'s views, as Flask ran a Blueprint\'s',
                  '    hooks for."""',
                  '    route = request.scope.get("route")',
                  '    return route is not None and request.method in getattr(route, "methods", ()) and any(',
                  '        getattr(route, "endpoint", None) is getattr(r, "endpoint", False) for r in router.routes)']
    last = max(hooks, key=lambda h: span(h.function)[1])
    where = last.function.parent() or last.function
    indent = file.text[file.line_start(span(where)[0]):span(where)[0]]
    if indent:  # in an app factory's body, beside the hooks (each app it makes gets its own)
        lines = [indent + line if line else line for line in lines[1:]]  # one blank line in a function body
        file.append_line(where, "\n".join(lines))
        return
    if app_statement is not None and span(app_statement)[0] > span(last.function)[1]:
        # the app is made after the hooks: the middleware goes at the end of the module, where no rewrite of
        # the statements it follows can take it along
        edit = file.root.replace(("" if file.text.endswith("\n") else "\n") + "\n".join(lines) + "\n")
        edit.start_pos = edit.end_pos = len(file.text)
        file._add(edit)
        return
    file.append_line(last.function.parent() or last.function, "\n".join(lines))
