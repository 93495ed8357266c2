"""`migrate-audit port`: Flask-Login whose LoginManager is made in extensions.py and given the app in the app factory
(`login_manager.init_app(app)` in create_app), its user_loader in models.py: the sample app's and microblog's shape
(port/login.py given_in_factory). While the app stays Flask, a Blueprint module's Flask-Login names go to the bridge
and main.py gives it the Flask app's own manager (FlaskAppLoginManager), read when used. Checked side by side: the
Flask app the factory makes and main.py on the same requests, the Flask-Login session and remember cookie crossing
between FastAPI's routes and the Flask ones; what the bridge in front cannot carry keeps the routes with Flask."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from _port_support import factory_sides, forget_packages
from _tools import load_module

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")
pytest.importorskip("flask_login")

EXTENSIONS = '''\
from flask_login import LoginManager

login_manager = LoginManager()
login_manager.login_view = "pages.login_page"
login_manager.login_message = "Members only."
'''

MODELS = '''\
from flask_login import UserMixin

from .extensions import login_manager

USERS = {"ada": "Ada Lovelace", "alan": "Alan Turing"}
LOADED = []


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id
        self.name = USERS[user_id]


@login_manager.user_loader
def load_user(user_id):
    from flask import current_app

    LOADED.append(current_app.name)  # Flask-Login calls it in the app's context
    return User(user_id) if user_id in USERS else None
'''

FACTORY = '''\
from flask import Flask

from .extensions import login_manager


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="club-secret", REMEMBER_COOKIE_NAME="club_remember")
    if test_config is not None:
        app.config.update(test_config)
    login_manager.init_app(app)

    from . import models  # noqa: F401  its user_loader
    from .auth import bp as auth_bp
    from .pages import bp as pages_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(pages_bp)
    return app
'''

AUTH = '''\
from flask import Blueprint
from flask_login import current_user, login_required, login_user, logout_user

from .models import User

bp = Blueprint("auth", __name__)


@bp.post("/login/<user_id>")
def login(user_id):
    login_user(User(user_id))
    return {"name": current_user.name}


@bp.post("/remember/<user_id>")
def remember(user_id):
    login_user(User(user_id), remember=True)
    return {"name": current_user.name}


@bp.get("/account")
@login_required
def account():
    return {"name": current_user.name, "id": current_user.get_id()}


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return {"anonymous": current_user.is_anonymous}


@bp.get("/who")
def who():
    return {"authenticated": current_user.is_authenticated}
'''

# Not ported with `--only auth`: Flask-Login's own names, answered by the Flask app behind main.py.
PAGES = '''\
from flask import Blueprint, get_flashed_messages
from flask_login import current_user, login_required

bp = Blueprint("pages", __name__)


@bp.get("/login")
def login_page():
    return {"page": "login"}


@bp.get("/members")
@login_required
def members():
    return {"member": current_user.name}


@bp.get("/flashes")
def flashes():
    return {"flashes": get_flashed_messages(with_categories=True)}
'''

CLUB = {"__init__": FACTORY, "extensions": EXTENSIONS, "models": MODELS, "auth": AUTH, "pages": PAGES}


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: Any) -> Iterator[Any]:
    """Builds the package `club` from (module -> text) changes and ports `--only only`; gives the Flask app its factory
    makes, main.py's FastAPI app (None where no main.py was written) and the result. The Flask side is imported from
    the project, then forgotten, and the ported tree imported under the same package name (main.py imports it so)."""

    def build(only: str | None = "auth", **changes: str):  # type: ignore[no-untyped-def]
        return factory_sides(tmp_path, monkeypatch, "club", {**CLUB, **changes}, only, _forget)

    yield build
    _forget()


def _forget() -> None:
    forget_packages("club", "flask_cookie_session", "flask_login_bridge", "flask_login_front")


def _clients(flask_app: Any, fastapi_app: Any) -> tuple[Any, Any]:
    from fastapi.testclient import TestClient

    # the same remote address and agent: Flask-Login's session identifier hashes them
    flask_client = flask_app.test_client()
    flask_client.environ_base.update(REMOTE_ADDR="testclient", HTTP_USER_AGENT="testclient")
    return flask_client, TestClient(fastapi_app, headers={"User-Agent": "testclient"})


def _answer(response: Any) -> tuple[Any, ...]:
    body = response.get_json(silent=True) if hasattr(response, "get_json") else (
        response.json() if response.content and "json" in response.headers.get("content-type", "") else None)
    return response.status_code, body, response.headers.get("Location")


def _cookie(response: Any, name: str = "session") -> str | None:
    headers = response.headers.getlist("Set-Cookie") if hasattr(response.headers, "getlist") else \
        response.headers.get_list("set-cookie")
    return next((cookie.split(";")[0].split("=", 1)[1] for cookie in headers if cookie.startswith(f"{name}=")), None)


def _served(fastapi_app: Any) -> set[str]:
    import warnings

    with warnings.catch_warnings():  # HEAD beside GET: FastAPI warns of the operation ids it repeats
        warnings.simplefilter("ignore")
        return set(fastapi_app.openapi()["paths"])


def test_a_blueprints_flask_login_goes_to_the_bridge_with_the_flask_apps_manager(sides: Any) -> None:
    flask_app, fastapi_app, result = sides()
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    assert "from flask_login_bridge import current_user, login_required, login_user, logout_user" in \
        result.after["club/auth.py"]
    main = result.after["main.py"]
    assert "from flask_login_front import FlaskAppLoginManager" in main
    assert "app.add_middleware(LoginContextMiddleware, manager=FlaskAppLoginManager(flask_application), " \
           "flask=flask_wsgi)" in main
    assert main.index("LoginContextMiddleware, manager") < main.index("FlaskSessionMiddleware, config")  # inside it
    assert "club/extensions.py" not in result.after and "club/models.py" not in result.after  # Flask-Login's still
    assert _served(fastapi_app) == {"/auth/login/{user_id}", "/auth/remember/{user_id}",
                                    "/auth/account", "/auth/logout", "/auth/who"}
    flask_client, client = _clients(flask_app, fastapi_app)
    for method, path in [("get", "/auth/account"), ("get", "/flashes"), ("get", "/auth/who"), ("post", "/auth/logout"),
                         ("post", "/auth/login/ada"), ("get", "/auth/account"), ("get", "/members"),
                         ("get", "/auth/who"), ("head", "/auth/account"), ("post", "/auth/logout"),
                         ("get", "/auth/account"), ("get", "/members"), ("get", "/flashes"), ("get", "/flashes")]:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path, follow_redirects=False)
        assert _answer(got) == _answer(expected), (method, path)
    # the login_view (a route of the Flask app) and message of the manager the factory gave the app, flashed into
    # Flask's session
    assert _answer(client.get("/auth/account", follow_redirects=False)) == (302, None, "/login?next=%2Fauth%2Faccount")
    assert client.get("/flashes").json() == {"flashes": [["message", "Members only."]]}


def test_the_flask_login_session_crosses_between_fastapi_and_flask(sides: Any) -> None:
    flask_app, fastapi_app, _ = sides()
    flask_client, client = _clients(flask_app, fastapi_app)
    # logged in by FastAPI's route: the Flask routes behind main.py see the user, and the original Flask app too
    assert _answer(client.post("/auth/login/ada")) == (200, {"name": "Ada Lovelace"}, None)
    assert _answer(client.get("/members")) == (200, {"member": "Ada Lovelace"}, None)
    flask_client.set_cookie("session", client.cookies["session"])
    assert _answer(flask_client.get("/members")) == (200, {"member": "Ada Lovelace"}, None)
    # logged in by Flask: FastAPI's login_required lets the user in
    client.cookies.clear()
    flask_client.delete_cookie("session")
    client.cookies.set("session", _cookie(flask_client.post("/auth/login/alan")))  # type: ignore[arg-type]
    assert _answer(client.get("/auth/account")) == (200, {"name": "Alan Turing", "id": "alan"}, None)
    # logged out by FastAPI: Flask-Login sends the cookie's holder to the login page, behind main.py and in the
    # original app
    answer = client.post("/auth/logout")
    assert _answer(answer) == (200, {"anonymous": True}, None)
    client.cookies.clear()  # (the jar would keep the cookie set by hand beside the one the answer set)
    client.cookies.set("session", _cookie(answer))  # type: ignore[arg-type]
    assert _answer(client.get("/members", follow_redirects=False)) == (302, None, "/login?next=%2Fmembers")
    flask_client.set_cookie("session", _cookie(answer))  # type: ignore[arg-type]
    assert _answer(flask_client.get("/members")) == (302, None, "/login?next=%2Fmembers")


def test_the_remember_cookie_is_the_flask_apps_and_read_on_both_sides(sides: Any) -> None:
    """REMEMBER_COOKIE_NAME from the config of the app the factory made: FastAPI's login sets that cookie, signed
    with the app's key, and a Flask route logs the user back in from it once the session is gone (and back)."""
    flask_app, fastapi_app, _ = sides()
    flask_client, client = _clients(flask_app, fastapi_app)
    answer = client.post("/auth/remember/ada")
    remember = _cookie(answer, "club_remember")
    assert remember is not None and remember.startswith("ada|")
    assert remember == _cookie(flask_client.post("/auth/remember/ada"), "club_remember")  # the same signature
    client.cookies.clear()
    client.cookies.set("club_remember", remember)
    assert _answer(client.get("/members")) == (200, {"member": "Ada Lovelace"}, None)  # Flask, behind main.py
    client.cookies.clear()
    client.cookies.set("club_remember", remember)
    assert _answer(client.get("/auth/account")) == (200, {"name": "Ada Lovelace", "id": "ada"}, None)  # FastAPI


