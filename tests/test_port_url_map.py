"""`app.url_map.iter_rules()` in a ported view (port/routes.py): `URL_MAP`, a Werkzeug Map of the rules Flask
made, written into the module; compared with the Flask app's own url_map, rule by rule, in order."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, write_ported

from migrate_audit.port import port

APP = '''
from flask import Blueprint, Flask

bp = Blueprint("books", __name__, url_prefix="/books")
admin = Blueprint("admin", __name__)


@bp.get("/")
def index():
    return {"books": ["Dune"]}


@bp.route("/<int:book_id>", methods=["GET", "PUT"])
def detail(book_id):
    return {"id": book_id}


@admin.post("")
def stats():
    return {"n": 1}


app = Flask(__name__)


@app.get("/about")
def about():
    return {"about": "A bookshop"}


app.register_blueprint(bp, url_prefix="/shop/books")
app.register_blueprint(admin, url_prefix="/admin")


@app.route("/rules", endpoint="all_rules")
def rules():
    return {"rules": [[r.rule, r.endpoint, sorted(r.methods), sorted(r.arguments)] for r in app.url_map.iter_rules()]}
'''


@pytest.mark.parametrize("static", [False, True])
def test_the_rules_are_flasks_in_flasks_order(tmp_path: Path, static: bool) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = tmp_path / "project"
    if static:
        (folder / "static").mkdir(parents=True)
        (folder / "static" / "a.css").write_text("a {}", encoding="utf-8")
    folder, result = ported_project(tmp_path, APP) if not static else (folder, None)
    if static:
        (folder / "app.py").write_text(APP, encoding="utf-8")
        result = port(str(folder))
    assert result.todos == [] and result.routes_ported == 5
    expected = load_app(folder, f"rules_flask_side_{static}").app.test_client().get("/rules").get_json()
    ported = write_ported(tmp_path, result)
    if static:
        (ported / "static").mkdir()
    got = TestClient(load_app(ported, f"rules_fastapi_side_{static}").app).get("/rules").json()
    assert got == expected and ["/static/<path:filename>", "static", ["GET", "HEAD", "OPTIONS"], ["filename"]] \
        in got["rules"]


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    again = port(str(folder))
    assert again.after.get("app.py", result.after["app.py"]) == result.after["app.py"] and again.todos == []


def test_rules_that_may_be_elsewhere_are_left(tmp_path: Path) -> None:
    folder, _ = ported_project(tmp_path, APP)
    (folder / "views.py").write_text("from flask import Blueprint\n\nmore = Blueprint('more', __name__)\n",
                                     encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA117") in result.todos and "URL_MAP" not in result.after.get("app.py", "")
