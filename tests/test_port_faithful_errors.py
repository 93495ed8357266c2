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