def test_the_user_loader_runs_in_the_flask_apps_context(sides: Any) -> None:
    flask_app, fastapi_app, _ = sides()
    _, client = _clients(flask_app, fastapi_app)
    models = sys.modules["club.models"]  # the ported tree's, which main.py's Flask app uses
    client.post("/auth/login/ada")
    del models.LOADED[:]
    assert client.get("/auth/account").status_code == 200
    assert models.LOADED == ["club"]  # once per request, in the Flask app's context, as Flask-Login calls it


def test_a_manager_setting_made_in_the_factory_is_read_from_the_app(sides: Any) -> None:
    """The bridge reads the manager the Flask app has when it is used, so a setting the factory makes (after
    init_app) is the one FastAPI's routes answer with, as Flask-Login's are."""
    factory = FACTORY.replace("    login_manager.init_app(app)\n",
                              "    login_manager.init_app(app)\n    login_manager.login_message = \"Log in first.\"\n")
    flask_app, fastapi_app, result = sides(__init__=factory)
    assert result.todos == [], result.notes
    flask_client, client = _clients(flask_app, fastapi_app)
    flask_client.get("/auth/account")
    assert flask_client.get("/flashes").get_json() == {"flashes": [["message", "Log in first."]]}
    client.get("/auth/account", follow_redirects=False)
    assert client.get("/flashes").json() == {"flashes": [["message", "Log in first."]]}


