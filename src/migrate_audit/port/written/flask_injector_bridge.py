"""Flask-Injector's wiring for FastAPI (written by `migrate-audit port`): the same `injector.Injector` with the same
modules, and a FastAPI dependency per argument a view received from it.

Flask-Injector (0.15) calls every typed view through `injector.call_with_injection`: each annotated parameter that
is not a URL value is `injector.get(its type)`. `Injected(T)` is that `injector.get(T)`, as a dependency, from the
injector of the app serving the request (`request.app.state.injector`). The scopes are the injector's: a singleton
is one object for the injector's life; Flask-Injector's request scope (`flask_injector.request`, its RequestScope
keeping one object per binding from `before_request` to `teardown_request`) is one object per binding per request,
here from the first argument of the request that needs it to the response (`request`, RequestScope below).

`FlaskInjector(app=app, modules=[...])` on a FastAPI app makes the injector as Flask-Injector does (a new
`Injector()` unless one is given, each module installed in order) and puts it on `app.state.injector`; and
`injector_of(flask_app)` finds the injector Flask-Injector made for a Flask app the FastAPI app stands in front of
(the strangler phase: both serve requests with the one injector, its singletons shared), by the before-request
function Flask-Injector installed on the app. Not carried over: Flask-Injector's bindings of `flask.Flask`,
`flask.Config` and `flask.Request` (a ported view asking for them keeps its TODO), its wrapping of hooks,
error handlers and template globals, and its request scope outside a request (Flask-Injector's answers there with
the objects of the scope it opened when it was made; the bridge's raises RuntimeError).
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from typing import Any, Iterable

from fastapi import Depends, Request
from injector import Injector, Provider, Scope, ScopeDecorator

__all__ = ["FlaskInjector", "Injected", "RequestScope", "injector_of", "request"]

# the request-scoped objects of the request being answered, by binding key (one dict per request)
_current: ContextVar[dict[Any, Any] | None] = ContextVar(
    "flask_injector_request_scope", default=None
)


class _Cached(Provider):
    """Flask-Injector's CachedProviderWrapper: the first object the provider gives, for the rest of the request."""

    def __init__(self, provider: Provider) -> None:
        self._provider, self._made = provider, False
        self._value: Any = None

    def get(self, injector: Injector) -> Any:
        if not self._made:
            self._value, self._made = self._provider.get(injector), True
        return self._value


class RequestScope(Scope):
    """One object per binding per request, as Flask-Injector's RequestScope."""

    def get(self, key: Any, provider: Provider) -> Provider:
        values = _current.get()
        if values is None:
            raise RuntimeError(
                f"{key!r} is request-scoped and no request is being answered"
            )
        if key not in values:
            values[key] = _Cached(provider)
        return values[key]


request = ScopeDecorator(RequestScope)


class FlaskInjector:
    """`FlaskInjector(app=app, modules=[...])`: the injector made and installed as Flask-Injector does, on a FastAPI
    app's state."""

    def __init__(
        self, app: Any, modules: Iterable[Any] = (), injector: Injector | None = None
    ) -> None:
        injector = injector or Injector()
        for module in list(modules):
            injector.binder.install(module)
        app.state.injector = injector
        self.injector, self.app = injector, app


def injector_of(flask_app: Any) -> Injector:
    """The injector FlaskInjector(app=flask_app, ...) made: its before-request function (the first, which prepares
    the request scope) holds it."""
    for function in flask_app.before_request_funcs.get(None, ()):
        if (
            getattr(function, "__module__", "") == "flask_injector"
            and function.__closure__
        ):
            for cell in function.__closure__:
                if isinstance(cell.cell_contents, Injector):
                    return cell.cell_contents
    raise LookupError("no FlaskInjector(app=...) on this Flask app")


def _request_values() -> dict[Any, Any]:
    """The request's scope: FastAPI calls this once per request and hands every `Injected` the same dict."""
    return {}


def Injected(interface: Any) -> Any:  # noqa: N802 - named as the parameter it stands for, like Depends
    """`injector.get(interface)` for a view's argument, from the injector of the app answering the request, in its
    request scope."""

    def get(request: Request, values: dict[Any, Any] = Depends(_request_values)) -> Any:
        injector: Injector = request.app.state.injector
        token = _current.set(values)
        flask_scope = _flask_request_scope(injector)
        before = (
            getattr(flask_scope._locals, "scope", None)
            if flask_scope is not None
            else None
        )
        if (
            flask_scope is not None
        ):  # a Flask app's injector: Flask-Injector's own request scope, for this request
            flask_scope._locals.scope = values
        try:
            return injector.get(interface)
        finally:
            if flask_scope is not None:
                flask_scope._locals.scope = before
            _current.reset(token)

    return Depends(get)


def _flask_request_scope(injector: Injector) -> Any:
    """Flask-Injector's RequestScope of `injector`, where Flask-Injector made it (injector_of)."""
    module = sys.modules.get("flask_injector")
    return (
        injector.get(module.RequestScope) if module is not None else None
    )  # one per injector, made on first use
