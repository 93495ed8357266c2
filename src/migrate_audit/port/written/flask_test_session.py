"""Flask's `client.session_transaction()` for a Starlette TestClient, written by `migrate-audit port`.

    with session_transaction(client) as session:
        session["user_id"] = 7

opens the session the client's cookies carry, lets the test change it, and stores it back in the client's cookie
jar, as Flask's test client does. The session is the one the app reads:
- a Flask app served behind a2wsgi's WSGIMiddleware, mounted in the FastAPI app (`ported_test_app.ported_app`,
  while the app stays Flask) or alone: Flask's own session interface, as `FlaskClient.session_transaction` calls it;
- a FastAPI app with the port's FlaskSessionMiddleware (flask_cookie_session.py): Flask's cookie, read and
  written by that middleware with the settings it was added with.
"""

from __future__ import annotations

from contextlib import contextmanager
from http.cookies import SimpleCookie
from typing import Any, Iterator


def _cookie_header(client: Any) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)


def _store(client: Any, set_cookies: list[str]) -> None:
    """Put the Set-Cookie headers the session was saved with into the client's jar, as a response would (read
    with the standard library: TestClient's httpx may be either httpx package)."""
    for header in set_cookies:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            client.cookies.delete(
                name
            )  # the one a response set, under its own domain, goes: one cookie of the name
            if not (
                morsel["max-age"] in ("0", 0)
                or (morsel["expires"] and "1970" in morsel["expires"])
            ):
                client.cookies.set(name, morsel.value, path=morsel["path"] or "/")


def _session_middleware(app: Any) -> Any:
    for middleware in getattr(app, "user_middleware", ()):
        if getattr(middleware.cls, "__name__", "") == "FlaskSessionMiddleware":
            return middleware.cls(None, *middleware.args, **middleware.kwargs)
    return None


def _flask_app(app: Any) -> Any:
    """The Flask app behind a2wsgi's WSGIMiddleware: the client's app itself, or mounted in it (main.py's way)."""
    for candidate in [
        app,
        *(getattr(route, "app", None) for route in getattr(app, "routes", ())),
    ]:
        flask_app = getattr(candidate, "app", None)
        if flask_app is not None and hasattr(flask_app, "session_interface"):
            return flask_app
    return None


@contextmanager
def session_transaction(client: Any) -> Iterator[Any]:
    app = client.app
    flask_app = _flask_app(app)
    if (
        flask_app is not None
    ):  # the Flask app behind a2wsgi: its own session interface, as Flask's client
        interface = flask_app.session_interface
        context = flask_app.test_request_context(
            base_url=str(client.base_url), headers={"Cookie": _cookie_header(client)}
        )
        with context:
            session = interface.open_session(flask_app, context.request)
        if session is None:
            raise RuntimeError("Session backend did not open a session.")
        yield session
        response = flask_app.response_class()
        if interface.is_null_session(session):
            return
        with context:
            interface.save_session(flask_app, session, response)
        _store(client, response.headers.getlist("Set-Cookie"))
        return
    bridge = _session_middleware(app)
    if bridge is None:
        raise RuntimeError(
            "session_transaction: the app has no Flask session (no FlaskSessionMiddleware, no Flask "
            "app behind WSGIMiddleware)"
        )
    from starlette.datastructures import MutableHeaders

    scope = {
        "type": "http",
        "headers": [(b"cookie", _cookie_header(client).encode("latin-1"))],
    }
    session = bridge.open(scope)
    yield session
    headers = MutableHeaders(raw=[])
    bridge.save(session, headers)
    _store(client, headers.getlist("set-cookie"))
