"""`request.values` in a ported view (port/requests.py): the query string first, then the form (not for
GET), first values first, as Werkzeug's CombinedMultiDict answers; compared on the same requests."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import load_app as _load, ported_project, side_by_side, write_ported
from migrate_audit.port import port

APP = '''
from flask import Flask, request

app = Flask(__name__)


@app.post("/unsubscribe")
def unsubscribe():
    return {"token": request.values.get("token"), "list": request.values.get("list", "news"),
            "tags": request.values.getlist("tag")}


@app.get("/search")
def search():
    return {"q": request.values.get("q", "all")}
'''

REQUESTS = [
    ("post", "/unsubscribe", {}, None),
    ("post", "/unsubscribe", {"token": ["q1", "q2"]}, {"token": "f1"}),  # repeated: the first; query first
    ("post", "/unsubscribe", {}, {"token": ["f1", "f2"], "tag": ["a", "b"]}),
    ("post", "/unsubscribe", {"tag": ["x"], "list": "offers"}, {"tag": ["y"], "list": "other"}),
    ("get", "/search", {"q": ["one", "two"]}, None),
    ("get", "/search", {}, None),
]


def test_request_values_answer_as_werkzeug(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    ported = write_ported(tmp_path, result)
    assert "search(q_args:" in result.after["app.py"] and "q_form" not in result.after["app.py"]  # GET: no form
    flask_client = _load(folder, "values_flask_side").app.test_client()
    fastapi_client = TestClient(_load(ported, "values_fastapi_side").app)
    for method, path, query, form in REQUESTS:
        expected = getattr(flask_client, method)(path, query_string=query, data=form).get_json()
        got = getattr(fastapi_client, method)(path, params=query, **({"data": form} if form else {})).json()
        assert got == expected, (path, query, form)


def test_values_beside_a_json_body_are_left(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent('''
        from flask import Flask, request

        app = Flask(__name__)


        @app.post("/x")
        def x():
            return {"t": request.values.get("t"), "body": request.get_json()}
        '''), encoding="utf-8")
    result = port(str(folder))
    assert result.todos  # one of the two keeps its TODO: FastAPI reads one body, as a form or as JSON
    assert not ("Form(" in result.after["app.py"] and "Body()" in result.after["app.py"])


def test_a_key_the_view_binds_itself_is_not_made_a_parameter(tmp_path: Path) -> None:
    """`ok = request.args.get("ok") == "1"`: a parameter `ok` would be overwritten by the view, and its other
    reads of the key would see the view's bool: the reads are left."""
    _, result = ported_project(tmp_path, '''
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/check")
        def check():
            ok = request.args.get("ok") == "1"
            return {"ok": ok, "raw": request.args.get("ok")}


        @app.get("/page")
        def page():
            page = request.args.get("page", 1, type=int)  # the statement the parameter replaces
            return {"page": page}
        ''')
    text = result.after["app.py"]
    assert result.todos == [("app.py", "FMA201"), ("app.py", "FMA201")] and "def check():" in text
    # type=int: the strings sent, converted in the view as Werkzeug did (the default for a bad value)
    assert 'def page(page_args: Annotated[list[str], Query(alias="page")] = []):' in text
    assert "page = werkzeug_get(page_args, 1, int)" in text


FORM_APP = '''
from flask import Flask, request

app = Flask(__name__)


@app.route("/signup", methods=["GET", "POST"])
def signup():
    if request.method == "GET":
        return {"form": True, "q": request.args["q"]}
    return {"name": request.form["name"], "nick": request.form.get("nick"), "city": request.form.get("city", "Oslo"),
            "tags": request.form.getlist("tag"), "page": request.form.get("page", 1, type=int)}
'''

FORMS = [
    ("GET", "?q=a&q=b", None), ("GET", "", None), ("GET", "?q=", None),
    ("POST", "", {"name": "Ada", "nick": "", "city": "", "tag": ["", "x"], "page": ""}),  # empty inputs
    ("POST", "", {"name": ["Ada", "Bob"], "nick": ["a", "b"]}),  # repeated: the first
    ("POST", "", {"nick": "a"}),  # no name: 400
    ("POST", "", {"name": ""}),
]


def test_form_and_required_reads_answer_as_werkzeug(tmp_path: Path) -> None:
    """Empty form fields (what a browser sends for an empty input) are "" in Werkzeug, missing in FastAPI's
    scalar Form(); repeated keys are Werkzeug's first; a missing `[key]` answers 400 in both."""
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, FORM_APP)
    assert result.todos == [] and result.routes_ported == 1
    text = result.after["app.py"]
    assert 'werkzeug_first(name_form, "name")' in text and '(city_form or ["Oslo"])[0]' in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "forms")
    for method, query, form in FORMS:
        expected = flask_client.open("/signup" + query, method=method, data=form)
        got = fastapi_client.request(method, "/signup" + query, data=form)
        assert got.status_code == expected.status_code, (method, query, form)
        if expected.status_code == 200:
            assert got.json() == expected.get_json(), (method, query, form)
