"""`migrate-audit port`: a class-based view's methods using Flask-SQLAlchemy run in the Flask app's context as
decorated views do (port/flask_sqlalchemy.py, port/class_views.py): each method, a path operation, gets
`@flask_app_context(...)` under its @staticmethod, and the module's `db.session` (FMA342, reported once per module)
is done when every use is in such a view or method. Checked side by side with Flask-SQLAlchemy and Flask's MethodView
on SQLite files: a Blueprint that converts whole (main.py includes it), and one that stays Flask, whose function
view using db.session then moves to FastAPI on its own (port/split.py) while the class-based view stays."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _tools import load_module

from migrate_audit.port import port
from migrate_audit.port.flask_sqlalchemy import MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("a2wsgi")

PROJECT = {
    "extensions.py": '''\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
''',
    "models.py": '''\
from extensions import db


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)


class Review(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    book_id = db.Column(db.Integer, db.ForeignKey("book.id"), nullable=False)
    rating = db.Column(db.Integer, nullable=False)
''',
    "reviews.py": '''\
from flask import Blueprint, request
from flask.views import MethodView

from extensions import db
from models import Book, Review

bp = Blueprint("reviews", __name__)


@bp.post("/books")
def add_book():
    payload = request.get_json()
    book = Book(title=payload["title"])
    db.session.add(book)
    db.session.commit()
    return {"id": book.id, "title": book.title}, 201


class ReviewAPI(MethodView):
    def get(self, book_id):
        book = Book.query.get_or_404(book_id)
        ratings = [review.rating for review in Review.query.filter_by(book_id=book.id).order_by(Review.id)]
        return {"book": book.title, "ratings": ratings}

    def post(self, book_id):
        book = db.get_or_404(Book, book_id)
        review = Review(book_id=book.id, rating=request.get_json()["rating"])
        db.session.add(review)
        db.session.commit()
        return {"id": review.id}, 201


bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))
''',
    "app.py": '''\
import os

from flask import Flask

from extensions import db
from models import Book
from reviews import bp

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["REVIEWS_DB"]
db.init_app(app)
app.register_blueprint(bp)

with app.app_context():
    db.create_all()


@app.get("/count")
def count():
    return {"count": Book.query.count()}
''',
}
# the Blueprint stays Flask: a view whose template the port leaves to people; the app is made by a factory (a
# module-level `db.init_app(app)` keeps every view of the app with Flask: extension_scopes.py)
FACTORY = '''\
import os

from flask import Flask

from extensions import db
from models import Book
from reviews import bp


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["REVIEWS_DB"]
    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()

    @app.get("/count")
    def count():
        return {"count": Book.query.count()}

    return app
'''
STAYING = {**PROJECT, "app.py": FACTORY, "reviews.py": PROJECT["reviews.py"].replace('''

class ReviewAPI''', '''

@bp.get("/page")
def page():
    return render_template_string("{{ n }} books", n=Book.query.count())


class ReviewAPI''').replace("from flask import Blueprint, request", "from flask import Blueprint, render_template_string, request")}
MODULES = ("app", "reviews", "reviews_fastapi", "models", "extensions", "main", MODULE)
REQUESTS = [
    ("get", "/books/1/reviews", None),  # get_or_404's 404: Werkzeug's page
    ("post", "/books", {"title": "Dune"}), ("post", "/books", {"title": "Emma"}),
    ("post", "/books/1/reviews", {"rating": 5}), ("post", "/books/1/reviews", {"rating": 3}),
    ("post", "/books/2/reviews", {"rating": 4}), ("post", "/books/9/reviews", {"rating": 1}),  # db.get_or_404
    ("get", "/books/1/reviews", None), ("get", "/books/2/reviews", None), ("get", "/books/3/reviews", None),
    ("head", "/books/1/reviews", None), ("get", "/count", None),
]


def _load(folder: Path, files: dict[str, str], monkeypatch, database: Path, entry: str):  # type: ignore[no-untyped-def]
    """`entry` (app.py or main.py) of `files` written in `folder`, imported with its own modules and database."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("REVIEWS_DB", f"sqlite:///{database}")
    for name in MODULES:
        sys.modules.pop(name, None)
    sys.path.insert(0, str(folder))
    try:
        module = load_module(folder / entry, entry[:-3])
        return module.app if hasattr(module, "app") else module.create_app()
    finally:
        sys.path.remove(str(folder))
        for name in MODULES:  # the next side imports its own models, db and bridge
            sys.modules.pop(name, None)


def _sides(tmp_path: Path, monkeypatch, project: dict[str, str]):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in project.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    flask_app = _load(tmp_path / "flask", project, monkeypatch, tmp_path / "flask.db", "app.py")
    main = _load(tmp_path / "ported", {**project, **result.after}, monkeypatch, tmp_path / "ported.db", "main.py")
    return flask_app.test_client(), TestClient(main), result


def _answer(response) -> tuple:  # type: ignore[no-untyped-def]
    kind = response.headers["content-type"]
    data = response.content if hasattr(response, "content") else response.data
    if kind == "application/json" and data:
        import json

        return response.status_code, kind, json.loads(data)
    return response.status_code, kind, data


def _compare(flask, client) -> None:  # type: ignore[no-untyped-def]
    for method, path, body in REQUESTS:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(client, method)(path, **options)
        assert _answer(got) == _answer(expected), (method, path)


