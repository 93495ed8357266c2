"""FMA801-812: behaviour that changes silently when a Flask view is ported as is (tuple and string returns,
redirect codes after POST, HEAD, URL building, converters, session cookies, test-client redirects,
blocking calls in `async def`, JSON key order, validation status codes).

These pass a naive port without an error and fail in production, which is why they are mandatory even
where the code change is small.
"""
from __future__ import annotations

import re
from typing import Iterator

from ast_grep_py import SgNode

from ..api import FileContext, Hit, Use, returns_of
from ..registry import on_file, on_use, rule
from ..testpaths import is_test_path
from ._method_branches import methods_reaching
from ._common import FASTAPI, FLASK, STARLETTE, members, short, string_items, string_value
from ._routes import placeholder_position, route_paths

TUPLE_RETURN = rule(
    "FMA801", "flask-view-returns-tuple", "View returns a (body, status) tuple",
    "view returns a tuple `{value}`",
    "`status_code=` on the decorator, or `JSONResponse(body, status_code=..., headers=...)`",
    "mandatory", 3, "partial",
    rationale="Flask reads `(body, status[, headers])`; FastAPI serialises the tuple as a JSON array and "
    "answers 200.",
    before="return jsonify(book=book.to_dict()), 201\n",
    after="@router.post('/books', status_code=201)\ndef create(book: BookIn):\n    return {'book': book.to_dict()}\n",
    links=(f"{FASTAPI}/tutorial/response-status-code/", f"{FASTAPI}/advanced/additional-status-codes/"),
)

STRING_RETURN = rule(
    "FMA802", "flask-view-returns-string", "View returns a plain string",
    "view returns a string `{value}`",
    "`response_class=HTMLResponse` or `PlainTextResponse` on the decorator",
    "mandatory", 3, "partial",
    rationale="Flask sends a returned string as `text/html`; FastAPI sends it as a JSON-quoted string with "
    "`application/json`. `HTMLResponse` keeps Flask's `text/html`; `PlainTextResponse` suits text that is not HTML "
    "and answers `text/plain`.",
    before="@app.route('/health')\ndef health():\n    return 'ok'\n",
    after="@app.get('/health', response_class=PlainTextResponse)\ndef health():\n    return 'ok'\n",
    links=(f"{FASTAPI}/advanced/custom-response/#htmlresponse",),
)


def _view_returns(use: Use) -> Iterator[tuple[str, object]]:
    if use.call is None:
        return
    function = use.decorated
    if function is None or function.kind() != "function_definition":
        return
    for statement in returns_of(function):
        value = next(iter(statement.named_children()), None)
        if value is not None:
            yield value.kind(), value


# Views, and error handlers: a FastAPI exception handler must return a Response, not a tuple.
_RESPONDERS = members("route", "get", "post", "put", "patch", "delete", "errorhandler", "app_errorhandler")


@on_use(TUPLE_RETURN, *_RESPONDERS)
def _tuple_return(use: Use) -> Iterator[Hit]:
    for kind, value in _view_returns(use):
        if kind in ("tuple", "expression_list"):
            yield Hit(value, {"value": short(value.text(), 40)})  # type: ignore[arg-type]


@on_use(STRING_RETURN, *_RESPONDERS)
def _string_return(use: Use) -> Iterator[Hit]:
    for kind, value in _view_returns(use):
        if kind in ("string", "concatenated_string"):
            yield Hit(value, {"value": short(value.text(), 40)})  # type: ignore[arg-type]


_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_ROUTE_RE = re.compile(r"\.(route|post|put|patch|delete)\(")
# Any route decorator, GET shortcut included: where a route's path parameters are read from.
_ANY_ROUTE_RE = re.compile(r"\.(route|get|post|put|patch|delete)\(")

