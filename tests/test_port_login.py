"""`migrate-audit port`: Flask-Login -> the Flask-Login bridge it writes (port/login.py), over Flask's own session
cookie. Checked against Flask-Login itself: the same requests to the Flask app and its port, answered alike, and
the cookies (session and remember-me) crossing between the two both ways."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _port_support import bridged_sides
from _tools import load_module
from migrate_audit.port import port
from migrate_audit.port.login import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_login")

APP = '''\
from datetime import timedelta

from flask import Flask, request
from flask_login import (LoginManager, UserMixin, confirm_login, current_user, fresh_login_required, login_fresh,
                         login_required, login_user, logout_user)

app = Flask(__name__)
app.secret_key = "login-test-secret"
login_manager = LoginManager(app)
login_manager.login_view = "login_page"
login_manager.login_message = "Sign in first."
login_manager.refresh_view = "login_page"

USERS = {"ada": "Ada Lovelace", "alan": "Alan Turing"}


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id
        self.name = USERS[user_id]


@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in USERS else None


@login_manager.request_loader
def from_token(req):
    return User("alan") if req.headers.get("X-Token") == "alan-token" else None


@app.get("/login")
def login_page():
    return {"page": "login"}


@app.post("/login/<user_id>")
def login(user_id):
    keep = request.args.get("remember") == "1"
    done = login_user(User(user_id), remember=keep, duration=timedelta(days=2) if keep else None)
    return {"logged_in": done, "name": current_user.name, "fresh": login_fresh()}


@app.post("/logout")
@login_required
def logout():
    logout_user()
    return {"logged_out": True, "anonymous": current_user.is_anonymous}


@app.get("/account")
@login_required
def account():
    return {"name": current_user.name, "id": current_user.get_id(), "fresh": login_fresh()}


@app.get("/who")
def who():
    return {"authenticated": current_user.is_authenticated, "id": current_user.get_id()}


@app.post("/password")
@fresh_login_required
def password():
    return {"changed": current_user.id}


@app.post("/confirm")
@login_required
def confirm():
    confirm_login()
    return {"fresh": login_fresh()}


@app.get("/async-account")
@login_required
async def async_account():
    return {"name": current_user.name}
'''


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The Flask app (Flask-Login itself) and its port (the bridges written beside it), and the port's result."""
    yield from bridged_sides(tmp_path, monkeypatch, APP, "login", (MODULE, "flask_cookie_session"))


def _clients(flask_app, ported_app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    # the same remote address on both sides: Flask-Login's session identifier hashes it with the user agent
    flask_client = flask_app.test_client()
    flask_client.environ_base.update(REMOTE_ADDR="testclient", HTTP_USER_AGENT="testclient")
    return flask_client, TestClient(ported_app)  # its User-Agent is "testclient" (given again, it is sent twice)


def _answer(response) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    """What is compared: status, JSON body (None for none), Location."""
    is_flask = hasattr(response, "get_json")
    body = response.get_json(silent=True) if is_flask else (response.json() if response.content and
                                                              "json" in response.headers.get("content-type", "") else None)
    return response.status_code, body, response.headers.get("Location")


def _session(flask_app, response) -> dict | None:  # type: ignore[no-untyped-def,type-arg]
    """The session the response's cookie holds, read with Flask's own serializer (None: no cookie set)."""
    from flask.sessions import SecureCookieSessionInterface

    headers = response.headers.getlist("Set-Cookie") if hasattr(response.headers, "getlist") else \
        response.headers.get_list("set-cookie")
    values = [cookie.split(";")[0].split("=", 1)[1] for cookie in headers if cookie.startswith("session=")]
    return SecureCookieSessionInterface().get_signing_serializer(flask_app).loads(values[0]) if values else None


def _ask(flask_client, fastapi_client, method: str, path: str, **options):  # type: ignore[no-untyped-def]
    """The same request to both: the same status, JSON, Location, and session written (Flask-Login's keys, the
    session identifier and the flashed message included)."""
    flask_answer = getattr(flask_client, method)(path, **options)
    fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False, **options)
    assert _answer(flask_answer) == _answer(fastapi_answer), path
    flask_app = flask_client.application
    assert _session(flask_app, flask_answer) == _session(flask_app, fastapi_answer), path
    return flask_answer, fastapi_answer


