"""`migrate-audit port`, route by route (port/split.py): a view moved alone to FastAPI takes along the decorators
whose bridge answers there as in Flask (decorators.Alone): Flask-Pydantic's `@validate()` (the bridge's), injector's
`@inject` (its arguments from the Flask app's injector, which main.py puts on FastAPI's state), together with
Flask-SQLAlchemy's app context. Checked side by side: the Flask app with the real Flask-Pydantic, Flask-Injector and
Flask-SQLAlchemy, and main.py (the moved views in FastAPI, the Flask app behind them), on the same requests."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from _tools import load_module

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask_pydantic")
pytest.importorskip("flask_injector")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("a2wsgi")

# The app stays Flask (`total` renders a template string, which the port leaves); the other views move.
APP = '''\
from flask import Flask, render_template_string
from flask_injector import FlaskInjector
from flask_pydantic import validate
from flask_sqlalchemy import SQLAlchemy
from injector import Binder, inject, singleton
from pydantic import BaseModel, Field

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)


class Greeter:
    def __init__(self):
        self.count = 0

    def greet(self, name):
        self.count += 1
        return f"hello {name} #{self.count}"


class Search(BaseModel):
    q: str | None = None
    page: int = Field(default=1, ge=1)
    tags: list[str] = []


class NewBook(BaseModel):
    title: str = Field(min_length=1)


class Titles(BaseModel):
    titles: list[str]
    page: int
    tags: list[str] = []


with app.app_context():
    db.create_all()
    db.session.add_all([Book(title="Dune"), Book(title="Emma"), Book(title="Dune Messiah")])
    db.session.commit()


@app.get("/search")
@validate()
def search(query: Search):
    books = Book.query.order_by(Book.id)
    if query.q:
        books = books.filter(Book.title.contains(query.q))
    return Titles(titles=[book.title for book in books], page=query.page, tags=query.tags)


@app.post("/books")
@validate(on_success_status=201)
def add(body: NewBook):
    return Titles(titles=[body.title], page=1)


@app.get("/hello/<name>")
@inject
def hello(name, greeter: Greeter):
    return {"greeting": greeter.greet(name)}


@app.get("/total")
def total():
    return render_template_string("{{ n }} books", n=Book.query.count())


def configure(binder: Binder):
    binder.bind(Greeter, to=Greeter(), scope=singleton)


FlaskInjector(app=app, modules=[configure])
'''
MODULES = ("app", "app_fastapi", "main", "flask_pydantic_bridge", "flask_injector_bridge", "flask_sqlalchemy_context")


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    result = port(str(folder))
    for name in MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    flask = load_module(folder / "app.py", f"decorated_flask_{tmp_path.name}").app.test_client()
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {"app.py": APP, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    client = TestClient(load_module(ported / "main.py", "main").app, raise_server_exceptions=False)
    yield flask, client, result
    for name in MODULES:
        sys.modules.pop(name, None)


def _answer(response) -> tuple:  # type: ignore[no-untyped-def]
    """Status, content type and body; of a 500 only the status (Flask's page and Starlette's text differ)."""
    if response.status_code >= 500:
        return (response.status_code,)
    kind = response.headers["content-type"]
    data = response.content if hasattr(response, "content") else response.data
    return response.status_code, kind, json.loads(data) if kind == "application/json" else data


def test_the_views_move_with_their_decorators(sides) -> None:
    _, _, result = sides
    moved = result.after["app_fastapi.py"]
    assert result.routes_moved == 3, result.notes
    assert "@validate()\n@flask_app_context(Book)\ndef search(" in moved  # the context in the view's thread
    assert "@inject\ndef hello(" in moved and "from app import Book, Greeter, NewBook, Search, Titles, inject" in moved
    assert "from flask_pydantic_bridge import validate" in moved
    assert {"flask_pydantic_bridge.py", "flask_injector_bridge.py", "flask_sqlalchemy_context.py"} <= set(result.after)
    assert any("total stays Flask" in note for note in result.notes), result.notes


def test_the_moved_views_answer_as_flask_did(sides) -> None:
    flask, client, _ = sides
    requests = [
        ("get", "/search", None), ("get", "/search?q=Dune", None), ("get", "/search?q=Dune&page=3&tags=a&tags=b", None),
        ("get", "/search?page=0", None), ("get", "/search?page=x&q=1", None),  # Flask-Pydantic's 400
        # Flask-Injector makes `body` first with injector.get(NewBook), which fails without a title: Flask's 500
        ("post", "/books", {"title": "Ubik"}), ("post", "/books", {"title": ""}),
        ("get", "/hello/ada", None), ("get", "/hello/bob", None),  # one Greeter, its count going on
        ("get", "/total", None),
    ]
    for method, path, body in requests:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(client, method)(path, **options)
        assert _answer(got) == _answer(expected), (method, path)
    assert client.get("/search?q=Emma").content == flask.get("/search?q=Emma").data  # the model's own JSON text


# Flask-Login's guard on a view moved alone: the manager is made in extensions.py and given the app in its factory
# (tests/test_port_login_factory.py's club), so main.py gives FastAPI's routes the Flask app's own; `pages` stays
# Flask (a template string the port leaves), its `members` moves with its @login_required.
PAGES = '''\
from flask import Blueprint, render_template_string
from flask_login import current_user, login_required

bp = Blueprint("pages", __name__)


@bp.get("/login")
def login_page():
    return render_template_string("<p>login</p>")


@bp.get("/members")
@login_required
def members():
    return {"member": current_user.name}
'''


def test_a_login_required_view_moves_with_the_flask_apps_manager(tmp_path: Path, monkeypatch) -> None:
    from _port_support import factory_sides, forget_packages
    from test_port_login_factory import CLUB, _answer, _clients

    def forget() -> None:
        forget_packages("club", "flask_cookie_session", "flask_login_bridge", "flask_login_front")

    try:
        flask_app, fastapi_app, result = factory_sides(tmp_path, monkeypatch, "club", {**CLUB, "pages": PAGES},
                                                       None, forget)
        assert "club/pages_fastapi.py" in result.after, result.notes
        moved = result.after["club/pages_fastapi.py"]
        assert "@login_required\ndef members(" in moved and "from flask_login_bridge import current_user, login_required" \
            in moved
        flask_client, client = _clients(flask_app, fastapi_app)
        for method, path in [("get", "/members"), ("post", "/auth/login/ada"), ("get", "/members"),
                             ("head", "/members"), ("post", "/auth/logout"), ("get", "/members"), ("get", "/login")]:
            expected, got = getattr(flask_client, method)(path), getattr(client, method)(path, follow_redirects=False)
            assert _answer(got) == _answer(expected), (method, path)
        assert _answer(client.get("/members", follow_redirects=False)) == (302, None, "/login?next=%2Fmembers")
        client.post("/auth/login/alan")
        members = client.get("/members")
        assert members.json() == {"member": "Alan Turing"} and not members.content.endswith(b"\n")  # FastAPI's
    finally:
        forget()


# The app stays Flask (what its app context reads), `page` with it (a template string the port leaves).
TOGETHER = '''\
from flask import Flask, current_app, render_template_string, request

app = Flask(__name__)
BOOKS = []

with app.app_context():
    BOOKS.append(type(current_app).__name__)


@app.get("/books")
def list_books():
    return {"books": BOOKS}


@app.post("/books")
def add_book():
    BOOKS.append(request.get_json()["title"])
    return {"books": BOOKS}, 201


@app.get("/page")
def page():
    return render_template_string("{{ n }}", n=len(BOOKS))
'''


def test_routes_of_one_url_move_together(tmp_path: Path, monkeypatch) -> None:
    """GET and POST /books, one rule each in Werkzeug, move both: FastAPI tries them in the module's order."""
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(TOGETHER, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 2, result.notes
    flask = load_module(folder / "app.py", f"together_flask_{tmp_path.name}").app.test_client()
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {"app.py": TOGETHER, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    for name in ("app", "app_fastapi", "main"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    client = TestClient(load_module(ported / "main.py", "main").app)
    for method, path, body in [("get", "/books", None), ("post", "/books", {"title": "Emma"}), ("get", "/books", None),
                               ("put", "/books", None), ("options", "/books", None), ("head", "/books", None)]:
        options = {"json": body} if body is not None else {}
        expected, got = getattr(flask, method)(path, **options), getattr(client, method)(path, **options)
        assert got.status_code == expected.status_code, (method, path)
        if expected.status_code in (200, 201) and method != "head" and method != "options":
            assert got.json() == expected.get_json() and not got.content.endswith(b"\n")  # FastAPI answered it
        if expected.status_code == 405 or method == "options":  # the Flask app behind answers the other methods
            assert sorted(got.headers["allow"].split(", ")) == sorted(expected.headers["allow"].split(", "))
    for name in ("app", "app_fastapi", "main"):
        sys.modules.pop(name, None)


def test_a_route_whose_partner_stays_stays_too(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(TOGETHER.replace('    BOOKS.append(request.get_json()["title"])',
                                                    '    BOOKS.append(request.get_json(force=True)["title"])'),
                                   encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 0, result.notes
    assert any("list_books stays Flask: its URL /books can match what /books matches" in note
               for note in result.notes), result.notes


HANDLED = {
    "app.py": '''\
from flask import Flask

from books import Book, bp, db


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
        db.session.add(Book())
        db.session.commit()

    @app.errorhandler(404)
    def missing(error):
        return {"missing": True}, 404

    return app
''',
    "books.py": '''\
from flask import Blueprint, render_template_string
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
bp = Blueprint("books", __name__)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    return {"id": db.get_or_404(Book, book_id).id}


@bp.get("/page")
def page():
    return render_template_string("{{ n }}", n=Book.query.count())
'''}


def test_a_404_the_context_answers_goes_to_the_handler_main_carries(tmp_path: Path, monkeypatch) -> None:
    """main.py carries the factory's 404 handler in front of FastAPI's routes; get_or_404's 404, which Flask-SQLAlchemy's
    context answers inside the view, is raised to it (`handled=(404,)`) as Flask's handler took it. Before, the copy
    answered Werkzeug's page where Flask answered the handler's JSON."""
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in HANDLED.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1, result.notes
    assert "@flask_app_context(db, handled=(404,))\ndef get_book(" in result.after["books_fastapi.py"]
    assert "app.add_exception_handler(404, missing)" in result.after["main.py"]
    modules = ("app", "books", "books_fastapi", "app_hooks_fastapi", "main", "flask_sqlalchemy_context")
    sys.path.insert(0, str(folder))
    try:
        flask = load_module(folder / "app.py", f"handled_{tmp_path.name}").create_app().test_client()
    finally:
        sys.path.remove(str(folder))
        for name in modules:
            sys.modules.pop(name, None)
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {**HANDLED, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    client = TestClient(load_module(ported / "main.py", "main").app)
    for path in ("/books/1", "/books/9", "/nowhere"):
        expected, got = flask.get(path), client.get(path)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), path
    assert not client.get("/books/9").content.endswith(b"\n")  # FastAPI's route, its carried handler
    for name in modules:
        sys.modules.pop(name, None)
