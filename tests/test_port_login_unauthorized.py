"""`current_app.login_manager.unauthorized()` / `.needs_refresh()` in a view whose module's Flask-Login goes to the
bridge (port/login.py): `current_login_manager()`, the LoginManager of the app serving the request, which for a
factory's app that stays Flask is main.py's FlaskAppLoginManager of the Flask app's own manager. Checked side by
side with Flask-Login itself: the redirect to the login (or refresh) view with `next`, the message flashed with
its category into Flask's session, no message where the manager has none, the 401 where it has no view."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _port_support import factory_sides, forget_packages

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")
pytest.importorskip("flask_login")

EXTENSIONS = '''\
from flask_login import LoginManager

login_manager = LoginManager()
login_manager.login_view = "pages.login_page"
login_manager.login_message_category = "info"
login_manager.refresh_view = "pages.login_page"
login_manager.needs_refresh_message = "Again, please."
'''

MODELS = '''\
from flask_login import UserMixin

from .extensions import login_manager


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id


@login_manager.user_loader
def load_user(user_id):
    return User(user_id)
'''

FACTORY = '''\
from flask import Flask

from .extensions import login_manager


def create_app():
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="shelf-secret")
    login_manager.init_app(app)

    from . import models  # noqa: F401  its user_loader
    from .pages import bp as pages_bp
    from .reviews import bp as reviews_bp

    app.register_blueprint(reviews_bp, url_prefix="/api")
    app.register_blueprint(pages_bp)
    return app
'''

# ported with `--only reviews`: the sample app's ReviewAPI.post guard, as a function view and a needs-refresh twin
REVIEWS = '''\
from flask import Blueprint, current_app
from flask_login import current_user, login_fresh

bp = Blueprint("reviews", __name__)


@bp.post("/books/<int:book_id>/reviews")
def add_review(book_id):
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return {"book": book_id, "by": current_user.get_id()}


@bp.get("/settings")
def settings():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not login_fresh():
        return current_app.login_manager.needs_refresh()
    return {"settings": current_user.get_id()}
'''

# the Flask app's own routes (not ported): a login (remember=True: the next session's login is not fresh) and
# the flashed messages
PAGES = '''\
from flask import Blueprint, get_flashed_messages, session
from flask_login import login_user

from .models import User

bp = Blueprint("pages", __name__)


@bp.get("/login")
def login_page():
    return {"page": "login"}


@bp.post("/login/<user_id>")
def login(user_id):
    login_user(User(user_id), remember=True)
    return {"in": user_id}


@bp.post("/forget-session")
def forget_session():
    session.clear()
    return {}


@bp.get("/flashes")
def flashes():
    return {"flashes": get_flashed_messages(with_categories=True)}
'''

SHELF = {"__init__": FACTORY, "extensions": EXTENSIONS, "models": MODELS, "reviews": REVIEWS, "pages": PAGES}


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: Any) -> Iterator[Any]:
    def build(**changes: str):  # type: ignore[no-untyped-def]
        return factory_sides(tmp_path, monkeypatch, "shelf", {**SHELF, **changes}, "reviews", _forget)

    yield build
    _forget()


def _forget() -> None:
    forget_packages("shelf", "flask_cookie_session", "flask_login_bridge", "flask_login_front")


def _clients(flask_app: Any, fastapi_app: Any) -> tuple[Any, Any]:
    from fastapi.testclient import TestClient

    flask_client = flask_app.test_client()
    flask_client.environ_base.update(REMOTE_ADDR="testclient", HTTP_USER_AGENT="testclient")
    # (User-Agent given again is sent twice: the Flask app behind main.py reads the values joined with ",", as
    # WSGI does, and so must the bridge, whose session identifier hashes it as Flask-Login's does)
    return flask_client, TestClient(fastapi_app, headers={"User-Agent": "testclient"}, follow_redirects=False)


def _answer(response: Any) -> tuple[Any, ...]:
    body = response.get_json(silent=True) if hasattr(response, "get_json") else (
        response.json() if response.content and "json" in response.headers.get("content-type", "") else None)
    return response.status_code, body, response.headers.get("Location")


STEPS = [("post", "/api/books/7/reviews"), ("get", "/flashes"), ("get", "/flashes"), ("get", "/api/settings"),
         ("post", "/api/books/7/reviews?draft=1&x=%C3%A9"), ("get", "/flashes"),
         # Werkzeug's request.url is an IRI: what it decodes, and what it keeps quoted (space, "%", "&", not UTF-8)
         ("post", "/api/books/7/reviews?q=a%20b+c%26d%FF%e2%82%ac&e=%25&f=%2B%3D"), ("get", "/flashes"),
         ("post", "/login/ada"), ("post", "/api/books/7/reviews"), ("get", "/api/settings"), ("get", "/flashes"),
         ("post", "/forget-session"), ("get", "/api/settings"), ("get", "/flashes"), ("post", "/api/books/7/reviews"),
         ("get", "/api/settings?tab=2"), ("get", "/flashes")]


def _compare(flask_client: Any, client: Any) -> list[tuple[Any, ...]]:
    answers = []
    for method, path in STEPS:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path)
        assert _answer(got) == _answer(expected), (method, path)
        answers.append(_answer(got))
    return answers


def test_the_flask_apps_manager_answers_unauthorized_as_flask_login(sides: Any) -> None:
    flask_app, fastapi_app, result = sides()
    reviews = result.after["shelf/reviews.py"]
    assert result.todos == [] and result.routes_ported == 2, result.notes
    assert "from flask_login_bridge import current_login_manager, current_user, login_fresh" in reviews
    assert "return current_login_manager().unauthorized()" in reviews and "current_app" not in reviews
    assert "return current_login_manager().needs_refresh()" in reviews
    answers = _compare(*_clients(flask_app, fastapi_app))
    # what Flask-Login answered, so answered by both: the login view with next=, the message flashed as "info"
    assert answers[0] == (302, None, "/login?next=%2Fapi%2Fbooks%2F7%2Freviews")
    assert answers[1] == (200, {"flashes": [["info", "Please log in to access this page."]]}, None)
    assert answers[13] == (302, None, "/login?next=%2Fapi%2Fsettings")  # not fresh: the refresh view
    assert answers[14] == (200, {"flashes": [["message", "Again, please."]]}, None)
    assert answers[15] == (200, {"book": 7, "by": "ada"}, None)  # logged in from the remember cookie


def test_without_a_message_or_a_view(sides: Any) -> None:
    """No login message: nothing flashed; no login view: Flask-Login's 401 (the bridge's is FastAPI's JSON error,
    the bridge's known difference, so only the status is compared)."""
    flask_app, fastapi_app, _ = sides(extensions=EXTENSIONS + "login_manager.login_message = None\n")
    flask_client, client = _clients(flask_app, fastapi_app)
    for method, path in STEPS[:3]:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path)
        assert _answer(got) == _answer(expected), (method, path)
    assert _answer(client.get("/flashes")) == (200, {"flashes": []}, None)
    _forget()


