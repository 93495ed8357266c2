"""`migrate-audit port`: Flask-HTTPAuth -> the Flask-HTTPAuth bridge it writes (port/httpauth.py). Checked against
Flask-HTTPAuth itself: the same requests to the Flask app and its port get the same status, body, media type and
WWW-Authenticate."""
from __future__ import annotations

import base64
import textwrap
from pathlib import Path

import pytest

from _port_support import bridged_sides
from migrate_audit.port import port
from migrate_audit.port.httpauth import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_httpauth")

APP = '''\
from flask import Flask, jsonify
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth

app = Flask(__name__)
basic = HTTPBasicAuth(realm="Books")
token_auth = HTTPTokenAuth(scheme="Token")
key_auth = HTTPTokenAuth(header="X-Api-Key")

USERS = {"alice": ("wonderland", ["admin"]), "bob": ("builder", []), "zoë": ("ünïcode", [])}
TOKENS = {"t-alice": "alice"}


@basic.verify_password
def verify_password(username, password):
    if username in USERS and USERS[username][0] == password:
        return {"name": username}
    if username == "" and password == "":
        return None
    return False


@basic.get_user_roles
def roles(user):
    return USERS[user["name"]][1]


@token_auth.verify_token
def verify_token(token):
    return TOKENS.get(token)


@token_auth.error_handler
def token_error(status):
    return jsonify(error="bad token", status=status), status


@key_auth.verify_token
def verify_key(key):
    return key == "k-1"


@key_auth.error_handler
def key_error():
    return "no key"


@app.get("/me")
@basic.login_required
def me():
    return {"user": basic.current_user()["name"], "username": basic.username()}


@app.get("/admin")
@basic.login_required(role="admin")
def admin():
    return {"admin": basic.current_user()["name"]}


@app.get("/maybe")
@basic.login_required(optional=True)
def maybe():
    return {"user": basic.current_user()}


@app.get("/token")
@token_auth.login_required
async def token_user():
    return {"user": token_auth.current_user()}


@app.get("/key")
@key_auth.login_required
def key_user():
    return {"user": key_auth.current_user()}
'''


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    yield from bridged_sides(tmp_path, monkeypatch, APP, "httpauth", (MODULE,))


def test_the_port_writes_the_bridge_and_keeps_login_required(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    assert result.after[FILE] == BRIDGE
    text = result.after["app.py"]
    assert "from flask_httpauth_bridge import HTTPBasicAuth, HTTPTokenAuth" in text
    assert '@basic.login_required(role="admin")\ndef admin():' in text
    # the error handler's jsonify rewritten as a view's; the bridge makes its (body, status) a response as Flask did
    assert 'return {"error": "bad token", "status": status}, status' in text and "jsonify" not in text


def _seen(response) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    flask = hasattr(response, "get_data")
    body = response.get_data(as_text=True) if flask else response.text
    media = response.headers.get("Content-Type", "").split(";")[0]
    return response.status_code, media, body if media != "application/json" else response.json() if not flask \
        else response.get_json(), response.headers.get("WWW-Authenticate")


@pytest.mark.parametrize("path, headers", [
    ("/me", {}), ("/me", _basic("alice", "wonderland")), ("/me", _basic("alice", "queen")),
    ("/me", _basic("zoë", "ünïcode")), ("/me", {"Authorization": "Bearer abc"}), ("/me", {"Authorization": "Basic"}),
    ("/me", {"Authorization": "Basic !!!"}), ("/admin", _basic("alice", "wonderland")), ("/admin", _basic("bob", "builder")),
    ("/admin", {}), ("/maybe", {}), ("/maybe", _basic("bob", "builder")), ("/maybe", _basic("bob", "nope")),
    ("/token", {"Authorization": "Token t-alice"}), ("/token", {"Authorization": "Token nope"}),
    ("/token", {"Authorization": "Bearer t-alice"}), ("/token", {}), ("/key", {"X-Api-Key": "k-1"}),
    ("/key", {"X-Api-Key": "k-2"}), ("/key", {}),
])
def test_answers_as_flask_httpauth(sides, path: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_answer = flask_app.test_client().get(path, headers=headers)
    fastapi_answer = TestClient(ported_app).get(path, headers=headers)
    assert _seen(flask_answer) == _seen(fastapi_answer)


@pytest.mark.parametrize("change", ["from flask_httpauth import HTTPDigestAuth\n", "basic.hash_password(len)\n",
                                    "basic.get_password(len)\n"])
def test_what_the_bridge_has_not_stays_flask_httpauth(tmp_path: Path, change: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP) + change, encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported == 0
    assert any("Flask-HTTPAuth's" in note for note in result.notes), result.notes
