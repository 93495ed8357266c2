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
