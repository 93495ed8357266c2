"""`@app.errorhandler(HTTPException)` (Werkzeug's) -> `@app.exception_handler(StarletteHTTPException)`.

Flask calls it for every HTTP error without a handler of its own status: the router's 404 and 405, a view's
`abort(...)` and raised Werkzeug exceptions. FastAPI's router raises Starlette's HTTPException, the views' ported
aborts raise FastAPI's, a subclass: a handler registered on Starlette's class gets them all, with the same status
(`e.code` -> `exc.status_code`, `e.name` -> Werkzeug's name for it) and headers (a 405's `Allow`) (the
http-exception-handler proof). The handler is converted where its body is the JSON-error idiom

    response = e.get_response()
    response.data = <body>
    response.content_type = "<type>"
    return response

-> `return Response(<body>, status_code=e.status_code, headers=e.headers, media_type="<type>")`, a type Starlette
writes as given (not text/*, to which it adds a charset Werkzeug's setter did not). Flask raises 400, 413 and 415
while parsing a request, where FastAPI answers 422 without the handler: the port requires that no module of the
project reads Flask's request. Flask also answered an unhandled exception's 500 with the handler (as an
InternalServerError); Starlette answers it with its own plain 500 page: said in a TODO.

FastAPI code beside the Flask app (FMA812) that registers a handler on FastAPI's HTTPException, a subclass the
router's 404 and 405 are not: the handler goes onto Starlette's class, as Flask's handler got those too.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ast_grep_py import SgNode

from ..rules.silent_changes import WRONG_HTTP_EXCEPTION
from .edits import NotPortable, PortedFile, literal
from .routes import arguments

STARLETTE_NAME = "StarletteHTTPException"
STARLETTE_IMPORT = ("starlette.exceptions", f"HTTPException as {STARLETTE_NAME}")
UNHANDLED_DIFFERS = ("Flask also answered an unhandled exception's 500 with this handler; Starlette answers it "
                     "with its own plain 500 page.")
# What the handler may read of the exception: rewritten as for a handler of a status (hooks.EXCEPTION_READS).
READS = ("code", "name")
_FLASK_IMPORT = re.compile(r"from\s+flask\s+import\s+(\([^)]*\)|[^\n]*)")


def reads_flask_request(path: str, root: Path | None, flagged: frozenset[str]) -> bool:
    """True when another Python module of the project with findings imports Flask's request (or `flask.request`
    itself), or the project's files cannot be read."""
    from .decorators import _project_text

    if root is None:
        return True
    for other in flagged:
        if other.endswith(".py") and other != path:
            text = _project_text(root / other)
            if text is None or "flask.request" in text or \
                    any(re.search(r"\brequest\b", m.group(1)) for m in _FLASK_IMPORT.finditer(text)):
                return True
    return False


