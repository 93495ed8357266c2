"""`migrate-audit port --only`: views move to FastAPI on their own although the Flask app has request hooks and
error handlers, which main.py runs around FastAPI's routes (port/hooks_in_front.py), and an `add_url_rule` or a
harmless app attribute no longer stops them (port/split.py). Compared with the Flask app on the requests of both
parts: FastAPI's routes and the Flask routes behind them, each hook run once per request."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _port_support import forget, import_from

from migrate_audit.port import port

APP = '''\
import time

from flask import Flask, g, request

from books import Invalid, bp

app = Flask(__name__)
CLOSED = []
{extra}

@app.before_request
def start_timer():
    g.start = time.perf_counter()
    g.request_id = request.headers.get("X-Request-ID", "none")
    if request.headers.get("X-Block"):
        return {{"blocked": True}}, 403


@app.after_request
def add_headers(response):
    response.headers["X-Request-ID"] = g.request_id
    response.headers["X-Timed"] = "yes" if g.start else "no"
    return response


@app.teardown_appcontext
def close(exc):
    CLOSED.append(g.pop("request_id", None))


@app.errorhandler(404)
def not_found(error):
    return {{"error": "not found", "code": error.code}}, 404


@app.errorhandler(Invalid)
def invalid(error):
    return {{"error": str(error)}}, 422


app.register_blueprint(bp)
'''
BOOKS = '''\
from flask import Blueprint, abort, request

bp = Blueprint("books", __name__, url_prefix="/books")
BOOKS = {1: "Dune", 2: "Emma"}


class Invalid(Exception):
    pass


@bp.get("/<int:book_id>")
def book(book_id):
    if book_id not in BOOKS:
        abort(404)
    if book_id == 2:
        raise Invalid("no Emma")
    return {"id": book_id, "title": BOOKS[book_id]}


@bp.get("/raw/environ")
def environ():  # keeps a TODO (request.environ): the Blueprint stays Flask, this view with it
    return {"query": request.environ.get("QUERY_STRING", "")}
'''
HOOKS_ADDED = ("app.add_middleware(\n    FastAPIRoutesOnly,\n    middleware=BaseHTTPMiddleware,\n    full_match=True,\n"
               "    dispatch=flask_request_hooks,\n)")
MODULES = ("main", "app", "books", "books_fastapi", "app_hooks_fastapi", "db")
# FastAPI's route (found, aborted, raising the project's exception, short-circuited by a hook), then the Flask
# app's behind it (a view it keeps, an unknown URL its 404 handler answers)
REQUESTS = [("/books/1", {}), ("/books/1", {"X-Request-ID": "r1"}), ("/books/3", {}), ("/books/2", {"X-Request-ID": "r2"}),
            ("/books/1", {"X-Block": "1"}), ("/books/raw/environ", {"X-Request-ID": "r3"}), ("/nowhere", {})]


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    _forget()
    yield
    _forget()


def _forget() -> None:
    forget(MODULES)


def _load(folder: Path, name: str):  # type: ignore[no-untyped-def]
    return import_from(folder, name, _forget)


def _project(tmp_path: Path, app: str, books: str = BOOKS):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(app, encoding="utf-8")
    (folder / "books.py").write_text(books, encoding="utf-8")
    return folder, port(str(folder), only="books")


WHOLE = BOOKS.replace("request.environ.get(\"QUERY_STRING\", \"\")", "request.args.get(\"q\", \"\")")


@pytest.mark.parametrize(("books", "moved"), [(BOOKS, 1), (WHOLE, 0)])  # a view moved, the Blueprint converted
def test_the_apps_hooks_and_handlers_run_around_fastapis_routes_as_flasks(tmp_path: Path, books: str,
                                                                          moved: int) -> None:
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, APP.format(extra=""), books)
    assert (result.routes_moved, result.routes_ported) == (moved, 1 + (not moved)), result.notes
    assert HOOKS_ADDED in result.after["main.py"]
    assert "app.add_exception_handler(Invalid, invalid)" in result.after["main.py"]
    assert "@app." not in result.after["app_hooks_fastapi.py"]  # the copies are plain functions
    # a difference the whole-app port documents stays documented in the copy
    assert "TODO(migrate-audit FMA402)" in result.after["app_hooks_fastapi.py"]
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": (folder / "app.py").read_text(), "books.py": books, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    flask_module = _load(folder, "app")
    flask = flask_module.app.test_client()
    answers = [flask.get(path, headers=headers) for path, headers in REQUESTS]
    flask_closed = list(flask_module.CLOSED)
    main = _load(out, "main")
    ported_closed = sys.modules["app"].CLOSED  # the Flask app's module behind main.py: the copies append to it too
    assert set(main.app.openapi()["paths"]) == {"/books/{book_id}"} | ({"/books/raw/environ"} if not moved else set())
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (path, headers), expected in zip(REQUESTS, answers):
            got = fastapi.get(path, headers=headers)
            assert got.status_code == expected.status_code, (path, headers)
            assert got.json() == expected.get_json(), (path, headers)
            for header in ("x-request-id", "x-timed"):
                assert got.headers.get(header) == expected.headers.get(header), (path, headers, header)
        if moved:  # a method the moved route lacks: the Flask route behind answers it (405), its hooks alone running
            expected = flask.post("/books/1", headers={"X-Request-ID": "p1"})
            flask_closed.append(flask_module.CLOSED[-1])
            got = fastapi.post("/books/1", headers={"X-Request-ID": "p1"})
            assert got.status_code == expected.status_code == 405
            assert got.headers.get("x-request-id") == expected.headers.get("x-request-id") == "p1"
    # each teardown ran once per request, with what the before hook had put in g
    assert ported_closed == flask_closed == ["none", "r1", "none", "r2", "none", "r3", "none"] + ["p1"] * moved


@pytest.mark.parametrize(("extra", "why"), [
    ('\n\n@app.errorhandler(500)\ndef broken(error):\n    return {"broken": True}, 500\n',
     "a handler for 500 or Exception runs in Starlette's ServerErrorMiddleware"),
    (('\n\ndef lookup():\n    return g.get("user")\n\n\n@app.after_request\ndef user_header(response):\n'
     '    response.headers["X-User"] = str(lookup())\n    return response\n'),
     "user_header uses lookup, which needs Flask"),
    ('\n\n@app.before_request\ndef remember():\n    session["seen"] = True\n',
     "uses Flask's session"),
    (('\n\n@app.before_request\ndef to_login():\n    if request.headers.get("X-Anonymous"):\n'
     '        return redirect(url_for("books.environ"))\n'),
     "FMA111 in it is left to people"),  # (were url_for ported there, hooks_in_front refuses a hook building a URL)
])
def test_hooks_that_would_answer_otherwise_keep_the_views_with_flask(tmp_path: Path, extra: str, why: str) -> None:
    app = APP.format(extra=extra).replace("from flask import Flask, g, request",
                                          "from flask import Flask, g, redirect, request, session, url_for")
    _, result = _project(tmp_path, app)
    assert result.routes_moved == 0 and "main.py" not in result.after
    assert any(note.startswith("the hooks and error handlers of app.py are not carried") and why in note
               for note in result.notes), result.notes
    assert any(note.startswith("no route moves to FastAPI on its own") for note in result.notes), result.notes


PLAIN_APP = '''\
import os

from flask import Flask

from books import bp

app = Flask(__name__)
app.register_blueprint(bp)


def ping():
    return {"ok": True}
'''


@pytest.mark.parametrize(("extra", "moved", "why"), [
    ('app.add_url_rule("/ping", view_func=ping)', 1, None),  # another path: Flask answers it behind FastAPI
    ('app.add_url_rule("/books/<int:book_id>", view_func=ping)', 0, "its URL /books/<int:book_id> can match"),
    ('app.add_url_rule(f"/{os.sep}", view_func=ping)', 0, "has a URL the port cannot read"),
    ('app.add_url_rule("/ping", view_func=ping, subdomain="api")', 0, "subdomain="),
    ('os.makedirs(app.instance_path, exist_ok=True)', 1, None),  # a folder the app reads: no answer changes
    ('app.debug = True', 0, "(flask-app-attribute) may change how any request is answered"),
    ("if not app.debug and not app.testing:\n    print(app.root_path)", 1, None),  # flags and folders read
    ("app.json.sort_keys = False", 0, "(flask-app-attribute) may change how any request is answered"),
])
def test_routes_and_attributes_of_the_app_stop_only_what_they_change(tmp_path: Path, extra: str, moved: int,
                                                                     why: str | None) -> None:
    _, result = _project(tmp_path, f"{PLAIN_APP}\n\n{extra}\n")
    assert result.routes_moved == moved, result.notes
    if why is not None:
        assert any(why in note for note in result.notes), result.notes


def test_a_route_added_with_add_url_rule_is_answered_by_flask_behind_fastapi(tmp_path: Path) -> None:
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    app = PLAIN_APP + '\n\napp.add_url_rule("/ping", view_func=ping)\n'
    folder, result = _project(tmp_path, app)
    assert result.routes_moved == 1, result.notes
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": app, "books.py": BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    flask = _load(folder, "app").app.test_client()
    answers = {path: flask.get(path) for path in ("/ping", "/books/1", "/books/3")}
    with TestClient(_load(out, "main").app, follow_redirects=False) as fastapi:
        for path, expected in answers.items():
            got = fastapi.get(path)
            assert got.status_code == expected.status_code, path
            if expected.is_json:
                assert got.json() == expected.get_json(), path


PROXIED_APP = '''\
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from books import bp

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
app.register_blueprint(bp)
'''
PROXIED_BOOKS = BOOKS.replace('''@bp.get("/raw/environ")''', '''@bp.get("/at/where")
def where():
    return {"client": request.remote_addr, "scheme": request.scheme, "url": request.url, "host": request.host}


@bp.get("/raw/environ")''')


def test_proxy_fix_rewrites_the_requests_of_fastapis_routes_as_flasks(tmp_path: Path) -> None:
    """`app.wsgi_app = ProxyFix(...)`: main.py puts the port's WerkzeugProxyFix (port/proxy_fix.py) outermost around
    FastAPI's routes, so a moved view reads the client, scheme and host the proxy forwarded, as Flask's does."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, PROXIED_APP, PROXIED_BOOKS)
    assert result.routes_moved == 2, result.notes
    assert "middleware=WerkzeugProxyFix," in result.after["main.py"]
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": PROXIED_APP, "books.py": PROXIED_BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    requests = [{"X-Forwarded-For": "10.0.0.1, 10.0.0.2", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "shop.example"},
                {"X-Forwarded-For": "10.0.0.9", "X-Forwarded-Proto": "http, https"}]
    flask = _load(folder, "app").app.test_client()
    answers = [flask.get("/books/at/where", headers={"Host": "books.example", **headers}) for headers in requests]
    with TestClient(_load(out, "main").app, follow_redirects=False) as fastapi:
        for headers, expected in zip(requests, answers):
            got = fastapi.get("/books/at/where", headers={"Host": "books.example", **headers})
            assert got.status_code == expected.status_code == 200
            assert got.json() == expected.get_json(), headers


