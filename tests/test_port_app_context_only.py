"""A view calling a helper of the project that needs Flask's application context only (port/app_context_only.py:
`g` as a per-request cache, `current_app.config`) moves to FastAPI on its own (split.py `_pushed_context`), run in
an application context of the Flask app (`@flask_app_context(db)`, port/flask_sqlalchemy.py), pushed and popped per
call as Flask did per request: the cache is fresh for each request and the app's `teardown_appcontext` closes it at
the end, on both sides. Compared with the Flask app on the same requests, the closings included. A helper reading
what a request hook put in `g` keeps its view with Flask."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from _tools import load_module
from migrate_audit.port import port

pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("a2wsgi")

APP = '''\
from flask import Flask, g, request
from flask_sqlalchemy import SQLAlchemy

from store import bump, request_tag

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["COUNTER_START"] = 10
db = SQLAlchemy(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)


with app.app_context():
    db.create_all()


@app.before_request
def tag_request():
    g.tag = request.headers.get("X-Tag", "none")


@app.teardown_appcontext
def close_counter(exc):
    counter = g.pop("counter", None)
    if counter is not None:
        counter.close()


@app.post("/bump/<int:times>")
def bump_view(times):
    return {"value": bump(times)}


@app.get("/tag")
def tag():
    return {"tag": request_tag()}
'''

STORE = '''\
from flask import current_app, g

CLOSED = []


class Counter:
    def __init__(self, start):
        self.value = start

    def close(self):
        CLOSED.append(self.value)


def get_counter():
    if "counter" not in g:
        g.counter = Counter(current_app.config["COUNTER_START"])
    return g.counter


def bump(times):
    for _ in range(times):
        get_counter().value += 1
    return get_counter().value


def request_tag():
    return g.tag
'''

MODULES = ("app", "store", "app_fastapi", "main", "flask_sqlalchemy_context", "flask_url_fallback", "app_hooks_fastapi",
           "werkzeug_routing", "flask_render")


def _forget() -> None:
    for name in MODULES:
        sys.modules.pop(name, None)


def test_a_view_needing_the_app_context_moves_in_it(tmp_path: Path, monkeypatch: Any) -> None:
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    (folder / "store.py").write_text(STORE, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1, result.notes
    assert "@flask_app_context(db)\ndef bump_view(" in result.after["app_fastapi.py"]
    assert any("tag stays Flask: it uses request_tag, which needs Flask" in note for note in result.notes), \
        result.notes
    requests = ["/bump/1", "/bump/3", "/bump/0"]
    _forget()
    monkeypatch.syspath_prepend(str(folder))
    try:
        flask = load_module(folder / "app.py", "app").app.test_client()
        expected = [flask.post(path).get_json() for path in requests]
        expected_closed = list(sys.modules["store"].CLOSED)
    finally:
        _forget()
    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {"app.py": APP, "store.py": STORE, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    try:
        client = TestClient(load_module(ported / "main.py", "main").app)
        got = [client.post(path).json() for path in requests]
        assert got == expected == [{"value": 11}, {"value": 13}, {"value": 10}]  # a fresh cache per request
        assert sys.modules["store"].CLOSED == expected_closed == [11, 13, 10]  # closed by the teardown each time
    finally:
        _forget()


def test_a_g_key_a_hook_assigns_keeps_the_view_with_flask(tmp_path: Path) -> None:
    """Where a request hook puts the helper's key in `g` too, Flask's view read the hook's value, which the pushed
    context does not have: the view stays."""
    folder = tmp_path / "project"
    folder.mkdir()
    hooked = APP.replace('    g.tag = request.headers.get("X-Tag", "none")\n',
                         '    g.tag = request.headers.get("X-Tag", "none")\n    g.counter = None\n')
    assert hooked != APP
    (folder / "app.py").write_text(hooked, encoding="utf-8")
    (folder / "store.py").write_text(STORE, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 0, result.notes
    assert any("bump_view stays Flask: it uses bump, which needs Flask" in note for note in result.notes), result.notes
