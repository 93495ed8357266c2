"""`migrate-audit port --only`: while the app stays Flask, main.py gives the routes FastAPI serves the
counterparts of the Flask app's request-wide extensions (port/in_front.py), so that a converted Blueprint answers
a browser as the Flask routes do: compared with the Flask app on the requests of both parts, and nothing added
twice to what the Flask app mounted behind answers."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from migrate_audit.port import port

APP = '''\
from flask import Flask
{imports}
from books import bp

app = Flask(__name__)
{extensions}
app.register_blueprint(bp, url_prefix="/books")


@app.get("/")
def home():
    return {{"home": True, "padding": "x" * 600}}
'''
BOOKS = '''\
from flask import Blueprint

bp = Blueprint("books", __name__)


@bp.get("/")
def index():
    return {"books": ["Dune"] * 100}
'''
GOOD = "https://a.example"
SECURE = {"X-Forwarded-Proto": "https"}
CORS_REQUESTS = [
    ("GET", {"Origin": GOOD, **SECURE}), ("GET", {"Origin": "https://evil.example", **SECURE}),
    ("OPTIONS", {"Origin": GOOD, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-token",
                 **SECURE}),
]
COMPRESS_REQUESTS = [("GET", {"Accept-Encoding": "gzip"}), ("GET", {"Accept-Encoding": "identity"})]
TALISMAN_REQUESTS = [("GET", SECURE), ("GET", {}), ("GET", {"Origin": GOOD})]
HEADERS = ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
           "content-encoding", "location", "strict-transport-security", "x-frame-options", "content-security-policy"]


def _load(folder: Path, modules: tuple[str, ...], name: str):  # type: ignore[no-untyped-def]
    """`name` imported from `folder`, with `modules` fresh (the Flask side and the ported one share names)."""
    for module in modules:
        sys.modules.pop(module, None)
    sys.path.insert(0, str(folder))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(folder))
        for module in modules:
            sys.modules.pop(module, None)


@pytest.mark.parametrize("imports, extensions, wrapped, requests", [
    ("from flask_cors import CORS", 'CORS(app, origins=["https://a.example"])', "CORSMiddleware", CORS_REQUESTS),
    ("from flask_compress import Compress", "Compress(app)", "GZipMiddleware", COMPRESS_REQUESTS),
    ("from flask_talisman import Talisman", "Talisman(app)", "TalismanHeaders", TALISMAN_REQUESTS),
    ("from flask_compress import Compress\nfrom flask_talisman import Talisman", "Compress(app)\nTalisman(app)",
     "TalismanHeaders", COMPRESS_REQUESTS + TALISMAN_REQUESTS),
])
def test_fastapis_routes_answer_with_the_apps_extensions(tmp_path: Path, imports: str, extensions: str,
                                                          wrapped: str, requests: list) -> None:
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, out = tmp_path / "project", tmp_path / "out"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(imports=imports, extensions=extensions), encoding="utf-8")
    (folder / "books.py").write_text(BOOKS, encoding="utf-8")
    result = port(str(folder), only="books")
    assert result.routes_ported == 1 and f"middleware={wrapped}," in result.after["main.py"], result.after.get("main.py")
    out.mkdir()
    for relpath, text in {"app.py": (folder / "app.py").read_text(), "books.py": BOOKS, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    flask = _load(folder, ("app", "books"), "app").app.test_client()
    fastapi = TestClient(_load(out, ("main", "app", "books"), "main").app, follow_redirects=False)
    for path in ("/books/", "/"):  # FastAPI's route, then the Flask app's behind it
        for method, headers in requests:
            # the test clients' default host and encodings differ: both are given
            headers = {"Host": "shop.example", "Accept-Encoding": "identity", **headers}
            expected, got = flask.open(path, method=method, headers=headers), fastapi.request(method, path, headers=headers)
            assert got.status_code == expected.status_code, (path, method, headers)
            for header in HEADERS:
                assert got.headers.get(header) == expected.headers.get(header), (path, method, headers, header)
            if path == "/" and expected.status_code == 200 and method == "GET":  # nothing added twice behind
                assert got.headers.get("vary") == expected.headers.get("vary"), (headers, got.headers)


@pytest.mark.parametrize("imports, extensions, label, why", [
    ("from flask_cors import CORS", 'CORS(app, resources={r"/api/*": {}})', "Flask-CORS", "resources limits"),
    ("from flask_cors import CORS\nfrom flask_talisman import Talisman", "Talisman(app)\nCORS(app)", "Flask-Talisman",
     "with Flask-CORS"),
])
def test_an_extension_without_counterpart_is_noted(tmp_path: Path, imports: str, extensions: str, label: str,
                                                   why: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(imports=imports, extensions=extensions), encoding="utf-8")
    (folder / "books.py").write_text(BOOKS, encoding="utf-8")
    result = port(str(folder), only="books")
    wrapped = {"Flask-CORS": "CORSMiddleware", "Flask-Talisman": "TalismanHeaders"}[label]
    assert f"middleware={wrapped}," not in result.after["main.py"]
    assert any(note.startswith(f"FastAPI's routes answer without {label}, which the Flask app applies to its own: {why}")
               for note in result.notes), result.notes


MOVING = '''\
from flask import Flask
{imports}

app = Flask(__name__)
{extensions}


@app.get("/books")
def books():
    return {{"books": ["Dune"] * 100}}


@app.get("/")
def home():
    return {{"home": True, "padding": "x" * 600}}


@app.cli.command("seed")  # a CLI command, left to people, keeps the app Flask and changes no answer
def seed():
    print("seeded")
'''


@pytest.mark.parametrize("imports, extensions, requests", [
    ("from flask_cors import CORS", 'cors = CORS(app, origins=["https://a.example"])', CORS_REQUESTS),
    ("from flask_compress import Compress", "Compress(app)", COMPRESS_REQUESTS),
    ("from flask_talisman import Talisman", "Talisman(app)", TALISMAN_REQUESTS),
])
def test_views_move_on_their_own_with_the_extensions_counterpart(tmp_path: Path, imports: str, extensions: str,
                                                                requests: list) -> None:
    """split.py lets views move while the app keeps the extension, since main.py carries its counterpart."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, out = tmp_path / "project", tmp_path / "out"
    folder.mkdir()
    source = MOVING.format(imports=imports, extensions=extensions)
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 2 and "FastAPIRoutesOnly" in result.after["main.py"], result.notes
    out.mkdir()
    for relpath, text in {"app.py": source, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    flask = _load(folder, ("app",), "app").app.test_client()
    fastapi = TestClient(_load(out, ("main", "app", "app_fastapi"), "main").app, follow_redirects=False)
    # moved: FastAPI answers them (its JSON has no final newline, Flask's has, through a2wsgi too)
    assert not fastapi.get("/books", headers=SECURE).content.endswith(b"\n")
    for path in ("/books", "/"):
        for method, headers in requests:
            headers = {"Host": "shop.example", "Accept-Encoding": "identity", **headers}
            expected, got = flask.open(path, method=method, headers=headers), fastapi.request(method, path, headers=headers)
            assert got.status_code == expected.status_code, (path, method, headers)
            for header in HEADERS:
                assert got.headers.get(header) == expected.headers.get(header), (path, method, headers, header)
