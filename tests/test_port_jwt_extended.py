"""`migrate-audit port`: Flask-JWT-Extended -> the bridge it writes (port/jwt_extended.py). Checked against
Flask-JWT-Extended itself: a token either app issues is accepted (or refused) by the other as by itself, and the
same requests get the same status and the same body, byte for byte."""
from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from _port_support import bridged_sides
from migrate_audit.port import port
from migrate_audit.port.jwt_extended import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_jwt_extended")
pyjwt = pytest.importorskip("jwt")

SECRET = "a-long-enough-secret-for-hs256-tokens-0123456789"
APP = f'''\
from datetime import timedelta

from flask import Flask, request
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token, get_jwt, get_jwt_identity, jwt_required

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "{SECRET}"
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)
jwt = JWTManager(app)


@app.post("/login")
def login():
    name = request.args["name"]
    return {{"access": create_access_token(identity=name, fresh=name == "fresh"), "refresh": create_refresh_token(identity=name)}}


@app.get("/me")
@jwt_required()
def me():
    return {{"who": get_jwt_identity(), "fresh": get_jwt()["fresh"]}}


@app.get("/maybe")
@jwt_required(optional=True)
def maybe():
    return {{"who": get_jwt_identity()}}


@app.post("/refresh")
@jwt_required(refresh=True)
def refresh():
    return {{"access": create_access_token(identity=get_jwt_identity())}}


@app.get("/sensitive")
@jwt_required(fresh=True)
async def sensitive():
    return {{"who": get_jwt_identity()}}
'''


# Settings the bridge reads as Flask-JWT-Extended does: no header type, another error key, tokens that never expire.
OTHER_SETTINGS = ('app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)',
                  ('app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False\napp.config["JWT_HEADER_TYPE"] = ""\n'
                   'app.config["JWT_ERROR_MESSAGE_KEY"] = "error"'))


@pytest.fixture(params=["defaults", "other settings"])
def sides(request, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    source = textwrap.dedent(APP)
    if request.param == "other settings":
        source = source.replace(*OTHER_SETTINGS)
    yield from bridged_sides(tmp_path, monkeypatch, source, "jwt", (MODULE,))


def test_the_port_keeps_jwt_required(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    assert result.after[FILE] == BRIDGE
    assert "jwt = JWTManager(app, config=settings)" in result.after["app.py"]
    assert '@jwt_required(refresh=True)\ndef refresh():' in result.after["app.py"]


def _seen(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The bridge's error answers byte for byte; a view's own dict as its JSON (Flask's ends with a newline,
    FastAPI's does not: the jsonify proof's difference, not the bridge's)."""
    flask = hasattr(response, "get_data")
    body = response.get_data(as_text=True) if flask else response.text
    return {"status": response.status_code, "type": response.headers.get("Content-Type"),
            "body": body if response.status_code >= 400 else (response.json if flask else response.json())}


def _token(claims: dict, secret: str = SECRET) -> str:  # type: ignore[type-arg]
    now = datetime.now(timezone.utc)
    return pyjwt.encode({"fresh": False, "iat": now, "jti": "x", "type": "access", "sub": "eve", "nbf": now,
                         "exp": now + timedelta(minutes=1), **claims}, secret, algorithm="HS256")


def test_tokens_cross_both_ways_and_errors_answer_alike(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    bearer = "Bearer " if flask_app.config["JWT_HEADER_TYPE"] else ""
    clients = {"flask": flask_app.test_client(), "fastapi": TestClient(ported_app)}
    issued = {side: {name: clients[side].post(f"/login?name={name}").json if side == "flask" else
                     clients[side].post(f"/login?name={name}").json() for name in ("alice", "fresh")}
              for side in clients}
    expired = _token({"exp": datetime.now(timezone.utc) - timedelta(minutes=1)})
    headers: list[dict[str, str]] = [
        {}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}, {"Authorization": "Bearer a b"},
        {"Authorization": "Bearer not-a-token"}, {"Authorization": f"{bearer}{expired}"},
        {"Authorization": f"{bearer}{_token({}, secret='another-secret-another-secret-0123456789')}"},
        {"Authorization": f"{bearer}{_token({'sub': 7})}"}, {"Authorization": f"{bearer}{_token({'type': 'refresh'})}"},
        {"Authorization": f"{bearer}{_token({})}"},
    ]
    for side in clients:  # the tokens each side issued, each shown to both
        for name in ("alice", "fresh"):
            headers += [{"Authorization": f"{bearer}{issued[side][name]['access']}"},
                        {"Authorization": f"{bearer}{issued[side][name]['refresh']}"}]
    statuses = []
    for header in headers:
        for method, path in (("get", "/me"), ("get", "/maybe"), ("post", "/refresh"), ("get", "/sensitive")):
            flask_answer = getattr(clients["flask"], method)(path, headers=header)
            fastapi_answer = getattr(clients["fastapi"], method)(path, headers=header)
            if path == "/refresh" and flask_answer.status_code == 200:  # a new token: its claims, not its bytes
                assert _claims(flask_answer.json["access"]) == _claims(fastapi_answer.json()["access"])
                statuses.append(200)
                continue
            assert _seen(flask_answer) == _seen(fastapi_answer), (method, path, header)
            statuses.append(flask_answer.status_code)
    assert {401, 422, 200} <= set(statuses)
    key = flask_app.config["JWT_ERROR_MESSAGE_KEY"]
    missing = clients["fastapi"].get("/me")
    assert (missing.status_code, missing.text) == (401, f'{{"{key}":"Missing Authorization Header"}}\n')
    assert clients["fastapi"].get("/me", headers={"Authorization": f"{bearer}{expired}"}).json() == \
        {key: "Token has expired"}


def _claims(token: str) -> dict:  # type: ignore[type-arg]
    claims = pyjwt.decode(token, SECRET, algorithms=["HS256"])
    return {"keys": sorted(claims), "sub": claims["sub"], "type": claims["type"], "fresh": claims["fresh"],
            "lifetime": claims["exp"] - claims["iat"] if "exp" in claims else None}


def test_issued_tokens_hold_the_same_claims(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_tokens = flask_app.test_client().post("/login?name=fresh").json
    fastapi_tokens = TestClient(ported_app).post("/login?name=fresh").json()
    for kind in ("access", "refresh"):
        assert _claims(flask_tokens[kind]) == _claims(fastapi_tokens[kind])
        assert pyjwt.get_unverified_header(flask_tokens[kind]) == pyjwt.get_unverified_header(fastapi_tokens[kind])


@pytest.mark.parametrize("change", [
    ('app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)',
     'app.config["JWT_TOKEN_LOCATION"] = ["headers", "cookies"]'),
    ("jwt = JWTManager(app)\n", ("jwt = JWTManager(app)\n\n\n@jwt.user_lookup_loader\ndef user(header, data):\n"
                                 "    return data['sub']\n")),
    ("@jwt_required(optional=True)", '@jwt_required(locations=["cookies"])'),
    (f'app.config["JWT_SECRET_KEY"] = "{SECRET}"\n', 'app.secret_key = "x"\n'),
    ("get_jwt_identity, jwt_required", "get_jwt_identity, jwt_required, verify_jwt_in_request"),
    ('def me():\n', 'def me():\n    request.get_json()\n'),  # FastAPI would read the body before the token
])
def test_what_the_bridge_has_not_stays_flask_jwt_extended(tmp_path: Path, change: tuple[str, str]) -> None:
    source = textwrap.dedent(APP)
    assert change[0] in source
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source.replace(change[0], change[1]), encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported < result.routes
    assert any(code == "FMA347" for _, code in result.todos), result.todos
