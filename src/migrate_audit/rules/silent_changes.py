"""FMA8xx: behaviour that changes silently when a Flask view is ported as is.

These pass a naive port without an error and fail in production, which is why they are mandatory even
where the code change is small.
"""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import on_use, rule
from ._common import FASTAPI, members, returns_of, short

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
