"""While the app stays Flask, a view whose templates need Flask's Jinja environment (the sample app's shape: a factory
with add_template_filter and jinja_env.globals, g set by a before_request hook, session, flashed messages, url_for,
request.endpoint/view_args/path/args) moves to FastAPI rendering with the Flask app behind it
(port/written/flask_render.py): compared with the Flask app on the same requests, flashes shown once across sides."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from _port_support import forget, import_from

from migrate_audit.port import port

APP = '''\
import secrets
import uuid

from flask import Flask, g, request, session

from catalog import bp
from other import other


def format_price(value):
    return f"${value:,.2f}"


def _csrf_token():
    if "_csrf_token" not in session:
        session["_csrf_token"] = secrets.token_urlsafe(8)
    return session["_csrf_token"]


class Config:
    SECRET_KEY = "s3cret"


CLOSED = []


class Redis:
    def close(self):
        CLOSED.append(True)


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    app.register_blueprint(bp)
    app.register_blueprint(other)
    app.add_template_filter(format_price, name="price")
    app.jinja_env.globals["csrf_token"] = _csrf_token

    @app.context_processor
    def shop():
        return {"shop": "Bookshelf"}

    @app.before_request
    def start_request():
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        g.redis = Redis()

    @app.after_request
    def add_headers(response):
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.teardown_appcontext
    def close_redis(exc):
        conn = g.pop("redis", None)
        if conn is not None:
            conn.close()

    return app
'''
CATALOG = '''\
from flask import Blueprint, make_response, render_template

bp = Blueprint("catalog", __name__)
BOOKS = {1: ("Emma", 12.5), 2: ("Persuasion", 1234.0)}


@bp.route("/")
def index():
    return render_template("index.html", books=BOOKS)


@bp.route("/books/<int:book_id>")
def detail(book_id):
    title, price = BOOKS.get(book_id, ("?", 0))
    return render_template("detail.html", title=title, price=price)


@bp.route("/page")
def page():
    resp = make_response(render_template("detail.html", title="page", price=2))
    resp.headers["X-Page"] = "1"
    resp.set_cookie("seen", "yes")
    return resp
'''
# a view reading Flask's session itself: main.py adds the session bridge, whose session the render uses and saves
SESSION = CATALOG.replace("from flask import Blueprint, make_response, render_template",
                          "from flask import Blueprint, make_response, render_template, session")
SESSION = SESSION.replace('title=title, price=price)', 'title=title, price=price, seen=session.get("user"))')
# an async view keeps its refusal (Flask's render would block the event loop): the Blueprint stays Flask, and its
# other views move to FastAPI on their own (split.py), the Flask routes behind them kept
ASYNC = CATALOG + '''

@bp.route("/async")
async def later():
    return render_template("detail.html", title="later", price=1)
'''
OTHER = '''\
from flask import Blueprint, flash, redirect, request, session

other = Blueprint("other", __name__)


@other.route("/flash")
def flash_it():
    flash(request.environ.get("QUERY_STRING", "") or "hello")
    flash("careful", "warning")
    return redirect("/")


@other.route("/login")
def login():
    session["user"] = request.environ.get("QUERY_STRING", "") or "ann"
    return "in"
'''
TEMPLATES = {
    "base.html": '''<html><body>
<p>{{ shop }} {{ request.endpoint }} {{ request.view_args }} {{ request.path }} {{ request.args.get("q") }} \
{{ request.blueprint }} {{ request.method }}</p>
<p>id={{ g.request_id }} user={{ session.get("user") }}</p>
{% for category, message in get_flashed_messages(with_categories=true) %}<p class="{{ category }}">{{ message }}</p>\
{% endfor %}
<form><input name="csrf" value="{{ csrf_token() }}"></form>
{% block body %}{% endblock %}
<a href="{{ url_for('.index', page=2) }}">home</a> <a href="{{ url_for('other.flash_it') }}">flash</a>
</body></html>
''',
    "index.html": '''{% extends "base.html" %}{% block body %}{% for id, (title, price) in books.items() %}\
<li><a href="{{ url_for('catalog.detail', book_id=id) }}">{{ title }}</a> {{ price | price }}</li>{% endfor %}\
{% endblock %}
''',
    "detail.html": '''{% extends "base.html" %}{% block body %}<h1>{{ title }} {{ seen }}</h1> {{ price | price }} {{ "<b>" }}\
{% endblock %}
''',
}
# Flask-Login in the factory: its context processor gives templates current_user, loaded from the session
USERS = '''\
from flask_login import LoginManager, UserMixin

login_manager = LoginManager()


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id


@login_manager.user_loader
def load_user(user_id):
    return User(user_id)
'''
LOGIN_APP = APP.replace("from other import other\n", "from other import other\nfrom users import login_manager\n")
LOGIN_APP = LOGIN_APP.replace("    app.register_blueprint(bp)\n", "    login_manager.init_app(app)\n    app.register_blueprint(bp)\n")
LOGIN_OTHER = OTHER.replace("from flask import Blueprint, flash, redirect, request, session\n",
                            "from flask import Blueprint, flash, redirect, request, session\nfrom flask_login import login_user\n\n"
                            "from users import User\n")
LOGIN_OTHER += '''

@other.route("/signin")
def signin():
    login_user(User(request.environ.get("QUERY_STRING", "") or "7"))
    return "in"
'''
MODULES = ("app", "users", "catalog", "other", "main", "app_hooks_fastapi", "flask_render", "flask_url_fallback")


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    _forget()
    yield
    _forget()


def _forget() -> None:
    forget(MODULES)


def _load(folder: Path, name: str):  # type: ignore[no-untyped-def]
    return import_from(folder, name, _forget)


def _project(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    for relpath, text in files.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    result = port(str(folder))
    out = tmp_path / "out"
    (out / "templates").mkdir(parents=True)
    for relpath, text in {**files, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    return folder, out, result


def _files(catalog: str = CATALOG, login: bool = False) -> dict[str, str]:
    files = {"app.py": LOGIN_APP if login else APP, "catalog.py": catalog, "other.py": LOGIN_OTHER if login else OTHER,
             **{f"templates/{name}": text for name, text in TEMPLATES.items()}}
    if login:
        files["users.py"] = USERS
        files["templates/base.html"] = files["templates/base.html"].replace(
            "<p>id=", "<p>{{ current_user.is_authenticated }} {{ current_user.get_id() }}</p>\n<p>id=")
    return files


# (path, headers): the ported views, with flashes set by the Flask route behind and shown once, a session set by it,
# and the other side's routes in between
REQUESTS = [(path, {"X-Request-ID": f"r{index}"}) for index, path in enumerate([
    "/", "/flash?first", "/books/2?q=x%20y&q=2", "/", "/login?bob", "/books/7", "/flash", "/page", "/?q=1", "/"])]
# with Flask-Login: a user signed in by the Flask route behind, shown by the ported pages
SIGNED = REQUESTS[:5] + [("/signin?42", {"X-Request-ID": "s1"})] + REQUESTS[5:]


def _csrf(text: str) -> str:
    """The page without the random token (compared apart: the same on every page of one session)."""
    return re.sub(r'name="csrf" value="[^"]*"', 'name="csrf" value=""', text)


@pytest.mark.parametrize(("catalog", "ported", "login"), [(CATALOG, "catalog.py", False),
                                                          (ASYNC, "catalog_fastapi.py", False),
                                                          (SESSION, "catalog.py", False), (CATALOG, "catalog.py", True)])
def test_views_render_with_the_flask_app_behind_as_flask_renders(tmp_path: Path, catalog: str, ported: str,
                                                                 login: bool) -> None:
    """The Blueprint converted whole (its routes leave the Flask app: request.endpoint and view_args from FastAPI's
    route) or its views moved alone (the Flask route behind matches the request)."""
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    if login:
        pytest.importorskip("flask_login")
    folder, out, result = _project(tmp_path, _files(catalog, login))
    assert 'return flask_render(request, "index.html", books=BOOKS)' in result.after[ported], result.notes
    assert 'resp = flask_render(request, "detail.html", title="page", price=2)' in result.after[ported]
    assert "flask_render.py" in result.after
    assert ("FlaskSessionMiddleware" in result.after["main.py"]) == (catalog is SESSION)
    if catalog is ASYNC:
        assert any("later stays Flask" in note and "the view is async" in note for note in result.notes)
    flask_module = _load(folder, "app")
    flask = flask_module.create_app().test_client()
    requests = SIGNED if login else REQUESTS
    answers = [flask.get(path, headers=headers) for path, headers in requests]
    flask_closed = len(flask_module.CLOSED)
    main = _load(out, "main")
    assert {"/", "/books/{book_id}"} <= set(main.app.openapi()["paths"])  # FastAPI serves the ported views
    tokens: dict[str, set[str]] = {"flask": set(), "fastapi": set()}
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (path, headers), expected in zip(requests, answers):
            got = fastapi.get(path, headers=headers)
            assert got.status_code == expected.status_code, path
            assert _csrf(got.text) == _csrf(expected.get_data(as_text=True)), path
            for header in ("content-type", "vary", "x-request-id", "location", "x-page"):
                assert got.headers.get(header) == expected.headers.get(header), (path, header)
            # a cookie is set on the same answers (the render popped flashes, csrf_token wrote the session)
            # the same cookies, in Flask's order (the view's, then the session's)
            assert [c.split("=")[0] for c in got.headers.get_list("set-cookie")] == \
                [c.split("=")[0] for c in expected.headers.getlist("Set-Cookie")], path
            for side, answer in (("flask", expected.get_data(as_text=True)), ("fastapi", got.text)):
                tokens[side].update(re.findall(r'name="csrf" value="([^"]+)"', answer))
    # the csrf token the render put in the session is kept across the requests of each side
    assert len(tokens["flask"]) == len(tokens["fastapi"]) == 1
    # each request's connection closed once, by the hooks in front: not again by the render's context
    assert len(sys.modules["app"].CLOSED) == flask_closed == len(requests)
    shown = [a.get_data(as_text=True).count('class="message"') for a in answers]
    assert shown == [0, 0, 1, 0, 0] + [0] * login + [0, 0, 1, 0, 0]
    if login:
        assert "<p>True 42</p>" in answers[-1].get_data(as_text=True)  # the flashes shown once, by the first page after them
