"""`migrate-audit port`, route by route (port/split.py): a view moved to FastAPI on its own that uses names of its Flask
module reading only Flask's app or request context (Flask-Marshmallow's SQLAlchemy schemas with `load_instance` and
their URL fields, `current_app`, `url_for`) runs in a request context of the Flask app built from the FastAPI request
(`@flask_app_context(..., request=True)`, flask_render's flask_request_context), where those answer as in Flask:
checked side by side with Flask, Flask-SQLAlchemy and Flask-Marshmallow on SQLite files (the hyperlinks in the dumped
JSON, the instance `load` makes and the session commits). A name that needs Flask's session, g or the request body
keeps its view with Flask, with the reason."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from _tools import load_module

from migrate_audit.port import port
from migrate_audit.port.flask_sqlalchemy import MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("flask_marshmallow")
pytest.importorskip("marshmallow_sqlalchemy")
pytest.importorskip("a2wsgi")

PROJECT = {
    "extensions.py": '''\
from flask_marshmallow import Marshmallow
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
ma = Marshmallow()
''',
    "models.py": '''\
from extensions import db


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
''',
    "schemas.py": '''\
from extensions import ma
from models import Book


class BookSchema(ma.SQLAlchemyAutoSchema):
    class Meta:
        model = Book
        load_instance = True

    _links = ma.Hyperlinks({
        "self": ma.URLFor("books.get_book", values=dict(book_id="<id>")),
        "collection": ma.AbsoluteURLFor("books.list_books"),
    })


book_schema = BookSchema()
books_schema = BookSchema(many=True)
''',
    "notes.py": '''\
from flask import current_app, g, url_for


def announce(book):
    site = current_app.config["SITE_NAME"]
    return f"{site}: {book.title} at {url_for('books.get_book', book_id=book.id, _external=True)}"


def signed(book):
    return f"{book.title} by {g.get('user', 'nobody')}"
''',
    "books.py": '''\
from flask import Blueprint, render_template_string, request
from flask.views import MethodView

from extensions import db
from models import Book
from notes import announce, signed
from schemas import book_schema, books_schema

bp = Blueprint("books", __name__)


@bp.get("/books")
def list_books():
    books = Book.query.order_by(Book.id).paginate(per_page=2)  # its page from request.args, 404 for a bad one
    return {"items": books_schema.dump(books.items), "total": books.total}


@bp.post("/books")
def add_book():
    payload = request.get_json()
    book = book_schema.load(payload)
    db.session.add(book)
    db.session.commit()
    return {"book": book_schema.dump(book), "note": announce(book)}, 201


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    book = db.get_or_404(Book, book_id)
    return book_schema.dump(book)


@bp.get("/books/<int:book_id>/signed")
def signed_book(book_id):
    book = db.get_or_404(Book, book_id)
    return {"book": book_schema.dump(book), "signed": signed(book)}


class ShelfAPI(MethodView):
    def get(self, book_id):
        book = Book.query.get_or_404(book_id)
        return {"book": book_schema.dump(book), "note": announce(book)}


bp.add_url_rule("/shelf/<int:book_id>", view_func=ShelfAPI.as_view("shelf"))


@bp.get("/page")
def page():
    return render_template_string("{{ n }} books", n=Book.query.count())
''',
    # a factory: a module-level `db.init_app(app)` keeps every view of the app with Flask (extension_scopes.py)
    "app.py": '''\
import os

from flask import Flask

from books import bp
from extensions import db, ma


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BOOKS_DB"]
    app.config["SITE_NAME"] = "Bookshelf"
    db.init_app(app)
    ma.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()

    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    return app
''',
}
MODULES = ("app", "books", "books_fastapi", "models", "extensions", "schemas", "notes", "tasks", "main", MODULE,
           "flask_render")
HOST = {"Host": "shelf.example:8080"}  # url_for builds on the request's host, as Flask's does
REQUESTS = [
    ("get", "/books", None), ("get", "/books/1", None),  # nothing yet; get_or_404's 404: the app's handler
    ("post", "/books", {"title": "Dune"}), ("post", "/books", {"title": "Emma"}), ("post", "/books", {"title": "Ubik"}),
    ("get", "/books", None), ("get", "/books?page=2", None), ("get", "/books?page=x", None), ("get", "/books/2", None),
    ("head", "/books/3", None), ("get", "/books/2/signed", None), ("get", "/shelf/2", None), ("get", "/shelf/9", None),
]


def _load(folder: Path, files: dict[str, str], monkeypatch, database: Path, entry: str):  # type: ignore[no-untyped-def]
    """`entry` (app.py or main.py) of `files` written in `folder`, imported with its own modules and database."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("BOOKS_DB", f"sqlite:///{database}")
    for name in {*MODULES, *(path.stem for path in folder.glob("*.py"))}:  # (another test's of the same name too)
        sys.modules.pop(name, None)
    sys.path.insert(0, str(folder))
    try:
        module = load_module(folder / entry, entry[:-3])
        return module.app if hasattr(module, "app") else module.create_app()
    finally:
        sys.path.remove(str(folder))
        for name in {*MODULES, *(path.stem for path in folder.glob("*.py"))}:  # the next side imports its own
            sys.modules.pop(name, None)


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in PROJECT.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    flask_app = _load(tmp_path / "flask", PROJECT, monkeypatch, tmp_path / "flask.db", "app.py")
    main = _load(tmp_path / "ported", {**PROJECT, **result.after}, monkeypatch, tmp_path / "ported.db", "main.py")
    return flask_app.test_client(), TestClient(main), result


