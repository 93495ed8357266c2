"""`migrate-audit port`: a view's other decorators (port/decorators.py). The module's own `functools.wraps`
decorators stay on the path operations, their wrappers ported as views are; checked side by side with Flask on the
same requests. Those the port cannot make faithful keep their routes with Flask, saying why."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import ported_project, side_by_side

pytest.importorskip("fastapi")

APP = '''\
import functools
from functools import wraps

from flask import Flask, abort, jsonify, redirect, request

app = Flask(__name__)
CALLS = []


def login_required(view):
    """Only for requests that say who sends them."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("X-User") is None:
            return jsonify(error="login required"), 401
        return view(*args, **kwargs)
    return wrapped


def needs_token(view):
    @wraps(view)
    def checked(**kwargs):
        if request.cookies.get("token") != "s3cret":
            return redirect("/login")
        return view(**kwargs)
    return checked


def admins_only(view):
    @wraps(view)
    def checked(*args, **kwargs):
        if request.headers.get("X-User") != "root":
            abort(403)
        return view(*args, **kwargs)
    return checked


def counted(view):
    @wraps(view)
    def counting(*args, **kwargs):
        CALLS.append(1)
        return view(*args, **kwargs)
    return counting


@app.get("/notes/<int:note_id>")
@login_required
def note(note_id):
    return {"id": note_id}


@app.post("/admin")
@login_required
@needs_token
def admin():
    return {"admin": True, "user": request.headers.get("X-User")}


@app.delete("/notes/<int:note_id>")
@admins_only
def delete_note(note_id):
    return {"deleted": note_id}


@app.get("/count")
@counted
def count():
    return {"calls": len(CALLS)}


@app.get("/me/<name>")
@counted
@login_required
def me(name):
    return {"name": name, "calls": len(CALLS)}
'''


def _answer(response):  # type: ignore[no-untyped-def]
    body = response.get_json(silent=True) if hasattr(response, "get_json") else (
        response.json() if response.content and "json" in response.headers.get("content-type", "") else None)
    return response.status_code, body, response.headers.get("Location")


def test_own_decorators_stay_on_the_path_operations_and_answer_as_in_flask(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    # abort() in a wrapper, which runs as the path operation: Werkzeug's response returned (port/responses.py
    # flask_abort), as in a view
    assert "return flask_abort(403)" in result.after["app.py"]
    text = result.after["app.py"]
    # the wrapper reads the request: it is given it, and the views it decorates ask FastAPI for it
    assert "def wrapped(request: Request, *args, **kwargs):" in text
    assert "return view(*args, **kwargs, request=request)" in text
    assert "def note(request: Request, note_id: int):" in text
    assert "def counting(*args, **kwargs):" in text  # reads nothing: left as it is
    assert '@app.api_route("/me/{name}", methods=["GET", "HEAD"])\n@counted\n@login_required\ndef me(' in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "own_decorators")
    for method, path, options in [
        ("get", "/notes/7", {}), ("get", "/notes/7", {"headers": {"X-User": "ada"}}),
        ("post", "/admin", {}), ("post", "/admin", {"headers": {"X-User": "ada"}}),
        ("get", "/count", {}), ("get", "/count", {}), ("get", "/me/bo", {}),
        ("get", "/me/bo", {"headers": {"X-User": "ada"}}), ("head", "/notes/3", {"headers": {"X-User": "ada"}}),
        ("delete", "/notes/3", {"headers": {"X-User": "root"}}),
    ]:
        flask_answer = getattr(flask_client, method)(path, **options)
        fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False, **options)
        assert _answer(flask_answer) == _answer(fastapi_answer), (method, path, options)
    flask_client.set_cookie("token", "s3cret")
    fastapi_client.cookies.set("token", "s3cret")
    answers = [_answer(client.post("/admin", headers={"X-User": "ada"})) for client in (flask_client, fastapi_client)]
    assert answers[0] == answers[1] == (200, {"admin": True, "user": "ada"}, None)
    # abort(403) in the wrapper: the same status and Werkzeug's page, on both sides
    flask_answer, fastapi_answer = flask_client.delete("/notes/3"), fastapi_client.delete("/notes/3")
    assert (fastapi_answer.status_code, fastapi_answer.headers["content-type"], fastapi_answer.text) == \
        (flask_answer.status_code, flask_answer.headers["content-type"], flask_answer.get_data(as_text=True))
    assert flask_answer.status_code == 403 and "<title>403 Forbidden</title>" in fastapi_answer.text
    # the path parameter's type, read through __wrapped__: no match is Flask's 404 (its page is HTML, not JSON)
    assert flask_client.get("/notes/abc").status_code == fastapi_client.get("/notes/abc").status_code == 404


@pytest.mark.parametrize("change, why", [
    # a wrapper that reads the query string: query reads become the view's parameters, which a wrapper has not
    ('if request.cookies.get("token") != "s3cret":', 'if request.args.get("token") != "s3cret":'),
    # the view's name read in the wrapper: not only a call of it
    ("CALLS.append(1)", "CALLS.append(view.__name__)"),
    # an async view under a sync wrapper: Flask calls the wrapper, which returns a coroutine
    ("def count():", "async def count():"),
    # used otherwise than as a decorator of a view
    ('app = Flask(__name__)', 'app = Flask(__name__)\nnot_a_view = login_required(print)'),
])
def test_what_the_port_cannot_make_faithful_keeps_its_routes_with_flask(tmp_path: Path, change: str, why: str) -> None:
    source = textwrap.dedent(APP).replace(change, why)
    assert source != textwrap.dedent(APP)
    _, result = ported_project(tmp_path, source)
    assert result.routes_ported < result.routes
    assert any("decorator" in note for note in result.notes), result.notes


def test_a_decorator_another_module_imports_stays(tmp_path: Path) -> None:
    folder, _ = ported_project(tmp_path, APP)
    (folder / "more.py").write_text("from flask import Blueprint\nfrom app import login_required\n\n"
                                    "bp = Blueprint('more', __name__)\n", encoding="utf-8")
    from migrate_audit.port import port

    result = port(str(folder))
    assert "another module of the project may use it" in " ".join(result.notes), result.notes


FLASKR = '''\
import functools

