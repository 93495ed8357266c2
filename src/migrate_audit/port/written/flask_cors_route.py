"""Flask-CORS's `@cross_origin()` (6.0) for one path operation of the ported FastAPI app: written by
`migrate-audit port`.

With its defaults (no arguments, no CORS_* config), Flask-CORS's decorator answers the route's OPTIONS itself,
with Flask's default OPTIONS response (200, empty, `Allow:` the methods of every rule of the path), and adds to
every answer of the route: `Access-Control-Allow-Origin` (the request's Origin echoed, or `*` without one), and
`Vary: Origin` when it echoed; to a preflight also `Access-Control-Allow-Headers` (the requested headers, sorted)
and `Access-Control-Allow-Methods` (every method) when the requested method is one of them. This decorator does
the same; the port adds OPTIONS to the path operation's methods, as Flask-CORS adds it to the rule's.

How the request reaches the decorator without Flask's request context: it keeps the view's signature
(`functools.wraps`) and adds one keyword-only parameter, `_cors_request: Request`, in `__signature__`, where
FastAPI reads a path operation's parameters; the wrapper takes it out before it calls the view.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.requests import Request
from starlette.routing import Match

_REQUEST = "_cors_request"
# Flask-CORS's ALL_METHODS, as its options serialize them (sorted, joined)
METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"


def _options_response(request: Request) -> Response:
    """Flask's make_default_options_response: 200, no body, Allow: the methods of the rules matching the path."""
    allowed: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE and getattr(route, "methods", None):
            allowed |= set(route.methods)
    answer = HTMLResponse(b"")
    answer.headers["Allow"] = ", ".join(sorted(allowed))
    return answer


def _cors_headers(request: Request) -> list[tuple[str, str]]:
    """flask_cors.core.get_cors_headers with the default options: origins `*` (a pattern), always_send."""
    origin = request.headers.get("Origin")
    headers = [("Access-Control-Allow-Origin", origin or "*")]
    if request.method == "OPTIONS":
        requested = request.headers.get("Access-Control-Request-Method", "").upper()
        if (
            requested and requested in METHODS
        ):  # Flask-CORS's own test: a substring of the joined methods
            asked = request.headers.get("Access-Control-Request-Headers")
            if asked:
                allowed = ", ".join(
                    sorted(header.strip() for header in asked.split(","))
                )
                if allowed:
                    headers.append(("Access-Control-Allow-Headers", allowed))
            headers.append(("Access-Control-Allow-Methods", METHODS))
    if (
        origin
    ):  # an echoed origin varies with the request (the `*` pattern counts as a regex)
        headers.append(("Vary", "Origin"))
    return headers


def _response(value: Any) -> Response:
    """What FastAPI would send for the view's return value, made now, so the headers can be added to it."""
    if isinstance(value, Response):
        return value
    return JSONResponse(jsonable_encoder(value))


def cross_origin() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def wrapped_async(*args: Any, **kwargs: Any) -> Response:
                request = kwargs.pop(_REQUEST)
                answer = (
                    _options_response(request)
                    if request.method == "OPTIONS"
                    else _response(await view(*args, **kwargs))
                )
                for key, value in _cors_headers(request):
                    answer.headers.append(key, value)
                return answer

            return _asking_for_the_request(wrapped_async, view)

        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Response:
            request = kwargs.pop(_REQUEST)
            answer = (
                _options_response(request)
                if request.method == "OPTIONS"
                else _response(view(*args, **kwargs))
            )
            for key, value in _cors_headers(request):
                answer.headers.append(key, value)
            return answer

        return _asking_for_the_request(wrapped, view)

    return decorator


def _asking_for_the_request(
    wrapper: Callable[..., Any], view: Callable[..., Any]
) -> Callable[..., Any]:
    """The view's signature and `_cors_request: Request` (keyword-only), where FastAPI reads it."""
    signature = inspect.signature(view)
    parameters = list(signature.parameters.values())
    at = next(
        (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
        len(parameters),
    )
    extra = inspect.Parameter(
        _REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request
    )
    wrapper.__signature__ = signature.replace(
        parameters=[*parameters[:at], extra, *parameters[at:]]
    )  # type: ignore[attr-defined]
    return wrapper
