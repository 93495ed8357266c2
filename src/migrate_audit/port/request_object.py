"""Reads of Flask's `request` that Starlette's `Request` answers the same: the view takes `request: Request`.

- `request.headers.get(name[, default])`, `request.cookies.get(name[, default])` and `name in
  request.headers` keep their text: Starlette's headers are case-insensitive like Werkzeug's, and both
  give the first value and the default when the header or cookie is missing (the request-headers-cookies
  proof). `request.headers[name]` keeps its text: a missing header is a KeyError, a 500, in both (Werkzeug
  3.1's EnvironHeaders raises a plain KeyError, whatever its docstring says). `request.cookies[name]`
  becomes `werkzeug_item(...)`, written into the module: a missing cookie answered 400 in Flask (a
  MultiDict's BadRequestKeyError), where Starlette's KeyError would be a 500.
- the URL and client attributes under Starlette's names, as the request-url-and-client proof ports them:
  `url` -> `str(request.url)`, `base_url` -> the URL without its query (Starlette's `base_url` is the app
  root), `url_root` -> `str(request.base_url)`, `path` -> `request.url.path`, `full_path` -> the path, `?`
  and the query (Flask's ends with `?` when there is none), `host` -> `request.url.netloc`, `scheme`,
  `is_secure`, `method`, `remote_addr` -> the client's host (None without one, as Flask's), `query_string` (the
  raw bytes), `content_type` and `mimetype` from the header; and of the parsed headers, `referrer` and
  `origin`, which Werkzeug gives as the header's value; the quality-ranked `accept_mimetypes`,
  `accept_languages`, `accept_charsets` and `accept_encodings` through Werkzeug's own parser
  (`werkzeug.http.parse_accept_header`, used as a library), which is what Werkzeug's Request calls.

A view converts its reads only together: the parameter hides Flask's `request` in the whole view, so every
use of the name there must be one the port rewrites (or `request.method`, the same in both).
"""
from __future__ import annotations

from ast_grep_py import SgNode

from . import codes
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import arguments, call_of, define_standalone
from ..scopes import span

# The attributes whose Starlette spelling answers what Flask's did; `{q}` is a quote the enclosing
# string does not use (Python 3.11 refuses the same quote inside an f-string's braces).
_ATTRIBUTES = {
    "url": "str(request.url)",
    "base_url": "str(request.url.replace(query={q}{q}))",
    "url_root": "str(request.base_url)",
    "path": "request.url.path",
    "full_path": "(request.url.path + {q}?{q} + request.url.query)",
    "host": "request.url.netloc",
    "scheme": "request.url.scheme",
    "is_secure": "(request.url.scheme == {q}https{q})",
    "method": "request.method",
    "remote_addr": "(request.client.host if request.client else None)",
    "host_url": "str(request.base_url)",
    "query_string": "request.scope[{q}query_string{q}]",  # the raw bytes, as Werkzeug's
    "content_type": "request.headers.get({q}content-type{q})",
    # Werkzeug's mimetype: the content type without its parameters, lowercased, "" when there is none
    "mimetype": "request.headers.get({q}content-type{q}, {q}{q}).partition({q};{q})[0].strip().lower()",
    # parsed headers (FMA209) that are the plain header: Werkzeug's referrer and origin are its value or None
    "referrer": "request.headers.get({q}referer{q})",
    "origin": "request.headers.get({q}origin{q})",
    # the quality-ranked ones: Werkzeug's own parser, as its Request calls it (werkzeug/sansio/request.py), so
    # `best_match`, `quality` and `in` answer as before
    "accept_mimetypes": "parse_accept_header(request.headers.get({q}accept{q}), MIMEAccept)",
    "accept_languages": "parse_accept_header(request.headers.get({q}accept-language{q}), LanguageAccept)",
    "accept_charsets": "parse_accept_header(request.headers.get({q}accept-charset{q}), CharsetAccept)",
    "accept_encodings": "parse_accept_header(request.headers.get({q}accept-encoding{q}), Accept)",
}
# What those expressions import: (module, name) per attribute.
_IMPORTS = {"accept_mimetypes": "MIMEAccept", "accept_languages": "LanguageAccept",
            "accept_charsets": "CharsetAccept", "accept_encodings": "Accept"}