FACTORY_APP = '''\
import time
import uuid

from flask import Flask, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.middleware.proxy_fix import ProxyFix

from books import bp

CLOSED = []


class Redis:
    def close(self):
        CLOSED.append(True)


def create_app():
    app = Flask(__name__)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    app.register_blueprint(bp)

    @app.before_request
    def start_request():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        g.redis = Redis()

    @app.after_request
    def add_timing_headers(response):
        elapsed_ms = (time.perf_counter() - g.request_started) * 1000
        response.headers["X-Response-Time"] = "measured" if elapsed_ms >= 0 else "never"
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error="not found"), 404

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(error="validation failed", errors=error.messages), 422

    @app.teardown_appcontext
    def close_redis(exc):
        conn = g.pop("redis", None)
        if conn is not None:
            conn.close()

    return app
'''
FACTORY_BOOKS = BOOKS.replace("from flask import Blueprint, abort, request\n",
                              "from flask import Blueprint, abort, request\nfrom marshmallow import ValidationError\n")
FACTORY_BOOKS = FACTORY_BOOKS.replace('raise Invalid("no Emma")', 'raise ValidationError({"title": ["no Emma"]})')
FACTORY_BOOKS = FACTORY_BOOKS.replace('"title": BOOKS[book_id]}', '"title": BOOKS[book_id], "client": request.remote_addr}')


