"""Two rewrites that answer as Flask where a typed FastAPI parameter or HTTPException would not, compared beside
real Flask (port/requests.py, port/responses.py):

- `request.args.get(key, default, type=T)` / `.getlist(key, type=T)` (and the form's): the strings sent, converted
  in the view as Werkzeug's MultiDict converted them (`werkzeug_get` / `werkzeug_getlist`): the default, or the
  value left out, where the conversion raises ValueError or TypeError, where FastAPI's typed parameter answered 422;
- `abort(code[, description])` in a view no error handler of the project answers: `return flask_abort(...)`,
  Werkzeug's own response for the exception (its HTML page, text/html; charset=utf-8, status and headers)."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

ARGS = '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/books")
def books():
    page = request.args.get("page", 1, type=int)
    ratio = request.args.get("ratio", type=float)
    ids = request.args.getlist("id", type=int)
    return {"page": page, "ratio": ratio, "ids": ids, "size": request.args.get("size", 10, type=int)}


@app.post("/rate")
def rate():
    return {"stars": request.form.get("stars", 0, type=int), "all": request.form.getlist("stars", type=int)}
'''

ARGS_REQUESTS = ["/books", "/books?page=2", "/books?page=x", "/books?page=", "/books?page=%20", "/books?page=3&page=x",
                 "/books?page=x&page=3", "/books?page=1_000", "/books?page=-4", "/books?page=2.5",
                 "/books?ratio=0.5", "/books?ratio=1e3", "/books?ratio=%201.5", "/books?ratio=abc", "/books?ratio=",
                 "/books?id=1&id=x&id=3&id=", "/books?id=", "/books?size=5&page=%E2%91%A0", "/books?page=%D9%A3"]
RATE_BODIES = [b"", b"stars=4", b"stars=x", b"stars=", b"stars=2&stars=y&stars=5", b"stars=y&stars=5"]


def test_type_conversions_answer_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, ARGS)
    assert result.todos == [] and result.routes_ported == 2
    text = result.after["app.py"]
    assert 'page_args: Annotated[list[str], Query(alias="page")] = []' in text
    assert "page = werkzeug_get(page_args, 1, int)" in text and "ratio = werkzeug_get(ratio_args, None, float)" in text
    assert "ids = werkzeug_getlist(id_args, int)" in text
    assert 'stars_form: Annotated[list[str], Form(alias="stars")] = []' in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "faithful_args")
    for url in ARGS_REQUESTS:
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.json()) == \
            (expected.status_code, expected.headers["content-type"], expected.get_json()), url
    form = {"content-type": "application/x-www-form-urlencoded"}
    for body in RATE_BODIES:
        expected, got = flask_client.post("/rate", data=body, headers=form), fastapi_client.post("/rate", content=body,
                                                                                                  headers=form)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), body


def test_a_read_without_type_stays_a_plain_parameter(tmp_path: Path) -> None:
    """No conversion can fail: the typed parameter FastAPI fills as Flask did, no helper."""
    _, result = ported_project(tmp_path, '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/s")
def search():
    return {"q": request.args.get("q", ""), "s": request.args.get("s", type=str)}
''')
    text = result.after["app.py"]
    assert 'def search(q: str = "", s: str | None = None):' in text and "werkzeug_get" not in text


def test_a_type_that_is_not_a_name_is_left(tmp_path: Path) -> None:
    """`type=lambda v: ...` (an expression, not a name) is left to a person with its TODO."""
    _, result = ported_project(tmp_path, '''
from flask import Flask, request

app = Flask(__name__)


@app.get("/s")
def search():
    return {"n": request.args.get("n", 0, type=lambda v: int(v, 16))}
''')
    assert result.todos == [("app.py", "FMA201")] and "werkzeug_get" not in result.after["app.py"]


def test_porting_conversions_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, ARGS)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


ABORTS = '''
from flask import Flask, abort

app = Flask(__name__)


@app.get("/e/<int:code>")
def error(code):
    if code == 400:
        abort(400)
    elif code == 401:
        abort(401)
    elif code == 403:
        abort(403)
    elif code == 404:
        abort(404)
    elif code == 405:
        abort(405)
    elif code == 410:
        abort(410)
    return {"code": code}


@app.get("/d/<int:code>")
def described(code):
    for _ in range(1):
        if code == 400:
            abort(400, "No <b>book</b> & no\\nshelf")
        elif code == 401:
            abort(401, description="Sign in")
        elif code == 403:
            abort(403, f"Not yours: {code}")
        elif code == 405:
            abort(405, "Read only")
        elif code == 410:
            abort(410, "Gone for good")
    abort(404, description="Book not found")
'''


def _same_error(flask_client, fastapi_client, method: str, url: str) -> None:  # type: ignore[no-untyped-def]
    expected, got = flask_client.open(url, method=method), fastapi_client.request(method, url)
    assert (got.status_code, got.headers["content-type"], got.headers.get("content-length"), got.text) == \
        (expected.status_code, expected.headers["content-type"], expected.headers.get("content-length"),
         expected.get_data(as_text=True)), (method, url)
    assert sorted(k for k in got.headers if k not in ("date", "server")) == \
        sorted(k.lower() for k, _ in expected.headers.items()), (method, url)


def test_aborts_answer_werkzeugs_page(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, ABORTS)
    text = result.after["app.py"]
    assert "return flask_abort(404)\n" in text and 'return flask_abort(404, "Book not found")' in text
    assert "HTTPException" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "faithful_aborts")
    for code in (400, 401, 403, 404, 405, 410):
        for prefix in ("/e/", "/d/"):
            _same_error(flask_client, fastapi_client, "GET", f"{prefix}{code}")
    expected, got = flask_client.get("/e/200"), fastapi_client.get("/e/200")
    assert (got.status_code, got.json()) == (expected.status_code, expected.get_json())
    _same_error(flask_client, fastapi_client, "GET", "/d/200")
    _same_error(flask_client, fastapi_client, "HEAD", "/e/404")


def test_an_abort_a_literal_status_gives_alone_is_ported(tmp_path: Path) -> None:
    """abort(code) with a status that is not a literal stays for a person (abort() also takes a Response)."""
    _, result = ported_project(tmp_path, ABORTS + '''

@app.get("/v/<int:code>")
def variable(code):
    abort(code)
''')
    assert result.todos == [("app.py", "FMA224")] and result.routes_ported == 2


HANDLED = '''
from flask import Flask, abort

app = Flask(__name__)


@app.errorhandler(404)
def not_found(error):
    return {"error": "not found"}, 404


@app.get("/a/<int:code>")
def view(code):
    if code == 404:
        abort(404)
    if code == 403:
        abort(403, "no")
    try:
        if code == 410:
            abort(410)
    except Exception:
        return {"caught": True}
    return {"code": code}
'''


def test_an_abort_an_error_handler_takes_is_not_flask_abort(tmp_path: Path) -> None:
    """abort(404) beside `errorhandler(404)`: Flask gave the handler's answer, which flask_abort would not: it
    stays a raise (the handler's conversion answers it, port/hooks.py). abort(403) no handler takes: Werkzeug's
    page. abort(410) in a `try` whose `except Exception` caught it in Flask: a raise still (with its TODO), which
    the except sees."""
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, HANDLED)
    text = result.after["app.py"]
    assert "raise HTTPException(status_code=404)" in text and 'return flask_abort(403, "no")' in text
    assert "raise HTTPException(status_code=410)" in text and "flask_abort(410" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "faithful_handled")
    _same_error(flask_client, fastapi_client, "GET", "/a/403")
    for url in ("/a/404", "/a/410", "/a/200"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), url


@pytest.mark.parametrize("key", ["HTTPException", "werkzeug.exceptions.Forbidden", "Exception", "code", "errors.FORBIDDEN",
                                 "status_of(Forbidden)"])
def test_a_handler_elsewhere_in_the_project_keeps_the_raise(tmp_path: Path, key: str) -> None:
    """A handler registered in another module of the project (the app factory's) takes the abort in Flask."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "errors.py").write_text(
        "from flask import Flask\n\n\ndef init(app: Flask) -> None:\n"
        f"    app.register_error_handler({key}, lambda e: ('no', 403))\n", encoding="utf-8")
    (folder / "app.py").write_text("from flask import Flask, abort\n\napp = Flask(__name__)\n\n\n"
                                   "@app.get('/')\ndef home():\n    abort(403)\n", encoding="utf-8")
    result = port(str(folder))
    assert "raise HTTPException(status_code=403)" in result.after["app.py"]
    assert "flask_abort" not in result.after["app.py"]


@pytest.mark.parametrize("key", ["ValidationError", "404", "NotFound"])
def test_a_handler_for_something_else_lets_the_abort_be_werkzeugs(tmp_path: Path, key: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "errors.py").write_text(
        "from flask import Flask\n\n\ndef init(app: Flask) -> None:\n"
        f"    app.register_error_handler({key}, lambda e: ('no', 400))\n", encoding="utf-8")
    (folder / "app.py").write_text("from flask import Flask, abort\n\napp = Flask(__name__)\n\n\n"
                                   "@app.get('/')\ndef home():\n    abort(403)\n", encoding="utf-8")
    result = port(str(folder))
    assert "return flask_abort(403)" in result.after["app.py"]


def test_porting_aborts_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, ABORTS)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


