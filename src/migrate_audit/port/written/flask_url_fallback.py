"""Flask's url_for during the strangler phase, for the routes FastAPI now serves in front of the Flask app.

Written by `migrate-audit port` beside main.py. A Blueprint the port converted leaves the Flask app (main.py
includes its router instead), and with it its URL rules: the Flask views and templates that still call
`url_for("books.show", ...)` would raise BuildError. Flask hands such an error to the app's
`url_build_error_handlers` (flask/sansio/app.py `handle_url_build_error`: the first handler returning a value
gives url_for's result); `build_with_fastapi(flask_app, app)` adds one that builds the path of FastAPI's route of
that name (the Flask endpoint, which the port kept as the route's name) as Werkzeug built it: under the
request's script root, path parameters quoted as Werkzeug's converters quote them, the other values in the
query string as Werkzeug writes it, `_anchor` after `#`. With `_external`, `_scheme` or `_method` it gives
nothing, so url_for raises as before (the host and scheme are Flask's request's).
"""

from __future__ import annotations

from itertools import combinations
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, has_request_context, request
from starlette.routing import NoMatchFound

SAFE = "!$&'()*+,/:;=@"  # what Werkzeug's converters leave unquoted in a path segment


def build_with_fastapi(flask_app: Flask, app: Any) -> None:
    """Flask's url_for on `flask_app` builds the URLs of `app`'s routes it does not serve itself."""

    def fastapi_url(error: Exception, endpoint: str, values: dict[str, Any]) -> Any:
        values = dict(values)
        anchor = values.pop("_anchor", None)
        # Flask hands its options back with the values: _external False unless asked
        external = values.pop("_external", None)
        scheme, method = values.pop("_scheme", None), values.pop("_method", None)
        if external or scheme is not None or method is not None:
            return None
        root = request.script_root if has_request_context() else ""
        # the route's path parameters: the most values it builds with
        for size in range(len(values), -1, -1):
            for names in combinations(values, size):
                params = {k: quote(str(values[k]), safe=SAFE) for k in names}
                try:
                    path = app.url_path_for(endpoint, **params)
                except NoMatchFound:
                    continue
                query = [
                    (k, item)
                    for k, v in values.items()
                    if k not in params
                    for item in (v if isinstance(v, (list, tuple, set)) else [v])
                    if item is not None
                ]
                url = root + path
                url += "?" + urlencode(query, safe="!$'()*,/:;?@") if query else ""
                if anchor is not None:
                    url += "#" + quote(anchor, safe="%!#$&'()*+,/:;=?@")
                return url
        return None

    flask_app.url_build_error_handlers.append(fastapi_url)
