"""Flask's class-based views ported (port/class_views.py): a MethodView's methods and a View's dispatch_request become
path operations under the view's endpoint name, registered where add_url_rule ran; compared beside Flask on every
method the class answers, HEAD (a MethodView's `get`), a method it has not (405), a converter's no-match (404), the
rewrites of the bodies (request reads, jsonify, abort, tuples, strings) and url_for of the endpoint."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side, tried

from migrate_audit.port import port

APP = '''
from flask import Blueprint, Flask, abort, jsonify, request, url_for
from flask.views import MethodView, View

app = Flask(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")
REVIEWS = {1: ["A classic."]}


class ReviewAPI(MethodView):
    """Reviews of a book."""

    init_every_request = False

    def get(self, book_id):
        if book_id not in REVIEWS:
            abort(404)
        return jsonify(book=book_id, reviews=REVIEWS[book_id], page=request.args.get("page", 1, type=int))

    def post(self, book_id):
        REVIEWS.setdefault(book_id, []).append(request.get_json()["text"])
        location = url_for("api.book_reviews", book_id=book_id)
        return jsonify(book=book_id, reviews=REVIEWS[book_id]), 201, {"Location": location}

    def delete(self, book_id):
        REVIEWS.pop(book_id, None)
        return "", 204


class Hello(View):
    methods = ["GET", "POST"]

    def dispatch_request(self, name):
        return f"<p>Hello, {name}!</p>"


bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))
app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))
app.register_blueprint(bp)
'''

REQUESTS = [
    ("GET", "/api/books/1/reviews", {}), ("GET", "/api/books/1/reviews?page=3", {}), ("HEAD", "/api/books/1/reviews", {}),
    ("GET", "/api/books/9/reviews", {}), ("GET", "/api/books/x/reviews", {}),
    ("POST", "/api/books/1/reviews", {"json": {"text": "Too long."}}), ("GET", "/api/books/1/reviews", {}),
    ("PUT", "/api/books/1/reviews", {}), ("DELETE", "/api/books/1/reviews", {}), ("GET", "/api/books/1/reviews", {}),
    ("GET", "/hello/ada", {}), ("POST", "/hello/ada", {}), ("HEAD", "/hello/ada", {}), ("DELETE", "/hello/ada", {}),
]


def _answer(response, fastapi: bool) -> tuple:  # type: ignore[no-untyped-def]
    body = response.content if fastapi else response.data
    json = None
    if response.headers.get("content-type", "").startswith("application/json") and response.status_code < 400 and body:
        json = response.json() if fastapi else response.get_json()
    else:
        json = body if response.status_code < 400 else None  # error pages: Flask's HTML, FastAPI's JSON (FMA224)
    return response.status_code, response.headers.get("content-type", "").split(";")[0] if response.status_code < 400 \
        else None, json, response.headers.get("location")


def test_class_based_views_answer_as_flask_did(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, APP)
    text = result.after["app.py"]
    # nothing of Flask's is imported (the helpers the port writes, such as flask_abort, are named after it)
    assert "MethodView" not in text and not re.search(r"^\s*(from|import) flask\b", text, re.M), text
    assert 'bp.api_route("/books/{book_id:int}/reviews", methods=["GET", "HEAD"], name="api.book_reviews")' in text
    assert "@staticmethod\n    def post(\n        request: Request, book_id: int, " in text
    # each add_url_rule is a route of the app, converted fully with its class (not only decorator routes count)
    assert (result.routes, result.routes_ported) == (2, 2), result.notes
    assert sorted(name for _, _, name in result.converted) == ["Hello", "ReviewAPI"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "class_views")
    for method, path, options in REQUESTS:
        flask_side = _answer(flask_client.open(path, method=method, **options), False)
        fastapi_side = _answer(fastapi_client.request(method, path, **options), True)
        assert fastapi_side == flask_side, (method, path)


def test_a_second_port_changes_nothing(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, APP)
    again = tmp_path / "again"
    again.mkdir()
    (again / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(again)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("body", "reason"), [
    ("    decorators = [login]\n\n    def get(self):\n        return 'x'\n", "the decorators list has login, the module's own decorator"),
    ("    def get(self):\n        return self.page()\n\n    def page(self):\n        return 'x'\n",
     "the class has a method page besides its views"),
    ("    def get(self):\n        return self.text\n", "get uses self, the instance a path operation has not"),
    ("    def head(self):\n        return ''\n\n    def get(self):\n        return 'x'\n", "the class answers HEAD itself"),
])
def test_what_a_path_operation_would_lose_keeps_its_todo(tmp_path: Path, body: str, reason: str) -> None:
    source = ("from flask import Flask\nfrom flask.views import MethodView\n\napp = Flask(__name__)\n\n\n"
              "def login(view):\n    return view\n\n\nclass Page(MethodView):\n" + body +
              '\n\napp.add_url_rule("/page", view_func=Page.as_view("page"))\n')
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    left = {site.code: site.reason for site in tried(folder) if not site.handled}
    assert reason in left["FMA109"] and reason in left["FMA112"], left
    assert "MethodView" in port(str(folder)).after.get("app.py", source)


def test_as_view_arguments_are_refused(tmp_path: Path) -> None:
    source = ("from flask import Flask\nfrom flask.views import MethodView\n\napp = Flask(__name__)\n\n\n"
              "class Page(MethodView):\n    def get(self):\n        return 'x'\n\n\n"
              'app.add_url_rule("/page", view_func=Page.as_view("page", "an argument"))\n')
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    left = {site.code: site.reason for site in tried(folder) if not site.handled}
    assert "as_view() passes arguments" in left["FMA109"], left
    result = port(str(folder))
    assert (result.routes, result.routes_ported) == (1, 0)  # counted among the routes, not converted


def test_a_function_registered_with_add_url_rule_is_a_route_counted_as_left(tmp_path: Path) -> None:
    source = ("from flask import Flask\n\napp = Flask(__name__)\n\n\n"
              "def page():\n    return 'x'\n\n\n"
              'app.add_url_rule("/page", view_func=page)\n'
              '@app.get("/other")\ndef other():\n    return "y"\n')
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert result.routes == 2 and result.routes_ported <= 1, (result.routes, result.routes_ported, result.notes)
    assert "page" not in {name for _, _, name in result.converted}


@pytest.mark.parametrize(("registrations", "reason"), [
    (('app.add_url_rule("/page", view_func=Page.as_view("page"))\n'
      'app.add_url_rule("/other", view_func=Page.as_view("other"), methods=["GET"])\n'), "methods are not ported yet"),
    ('app.add_url_rule("/page", view_func=Page.as_view("page"))\nPAGES = [Page]\n', "Page is used otherwise"),
])
def test_a_class_converts_with_all_its_uses_or_not_at_all(tmp_path: Path, registrations: str, reason: str) -> None:
    source = ("from flask import Flask\nfrom flask.views import MethodView\n\napp = Flask(__name__)\n\n\n"
              "class Page(MethodView):\n    def get(self):\n        return 'x'\n\n\n" + registrations)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    left = [site.reason for site in tried(folder) if not site.handled and site.code == "FMA109"]
    assert left and all(reason in why for why in left), left
    assert "class Page(MethodView)" in port(str(folder)).after.get("app.py", source)


DECORATED = '''
from functools import wraps

from flask import Flask, abort, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
SEEN = []


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Token") != "s3cret":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def counted(view):
    @wraps(view)
    def wrapper(**kwargs):
        SEEN.append(len(SEEN))
        return view(**kwargs)
    return wrapper


class ItemAPI(MethodView):
    decorators = [token_required, counted]

    def get(self, item_id):
        return jsonify(item=item_id, seen=len(SEEN))

    def put(self, item_id):
        return jsonify(item=item_id, name=request.get_json()["name"], seen=len(SEEN))


app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
'''


def test_the_decorators_list_wraps_every_method_in_its_order(tmp_path: Path) -> None:
    """`decorators = [a, b]`: as_view makes b(a(view)), so b runs first: here `counted` counts the requests the token
    then refuses too, as in Flask."""
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, DECORATED)
    text = result.after["app.py"]
    assert "counted(token_required(ItemAPI.get))" in text, text
    assert not re.search(r"^\s*(from|import) flask\b", text, re.M), text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "class_view_decorators")
    token = {"X-Token": "s3cret"}
    for method, path, options in [("GET", "/items/1", {}), ("GET", "/items/1", {"headers": token}),
                                  ("HEAD", "/items/2", {"headers": token}), ("PUT", "/items/2", {"json": {"name": "a"}}),
                                  ("PUT", "/items/2", {"headers": token, "json": {"name": "a"}}),
                                  ("POST", "/items/2", {"headers": token}), ("GET", "/items/1", {"headers": token})]:
        flask_side = _answer(flask_client.open(path, method=method, **options), False)
        fastapi_side = _answer(fastapi_client.request(method, path, **options), True)
        assert fastapi_side == flask_side, (method, path)
