"""Flask's `flash(message, category)` in views that move to FastAPI while the app stays Flask (FMA408, port/session.py):
the flashes a FastAPI-served view sets are in Flask's session cookie as Flask's own flash puts them there, so the Flask
routes behind and the moved views show them on the next request, whichever side serves it. Compared with the Flask
app itself on the same requests: answers, cookies (the signed payload byte for byte), Vary: Cookie; with and without
a session before; flash then redirect, flash then render in the same request; the sample app's shape (a factory, a
module where one flashing view stays Flask, `import flask` / `flask.flash` in another Blueprint)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from _port_support import forget, import_from
from _tools import load_module

from migrate_audit.port import port

APP = '''\
from flask import Flask

from legacy import legacy
from pages import pages
from shop import bp


class Config:
    SECRET_KEY = "flash-secret"


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    app.register_blueprint(bp)
    app.register_blueprint(pages)
    app.register_blueprint(legacy)
    return app
'''
# Flask's own routes, which stay Flask (they read request.environ, which the port leaves): they read and set the
# session and flash from the Flask side
PAGES = '''\
from flask import Blueprint, flash, get_flashed_messages, render_template, request, session

pages = Blueprint("pages", __name__)


@pages.route("/messages")
def messages():
    return {"flashes": get_flashed_messages(with_categories=True), "keys": sorted(session),
            "query": request.environ.get("QUERY_STRING", "")}


@pages.route("/page")
def page():
    return render_template("page.html", query=request.environ.get("QUERY_STRING", ""))


@pages.route("/login")
def login():
    session["user"] = request.environ.get("QUERY_STRING", "") or "ann"
    return "in"


@pages.route("/flask-flash")
def flask_flash_view():
    flash(request.environ.get("QUERY_STRING", "") or "from Flask", "info")
    return "flashed"
'''
# The views that move: flash then redirect (the default category), flash then render, get_flashed_messages in the view
# and in its template; `mixed` stays Flask (as the sample app's cover), so Flask's `flash` stays in the module
SHOP = '''\
from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for

bp = Blueprint("shop", __name__)


@bp.post("/save")
def save():
    flash("Saved")
    flash("Disk almost full", "warning")
    return redirect(url_for("pages.messages"))


@bp.get("/now")
def now():
    flash("Rendered at once", category="info")
    return render_template("page.html", query="now")


@bp.get("/twice")
def twice():
    taken = get_flashed_messages()
    return render_template("page.html", query=" / ".join(taken))


@bp.route("/mixed", methods=["GET", "POST"])
def mixed():
    if request.method == "POST":
        flash(request.environ.get("QUERY_STRING", "") or "posted", "error")
    return redirect("/page")
'''
# the auth Blueprint's style of the sample app
LEGACY = '''\
import flask

legacy = flask.Blueprint("legacy", __name__)


@legacy.post("/old")
def old():
    flask.flash("Old style", "info")
    return flask.redirect("/messages")
'''
PAGE = '''\
<p>{{ request.endpoint }} {{ query }}</p>
{% for category, message in get_flashed_messages(with_categories=true) %}<p class="{{ category }}">{{ message }}</p>
{% endfor %}
'''
FILES = {"app.py": APP, "pages.py": PAGES, "shop.py": SHOP, "legacy.py": LEGACY, "templates/page.html": PAGE}
MODULES = ("app", "pages", "shop", "legacy", "main", "shop_fastapi", "flask_cookie_session", "flask_render",
           "flask_url_fallback", "app_hooks_fastapi")
# (method, path): each step asked of the Flask app and of main.py's FastAPI app in front of it
REQUESTS = [
    ("post", "/save"),  # no session yet: flash then redirect, served by FastAPI
    ("get", "/messages"),  # Flask shows them once
    ("get", "/messages"),
    ("get", "/login?bob"),  # a session from now on
    ("post", "/save"),  # flashes added to it
    ("get", "/page"),  # Flask renders them
    ("get", "/now"),  # flash and render in one request, by FastAPI
    ("get", "/messages"),
    ("get", "/flask-flash?hello"),  # flashed by Flask...
    ("get", "/twice"),  # ...taken by a FastAPI view and shown again by its template, as in one Flask request
    ("get", "/messages"),
    ("post", "/old"),  # flask.flash, by FastAPI
    ("post", "/mixed?kept"),  # the module's view that stays Flask, with Flask's flash
    ("get", "/now"),  # its flash shown with FastAPI's
    ("get", "/messages"),
]


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    forget(MODULES)
    yield
    forget(MODULES)


def _project(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder, out = tmp_path / "project", tmp_path / "out"
    for root in (folder, out):
        (root / "templates").mkdir(parents=True)
    for relpath, text in FILES.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    result = port(str(folder))
    for relpath, text in {**FILES, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    return folder, out, result


def _cookies(headers) -> list[str]:  # type: ignore[no-untyped-def]
    return headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else headers.get_list("set-cookie")


def _payload(set_cookie: str) -> str:
    """The signed value without its timestamp and signature (itsdangerous: payload.timestamp.signature): the
    session as Flask serialized it, byte for byte."""
    return set_cookie.split(";")[0].split("=", 1)[1].rsplit(".", 2)[0]


def _shape(set_cookie: str) -> str:
    return re.sub(r"^session=[^;]+", "session=<value>", set_cookie)


def _session(flask_app, set_cookie: str):  # type: ignore[no-untyped-def]
    from flask.sessions import SecureCookieSessionInterface

    value = set_cookie.split(";")[0].split("=", 1)[1]
    return SecureCookieSessionInterface().get_signing_serializer(flask_app).loads(value) if value else {}


def test_flashes_set_by_moved_views_are_flask_s_on_either_side(tmp_path: Path) -> None:
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    folder, out, result = _project(tmp_path)
    moved = result.after["shop_fastapi.py"]
    # the module keeps Flask's flash for `mixed`: the moved views call the bridge's under its own name
    assert 'flask_flash(request, "Saved")\n' in moved and 'flask_flash(request, "Disk almost full", "warning")' in moved
    assert 'flask_flash(request, "Rendered at once", category="info")' in moved
    assert "from flask_cookie_session import flask_flash, get_flashed_messages" in moved
    assert "taken = get_flashed_messages(request)" in moved
    # flask.flash: the bridge's, under either name (the port may first read the module in the name style)
    assert re.search(r'\b(flask_)?flash\(request, "Old style", "info"\)', result.after["legacy.py"])
    assert "FMA408" not in moved and "FMA408" not in result.after["legacy.py"]
    assert any("shop.py:25 mixed stays Flask" in note for note in result.notes), result.notes
    assert not any(re.search(r"(save|now|twice|old) stays Flask", note) for note in result.notes), result.notes
    assert "FlaskSessionMiddleware" in result.after["main.py"]

    flask_app = import_from(folder, "app", lambda: forget(MODULES)).create_app()
    flask = flask_app.test_client()
    answers = [getattr(flask, method)(path) for method, path in REQUESTS]
    main = import_from(out, "main", lambda: forget(MODULES))
    assert {"/save", "/now", "/twice", "/old"} <= set(main.app.openapi()["paths"])  # FastAPI serves them
    assert "/mixed" not in main.app.openapi()["paths"] and "/messages" not in main.app.openapi()["paths"]
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (method, path), expected in zip(REQUESTS, answers):
            got = getattr(fastapi, method)(path)
            assert got.status_code == expected.status_code, path
            assert got.text == expected.get_data(as_text=True), path
            for header in ("content-type", "location", "vary"):
                assert got.headers.get(header) == expected.headers.get(header), (path, header)
            flask_cookies, fastapi_cookies = _cookies(expected.headers), _cookies(got.headers)
            assert [_shape(c) for c in fastapi_cookies] == [_shape(c) for c in flask_cookies], path
            assert [_payload(c) for c in fastapi_cookies] == [_payload(c) for c in flask_cookies], path
            assert [_session(flask_app, c) for c in fastapi_cookies] == [_session(flask_app, c) for c in flask_cookies]

    # what Flask answered, which the port matched: the flashes in the session as Flask's flash keeps them
    saved = _session(flask_app, _cookies(answers[0].headers)[0])
    assert saved == {"_flashes": [("message", "Saved"), ("warning", "Disk almost full")]}
    assert answers[0].headers["Vary"] == "Cookie" and answers[0].headers["Location"] == "/messages"
    assert answers[1].get_json()["flashes"] == [["message", "Saved"], ["warning", "Disk almost full"]]
    assert answers[2].get_json()["flashes"] == []
    assert _session(flask_app, _cookies(answers[4].headers)[0]) == {
        "user": "bob", "_flashes": [("message", "Saved"), ("warning", "Disk almost full")]}
    assert '<p class="warning">Disk almost full</p>' in answers[5].get_data(as_text=True)
    assert '<p class="info">Rendered at once</p>' in answers[6].get_data(as_text=True)  # flashed, then rendered
    assert _session(flask_app, _cookies(answers[6].headers)[0]) == {"user": "bob"}  # and taken out again
    assert answers[7].get_json()["flashes"] == []
    twice = answers[9].get_data(as_text=True)
    assert "<p>shop.twice hello</p>" in twice and '<p class="info">hello</p>' in twice
    assert answers[11].headers["Location"] == "/messages"
    assert answers[14].get_json()["flashes"] == []
    shown = answers[13].get_data(as_text=True)
    assert '<p class="error">kept</p>' in shown and '<p class="info">Rendered at once</p>' in shown


MIXED = '''\
from flask import Flask, flash, get_flashed_messages, request

app = Flask(__name__)
app.secret_key = "mixed-secret"


@app.post("/save")
def save():
    flash("Saved")
    return {"saved": True}


@app.post("/later")
def later():
    flash(request.environ.get("QUERY_STRING", ""))
    return {"later": True}


@app.get("/seen")
def seen():
    return {"seen": get_flashed_messages(with_categories=True)}
'''


def test_a_flash_left_to_people_keeps_flask_s_name_and_the_others_convert(tmp_path: Path) -> None:
    """One call the port leaves keeps only itself with its TODO; porting the result again changes nothing."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(MIXED, encoding="utf-8")
    result = port(str(folder))
    text = result.after["app.py"]
    assert 'flask_flash(request, "Saved")' in text and "get_flashed_messages(request, with_categories=True)" in text
    assert "from flask_cookie_session import" in text and "flask_flash" in text
    later = text[text.index("def later"):text.index("def seen")]
    assert "TODO(migrate-audit FMA408)" in later and 'flash(request.environ.get("QUERY_STRING", ""))' in later
    assert re.search(r"^from flask import .*\bflash\b", text, re.MULTILINE)  # Flask's, for `later`
    ported = tmp_path / "ported"  # with the bridge the port wrote beside it
    ported.mkdir()
    for relpath, written in result.after.items():
        (ported / relpath).write_text(written, encoding="utf-8")
    assert port(str(ported)).after.get("app.py", text) == text