def test_the_class_views_methods_run_in_the_flask_app_context(tmp_path: Path, monkeypatch) -> None:
    flask, client, result = _sides(tmp_path, monkeypatch, PROJECT)
    reviews = result.after["reviews.py"]
    assert "TODO(migrate-audit FMA34" not in reviews, reviews  # FMA342 too: every db.session is in a view or method
    assert "    @staticmethod\n    @flask_app_context(Book)\n    def get(book_id: int):" in reviews
    assert "    @staticmethod\n    @flask_app_context(db)\n    def post(book_id: int, payload:" in reviews
    _compare(flask, client)
    assert not client.get("/books/1/reviews").content.endswith(b"\n")  # FastAPI answered it


def test_a_view_using_the_session_moves_with_the_class_view(tmp_path: Path, monkeypatch) -> None:
    """The Blueprint stays Flask (`page`); `add_book`'s db.session is the module's first (FMA342), done since the
    class view's methods are covered too: it moves to FastAPI, and so does the class view (split_class_views), whose
    reviews read the books add_book adds."""
    flask, client, result = _sides(tmp_path, monkeypatch, STAYING)
    assert result.routes_moved == 2, result.notes
    assert "@flask_app_context(db)\ndef add_book(" in result.after["reviews_fastapi.py"]
    _compare(flask, client)
    assert not client.post("/books", json={"title": "Ubik"}).content.endswith(b"\n")  # FastAPI answered it
    assert not client.get("/books/3/reviews").content.endswith(b"\n")  # FastAPI answered it, reading that book


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in PROJECT.items():
        (folder / name).write_text(text, encoding="utf-8")
    first = port(str(folder))
    again = tmp_path / "again"
    again.mkdir()
    for name, text in {**PROJECT, **first.after}.items():
        (again / name).write_text(text, encoding="utf-8")
    assert port(str(again)).after.get("reviews.py", first.after["reviews.py"]) == first.after["reviews.py"]


def test_a_class_with_decorators_keeps_its_sessions_with_the_reason(tmp_path: Path) -> None:
    """A `decorators` list runs around the method's call, outside a context the method would push itself."""
    source = PROJECT["reviews.py"].replace("class ReviewAPI(MethodView):\n", '''def logged(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)
    return wrapped


class ReviewAPI(MethodView):
    decorators = [logged]

''').replace("from flask import", "import functools\n\nfrom flask import")
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in {**PROJECT, "reviews.py": source}.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    reviews = result.after["reviews.py"]
    assert "@flask_app_context" not in reviews.split("class ReviewAPI", 1)[1]
    assert "TODO(migrate-audit FMA340)" in reviews and "TODO(migrate-audit FMA342)" in reviews


TESTS = '''\
from app import create_app


def test_a_book_added_on_the_last_app_made():
    older = create_app()
    app = create_app()  # both alive: the moved views run in the context of the app the test gives
    client = app.test_client()
    assert client.post("/books", json={"title": "Dune"}).status_code == 201
    assert client.get("/books/1/reviews").get_json() == {"book": "Dune", "ratings": []}
    assert older is not app
'''


def test_the_tests_helper_gives_the_moved_views_the_tests_app(tmp_path: Path) -> None:
    """Tests make an app each, all alive: the ported tests' `ported_app(flask_app)` names it to the moved views'
    Flask-SQLAlchemy context (bind), as main.py's one app is found without. The ported test passes as Flask's did."""
    import os
    import subprocess

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in {**STAYING, "test_books.py": TESTS}.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 2, result.notes  # add_book and the class view ReviewAPI
    helper = result.after["ported_test_app.py"]
    assert "bind_flask_sqlalchemy(flask_app)" in helper and "ported_app(app)" in result.after["test_books.py"]
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {**STAYING, "test_books.py": TESTS, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    for where, database in ((folder, "flask.db"), (ported, "ported.db")):
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_books.py"], cwd=where,
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "PYTHONPATH": str(where), "REVIEWS_DB": f"sqlite:///{tmp_path / database}"})
        assert run.returncode == 0, run.stdout[-3000:]


WEBARGS = {**PROJECT, "reviews.py": '''\
from flask import Blueprint
from webargs import fields
from webargs.flaskparser import use_args

from models import Book

bp = Blueprint("reviews", __name__)


@bp.get("/titles")
@use_args({"q": fields.Str(load_default="")}, location="query")
def titles(args):
    found = Book.query.filter(Book.title.contains(args["q"])).order_by(Book.id)
    return {"titles": [book.title for book in found]}


@bp.post("/books")
@use_args({"title": fields.Str(required=True)}, location="json")
def add_book(args):
    book = Book(title=args["title"])
    Book.query.session.add(book)
    Book.query.session.commit()
    return {"id": book.id}, 201
'''}


def test_the_context_goes_under_a_bridge_that_runs_the_view_in_the_thread_pool(tmp_path: Path, monkeypatch) -> None:
    """webargs' bridge is a coroutine function awaiting the body, then running the view in FastAPI's thread pool:
    Flask-SQLAlchemy's context is pushed there, under it (over it, the sync wrapper handed FastAPI a coroutine)."""
    pytest.importorskip("webargs")
    flask, client, result = _sides(tmp_path, monkeypatch, WEBARGS)
    assert '@use_args({"q": fields.Str(load_default="")}, location="query")\n@flask_app_context(Book)\ndef titles(' \
        in result.after["reviews.py"]
    for method, path, body in [("post", "/books", {"title": "Dune"}), ("post", "/books", {"title": "Emma"}),
                               ("get", "/titles", None), ("get", "/titles?q=Du", None), ("get", "/count", None)]:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(client, method)(path, **options)
        assert _answer(got) == _answer(expected), (method, path)
    assert not client.get("/titles").content.endswith(b"\n")  # FastAPI answered it
