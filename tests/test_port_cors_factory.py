"""`migrate-audit port --only`: Flask-CORS given the app in the app factory (`cors = CORS(app, resources=...)` in
create_app, the sample app's form). While the app stays Flask, main.py runs the Flask app's own Flask-CORS on what
FastAPI's routes answer (port/cors_front.py, written/flask_cors_front.py), so the views its resources match move too.
Checked side by side: the Flask app the factory makes, with Flask-CORS itself, and main.py on the same requests (simple
and preflight, from an allowed origin, another and none, inside and outside the resources, errors), comparing the
status, the body and every Access-Control-*, Vary and Allow header; and the forms main.py cannot carry keep their
reason and the views the resources match with Flask."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _port_support import factory_sides, forget_packages

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")
pytest.importorskip("flask_cors")

FACTORY = '''\
from flask import Flask
from flask_cors import CORS


def create_app():
    app = Flask(__name__)
    app.config["CORS_ORIGINS"] = ["http://spa.example", "https://admin.example"]
    app.config["CORS_EXPOSE_HEADERS"] = ["X-Total"]
    # the JSON API for the SPA, and public files for anyone
    cors = CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"], "supports_credentials": True},
                                r"/public/*": {"origins": "*", "max_age": 600}})

    from .api import bp as api_bp
    from .pages import bp as pages_bp

    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(pages_bp)

    @app.after_request
    def stamp(response):
        response.headers["X-Stamp"] = "shelf"
        return response

    return app
'''

API = '''\
from flask import Blueprint, request

bp = Blueprint("api", __name__)


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    return {"id": book_id}


@bp.post("/books/<int:book_id>/loans")
def lend(book_id):
    return {"lent": book_id}, 201


@bp.get("/raw")
def raw():  # keeps a TODO (request.environ): the Blueprint stays Flask, its other views move on their own
    return {"query": request.environ.get("QUERY_STRING", "")}
'''

PAGES = '''\
from flask import Blueprint

bp = Blueprint("pages", __name__)


@bp.get("/health")
def health():
    return {"ok": True}


@bp.get("/public/info")
def info():
    return {"public": True}
'''

SHELF = {"__init__": FACTORY, "api": API, "pages": PAGES}
MOVED = {"/api/books/{book_id}", "/api/books/{book_id}/loans"}  # (pages is not ported: its routes are Flask's)
SPA, ADMIN, ELSEWHERE = "http://spa.example", "HTTPS://Admin.Example", "http://elsewhere.example"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-Token, content-type"}
# (method, path, headers): FastAPI's routes inside and outside the resources, their preflights and other methods
# (answered by the Flask app behind, which keeps their rules), and Flask's own routes and errors
REQUESTS = [
    *[(method, path, origin)
      for method, path in [("GET", "/api/books/7"), ("POST", "/api/books/7/loans"), ("GET", "/health"),
                           ("GET", "/public/info"), ("GET", "/api/raw"), ("GET", "/api/nowhere"),
                           ("DELETE", "/api/books/7"), ("HEAD", "/api/books/7")]
      for origin in ({}, {"Origin": SPA}, {"Origin": ADMIN}, {"Origin": ELSEWHERE})],
    *[("OPTIONS", path, {**origin, **preflight})
      for path in ("/api/books/7/loans", "/api/books/7", "/public/info", "/health")
      for origin in ({"Origin": SPA}, {"Origin": ELSEWHERE})
      for preflight in (PREFLIGHT, {"Access-Control-Request-Method": "TRACE"}, {})],
]
COMPARED = ("access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers",
            "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age", "vary",
            "content-type", "x-stamp")


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: Any) -> Iterator[Any]:
    """(only, module -> text changes) -> the Flask app the package `shelf`'s factory makes, main.py's FastAPI app
    (None where no main.py was written) and the port's result."""

    def build(only: str | None = "api", **changes: str):  # type: ignore[no-untyped-def]
        return factory_sides(tmp_path, monkeypatch, "shelf", {**SHELF, **changes}, only, _forget)

    yield build
    _forget()


def _forget() -> None:
    forget_packages("shelf", "flask_cors_front")


