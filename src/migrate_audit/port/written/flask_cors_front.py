"""The Flask app's own Flask-CORS for the routes FastAPI serves in front of it: written by `migrate-audit port` beside
main.py while the Flask app is mounted behind FastAPI (the strangler fig), for a `CORS(app, ...)` the app factory
gives its app.

Flask-CORS's `init_app` computes its options once, from its keywords, its `resources=` and the app's `CORS_*` config,
and registers `cors_after_request` (flask_cors/extension.py `make_after_request_function`): on every answer of the
app it matches the request's path against the resources and, for the first that matches, adds the
Access-Control-* and `Vary: Origin` headers its options give for the request's Origin, method and
Access-Control-Request-* headers, unless the answer has an Access-Control-Allow-Origin already. `FlaskCORSFront` runs
those very functions of the Flask app main.py mounts on what FastAPI's routes answer (main.py adds it only for the
requests a route of FastAPI answers itself: a preflight or another method of a moved route's path goes to the Flask
app, which still has its rule and answers as before), with Flask's request for that ASGI request bound while they
run, as Flask binds it when it runs its after_request functions; so every option, pattern and config key is
Flask-CORS's own decision, in the version installed. Nothing else of the Flask app runs: no request context is
pushed (no session opened, no teardown run).

Where it differs from the Flask route: an exception no handler answers is Starlette's 500 (ServerErrorMiddleware,
outside every middleware), which gets no CORS headers, where Flask-CORS also wrapped Flask's 500 page; and Flask-CORS
added its headers to an error handler's answer before the app's own after_request hooks ran (it wraps
handle_user_exception), here after them: the same headers, in another order.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from a2wsgi.wsgi import build_environ
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import Headers

try:  # where Flask's `request` proxy reads the request from (Flask 2.2 to 3.1)
    from flask.globals import _cv_request
except ImportError as missing:  # pragma: no cover - another Flask
    raise ImportError(
        "flask_cors_front binds Flask's request through flask.globals._cv_request, which this Flask has not"
    ) from missing

HOOK_MODULE = "flask_cors.extension"  # where Flask-CORS's cors_after_request is defined


def mounted_flask_app(app: Any) -> Any:
    """The Flask app mounted behind the FastAPI `app` (main.py's `app.mount("/", WSGIMiddleware(flask_app))`)."""
    for route in getattr(app, "routes", ()):
        inner = getattr(getattr(route, "app", None), "app", None)
        if isinstance(route, Mount) and hasattr(inner, "after_request_funcs"):
            return inner
    raise RuntimeError("no Flask app is mounted behind the FastAPI app")


def cors_hooks(flask_app: Any) -> list[Callable[[Any], Any]]:
    """Flask-CORS's after_request functions of the app, in the order Flask runs them (the last registered first)."""
    hooks = flask_app.after_request_funcs.get(None, [])
    return [
        hook
        for hook in reversed(hooks)
        if getattr(hook, "__module__", "") == HOOK_MODULE
        and getattr(hook, "__name__", "") == "cors_after_request"
    ]


class _Bound:
    """What Flask's `request` proxy reads while Flask-CORS's functions run: the request, and its app."""

    def __init__(self, flask_app: Any, request: Any) -> None:
        self.app, self.request = flask_app, request


class FlaskCORSFront:
    """ASGI middleware: the answers of FastAPI's routes with the headers the Flask app's own Flask-CORS gives."""

    def __init__(self, app: ASGIApp, flask_app: Any = None) -> None:
        self.app, self.flask_app = app, flask_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.flask_app is None:
            self.flask_app = mounted_flask_app(scope["app"])
        flask_app = self.flask_app

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                hooks = cors_hooks(flask_app)
                if hooks:
                    message = {
                        **message,
                        "headers": _with_headers(flask_app, scope, message, hooks),
                    }
            await send(message)

        await self.app(scope, receive, with_cors)


def _with_headers(
    flask_app: Any, scope: Scope, message: Message, hooks: list[Callable[[Any], Any]]
) -> list[tuple[bytes, bytes]]:
    """The response's headers once Flask-CORS's functions have run on it, as Flask runs them on its own answers."""
    request = flask_app.request_class(build_environ(scope, BytesIO()))  # type: ignore[arg-type]
    response = flask_app.response_class(status=message["status"])
    response.headers = Headers(
        [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in message.get("headers", [])
        ]
    )
    token = _cv_request.set(_Bound(flask_app, request))  # type: ignore[arg-type]
    try:
        for hook in hooks:
            response = hook(response)
    finally:
        _cv_request.reset(token)
    return [
        (k.lower().encode("latin-1"), v.encode("latin-1"))
        for k, v in response.headers.to_wsgi_list()
    ]
