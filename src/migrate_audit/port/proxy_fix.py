"""`app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)` -> the same header handling, as ASGI middleware.

Werkzeug's ProxyFix (werkzeug/middleware/proxy_fix.py, 3.1) rewrites the WSGI environ before Flask sees it: for
each `x_*` count it trusts, it takes the value that many entries from the right of the matching `X-Forwarded-*`
header (parsed with `parse_list_header`; nothing when the header has fewer entries) and sets `REMOTE_ADDR`
(`x_for`), `wsgi.url_scheme` (`x_proto`), `HTTP_HOST` and `SERVER_NAME`/`SERVER_PORT` (`x_host`), the port of
`HTTP_HOST` and `SERVER_PORT` (`x_port`). The written `WerkzeugProxyFix` does the same to the ASGI scope of an
HTTP request: `client`, `scheme`, the `host` header and `server`, which Starlette's `request.client`,
`request.url` and `url_for` read as Flask read the environ. Headers sent several times are joined with ",", as
a WSGI server joins them. Werkzeug stays a library here (its header parser), as elsewhere in the port.

uvicorn's `--proxy-headers` is not the same: it trusts by the proxy's address, not by a count of entries
(the proxy-fix proof case shows both), so the written middleware keeps the app's own rule and whoever serves
it should leave uvicorn's off (`--no-proxy-headers`), which a comment says.

Ported only when it is the outermost layer, as ProxyFix was around all of Flask: a statement at the top of the
module or of the app factory that makes the app, on that app, with literal integer counts, `x_prefix` left at 0 (`SCRIPT_NAME` has no faithful
`root_path` counterpart here), and no middleware the module adds after it (Starlette wraps each one added
around the ones before).
"""
from __future__ import annotations

import re

from ..rules.application import WSGI_MIDDLEWARE
from . import in_front
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments

MIDDLEWARE = "WerkzeugProxyFix"
COUNTS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")
_ADDED = re.compile(r"\.(?:add_middleware|middleware)\(")
MIDDLEWARE_TEXT = f'''class {MIDDLEWARE}:
    """Werkzeug's ProxyFix over the ASGI scope: the values `x_*` entries from the right of X-Forwarded-*."""

    def __init__(
        self,
        app: Any,
        x_for: int = 1,
        x_proto: int = 1,
        x_host: int = 0,
        x_port: int = 0,
    ) -> None:
        self.app, self.x_for, self.x_proto, self.x_host, self.x_port = (
            app,
            x_for,
            x_proto,
            x_host,
            x_port,
        )

    @staticmethod
    def _real(trusted: int, value: str | None) -> str | None:
        if not (trusted and value):
            return None
        values = parse_list_header(value)
        return values[-trusted] if len(values) >= trusted else None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {{}}
        for key, value in scope["headers"]:
            name = key.decode("latin-1").lower()
            headers[name] = (
                headers[name] + "," + value.decode("latin-1")
                if name in headers
                else value.decode("latin-1")
            )
        scope = dict(scope)
        x_for = self._real(self.x_for, headers.get("x-forwarded-for"))
        if x_for:
            scope["client"] = (x_for, scope["client"][1] if scope.get("client") else 0)
        x_proto = self._real(self.x_proto, headers.get("x-forwarded-proto"))
        if x_proto:
            scope["scheme"] = x_proto
        host, server = headers.get("host"), scope.get("server") or (None, None)
        x_host = self._real(self.x_host, headers.get("x-forwarded-host"))
        if x_host:
            host = x_host
            server = (
                tuple(x_host.rsplit(":", 1))
                if ":" in x_host and not x_host.endswith("]")
                else (x_host, server[1])
            )
        x_port = self._real(self.x_port, headers.get("x-forwarded-port"))
        if x_port:
            if host:
                host = (
                    (
                        host.rsplit(":", 1)[0]
                        if ":" in host and not host.endswith("]")
                        else host
                    )
                    + ":"
                    + x_port
                )
            server = (server[0], x_port)
        if x_host or x_port:
            scope["headers"] = [
                (k, v) for k, v in scope["headers"] if k.lower() != b"host"
            ]
            if host:
                scope["headers"].append((b"host", host.encode("latin-1")))
            if server[0] is not None:
                scope["server"] = (
                    server[0],
                    int(server[1]) if str(server[1] or "").isdigit() else server[1],
                )
        await self.app(scope, receive, send)
'''


