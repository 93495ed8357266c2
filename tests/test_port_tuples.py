"""`return body, status[, headers]` whose body's type only the running view knows (port/responses.py):
`flask_response`, written into the module, makes of it what Flask's make_response made (text as HTML, a dict
or a list as JSON, an iterator streamed, a response given the status and headers); compared beside Flask."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

from migrate_audit.port import port

APP = '''
from flask import Flask, request

app = Flask(__name__)


def load(kind):
    return {"json": {"a": 1}, "text": "<p>hi</p>", "list": [1, 2], "bytes": b"raw", "gen": iter(["a", "b"]),
            "none": None, "num": 3}[kind]


@app.get("/t/<kind>")
def t(kind):
    return load(kind), 201 if request.args.get("new") else 200, {"X-Kind": kind, "Content-Type": "text/x-" + kind}


@app.get("/u/<kind>")
def u(kind):
    return load(kind), 202
'''


def test_tuples_of_a_body_known_at_run_time_answer_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    assert "return flask_response(load(kind), status=202)" in result.after["app.py"]
    flask_app = load_app(folder, "tuples_flask_side").app
    flask_app.testing = False  # a TypeError answers 500, as in production
    flask_client = flask_app.test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "tuples_fastapi_side").app,
                                raise_server_exceptions=False)
    for kind in ("json", "text", "list", "bytes", "gen", "none", "num"):
        for url in (f"/t/{kind}", f"/t/{kind}?new=1", f"/u/{kind}"):
            expected, got = flask_client.get(url), fastapi_client.get(url)
            assert got.status_code == expected.status_code, url
            if expected.status_code < 500:
                assert (got.headers["content-type"], got.headers.get("x-kind")) == \
                    (expected.headers["content-type"], expected.headers.get("X-Kind")), url
                # JSON compared parsed: Flask's provider also sorts keys and ends with a newline, a difference of
                # every dict a ported view returns, not of this rewrite
                json_body = kind in ("json", "list")
                assert (json.loads(got.content) if json_body else got.content) == \
                    (json.loads(expected.data) if json_body else expected.data), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_a_status_or_headers_not_literal_are_left(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, APP.replace("return load(kind), 202", "return load(kind), CODES[kind]"))
    assert ("app.py", "FMA801") in result.todos
