"""Flask's test client -> Starlette's `TestClient` (httpx), with what the tests do with it and its responses.

The audit follows a test client from `app.test_client()` (or a `FlaskClient` subclass) into names, fixtures and
helpers, and each response it answers (testclients.py, rules/testing.py); the port rewrites those findings:
- `X.test_client()` -> `TestClient(X, base_url="http://localhost", follow_redirects=False)`: Werkzeug's client
  serves requests as `http://localhost` and follows no redirect unless asked (`follow_redirects=True` on a
  request, which httpx's request methods take too); TestClient's defaults are `http://testserver` and
  following. When the app stays Flask (the strangler phase), the client drives that very Flask app behind
  a2wsgi's `WSGIMiddleware`, as main.py mounts it: the same suite, through the client the port swaps in.
- a `FlaskClient` subclass whose only Werkzeug override is `open(self, *args, **kwargs)` passing its arguments
  through to `super().open` and reading no keyword but `headers` -> a `TestClient` subclass overriding
  `request` (httpx sends every request through it, as Werkzeug sends every one through `open`), with an
  `__init__` giving TestClient Flask's defaults (above).
- responses: `json` -> `json()`, `data` -> `content`, `get_json()` -> `json()`, `get_data()` -> `content`
  (`as_text=True`: `text`), `status == "404 NOT FOUND"` -> `status_code == 404`, `headers.getlist/get_all`
  -> `get_list`, `mimetype`/`content_type`/`location` -> the header as the app sent it.
- requests: `query_string=` -> `params=`, `(file, name)` tuples in `data=` -> `files={field: (name, file)}`,
  a string body with `content_type=` (`data=json.dumps(...)` included) -> `content=` with the header (the same
  bytes Werkzeug sent), `environ_base={"REMOTE_ADDR": ...}` on a client made for the request -> `client=`,
  `environ_base={"HTTP_X_TOKEN": ...}` -> `headers={"x-token": ...}`,
  `get/delete/head/options` with a body -> `request("DELETE", ...)`, `set_cookie(k, v)` -> `cookies.set(k, v)`,
  `delete_cookie(k)` -> `cookies.delete(k)`.
Everything else keeps its TODO: `get_json(silent=True)`, a JSON value tested for None or truth (Werkzeug's is None
for a body not typed JSON, httpx parses it), a status compared otherwise, `get_cookie` (a Cookie
object in Werkzeug, a string in httpx), other environ keys, pytest-flask's `client`, WebTest.

A response rewritten for httpx must come from a client rewritten to TestClient: the responses are rewritten only
when every client the project makes is (`port` asks `clients_made` after its first pass), else they keep TODOs.

While the app stays Flask, the clients drive `ported_app(app)` (APP_HELPER, a module written beside the tests):
main.py's composition (the routers it includes in front of the Flask app behind a2wsgi, its session bridge)
around the Flask app the test made, with the test's config and database; so the suite checks what main.py serves.

Known differences left as they are: Werkzeug's client sends `REMOTE_ADDR` 127.0.0.1, TestClient `testclient`;
a view raising in a converted app answers 500 to Flask's client when the app is not in testing mode, while
TestClient raises it (behind a2wsgi, Flask answers as before); `text` decodes with the response's charset where
Werkzeug's `get_data(as_text=True)` decodes UTF-8; httpx writes a form's `True` as `true` where Werkzeug wrote
`True` (a form of other values is sent alike); a JSON check that failed in Flask on a body not typed JSON passes
when the body parses.
"""
from __future__ import annotations

import json
import re
from http import HTTPStatus
from importlib.resources import files as package_files

from ast_grep_py import SgNode

from ..rules.application import TEST_CLIENT
from ..rules.silent_changes import TEST_REDIRECTS
from ..rules.testing import (BASE_URL_LITERAL, BODY_WITHOUT_BODY, CLIENT_COOKIES, SESSION_TRANSACTION, CLIENT_SUBCLASS_OVERRIDE, CONTENT_TYPE, ENVIRON,
                             FILE_UPLOAD, JSON_AS_DATA, PYTEST_FLASK, QUERY_STRING, RESPONSE_DATA, RESPONSE_GET_DATA,
                             RESPONSE_GET_JSON, RESPONSE_HEADER_ATTRIBUTE, RESPONSE_HEADERS, RESPONSE_JSON,
                             RESPONSE_STATUS, WEBTEST_REQUEST)
from ..scopes import span
from .hooks import REWRITTEN
from .edits import NotPortable, PortedFile, Site
from .routes import arguments, call_of

