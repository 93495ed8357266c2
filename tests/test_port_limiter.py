"""`migrate-audit port`: Flask-Limiter's `@limiter.limit(...)` -> the bridge it writes (port/limiter.py). Checked
against Flask-Limiter itself: the same requests get the same status, body and rate-limit headers (the reset time
within the seconds between the two runs)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import bridged_sides
from migrate_audit.port import port
from migrate_audit.port.limiter import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_limiter")

APP = '''\
from flask import Flask, abort
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", headers_enabled=True)


@app.post("/login")
@limiter.limit("2/minute")
def login():
    return {"ok": True}


@app.get("/daily")
@limiter.limit("3/day;1/hour")
async def daily():
    return {"daily": True}


@app.get("/books/<int:book_id>")
@limiter.limit("5 per minute")
def book(book_id):
    if book_id > 10:
        abort(404)
    return {"id": book_id}


@app.get("/free")
def free():
    return {"free": True}
'''
REQUESTS = [("post", "/login")] * 4 + [("get", "/daily")] * 2 + [("get", "/books/3"), ("get", "/books/30")] * 3 + \
    [("get", "/free")]


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    yield from bridged_sides(tmp_path, monkeypatch, APP, "limiter", (MODULE,))


def test_the_port_keeps_the_limits(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 4, result.notes
    assert result.after[FILE] == BRIDGE
    assert '@app.post("/login")\n@limiter.limit("2/minute")\ndef login():' in result.after["app.py"]


def _seen(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    flask = hasattr(response, "get_data")
    media = response.headers.get("Content-Type", "").split(";")[0]
    body = (response.get_json() if flask else response.json()) if media == "application/json" else \
        (response.get_data(as_text=True) if flask else response.text)
    if response.status_code == 404:  # abort(404): Werkzeug's page in Flask, JSON in FastAPI (the abort proof)
        media, body = None, None
    return {"status": response.status_code, "media": media, "body": body,
            "limit": response.headers.get("X-RateLimit-Limit"),
            "remaining": response.headers.get("X-RateLimit-Remaining"),
            "reset": int(response.headers.get("X-RateLimit-Reset", 0)) // 10,  # the same window: within seconds
            "retry": response.headers.get("Retry-After") is not None}


def test_answers_and_headers_as_flask_limiter(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_client, fastapi_client = flask_app.test_client(), TestClient(ported_app)
    seen = []
    for method, path in REQUESTS:
        flask_answer = getattr(flask_client, method)(path)
        fastapi_answer = getattr(fastapi_client, method)(path)
        assert _seen(flask_answer) == _seen(fastapi_answer), (method, path)
        seen.append(fastapi_answer.status_code)
    assert seen == [200, 200, 429, 429, 200, 429, 200, 404, 200, 404, 200, 429, 200]
    refused = fastapi_client.post("/login")
    assert refused.text == ("<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n"
                            "<h1>Too Many Requests</h1>\n<p>2 per 1 minute</p>\n")


@pytest.mark.parametrize("change", [
    'limiter = Limiter(get_remote_address, app=app, default_limits=["1/day"])',
    'limiter = Limiter(get_remote_address, app=app, storage_uri="redis://localhost")',
])
def test_what_the_bridge_has_not_stays_flask_limiter(tmp_path: Path, change: str) -> None:
    source = textwrap.dedent(APP).replace(
        'limiter = Limiter(get_remote_address, app=app, storage_uri="memory://", headers_enabled=True)', change)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported < result.routes
    assert any("Flask-Limiter's" in note for note in result.notes), result.notes