from flask import Flask, g, redirect, session, url_for

app = Flask(__name__)
app.secret_key = "dev"


@app.before_request
def load_logged_in_user():
    g.user = session.get("user_id")


def login_required(view):
    """Flask's tutorial (flaskr/auth.py): back to the login page unless someone logged in."""
    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("login"))
        return view(**kwargs)
    return wrapped_view


@app.get("/login")
def login():
    return {"page": "login"}


@app.post("/login/<name>")
def do_login(name):
    session["user_id"] = name
    return {"user": name}


@app.get("/create")
@login_required
def create():
    return {"user": g.user}
'''


def test_flaskrs_login_required_redirects_as_in_flask(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The tutorial's decorator in one module: g (request.state, set by the before_request hook's middleware),
    url_for (request.app.url_path_for) and redirect (302) in the wrapper, the session through the bridge."""
    import sys

    folder, result = ported_project(tmp_path, FLASKR)
    assert result.todos == [] and result.routes_ported == result.routes == 3, result.notes
    text = result.after["app.py"]
    assert 'return flask_redirect(request.app.url_path_for("login"))' in text
    (tmp_path / "ported").mkdir()
    (tmp_path / "ported" / "flask_cookie_session.py").write_text(result.after["flask_cookie_session.py"], encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "ported"))
    from _port_support import load_app
    from fastapi.testclient import TestClient

    (tmp_path / "ported" / "app.py").write_text(text, encoding="utf-8")
    try:
        flask_client = load_app(folder, "flaskr_flask_side").app.test_client()
        fastapi_client = TestClient(load_app(tmp_path / "ported", "flaskr_fastapi_side").app)
        for method, path in [("get", "/create"), ("post", "/login/ada"), ("get", "/create"), ("head", "/create")]:
            flask_answer = getattr(flask_client, method)(path)
            fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False)
            assert _answer(flask_answer) == _answer(fastapi_answer), (method, path)
        assert _answer(fastapi_client.get("/create")) == (200, {"user": "ada"}, None)
    finally:
        sys.modules.pop("flask_cookie_session", None)
