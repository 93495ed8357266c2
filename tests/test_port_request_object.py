"""`migrate-audit port`: reads of Flask's request that Starlette's Request answers the same (headers, cookies,
the URL and the client), and the views where they must be left."""
from __future__ import annotations

from pathlib import Path

import pytest

from _port_support import ported as _ported
from _tools import load_module




def test_url_header_and_cookie_reads_take_the_request_parameter(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/where")
        def where():
            key = request.headers.get("X-Api-Key")
            return {"next": f"{request.base_url}?page=2", "full": request.full_path, "theme":
                    request.cookies.get("theme", "light"), "ip": request.remote_addr, "key": "X-Key" in request.headers}
        ''')
    assert "def where(request: Request):" in text
    assert 'key = request.headers.get("X-Api-Key")' in text  # the same call on Starlette's headers
    assert "f\"{str(request.url.replace(query=''))}?page=2\"" in text  # the other quote inside the f-string
    assert '"full": request.url.path + "?" + request.url.query' in text
    assert '"ip": request.client.host if request.client else None' in text
    assert "from flask import" not in text and "from fastapi import FastAPI, Request" in text
    assert "TODO" not in text
    compile(text, "app.py", "exec")


def test_a_view_that_reads_the_request_otherwise_keeps_every_read(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/a")
        def a():
            return {"path": request.path, "key": request.headers.getlist("X-Key")}


        @app.get("/b")
        def b():
            return {"path": request.path, "endpoint": request.endpoint}
        ''')
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert sum('"path": request.path,' in line for line in code) == 2
    assert not any("request.url.path" in line for line in code)
    assert "only request.headers.get(name[, default]) and [name] reads are ported" in \
        " ".join(text.replace("#   ", " ").split())
    assert "Request" not in "\n".join(code) and "from flask import request" in text


def test_header_backed_attributes_answer_as_werkzeugs(tmp_path: Path) -> None:

    import pytest

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    source = '''\
from flask import Flask, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    return {"type": request.content_type, "mimetype": request.mimetype, "back": request.referrer or "/",
            "origin": request.origin, "query": request.query_string.decode(), "root": request.host_url}
'''
    text = _ported(tmp_path, source)
    assert "TODO" not in text
    answers = []
    for side, code in (("attrs_flask", source), ("attrs_fastapi", text)):
        (tmp_path / f"{side}.py").write_text(code, encoding="utf-8")
        module = load_module(tmp_path / f"{side}.py", side)
        client = module.app.test_client() if side == "attrs_flask" else TestClient(module.app, base_url="http://localhost")
        for headers in ({"Content-Type": "Text/Plain; charset=utf-8", "Referer": "http://x/a", "Origin": "http://x"}, {}):
            response = client.post("/echo?a=1&b=%20", headers=headers, content=b"x") if side == "attrs_fastapi" else \
                client.post("/echo?a=1&b=%20", headers=headers, data=b"x")
            answers.append((side, response.get_json() if side == "attrs_flask" else response.json()))
    flask_answers = [a for side, a in answers if side == "attrs_flask"]
    fastapi_answers = [a for side, a in answers if side == "attrs_fastapi"]
    assert flask_answers == fastapi_answers


def test_a_view_branching_on_the_method_still_takes_the_request(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/where", methods=["GET", "POST"])
        def where():
            if request.method == "POST":
                return {"posted": request.path}
            return {"path": request.path}
        ''')
    assert "def where(request: Request):" in text and 'if request.method == "POST":' in text
    compile(text, "app.py", "exec")


def test_a_module_that_binds_request_names_otherwise_is_left_not_crashed(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, Request, g, request
        from werkzeug.exceptions import HTTPException, NotFound

        app = Flask(__name__)


        def is_request(value):
            return isinstance(value, (Request, HTTPException))


        @app.before_request
        def load():
            g.who = request.headers.get("X-Who")


        @app.get("/where")
        def where():
            if g.who is None:
                raise NotFound()
            return {"path": request.path, "who": g.who}
        ''')
    assert 'return {"path": request.path, "who": g.who}' in text and "raise NotFound()" in text


ITEMS = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/who")
def who():
    return {"token": request.headers["X-Token"], "theme": request.cookies["theme"],
            "agent": request.headers.get("User-Agent", "")[:0]}
'''


def test_a_header_or_cookie_read_by_key_answers_as_werkzeug_when_missing(tmp_path: Path) -> None:
    """A missing header is a KeyError in both (a 500); a missing cookie a 400 in Flask, kept by werkzeug_item."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from _port_support import load_app, ported_project, write_ported

    folder, result = ported_project(tmp_path, ITEMS)
    text = result.after["app.py"]
    assert result.todos == [] and 'werkzeug_item(request.cookies, "theme")' in text and 'request.headers["X-Token"]' in text
    flask_app = load_app(folder, "items_flask_side").app
    flask_app.testing = False  # an unhandled error answers 500, as it would in production
    flask_client = flask_app.test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "items_fastapi_side").app,
                                raise_server_exceptions=False)
    for headers, cookie in (({"X-Token": "t"}, "dark"), ({"x-token": "t"}, None), ({}, "dark"), ({}, None)):
        if cookie:
            flask_client.set_cookie("theme", cookie)
            fastapi_client.cookies.set("theme", cookie)
        else:
            flask_client.delete_cookie("theme")
            fastapi_client.cookies.clear()
        expected, got = flask_client.get("/who", headers=headers), fastapi_client.get("/who", headers=headers)
        assert got.status_code == expected.status_code, (headers, cookie)
        if expected.status_code == 200:
            assert got.json() == expected.get_json(), (headers, cookie)
