"""FMA520-539: the test API that changes when tests move from Flask's test client to FastAPI's
`TestClient` (httpx): what test responses expose, how requests are built, the client's own state, and
pytest-flask's fixtures, a project's subclass of the client; WebTest's client around a Flask app
(FMA535-536). The client and its responses are followed through fixtures, helpers, `setUp` and types by
testclients.py; what does not change (`status_code`,
`headers[...]`, `text`, `json=`, `headers=`, `follow_redirects=`) has no rule."""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from ..api import Hit, Use
from ..names import TEST_CLIENT as CLIENT, TEST_RESPONSE as RESPONSE, WEBTEST_CLIENT as WEBTEST
from ..registry import on_use, rule
from ..testclients import (BASE_URL, CLIENT_OVERRIDE, PYTEST_FLASK_CLIENT, PYTEST_FLASK_LIVE_SERVER, REQUEST_METHODS,
                           WEBTEST_METHODS)
from ._common import FASTAPI, FLASK, STARLETTE, short

HTTPX = "https://www.python-httpx.org"
WERKZEUG_TEST = "https://werkzeug.palletsprojects.com/en/stable/test/"
TESTING = f"{FASTAPI}/tutorial/testing/"
WEBTEST_DOCS = "https://docs.pylonsproject.org/projects/webtest/en/stable/testapp.html"

