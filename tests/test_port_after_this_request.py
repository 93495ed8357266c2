"""`@after_this_request` in a ported view (port/responses.py): a callback that only sets cookies and headers is
called at once on a `response: Response` parameter, whose cookies and headers FastAPI adds to the response it
builds; compared beside Flask, Set-Cookie headers byte for byte. Callbacks Flask ran with values the view
changed later, on a Response the view built, or on an error page, are left."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side, tried

from migrate_audit.port import port

APP = '''
from flask import Flask, after_this_request, request

app = Flask(__name__)


@app.get("/books")
def list_books():
    lang = request.args.get("lang")
    if lang:
        @after_this_request
        def remember(response):
            response.set_cookie("lang", lang, max_age=3600, samesite="Strict")
            response.headers["X-Lang"] = "chosen"
            return response

        @after_this_request
        def second(resp):
            resp.set_cookie("seen", "yes")
            return resp
    return {"lang": lang or request.cookies.get("lang", "en")}
'''


def test_callbacks_setting_cookies_and_headers_answer_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1
    text = result.after["app.py"]
    assert "@after_this_request" not in text and "        remember(response)\n" in text and "second(response)" in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "after")
    for url in ("/books", "/books?lang=fr", '/books?lang=de%20"x"%3B', "/books?lang=caf%C3%A9"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.json(), got.headers.get("x-lang")) == \
            (expected.status_code, expected.get_json(), expected.headers.get("X-Lang")), url
        cookies = [c.split(" Expires=")[0] + c.split(";", 2)[-1] for c in expected.headers.getlist("Set-Cookie")]
        assert [c.split(" Expires=")[0] + c.split(";", 2)[-1] for c in got.headers.get_list("set-cookie")] == cookies


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("change, why", [
    ("    lang = lang.upper()\n    return {}", "binds lang after the callback"),
    ('    return make_response({"lang": lang})', "returns a Response"),
    ("    abort(404)\n    return {}", "aborts"),
    ('    raise ValueError("x")', "raises"),
])
def test_callbacks_flask_ran_otherwise_are_left(tmp_path: Path, change: str, why: str) -> None:
    source = APP.replace("from flask import Flask,", "from flask import Flask, abort, make_response,")
    source = source.replace('    return {"lang": lang or request.cookies.get("lang", "en")}', change)
    _, result = ported_project(tmp_path, source)
    assert ("app.py", "FMA412") in result.todos
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    assert any(why in site.reason for site in sites), [site.reason for site in sites]


def test_a_callback_doing_more_is_left(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, APP.replace('response.headers["X-Lang"] = "chosen"', "print(response.status)"))
    assert ("app.py", "FMA412") in result.todos
