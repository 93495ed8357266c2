"""Request hooks defined in an app factory (port/hooks.py): the middleware that calls them goes in the factory's
body beside them, so each app the factory makes has its own. The bookshelf sample's hooks (timing headers, a
request id, a teardown popping g), compared beside Flask on the apps each factory makes."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
import uuid

from flask import Flask, abort, g, request

CLOSED = []


class Redis:
    def close(self):
        CLOSED.append(True)


def create_app():
    app = Flask(__name__)

    @app.before_request
    def start_request():
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        g.redis = Redis()

    @app.after_request
    def add_headers(response):
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.teardown_appcontext
    def close_redis(exc):
        conn = g.pop("redis", None)
        if conn is not None:
            conn.close()

    @app.get("/books/<int:book_id>")
    def book(book_id):
        if book_id > 3:
            abort(404)
        return {"id": book_id, "request": g.request_id}

    return app
'''


def test_each_app_the_factory_makes_runs_the_hooks_as_flasks(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
    flask_module = load_app(folder, "factory_hooks_flask_side")
    fastapi_module = load_app(write_ported(tmp_path, result), "factory_hooks_fastapi_side")
    flask_client, fastapi_client = flask_module.create_app().test_client(), TestClient(fastapi_module.create_app())
    for url, headers in (("/books/1", {"X-Request-ID": "abc"}), ("/books/2", {"X-Request-ID": "def"}),
                         ("/books/9", {"X-Request-ID": "ghi"})):
        expected, got = flask_client.get(url, headers=headers), fastapi_client.get(url, headers=headers)
        assert (got.status_code, got.headers.get("X-Request-ID")) == \
            (expected.status_code, expected.headers.get("X-Request-ID")), url
        if expected.status_code == 200:
            assert got.json() == expected.get_json()
        assert len(fastapi_module.CLOSED) == len(flask_module.CLOSED), url
    assert len(flask_module.CLOSED) == 3
