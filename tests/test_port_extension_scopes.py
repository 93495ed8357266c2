"""`migrate-audit port --only`: views move to FastAPI on their own although the Flask app is given Flask-CORS (with
`resources=`), Flask-Admin, Flask-RESTX (on a Blueprint) and Flask-Login, where their URL is none those extensions
answer otherwise (port/extension_scopes.py), or where main.py runs the extension for FastAPI's routes too (Flask-Login;
the factory's Flask-CORS: port/cors_front.py); the others stay with Flask, saying which extension keeps them. Compared
with the Flask app and its extensions on the same requests through main.py: the moved routes, and the Flask routes
behind them (CORS headers, the admin's and RESTX's pages)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from _port_support import import_from

from migrate_audit.port import port
from migrate_audit.port.extension_scopes import LOGIN_NOT_CARRIED, cors_may_match, under

APP = '''\
import os

from flask import Flask
from flask_admin.contrib.fileadmin import FileAdmin
from flask_cors import CORS

from extensions import admin, login_manager

FILES = os.path.dirname(os.path.abspath(__file__))


class Files(FileAdmin):
    allowed_extensions = ("txt",)


admin.add_view(Files(FILES, "/files/", name="Files"{VIEW_OPTIONS}))


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "not-secret"
    login_manager.init_app(app)
    cors = CORS(app, resources={CORS_RESOURCES})
    admin.init_app(app)

    from books import bp
    from partner import partner_bp

    app.register_blueprint(bp)
    app.register_blueprint(partner_bp, url_prefix="/partner")
    return app
'''
EXTENSIONS = '''\
from flask_admin import Admin
from flask_login import LoginManager

admin = Admin(name="Shop")
login_manager = LoginManager()
'''
BOOKS = '''\
from flask import Blueprint, request
from flask_login import current_user

bp = Blueprint("books", __name__)


@bp.get("/health")
def health():
    return {"ok": True}


@bp.get("/admin-stats")
def admin_stats():
    return {"views": 1}


@bp.get("/partner-info/<int:number>")
def partner_info(number):
    return {"number": number}


@bp.get("/api/books/<int:book_id>")
def book(book_id):
    return {"id": book_id}


@bp.get("/admin/report")
def report():
    return {"report": True}


@bp.get("/partner/extra")
def partner_extra():
    return {"extra": True}


@bp.get("/raw/environ")
def environ():  # keeps a TODO (request.environ): the Blueprint stays Flask, this view with it
    return {"query": request.environ.get("QUERY_STRING", ""), "user": current_user.is_authenticated}
'''
PARTNER = '''\
from flask import Blueprint
from flask_restx import Api, Resource

partner_bp = Blueprint("partner", __name__)
api = Api(partner_bp, doc="/docs")


@api.route("/books")
class Books(Resource):
    def get(self):
        return [{"id": 1}]
'''
CORS_RESOURCES = '{r"/api/*": {"origins": ["http://spa.example"]}}'
# An after_request hook registered before CORS(): Flask runs Flask-CORS's after it, which main.py would not
# (cors_front.py): Flask-CORS is not carried, and keeps the views its resources match with Flask
HOOK_FIRST = ("    cors = CORS(", """    @app.after_request
    def stamp(response):
        response.headers["X-Stamp"] = "1"
        return response

    cors = CORS(""")
MODULES = ("main", "app", "books", "books_fastapi", "partner", "extensions", "flask_cookie_session", "flask_login_front",
           "app_hooks_fastapi", "flask_cors_front")
MOVED = {"/health", "/admin-stats", "/partner-info/{number}", "/api/books/{book_id}"}
ORIGIN = {"Origin": "http://spa.example"}
ELSEWHERE = {"Origin": "http://elsewhere.example"}
# FastAPI's routes, then the Flask routes behind them (CORS's path, the admin's, RESTX's, Swagger UI's files)
REQUESTS = ["/health", "/admin-stats", "/partner-info/7", "/api/books/1", "/admin/report", "/admin/",
            "/admin/files/", "/partner/books", "/partner/extra", "/partner/swagger.json", "/nowhere"]
HEADERS = ("access-control-allow-origin", "vary", "set-cookie", "content-type")


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    _forget()
    yield
    _forget()


def _forget() -> None:
    for module in [*MODULES, *[m for m in sys.modules if m.startswith("flask_login_bridge")]]:
        sys.modules.pop(module, None)


def _load(folder: Path, name: str):  # type: ignore[no-untyped-def]
    return import_from(folder, name, _forget)


def _project(tmp_path: Path, resources: str = CORS_RESOURCES, partner: str = PARTNER, books: str = BOOKS,  # type: ignore[no-untyped-def]
             app: str = APP):
    folder = tmp_path / "project"
    folder.mkdir()
    app = app.replace("{CORS_RESOURCES}", resources).replace("{VIEW_OPTIONS}", "")
    for name, text in (("app.py", app), ("books.py", books), ("partner.py", partner), ("extensions.py", EXTENSIONS)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder, port(str(folder), only="books")


def _stays(result, view: str) -> str:  # type: ignore[no-untyped-def]
    return next((note for note in result.notes if f" {view} stays Flask" in note), "")


def test_views_outside_the_extensions_urls_move_and_answer_as_flask_with_its_extensions(tmp_path: Path) -> None:
    pytest.importorskip("a2wsgi")
    for module in ("flask_cors", "flask_admin", "flask_restx", "flask_login"):
        pytest.importorskip(module)
    from fastapi.testclient import TestClient

    folder, result = _project(tmp_path)
    assert result.routes_moved == 4, result.notes  # /api/books/<id> too: main.py runs the factory's Flask-CORS
    assert "Flask-Admin's views answer under /admin" in _stays(result, "report")
    assert "Flask-RESTX answers under /partner, /swaggerui" in _stays(result, "partner_extra")
    out = tmp_path / "out"
    out.mkdir()
    for path in folder.iterdir():
        (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        flask_app = _load(folder, "app").create_app()  # (it imports the Blueprints' modules)
    finally:
        sys.path.remove(str(folder))
    flask = flask_app.test_client()
    # a signed-in session (Flask-Login's keys): its after_request leaves it alone, on every route
    with flask.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    cookie = flask.get_cookie("session").value
    flask.delete_cookie("session")
    asked = [(path, headers) for path in REQUESTS
             for headers in ({}, ORIGIN, {**ORIGIN, "Cookie": f"session={cookie}"}, ELSEWHERE)]
    answers = [flask.get(path, headers=headers) for path, headers in asked]
    assert answers[REQUESTS.index("/api/books/1") * 4 + 1].headers["access-control-allow-origin"] == "http://spa.example"
    assert answers[REQUESTS.index("/partner/books") * 4].status_code == 200
    main = _load(out, "main")
    assert set(main.app.openapi()["paths"]) == MOVED
    with TestClient(main.app, follow_redirects=False) as fastapi:
        for (path, headers), expected in zip(asked, answers):
            got = fastapi.get(path, headers=headers)
            assert got.status_code == expected.status_code, (path, headers)
            if expected.is_json:
                assert got.json() == expected.get_json(), (path, headers)
            else:
                assert got.content == expected.data, (path, headers)
            for header in HEADERS:
                assert got.headers.get(header) == expected.headers.get(header), (path, headers, header)


@pytest.mark.parametrize(("edit", "partner", "books", "why"), [
    (("cors = CORS(app, resources={CORS_RESOURCES})", HOOK_FIRST[1] + "app)"), PARTNER, BOOKS,
     ("FMA318 at app.py:5 (cors-extension) may change how any request is answered: CORS() at app.py:28 has no "
      "resources= of its own: every path may get its headers (the default /*, or CORS_RESOURCES in the config)")),
    (("{VIEW_OPTIONS}", ', url="/files"'), PARTNER, BOOKS,
     "may change how any request is answered: the view at app.py:16 may be given a URL of its own"),
    (("{VIEW_OPTIONS}", ""), PARTNER.replace("Api(partner_bp", "Api(Blueprint('x', __name__)"), BOOKS,
     "Api() at partner.py:5 is not given a Blueprint registered once: its routes may be anywhere"),
    # no module uses Flask-Login's names: main.py has no login bridge to run its after_request (Vary: Cookie)
    (("{VIEW_OPTIONS}", ""), PARTNER, BOOKS.replace(', "user": current_user.is_authenticated', "").replace(
        "from flask_login import current_user\n", ""), LOGIN_NOT_CARRIED),
])
def test_an_extension_the_port_cannot_read_or_carry_keeps_every_view_with_flask(
        tmp_path: Path, edit: tuple[str, str], partner: str, books: str, why: str) -> None:
    _, result = _project(tmp_path, partner=partner, books=books, app=APP.replace(*edit))
    assert result.routes_moved == 0
    note = next(note for note in result.notes if note.startswith("no route moves to FastAPI on its own"))
    assert why in note, note


def test_flask_login_answers_every_request_with_vary_cookie() -> None:
    """Why Flask-Login must be carried: its after_request tests the session on every request (Flask 3.1.3)."""
    pytest.importorskip("flask_login")
    from flask import Flask
    from flask_login import LoginManager

    def make(login: bool):  # type: ignore[no-untyped-def]
        app = Flask(__name__)
        app.secret_key = "not-secret"
        app.add_url_rule("/health", "health", lambda: {"ok": True})
        if login:
            LoginManager().init_app(app)
        return app.test_client().get("/health").headers

    assert "Vary" not in make(False)
    assert make(True)["Vary"] == "Cookie"


def test_cors_resources_matching_every_path_keep_each_view(tmp_path: Path) -> None:
    _, result = _project(tmp_path, resources='"/*"', app=APP.replace(*HOOK_FIRST))
    assert result.routes_moved == 0
    for view in ("health", "admin_stats", "partner_info", "book"):
        assert "Flask-CORS adds its headers to the paths its resources match (r'/*')" in _stays(result, view)


@pytest.mark.parametrize("pattern", [r"/api/*", r"/api/.*", r"^/api/v[0-9]+/.*", "/health", r"/books/\d+$", r".*",
                                     r"/(admin|api)/.*", r"/adm?in"])
@pytest.mark.parametrize("rule", ["/health", "/api", "/apiary", "/api/books/<int:book_id>", "/books/<int:book_id>",
                                  "/admin", "/adin/x", "/<name>/x", "/ap<int:n>", "/healthz", "/API/x", "/Health"])
def test_a_rule_judged_out_of_flask_cors_resources_never_gets_its_headers(pattern: str, rule: str) -> None:
    """Flask-CORS itself on the paths a rule matches: where the port judges it cannot match, none gets the header;
    a rule without variables is judged exactly."""
    flask_cors = pytest.importorskip("flask_cors")
    from flask import Flask

    app = Flask(__name__)
    app.add_url_rule(rule, "view", lambda **values: "ok")
    flask_cors.CORS(app, resources={pattern: {"origins": "*"}})
    client = app.test_client()
    paths = [re.sub(r"<int:\w+>", "12", re.sub(r"<\w+>", value, rule)) for value in ("x", "admin", "api", "i")]
    got = {path: "Access-Control-Allow-Origin" in client.get(path, headers=ORIGIN).headers for path in paths
           if client.get(path).status_code == 200}
    judged = cors_may_match(rule, pattern)
    if not judged:
        assert not any(got.values()), (rule, pattern, got)
    if "<" not in rule and rule == rule.lower():  # (judged without case, as Flask-CORS 4 matched)
        assert judged == got[rule], (rule, pattern)


@pytest.mark.parametrize(("rule", "prefix", "expected"), [
    ("/admin", "/admin", True), ("/admin/", "/admin", True), ("/admin/x", "/admin", True), ("/admin-x", "/admin", False),
    ("/adminx", "/admin", False), ("/<page>", "/admin", True), ("/ad<int:n>", "/admin", True), ("/api/<x>", "/admin", False),
    ("/admin-<x>", "/admin", False), ("/admin<x>", "/admin", True), ("/admin/<x>", "/admin", True),
])
def test_under_a_prefix(rule: str, prefix: str, expected: bool) -> None:
    assert under(rule, prefix) is expected
