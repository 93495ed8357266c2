"""An error handler reading the exception it gets (port/hooks.py): for a status, Werkzeug's `e.code` and `e.name`
become Starlette's `e.status_code` and Werkzeug's own name for it; for a class of the project, the handler gets the
very exception raised on both sides. Compared beside Flask on unknown URLs, wrong methods and aborts."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask, abort, jsonify

app = Flask(__name__)


class OutOfStock(Exception):
    def __init__(self, title):
        self.title = title


@app.errorhandler(404)
def not_found(e):
    return jsonify(error=e.name, status=e.code), e.code


@app.errorhandler(405)
def not_allowed(error):
    return jsonify(error=error.name, code=error.code), 405


@app.errorhandler(410)
def gone(error):  # names error only as a keyword: reads nothing of the exception
    return jsonify(error="gone"), 410


@app.errorhandler(OutOfStock)
def out_of_stock(e):
    return {"error": "out of stock", "title": e.title}, 409


@app.get("/books/<int:book_id>")
def book(book_id):
    if book_id == 7:
        abort(404, description="no such book")
    if book_id == 8:
        raise OutOfStock("Dune")
    if book_id == 9:
        abort(410)
    return {"id": book_id}
'''


def test_the_handlers_read_what_flasks_read(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
    text = result.after["app.py"]
    assert 'HTTP_STATUS_CODES.get(e.status_code, "Unknown Error")' in text and "e.code" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "handler_exception")
    for method, url in (("GET", "/nowhere"), ("GET", "/books/7"), ("GET", "/books/8"), ("GET", "/books/9"), ("GET", "/books/1"),
                        ("POST", "/books/1"), ("DELETE", "/books/abc")):
        expected, got = flask_client.open(url, method=method), fastapi_client.request(method, url)
        assert (got.status_code, got.headers["content-type"], got.json()) == \
            (expected.status_code, expected.headers["content-type"], expected.get_json()), (method, url)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("handler", [
    '@app.errorhandler(404)\ndef nf(e):\n    return {"detail": e.description}, 404\n',  # Werkzeug's text, or abort's
    '@app.errorhandler(404)\ndef nf(e):\n    return {"e": str(e)}, 404\n',
    '@app.errorhandler(404)\ndef nf(e):\n    e.code = 410\n    return {"gone": True}, 410\n',
    '@app.errorhandler(500)\ndef boom(e):\n    return {"code": e.code}, 500\n',  # Starlette gives the exception raised
])
def test_other_reads_stay_flasks(tmp_path: Path, handler: str) -> None:
    _, result = ported_project(tmp_path, "from flask import Flask\n\napp = Flask(__name__)\n\n\n" + handler +
                               '\n\n@app.get("/")\ndef home():\n    return {}\n')
    assert ("app.py", "FMA405") in result.todos and any("Werkzeug's exception" in note for note in result.notes), \
        result.notes
    assert "HTTP_STATUS_CODES" not in result.after["app.py"]


LIBRARY = '''
from flask import Flask, request
from marshmallow import Schema, ValidationError, fields

app = Flask(__name__)


class BookSchema(Schema):
    title = fields.String(required=True)


@app.errorhandler(ValidationError)
def validation_failed(error):
    return {"error": "validation failed", "errors": error.messages}, 422


@app.get("/check/<title>")
def check(title):
    return BookSchema().load({"title": title} if title != "none" else {})
'''


def test_a_handler_for_a_librarys_exception_gets_the_same_exception(tmp_path: Path) -> None:
    pytest.importorskip("marshmallow")
    folder, result = ported_project(tmp_path, LIBRARY)
    assert result.todos == [] and "@app.exception_handler(ValidationError)" in result.after["app.py"], result.notes
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "library_exception")
    for url in ("/check/dune", "/check/none"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), url
