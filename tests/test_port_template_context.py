"""Flask's template `request` and `g` in a ported app (port/templates.py FLASK_REQUEST, FLASK_G): the pages
render as Flask rendered them, compared on the same requests beside the Flask app; what the port cannot give
the same way keeps the view in Flask's hands (a TODO with the reason)."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from _port_support import load_app as _load
from migrate_audit.port import port

APP = '''
from flask import Flask, g, render_template, request

app = Flask(__name__)


@app.before_request
def load_reader():
    g.reader = request.headers.get("X-Reader", "guest")


@app.get("/books/<int:book_id>")
def book(book_id):
    return render_template("page.html", book_id=book_id, int=int)
'''

# every attribute the context processor gives, the ways a template reads them, and g's set and unset names
PAGE = """<a href="/login?next={{ request.full_path | urlencode }}">in</a>
path={{ request.path }} root={{ request.script_root }}|
page={{ request.args.get('page', 1, type=int) }} size={{ request.args.get('size', type=int) }}
first={{ request.args['tag'] }} tags={{ request.args.getlist('tag') }} none={{ request.args['missing'] }}
ints={{ request.args.getlist('n', type=int) }} all={{ request.args }} n={{ request.args | length }}
keys={{ request.args.keys() | list }} items={{ request.args.items() | list }} has={{ 'q' in request.args }}
dict={{ request.args.to_dict() if request.args.to_dict is defined else '' }}
reader={{ g.reader }} unset={{ g.nobody }}{% if g.nobody is defined %}defined{% endif %}
{% for key in request.args %}[{{ key }}]{% endfor %}
"""

QUERIES = ["", "?page=3", "?page=x&size=7", "?tag=a%20b&tag=c/d&n=1&n=x&n=2", "?q=%C3%A9mile&empty=&flag",
           "?bad=%FF%FE&q=a+b", "?tag=&tag=z"]


def _said(text: str) -> str:
    """The ported text with its comments' line breaks taken out (a TODO's reason wraps over lines)."""
    return " ".join(re.sub(r"\n\s*#\s+", " ", text).split())


def _project(root: Path, page: str = PAGE, app: str = APP) -> Path:
    folder = root / "project"
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text(textwrap.dedent(app), encoding="utf-8")
    (folder / "templates" / "page.html").write_text(page, encoding="utf-8")
    return folder


def _ported(tmp_path: Path, folder: Path, result) -> Path:  # type: ignore[no-untyped-def]
    ported = tmp_path / "ported"
    ported.mkdir()
    (ported / "templates").symlink_to(folder / "templates")
    (ported / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    return ported


def test_request_and_g_render_as_flask_renders_them(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = _project(tmp_path)
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == result.routes == 1
    text = result.after["app.py"]
    assert "context_processors=[flask_request, flask_g]" in text and "request.state.reader" in text
    flask_client = _load(folder, "flask_template_context").app.test_client()
    fastapi_client = TestClient(_load(_ported(tmp_path, folder, result), "fastapi_template_context").app)
    for query in QUERIES:
        for headers in ({}, {"X-Reader": "ann"}):
            flask_page = flask_client.get("/books/1" + query, headers=headers)
            fastapi_page = fastapi_client.get("/books/1" + query, headers=headers)
            assert (fastapi_page.status_code, fastapi_page.text) == (flask_page.status_code,
                                                                    flask_page.get_data(as_text=True)), query
    # what the comparison is about was rendered: Werkzeug's full_path, typed args, multi-values, g
    page = flask_client.get("/books/1?tag=a%20b&tag=c/d&n=1&n=x&n=2", headers={"X-Reader": "ann"})
    page = page.get_data(as_text=True)
    assert "next=/books/1%3Ftag%3Da%2520b" in page and "ints=[1, 2]" in page and "reader=ann" in page
    assert "ImmutableMultiDict([(&#39;tag&#39;, &#39;a b&#39;)" in page
    assert "page=3" in flask_client.get("/books/1?page=3").get_data(as_text=True)


def test_under_a_root_path_request_path_is_werkzeugs(tmp_path: Path) -> None:
    """Mounted under a prefix (a2wsgi's SCRIPT_NAME, the ASGI root_path), Flask's path is the part after it."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    page = "{{ request.script_root }}|{{ request.path }}|{{ request.full_path }}"
    folder = _project(tmp_path, page)
    result = port(str(folder))
    assert result.todos == []
    flask_page = _load(folder, "flask_root_path").app.test_client().get(
        "/books/2?x=1", environ_overrides={"SCRIPT_NAME": "/shop"}).get_data(as_text=True)
    # as uvicorn serves under --root-path: the ASGI path includes the root path (uvicorn's h11_impl full_path)
    fastapi_page = TestClient(_load(_ported(tmp_path, folder, result), "fastapi_root_path").app,
                              root_path="/shop").get("/shop/books/2?x=1").text
    assert flask_page == "/shop|/books/2|/books/2?x=1"
    assert fastapi_page == flask_page


@pytest.mark.parametrize("page, why", [
    ("{{ request.host_url }}", "request.host_url, which the port does not give"),
    ("{{ request.url_root }}{{ request.path }}", "request.url_root"),
    ("{{ g.get('reader', 'x') }}", "uses g otherwise than reading g.name"),
    ("{% if 'reader' in g %}in{% endif %}", "uses g otherwise than reading g.name"),
    ("{{ config['SITE'] }}", "reads Flask's config, and app.py's app.config is not ported to settings"),
])
def test_what_the_port_cannot_give_the_same_stays(tmp_path: Path, page: str, why: str) -> None:
    result = port(str(_project(tmp_path, page)))
    assert ("app.py", "FMA222") in result.todos
    assert "render_template(" in result.after["app.py"] and why in _said(result.after["app.py"])


def test_g_set_by_another_module_stays(tmp_path: Path) -> None:
    """A helper module writing Flask's g: its values would not reach request.state, the template's g."""
    folder = _project(tmp_path, "{{ g.reader }}")
    (folder / "helpers.py").write_text("from flask import g\n\n\ndef remember(name):\n    g.reader = name\n",
                                       encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA222") in result.todos
    assert "helpers.py uses Flask's g too" in _said(result.after["app.py"])


def test_a_view_passing_request_itself_stays(tmp_path: Path) -> None:
    """Flask lets the view's own `request=` win over the context processor's; Starlette's processors win."""
    app = APP.replace('render_template("page.html", book_id=book_id, int=int)',
                      'render_template("page.html", request={"path": "mine"})')
    result = port(str(_project(tmp_path, "{{ request.path }}", app)))
    assert ("app.py", "FMA222") in result.todos
    assert "the view passes request itself" in _said(result.after["app.py"])


def test_the_ported_module_is_lint_clean(tmp_path: Path) -> None:
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    result = port(str(_project(tmp_path)))
    (tmp_path / "out.py").write_text(result.after["app.py"], encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "E4,E7,E9,F",
                          str(tmp_path / "out.py")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


CONFIG_APP = '''
from flask import Flask, render_template, session

app = Flask(__name__)
app.config.update(SECRET_KEY="dev", SITE_NAME="Bookshelf", SESSION_COOKIE_NAME="shelf")
app.config["PAGE_SIZE"] = 20


@app.post("/theme/<name>")
def set_theme(name):
    session["theme"] = name
    return {"theme": name}


@app.get("/")
def index():
    return render_template("page.html")
'''
CONFIG_PAGE = """{{ config['SITE_NAME'] }} {{ config.PAGE_SIZE }} {{ config.get('MISSING', 'none') }}
{{ config.get("SITE_NAME") }} {{ config['NOPE'] }} theme={{ session.get('theme', 'light') }}"""


def test_config_and_the_session_keys_it_sets_as_flask_has_them(tmp_path: Path) -> None:
    """The app's config keys (port/config.py's settings) in templates; SECRET_KEY and SESSION_COOKIE_NAME set in
    app.config sign and name the bridge's cookie as Flask's: a cookie Flask set is read by the port."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    folder = _project(tmp_path, CONFIG_PAGE, CONFIG_APP)
    result = port(str(folder))
    assert result.todos == [] and result.routes_ported == result.routes == 2
    text = result.after["app.py"]
    assert "flask_config]" in text and "app.add_middleware(FlaskSessionMiddleware, config=settings)" in text
    ported = _ported(tmp_path, folder, result)
    (ported / "flask_cookie_session.py").write_text(result.after["flask_cookie_session.py"], encoding="utf-8")
    import sys

    sys.path.insert(0, str(ported))
    try:
        flask_client = _load(folder, "flask_config_side").app.test_client()
        fastapi_client = TestClient(_load(ported, "fastapi_config_side").app)
        first = (flask_client.get("/").get_data(as_text=True), fastapi_client.get("/").text)
        assert first[0] == first[1] and first[0].startswith("Bookshelf 20 none\nBookshelf  theme=light")
        flask_set = flask_client.post("/theme/dark")
        fastapi_set = fastapi_client.post("/theme/dark")
        assert flask_set.headers["Set-Cookie"].split("=")[0] == fastapi_set.headers["set-cookie"].split("=")[0] == "shelf"
        assert flask_client.get("/").get_data(as_text=True) == fastapi_client.get("/").text
        assert fastapi_client.get("/").text.endswith("theme=dark")
        # Flask's cookie, to the port: signed with the key the app set in its config
        cookie = flask_set.headers["Set-Cookie"].split(";")[0]
        crossed = TestClient(_load(ported, "fastapi_config_cross").app).get("/", headers={"Cookie": cookie})
        assert crossed.text.endswith("theme=dark")
    finally:
        sys.path.remove(str(ported))
        sys.modules.pop("flask_cookie_session", None)


@pytest.mark.parametrize("page, why", [
    ("{{ config['DEBUG'] }}", "reads config otherwise than by a literal key of the app's own"),
    ("{{ config.items() | list }}", "reads config otherwise than by a literal key of the app's own"),
    ("{{ config[name] }}", "reads config otherwise than by a literal key of the app's own"),
])
def test_config_reads_the_port_cannot_answer_the_same_stay(tmp_path: Path, page: str, why: str) -> None:
    result = port(str(_project(tmp_path, page, CONFIG_APP)))
    assert ("app.py", "FMA222") in result.todos
    assert why in _said(result.after["app.py"])


def test_config_set_by_another_module_stays(tmp_path: Path) -> None:
    folder = _project(tmp_path, "{{ config['SITE_NAME'] }}", CONFIG_APP)
    (folder / "setup.py").write_text("from flask import current_app\n\n\ndef tune():\n"
                                     "    current_app.config['SITE_NAME'] = 'Other'\n", encoding="utf-8")
    result = port(str(folder))
    assert ("app.py", "FMA222") in result.todos
    assert "setup.py uses a config too" in _said(result.after["app.py"])