REDIRECT_AFTER_POST = rule(
    "FMA803", "flask-redirect-after-post", "Redirect without a status code in a POST view",
    "`{call}` answers a {method} with Flask's default 302; Starlette's default 307 would repeat the {method}",
    "`RedirectResponse(url, status_code=303)` (See Other) after a form submission",
    "mandatory", 1, "partial",
    rationale="A ported `RedirectResponse(url)` answers 307, which makes the browser re-send the POST and its "
    "body to the target: forms get submitted twice or hit a GET-only route with 405. A redirect that only GET or "
    "HEAD reaches (under `if request.method == 'GET':`, after `if request.method == 'POST': return ...`) is not "
    "reported.",
    before="@app.route('/books', methods=['POST'])\ndef create():\n    save(request.form)\n"
    "    return redirect(url_for('books.index'))\n",
    after="@app.post('/books')\ndef create(title: Annotated[str, Form()]):\n    save(title)\n"
    "    return RedirectResponse(app.url_path_for('books_index'), status_code=303)\n",
    links=(f"{FASTAPI}/advanced/custom-response/#redirectresponse", f"{STARLETTE}/responses/#redirectresponse"),
)


def _view_methods(function) -> set[str]:  # type: ignore[no-untyped-def]
    """HTTP methods a decorated view answers, from its route decorators (empty when unknown)."""
    definition = function.parent()
    methods: set[str] = set()
    if definition is None or definition.kind() != "decorated_definition":
        return methods
    for decorator in definition.children():
        if decorator.kind() != "decorator" or not _ROUTE_RE.search(decorator.text()):
            continue
        call = decorator.find(kind="call")
        if call is None:
            continue
        verb = call.field("function").text().rpartition(".")[2] if call.field("function") else ""
        if verb != "route":
            methods.add(verb.upper())
            continue
        for arg in call.field("arguments").named_children() if call.field("arguments") else ():
            name = arg.field("name") if arg.kind() == "keyword_argument" else None
            if name is not None and name.text() == "methods":
                methods.update(m.upper() for m in string_items(arg.field("value")) or [])
    return methods


