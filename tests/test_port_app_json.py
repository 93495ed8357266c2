"""`app.json.sort_keys = ...`, `ensure_ascii`, `compact` (port/app_json.py): a `JSONResponse` subclass set as the
FastAPI app's `default_response_class` writes what Flask's provider wrote; compared beside Flask byte for byte."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask

app = Flask(__name__)
{settings}


@app.get("/book")
def book():
    return {{"title": "Solaris", "author": {{"name": "Stanis\u0142aw Lem", "born": 1921}}, "year": 1961, "tags": []}}


@app.get("/list")
def books():
    return [{{"z": 1, "a": [1, 2]}}, "caf\u00e9"]
'''
SETTINGS = [
    "app.json.sort_keys = True",
    "app.json.sort_keys = False",
    "app.json.ensure_ascii = False\napp.json.sort_keys = False",
    "app.json.compact = False",
    "app.json.compact = True\napp.json.ensure_ascii = False",
]


@pytest.mark.parametrize("settings", SETTINGS)
def test_the_response_class_writes_flasks_bytes(tmp_path: Path, settings: str) -> None:
    folder, result = ported_project(tmp_path, APP.format(settings=settings))
    assert result.todos == [] and result.routes_ported == 2, result.notes
    assert "app.json." not in result.after["app.py"] and "default_response_class=FlaskJSONResponse" in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "app_json")
    for url in ("/book", "/list"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.content) == \
            (expected.status_code, expected.headers["content-type"], expected.data), (settings, url)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP.format(settings=SETTINGS[0]))
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("settings", "why"), [
    ("app.json.sort_keys = KEYS", "not set to a literal"),
    ("app.json.sort_keys = 1", "is not a bool"),
    ("app.json.mimetype = 'application/vnd.api+json'", "not one the port writes"),
    ("app.json.sort_keys = False\napp.debug = True", "debug mode"),
    ("print(app.json.sort_keys)", "used otherwise"),
    ("if True:\n    app.json.sort_keys = False", "outside the top of the module"),
])
def test_what_the_class_would_not_follow_stays_with_its_todo(tmp_path: Path, settings: str, why: str) -> None:
    _, result = ported_project(tmp_path, "KEYS = False\n" + APP.format(settings=settings))
    text = result.after["app.py"]
    assert ("app.py", "FMA512") in result.todos and why in " ".join(result.notes) and "FlaskJSONResponse" not in text
    assert result.routes_ported == 0  # the app stays Flask: its `app.json` would fail on FastAPI's app


def test_a_jsonify_with_a_status_keeps_the_settings_to_people(tmp_path: Path) -> None:
    """The rewrite builds `JSONResponse(...)` itself, which the default response class does not reach."""
    source = APP.format(settings="app.json.sort_keys = False") + '''

@app.post("/book")
def create():
    return jsonify(id=1), 201
'''
    _, result = ported_project(tmp_path, source.replace("from flask import Flask", "from flask import Flask, jsonify"))
    assert ("app.py", "FMA512") in result.todos and "builds a JSONResponse itself" in " ".join(result.notes), result.notes
