"""`migrate-audit port`: `app.request_class = AppRequest` -> a Starlette Request subclass the path operations get
through the route class the port writes (port/request_class.py, port/written/flask_request_class.py). Checked side
by side with Flask on the same requests."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _port_support import load_app, ported
from migrate_audit.port import port
from migrate_audit.port.request_class import BRIDGE, FILE

pytest.importorskip("fastapi")

APP = '''\
from flask import Flask, Request, request


class AppRequest(Request):
    @property
    def is_api(self):
        return self.path.startswith("/api/")

    @property
    def where(self):
        return [self.scheme, self.method, self.is_api]


app = Flask(__name__)
app.request_class = AppRequest


def token_from(req: Request):
    return req.args.get("token")


@app.get("/api/items")
def items():
    return {"api": request.is_api, "where": request.where, "token": token_from(request)}


@app.post("/items/<int:number>")
def items_page(number):
    return {"api": request.is_api, "token": token_from(request), "number": number}
'''

REQUESTS = [
    ("get", "/api/items", {"params": {"token": "abc"}}),
    ("get", "/api/items", {"params": [("token", "first"), ("token", "second")]}),
    ("get", "/api/items", {}),
    ("post", "/items/3", {"params": {"token": "abc"}}),
    ("post", "/items/x", {}),
]


def test_the_views_get_the_subclass_as_in_flask(tmp_path: Path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    result = port(str(folder))
    assert set(result.after) == {"app.py", FILE, "werkzeug_routing.py"} and result.after[FILE] == BRIDGE
    assert "TODO" not in result.after["app.py"] and "from flask import" not in result.after["app.py"]
    out = tmp_path / "ported"
    out.mkdir()
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(out))
    monkeypatch.delitem(sys.modules, FILE[:-3], raising=False)
    flask_client = load_app(folder, "request_class_flask").app.test_client()
    fastapi_client = TestClient(load_app(out, "request_class_fastapi").app)
    for method, path, kwargs in REQUESTS:
        flask_kwargs = {"query_string" if key == "params" else key: value for key, value in kwargs.items()}
        before = getattr(flask_client, method)(path, **flask_kwargs)
        after = getattr(fastapi_client, method)(path, **kwargs)
        assert after.status_code == before.status_code, (method, path, kwargs)
        if before.is_json:
            assert after.json() == before.get_json(), (method, path, kwargs)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    after = ported(tmp_path, APP)
    again = tmp_path / "again"
    again.mkdir()
    (again / "app.py").write_text(after, encoding="utf-8")
    (again / FILE).write_text(BRIDGE, encoding="utf-8")
    assert port(str(again)).after.get("app.py", after) == after


@pytest.mark.parametrize("change", [
    ('return self.path.startswith("/api/")', 'return self.get_json() is None'),
    ('return req.args.get("token")', 'return req.args.get("token", "none")'),
    ('return req.args.get("token")', 'return req.get_json()'),
    ('"token": token_from(request)}\n\n\n@app.post', '"token": request.args.get("token")}\n\n\n@app.post'),
    ("app.request_class = AppRequest\n", "app.request_class = AppRequest\n\n\n@app.before_request\ndef hook():\n"
                                         "    print(request.is_api)\n"),
    ("app.request_class = AppRequest\n", "\n@app.get('/first')\ndef first():\n    return 'x'\n\n\n"
                                         "app.request_class = AppRequest\n"),
])
def test_what_starlette_answers_otherwise_keeps_flask(tmp_path: Path, change: tuple[str, str]) -> None:
    assert change[0] in APP
    after = ported(tmp_path, APP.replace(*change))
    assert "app.request_class = AppRequest" in after
    assert "TODO(migrate-audit FMA512)" in after
