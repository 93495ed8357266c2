"""`migrate-audit port`: view decorators defined in another module of the project (port/shared_decorators.py),
as in Flask's tutorial: `login_required` in auth.py, on blog.py's views. Ported once where it is defined and kept
on the path operations of the modules importing it; checked side by side with Flask on the same requests, the
session cookie crossing between the two. What the port cannot make faithful keeps its routes with Flask, saying
why."""
from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from typing import Iterator

import pytest

from migrate_audit.port import port

pytest.importorskip("fastapi")

INIT = '''\
from flask import Flask

from .auth import bp as auth_bp
from .blog import bp as blog_bp

app = Flask(__name__)
app.secret_key = "shared-decorator-secret"
app.register_blueprint(auth_bp)
app.register_blueprint(blog_bp)
'''

AUTH = '''\
import functools

from flask import Blueprint, redirect, request, session, url_for

bp = Blueprint("auth", __name__, url_prefix="/auth")


def login_required(view):
    """Back to the login page unless someone logged in."""
    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if session.get("user") is None:
            return redirect(url_for("auth.login"))
        return view(**kwargs)
    return wrapped_view


@bp.get("/login")
def login():
    return {"page": "login"}


@bp.post("/login/<name>")
def do_login(name):
    session["user"] = name
    return {"user": name}


@bp.post("/logout")
@login_required
def logout():
    session.pop("user")
    return {"user": None}
'''

BLOG = '''\
from flask import Blueprint, session

from .auth import login_required

bp = Blueprint("blog", __name__)


@bp.get("/")
def index():
    return {"posts": [], "user": session.get("user")}


@bp.get("/create")
@login_required
def create():
    return {"user": session["user"]}


@bp.post("/<int:post_id>/delete")
@login_required
def delete(post_id):
    return {"deleted": post_id, "by": session["user"]}
'''


SHOP = {"__init__": INIT, "auth": AUTH, "blog": BLOG}


def _project(tmp_path: Path, changes: dict[str, str], base: dict[str, str] = SHOP, package: str = "shop") -> Path:
    """The project folder: the package's modules (`base`, with `changes`: module name -> text)."""
    folder = tmp_path / "project" / package
    folder.mkdir(parents=True)
    for name, text in {**base, **changes}.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return tmp_path / "project"


@pytest.fixture
def sides(tmp_path: Path, monkeypatch) -> Iterator:  # type: ignore[no-untyped-def]
    """Builds a project from (module -> text) changes, ports it, and loads the Flask package and its port side by
    side (`<tmp>_flask`, `<tmp>_fastapi`: each its own package name, their relative imports kept)."""
    loaded: list[str] = []

    def build(base: dict[str, str] = SHOP, package: str = "shop", **changes: str):  # type: ignore[no-untyped-def]
        folder = _project(tmp_path, changes, base, package)
        result = port(str(folder))
        ported = tmp_path / "ported"
        shutil.copytree(folder, ported)
        for relpath, text in result.after.items():
            (ported / relpath).parent.mkdir(parents=True, exist_ok=True)
            (ported / relpath).write_text(text, encoding="utf-8")
        flask_name, fastapi_name = f"{tmp_path.name}_flask", f"{tmp_path.name}_fastapi"
        shutil.copytree(folder / package, tmp_path / "sides" / flask_name)
        shutil.copytree(ported / package, tmp_path / "sides" / fastapi_name)
        monkeypatch.syspath_prepend(str(ported))  # the bridges the port wrote at the top
        monkeypatch.syspath_prepend(str(tmp_path / "sides"))
        loaded.extend([flask_name, fastapi_name])
        return importlib.import_module(flask_name).app, importlib.import_module(fastapi_name).app, result

    yield build
    for name in list(sys.modules):
        if name.split(".")[0] in loaded or name in ("flask_cookie_session", "flask_login_bridge"):
            sys.modules.pop(name)


def _answer(response) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    body = response.get_json(silent=True) if hasattr(response, "get_json") else (
        response.json() if response.content and "json" in response.headers.get("content-type", "") else None)
    return response.status_code, body, response.headers.get("Location")


