"""Flask's `g` in a helper the views call (`get_db()`), and `g.pop` / `g.setdefault` (port/hooks.py): the helper
takes the caller's request, its g is that request's state, and a teardown hook pops what it kept. Compared beside
Flask, with the objects each side opened and closed."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask, abort, g

app = Flask(__name__)
OPENED = []


class Connection:
    def __init__(self):
        self.closed = False
        OPENED.append(self)

    def close(self):
        self.closed = True


def get_db():
    if "db" not in g:
        g.db = Connection()
    return g.db


def label(prefix):
    return f"{prefix}-{g.setdefault('visits', 0)}"


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.get("/books/<int:book_id>")
def book(book_id):
    get_db()
    if book_id > 9:
        abort(404)
    return {"same": get_db() is get_db(), "open": sum(not c.closed for c in OPENED), "label": label("b")}


@app.get("/plain")
def plain():
    return {"open": sum(not c.closed for c in OPENED)}
'''


def test_the_helpers_g_is_the_requests(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2, (result.todos, result.notes)
    text = result.after["app.py"]
    assert "def get_db(request: Request)" in text and "get_db(request) is get_db(request)" in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "g_helpers")
    flask_opened = flask_client.application.view_functions["book"].__globals__["OPENED"]
    fastapi_opened = fastapi_client.app.router.routes[-2].endpoint.__globals__["OPENED"]
    for url in ("/books/1", "/books/2", "/books/12", "/plain", "/books/3"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert got.status_code == expected.status_code, url
        if expected.status_code == 200:
            assert got.json() == expected.get_json(), url
        assert [c.closed for c in fastapi_opened] == [c.closed for c in flask_opened], url
    assert len(flask_opened) == 4 and all(c.closed for c in flask_opened)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("extra", [
    "\nCONNECTION = get_db()  # at import: no request there\n",
    "\n\ndef report():\n    return get_db()  # called by what is not a view\n",
    "\n\nHELPERS = [get_db]\n",
])
def test_a_helper_called_outside_the_views_keeps_flasks_g(tmp_path: Path, extra: str) -> None:
    _, result = ported_project(tmp_path, APP + extra)
    assert ("app.py", "FMA406") in result.todos, (result.todos, result.notes)
    assert "def get_db(request" not in result.after.get("app.py", "")