def _served(fastapi_app: Any) -> set[str]:
    import warnings

    with warnings.catch_warnings():  # HEAD beside GET: FastAPI warns of the operation ids it repeats
        warnings.simplefilter("ignore")
        return set(fastapi_app.openapi()["paths"])


def _headers(response: Any) -> dict[str, Any]:
    get = response.headers.getlist if hasattr(response.headers, "getlist") else response.headers.get_list
    found: dict[str, Any] = {name: get(name) for name in COMPARED}
    allow = response.headers.get("allow")  # a set: Werkzeug lists a rule's methods in its set's order
    found["allow"] = sorted(allow.split(", ")) if allow else None
    return found


def _body(response: Any) -> Any:
    data = response.data if hasattr(response, "data") else response.content
    if data and "json" in response.headers.get("content-type", ""):  # (Flask ends its JSON with a line break)
        import json

        return json.loads(data)
    return data


def test_the_factorys_flask_cors_answers_fastapis_routes_as_flasks(sides: Any) -> None:
    flask_app, fastapi_app, result = sides()
    assert result.routes_moved == 2 and _served(fastapi_app) == MOVED, result.notes
    assert "from flask_cors_front import FlaskCORSFront" in result.after["main.py"]
    assert not [note for note in result.notes if "without Flask-CORS" in note or "Flask-CORS adds" in note]
    from fastapi.testclient import TestClient

    flask_client, client = flask_app.test_client(), TestClient(fastapi_app, follow_redirects=False)
    answered = 0
    for method, path, headers in REQUESTS:
        expected = flask_client.open(path, method=method, headers=headers)
        got = client.request(method, path, headers=headers)
        assert got.status_code == expected.status_code, (method, path, headers)
        assert _body(got) == _body(expected), (method, path, headers)
        assert _headers(got) == _headers(expected), (method, path, headers)
        answered += bool(expected.headers.get("Access-Control-Allow-Origin"))
    # what the requests show: Flask-CORS answered them in both ways (headers for the origins it allows, on simple
    # requests and preflights, on FastAPI's routes and Flask's, errors included), and left the others alone
    got = client.get("/api/books/7", headers={"Origin": SPA})
    assert (got.headers["access-control-allow-origin"], got.headers["access-control-allow-credentials"],
            got.headers["access-control-expose-headers"], got.headers["vary"]) == (SPA, "true", "X-Total", "Origin")
    assert got.headers["x-stamp"] == "shelf"  # the app's own after_request hook, carried too (hooks_in_front.py)
    assert "access-control-allow-origin" not in client.get("/api/books/7", headers={"Origin": ELSEWHERE}).headers
    assert "access-control-allow-origin" not in client.get("/health", headers={"Origin": SPA}).headers
    preflight = client.options("/api/books/7/loans", headers={"Origin": SPA, **PREFLIGHT})
    assert preflight.headers["access-control-allow-headers"] == "X-Token, content-type"
    assert answered > len(REQUESTS) // 3


def test_the_flask_apps_own_cors_is_read_when_answering(sides: Any) -> None:
    """FlaskCORSFront runs Flask-CORS's functions of the Flask app main.py mounts, as its factory configured it: an
    app made with other origins answers with those."""
    _, fastapi_app, result = sides(__init__=FACTORY.replace('"http://spa.example", ', ""))
    assert result.routes_moved == 2
    from fastapi.testclient import TestClient

    client = TestClient(fastapi_app)
    assert "access-control-allow-origin" not in client.get("/api/books/7", headers={"Origin": SPA}).headers
    assert client.get("/api/books/7", headers={"Origin": ADMIN}).headers["access-control-allow-origin"] == ADMIN


STAMP = """
    @app.after_request
    def stamp(response):
        response.headers["X-Stamp"] = "shelf"
        return response
"""
HOOK_FIRST = FACTORY.replace(STAMP, "").replace("    # the JSON API", STAMP.lstrip("\n") + "\n    # the JSON API")


