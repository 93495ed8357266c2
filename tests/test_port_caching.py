"""`migrate-audit port`: Flask-Caching -> the Flask-Caching bridge it writes (port/caching.py). Checked against
Flask-Caching itself: the same sequence of requests to the Flask app and its port gets the same answers, so the
same ones come from the cache."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _tools import load_module
from migrate_audit.port import port
from migrate_audit.port.caching import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_caching")

APP = '''\
from flask import Flask, abort, request
from flask_caching import Cache

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 120})
CALLS = {"books": 0, "book": 0, "report": 0}


@app.get("/books")
@cache.cached(timeout=60, query_string=True)
def books():
    CALLS["books"] += 1
    return {"page": request.args.get("page", "1"), "calls": CALLS["books"]}


@app.get("/books/<int:book_id>")
@cache.cached()
def book(book_id):
    CALLS["book"] += 1
    if book_id > 10:
        abort(404)
    return {"id": book_id, "calls": CALLS["book"]}


@app.get("/report")
@cache.cached(key_prefix="the-report")
def report():
    CALLS["report"] += 1
    return {"calls": CALLS["report"]}


@app.post("/report/forget")
def forget():
    return {"deleted": cache.delete("the-report"), "still": cache.has("the-report")}


@app.get("/calls")
def calls():
    return {"calls": CALLS, "stored": cache.get("the-report") is not None}
'''
REQUESTS = [("get", "/books"), ("get", "/books?page=2&sort=t"), ("get", "/books?sort=t&page=2"), ("get", "/books"),
            ("get", "/books?page=3"), ("get", "/books/3"), ("get", "/books/3"), ("get", "/books/4"),
            ("get", "/books/12"), ("get", "/books/12"), ("get", "/report"), ("get", "/report"), ("get", "/calls"),
            ("post", "/report/forget"), ("get", "/report"), ("get", "/calls"), ("head", "/books/3")]


def _sides(tmp_path: Path, monkeypatch, source: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    return (load_module(folder / "app.py", f"caching_flask_{tmp_path.name}").app,
            load_module(ported / "app.py", f"caching_ported_{tmp_path.name}").app, result)


@pytest.mark.parametrize("backend", ["SimpleCache", "NullCache"])
def test_the_same_answers_come_from_the_cache(tmp_path: Path, monkeypatch, backend: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    source = textwrap.dedent(APP).replace('"SimpleCache"', f'"{backend}"')
    try:
        flask_app, ported_app, result = _sides(tmp_path, monkeypatch, source)
        assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
        assert result.after[FILE] == BRIDGE and "from flask_caching_bridge import Cache" in result.after["app.py"]
        flask_client, fastapi_client = flask_app.test_client(), TestClient(ported_app)
        for method, path in REQUESTS:
            flask_answer = getattr(flask_client, method)(path)
            fastapi_answer = getattr(fastapi_client, method)(path)
            assert flask_answer.status_code == fastapi_answer.status_code, (method, path)
            if flask_answer.is_json and method != "head":
                assert flask_answer.get_json() == fastapi_answer.json(), (method, path)
        # the view ran as often on both sides: the cache answered the same requests
        assert flask_client.get("/calls").get_json() == fastapi_client.get("/calls").json()
        if backend == "SimpleCache":
            assert fastapi_client.get("/calls").json()["calls"] == {"books": 3, "book": 3, "report": 2}
    finally:
        sys.modules.pop(MODULE, None)


@pytest.mark.parametrize("change", [
    'config={"CACHE_TYPE": "RedisCache", "CACHE_DEFAULT_TIMEOUT": 120}',
    'config={"CACHE_TYPE": "SimpleCache", "CACHE_KEY_PREFIX": "x"}',
    '@cache.cached(unless=lambda: True)\ndef report',
    '@cache.memoize()\ndef report',
])
def test_what_the_bridge_has_not_stays_flask_caching(tmp_path: Path, change: str) -> None:
    source = textwrap.dedent(APP)
    source = source.replace('config={"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 120}', change) \
        if change.startswith("config") else source.replace('@cache.cached(key_prefix="the-report")\ndef report', change)
    assert change in source
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported < result.routes


@pytest.mark.parametrize("head, expected", [
    # among the third-party imports: it joins the project's own (first-party) group, sorted
    ("import os\n\nfrom flask import Flask\nfrom flask_caching import Cache\n\nfrom helpers import VALUE\n",
     "import os\n\nfrom fastapi import FastAPI\n\nfrom flask_caching_bridge import Cache\nfrom helpers import VALUE\n"
     "from werkzeug_routing import werkzeug_routing\n"),
    # a group of its own: the group goes with its blank line
    ("import os\n\nfrom flask_caching import Cache\n\nfrom flask import Flask\n\nfrom helpers import VALUE\n",
     "import os\n\nfrom fastapi import FastAPI\n\nfrom flask_caching_bridge import Cache\nfrom helpers import VALUE\n"
     "from werkzeug_routing import werkzeug_routing\n"),
])
def test_the_bridge_import_is_where_isort_puts_it(tmp_path: Path, head: str, expected: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "helpers.py").write_text("VALUE = 1\n", encoding="utf-8")
    (folder / "app.py").write_text(head + textwrap.dedent('''
        app = Flask(__name__)
        cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})


        @app.route("/")
        @cache.cached(timeout=60)
        def index():
            return {"v": VALUE, "sep": os.sep}
        '''), encoding="utf-8")
    text = port(str(folder)).after["app.py"]
    assert text.startswith(expected + "\napp = FastAPI()\nwerkzeug_routing(app)\n"), text