def _answer(response) -> tuple:  # type: ignore[no-untyped-def]
    kind = response.headers.get("content-type")
    data = response.content if hasattr(response, "content") else response.data
    return response.status_code, kind, json.loads(data) if kind == "application/json" and data else data


def test_views_using_schemas_and_url_for_move_and_answer_as_flask(sides) -> None:  # type: ignore[no-untyped-def]
    flask, client, result = sides
    moved = result.after["books_fastapi.py"]
    # list_books, add_book, get_book, ShelfAPI; signed_book and page stay
    assert result.routes_moved == 4, result.notes
    # (query_string=True of paginate() reading request.args: the request context has the query string too)
    assert "@flask_app_context(Book, request=True, handled=(404,))\ndef list_books(" in moved
    assert "@flask_app_context(db, request=True, handled=(404,))\ndef add_book(" in moved
    # a class-based view's method: its 404 goes to the app's handler main.py adds, as Flask gave it the exception
    assert "    @staticmethod\n    @flask_app_context(Book, request=True, handled=(404,))\n    def get(" in moved
    assert "flask_render.py" in result.after  # flask_request_context: the request context is built as it builds one
    for method, path, body in REQUESTS:
        options = {"json": body} if body is not None else {}
        expected = getattr(flask, method)(path, headers=HOST, **options)
        got = getattr(client, method)(path, headers=HOST, **options)
        assert _answer(got) == _answer(expected), (method, path)
    # the hyperlinks, the absolute URLs on the request's host, the instance load_instance made (its id) are in there
    listed = client.get("/books", headers=HOST).json()
    assert listed["items"][1]["_links"] == {"self": "/books/2", "collection": "http://shelf.example:8080/books"}
    added = client.post("/books", json={"title": "Kim"}, headers=HOST)
    assert added.json()["note"] == "Bookshelf: Kim at http://shelf.example:8080/books/4", added.json()
    assert not added.content.endswith(b"\n") and flask.get("/books").data.endswith(b"\n")  # FastAPI answered it
    assert flask.get("/books/4").status_code == 404  # (each side its own database: Kim is only FastAPI's)