def test_the_hooks_of_an_app_factory_run_around_fastapis_routes_as_flasks(tmp_path: Path) -> None:
    """The sample app's hooks (timing headers and a request id in g, a teardown closing what g holds, handlers for
    404 and marshmallow's ValidationError, ProxyFix) made in create_app: copied out of the factory, which main.py
    calls once, and compared beside the Flask app the factory makes."""
    pytest.importorskip("a2wsgi")
    pytest.importorskip("marshmallow")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, FACTORY_APP, FACTORY_BOOKS)
    assert result.routes_moved == 1, result.notes
    assert "def start_request(request: Request):\n    request.state" in result.after["app_hooks_fastapi.py"]
    main_text = result.after["main.py"]
    assert main_text.index("dispatch=flask_request_hooks") < main_text.index("middleware=WerkzeugProxyFix")  # outermost
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": FACTORY_APP, "books.py": FACTORY_BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    requests = [(path, {"X-Request-ID": f"r{index}", "X-Forwarded-For": "10.0.0.1, 10.0.0.2"})
                for index, (path, _) in enumerate(REQUESTS)]
    flask_module = _load(folder, "app")
    flask = flask_module.create_app().test_client()
    answers = [flask.get(path, headers=headers) for path, headers in requests]
    flask_closed = len(flask_module.CLOSED)
    main = _load(out, "main")
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (path, headers), expected in zip(requests, answers):
            got = fastapi.get(path, headers=headers)
            assert got.status_code == expected.status_code, path
            assert got.json() == expected.get_json(), path
            for header in ("x-request-id", "x-response-time"):
                assert got.headers.get(header) == expected.headers.get(header), (path, header)
    assert len(sys.modules["app"].CLOSED) == flask_closed == len(requests)  # each request's connection closed once


