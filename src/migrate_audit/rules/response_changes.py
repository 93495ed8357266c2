"""FMA236: a Flask response held in a variable and changed after it was built, through Werkzeug's API:
`response = jsonify(...)` then `response.status_code = 400`, `resp.mimetype = ...`, `resp.headers.add(...)`.

The response's maker (`jsonify`, `make_response`, `Response`, ...) has its own finding at the call; the lines
after it that change the object are sites of their own, followed here inside the one function that made it.

What is reported, and why each is a change: Starlette's responses take the status, media type and headers
when they are built (the `Content-Type` header is computed then, so a later `media_type` changes nothing);
they have no `status` string, no `data`/`set_data` (the body is rendered `body` bytes) and their
`MutableHeaders` has no `add`/`set`/`extend`/`add_header`. A status set later still works on a Starlette
response object, but the port of `jsonify(...)` is a returned dict (FMA220), which has no status to set: the
status moves into the path operation or `JSONResponse(..., status_code=...)`. (A status set on what
`make_response` or `Response` built is left alone: the port builds a Starlette response there, on which
`status_code` can still be set.)

Left out on purpose: `resp.headers['X'] = ...` and `resp.set_cookie(...)`, which Starlette's response
supports as they are. Conservative: the variable is assigned once in its function, the change comes after
the assignment in the same function (not in a nested one); a response that a helper returns or a hook
receives is not followed.
"""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from ..api import Hit, Use
from ..registry import on_use, rule
from ._common import APP, FASTAPI, STARLETTE, short

CHANGED = rule(
    "FMA236", "flask-response-changed-after-build", "Flask response changed after it was built",
    "`{expr}` changes the response `{maker}(...)` built: {why}",
    "build the response with what it needs (`JSONResponse(content, status_code=400, headers=headers)`), or return "
    "the data and declare `status_code=` on the path operation",
    "mandatory", 1, "direct",
    rationale="Starlette's responses take the status, media type and headers when they are built; Werkzeug's "
    "`status`, `mimetype`, `data`/`set_data` and `headers.add`/`set` have no counterpart on them, and the port "
    "of `jsonify(...)` (a returned dict) leaves no object to set `status_code` on. Header item assignment, "
    "`set_cookie` and a status set on what `make_response`/`Response` built work on both and are not reported.",
    before="response = jsonify(error='not found')\nresponse.status_code = 404\nreturn response\n",
    after="return JSONResponse({'error': 'not found'}, status_code=404)\n",
    links=(f"{FASTAPI}/advanced/response-directly/", f"{STARLETTE}/responses/"),
)

_MAKERS = ("flask.jsonify", "flask.make_response", "flask.redirect", "flask.send_file", "flask.send_from_directory",
           "flask.Response", "werkzeug.wrappers.Response", "werkzeug.Response", "werkzeug.wrappers.response.Response",
           f"{APP}.response_class", f"{APP}.make_response")
_SET = {
    "status": "Werkzeug's status string has no Starlette counterpart (`status_code=` when built)",
    "mimetype": "Starlette sets `Content-Type` from `media_type=` when the response is built",
    "content_type": "Starlette sets `Content-Type` from `media_type=` when the response is built",
    "data": "Starlette renders the body (`body`, bytes) when the response is built",
}
# A status set on a built Starlette response still works: only the port of `jsonify` (a returned dict) leaves
# no object to set it on.
_JSON_STATUS = "the port of `jsonify` returns the data, with no response object to set `status_code` on"
_CALLED = {
    "set_data": "Starlette renders the body (`body`, bytes) when the response is built",
    "headers.add": "Starlette's `MutableHeaders` has `append`, not Werkzeug's `add`",
    "headers.set": "Starlette's `MutableHeaders` has item assignment, not Werkzeug's `set`",
    "headers.extend": "Starlette's `MutableHeaders` has `update`, not Werkzeug's `extend`",
    "headers.add_header": "Starlette's `MutableHeaders` has `append`, not Werkzeug's `add_header`",
}
_MEMO = f"{CHANGED.code}-functions"


@on_use(CHANGED, *_MAKERS)
def _changed(use: Use) -> Iterator[Hit]:
    call = use.call
    parents = use.ctx.parents
    assignment = parents[call] if call is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("right") != call:
        return
    target = assignment.field("left")
    function = use.ctx.scopes.enclosing_function(call)
    if target is None or target.kind() != "identifier" or function is None:
        return
    names = _names_in(function, use)
    stores, reads = names.get(target.text(), ([], []))
    if stores != [assignment]:
        return  # assigned again (or in a way not seen here): which object a later line changes is unknown
    maker = use.qual.rpartition(".")[2]
    after = assignment.range().end.index
    for read in reads:
        if read.range().start.index < after:
            continue
        found = _change(read, parents, maker)
        if found is not None:
            line, why = found
            yield Hit(line, {"expr": short(line.text(), 40), "maker": maker, "why": why})


def _names_in(function: SgNode, use: Use) -> dict[str, tuple[list[SgNode], list[SgNode]]]:
    """For each name in `function`'s own body (not a nested function's): its assignments and the attribute
    reads on it (`name.attr`). One walk per function, kept for the file's other makers."""
    memo: dict[SgNode, dict[str, tuple[list[SgNode], list[SgNode]]]] = use.ctx.memo.setdefault(_MEMO, {})
    found = memo.get(function)
    if found is not None:
        return found
    found = memo[function] = {}
    scopes = use.ctx.scopes
    for node in function.find_all({"rule": {"any": [{"kind": "assignment"}, {"kind": "attribute"}]}}):
        if node.kind() == "assignment":
            left = node.field("left")
            if left is not None and left.kind() == "identifier" and scopes.enclosing_function(node) == function:
                found.setdefault(left.text(), ([], []))[0].append(node)
        else:
            receiver = node.field("object")
            if receiver is not None and receiver.kind() == "identifier" \
                    and scopes.enclosing_function(node) == function:
                found.setdefault(receiver.text(), ([], []))[1].append(node)
    return found


def _change(read: SgNode, parents, maker: str) -> tuple[SgNode, str] | None:  # type: ignore[no-untyped-def]
    """The statement part that changes the response through `read` (`resp.<attr>`), with why it must change."""
    attr = read.field("attribute")
    parent = parents[read]
    if attr is None or parent is None:
        return None
    name = attr.text()
    if name == "status_code" and maker == "jsonify" and parent.kind() == "assignment" and parent.field("left") == read:
        return parent, _JSON_STATUS
    if name in _SET and parent.kind() == "assignment" and parent.field("left") == read:
        return parent, _SET[name]
    if parent.kind() == "call" and parent.field("function") == read and name in _CALLED:
        return parent, _CALLED[name]
    if name == "headers" and parent.kind() == "attribute" and parent.field("object") == read:
        method = parent.field("attribute")
        call = parents[parent]
        why = _CALLED.get(f"headers.{method.text()}") if method is not None else None
        if why is not None and call is not None and call.kind() == "call" and call.field("function") == parent:
            return call, why
    return None
