"""Flask extensions with a Starlette counterpart that answers the same: Flask-CORS.

`CORS(app, origins=[...])` -> `app.add_middleware(CORSMiddleware, allow_origins=[...], allow_methods=["*"],
allow_headers=["*"])` (the cors-middleware proof): Flask-CORS allows every method and requested header by
default, Starlette only GET and a few safe headers, so both are written out. Only for a list of explicit
origins and no other option: with `*` Flask-CORS echoes the request's origin where Starlette sends `*`, and
its other options and CORS_* config keys have no one-to-one keyword. A preflight from an origin not allowed
is answered 400 by Starlette where Flask answered 200 without the CORS headers (browsers block both), and
Starlette adds `Access-Control-Max-Age: 600` to preflights: said in a TODO.
"""
from __future__ import annotations

from . import codes
from .edits import NotPortable, PortedFile, Site
from .routes import arguments, call_of

CORS_DIFFERS = ("A preflight from an origin not allowed is answered 400 by CORSMiddleware, where Flask-CORS let "
                "Flask answer 200 without CORS headers (browsers refuse both); preflights also get "
                "Access-Control-Max-Age: 600 (the cors-middleware proof documents this).")


def port_cors(file: PortedFile, site: Site, apps: set[str]) -> None:
    node = site.node
    if node.kind() == "expression_statement" and node.named_children():  # the call is the whole statement
        node = node.named_children()[0]
    call = node if node.kind() == "call" else call_of(node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "expression_statement" or \
            statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("CORS(...) is ported where it is a module-level statement of its own")
    if call.field("function").text() != "CORS":  # type: ignore[union-attr]
        raise NotPortable("not CORS(app, ...)")
    positional, keywords = arguments(call)
    if len(positional) != 1 or positional[0].kind() != "identifier" or positional[0].text() not in apps:
        raise NotPortable("CORS() not given this module's app")
    if set(keywords) != {"origins"}:
        raise NotPortable("CORS() options other than origins= have no one-to-one CORSMiddleware keyword")
    origins = keywords["origins"]
    if origins.kind() != "list" or not origins.named_children() or any(
            item.kind() != "string" or "*" in item.text() or item.text()[:1] not in "'\""
            for item in origins.named_children()):
        raise NotPortable("origins= is not a list of explicit origins (Flask-CORS echoes the origin for '*', and "
                          "reads other values as patterns)")
    if "CORS_" in file.text:
        raise NotPortable("CORS_* config keys change what Flask-CORS answers")
    file.use("fastapi.middleware.cors", "CORSMiddleware")
    app = positional[0].text()
    file.replace(call, f'{app}.add_middleware(CORSMiddleware, allow_origins={origins.text()}, allow_methods=["*"], '
                       'allow_headers=["*"])')
    file.todo(site, CORS_DIFFERS)
    site.handled = True
    for other in file.sites_of(codes.CORS_IMPORT):  # the import goes with the name (imports.py)
        if other.node.kind() in ("import_from_statement", "import_statement") or "import" in other.node.text():
            other.handled = True
