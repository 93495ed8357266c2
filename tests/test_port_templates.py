"""Templates' `url_for` in a ported app: Flask's, given to Jinja2Templates by a context processor, so the
rendered links are the ones Flask rendered (port/templates.py); calls that need Flask's request context
keep the view in Flask's hands (a TODO)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import load_app as _load
from migrate_audit.port import port

APP = '''
from flask import Blueprint, Flask, render_template

books = Blueprint("books", __name__)


@books.get("/books/<int:book_id>")
def show(book_id):
    return f"book {book_id}"


@books.get("/shelves/<name>/<int:level>")
def shelf(name, level):
    return name


app = Flask(__name__)
app.register_blueprint(books)


@app.get("/")
def index():
    return render_template("index.html", who="Émile Zola & co")
'''

# values Werkzeug quotes or encodes in its own way: spaces, non-ASCII, reserved characters, lists, None
INDEX = """<link href="{{ url_for('static', filename='css/site v2.css') }}">
<a href="{{ url_for('books.show', book_id=7) }}">7</a>
<a href="{{ url_for('books.show', book_id=7, page=2, tag=['a b', 'c/d'], empty=None, q=who) }}">q</a>
<a href="{{ url_for('books.shelf', name=who, level=3, sort='t!* ~') }}">shelf</a>
<a href="{{ url_for('index', next='/a?b=c&d') }}">home</a>
"""


def _project(root: Path, index: str = INDEX) -> Path:
    folder = root / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "static" / "css").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    (folder / "templates" / "index.html").write_text(index, encoding="utf-8")
    (folder / "static" / "css" / "site v2.css").write_text("body {}", encoding="utf-8")
    return folder


def test_links_render_as_flask_renders_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = _project(tmp_path)
    flask_page = _load(folder, "flask_side_app").app.test_client().get("/").get_data(as_text=True)
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == result.routes == 3
    ported = tmp_path / "ported"
    ported.mkdir()
    for sub in ("templates", "static"):
        (ported / sub).symlink_to(folder / sub)
    (ported / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    fastapi_page = TestClient(_load(ported, "fastapi_side_app").app).get("/").text
    assert "?" in flask_page and "%20" in flask_page  # the values the comparison is about were encoded
    assert fastapi_page == flask_page
    # idempotent: the ported module has nothing left to port
    again = port(str(ported))
    assert "app.py" not in again.after


@pytest.mark.parametrize("call", ["url_for('books.show', book_id=7, _external=True)",
                                  "url_for(endpoint)", "url_for('books.show', **values)"])
def test_calls_that_need_flask_request_context_stay(tmp_path: Path, call: str) -> None:
    folder = _project(tmp_path, "<a href=\"{{ " + call + " }}\">x</a>\n")
    result = port(str(folder))
    assert ("app.py", "FMA222") in result.todos
    assert "render_template(" in result.after["app.py"]


def test_a_template_with_other_findings_stays(tmp_path: Path) -> None:
    folder = _project(tmp_path, "{{ url_for('index') }} {{ request.host_url }}\n")
    result = port(str(folder))
    assert ("app.py", "FMA222") in result.todos


TEXT_APP = '''
from flask import Flask, render_template

app = Flask(__name__)


@app.get("/q/<author>")
def query(author):
    sql = render_template("by_author.sql", author=author)
    return {"sql": sql}
'''


def _text_project(root: Path, template: str, name: str = "by_author.sql") -> Path:
    folder = root / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(TEXT_APP).replace("by_author.sql", name), encoding="utf-8")
    (folder / "templates" / name).write_text(template, encoding="utf-8")
    return folder


def test_a_template_rendered_to_text_renders_as_in_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = _text_project(tmp_path, "SELECT * FROM books WHERE author = '{{ author }}' -- & <b>\n")
    flask_json = _load(folder, "text_flask_side").app.test_client().get("/q/O'Brien & <Co>").get_json()
    result = port(str(folder))
    assert result.todos == [] and "get_template(" in result.after["app.py"]
    ported = tmp_path / "ported"
    ported.mkdir()
    (ported / "templates").symlink_to(folder / "templates")
    (ported / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    fastapi_json = TestClient(_load(ported, "text_fastapi_side").app).get("/q/O'Brien & <Co>").json()
    assert "&amp;" not in flask_json["sql"] and fastapi_json == flask_json


@pytest.mark.parametrize(("template", "name"), [
    ("{{ request.method }} {{ author }}", "by_author.sql"),  # Flask's request: a text render has none
    ("{{ author|tojson }}", "by_author.sql"),  # Flask's tojson filter, not Jinja's
    ("<p>{{ author }}</p>", "page.svg"),  # Flask escapes .svg, Starlette does not
])
def test_a_text_render_that_would_differ_is_left(tmp_path: Path, template: str, name: str) -> None:
    result = port(str(_text_project(tmp_path, template, name)))
    assert "render_template(" in result.after.get("app.py", "") and result.todos


MADE_APP = '''
from flask import Flask, make_response, render_template

app = Flask(__name__)


@app.get("/")
def index():
    resp = make_response(render_template("page.html", name="<Ada>"))
    resp.set_cookie("seen", "1")
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers.add("X-Tag", "a")
    resp.headers.add("X-Tag", "b")
    return resp
'''


def test_a_made_page_answers_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(MADE_APP), encoding="utf-8")
    (folder / "templates" / "page.html").write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    flask_answer = _load(folder, "made_flask_side").app.test_client().get("/")
    result = port(str(folder))
    assert result.todos == [] and "make_response" not in result.after["app.py"]
    ported = tmp_path / "ported"
    ported.mkdir()
    (ported / "templates").symlink_to(folder / "templates")
    (ported / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    answer = TestClient(_load(ported, "made_fastapi_side").app).get("/")
    assert answer.text == flask_answer.get_data(as_text=True) == "<h1>&lt;Ada&gt;</h1>"
    for header in ("content-type", "set-cookie", "x-frame-options"):
        assert answer.headers[header] == flask_answer.headers[header], header
    assert answer.headers.get_list("x-tag") == flask_answer.headers.getlist("X-Tag") == ["a", "b"]
    assert "app.py" not in port(str(ported)).after


def test_a_made_page_used_otherwise_stays(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(MADE_APP).replace("    return resp", "    resp.data = b''\n    return resp"),
                                   encoding="utf-8")
    (folder / "templates" / "page.html").write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA221") in result.todos and "make_response(render_template(" in result.after["app.py"]


def test_a_page_that_extends_a_template_with_findings_stays(tmp_path: Path) -> None:
    folder = _project(tmp_path, '{% extends "base.html" %}{% block body %}hi{% endblock %}\n')
    (folder / "templates" / "base.html").write_text(
        "{% for m in get_flashed_messages() %}{{ m }}{% endfor %}{% block body %}{% endblock %}\n", encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA222") in result.todos and "render_template(" in result.after["app.py"]
    # the same page over a base without findings ports
    (folder / "templates" / "base.html").write_text("<main>{% block body %}{% endblock %}</main>\n", encoding="utf-8")
    assert ("app.py", "FMA222") not in port(str(folder)).todos
