"""`request.get_json()` / `request.json` in a ported view (port/requests.py): a parameter filled by a
`request_json` dependency written into the module, which answers what Flask's get_json() answered: the
JSON value (any, not only objects), 415 for a body that is not JSON by its Content-Type, 400 for one that
does not parse; compared beside Flask (statuses; the error pages were HTML, they are JSON here). And
`abort(400)` for bad input (FMA811) stays a 400 where nothing the port adds is validated by FastAPI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/books")
def create_book():
    data = request.get_json()
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        abort(400, "title is required")
    return {"title": data["title"], "again": request.json == data}, 201


@app.route("/echo", methods=["GET", "PUT"])
def echo():
    return {"value": request.get_json(), "sort": request.args.get("sort", "title")}
'''

REQUESTS = [
    ("POST", "/books", json.dumps({"title": "Dune"}).encode(), "application/json"),
    ("POST", "/books", b'{"title": 42}', "application/json"),
    ("POST", "/books", b"[1, 2]", "application/json; charset=utf-8"),
    ("POST", "/books", b'{"title": ', "application/json"),  # malformed: 400
    ("POST", "/books", b"", "application/json"),  # empty: 400
    ("POST", "/books", b"title=Dune", "application/x-www-form-urlencoded"),  # not JSON: 415
    ("POST", "/books", b'{"title": "Dune"}', None),  # no Content-Type: 415
    ("POST", "/books", json.dumps({"title": "Emma"}).encode("utf-16"), "application/json"),
    ("PUT", "/echo", b"null", "application/json"),
    ("PUT", "/echo", b'"text"', "application/vnd.api+json"),
    ("PUT", "/echo", b"{\xff}", "application/json"),  # not UTF-8: 400
    ("GET", "/echo", b'{"a": 1}', "application/json"),
    ("GET", "/echo?sort=year", b"", None),  # a GET without a body: 415 in both
]


def test_json_bodies_are_answered_as_flask_answered_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    text = result.after["app.py"]
    assert "def create_book(data: Annotated[Any, Depends(request_json)]):" in text and "again\": data == data" in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "json")
    for method, path, body, kind in REQUESTS:
        headers = {"content-type": kind} if kind else {}
        expected = flask_client.open(path, method=method, data=body, headers=headers)
        got = fastapi_client.request(method, path, content=body, headers=headers)
        assert got.status_code == expected.status_code, (path, body)
        if expected.status_code < 400:
            assert got.json() == expected.get_json(), (path, body)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_abort_400_beside_a_parameter_fastapi_validates_keeps_its_todo(tmp_path: Path) -> None:
    """An upload parameter answers 422 (a plain field under its key) before the view's own abort(400) can:
    FMA811 stays for a person. A `type=int` read is no such parameter now: it is read as the strings sent and
    converted in the view as Werkzeug did (port/requests.py `werkzeug_get`), so no 422 comes before abort(400)."""
    cover = APP + '''

@app.post("/covers")
def cover():
    upload = request.files.get("cover")
    if upload is None or not upload.filename:
        abort(400)
    return {"name": upload.filename}
'''
    (tmp_path / "upload").mkdir()
    (tmp_path / "converted").mkdir()
    _, result = ported_project(tmp_path / "upload", cover)
    assert ("app.py", "FMA811") in result.todos
    converted = APP.replace('request.args.get("sort", "title")', 'request.args.get("page", 1, type=int)').replace(
        'abort(400, "title is required")', 'abort(400, "title is required")\n    n = request.args.get("n", 0, type=int)')
    _, result = ported_project(tmp_path / "converted", converted)
    assert ("app.py", "FMA811") not in result.todos and "werkzeug_get(n_args, 0, int)" in result.after["app.py"]
