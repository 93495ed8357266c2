"""Werkzeug's exceptions raised in a helper the Blueprint's views call (the Flask tutorial's `get_post`: `abort(404,
f"Post id {id} doesn't exist.")`), compared beside real Flask (port/helper_raises.py): raised still, and answered by
the router's `WerkzeugErrorRoute` with Werkzeug's page, its status and headers, where no error handler of the project
takes them; the project's handler answers where one does."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

HELPERS = '''
from flask import Blueprint, Flask, abort
from werkzeug.exceptions import Conflict, NotFound
from werkzeug.exceptions import abort as werkzeug_abort

bp = Blueprint("posts", __name__, url_prefix="/posts")
POSTS = {1: {"title": "Dune", "author": 1}, 2: {"title": "Emma", "author": 2}}


def get_post(id, check_author=True):
    post = POSTS.get(id)
    if post is None:
        abort(404, f"Post id {id} doesn't <exist>.")
    if check_author and post["author"] != 1:
        abort(403)
    return post


def get_title(id):
    if id == 7:
        werkzeug_abort(410, description="Gone & <forgotten>")
    if id == 8:
        werkzeug_abort(401)
    try:
        return POSTS[id]["title"]
    except KeyError:
        raise NotFound from None


def check_free(id):
    if id == 2:
        raise Conflict(f"post {id} is being edited")


@bp.get("/<int:id>")
def show(id):
    return {"post": get_post(id, check_author=False)}


@bp.post("/<int:id>/update")
def update(id):
    post = get_post(id)
    check_free(id)
    return {"updated": post["title"]}


@bp.get("/<int:id>/title")
def title(id):
    return {"title": get_title(id)}


@bp.get("/<int:id>/or-none")
def or_none(id):
    try:
        return {"post": get_post(id)}
    except NotFound:
        return {"post": None}


app = Flask(__name__)
app.register_blueprint(bp)
'''

REQUESTS = [("GET", "/posts/1"), ("GET", "/posts/2"), ("GET", "/posts/3"), ("POST", "/posts/1/update"),
            ("POST", "/posts/2/update"), ("POST", "/posts/5/update"), ("GET", "/posts/1/title"),
            ("GET", "/posts/7/title"), ("GET", "/posts/8/title"), ("GET", "/posts/9/title"),
            ("GET", "/posts/1/or-none"), ("GET", "/posts/2/or-none"), ("GET", "/posts/4/or-none"), ("HEAD", "/posts/3")]


def _same(flask_client, fastapi_client, method: str, url: str) -> None:  # type: ignore[no-untyped-def]
    """The same status, type and body (parsed when JSON, whose text Flask writes otherwise: docs/port.md), and
    for an error page the same bytes, length and header names."""
    expected, got = flask_client.open(url, method=method), fastapi_client.request(method, url)
    if expected.is_json and method != "HEAD":
        assert (got.status_code, got.headers["content-type"], got.json()) == \
            (expected.status_code, expected.headers["content-type"], expected.get_json()), (method, url)
        return
    assert (got.status_code, got.headers["content-type"], got.headers.get("content-length"), got.content) == \
        (expected.status_code, expected.headers["content-type"], expected.headers.get("content-length"),
         expected.get_data()), (method, url)
    assert sorted(k for k in got.headers if k not in ("date", "server")) == \
        sorted(k.lower() for k, _ in expected.headers.items()), (method, url)


def test_raised_in_helpers_answer_werkzeugs_page(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, HELPERS)
    text = result.after["app.py"]
    assert result.todos == [] and result.routes_ported == 4
    assert 'raise NotFound(f"Post id {id} doesn\'t <exist>.")' in text and "raise Forbidden()" in text
    assert 'werkzeug_abort(410, description="Gone & <forgotten>")' in text and "raise NotFound from None" in text
    assert 'APIRouter(prefix="/posts", route_class=WerkzeugErrorRoute)' in text
    assert "HTTPException(" not in text and "TODO" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "helper_raises")
    for method, url in REQUESTS:
        _same(flask_client, fastapi_client, method, url)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, HELPERS)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    again = port(str(folder))
    assert again.after.get("app.py", result.after["app.py"]) == result.after["app.py"] and again.todos == []


HANDLED = '''
from flask import Blueprint, Flask, abort

bp = Blueprint("posts", __name__)


def get_post(id):
    if id != 1:
        abort(404)
    if id == 1:
        abort(403, "not yours")
    return {}


@bp.get("/<int:id>")
def show(id):
    return get_post(id)


app = Flask(__name__)
app.register_blueprint(bp)


@app.errorhandler(404)
def missing(error):
    return {"error": "missing"}, 404
'''


def test_a_status_a_handler_takes_is_the_handlers(tmp_path: Path) -> None:
    """abort(404) beside `errorhandler(404)`: Flask answered with the handler, which the route class would not:
    FastAPI's HTTPException, which the converted handler answers; abort(403) no handler takes is Werkzeug's, as
    above."""
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, HANDLED)
    text = result.after["app.py"]
    assert "raise HTTPException(status_code=404)" in text and 'raise Forbidden("not yours")' in text
    assert "route_class=WerkzeugErrorRoute" in text and result.todos == [] and "TODO" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "helper_raises_handled")
    for url in ("/1", "/2", "/x"):
        _same(flask_client, fastapi_client, "GET", url)


def _uses(tmp_path: Path, extra: str) -> str:
    _, result = ported_project(tmp_path, HELPERS.replace("app = Flask(__name__)", extra + "\n\napp = Flask(__name__)"))
    return result.after["app.py"]


@pytest.mark.parametrize("extra", [
    "LOOKUP = get_post",  # not a call: FastAPI may call it anywhere
    "@bp.before_request\ndef load():\n    get_post(1)",  # a hook: outside the path operation
    "def other():\n    return get_post(1)",  # another helper: its callers are not known
    "@bp.get('/l/<int:id>')\ndef late(id):\n    return {'p': (lambda: get_post(id))()}",  # in a lambda of a view
])
def test_a_helper_used_outside_the_views_keeps_its_todo(tmp_path: Path, extra: str) -> None:
    assert 'raise NotFound(f"Post id' not in _uses(tmp_path, extra)


def test_a_helper_another_module_names_keeps_its_todo(tmp_path: Path) -> None:
    folder, _ = ported_project(tmp_path, HELPERS)
    (folder / "cli.py").write_text("from flask import Flask\nfrom app import get_post\n\nFlask(__name__)\n",
                                   encoding="utf-8")
    assert 'raise NotFound(f"Post id' not in port(str(folder)).after["app.py"]


IN_A_VIEW = '''
from flask import Blueprint, Flask
from werkzeug.exceptions import abort

bp = Blueprint("tea", __name__)


@bp.get("/tea/<int:n>")
def teapot(n):
    if n == 1:
        abort(418, "short and <stout>")
    if n == 2:
        abort(404)
    return {"n": n}


app = Flask(__name__)
app.register_blueprint(bp)
'''


def test_werkzeugs_own_abort_in_a_view_is_ported_as_flasks(tmp_path: Path) -> None:
    """`from werkzeug.exceptions import abort` in a view: `return flask_abort(...)`, as Flask's abort is there."""
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, IN_A_VIEW)
    text = result.after["app.py"]
    assert 'return flask_abort(418, "short and <stout>")' in text and "return flask_abort(404)" in text
    assert result.todos == [] and "route_class" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "helper_raises_view")
    for url in ("/tea/1", "/tea/2", "/tea/3"):
        _same(flask_client, fastapi_client, "GET", url)
