"""`migrate-audit port` on two idioms of the sample app's auth views (examples/bookshelf/bookshelf/auth/views.py),
each proved against real Flask on the same requests:

- url_for in a module-level helper that only converted views call (`redirect(_safe_next(request.args.get("next")))`):
  the helper takes the request first and builds with flask_url (port/urls.py `_port_in_helper`);
- `return render_template(...), 401`: the page rendered as when returned alone, given the status by the tuple's
  rewrite (templates.returned_in_tuple).

The app is written in the `import flask` style, as the sample's views are (port/flask_module.py)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _port_support import side_by_side, tried

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''\
import flask

app = flask.Flask(__name__)


def _safe_next(target):
    # Only allow relative redirects so ?next= cannot send people off-site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return flask.url_for("index", tab="new")


@app.get("/")
def index():
    return {"page": "index"}


@app.get("/go")
def go():
    return flask.redirect(_safe_next(flask.request.args.get("next")))


@app.get("/again")
def again():
    return {"next": _safe_next(flask.request.args.get("next"))}


@app.get("/denied")
def denied():
    who = flask.request.args.get("who", "")
    if who == "admin":
        return flask.render_template("denied.html", who=who), 403, {"X-Why": "admin"}
    return flask.render_template("denied.html", who=who), 401
'''
PAGE = "<!doctype html>\n<title>Denied</title>\n<p>No entry for {{ who }}.</p>\n"


def _project(tmp_path: Path, source: str) -> tuple[Path, object]:
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (folder / "templates" / "denied.html").write_text(PAGE, encoding="utf-8")
    return folder, port(str(folder))


def test_helper_urls_and_rendered_statuses_answer_as_flask(tmp_path: Path) -> None:
    folder, result = _project(tmp_path, APP)
    text = result.after["app.py"]  # type: ignore[attr-defined]
    assert result.todos == [] and result.routes_ported == result.routes == 4, result.todos  # type: ignore[attr-defined]
    assert "def _safe_next(request: Request, target):" in text and "_safe_next(request, next)" in text
    flask_client, fastapi_client = _sides(tmp_path, folder, result)
    for url in ("/go", "/go?next=/books/2", "/go?next=//evil.example/", "/go?next=https://evil.example/",
                "/again?next=/x", "/again", "/denied?who=bob", "/denied?who=admin", "/denied"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert got.status_code == expected.status_code, url
        for header in ("location", "content-type", "x-why"):
            assert got.headers.get(header) == expected.headers.get(header), (url, header)
        if expected.is_json:
            assert got.json() == expected.get_json(), url
        else:
            assert got.text == expected.get_data(as_text=True), url


def _sides(tmp_path: Path, folder: Path, result):  # type: ignore[no-untyped-def]
    """side_by_side, with the template folder beside the ported app.py as beside the original."""
    import shutil

    ported = tmp_path / "ported"
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "view_helpers", follow_redirects=False)
    shutil.copytree(folder / "templates", ported / "templates", dirs_exist_ok=True)
    return flask_client, fastapi_client


@pytest.mark.parametrize("use", [
    "HELPER = _safe_next\n",  # used as a value: other code may call it without a request
    "@app.get('/nested')\ndef nested():\n    def inner():\n        return _safe_next(None)\n    return {'to': inner()}\n",
])
def test_a_helper_used_otherwise_keeps_its_todo(tmp_path: Path, use: str) -> None:
    folder, _ = _project(tmp_path, APP + "\n\n" + use)
    left = [site for site in tried(folder) if site.code == "FMA111"]
    assert [site.handled for site in left] == [False]
    assert "outside a converted view function" in left[0].reason
