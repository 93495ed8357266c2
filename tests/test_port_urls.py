"""`url_for` with values that are not path parameters, in a ported view (port/urls.py): `werkzeug_query`,
written into the module, adds them as Werkzeug did (None dropped, a list one item per value, Werkzeug's
quoting); compared beside Flask on the URLs built."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

from migrate_audit.port import port

APP = '''
from flask import Flask, request, url_for

app = Flask(__name__)


@app.get("/books/<int:book_id>")
def book(book_id):
    return {"id": book_id}


@app.get("/links")
def links():
    q = request.args.get("q")
    return {
        "next": url_for("links", page=2, _external=True),
        "search": url_for("links", q=q, tag=["a b", "c/d", None], x="!$'()*,/:;?@&=+é"),
        "book": url_for("book", book_id=7, ref=q),
        "plain": url_for("book", book_id=8),
    }
'''


def test_query_values_are_added_as_werkzeug_added_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    text = result.after["app.py"]
    assert 'werkzeug_query(request.url_for("links"), page=2)' in text
    assert 'request.app.url_path_for("book", book_id=8)' in text  # no query: as before
    flask_client = load_app(folder, "urls_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "urls_fastapi_side").app, base_url="http://localhost")
    for query in ("", "?q=dune", "?q=a%20b%26c"):
        assert fastapi_client.get("/links" + query).json() == flask_client.get("/links" + query).get_json(), query


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_a_missing_path_parameter_is_left(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, APP.replace('url_for("book", book_id=8)', 'url_for("book", ref=1)'))
    assert ("app.py", "FMA111") in result.todos
