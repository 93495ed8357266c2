"""url_for of a route of the view's own module, in a view moving to FastAPI on its own (port/split.py) while its
Blueprint stays Flask: the route it names may stay Flask's, which only the Flask app's URL map builds, so the copy
builds it with flask_url (port/urls.py for_a_copy), from the Flask app mounted behind FastAPI, as Flask's url_for
did, whichever side serves that route. Compared with the Flask app on the same requests: a same-module endpoint that
stays Flask and one that moves, query values (a list, spaces, None), `_anchor`, under a root path."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _tools import load_module
from migrate_audit.port import port

pytest.importorskip("a2wsgi")

APP = '''
from flask import Flask

from books import books

app = Flask(__name__)
app.register_blueprint(books, url_prefix="/books")


@app.cli.command("seed")
def seed():
    print("seeded")
'''

BOOKS = '''
from flask import Blueprint, redirect, request, url_for

books = Blueprint("books", __name__)


@books.get("/show/<int:book_id>")
def show(book_id):
    return {"book": book_id}


@books.post("/raw/<name>")
def raw(name):
    return {"size": len(request.stream.read()), "name": name}


@books.get("/go/<int:book_id>")
def go(book_id):
    return redirect(url_for("books.show", book_id=book_id, ref="a b", tags=["x", "y"], gone=None))


@books.get("/upload/<name>")
def upload(name):
    return redirect(url_for("books.raw", name=name, page=2))


@books.get("/anchored")
def anchored():
    return redirect(url_for(".show", book_id=4, _anchor="part 2/x", q="é"))


@books.get("/links")
def links():
    return {"show": url_for("books.show", book_id=5), "raw": url_for("books.raw", name="sci fi/x")}
'''

MODULES = ("main", "app", "books", "books_fastapi", "flask_url_fallback")
URLS = ("/books/go/3", "/books/upload/sci%20fi", "/books/anchored", "/books/links", "/books/show/3")


def _project(root: Path, books: str = BOOKS, app: str = APP) -> Path:
    folder = root / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(app), encoding="utf-8")
    (folder / "books.py").write_text(textwrap.dedent(books), encoding="utf-8")
    return folder


def _forget() -> None:
    for module in MODULES:
        sys.modules.pop(module, None)


def _load(folder: Path, module: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(folder))
    try:
        return load_module(folder / f"{module}.py", module).app
    finally:
        sys.path.remove(str(folder))


def test_a_moved_view_builds_its_modules_urls_as_flask_did(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from migrate_audit.port.writer import write

    folder = _project(tmp_path)
    result = port(str(folder))
    # raw reads request.stream (left to people): the Blueprint stays Flask, its other views move
    assert result.routes_moved == 5, result.notes
    copy = result.after["books_fastapi.py"]
    assert 'flask_url(request, "books.show", book_id=book_id, ref="a b", tags=["x", "y"], gone=None)' in copy
    assert 'flask_url(request, "books.raw", name=name, page=2)' in copy
    assert 'url_path_for("books.' not in copy and "werkzeug_query(" not in copy
    write(str(folder), result.after, str(tmp_path / "out"))
    try:
        flask = _load(folder, "app").test_client()
    finally:
        _forget()
    try:
        main = _load(tmp_path / "out", "main")
        for root in ("", "/shop"):
            fastapi = TestClient(main, follow_redirects=False, root_path=root)
            for url in URLS:
                expected = flask.get(url, environ_overrides={"SCRIPT_NAME": root})
                got = fastapi.get(root + url)
                assert (got.status_code, got.headers.get("location")) == \
                    (expected.status_code, expected.headers.get("location")), (root, url)
                if expected.is_json:
                    assert got.json() == expected.get_json(), (root, url)
        # what Flask built: the query in the order given, a list one item per value, None left out
        assert fastapi.get("/shop/books/go/3").headers["location"] == "/shop/books/show/3?ref=a+b&tags=x&tags=y"
        assert fastapi.get("/shop/books/links").json() == {"show": "/shop/books/show/5", "raw": "/shop/books/raw/sci%20fi/x"}
        assert fastapi.post("/shop/books/raw/x", content=b"abc").json() == {"size": 3, "name": "x"}  # Flask's
    finally:
        _forget()


def test_a_module_binding_flask_urls_names_keeps_its_views(tmp_path: Path) -> None:
    """Where the module binds a name flask_url needs to something else (`combinations`, here math's comb), the
    views building URLs stay Flask's, with the reason; the others still move."""
    books = BOOKS.replace("from flask import", "from math import comb as combinations\nfrom flask import") + \
        '\n\n@books.get("/counted")\ndef counted():\n    return {"n": combinations(5, 2)}\n'
    result = port(str(_project(tmp_path, books)))
    assert result.routes_moved == 2, result.notes  # show and counted
    for name in ("go", "upload", "links"):
        assert any(f"{name} stays Flask: it renders a template or builds a URL" in note for note in result.notes), \
            result.notes
    assert "flask_url" not in result.after["books_fastapi.py"]