def _cookie(response) -> str:  # type: ignore[no-untyped-def]
    headers = response.headers.getlist("Set-Cookie") if hasattr(response.headers, "getlist") else \
        response.headers.get_list("set-cookie")
    return next(cookie.split(";")[0].split("=", 1)[1] for cookie in headers if cookie.startswith("session="))


def test_a_decorator_from_another_module_stays_on_the_path_operations(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, fastapi_app, result = sides()
    assert result.todos == [] and result.routes_ported == result.routes == 6, result.notes
    auth, blog = result.after["shop/auth.py"], result.after["shop/blog.py"]
    # ported once, where it is defined: the wrapper reads the session, so it is given the request and hands it on
    assert "def wrapped_view(request: Request, **kwargs):" in auth and "return view(**kwargs, request=request)" in auth
    assert 'return flask_redirect(request.app.url_path_for("auth.login"))' in auth  # Werkzeug's 302 page (responses.py)
    # kept on the importing module's path operations, which ask FastAPI for the request the wrapper hands on
    assert "from .auth import login_required" in blog
    assert '@bp.post("/{post_id:int}/delete", name="blog.delete")\n@login_required\ndef delete(request: Request, ' \
           'post_id: int):' in blog
    flask_client, fastapi_client = flask_app.test_client(), TestClient(fastapi_app)
    requests = [("get", "/create"), ("post", "/3/delete"), ("get", "/"), ("post", "/auth/logout"),
                ("head", "/create"), ("post", "/login/ada"), ("get", "/create"), ("post", "/3/delete"),
                ("get", "/"), ("post", "/auth/logout"), ("get", "/create")]
    for method, path in requests:
        if path == "/login/ada":
            path = "/auth/login/ada"
        flask_answer = getattr(flask_client, method)(path)
        fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False)
        assert _answer(flask_answer) == _answer(fastapi_answer), (method, path)
    assert fastapi_client.get("/create", follow_redirects=False).status_code == 302  # logged out again
    # no route: the same status (Werkzeug's page in Flask, JSON in FastAPI: the proofs' known difference)
    assert flask_client.post("/abc/delete").status_code == fastapi_client.post("/abc/delete").status_code == 404


def test_the_session_crosses_between_flask_and_fastapi(sides) -> None:  # type: ignore[no-untyped-def]
    """A login made by one side lets the other side's decorated views answer, both ways (Flask's cookie)."""
    from fastapi.testclient import TestClient

    flask_app, fastapi_app, _ = sides()
    flask_client, fastapi_client = flask_app.test_client(), TestClient(fastapi_app)
    cookie = _cookie(flask_client.post("/auth/login/ada"))
    fastapi_client.cookies.set("session", cookie)
    assert _answer(fastapi_client.get("/create")) == (200, {"user": "ada"}, None)
    assert _answer(fastapi_client.post("/7/delete")) == (200, {"deleted": 7, "by": "ada"}, None)
    fastapi_client.cookies.clear()
    cookie = _cookie(fastapi_client.post("/auth/login/bo"))
    flask_client.set_cookie("session", cookie)
    assert _answer(flask_client.get("/create")) == (200, {"user": "bo"}, None)
    # logged out by FastAPI: Flask's decorator sends the same cookie's holder to the login page
    flask_client.delete_cookie("session")
    fastapi_client.cookies.set("session", cookie)
    flask_client.set_cookie("session", _cookie(fastapi_client.post("/auth/logout")))
    assert _answer(flask_client.get("/create")) == (302, None, "/auth/login")


