"""The Flask app's own Flask-Login LoginManager for the routes FastAPI serves in front of it: written by
`migrate-audit port` beside main.py while the Flask app is mounted behind FastAPI (the strangler fig), for a
LoginManager the app factory gives its app (`login_manager.init_app(app)` in create_app).
Where the manager's login view moved to FastAPI, main.py also lets the Flask app's url_for build its URL
(`build_login_views`), as Flask-Login on the Flask routes needs it.

main.py adds the bridge's LoginContextMiddleware (flask_login_bridge.py) with `FlaskAppLoginManager(flask_app)`,
inside the session middleware: the ported routes' `current_user`, `login_user`, `logout_user` and `login_required`
then answer with the settings and loaders of the manager the Flask app has, over Flask's session cookie and the
remember cookie Flask-Login keeps, so one login spans the Flask routes and the FastAPI ones. This module goes
with the Flask app: once the app itself is ported, the bridge's LoginManager is made in its place.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import has_request_context, request
from flask.globals import _cv_app
from starlette.requests import Request
from starlette.routing import NoMatchFound
from werkzeug.routing import BuildError

from flask_login_bridge import LoginManager, _url_for


class FlaskAppLoginManager(LoginManager):
    """The Flask app's own Flask-Login LoginManager (the one `login_manager.init_app(app)` gave it, in the app
    factory: `flask_app.login_manager`), for the routes FastAPI serves in front of that Flask app (main.py):
    every setting and callback is read from it when used, as Flask-Login reads `current_app.login_manager`, so
    each Flask app a factory makes is answered with its own manager's login_view, messages and loaders, wherever
    the project sets them (a user_loader in models.py). The loaders run in an application context of that Flask
    app, as Flask runs them inside its request: the one current (a view run in it), else one pushed for the call;
    a user loaded in one context is loaded again in another (Flask-SQLAlchemy's session is the context's).
    What answers with Flask's own response (an unauthorized or needs-refresh handler) or reads the Flask request
    (a header loader, per-Blueprint login views, a localize callback) is not carried: the port leaves the routes
    of a project that sets one with Flask, and this raises rather than answer otherwise."""

    _READ = (
        "anonymous_user",
        "login_view",
        "login_message",
        "login_message_category",
        "refresh_view",
        "needs_refresh_message",
        "needs_refresh_message_category",
        "session_protection",
        "id_attribute",
        "_user_callback",
        "_request_callback",
    )
    _NOT_CARRIED = (
        "unauthorized_callback",
        "needs_refresh_callback",
        "_header_callback",
        "localize_callback",
        "blueprint_login_views",
    )

    def __init__(self, flask_app: Any) -> None:
        self.flask_app = flask_app

    def _flask_manager(self) -> Any:
        manager = getattr(self.flask_app, "login_manager", None)
        if manager is None:
            raise RuntimeError(
                "The Flask app has no Flask-Login LoginManager (init_app was not called)"
            )
        for name in self._NOT_CARRIED:
            if getattr(manager, name, None):
                raise RuntimeError(
                    f"The Flask app's LoginManager sets {name}, which the bridge does not carry"
                )
        return manager

    def __getattr__(self, name: str) -> Any:
        if name in self._READ:
            return getattr(self._flask_manager(), name)
        if name in ("unauthorized_callback", "needs_refresh_callback"):
            self._flask_manager()  # raises where the Flask app's manager has one
            return None
        raise AttributeError(name)

    def _view_url(self, request: Request, view: str) -> str:
        """From the Flask app's routes, as Flask-Login builds it there (url_for in a request: the path under the
        app's root), else from FastAPI's (a view that moved in front of the Flask app)."""
        adapter = self.flask_app.url_map.bind(
            request.url.hostname or "localhost",
            script_name=request.scope.get("root_path") or "/",
            url_scheme=request.url.scheme,
        )
        try:
            return adapter.build(view, {}, method=None)
        except BuildError:
            return _url_for(request, view)

    def _loading_context(self) -> Any:
        return _cv_app.get(None)

    def _call(self, callback: Callable[..., Any], *args: Any) -> Any:
        current = _cv_app.get(None)
        if current is not None and current.app is self.flask_app:
            return callback(*args)
        with self.flask_app.app_context():
            return callback(*args)


def build_login_views(flask_app: Any, fastapi_app: Any) -> None:
    """Flask-Login on the Flask app's routes builds the URL of its login and refresh views with Flask's url_for:
    where such a view moved to FastAPI (main.py), the Flask app has no rule for it any more, and this builds it
    from FastAPI's route of that name (the path under the request's root, as url_for gives it in a request)."""

    def build(error: Exception, endpoint: str, values: dict[str, Any]) -> str | None:
        manager = getattr(flask_app, "login_manager", None)
        views = (manager.login_view, manager.refresh_view) if manager else ()
        # path values, _external, _anchor...: left to Flask's own error
        if endpoint not in views or any(values.values()):
            return None
        try:
            path = fastapi_app.url_path_for(endpoint)
        except NoMatchFound:
            return None
        return (request.script_root if has_request_context() else "") + path

    flask_app.url_build_error_handlers.append(build)
