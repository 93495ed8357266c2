"""While the app stays Flask, its error handler for 404 renders the project's page (the sample app's shape: a JSON
answer under /api/, else `render_template("errors/404.html"), 404`): main.py runs it for FastAPI's routes too
(port/hooks_in_front.py), rendering with the Flask app behind (port/written/flask_render.py), so the views that may
answer 404 move to FastAPI: `abort(404)`, and Flask-SQLAlchemy's `get_or_404` / `paginate` whose Werkzeug NotFound
the view's context raises to that handler (port/written/flask_sqlalchemy_context.py, `handled=(404,)`). Compared
with the real Flask app and Flask-SQLAlchemy on the same requests: the page, its status and headers, byte for byte,
the JSON answers, and the app's teardown run once per request."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _port_support import forget, import_from

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("a2wsgi")

EXTENSIONS = '''\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
'''
MODELS = '''\
from extensions import db


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
'''
APP = '''\
import uuid

from flask import Flask, g, jsonify, render_template, request

from extensions import db
from items import bp


class Config:
    SECRET_KEY = "s3cret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"


CLOSED = []


class Redis:
    def close(self):
        CLOSED.append(True)


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    db.init_app(app)
    app.register_blueprint(bp)

    @app.context_processor
    def shop():
        return {"shop": "Itemshop"}

    @app.before_request
    def start_request():
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        g.redis = Redis()

    @app.after_request
    def add_headers(response):
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.errorhandler(404)
    def not_found(error):
        if request.path.startswith("/api/"):
            return jsonify(error="not found"), 404
        return render_template("errors/404.html"), 404

    @app.teardown_appcontext
    def close_redis(exc):
        conn = g.pop("redis", None)
        if conn is not None:
            conn.close()

    return app
'''
ITEMS = '''\
from flask import Blueprint, abort, jsonify, render_template, request

from models import Item

bp = Blueprint("items", __name__)


@bp.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    items = Item.query.order_by(Item.id).paginate(page=page, per_page=2)
    return render_template("items.html", items=items.items)


@bp.route("/items/<int:item_id>")
def detail(item_id):
    item = Item.query.get_or_404(item_id)
    return render_template("items.html", items=[item])


@bp.route("/shelves/<int:shelf>")
def shelf(shelf):
    if shelf > 3:
        abort(404)
    return render_template("items.html", items=[])


@bp.route("/api/items/<int:item_id>")
def api_item(item_id):
    item = Item.query.get_or_404(item_id)
    return jsonify(id=item.id, name=item.name)


@bp.route("/api/gone")
def api_gone():
    abort(404)
'''
# a view keeping a TODO (request.environ): the Blueprint stays Flask, and its other views move alone (split.py)
RAW = ITEMS + '''

@bp.route("/raw")
def raw():
    return {"query": request.environ.get("QUERY_STRING", "")}
'''
TEMPLATES = {
    "base.html": '''<html><body><p>{{ shop }} {{ request.endpoint }} {{ request.view_args }} {{ request.path }} \
id={{ g.request_id }}</p>{% block body %}{% endblock %}<a href="{{ url_for('items.index', page=2) }}">home</a>
</body></html>
''',
    "items.html": '''{% extends "base.html" %}{% block body %}{% for item in items %}<li>{{ item.name }}</li>\
{% endfor %}{% endblock %}
''',
    "errors/404.html": '''{% extends "base.html" %}{% block body %}<h1>Not found</h1>
<p>We could not find <code>{{ request.path }}</code>.</p>{% endblock %}
''',
}
MODULES = ("app", "extensions", "models", "items", "main", "app_hooks_fastapi", "items_fastapi", "flask_render",
           "flask_sqlalchemy_context")
# the moved views answering, and answering 404 (paginate's page out of range or below 1, get_or_404, abort), under
# /api/ (JSON) and not (the page); then the Flask app's own 404 for a URL no route has, which it answers behind
REQUESTS = ["/", "/?page=2", "/?page=9", "/?page=0", "/items/1", "/items/99", "/shelves/2", "/shelves/5",
            "/api/items/1", "/api/items/99", "/api/gone", "/nowhere", "/api/nowhere", "/items/99?x=%C3%A9"]


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    _forget()
    yield
    _forget()


def _forget() -> None:
    forget(MODULES)


def _load(folder: Path, name: str):  # type: ignore[no-untyped-def]
    return import_from(folder, name, _forget)


def _project(tmp_path: Path, items: str):  # type: ignore[no-untyped-def]
    files = {"app.py": APP, "extensions.py": EXTENSIONS, "models.py": MODELS, "items.py": items,
             **{f"templates/{name}": text for name, text in TEMPLATES.items()}}
    folder = tmp_path / "project"
    (folder / "templates" / "errors").mkdir(parents=True)
    for relpath, text in files.items():
        (folder / relpath).write_text(text, encoding="utf-8")
    result = port(str(folder))
    out = tmp_path / "out"
    (out / "templates" / "errors").mkdir(parents=True)
    for relpath, text in {**files, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")
    return folder, out, result


def _seed(app) -> None:  # type: ignore[no-untyped-def]
    """Three items in the app's in-memory database (Flask-SQLAlchemy keeps one connection for it)."""
    from extensions import db
    from models import Item

    with app.app_context():
        db.create_all()
        db.session.add_all([Item(name=name) for name in ("Lamp", "Desk", "Chair")])
        db.session.commit()