def test_imported_under_another_name(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    blog = BLOG.replace("import login_required", "import login_required as needs_login").replace(
        "@login_required", "@needs_login")
    flask_app, fastapi_app, result = sides(blog=blog)
    assert result.todos == [] and result.routes_ported == result.routes == 6, result.notes
    assert "@needs_login\ndef create(request: Request):" in result.after["shop/blog.py"]
    flask_client, fastapi_client = flask_app.test_client(), TestClient(fastapi_app)
    for client in (flask_client, fastapi_client):
        client.post("/auth/login/ada")
    for path in ("/create", "/9/delete"):
        method = "get" if path == "/create" else "post"
        assert _answer(getattr(flask_client, method)(path)) == _answer(getattr(fastapi_client, method)(path))


USES_IT_OTHERWISE = BLOG.replace("bp = Blueprint", "guard = login_required\nbp = Blueprint")
REACHED_THROUGH_MODULE = '''\
from flask import Blueprint, session

from . import auth

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@auth.login_required
def panel():
    return {"user": session["user"]}
'''
INIT_WITH_ADMIN = INIT.replace("app = Flask", "from .admin import bp as admin_bp\n\napp = Flask") + \
    "app.register_blueprint(admin_bp)\n"


@pytest.mark.parametrize("changes, only, why", [
    # the defining module is not ported with its users: the decorator stays Flask's, and so do their routes
    ({}, "blog", "the decorator login_required (shop/auth.py) stays Flask's with the modules using it: "
                 "shop/auth.py is not selected"),
    # aliased by an assignment: a use other than as a decorator of the module's views
    ({"blog": USES_IT_OTHERWISE}, None, "shop/blog.py uses it otherwise than as a decorator of its views"),
    # reached through its module's name in a third module: a use the port does not follow
    ({"admin": REACHED_THROUGH_MODULE, "__init__": INIT_WITH_ADMIN}, None,
     "shop/admin.py names it too (the port does not follow such a use)"),
    # a wrapper the port does not convert
    ({"auth": AUTH.replace("def wrapped_view(**kwargs):", "def wrapped_view(*args):").replace(
        "return view(**kwargs)", "return view(*args)")}, None, "its wrapper takes other parameters than"),
    # a `.name` endpoint: relative to the Blueprint of the request, which is the importing module's
    ({"auth": AUTH.replace('url_for("auth.login")', 'url_for(".login")')}, None,
     "FMA111 at line 13 is left to people"),
])
def test_what_the_port_cannot_make_faithful_keeps_its_routes_with_flask(tmp_path: Path, changes: dict[str, str],
                                                                          only: str | None, why: str) -> None:
    result = port(str(_project(tmp_path, changes)), only=only)
    assert "@login_required" in result.after.get("shop/blog.py", "@login_required")
    blog = [note for note in result.notes if note.startswith("blueprint blog ")]
    assert blog and why in blog[0], result.notes
    assert not any(name in ("create", "delete") for _, _, name in result.converted), result.converted
    if only is None:  # the defining module stays Flask with them: its decorator is not ported for nobody
        assert "def wrapped_view(request" not in result.after.get("shop/auth.py", "")


# Flask-Login in a Blueprint module, its LoginManager and user_loader in the app's module (port/login.py find_shared)
CLUB_INIT = '''\
from flask import Flask
from flask_login import LoginManager

from .auth import bp as auth_bp
from .models import USERS, User

app = Flask(__name__)
app.secret_key = "login-elsewhere-secret"
login_manager = LoginManager(app)
login_manager.login_view = "auth.login_page"


@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in USERS else None


app.register_blueprint(auth_bp)
'''

CLUB_MODELS = '''\
from flask_login import UserMixin

USERS = {"ada": "Ada Lovelace", "alan": "Alan Turing"}


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id
        self.name = USERS[user_id]
'''

CLUB_AUTH = '''\
from flask import Blueprint
from flask_login import current_user, login_required, login_user, logout_user

from .models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/login")
def login_page():
    return {"page": "login"}


@bp.post("/login/<user_id>")
def login(user_id):
    login_user(User(user_id))
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
CLUB = {"__init__": CLUB_INIT, "models": CLUB_MODELS, "auth": CLUB_AUTH}


def _login_clients(flask_app, fastapi_app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    # the same remote address and agent: Flask-Login's session identifier hashes them
    flask_client = flask_app.test_client()
    flask_client.environ_base.update(REMOTE_ADDR="testclient", HTTP_USER_AGENT="testclient")
    return flask_client, TestClient(fastapi_app, headers={"User-Agent": "testclient"})


def test_flask_login_in_a_blueprint_module_goes_to_the_bridge_with_the_apps_manager(sides) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("flask_login")
    flask_app, fastapi_app, result = sides(CLUB, "club")
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    assert "from flask_login_bridge import current_user, login_required, login_user, logout_user" in \
        result.after["club/auth.py"]
    assert "from flask_login_bridge import LoginManager" in result.after["club/__init__.py"]
    assert "from flask_login_bridge import UserMixin" in result.after["club/models.py"]
    flask_client, fastapi_client = _login_clients(flask_app, fastapi_app)
    for method, path in [("get", "/auth/account"), ("get", "/auth/who"), ("post", "/auth/logout"),
                         ("post", "/auth/login/ada"), ("get", "/auth/account"), ("get", "/auth/who"),
                         ("head", "/auth/account"), ("post", "/auth/logout"), ("get", "/auth/account")]:
        flask_answer = getattr(flask_client, method)(path)
        fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False)
        assert _answer(flask_answer) == _answer(fastapi_answer), (method, path)
    # login_view: to the login page with `next`, as Flask-Login builds it
    assert _answer(fastapi_client.get("/auth/account", follow_redirects=False)) == \
        (302, None, "/auth/login?next=%2Fauth%2Faccount")


def test_a_flask_login_session_crosses_between_the_two(sides) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("flask_login")
    flask_app, fastapi_app, _ = sides(CLUB, "club")
    flask_client, fastapi_client = _login_clients(flask_app, fastapi_app)
    fastapi_client.cookies.set("session", _cookie(flask_client.post("/auth/login/ada")))
    assert _answer(fastapi_client.get("/auth/account")) == (200, {"name": "Ada Lovelace", "id": "ada"}, None)
    fastapi_client.cookies.clear()
    flask_client.delete_cookie("session")
    flask_client.set_cookie("session", _cookie(fastapi_client.post("/auth/login/alan")))
    assert _answer(flask_client.get("/auth/account")) == (200, {"name": "Alan Turing", "id": "alan"}, None)
    # logged out by FastAPI: Flask-Login sends the same cookie to the login page
    flask_client.set_cookie("session", _cookie(fastapi_client.post("/auth/logout")))
    assert flask_client.get("/auth/account").status_code == 302


CALLBACK_ELSEWHERE = CLUB_MODELS.replace(
    "from flask_login import UserMixin\n",
    "from flask_login import UserMixin\n\nfrom .extensions import login_manager\n") + '''

@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in USERS else None
'''
EXTENSIONS = '''\
from flask_login import LoginManager

login_manager = LoginManager()
login_manager.login_view = "auth.login_page"
'''
FACTORY = '''\
from flask import Flask

from .auth import bp as auth_bp
from .extensions import login_manager


def create_app():
    app = Flask(__name__)
    app.secret_key = "x"
    login_manager.init_app(app)
    app.register_blueprint(auth_bp)
    return app
'''


@pytest.mark.parametrize("changes, why", [
    # (the manager made in extensions.py, given the app in a factory, the sample app's and microblog's shape: the
    # Flask app's own, which main.py hands the bridge: tests/test_port_login_factory.py)
    # a callback other than a loader given it in another module: the bridge reads those in the manager's module only
    ({"__init__": CLUB_INIT.replace("from .models import USERS, User\n", "").replace(
        "app.register_blueprint(auth_bp)\n", "from . import models  # noqa: E402\n\napp.register_blueprint(auth_bp)\n"),
      "models": CALLBACK_ELSEWHERE.replace("from .extensions import login_manager", "from . import login_manager") +
        "\n\n@login_manager.unauthorized_handler\ndef refused():\n    return {\"error\": \"log in\"}, 401\n"},
     "club/models.py imports it (login_manager.unauthorized_handler is not a user or request loader; the bridge reads "
     "its other callbacks and settings in club/__init__.py only)"),
    # two managers: which one a Blueprint's names rely on is not read
    ({"models": CLUB_MODELS.replace("from flask_login import UserMixin",
                                    "from flask_login import LoginManager, UserMixin\n\nother = LoginManager()")},
     "2 modules make one (club/__init__.py, club/models.py)"),
])
def test_flask_login_whose_manager_does_not_convert_keeps_the_blueprint_with_flask(
        tmp_path: Path, changes: dict[str, str], why: str) -> None:
    result = port(str(_project(tmp_path, changes, CLUB, "club")))
    assert "from flask_login import" in result.after.get("club/auth.py", "from flask_login import")
    assert "flask_login_bridge.py" not in result.after
    notes = [note for note in result.notes if note.startswith("blueprint auth ")]
    assert notes and why in notes[0], result.notes


LOADER_ELSEWHERE_INIT = '''\
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.secret_key = "login-elsewhere-secret"
login_manager = LoginManager(app)
login_manager.login_view = "auth.login_page"

from . import models  # noqa: E402  its user_loader, given the manager above
from .auth import bp as auth_bp  # noqa: E402

app.register_blueprint(auth_bp)
'''
LOADER_ELSEWHERE_MODELS = CALLBACK_ELSEWHERE.replace("from .extensions import login_manager", "from . import login_manager")


def test_a_user_loader_in_another_module_is_given_the_bridges_manager(sides) -> None:  # type: ignore[no-untyped-def]
    """models.py gives the app module's manager its user_loader (microblog's shape, the app at module level): the
    manager's module converts with the bridge, and the decorator, the same on both, registers on the bridge's."""
    pytest.importorskip("flask_login")
    flask_app, fastapi_app, result = sides(CLUB, "club", __init__=LOADER_ELSEWHERE_INIT, models=LOADER_ELSEWHERE_MODELS)
    assert result.todos == [] and result.routes_ported == result.routes == 5, result.notes
    assert "@login_manager.user_loader\ndef load_user(user_id):" in result.after["club/models.py"]
    assert "from flask_login_bridge import UserMixin" in result.after["club/models.py"]
    flask_client, fastapi_client = _login_clients(flask_app, fastapi_app)
    for method, path in [("get", "/auth/account"), ("post", "/auth/login/ada"), ("get", "/auth/account"),
                         ("post", "/auth/logout"), ("get", "/auth/account")]:
        flask_answer = getattr(flask_client, method)(path)
        fastapi_answer = getattr(fastapi_client, method)(path, follow_redirects=False)
        assert _answer(flask_answer) == _answer(fastapi_answer), (method, path)
    # a login made by Flask: the bridge's manager loads the user with models.py's loader
    fastapi_client.cookies.set("session", _cookie(flask_client.post("/auth/login/alan")))
    assert _answer(fastapi_client.get("/auth/account")) == (200, {"name": "Alan Turing", "id": "alan"}, None)


def test_porting_twice_the_decorated_views_costs_about_twice_the_time(tmp_path: Path) -> None:
    """Reading which decorators come from another module walks each module once (not once per name or view): N and
    2N views, each with two decorators imported from auth.py, the best of three CPU times each."""
    from hostile import growth

    def blog(count: int) -> str:
        names = [f"guard_{i}" for i in range(count // 10)]  # names imported from auth.py and not used: read too
        head = BLOG.replace("import login_required", "import login_required, " + ", ".join(names))
        views = "".join(f'\n\n@bp.get("/v{i}")\n@login_required\ndef view_{i}():\n    return {{"user": session["user"]}}\n'
                        for i in range(count))
        guards = "".join(f"\n\ndef {name}(view):\n    return view\n" for name in names)
        return head + views, AUTH + guards

    n = 100
    for size in (n, 2 * n):
        text, auth = blog(size)
        folder = _project(tmp_path / str(size), {"blog": text, "auth": auth})
        result = port(str(folder))
        assert result.todos == [] and result.routes_ported == size + 6, result.notes  # the sizes measure real work
    ratio = growth(lambda size: port(str(tmp_path / str(size) / "project")), n)
    assert ratio < 3, f"porting {2 * n} views took {ratio:.1f} times as long as {n}: a step is not linear"
