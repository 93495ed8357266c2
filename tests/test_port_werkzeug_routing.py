"""The router's own answers of an app ported whole (port/routing_errors.py, port/written/werkzeug_routing.py):
OPTIONS, a method the URL does not take, a URL without its rule's trailing slash and an unknown URL, compared beside
Flask on status, the `Allow` methods, the media type, the redirect's path and the body; and the project's own 404/405
handlers, which still take the router's errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _port_support import bridged_sides

APP = '''
from flask import Blueprint, Flask, jsonify

app = Flask(__name__)
bp = Blueprint("items", __name__, url_prefix="/items")


@bp.get("/")
def listing():
    return "items"


@bp.post("/")
def create():
    return "created", 201


@bp.route("/<int:item_id>", methods=["GET", "DELETE"])
def one(item_id):
    return f"item {item_id}"


@app.get("/ping")
def ping():
    return "pong"


app.register_blueprint(bp)
'''

HANDLED = APP.replace('app.register_blueprint(bp)\n', '''app.register_blueprint(bp)


@app.errorhandler(404)
def missing(error):
    return jsonify(error="missing"), 404


@app.errorhandler(405)
def not_allowed(error):
    return jsonify(error="not allowed"), 405
''')

REQUESTS = [("OPTIONS", "/items/"), ("PUT", "/items/"), ("OPTIONS", "/items/3"), ("POST", "/items/3"),
            ("PUT", "/items/3"), ("HEAD", "/items/3"), ("OPTIONS", "/ping"), ("POST", "/ping"), ("GET", "/items"),
            ("POST", "/items"), ("GET", "/items?a=1&b=%20x"), ("GET", "/nope"), ("HEAD", "/nope"), ("GET", "/ping/"),
            ("DELETE", "/items/3/"), ("GET", "/items/x"), ("GET", "/items/"), ("DELETE", "/items/3")]


def _answer(response: Any, flask: bool) -> tuple:
    location = response.headers.get("location")
    allow = response.headers.get("allow")
    return (response.status_code, sorted(allow.split(", ")) if allow else None,
            response.headers.get("content-type"), location,
            response.data if flask else response.content)


@pytest.fixture
def sides(tmp_path: Path, monkeypatch: Any) -> Any:
    pytest.importorskip("fastapi")

    def made(source: str) -> tuple[Any, Any, Any]:
        generator = bridged_sides(tmp_path, monkeypatch, source, "werkzeug_routing", ("werkzeug_routing",))
        found = next(generator)
        made.generators.append(generator)
        return found

    made.generators = []  # type: ignore[attr-defined]
    yield made
    for generator in made.generators:  # type: ignore[attr-defined]
        next(generator, None)


@pytest.mark.parametrize("source", [APP, HANDLED], ids=["werkzeug-pages", "project-handlers"])
def test_the_routers_answers_are_werkzeugs(sides: Any, source: str) -> None:
    from fastapi.testclient import TestClient

    flask_app, ported_app, result = sides(source)
    assert "werkzeug_routing(app)" in result.after["app.py"] and "werkzeug_routing.py" in result.after
    flask_client, fastapi_client = flask_app.test_client(), TestClient(ported_app, base_url="http://localhost")
    for method, path in REQUESTS:
        flask_side = _answer(flask_client.open(path, method=method), True)
        fastapi_side = _answer(fastapi_client.request(method, path, follow_redirects=False), False)
        if source is HANDLED and flask_side[2] == "application/json":  # the JSON text differs (docs/port.md)
            flask_side, fastapi_side = flask_side[:4], fastapi_side[:4]
        assert fastapi_side == flask_side, (method, path)


def test_a_second_port_writes_it_once(sides: Any, tmp_path: Path) -> None:
    from migrate_audit.port import port

    _, _, result = sides(APP)
    again = port(str(tmp_path / "ported"))
    assert again.after.get("app.py", result.after["app.py"]).count("werkzeug_routing(app)") == 1


STAYING_APP = '''
from flask import Flask, request

from items import bp

app = Flask(__name__)
app.register_blueprint(bp)


@app.get("/agent")
def agent():
    return {"remote": request.environ.get("REMOTE_ADDR")}
'''

ITEMS = '''
from flask import Blueprint

bp = Blueprint("items", __name__, url_prefix="/items")


@bp.get("/")
def listing():
    return "items"


@bp.post("/")
def create():
    return "created", 201


@bp.route("/<int:item_id>", methods=["GET", "DELETE"])
def one(item_id):
    return f"item {item_id}"
'''


def test_main_answers_as_werkzeug_on_the_paths_of_a_blueprint_that_left_flask(tmp_path: Path) -> None:
    """`--only items`: the Blueprint converts whole and leaves the Flask app, which main.py mounts behind FastAPI and
    which has no rule for its paths any more; main.py calls werkzeug_routing(app, flask_app), so another method,
    OPTIONS and a missing slash get Werkzeug's answers, not the Flask app's 404, and the Flask routes keep Flask's."""
    import sys

    from _tools import load_module
    from fastapi.testclient import TestClient

    from migrate_audit.port import port

    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(STAYING_APP, encoding="utf-8")
    (project / "items.py").write_text(ITEMS, encoding="utf-8")
    sys.path.insert(0, str(project))
    try:
        flask_app = load_module(project / "app.py", f"routing_flask_{tmp_path.name}").app
    finally:
        sys.path.remove(str(project))
        sys.modules.pop("items", None)
    result = port(str(project), only="items")
    assert "werkzeug_routing(app, flask_app)" in result.after["main.py"], result.after["main.py"]
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    (ported / "app.py").write_text(result.after.get("app.py", STAYING_APP), encoding="utf-8")
    sys.path.insert(0, str(ported))
    try:
        main = load_module(ported / "main.py", f"routing_main_{tmp_path.name}")
    finally:
        sys.path.remove(str(ported))
        for name in ("items", "app", "werkzeug_routing"):
            sys.modules.pop(name, None)
    flask_client, client = flask_app.test_client(), TestClient(main.app, base_url="http://localhost")
    for method, path in [("OPTIONS", "/items/"), ("PUT", "/items/"), ("OPTIONS", "/items/3"), ("POST", "/items/3"),
                         ("GET", "/items"), ("POST", "/items"), ("GET", "/items/3"), ("GET", "/nope"),
                         ("OPTIONS", "/agent"), ("POST", "/agent")]:
        expected = _answer(flask_client.open(path, method=method), True)
        got = _answer(client.request(method, path, follow_redirects=False), False)
        assert got == expected, (method, path)