def test_a_login_view_that_moves_to_fastapi_is_still_built_by_the_flask_routes(sides: Any) -> None:
    """The login view in the Blueprint that moves: Flask-Login on the Flask app's routes builds its URL with Flask's
    url_for, which main.py lets build it from FastAPI's route (build_login_views), as the bridge on FastAPI's does."""
    auth = AUTH.replace('@bp.post("/login/<user_id>")', '@bp.get("/login")\ndef login_page():\n    return {"page": "login"}'
                        '\n\n\n@bp.post("/login/<user_id>")')
    flask_app, fastapi_app, result = sides(extensions=EXTENSIONS.replace("pages.login_page", "auth.login_page"),
                                           auth=auth)
    assert result.todos == [] and result.routes_ported == result.routes == 6, result.notes
    assert "build_login_views(flask_application, app)" in result.after["main.py"]
    assert "/auth/login" in _served(fastapi_app)
    flask_client, client = _clients(flask_app, fastapi_app)
    for method, path in [("get", "/members"), ("get", "/auth/account"), ("get", "/flashes"), ("get", "/auth/login"),
                         ("post", "/auth/login/ada"), ("get", "/members"), ("get", "/auth/account")]:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path, follow_redirects=False)
        assert _answer(got) == _answer(expected), (method, path)
    client.cookies.clear()
    assert _answer(client.get("/members", follow_redirects=False)) == (302, None, "/auth/login?next=%2Fmembers")


REQUEST_LOADER = MODELS + '''

@login_manager.request_loader
def load_from_header(request):
    token = request.headers.get("X-Member")
    return User(token) if token in USERS else None
'''


def test_a_request_loader_in_another_module_is_given_fastapis_request(sides: Any) -> None:
    """The request loader models.py gives the manager reads what Werkzeug's request and Starlette's answer alike."""
    flask_app, fastapi_app, result = sides(models=REQUEST_LOADER)
    assert result.todos == [], result.notes
    flask_client, client = _clients(flask_app, fastapi_app)
    for headers in ({"X-Member": "alan"}, {"X-Member": "nobody"}, {}):
        for path in ("/auth/account", "/members", "/auth/who"):
            expected, got = flask_client.get(path, headers=headers), client.get(path, headers=headers,
                                                                                  follow_redirects=False)
            assert _answer(got) == _answer(expected), (path, headers)
    assert _answer(client.get("/auth/account", headers={"X-Member": "alan"})) == \
        (200, {"name": "Alan Turing", "id": "alan"}, None)


UNAUTHORIZED = MODELS + '''

@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "log in"}, 401
'''