RESPONSE_JSON = rule(
    "FMA520", "flask-test-response-json-property", "Test response's json property",
    "`{expr}` reads Werkzeug's `json` property; on httpx's response `json` is a method",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's `TestResponse.json` is a property that parses the body; httpx's `Response.json()` is "
    "a method, so the unchanged line compares a bound method with the expected data and the assertion fails.",
    before="assert rv.json == {'id': 1}\n", after="assert rv.json() == {'id': 1}\n",
    links=(TESTING, f"{HTTPX}/api/#response", WERKZEUG_TEST),
)
RESPONSE_DATA = rule(
    "FMA521", "flask-test-response-data", "Test response body read as .data",
    "`{expr}` reads the body as Werkzeug's `data`; httpx's response has no `data`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="httpx names the body bytes `content` and the decoded text `text`; `data` raises AttributeError.",
    before="assert b'Welcome' in rv.data\n", after="assert b'Welcome' in rv.content\n",
    links=(TESTING, f"{HTTPX}/quickstart/#response-content"),
)
RESPONSE_GET_JSON = rule(
    "FMA522", "flask-test-response-get-json", "Test response parsed with get_json()",
    "`{expr}` parses the body with Werkzeug's `get_json()`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="httpx's response has `json()` (which raises on a body that is not JSON) and no `get_json`; "
    "`get_json(silent=True)` has no counterpart and becomes a `try`/`except json.JSONDecodeError`.",
    before="data = rv.get_json()\n", after="data = rv.json()\n",
    links=(TESTING, f"{HTTPX}/quickstart/#json-response-content"),
)
RESPONSE_GET_DATA = rule(
    "FMA523", "flask-test-response-get-data", "Test response body read with get_data()",
    "`{expr}` reads the body with Werkzeug's `get_data()`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="httpx's response has `content` (bytes) and `text` (decoded) instead of `get_data()` and "
    "`get_data(as_text=True)`.",
    before="html = rv.get_data(as_text=True)\n", after="html = rv.text\n",
    links=(TESTING, f"{HTTPX}/quickstart/#response-content"),
)
RESPONSE_STATUS = rule(
    "FMA524", "flask-test-response-status", "Test response status read as a string",
    "`{expr}` is Werkzeug's status line (`'200 OK'`); httpx's response has no `status`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's `status` is the whole status line as a string; httpx has the number in `status_code` "
    "and the text in `reason_phrase`.",
    before="assert rv.status == '404 NOT FOUND'\n", after="assert rv.status_code == 404\n",
    links=(f"{HTTPX}/api/#response", WERKZEUG_TEST),
)
RESPONSE_HEADERS = rule(
    "FMA525", "flask-test-response-headers-api", "Werkzeug Headers method on a test response",
    "`{expr}` uses Werkzeug's `Headers` API; httpx's `Headers` {differs}",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Both header mappings read `headers['Name']` and `headers.get('Name')` alike, case-insensitively; "
    "Werkzeug's `getlist`/`get_all` are `get_list` in httpx, and `get(name, type=int)` has no `type`.",
    before="assert rv.headers.getlist('Set-Cookie')\n", after="assert rv.headers.get_list('set-cookie')\n",
    links=(f"{HTTPX}/api/#headers",),
)
RESPONSE_HEADER_ATTRIBUTE = rule(
    "FMA526", "flask-test-response-header-attribute", "Test response header read through a Werkzeug attribute",
    "`{expr}` is a Werkzeug response attribute that httpx's response does not have",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Werkzeug parses some headers into attributes (`mimetype`, `content_type`, `location`, "
    "`content_length`, `is_json`); httpx keeps them in `headers`. `location` is also made absolute by "
    "Werkzeug's test client only in some versions: compare with the header as the app sent it.",
    before="assert rv.mimetype == 'application/json'\nassert rv.location.endswith('/login')\n",
    after="assert rv.headers['content-type'] == 'application/json'\n"
    "assert rv.headers['location'].endswith('/login')\n",
    links=(f"{HTTPX}/api/#response", WERKZEUG_TEST),
)
CLIENT_COOKIES = rule(
    "FMA527", "flask-test-client-cookies", "Test client cookie method",
    "`{expr}` uses the Werkzeug test client's cookie API",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's client has `set_cookie`, `get_cookie` and `delete_cookie` (whose signatures changed in "
    "Werkzeug 2.3); httpx's client keeps a `cookies` jar: `client.cookies.set(name, value)`, "
    "`client.cookies.get(name)`, `client.cookies.delete(name)`.",
    before="client.set_cookie('theme', 'dark')\n", after="client.cookies.set('theme', 'dark')\n",
    links=(f"{HTTPX}/api/#cookies", f"{HTTPX}/advanced/clients/#cookies"),
)
FILE_UPLOAD = rule(
    "FMA528", "flask-test-client-file-upload", "Test request uploading a file through data=",
    "`{expr}` uploads a file through `data=`, as Werkzeug's `(file, filename)` tuples",
    "`files={{'field': (filename, file)}}` beside `data=` for the other form fields (the tuple's order is reversed)",
    "mandatory", 1, "direct",
    rationale="Werkzeug builds a multipart body from `data` values that are `(file, filename[, content_type])` "
    "tuples or `FileStorage`s; httpx takes files in `files=` as `(filename, file[, content_type])`, and a tuple "
    "left in `data=` is sent as a form field.",
    before="client.post('/upload', data={'title': 'a', 'file': (io.BytesIO(b'zip'), 'a.zip')})\n",
    after="client.post('/upload', data={'title': 'a'}, files={'file': ('a.zip', io.BytesIO(b'zip'))})\n",
    links=(f"{HTTPX}/quickstart/#sending-multipart-file-uploads", f"{FASTAPI}/tutorial/request-files/"),
)
CONTENT_TYPE = rule(
    "FMA529", "flask-test-client-content-type", "Test request with content_type=",
    "`{expr}` sets the body's type with Werkzeug's `content_type=`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="httpx's request methods take no `content_type`: a JSON body is `json=`, raw text or bytes are "
    "`content=` with the header in `headers=`.",
    before="client.post('/books', data=json.dumps(book), content_type='application/json')\n",
    after="client.post('/books', json=book)\n",
    links=(f"{HTTPX}/quickstart/#sending-json-encoded-data", f"{HTTPX}/quickstart/#sending-binary-request-data"),
)
QUERY_STRING = rule(
    "FMA530", "flask-test-client-query-string", "Test request with query_string=",
    "`{expr}` passes the query with Werkzeug's `query_string=`",
    "`params=` (a dict, a list of pairs, or the string in the URL)",
    "mandatory", 1, "direct",
    rationale="httpx names the query parameters `params`; `query_string` is a TypeError.",
    before="client.get('/search', query_string={'q': 'dune'})\n", after="client.get('/search', params={'q': 'dune'})\n",
    links=(f"{HTTPX}/quickstart/#passing-parameters-in-urls",),
)
ENVIRON = rule(
    "FMA531", "flask-test-client-environ", "Test request setting the WSGI environ",
    "`{expr}` sets WSGI environ keys, which an ASGI app does not read",
    "headers in `headers=`; the client address with `TestClient(app, client=(host, port))`; the server name "
    "with `base_url=`",
    "mandatory", 1, "partial",
    rationale="`environ_base`/`environ_overrides` write WSGI environ keys (`REMOTE_ADDR`, `HTTP_*`); under "
    "ASGI the app reads the scope, which TestClient builds from the request's URL and headers and its "
    "`client` argument.",
    before="client.get('/', environ_base={'REMOTE_ADDR': '10.0.0.1'})\n",
    after="TestClient(app, client=('10.0.0.1', 50000)).get('/')\n",
    links=(f"{STARLETTE}/testclient/",),
)
BODY_WITHOUT_BODY = rule(
    "FMA532", "flask-test-client-body-on-get", "Test GET/DELETE request with a body",
    "`{expr}` sends a body with {method}; httpx's `{method_name}()` takes none",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's client accepts `data=`/`json=` on every method; httpx's `get`, `delete`, `head` and "
    "`options` have no body parameters (a TypeError), so the request goes through `client.request(...)`.",
    before="client.delete('/books/1', json={'reason': 'duplicate'})\n",
    after="client.request('DELETE', '/books/1', json={'reason': 'duplicate'})\n",
    links=(f"{HTTPX}/compatibility/#request-body-on-http-methods",),
)
SESSION_TRANSACTION = rule(
    "FMA533", "flask-test-session-transaction", "Test writing the session with session_transaction()",
    "`{expr}` edits Flask's signed session cookie in place",
    "log in through the app (a login request), or override the dependency that reads the user "
    "(`app.dependency_overrides`)",
    "mandatory", 3, "partial",
    rationale="`session_transaction()` opens Flask's session, signed with the app's secret, and writes it back "
    "as a cookie. TestClient has no such hook: with Starlette's `SessionMiddleware` the cookie format differs, "
    "and tests usually set up state through a request or a dependency override instead.",
    before="with client.session_transaction() as session:\n    session['user_id'] = 1\n",
    after="app.dependency_overrides[current_user] = lambda: User(id=1)\n",
    links=(f"{FLASK}/testing/#accessing-and-modifying-the-session", f"{FASTAPI}/advanced/testing-dependencies/"),
)
PYTEST_FLASK = rule(
    "FMA534", "pytest-flask-fixture", "pytest-flask fixture",
    "`{name}` is pytest-flask's fixture, made from the `app` fixture",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="pytest-flask provides `client` (the app's test client) and `live_server` (the app served in a "
    "separate process) for any project that defines an `app` fixture. After the port, a `client` fixture of "
    "the project returns `TestClient(app)`; a live server is uvicorn started in a thread, or TestClient where "
    "the tests only need HTTP.",
    before="def test_home(client):\n    assert client.get('/').status_code == 200\n",
    after="@pytest.fixture\ndef client(app):\n    return TestClient(app)\n\n"
    "def test_home(client):\n    assert client.get('/').status_code == 200\n",
    links=("https://github.com/pytest-dev/pytest-flask", TESTING),
)
JSON_AS_DATA = rule(
    "FMA537", "flask-test-client-json-as-data", "Test request with a JSON body serialised into data=",
    "`{expr}` sends JSON serialised by hand in `data=`",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's client sends a string in `data=` as the body, with the type from `content_type=` or the "
    "headers. httpx serialises `json=` itself and sets `content-type: application/json`; it has no `content_type=` "
    "(a TypeError) and deprecates a string in `data=` (a DeprecationWarning, an error under `-W error`), so the "
    "call becomes `json=<the data>`. One finding per call: this one also covers the call's `content_type=`.",
    before="client.post('/api/posts/', data=json.dumps({'body': 'hi'}), content_type='application/json')\n",
    after="client.post('/api/posts/', json={'body': 'hi'})\n",
    links=(f"{HTTPX}/quickstart/#sending-json-encoded-data", f"{HTTPX}/compatibility/#request-content"),
)
BASE_URL_LITERAL = rule(
    "FMA538", "flask-test-client-base-url", "Test expecting the Flask test client's base URL",
    "`{expr}` is the base URL of Werkzeug's test client; TestClient's is `http://testserver`",
    "`{fixed}`, or `TestClient(app, base_url='http://localhost')` to keep the old one",
    "mandatory", 1, "direct",
    rationale="Werkzeug's test client (and WebTest) serve requests as `http://localhost`, so absolute URLs the "
    "app builds (`url_for(..., _external=True)`, `request.url`, a redirect's `location`) start with it; "
    "TestClient's requests go to `http://testserver`, so a test comparing with the old prefix fails.",
    before="assert rv.json['url'] == 'http://localhost/api/posts/1'\n",
    after="assert rv.json()['url'] == 'http://testserver/api/posts/1'\n",
    links=(f"{STARLETTE}/testclient/",),
)
CLIENT_SUBCLASS_OVERRIDE = rule(
    "FMA539", "flask-test-client-subclass-override", "Werkzeug client method overridden in a test client subclass",
    "`{name}` overrides the Werkzeug test client's `{method}`, {why}",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="A project's subclass of `FlaskClient` often overrides `open`, through which Werkzeug's client sends "
    "every request, to add a token or log in first. httpx's client, which TestClient derives from, has no `open`: "
    "every request goes through `request(method, url, ...)`, so once the base class is TestClient the override is "
    "never called and the tests run unauthenticated. Werkzeug's cookie methods, `session_transaction` and its "
    "WSGI internals have no counterpart by those names either.",
    before="class AuthenticatedClient(FlaskClient):\n    def open(self, *args, **kwargs):\n"
    "        kwargs['headers'] = {**(kwargs.get('headers') or {}), **self.auth}\n"
    "        return super().open(*args, **kwargs)\n",
    after="class AuthenticatedClient(TestClient):\n    def request(self, method, url, **kwargs):\n"
    "        kwargs['headers'] = {**(kwargs.get('headers') or {}), **self.auth}  # httpx passes headers=None\n"
    "        return super().request(method, url, **kwargs)\n",
    links=(f"{HTTPX}/api/#client", f"{STARLETTE}/testclient/"),
)
WEBTEST_REQUEST = rule(
    "FMA535", "webtest-request", "Request made with WebTest's TestApp",
    "`{expr}` {what}",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="WebTest drives a WSGI app; an ASGI app is driven by `TestClient` (httpx). WebTest raises "
    "`AppError` on a 4xx/5xx status unless given `status=` or `expect_errors=True`, so a plain request also "
    "asserts success; TestClient returns the response whatever its status (and follows redirects, which WebTest "
    "does not). `post_json(url, body)` is `post(url, json=body)`, and WebTest's second positional argument is "
    "the body (`params`), which httpx takes as `data=` or `content=`.",
    before="resp = testapp.post_json('/api/users', {'user': user})\ntestapp.get('/api/user', status=401)\n",
    after="resp = client.post('/api/users', json={'user': user})\nassert resp.status_code < 400\n"
    "assert client.get('/api/user').status_code == 401\n",
    links=(WEBTEST_DOCS, TESTING, f"{HTTPX}/quickstart/#sending-json-encoded-data"),
)
WEBTEST_RESPONSE = rule(
    "FMA536", "webtest-response-api", "WebTest response attribute",
    "`{expr}` is WebTest's (WebOb's) response API, which httpx's response does not have",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="WebTest's response is a WebOb `Response` with test helpers: the status number is `status_int`, "
    "the body bytes `body`, the whitespace-normalised text `normal_body`, and it parses HTML forms and links "
    "(`forms`, `click()`, `follow()`). httpx has `status_code` and `content`; forms and links are parsed with "
    "an HTML parser of your choice, and redirects are followed by the client.",
    before="assert resp.status_int == 200\nassert b'Welcome' in resp.body\n",
    after="assert resp.status_code == 200\nassert b'Welcome' in resp.content\n",
    links=(WEBTEST_DOCS, f"{HTTPX}/api/#response"),
)


def _expression(use: Use) -> Iterator[Hit]:
    """The attribute as written (`rv.data`), with the call when it is one (`rv.get_json()`)."""
    node = use.call or use.node
    yield use.hit(node, expr=short(node.text(), 50))


@on_use(RESPONSE_JSON, f"{RESPONSE}.json")
def _json_property(use: Use) -> Iterator[Hit]:
    if use.call is None:  # `rv.json()` is some other response class: Werkzeug's `json` is no method
        yield use.hit(expr=short(use.node.text(), 50), fix=f"`{use.node.text()}()`")


@on_use(RESPONSE_DATA, f"{RESPONSE}.data")
def _data(use: Use) -> Iterator[Hit]:
    yield use.hit(expr=short(use.node.text(), 50),
                  fix=f"`{_receiver(use)}.content` (bytes; `.text` for the decoded string)")


@on_use(RESPONSE_GET_JSON, f"{RESPONSE}.get_json")
def _get_json(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(use.call, expr=short(use.call.text(), 50), fix=f"`{_receiver(use)}.json()`")


@on_use(RESPONSE_GET_DATA, f"{RESPONSE}.get_data")
def _get_data(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    _, keywords = use.arguments()
    as_text = keywords.get("as_text")
    text = as_text is not None and as_text.kind() == "true"
    yield use.hit(use.call, expr=short(use.call.text(), 50), fix=f"`{_receiver(use)}.{'text' if text else 'content'}`")


@on_use(RESPONSE_STATUS, f"{RESPONSE}.status")
def _status(use: Use) -> Iterator[Hit]:
    receiver = _receiver(use)
    yield use.hit(expr=short(use.node.text(), 50),
                  fix=f"`{receiver}.status_code` (and `{receiver}.reason_phrase` for the text)")


_HEADER_METHODS = {"getlist": "get_list", "get_all": "get_list"}


@on_use(RESPONSE_HEADERS, *(f"{RESPONSE}.headers.{name}" for name in (*_HEADER_METHODS, "get")))
def _headers(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    if use.call is None:
        return
    if name == "get":
        _, keywords = use.arguments()
        if "type" in keywords:
            yield use.hit(use.call, expr=short(use.call.text(), 50), differs="`get` takes no `type`",
                          fix="convert the value yourself: `int(rv.headers['content-length'])`")
        return
    yield use.hit(use.call, expr=short(use.call.text(), 50), differs=f"has `{_HEADER_METHODS[name]}`, not `{name}`",
                  fix=f"`{_receiver(use)}.{_HEADER_METHODS[name]}(...)`")


_HEADER_ATTRIBUTES = {
    "mimetype": "headers['content-type'].partition(';')[0]",
    "content_type": "headers['content-type']",
    "mimetype_params": "headers['content-type'] (parse the parameters after `;`)",
    "location": "headers['location']",
    "content_length": "int(headers['content-length'])",
    "is_json": "headers['content-type'].startswith('application/json')",
}


@on_use(RESPONSE_HEADER_ATTRIBUTE, *(f"{RESPONSE}.{name}" for name in _HEADER_ATTRIBUTES))
def _header_attribute(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    yield use.hit(expr=short(use.node.text(), 50), fix=f"`{_receiver(use)}.{_HEADER_ATTRIBUTES[name]}`")


_COOKIE_METHODS = {"set_cookie": "cookies.set(name, value)", "get_cookie": "cookies.get(name)",
                   "delete_cookie": "cookies.delete(name)", "cookie_jar": "cookies", "_cookies": "cookies"}


@on_use(CLIENT_COOKIES, *(f"{CLIENT}.{name}" for name in _COOKIE_METHODS))
def _cookies(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    node = use.call or use.node
    yield use.hit(node, expr=short(node.text(), 50), fix=f"`{_receiver(use)}.{_COOKIE_METHODS[name]}`")


_REQUESTS = tuple(f"{CLIENT}.{method}" for method in sorted(REQUEST_METHODS))


@on_use(FILE_UPLOAD, *_REQUESTS)
def _file_upload(use: Use) -> Iterator[Hit]:
    _, keywords = use.arguments()
    data = keywords.get("data")
    if data is not None and _has_file(data):
        yield use.hit(data, expr=short(f"data={data.text()}", 50))


def _has_file(data: SgNode) -> bool:
    """A dict display (or `dict(...)` call) with a `(file, filename)` tuple or a `FileStorage` among its values."""
    if data.kind() == "dictionary":
        values = [pair.field("value") for pair in data.named_children() if pair.kind() == "pair"]
    elif data.kind() == "call" and (data.field("function") or data).text() == "dict":
        arguments = data.field("arguments")
        values = [arg.field("value") for arg in arguments.named_children()
                  if arg.kind() == "keyword_argument"] if arguments is not None else []
    else:
        return False
    for value in values:
        items = value.named_children() if value is not None and value.kind() in ("list", "tuple") else []
        if value is not None and value.kind() == "list":  # several files in one field: [(f1, 'a'), (f2, 'b')]
            if any(_file_tuple(item) for item in items):
                return True
        elif value is not None and (_file_tuple(value) or (value.kind() == "call" and "FileStorage" in (
                value.field("function") or value).text())):
            return True
    return False


def _file_tuple(node: SgNode | None) -> bool:
    """`(file, 'name.ext')` or `(file, 'name.ext', 'type/subtype')`: a file object, then a file name."""
    if node is None or node.kind() != "tuple":
        return False
    items = node.named_children()
    return 2 <= len(items) <= 3 and items[0].kind() not in ("string", "integer", "float", "true", "false", "none") \
        and items[1].kind() in ("string", "identifier", "attribute", "call", "binary_operator")


def _keywords(use: Use, *names: str) -> Iterator[SgNode]:
    """The request's keyword arguments (the whole `name=value` node) named `names`."""
    call = use.call
    arguments = call.field("arguments") if call is not None else None
    for arg in arguments.named_children() if arguments is not None else ():
        key = arg.field("name") if arg.kind() == "keyword_argument" else None
        if key is not None and key.text() in names:
            yield arg


def _json_data(use: Use) -> SgNode | None:
    """The `data=json.dumps(...)` argument of a request (the whole keyword argument), if it has one."""
    for arg in _keywords(use, "data"):
        value = arg.field("value")
        function = value.field("function") if value is not None and value.kind() == "call" else None
        if function is not None and function.text().replace(" ", "") == "json.dumps":
            return arg
    return None


@on_use(JSON_AS_DATA, *_REQUESTS)
def _json_as_data(use: Use) -> Iterator[Hit]:
    arg = _json_data(use)
    if arg is None:
        return
    value = arg.field("value")
    arguments = value.field("arguments") if value is not None else None
    inner = arguments.named_children() if arguments is not None else []
    body = short(inner[0].text(), 30) if len(inner) == 1 else "<the data>"
    dropped = " and drop `content_type=`" if any(_keywords(use, "content_type", "mimetype")) else ""
    yield use.hit(arg, expr=short(arg.text(), 50), fix=f"`json={body}`{dropped}")


@on_use(CONTENT_TYPE, *_REQUESTS)
def _content_type(use: Use) -> Iterator[Hit]:
    if _json_data(use) is not None:
        return  # FMA537, on the `data=json.dumps(...)` that the rewrite replaces, names the whole change
    for arg in _keywords(use, "content_type", "mimetype"):
        value = arg.field("value")
        json_body = value is not None and "json" in value.text()
        yield use.hit(arg, expr=short(arg.text(), 50),
                      fix="`json=<the data>` for a JSON body" if json_body
                      else "`content=...` with `headers={'content-type': ...}`")


@on_use(QUERY_STRING, *_REQUESTS)
def _query_string(use: Use) -> Iterator[Hit]:
    for arg in _keywords(use, "query_string"):
        yield use.hit(arg, expr=short(arg.text(), 50))


@on_use(ENVIRON, *_REQUESTS)
def _environ(use: Use) -> Iterator[Hit]:
    for arg in _keywords(use, "environ_base", "environ_overrides"):
        yield use.hit(arg, expr=short(arg.text(), 50))


@on_use(ENVIRON, f"{CLIENT}.environ_base")
def _client_environ(use: Use) -> Iterator[Hit]:
    """`client.environ_base["HTTP_AUTHORIZATION"] = ...`: the client's own environ, sent with every request."""
    yield use.hit(expr=short(use.node.text(), 50))


_OVERRIDES = {
    "open": ("which httpx's client does not have: TestClient sends every request through `request`",
             "`def request(self, method, url, **kwargs)` on the `TestClient` subclass, calling "
             "`super().request(method, url, **kwargs)`"),
    "session_transaction": ("which has no counterpart on TestClient (it edits Flask's signed session cookie)",
                            "set the state up through a request, or with `app.dependency_overrides`"),
}
_COOKIE_OVERRIDE = ("which httpx's client does not have: it keeps cookies in its `cookies` jar",
                    "the jar's `cookies.set(...)`/`cookies.get(...)`/`cookies.delete(...)` where it is called")
_INTERNAL_OVERRIDE = ("a WSGI internal of Werkzeug's client that httpx's does not have",
                      "the change in `request` (or an httpx transport or event hook)")


@on_use(CLIENT_SUBCLASS_OVERRIDE, CLIENT_OVERRIDE)
def _client_override(use: Use) -> Iterator[Hit]:
    method = use.node.text()
    why, fix = _OVERRIDES.get(method, _COOKIE_OVERRIDE if method.endswith("_cookie") else _INTERNAL_OVERRIDE)
    yield use.hit(name=f"{_class_name(use.node)}.{method}", method=method, why=why, fix=fix)


def _class_name(name: SgNode) -> str:
    """The name of the class whose method `name` names."""
    node = name.parent()
    while node is not None and node.kind() != "class_definition":
        node = node.parent()
    title = node.field("name") if node is not None else None
    return title.text() if title is not None else "client"


_NO_BODY = {"get": "GET", "delete": "DELETE", "head": "HEAD", "options": "OPTIONS"}


@on_use(BODY_WITHOUT_BODY, *(f"{CLIENT}.{method}" for method in _NO_BODY))
def _body_without_body(use: Use) -> Iterator[Hit]:
    method = use.qual.rpartition(".")[2]
    for arg in _keywords(use, "json", "data"):
        yield use.hit(arg, expr=short(arg.text(), 50), method=_NO_BODY[method],
                      method_name=method, fix=f"`{_receiver(use)}.request('{_NO_BODY[method]}', url, ...)`")
        return


@on_use(SESSION_TRANSACTION, f"{CLIENT}.session_transaction")
def _session_transaction(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(use.call, expr=short(use.call.text(), 50))


@on_use(PYTEST_FLASK, PYTEST_FLASK_CLIENT, PYTEST_FLASK_LIVE_SERVER)
def _pytest_flask(use: Use) -> Iterator[Hit]:
    if use.qual == PYTEST_FLASK_CLIENT:
        memo = use.ctx.memo
        if memo.get(PYTEST_FLASK.code):
            return  # once per module: the fix is one fixture in a conftest
        memo[PYTEST_FLASK.code] = True
        yield use.hit(name="client", fix="a `client` fixture of your own that returns `TestClient(app)`")
    else:
        yield use.hit(name="live_server", fix="uvicorn started in a thread for the test session, or `TestClient(app)` "
                      "where the test only needs HTTP")


_JSON_METHODS = {"post_json": "post", "put_json": "put", "patch_json": "patch", "delete_json": "delete"}


@on_use(WEBTEST_REQUEST, *(f"{WEBTEST}.{method}" for method in sorted(WEBTEST_METHODS)))
def _webtest_request(use: Use) -> Iterator[Hit]:
    """One finding per request, on the call, saying the main change: the JSON method, the status check
    WebTest made, or the positional body."""
    if use.call is None:
        return
    method = use.qual.rpartition(".")[2]
    positional, keywords = use.arguments()
    client, expr = _receiver(use), short(use.call.text(), 50)
    if method in _JSON_METHODS:
        plain = _JSON_METHODS[method]
        yield use.hit(use.call, expr=expr, what=f"sends JSON with WebTest's `{method}`",
                      fix=f"`{client}.{plain}(url, json=...)`"
                      + ("" if plain != "delete" else f" (as `{client}.request('DELETE', url, json=...)`)"))
    elif "expect_errors" in keywords or "status" in keywords:
        yield use.hit(use.call, expr=expr, what="tells WebTest which status to expect (`status=`/`expect_errors=`)",
                      fix="drop the argument (TestClient never raises on a status) and assert "
                      "`response.status_code` where the test means it")
    elif method in ("post", "put", "patch") and (len(positional) > 1 or "params" in keywords):
        yield use.hit(use.call, expr=expr, what="passes the body as WebTest's `params`",
                      fix=f"`{client}.{method}(url, data=...)` for a form dict, `content=...` for a string")
    else:
        yield use.hit(use.call, expr=expr, what="fails the test on a 4xx/5xx status, as WebTest raises `AppError`",
                      fix=f"`{client}.{method}(...)` and `assert response.status_code < 400` (or the exact "
                      "status) where the test relied on it")


_PARSED = "an HTML parser over `{r}.text`"
_WEBTEST_MEMBERS = {"status_int": "`{r}.status_code`", "body": "`{r}.content`",
                    "normal_body": "`{r}.content` (not whitespace-normalised)", "showbody": "`print({r}.text)`",
                    "follow": "TestClient's own redirect following (or a request to `{r}.headers['location']`)",
                    "maybe_follow": "TestClient's own redirect following", "forms": _PARSED, "form": _PARSED,
                    "click": _PARSED, "clickbutton": _PARSED, "html": _PARSED, "lxml": _PARSED, "pyquery": _PARSED,
                    "mustcontain": "`assert ... in {r}.text`"}


@on_use(WEBTEST_RESPONSE, *(f"{RESPONSE}.{name}" for name in _WEBTEST_MEMBERS))
def _webtest_response(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    node = use.call or use.node
    yield use.hit(node, expr=short(node.text(), 50), fix=_WEBTEST_MEMBERS[name].format(r=_receiver(use)))


@on_use(BASE_URL_LITERAL, BASE_URL)
def _base_url(use: Use) -> Iterator[Hit]:
    text = use.node.text()
    yield use.hit(expr=short(text, 50), fixed=short(text.replace("http://localhost", "http://testserver", 1), 50))


def _receiver(use: Use) -> str:
    """What the member is read on, as written: `rv` in `rv.data`, `rv.headers` in `rv.headers.getlist`."""
    target = use.node.field("object") if use.node.kind() == "attribute" else None
    return short(target.text(), 30) if target is not None else "response"
