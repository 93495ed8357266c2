"""What a view answers: `jsonify`, `(body, status[, headers])` tuples, strings, `abort` and `redirect`.

Each rewrite answers what Flask answered, or says at the site where it cannot:
- `jsonify(...)` returned -> the dict or list itself (FastAPI encodes it as JSON, as Flask did);
- a tuple -> `JSONResponse(body, status_code=..., headers=...)` for a JSON body, `HTMLResponse` for a
  string (Flask sends a string as text/html);
- a view that returns only strings -> `response_class=HTMLResponse` on its route (the view-returns-string
  proof);
- `abort(code[, description])` where no error handler of the project would have taken it in Flask ->
  `return flask_abort(code[, description])`, written into the module: the response Werkzeug makes of its
  exception (`default_exceptions[code](description).get_response()`: its HTML page, text/html; charset=utf-8,
  the status and headers), what Flask sent (the abort proof). A `return`, since FastAPI answers a raised
  HTTPException with JSON: so only for a statement of the view itself outside `try` and `with` (where the
  exception was seen by the code around it) and not in a generator. Elsewhere, or where an error handler
  (`errorhandler(404)`, `errorhandler(HTTPException)`, `errorhandler(Exception)`, a key the port cannot read)
  of any module of the project takes it -> `raise HTTPException(status_code=code, detail=description)`: the
  status is kept, the body is JSON, said in a TODO (a handler the port converts answers it: port/hooks.py);
- `redirect(url[, code])` -> `flask_redirect(url[, code])`, written into the module: Flask's answer, not
  Starlette's RedirectResponse (307 by default, no body, no content type): Werkzeug's page linking to the URL
  (escaped as MarkupSafe escapes), text/html, the status (302 by default: the redirect-after-post proof) and the
  Location header as Werkzeug sends it (the IRI made a URI, `werkzeug.urls.iri_to_uri`), in the standard
  library only, so the ported app needs neither Werkzeug nor MarkupSafe for it;
- `flask.json.dumps(...)` in a view -> `flask_json_dumps(...)`, written into the module: what the app's
  default JSON provider wrote (keys sorted, non-ASCII escaped, dates as HTTP dates, `Decimal` and `UUID` as
  strings, dataclasses as dicts); `flask.json.loads` -> the standard one, which Flask's provider calls;
- `Response(stream_with_context(generate()), ...)` -> `StreamingResponse(generate(), ...)` where the generator
  is the view's own and reads of the request in it became the view's parameters (the streamed-response
  proof): Starlette iterates it in its thread pool and encodes text chunks as UTF-8, as Werkzeug did;
- `send_file(...)` / `send_from_directory(...)` returned by a view of the app's module -> `flask_send(request,
  ...)`, written into the module: Werkzeug's own function (which Flask's wrap), given the request's method and
  headers, the app's folder and Flask's defaults, its status, headers and body sent as a WSGI server sent
  them (conditional and range requests included); its 404 as HTTPException, a JSON body (the send-file proof);
  in a view of another module while the app stays Flask -> `flask_send_file(request, ...)` (port/written/
  flask_send_file.py): Werkzeug's function given the Flask app behind's folder and settings, its errors answered
  by the app's handler for their status where main.py adds one, else as Werkzeug's page;
- an `@after_this_request` callback that only sets cookies and headers on the response -> called at once on
  a `response: Response` parameter of the view, whose cookies and headers FastAPI adds to the response it
  builds from the view's value (the after-this-request-cookie proof).
"""
from __future__ import annotations

import json
import re
from importlib.resources import files

from ast_grep_py import SgNode

from . import codes
from .edits import PortedFile, Site, enclosing_function, literal
from ..scopes import span
from .routes import NotPortable, arguments, call_of, define_standalone

# The codes Werkzeug's abort() knows (werkzeug.exceptions.default_exceptions); any other raises LookupError.
ABORT_CODES = frozenset({400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
                         422, 423, 424, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505})
ABORT_BODY_DIFFERS = ("Flask answered this error with an HTML page; FastAPI answers JSON "
                      '{"detail": ...} with the same status (the abort proof documents this difference).')
# Flask's abort() where no error handler takes the exception (werkzeug/exceptions.py, 3.1): Werkzeug's response.
ABORT_HELPER = "flask_abort"
ABORT_TEXT = '''
def flask_abort(code: int, description: str | None = None) -> Response:
    """Flask's `abort(code[, description])` where no error handler takes it: the response
    Werkzeug makes of its exception (its HTML page, text/html; charset=utf-8, the status
    and headers), as Flask sent it."""
    answer = default_exceptions[code](description).get_response()
    return Response(
        answer.get_data(), status_code=answer.status_code, headers=dict(answer.headers)
    )
'''
PROJECT = ("project files", 0)  # file.memo key: (the project folder, the paths with findings), from port/convert.py
# The classes whose handler takes every abort: Flask looks a handler up by the status, then along the exception's MRO.
_TAKE_ALL = frozenset({"HTTPException", "Exception", "BaseException"})
_HANDLER_CALLS = re.compile(r"\b(?:(?:app_)?errorhandler|register_error_handler)\(")  # the key follows, to , or )
# Werkzeug's class for each status abort() raises (werkzeug.exceptions.default_exceptions)
_CLASS_OF = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
             406: "NotAcceptable", 408: "RequestTimeout", 409: "Conflict", 410: "Gone", 411: "LengthRequired",
             412: "PreconditionFailed", 413: "RequestEntityTooLarge", 414: "RequestURITooLarge",
             415: "UnsupportedMediaType", 416: "RequestedRangeNotSatisfiable", 417: "ExpectationFailed",
             418: "ImATeapot", 421: "MisdirectedRequest", 422: "UnprocessableEntity", 423: "Locked",
             424: "FailedDependency", 428: "PreconditionRequired", 429: "TooManyRequests",
             431: "RequestHeaderFieldsTooLarge", 451: "UnavailableForLegalReasons", 500: "InternalServerError",
             501: "NotImplemented", 502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout",
             505: "HTTPVersionNotSupported"}
# Where a `return` in place of the raise changes nothing: the blocks between the statement and the view's body.
_PLAIN_BLOCKS = frozenset({"block", "if_statement", "elif_clause", "else_clause", "for_statement", "while_statement"})
_JSON_KINDS = frozenset({"dictionary", "list", "dictionary_comprehension", "list_comprehension"})
_STRING_KINDS = frozenset({"string", "concatenated_string"})
_RESPONSES = ("JSONResponse(", "HTMLResponse(", "RedirectResponse(", "Response(", "flask_redirect(", "flask_abort(")
# Flask's redirect() (werkzeug/utils.py `redirect`, Werkzeug 3.1): its page, and the Location header as
# Response.get_wsgi_headers sends it (werkzeug/urls.py `iri_to_uri`); escaped as markupsafe.escape escapes
REDIRECT_HELPER = "flask_redirect"
REDIRECT_TEXT = '''
def flask_redirect(location: str, code: int = 302) -> HTMLResponse:
    """Flask's `redirect(location, code)`: Werkzeug's page linking to the location, as
    text/html, and the Location header as Werkzeug sends it (an IRI made a URI)."""
    shown = str(location).replace("&", "&amp;").replace(">", "&gt;")
    shown = shown.replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    parts = urlsplit(str(location))
    netloc = parts.hostname.encode("idna").decode("ascii") if parts.hostname else ""
    netloc = f"[{netloc}]" if ":" in netloc else netloc
    netloc = f"{netloc}:{parts.port}" if parts.port is not None else netloc
    if parts.username is not None:
        auth = quote(parts.username, safe="%!$&'()*+,;=")
        if parts.password is not None:
            auth = auth + ":" + quote(parts.password, safe="%!$&'()*+,;=")
        netloc = f"{auth}@{netloc}"
    path = quote(parts.path, safe="%!$&'()*+,/:;=@")
    query = quote(parts.query, safe="%!$&'()*+,/:;=?@")
    fragment = quote(parts.fragment, safe="%!#$&'()*+,/:;=?@")
    uri = urlunsplit((parts.scheme, netloc, path, query, fragment))
    page = (
        "<!doctype html>\\n<html lang=en>\\n<title>Redirecting...</title>\\n"
        "<h1>Redirecting...</h1>\\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{shown}">{shown}</a>. If not, click the link.\\n'
    )
    return HTMLResponse(page, status_code=code, headers={"Location": uri})
'''
# Werkzeug adds `; charset=utf-8` to these besides text/*; Starlette only to text/*.
_CHARSET_TYPES = frozenset({"application/ecmascript", "application/javascript", "application/sql", "application/xml",
                            "application/xml-dtd", "application/xml-external-parsed-entity"})
