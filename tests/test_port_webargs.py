"""`migrate-audit port`: webargs' `@use_args` / `@use_kwargs` -> the decorators the port writes
(port/webargs_parser.py, port/written/flask_webargs_bridge.py). Checked against webargs.flaskparser itself: the
same requests get the same status and body (JSON compared as JSON, Werkzeug's pages as text), invalid input and
unknown fields included."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _port_support import load_app, ported
from migrate_audit.port import port
from migrate_audit.port.webargs_parser import BRIDGE, FILE

pytest.importorskip("fastapi")
pytest.importorskip("webargs")

APP = '''\
from flask import Flask
from marshmallow import Schema
from webargs import fields, validate
from webargs.flaskparser import use_args, use_kwargs

app = Flask(__name__)


class PageSchema(Schema):
    page = fields.Int(load_default=1, data_key="p")


@app.get("/search")
@use_args({"q": fields.Str(required=True), "page": fields.Int(load_default=1, validate=validate.Range(min=1)),
           "tags": fields.List(fields.Str())}, location="query")
def search(args):
    return {"q": args["q"], "page": args["page"], "tags": args.get("tags")}


@app.post("/authors/<int:number>")
@use_kwargs({"name": fields.Str(required=True, validate=validate.Length(min=1, max=50))}, location="json")
def create_author(name, number):
    return {"name": name, "number": number}, 201


@app.post("/form")
@use_args({"name": fields.Str(required=True)}, location="form", arg_name="data")
def form(data):
    return {"name": data["name"]}


@app.get("/headers")
@use_args({"token": fields.Str(required=True, data_key="X-Token")}, location="headers")
async def headers(args):
    return {"token": args["token"]}


@app.get("/pages")
@use_kwargs(PageSchema(), location="query")
def pages(page):
    return {"page": page}
'''

REQUESTS = [
    ("get", "/search", {"params": {"q": "dune", "page": "2"}}),
    ("get", "/search", {"params": {"q": "dune", "sort": "title"}}),
    ("get", "/search", {}),
    ("get", "/search", {"params": {"q": "dune", "page": "0"}}),
    ("get", "/search", {"params": [("q", "dune"), ("tags", "a"), ("tags", "b")]}),
    ("post", "/authors/3", {"json": {"name": "Ursula K. Le Guin"}}),
    ("post", "/authors/3", {"json": {"name": "Frank Herbert", "admin": True}}),
    ("post", "/authors/3", {"json": {"name": ""}}),
    ("post", "/authors/3", {"content": "{bad", "headers": {"content-type": "application/json"}}),
    ("post", "/authors/3", {"content": "name=x", "headers": {"content-type": "text/plain"}}),
    ("post", "/form", {"data": {"name": "x"}}),
    ("post", "/form", {"data": {"name": "x", "other": "y"}}),
    ("post", "/form", {"json": {"name": "x"}}),
    ("get", "/headers", {"headers": {"X-Token": "t"}}),
    ("get", "/headers", {}),
    ("get", "/pages", {"params": {"p": "3"}}),
    ("get", "/pages", {"params": {"p": "x"}}),
    ("get", "/pages", {}),
]

HANDLER = '''

@app.errorhandler(422)
def handle_error(err):
    return {"errors": err.data["messages"], "status": err.code}, err.code
'''

# the handler webargs' documentation recommends, for both statuses the parser aborts with
STACKED = '''

from flask import jsonify


@app.errorhandler(422)
@app.errorhandler(400)
def handle_error(err):
    messages = err.data.get("messages", ["Invalid request."])
    return jsonify({"errors": messages}), err.code
'''


def _sides(tmp_path: Path, monkeypatch, source: str):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    result = port(str(folder))
    assert set(result.after) == {"app.py", FILE, "werkzeug_routing.py"}
    assert result.after[FILE] == BRIDGE
    out = tmp_path / "ported"
    out.mkdir()
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(out))
    monkeypatch.delitem(sys.modules, FILE[:-3], raising=False)
    name = f"webargs_{len(source)}"
    return load_app(folder, f"{name}_flask").app.test_client(), TestClient(load_app(out, f"{name}_fastapi").app)


def _flask_kwargs(kwargs: dict) -> dict:  # type: ignore[type-arg]
    renamed = {"params": "query_string", "content": "data"}
    return {renamed.get(key, key): value for key, value in kwargs.items()}


@pytest.mark.parametrize("handler", ["", HANDLER, STACKED], ids=["werkzeug's pages", "the app's 422 handler",
                                                                   "one handler for 422 and 400"])
def test_requests_are_parsed_and_refused_as_webargs_did(tmp_path: Path, monkeypatch, handler: str) -> None:
    flask_client, fastapi_client = _sides(tmp_path, monkeypatch, APP + handler)
    for method, path, kwargs in REQUESTS:
        before = getattr(flask_client, method)(path, **_flask_kwargs(kwargs))
        after = getattr(fastapi_client, method)(path, **kwargs)
        assert (after.status_code, after.headers["content-type"]) == \
            (before.status_code, before.headers["content-type"]), (method, path, kwargs)
        if before.is_json:
            assert after.json() == before.get_json(), (method, path, kwargs)
        else:
            assert after.text == before.text, (method, path, kwargs)


def test_the_import_becomes_the_bridge_and_porting_again_changes_nothing(tmp_path: Path) -> None:
    after = ported(tmp_path, APP)
    assert "from flask_webargs_bridge import use_args, use_kwargs" in after
    assert "TODO" not in after
    again = tmp_path / "again"
    again.mkdir()
    (again / "app.py").write_text(after, encoding="utf-8")
    (again / FILE).write_text(BRIDGE, encoding="utf-8")
    assert port(str(again)).after.get("app.py", after) == after


@pytest.mark.parametrize("change", [
    ('from webargs.flaskparser import use_args, use_kwargs', 'from webargs.flaskparser import parser, use_args, use_kwargs'),
    ('location="form", arg_name="data"', 'location="files", arg_name="data"'),
    (', location="headers")', ')'),
    ('arg_name="data"', 'arg_name=NAME'),
    ('@use_args({"name": fields.Str(required=True)}, location="form"', '@use_args(FORM, location="form"'),
])
def test_uses_the_bridge_does_not_answer_alike_keep_webargs(tmp_path: Path, change: tuple[str, str]) -> None:
    assert change[0] in APP
    after = ported(tmp_path, APP.replace(*change))
    assert "from webargs.flaskparser import" in after
    assert "TODO(migrate-audit FMA359)" in after


def test_a_handler_for_400_stays_flask_where_views_also_read_the_request(tmp_path: Path) -> None:
    source = APP.replace("from flask import Flask", "from flask import Flask, request") + STACKED + \
        '\n\n@app.post("/raw")\ndef raw():\n    return {"body": request.get_json()}\n'
    after = ported(tmp_path, source)
    assert "@app.errorhandler(400)" in after
    assert "TODO(migrate-audit FMA405)" in after
