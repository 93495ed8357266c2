"""A converter class of the module's own, registered on `app.url_map.converters` (port/routes.py): registered
with Starlette through `WerkzeugConverter`, which keeps Werkzeug's class for matching, converting and
building; compared beside Flask on the URLs matched and built."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
from flask import Flask, url_for
from werkzeug.routing import BaseConverter


class ListConverter(BaseConverter):
    def to_python(self, value):
        return value.split("+")

    def to_url(self, values):
        return "+".join(super(ListConverter, self).to_url(value) for value in values)


class YearConverter(BaseConverter):
    regex = r"\\d{4}"

    def to_python(self, value):
        return int(value)


app = Flask(__name__)
app.url_map.converters["list"] = ListConverter
app.url_map.converters["year"] = YearConverter


@app.get("/tags/<list:tags>")
def tagged(tags):
    return {"tags": tags, "canonical": url_for("tagged", tags=sorted(tags))}


@app.get("/archive/<year:year>/<list:tags>")
def archive(year, tags):
    return {"year": year, "tags": tags, "self": url_for("archive", year=year, tags=["a b", "c/d"])}
'''

URLS = ["/tags/web+python", "/tags/python", "/tags/python/extra", "/tags/caf%C3%A9+a%20b", "/archive/2024/x+y",
        "/archive/24/x", "/archive/20245/x", "/tags/"]


def test_custom_converters_match_and_build_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    assert 'register_url_convertor("year", WerkzeugConverter(YearConverter))' in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "converter")
    for url in URLS:
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert got.status_code == expected.status_code, url
        if expected.status_code == 200:
            assert got.json() == expected.get_json(), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    again = port(str(folder))
    assert again.after.get("app.py", result.after["app.py"]) == result.after["app.py"] and again.todos == []


def test_a_converter_that_refuses_values_is_left(tmp_path: Path) -> None:
    """Werkzeug takes a ValidationError from to_python as no match (a 404 or the next rule); Starlette would
    answer 500."""
    refusing = "        if value < '1900':\n            raise ValidationError()\n        return int(value)"
    source = APP.replace("        return int(value)", refusing)
    _, result = ported_project(tmp_path, source.replace("import BaseConverter", "import BaseConverter, ValidationError"))
    assert ("app.py", "FMA105") in result.todos and 'WerkzeugConverter(YearConverter)' not in result.after.get("app.py", "")