# Where an expression needs no parentheses of its own.
_BARE = frozenset({"pair", "argument_list", "return_statement", "assignment", "interpolation", "keyword_argument",
                   "expression_statement", "parenthesized_expression", "list", "tuple", "expression_list"})
_SAME = frozenset({"method"})  # attributes read as they are, not flagged as a rule of their own
# FMA103, a view branching on `request.method`: Starlette's Request has the same method (HEAD on a GET route
# included), so the branch answers as before once the view takes the Request.
CODES = (codes.HEADERS, codes.CLIENT, codes.PARSED, codes.METHOD_BRANCH)
# `request.cookies[name]`: Werkzeug raised BadRequestKeyError (400) for a missing cookie, Starlette a KeyError (500).
_ITEM = "[]"
ITEM_HELPER = "werkzeug_item"
ITEM_HELPER_TEXT = '''
def werkzeug_item(values: Any, key: str) -> str:
    """request.cookies[key] as Werkzeug read it: the value, or 400 Bad Request (Werkzeug's BadRequestKeyError)
    when there is none."""
    if key not in values:
        raise HTTPException(status_code=400, detail=f"Bad Request: {key!r}")
    return values[key]
'''


def port_request_reads(file: PortedFile, contexts: dict[int, SgNode]) -> None:
    """Rewrite the header, cookie, URL and client reads of the functions in `contexts` (ported views, and
    the hooks and handlers the port converts, by their start), each function all or nothing."""
    by_function: dict[int, list[Site]] = {}
    for code in CODES:
        for site in file.sites_of(code):
            function = enclosing_function(site.node)
            start = span(function)[0] if function is not None else -1
            by_function.setdefault(start, []).append(site)
    # a function reading only `request.method` of Flask's request (in a dict, an f-string: no finding, as it reads
    # the same on Starlette's), whose other reads the port made parameters: it takes the Request too, or its
    # `request` would be Flask's, outside any request context
    if file.bound.get("request") == "flask":
        for start, function in contexts.items():
            if start not in by_function and any(_reads_same(node) for node in function.find_all(kind="identifier")
                                                if node.text() == "request"):
                by_function[start] = []
    for start, sites in by_function.items():
        try:
            if start not in contexts:
                raise NotPortable("outside a ported view function")
            function = contexts[start]
            plans = [(site, _rewrite(site)) for site in sites]
            _only_these(file, function, sites)
            parameters = function.field("parameters")
            if parameters is not None and any(p.text() == "request" for p in parameters.find_all(kind="identifier")):
                raise NotPortable("the view already has a parameter named request")
            file.use("fastapi", "Request")  # NotPortable when the module binds Request to another class
        except NotPortable as reason:
            for site in sites:
                site.reason = site.reason or str(reason)
                file.todo(site, f"{site.advice} (not ported: {reason})")
            continue
        for site, text in plans:
            attribute = site.node.field("attribute").text() if site.node.kind() == "attribute" else ""  # type: ignore[union-attr]
            if attribute in _IMPORTS:
                file.use("werkzeug.http", "parse_accept_header")
                file.use("werkzeug.datastructures", _IMPORTS[attribute])
            if text == _ITEM:
                subscript = site.node.parent()
                key = file.rendered(subscript.field("subscript"))  # type: ignore[union-attr,arg-type]
                file.use("fastapi", "HTTPException")
                file.use("typing", "Any")
                define_standalone(file, ITEM_HELPER, ITEM_HELPER_TEXT)
                file.replace(subscript, f"{ITEM_HELPER}({site.node.text()}, {key})")  # type: ignore[arg-type]
            elif text is not None:
                file.replace(site.node, text)
            site.handled = True
        # every use of the name is rewritten or reads the same on Starlette's Request (`request.method`, which
        # a branching finding, FMA103, may still point at): the parameter goes in
        file.signature(function).added["request"] = "request: Request"


