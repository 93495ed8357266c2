"""An app factory that returns the app it made (`return app`, port/convert.py): the FastAPI app is returned to
whoever serves it, as the Flask app was. Compared beside Flask on the apps each side's factory makes."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask, abort


def create_app():
    app = Flask(__name__)

    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/books/<int:book_id>")
    def book(book_id):
        if book_id > 3:
            abort(404)
        return {"id": book_id}

    return app
'''


def test_the_factory_returns_an_app_answering_as_flasks(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2, (result.todos, result.notes)
    flask_client = load_app(folder, "factory_flask_side").create_app().test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "factory_fastapi_side").create_app())
    for url in ("/health", "/books/2", "/books/7", "/nowhere"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), url


def test_an_app_handed_to_other_code_keeps_the_factory_flasks(tmp_path: Path) -> None:
    source = textwrap.dedent(APP).replace("    return app\n", "    register(app)\n    return app\n") + \
        "\n\ndef register(app):\n    pass\n"
    _, result = ported_project(tmp_path, source)
    assert result.routes_ported == 0 and any("register(app)" in note for note in result.notes), result.notes