WHOLE = '''\
from flask import Flask, flash, redirect, render_template, session

app = Flask(__name__)
app.secret_key = "whole-secret"


@app.get("/login/<name>")
def login(name):
    session["user"] = name
    return "in"


@app.post("/save")
def save():
    flash("Saved")
    return redirect("/page")


@app.get("/now")
def now():
    flash("Rendered at once", "info")
    return render_template("flashes.html")


@app.get("/page")
def page():
    return render_template("flashes.html")
'''
FLASHES = '''\
{% for category, message in get_flashed_messages(with_categories=true) %}<p class="{{ category }}">{{ message }}</p>
{% endfor %}{{ session.get("user") }}
'''


def test_a_whole_app_port_flashes_and_renders_as_flask(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app converted whole: Starlette's templates with the bridge's context processors, the same answers and
    cookies as Flask's on flash then redirect, flash then render in one request, with and without a session."""
    from fastapi.testclient import TestClient

    folder, out = tmp_path / "project", tmp_path / "ported"
    for root in (folder, out):
        (root / "templates").mkdir(parents=True)
        (root / "templates" / "flashes.html").write_text(FLASHES, encoding="utf-8")
    (folder / "app.py").write_text(WHOLE, encoding="utf-8")
    result = port(str(folder))
    assert result.todos == [], result.todos
    text = result.after["app.py"]
    assert 'flash(request, "Saved")' in text and not re.search(r"^(from flask |import flask)", text, re.MULTILINE)
    for relpath, written in result.after.items():
        (out / relpath).write_text(written, encoding="utf-8")
    monkeypatch.syspath_prepend(str(out))
    flask_app = load_module(folder / "app.py", f"whole_flask_{tmp_path.name}").app
    try:
        ported = load_module(out / "app.py", f"whole_ported_{tmp_path.name}").app
        flask = flask_app.test_client()
        requests = [("post", "/save"), ("get", "/page"), ("get", "/now"), ("get", "/page"), ("get", "/login/ann"),
                    ("get", "/now"), ("post", "/save"), ("get", "/page"), ("get", "/page")]
        answers = [getattr(flask, method)(path) for method, path in requests]
        with TestClient(ported, base_url="http://localhost", follow_redirects=False) as client:
            for (method, path), expected in zip(requests, answers):
                got = getattr(client, method)(path)
                assert (got.status_code, got.text) == (expected.status_code, expected.get_data(as_text=True)), path
                for header in ("content-type", "location", "vary"):
                    assert got.headers.get(header) == expected.headers.get(header), (path, header)
                assert [_shape(c) for c in _cookies(got.headers)] == [_shape(c) for c in _cookies(expected.headers)]
                assert [_payload(c) for c in _cookies(got.headers)] == [_payload(c) for c in _cookies(expected.headers)]
    finally:
        sys.modules.pop("flask_cookie_session", None)
    assert '<p class="message">Saved</p>' in answers[1].get_data(as_text=True)
    assert '<p class="info">Rendered at once</p>' in answers[2].get_data(as_text=True)
    assert "<p" not in answers[3].get_data(as_text=True)
    assert '<p class="info">Rendered at once</p>\nann' in answers[5].get_data(as_text=True)
    assert _session(flask_app, _cookies(answers[6].headers)[0]) == {"user": "ann", "_flashes": [("message", "Saved")]}
    assert '<p class="message">Saved</p>\nann' in answers[7].get_data(as_text=True)
