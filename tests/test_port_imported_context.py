"""`migrate-audit port --only`: a Blueprint whose views call a helper of another module that needs Flask's context
(the Flask tutorial's `get_db()`, reading `g`) stays Flask (port/imported_context.py): converted, FastAPI answered
500 ("Working outside of application context") where Flask answered the view. A helper that needs no context does not
hold it: the converted unit answers as Flask."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import forget, import_from

from migrate_audit.port import port

APP = '''\
from flask import Flask

from books import bp

app = Flask(__name__)
app.register_blueprint(bp)
'''
DB = '''\
from flask import g


def get_db():
    if "db" not in g:
        g.db = {"books": ["Dune", "Emma"]}
    return g.db


def titles():
    return get_db()["books"]


def slug(text):
    return text.lower().replace(" ", "-")
'''
BOOKS = '''\
from flask import Blueprint

from db import {name}

bp = Blueprint("books", __name__, url_prefix="/books")


@bp.get("/")
def books():
    return {{"value": {call}}}
'''
MODULES = ("main", "app", "books", "db")


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    forget(MODULES)
    yield
    forget(MODULES)


def _project(tmp_path: Path, name: str, call: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir()
    for relpath, text in (("app.py", APP), ("db.py", DB), ("books.py", BOOKS.format(name=name, call=call))):
        (folder / relpath).write_text(text, encoding="utf-8")
    return folder, port(str(folder), only="books")


@pytest.mark.parametrize(("name", "call"), [("get_db", "get_db()"), ("titles", "titles()")])  # itself, or through
def test_a_unit_calling_a_helper_that_needs_flask_stays_flask(tmp_path: Path, name: str, call: str) -> None:
    _, result = _project(tmp_path, name, call)
    assert result.routes_ported == 0 and "main.py" not in result.after
    assert f"blueprint books (books.py) stays Flask: books.py calls {name} of db.py, which needs Flask's context" \
        in result.notes[0], result.notes


def test_a_helper_that_needs_no_context_converts_with_it(tmp_path: Path) -> None:
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, "slug", 'slug("Dune Messiah")')
    assert result.routes_ported == 1 and "main.py" in result.after, result.notes
    out = tmp_path / "out"
    out.mkdir()
    for relpath in ("app.py", "db.py", "books.py"):
        (out / relpath).write_text(result.after.get(relpath, (folder / relpath).read_text()), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    expected = import_from(folder, "app", lambda: forget(MODULES)).app.test_client().get("/books/")
    main = import_from(out, "main", lambda: forget(MODULES))
    with TestClient(main.app) as client:
        got = client.get("/books/")
    assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()) == \
        (200, {"value": "dune-messiah"})


def test_without_the_hold_fastapi_would_answer_500(tmp_path: Path) -> None:
    """What the hold prevents: the converted view, served by FastAPI, calling the helper outside Flask's context."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path, "slug", 'slug("x")')
    out = tmp_path / "out"
    out.mkdir()
    for relpath in ("app.py", "db.py"):
        (out / relpath).write_text(result.after.get(relpath, (folder / relpath).read_text()), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text.replace("slug", "get_db").replace('get_db("x")', "get_db()"), encoding="utf-8")
    (folder / "books.py").write_text(BOOKS.format(name="get_db", call="get_db()"), encoding="utf-8")
    expected = import_from(folder, "app", lambda: forget(MODULES)).app.test_client().get("/books/")
    main = import_from(out, "main", lambda: forget(MODULES))
    with TestClient(main.app, raise_server_exceptions=False) as client:
        assert (client.get("/books/").status_code, expected.status_code) == (500, 200)
