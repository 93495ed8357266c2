"""What a view answers: `jsonify`, `(body, status[, headers])` tuples, strings, `abort` and `redirect`.

Each rewrite answers what Flask answered, or says at the site where it cannot:
- `jsonify(...)` returned -> the dict or list itself (FastAPI encodes it as JSON, as Flask did);
- a tuple -> `JSONResponse(body, status_code=..., headers=...)` for a JSON body, `HTMLResponse` for a
  string (Flask sends a string as text/html);
- a view that returns only strings -> `response_class=HTMLResponse` on its route (the view-returns-string
  proof);
- `abort(code[, description])` -> `raise HTTPException(status_code=code, detail=description)`: the status
  is kept, the body is JSON where Werkzeug rendered an HTML page (the abort proof), said in a TODO;
- `redirect(url[, code])` -> `RedirectResponse(url, status_code=code)` with Flask's 302 written out, since
  Starlette's default is 307 (the redirect-after-post proof).
"""
from __future__ import annotations

import json

from ast_grep_py import SgNode

from . import codes
from .edits import PortedFile, Site, enclosing_function, literal
from .routes import NotPortable, arguments, call_of

# The codes Werkzeug's abort() knows (werkzeug.exceptions.default_exceptions); any other raises LookupError.
ABORT_CODES = frozenset({400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
                         422, 423, 424, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505})
ABORT_BODY_DIFFERS = ("Flask answered this error with an HTML page; FastAPI answers JSON "
                      '{"detail": ...} with the same status (the abort proof documents this difference).')
_JSON_KINDS = frozenset({"dictionary", "list", "dictionary_comprehension", "list_comprehension"})
_STRING_KINDS = frozenset({"string", "concatenated_string"})
_RESPONSES = ("JSONResponse(", "HTMLResponse(", "RedirectResponse(")


def _returned(node: SgNode) -> SgNode | None:
    """The return statement whose value `node` is, directly or as a tuple's first element."""
    parent = node.parent()
    if parent is not None and parent.kind() in ("expression_list", "tuple") and parent.named_children()[0] == node:
        parent = parent.parent()
    return parent if parent is not None and parent.kind() == "return_statement" else None


def port_jsonify(file: PortedFile, site: Site) -> None:
    call = call_of(site.node)
    if call is None or _returned(call) is None:
        raise NotPortable("jsonify(...) is ported where it is returned; here its Response is used otherwise")
    positional, keywords = arguments(call)
    if positional and keywords or not (positional or keywords):
        raise NotPortable("jsonify() with no arguments, or with both positional and keyword ones")
    if keywords:
        text = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    elif len(positional) == 1:
        text = file.rendered(positional[0])
    else:
        text = "[" + ", ".join(file.rendered(p) for p in positional) + "]"
    file.replace(call, text)
    site.handled = True


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
    elif rest[0].kind() == "integer":
        status = rest[0]
    elif rest[0].kind() == "dictionary":
        headers = rest[0]
    else:
        raise NotPortable("the second element is neither a status literal nor a dict of headers")
    jsonified = body.kind() == "call" and any(s.handled for s in file.sites_in(body, codes.JSONIFY_CALL))
    if body.kind() == "identifier":
        jsonified = _always_json(file, node, body.text())
    if body.kind() in _STRING_KINDS:
        response = "HTMLResponse"
    elif body.kind() in _JSON_KINDS or jsonified:
        response = "JSONResponse"
    else:
        raise NotPortable("the body is not a literal string, dict or list, nor jsonify(...): its type decides "
                          "what Flask sent")
    options = "".join(f", {key}={file.rendered(value)}" for key, value in (("status_code", status), ("headers", headers))
                      if value is not None)
    file.use("fastapi.responses", response)
    file.replace(node, f"{response}({file.rendered(body)}{options})")
    site.handled = True


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


def port_abort(file: PortedFile, site: Site) -> None:
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
    description = positional[1] if len(positional) == 2 else keywords.get("description")
    detail = f", detail={file.rendered(description)}" if description is not None else ""
    file.use("fastapi", "HTTPException")
    file.replace(statement, f"raise HTTPException(status_code={code}{detail})")
    file.todo(site, ABORT_BODY_DIFFERS)
    site.handled = True


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
    status = file.rendered(given["code"]) if "code" in given else "302"
    file.use("fastapi.responses", "RedirectResponse")
    file.replace(call, f"RedirectResponse({file.rendered(given['location'])}, status_code={status})")
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
        if not file.rendered(value).startswith(_RESPONSES):
            return False
    try:
        file.use("fastapi.responses", "HTMLResponse")
    except NotPortable:
        return False
    for site in file.sites_in(function, codes.STRING):
        site.handled = True
    return True


