"""`@app.errorhandler(HTTPException)` (Werkzeug's) ported onto Starlette's HTTPException (port/werkzeug_http.py):
compared beside Flask on a view's abort, the router's 404 and 405 (status, type, JSON body, Allow), and left where
Flask answered otherwise (a module reading Flask's request: 400 while parsing, which FastAPI answers 422)."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
import json

from flask import Flask, abort
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
BOOKS = {1: "Dune"}


@app.errorhandler(HTTPException)
def json_error(e):
    response = e.get_response()  # keeps the status and headers (Allow on a 405)
    response.data = json.dumps({"code": e.code, "error": e.name})
    response.content_type = "application/json"
    return response


@app.get("/books/<int:book_id>")
def show_book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}


@app.get("/gone")
def gone():
    abort(410)
'''


def test_every_http_error_is_answered_as_flask_did(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, APP)
    assert result.routes_ported == 2
    assert "@app.exception_handler(StarletteHTTPException)" in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "werkzeug_http")
    for method, path in [("GET", "/books/1"), ("GET", "/books/2"), ("GET", "/nowhere"), ("DELETE", "/books/1"),
                         ("GET", "/gone"), ("GET", "/books/abc")]:
        expected, got = flask_client.open(path, method=method), fastapi_client.request(method, path)
        assert got.status_code == expected.status_code, path
        assert got.headers["content-type"] == expected.headers["content-type"], path
        assert got.json() == expected.get_json(), path
        if expected.status_code == 405:
            assert set(got.headers["allow"].split(", ")) >= {"GET", "HEAD"}
            assert set(expected.headers["allow"].split(", ")) >= {"GET", "HEAD"}


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("change", [
    ("from flask import Flask, abort", "from flask import Flask, abort, request"),  # 400 while parsing: 422
    ('    response.content_type = "application/json"\n', ""),  # Werkzeug's text/html type kept
    ('    response.data = json.dumps({"code": e.code, "error": e.name})\n', ""),  # Werkzeug's HTML page
    ('"error": e.name}', '"error": e.description}'),  # Werkzeug's text, which Starlette's detail is not
])
def test_handlers_flask_answered_otherwise_are_left(tmp_path: Path, change: tuple[str, str]) -> None:
    _, result = ported_project(tmp_path, APP.replace(*change))
    assert ("app.py", "FMA405") in result.todos
    assert "StarletteHTTPException" not in result.after.get("app.py", "")


API = '''
"""The first endpoints moved from the Flask app, whose error names they keep."""
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from werkzeug.http import HTTP_STATUS_CODES

api = FastAPI()


@api.exception_handler(HTTPException)
async def json_error(request: Request, exc: HTTPException):
    return JSONResponse({"code": exc.status_code, "error": HTTP_STATUS_CODES[exc.status_code]},
                        status_code=exc.status_code, headers=exc.headers)


@api.get("/authors/{author_id:int}")
def show_author(author_id: int):
    if author_id != 1:
        raise HTTPException(404)
    return {"id": author_id}
'''


def test_a_fastapi_handler_moves_onto_starlettes_class_and_answers_the_router_as_flask_did(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from _port_support import load_app, load_module
    from fastapi.testclient import TestClient

    folder, _ = ported_project(tmp_path, APP)
    (folder / "api.py").write_text(API, encoding="utf-8")
    result = port(str(folder))
    assert "@api.exception_handler(StarletteHTTPException)" in result.after["api.py"]
    assert not any(code == "FMA812" for _, code in result.todos)
    ported = tmp_path / "ported_api"
    ported.mkdir()
    (ported / "api.py").write_text(result.after["api.py"], encoding="utf-8")
    before = TestClient(load_module(folder / "api.py", "werkzeug_http_api_before").api)
    after = TestClient(load_module(ported / "api.py", "werkzeug_http_api_after").api)
    flask_client = load_app(folder, "werkzeug_http_api_flask").app.test_client()
    # the router's 404 and 405 on each side: Flask's app answered them with its handler
    for method, path, flask_path in [("GET", "/nowhere", "/nowhere"), ("DELETE", "/authors/1", "/books/1")]:
        expected = flask_client.open(flask_path, method=method)
        assert before.request(method, path).json() == {"detail": expected.get_json()["error"]}  # what FMA812 says
        got = after.request(method, path)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json())
    assert after.get("/authors/2").json() == {"code": 404, "error": "Not Found"}  # the view's own, still caught
