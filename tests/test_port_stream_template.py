"""`return stream_template(name, **context)` (port/templates.py): a StreamingResponse of the template's generate(),
with the context processors' values under the view's, as Flask streams it; compared beside Flask."""
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
from flask import Flask, request, stream_template

app = Flask(__name__)
ROWS = [("Dune", 3), ("Emma & Co", 1)]


@app.context_processor
def site():
    return {"site_name": "City <Library>", "year": 2025}


@app.get("/report")
def report():
    return stream_template("report.html", rows=ROWS, year=request.args.get("year", "all"))
'''
TEMPLATE = """<h1>{{ site_name }} {{ year }}</h1>
<table>
{% for title, loans in rows %}  <tr><td>{{ title }}</td><td>{{ loans }}</td></tr>
{% endfor %}</table>
"""


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    (folder / "templates" / "report.html").write_text(TEMPLATE, encoding="utf-8")
    return folder


def test_the_stream_answers_as_flasks(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder = _project(tmp_path)
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
    ported = tmp_path / "ported"
    shutil.copytree(folder, ported)
    (ported / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    flask_client = load_app(folder, "stream_template_flask_side").app.test_client()
    fastapi_client = TestClient(load_app(ported, "stream_template_fastapi_side").app)
    for url in ("/report", "/report?year=1999"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.headers.get("content-length"), got.text) == \
            (expected.status_code, expected.headers["content-type"], expected.headers.get("content-length"),
             expected.get_data(as_text=True)), url
    assert "City &lt;Library&gt; all" in got.text or "1999" in got.text


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = port(str(folder))
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_a_computed_template_name_stays_flasks(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    (folder / "app.py").write_text(textwrap.dedent(APP).replace('"report.html"', 'request.args["page"]'), encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA228") in result.todos