CLIENT = TEST_CLIENT.code
# What makes a test client the port may not rewrite: while one is left, no response is rewritten for httpx.
MAKERS = frozenset({CLIENT, PYTEST_FLASK.code, WEBTEST_REQUEST.code})
FLASK_DEFAULTS = 'base_url="http://localhost", follow_redirects=False'
_LITERALS = frozenset({"string", "concatenated_string"})
# `session_transaction(client)`, Flask's `client.session_transaction()` for TestClient: a module the port writes
# where Python imports the test module from (port.port, with `plan.import_root`)
HELPER = "flask_test_session"
HELPER_FILE = f"{HELPER}.py"
HELPER_TEXT = package_files(__package__).joinpath("written", HELPER_FILE).read_text(encoding="utf-8")
USED = ("test session helper", 0)  # file.memo key: True when the module calls the helper
# `ported_app(flask_app)`: while the app stays Flask, what main.py serves (the ported routers in front of the Flask
# app behind a2wsgi), composed around the Flask app a test made (its config, its database), for its TestClient;
# written beside the tests with the routers main.py includes (`app_helper_text`)
APP_HELPER = "ported_test_app"
APP_HELPER_FILE = f"{APP_HELPER}.py"
APP_USED = ("test app helper", 0)  # file.memo key: True when the module calls ported_app
_APP_HEADER = ('"""The ported app as main.py composes it, around the Flask app a test makes: written by `migrate-audit '
               'port` for\n')


def clients_made(files) -> bool:  # type: ignore[no-untyped-def]
    """True when every site that makes a test client in `files` (a first pass's PortedFiles) was rewritten."""
    return all(site.handled for file in files for site in file.sites if site.code in MAKERS)


def port_test_clients(file: PortedFile, attempt, flask_stays: bool, responses: bool, root=None) -> None:  # type: ignore[no-untyped-def]
    """Rewrite the file's test clients and (when `responses`: every client of the project is) their requests and
    responses. `attempt(file, site, action)` is convert._attempt; `flask_stays`: the app the clients drive stays
    Flask (main.py serves it); `root`: the project's folder, where a helper must not replace a module of its own."""
    if root is not None and not _free(root / helper_path(root, file.path), HELPER_TEXT):
        file.memo[USED] = None  # a module of that name is the project's own: session_transaction keeps its TODO
    if root is not None and flask_stays and not _free(root / helper_path(root, file.path, APP_HELPER_FILE), _APP_HEADER):
        file.memo[APP_USED] = None  # likewise: the clients keep their TODOs
    for site in file.sites_of(CLIENT):
        attempt(file, site, lambda site=site: _client(file, site, flask_stays))
    for site in file.sites_of(CLIENT_SUBCLASS_OVERRIDE.code):
        if not site.handled:  # rewritten with its class's base (FMA505), or not at all
            site.reason = site.reason or "its class keeps FlaskClient as its base"
    if not responses:  # a client left to Werkzeug takes Werkzeug's arguments and gives Werkzeug's responses
        return
    for code, action in _REQUESTS:
        for site in file.sites_of(code):
            attempt(file, site, lambda site=site, action=action: action(file, site))
    for code in (BASE_URL_LITERAL.code, TEST_REDIRECTS.code):
        for site in file.sites_of(code):  # the clients keep Werkzeug's base URL, and follow no redirect (FLASK_DEFAULTS)
            site.handled = True
    for code, action in _RESPONSES:
        for site in file.sites_of(code):
            attempt(file, site, lambda site=site, action=action: action(file, site))


# Edits ----------------------------------------------------------------------------------------------------------
def _splice(file: PortedFile, anchor: SgNode, start: int, end: int, text: str) -> None:
    """Replace [start, end) of the file with `text` (`anchor`: any node, for the edit object)."""
    edit = anchor.replace(text)
    edit.start_pos, edit.end_pos = start, end
    file._drop(start, end)
    file._add(edit)


def _remove_argument(file: PortedFile, argument: SgNode) -> None:
    """Take `argument` out of its argument list, with the comma that separates it from a neighbour."""
    siblings = [a for a in argument.parent().named_children() if a.kind() != "comment"]  # type: ignore[union-attr]
    at = next(i for i, a in enumerate(siblings) if span(a) == span(argument))
    if at > 0:
        _splice(file, argument, span(siblings[at - 1])[1], span(argument)[1], "")
    elif at + 1 < len(siblings):
        _splice(file, argument, span(argument)[0], span(siblings[at + 1])[0], "")
    else:
        file.replace(argument, "")


def _keyword(call: SgNode, name: str) -> SgNode | None:
    """The whole `name=value` argument of `call`."""
    arglist = call.field("arguments")
    for arg in arglist.named_children() if arglist is not None else ():
        if arg.kind() == "keyword_argument" and arg.field("name").text() == name:  # type: ignore[union-attr]
            return arg
    return None