DB = '''\
import sqlite3

from flask import g


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(":memory:")
    return g.db


def close_db(e=None):
    """Close the request's connection, if it opened one."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def close_strict(e=None):  # raises KeyError where the request opened nothing
    g.pop("db").close()


def close_unguarded(e=None):  # raises AttributeError where the request opened nothing
    db = g.pop("db", None)
    db.close()


def init_app(app):
    app.teardown_appcontext({closer})
'''
TEARDOWN_APP = '''\
from flask import Flask

from books import bp
from db import init_app

app = Flask(__name__)
init_app(app)
app.register_blueprint(bp)
'''
G_VIEW = '''

@bp.get("/own/state")
def state():
    g.seen = True
    return {"seen": g.seen}
'''


@pytest.mark.parametrize(("closer", "moved", "why"), [
    ("close_db", 1, ("books.py:25 state stays Flask: it keeps values in g, which FMA403 at db.py:29 (a teardown hook) "
                    "closes in Flask")),
    ("print", 0, "(flask-teardown-hook)"),  # not a function of the module: what it does is not known
    ("close_strict", 0, "(flask-teardown-hook)"),  # Flask's request would fail where the copy answers
    ("close_unguarded", 0, "(flask-teardown-hook)"),
])
def test_a_teardown_acting_on_g_only_keeps_only_the_views_using_g(tmp_path: Path, closer: str, moved: int,
                                                                  why: str) -> None:
    """Flask runs a teardown hook once the response is made: one that acts only on what the request put in g
    (flaskr's close_db) changes nothing for a moved view's copy, which cannot put anything in g unless it uses g."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    books = BOOKS.replace("from flask import Blueprint, abort, request", "from flask import Blueprint, abort, g, request") \
        + G_VIEW
    folder, result = _project(tmp_path, TEARDOWN_APP, books)
    (folder / "db.py").write_text(DB.format(closer=closer), encoding="utf-8")
    result = port(str(folder), only="books")
    assert result.routes_moved == moved, result.notes
    assert any(why in note for note in result.notes), result.notes
    if not moved:
        return
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": TEARDOWN_APP, "books.py": books, "db.py": DB.format(closer=closer),
                          **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    flask = _load(folder, "app").app.test_client()
    paths = ["/books/1", "/books/3", "/books/own/state"]
    answers = {path: flask.get(path) for path in paths}
    sys.modules.pop("db", None)
    with TestClient(_load(out, "main").app, follow_redirects=False) as fastapi:
        for path, expected in answers.items():
            got = fastapi.get(path)
            assert got.status_code == expected.status_code, path
            if expected.is_json:
                assert got.json() == expected.get_json(), path


SIGNALS_APP = '''\
from flask import Flask, request_finished, request_started

from books import bp

app = Flask(__name__)
LOG = []


@request_started.connect_via(app)
def on_start(sender, **extra):
    LOG.append("started")


@request_finished.connect_via(app)
def on_finish(sender, response, **extra):
    LOG.append(f"finished {response.status_code}")


app.register_blueprint(bp)
'''


def test_the_apps_request_signals_are_sent_for_fastapis_routes_as_by_flask(tmp_path: Path) -> None:
    """Receivers of Flask's request signals on the app: the middleware the whole-app port writes sends them, and
    main.py runs it around FastAPI's routes, each request logged once, whichever side answers it."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, SIGNALS_APP)
    assert result.routes_moved == 1, result.notes
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": SIGNALS_APP, "books.py": BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    paths = ["/books/1", "/books/3", "/books/raw/environ", "/nowhere"]
    flask_module = _load(folder, "app")
    flask = flask_module.app.test_client()
    answers = {path: flask.get(path) for path in paths}
    main = _load(out, "main")
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for path, expected in answers.items():
            assert fastapi.get(path).status_code == expected.status_code, path
    assert sys.modules["app"].LOG == flask_module.LOG == ["started", "finished 200", "started", "finished 404"] * 2


