"""`migrate-audit port`: views using Flask-SQLAlchemy run in the Flask app's context (port/flask_sqlalchemy.py and
the module it writes, port/written/flask_sqlalchemy_context.py). Checked against Flask-SQLAlchemy itself on SQLite
files: the Flask app and the ported one (main.py: the converted Blueprint in FastAPI, the rest of the Flask app
behind it) get the same requests, writes included, and answer alike; within main.py, a write on a FastAPI route
is read on a Flask one and the other way round (one database for both halves, as while the app moves)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _port_support import tried
from _tools import load_module

from migrate_audit.port import port
from migrate_audit.port.flask_sqlalchemy import FILE, MODULE

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
    author = db.Column(db.String(200), nullable=False)
''',
    "books.py": '''\
from flask import Blueprint, request

from extensions import db
from models import Book

books = Blueprint("books", __name__)


@books.get("/")
def list_books():
    page = request.args.get("page", 1, type=int)
    found = Book.query.order_by(Book.id).paginate(page=page, per_page=2)
    return {"items": [b.title for b in found.items], "pages": found.pages, "total": found.total}


@books.get("/<int:book_id>")
def get_book(book_id):
    book = Book.query.get_or_404(book_id)
    return {"id": book.id, "title": book.title, "author": book.author}


@books.get("/by/<author>")
def first_by(author):
    book = Book.query.filter_by(author=author).order_by(Book.id).first_or_404(description="No such author")
    return {"id": book.id, "title": book.title}


@books.get("/fetch/<int:book_id>")
def fetch(book_id):
    book = db.get_or_404(Book, book_id)
    return {"title": book.title}


@books.post("/")
def add_book():
    data = request.get_json()
    book = Book(title=data["title"], author=data["author"])
    db.session.add(book)
    db.session.commit()
    return {"id": book.id}, 201


@books.post("/<int:book_id>/rename")
def rename(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        return {"error": "missing"}, 404
    book.title = request.get_json()["title"]
    db.session.commit()
    return {"id": book.id, "title": book.title}
''',
    "app.py": '''\
import os

from flask import Flask, request

from books import books
from extensions import db
from models import Book

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BOOKS_DB"]
db.init_app(app)
app.register_blueprint(books, url_prefix="/books")

with app.app_context():
    db.create_all()


@app.get("/count")
def count():
    return {"count": Book.query.count()}


@app.get("/latest")
def latest():
    return {"titles": [b.title for b in Book.query.order_by(Book.id.desc()).paginate().items]}


@app.post("/retitle")
def retitle():
    book = db.session.get(Book, request.get_json()["id"])
    book.title = request.get_json()["title"]
    db.session.commit()
    return {"title": book.title}
''',
}
MODULES = ("app", "books", "models", "extensions", "main", MODULE)
REQUESTS = [
    ("get", "/books/", None), ("get", "/books/1", None),  # empty: a paginate page, and get_or_404's 404
    ("post", "/books/", {"title": "Dune", "author": "Herbert"}), ("post", "/books/", {"title": "Emma", "author": "Austen"}),
    ("post", "/books/", {"title": "Persuasion", "author": "Austen"}),
    ("get", "/books/", None), ("get", "/books/?page=2", None), ("get", "/books/?page=3", None),  # past the end: 404
    ("get", "/books/2", None), ("get", "/books/9", None), ("get", "/books/by/Austen", None),
    ("get", "/books/by/Tolstoy", None),  # first_or_404 with a description: Werkzeug's page says it
    ("get", "/books/fetch/3", None), ("get", "/books/fetch/4", None),
    ("post", "/books/2/rename", {"title": "Emma (2nd ed.)"}), ("post", "/books/7/rename", {"title": "x"}),
    ("get", "/books/2", None), ("get", "/count", None), ("get", "/latest", None),
]


def _load(folder: Path, files: dict[str, str], monkeypatch, database: Path, entry: str):  # type: ignore[no-untyped-def]
    """`entry` (app.py or main.py) of `files` written in `folder`, imported with its own modules and database."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("BOOKS_DB", f"sqlite:///{database}")
    for name in MODULES:
        sys.modules.pop(name, None)
    sys.path.insert(0, str(folder))
    try:
        return load_module(folder / entry, entry[:-3])
    finally:
        sys.path.remove(str(folder))
        for name in MODULES:  # the next side imports its own models, db and bridge
            sys.modules.pop(name, None)


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in PROJECT.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    flask_app = _load(tmp_path / "flask", PROJECT, monkeypatch, tmp_path / "flask.db", "app.py").app
    main = _load(tmp_path / "ported", {**PROJECT, **result.after}, monkeypatch, tmp_path / "ported.db", "main.py")
    with TestClient(main.app) as client:
        client.flask_app = main.flask_app  # the Flask app main.py mounts
        yield flask_app.test_client(), client, result


