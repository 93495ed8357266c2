"""A Blueprint's own folders (port/templates.py): its `template_folder` joins the app's templates/ in one
Jinja2Templates searched in Flask's order (the app's first, then the Blueprints' in registration order), its
`static_folder` becomes a StaticFiles mount at the URL Flask served it from. Compared beside Flask."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from _port_support import load_app

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Blueprint, Flask, render_template

admin = Blueprint("admin", __name__, template_folder="admin/templates", static_folder="admin/files",
                  static_url_path="/assets")
shop = Blueprint("shop", __name__, url_prefix="/shop", template_folder="shop_templates", static_folder="shop_static")


@admin.get("/")
def dashboard():
    return render_template("dashboard.html", count=3)


@admin.get("/both")
def both():
    return render_template("both.html")


@shop.get("/")
def window():
    return render_template("window.html")


@shop.get("/both")
def shop_both():
    return render_template("both.html")


app = Flask(__name__)
app.register_blueprint(shop)
app.register_blueprint(admin, url_prefix="/admin")


@app.get("/")
def home():
    return render_template("home.html")
'''
FILES = {
    "templates/base.html": "<title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}",
    "templates/home.html": "{% extends 'base.html' %}{% block body %}home{% endblock %}",
    "admin/templates/dashboard.html": "{% extends 'base.html' %}{% block body %}{{ count }} books{% endblock %}",
    "admin/templates/both.html": "the admin's",
    "admin/templates/home.html": "never read: the app's folder comes first",
    "shop_templates/both.html": "the shop's: registered first",
    "shop_templates/window.html": "{% include 'both.html' %} <b>{{ '<i>' }}</b>",
    "admin/files/admin.css": "h1 { color: teal; }",
    "shop_static/logo.txt": "LOGO",
}


def _project(tmp_path: Path, source: str = APP) -> Path:
    folder = tmp_path / "project"
    for relpath, text in {"app.py": textwrap.dedent(source), **FILES}.items():
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / relpath).write_text(text, encoding="utf-8")
    return folder


def test_the_folders_answer_as_flasks(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder = _project(tmp_path)
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == 5, (result.todos, result.notes)
    text = result.after["app.py"]
    assert '"admin/templates"' in text and '"shop_templates"' in text and 'app.mount("/admin/assets"' in "".join(text.split())
    ported = tmp_path / "ported"
    shutil.copytree(folder, ported)
    (ported / "app.py").write_text(text, encoding="utf-8")
    flask_client = load_app(folder, "bp_folders_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(ported, "bp_folders_fastapi_side").app)
    for url in ("/", "/admin/", "/admin/both", "/shop/", "/shop/both", "/admin/assets/admin.css", "/shop/shop_static/logo.txt",
                "/admin/assets/missing.css", "/shop/shop_static/../app.py"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert got.status_code == expected.status_code, url
        if expected.status_code == 200:  # (a 404's page is FastAPI's JSON for any unknown URL of a ported app)
            assert (got.headers["content-type"].split(";")[0], got.text) == \
                (expected.headers["content-type"].split(";")[0], expected.get_data(as_text=True)), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = port(str(folder))
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("change", "why"), [
    (('"admin", __name__, template_folder=', '"admin", "pkg", template_folder='), "import name other than __name__"),
    (('template_folder="admin/templates"', 'template_folder=FOLDER'), "template_folder is not a literal"),
    (('template_folder="admin/templates"', 'template_folder="../outside"'), "not a folder below its module"),
    (('app.register_blueprint(shop)\n', 'app.register_blueprint(shop, url_prefix="")\n'), None),
])
def test_folders_the_port_cannot_follow_stay_flasks(tmp_path: Path, change: tuple[str, str], why: str | None) -> None:
    source = "FOLDER = 'admin/templates'\n" + textwrap.dedent(APP).replace(*change)
    if why is None:  # the shop's static folder without a prefix: Flask's own /static route comes first
        source = source.replace('url_prefix="/shop", ', "")
        why = "served at /static without a prefix"
    result = port(str(_project(tmp_path, source)))
    assert result.routes_ported < 5 and any(why in note for note in result.notes), result.notes
