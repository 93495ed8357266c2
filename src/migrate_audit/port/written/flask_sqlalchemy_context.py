"""Flask-SQLAlchemy (3.1) in a ported FastAPI view: written by `migrate-audit port`.

The view keeps Flask-SQLAlchemy's models, `db.session`, `Model.query`, `get_or_404`, `first_or_404`,
`one_or_404` and `paginate(...)`: `@flask_app_context(db)` (or a model: `Book.__fsa__` is its
`db`) runs it inside an application context of the Flask app that `db` was given (`SQLAlchemy(app)` or
`db.init_app(app)`; main.py builds and mounts that app), pushed and popped per call, in the thread the view runs
in, as Flask pushes one per request:

- the session is the one Flask-SQLAlchemy scopes to that context (`_app_ctx_id`), and popping the context runs
  the app's `teardown_appcontext` functions, among them Flask-SQLAlchemy's `session.remove()`: each request has
  its own session, closed at its end, and the Flask app serving the other routes reads and writes the same
  database through the same engines;
- `abort(404)` raised by the helpers is Werkzeug's `NotFound`: answered here with the response Werkzeug makes
  of it (`HTTPException.get_response()`: the same status, HTML body and headers), which is what Flask answers
  when no error handler takes the exception; where the app's error handler for that status answers FastAPI's
  routes too (main.py adds it: `handled=(404,)`), it is raised as Starlette's HTTPException of that status
  instead, for that handler to answer, as Flask gave it the exception;
- `paginate()` without `page=` or `per_page=` reads them from Flask's `request.args` (404 for a value that is
  not an integer): `query_string=True` pushes a request context of the app built with the request's query
  string (`test_request_context`, which pushes its own application context), so Werkzeug parses it as it
  did; the wrapper gets the request from FastAPI through a keyword-only parameter it adds to the view's
  signature (`__signature__`), which the view does not see;
- `request=True` (a view moved on its own while the app stays Flask, which uses names of the Flask module that
  read Flask's request context: Flask-Marshmallow's URL fields, `url_for`, `current_app`): a request context of
  the app built from the FastAPI request as flask_render builds its own (`flask_request_context`: method, root
  path, path, scheme, host, query string, headers), so what they read is what Flask's request had (`url_for`
  builds on the request's host and root path; paginate() reads its query string).

Why a decorator, not a dependency with `yield`: Flask keeps its context in a `ContextVar`, and FastAPI runs a
sync dependency and a sync path operation in separate threadpool calls, each in a copy of the request's
context, so a context pushed in the dependency is not current in the view (nor, when it exits, in itself).
The wrapper keeps the view's signature for FastAPI (`functools.wraps`: FastAPI reads the parameters through
`__wrapped__`) and is a plain function, as the view is, so it runs in the view's own worker thread.

Which Flask app: the one live app `db` is registered with; where a process makes several (tests building one
app per test), `bind(app)` names the one the FastAPI routes use.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from importlib import import_module
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from werkzeug.exceptions import HTTPException

_bound: dict[int, Any] = {}  # id(db) -> the Flask app bind() named


def bind(app: Any, extension: Any = None) -> None:
    """Use `app`'s context for the views of `extension` (default: the one `app` was given)."""
    extension = extension if extension is not None else app.extensions["sqlalchemy"]
    _bound[id(extension)] = app


def _extension(db_or_model: Any) -> Any:
    # a model class knows its SQLAlchemy()
    return getattr(db_or_model, "__fsa__", db_or_model)


def flask_app(db_or_model: Any) -> Any:
    """The Flask app whose context the views of `db_or_model`'s extension run in."""
    extension = _extension(db_or_model)
    if id(extension) in _bound:
        return _bound[id(extension)]
    # the apps init_app was given (held weakly: those still alive)
    apps = list(extension._app_engines)
    if len(apps) != 1:
        raise RuntimeError(
            f"Flask-SQLAlchemy is registered with {len(apps)} Flask apps: call "
            "flask_sqlalchemy_context.bind(app) with the one the FastAPI routes use"
        )
    return apps[0]


def flask_response(error: HTTPException) -> Response:
    """The response Flask sends for a Werkzeug HTTPException no error handler takes: Werkzeug's own."""
    answer = error.get_response()
    response = Response(answer.get_data(), status_code=answer.status_code)
    response.raw_headers = [
        (key.lower().encode("latin-1"), value.encode("latin-1"))
        for key, value in answer.headers.items()
    ]
    return response


View = Callable[..., Any]
_REQUEST = "_flask_sqlalchemy_request"


def _request_parameter(signature: inspect.Signature) -> str | None:
    """The view's own parameter FastAPI gives the request to (annotated `Request`), if any."""
    for parameter in signature.parameters.values():
        annotation = parameter.annotation
        if annotation == "Request" or (
            isinstance(annotation, type) and issubclass(annotation, Request)
        ):
            return parameter.name
    return None


def flask_app_context(
    db_or_model: Any,
    query_string: bool = False,
    handled: tuple[int, ...] = (),
    request: bool = False,
) -> Callable[[View], View]:
    """Run the (sync) view in an application context of the Flask app of `db_or_model`;
    `query_string=True`: in a request context of that app with the request's query string,
    for `paginate()` to read `page` and `per_page` from `request.args` as it does in Flask;
    `request=True`: in a request context of that app built from the whole request (flask_render's);
    `handled`: the statuses FastAPI's exception handlers answer as the Flask app's did."""

    def decorate(view: View) -> View:
        signature = inspect.signature(view)
        # FastAPI gives one parameter the request (the last annotated so): the view's own where it has one
        own = _request_parameter(signature)
        # imported as the view is defined (the port writes it beside this module where a view asks for it)
        render = import_module("flask_render") if request else None

        @functools.wraps(view)
        def in_context(*args: Any, **kwargs: Any) -> Any:
            app = flask_app(db_or_model)
            if query_string or request:
                given = kwargs[own] if own is not None else kwargs.pop(_REQUEST)
            if render is not None:
                context = render.flask_request_context(given, app)
            elif query_string:
                query = given.scope["query_string"].decode("latin-1")
                context = app.test_request_context(query_string=query)
            else:
                context = app.app_context()
            with context:
                try:
                    return view(*args, **kwargs)
                except HTTPException as error:
                    # abort(404) of get_or_404, first_or_404, one_or_404, paginate
                    # the app's handler answers it, rendering in a context of its own
                    if error.code in handled:
                        raise StarletteHTTPException(
                            error.code, error.description
                        ) from None
                    return flask_response(error)

        if (query_string or request) and own is None:
            # FastAPI hands the wrapper the request (the view does not see it)
            parameters = list(signature.parameters.values())
            at = next(
                (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
                len(parameters),
            )
            extra = inspect.Parameter(
                _REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request
            )
            in_context.__signature__ = signature.replace(  # type: ignore[attr-defined]
                parameters=[*parameters[:at], extra, *parameters[at:]]
            )
        return in_context

    return decorate