def _answer(response) -> tuple:  # type: ignore[no-untyped-def]
    kind = response.headers["content-type"]
    if kind != "application/json":
        return response.status_code, kind, getattr(response, "content", None) or response.data
    return response.status_code, kind, response.json() if callable(response.json) else response.json


def test_the_blueprint_converts_with_its_views_in_the_flask_app_context(sides) -> None:
    _, _, result = sides
    assert result.routes_ported == 6 and FILE in result.after, result.notes
    books = result.after["books.py"]
    assert "TODO(migrate-audit FMA34" not in books and books.count("@flask_app_context(") == 6
    assert '@books.api_route("/{book_id:int}", methods=["GET", "HEAD"], name="books.get_book")\n' \
           "@flask_app_context(Book)\ndef get_book(book_id: int):" in books
    assert "@flask_app_context(db)\ndef rename(" in books  # db.session only, after the module's first use (FMA342)
    # the app module stays Flask: its views keep their code and TODOs; paginate() there reads request.args
    assert "TODO(migrate-audit FMA341)" in result.after["app.py"]


def test_requests_and_writes_answer_as_flask_sqlalchemy_did(sides) -> None:
    flask, fastapi, _ = sides
    for method, path, body in REQUESTS:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(fastapi, method)(path, **options)
        assert _answer(got) == _answer(expected), (method, path)
        if path.startswith("/books") and got.headers["content-type"] == "application/json":
            assert not got.content.endswith(b"\n")  # FastAPI answered it (Flask's JSON ends with a newline)
        if expected.mimetype == "text/html":  # Werkzeug's 404 page, as Flask sent it
            assert got.headers["content-length"] == expected.headers["content-length"]
            assert (b"No such author" in got.content) == (path == "/books/by/Tolstoy")


def test_one_database_for_the_fastapi_routes_and_the_flask_app_behind_them(sides) -> None:
    """main.py: a book added on a FastAPI route is counted and renamed by Flask routes, which FastAPI reads back."""
    _, client, _ = sides
    assert client.get("/count").json() == {"count": 0}
    added = client.post("/books/", json={"title": "Dune", "author": "Herbert"})
    assert added.status_code == 201 and not added.content.endswith(b"\n")  # FastAPI answered it
    counted = client.get("/count")
    assert counted.json() == {"count": 1} and counted.content.endswith(b"\n")  # Flask answered it
    assert client.post("/retitle", json={"id": added.json()["id"], "title": "Dune Messiah"}).status_code == 200
    assert client.get(f"/books/{added.json()['id']}").json()["title"] == "Dune Messiah"


def test_each_request_has_its_own_session_removed_at_its_end(sides) -> None:
    """Flask-SQLAlchemy's teardown ran: no session of a request outlives it (the registry is empty after each)."""
    _, client, _ = sides
    registry = client.flask_app.extensions["sqlalchemy"].session.registry
    client.post("/books/", json={"title": "Dune", "author": "Herbert"})
    assert registry.registry == {}  # scoped to the app context the view ran in: removed when it was popped
    assert client.get("/books/1").status_code == 200 and client.get("/books/1/").status_code == 404
    assert registry.registry == {}


LEFT = '''\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)


SHELF = []


@app.get("/books")
def books():
    return {"ids": [b.id for b in Book.query.paginate(max_per_page=3).items]}
'''