@pytest.mark.parametrize(("factory", "why"), [
    (HOOK_FIRST, ("an after_request hook is registered before CORS() at shelf/__init__.py:15: Flask ran Flask-CORS's "
                  "after it, where main.py runs Flask-CORS around the app's hooks")),
    (FACTORY.replace("    cors = CORS(", "    if app.config['CORS_ORIGINS']:\n        cors = CORS("),
     "CORS() at shelf/__init__.py:11 is not a statement of the app factory's body (run on every app it makes)"),
    (FACTORY.replace("    return app\n", "    app.extensions['cors_object'] = cors\n    return app\n"),
     "the CORS object at shelf/__init__.py:10 is used again"),
])
def test_a_cors_main_py_cannot_carry_keeps_its_reason_and_the_views_it_may_answer(
        sides: Any, factory: str, why: str) -> None:
    """Ported whole (the pages Blueprint converts, so main.py is written; the api one keeps a TODO and stays)."""
    assert factory != FACTORY
    _, _, result = sides(None, __init__=factory)
    note = next((note for note in result.notes if note.startswith("FastAPI's routes answer without Flask-CORS")), "")
    assert f"which the Flask app applies to its own: {why}" in note, result.notes
    assert "flask_cors_front.py" not in result.after and "FlaskCORSFront" not in result.after["main.py"]
    stays = [note for note in result.notes if "get_book stays Flask" in note or "lend stays Flask" in note]
    if "used again" in why:  # nor does it answer only URLs of its own: no view moves on its own
        assert result.routes_moved == 0 and not stays
        return
    assert len(stays) == 2 and all("Flask-CORS adds its headers to the paths its resources match" in n for n in stays)
    assert result.routes_moved == 0


def test_a_blueprint_converted_whole_gets_the_headers_and_a_note_for_its_preflights(sides: Any) -> None:
    """Ported whole: the pages Blueprint converts and leaves the Flask app, its simple requests answered with the
    Flask app's Flask-CORS; its preflights reach a Flask app without their rule (Flask answered 200), which the note
    says, where the api views moved on their own keep theirs."""
    flask_app, fastapi_app, result = sides(None)
    assert {"/health", "/public/info"} <= _served(fastapi_app)
    assert ("FastAPI's routes of pages answer their preflight (OPTIONS) requests otherwise than Flask did: their rules "
            "left the Flask app") in " ".join(result.notes)
    from fastapi.testclient import TestClient

    flask_client, client = flask_app.test_client(), TestClient(fastapi_app)
    for path in ("/public/info", "/health", "/api/books/7"):
        for origin in ({}, {"Origin": SPA}, {"Origin": ELSEWHERE}):
            expected, got = flask_client.get(path, headers=origin), client.get(path, headers=origin)
            assert (got.status_code, _body(got), _headers(got)) == \
                (expected.status_code, _body(expected), _headers(expected)), (path, origin)
    asked = {"Origin": SPA, "Access-Control-Request-Method": "GET"}
    assert client.options("/api/books/7", headers=asked).status_code == 200
    expected, got = flask_client.options("/public/info", headers=asked), client.options("/public/info", headers=asked)
    # Werkzeug's automatic OPTIONS answer on both sides (main.py's werkzeug_routing), without Flask-CORS's headers on
    # FastAPI's: the difference the note names
    assert (expected.status_code, got.status_code) == (200, 200)
    assert "Access-Control-Allow-Origin" in expected.headers and "access-control-allow-origin" not in got.headers


BLUEPRINT_API = '''\
from flask import Blueprint
from flask_cors import CORS

bp = Blueprint("api", __name__, url_prefix="/api")
CORS(bp)


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    return {"id": book_id}
'''

PLAIN_FACTORY = '''\
from flask import Flask


def create_app():
    app = Flask(__name__)

    from .api import bp as api_bp
    from .pages import bp as pages_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
    return app
'''

PAGES_WITH_TODO = PAGES + '''

@bp.get("/raw")
def raw():  # keeps a TODO (request.environ): the Blueprint stays Flask, its other views move on their own
    from flask import request

    return {"query": request.environ.get("QUERY_STRING", "")}
'''


