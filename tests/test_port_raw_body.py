"""`request.get_data()` in a ported view (port/requests.py): a parameter filled by a `request_body` dependency
written into the module, so the view, still a plain `def`, gets the raw body Werkzeug gave it; compared on
the same bodies."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.post("/hooks")
def hook():
    payload = request.get_data()
    return {"sha": hashlib.sha256(payload).hexdigest(), "size": len(payload), "again": request.get_data() == payload}


@app.route("/echo", methods=["GET", "PUT"])
def echo():
    return {"text": request.get_data().decode("latin-1")}
'''

BODIES = [
    ("POST", "/hooks", b'{"id": 42,  "amount": 1000}', "application/json"),
    ("POST", "/hooks", b"id=42&amount=1000", "application/x-www-form-urlencoded"),  # not parsed as a form
    ("POST", "/hooks", b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n",
     "multipart/form-data; boundary=b"),
    ("POST", "/hooks", b"", None),
    ("POST", "/hooks", bytes(range(256)) * 100, "application/octet-stream"),
    ("PUT", "/echo", "caf\u00e9".encode(), "text/plain; charset=utf-8"),
    ("GET", "/echo", b"", None),
]


def test_the_raw_body_reaches_the_view_as_werkzeug_gave_it(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    text = result.after["app.py"]
    assert "def hook(payload: Annotated[bytes, Depends(request_body)]):" in text and "async def request_body" in text
    assert "def echo(body: Annotated[bytes, Depends(request_body)]):" in text  # a plain def still: the thread pool
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "raw_body")
    for method, path, body, kind in BODIES:
        headers = {"content-type": kind} if kind else {}
        expected = flask_client.open(path, method=method, data=body, headers=headers)
        got = fastapi_client.request(method, path, content=body, headers=headers)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), (path, body[:20])


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("read", ["request.data", "request.get_data(as_text=True)",
                                  'request.get_data() + request.form["x"].encode()'])
def test_body_reads_werkzeug_answers_otherwise_are_left(tmp_path: Path, read: str) -> None:
    _, result = ported_project(tmp_path, f'''
        from flask import Flask, request

        app = Flask(__name__)


        @app.post("/x")
        def x():
            return {{"n": len({read})}}
        ''')
    assert ("app.py", "FMA205") in result.todos and "request_body" not in result.after.get("app.py", "")