@pytest.mark.parametrize(("change", "code", "why"), [
    (("paginate(max_per_page=3)", "paginate(**PAGES)"), "FMA341", "paginate(*args/**kwargs)"),
    (("", ""), "FMA341", None),  # paginate(max_per_page=3): page and per_page read from the query string
    (("Book.query.paginate(max_per_page=3)", "SHELF[0].paginate(error_out=False)"), "FMA341",
     "reaches Flask-SQLAlchemy through SHELF, not a model or db"),  # a dynamic relationship's query, say
    (("def books():", "async def books():"), "FMA340", "an async view: Flask-SQLAlchemy's session would block"),
    (("paginate(max_per_page=3)", "paginate(page=1, per_page=3)"), "FMA341", None),
    (("[b.id for b in Book.query.paginate(max_per_page=3).items]", ("[Book.query.get_or_404(1).id]}\n"
      '\n\n@app.errorhandler(404)\ndef missing(e):\n    return {"missing": True')), "FMA341",
     "aborts with 404, which an error handler of this module would take in Flask"),
])
def test_what_the_view_cannot_keep_is_left_with_the_reason(tmp_path: Path, change: tuple[str, str], code: str,
                                                           why: str | None) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(LEFT.replace(*change), encoding="utf-8")
    sites = [site for site in tried(folder) if site.code in ("FMA340", "FMA341")]
    assert any(site.code == code for site in sites)
    if why is None:  # no handler taking its 404: rewritten
        assert all(site.handled for site in sites)
    else:  # the view's sites all stay (it runs in the context whole, or not at all)
        assert all(not site.handled and why in site.reason for site in sites), [s.reason for s in sites]


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
    second = port(str(again))
    assert second.after.get("books.py", first.after["books.py"]) == first.after["books.py"]


