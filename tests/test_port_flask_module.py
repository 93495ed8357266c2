"""`migrate-audit port` on a module in the `import flask` style (port/flask_module.py): it is read as the same module
in the `from flask import X` style, so every rewrite that works on imported names works on `flask.X` too. Proved
three ways: the port of an app in each style (and `import flask as fl`) is the same text; the port of the module
style answers each request as real Flask does; and what the normalising step must not touch, it leaves."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from _port_support import bridged_sides, ported

from migrate_audit.port import port, session
from migrate_audit.port.flask_module import normalise

pytest.importorskip("fastapi")
pytest.importorskip("flask")

# One view per idiom the port rewrites on imported names: query string, form, headers, jsonify (with a status),
# redirect + url_for, make_response, Response, the app's config, g in a hook, the session.
MODULE_STYLE = '''\
import flask

app = flask.Flask(__name__)
app.secret_key = "test-only-secret"
app.config["GREETING"] = "hello"


@app.before_request
def load_user():
    flask.g.user = flask.session.get("user")


@app.get("/args")
def args():
    return flask.jsonify(name=flask.request.args.get("name", "nobody"), page=flask.request.args.get("page", 1, type=int))


@app.post("/form")
def form():
    return {"email": flask.request.form["email"].strip().lower()}


@app.post("/items")
def items():
    return flask.jsonify(items=flask.request.args.getlist("item")), 201


@app.get("/agent")
def agent():
    return {"agent": flask.request.headers.get("User-Agent", "")}


@app.get("/away")
def away():
    return flask.redirect(flask.url_for("args", name="x"))


@app.get("/made")
def made():
    response = flask.make_response("made", 202)
    response.headers["X-Made"] = "yes"
    return response


@app.get("/plain")
def plain():
    return flask.Response("plain text", mimetype="text/plain")


@app.get("/greeting")
def greeting():
    return {"greeting": flask.current_app.config["GREETING"]}


@app.post("/login")
def login():
    flask.session["user"] = flask.request.form["user"]
    return {"user": flask.session["user"]}


@app.get("/me")
def me():
    return {"user": flask.g.user, "seen": flask.session.get("user")}
'''


def _names_style(source: str) -> str:
    """The same module written with `from flask import X`: what a person in the other style would have written."""
    used = sorted({word.split(".")[1] for word in re.findall(r"\bflask\.\w+", source)})
    return source.replace("import flask\n", f"from flask import {', '.join(used)}\n", 1).replace("flask.", "")


def test_module_style_ports_as_the_name_style(tmp_path: Path) -> None:
    for side in ("names", "module", "aliased"):
        (tmp_path / side).mkdir()
    names = ported(tmp_path / "names", _names_style(MODULE_STYLE))
    module = ported(tmp_path / "module", MODULE_STYLE)
    aliased = ported(tmp_path / "aliased", MODULE_STYLE.replace("import flask\n", "import flask as fl\n")
                     .replace("flask.", "fl."))
    assert "TODO" not in names and "flask" not in names.replace("flask_", "")  # every idiom converted
    assert module == names
    assert aliased == names


def test_module_style_answers_as_flask(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    sides = bridged_sides(tmp_path, monkeypatch, MODULE_STYLE, "flask_module", (session.MODULE,))
    flask_app, ported_app, result = next(sides)
    assert result.routes_ported == result.routes == 10
    assert "flask." not in result.after["app.py"]
    flask_client, fastapi_client = flask_app.test_client(), TestClient(ported_app, follow_redirects=False)
    requests = [("get", "/args?name=ann&page=3", {}), ("get", "/args?page=x", {}),
                ("post", "/form", {"data": {"email": " Ann@Example.ORG "}}),
                ("post", "/items?item=a&item=b", {}), ("get", "/agent", {"headers": {"User-Agent": "probe"}}),
                ("get", "/away", {}), ("get", "/made", {}), ("get", "/plain", {}), ("get", "/greeting", {})]
    for method, url, options in requests:
        flask_answer = getattr(flask_client, method)(url, **options)
        fastapi_answer = getattr(fastapi_client, method)(url, **options)
        assert fastapi_answer.status_code == flask_answer.status_code, url
        if flask_answer.is_json:  # (jsonify ends its body with a newline, JSONResponse does not: the same JSON)
            assert fastapi_answer.json() == flask_answer.get_json(), url
        else:
            assert fastapi_answer.content == flask_answer.data, url
        for header in ("content-type", "location", "x-made"):
            assert fastapi_answer.headers.get(header) == flask_answer.headers.get(header), (url, header)
    # the session, and g set from it by the hook: each side's cookie read back by the same side
    for client, data in ((flask_client, "data"), (fastapi_client, "data")):
        assert client.post("/login", **{data: {"user": "ann"}}).status_code == 200
    assert fastapi_client.get("/me").json() == flask_client.get("/me").get_json() == {"user": "ann", "seen": "ann"}
    next(sides, None)  # forgets the bridge module


def test_port_of_the_port_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(MODULE_STYLE, encoding="utf-8")
    again = tmp_path / "again"
    again.mkdir()
    for relpath, text in port(str(folder)).after.items():  # app.py and the session bridge it imports
        (again / relpath).write_text(text, encoding="utf-8")
    assert port(str(again)).after == {}


def test_names_bound_elsewhere_stay_attributes() -> None:
    """A name the module binds otherwise (a parameter, an assignment, an import of another module) keeps its
    `flask.` (the bare name would read that binding there), and so does what is not one of Flask's names; the
    import then stays beside the new one."""
    source = textwrap.dedent('''\
        import flask
        import json


        def view(session):
            flask.g.user = session
            return flask.session.get("user"), flask.json.dumps({}), flask.views, flask.request.args
        ''')
    normal = normalise(source)
    assert normal is not None
    assert normal.text == textwrap.dedent('''\
        import flask
        from flask import g, request
        import json


        def view(session):
            g.user = session
            return flask.session.get("user"), flask.json.dumps({}), flask.views, request.args
        ''')
    # a finding's place, moved with its text: `flask.request.args` (line 7) is `request.args` one line lower
    line = source.splitlines()[6]
    assert normal.position(7, line.index("flask.request") + 1) == (8, normal.text.splitlines()[7].index("request.args") + 1)


def test_what_is_not_the_module_style_is_left() -> None:
    assert normalise("from flask import request\nx = request.args\n") is None
    assert normalise("import flask, os\nx = flask.request\n") is None  # one statement, two modules: left as it is
    assert normalise("def f():\n    import flask\n    return flask.request\n") is None  # not at the top
    assert normalise("import flask\nflask.request = None\n") is None  # a write to the module
    normalise("import flask\nx = flask.request.args(\n")  # bad input: read as it parses, no crash
    assert normalise("import flask\nfrom helpers import *\nx = flask.request\n") is None  # may rebind request
    kept = normalise("import flask\n\n\ndef f() -> 'flask.Response':\n    return flask.Response()\n")
    assert kept is not None and kept.text.startswith("import flask\nfrom flask import Response\n")  # the string's
    alone = normalise("import flask\n\nx = flask.request.args\n")
    assert alone is not None and alone.text == "from flask import request\n\nx = request.args\n"