def test_flask_cors_given_a_blueprint_keeps_only_the_views_under_its_prefix(sides: Any) -> None:
    """`CORS(bp)` (ihatemoney's API): Flask-CORS's after_request is the Blueprint's, run for its own endpoints alone
    (extension_scopes.py): the other Blueprints' views move, and answer as Flask's, without its headers."""
    flask_app, fastapi_app, result = sides("pages", __init__=PLAIN_FACTORY, api=BLUEPRINT_API, pages=PAGES_WITH_TODO)
    assert result.routes_moved == 2 and _served(fastapi_app) == {"/health", "/public/info"}, result.notes
    assert "flask_cors_front.py" not in result.after
    from fastapi.testclient import TestClient

    flask_client, client = flask_app.test_client(), TestClient(fastapi_app)
    for path in ("/health", "/public/info", "/api/books/7", "/api/nowhere"):
        for origin in ({}, {"Origin": SPA}):
            expected, got = flask_client.get(path, headers=origin), client.get(path, headers=origin)
            assert (got.status_code, _body(got), _headers(got)) == \
                (expected.status_code, _body(expected), _headers(expected)), (path, origin)
    assert client.get("/api/books/7", headers={"Origin": SPA}).headers["access-control-allow-origin"] == SPA
    assert "access-control-allow-origin" not in client.get("/health", headers={"Origin": SPA}).headers


def test_flask_cors_given_a_blueprint_keeps_its_own_views(tmp_path: Path) -> None:
    from _port_support import ported_project

    _, result = ported_project(tmp_path, '''\
        from flask import Blueprint, Flask, request
        from flask_cors import CORS

        bp = Blueprint("api", __name__, url_prefix="/api")
        CORS(bp)


        @bp.get("/books")
        def books():
            return {"books": []}


        @bp.get("/raw")
        def raw():
            return {"query": request.environ.get("QUERY_STRING", "")}


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(bp)
            return app
        ''')
    assert result.routes_moved == 0
    assert any("books stays Flask: its URL /api/books may be one of those app.py:5 answers otherwise: Flask-CORS adds "
               "its headers to the answers of the Blueprints under /api" in note for note in result.notes), result.notes


INIT_APP_FACTORY = FACTORY.replace("from flask_cors import CORS\n", "from .extensions import cors\n").replace(
    '    cors = CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"], "supports_credentials": True},\n'
    '                                r"/public/*": {"origins": "*", "max_age": 600}})',
    '    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]},\n'
    '                                  r"/public/*": {"origins": "*", "max_age": 600}})')
EXTENSIONS = '''\
from flask_cors import CORS

cors = CORS(supports_credentials=True)
'''


def test_a_cors_object_given_the_app_by_init_app_in_the_factory_is_carried_too(sides: Any) -> None:
    """`cors = CORS(...)` in extensions.py, `cors.init_app(app, ...)` in create_app (lemur's form): the options of
    both calls are Flask-CORS's to merge, in the Flask app main.py mounts."""
    assert INIT_APP_FACTORY.count("cors.init_app(app") == 1
    flask_app, fastapi_app, result = sides(__init__=INIT_APP_FACTORY, extensions=EXTENSIONS)
    assert result.routes_moved == 2 and _served(fastapi_app) == MOVED, result.notes
    assert "from flask_cors_front import FlaskCORSFront" in result.after["main.py"]
    from fastapi.testclient import TestClient

    flask_client, client = flask_app.test_client(), TestClient(fastapi_app, follow_redirects=False)
    for method, path, headers in REQUESTS:
        expected = flask_client.open(path, method=method, headers=headers)
        got = client.request(method, path, headers=headers)
        assert (got.status_code, _body(got), _headers(got)) == \
            (expected.status_code, _body(expected), _headers(expected)), (method, path, headers)
    got = client.get("/api/books/7", headers={"Origin": SPA}).headers
    assert (got["access-control-allow-origin"], got["access-control-allow-credentials"]) == (SPA, "true")


def test_a_cors_object_used_again_in_the_factory_is_not_carried(sides: Any) -> None:
    factory = INIT_APP_FACTORY.replace("    return app\n", "    app.extensions['cors_object'] = cors\n    return app\n")
    _, _, result = sides(None, __init__=factory, extensions=EXTENSIONS)
    note = next((note for note in result.notes if note.startswith("FastAPI's routes answer without Flask-CORS")), "")
    assert "cors at shelf/__init__.py:10 is used otherwise than imported and given the app once" in note, result.notes
    assert "FlaskCORSFront" not in result.after["main.py"] and result.routes_moved == 0