_RESPONSE_PARAMETERS = ("response", "status", "headers", "mimetype", "content_type")


def _returned(node: SgNode) -> SgNode | None:
    """The return statement whose value `node` is, directly or as a tuple's first element."""
    parent = node.parent()
    if parent is not None and parent.kind() in ("expression_list", "tuple") and parent.named_children()[0] == node:
        parent = parent.parent()
    return parent if parent is not None and parent.kind() == "return_statement" else None


def port_jsonify(file: PortedFile, site: Site) -> None:
    call = call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    edits: list[tuple[SgNode, str]] | None = None
    if _returned(call) is None and not _made_response_of(file, call):
        try:  # `response = jsonify(...)`, then only what Starlette's JSONResponse takes the same, and returned
            edits = _response_uses(file, call)
        except NotPortable:
            raise NotPortable("jsonify(...) is ported where it is returned; here its Response is used otherwise") from None
    positional, keywords = arguments(call)
    if positional and keywords or not (positional or keywords):
        raise NotPortable("jsonify() with no arguments, or with both positional and keyword ones")
    if keywords:
        text = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    elif len(positional) == 1:
        text = file.rendered(positional[0])
    else:
        text = "[" + ", ".join(file.rendered(p) for p in positional) + "]"
    if edits is not None:
        file.use("fastapi.responses", "JSONResponse")
        text = f"JSONResponse({text})"
        for node, edit in edits:
            file.replace(node, edit)
        _changed_with(file, call)
    file.replace(call, text)
    site.handled = True


def _changed_with(file: PortedFile, call: SgNode) -> None:
    """The changes made on `name = call` after it (FMA236) are rewritten with it."""
    name = call.parent().field("left").text()  # type: ignore[union-attr]
    for changed in file.sites_in(enclosing_function(call), codes.CHANGED):  # type: ignore[arg-type]
        if changed.node.text().startswith(f"{name}."):
            changed.handled = True


def _made_response_of(file: PortedFile, node: SgNode) -> bool:
    """True when `node` is the body of a make_response(...) call: Flask makes the same JSON of a dict there."""
    arguments_node = node.parent()
    call = arguments_node.parent() if arguments_node is not None and arguments_node.kind() == "argument_list" else None
    return call is not None and call.kind() == "call" and arguments_node.named_children()[0] == node and \
        call.field("function").text() == "make_response" and file.bound.get("make_response") == "flask"  # type: ignore[union-attr]


def port_tuple(file: PortedFile, site: Site) -> None:
    """`return body, status[, headers]` (or `body, headers`) -> one response carrying all of it."""
    node = site.node
    items = node.named_children() if node.kind() in ("expression_list", "tuple") else []
    if len(items) not in (2, 3) or node.parent() is None or node.parent().kind() != "return_statement":  # type: ignore[union-attr]
        raise NotPortable("not a returned (body, status[, headers]) tuple")
    body, rest = items[0], items[1:]
    status = headers = None
    if len(rest) == 2:
        status, headers = rest
    elif _status(rest[0]) or span(rest[0]) in file.memo.get(("status reads of handlers", 0), ()):  # hooks.STATUS_READS
        status = rest[0]
    elif rest[0].kind() == "dictionary":
        headers = rest[0]
    else:
        raise NotPortable("the second element is neither a status literal nor a dict of headers")
    jsonified = body.kind() == "call" and any(s.handled for s in file.sites_in(body, codes.JSONIFY_CALL))
    if body.kind() == "identifier":
        jsonified = _always_json(file, node, body.text())
    try:
        response = _response_class(body, jsonified)
    except NotPortable:
        _runtime_tuple(file, node, body, status, headers)  # the body's type is known when the view runs
        site.handled = True
        return
    options = "".join(f", {key}={file.rendered(value)}" for key, value in (("status_code", status), ("headers", headers))
                      if value is not None)
    file.use("fastapi.responses", response)
    file.replace(node, f"{response}({file.rendered(body)}{options})")
    site.handled = True


# What Flask's make_response made of a view's tuple (flask/app.py, 3.1), decided when the view runs: the body's
# type is not in the code (`return schema.dump(book), 201`).
TUPLE_HELPER = "flask_response"
TUPLE_HELPER_TEXT = '''
def flask_response(
    body: Any, status: int | None = None, headers: dict[str, Any] | None = None
) -> Response:
    """The response Flask made of a view's `(body, status[, headers])`: text as HTML, a dict or a list as JSON,
    an iterator streamed as HTML, a response given the status and headers; anything else a TypeError."""
    if isinstance(body, (str, bytes, bytearray)):
        response: Response = HTMLResponse(
            bytes(body) if isinstance(body, bytearray) else body
        )
    elif isinstance(body, Iterator):
        response = StreamingResponse(body, media_type="text/html")
    elif isinstance(body, (dict, list)):
        response = JSONResponse(body)
    elif isinstance(body, Response):
        response = body
    else:
        raise TypeError(
            f"The view function did not return a valid response: {type(body).__name__}"
        )
    if status is not None:
        response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = str(value)
    return response
'''


