"""Werkzeug's answers where FastAPI's router would answer itself (migrate-audit port).

Flask answers `OPTIONS` on every route (200, an `Allow` header of the URL's methods), a
method the URL does not take with 405 and the `Allow` of every rule of the URL, a URL
missing the trailing slash of its rule with a 308 redirect to it (and 404 for a slash
its rule has not), all with Werkzeug's HTML pages. FastAPI's router answers 405 for the
first, 405 with one path operation's methods and a JSON body for the second, 307 for the
third, and redirects the fourth. `werkzeug_routing(app)` puts this middleware in front
of the FastAPI app and turns off its slash redirects; the requests a route matches
fully, and every request a mounted app (the Flask app of a strangler's main.py) takes,
pass through untouched. Where the project registered its own handler for the status (the
ported `@app.errorhandler(404)` or `(405)`), the router's exception reaches it as
before.
"""

from __future__ import annotations

from typing import Any

from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response as WerkzeugResponse


def werkzeug_routing(app: Any, behind: Any = None) -> None:
    """Answer `app`'s routing errors as Werkzeug did (call it once, before the app
    serves). `behind`: the Flask app mounted behind `app` (a strangler's main.py),
    asked whether it has a rule for a URL FastAPI's routes have and it mounts."""
    app.router.redirect_slashes = False
    app.add_middleware(WerkzeugRouting, behind=behind)


class WerkzeugRouting:
    def __init__(self, app: ASGIApp, behind: Any = None) -> None:
        self.app, self.behind = app, behind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = _answer(scope, self.behind)
        if answer is None:
            await self.app(scope, receive, send)
            return
        await _send(answer, send, scope["method"] == "HEAD")


# the methods a route may take, asked of each route (FastAPI's included routers
# answer `matches` for their routes)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def _match(routes: list[Any], scope: Scope) -> tuple[str | None, bool]:
    """What takes the request, in the router's order: "full" (a route), "mount" (a
    mounted app) or None; and whether a route before it has the path, not the
    method."""
    partial = False
    for route in routes:
        match, _ = route.matches(dict(scope))
        if match == Match.NONE:
            continue
        if isinstance(route, Mount):
            return "mount", partial
        if match == Match.FULL:
            return "full", partial
        partial = True
    return None, partial


def _behind_has(behind: Any, scope: Scope, path: str) -> bool:
    """True when the Flask app has a rule for `path` (for any method, or one it
    redirects), so that it answers the request itself as before."""
    headers = dict(scope.get("headers") or [])
    adapter = behind.url_map.bind(
        headers.get(b"host", b"localhost").decode("latin-1"),
        script_name=scope.get("root_path") or None,
        url_scheme=scope.get("scheme", "http"),
    )
    try:
        adapter.match(path, method=scope["method"])
    except NotFound:
        return False
    except Exception:  # MethodNotAllowed, RequestRedirect: Flask's own answers
        return True
    return True


def _answer(scope: Scope, behind: Any = None) -> WerkzeugResponse | None:
    app = scope.get("app")
    if app is None:
        return None
    routes, path = app.routes, scope["path"]
    found, partial = _match(routes, scope)
    if (
        found == "full"
        or found == "mount"
        and (behind is None or _behind_has(behind, scope, path))
    ):
        return None
    handlers = getattr(app, "exception_handlers", {})
    if (
        handlers.get(HTTPException, http_exception_handler)
        is not http_exception_handler
    ):
        # the project's own handler of every HTTP error takes the router's too
        handlers = {404: True, 405: True}
    if partial:  # the path is a route's, not for this method
        allowed = {
            m for m in METHODS if _match(routes, dict(scope, method=m))[0] == "full"
        }
        allowed |= {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set())
        if scope["method"] == "OPTIONS":
            response = WerkzeugResponse(mimetype="text/html")
            response.allow.update(sorted(allowed))
            return response
        if 405 in handlers:
            return None
        return MethodNotAllowed(valid_methods=sorted(allowed)).get_response()
    slashed = (
        None if path.endswith("/") else _match(routes, dict(scope, path=path + "/"))
    )
    if slashed is not None and (slashed[1] or slashed[0] == "full"):
        raw = (scope.get("raw_path") or path.encode("utf-8")).decode("latin-1")
        return RequestRedirect(_url(scope, raw + "/")).get_response()
    if found == "mount":  # the Flask app has no rule for it either: its 404, as before
        return None
    return None if 404 in handlers else NotFound().get_response()


def _url(scope: Scope, path: str) -> str:
    """The absolute URL Werkzeug redirects to: the request's scheme and host, the
    root path, the query string."""
    headers = dict(scope.get("headers") or [])
    host = headers.get(b"host", b"").decode("latin-1")
    if not host and scope.get("server"):
        name, port = scope["server"]
        default = {"http": 80, "https": 443}.get(scope.get("scheme", "http"))
        host = name if port in (None, default) else f"{name}:{port}"
    query = scope.get("query_string", b"").decode("latin-1")
    url = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{path}"
    return f"{url}?{query}" if query else url


async def _send(response: WerkzeugResponse, send: Send, head: bool) -> None:
    body = b"" if head else response.get_data()
    headers = [
        (key.lower().encode("latin-1"), value.encode("latin-1"))
        for key, value in response.headers.items()
    ]
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": headers,
        }
    )
    await send({"type": "http.response.body", "body": body})