def _request_call(site: Site) -> SgNode:
    """The request call a keyword argument site (`query_string=...`) belongs to."""
    node = site.node
    while node is not None and node.kind() != "call":
        node = node.parent()  # type: ignore[assignment]
    if node is None:
        raise NotPortable("not in a call")
    return node


def _as_call(node: SgNode) -> SgNode | None:
    """The call a site's node stands for: itself, the call of the attribute it is, or its statement's call."""
    if node.kind() == "expression_statement" and len(node.named_children()) == 1:
        node = node.named_children()[0]
    if node.kind() == "attribute" and call_of(node) is not None:
        return call_of(node)
    return node if node.kind() == "call" else None


def _member(site: Site) -> SgNode:
    """The attribute node of a response or client member site (`rv.data`, or the call `rv.get_json()`)."""
    node = site.node
    if node.kind() == "call":
        node = node.field("function")  # type: ignore[assignment]
    if node is None or node.kind() != "attribute":
        raise NotPortable("not read as an attribute")
    return node


# The client -----------------------------------------------------------------------------------------------------
def _client(file: PortedFile, site: Site, flask_stays: bool) -> None:
    node = _as_call(site.node) or site.node
    if node.kind() == "call":
        function = node.field("function")
        if function is None or function.kind() != "attribute" or function.field("attribute").text() != "test_client":  # type: ignore[union-attr]
            raise NotPortable("not an app's test_client()")
        positional, keywords = arguments(node)
        if positional or keywords:
            raise NotPortable("test_client() with arguments (a client class, use_cookies) has no TestClient counterpart")
        _no_kept_context(file, node)
        app = _driven(file, file.rendered(function.field("object")), flask_stays)  # type: ignore[arg-type]
        extra = _address_for(file, node)
        file.replace(node, f"TestClient({app}, {FLASK_DEFAULTS}{extra})")
        site.handled = True
        return
    if node.kind() == "identifier" and node.text() == "FlaskClient":
        parent = node.parent()
        if parent is not None and parent.kind() == "type":  # an annotation: the object is a TestClient now
            file.use("fastapi.testclient", "TestClient")
            file.replace(node, "TestClient")
            site.handled = True
            return
        made = call_of(node)
        if made is not None:  # `FlaskClient(app)`: Werkzeug's client of the app, as `app.test_client()` makes
            positional, keywords = arguments(made)
            if len(positional) != 1 or keywords:
                raise NotPortable("FlaskClient with a response class or use_cookies has no TestClient counterpart")
            app = _driven(file, file.rendered(positional[0]), flask_stays)
            file.replace(made, f"TestClient({app}, {FLASK_DEFAULTS})")
            file.memo.setdefault(REWRITTEN, []).append(span(made))  # the app given to TestClient (convert._units)
            site.handled = True
            return
        if parent is not None and parent.kind() == "argument_list" and parent.parent() is not None \
                and parent.parent().kind() == "class_definition":  # type: ignore[union-attr]
            _subclass(file, site, parent.parent(), flask_stays)  # type: ignore[arg-type]
            return
    raise NotPortable("a use of Werkzeug's client the port does not read")


def _driven(file: PortedFile, app: str, flask_stays: bool) -> str:
    """What a TestClient is given for the app expression `app`: the app (converted), or, while it stays Flask, the
    ported app main.py composes, around this Flask app (APP_HELPER)."""
    file.use("fastapi.testclient", "TestClient")
    if not flask_stays:
        return app
    if file.memo.get(APP_USED, False) is None:
        raise NotPortable(f"the project has a {APP_HELPER_FILE} of its own, where the port writes its helper")
    file.use(APP_HELPER, "ported_app")
    file.memo[APP_USED] = True
    return f"ported_app({app})"


_CONTEXT_LOCALS = frozenset({"request", "session", "g", "current_app", "flask"})


def _no_kept_context(file: PortedFile, client: SgNode) -> None:
    """`with app.test_client() as c:` keeps the last request's context open in Flask, so the block can read
    `flask.request`, `session` or `g` after a request; TestClient keeps none: NotPortable when the block reads
    one of them (a name the module imports from Flask)."""
    node = client.parent()
    while node is not None and node.kind() in ("as_pattern", "with_item", "with_clause"):
        node = node.parent()
    if node is None or node.kind() != "with_statement":
        return
    flask_names = {name for name, module in file.bound.items() if module == "flask" or module.startswith("flask.")}
    for name in node.field("body").find_all(kind="identifier"):  # type: ignore[union-attr]
        parent = name.parent()
        if parent is not None and parent.kind() == "attribute" and parent.field("attribute") == name:
            continue
        if name.text() in _CONTEXT_LOCALS and (name.text() in flask_names or name.text() == "flask"):
            raise NotPortable(f"the with block reads Flask's {name.text()} in the request context Flask's client "
                              "keeps, which TestClient does not")


