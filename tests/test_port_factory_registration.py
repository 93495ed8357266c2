"""`migrate-audit port`: Blueprints an app factory registers through the module that makes them (flaskr's
`from . import blog; app.register_blueprint(blog.bp)`) or through a name imported inside the factory (`from
.auth import bp as auth_bp`, with its url_prefix), read as a registration the port moves to main.py (plan.resolver
and routes.registration). Checked side by side: the Flask app the factory makes and main.py, on the same
requests; and what the port cannot read keeps the Blueprint with Flask, saying why."""
from __future__ import annotations

import importlib
import shutil
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest
from _port_support import factory_sides, forget_packages

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")

FACTORY = '''\
from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", GREETING="hello")
    if test_config is not None:
        app.config.update(test_config)

    @app.get("/hello")
    def hello():
        return {"greeting": app.config["GREETING"]}

    from . import blog
    from .auth import bp as auth_bp

    app.register_blueprint(blog.bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    return app
'''

BLOG = '''\
from flask import Blueprint, request

bp = Blueprint("blog", __name__)


@bp.get("/")
def index():
    return {"posts": [1, 2], "page": request.args.get("page", "1")}


@bp.get("/<int:post_id>")
def post(post_id):
    return {"post": post_id}
'''

AUTH = '''\
from flask import Blueprint

bp = Blueprint("auth", __name__)


@bp.get("/login")
def login():
    return {"page": "login"}
'''

PRESS = {"__init__": FACTORY, "blog": BLOG, "auth": AUTH}
REQUESTS = ["/", "/?page=3", "/7", "/x", "/auth/login", "/login", "/hello", "/auth/"]


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: Any) -> Iterator[Any]:
    """Builds the package `press` from (module -> text) changes, ports it (`only`), and gives the Flask app its
    factory makes, main.py's FastAPI app and the result. The Flask side is imported first from the project, then
    forgotten, and the ported tree imported under the same package name (main.py imports it by that name)."""

    def build(only: str | None, **changes: str):  # type: ignore[no-untyped-def]
        return factory_sides(tmp_path, monkeypatch, "press", {**PRESS, **changes}, only, _forget)

    yield build
    _forget()


def _forget() -> None:
    forget_packages("press", "flask_cookie_session", "flask_login_bridge")


def _same(flask_app: Any, fastapi_app: Any, paths: list[str]) -> None:
    from fastapi.testclient import TestClient

    flask_client, client = flask_app.test_client(), TestClient(fastapi_app)
    for path in paths:
        expected, got = flask_client.get(path), client.get(path, follow_redirects=False)
        assert got.status_code == expected.status_code, path
        if expected.is_json:
            assert got.json() == expected.get_json(), path


@pytest.mark.parametrize("only, moved", [
    ("blog", {"press.blog"}),  # registered as the module's attribute
    ("auth", {"press.auth"}),  # imported inside the factory under another name, with its url_prefix
    (None, {"press.blog", "press.auth"}),  # both, the app staying Flask (its config is the factory's)
])
def test_a_factorys_registrations_through_modules_move_to_main_py(sides: Any, only: str | None,
                                                                    moved: set[str]) -> None:
    flask_app, fastapi_app, result = sides(only)
    main = result.after["main.py"]
    assert {line.split()[1] for line in main.splitlines()
            if line.startswith("from press.")} == moved, main
    assert ("app.include_router(router_0, prefix=\"/auth\")" in main) == (only == "auth")
    factory = result.after["press/__init__.py"]  # the registrations main.py makes are gone from the factory
    assert ("app.register_blueprint(blog.bp)" in factory) != ("press.blog" in moved)
    assert ('app.register_blueprint(auth_bp, url_prefix="/auth")' in factory) != ("press.auth" in moved)
    with warnings.catch_warnings():  # HEAD beside GET: FastAPI warns of the operation ids it repeats
        warnings.simplefilter("ignore")
        served = set(fastapi_app.openapi()["paths"])  # what FastAPI answers itself, before the Flask app behind it
    assert served == ({"/", "/{post_id}"} if "press.blog" in moved else set()) | \
        ({"/auth/login"} if "press.auth" in moved else set())
    _same(flask_app, fastapi_app, REQUESTS)


def test_imported_as_a_module_alias(sides: Any) -> None:
    factory = FACTORY.replace("    from . import blog\n", "    import press.blog as blog\n")
    flask_app, fastapi_app, result = sides("blog", __init__=factory)
    assert "from press.blog import bp as router_0" in result.after["main.py"]
    _same(flask_app, fastapi_app, REQUESTS)


@pytest.mark.parametrize("changes, why", [
    # a Blueprint made otherwise than by a module-level `bp = Blueprint(...)`: nothing the port reads registers it
    ({"blog": BLOG.replace('bp = Blueprint("blog", __name__)',
                           'def make():\n    return Blueprint("blog", __name__)\n\n\nbp = make()')}, None),
    # the module bound otherwise than by an import statement: not followed
    ({"__init__": FACTORY.replace("    from . import blog\n",
                                  "    from importlib import import_module\n\n    blog = import_module(\"press.blog\")\n")},
     "no register_blueprint the port can read registers it"),
    # options the port does not carry over
    ({"__init__": FACTORY.replace("app.register_blueprint(blog.bp)",
                                  'app.register_blueprint(blog.bp, subdomain="blog")')},
     "no register_blueprint the port can read registers it"),
])
def test_a_registration_the_port_cannot_read_keeps_the_blueprint_with_flask(
        sides: Any, changes: dict[str, str], why: str | None) -> None:
    _, _, result = sides("press.blog", **changes)
    assert "main.py" not in result.after and not result.routes_ported, result.notes
    if why is not None:
        assert any(note.startswith("blueprint blog ") and why in note for note in result.notes), result.notes


MODULE_APP = '''\
from flask import Flask

from . import blog
from .auth import bp as auth_bp

app = Flask(__name__)
app.register_blueprint(blog.bp)
app.register_blueprint(auth_bp, url_prefix="/auth")
'''


def test_a_whole_port_includes_the_router_through_its_module(tmp_path: Path, monkeypatch: Any) -> None:
    """The app made at the top of its module converts too: `app.register_blueprint(blog.bp)` becomes
    `app.include_router(blog.bp)`, the router reached through the module as the Blueprint was."""
    folder = tmp_path / "project"
    (folder / "press").mkdir(parents=True)
    for name, text in {**PRESS, "__init__": MODULE_APP}.items():
        (folder / "press" / f"{name}.py").write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert result.todos == [] and "main.py" not in result.after, result.notes
    assert "app.include_router(blog.bp)" in result.after["press/__init__.py"]
    ported = tmp_path / "ported"
    shutil.copytree(folder, ported)
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    try:
        flask_app = importlib.import_module("press").app
        _forget()
        monkeypatch.syspath_prepend(str(ported))
        _same(flask_app, importlib.import_module("press").app, [path for path in REQUESTS if path != "/hello"])
    finally:
        _forget()