def _reads_same(node: SgNode) -> bool:
    """True for `request` in `request.method` (an attribute Starlette's Request reads the same)."""
    parent = node.parent()
    return parent is not None and parent.kind() == "attribute" and parent.field("object") == node and \
        parent.field("attribute").text() in _SAME  # type: ignore[union-attr]


def _rewrite(site: Site) -> str | None:
    """The site's new text (None: it stays as it is); NotPortable when Starlette answers otherwise."""
    node = site.node
    if node.kind() != "attribute" or node.field("object").text() != "request":  # type: ignore[union-attr]
        raise NotPortable("not a read of an attribute of request")
    attribute = node.field("attribute").text()  # type: ignore[union-attr]
    if site.code == codes.HEADERS:
        parent = node.parent()
        if parent is not None and parent.kind() == "comparison_operator" and \
                parent.named_children()[-1] == node and len(parent.named_children()) == 2 and \
                any(child.text() == "in" for child in parent.children()):
            return None
        if parent is not None and parent.kind() == "subscript" and parent.field("value") == node:
            assigned = parent.parent()
            if assigned is not None and assigned.kind() in ("assignment", "augmented_assignment", "delete_statement") \
                    and assigned.field("left") in (parent, None):
                raise NotPortable(f"request.{attribute} is changed here, which Werkzeug refused")
            # Werkzeug 3.1's EnvironHeaders raises a plain KeyError for a missing header (a 500), as Starlette's
            # headers do; its cookies, a MultiDict, raise BadRequestKeyError (a 400): werkzeug_item
            return None if attribute == "headers" else _ITEM
        call = call_of(parent) if parent is not None and parent.kind() == "attribute" else None
        if call is None or parent.field("attribute").text() != "get":  # type: ignore[union-attr]
            raise NotPortable(f"only request.{attribute}.get(name[, default]) and [name] reads are ported")
        positional, keywords = arguments(call)
        if keywords or not 1 <= len(positional) <= 2:
            raise NotPortable(f"request.{attribute}.get() with type= or other options Starlette has not")
        return None
    if attribute not in _ATTRIBUTES:
        raise NotPortable(f"request.{attribute} is not ported yet")
    text = _ATTRIBUTES[attribute].format(q=_free_quote(node))
    parent = node.parent()
    if text.startswith("(") and parent is not None and parent.kind() in _BARE:
        text = text[1:-1]
    return text


def _free_quote(node: SgNode) -> str:
    """A quote character the string `node` is interpolated in does not use (`"` outside strings)."""
    current = node.parent()
    while current is not None and current.kind() != "string":
        current = current.parent()
    if current is None:
        return '"'
    opening = current.text().lstrip("rRbBfFuU")[:1]
    return "'" if opening == '"' else '"'


def _only_these(file: PortedFile, function: SgNode, sites: list[Site]) -> None:
    """NotPortable when the view uses the name `request` anywhere but in the reads being ported, the ones
    already ported, and `request.method`: the new parameter would change what those uses see."""
    covered = [span(site.node) for site in sites] + [span(s.node) for s in file.sites_in(function) if s.handled]
    for node in function.find_all(kind="identifier"):
        if node.text() != "request":
            continue
        parent = node.parent()
        if parent is not None and parent.kind() == "attribute" and parent.field("object") == node and \
                parent.field("attribute").text() in _SAME:  # type: ignore[union-attr]
            continue
        if parent is not None and parent.kind() == "attribute" and parent.field("attribute") == node:
            continue  # `x.request`: another object's attribute
        start, end = span(node)
        if not any(a <= start and end <= b for a, b in covered):
            line = node.range().start.line + 1
            raise NotPortable(f"the view also uses Flask's request otherwise (line {line}), which a "
                              "`request: Request` parameter would change")