@on_use(REDIRECT_AFTER_POST, "flask.redirect")
def _redirect_after_post(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, keywords = use.arguments()
    if "code" in keywords or len(positional) > 1:
        return  # an explicit status keeps its meaning in RedirectResponse
    function = use.ctx.scopes.enclosing_function(use.node)
    if function is None:
        return
    # A redirect in a branch only GET (or HEAD) reaches, `if request.method == 'GET':`, answers no POST.
    reaching = methods_reaching(use.node, function, use.ctx.memo.setdefault("method-early-returns", {}))
    unsafe = _view_methods(function) & _UNSAFE & reaching
    if unsafe:
        yield use.hit(use.call, call=short(use.call.text(), 40), method="/".join(sorted(unsafe)))


IMPLICIT_HEAD = rule(
    "FMA804", "flask-implicit-head", "Automatic HEAD responses on GET routes",
    "GET routes in this module also answer HEAD in Flask; FastAPI answers HEAD with 405",
    "list HEAD where clients send it (`@router.api_route(path, methods=['GET', 'HEAD'])`), or one app-wide "
    "middleware that serves HEAD as GET without the body",
    "potential", 1, "partial",
    rationale="Werkzeug adds HEAD (and OPTIONS) to every GET rule. FastAPI does not (fastapi#1773), so load balancer "
    "health checks, link checkers and `curl -I` start getting 405; `api_route(..., methods=['GET', 'HEAD'])` answers "
    "them as Flask did (Starlette drops the body). Reported once per module, at its first GET route, rather than on "
    "every route, and as `potential`: only clients that send HEAD are affected. Test modules are skipped.",
    before="@app.route('/health')\ndef health():\n    return 'ok'\n",
    after="@app.api_route('/health', methods=['GET', 'HEAD'])\ndef health():\n    return 'ok'\n",
    links=(f"{FASTAPI}/tutorial/first-steps/#operation", f"{FLASK}/api/#flask.Flask.add_url_rule"),
)


@on_use(IMPLICIT_HEAD, *members("route", "get", "add_url_rule"))
def _implicit_head(use: Use) -> Iterator[Hit]:
    if use.call is None or use.ctx.memo.get(IMPLICIT_HEAD.code) or is_test_path(use.ctx.path):
        return
    _, keywords = use.arguments()
    if "methods" not in keywords and use.call.find(kind="dictionary_splat") is not None:
        return  # `add_url_rule(rule, **options)` in a helper: the methods come from its callers
    methods = string_items(keywords.get("methods")) if "methods" in keywords else ["GET"]
    if use.qual.endswith(".get") or (methods is not None and "GET" in (m.upper() for m in methods)):
        use.ctx.memo[IMPLICIT_HEAD.code] = True
        yield use.hit(use.call)


URL_FOR_QUERY = rule(
    "FMA805", "flask-url-for-query-kwargs", "url_for with arguments that are not path parameters",
    "`{call}` passes {names}, not in the route's path: Flask appends them as a query string, Starlette "
    "raises `NoMatchFound`",
    "`request.url_for(name, **path_params).include_query_params(...)`",
    "mandatory", 1, "partial",
    rationale="Starlette's `url_for` accepts exactly the path parameters; anything else raises "
    "`NoMatchFound` at run time, only on the code path that builds the URL. `request.url_for` builds an absolute "
    "URL (Flask's `_external=True`); for Flask's relative one, "
    "`URL(app.url_path_for(name, ...)).include_query_params(...)` (`starlette.datastructures.URL`).",
    before="url_for('books.detail', book_id=3, tab='reviews')\n",
    after="request.url_for('book_detail', book_id=3).include_query_params(tab='reviews')\n",
    links=(f"{STARLETTE}/routing/#reverse-url-lookups", f"{STARLETTE}/requests/#url"),
)
_PLACEHOLDER_RE = re.compile(r"<(?:[^:<>]+:)?([A-Za-z_]\w*)>")


def _route_params(ctx: FileContext) -> dict[str, set[str]]:
    """View function name -> path parameters, for the routes this file declares with a literal path."""
    cached = ctx.memo.get("route-params")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    params: dict[str, set[str]] = {}
    for definition in ctx.root.find_all(kind="decorated_definition"):
        function = definition.field("definition")
        name = function.field("name") if function is not None else None
        if name is None:
            continue
        for decorator in definition.children():
            call = decorator.find(kind="call") if decorator.kind() == "decorator" else None
            args = call.field("arguments") if call is not None else None
            first = next(iter(args.named_children()), None) if args is not None else None
            path = string_value(first)
            if path is not None and _ANY_ROUTE_RE.search(decorator.text()):
                params.setdefault(name.text(), set()).update(_PLACEHOLDER_RE.findall(path))
    # A Blueprint's `url_prefix='/kobo/<auth_token>'` adds its placeholders to every route of the module.
    prefixed = {p for prefix in _URL_PREFIX_RE.findall(ctx.text) for p in _PLACEHOLDER_RE.findall(prefix[1])}
    for names in params.values():
        names.update(prefixed)
    ctx.memo["route-params"] = params
    return params


# The word boundary as a look-behind after the literal, not `\b` before it: re then searches for the literal
# instead of trying the pattern at every position of the file (25 times faster, same matches).
_URL_PREFIX_RE = re.compile(r"""url_prefix(?<!\wurl_prefix)\s*=\s*(['"])([^'"\n]*<[^'"\n]*)\1""")


@on_use(URL_FOR_QUERY, "flask.url_for")
def _url_for_query(use: Use) -> Iterator[Hit]:
    positional, keywords = use.arguments()
    endpoint = string_value(positional[0]) if positional else None
    if use.call is None or endpoint is None or endpoint == "static":
        return
    params = _route_params(use.ctx).get(endpoint.rpartition(".")[2])
    if params is None:
        return  # the route is declared elsewhere: its path parameters are unknown here
    extra = sorted(k for k in keywords if not k.startswith("_") and k not in params)
    if extra:
        yield use.hit(use.call, call=short(use.call.text(), 40), names=", ".join(f"`{k}`" for k in extra))


CONVERTER_SEMANTICS = rule(
    "FMA806", "flask-converter-semantics", "URL converter that matches differently in Starlette",
    "`{placeholder}` matches {difference}",
    "{fix}",
    "potential", 1, "partial",
    rationale="The path still routes after the port, but to different URLs: a client sending the edge cases "
    "gets another answer (404 vs 200 vs 422) without any error at start-up.",
    before="@app.route('/temp/<float:value>')\ndef temp(value): ...\n",
    after="@app.get('/temp/{value}')\ndef temp(value: Annotated[str, Path(pattern=r'^\\d+\\.\\d+$')]):\n"
    "    celsius = float(value)  # a plain `value: float` also matches '/temp/3' and '/temp/-3'\n",
    links=(f"{STARLETTE}/routing/#path-parameters", "https://werkzeug.palletsprojects.com/en/stable/routing/"),
)
# `int` is left to FMA104's message (FastAPI also accepts `-1`): on real code it fired on most routes and
# drowned the two converters whose matching really surprises.
_SEMANTICS = {
    "float": ("integers like `3` in FastAPI (a bare `{x}` also `-3` and `1e3`); Werkzeug's `float` needs a dot "
              "(`3.0`)",
              "a `str` parameter with `Path(pattern=r'^\\d+\\.\\d+$')`, converted with `float()`, if the dot matters "
              "(a pattern on a `float` parameter fails at request time; a miss answers 422, not 404)"),
    "path": ("differently: Werkzeug's `path` is never empty and never starts with a slash, Starlette's `{x:path}` "
             "can be both (`/files/`, `/files//etc/passwd`)",
             "strip a leading `/` from the parameter and answer 404 when it is empty; test URLs with empty and "
             "nested paths"),
}


@on_use(CONVERTER_SEMANTICS, *members("route", "add_url_rule", "get", "post", "put", "patch", "delete"))
def _converter_semantics(use: Use) -> Iterator[Hit]:
    for node, path in route_paths(use):
        for match in re.finditer(r"<(float|path)(\([^)]*\))?:[A-Za-z_]\w*>", path):
            difference, fix = _SEMANTICS[match.group(1)]
            yield Hit(node, {"placeholder": match.group(0), "difference": difference, "fix": fix},
                      placeholder_position(node, match.group(0)))


SESSION_COOKIE = rule(
    "FMA807", "flask-session-cookie-format", "Flask session cookie read or written",
    "this module relies on Flask's signed session cookie, which Starlette cannot read",
    "plan the cutover: users are logged out unless a bridge reads the old cookie (itsdangerous "
    "`URLSafeTimedSerializer`, salt 'cookie-session', HMAC-SHA1) into `request.session`, or sessions move "
    "server-side first",
    "mandatory", 1, "partial",
    rationale="Flask signs `session` with itsdangerous `URLSafeTimedSerializer` (salt 'cookie-session', tagged "
    "JSON); Starlette's `SessionMiddleware` uses a `TimestampSigner` over base64 JSON. The same cookie name and "
    "secret do not make them compatible. The starlette-flask bridge was archived in January 2026; the bridge is a "
    "dependency of a few lines. Reported once per module that uses the session.",
    before="session['cart'] = cart_id\n",
    after="request.session['cart'] = cart_id  # a new cookie: existing sessions are lost\n",
    links=(f"{STARLETTE}/middleware/#sessionmiddleware", f"{FLASK}/api/#sessions"),
)


@on_use(SESSION_COOKIE, "flask.session")
def _session_cookie(use: Use) -> Iterator[Hit]:
    if not use.ctx.memo.get(SESSION_COOKIE.code):
        use.ctx.memo[SESSION_COOKIE.code] = True
        yield use.hit()


TEST_REDIRECTS = rule(
    "FMA808", "flask-test-redirect-status", "Test asserting a redirect status",
    "`{expr}` expects a redirect status; FastAPI's `TestClient` follows redirects by default",
    "`TestClient(app, follow_redirects=False)` for these tests, or assert on the final page",
    "mandatory", 1, "partial",
    rationale="Flask's test client returns the 3xx response unless `follow_redirects=True`; httpx-based "
    "`TestClient` follows it and the test sees the target's 200.",
    before="assert client.post('/login', data=form).status_code == 302\n",
    after="client = TestClient(app, follow_redirects=False)\n"
    "assert client.post('/login', data=form).status_code == 302\n",
    links=(f"{FASTAPI}/tutorial/testing/", "https://www.python-httpx.org/quickstart/#redirection-and-history"),
)
# Word boundaries as look-behinds after literals (as `_URL_PREFIX_RE`): each branch starts with a literal.
_REDIRECT_STATUS_RE = re.compile(
    r"status_code(?<!\wstatus_code)\s*(==|!=|in)\s*[\[(]?\s*30[1278]\b|30(?<!\w30)[1278]\s*==\s*\w+\.status_code")


# unittest's spelling: `self.assertEqual(response.status_code, 302)`, `assertIn(r.status_code, (301, 302))`.
_ASSERT_REDIRECT_RE = re.compile(
    r"assert(?:Equal|Equals|In)\s*\(\s*[\w.]+\.status_code\s*,\s*[\[(]?\s*30[1278]\b"
    r"|assert(?:Equal|Equals)\s*\(\s*30[1278]\s*,\s*[\w.]+\.status_code\b")
_ASSERT_CALLS = {"rule": {"kind": "call", "regex": r"^[\w.]*assert(?:Equal|Equals|In)\s*\("}}


@on_file(TEST_REDIRECTS)
def _test_redirects(ctx: FileContext) -> Iterator[Hit]:
    if "status_code" not in ctx.text or not (_REDIRECT_STATUS_RE.search(ctx.text)
                                             or _ASSERT_REDIRECT_RE.search(ctx.text)):
        return  # no 30x status anywhere in the file: skip the tree query (both branches need `status_code`)
    test_module = is_test_path(ctx.path) or "test_client" in ctx.text
    comparisons = list(ctx.root.find_all(kind="comparison_operator")) if _REDIRECT_STATUS_RE.search(ctx.text) else []
    if _ASSERT_REDIRECT_RE.search(ctx.text):
        comparisons += [call for call in ctx.root.find_all(_ASSERT_CALLS) if _asserts_redirect(call)]
        comparisons.sort(key=lambda node: node.range().start.index)
    for comparison in comparisons:
        if comparison.kind() == "comparison_operator" and not _REDIRECT_STATUS_RE.search(comparison.text()):
            continue
        function = ctx.scopes.enclosing_function(comparison)
        name = function.field("name") if function is not None else None
        if not (test_module or (name is not None and name.text().startswith("test"))):
            continue
        if _redirects_not_followed(comparison, function or ctx.root):
            continue  # `client.get(url, follow_redirects=False)`: httpx's TestClient takes it per request too
        yield Hit(comparison, {"expr": short(comparison.text(), 40)})


def _asserts_redirect(call: SgNode) -> bool:
    function, arguments = call.field("function"), call.field("arguments")
    if function is None or arguments is None:
        return False
    method = function.text().rpartition(".")[2]
    return bool(_ASSERT_REDIRECT_RE.match(method + arguments.text()))


_NO_FOLLOW_RE = re.compile(r"\bfollow_redirects\s*=\s*False\b")
_STATUS_OF_RE = re.compile(r"\b([A-Za-z_]\w*)\.status_code\b")


def _redirects_not_followed(comparison: SgNode, scope: SgNode) -> bool:
    """True when the response compared was requested with `follow_redirects=False`: in the comparison itself,
    or in the last assignment of the compared name before it."""
    text = comparison.text()
    if _NO_FOLLOW_RE.search(text):
        return True
    named = _STATUS_OF_RE.search(text)
    if named is None:
        return False
    row = comparison.range().start.line
    last = None
    for assignment in scope.find_all(kind="assignment"):
        left = assignment.field("left")
        if left is not None and left.text() == named.group(1) and assignment.range().start.line < row:
            if last is None or assignment.range().start.index > last.range().start.index:
                last = assignment
    right = last.field("right") if last is not None else None
    return right is not None and bool(_NO_FOLLOW_RE.search(right.text()))


BLOCKING_IN_ASYNC = rule(
    "FMA809", "flask-blocking-call-in-async-view", "Blocking call inside an async view",
    "`{call}` blocks inside `async def {view}`: once on FastAPI's event loop it stalls every request",
    "declare the endpoint with plain `def` (FastAPI runs it in a threadpool), or use an async client "
    "(httpx.AsyncClient, `asyncio.sleep`, an async database driver)",
    "mandatory", 3, "partial",
    rationale="Flask runs `async def` views in a thread per request, so blocking calls only cost that thread. "
    "FastAPI runs `async def` endpoints on the event loop itself.",
    before="@app.route('/rates')\nasync def rates():\n    return requests.get(RATES_URL).json()\n",
    after="@app.get('/rates')\nasync def rates():\n    async with httpx.AsyncClient() as client:\n"
    "        return (await client.get(RATES_URL)).json()\n",
    links=(f"{FASTAPI}/async/#very-technical-details", f"{FASTAPI}/async/#path-operation-functions"),
)
_BLOCKING_RE = re.compile(
    r"^(requests\.(get|post|put|patch|delete|head|request)|time\.sleep|urllib\.request\.urlopen|urlopen|"
    r"subprocess\.(run|call|check_call|check_output)|db\.session\.\w+|[A-Z]\w*\.query\.\w+)$"
)


@on_use(BLOCKING_IN_ASYNC, *members("route", "get", "post", "put", "patch", "delete"))
def _blocking_in_async(use: Use) -> Iterator[Hit]:
    function = use.decorated
    if function is None or not function.text().startswith("async "):
        return
    name = function.field("name")
    scopes = use.ctx.scopes
    for call in function.find_all(kind="call"):
        callee = call.field("function")
        if callee is not None and _BLOCKING_RE.match(callee.text()) and scopes.enclosing_function(call) == function:
            yield Hit(call, {"call": short(callee.text(), 30) + "()", "view": name.text() if name else "?"})


JSON_KEY_ORDER = rule(
    "FMA810", "flask-json-sort-keys", "JSON key sorting configured",
    "`{expr}` configures Flask's JSON key sorting, which FastAPI does not do",
    "FastAPI keeps insertion order; sort explicitly (a custom `JSONResponse` with `json.dumps(sort_keys=True)`) "
    "if clients or caches depend on the order",
    "mandatory", 1, "partial",
    rationale="Flask sorts the keys of every JSON response by default (`app.json.sort_keys` is True; the "
    "`JSON_SORT_KEYS` config key was removed in Flask 2.3 and is ignored since); responses built by FastAPI come "
    "out in insertion order, which breaks byte-for-byte comparisons, ETags and snapshot tests. Flask also escapes "
    "non-ASCII characters (`ensure_ascii`), which FastAPI does not.",
    before="app.config['JSON_SORT_KEYS'] = True\n",
    after="class SortedJSONResponse(JSONResponse):\n    def render(self, content) -> bytes:\n"
    "        return json.dumps(content, sort_keys=True).encode()\n",
    links=(f"{FASTAPI}/advanced/custom-response/#custom-response-class",),
)


@on_file(JSON_KEY_ORDER)
def _json_sort_keys(ctx: FileContext) -> Iterator[Hit]:
    if "JSON_SORT_KEYS" not in ctx.text and "sort_keys" not in ctx.text:
        return
    for node in ctx.root.find_all(kind="identifier", regex="^JSON_SORT_KEYS$"):
        yield Hit(node, {"expr": "JSON_SORT_KEYS"})
    for node in ctx.root.find_all(kind="string", regex="^[\"']JSON_SORT_KEYS[\"']$"):
        yield Hit(node, {"expr": "JSON_SORT_KEYS"})
    for node in ctx.root.find_all(kind="attribute", regex=r"\.json\.sort_keys$"):
        yield Hit(node, {"expr": short(node.text(), 30)})


VALIDATION_STATUS = rule(
    "FMA811", "flask-bad-request-status", "Bad input answered with 400",
    "`{expr}` answers bad input with 400; FastAPI's own validation answers 422 with a list of errors",
    "decide per endpoint: keep 400 with a `RequestValidationError` handler, or document 422 for clients",
    "potential", 1, "partial",
    rationale="Once parameters and bodies are declared, FastAPI validates them before the view runs and "
    "answers 422 `{{\"detail\": [...]}}`: clients that check for 400 or parse the old error body break.",
    before="if 'title' not in data:\n    abort(400, 'title is required')\n",
    after="@app.exception_handler(RequestValidationError)\nasync def as_400(request, exc):\n"
    "    return JSONResponse({'detail': exc.errors()}, status_code=400)\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/#override-request-validation-exceptions",),
)