def _address_for(file: PortedFile, client: SgNode) -> str:
    """`, client=(host, 50000)` when the client is made for one request that sets `REMOTE_ADDR` alone in
    `environ_base` (Werkzeug's environ key; TestClient takes the address when it is made); the FMA531 site
    of the request is then handled."""
    attribute = client.parent()
    call = call_of(attribute) if attribute is not None and attribute.kind() == "attribute" else None
    argument = _keyword(call, "environ_base") if call is not None else None
    value = argument.field("value") if argument is not None else None
    if value is None or value.kind() != "dictionary":
        return ""
    pairs = value.named_children()
    if len(pairs) != 1 or pairs[0].kind() != "pair" or pairs[0].field("key").text()[1:-1] != "REMOTE_ADDR":  # type: ignore[union-attr]
        return ""
    sites = [s for s in file.sites_in(argument, ENVIRON.code)]  # type: ignore[arg-type]
    if not sites:
        return ""
    _remove_argument(file, argument)  # type: ignore[arg-type]
    for s in sites:
        s.handled = True
    return f", client=({pairs[0].field('value').text()}, 50000)"  # type: ignore[union-attr]


_PASSED_KEYWORDS = frozenset({"headers"})


def _subclass(file: PortedFile, site: Site, definition: SgNode, flask_stays: bool) -> None:
    """`class C(FlaskClient)` -> `class C(TestClient)` with Flask's defaults; its `open` becomes `request`."""
    superclasses = definition.field("superclasses")
    if superclasses is None or len(superclasses.named_children()) != 1:
        raise NotPortable("the subclass has other bases")
    body = definition.field("body")
    methods = []
    for child in body.named_children() if body is not None else ():
        function = child.field("definition") if child.kind() == "decorated_definition" else child
        if function is not None and function.kind() == "function_definition":
            methods.append((child, function))
    overrides = [f for _, f in methods if f.field("name").text() in ("__init__", "request", "_copy_environ",  # type: ignore[union-attr]
                                                                       "session_transaction", "set_cookie",
                                                                       "get_cookie", "delete_cookie", "run_wsgi_app",
                                                                       "resolve_redirect", "_request_from_builder_args")]
    if overrides:
        raise NotPortable(f"the subclass overrides {overrides[0].field('name').text()}")  # type: ignore[union-attr]
    opens = [(c, f) for c, f in methods if f.field("name").text() == "open"]  # type: ignore[union-attr]
    for child, function in opens:
        if child is not function:
            raise NotPortable("its open is decorated")
        _open_to_request(file, function)
    file.use("fastapi.testclient", "TestClient")
    file.replace(site.node, "TestClient")
    # `C(app)` gives the app to a TestClient now: a use of the app the port converted (convert._units)
    name = definition.field("name").text()  # type: ignore[union-attr]
    made = [c for c in file.root.find_all(kind="call") if c.field("function").text() == name]  # type: ignore[union-attr]
    file.memo.setdefault(REWRITTEN, []).extend(span(c) for c in made)
    app = _driven(file, "app", flask_stays)
    first = methods[0][0] if methods else None
    indent = " " * (first.range().start.column if first is not None else body.range().start.column)  # type: ignore[union-attr]
    init = ["def __init__(self, app, **kwargs):",
            "    # as Flask's client: requests to http://localhost, redirects not followed unless asked",
            '    kwargs.setdefault("base_url", "http://localhost")',
            '    kwargs.setdefault("follow_redirects", False)',
            f"    super().__init__({app}, **kwargs)"]
    text = "\n".join(indent + line for line in init)
    if first is not None:
        start = file.line_start(span(first)[0])
        _splice(file, first, start, start, text + "\n\n")
    else:
        file.append_line(body.named_children()[-1], "\n" + text)  # type: ignore[union-attr]
    site.handled = True


