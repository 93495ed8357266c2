"""`migrate-audit port`: Werkzeug Response objects built in views, rewritten as Starlette's where the body,
status, headers and content type come out the same, and left where they would not."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from _port_support import ported as _ported, side_by_side, tried
from _tools import load_module




def _flat(text: str) -> str:
    return " ".join(text.replace("#   ", " ").split())


def test_a_returned_response_takes_starlettes_names(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, Response

        app = Flask(__name__)


        @app.get("/page")
        def page():
            return Response("<p>hi</p>", 201, {"X-A": "1"})


        @app.get("/lines")
        def lines():
            rows = "\\n".join(["a", "b"])
            return Response(rows, mimetype="text/plain")
        ''')
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert 'return Response(\n        content="<p>hi</p>",\n        status_code=201,\n        headers={"X-A": "1"},\n' \
           '        media_type="text/html",\n    )' in text
    assert 'return Response(content=rows, media_type="text/plain")' in text
    assert "from fastapi import FastAPI, Response" in text and "flask" not in text and "TODO" not in text


@pytest.mark.parametrize("call, why", [
    ("Response(rows)", "not plainly a str or bytes"),
    ('Response("x", mimetype="application/xml")', "Werkzeug adds a charset to application/xml"),
    ('Response("x", content_type="text/plain")', "Starlette adds a charset to text/*"),
    ('Response("x", status="201 CREATED")', "not an integer literal"),
])
def test_a_response_that_would_answer_otherwise_is_left(tmp_path: Path, call: str, why: str) -> None:
    text = _ported(tmp_path, f'''\
        from flask import Flask, Response

        app = Flask(__name__)


        rows = ["a", "b"]


        @app.get("/x")
        def x():
            return {call}
        ''')
    assert f"return {call}" in text and why in _flat(text)
    assert "from flask import Response" in text


def test_flasks_response_used_elsewhere_keeps_its_name(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, Response

        app = Flask(__name__)


        def is_response(value):
            return isinstance(value, Response)


        @app.get("/x")
        def x():
            return Response("x")
        ''')
    assert 'return Response("x")' in text and "also used otherwise in this file, as Flask's" in _flat(text)


def test_werkzeug_exceptions_raised_become_fastapis_with_their_status(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask
        from werkzeug.exceptions import Conflict, Gone, NotFound

        app = Flask(__name__)


        def find(book_id):
            if book_id != 1:
                raise NotFound(description=f"no book {book_id}")
            return "Dune"


        @app.get("/books/<int:book_id>")
        def book(book_id):
            if book_id == 3:
                raise Gone
            return {"title": find(book_id)}


        @app.put("/books/<int:book_id>")
        def replace(book_id):
            try:
                find(book_id)
            except Conflict:
                return {}
            raise Conflict("checked out")
        ''')
    assert 'raise HTTPException(status_code=404, detail=f"no book {book_id}")' in text
    assert "return flask_abort(410)" in text  # in the view, outside try: Werkzeug's response (no handler takes it)
    assert 'raise Conflict("checked out")' in text  # `except Conflict:` would no longer catch it
    assert "from werkzeug.exceptions import Conflict" in text


MADE = '''\
from flask import Flask, jsonify, make_response

app = Flask(__name__)


@app.get("/")
def index():
    resp = make_response("<p>hi</p>")
    resp.set_cookie("seen", "1")
    resp.set_cookie("theme", "dark", httponly=True, max_age=60)
    resp.headers["X-Frame-Options"] = "DENY"
    return resp


@app.get("/books")
def books():
    response = make_response(jsonify(["Dune", "Emma"]), 201)
    response.headers.add("X-Tag", "classic")
    response.headers.add("X-Tag", "novel")
    return response


@app.get("/direct")
def direct():
    return make_response({"a": 1}, {"X-A": "1"})
'''


def test_make_response_with_headers_and_cookies_answers_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    import json
    from http.cookies import SimpleCookie

    from fastapi.testclient import TestClient

    text = _ported(tmp_path, MADE)
    assert "make_response" not in text and "TODO" not in text
    modules = {}
    for side, source in (("made_flask", MADE), ("made_fastapi", text)):
        (tmp_path / f"{side}.py").write_text(source, encoding="utf-8")
        modules[side] = load_module(tmp_path / f"{side}.py", side)
    flask_client, fastapi_client = modules["made_flask"].app.test_client(), TestClient(modules["made_fastapi"].app)
    for path in ("/", "/books", "/direct"):
        flask_answer, fastapi_answer = flask_client.get(path), fastapi_client.get(path)
        assert flask_answer.status_code == fastapi_answer.status_code
        assert flask_answer.headers["content-type"] == fastapi_answer.headers["content-type"]
        for header in ("X-Frame-Options", "X-A"):
            assert flask_answer.headers.get(header) == fastapi_answer.headers.get(header)
        assert flask_answer.headers.getlist("X-Tag") == fastapi_answer.headers.get_list("X-Tag")
        cookies = [(SimpleCookie(flask), SimpleCookie(fastapi)) for flask, fastapi in
                   zip(flask_answer.headers.getlist("Set-Cookie"), fastapi_answer.headers.get_list("Set-Cookie"))]
        assert len(cookies) == len(flask_answer.headers.getlist("Set-Cookie"))
        for flask_cookie, fastapi_cookie in cookies:  # the same cookie and attributes (their order may differ)
            assert {k: (m.value, {a: v for a, v in m.items() if v and a != "expires"}) for k, m in flask_cookie.items()} == \
                {k: (m.value, {a: v for a, v in m.items() if v and a != "expires"}) for k, m in fastapi_cookie.items()}
        body = flask_answer.get_data(as_text=True)
        if path == "/":
            assert body == fastapi_answer.text
        else:
            assert json.loads(body) == fastapi_answer.json()


def test_cookies_starlette_would_write_otherwise_get_werkzeugs_header(tmp_path: Path) -> None:
    """A cookie value Werkzeug and Starlette quote differently, or `expires`: the Set-Cookie header Werkzeug's
    set_cookie wrote, by its `dump_cookie`, byte for byte."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    source = MADE.replace('    resp.headers["X-Frame-Options"] = "DENY"', """\
    resp.set_cookie("next", "/books")
    resp.set_cookie("a", "b", expires=0)
    resp.set_cookie("who", request.args.get("who", 'Ada "the count"; ok'), 60, path="/x", httponly=True)""")
    source = source.replace("from flask import ", "from flask import request, ")
    text = _ported(tmp_path, source)
    assert "TODO" not in text and 'resp.headers.append("set-cookie", dump_cookie("next", value="/books"))' in text
    modules = {}
    for side, code in (("cookie_flask", source), ("cookie_fastapi", text)):
        (tmp_path / f"{side}.py").write_text(code, encoding="utf-8")
        modules[side] = load_module(tmp_path / f"{side}.py", side)
    flask_client, fastapi_client = modules["cookie_flask"].app.test_client(), TestClient(modules["cookie_fastapi"].app)
    def dumped(cookies: list[str]) -> list[str]:  # the ones dump_cookie wrote, without the clock's Expires of max_age
        return [re.sub(r" Expires=[^;]*;", "", c) if "Max-Age" in c else c for c in cookies
                if c.split("=")[0] in ("next", "a", "who")]

    for url in ("/", "/?who=Bob", "/?who=caf%C3%A9%20%2C%20x"):
        expected = dumped(flask_client.get(url).headers.getlist("Set-Cookie"))
        assert len(expected) == 3 and dumped(fastapi_client.get(url).headers.get_list("Set-Cookie")) == expected, url


@pytest.mark.parametrize("use, why", [
    ("resp.data = b'x'", "not set the same way"),  # (a literal mimetype is ported: test_port_changed_responses.py)
    ("resp.mimetype = kind", "not a literal media type"),
])
def test_a_made_response_used_otherwise_is_left(tmp_path: Path, use: str, why: str) -> None:
    source = MADE.replace('    resp.headers["X-Frame-Options"] = "DENY"', f"    {use}")
    _ported(tmp_path, source)
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    assert any(why in site.reason for site in sites), [site.reason for site in sites]


def test_a_status_chosen_between_literals_is_kept(tmp_path: Path) -> None:
    """`return body, 200 if ok else 403` (and in make_response): the status Flask took, as Starlette's."""
    pytest.importorskip("fastapi")

    from _port_support import ported_project

    folder, result = ported_project(tmp_path, '''
        from flask import Flask, make_response, request

        app = Flask(__name__)


        @app.get("/check")
        def check():
            allowed = request.args.get("ok") == "1"
            return {"ok": allowed}, 200 if allowed else (403 if request.args.get("ok") else 401)


        @app.get("/made")
        def made():
            return make_response("<p>hi</p>", 201 if request.args.get("new") else 200)
        ''')
    assert result.todos == [] and result.routes_ported == 2
    assert "status_code=200 if allowed else (403 if ok else 401)\n    )" in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "status")
    for url in ("/check?ok=1", "/check?ok=0", "/check", "/made", "/made?new=1"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.content) == \
            (expected.status_code, expected.headers["content-type"], expected.data) or \
            (got.status_code, got.json()) == (expected.status_code, expected.get_json()), url