def _runtime_tuple(file: PortedFile, node: SgNode, body: SgNode, status: SgNode | None, headers: SgNode | None) -> None:
    """`return body, status[, headers]` of a body whose type only the running view knows -> `flask_response(...)`;
    the status a literal (or a choice between literals), the headers a dict display, as Flask took them."""
    if status is not None and not _status(status) or headers is not None and headers.kind() != "dictionary":
        raise NotPortable("the body's type is not in the code, and the status or headers are not literals")
    if file.bound.get(TUPLE_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {TUPLE_HELPER} to something else")
    file.use("collections.abc", "Iterator")
    file.use("typing", "Any")
    file.use("fastapi", "Response")
    file.use("fastapi.responses", "HTMLResponse", "JSONResponse", "StreamingResponse")
    define_standalone(file, TUPLE_HELPER, TUPLE_HELPER_TEXT)
    options = "".join(f", {key}={file.rendered(value)}" for key, value in (("status", status), ("headers", headers))
                      if value is not None)
    file.replace(node, f"{TUPLE_HELPER}({file.rendered(body)}{options})")


def _status(node: SgNode) -> bool:
    """True for an integer literal, or a conditional between statuses (`200 if valid else 403`): what Flask
    took as the status, as Starlette does."""
    if node.kind() == "parenthesized_expression" and len(node.named_children()) == 1:
        return _status(node.named_children()[0])
    if node.kind() == "conditional_expression":
        branches = node.named_children()
        return len(branches) == 3 and _status(branches[0]) and _status(branches[2])
    return node.kind() == "integer"


def _always_json(file: PortedFile, node: SgNode, name: str) -> bool:
    """True when every assignment to `name` in the function around `node` is a dict or list display."""
    function = enclosing_function(node)
    if function is None:
        return False
    key = ("assignments", function.range().start.index)
    if key not in file.memo:  # the function is walked once, however many tuples it returns
        file.memo[key] = _assignments(function)
    values, bound_otherwise = file.memo[key]
    return name in values and name not in bound_otherwise and \
        all(v is not None and v.kind() in _JSON_KINDS for v in values[name])


def _assignments(function: SgNode) -> tuple[dict[str, list[SgNode | None]], set[str]]:
    """The values assigned to each name in `function`, and the names it binds otherwise (parameters, loop
    targets, augmented assignments, unpacking)."""
    values: dict[str, list[SgNode | None]] = {}
    for assignment in function.find_all(kind="assignment"):
        if assignment.field("left") is not None:
            values.setdefault(assignment.field("left").text(), []).append(assignment.field("right"))  # type: ignore[union-attr]
    parameters = function.field("parameters")
    bound = {n.text() for n in parameters.find_all(kind="identifier")} if parameters is not None else set()
    bound |= {n.text() for n in function.find_all(kind="identifier")
              if n.parent() is not None and n.parent().kind() in ("for_statement", "augmented_assignment", "pattern_list")}  # type: ignore[union-attr]
    return values, bound


def abort_statement(site: Site) -> tuple[SgNode, int, SgNode | None, bool]:
    """(the statement, the status, the description given or None, True when given positionally) of an abort()
    that is a statement of its own with a literal status Werkzeug has an exception for; NotPortable otherwise."""
    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "expression_statement":
        raise NotPortable("abort(...) is ported where it is a statement of its own")
    positional, keywords = arguments(call)
    if set(keywords) - {"description"} or len(positional) > 2 or not positional or \
            (len(positional) == 2 and "description" in keywords):
        raise NotPortable("abort() with a Response or options the port does not know")
    try:
        code = literal(positional[0])
    except ValueError:
        raise NotPortable("the status is not a literal: abort() also takes a Response") from None
    if code not in ABORT_CODES:
        raise NotPortable(f"Werkzeug has no exception for {code}: abort({code}) raises LookupError")
    described = positional[1] if len(positional) == 2 else keywords.get("description")
    return statement, code, described, len(positional) == 2


def port_abort(file: PortedFile, site: Site) -> None:
    call = call_of(site.node)
    statement, code, description, _ = abort_statement(site)
    try:
        returnable_abort(file, statement, code)
        file.use("fastapi", "Response")
        file.use("werkzeug.exceptions", "default_exceptions")
    except NotPortable:
        detail = f", detail={file.rendered(description)}" if description is not None else ""
        file.use("fastapi", "HTTPException")
        file.replace(statement, f"raise HTTPException(status_code={code}{detail})")
        file.todo(site, ABORT_BODY_DIFFERS)
    else:
        define_standalone(file, ABORT_HELPER, ABORT_TEXT)
        given = f", {file.rendered(description)}" if description is not None else ""
        file.replace(statement, f"return {ABORT_HELPER}({code}{given})")
    site.handled = True
    view = enclosing_function(call)
    if view is not None and _unvalidated(file, view):
        # abort(400) for bad input (FMA811) answers 400 still: nothing the port gave the view is validated by
        # FastAPI, so no 422 comes before it
        for other in file.sites_in(call, codes.VALIDATION):
            other.handled = True


def returnable_abort(file: PortedFile, statement: SgNode, code: int) -> None:
    """NotPortable unless `return flask_abort(...)` in place of the abort statement answers what Flask did: a
    statement of the view (or wrapper) itself, not in a generator, with only `if` / `for` / `while` blocks around
    it, and no error handler of the project that Flask would have given the exception."""
    view = enclosing_function(statement)
    if view is None:
        raise NotPortable("outside a function")
    if any(enclosing_function(y) == view for y in view.find_all(kind="yield")):
        raise NotPortable("the view is a generator")
    node = statement.parent()
    while node is not None and node != view:
        if node.kind() not in _PLAIN_BLOCKS:
            raise NotPortable(f"inside a {node.kind()}, whose code saw the exception")
        node = node.parent()
    if file.bound.get(ABORT_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {ABORT_HELPER} to something else")
    project_handler(file, code)


def project_handler(file: PortedFile, code: int) -> None:
    """NotPortable where an error handler of a module of the project (`errorhandler`, `app_errorhandler`,
    `register_error_handler`) may take Werkzeug's exception for `code` in Flask."""
    root, flagged = file.memo.get(PROJECT, (None, frozenset()))
    if root is None:
        raise NotPortable("the project's error handlers are not known")
    from .exceptions import _text

    texts = [file.text]
    for other in flagged:
        if other != file.path and other.endswith(".py"):
            try:
                stat = (root / other).stat()
            except OSError:
                raise NotPortable(f"{other} cannot be read") from None
            texts.append(_text(root / other, stat.st_mtime_ns, stat.st_size) or "errorhandler(?)")
    for text in texts:
        for match in _HANDLER_CALLS.finditer(text):
            key = re.match(r"[^,)]*", text[match.end():]).group(0).strip()  # type: ignore[union-attr]
            if _takes(key, code):
                raise NotPortable(f"an error handler ({match.group(0)}{key}) would have answered abort({code}) in "
                                  "Flask")


def _takes(key: str, code: int) -> bool:
    """True when an error handler registered for `key` (its source text) may take abort(code): the status, the
    exception's class or a base of it, or a key whose value the text does not say (a variable, a tuple)."""
    if key.isdigit():
        return int(key) == code
    last = key.rsplit(".", 1)[-1]
    if not re.fullmatch(r"[A-Za-z_][\w.]*", key) or not last[:1].isupper() or last.isupper():
        return True  # `code`, `NOT_FOUND`, an expression: not known
    return last in _TAKE_ALL or last == _CLASS_OF.get(code)


# The parameters the port gives a view that FastAPI never refuses with 422: the dependencies that read the
# body as Werkzeug did, the request and response, and optional text read from the query string or the form.
_UNVALIDATED = re.compile(r"(?:\w+: Annotated\[(?:Any|bytes), Depends\(request_(?:json|body)\)\]"
                          r"|request: Request|response: Response"
                          r'|\w+: (?:str \| None = None|str = "[^"\\]*")'
                          r'|\w+: Annotated\[str \| None, (?:Query|Form)\(\)\] = None'
                          r'|\w+: Annotated\[str, (?:Query|Form)\(\)\] = "[^"\\]*"'
                          r'|\w+: Annotated\[list\[str\], (?:Query|Form)\((?:alias="[^"\\]*")?\)\] = \[\])')


def _unvalidated(file: PortedFile, view: SgNode) -> bool:
    return all(_UNVALIDATED.fullmatch(text) for text in file.signature(view).added.values())


def port_redirect(file: PortedFile, site: Site) -> None:
    call = call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    positional, keywords = arguments(call)
    names = ["location", "code"]
    if len(positional) > 2 or set(keywords) - set(names) or set(keywords) & set(names[: len(positional)]):
        raise NotPortable("redirect() with a Response class or unknown options")
    given = {**dict(zip(names, positional)), **keywords}
    if "location" not in given:
        raise NotPortable("redirect() without a location")
    if file.bound.get(REDIRECT_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {REDIRECT_HELPER} to something else")
    status = f", {file.rendered(given['code'])}" if "code" in given else ""
    file.use("fastapi.responses", "HTMLResponse")
    file.use("urllib.parse", "quote", "urlsplit", "urlunsplit")
    define_standalone(file, REDIRECT_HELPER, REDIRECT_TEXT)
    file.replace(call, f"{REDIRECT_HELPER}({file.rendered(given['location'])}{status})")
    site.handled = True
    for other in file.sites_in(call, codes.POST_REDIRECT):
        other.handled = True


def html_view(file: PortedFile, function: SgNode, returns: list[SgNode]) -> bool:
    """True when every return of the view sends a string (FMA802) or a Response the port built: its route
    gets `response_class=HTMLResponse`, which sends strings as Flask did (text/html)."""
    strings = {s.node.range().start.index for s in file.sites_in(function, codes.STRING)}
    if not strings:
        return False
    for statement in returns:
        value = statement.named_children()[0] if statement.named_children() else None
        if value is None:
            return False
        if value.range().start.index in strings:
            continue
        if value.kind() == "identifier" and _module_string(file, function, value.text()):
            continue  # `return FORM`, a module's string constant: text/html in Flask too
        if not file.rendered(value).startswith(_RESPONSES):
            return False
    try:
        file.use("fastapi.responses", "HTMLResponse")
    except NotPortable:
        return False
    for site in file.sites_in(function, codes.STRING):
        site.handled = True
    return True




def _module_string(file: PortedFile, function: SgNode, name: str) -> bool:
    """True when `name` is, in `function`, a module-level name every binding of which is a string display: the
    module assigns it only strings, binds it no other way, no function declares it global, and the function
    does not bind it."""
    from .requests import bound_names, parameter_names

    key = ("module strings", 0)
    if key not in file.memo:  # the module is walked once, however many views return a name
        strings: dict[str, bool] = {}
        for statement in file.root.children():
            expression = statement.named_children()[0] if statement.kind() == "expression_statement" \
                and statement.named_children() else None
            if expression is not None and expression.kind() == "assignment" and \
                    expression.field("left").kind() == "identifier":  # type: ignore[union-attr]
                target = expression.field("left").text()  # type: ignore[union-attr]
                value = expression.field("right")
                strings[target] = strings.get(target, True) and value is not None and value.kind() in _STRING_KINDS
        bound = bound_names(file.root)  # every other binding of the names, in the module or its functions
        globals_ = {n.text() for g in file.root.find_all(kind="global_statement") for n in g.named_children()}
        file.memo[key] = {target for target, plain in strings.items()
                          if plain and target not in globals_ and len(bound.get(target, ())) == sum(
                              1 for statement in file.root.children() if statement.kind() == "expression_statement"
                              and statement.named_children() and statement.named_children()[0].kind() == "assignment"
                              and statement.named_children()[0].field("left").text() == target)}  # type: ignore[union-attr]
    return name in file.memo[key] and name not in bound_names(function) and name not in parameter_names(function)


def port_response(file: PortedFile, site: Site) -> None:
    """A returned `Response(body, status=, headers=, mimetype=)` -> Starlette's `Response(content=...,
    status_code=..., headers=..., media_type=...)` (the response-object proof), where the body is text or
    bytes (an iterable streams in Werkzeug) and the content type comes out the same: Werkzeug's default is
    text/html, and it adds the charset to text/* types, as Starlette does, but also to a few others."""
    call = site.node if site.node.kind() == "call" else call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    _build_response(file, call, streamed=False)
    site.handled = True


def _build_response(file: PortedFile, call: SgNode, streamed: bool, check: bool = False) -> None:
    """Replace Werkzeug's `Response(...)` call with Starlette's (`StreamingResponse` for a `streamed` body);
    with `check`, only raise NotPortable where it cannot be, and edit nothing."""
    if _returned(call) is None:
        raise NotPortable("Response(...) is ported where it is returned; here it is changed or used otherwise")
    positional, keywords = arguments(call)
    if len(positional) > len(_RESPONSE_PARAMETERS) or set(keywords) - set(_RESPONSE_PARAMETERS) or \
            set(keywords) & set(_RESPONSE_PARAMETERS[: len(positional)]):
        raise NotPortable("Response() with options Starlette's Response has not (direct_passthrough)")
    given = {**dict(zip(_RESPONSE_PARAMETERS, positional)), **keywords}
    body = given.get("response")
    if body is not None and not streamed and not _text(file, body):
        raise NotPortable("the body is not plainly a str or bytes: an iterable is streamed by Werkzeug")
    status = given.get("status")
    if status is not None and status.kind() != "integer":
        raise NotPortable("the status is not an integer literal (Werkzeug also takes '200 OK' strings)")
    headers = given.get("headers")
    if headers is not None and headers.kind() != "dictionary":
        raise NotPortable("the headers are not a dict display (Werkzeug also takes a list of pairs)")
    media_type = _media_type(given.get("mimetype"), given.get("content_type"))
    if not streamed:  # FastAPI's Response takes the name, where every use of it is rewritten
        _take_name(file, "Response", codes.RESPONSE)
    file.use(*(("fastapi.responses", "StreamingResponse") if streamed else ("fastapi", "Response")))
    if check:
        return
    options = [f"content={file.rendered(body)}"] if body is not None else []
    options += [f"{key}={file.rendered(value)}" for key, value in (("status_code", status), ("headers", headers))
                if value is not None]
    options.append(f"media_type={media_type}")
    file.replace(call, f"{'StreamingResponse' if streamed else 'Response'}({', '.join(options)})")


def routes_call(node: SgNode) -> SgNode | None:
    """The call `node` (a callee, or the call itself) makes."""
    return node if node.kind() == "call" else call_of(node)


def port_stream_with_context(file: PortedFile, site: Site) -> None:
    """`stream_with_context(generate())` -> `generate()`: FastAPI has no request context to keep; what the view's
    generator read of Flask's request became the view's parameters (requests.streamed_in_context)."""
    from .requests import streamed_in_context

    call = routes_call(site.node)
    if call is not None and call.field("function").text() == "Response":  # type: ignore[union-attr]
        _port_streamed_response(file, site, call)
        return
    positional, keywords = arguments(call) if call is not None else ([], {})
    inner = positional[0] if len(positional) == 1 and not keywords else None
    callee = inner.field("function") if inner is not None and inner.kind() == "call" else None
    view = enclosing_function(call) if call is not None else None
    generator = next((f for f in view.find_all(kind="function_definition") if callee is not None
                      and f.field("name").text() == callee.text() and enclosing_function(f) == view), None) \
        if view is not None else None  # type: ignore[union-attr]
    if generator is None or not streamed_in_context(generator):
        raise NotPortable("not a generator of the view's own, streamed with the request's context")
    if any(not s.handled for s in file.sites_in(generator)):
        raise NotPortable("the generator still uses Flask (a TODO in it), which needs the request's context")
    arguments_node = call.parent()  # type: ignore[union-attr]
    response = arguments_node.parent() if arguments_node is not None else None
    if response is None or response.kind() != "call" or response.field("function").text() != "Response" \
            or file.bound.get("Response") != "flask" or arguments(response)[0][:1] != [call]:
        raise NotPortable("stream_with_context(...) is ported as the body of a returned Response(...)")
    _build_response(file, response, streamed=True, check=True)
    file.replace(call, file.rendered(inner))  # type: ignore[arg-type]
    _build_response(file, response, streamed=True)
    for other in file.sites_in(response, codes.RESPONSE):
        other.handled = True
    site.handled = True


def _media_type(mimetype: SgNode | None, content_type: SgNode | None) -> str:
    if mimetype is not None and content_type is not None:
        raise NotPortable("both mimetype= and content_type=")
    if mimetype is None and content_type is None:
        return json.dumps("text/html")  # Werkzeug's default, with the charset both add
    try:
        value = literal(mimetype if mimetype is not None else content_type)
    except ValueError:
        raise NotPortable("the content type is not a literal") from None
    if not isinstance(value, str):
        raise NotPortable("the content type is not a string")
    lowered = value.lower()
    if content_type is not None and lowered.startswith("text/") and "charset=" not in lowered:
        raise NotPortable("content_type= is sent as given by Werkzeug; Starlette adds a charset to text/*")
    if mimetype is not None and (lowered in _CHARSET_TYPES or lowered.endswith("+xml") or ";" in lowered):
        raise NotPortable(f"Werkzeug adds a charset to {value}, Starlette does not")
    return json.dumps(value)


def _text(file: PortedFile, node: SgNode) -> bool:
    """True when `node` is plainly a str or bytes: a string, a `+` with one, `"sep".join(...)`, `str(...)`, or
    a name every assignment in its function makes one of those."""
    kind = node.kind()
    if kind in _STRING_KINDS:
        return True
    if kind == "parenthesized_expression" and node.named_children():
        return _text(file, node.named_children()[0])
    if kind == "binary_operator" and node.field("operator").text() == "+":  # type: ignore[union-attr]
        return any(side is not None and side.kind() in _STRING_KINDS for side in (node.field("left"), node.field("right"))) \
            or all(side is not None and _text(file, side) for side in (node.field("left"), node.field("right")))
    if kind == "call":
        function = node.field("function")
        if function is not None and function.kind() == "identifier":
            return function.text() == "str" and file.bound.get("str") is None
        if function is not None and function.kind() == "attribute":
            if function.text() == "json.dumps" and file.bound.get("json") == "flask":
                return True  # Flask's dumps, a str (flask_json_dumps once ported)
            return function.field("attribute").text() == "join" and \
                function.field("object").kind() in _STRING_KINDS  # type: ignore[union-attr]
        return False
    if kind == "identifier":
        function = enclosing_function(node)
        if function is None:
            return False
        key = ("assignments", function.range().start.index)
        if key not in file.memo:
            file.memo[key] = _assignments(function)
        values, bound_otherwise = file.memo[key]
        return node.text() in values and node.text() not in bound_otherwise and \
            all(v is not None and v.kind() != "identifier" and _text(file, v) for v in values[node.text()])
    return False


def _take_name(file: PortedFile, name: str, code: str) -> None:
    """Let FastAPI's `name` replace the one imported from flask, when every use of it in the file is a site of
    `code` (each is rewritten, or the file keeps Flask's and this raises)."""
    if file.bound.get(name) != "flask":
        return
    key = ("other uses", hash(name))
    if key not in file.memo:  # the file is walked once, however many sites ask
        sites = {span(site.node.field("function") if site.node.kind() == "call" else site.node)  # type: ignore[arg-type]
                 for site in file.sites_of(code)}
        file.memo[key] = any(
            span(node) not in sites for node in file.root.find_all(kind="identifier")
            if node.text() == name and node.parent() is not None
            and node.parent().kind() not in ("dotted_name", "aliased_import"))  # type: ignore[union-attr]
    if file.memo[key]:
        raise NotPortable(f"{name} is also used otherwise in this file, as Flask's")
    file.bound[name] = "fastapi"


# Cookie values Werkzeug and the standard library's SimpleCookie (Starlette's) both write unquoted.
_PLAIN_COOKIE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:")
_COOKIE_OPTIONS = ("max_age", "path", "domain", "secure", "httponly", "samesite")



def _response_class(body: SgNode, jsonified: bool) -> str:
    """The Starlette response Flask's answer to `body` corresponds to: HTML for a string, JSON for a dict, a
    list or what jsonify made; NotPortable for anything else, whose type the port cannot see."""
    if body.kind() in _STRING_KINDS:
        return "HTMLResponse"
    if body.kind() in _JSON_KINDS or jsonified:
        return "JSONResponse"
    raise NotPortable("the body is not a literal string, dict or list, nor jsonify(...): its type decides what "
                      "Flask made of it")

def port_make_response(file: PortedFile, site: Site) -> None:
    """`make_response(body[, status][, headers])` -> the JSONResponse or HTMLResponse Flask made of it, where
    it is returned or assigned to a name the view then only sets headers and cookies on and returns
    (`resp.headers[k] = v`, `resp.headers.add(k, v)` -> `append`, `resp.set_cookie(...)`)."""
    call = site.node if site.node.kind() == "call" else call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    positional, keywords = arguments(call)
    if keywords or not 1 <= len(positional) <= 3:
        raise NotPortable("make_response() without a body, or with keywords")
    body, rest = positional[0], positional[1:]
    status = headers = None
    if len(rest) == 2:
        status, headers = rest
    elif rest and _status(rest[0]):
        status = rest[0]
    elif rest and rest[0].kind() == "dictionary":
        headers = rest[0]
    elif rest:
        raise NotPortable("the second argument is neither a status literal nor a dict of headers")
    if status is not None and not _status(status) or headers is not None and headers.kind() != "dictionary":
        raise NotPortable("the status or headers are not literals")
    jsonified = body.kind() == "call" and any(s.handled for s in file.sites_in(body, codes.JSONIFY_CALL))
    response = _response_class(body, jsonified)
    edits: list[tuple[SgNode, str]] = []
    if _returned(call) is None:
        edits = _response_uses(file, call)
    options = "".join(f", {key}={file.rendered(value)}" for key, value in (("status_code", status), ("headers", headers))
                      if value is not None)
    file.use("fastapi.responses", response)
    file.replace(call, f"{response}({file.rendered(body)}{options})")
    for node, text in edits:
        file.replace(node, text)
    if _returned(call) is None:  # the changes made after it (FMA236: `headers.add` -> `append`) go with it
        _changed_with(file, call)
    site.handled = True


def _response_uses(file: PortedFile, call: SgNode) -> list[tuple[SgNode, str]]:
    """The edits the uses of `name = make_response(...)` need; NotPortable for a use Starlette's response
    answers otherwise."""
    assignment = call.parent()
    if assignment is None or assignment.kind() != "assignment" or assignment.field("right") != call or \
            assignment.field("left").kind() != "identifier":  # type: ignore[union-attr]
        raise NotPortable("make_response(...) is ported where it is returned or assigned to a name")
    name = assignment.field("left").text()  # type: ignore[union-attr]
    function = enclosing_function(call)
    if function is None:
        raise NotPortable("outside a function")
    edits = []
    for node in function.find_all(kind="identifier"):
        if node.text() != name or node == assignment.field("left"):
            continue
        parent = node.parent()
        if parent is not None and parent.kind() == "return_statement":
            continue
        if parent is None or parent.kind() != "attribute" or parent.field("object") != node:
            raise NotPortable(f"{name} is used otherwise than to set headers and cookies and return it")
        attribute = parent.field("attribute").text()  # type: ignore[union-attr]
        outer = parent.parent()
        if attribute == "headers" and outer is not None and outer.kind() == "subscript" and \
                outer.parent() is not None and outer.parent().kind() == "assignment" and \
                outer.parent().field("left") == outer:  # type: ignore[union-attr]
            continue  # resp.headers[k] = v: the same on Starlette's headers
        if attribute == "headers" and outer is not None and outer.kind() == "attribute" and \
                outer.field("attribute").text() == "add" and call_of(outer) is not None:  # type: ignore[union-attr]
            edits.append((outer.field("attribute"), "append"))  # a repeated header, as Werkzeug's add
            continue
        assigned = outer if outer is not None and outer.kind() == "assignment" and outer.field("left") == parent \
            else None
        if attribute == "status_code" and assigned is not None:
            continue  # Starlette sends the status_code the response has when it is sent, as Werkzeug does
        if attribute == "mimetype" and assigned is not None:
            edits.append((assigned, f"{name}.headers[\"content-type\"] = {json.dumps(_content_type(assigned))}"))
            continue
        if attribute == "set_cookie" and call_of(parent) is not None:
            edits.append(_set_cookie(file, call_of(parent)))  # type: ignore[arg-type]
            continue
        raise NotPortable(f"{name}.{attribute} is not set the same way on Starlette's response")
    if any(True for _ in function.find_all(kind="assignment") if _.field("left") is not None
           and _.field("left").text() == name and _ != assignment):  # type: ignore[union-attr]
        raise NotPortable(f"{name} is assigned again")
    return edits


# Werkzeug's get_content_type (werkzeug/utils.py): the mimetypes it gives a charset to.
_CHARSET_TYPES = ("application/ecmascript", "application/javascript", "application/sql", "application/xml",
                  "application/xml-dtd", "application/xml-external-parsed-entity")


def _content_type(assignment: SgNode) -> str:
    """The Content-Type Werkzeug writes for `resp.mimetype = "literal"`; NotPortable for another value."""
    try:
        mimetype = literal(assignment.field("right"))
    except ValueError:
        mimetype = None
    if not isinstance(mimetype, str) or not mimetype or any(c in mimetype for c in ";\r\n"):
        raise NotPortable("the mimetype is not a literal media type")
    if mimetype.startswith("text/") or mimetype in _CHARSET_TYPES or mimetype.endswith("+xml"):
        return f"{mimetype}; charset=utf-8"
    return mimetype


def _set_cookie(file: PortedFile, call: SgNode) -> tuple[SgNode, str]:
    """Werkzeug's set_cookie(key, value, ...) -> Starlette's with samesite=None unless given: Starlette's default
    is "lax", which Werkzeug's does not write (the make-response proof). The attributes may come in another order,
    and with max_age Werkzeug also writes the Expires it implies (browsers go by Max-Age). Where Starlette would
    write the cookie otherwise (a value that is not a plain literal, which the two quote differently, or
    `expires`), the header Werkzeug's set_cookie writes, by Werkzeug's own `dump_cookie` (used as a library)."""
    positional, keywords = arguments(call)
    try:
        value = literal(positional[1]) if len(positional) == 2 else None
    except ValueError:
        value = None
    if len(positional) != 2 or set(keywords) - set(_COOKIE_OPTIONS) or not isinstance(value, str) \
            or set(value) - _PLAIN_COOKIE:
        return _dumped_cookie(file, call, positional, keywords)
    arguments_node = call.field("arguments")
    text = file.rendered(arguments_node)  # type: ignore[arg-type]
    if "samesite" not in keywords:
        text = text[:-1].rstrip().rstrip(",") + ", samesite=None)"
    return arguments_node, text  # type: ignore[return-value]


# Werkzeug's set_cookie parameters, in order (werkzeug/sansio/response.py, 3.1); dump_cookie takes them by name.
_SET_COOKIE = ("key", "value", "max_age", "expires", "path", "domain", "secure", "httponly", "samesite", "partitioned")


def _dumped_cookie(file: PortedFile, call: SgNode, positional: list[SgNode],
                   keywords: dict[str, SgNode]) -> tuple[SgNode, str]:
    """`resp.set_cookie(...)` -> `resp.headers.append("set-cookie", dump_cookie(...))`: the Set-Cookie header
    Werkzeug's set_cookie added, byte for byte."""
    if len(positional) > len(_SET_COOKIE) or set(keywords) - set(_SET_COOKIE) or \
            set(keywords) & set(_SET_COOKIE[: len(positional)]) or not positional:
        raise NotPortable("set_cookie() with arguments the port does not know")
    function = call.field("function")
    file.use("werkzeug.http", "dump_cookie")
    given = [file.rendered(positional[0])] + [f"{key}={file.rendered(node)}" for key, node in
                                               [*zip(_SET_COOKIE[1:], positional[1:]), *keywords.items()]]
    target = file.rendered(function.field("object"))  # type: ignore[union-attr,arg-type]
    return call, f'{target}.headers.append("set-cookie", dump_cookie({", ".join(given)}))'


AFTER_THIS_DIFFERS = ("Flask also ran the callback on the error page when the view failed with an unhandled "
                      "exception (a 500); FastAPI answers that 500 without the callback's cookies and headers.")
# Headers a view's JSON or text value is sent with: set on the temporal response they would be sent twice
# (FastAPI adds its headers to the ones it built), where Werkzeug's `headers[k] = v` replaced them.
_BUILT_HEADERS = frozenset({"content-type", "content-length"})


def port_after_this_request(file: PortedFile, site: Site) -> None:
    """`@after_this_request def callback(response): ...; return response` in a ported view -> the callback,
    undecorated, called at once with the view's new `response: Response` parameter. Faithful when the callback
    only sets cookies and headers (the order of those does not matter), reads no name the view binds after it
    (Flask ran it after the view, with the names' last values), and the view raises nothing it could have
    run on and returns values, not Responses (FastAPI adds the parameter's cookies and headers only to a
    response it builds itself)."""
    from .requests import bound_names, parameter_names

    decorator = site.node.parent()
    decorated = decorator.parent() if decorator is not None and decorator.kind() == "decorator" else None
    callback = decorated.field("definition") if decorated is not None and decorated.kind() == "decorated_definition" \
        else None
    if callback is None or callback.kind() != "function_definition" or file.bound.get("after_this_request") != "flask":
        raise NotPortable("not Flask's after_this_request decorating a function")
    if sum(1 for child in decorated.children() if child.kind() == "decorator") != 1:  # type: ignore[union-attr]
        raise NotPortable("the callback has other decorators")
    view = enclosing_function(decorated)  # type: ignore[arg-type]
    parameters = callback.field("parameters").named_children()  # type: ignore[union-attr]
    if view is None or len(parameters) != 1 or parameters[0].kind() != "identifier":
        raise NotPortable("the callback takes other parameters than the response")
    name = parameters[0].text()
    statements = callback.field("body").named_children()  # type: ignore[union-attr]
    if not statements or statements[-1].kind() != "return_statement" or statements[-1].text() != f"return {name}":
        raise NotPortable("the callback does not return the response it was given, unchanged in kind")
    edits = [_callback_edit(file, statement, name) for statement in statements[:-1]]
    _callback_reads(callback, name, bound_names(view), span(decorated)[0])  # type: ignore[arg-type]
    _view_builds_its_response(file, view, callback)
    # nested functions with a parameter of that name (this callback, the view's others) use their own
    own = [f for f in view.find_all(kind="function_definition") if f != view and "response" in parameter_names(f)]
    if "response" in parameter_names(view) or any(node.text() == "response" and not any(_within(node, f) for f in own)
                                                   for node in view.find_all(kind="identifier")):
        raise NotPortable("the view already uses the name response")
    file.use("fastapi", "Response")
    for node, text in edits:
        if node is not None:
            file.replace(node, text)
    indent = file.text[file.line_start(span(decorated)[0]):span(decorated)[0]]  # type: ignore[arg-type]
    callback_name = callback.field("name").text()  # type: ignore[union-attr]
    # an empty line after the nested function, as ruff's formatter puts one
    file.replace(decorated, f"{file.rendered(callback)}\n\n{indent}{callback_name}(response)")  # type: ignore[arg-type]
    file.signature(view).added["response"] = "response: Response"
    file.todo(Site(site.code, view, site.advice), AFTER_THIS_DIFFERS)
    site.handled = True


def _callback_edit(file: PortedFile, statement: SgNode, name: str) -> tuple[SgNode | None, str]:
    """The edit one statement of the callback needs: `name.set_cookie(...)` (Starlette's with Werkzeug's
    attributes), `name.headers["X-Literal"] = value` (as it is); NotPortable for anything else."""
    expression = statement.named_children()[0] if statement.kind() == "expression_statement" else None
    if expression is not None and expression.kind() == "call":
        function = expression.field("function")
        if function is not None and function.kind() == "attribute" and function.field("object").text() == name \
                and function.field("attribute").text() == "set_cookie":  # type: ignore[union-attr]
            return _set_cookie(file, expression)
    if expression is not None and expression.kind() == "assignment":
        left = expression.field("left")
        if left is not None and left.kind() == "subscript" and left.field("value").text() == f"{name}.headers":  # type: ignore[union-attr]
            try:
                key = literal(left.field("subscript"))
            except ValueError:
                key = None
            if isinstance(key, str) and key.lower() not in _BUILT_HEADERS:
                return None, ""
    raise NotPortable(f"the callback does more than set cookies and headers: {statement.text()[:60]}")


def _callback_reads(callback: SgNode, name: str, bound: dict[str, list[int]], defined: int) -> None:
    """NotPortable when the callback reads a name the view binds after defining it: Flask ran the callback
    after the view, which saw the last value."""
    for node in callback.field("body").find_all(kind="identifier"):  # type: ignore[union-attr]
        parent = node.parent()
        if node.text() == name or parent is not None and (
                parent.kind() == "attribute" and parent.field("attribute") == node
                or parent.kind() == "keyword_argument" and parent.field("name") == node):
            continue
        if any(start > defined for start in bound.get(node.text(), ())):
            raise NotPortable(f"the view binds {node.text()} after the callback, which Flask ran with its last value")


def _view_builds_its_response(file: PortedFile, view: SgNode, callback: SgNode) -> None:
    """NotPortable unless every return of the view (outside the callback) is a value FastAPI builds the
    response from, and the view raises nothing on purpose (Flask ran the callback on the error page too)."""
    body = view.field("body")
    for node in body.find_all(kind="raise_statement") if body is not None else ():
        if not _within(node, callback):
            raise NotPortable("the view raises, and Flask ran the callback on the error response too")
    if file.sites_in(view, codes.ABORT_CALL):
        raise NotPortable("the view aborts, and Flask ran the callback on the error response too")
    for statement in body.find_all(kind="return_statement") if body is not None else ():
        if _within(statement, callback) or enclosing_function(statement) != view:
            continue
        value = statement.named_children()[0] if statement.named_children() else None
        if value is None or file.rendered(value).startswith(_RESPONSES) or \
                any(not s.handled for s in file.sites_in(value)):
            raise NotPortable("the view returns a Response (or what may become one), to which FastAPI adds "
                              "no cookies or headers of a Response parameter")


def _within(node: SgNode, outer: SgNode) -> bool:
    start, end = span(node)
    return span(outer)[0] <= start and end <= span(outer)[1]


# flask.json.dumps in a request: the default provider's dumps and _default (flask/json/provider.py, 3.1), with
# Werkzeug's http_date (a naive datetime taken as UTC, a date as its midnight UTC).
JSON_HELPER = "flask_json_dumps"
JSON_HELPER_TEXT = '''
def flask_json_dumps(obj: Any, **kwargs: Any) -> str:
    """flask.json.dumps in a request, as the app's default JSON provider wrote it."""
    kwargs.setdefault("default", flask_json_default)
    kwargs.setdefault("ensure_ascii", True)
    kwargs.setdefault("sort_keys", True)
    return dumps(obj, **kwargs)


def flask_json_default(o: Any) -> Any:
    """What Flask's provider wrote for the values the standard json module refuses."""
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, (Decimal, UUID)):
        return str(o)
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
'''
_JSON_IMPORTS = (("typing", ("Any",)), ("json", ("dumps",)), ("datetime", ("date",)), ("decimal", ("Decimal",)),
                 ("uuid", ("UUID",)), ("dataclasses", ("asdict", "is_dataclass")), ("werkzeug.http", ("http_date",)))


def port_flask_json(file: PortedFile, site: Site) -> None:
    """Every use of Flask's `json` module in the file, or none: `json.dumps` in a route's view ->
    `flask_json_dumps`, `json.loads` -> the standard `loads`. Elsewhere (at import, in a helper a Flask
    view may call outside a request) Flask's dumps wrote otherwise (no sorting), so the file keeps it."""
    key = ("flask json", 0)
    if key not in file.memo:
        file.memo[key] = _flask_json_plan(file)
    reason = file.memo[key]
    if reason:
        raise NotPortable(reason)


def _flask_json_plan(file: PortedFile) -> str:
    """Rewrite the file's uses of Flask's json module; "" when done, else why not."""
    if file.bound.get("json") != "flask":
        return "json here is not imported from flask"
    sites = {span(s.node): s for s in file.sites_of(codes.FLASK_JSON)}
    uses = [node for node in file.root.find_all(kind="identifier") if node.text() == "json"
            and node.parent() is not None and node.parent().kind() not in ("dotted_name", "aliased_import")]  # type: ignore[union-attr]
    routes = file.route_starts()
    plans = []
    for node in uses:
        attribute = node.parent()
        if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node \
                or span(attribute) not in sites or call_of(attribute) is None:
            return f"json is used otherwise at line {node.range().start.line + 1}"
        name = attribute.field("attribute").text()  # type: ignore[union-attr]
        if name not in ("dumps", "loads"):
            return f"json.{name} is not ported"
        function = enclosing_function(attribute)
        decorated = function.parent() if function is not None else None
        if decorated is None or decorated.kind() != "decorated_definition" or not any(
                span(d.named_children()[0].field("function") or d.named_children()[0])[0] in routes  # type: ignore[arg-type]
                for d in decorated.children() if d.kind() == "decorator" and d.named_children()):
            return "json.dumps outside a route's view wrote without the app's provider (no sorting) there"
        plans.append((sites[span(attribute)], attribute, name))
    if file.bound.get(JSON_HELPER) not in (None, file.path):
        return f"the module binds {JSON_HELPER} to something else"
    dumping = any(name == "dumps" for _, _, name in plans)
    try:
        for module, names in _JSON_IMPORTS if dumping else ():
            file.use(module, *names)
        if any(name == "loads" for _, _, name in plans):
            file.use("json", "loads")
    except NotPortable as reason:
        return str(reason)
    for site, attribute, name in plans:
        file.replace(attribute, JSON_HELPER if name == "dumps" else "loads")
        site.handled = True
    if dumping:
        define_standalone(file, JSON_HELPER, JSON_HELPER_TEXT)
    return ""


# Flask's send_file / send_from_directory (flask/helpers.py `_prepare_send_file_kwargs`, 3.1): Werkzeug's, with
# the request's environ, no X-Sendfile, the app's root_path and max_age from SEND_FILE_MAX_AGE_DEFAULT (None).
SEND_HELPER = "flask_send"
SEND_HELPER_TEXT = '''
def flask_send(
    request: Request, name: str, *args: Any, **kwargs: Any
) -> StreamingResponse:
    """What Flask's `name` (send_file, send_from_directory) answered: Werkzeug's own function, given this request's
    method and headers, the app's folder and Flask's defaults, with its status, headers and body as a WSGI server
    sent them; its errors (404, 416) as HTTPException, whose body is JSON where Flask's was an HTML page."""
    # Werkzeug as a library: Flask's two functions call these
    from werkzeug import utils

    environ = {
        "REQUEST_METHOD": request.method,
        **{
            "HTTP_" + key.upper().replace("-", "_"): value
            for key, value in request.headers.items()
        },
    }
    kwargs.setdefault("max_age", None)
    try:
        sent = getattr(utils, name)(
            *args,
            environ=environ,
            use_x_sendfile=False,
            _root_path=dirname(abspath(__file__)),
            **kwargs,
        )
    except Exception as error:
        code = getattr(error, "code", None)
        if not isinstance(code, int) or not 400 <= code < 600:
            raise
        raise HTTPException(status_code=code) from None
    body, status, headers = sent.get_wsgi_response(environ)

    def chunks() -> Any:
        try:
            yield from body
        finally:
            getattr(body, "close", lambda: None)()

    response = StreamingResponse(chunks(), status_code=int(status.split()[0]))
    response.raw_headers = [
        (key.lower().encode("latin-1"), value.encode("latin-1"))
        for key, value in headers
    ]
    return response
'''
# Settings Flask's two functions read, which flask_send does not: where a module names them, it is left.
_SEND_SETTINGS = ("SEND_FILE_MAX_AGE_DEFAULT", "USE_X_SENDFILE", "config.from_", "response_class", "root_path")


def port_send_file(file: PortedFile, site: Site) -> None:
    """`return send_file(...)` / `return send_from_directory(...)` in a view of the module that makes the app
    (its folder is the app's root_path) -> `return flask_send(request, "send_...", ...)`."""
    from .requests import starlette_request

    call = routes_call(site.node)
    name = call.field("function").text() if call is not None else ""  # type: ignore[union-attr]
    if call is None or name not in ("send_file", "send_from_directory") or file.bound.get(name) != "flask":
        raise NotPortable("not Flask's send_file or send_from_directory called by name")
    if _returned(call) is None or call.parent() is None or call.parent().kind() != "return_statement":  # type: ignore[union-attr]
        raise NotPortable("ported where it is returned as it is")
    apps = [s for s in file.sites_of(codes.APP) if s.node.text() == "Flask"]
    if len(apps) != 1 or enclosing_function(apps[0].node) is not None:
        _send_behind(file, site, call, name)
        return
    if any(setting in file.text for setting in _SEND_SETTINGS):
        raise NotPortable("the module sets what Flask's send_file reads (max age, X-Sendfile, config files)")
    positional, keywords = arguments(call)
    if set(keywords) & {"environ", "_root_path", "use_x_sendfile", "response_class"}:
        raise NotPortable("send_file() with arguments Flask sets itself")
    if file.bound.get(SEND_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {SEND_HELPER} to something else")
    file.use("typing", "Any")
    file.use("os.path", "abspath", "dirname")
    file.use("fastapi", "HTTPException", "Request")
    file.use("fastapi.responses", "StreamingResponse")
    view = enclosing_function(call)
    starlette_request(file, view)  # type: ignore[arg-type]
    define_standalone(file, SEND_HELPER, SEND_HELPER_TEXT)
    given = [file.rendered(node) for node in positional] + [f"{key}={file.rendered(node)}" for key, node in keywords.items()]
    file.replace(call, f"{SEND_HELPER}(request, {json.dumps(name)}, {', '.join(given)})")
    site.handled = True


# While the app stays Flask (main.py mounts it behind FastAPI), a view of another module sends with that app's own
# settings and folder (port/written/flask_send_file.py).
SEND_BEHIND = "flask_send_file"  # the written module, and its function
SEND_BEHIND_FILE = f"{SEND_BEHIND}.py"
SEND_BEHIND_TEXT = files(__package__).joinpath("written", SEND_BEHIND_FILE).read_text(encoding="utf-8")
SEND_BEHIND_USED = ("responses: flask_send_file imported", 0)  # file.memo key


def _send_behind(file: PortedFile, site: Site, call: SgNode, name: str) -> None:
    """`return send_from_directory(...)` in a view outside the app's module, while the app stays Flask ->
    `return flask_send_file(request, "send_from_directory", ...)`: Werkzeug's function given what Flask gives it
    from the Flask app behind FastAPI (its root_path, USE_X_SENDFILE, max age, response class), its errors to the
    app's handler for their status where main.py adds one, else Werkzeug's page (flask_send_file.py)."""
    from .requests import starlette_request
    from .templates import FLASK_BEHIND

    if not file.memo.get(FLASK_BEHIND):
        raise NotPortable("the view is not in the module that makes the app, whose folder Flask served from")
    positional, keywords = arguments(call)
    if set(keywords) & {"environ", "_root_path", "use_x_sendfile", "response_class"}:
        raise NotPortable("send_file() with arguments Flask sets itself")
    if file.bound.get(SEND_BEHIND) not in (None, SEND_BEHIND):
        raise NotPortable(f"the module binds {SEND_BEHIND} to something else")
    view = enclosing_function(call)
    if view is None or any(child.kind() == "async" for child in view.children()):
        raise NotPortable("the view is async, where Werkzeug's file reads would block the event loop")
    file.use(SEND_BEHIND, SEND_BEHIND)
    starlette_request(file, view)
    file.memo[SEND_BEHIND_USED] = True
    given = [file.rendered(node) for node in positional] + [f"{key}={file.rendered(node)}" for key, node in keywords.items()]
    file.replace(call, f"{SEND_BEHIND}(request, {json.dumps(name)}, {', '.join(given)})")
    site.handled = True


def _port_streamed_response(file: PortedFile, site: Site, call: SgNode) -> None:
    """`Response(generate(), ...)` without stream_with_context -> `StreamingResponse(generate(), ...)`, where
    `generate` is a generator of the view or the module that uses nothing the port left (it reads no request:
    Flask would have had none while streaming)."""
    positional, keywords = arguments(call)
    body = positional[0] if positional else keywords.get("response")
    callee = body.field("function") if body is not None and body.kind() == "call" else None
    view = enclosing_function(call)
    if callee is None or callee.kind() != "identifier" or view is None or file.bound.get("Response") != "flask":
        raise NotPortable("the body is not a call of a generator function by its name")
    generator = next((f for f in view.find_all(kind="function_definition") if enclosing_function(f) == view
                      and f.field("name").text() == callee.text()), None)  # type: ignore[union-attr]
    if generator is None and file.bound.get(callee.text()) == file.path:
        generator = next((f for f in file.root.children() if f.kind() == "function_definition"
                          and f.field("name").text() == callee.text()), None)  # type: ignore[union-attr]
    if generator is None or not any(enclosing_function(y) == generator for y in generator.find_all(kind="yield")):
        raise NotPortable("the body is not a generator of the view's or the module's own")
    if any(not s.handled for s in file.sites_in(generator)):
        raise NotPortable("the generator uses Flask (a TODO in it)")
    _build_response(file, call, streamed=True)
    for other in file.sites_in(call, codes.RESPONSE):
        other.handled = True
    site.handled = True


def port_own_helpers(file: PortedFile) -> None:
    """Findings inside a helper this port wrote into the module before (`flask_send` uses Werkzeug as a library,
    which the audit flags): the helper is right as it is, so a second port leaves it alone. Only a module-level
    function whose text is the helper's, to the character."""
    from .helper_raises import ROUTE_CLASS, ROUTE_TEXT
    from .routes import ADAPTER, ADAPTER_TEXT, URL_MAP_TEXT

    texts = {SEND_HELPER: SEND_HELPER_TEXT.strip(), ADAPTER: ADAPTER_TEXT.strip(), REDIRECT_HELPER: REDIRECT_TEXT.strip(),
             ABORT_HELPER: ABORT_TEXT.strip(), ROUTE_CLASS: ROUTE_TEXT.strip()}
    children = file.root.children()
    for at, node in enumerate(children):
        name = node.field("name") if node.kind() in ("function_definition", "class_definition") else None
        comment = children[at - 1].text() + "\n" if at and children[at - 1].kind() == "comment" else ""
        if name is not None and name.text() in texts and node.text() == texts[name.text()] or \
                node.kind() == "expression_statement" and URL_MAP_TEXT.fullmatch(comment + node.text()):
            for site in file.sites_in(node):
                site.handled = True
