"""A response changed after it is built (port/responses.py): `response = jsonify(...)` / `make_response(...)`,
then `status_code` or `mimetype` set on it, answered as Flask answered (compared on the same requests)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import load_app as _load, ported_project, write_ported
from migrate_audit.port import port

MIMETYPES = ["text/csv", "application/javascript", "image/svg+xml", "application/octet-stream", "application/json"]
APP = '''
from flask import Flask, jsonify, make_response

app = Flask(__name__)


@app.get("/missing/<int:book_id>")
def missing(book_id):
    response = jsonify(error="not found", id=book_id)
    response.status_code = 404
    return response
''' + "".join(f'''

@app.get("/file{i}")
def file{i}():
    resp = make_response("a,b")
    resp.mimetype = "{mimetype}"
    return resp
''' for i, mimetype in enumerate(MIMETYPES))


def test_status_and_mimetype_set_after_build_answer_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == result.routes == 1 + len(MIMETYPES)
    ported = write_ported(tmp_path, result)
    flask_client = _load(folder, "changed_flask_side").app.test_client()
    fastapi_client = TestClient(_load(ported, "changed_fastapi_side").app)
    for path in ["/missing/7", *(f"/file{i}" for i in range(len(MIMETYPES)))]:
        expected, got = flask_client.get(path), fastapi_client.get(path)
        assert got.status_code == expected.status_code, path
        assert got.headers["content-type"] == expected.headers["content-type"], path
        if path.startswith("/missing"):
            assert got.json() == expected.get_json() and got.status_code == 404
        else:
            assert got.text == expected.get_data(as_text=True)
    assert "app.py" not in port(str(ported)).after


def test_a_mimetype_that_is_not_a_literal_is_left(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP).replace('resp.mimetype = "text/csv"', "resp.mimetype = KIND"),
                                   encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA221") in result.todos
