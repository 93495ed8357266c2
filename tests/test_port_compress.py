"""`migrate-audit port`: Flask-Compress as GZipMiddleware (port/extensions.py), compared beside Flask-Compress on
requests that accept gzip or no compression, large and small answers; what differs is checked to differ as the
TODO says, and what GZipMiddleware has no keyword for is left."""
from __future__ import annotations

import gzip
import json
import textwrap
from pathlib import Path

import pytest
from _port_support import side_by_side, tried

from migrate_audit.port import port

APP = '''\
from flask import Flask
from flask_compress import Compress

app = Flask(__name__)
{compress}
BOOKS = [{{"id": i, "title": f"Book number {{i}}"}} for i in range(50)]


@app.get("/books")
def books():
    return {{"books": BOOKS}}


@app.get("/few")
def few():
    return {{"books": BOOKS[:4]}}


@app.get("/ping")
def ping():
    return {{"ok": True}}
'''
SIZES = {"/books": 1700, "/few": 150, "/ping": 11}  # about, in bytes of JSON


def _project(tmp_path: Path, compress: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(compress=textwrap.dedent(compress).strip()), encoding="utf-8")
    return folder, port(str(folder))


@pytest.mark.parametrize("compress, level", [
    ("compress = Compress(app)", 6),  # a name nothing uses: the statement goes
    ('app.config["COMPRESS_MIN_SIZE"] = 100\napp.config["COMPRESS_LEVEL"] = 9\nCompress(app)', 9),
])
def test_gzip_and_identity_are_answered_alike(tmp_path: Path, compress: str, level: int) -> None:
    pytest.importorskip("flask_compress")
    folder, result = _project(tmp_path, compress)
    text = result.after["app.py"]
    assert result.todos == [] and "flask_compress" not in text and "compress =" not in text, result.todos
    minimum = 100 if level == 9 else 500
    assert f"app.add_middleware(GZipMiddleware, minimum_size={minimum}, compresslevel={level})" in text
    flask, fastapi = side_by_side(tmp_path, folder, result, f"compress_{level}")
    for path in SIZES:
        for accept in ("gzip", "identity", "deflate, gzip"):
            expected = flask.get(path, headers={"Accept-Encoding": accept})
            got = fastapi.get(path, headers={"Accept-Encoding": accept})
            encoding = expected.headers.get("content-encoding")
            assert (got.status_code, got.headers.get("content-encoding")) == (expected.status_code, encoding), (path, accept)
            assert encoding == ("gzip" if accept != "identity" and SIZES[path] >= minimum else None)
            if SIZES[path] >= minimum:  # a small answer: Vary on Flask's only (below)
                assert got.headers.get("vary") == expected.headers.get("vary") == "Accept-Encoding", (path, accept)
            body = gzip.decompress(expected.data) if encoding else expected.data
            assert got.json() == json.loads(body)  # httpx decodes what the middleware gzipped


def test_what_differs_is_what_the_todo_says(tmp_path: Path) -> None:
    pytest.importorskip("flask_compress")
    folder, result = _project(tmp_path, "Compress(app)")
    assert "always gzip" in result.after["app.py"]
    flask, fastapi = side_by_side(tmp_path, folder, result, "compress_differs")
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    assert flask.get("/books", headers=browser).headers["content-encoding"] in ("zstd", "br")
    assert fastapi.get("/books", headers=browser).headers["content-encoding"] == "gzip"
    assert flask.get("/ping", headers={"Accept-Encoding": "gzip"}).headers["vary"] == "Accept-Encoding"
    assert "vary" not in fastapi.get("/ping", headers={"Accept-Encoding": "gzip"}).headers
    refused = {"Accept-Encoding": "gzip;q=0, identity"}
    assert "content-encoding" not in flask.get("/books", headers=refused).headers
    assert fastapi.get("/books", headers=refused).headers["content-encoding"] == "gzip"


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = _project(tmp_path, "Compress(app)")
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("compress, why", [
    ('app.config["COMPRESS_MIMETYPES"] = ["text/html"]\nCompress(app)', "COMPRESS_MIMETYPES has no GZipMiddleware"),
    ('app.config["COMPRESS_ALGORITHM"] = "gzip"\nCompress(app)', "COMPRESS_ALGORITHM has no GZipMiddleware"),
    ('app.config["COMPRESS_LEVEL"] = 0\nCompress(app)', "not a gzip level"),
    ('Compress(app)\napp.config["COMPRESS_MIN_SIZE"] = 10', "is set after Compress(app)"),
    ('app.config.from_prefixed_env()\nCompress(app)', "loaded from elsewhere"),
    ("compress = Compress(app)\nDECORATE = compress.compressed()", "the Compress object is kept and used"),
])
def test_what_gzipmiddleware_answers_otherwise_is_left(tmp_path: Path, compress: str, why: str) -> None:
    _, result = _project(tmp_path, compress)
    code = "\n".join(line for line in result.after["app.py"].splitlines() if not line.lstrip().startswith("#"))
    assert "app = Flask(__name__)" in code and "GZipMiddleware" not in code
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    assert any(why in site.reason for site in sites), [site.reason for site in sites]