def read_handler(file: PortedFile, function: SgNode, parameter: str | None, elsewhere: Callable[[], bool]
                 ) -> tuple[tuple[SgNode, ...], tuple[tuple[SgNode, ...], SgNode, str]]:
    """The handler's reads of `e.code` / `e.name`, and its answer: (the statements that go, the body, the type);
    NotPortable when it is not the idiom, or when the module or (`elsewhere()`) the project imports Flask's request."""
    if parameter is None:
        raise NotPortable("the handler takes no exception")
    if file.bound.get("request") == "flask" or elsewhere():
        raise NotPortable("the project reads Flask's request: Flask raises 400, 413, 415 while parsing it, which "
                          "this handler answered, where FastAPI answers 422 without it")
    uses = [n for n in file.root.find_all(kind="identifier") if n.text() == "HTTPException"
            and n.parent() is not None and n.parent().kind() not in ("dotted_name", "aliased_import")]  # type: ignore[union-attr]
    if len(uses) != 1:
        raise NotPortable("Werkzeug's HTTPException is also used otherwise in this module")
    body = function.field("body")
    statements = [s for s in body.named_children() if s.kind() != "comment"] if body is not None else []
    if len(statements) < 3:
        raise NotPortable("the handler is not `response = e.get_response()`, its data and type set, `return response`")
    first, *setters, last = statements
    made = _assignment(first)
    if made is None or made[0].kind() != "identifier" or made[1].text() != f"{parameter}.get_response()":
        raise NotPortable("the handler does not start with `response = e.get_response()`")
    response = made[0].text()
    if last.kind() != "return_statement" or [c.text() for c in last.named_children()] != [response]:
        raise NotPortable(f"the handler does not end with `return {response}`")
    values: dict[str, SgNode] = {}
    for statement in setters:
        pair = _assignment(statement)
        target = pair[0] if pair is not None else None
        if target is None or target.kind() != "attribute" or target.field("object").text() != response or \
                target.field("attribute").text() not in ("data", "content_type") or \
                target.field("attribute").text() in values:  # type: ignore[union-attr]
            raise NotPortable(f"the handler does more with {response} than set its data and content_type once")
        values[target.field("attribute").text()] = pair[1]  # type: ignore[union-attr, index]
    if set(values) != {"data", "content_type"}:
        raise NotPortable("the handler keeps Werkzeug's HTML page or its text/html type")
    try:
        media_type = literal(values["content_type"])
    except ValueError:
        raise NotPortable("the content type is not a literal") from None
    if not isinstance(media_type, str) or media_type.startswith("text/") or "charset" in media_type or \
            '"' in media_type or "\\" in media_type:
        raise NotPortable("a text/* type or a charset: Starlette writes it otherwise than Werkzeug's setter")
    reads = []
    for node in function.find_all(kind="identifier"):
        if node.text() != parameter or node.parent() is None or node.parent().kind() == "parameters":  # type: ignore[union-attr]
            continue
        attribute = node.parent()
        if attribute is not None and attribute.kind() == "attribute" and attribute.field("object") == node:
            name = attribute.field("attribute").text()  # type: ignore[union-attr]
            if name in READS:
                reads.append(attribute)
                continue
            if name == "get_response" and attribute.parent() == made[1]:
                continue
        raise NotPortable(f"the handler reads {parameter} otherwise than its code and name")
    file.bound.pop("HTTPException")  # the import goes with its one use: FastAPI's may come in (port_abort)
    return tuple(reads), ((first, *setters), values["data"], media_type)


def _assignment(statement: SgNode) -> tuple[SgNode, SgNode] | None:
    if statement.kind() != "expression_statement" or len(statement.named_children()) != 1:
        return None
    node = statement.named_children()[0]
    if node.kind() != "assignment" or node.field("right") is None or node.field("type") is not None:
        return None
    return node.field("left"), node.field("right")  # type: ignore[return-value]


def answer(file: PortedFile, plan: tuple[tuple[SgNode, ...], SgNode, str]) -> list[tuple[SgNode, str]]:
    """The handler's statements go but its return, which answers the Response (replacements for _convert)."""
    statements, data, media_type = plan
    function_body = statements[0].parent()
    last = [s for s in function_body.named_children() if s.kind() != "comment"][-1]  # type: ignore[union-attr]
    parameter = statements[0].named_children()[0].field("right").field("function").field("object").text()  # type: ignore[union-attr]
    body = file.rendered(data)  # with its reads rewritten, before the statement around them goes
    for statement in statements:
        file.delete_statement(statement)
    file.use("fastapi", "Response")
    text = (f"return Response({body}, status_code={parameter}.status_code, "
            f'headers={parameter}.headers, media_type="{media_type}")')
    return [(last, text)]


def port_fastapi_handlers(file: PortedFile) -> None:
    """`exception_handler(HTTPException)` / `add_exception_handler(HTTPException, ...)` with FastAPI's class ->
    Starlette's, which the router raises too (FMA812)."""
    for site in file.sites_of(WRONG_HTTP_EXCEPTION.code):
        call = site.node
        positional, _ = arguments(call) if call.kind() == "call" else ([], {})
        if not positional or positional[0].kind() != "identifier" or \
                file.bound.get(positional[0].text()) not in ("fastapi", "fastapi.exceptions"):
            site.reason = site.reason or "not FastAPI's HTTPException named as the first argument"
            continue
        try:
            file.use(*STARLETTE_IMPORT)
        except NotPortable as reason:
            site.reason = site.reason or str(reason)
            continue
        file.replace(positional[0], STARLETTE_NAME)
        site.handled = True
