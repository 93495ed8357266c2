"""`send_from_directory` / `send_file` returned by a view of a Blueprint's module while the app stays Flask (a
factory keeping its config: the sample app's cover download): `flask_send_file` (port/written/flask_send_file.py)
answers with Werkzeug's function given what Flask gives it from the Flask app mounted behind FastAPI (its root_path
for a relative folder, SEND_FILE_MAX_AGE_DEFAULT, USE_X_SENDFILE, its response class) and the request's WSGI environ.
Compared beside the real Flask app: statuses, every header Werkzeug wrote, the bytes, conditional and range
requests, and Werkzeug's errors, answered by the app's own 404 handler where it has one (carried in front of
FastAPI's routes), else Werkzeug's page."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from _port_support import forget, import_from

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")

APP = '''\
from datetime import timedelta

from flask import Flask

from files import bp


class Config:
    SECRET_KEY = "s3cret"
    SEND_FILE_MAX_AGE_DEFAULT = {max_age}


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    app.register_blueprint(bp)
{handler}
    return app
'''
HANDLER = '''
    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not here"}, 404
'''
FILES = '''\
import os

from flask import Blueprint, send_file, send_from_directory

bp = Blueprint("files", __name__)


@bp.get("/exports/<path:name>")
def download(name):
    return send_from_directory("exports", name, as_attachment=True, download_name=f"copy-{name}")


@bp.get("/absolute/<name>")
def absolute(name):
    return send_from_directory(os.path.join(os.path.dirname(__file__), "exports"), name)


@bp.get("/report")
def report():
    return send_file("exports/r\\u00e9sum\\u00e9 2.txt", mimetype="text/plain")
'''
MODULES = ("app", "files", "main", "app_hooks_fastapi", "flask_render", "flask_send_file")
REQUESTS = [
    ("GET", "/exports/books.csv", {}), ("HEAD", "/exports/books.csv", {}), ("GET", "/exports/sub/a%20b.json", {}),
    ("GET", "/exports/missing.csv", {}), ("GET", "/exports/..%2Fsecret.ini", {}), ("GET", "/exports/sub", {}),
    ("GET", "/exports/books.csv", {"Range": "bytes=0-2"}), ("GET", "/exports/books.csv", {"Range": "bytes=90-99"}),
    ("GET", "/exports/books.csv", {"If-Modified-Since": "Wed, 01 Jan 2100 00:00:00 GMT"}),
    ("GET", "/absolute/books.csv", {}), ("GET", "/absolute/nope", {}), ("GET", "/report", {}),
]


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    forget(MODULES)
    yield
    forget(MODULES)


def _write_files(folder: Path) -> None:
    (folder / "exports" / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "exports" / "books.csv").write_text("id,title\n1,Dune\n", encoding="utf-8")
    (folder / "exports" / "sub" / "a b.json").write_text('{"a": 1}', encoding="utf-8")
    (folder / "exports" / "r\u00e9sum\u00e9 2.txt").write_text("cv", encoding="utf-8")
    (folder / "secret.ini").write_text("SECRET_KEY=x", encoding="utf-8")


@pytest.mark.parametrize(("handler", "max_age"), [(HANDLER, "None"), ("", "timedelta(hours=2)"), ("", "60")])
def test_files_are_sent_as_the_flask_app_sent_them(tmp_path: Path, handler: str, max_age: str) -> None:
    from fastapi.testclient import TestClient

    app = APP.format(handler=handler, max_age=max_age)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(app, encoding="utf-8")
    (folder / "files.py").write_text(FILES, encoding="utf-8")
    result = port(str(folder))
    text = result.after["files.py"]
    assert 'return flask_send_file(request, "send_from_directory", "exports", name' in \
        " ".join(text.split()).replace("( ", "("), result.notes
    assert {"flask_send_file.py", "flask_render.py", "main.py"} <= set(result.after)
    out = tmp_path / "out"
    out.mkdir()
    for relpath, text in {"app.py": app, "files.py": FILES, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    for side in (folder, out):
        _write_files(side)
    flask_client = import_from(folder, "app", lambda: forget(MODULES)).create_app().test_client()
    main = import_from(out, "main", lambda: forget(MODULES))
    assert main.app.url_path_for("files.download", name="x") == "/exports/x"  # FastAPI serves the Blueprint
    with TestClient(main.app) as fastapi_client:
        for method, path, headers in REQUESTS:
            expected = flask_client.open(path, method=method, headers=headers)
            got = fastapi_client.request(method, path, headers=headers)
            assert got.status_code == expected.status_code, path
            if expected.status_code == 404 and expected.is_json:  # the app's handler: its JSON, without the newline
                assert got.json() == expected.get_json() == {"error": "not here"}, path
                continue
            kept = {k.lower(): v for k, v in expected.headers.items() if k.lower() not in ("etag", "last-modified", "date")}
            assert {k: v for k, v in got.headers.items() if k in kept} == kept, path
            assert got.content == expected.data, path
        # Werkzeug's own ETag on what the ported app sent: 304
        etag = fastapi_client.get("/exports/books.csv").headers["etag"]
        assert fastapi_client.get("/exports/books.csv", headers={"If-None-Match": etag}).status_code == 304
    if handler:
        assert flask_client.get("/exports/missing.csv").get_json() == {"error": "not here"}
    if max_age != "None":
        seconds = int(timedelta(hours=2).total_seconds()) if "timedelta" in max_age else 60
        assert flask_client.get("/report").headers["Cache-Control"] == f"public, max-age={seconds}"


def test_without_the_flask_app_behind_the_view_keeps_send_from_directory(tmp_path: Path) -> None:
    """A Blueprint's module of an app that converts whole: no Flask app to send with, the finding is left."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text("from flask import Flask\n\nfrom files import bp\n\napp = Flask(__name__)\n"
                                   "app.register_blueprint(bp)\n", encoding="utf-8")
    (folder / "files.py").write_text(FILES, encoding="utf-8")
    result = port(str(folder))
    assert "flask_send_file" not in result.after.get("files.py", "") and ("files.py", "FMA225") in result.todos