def test_a_name_reading_g_keeps_its_view_with_the_reason(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    note = next(note for note in result.notes if " signed_book stays Flask" in note)
    assert "it uses signed, which needs Flask" in note and "(flask-g-object: g holds what the app's hooks set" in note, note
    assert "def signed_book(" not in result.after["books_fastapi.py"]


def test_the_request_body_and_the_session_are_not_read_in_the_context(tmp_path: Path) -> None:
    """A helper reading Flask's request (its body is FastAPI's in the copy) or session keeps the view with Flask."""
    folder = tmp_path / "project"
    folder.mkdir()
    notes = PROJECT["notes.py"].replace("from flask import current_app, g, url_for", "from flask import current_app, "
                                        "request, session, url_for").replace(
        "def signed(book):\n    return f\"{book.title} by {g.get('user', 'nobody')}\"",
        "def signed(book):\n    return f\"{book.title} by {session.get('user')} {request.get_json(silent=True)}\"")
    for name, text in {**PROJECT, "notes.py": notes}.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    note = next(note for note in result.notes if " signed_book stays Flask" in note)
    assert "it uses signed, which needs Flask" in note and ("(flask-session" in note or "(flask-request-json" in note), note
    assert result.routes_moved == 4, result.notes



def test_what_does_more_than_read_the_app_keeps_the_view(tmp_path: Path) -> None:
    """A request context of its own (`current_app.test_request_context()`), not the request's: not a read of it (an app
    attribute that changes answers, `current_app.make_response`, keeps every view with Flask: split.hazards)."""
    folder = tmp_path / "project"
    folder.mkdir()
    notes = PROJECT["notes.py"].replace("def signed(book):\n    return f\"{book.title} by {g.get('user', 'nobody')}\"",
                                        "def signed(book):\n    return current_app.test_request_context().request.path")
    for name, text in {**PROJECT, "notes.py": notes}.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    note = next(note for note in result.notes if " signed_book stays Flask" in note)
    assert "FMA411 at notes.py:10 (flask-request-context-helpers)" in note, note
    assert result.routes_moved == 4, result.notes


def test_an_apps_teardown_request_keeps_the_views_needing_a_request_context(tmp_path: Path) -> None:
    """Popping the copy's request context runs the app's teardown_request functions, which main.py runs in front of
    FastAPI's routes too: twice where Flask ran them once, so those views stay, saying why."""
    app = PROJECT["app.py"].replace("def create_app():", "ENDED = []\n\n\ndef create_app():").replace(
        "    return app\n", "    @app.teardown_request\n    def count_end(exc):\n        ENDED.append(exc)\n\n    return app\n")
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in {**PROJECT, "app.py": app}.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    note = next(note for note in result.notes if " list_books stays Flask" in note)
    assert "whose end runs the teardown_request hook app.teardown_request at app.py:" in note, note
    assert result.routes_moved == 0, result.notes


# A Celery task reading current_app (run eagerly, as the app's tests run it): in the copy's request context it finds the
# Flask app there, as in Flask's
CELERY = {
    **PROJECT,
    "extensions.py": PROJECT["extensions.py"] + "from celery import Celery\n\ncelery = Celery(__name__)\n",
    "tasks.py": '''\
from flask import current_app

from extensions import celery, db
from models import Book


@celery.task
def shelve(book_id):
    book = db.session.get(Book, book_id)
    return f"{current_app.config['SITE_NAME']} shelved {book.title}"
''',
    "books.py": PROJECT["books.py"].replace("from schemas import book_schema, books_schema",
                                            "from schemas import book_schema, books_schema\nfrom tasks import shelve")
    .replace('''    return {"book": book_schema.dump(book), "note": announce(book)}, 201''',
             '''    return {"book": book_schema.dump(book), "note": announce(book), "task": shelve.delay(book.id).get()}, 201'''),
    "app.py": PROJECT["app.py"].replace("from extensions import db, ma", "from extensions import celery, db, ma").replace(
        "    db.init_app(app)\n", "    db.init_app(app)\n    celery.conf.update(task_always_eager=True)\n"),
}


def test_a_celery_task_reading_current_app_runs_in_the_copys_context(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("celery")
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in CELERY.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert "@flask_app_context(db, request=True, handled=(404,))\ndef add_book(" in result.after["books_fastapi.py"]
    flask = _load(tmp_path / "flask", CELERY, monkeypatch, tmp_path / "flask.db", "app.py").test_client()
    client = TestClient(_load(tmp_path / "ported", {**CELERY, **result.after}, monkeypatch, tmp_path / "ported.db",
                              "main.py"))
    for title in ("Dune", "Emma"):
        expected = flask.post("/books", json={"title": title}, headers=HOST)
        got = client.post("/books", json={"title": title}, headers=HOST)
        assert _answer(got) == _answer(expected)
        assert got.json()["task"] == f"Bookshelf shelved {title}" and not got.content.endswith(b"\n")