SUITE_APP = '''\
from flask import Flask, abort, g, request

app = Flask(__name__)
app.jinja_env.trim_blocks = True  # left to people: the app stays Flask, its views move on their own
BOOKS = {1: "Dune"}


@app.before_request
def remember_id():
    g.request_id = request.headers.get("X-Request-ID", "none")


@app.after_request
def add_id(response):
    response.headers["X-Request-ID"] = g.request_id
    return response


@app.errorhandler(404)
def not_found(error):
    return {"error": "not found"}, 404


@app.get("/books/<int:book_id>")
def book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}
'''
SUITE_CONFTEST = '''\
import pytest

from app import app as the_app


@pytest.fixture()
def client():
    return the_app.test_client()
'''
SUITE_TESTS = '''\
def test_hook_header(client):
    response = client.get("/books/1", headers={"X-Request-ID": "r9"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "r9"


def test_handler(client):
    response = client.get("/books/3")
    assert response.status_code == 404
    assert response.json == {"error": "not found"}
'''


def test_the_ported_tests_drive_the_hooks_main_py_carries(tmp_path: Path) -> None:
    """The project's tests, ported to drive main.py's composition around their Flask app (port/test_clients.py),
    get the hooks and handlers main.py carries too: they pass after the port as before."""
    import os
    import subprocess

    from migrate_audit.port.writer import write

    pytest.importorskip("a2wsgi")
    folder = tmp_path / "project"
    (folder / "tests").mkdir(parents=True)
    for relpath, text in {"app.py": SUITE_APP, "tests/conftest.py": SUITE_CONFTEST,
                          "tests/test_app.py": SUITE_TESTS}.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1, result.notes
    helper = result.after["tests/ported_test_app.py"]
    assert HOOKS_ADDED.replace("\n", "\n    ") in helper
    out = tmp_path / "ported"
    write(str(folder), result.after, str(out))
    for tree in (folder, out):
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=tree,
                             capture_output=True, text=True, timeout=300, check=False,
                             env={**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"})
        assert run.returncode == 0 and "2 passed" in run.stdout, (tree, run.stdout, run.stderr)


def test_a_project_helper_around_add_url_rule_is_a_route_the_port_cannot_read(tmp_path: Path) -> None:
    """flaskbb's `register_view(bp, routes=[...], view_func=...)`: its calls register routes too (FMA109), whose URLs
    the port does not read, so no view moves (and the port does not fail on them)."""
    helpers = '''\
from flask import Blueprint, Flask


def register_view(bp_or_app: Blueprint | Flask, routes: list[str], view_func, *args, **kwargs):
    for route in routes:
        bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)
'''
    app = PLAIN_APP + "\n\nfrom helpers import register_view\n\nregister_view(app, routes=['/ping'], view_func=ping)\n"
    folder, _ = _project(tmp_path, app)
    (folder / "helpers.py").write_text(helpers, encoding="utf-8")
    result = port(str(folder), only="books")
    assert result.routes_moved == 0, result.notes


TEMPLATE_404 = APP.format(extra="").replace(
    '''def not_found(error):
    return {"error": "not found", "code": error.code}, 404''', '''def not_found(error):
    return render_template("404.html"), 404''').replace("from flask import Flask, g, request",
                                                        "from flask import Flask, g, render_template, request")
COUNT_VIEW = '''

@bp.get("/count/all")
def count():
    return {"books": len(BOOKS)}
'''


# the 404 page's handler reads what the port leaves to people (request.environ): it stays with Flask alone
LEFT_404 = TEMPLATE_404.replace('render_template("404.html")',
                                'render_template("404.html", query=request.environ.get("QUERY_STRING"))')


@pytest.mark.parametrize(("app", "moved"), [(LEFT_404, 1), (TEMPLATE_404, 2)])
def test_a_handler_for_a_status_left_with_flask_keeps_only_the_views_that_may_answer_it(tmp_path: Path, app: str,
                                                                                       moved: int) -> None:
    """A 404 handler the port leaves to people: main.py carries the other hooks and handlers, and only the views
    whose copy may answer 404 (abort(404)) stay with Flask. The sample app's, which only renders a template, is
    carried too (rendered by the Flask app behind: flask_render), and they move (tests/test_port_handler_page.py)."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    books = BOOKS + COUNT_VIEW
    folder, result = _project(tmp_path, app, books)
    (folder / "templates").mkdir()
    (folder / "templates" / "404.html").write_text("<h1>Not here</h1>", encoding="utf-8")
    assert result.routes_moved == moved, result.notes
    assert any(note.startswith("books.py:11 book stays Flask: it may answer 404, which Flask's handler answers "
                               "otherwise (FMA405 at app.py:") for note in result.notes) == (moved == 1), result.notes
    assert ("app.add_exception_handler(404, not_found)" in result.after["main.py"]) == (moved == 2)
    assert "app.add_exception_handler(Invalid, invalid)" in result.after["main.py"]
    out = tmp_path / "out"
    out.mkdir()
    (out / "templates").mkdir()
    (out / "templates" / "404.html").write_text("<h1>Not here</h1>", encoding="utf-8")
    for relpath, text in {"app.py": app, "books.py": books, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    requests = [("/books/count/all", {"X-Request-ID": "c1"}), ("/books/3", {}), ("/books/2", {}), ("/nowhere", {})]
    flask_module = _load(folder, "app")
    flask = flask_module.app.test_client()
    answers = [flask.get(path, headers=headers) for path, headers in requests]
    main = _load(out, "main")
    assert set(main.app.openapi()["paths"]) == {"/books/count/all"} | ({"/books/{book_id}"} if moved == 2 else set())
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (path, headers), expected in zip(requests, answers):
            got = fastapi.get(path, headers=headers)
            assert got.status_code == expected.status_code, path
            # the JSON text differs by Flask's final newline (docs/port.md), the HTML page not at all
            assert (got.json() if expected.is_json else got.text) == (expected.get_json() if expected.is_json
                                                                     else expected.get_data(as_text=True)), path
            assert got.headers.get("x-request-id") == expected.headers.get("x-request-id"), path


@pytest.mark.parametrize(("made", "extra", "moved", "why"), [
    ('Flask(__name__, static_folder="assets")', "", 1, None),  # files served under /static: no other URL
    ('Flask(__name__, static_url_path="/books")', "", 0, "can match what /books/<path:filename> matches"),
    ('Flask(__name__, static_url_path=PREFIX)', "", 0, "has a URL the port cannot read"),
    ("Flask(__name__)", '''
from flask.views import MethodView


class Reviews(MethodView):
    def get(self, book_id):
        return {"book": book_id}


app.add_url_rule("/reviews/<int:book_id>", view_func=Reviews.as_view("reviews"))
''', 1, None),  # a class-based view answers on its own rule only
])
def test_folders_and_class_based_views_stop_only_the_views_whose_urls_they_share(
        tmp_path: Path, made: str, extra: str, moved: int, why: str | None) -> None:
    app = "PREFIX = '/files'\n" + PLAIN_APP.replace("Flask(__name__)", made) + extra
    _, result = _project(tmp_path, app)
    assert result.routes_moved == moved, result.notes
    if why is not None:
        assert any(why in note for note in result.notes), result.notes


def test_the_preferred_url_scheme_changes_no_answer_of_a_moved_view(tmp_path: Path) -> None:
    """PREFERRED_URL_SCHEME builds URLs outside a request only (and is Flask's test client's default scheme): a view
    reading the request's URL answers alike on both sides, so the key no longer keeps views with Flask; SERVER_NAME,
    which Flask matches requests against, still does."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    app = PROXIED_APP.replace("app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)\n",
                              'app.config["PREFERRED_URL_SCHEME"] = "https"\n')
    folder, result = _project(tmp_path, app, PROXIED_BOOKS)
    assert result.routes_moved == 2, result.notes
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": app, "books.py": PROXIED_BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    expected = _load(folder, "app").app.test_client().get("/books/at/where", base_url="http://books.example")
    with TestClient(_load(out, "main").app, base_url="http://books.example") as fastapi:
        got = fastapi.get("/books/at/where")
    assert got.json()["url"] == expected.get_json()["url"] == "http://books.example/books/at/where"
    assert got.json()["scheme"] == expected.get_json()["scheme"] == "http"
    (tmp_path / "server").mkdir()
    _, blocked = _project(tmp_path / "server", app.replace("PREFERRED_URL_SCHEME", "SERVER_NAME"), PROXIED_BOOKS)
    assert blocked.routes_moved == 0 and any("mentions SERVER_NAME" in note for note in blocked.notes), blocked.notes


def test_a_handler_registered_by_a_call_and_left_with_flask_keeps_only_the_views_that_may_answer_it(
        tmp_path: Path) -> None:
    """ihatemoney's `app.register_error_handler(404, page_not_found)`, whose page renders a template: a handler for
    a status staying with Flask, as a decorated one does (the 404 view stays, the other moves)."""
    app = PLAIN_APP.replace("app.register_blueprint(bp)\n", "app.register_blueprint(bp)\napp.register_error_handler(404, page_not_found)\n")
    app = app.replace("import os\n", "import os\n\nfrom flask import render_template\n").replace(
        "app = Flask(__name__)", 'def page_not_found(error):\n    return render_template("404.html"), 404\n\n\napp = Flask(__name__)')
    _, result = _project(tmp_path, app, BOOKS + COUNT_VIEW)
    assert result.routes_moved == 1, result.notes
    assert any(note.startswith("books.py:11 book stays Flask: it may answer 404") for note in result.notes), result.notes