def test_the_port_writes_the_bridge_and_keeps_the_guards(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 8
    assert result.after[FILE] == BRIDGE and "flask_cookie_session.py" in result.after
    text = result.after["app.py"]
    # the bridge's import is where isort puts it, wrapped as ruff wraps it
    assert "fromflask_login_bridgeimport(LoginManager," in "".join(text.split()) and "flask_login " not in text
    assert '@app.api_route("/account", methods=["GET", "HEAD"])\n@login_required\ndef account():' in text


def test_a_login_session_answers_as_flask_login(sides) -> None:  # type: ignore[no-untyped-def]
    flask_client, fastapi_client = _clients(*sides[:2])
    ask = lambda *args, **options: _ask(flask_client, fastapi_client, *args, **options)  # noqa: E731
    # nobody logged in: the login view with `next`, the message flashed into the session
    flask_answer, fastapi_answer = ask("get", "/account?tab=1")
    assert flask_answer.headers["Location"] == "/login?next=%2Faccount%3Ftab%3D1"
    assert _session(flask_client.application, fastapi_answer) == {"_flashes": [("message", "Sign in first.")]}
    ask("get", "/who")
    ask("post", "/password")
    ask("get", "/async-account")
    ask("post", "/login/ada")
    ask("get", "/account")
    ask("get", "/async-account")
    ask("post", "/password")
    ask("post", "/confirm")
    ask("post", "/logout")
    ask("get", "/account")
    ask("get", "/who")


def test_the_request_loader_reads_the_request_as_flask_login(sides) -> None:  # type: ignore[no-untyped-def]
    flask_client, fastapi_client = _clients(*sides[:2])
    for headers in ({"X-Token": "alan-token"}, {"X-Token": "wrong"}):
        _ask(flask_client, fastapi_client, "get", "/who", headers=headers)
        _ask(flask_client, fastapi_client, "get", "/account", headers=headers)
        # loaded by the request loader: not a fresh login
        _ask(flask_client, fastapi_client, "post", "/password", headers=headers)


def test_one_login_spans_flask_and_the_port(sides) -> None:  # type: ignore[no-untyped-def]
    """The session cookie Flask-Login wrote logs the port in, and back; so does the remember-me cookie."""
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_client, fastapi_client = _clients(flask_app, ported_app)
    session = flask_client.post("/login/ada").headers["Set-Cookie"].split(";")[0]
    assert TestClient(ported_app).get("/account", headers={"Cookie": session}).json()["name"] == "Ada Lovelace"
    session = fastapi_client.post("/login/alan").headers["set-cookie"].split(";")[0]
    assert flask_app.test_client(use_cookies=False).get("/account", headers={"Cookie": session}).get_json()["name"] == "Alan Turing"
    # remember me: the same cookie, signed alike; alone (no session) it logs in on the other side, not fresh
    flask_login = flask_client.post("/login/ada?remember=1")
    fastapi_login = fastapi_client.post("/login/ada?remember=1")
    flask_remember = [c for c in flask_login.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    fastapi_remember = [c for c in fastapi_login.headers.get_list("set-cookie") if c.startswith("remember_token=")]
    assert len(flask_remember) == len(fastapi_remember) == 1

    def without_date(cookie: str) -> list[str]:
        return [part for part in cookie.split("; ") if not part.startswith("Expires=")]

    assert without_date(flask_remember[0]) == without_date(fastapi_remember[0])
    remember = flask_remember[0].split(";")[0]
    crossed = TestClient(ported_app).get("/account", headers={"Cookie": remember})
    assert crossed.json() == flask_app.test_client(use_cookies=False).get("/account", headers={"Cookie": remember}).get_json() == \
        {"name": "Ada Lovelace", "id": "ada", "fresh": False}
    # logout clears the remember cookie on both sides
    flask_out = flask_client.post("/logout")
    fastapi_out = fastapi_client.post("/logout")
    cleared = [c for c in flask_out.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cleared == [c for c in fastapi_out.headers.get_list("set-cookie") if c.startswith("remember_token=")]
    assert cleared and "Max-Age=0" in cleared[0]


@pytest.mark.parametrize("change, why", [
    ("login_manager.header_loader(lambda header: None)", "which stays Flask-Login's: login_manager.header_loader is not"),
    ('app.config["LOGIN_DISABLED"] = True', "LOGIN_DISABLED"),
    ("from flask_login import login_url", "login_url is not in the bridge"),
])
def test_what_the_bridge_has_not_stays_flask_login(tmp_path: Path, change: str, why: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP) + "\n" + change + "\n", encoding="utf-8")
    result = port(str(folder))
    assert "app.py" not in result.after or "flask_login_bridge" not in result.after["app.py"]
    assert FILE not in result.after and result.routes_ported == 0
    assert any(why in note for note in result.notes), result.notes


def test_a_request_loader_reading_more_than_headers_stays(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP).replace('req.headers.get("X-Token")', 'req.args.get("token")'),
                                   encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported == 0
    assert any("the request loader reads req.args" in note for note in result.notes), result.notes


def test_porting_twice_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    first = port(str(folder)).after
    for relpath, text in first.items():  # the bridges beside it, as the port wrote them
        (folder / relpath).write_text(text, encoding="utf-8")
    again = port(str(folder))
    assert again.after.get("app.py", first["app.py"]) == first["app.py"] and again.todos == []


def test_templates_read_current_user_as_flask_login_gives_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Flask-Login's context processor gives every template `current_user`: the bridge's user_context does."""
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "me.html").write_text(
        "{% if current_user.is_authenticated %}hi {{ current_user.id }}{% else %}guest{% endif %}", encoding="utf-8")
    source = APP.replace('@app.get("/who")', '@app.get("/page")\ndef page():\n    return render_template("me.html")\n\n\n'
                         '@app.get("/who")').replace("from flask import Flask, request", "from flask import Flask, render_template, request")
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert result.todos == [] and "context_processors=[user_context]" in result.after["app.py"]
    ported = tmp_path / "ported"
    (ported / "templates").mkdir(parents=True)
    (ported / "templates" / "me.html").write_text((folder / "templates" / "me.html").read_text(), encoding="utf-8")
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    try:
        flask_client = load_module(folder / "app.py", "login_page_flask").app.test_client()
        fastapi_client = TestClient(load_module(ported / "app.py", "login_page_ported").app)
        for client in (flask_client, fastapi_client):
            client.post("/login/ada")
        pages = [client.get("/page", headers=headers) for client in (flask_client, fastapi_client)
                 for headers in ({}, {"X-Token": "alan-token"})]
        texts = [page.get_data(as_text=True) if hasattr(page, "get_data") else page.text for page in pages]
        assert texts == ["hi ada", "hi ada", "hi ada", "hi ada"]
        fresh = [TestClient(fastapi_client.app).get("/page", headers={"X-Token": "alan-token"}).text,
                 flask_client.application.test_client().get("/page", headers={"X-Token": "alan-token"}).get_data(as_text=True)]
        guest = [TestClient(fastapi_client.app).get("/page").text,
                 flask_client.application.test_client().get("/page").get_data(as_text=True)]
        assert fresh == ["hi alan", "hi alan"] and guest == ["guest", "guest"]
    finally:
        for name in (MODULE, "flask_cookie_session"):
            sys.modules.pop(name, None)


def test_a_manager_given_the_app_by_init_app_converts_too(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`login_manager = LoginManager()` then `login_manager.init_app(app)`: the bridge's init_app adds its middleware."""
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    folder.mkdir()
    source = textwrap.dedent(APP).replace("login_manager = LoginManager(app)\n",
                                          "login_manager = LoginManager()\nlogin_manager.init_app(app)\n")
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert result.todos == [] and "login_manager.init_app(app)" in result.after["app.py"]
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    try:
        client = TestClient(load_module(ported / "app.py", "login_init_app_ported").app)
        assert client.get("/account", follow_redirects=False).headers["location"] == "/login?next=%2Faccount"
        assert client.post("/login/ada").json()["name"] == "Ada Lovelace"
        assert client.get("/account").json()["name"] == "Ada Lovelace"
    finally:
        for name in (MODULE, "flask_cookie_session"):
            sys.modules.pop(name, None)