def test_without_a_login_view_both_answer_401(tmp_path: Path, monkeypatch: Any) -> None:
    extensions = EXTENSIONS.replace('login_manager.login_view = "pages.login_page"\n', "")
    flask_app, fastapi_app, _ = factory_sides(tmp_path, monkeypatch, "shelf", {**SHELF, "extensions": extensions},
                                              "reviews", _forget)
    try:
        flask_client, client = _clients(flask_app, fastapi_app)
        expected, got = flask_client.post("/api/books/7/reviews"), client.post("/api/books/7/reviews")
        assert got.status_code == expected.status_code == 401
    finally:
        _forget()


def test_a_manager_read_otherwise_keeps_its_view_with_flask(sides: Any) -> None:
    """`current_app.login_manager.login_view` keeps its TODO and its view stays with Flask; the module's other view
    moves to FastAPI on its own (split.py: its Flask-Login names are the bridge's, which main.py runs in front)."""
    reviews = REVIEWS.replace("return current_app.login_manager.unauthorized()",
                              "return current_app.login_manager.login_view", 1)
    flask_app, fastapi_app, result = sides(reviews=reviews)
    assert "FMA409" in [todo[1] for todo in result.todos if todo[0] == "shelf/reviews.py"]
    moved = result.after["shelf/reviews_fastapi.py"]
    assert "def settings(" in moved and "def add_review(" not in moved and result.routes_ported == 1, result.notes
    flask_client, client = _clients(flask_app, fastapi_app)
    for method, path in [("get", "/api/settings"), ("get", "/flashes"), ("post", "/login/ada"), ("get", "/api/settings"),
                         ("post", "/forget-session"), ("get", "/api/settings"), ("get", "/flashes"),
                         ("post", "/api/books/7/reviews")]:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path)
        assert _answer(got) == _answer(expected), (method, path)