@pytest.mark.parametrize(("items", "ported"), [(RAW, "items_fastapi.py"), (ITEMS, "items.py")])
def test_fastapis_404s_answer_the_apps_page_as_flasks_handler_did(tmp_path: Path, items: str, ported: str) -> None:
    """The views moved alone (the Blueprint stays Flask behind) or the Blueprint converted whole."""
    from fastapi.testclient import TestClient

    folder, out, result = _project(tmp_path, items)
    hooks = result.after["app_hooks_fastapi.py"]
    assert 'return flask_response(flask_render(request, "errors/404.html"), status=404)' in hooks, result.notes
    assert "from flask_render import flask_render" in hooks and "flask_render.py" in result.after
    assert "app.add_exception_handler(404, not_found)" in result.after["main.py"]
    # the helpers' NotFound goes to that handler; abort(404) raises it there too, and its page is no longer JSON
    assert "@flask_app_context(Item, handled=(404,))" in result.after[ported]
    assert "raise HTTPException(status_code=404)" in result.after[ported]
    assert "FastAPI answers JSON" not in " ".join(result.after[ported].replace("#", " ").split())
    if ported == "items_fastapi.py":
        assert result.routes_moved == 5, result.notes
        assert not any("stays Flask" in note and "may answer 404" in note for note in result.notes), result.notes
    flask_module = _load(folder, "app")
    flask_app = flask_module.create_app()
    _seed(flask_app)
    flask = flask_app.test_client()
    answers = [flask.get(path, headers={"X-Request-ID": f"r{i}"}) for i, path in enumerate(REQUESTS)]
    flask_closed = len(flask_module.CLOSED)
    main = _load(out, "main")
    _seed(next(route.app.app for route in main.app.routes if getattr(route, "path", None) == ""))  # the mounted app
    assert {"/", "/items/{item_id}", "/shelves/{shelf}", "/api/items/{item_id}", "/api/gone"} <= \
        set(main.app.openapi()["paths"])  # FastAPI serves these
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for i, (path, expected) in enumerate(zip(REQUESTS, answers)):
            got = fastapi.get(path, headers={"X-Request-ID": f"r{i}"})
            assert got.status_code == expected.status_code, path
            for header in ("content-type", "x-request-id"):
                assert got.headers.get(header) == expected.headers.get(header), (path, header)
            if expected.is_json:  # the same JSON (Flask's jsonify ends it with a newline, FastAPI's does not)
                assert got.json() == expected.get_json(), path
            else:
                assert got.text == expected.get_data(as_text=True), path
                assert got.headers["content-length"] == expected.headers["content-length"], path
    pages = [a.get_data(as_text=True) for a in answers]
    assert [a.status_code for a in answers] == [200, 200, 404, 404, 200, 404, 200, 404, 200, 404, 404, 404, 404, 404]
    assert "<h1>Not found</h1>" in pages[5] and "items.detail {&#39;item_id&#39;: 99} /items/99 id=r5" in pages[5]
    assert answers[9].get_json() == {"error": "not found"}
    # each request's connection closed once: by the hooks in front, not again by a render's or a view's context
    assert len(sys.modules["app"].CLOSED) == flask_closed == len(REQUESTS)


def test_raising_to_the_handler_is_written_once() -> None:
    """Porting a module a port already wrote changes nothing: the decorator given `handled=` keeps it."""
    from migrate_audit.port.flask_sqlalchemy import answered_in_front

    text = "@bp.get('/')\n@flask_app_context(Item)\ndef index():\n    return 1\n"
    once = answered_in_front(text, {"404", "ValidationError"})
    assert "@flask_app_context(Item, handled=(404,))\n" in once
    assert answered_in_front(once, {"404"}) == once and answered_in_front(text, {"500"}) == text
