"""Flask-Limiter's `@limiter.limit("...")` (4.1) for the ported FastAPI app: written by `migrate-audit port`.

Over `limits`, the library Flask-Limiter counts with (the same strategies and storage, `memory://`): each request to
a decorated view hits its limits, the shortest window first, keyed by the client's address and the view, and stops
at the first one exceeded (Flask-Limiter's defaults), which is answered with Werkzeug's 429 page
(`<p>2 per 1 minute</p>`) instead of the view. With `headers_enabled=True`, every answer of the view, the 429 and
an HTTPException the view raises included, gets `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`
and `Retry-After` as Flask-Limiter's after_request hook sets them.

How the request reaches the decorator without Flask's request context: it keeps the view's signature
(`functools.wraps`) and adds one keyword-only parameter, `_limiter_request: Request`, in `__signature__`, where
FastAPI reads a path operation's parameters; the wrapper takes it out before it calls the view. It is a
coroutine function exactly when the view is one. Not here (the port keeps Flask-Limiter where a module uses
them): default, application and meta limits, the limit's own options (key_func, per_method, exempt_when...),
other key functions, RATELIMIT_* config keys; the headers on a 500 (Starlette answers it outside the route).
"""

from __future__ import annotations

import functools
import inspect
import time
from typing import Any, Callable

from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES
from starlette.exceptions import HTTPException
from starlette.requests import Request

_REQUEST = "_limiter_request"


def get_remote_address(request: Request) -> str:
    """flask_limiter.util.get_remote_address: the client's address (127.0.0.1 when there is none)."""
    return (request.client.host if request.client else None) or "127.0.0.1"


def _too_many_requests(description: str) -> HTMLResponse:
    """Werkzeug's TooManyRequests page, with the limit as its description (HTML-escaped as Werkzeug does)."""
    escaped = (
        description.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
    return HTMLResponse(
        "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n"
        f"<h1>Too Many Requests</h1>\n<p>{escaped}</p>\n",
        status_code=429,
    )


class Limiter:
    """flask_limiter.Limiter with `get_remote_address`, given the FastAPI app (which it needs nothing of)."""

    def __init__(
        self,
        key_func: Callable[[Request], str],
        app: Any = None,
        storage_uri: str = "memory://",
        headers_enabled: bool = False,
        strategy: str = "fixed-window",
    ) -> None:
        self.key_func = key_func
        self.headers_enabled = headers_enabled
        self.limiter = STRATEGIES[strategy](storage_from_string(storage_uri))

    def _headers(self, limit: RateLimitItem, args: list[str]) -> list[tuple[str, str]]:
        reset_time, remaining = self.limiter.get_window_stats(limit, *args)
        reset_at = int(reset_time + 1)
        return [
            ("X-RateLimit-Limit", str(limit.amount)),
            ("X-RateLimit-Remaining", str(remaining)),
            ("X-RateLimit-Reset", str(reset_at)),
            ("Retry-After", str(int(reset_at - time.time()))),
        ]

    def _check(
        self, request: Request, items: list[RateLimitItem], scope: str
    ) -> tuple[Any, Any]:
        """(the 429 answer or None, the limit and keys the headers tell of)."""
        args = [self.key_func(request), scope]
        header = None
        for item in items:
            if header is None:
                header = (item, args)
            if not self.limiter.hit(item, *args):
                return _too_many_requests(str(item)), (item, args)
        return None, header

    def _finish(self, answer: Any, header: Any) -> Any:
        if not self.headers_enabled or header is None:
            return answer
        if not isinstance(answer, Response):
            # what FastAPI would send for the value
            answer = JSONResponse(jsonable_encoder(answer))
        for key, value in self._headers(*header):
            if key == "Retry-After":
                answer.headers[key] = value
            else:
                answer.headers.append(key, value)
        return answer

    def _raised(self, error: HTTPException, header: Any) -> HTTPException:
        if self.headers_enabled and header is not None:
            error.headers = {**(error.headers or {}), **dict(self._headers(*header))}
        return error

    def limit(
        self, limit_value: str
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        # the shortest window first, as Flask-Limiter sorts them
        items = sorted(parse_many(limit_value))

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            scope = f"{view.__module__}.{view.__qualname__}"
            if inspect.iscoroutinefunction(view):

                @functools.wraps(view)
                async def limited_async(*args: Any, **kwargs: Any) -> Any:
                    refused, header = self._check(kwargs.pop(_REQUEST), items, scope)
                    if refused is not None:
                        return self._finish(refused, header)
                    try:
                        return self._finish(await view(*args, **kwargs), header)
                    except HTTPException as error:
                        raise self._raised(error, header) from None

                return _asking_for_the_request(limited_async, view)

            @functools.wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                refused, header = self._check(kwargs.pop(_REQUEST), items, scope)
                if refused is not None:
                    return self._finish(refused, header)
                try:
                    return self._finish(view(*args, **kwargs), header)
                except HTTPException as error:
                    raise self._raised(error, header) from None

            return _asking_for_the_request(limited, view)

        return decorator


def _asking_for_the_request(
    wrapper: Callable[..., Any], view: Callable[..., Any]
) -> Callable[..., Any]:
    """The view's signature and `_limiter_request: Request` (keyword-only), where FastAPI reads it."""
    signature = inspect.signature(view)
    parameters = list(signature.parameters.values())
    at = next(
        (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
        len(parameters),
    )
    extra = inspect.Parameter(
        _REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request
    )
    parameters = [*parameters[:at], extra, *parameters[at:]]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper
