"""A Blueprint's url_value_preprocessor / url_defaults for its prefix parameter (port/url_values.py): a router
dependency puts the value where the views' `g` is (request.state), and the URLs the module builds for the
Blueprint's endpoints get it as url_defaults filled it in. Compared beside Flask."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Blueprint, Flask, g, url_for

bp = Blueprint("pages", __name__, url_prefix="/<lang>/v<int:version>")


@bp.url_value_preprocessor
def pull(endpoint, values):
    """Every page knows its language and version."""
    g.lang = values.pop("lang")
    g.version = values.pop("version")


@bp.url_defaults
def add(endpoint, values):
    values.setdefault("lang", g.lang)
    values.setdefault("version", g.version)


@bp.get("/about")
def about():
    return {"lang": g.lang, "version": g.version, "contact": url_for("pages.contact"),
            "relative": url_for(".contact"), "home": url_for("home")}


@bp.get("/contact")
def contact():
    return {"lang": g.lang, "version": g.version + 1}


app = Flask(__name__)
app.register_blueprint(bp)


@app.get("/")
def home():
    return {"home": True}
'''


def test_the_dependency_and_the_urls_answer_as_flasks(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 3, (result.todos, result.notes)
    text = result.after["app.py"]
    assert 'prefix="/{lang}/v{version:int}", dependencies=[Depends(pull)]' in text and "@bp.url_value_preprocessor" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "url_values")
    for url in ("/fr/v2/about", "/de/v10/contact", "/a%20b/v1/about", "/caf%C3%A9/v3/about", "/fr/vx/about", "/"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert got.status_code == expected.status_code, url
        if expected.status_code == 200:
            assert got.json() == expected.get_json(), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("change", "why"), [
    (('    g.version = values.pop("version")\n', '    g.version = values.pop("version")\n    print(endpoint)\n'),
     "does more than"),
    (('values.pop("lang")', 'values.pop("locale")'), "locale is not a string or int parameter"),
    (('values.setdefault("lang", g.lang)', 'values.setdefault("lang", g.version)'), "from another g name"),
    (('"home": url_for("home")', '"home": url_for("pages.contact", lang="en")'), "passes lang itself"),
    (('@bp.get("/contact")', '@app.before_request\ndef hook():\n    pass\n\n\n@bp.get("/contact")'),
     "has a before_request hook"),
])
def test_what_the_dependency_would_not_do_stays_flasks(tmp_path: Path, change: tuple[str, str], why: str) -> None:
    _, result = ported_project(tmp_path, APP.replace(*change))
    assert ("app.py", "FMA116") in result.todos and any(why in note for note in result.notes), result.notes


def test_a_template_calling_url_for_keeps_url_defaults_flasks(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "nav.html").write_text("<a href='{{ url_for(\"pages.about\") }}'>", encoding="utf-8")
    (folder / "app.py").write_text(APP, encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA116") in result.todos and any("templates/nav.html calls url_for" in n for n in result.notes)