def test_the_bridge_answers_werkzeug_errors_as_flask_does() -> None:
    """flask_response: Werkzeug's own response of an HTTPException, every header kept (405's Allow too)."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    sys.path.insert(0, str(Path(__file__).parents[1] / "src" / "migrate_audit" / "port" / "written"))
    try:
        bridge = __import__(MODULE)
    finally:
        sys.path.pop(0)
        sys.modules.pop(MODULE, None)
    for error in (NotFound(), NotFound("gone"), MethodNotAllowed(["GET", "HEAD"])):
        expected, got = error.get_response(), bridge.flask_response(error)
        assert got.status_code == expected.status_code and got.body == expected.get_data()
        assert [(k.decode(), v.decode()) for k, v in got.raw_headers] == \
               [(k.lower(), v) for k, v in expected.headers.items()]


STAYING = '''\
from flask import Flask, render_template_string, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)


with app.app_context():
    db.create_all()


@app.get("/books/<int:book_id>")
def get_book(book_id):
    book = db.get_or_404(Book, book_id)
    return {"id": book.id, "title": book.title}


@app.post("/books")
def add_book():
    book = Book(title=request.get_json()["title"])
    db.session.add(book)
    db.session.commit()
    return {"id": book.id}, 201


@app.get("/titles")
def titles():
    found = Book.query.order_by(Book.id).paginate(max_per_page=2)
    return {"titles": [b.title for b in found.items], "page": found.page, "pages": found.pages}


@app.get("/count")
def count():
    return render_template_string("{{ n }} books", n=Book.query.count())
'''


def test_views_move_to_fastapi_while_the_module_stays_flask(tmp_path: Path, monkeypatch) -> None:
    """The app stays Flask (`with app.app_context(): db.create_all()`); its views that convert move to FastAPI
    (split.py), importing `Book` and `db` from the Flask module: the same objects, run in the Flask app's context.
    One in-memory database: a book added on FastAPI's route is listed by the Flask route left behind (its
    paginate() reads request.args), and its 404 is Flask's page."""
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(STAYING, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 3 and FILE in result.after, result.notes
    assert "from app import Book, db" in result.after["app_fastapi.py"]
    assert "@flask_app_context(Book, query_string=True)\ndef titles(" in result.after["app_fastapi.py"]
    assert any("count stays Flask: FMA222" in note for note in result.notes), result.notes
    flask = load_module(folder / "app.py", f"staying_flask_{tmp_path.name}").app.test_client()
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {"app.py": STAYING, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    for name in ("app", "app_fastapi", "main", MODULE):
        monkeypatch.delitem(sys.modules, name, raising=False)
    client = TestClient(load_module(ported / "main.py", "main").app)
    titles = ["/titles", "/titles?page=2", "/titles?page=2&per_page=1", "/titles?per_page=9", "/titles?page=x",
              "/titles?page=0", "/titles?page=9", "/titles?page=1&page=2", "/titles?per_page=%31"]
    for method, path, body in [("get", "/books/1", None), ("post", "/books", {"title": "Dune"}),
                               ("post", "/books", {"title": "Emma"}), ("post", "/books", {"title": "Ubik"}),
                               ("get", "/books/2", None), ("get", "/books/4", None), ("get", "/count", None),
                               *(("get", path, None) for path in titles)]:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(client, method)(path, **options)
        assert _answer(got) == _answer(expected), (method, path)
        if got.headers["content-type"] == "application/json":
            assert not got.content.endswith(b"\n")  # FastAPI answered it (Flask's JSON ends with a newline)
    assert client.get("/count").text == "3 books"  # the Flask route left behind counts what FastAPI's added
    for name in ("app", "app_fastapi", "main", MODULE):
        sys.modules.pop(name, None)


def _many_views(count: int) -> str:
    """`count` views using the models and db.session, in a module that stays Flask, each moving to FastAPI."""
    views = "".join(f'\n\n@app.get("/b{i}")\ndef book_{i}():\n    db.session.add(Book(title="{i}"))\n'
                    f'    return {{"n": Book.query.count(), "first": db.get_or_404(Book, 1).title}}\n'
                    for i in range(count))
    return STAYING.split("\n\n@app.get", 1)[0] + views


def test_porting_twice_the_views_costs_about_twice_the_time(tmp_path: Path) -> None:
    """Every step is linear (no scan of the module per view, of every view per db.session): N and 2N views moved
    in one run, the best of three CPU times each; about 2 when linear, 4 when quadratic."""
    from hostile import growth

    n = 100
    for size in (n, 2 * n):
        (tmp_path / str(size)).mkdir()
        (tmp_path / str(size) / "app.py").write_text(_many_views(size), encoding="utf-8")
        result = port(str(tmp_path / str(size)))
        assert result.routes_moved == size and result.after["app_fastapi.py"].count("@flask_app_context(") == size
    ratio = growth(lambda size: port(str(tmp_path / str(size))), n)
    assert ratio < 3, f"porting {2 * n} views took {ratio:.1f} times as long as {n}: a step is not linear"


def test_why_a_decorator_a_yield_dependency_cannot_push_flasks_context() -> None:
    """The design's premise, checked on the FastAPI installed: a sync dependency with `yield` runs in a threadpool
    call of its own, in a copy of the request's context, so the app context it pushes is not current in the sync
    view (which runs in another), and its own exit no longer finds it (Flask's pop raises LookupError)."""
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient
    from flask import Flask, has_app_context

    flask_app, seen = Flask(__name__), []

    def pushed():  # type: ignore[no-untyped-def]
        with flask_app.app_context():
            seen.append(("dependency", has_app_context()))
            yield

    app = FastAPI()

    @app.get("/")
    def view(_: None = Depends(pushed)) -> dict[str, bool]:  # (annotations are strings in this module)
        seen.append(("view", has_app_context()))
        return {}

    try:
        TestClient(app).get("/")
    except Exception as error:  # noqa: BLE001 - what the exit raised, if it reached the client
        seen.append(("exit", type(error).__name__))
    assert seen == [("dependency", True), ("view", False), ("exit", "LookupError")]


def test_the_bridge_finds_the_flask_app_of_db_or_is_told_which() -> None:
    """One live app registered with `db` (or a model's `__fsa__`): that one; several: an error that says to
    bind() the one FastAPI's routes use, never a guess."""
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    sys.path.insert(0, str(Path(__file__).parents[1] / "src" / "migrate_audit" / "port" / "written"))
    try:
        bridge = __import__(MODULE)
    finally:
        sys.path.pop(0)
        sys.modules.pop(MODULE, None)
    db = SQLAlchemy()

    class Shelf(db.Model):  # type: ignore[name-defined]
        id = db.Column(db.Integer, primary_key=True)

    first = Flask("first")
    first.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(first)
    assert bridge.flask_app(db) is first and bridge.flask_app(Shelf) is first
    second = Flask("second")
    second.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(second)
    with pytest.raises(RuntimeError, match=r"registered with 2 Flask apps: call flask_sqlalchemy_context\.bind"):
        bridge.flask_app(Shelf)
    bridge.bind(second)
    assert bridge.flask_app(Shelf) is second
