"""The query string: `request.args.get(...)` / `.getlist(...)` in a ported view become typed query parameters.

Flask's `MultiDict.get(key, default=None, type=None)` gives the default when the key is missing, and also
when `type` fails to convert the value; FastAPI answers 422 for the latter (the request-args proof
documents it), so a `type=` read keeps a TODO naming that difference. Only literal defaults are ported: a
default expression runs on every request in Flask, once at import in a signature.
"""
from __future__ import annotations

import json
import keyword

from .edits import PortedFile, Site, literal
from .routes import NotPortable, arguments, call_of

TYPES = {"int": "int", "float": "float", "str": "str"}
CONVERSION_DIFFERS = ("Flask gave the default when the value did not convert with type=; FastAPI answers 422 with "
                      "the validation error (the request-args proof documents this difference).")


def enclosing_function(node):  # type: ignore[no-untyped-def]
    current = node.parent()
    while current is not None and current.kind() != "function_definition":
        current = current.parent()
    return current


def port_query(file: PortedFile, site: Site, views: set[int]) -> None:
    """One `request.args` read inside a ported view -> a query parameter of the view."""
    attribute = site.node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != site.node:
        raise NotPortable("only request.args.get(...) and request.args.getlist(...) are ported")
    method = attribute.field("attribute").text()  # type: ignore[union-attr]
    call = call_of(attribute)
    if method not in ("get", "getlist") or call is None:
        raise NotPortable("only request.args.get(...) and request.args.getlist(...) are ported")
    function = enclosing_function(call)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    positional, keywords = arguments(call)
    names = ["key", "default", "type"] if method == "get" else ["key", "type"]
    if len(positional) > len(names) or set(keywords) - set(names) or set(keywords) & set(names[: len(positional)]):
        raise NotPortable("arguments the port does not know")
    given = {**dict(zip(names, positional)), **keywords}
    try:
        key = literal(given.get("key"))
        default = literal(given["default"]) if "default" in given else None
    except ValueError:
        raise NotPortable("the key or default is not a literal") from None
    if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
        raise NotPortable("the key is not a Python name, so it cannot be a parameter name")
    type_name = given["type"].text() if "type" in given else "str"
    if type_name not in TYPES:
        raise NotPortable(f"type={type_name} is not a conversion FastAPI validates the same way")
    annotation = TYPES[type_name]
    if method == "getlist":
        text = f"{key}: Annotated[list[{annotation}], Query()] = []"
        file.use("typing", "Annotated")
        file.use("fastapi", "Query")
    elif default is None:
        text = f"{key}: {annotation} | None = None"
    elif type(default).__name__ == annotation:
        text = f"{key}: {annotation} = {json.dumps(default) if isinstance(default, str) else repr(default)}"
    else:
        raise NotPortable(f"the default {default!r} is not of the parameter's type {annotation}")
    signature = file.signature(function)
    parameters = function.field("parameters")
    existing = {p.text() for p in parameters.named_children() if p.kind() == "identifier"} if parameters else set()
    if key in existing or signature.added.get(key, text) != text:
        raise NotPortable(f"the view already has a parameter {key} (or reads the key with another default)")
    signature.added[key] = text
    if "type" in given and type_name != "str":  # said above the view, where the parameter now is
        file.todo(Site(site.code, function, site.advice), CONVERSION_DIFFERS)
    _replace_read(file, call, key)
    site.handled = True


def _replace_read(file: PortedFile, call, key: str) -> None:  # type: ignore[no-untyped-def]
    """`page = request.args.get("page", ...)` goes (the parameter is `page`); any other read becomes the name."""
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if (assignment is not None and assignment.kind() == "assignment" and statement is not None
            and statement.kind() == "expression_statement" and assignment.field("right") == call
            and assignment.field("left").text() == key and assignment.field("type") is None):
        file.delete_statement(statement)
    else:
        file.replace(call, key)