def _open_to_request(file: PortedFile, function: SgNode) -> None:
    """`def open(self, *args, **kwargs)` passing both to `super().open(*args, **kwargs)` and reading no keyword
    but `headers` -> `def request(...)` and `super().request(...)`: httpx calls it as Werkzeug calls `open`, with
    the method and URL first (Werkzeug passes them as `method=` and the path: read no other keyword)."""
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if len(parameters) != 3 or parameters[1].kind() != "list_splat_pattern" or \
            parameters[2].kind() != "dictionary_splat_pattern":
        raise NotPortable("open's parameters are not (self, *args, **kwargs)")
    args, kwargs = parameters[1].named_children()[0].text(), parameters[2].named_children()[0].text()
    body = function.field("body")
    supers = [c for c in body.find_all(kind="call") if c.field("function").text() == "super().open"]  # type: ignore[union-attr]
    if len(supers) != 1 or supers[0].field("arguments").text().replace(" ", "") != f"(*{args},**{kwargs})":  # type: ignore[union-attr]
        raise NotPortable("open does not pass its arguments through to super().open")
    for name in body.find_all(kind="identifier"):  # type: ignore[union-attr]
        if name.text() == args and name.parent().kind() != "list_splat":  # type: ignore[union-attr]
            raise NotPortable(f"open reads {args}, which httpx gives otherwise (the method first)")
        if name.text() == kwargs:
            parent = name.parent()
            keys = []
            if parent.kind() == "subscript":  # type: ignore[union-attr]
                keys = [parent.field("subscript")]  # type: ignore[union-attr]
            elif parent.kind() == "attribute" and parent.field("attribute").text() in ("get", "setdefault", "pop"):  # type: ignore[union-attr]
                call = call_of(parent)  # type: ignore[arg-type]
                positional = call.field("arguments").named_children() if call is not None else []  # type: ignore[union-attr]
                keys = positional[:1]
            elif parent.kind() == "dictionary_splat":
                continue
            if not keys or keys[0].kind() != "string" or keys[0].text()[1:-1] not in _PASSED_KEYWORDS:
                raise NotPortable(f"open reads {kwargs} otherwise than its headers")
    file.replace(function.field("name"), "request")  # type: ignore[arg-type]
    file.replace(supers[0].field("function"), "super().request")  # type: ignore[arg-type]
    for site in file.sites_in(function, CLIENT_SUBCLASS_OVERRIDE.code):
        site.handled = True


# Requests -------------------------------------------------------------------------------------------------------
def _query_string(file: PortedFile, site: Site) -> None:
    call = _request_call(site)
    positional, _ = arguments(call)
    if positional and positional[0].kind() == "string" and "?" in positional[0].text():
        raise NotPortable("the URL has a query too: Werkzeug's query_string replaces it, httpx's params add to it")
    file.replace(site.node.field("name"), "params")  # type: ignore[arg-type]
    site.handled = True


def _file_upload(file: PortedFile, site: Site) -> None:
    argument = site.node if site.node.kind() == "keyword_argument" else site.node.parent()
    value = argument.field("value") if argument is not None else None
    if value is None or value.kind() != "dictionary":
        raise NotPortable("the form is not a dict display")
    fields, files = [], []
    for pair in value.named_children():
        if pair.kind() == "comment":
            continue
        item = pair.field("value") if pair.kind() == "pair" else None
        if item is None:
            raise NotPortable("the form unpacks another mapping")
        if item.kind() == "tuple":
            parts = [p for p in item.named_children() if p.kind() != "comment"]
            if len(parts) not in (2, 3):
                raise NotPortable("a file tuple of another shape")
            reordered = [parts[1], parts[0], *parts[2:]]
            files.append(f"{pair.field('key').text()}: ({', '.join(file.rendered(p) for p in reordered)})")  # type: ignore[union-attr]
        elif item.kind() in ("list", "call") or "FileStorage" in item.text():
            raise NotPortable("several files in one field, or a FileStorage")
        else:
            fields.append(file.rendered(pair))
    text = (f"data={{{', '.join(fields)}}}, " if fields else "") + f"files={{{', '.join(files)}}}"
    file.replace(argument, text)  # type: ignore[arg-type]
    site.handled = True


def _body(file: PortedFile, site: Site) -> None:
    """A string body with its type (`data=json.dumps(x), content_type="application/json"`) -> `content=` and the
    header: the bytes and type Werkzeug sent. Both findings of the call (FMA529, FMA537) go with it."""
    call = _request_call(site)
    data, kind = _keyword(call, "data"), _keyword(call, "content_type")
    if _keyword(call, "mimetype") is not None:
        raise NotPortable("mimetype= adds a charset to text types in Werkzeug")
    value = data.field("value") if data is not None else None
    if value is not None and not (value.kind() in _LITERALS or (value.kind() == "call" and (
            value.field("function").text().replace(" ", "") == "json.dumps"))):  # type: ignore[union-attr]
        raise NotPortable("the body may be a form (a mapping), which httpx sends otherwise")
    if value is not None and value.kind() == "call" and any(
            a.kind() in ("keyword_argument", "list_splat", "dictionary_splat") for a in value.field("arguments").named_children()):  # type: ignore[union-attr]
        raise NotPortable("json.dumps with options")
    if kind is not None:
        headers = _keyword(call, "headers")
        header = f'"content-type": {file.rendered(kind.field("value"))}'  # type: ignore[arg-type]
        if headers is None:
            file.replace(kind, f"headers={{{header}}}")
        else:
            existing = headers.field("value")
            if existing.kind() == "dictionary" and existing.named_children():  # type: ignore[union-attr]
                inner = file.rendered(existing)[1:-1].rstrip().rstrip(",")  # type: ignore[arg-type]
                file.replace(existing, f"{{{inner}, {header}}}")  # type: ignore[arg-type]
            else:
                file.replace(existing, f"{{**({file.rendered(existing)}), {header}}}")  # type: ignore[arg-type]
            _remove_argument(file, kind)
    if data is not None:
        file.replace(data.field("name"), "content")  # type: ignore[arg-type]
    for s in file.sites_in(call):
        if s.code in (CONTENT_TYPE.code, JSON_AS_DATA.code) and _request_call(s) == call:
            s.handled = True


