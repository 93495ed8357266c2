"""`url_for` with values that are not path parameters, in a ported view (port/urls.py): `werkzeug_query`,
written into the module, adds them as Werkzeug did (None dropped, a list one item per value, Werkzeug's
quoting); compared beside Flask on the URLs built."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, side_by_side, write_ported

from migrate_audit.port import port

APP = '''
from flask import Flask, request, url_for

app = Flask(__name__)


@app.get("/books/<int:book_id>")
def book(book_id):
    return {"id": book_id}


@app.get("/links")
def links():
    q = request.args.get("q")
    return {
        "next": url_for("links", page=2, _external=True),
        "search": url_for("links", q=q, tag=["a b", "c/d", None], x="!$'()*,/:;?@&=+é"),
        "book": url_for("book", book_id=7, ref=q),
        "plain": url_for("book", book_id=8),
    }
'''


def test_query_values_are_added_as_werkzeug_added_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    text = result.after["app.py"]
    assert 'werkzeug_query(request.url_for("links"), page=2)' in text
    assert 'request.app.url_path_for("book", book_id=8)' in text  # no query: as before
    flask_client = load_app(folder, "urls_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "urls_fastapi_side").app, base_url="http://localhost")
    for query in ("", "?q=dune", "?q=a%20b%26c"):
        assert fastapi_client.get("/links" + query).json() == flask_client.get("/links" + query).get_json(), query


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_a_missing_path_parameter_is_left(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, APP.replace('url_for("book", book_id=8)', 'url_for("book", ref=1)'))
    assert ("app.py", "FMA111") in result.todos


MISSING = '''
from flask import Flask, url_for
from werkzeug.routing import BuildError

app = Flask(__name__)


@app.get("/books/<int:book_id>")
def book(book_id):
    return {"id": book_id}


@app.get("/links")
def links():
    try:
        retired = url_for("retired_page", page=2)
    except BuildError:
        retired = None
    try:
        wrong = url_for("book")  # a path parameter missing: BuildError too
    except BuildError:
        wrong = None
    return {"book": url_for("book", book_id=3), "retired": retired, "wrong": wrong}
'''


def test_an_endpoint_no_route_has_raises_what_except_catches(tmp_path: Path) -> None:
    """Werkzeug's BuildError for an endpoint no route has (the file is the project's only Flask module) is
    Starlette's NoMatchFound, and `except BuildError:` around it becomes `except NoMatchFound:`."""
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, MISSING.replace('        wrong = url_for("book")  # a path parameter missing: BuildError too\n',
                                                              "        wrong = 1\n"))
    text = result.after["app.py"]
    assert result.todos == [] and text.count("except NoMatchFound:") == 2 and "BuildError" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "missing")
    assert fastapi_client.get("/links").json() == flask_client.get("/links").get_json()


def test_a_build_error_the_port_cannot_follow_keeps_its_todo(tmp_path: Path) -> None:
    """`url_for("book")` without its path parameter is left (Starlette's url_path_for would build it with
    nothing), so the `except BuildError:` around it is left too; and with a second Flask module, an unknown
    endpoint may be a route there."""
    _, result = ported_project(tmp_path, MISSING)
    assert ("app.py", "FMA118") in result.todos and ("app.py", "FMA111") in result.todos
    folder = tmp_path / "project"
    (folder / "other.py").write_text("from flask import Blueprint\n\nbp = Blueprint('retired', __name__)\n",
                                     encoding="utf-8")
    again = port(str(folder))
    assert ("app.py", "FMA111") in again.todos and "retired_page" in again.after.get("app.py", "")


SEGMENTS = '''
from flask import Flask, request, url_for

app = Flask(__name__)


@app.get("/books/<slug>")
def book(slug):
    return {"slug": slug, "self": url_for("book", slug=slug), "other": url_for("book", slug=request.args.get("to", "x")),
            "abs": url_for("book", slug=slug, _external=True)}
'''


def test_a_segment_url_for_builds_is_quoted_as_werkzeug_quoted_it(tmp_path: Path) -> None:
    """Starlette's `str` convertor builds `a b` unquoted (and refuses `/`); the route url_for builds takes
    Werkzeug's quoting, matching the same segments."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder, result = ported_project(tmp_path, SEGMENTS)
    assert result.todos == [] and '"/books/{slug:werkzeug_string}"' in result.after["app.py"]
    flask_client = load_app(folder, "segments_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "segments_fastapi_side").app,
                                base_url="http://localhost")
    for url in ("/books/dune", "/books/a%20b?to=c%3Fd", "/books/caf%C3%A9?to=%C3%BC%2B1", "/books/x?to=a%2Fb",
                "/books/!$&'()*+,;=:@"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), url
