"""Route by route for class-based views (port/split_class_views.py): a MethodView registered with add_url_rule, in a
Blueprint that stays Flask, moves to `<module>_fastapi.py` with all its path operations under its endpoint's name,
when it converts fully and passes the checks a moved function view passes; main.py, which serves it in front of the
Flask app, answers as the Flask app did (compared side by side on the same requests). A class that does not
convert, or whose URL overlaps another route, stays with the reason in the notes."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _port_support import forget

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")

APP = '''\
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from reviews import bp as reviews_bp

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
app.register_blueprint(reviews_bp, url_prefix="/api")
'''

REVIEWS = '''\
from flask import Blueprint, jsonify, request, url_for
from flask.views import MethodView

bp = Blueprint("api", __name__)
REVIEWS = {1: [{"stars": 5}], 2: []}


class ReviewAPI(MethodView):
    def get(self, book_id):
        return jsonify(REVIEWS.get(book_id, []))

    def post(self, book_id):
        data = request.get_json(silent=True) or {}
        review = {"stars": data.get("stars", 0), "book": book_id}
        location = url_for("api.book_reviews", book_id=book_id, _external=True)
        return jsonify(review), 201, {"Location": location}


class StatsAPI(MethodView):
    def get(self):
        return jsonify(count=self.count())

    def count(self):
        return len(REVIEWS)


class ShelfAPI(MethodView):
    def get(self, name):
        return jsonify(shelf=name)


@bp.post("/import")
def import_reviews():
    return jsonify(request.get_json(force=True))


@bp.get("/shelves/special")
def special():
    return jsonify(shelf="special")


bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))
bp.add_url_rule("/stats", view_func=StatsAPI.as_view("stats"))
bp.add_url_rule("/shelves/<name>", view_func=ShelfAPI.as_view("shelf"))
'''

MODULES = ("main", "app", "reviews", "reviews_fastapi", "flask_url_fallback")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: Any) -> Iterator[tuple[Any, Any, Any]]:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    (folder / "reviews.py").write_text(REVIEWS, encoding="utf-8")
    result = port(str(folder))
    out = tmp_path / "out"
    out.mkdir()
    for path in folder.iterdir():
        (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    forget(MODULES)
    monkeypatch.syspath_prepend(str(folder))
    import app as flask_side

    flask_app = flask_side.app
    forget(MODULES)
    monkeypatch.syspath_prepend(str(out))
    import main

    yield flask_app, main.app, result
    forget(MODULES)


def test_a_method_view_moves_with_all_its_path_operations(project: Any) -> None:
    from fastapi.testclient import TestClient

    flask_app, fastapi_app, result = project
    moved = result.after["reviews_fastapi.py"]
    assert "class ReviewAPI:" in moved and "def flask_external_url(" in moved and "async def request_json_silent(" in moved
    assert 'bp.api_route("/books/{book_id:int}/reviews", methods=["GET", "HEAD"], name="api.book_reviews")(ReviewAPI.get)' \
        in moved and 'bp.post("/books/{book_id:int}/reviews", name="api.book_reviews")(ReviewAPI.post)' in moved
    assert "StatsAPI" not in moved and "ShelfAPI" not in moved and "import_reviews" not in moved
    notes = "\n".join(result.notes)
    assert "1 route(s) of reviews.py served by FastAPI from reviews_fastapi.py" in notes
    assert "reviews.py:19 StatsAPI stays Flask: FMA112 at line 19 is left to people: the class has a method count" in notes  # it uses self: class_views.py leaves it
    assert "reviews.py:27 ShelfAPI stays Flask: its URL /api/shelves/<name> can match what /api/shelves/special" in notes
    # the Flask module keeps the class and its rule (url_for, the other methods of the path, a rollback)
    assert 'bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))' in \
        result.after.get("reviews.py", REVIEWS) and "class ReviewAPI(MethodView):" in result.after.get("reviews.py", REVIEWS)
    flask_client, client = flask_app.test_client(), TestClient(fastapi_app)
    requests = [
        ("GET", "/api/books/1/reviews", {}, None), ("GET", "/api/books/9/reviews", {}, None),
        ("HEAD", "/api/books/1/reviews", {}, None),
        ("POST", "/api/books/2/reviews", {"Content-Type": "application/json"}, b'{"stars": 4}'),
        ("POST", "/api/books/2/reviews", {"Content-Type": "text/plain"}, b'{"stars": 4}'),
        ("POST", "/api/books/2/reviews", {"Content-Type": "application/json"}, b"{broken"),
        ("POST", "/api/books/2/reviews", {"Host": "Shop.Example.com:80", "X-Forwarded-Proto": "https",
                                          "Content-Type": "application/json"}, b'{"stars": 1}'),
        ("GET", "/api/books/x/reviews", {}, None), ("GET", "/api/stats", {}, None),
        ("PUT", "/api/books/1/reviews", {}, None), ("OPTIONS", "/api/books/1/reviews", {}, None),
        ("GET", "/api/shelves/special", {}, None), ("GET", "/api/shelves/top", {}, None),
    ]
    for method, path, headers, body in requests:
        headers = {"Host": "localhost", **headers}  # the two test clients' default hosts differ
        expected = flask_client.open(path, method=method, headers=headers, data=body)
        got = client.request(method, path, headers=headers, content=body)
        assert got.status_code == expected.status_code, (method, path, headers)
        assert got.headers.get("Location") == expected.headers.get("Location"), (method, path, headers)
        assert got.headers.get("Allow") == expected.headers.get("Allow"), (method, path, headers)
        if method not in ("HEAD", "OPTIONS") and expected.status_code < 400:
            assert got.json() == expected.get_json(), (method, path, headers)
    # FastAPI answered the moved class's paths: the copy's path operations are main.py's routes
    assert client.post("/api/books/2/reviews", json={"stars": 3}).headers["Location"] == \
        "http://testserver/api/books/2/reviews"
    assert fastapi_app.url_path_for("api.book_reviews", book_id="2") == "/api/books/2/reviews"
    # and FastAPI answered them: the copy's router, included before the Flask app is mounted, has the two operations
    router = next(route.original_router for route in fastapi_app.routes if hasattr(route, "original_router"))
    assert [(route.path, sorted(route.methods), route.endpoint.__qualname__) for route in router.routes] == [
        ("/books/{book_id:int}/reviews", ["GET", "HEAD"], "ReviewAPI.get"),
        ("/books/{book_id:int}/reviews", ["POST"], "ReviewAPI.post")]
    assert router.routes[0].endpoint.__module__ == "reviews_fastapi"


def test_porting_again_changes_nothing(project: Any, tmp_path: Path) -> None:
    """The ported tree ported again: the moved module is not moved again (it exists), nor rewritten."""
    _, _, result = project
    again = port(str(tmp_path / "out"))
    assert "reviews_fastapi.py" not in again.after or again.after["reviews_fastapi.py"] == result.after["reviews_fastapi.py"]
    assert not any("served by FastAPI from reviews_fastapi" in note for note in again.notes)
    assert (tmp_path / "out" / "reviews_fastapi.py").read_text(encoding="utf-8") == result.after["reviews_fastapi.py"]


# The sample app's shape: a factory giving the app its LoginManager, ProxyFix, and an api Blueprint that stays Flask
# (a view of it keeps a TODO) whose MethodView guards POST with Flask-Login's own unauthorized answer.
EXTENSIONS = '''\
from flask_login import LoginManager

login_manager = LoginManager()
login_manager.login_view = "pages.login_page"
login_manager.login_message_category = "info"
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
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import login_manager


def create_app():
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="shelf-secret")
    login_manager.init_app(app)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from . import models  # noqa: F401  its user_loader
    from .api import bp as api_bp
    from .pages import bp as pages_bp

    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(pages_bp)
    return app
'''

API = '''\
from flask import Blueprint, current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_login import current_user

bp = Blueprint("api", __name__)
REVIEWS = {}


@bp.post("/import")
def import_reviews():
    return jsonify(request.get_json(force=True))


class ReviewAPI(MethodView):
    def get(self, book_id):
        return jsonify(REVIEWS.get(book_id, []))

    def post(self, book_id):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        data = request.get_json(silent=True) or {}
        data.update(book_id=book_id, user_id=current_user.id)
        REVIEWS.setdefault(book_id, []).append(data)
        location = url_for("api.book_reviews", book_id=book_id, _external=True)
        return jsonify(data), 201, {"Location": location}


bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))
'''

PAGES = '''\
from flask import Blueprint, get_flashed_messages
from flask_login import login_user

from .models import User

bp = Blueprint("pages", __name__)


@bp.get("/login")
def login_page():
    return {"page": "login"}


@bp.post("/login/<user_id>")
def login(user_id):
    login_user(User(user_id))
    return {"in": user_id}


@bp.get("/flashes")
def flashes():
    return {"flashes": get_flashed_messages(with_categories=True)}
'''


def test_a_method_view_using_flask_login_moves_in_front_of_the_factorys_app(tmp_path: Path, monkeypatch: Any) -> None:
    pytest.importorskip("flask_login")
    from _port_support import factory_sides, forget_packages
    from fastapi.testclient import TestClient

    def forget_all() -> None:
        forget_packages("shelf", "flask_cookie_session", "flask_login_bridge", "flask_login_front", "flask_url_fallback")

    files = {"__init__": FACTORY, "extensions": EXTENSIONS, "models": MODELS, "api": API, "pages": PAGES}
    try:
        flask_app, fastapi_app, result = factory_sides(tmp_path, monkeypatch, "shelf", files, None, forget_all)
        moved = result.after["shelf/api_fastapi.py"]
        assert "from flask_login_bridge import current_login_manager, current_user" in moved, moved
        assert "return current_login_manager().unauthorized()" in moved and "class ReviewAPI:" in moved
        assert "1 route(s) of shelf/api.py served by FastAPI from shelf/api_fastapi.py" in "\n".join(result.notes)
        # counted among the routes converted fully, as a decorated view moved alone is
        assert ("shelf/api.py", 28, "ReviewAPI") in result.converted, result.converted
        flask_client = flask_app.test_client()
        flask_client.environ_base.update(REMOTE_ADDR="testclient", HTTP_USER_AGENT="testclient")
        client = TestClient(fastapi_app, follow_redirects=False)
        for method, path, headers, body in [
            ("POST", "/api/books/3/reviews?x=%C3%A9", {}, b'{"stars": 2}'), ("GET", "/flashes", {}, None),
            ("GET", "/api/books/3/reviews", {}, None), ("POST", "/login/ada", {}, None),
            ("POST", "/api/books/3/reviews", {"Content-Type": "application/json"}, b'{"stars": 5}'),
            # (the host the Flask client keeps the session cookie for: its jar is per host, httpx's is not)
            ("POST", "/api/books/3/reviews", {"Content-Type": "application/json", "X-Forwarded-Proto": "https",
                                              "Host": "LocalHost:443"}, b'{"stars": 4}'),
            ("POST", "/api/books/3/reviews", {"Content-Type": "text/plain"}, b'{"stars": 3}'),
            ("GET", "/api/books/3/reviews", {}, None), ("GET", "/flashes", {}, None),
        ]:
            headers = {"Host": "localhost", **headers}
            expected = flask_client.open(path, method=method, headers=headers, data=body)
            got = client.request(method, path, headers=headers, content=body)
            assert (got.status_code, got.headers.get("Location")) == \
                (expected.status_code, expected.headers.get("Location")), (method, path, headers)
            # (Flask-Login's redirect is Werkzeug's page on both sides: compared as bytes)
            assert (got.json() if expected.is_json else got.content) == \
                (expected.get_json() if expected.is_json else expected.data), (method, path)
        again = client.post("/api/books/3/reviews", json={}, headers={"Host": "LocalHost:443", "X-Forwarded-Proto": "https"})
        assert (again.status_code, again.headers["Location"]) == (201, "https://localhost/api/books/3/reviews")
        router = next(route.original_router for route in fastapi_app.routes if hasattr(route, "original_router"))
        assert [route.endpoint.__module__ for route in router.routes] == ["shelf.api_fastapi", "shelf.api_fastapi"]
    finally:
        forget_all()