@on_use(VALIDATION_STATUS, "flask.abort")
def _abort_400(use: Use) -> Iterator[Hit]:
    positional, _ = use.arguments()
    if use.call is not None and positional and positional[0].text() == "400":
        yield use.hit(use.call, expr=short(use.call.text(), 40))


WRONG_HTTP_EXCEPTION = rule(
    "FMA812", "fastapi-http-exception-handler", "Exception handler on FastAPI's HTTPException",
    "`{expr}` handles `fastapi.HTTPException`, which misses the router's own 404 and 405",
    "register the handler on `starlette.exceptions.HTTPException` (FastAPI's class is a subclass of it), or per "
    "status code (`@app.exception_handler(404)`)",
    "mandatory", 1, "partial",
    rationale="Unknown paths and wrong methods raise Starlette's `HTTPException`; a handler registered for "
    "FastAPI's subclass never sees them, so the old custom 404 page or JSON body silently disappears. The handler "
    "should pass `exc.headers` on, or a 405 loses its `Allow` header.",
    before="from fastapi import HTTPException\n\n@app.exception_handler(HTTPException)\n"
    "async def not_found(request, exc): ...\n",
    after="from starlette.exceptions import HTTPException as StarletteHTTPException\n\n"
    "@app.exception_handler(StarletteHTTPException)\nasync def not_found(request, exc): ...\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/#fastapis-httpexception-vs-starlettes-httpexception",),
)
_FASTAPI_IMPORT_RE = re.compile(r"^from\s+fastapi(\.exceptions)?\s+import\s+.*\bHTTPException\b(\s+as\s+(\w+))?",
                                re.MULTILINE)


@on_file(WRONG_HTTP_EXCEPTION)
def _fastapi_http_exception(ctx: FileContext) -> Iterator[Hit]:
    """Code that already runs FastAPI beside Flask (the strangler pattern) and ports its handlers."""
    match = _FASTAPI_IMPORT_RE.search(ctx.text) if "HTTPException" in ctx.text and "fastapi" in ctx.text else None
    if match is None:
        return
    local = match.group(3) or "HTTPException"
    for call in ctx.root.find_all(kind="call", regex=r"(exception_handler|add_exception_handler)\("):
        callee = call.field("function")
        args = call.field("arguments")
        first = next(iter(args.named_children()), None) if args is not None else None
        if (callee is not None and callee.text().endswith(("exception_handler", "add_exception_handler"))
                and first is not None and first.text() == local):
            yield Hit(call, {"expr": short(call.text(), 50)})
