"""`migrate-audit port`: Flask's `session` -> `request.session` over the bridge it writes (port/session.py), which
reads and writes the very cookie Flask does. Checked against Flask itself: its serializer on every tag, and the
cookie crossing between a Flask app and its port both ways, with the same Set-Cookie and Vary headers."""
from __future__ import annotations

import datetime
import decimal
import re
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from _tools import load_module
from migrate_audit.port import port
from migrate_audit.port.session import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
flask = pytest.importorskip("flask")

APP = '''\
import os

from flask import Flask, g, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SESSION_TEST_KEY", "test-only-secret")


@app.before_request
def load_user():
    g.user = session.get("user")


@app.post("/login")
def login():
    session["user"] = request.form["user"]
    return {"user": session["user"]}


@app.post("/remember")
def remember():
    session.permanent = True
    return {"permanent": True}


@app.get("/me")
def me():
    return {"user": g.user}


@app.post("/logout")
def logout():
    session.pop("user", None)
    return {"user": None}


@app.post("/forget")
def forget():
    session.clear()
    return {"forgotten": True}
'''


@pytest.fixture
def bridge(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The bridge module as the port writes it, importable."""
    (tmp_path / FILE).write_text(BRIDGE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield load_module(tmp_path / FILE, MODULE)
    sys.modules.pop(MODULE, None)


def _project(tmp_path: Path, source: str, monkeypatch):  # type: ignore[no-untyped-def]
    """The Flask app and its port, both loaded; the port's result."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    result = port(str(folder))
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    flask_app = load_module(folder / "app.py", f"flask_side_{tmp_path.name}").app
    ported_app = load_module(ported / "app.py", f"ported_side_{tmp_path.name}").app
    return flask_app, ported_app, result


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    flask_app, ported_app, result = _project(tmp_path, APP, monkeypatch)
    yield flask_app, ported_app, result
    sys.modules.pop(MODULE, None)


def test_the_bridge_dumps_and_loads_as_flask_serializer_does(bridge) -> None:  # type: ignore[no-untyped-def]
    from markupsafe import Markup
    from flask.sessions import session_json_serializer

    values = [{"user": "ada"}, {"cart": ["Dune", ("Emma", 2)]}, {" t": [1, 2]}, {"n": {" di": {"x": 1}}},
              {"raw": b"\x00\xff"}, {"html": Markup("<b>hi</b>")}, {"id": uuid.UUID(int=7)},
              {"at": datetime.datetime(2024, 1, 2, 3, 4, 5)}, {"on": datetime.date(2024, 1, 2)},
              {"price": decimal.Decimal("1.50")}, {"_flashes": [("message", "Saved")]}, {"é": "ü", "a": None}]
    app = flask.Flask(__name__)
    with app.app_context():  # where Flask dumps the session: its app's JSON provider (sorted keys, ASCII)
        for value in values:
            flask_text = session_json_serializer.dumps(value)
            assert bridge.TaggedJSON.dumps(value) == flask_text
            assert bridge.TaggedJSON.loads(flask_text) == session_json_serializer.loads(flask_text)


def test_the_port_writes_the_bridge_and_the_middleware_last(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.after[FILE] == BRIDGE
    text = result.after["app.py"]
    assert "request.session.get(\"user\")" in text and "from flask import" not in text
    # after the hooks' middleware: added last, it wraps it, as Flask opens the session before the hooks
    middleware = text.index('app.add_middleware(\n    FlaskSessionMiddleware,\n    secret_key=os.environ.get('
                            '"SESSION_TEST_KEY", "test-only-secret"),\n)')  # wrapped at 88 columns (port/layout.py)
    assert text.index("async def flask_request_hooks") < middleware
    assert not [code for _, code in result.todos]


def _value(set_cookie: str) -> str:
    return set_cookie.split(";")[0].split("=", 1)[1]


def _shape(set_cookie: str | None) -> str | None:
    """The header with the signed value and the expiry time blanked: the rest must be Flask's, byte for byte."""
    if set_cookie is None:
        return None
    set_cookie = re.sub(r"^session=[^;]+", "session=<value>", set_cookie)
    return re.sub(r"Expires=(?!Thu, 01 Jan 1970)[^;]+", "Expires=<later>", set_cookie)


def test_the_ported_app_answers_and_sets_cookies_as_flask(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    steps = [("POST", "/login", {"user": "ada"}), ("GET", "/me", None), ("POST", "/remember", None),
             ("GET", "/me", None), ("POST", "/logout", None), ("GET", "/me", None), ("POST", "/forget", None),
             ("GET", "/me", None)]
    flask_client = flask_app.test_client()
    seen = []
    with TestClient(ported_app, base_url="http://localhost") as client:
        for method, path, form in steps:
            expected = flask_client.open(path, method=method, data=form)
            got = client.request(method, path, data=form)
            assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), path
            assert got.headers.get("vary") == expected.headers.get("Vary"), path
            assert _shape(got.headers.get("set-cookie")) == _shape(expected.headers.get("Set-Cookie")), path
            seen.append(_shape(got.headers.get("set-cookie")))
    # what the steps went through: a browser-session cookie, a permanent one (refreshed on each request, as
    # SESSION_REFRESH_EACH_REQUEST says), the cookie deleted when the session was emptied, then none
    assert seen == ["session=<value>; HttpOnly; Path=/", None, *["session=<value>; Expires=<later>; HttpOnly; Path=/"] * 4,
                    "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/", None]


def test_a_cookie_flask_set_is_read_by_the_port_and_back(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    issued = flask_app.test_client().post("/login", data={"user": "grace"}).headers["Set-Cookie"]
    with TestClient(ported_app, base_url="http://localhost") as client:
        client.cookies.set("session", _value(issued))
        assert client.get("/me").json() == {"user": "grace"}
        ported_cookie = client.post("/login", data={"user": "alan"}).headers["set-cookie"]
    # the port's cookie, read by Flask's own session interface and by the Flask app
    serializer = flask_app.session_interface.get_signing_serializer(flask_app)
    assert serializer.loads(_value(ported_cookie)) == {"user": "alan"}
    flask_client = flask_app.test_client()
    flask_client.set_cookie("session", _value(ported_cookie))
    assert flask_client.get("/me").get_json() == {"user": "alan"}


def test_a_cookie_signed_otherwise_is_an_empty_session_on_both_sides(sides) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    forged = "eyJ1c2VyIjoibWFsbG9yeSJ9.Zm9v.YmFy"
    flask_client = flask_app.test_client()
    flask_client.set_cookie("session", forged)
    with TestClient(ported_app, base_url="http://localhost") as client:
        client.cookies.set("session", forged)
        got = client.get("/me")
    expected = flask_client.get("/me")
    assert got.json() == expected.get_json() == {"user": None}
    assert got.headers.get("set-cookie") is expected.headers.get("Set-Cookie") is None


@pytest.mark.parametrize("source, reason", [
    ('''\
     from flask import Flask, session

     app = Flask(__name__)
     app.secret_key = load_key()


     @app.get("/me")
     def me():
         return {"user": session.get("user")}
     ''', "not a literal or an environment variable"),
    ('''\
     from flask import Flask, session

     app = Flask(__name__)
     app.secret_key = "k"


     @app.get("/me")
     def me():
         return {"user": session.get("user")}


     def close():
         with open_db() as session:
             session.commit()
     ''', "the name session is also bound at line 13"),  # a name that is not Flask's session everywhere
])
def test_what_the_bridge_cannot_know_the_same_way_stays_flask(tmp_path: Path, source: str, reason: str | None) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after
    assert "FMA807" in {code for _, code in result.todos}  # the cookie format, left with the session
    text = result.after.get("app.py", "")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "request.session" not in code and "FlaskSessionMiddleware" not in code and "from flask import" in code
    if reason is not None:  # said where the port says why the app stays Flask
        assert reason in " ".join(result.notes)


STRANGLER = {
    "app.py": '''\
from flask import Flask, session

from cart import cart

app = Flask(__name__)
app.config.from_mapping(SECRET_KEY="strangler-only-secret", SESSION_COOKIE_NAME="shop")
app.register_blueprint(cart, url_prefix="/cart")


@app.post("/login")
def login():
    session["user"] = "ada"
    session.permanent = True
    return {"user": session["user"]}


@app.get("/whoami")
def whoami():
    return {"user": session.get("user"), "cart": session.get("cart", [])}
''',
    "cart.py": '''\
from flask import Blueprint, request, session

cart = Blueprint("cart", __name__)


@cart.post("/")
def add():
    session["cart"] = [*session.get("cart", []), request.form["book"]]
    return {"cart": session["cart"], "user": session.get("user")}


@cart.get("/")
def show():
    return {"cart": session.get("cart", []), "user": session.get("user")}
''',
}


def _through_main(tmp_path: Path, files: dict[str, str], result, monkeypatch):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    ported = tmp_path / "ported"
    ported.mkdir()
    for name, text in {**files, **result.after}.items():
        (ported / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    for name in ("main", "app", "app_fastapi", "cart", "cart_fastapi", MODULE):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return TestClient(load_module(ported / "main.py", "main").app, base_url="http://localhost")


def test_during_the_strangler_phase_one_session_spans_flask_and_fastapi_routes(tmp_path: Path, monkeypatch) -> None:
    """The Blueprint ported alone (`--only cart`), the app staying Flask with its key in app.config: main.py's
    bridge reads the Flask app's own config, so a login on a Flask route is seen by a FastAPI one, the cart
    FastAPI keeps by Flask, and Flask's own answers keep only the cookie Flask set."""
    pytest.importorskip("a2wsgi")
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in STRANGLER.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder), only="cart")
    assert sorted(result.after) == ["app.py", "cart.py", FILE, "main.py", "werkzeug_routing.py"]
    assert "from flask import" in result.after["app.py"] and "register_blueprint" not in result.after["app.py"]
    assert "request.session" in result.after["cart.py"] and "config=flask_app.config" in result.after["main.py"]
    try:
        with _through_main(tmp_path, STRANGLER, result, monkeypatch) as client:
            login = client.post("/login")  # Flask
            assert [h.split("=")[0] for h in login.headers.get_list("set-cookie")] == ["shop"]
            shown = client.get("/cart/")
            assert shown.json() == {"cart": [], "user": "ada"}  # FastAPI reads Flask's cookie
            # a permanent session: refreshed on each request, as Flask does (SESSION_REFRESH_EACH_REQUEST)
            assert len(shown.headers.get_list("set-cookie")) == 1 and "Expires=" in shown.headers["set-cookie"]
            added = client.post("/cart/", data={"book": "Dune"})
            assert added.json() == {"cart": ["Dune"], "user": "ada"}
            assert added.headers["set-cookie"].startswith("shop=") and added.headers["vary"] == "Cookie"
            assert client.get("/whoami").json() == {"user": "ada", "cart": ["Dune"]}  # Flask reads FastAPI's
            # Flask refreshes its permanent cookie itself: the bridge leaves Flask's answers alone
            assert len(client.get("/whoami").headers.get_list("set-cookie")) == 1
    finally:
        for name in ("main", "app", "cart", MODULE):
            sys.modules.pop(name, None)


def test_views_that_move_on_their_own_keep_the_session_too(tmp_path: Path, monkeypatch) -> None:
    """The Blueprint stays Flask (a view reads request.stream, left to people), its two session views move to
    FastAPI on their own (port/split.py), as do the app's: main.py adds the bridge for them, and the view left
    to Flask reads the session FastAPI wrote."""
    pytest.importorskip("a2wsgi")
    # (without session.permanent, which keeps every view from moving: a session refreshed on every answer)
    cart = STRANGLER["cart.py"].replace('post("/")', 'post("/add")').replace('get("/")', 'get("/items")')
    # (a CLI command, left to people, keeps the app Flask: its SECRET_KEY in app.config would port to settings)
    cli = '\n\n@app.cli.command("seed")\ndef seed():\n    print("seeded")\n'
    files = {"app.py": STRANGLER["app.py"].replace("    session.permanent = True\n", "") + cli,
             "cart.py": cart + '\n\n@cart.post("/raw")\ndef raw():\n    return {"size": len(request.stream.read()), "user": session.get("user")}\n'}
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    # the app's views too: it stays Flask (its CLI command), and main.py's bridge reads its config
    assert result.routes_moved == 4 and FILE in result.after and "FlaskSessionMiddleware" in result.after["main.py"]
    try:
        with _through_main(tmp_path, files, result, monkeypatch) as client:
            client.post("/login")
            assert client.post("/cart/add", data={"book": "Emma"}).json() == {"cart": ["Emma"], "user": "ada"}
            assert client.get("/cart/items").json() == {"cart": ["Emma"], "user": "ada"}
            assert client.get("/whoami").json() == {"user": "ada", "cart": ["Emma"]}
            assert client.post("/cart/raw", content=b"abc").json() == {"size": 3, "user": "ada"}  # Flask's
    finally:
        for name in ("main", "app", "cart", "cart_fastapi", MODULE):
            sys.modules.pop(name, None)


INTERFACE = '''\
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface


class ShopSessionInterface(SecureCookieSessionInterface):
    """Under the shop's path, for the shop's domain."""

    # the shop is served under /shop
    def get_cookie_path(self, app):
        return "/shop"

    def get_cookie_samesite(self, app):
        return "Strict"
{extra}

app = Flask(__name__)
app.secret_key = "interface-only-secret"
app.session_interface = ShopSessionInterface()


@app.post("/shop/login")
def login():
    session["user"] = "ada"
    return {{"ok": True}}
'''


def test_a_session_interface_that_only_sets_cookie_attributes_becomes_the_bridge_config(tmp_path: Path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    flask_app, ported_app, result = _project(tmp_path, INTERFACE.format(extra=""), monkeypatch)
    try:
        text = result.after["app.py"]
        assert "class ShopSessionInterface" not in text and "flask" not in text.replace("flask_cookie_session", "")
        assert 'config={"SESSION_COOKIE_PATH": "/shop", "SESSION_COOKIE_SAMESITE": "Strict"}' in text
        expected = flask_app.test_client().post("/shop/login").headers["Set-Cookie"]
        with TestClient(ported_app, base_url="http://localhost") as client:
            got = client.post("/shop/login").headers["set-cookie"]
        assert _shape(got) == _shape(expected) == "session=<value>; HttpOnly; Path=/shop; SameSite=Strict"
    finally:
        sys.modules.pop(MODULE, None)


@pytest.mark.parametrize("extra", [
    '\n    salt = "shop-session"\n',  # signs otherwise: not a cookie attribute
    '\n    def get_cookie_name(self, app):\n        return app.config["SHOP_COOKIE"]\n',  # not a literal
    '\n    def should_set_cookie(self, app, session):\n        return True\n',  # decides when, not how
])
def test_a_session_interface_that_does_more_stays_flask(tmp_path: Path, extra: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(INTERFACE.format(extra=extra), encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and "FMA415" in {code for _, code in result.todos}
    assert "ShopSessionInterface does more than return literal cookie attributes" in " ".join(result.notes)


FLASHING = '''\
from flask import Flask, flash, get_flashed_messages, session

app = Flask(__name__)
app.secret_key = "flash-only-secret"


@app.post("/save")
def save():
    flash("Saved")
    flash("Disk almost full", "warning")
    return {"saved": True}


@app.get("/messages")
def messages():
    first = get_flashed_messages(with_categories=True)
    again = get_flashed_messages(category_filter=["warning"])  # the request's flashes, kept after the first call
    return {"first": first, "again": again, "left": "_flashes" in session}
'''


def test_flashed_messages_cross_between_flask_and_the_port(tmp_path: Path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    flask_app, ported_app, result = _project(tmp_path, FLASHING, monkeypatch)
    try:
        text = result.after["app.py"]
        assert 'flash(request, "Disk almost full", "warning")' in text and "from flask import" not in text
        expected = {"first": [["message", "Saved"], ["warning", "Disk almost full"]], "again": ["Disk almost full"],
                    "left": False}
        for writer, reader in (("flask", "fastapi"), ("fastapi", "flask"), ("fastapi", "fastapi")):
            flask_client = flask_app.test_client()  # fresh clients: each pair starts without cookies
            with TestClient(ported_app, base_url="http://localhost") as client:
                cookie = (flask_client if writer == "flask" else client).post("/save").headers["Set-Cookie"]
                if reader == "flask":
                    flask_client.set_cookie("session", _value(cookie))
                    assert flask_client.get("/messages").get_json() == expected
                else:
                    client.cookies.set("session", _value(cookie))
                    assert client.get("/messages").json() == expected, writer
    finally:
        sys.modules.pop(MODULE, None)


def test_porting_twice_the_session_views_costs_about_twice_the_time(tmp_path: Path) -> None:
    """The session's and flash's checks are made once per function and once per module, not per use: N and 2N
    views that each read the session and flash twice, the best of three CPU times each (hostile.growth)."""
    from hostile import growth

    def source(count: int) -> str:
        views = "".join(f'''

@app.post("/v{i}")
def view_{i}():
    session["n"] = session.get("n", 0) + {i}
    flash("one")
    flash("two", "info")
    return {{"n": session["n"], "seen": get_flashed_messages()}}
''' for i in range(count))
        return ('from flask import Flask, flash, get_flashed_messages, session\n\napp = Flask(__name__)\n'
                'app.secret_key = "k"\n' + views)

    n = 150
    for size in (n, 2 * n):
        (tmp_path / str(size)).mkdir()
        (tmp_path / str(size) / "app.py").write_text(source(size), encoding="utf-8")
        result = port(str(tmp_path / str(size)))
        assert (result.routes, result.routes_ported) == (size, size)  # real work: every view converts
    ratio = growth(lambda size: port(str(tmp_path / str(size))), n)
    assert ratio < 3, f"porting {2 * n} session views took {ratio:.1f} times as long as {n}: a step is not linear"


HELPED = '''\
from flask import Flask, session

app = Flask(__name__)
app.secret_key = "helper-only-secret"


def current_user():
    return session.get("user")


def remember(name):
    session["user"] = name
    session.permanent = True


@app.post("/login/<name>")
def login(name):
    remember(name)
    return {"user": current_user()}


@app.get("/me")
def me():
    return {"user": current_user(), "cart": session.get("cart")}


@app.get("/me-async")
async def me_async():
    return {"user": current_user()}
'''


def test_a_helper_without_the_request_reads_the_bridge_s_session_as_flask_s_proxy(tmp_path: Path, monkeypatch) -> None:
    """Views get `request.session`; a helper they call has no request at hand, so it keeps the name `session`,
    now the bridge's: the session of the request being served (a context variable, inherited by the thread
    pool of sync views), and outside a request the same RuntimeError as Flask's."""
    from fastapi.testclient import TestClient

    flask_app, ported_app, result = _project(tmp_path, HELPED, monkeypatch)
    try:
        text = result.after["app.py"]
        assert '"cart": request.session.get("cart")' in text and "    return session.get(\"user\")" in text
        assert "from flask_cookie_session import FlaskSessionMiddleware, session" in text
        assert "from flask import" not in text and not result.todos
        flask_client = flask_app.test_client()
        with TestClient(ported_app, base_url="http://localhost") as client:
            for method, path in (("GET", "/me"), ("POST", "/login/ada"), ("GET", "/me"), ("GET", "/me-async")):
                expected, got = flask_client.open(path, method=method), client.request(method, path)
                assert got.json() == expected.get_json(), path
                assert _shape(got.headers.get("set-cookie")) == _shape(expected.headers.get("Set-Cookie")), path
                assert got.headers.get("vary") == expected.headers.get("Vary"), path
        ported_module = sys.modules[f"ported_side_{tmp_path.name}"]
        with pytest.raises(RuntimeError, match="Working outside of request context"):
            ported_module.current_user()
        with pytest.raises(RuntimeError, match="Working outside of request context"):
            sys.modules[f"flask_side_{tmp_path.name}"].current_user()
    finally:
        sys.modules.pop(MODULE, None)


def test_a_project_file_named_like_the_bridge_is_never_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    (folder / FILE).write_text("MINE = True\n", encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and "FMA807" in {code for _, code in result.todos}
    assert f"the project already has a {FILE}" in " ".join(result.notes)


RUN = '''\
import os

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("SESSION_TEST_KEY", "run-only-secret")


@app.post("/login")
def login():
    session["user"] = request.form["user"]
    return {"user": session["user"]}


@app.post("/legacy")
def legacy():
    return {"user": session.get("user"), "size": len(request.stream.read())}


if __name__ == "__main__":
    app.run()
'''


def test_app_secret_key_does_not_keep_views_from_moving(tmp_path: Path, monkeypatch) -> None:
    """The app stays Flask (app.run, left to people); its session view moves to FastAPI on its own, since the
    bridge main.py adds reads the Flask app's own key (split.py no longer counts `app.secret_key` as changing
    every answer), and the view left to Flask reads the session FastAPI wrote."""
    pytest.importorskip("a2wsgi")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(RUN, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1 and "app_fastapi.py" in result.after and FILE in result.after
    try:
        with _through_main(tmp_path, {"app.py": RUN}, result, monkeypatch) as client:
            assert client.post("/login", data={"user": "ada"}).json() == {"user": "ada"}  # FastAPI
            assert client.post("/legacy", content=b"ab").json() == {"user": "ada", "size": 2}  # Flask
    finally:
        for name in ("main", "app", "app_fastapi", MODULE):
            sys.modules.pop(name, None)


HOOKED = '''\
from flask import Blueprint, Flask, session

bp = Blueprint("bp", __name__)


@bp.after_request
def stamp(response):
    response.headers["X-Count"] = str(session.get("n"))
    return response


@bp.get("/count")
def count():
    session["n"] = session.get("n", 0) + 1
    return {"n": session["n"]}


app = Flask(__name__)
app.secret_key = "hooked-only-secret"
app.register_blueprint(bp)
'''


def test_the_bridge_wraps_hooks_written_after_it_too(tmp_path: Path, monkeypatch) -> None:
    """The app is made after the Blueprint's hook, so the hooks' middleware goes at the end of the module: the
    bridge's line still comes after it (outermost), and the hook reads the session as Flask's did."""
    from fastapi.testclient import TestClient

    flask_app, ported_app, result = _project(tmp_path, HOOKED, monkeypatch)
    try:
        text = result.after["app.py"]
        assert text.index("async def flask_request_hooks") < text.index("app.add_middleware(FlaskSessionMiddleware")
        flask_client = flask_app.test_client()
        with TestClient(ported_app, base_url="http://localhost") as client:
            for _ in range(2):
                expected, got = flask_client.get("/count"), client.get("/count")
                assert (got.json(), got.headers["x-count"]) == (expected.get_json(), expected.headers["X-Count"])
    finally:
        sys.modules.pop(MODULE, None)


def test_templates_read_session_and_flashes_as_flask_s_do(tmp_path: Path, monkeypatch) -> None:
    """A template reading `session` and `get_flashed_messages()` (FMA606, FMA604): the bridge's context
    processors give them, so the page is Flask's, and the flashes are consumed alike."""
    from fastapi.testclient import TestClient

    page = ("<p>{{ session.get('theme', 'light') }}</p>"
            "<ul>{% for m in get_flashed_messages() %}<li>{{ m }}</li>{% endfor %}</ul>")
    for side in ("project", "ported"):
        (tmp_path / side / "templates").mkdir(parents=True, exist_ok=True)
        (tmp_path / side / "templates" / "page.html").write_text(page, encoding="utf-8")
    source = '''\
        from flask import Flask, flash, render_template, request, session

        app = Flask(__name__)
        app.secret_key = "template-only-secret"


        @app.post("/theme/<name>")
        def theme(name):
            session["theme"] = name
            flash(f"Theme {name}")
            return {"ok": True}


        @app.get("/")
        def page():
            return render_template("page.html")
        '''
    folder = tmp_path / "project"
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    result = port(str(folder))
    assert "context_processors=[flashed_messages, session_context]" in result.after["app.py"]
    ported = tmp_path / "ported"
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    try:
        flask_app = load_module(folder / "app.py", "flask_templates_side").app
        ported_app = load_module(ported / "app.py", "ported_templates_side").app
        flask_client = flask_app.test_client()
        with TestClient(ported_app, base_url="http://localhost") as client:
            for method, path in (("GET", "/"), ("POST", "/theme/dark"), ("GET", "/"), ("GET", "/")):
                expected = flask_client.open(path, method=method)
                got = client.request(method, path)
                assert got.text.strip() == expected.get_data(as_text=True).strip(), path
                assert got.headers.get("vary") == expected.headers.get("Vary"), path
    finally:
        sys.modules.pop(MODULE, None)


def test_main_py_of_an_app_factory_gives_the_bridge_the_config_of_the_app_it_mounts(tmp_path: Path, monkeypatch) -> None:
    """An app factory: main.py makes one Flask app, mounts it and gives the bridge its config (two calls of the
    factory could give two configs)."""
    pytest.importorskip("a2wsgi")
    files = {"cart.py": STRANGLER["cart.py"], "app.py": '''\
import secrets

from flask import Flask, session

from cart import cart


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secrets.token_hex()  # a key per app: only the mounted app's config signs alike
    app.register_blueprint(cart, url_prefix="/cart")

    @app.post("/login")
    def login():
        session["user"] = "ada"
        return {"user": session["user"]}

    return app
'''}
    folder = tmp_path / "project"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder), only="cart")
    main_text = result.after["main.py"]
    assert main_text.count("flask_create_app()") == 1 and "config=flask_application.config" in main_text
    try:
        with _through_main(tmp_path, files, result, monkeypatch) as client:
            client.post("/login")
            assert client.get("/cart/").json() == {"cart": [], "user": "ada"}
    finally:
        for name in ("main", "app", "cart", MODULE):
            sys.modules.pop(name, None)


def test_the_next_strangler_step_reuses_the_bridge_an_earlier_port_wrote(tmp_path: Path) -> None:
    """`--only` one Blueprint, then port the output again for the app: the bridge the first step wrote is the
    port's own, so the second step converts the session too (a project's own file of that name stays refused)."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP, encoding="utf-8")
    (folder / FILE).write_text(BRIDGE, encoding="utf-8")
    result = port(str(folder))
    assert result.after[FILE] == BRIDGE and "request.session" in result.after["app.py"] and not result.todos


def test_of_two_session_cookies_the_first_sent_is_read_as_werkzeug_reads_it(sides) -> None:  # type: ignore[no-untyped-def]
    """A browser holding the cookie for /shop and an older one for / sends the longer path's first: Werkzeug
    reads the first, where Starlette's request.cookies would keep the last."""
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    valid = _value(flask_app.test_client().post("/login", data={"user": "ada"}).headers["Set-Cookie"])
    for header, user in ((f"session={valid}; session=stale", "ada"), (f"session=stale; session={valid}", None)):
        # (use_cookies=False: the test client would replace a Cookie header by its own jar)
        expected = flask_app.test_client(use_cookies=False).get("/me", headers={"Cookie": header}).get_json()
        with TestClient(ported_app, base_url="http://localhost") as client:
            got = client.get("/me", headers={"cookie": header}).json()
        assert (got, expected) == ({"user": user}, {"user": user}), header


@pytest.mark.parametrize("operation", [
    lambda s: s.get("user"), lambda s: s["user"], lambda s: "user" in s, lambda s: list(s.items()),
    lambda s: s.setdefault("user", "x"), lambda s: s.setdefault("new", "x"), lambda s: s.pop("missing", None),
    lambda s: s.pop("user"), lambda s: s.update(cart=[]), lambda s: s.__setitem__("user", "ada"),
    lambda s: s.__delitem__("user"), lambda s: s.clear(), lambda s: s.popitem(), lambda s: s.__ior__({"a": 1}),
    lambda s: setattr(s, "permanent", True), lambda s: s.permanent, lambda s: s["cart"].append("Dune"),
], ids=lambda operation: "op")
def test_the_bridge_session_reports_changes_as_flask_s(bridge, operation) -> None:  # type: ignore[no-untyped-def]
    """`modified` after each operation, as werkzeug's CallbackDict reports it (a list changed in place is not a
    change Flask sees either), and the same contents."""
    from flask.sessions import SecureCookieSession

    flask_session, ours = SecureCookieSession({"user": "ada", "cart": []}), bridge.Session({"user": "ada", "cart": []})
    returned, expected = operation(ours), operation(flask_session)
    assert (dict(returned) if isinstance(returned, dict) else returned) == \
        (dict(expected) if isinstance(expected, dict) else expected)
    assert (ours.modified, dict(ours)) == (flask_session.modified, dict(flask_session))


def test_the_bridge_is_lint_clean_and_formatted(tmp_path: Path) -> None:
    import importlib.util
    import subprocess

    # ruff comes with the test extra; the module form finds the venv's copy when its bin/ is not on PATH
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    (tmp_path / FILE).write_text(BRIDGE, encoding="utf-8")
    # formatted as ruff formats a project without settings (88 columns: the port's own lines are wrapped to it,
    # port/imports.py); its comments and docstrings are wrapped at 120
    for command in (["check", "--select", "E,W,F,I", "--line-length", "120"], ["format", "--check"]):
        run = subprocess.run([sys.executable, "-m", "ruff", *command, "--isolated", "--no-cache", str(tmp_path / FILE)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("every_use", [True, False], ids=["flask-3.1", "flask-3.0"])
def test_the_bridge_counts_a_use_of_the_session_as_the_installed_flask_does(every_use: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Flask 3.1 marks the session accessed (so its response varies on Cookie) on any use of its `session` proxy
    (flask/ctx.py); Flask 3.0 only on `[key]`, `get`, `setdefault` and changes (SecureCookieSession in 3.0.3's
    flask/sessions.py). The bridge follows the Flask installed beside it: the sample app pins 3.0.3, where
    Flask-Login's `"_remember" in session` after every request used to give the moved /health a `Vary: Cookie`
    that Flask did not send."""
    import importlib.util
    from importlib.resources import files

    spec = importlib.util.spec_from_file_location(
        "bridge_under_test", str(files("migrate_audit.port") / "written" / "flask_cookie_session.py"))
    bridge = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bridge)  # type: ignore[union-attr]
    from importlib.metadata import version

    installed = tuple(int(part) for part in version("flask").split(".")[:2])
    assert bridge.EVERY_USE == (installed >= (3, 1)), installed
    monkeypatch.setattr(bridge, "EVERY_USE", every_use)
    reads_3_0_skips = [lambda s: "k" in s, lambda s: list(s), lambda s: len(s), lambda s: s.keys(), lambda s: s.items(),
                       lambda s: s.pop("missing", None)]
    reads_both_count = [lambda s: s["k"], lambda s: s.get("x"), lambda s: s.setdefault("k", 2), lambda s: s.pop("k")]
    for use in reads_3_0_skips:
        session = bridge.Session({"k": 1})
        use(session)
        assert session.accessed is every_use
    for use in reads_both_count:
        session = bridge.Session({"k": 1})
        use(session)
        assert session.accessed is True
    token = bridge._CURRENT.set(bridge.Session({"k": 1}))
    try:
        assert "k" in bridge.session and bridge._CURRENT.get().accessed is every_use  # through the proxy
    finally:
        bridge._CURRENT.reset(token)
