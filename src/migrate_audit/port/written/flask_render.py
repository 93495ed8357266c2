"""Flask's render_template for a FastAPI view while the app stays Flask: written by `migrate-audit port`.

`flask_render(request, name, **context)` renders the template with the Flask app mounted behind FastAPI (main.py's
`app.mount("/", WSGIMiddleware(flask_app))`, found on `request.app`): its Jinja environment (the filters, globals,
tests and loader the app set up), its context processors (Flask's own `g`/`request`/`session`, Flask-Login's
`current_user`, the app's and the Blueprint's), in a request context of that app built from the FastAPI request
(method, path, query string, headers, cookies and the body the view read, as a2wsgi hands them to the Flask app), so
`request.endpoint`, `view_args`, `path`, `args` are what Flask had: matched by the Flask route where the app still
serves the path, else taken from FastAPI's route (named with the Flask endpoint) and its path parameters.

- `g` holds what the request hooks FastAPI runs in front (hooks_in_front.py: `request.state`) put on it, and what
  the render puts on g goes back on `request.state`, where the hooks after it read Flask's g; the values of the hooks
  are taken off this context's g before it is popped, so the app's teardown functions, which FastAPI runs in front
  on request.state, do not act on them twice;
- the session is the one main.py's bridge opened (flask_cookie_session.py: `request.scope["session"]`), so what the
  render changes (get_flashed_messages pops the flashes; Flask marks the session accessed) is saved in the cookie
  the bridge sends, as Flask would; the flashes a view flashed before it renders are in it, and those the request
  already took out of the session are the render's, as on Flask's one request context; without the bridge, Flask's session interface opens it and saves it into the
  response as it is sent (FlaskPage), after what the view set on it, as Flask's finalize_request does (Set-Cookie,
  Vary: Cookie);
- the answer is Flask's for a returned string: the status 200, the body, `text/html; charset=utf-8`.

flask_sqlalchemy_context.py's `request=True` runs a moved view in such a request context too (`flask_request_context`),
for the names of its Flask module that read it (Flask-Marshmallow's URL fields, `url_for`, `current_app`).

As Flask, the request context is popped at the end of the render, which runs the app's teardown_request functions
(and its teardown_appcontext ones when no application context of the app was current: the view's own, pushed by
flask_sqlalchemy_context, is reused). The Flask app's WSGI middlewares (ProxyFix) are not run for the render.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from a2wsgi.wsgi import build_environ
from starlette.requests import Request
from starlette.responses import HTMLResponse


# FLASK: this module is Flask's render on purpose, during the strangler phase; it imports Flask by name so that an
# audit (or a port) of the ported tree does not take it for the app's code left to convert.


FLASHES = "flask.flashes"  # the request's flashes, once taken out of the session (flask_cookie_session.py's key)


def flask_app_of(request: Request) -> Any:
    """The Flask app main.py mounts at / behind FastAPI (a2wsgi's WSGIMiddleware keeps it as `.app`)."""
    for route in request.app.routes:
        flask_app = getattr(getattr(route, "app", None), "app", None)
        if getattr(route, "path", None) == "" and hasattr(
            flask_app, "update_template_context"
        ):
            return flask_app
    raise RuntimeError(
        "flask_render: no Flask app is mounted at / behind this FastAPI app"
    )


class _Rule:
    """What Flask's request reads of its url_rule (`endpoint`), for a route FastAPI serves in the Flask app's stead."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint


@contextmanager
def flask_request_context(request: Request, flask_app: Any = None) -> Iterator[Any]:
    """A request context of the Flask app (`flask_app`, else the one mounted behind FastAPI) built from the FastAPI
    request, pushed for the block: the environ a2wsgi hands the Flask app for it (method, root path, path, scheme,
    host, query string, headers, and the body the view read), Flask's session the bridge opened, the flashes the
    request took out of it, and the Flask endpoint and path parameters of FastAPI's route where the Flask app no
    longer serves the path. Popped at the end as Flask pops it (the app's teardown functions)."""
    flask_ctx = import_module("flask.ctx")

    flask_app = flask_app if flask_app is not None else flask_app_of(request)
    body = getattr(
        request, "_body", b""
    )  # what the view read of the body (FastAPI read it for Form/Body)
    scope = dict(request.scope)
    environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
    bridged = request.scope.get(
        "session"
    )  # main.py's bridge: Flask's session cookie, saved when the answer starts
    ctx = flask_ctx.RequestContext(flask_app, environ, session=bridged)
    # the flashes the request already took out of the session (the bridge's get_flashed_messages in the view, an
    # earlier render): Flask's get_flashed_messages gives the same list again in one request
    ctx.flashes = request.scope.get(FLASHES)
    with ctx:
        if (
            ctx.request.routing_exception is not None
            and request.scope.get("route") is not None
        ):
            # a route the Flask app no longer serves (its Blueprint moved to FastAPI): FastAPI's route, named with
            # the Flask endpoint, and its converted path parameters
            ctx.request.url_rule = _Rule(request.scope["route"].name)  # type: ignore[assignment]
            ctx.request.view_args = dict(request.path_params)
            ctx.request.routing_exception = None
        yield ctx


def flask_render(request: Request, name: str, **context: Any) -> FlaskPage:
    """`flask.render_template(name, **context)` returned by the view: the page Flask would answer."""
    flask = import_module("flask")  # (by name: see FLASK above)

    state: dict[str, Any] = getattr(request.state, "_state", {})
    with flask_request_context(request) as ctx:
        flask_app = ctx.app
        bridged = request.scope.get("session")
        # the app context's g (the view's own, where it pushed one)
        own = vars(flask.g._get_current_object())
        missing = object()
        before = {key: own.get(key, missing) for key in state}
        own.update(state)  # what the hooks in front put on request.state: Flask's g
        try:
            html = flask.render_template(name, **context)
        finally:
            # what the render put on g (Flask-Login's user) goes on with the request, as on Flask's one g; what the
            # hooks in front put there is theirs: their own teardown runs on request.state, not this context's
            for key, value in own.items():
                if state.get(key, missing) is not value:
                    setattr(request.state, key, value)
            for key, value in before.items():
                if value is missing:
                    own.pop(key, None)
                else:
                    own[key] = value
        if (
            ctx.flashes is not None
        ):  # for the bridge's get_flashed_messages and the renders after this one
            request.scope[FLASHES] = ctx.flashes
        response = FlaskPage(html)
        if bridged is None and not flask_app.session_interface.is_null_session(
            ctx._session
        ):
            response.session = (flask_app, ctx._session)
    return response


class FlaskPage(HTMLResponse):
    """The rendered page; without main.py's bridge, the session Flask opened for the render is saved into it as it
    is sent, after what the view and the hooks in front set on it, as Flask saves it last (finalize_request)."""

    session: tuple[Any, Any] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.session is not None:
            flask_app, session = self.session
            saved = flask_app.response_class()
            saved.headers.clear()
            flask_app.session_interface.save_session(flask_app, session, saved)
            for key, value in saved.headers.items():
                if (
                    key.lower() == "vary"
                ):  # Werkzeug's Vary is a set: Cookie listed once
                    present = [
                        v.strip().lower()
                        for v in self.headers.get("vary", "").split(",")
                    ]
                    if "cookie" not in present:
                        self.headers.add_vary_header(value)
                else:
                    self.headers.append(key, value)
        await super().__call__(scope, receive, send)
