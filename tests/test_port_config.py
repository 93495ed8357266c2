"""`app.config` -> the module-level `settings` dict (port/config.py): the ported module holds the values
Flask's config held, and what a dict would not answer the same keeps its TODO."""
from __future__ import annotations

from pathlib import Path

import pytest

from _port_support import load_app as _load, ported_project as _port, write_ported
from migrate_audit.port import port

APP = '''
from flask import Flask, current_app


class Defaults:
    PAGE = 20
    SHOW = True
    NESTED = {"a": 1}
    lower = "not loaded"


app = Flask(__name__)
app.config.from_object(Defaults)
app.config.from_prefixed_env("SHELF")
app.config["EXTRA"] = "x"
app.config.update(MORE=1)


@app.get("/")
def index():
    return {"page": current_app.config["PAGE"], "show": current_app.config.get("SHOW"),
            "missing": current_app.config.get("NOPE", "d"), "extra": app.config["EXTRA"]}
'''
# JSON values parsed, a string that is not JSON kept, a nested key written into the class's dict
ENVIRONMENT = {"SHELF_PAGE": "2", "SHELF_SHOW": "false", "SHELF_NAME": "not json", "SHELF_NESTED__b": "[1, 2]",
               "SHELF_NEW__deep": "null"}


def test_settings_hold_what_flask_config_held(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    for key, value in ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    folder, result = _port(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1  # type: ignore[attr-defined]
    flask_app = _load(folder, "config_flask_side").app
    ported = write_ported(tmp_path, result)
    module = _load(ported, "config_fastapi_side")
    ours = {key: value for key, value in flask_app.config.items() if key not in flask_app.default_config}
    assert module.settings == ours
    assert ours["PAGE"] == 2 and ours["SHOW"] is False and ours["NAME"] == "not json"
    assert ours["NESTED"] == {"a": 1, "b": [1, 2]} and ours["NEW"] == {"deep": None}
    assert TestClient(module.app).get("/").json() == flask_app.test_client().get("/").get_json()
    # idempotent: nothing left to port
    assert "app.py" not in port(str(ported)).after


@pytest.mark.parametrize("line", [
    'app.config["MAX_CONTENT_LENGTH"] = 10',  # Flask's own key: Flask refuses larger bodies
    'app.config["SESSION_COOKIE_NAME"] = app.config["SECRET_KEY"]',  # a read of a key Flask has a default for
    'app.config.from_object("settings.Production")',  # an import path: not read here
    'helper(app.config)',  # handed to other code
    'app.config[name] = 1',  # a computed key
])
def test_what_a_dict_would_not_answer_the_same_is_left(tmp_path: Path, line: str) -> None:
    source = APP.replace('app.config["EXTRA"] = "x"', line + '\napp.config["EXTRA"] = "x"')
    _, result = _port(tmp_path, source)
    assert ("app.py", "FMA503") in result.todos or ("app.py", "FMA501") in result.todos  # type: ignore[attr-defined]
    assert "settings: dict" not in result.after.get("app.py", "")  # type: ignore[attr-defined]


def test_a_config_class_with_bases_is_left(tmp_path: Path) -> None:
    source = APP.replace("class Defaults:", "class Base:\n    SECRET_KEY = 's'\n\n\nclass Defaults(Base):")
    _, result = _port(tmp_path, source)
    assert ("app.py", "FMA501") in result.todos  # type: ignore[attr-defined]


def test_an_app_factory_keeps_its_config(tmp_path: Path) -> None:
    source = '''
from flask import Flask, current_app


def create_app(page):
    app = Flask(__name__)
    app.config["PAGE"] = page

    @app.get("/")
    def index():
        return {"page": current_app.config["PAGE"]}

    return app
'''
    _, result = _port(tmp_path, source)
    assert ("app.py", "FMA503") in result.todos  # type: ignore[attr-defined]
    assert "settings: dict" not in result.after.get("app.py", "")  # type: ignore[attr-defined]