RAISED = '''
from flask import Flask
from werkzeug.exceptions import Conflict, Gone, NotFound

app = Flask(__name__)

BOOKS = {1: "Dune"}


def find_book(book_id: int) -> str:
    try:
        return BOOKS[book_id]
    except KeyError:
        raise NotFound(f"no book {book_id}") from None


@app.get("/books/<int:book_id>")
def get_book(book_id):
    return {"title": find_book(book_id)}


@app.put("/books/<int:book_id>")
def replace_book(book_id):
    find_book(book_id)
    raise Conflict("book is <checked> out")


@app.delete("/books/<int:book_id>")
def delete_book(book_id):
    if book_id == 1:
        raise Gone
    raise Gone(description="long gone")
'''


def test_werkzeug_exceptions_raised_in_a_view_answer_werkzeugs_page(tmp_path: Path) -> None:
    """`raise Conflict(...)` in a view: Werkzeug's response returned (flask_abort), as Flask sent it; raised in a
    helper (which cannot return the view's answer): FastAPI's HTTPException still, with its TODO."""
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, RAISED)
    text = result.after["app.py"]
    assert 'return flask_abort(409, "book is <checked> out")' in text and "return flask_abort(410)\n" in text
    assert 'return flask_abort(410, "long gone")' in text
    assert 'raise HTTPException(status_code=404, detail=f"no book {book_id}") from None' in text
    assert result.todos == [] and text.count("TODO(migrate-audit FMA229)") == 1  # the helper's note alone
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "faithful_raised")
    for method, url in (("PUT", "/books/1"), ("DELETE", "/books/1"), ("DELETE", "/books/2")):
        _same_error(flask_client, fastapi_client, method, url)
    expected, got = flask_client.put("/books/3"), fastapi_client.put("/books/3")
    assert got.status_code == expected.status_code == 404  # the helper's: JSON in FastAPI, said in the TODO
