"""FMA401-415: request lifecycle hooks, error handlers, context globals, per-request callbacks and
signals (Flask's own and blinker namespaces)."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from .. import names, registry
from ..registry import flag_uses, on_use, rule
from ._common import APP, FASTAPI, FLASK, STARLETTE, members, short

BEFORE_REQUEST = rule(
    "FMA401", "flask-before-request-hook", "before_request hook",
    "`{hook}` hook runs before each request",
    "a dependency in `FastAPI(dependencies=[...])` or `APIRouter(dependencies=[...])` that raises "
    "`HTTPException` to refuse; `@app.middleware('http')` when the hook returns another response",
    "mandatory", 3, "partial",
    rationale="A dependency cannot return a response (FastAPI ignores its return value), it can only raise "
    "`HTTPException` (any status and headers, a `{\"detail\": ...}` body); a hook that returns a page or a "
    "redirect becomes middleware. App and router dependencies run only for a matched route: unknown URLs "
    "answer 404 where the hook answered first.",
    before="@app.before_request\ndef require_api_key():\n    if request.headers.get('X-API-Key') not in API_KEYS:\n"
    "        return {'detail': 'Not authenticated'}, 401\n",
    after="def require_api_key(x_api_key: Annotated[str, Header()] = ''):\n    if x_api_key not in API_KEYS:\n"
    "        raise HTTPException(status_code=401, detail='Not authenticated')\n\n"
    "app = FastAPI(dependencies=[Depends(require_api_key)])\n",
    links=(f"{FASTAPI}/tutorial/middleware/", f"{FASTAPI}/tutorial/dependencies/global-dependencies/"),
)

AFTER_REQUEST = rule(
    "FMA402", "flask-after-request-hook", "after_request hook",
    "`{hook}` hook runs after each request",
    "`@app.middleware('http')` that awaits `call_next(request)` and edits the response (app-wide only)",
    "mandatory", 3, "partial",
    rationale="FastAPI has no router-scoped after-request hook; Blueprint-level hooks become app-wide "
    "middleware that checks the path.",
    before="@app.after_request\ndef add_header(response):\n    response.headers['X-Frame-Options'] = 'DENY'\n"
    "    return response\n",
    after="@app.middleware('http')\nasync def add_header(request: Request, call_next):\n"
    "    response = await call_next(request)\n    response.headers['X-Frame-Options'] = 'DENY'\n    return response\n",
    links=(f"{FASTAPI}/tutorial/middleware/",),
)

TEARDOWN = rule(
    "FMA403", "flask-teardown-hook", "teardown hook",
    "`{hook}` hook runs when the request or app context ends",
    "a dependency with `yield` (cleanup after the response), or a `finally` block in middleware",
    "mandatory", 3, "partial",
    before="@app.teardown_appcontext\ndef close_db(exc):\n    db.session.remove()\n",
    after="def get_db():\n    session = SessionLocal()\n    try:\n        yield session\n    finally:\n"
    "        session.close()\n",
    links=(f"{FASTAPI}/tutorial/dependencies/dependencies-with-yield/",),
)

BEFORE_FIRST_REQUEST = rule(
    "FMA404", "flask-before-first-request-hook", "before_first_request hook",
    "`{hook}` runs start-up code on the first request",
    "a `lifespan` async context manager passed to `FastAPI(lifespan=...)`",
    "mandatory", 1, "direct",
    rationale="`before_first_request` was removed in Flask 2.3; FastAPI runs start-up code in the lifespan "
    "handler (`on_event('startup')` is deprecated).",
    before="@app.before_first_request\ndef warm_cache(): ...\n",
    after="@asynccontextmanager\nasync def lifespan(app: FastAPI):\n    warm_cache()\n    yield\n\n"
    "app = FastAPI(lifespan=lifespan)\n",
    links=(f"{FASTAPI}/advanced/events/",),
)

_HOOKS = {
    BEFORE_REQUEST: ("before_request", "before_app_request"),
    AFTER_REQUEST: ("after_request", "after_app_request"),
    TEARDOWN: ("teardown_request", "teardown_appcontext", "teardown_app_request"),
    BEFORE_FIRST_REQUEST: ("before_first_request", "before_app_first_request"),
}


def _hook(use: Use) -> Iterator[Hit]:
    target = use.node.field("object")
    attr = use.qual.rpartition(".")[2]
    yield use.hit(hook=f"{target.text() if target is not None else 'app'}.{attr}")


for _rule, _attrs in _HOOKS.items():
    on_use(_rule, *members(*_attrs))(_hook)

ERROR_HANDLER = rule(
    "FMA405", "flask-error-handler", "Error handler registration",
    "`{call}` registers an error handler for {what}",
    "{fix}",
    "mandatory", 3, "partial",
    rationale="`@app.exception_handler(404)` is keyed by the status code, like Flask's `errorhandler(404)`: it "
    "answers a view's `HTTPException(404)` and the router's own 404 for unknown URLs (likewise 405). A handler "
    "registered on FastAPI's `HTTPException` class misses the router's ones (FMA812). Handlers for `Exception`/500 "
    "run in `ServerErrorMiddleware`, and the exception is still raised to the server after they answer.",
    before="@app.errorhandler(404)\ndef not_found(e):\n    return render_template('404.html'), 404\n",
    after="@app.exception_handler(404)\nasync def not_found(request, exc):\n"
    "    return templates.TemplateResponse(request, '404.html', status_code=404)\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/#install-custom-exception-handlers", f"{STARLETTE}/exceptions/"),
)

_BY_CODE = (
    "`@app.exception_handler({status})`: keyed by the status code, it also answers the router's own 404 and 405; "
    "a handler for 500 runs in `ServerErrorMiddleware` and the exception still reaches the server"
)
_BY_CLASS = "`@app.exception_handler(ExceptionClass)`"


@on_use(ERROR_HANDLER, *members("errorhandler", "app_errorhandler", "register_error_handler"))
def _error_handler(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, _ = use.arguments()
    first = positional[0] if positional else None
    target = use.node.field("object")
    call = f"{target.text() if target is not None else 'app'}.{use.qual.rpartition('.')[2]}"
    if first is not None and first.kind() == "integer":
        yield use.hit(call=call, what=f"status {first.text()}", fix=_BY_CODE.format(status=first.text()))
    else:
        what = f"`{first.text()}`" if first is not None else "an exception"
        yield use.hit(call=call, what=what, fix=_BY_CLASS)


HANDLER_EXCEPTION = rule(
    "FMA417", "werkzeug-exception-in-handler", "Werkzeug exception read in an error handler",
    "`{expr}` reads Werkzeug's `HTTPException.{attr}` in an error handler",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="A Flask error handler for a status code or a Werkzeug HTTP exception receives Werkzeug's exception, "
    "with `code`, `name` and `description`; FastAPI's handler keyed by the status code (or Starlette's "
    "`HTTPException`) receives Starlette's, which has `status_code` and `detail` and no `code`: "
    "`return jsonify(error=e.name), e.code` fails with an AttributeError inside the handler.",
    before="@app.errorhandler(404)\ndef not_found(e):\n    return jsonify(error=e.name), e.code\n",
    after="@app.exception_handler(404)\nasync def not_found(request, exc):\n"
    "    return JSONResponse({'error': exc.detail}, status_code=exc.status_code)\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/#install-custom-exception-handlers", f"{STARLETTE}/exceptions/"),
)
_EXCEPTION_FIXES = {
    "code": "`exc.status_code`",
    "name": "`exc.detail` (Starlette's default detail is the status phrase, as Werkzeug's `name` is)",
    "description": "`exc.detail`, or a description of your own: Starlette has no long description",
    "get_response": "build the response: `JSONResponse(..., status_code=exc.status_code)`",
    "get_body": "build the response body yourself",
    "get_headers": "`exc.headers`",
}
_WERKZEUG_EXCEPTIONS = "werkzeug.exceptions."


@on_use(HANDLER_EXCEPTION, *members("errorhandler", "app_errorhandler", "register_error_handler"))
def _handler_exception(use: Use) -> Iterator[Hit]:
    """The handler's exception parameter read through Werkzeug's API, when what it handles is a status code or a
    Werkzeug HTTP exception class (`@bp.errorhandler(HTTPException)`, `register_error_handler(404, handler)`)."""
    if use.call is None:
        return
    positional, _ = use.arguments()
    handled = positional[0] if positional else None
    if handled is None or not (handled.kind() == "integer" or (
            handled.kind() == "identifier" and use.ctx.bindings.get(handled.text(), "").startswith(_WERKZEUG_EXCEPTIONS))):
        return
    function = use.decorated
    if function is None and len(positional) > 1 and positional[1].kind() == "identifier":
        function = next((f for f in use.ctx.functions if f.field("name") is not None
                         and f.field("name").text() == positional[1].text()), None)  # type: ignore[union-attr]
    if function is None or function.kind() != "function_definition":
        return
    params = function.field("parameters")
    first = next(iter(params.named_children()), None) if params is not None else None
    body = function.field("body")
    if first is None or first.kind() != "identifier" or body is None:
        return
    seen: set[int] = use.ctx.memo.setdefault(HANDLER_EXCEPTION.code, set())
    if function.range().start.index in seen:
        return  # a handler registered for several codes (stacked decorators): its lines once
    seen.add(function.range().start.index)
    name = first.text()
    for attribute in body.find_all(kind="attribute", regex=rf"^{name}\s*\.\s*\w+$"):
        target, attr = attribute.field("object"), attribute.field("attribute")
        if target is None or attr is None or target.text() != name or attr.text() not in _EXCEPTION_FIXES:
            continue
        if use.ctx.scopes.enclosing_function(attribute) != function:
            continue  # a nested function's own parameter of that name
        yield Hit(attribute, {"expr": attribute.text(), "attr": attr.text(), "fix": _EXCEPTION_FIXES[attr.text()]})


G_OBJECT = rule(
    "FMA406", "flask-g-object", "Request-global state in flask.g",
    "`{expr}` uses Flask's request-global `g`",
    "`request.state` for per-request values, or better a dependency that returns the value",
    "mandatory", 1, "partial",
    rationale="FastAPI has no global request object. Values set in `g` by a hook and read in views become "
    "dependencies (or `request.state`); reads deep in non-view code need the value passed in or a contextvar.",
    before="@app.before_request\ndef load_user():\n    g.user = current_user_from(request)\n\n"
    "@app.route('/me')\ndef me():\n    return {'name': g.user.name}\n",
    after="async def get_user(request: Request) -> User:\n    return current_user_from(request)\n\n"
    "@app.get('/me')\ndef me(user: Annotated[User, Depends(get_user)]):\n    return {'name': user.name}\n",
    links=(f"{FASTAPI}/tutorial/dependencies/", f"{STARLETTE}/requests/#other-state"),
)

SESSION = rule(
    "FMA407", "flask-session", "Signed-cookie session",
    "`{expr}` uses Flask's cookie session",
    "`app.add_middleware(SessionMiddleware, secret_key=...)` and `request.session`",
    "mandatory", 1, "partial",
    rationale="Starlette's session cookie is signed differently (itsdangerous `TimestampSigner`, base64 JSON) "
    "from Flask's (`URLSafeTimedSerializer`, salt 'cookie-session', tagged JSON): at cutover every user is "
    "logged out unless a bridge reads the old cookie. It also lasts 14 days by default (`max_age`), where "
    "Flask's lasts until the browser closes unless `session.permanent` is set.",
    before="session['cart'] = cart_id\n",
    after="app.add_middleware(SessionMiddleware, secret_key=settings.secret_key)\n\n"
    "def add(request: Request):\n    request.session['cart'] = cart_id\n",
    links=(f"{STARLETTE}/middleware/#sessionmiddleware",),
)

FLASH = rule(
    "FMA408", "flask-flash-messages", "Flashed messages",
    "`{name}` uses Flask's message flashing",
    "a session-backed `flash()` over `SessionMiddleware`: starlette-flash (`flash(request).success(...)`), or a few "
    "lines over `request.session` plus a `get_flashed_messages` context processor for the templates",
    "mandatory", 1, "partial",
    rationale="Flask keeps flashed messages in the session and injects `get_flashed_messages` into templates. "
    "Starlette's `SessionMiddleware` holds the same list; starlette-flash (released 2026) packages it, and a "
    "`Jinja2Templates` context processor gives templates the same `get_flashed_messages()`.",
    before="flash('Saved', 'success')\nreturn redirect(url_for('books.index'))\n",
    after="def flash(request: Request, message: str, category: str = 'message') -> None:\n"
    "    request.session.setdefault('_flashes', []).append([category, message])\n\n"
    "flash(request, 'Saved', 'success')\nreturn RedirectResponse(request.url_for('books_index'), status_code=303)\n",
    links=("https://github.com/alex-oleshkevich/starlette_flash", f"{STARLETTE}/middleware/#sessionmiddleware"),
)

CURRENT_APP = rule(
    "FMA409", "flask-current-app", "Application proxy current_app",
    "`{expr}` uses the `current_app` proxy",
    "`request.app` inside a request; a module-level settings object or explicit argument elsewhere",
    "mandatory", 1, "partial",
    rationale="`current_app` only works inside an app context; FastAPI has `request.app` inside requests and "
    "nothing outside them (Celery tasks, CLI commands), where the value must be passed explicitly.",
    before="def send_welcome(address):\n    current_app.outbox.send(address, 'Welcome')\n",
    after="def send_welcome(outbox: Outbox, address):\n    outbox.send(address, 'Welcome')\n\n"
    "# in a view: send_welcome(request.app.state.outbox, address)\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/", f"{FASTAPI}/advanced/settings/"),
)

APP_CONTEXT = rule(
    "FMA410", "flask-app-context", "Application context pushed by hand",
    "`{expr}` pushes a Flask application context",
    "nothing to push: pass the objects the code needs, and put start-up work in `lifespan`",
    "mandatory", 3, "partial",
    rationale="Code that pushes `app.app_context()` (scripts, Celery tasks, tests) depends on Flask's context "
    "stack, which FastAPI does not have.",
    before="with app.app_context():\n    db.create_all()\n",
    after="Base.metadata.create_all(engine)\n",
    links=(f"{FASTAPI}/advanced/events/",),
)

REQUEST_CONTEXT_HELPERS = rule(
    "FMA411", "flask-request-context-helpers", "Request-context helpers",
    "`{expr}` depends on Flask's context stack",
    "keep the current request in a `contextvars.ContextVar` set by a middleware (or use starlette-context) and test "
    "for it; contextvars follow into asyncio tasks and the thread pool, so `copy_current_request_context` needs no "
    "counterpart; tests use `TestClient` or `Request(scope)`",
    "mandatory", 5, "partial",
    rationale="`has_request_context`, `has_app_context`, `copy_current_request_context` and `test_request_context` "
    "read Flask's context stack. A contextvar set per request answers the same question for shared helpers, and "
    "asyncio copies contextvars into the tasks it starts.",
    before="if has_request_context():\n    ip = request.remote_addr\n",
    after="current_request: ContextVar[Request | None] = ContextVar('current_request', default=None)\n\n"
    "def client_ip() -> str | None:\n    request = current_request.get()\n"
    "    return request.client.host if request is not None and request.client else None\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/", "https://docs.python.org/3/library/contextvars.html",
           "https://starlette-context.readthedocs.io/"),
)

CONTEXT_PUSH = rule(
    "FMA416", "flask-context-push-pop", "Flask context pushed or popped by hand",
    "`{expr}` {what} the Flask {context} context kept in `{held}`",
    "nothing: the line goes with the context it pushes",
    "mandatory", 1, "direct",
    rationale="A context kept to be pushed later (`self.app_context = app.app_context()` in `setUp`, then "
    "`push()`, and `pop()` in `tearDown`) is Flask's context stack; FastAPI has none, so the creation (FMA410, "
    "FMA411) and each of these lines go. What the tests needed from the context (the database, the config) "
    "comes from the app's dependencies or `lifespan` instead.",
    before="def setUp(self):\n    self.ctx = self.app.app_context()\n    self.ctx.push()\n\n"
    "def tearDown(self):\n    self.ctx.pop()\n",
    after="def setUp(self):\n    self.client = TestClient(app)\n",
    links=(f"{FASTAPI}/advanced/events/", f"{FASTAPI}/tutorial/testing/"),
)
_CONTEXT_KINDS = {names.APP_CONTEXT: "application", names.REQUEST_CONTEXT: "request"}


@on_use(CONTEXT_PUSH, *(f"{qual}.{method}" for qual in _CONTEXT_KINDS for method in ("push", "pop")))
def _context_push(use: Use) -> Iterator[Hit]:
    held = use.node.field("object") if use.node.kind() == "attribute" else None
    if use.call is None or held is None or held.kind() == "call":
        return  # `app.app_context().push()`: the creation's finding (FMA410/FMA411) names the line
    context, _, method = use.qual.rpartition(".")
    yield use.hit(use.call, expr=short(use.call.text(), 40), what="pushes" if method == "push" else "pops",
                  context=_CONTEXT_KINDS[context], held=short(held.text(), 30))


_CONTEXT_INTERNALS = ("RequestContext", "AppContext", "_AppCtxGlobals", "app_ctx", "request_ctx", "_cv_app",
                      "_cv_request", "_app_ctx_stack", "_request_ctx_stack")


def _expression(use: Use) -> Iterator[Hit]:
    """The whole `g.user` / `session.get` expression, one level past the proxy when there is one."""
    parent = use.parent
    node = parent if parent is not None and parent.kind() == "attribute" and parent.field("object") == use.node \
        else use.node
    yield Hit(node, {"expr": short(node.text(), 40)})


on_use(G_OBJECT, "flask.g")(_expression)
on_use(SESSION, "flask.session")(_expression)


@on_use(CURRENT_APP, "flask.current_app")
def _current_app(use: Use) -> Iterator[Hit]:
    parent = use.parent
    if parent is not None and parent.kind() == "attribute" and parent.field("object") == use.node:
        attr = parent.field("attribute")
        if attr is not None and registry.has_matchers(f"{APP}.{attr.text()}"):
            return  # `current_app.config` (FMA503), `.logger` (FMA510)...: the specific rule is enough
    yield from _expression(use)


flag_uses(FLASH, args={"flask.flash": {"name": "flash()"},
                       "flask.get_flashed_messages": {"name": "get_flashed_messages()"}})
flag_uses(APP_CONTEXT, *members("app_context", on=(APP,)), args={
    f"{APP}.app_context": {"expr": "app.app_context()"}})
flag_uses(REQUEST_CONTEXT_HELPERS, args={
    "flask.has_request_context": {"expr": "has_request_context()"},
    "flask.has_app_context": {"expr": "has_app_context()"},
    "flask.copy_current_request_context": {"expr": "copy_current_request_context"},
    f"{APP}.test_request_context": {"expr": "app.test_request_context()"},
    # The context objects and stacks themselves (`flask.ctx`, `flask.globals`).
    **{f"flask.{name}": {"expr": name} for name in _CONTEXT_INTERNALS},
    **{f"flask.ctx.{name}": {"expr": name} for name in _CONTEXT_INTERNALS},
})

SESSION_INTERFACE = rule(
    "FMA415", "flask-session-interface", "Flask session interface or serializer",
    "`{name}` is part of Flask's session machinery",
    "Starlette's `SessionMiddleware` (a signed cookie) or starsessions (server-side stores, its own serializer); a "
    "custom session interface becomes a custom session middleware",
    "mandatory", 3, "partial",
    rationale="Flask loads and saves `session` through `app.session_interface` (`SecureCookieSessionInterface`, "
    "which signs tagged JSON with `TaggedJSONSerializer`). Starlette has no pluggable interface: storage, "
    "serialisation and the session class move into middleware, and cookies written by Flask's serializer "
    "cannot be read by Starlette's (see FMA807).",
    before="class ScriptNameSessionInterface(SecureCookieSessionInterface):\n"
    "    def get_cookie_path(self, app):\n        return app.config['APPLICATION_ROOT']\n",
    after="app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, path=settings.root_path)\n",
    links=(f"{STARLETTE}/middleware/#sessionmiddleware", "https://github.com/alex-oleshkevich/starsessions"),
)
flag_uses(SESSION_INTERFACE, args={q: {"name": q.rpartition(".")[2]} for q in (
    *(f"flask.sessions.{n}" for n in ("SessionInterface", "SecureCookieSessionInterface", "SessionMixin",
                                      "SecureCookieSession", "NullSession", "session_json_serializer")),
    *(f"flask.json.tag.{n}" for n in ("TaggedJSONSerializer", "JSONTag")))})


AFTER_THIS_REQUEST = rule(
    "FMA412", "flask-after-this-request", "Callback registered with after_this_request",
    "`after_this_request` edits this request's response from inside the view",
    "declare `response: Response` in the path operation and edit it, or attach a `BackgroundTask` to the "
    "returned response",
    "mandatory", 3, "partial",
    rationale="FastAPI has no per-request response callbacks: headers and cookies are set on an injected "
    "`Response` parameter, and work after sending goes into `BackgroundTasks`. Starlette's `set_cookie` adds "
    "`SameSite=lax` unless given `samesite=None`.",
    before="@after_this_request\ndef remember(response):\n    response.set_cookie('lang', lang)\n"
    "    return response\n",
    after="def view(response: Response):\n    response.set_cookie('lang', lang)\n",
    links=(f"{FASTAPI}/advanced/response-cookies/", f"{FASTAPI}/tutorial/background-tasks/"),
)
flag_uses(AFTER_THIS_REQUEST, "flask.after_this_request")

_FLASK_SIGNALS = (
    "request_started", "request_finished", "request_tearing_down", "got_request_exception",
    "template_rendered", "before_render_template", "message_flashed", "appcontext_pushed",
    "appcontext_popped", "appcontext_tearing_down",
)

FLASK_SIGNAL = rule(
    "FMA413", "flask-builtin-signal", "Flask built-in signal",
    "`{name}` is a Flask signal that FastAPI never sends",
    "move the receiver into an `@app.middleware('http')` function (request started/finished, exceptions), a "
    "dependency with `yield` (app context pushed/torn down), or the code that renders or flashes",
    "mandatory", 5, "partial",
    rationale="Blinker keeps working as a library, but nothing in FastAPI or Starlette sends Flask's lifecycle "
    "signals: receivers connected to them silently stop running. An HTTP middleware sees the same moments around "
    "`call_next`; an exception leaves `call_next` before any 500 is written, so log it in an `except` branch.",
    before="@request_finished.connect_via(app)\ndef log_response(sender, response, **extra):\n"
    "    log.info(response.status)\n",
    after="@app.middleware('http')\nasync def log_response(request: Request, call_next):\n"
    "    response = await call_next(request)\n    log.info(response.status_code)\n    return response\n",
    links=(f"{FLASK}/signals/", f"{FASTAPI}/tutorial/middleware/"),
)
flag_uses(FLASK_SIGNAL, args={f"flask.{module}{name}": {"name": name}
                              for name in _FLASK_SIGNALS for module in ("", "signals.")})

CUSTOM_SIGNAL = rule(
    "FMA414", "flask-custom-signal-namespace", "Custom blinker signals",
    "`{name}` defines the application's own signals",
    "keep blinker as a plain library: the project sends these signals itself",
    "information", 0, "keep",
    rationale="Signals the application defines and sends itself keep working; only Flask's own signals "
    "(FMA413) stop firing. Receivers that read `request` or `g` still need their context passed in.",
    before="signals = Namespace()\nbook_added = signals.signal('book-added')\n",
    after="signals = Namespace()  # unchanged\nbook_added = signals.signal('book-added')\n",
    links=("https://blinker.readthedocs.io/en/stable/", f"{STARLETTE}/"),
    default_enabled=False,
)


@on_use(CUSTOM_SIGNAL, "flask.signals.Namespace", "flask.Namespace", "blinker.Namespace", "blinker.signal",
        "blinker.base.Namespace")
def _custom_signal(use: Use) -> Iterator[Hit]:
    if use.call is not None and use.ctx.uses_flask:
        yield use.hit(use.call, name=use.qual.rpartition(".")[2] + "()")