def port_proxy_fix(file: PortedFile, apps: set[str]) -> None:
    """Each `app.wsgi_app = ProxyFix(app.wsgi_app, ...)` -> `app.add_middleware(WerkzeugProxyFix, ...)`, or its
    TODO with why not."""
    for site in file.sites_of(WSGI_MIDDLEWARE.code):
        try:
            _port(file, site, apps)
        except NotPortable as reason:
            site.reason = site.reason or str(reason)
            file.todo(site, f"{site.advice} (not ported: {reason})")


def _port(file: PortedFile, site: Site, apps: set[str]) -> None:
    assignment = site.node
    if assignment.kind() == "expression_statement" and assignment.named_children():
        assignment = assignment.named_children()[0]  # the finding spans the statement, which is the assignment
    left, right = assignment.field("left"), assignment.field("right")
    statement = assignment.parent()
    if assignment.kind() != "assignment" or left is None or right is None or right.kind() != "call":
        raise NotPortable("not an assignment of a call to app.wsgi_app")
    owner = left.field("object") if left.kind() == "attribute" else None
    if owner is None or owner.text() not in apps:
        raise NotPortable(f"{left.text()} is not the wsgi_app of the app this module makes")
    app = owner.text()
    if file.bound.get(right.field("function").text()) != "werkzeug.middleware.proxy_fix":  # type: ignore[union-attr]
        raise NotPortable("the middleware is not Werkzeug's ProxyFix, which has no ASGI version here")
    from .hooks import in_factory_body

    if statement is None or statement.kind() != "expression_statement" or statement.parent() is None \
            or statement.parent().kind() != "module" and not in_factory_body(file, statement, app):  # type: ignore[union-attr]
        raise NotPortable("ProxyFix is applied outside the top of the module or of the app factory that makes the app")
    positional, keywords = arguments(right)
    if len(positional) != 1 or positional[0].text() != f"{app}.wsgi_app" or set(keywords) - set(COUNTS):
        raise NotPortable("ProxyFix wraps something else than the app's wsgi_app, or takes other arguments")
    counts = {}
    for name, node in keywords.items():
        try:
            value = literal(node)
        except ValueError:
            raise NotPortable(f"{name} is not a literal count") from None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise NotPortable(f"{name}={value!r} is not a count")
        counts[name] = value
    if counts.get("x_prefix"):
        raise NotPortable("x_prefix sets SCRIPT_NAME, which the port does not carry over to the ASGI root_path")
    counts.pop("x_prefix", None)
    given = "".join(f", {name}={value}" for name, value in counts.items())  # the class's defaults are ProxyFix's
    indent = file.text[file.line_start(statement.range().start.index):statement.range().start.index]
    file.replace(statement, f"# ProxyFix's rule: serve it without uvicorn's own (--no-proxy-headers)\n"
                            f"{indent}{app}.add_middleware({MIDDLEWARE}{given})")
    # while the app stays Flask, main.py puts the same rule outermost around the routes FastAPI serves (in_front.py),
    # whatever the module adds after it
    in_front.record(file, statement, in_front.PROXY_FIX, MIDDLEWARE, [f"{name}={value}" for name, value in counts.items()],
                    {"typing": {"Any"}, "werkzeug.http": {"parse_list_header"}}, f"\n\n{MIDDLEWARE_TEXT}",
                    module="werkzeug.middleware.proxy_fix")
    text = file.rendered(file.root)
    mine = text.find(f"{app}.add_middleware({MIDDLEWARE}")
    if _ADDED.search(text, text.find("\n", mine) if mine >= 0 else 0):
        file.replace(statement, statement.text())
        raise NotPortable(in_front.ADDED_AFTER)
    file.use("typing", "Any")
    file.use("werkzeug.http", "parse_list_header")
    file.definitions[MIDDLEWARE] = MIDDLEWARE_TEXT
    site.handled = True
    _drop_import(file, right.field("function").text())  # type: ignore[union-attr]


def _drop_import(file: PortedFile, name: str) -> None:
    """`from werkzeug.middleware.proxy_fix import ProxyFix` goes when nothing else in the module names it (imports.py
    drops Flask's own imports; this one is Werkzeug's middleware, used only where it wrapped the app)."""
    uses = [n for n in file.root.find_all(kind="identifier") if n.text() == name]
    for statement in file.root.children():
        if statement.kind() != "import_from_statement" or \
                statement.field("module_name").text() != "werkzeug.middleware.proxy_fix":  # type: ignore[union-attr]
            continue
        names = statement.named_children()[1:]
        if len(uses) == 2 and len(names) == 1 and names[0].text() == name:  # the import and the wrapping call
            file.delete_statement(statement)