def test_a_view_returning_a_module_string_constant_sends_html(tmp_path: Path) -> None:
    """`return FORM` where the module only ever assigns FORM a string: text/html, as Flask sent it; and the
    view's branch on `request.method` (FMA103) reads Starlette's, the same method."""
    pytest.importorskip("fastapi")

    from _port_support import ported_project

    source = '''
        from flask import Flask, request

        app = Flask(__name__)
        FORM = "<form method='post'></form>"
        OTHER = "<p>x</p>"


        @app.route("/page", methods=["GET", "POST"])
        def page():
            if request.method == "POST":
                return "<p>posted</p>"
            return FORM


        @app.get("/other")
        def other():
            if request.args.get("x"):
                return "<p>literal</p>"
            return OTHER  # a list after reset(): Flask's answer depends on it


        def reset():
            global OTHER
            OTHER = ["not", "a", "string"]
        '''
    folder, result = ported_project(tmp_path, source)
    text = result.after["app.py"]
    assert '@app.post("/page", response_class=HTMLResponse)' in text and "if request.method == \"POST\":" in text
    assert result.todos == [("app.py", "FMA802")] and '@app.api_route("/other", methods=["GET", "HEAD"])\n' in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "constant")
    for method in ("GET", "POST", "HEAD"):
        expected, got = flask_client.open("/page", method=method), fastapi_client.request(method, "/page")
        assert (got.status_code, got.headers["content-type"], got.text) == \
            (expected.status_code, expected.headers["content-type"], expected.get_data(as_text=True)), method
