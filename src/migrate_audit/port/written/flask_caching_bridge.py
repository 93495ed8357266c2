"""Flask-Caching (2.5) for the ported FastAPI app: written by `migrate-audit port`.

`Cache(app, config={...})` with the in-process backends (`SimpleCache`, `NullCache`), over cachelib, the library
Flask-Caching's own backends are: the same store, thresholds and timeouts. `@cache.cached(timeout=...,
key_prefix=..., query_string=...)` caches what the view returns under Flask-Caching's key (`view/<path>`, with
the sorted query arguments hashed with SHA-256 when query_string=True), returns it again while it lasts, and
caches an HTTPException the view raises and raises it again, as Flask-Caching 2.5 does. `cache.get`, `set`,
`add`, `delete`, `has` and `clear` go to the store.

How the request reaches `cached` without Flask's request context: the decorator keeps the view's signature
(`functools.wraps`) and adds one keyword-only parameter, `_cache_request: Request`, in `__signature__`, where
FastAPI reads a path operation's parameters; the wrapper takes it out before it calls the view. It is a
coroutine function exactly when the view is one (Flask-Caching ran an async view through Flask's ensure_sync).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from typing import Any, Callable

from cachelib import NullCache, SimpleCache
from starlette.exceptions import HTTPException
from starlette.requests import Request

_REQUEST = "_cache_request"
BACKENDS = {"SimpleCache": SimpleCache, "NullCache": NullCache}


class Cache:
    """flask_caching.Cache with an in-process backend, given the FastAPI app (or nothing: init_app)."""

    def __init__(self, app: Any = None, config: dict[str, Any] | None = None) -> None:
        self.config = config
        self.cache: Any = None
        if app is not None:
            self.init_app(app, config)

    def init_app(self, app: Any, config: dict[str, Any] | None = None) -> None:
        settings = {**(self.config or {}), **(config or {})}
        kind = settings.get("CACHE_TYPE", "NullCache")
        if kind not in BACKENDS:
            raise ValueError(
                f"CACHE_TYPE {kind!r}: the bridge has only {', '.join(BACKENDS)}"
            )
        default = settings.get("CACHE_DEFAULT_TIMEOUT", 300)
        if kind == "SimpleCache":
            self.cache = SimpleCache(
                threshold=settings.get("CACHE_THRESHOLD", 500), default_timeout=default
            )
        else:
            self.cache = NullCache(default_timeout=default)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.cache.get(*args, **kwargs)

    def has(self, *args: Any, **kwargs: Any) -> bool:
        return self.cache.has(*args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self.cache.set(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self.cache.add(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self.cache.delete(*args, **kwargs)

    def clear(self) -> bool:
        return self.cache.clear()

    def cached(
        self,
        timeout: int | None = None,
        key_prefix: str = "view/%s",
        query_string: bool = False,
    ) -> Any:
        def key(request: Request) -> str:
            path = request.scope["path"]
            prefix = key_prefix % path if "%s" in key_prefix else key_prefix
            if not query_string:
                return prefix
            pairs = tuple(sorted(request.query_params.multi_items()))
            return prefix + hashlib.sha256(str(pairs).encode()).hexdigest()

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            if inspect.iscoroutinefunction(view):

                @functools.wraps(view)
                async def decorated_async(*args: Any, **kwargs: Any) -> Any:
                    cache_key = key(kwargs.pop(_REQUEST))
                    rv = self.get(cache_key)
                    if rv is None:
                        try:
                            rv = await view(*args, **kwargs)
                        except HTTPException as error:
                            rv = _Raised(error)
                        self.set(cache_key, rv, timeout=timeout)
                    if isinstance(rv, _Raised):
                        raise rv.error()
                    return rv

                return _asking_for_the_request(decorated_async, view)

            @functools.wraps(view)
            def decorated(*args: Any, **kwargs: Any) -> Any:
                cache_key = key(kwargs.pop(_REQUEST))
                rv = self.get(cache_key)
                if rv is None:
                    try:
                        rv = view(*args, **kwargs)
                    except HTTPException as error:
                        rv = _Raised(error)
                    self.set(cache_key, rv, timeout=timeout)
                if isinstance(rv, _Raised):
                    raise rv.error()
                return rv

            return _asking_for_the_request(decorated, view)

        return decorator


class _Raised:
    """An HTTPException the view raised, as the store keeps it (Starlette's does not unpickle: its arguments are
    not the exception's args), raised again on a hit as Flask-Caching raises the one it kept."""

    def __init__(self, error: HTTPException) -> None:
        self.kind = type(error)
        self.status_code = error.status_code
        self.detail = error.detail
        self.headers = error.headers

    def error(self) -> HTTPException:
        return self.kind(
            status_code=self.status_code, detail=self.detail, headers=self.headers
        )


def _asking_for_the_request(
    wrapper: Callable[..., Any], view: Callable[..., Any]
) -> Callable[..., Any]:
    """The view's signature and `_cache_request: Request` (keyword-only), where FastAPI reads it."""
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