_NO_BODY = {"get": "GET", "delete": "DELETE", "head": "HEAD", "options": "OPTIONS"}


def _body_on_get(file: PortedFile, site: Site) -> None:
    call = _request_call(site)
    function = call.field("function")
    if function is None or function.kind() != "attribute" or function.field("attribute").text() not in _NO_BODY:  # type: ignore[union-attr]
        raise NotPortable("not a get/delete/head/options call")
    method = _NO_BODY[function.field("attribute").text()]  # type: ignore[union-attr]
    file.replace(function.field("attribute"), "request")  # type: ignore[arg-type]
    arglist = call.field("arguments")
    start = span(arglist)[0] + 1  # type: ignore[arg-type]
    _splice(file, arglist, start, start, f'"{method}", ')  # type: ignore[arg-type]
    site.handled = True


def _cookie(file: PortedFile, site: Site) -> None:
    call = _as_call(site.node)
    attribute = call.field("function") if call is not None else None
    if attribute is None or attribute.kind() != "attribute":
        raise NotPortable("the cookie jar read as a whole")
    name = attribute.field("attribute").text()  # type: ignore[union-attr]
    positional, keywords = arguments(call)  # type: ignore[arg-type]
    if keywords or not positional:
        raise NotPortable("cookie attributes (domain, path, ...) are the jar's arguments otherwise")
    if name == "set_cookie" and len(positional) <= 2:
        file.replace(attribute.field("attribute"), "cookies.set")  # type: ignore[arg-type]
        if len(positional) == 1:
            end = span(positional[0])[1]
            _splice(file, positional[0], end, end, ', ""')
    elif name == "delete_cookie" and len(positional) == 1:
        file.replace(attribute.field("attribute"), "cookies.delete")  # type: ignore[arg-type]
    else:
        raise NotPortable(f"{name} returns or takes what the httpx jar does otherwise")
    site.handled = True


def _session_transaction(file: PortedFile, site: Site) -> None:
    """`client.session_transaction()` -> `session_transaction(client)`: the helper opens and saves the session
    the app reads (Flask's, behind a2wsgi, or the bridge's cookie), as Flask's client does."""
    call = _as_call(site.node)
    attribute = call.field("function") if call is not None else None
    if attribute is None or attribute.kind() != "attribute" or call.field("arguments").named_children():  # type: ignore[union-attr]
        raise NotPortable("session_transaction with arguments (a request context's)")
    if USED in file.memo and file.memo[USED] is None:
        raise NotPortable(f"the project has a {HELPER_FILE} of its own, where the port writes its helper")
    file.use(HELPER, "session_transaction")
    file.replace(call, f"session_transaction({file.rendered(attribute.field('object'))})")  # type: ignore[arg-type]
    file.memo[USED] = True
    site.handled = True


def _free(path, text: str) -> bool:  # type: ignore[no-untyped-def]
    """True when a helper may be written at `path`: nothing is there, or the helper (`text`) an earlier port wrote."""
    try:
        with path.open(encoding="utf-8") as existing:
            return existing.readline() == text.splitlines(keepends=True)[0]
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError):
        return False


def helper_path(root, path: str, name: str = HELPER_FILE) -> str:  # type: ignore[no-untyped-def]
    """Where a helper goes for the test module at `path`: the folder Python (pytest) imports it from."""
    from .plan import import_root

    return import_root(root, path) + name