@pytest.mark.parametrize("changes, why", [
    # an unauthorized handler answers with Flask's response: not carried in front of the Flask app
    ({"models": UNAUTHORIZED}, "its unauthorized_handler answers with Flask's response, which the bridge in front of "
                               "the Flask app does not carry (club/models.py:23)"),
    # a lazily translated message needs Flask's context to become text (microblog's `_l(...)`)
    ({"extensions": EXTENSIONS.replace('"Members only."', 'str("Members only.")')},
     "login_manager.login_message is not given a literal"),
    # a request loader reading what Starlette's request answers otherwise
    ({"models": REQUEST_LOADER.replace('request.headers.get("X-Member")', 'request.args.get("member")')},
     "the request loader reads request.args"),
    # the manager used otherwise: handed to other code
    ({"models": MODELS + "\nMANAGERS = [login_manager]\n"}, "the LoginManager is used other than by its decorators"),
])
def test_what_the_bridge_in_front_cannot_carry_keeps_the_blueprint_with_flask(sides: Any, changes: dict[str, str],
                                                                                why: str) -> None:
    _, _, result = sides(**changes)
    assert "from flask_login import" in result.after.get("club/auth.py", "from flask_login import")
    assert "flask_login_bridge.py" not in result.after and not result.routes_ported
    notes = [note for note in result.notes if note.startswith("blueprint auth ")]
    assert notes and f"the LoginManager is club/extensions.py's, where {why}" in notes[0], result.notes


def test_a_manager_given_the_app_outside_the_factory_is_read_as_before(sides: Any) -> None:
    """init_app called in another function than the one making the app: not the factory's manager; the module's own
    reading says why (not given this module's app at module level)."""
    factory = FACTORY.replace("    login_manager.init_app(app)\n", "    _login(app)\n") + \
        "\n\ndef _login(app):\n    login_manager.init_app(app)\n"
    _, _, result = sides(__init__=factory)
    assert not result.routes_ported
    assert any("not given this module's app once at module level" in note for note in result.notes), result.notes


def test_the_next_strangler_step_keeps_the_module_beside_main_py_as_written(sides: Any, tmp_path: Path) -> None:
    """flask_login_front.py imports Flask on purpose (it goes with the Flask app): porting the ported tree again
    leaves it as the port wrote it, no TODO in it."""
    from migrate_audit.port.login import FRONT, FRONT_FILE

    _, _, first = sides()
    assert first.after[FRONT_FILE] == FRONT
    again = port(str(tmp_path / "ported"))
    assert again.after.get(FRONT_FILE, FRONT) == FRONT and not any(path == FRONT_FILE for path, _ in again.todos)
    # changed by people: the project's own module, read as any other
    (tmp_path / "ported" / FRONT_FILE).write_text(FRONT + "\nEXTRA = 1\n", encoding="utf-8")
    assert any(path == FRONT_FILE for path, _ in port(str(tmp_path / "ported")).todos)


SUITE = '''\
from club import create_app


def test_login_then_account():
    client = create_app().test_client()
    assert client.get("/auth/account").status_code == 302
    client.post("/auth/login/ada")
    assert client.get("/auth/account").get_json() == {"name": "Ada Lovelace", "id": "ada"}
    assert client.get("/members").get_json() == {"member": "Ada Lovelace"}
'''


def test_ported_tests_drive_the_composition_with_the_flask_apps_manager(sides: Any, tmp_path: Path) -> None:
    """The project's tests, ported with it, drive `ported_app(flask_app)` composed as main.py is: the bridge's manager
    of the test's own Flask app included, so FastAPI's routes answer the suite as Flask's did."""
    _, _, result = sides(None, test_club=SUITE)
    helper = next(text for path, text in result.after.items() if "ported_app" in text and path != "club/test_club.py")
    assert "app.add_middleware(LoginContextMiddleware, manager=FlaskAppLoginManager(flask_app), flask=flask_wsgi)" \
        in helper and "ported_app(" in result.after["club/test_club.py"], result.notes
    load_module(tmp_path / "ported" / "club" / "test_club.py", f"suite_{tmp_path.name}").test_login_then_account()


def test_the_redirect_to_the_login_view_is_flasks_page(sides: Any) -> None:
    """Flask-Login answers an anonymous request to a @login_required view with flask.redirect(...): Werkzeug's
    'Redirecting...' page as text/html, not only the status and Location."""
    flask_app, fastapi_app, _ = sides()
    flask_client, client = _clients(flask_app, fastapi_app)
    for method, path in [("get", "/auth/account"), ("head", "/auth/account"), ("post", "/auth/logout"),
                         ("get", "/members")]:
        expected, got = getattr(flask_client, method)(path), getattr(client, method)(path, follow_redirects=False)
        assert _answer(got) == _answer(expected), (method, path)
        assert got.headers.get("content-type") == expected.headers.get("Content-Type") == "text/html; charset=utf-8"
        assert got.text == expected.get_data(as_text=True), (method, path)
        assert method == "head" or "Redirecting..." in got.text
