"""`send_from_directory` / `send_file` returned by a ported view (port/responses.py): `flask_send`, written into
the module, answers what Flask answered, through Werkzeug's own functions given the request's method and headers
and Flask's defaults; compared beside Flask on statuses, every header Werkzeug wrote and the bytes, including
conditional and range requests, a missing file and a name that climbs out of the folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

from migrate_audit.port import port

APP = '''
from flask import Flask, send_file, send_from_directory

app = Flask(__name__)


@app.get("/exports/<path:name>")
def download_export(name):
    return send_from_directory("exports", name, as_attachment=True)


@app.get("/report")
def report():
    return send_file("exports/r\u00e9sum\u00e9 2.txt", mimetype="text/plain", download_name="r\u00e9sum\u00e9 2.txt")
'''


def _write_files(folder: Path) -> None:
    (folder / "exports" / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "exports" / "books.csv").write_text("id,title\n1,Dune\n", encoding="utf-8")
    (folder / "exports" / "sub" / "a b.json").write_text('{"a": 1}', encoding="utf-8")
    (folder / "exports" / "r\u00e9sum\u00e9 2.txt").write_text("cv", encoding="utf-8")
    (folder / "secret.ini").write_text("SECRET_KEY=x", encoding="utf-8")


REQUESTS = [
    ("GET", "/exports/books.csv", {}), ("HEAD", "/exports/books.csv", {}), ("GET", "/exports/sub/a%20b.json", {}),
    ("GET", "/exports/missing.csv", {}), ("GET", "/exports/..%2Fsecret.ini", {}), ("GET", "/exports/sub", {}),
    ("GET", "/exports/books.csv", {"Range": "bytes=0-2"}), ("GET", "/exports/books.csv", {"Range": "bytes=90-99"}),
    ("GET", "/report", {}),
]


def test_files_are_sent_as_flask_sent_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert 'return flask_send(\n        request, "send_from_directory", "exports", name, as_attachment=True\n    )' in \
        result.after["app.py"]
    ported = write_ported(tmp_path, result)
    for side in (folder, ported):
        _write_files(side)
    flask_client = load_app(folder, "send_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(ported, "send_fastapi_side").app)
    for method, path, headers in REQUESTS:
        expected, got = flask_client.open(path, method=method, headers=headers), \
            fastapi_client.request(method, path, headers=headers)
        assert got.status_code == expected.status_code, path
        if expected.status_code < 400:
            kept = {k.lower(): v for k, v in expected.headers.items() if k.lower() not in ("etag", "last-modified", "date")}
            assert {k: v for k, v in got.headers.items() if k in kept} == kept, path
            assert got.content == expected.data, path
    # a conditional request on what the ported app sent: 304, as Werkzeug answers its own ETag
    etag = fastapi_client.get("/exports/books.csv").headers["etag"]
    assert fastapi_client.get("/exports/books.csv", headers={"If-None-Match": etag}).status_code == 304


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("change", [
    ('app = Flask(__name__)\n', 'app = Flask(__name__)\napp.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60\n'),
    ("    return send_from_directory(", "    response = send_from_directory(\n        "),
])
def test_sends_flask_answered_otherwise_are_left(tmp_path: Path, change: tuple[str, str]) -> None:
    source = APP.replace(*change)
    if "response = " in source:
        source = source.replace("as_attachment=True)\n", "as_attachment=True)\n    return response\n", 1)
    _, result = ported_project(tmp_path, source)
    assert ("app.py", "FMA225") in result.todos and 'flask_send(request, "send_from_directory"' not in result.after.get("app.py", "")