def app_helper_text(includes, bridged: bool, carried=([], "", []), urls: bool = False, config: bool = False,  # type: ignore[no-untyped-def]
                    injector: bool = False, sqlalchemy: bool = False) -> str:
    """APP_HELPER's module: `ported_app(flask_app)` composes what writer.main_text writes in main.py (`includes`:
    its routers, `bridged`: its session bridge, `carried`: what main.py runs in front of FastAPI's routes, as
    in_front.for_tests gives it, `urls`: Flask's url_for building FastAPI's routes, `config` and `injector`: the
    Flask app's config and injector on its state, `sqlalchemy`: the routers run in the Flask app's context,
    flask_sqlalchemy_context.py, bound to the given app, since a suite makes several) around the given Flask app."""
    from .config import state_line
    from .injector import MODULE as INJECTOR_BRIDGE
    from .injector import injector_line

    imports, definitions, statements = carried
    lines = [_APP_HEADER + "the tests it ported: their TestClient drives the ported routers in front of the test's own "
             'Flask app\n(its config, its database) mounted behind a2wsgi, as main.py serves the app\'s."""',
             *imports, "from a2wsgi import WSGIMiddleware", "from fastapi import FastAPI", ""]
    if bridged:
        lines[-1:-1] = ["from flask_cookie_session import FlaskSessionMiddleware"]
    if urls:
        lines[-1:-1] = ["from flask_url_fallback import build_with_fastapi"]
    if injector:
        lines[-1:-1] = [f"from {INJECTOR_BRIDGE} import injector_of"]
    if sqlalchemy:
        lines[-1:-1] = ["from flask_sqlalchemy_context import bind as bind_flask_sqlalchemy"]
    lines += [f"from {include.module} import {include.variable} as router_{index}" for index, include in enumerate(includes)]
    if not includes:
        lines.pop()
    if definitions:
        lines += [definitions.strip("\n"), ""]
    lines += ["", "", "def ported_app(flask_app):", "    app = FastAPI()"]
    if config:
        lines.append(state_line("flask_app", "    "))
    if injector:
        lines.append(injector_line("flask_app", "    "))
    if sqlalchemy:  # the context FastAPI's routes run in is the test's app's, its database
        lines.append("    bind_flask_sqlalchemy(flask_app)")
    for index, include in enumerate(includes):
        prefix = f", prefix={json.dumps(include.prefix)}" if include.prefix else ""
        lines.append(f"    app.include_router(router_{index}{prefix})")
    lines += ["    flask_wsgi = WSGIMiddleware(flask_app)", '    app.mount("/", flask_wsgi)  # what is not ported yet']
    lines += ["    " + line.replace("\n", "\n    ") for line in statements]
    if bridged:
        lines.append("    app.add_middleware(FlaskSessionMiddleware, config=flask_app.config, flask=flask_wsgi)")
    if urls:
        lines.append("    build_with_fastapi(flask_app, app)")
    lines.append("    return app")
    return "\n".join(lines) + "\n"


def _environ(file: PortedFile, site: Site) -> None:
    """`environ_base={"HTTP_X_TOKEN": v}` on a request -> `headers={"x-token": v}`: Werkzeug's request reads the
    header from that key (EnvironHeaders), Starlette's from the header TestClient sends. Other keys keep the TODO."""
    if site.node.kind() != "keyword_argument" or site.node.field("name").text() != "environ_base":  # type: ignore[union-attr]
        raise NotPortable("environ keys set otherwise than a request's environ_base")
    value = site.node.field("value")
    pairs = [p for p in value.named_children() if p.kind() != "comment"] if value is not None and \
        value.kind() == "dictionary" else []
    keys = [p.field("key") if p.kind() == "pair" else None for p in pairs]
    if not pairs or any(k is None or k.kind() != "string" or not k.text()[1:-1].startswith("HTTP_") for k in keys):
        raise NotPortable("environ keys that are no request header (REMOTE_ADDR, SERVER_NAME...)")
    names = [k.text()[1:-1][5:].lower().replace("_", "-") for k in keys]  # type: ignore[union-attr]
    entries = ", ".join(f'"{name}": {file.rendered(p.field("value"))}' for name, p in zip(names, pairs))  # type: ignore[arg-type]
    call = _request_call(site)
    headers = _keyword(call, "headers")
    if headers is None:
        file.replace(site.node, f"headers={{{entries}}}")
    else:
        existing = headers.field("value")
        file.replace(existing, f"{{**({file.rendered(existing)}), {entries}}}")  # type: ignore[arg-type]
        _remove_argument(file, site.node)
    site.handled = True


_REQUESTS = (
    (QUERY_STRING.code, _query_string),
    (FILE_UPLOAD.code, _file_upload),
    (JSON_AS_DATA.code, _body),
    (CONTENT_TYPE.code, _body),
    (BODY_WITHOUT_BODY.code, _body_on_get),
    (CLIENT_COOKIES.code, _cookie),
    (SESSION_TRANSACTION.code, _session_transaction),
    (ENVIRON.code, _environ),
)


# Responses ------------------------------------------------------------------------------------------------------
def _rename(file: PortedFile, site: Site, text: str, whole_call: bool = False) -> None:
    """Replace the member's name (and, `whole_call`, its call's parentheses) with `text`."""
    attribute = _member(site)
    name = attribute.field("attribute")
    end = span(site.node)[1] if whole_call else span(name)[1]  # type: ignore[arg-type]
    _splice(file, name, span(name)[0], end, text)  # type: ignore[arg-type]
    site.handled = True


