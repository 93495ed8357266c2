"""`migrate-audit port`: Flask-CORS's `@cross_origin()` -> the decorator the port writes (port/cross_origin.py), on the
path operation, which also answers OPTIONS. Checked against Flask-CORS itself on the same requests."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import bridged_sides
from migrate_audit.port import port
from migrate_audit.port.cross_origin import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_cors")

APP = '''\
from flask import Flask
from flask_cors import cross_origin

app = Flask(__name__)


@app.route("/public/books", methods=["GET", "POST"])
@cross_origin()
def public_books():
    return {"books": ["Dune"]}


@app.get("/public/<int:book_id>")
@cross_origin()
def public_book(book_id):
    return {"id": book_id}


@app.delete("/public/<int:book_id>")
def delete_book(book_id):
    return {"deleted": book_id}


@app.get("/private/stats")
def stats():
    return {"loans": 3}
'''
HEADERS = ("access-control-allow-origin", "access-control-allow-headers", "access-control-allow-methods",
           "access-control-max-age", "access-control-expose-headers", "vary", "content-type")


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    yield from bridged_sides(tmp_path, monkeypatch, APP, "cors", (MODULE,))


def test_the_port_keeps_the_decorator_and_adds_options(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 4, result.notes
    assert result.after[FILE] == BRIDGE
    text = result.after["app.py"]
    assert "from flask_cors_route import cross_origin" in text and "flask_cors " not in text
    assert '@app.post("/public/books")\n@app.options("/public/books")\n@cross_origin()\ndef public_books():' in text


def _seen(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    headers = {name: response.headers.get(name) for name in HEADERS}
    allow = response.headers.get("allow")
    headers["allow"] = sorted(part.strip() for part in allow.split(",")) if allow else None  # Werkzeug's order is a set's
    body = response.get_data() if hasattr(response, "get_data") else response.content
    return {"status": response.status_code, "body": body.replace(b" ", b"").replace(b"\n", b""), **headers}


@pytest.mark.parametrize("method, path, headers", [
    ("get", "/public/books", {"Origin": "https://shop.example"}),
    ("get", "/public/books", {}),
    ("post", "/public/books", {"Origin": "https://Shop.Example"}),
    ("options", "/public/books", {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
                                  "Access-Control-Request-Headers": "X-Custom, content-type"}),
    ("options", "/public/books", {"Origin": "https://shop.example", "Access-Control-Request-Method": "et"}),
    ("options", "/public/books", {"Origin": "https://shop.example", "Access-Control-Request-Method": "PURGE"}),
    ("options", "/public/books", {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": " "}),
    ("options", "/public/7", {"Origin": "https://shop.example", "Access-Control-Request-Method": "DELETE"}),
    ("get", "/public/7", {"Origin": "https://shop.example"}),
    ("delete", "/public/7", {"Origin": "https://shop.example"}),
    ("get", "/private/stats", {"Origin": "https://shop.example"}),
])
def test_answers_as_flask_cors(sides, method: str, path: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_answer = getattr(flask_app.test_client(), method)(path, headers=headers)
    fastapi_answer = TestClient(ported_app).request(method.upper(), path, headers=headers)
    assert _seen(flask_answer) == _seen(fastapi_answer)


@pytest.mark.parametrize("change, why", [
    ("@cross_origin()\ndef public_books", "@cross_origin(origins=['https://a.example'])\ndef public_books"),
    ('app = Flask(__name__)', 'app = Flask(__name__)\napp.config["CORS_ORIGINS"] = "https://a.example"'),
    ("return {\"books\": [\"Dune\"]}", "return request.get_json()"),
    ("def public_book(book_id):", "async def public_book(book_id):"),
])
def test_what_the_decorator_cannot_answer_alike_stays_flask_cors(tmp_path: Path, change: str, why: str) -> None:
    source = textwrap.dedent(APP).replace(change, why).replace("from flask import Flask", "from flask import Flask, request")
    assert why in source
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported < result.routes
    assert any("Flask-CORS's" in note for note in result.notes), result.notes
