"""The app's Jinja environment (port/jinja_env.py): `app.jinja_env` settings, filters, globals and tests registered
on the app, and context processors, moved onto the module's `templates`; the pages compared beside Flask."""
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
from flask import Flask, render_template

app = Flask(__name__)
app.jinja_env.trim_blocks = True
app.jinja_env.lstrip_blocks = True
app.jinja_env.globals["shop"] = "Bookshelf"


def shout(value):
    return str(value).upper()


def currency():
    return "EUR"


app.add_template_filter(shout)
app.add_template_filter(shout, name="loud")
app.add_template_global(currency, "money")


@app.template_filter("price")
def price(value):
    return f"{value:.2f}"


@app.template_global()
def year():
    return 2025


@app.template_test("cheap")
def is_cheap(value):
    return value < 10


@app.context_processor
def inject_owner():
    return {"owner": "Ada", "motto": "read"}


@app.get("/books")
def books():
    return render_template("books.html", books=[{"title": "Dune", "price": 12}, {"title": "<em>Emma</em>", "price": 9.5}],
                           motto="{motto}")
'''
TEMPLATE = """<h1>{{ shop }} {{ year() }} {{ owner }} {{ motto }}</h1>
<ul>
  {% for book in books %}
  <li>{{ book.title | shout }} {{ book.title | loud }}: {{ book.price | price }} {{ money() }}{% if book.price is cheap %} cheap{% endif %}</li>
  {% endfor %}
</ul>
"""


def _project(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (folder / "templates" / "books.html").write_text(TEMPLATE, encoding="utf-8")
    return folder


def test_the_environment_renders_as_flasks(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder = _project(tmp_path, APP.replace('motto="{motto}"', 'count=2'))
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
    text = result.after["app.py"]
    assert "app.jinja_env" not in text and 'templates.env.filters["price"] = price' in text
    ported = tmp_path / "ported"
    shutil.copytree(folder, ported)
    (ported / "app.py").write_text(text, encoding="utf-8")
    expected = load_app(folder, "jinja_env_flask_side").app.test_client().get("/books")
    got = TestClient(load_app(ported, "jinja_env_fastapi_side").app).get("/books")
    assert (got.status_code, got.headers["content-type"], got.text) == \
        (expected.status_code, expected.headers["content-type"], expected.get_data(as_text=True))
    assert "cheap" in got.text and "&lt;EM&gt;EMMA&lt;/EM&gt;" in got.text


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder = _project(tmp_path, APP.replace('motto="{motto}"', 'count=2'))
    result = port(str(folder))
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_a_processor_key_the_view_passes_stays_flasks(tmp_path: Path) -> None:
    """Flask's view wins over the processor; Starlette's processor would win over the view."""
    result = port(str(_project(tmp_path, APP.replace("{motto}", "the view's"))))
    assert ("app.py", "FMA507") in result.todos and any("passes motto itself" in note for note in result.notes)


def test_another_module_rendering_templates_keeps_the_environment_flasks(tmp_path: Path) -> None:
    folder = _project(tmp_path, APP.replace('motto="{motto}"', 'count=2'))
    (folder / "other.py").write_text("from flask import render_template\n\n\ndef page():\n"
                                     "    return render_template('books.html')\n", encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA507") in result.todos and any("other.py renders templates too" in n for n in result.notes), \
        result.notes