def _json(file: PortedFile, site: Site) -> None:
    _not_tested_for_none(site.node)
    _rename(file, site, "json()")


_TRUTH_CONTEXTS = frozenset({"not_operator", "boolean_operator", "assert_statement", "if_statement", "elif_clause",
                             "while_statement", "conditional_expression"})


def _not_tested_for_none(node: SgNode) -> None:
    """Werkzeug's `json`/`get_json()` is None for a body that is not typed JSON, where httpx's `json()` parses
    the body or raises: the same for a value compared or indexed (a test fails on both sides), not for one
    tested for None or for truth (`assert rv.json is None`, `assert not rv.get_json()`)."""
    parent = node.parent()
    if parent is None:
        return
    if parent.kind() in _TRUTH_CONTEXTS and parent.kind() != "conditional_expression" or (
            parent.kind() == "conditional_expression" and parent.named_children()[1:2] == [node]):
        raise NotPortable("tested for truth: Werkzeug's value is None for a body not typed JSON, httpx parses it")
    if parent.kind() == "comparison_operator":
        operators = {c.text() for c in parent.children() if not c.is_named()}
        others = [c for c in parent.named_children() if span(c) != span(node)]
        if operators & {"is", "is not", "not"} or any(c.kind() == "none" for c in others):
            raise NotPortable("compared with None: Werkzeug's value is None for a body not typed JSON")


def _data(file: PortedFile, site: Site) -> None:
    _rename(file, site, "content")


def _get_json(file: PortedFile, site: Site) -> None:
    positional, keywords = arguments(site.node)
    if positional or keywords:
        raise NotPortable("get_json(force/silent) has no httpx counterpart")
    _not_tested_for_none(site.node)
    _rename(file, site, "json()", whole_call=True)


def _get_data(file: PortedFile, site: Site) -> None:
    positional, keywords = arguments(site.node)
    as_text = keywords.pop("as_text", None)
    if positional or keywords or (as_text is not None and as_text.kind() not in ("true", "false")):
        raise NotPortable("get_data with other arguments")
    _rename(file, site, "text" if as_text is not None and as_text.kind() == "true" else "content", whole_call=True)


_STATUS_LINE = re.compile(r"""^['"](\d{3}) ([A-Z][A-Z' -]*)['"]$""")


def _status(file: PortedFile, site: Site) -> None:
    """`rv.status == "404 NOT FOUND"` -> `rv.status_code == 404`: Werkzeug's line for a standard reason is true
    exactly when the code is."""
    comparison = site.node.parent()
    if comparison is None or comparison.kind() != "comparison_operator" or len(comparison.named_children()) != 2:
        raise NotPortable("the status line is read otherwise than compared with a literal")
    operator = comparison.child(1)
    other = [c for c in comparison.named_children() if span(c) != span(site.node)]
    match = _STATUS_LINE.match(other[0].text()) if other and operator is not None and operator.text() in ("==", "!=") else None
    if match is None:
        raise NotPortable("the status line is read otherwise than compared with a literal")
    code, reason = int(match.group(1)), match.group(2)
    try:
        standard = HTTPStatus(code).phrase.upper()
    except ValueError:
        raise NotPortable(f"{code} is no standard status") from None
    if reason != standard:
        raise NotPortable(f"{reason!r} is not the reason phrase Werkzeug gives {code}")
    file.replace(other[0], str(code))
    _rename(file, site, "status_code")


def _headers(file: PortedFile, site: Site) -> None:
    positional, keywords = arguments(site.node)
    member = _member(site).field("attribute").text()  # type: ignore[union-attr]
    if member not in ("getlist", "get_all") or len(positional) != 1 or keywords:
        raise NotPortable("Werkzeug's header method with a type or of another name")
    _rename(file, site, "get_list")


_ATTRIBUTES = {"mimetype": 'headers.get("content-type", "").partition(";")[0].strip().lower()',
               "content_type": 'headers.get("content-type")', "location": 'headers.get("location")'}


def _header_attribute(file: PortedFile, site: Site) -> None:
    name = _member(site).field("attribute").text()  # type: ignore[union-attr]
    if name not in _ATTRIBUTES:
        raise NotPortable(f"{name} is parsed from the header otherwise")
    _rename(file, site, _ATTRIBUTES[name])


_RESPONSES = (
    (RESPONSE_JSON.code, _json),
    (RESPONSE_DATA.code, _data),
    (RESPONSE_GET_JSON.code, _get_json),
    (RESPONSE_GET_DATA.code, _get_data),
    (RESPONSE_STATUS.code, _status),
    (RESPONSE_HEADERS.code, _headers),
    (RESPONSE_HEADER_ATTRIBUTE.code, _header_attribute),
)
