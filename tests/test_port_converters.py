"""Werkzeug's `float` and `path` converters in a ported route (port/routes.py): Starlette convertors of
Werkzeug's own patterns, so the ported app answers every URL as Flask did (404 where Werkzeug matched
nothing, not 422 or 200), and `url_for` builds the same URLs."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
from flask import Flask, url_for

app = Flask(__name__)


@app.put("/thermostat/<float:celsius>")
def set_thermostat(celsius):
    return {"target": celsius}


# declared first: Werkzeug orders rules by their static parts, Starlette tries them in order (a difference of
# overlapping routes, not of the converters)
@app.get("/files/<path:name>/raw")
def raw(name):
    return {"raw": name}


@app.get("/files/<path:name>")
def download(name):
    return {"file": name}


@app.get("/links")
def links():
    return {"file": url_for("download", name="a b/ c?d%"), "temp": url_for("set_thermostat", celsius=21.0)}
'''

URLS = [
    ("PUT", "/thermostat/21.5"), ("PUT", "/thermostat/21"), ("PUT", "/thermostat/-21.5"), ("PUT", "/thermostat/2e1"),
    ("PUT", "/thermostat/01.50"), ("PUT", "/thermostat/21."), ("PUT", "/thermostat/%D9%A3.%D9%A5"),  # Arabic digits
    ("GET", "/files/reports/2024.pdf"), ("GET", "/files/"), ("GET", "/files/a//b"), ("GET", "/files/a/"),
    ("GET", "/files/a%2Fb"), ("GET", "/files/x/raw"), ("GET", "/files/x/y/raw"),
    ("GET", "/files//raw"), ("HEAD", "/files/x"), ("GET", "/links"),
]


def test_float_and_path_routes_answer_every_url_as_werkzeug(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 4
    text = result.after["app.py"]
    assert '"/thermostat/{celsius:werkzeug_float}"' in text and '"/files/{name:werkzeug_path}/raw"' in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "converters")
    for method, url in URLS:
        # a `//` Werkzeug merged with a 308 first (any route's, see the next test): what the redirect led to
        expected = flask_client.open(url, method=method, follow_redirects="//" in url)
        got = fastapi_client.request(method, url)
        assert got.status_code == expected.status_code, url
        if expected.status_code == 200 and method != "HEAD":
            assert got.json() == expected.get_json(), url


def test_slashes_werkzeug_merged_reach_the_view_without_them(tmp_path: Path) -> None:
    """Werkzeug redirected `/files//etc/passwd` to `/files/etc/passwd` (it merges slashes): the ported route
    answers what that redirect led to, never a path starting with `/`."""
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "slashes")
    expected = flask_client.get("/files//etc/passwd", follow_redirects=True)
    assert fastapi_client.get("/files//etc/passwd").json() == expected.get_json() == {"file": "etc/passwd"}


def test_the_convertors_are_defined_once_and_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP.replace("from flask import Flask, url_for", "from flask import Flask, request, url_for") + '''

@app.get("/more/<float:x>")
def more(x):
    return {"x": x, "token": request.headers.getlist("X-Token")}
''')
    text = result.after["app.py"]
    assert text.count("class WerkzeugFloat(") == 1 and text.count('register_url_convertor("werkzeug_path"') == 1
    assert '"/more/{x:werkzeug_float}"' in text and result.todos == [("app.py", "FMA207")]  # getlist is left
    (folder / "app.py").write_text(text, encoding="utf-8")
    assert port(str(folder)).after.get("app.py", text) == text


@pytest.mark.parametrize("rule", ["/files/v<path:name>", "/t/<float(signed=True):x>"])
def test_converters_werkzeug_matches_otherwise_are_left(tmp_path: Path, rule: str) -> None:
    _, result = ported_project(tmp_path, f'''
        from flask import Flask

        app = Flask(__name__)


        @app.get("{rule}")
        def view(**values):
            return values
        ''')
    assert result.routes_ported == 0 and "register_url_convertor" not in result.after.get("app.py", "")


def test_a_view_moved_out_of_a_unit_staying_flask_takes_the_port_s_definitions(tmp_path: Path, monkeypatch) -> None:
    """Route by route (split.py): a moved copy whose path uses a convertor the port registers, or which calls a
    helper the port writes (request_json, werkzeug_first), gets their definitions; main.py imports and answers."""
    pytest.importorskip("fastapi")
    import shutil
    import sys

    from fastapi.testclient import TestClient

    source = tmp_path / "mixed"
    shutil.copytree(Path(__file__).parent / "fixtures" / "port" / "mixed", source)
    with (source / "books.py").open("a", encoding="utf-8") as books:
        books.write('\n\n@bp.put("/temp/<float:celsius>")\ndef temp(celsius):\n    return {"celsius": celsius}\n'
                    '\n\n@bp.post("/up/load")\ndef upload():\n    return {"j": request.get_json(), "q": request.args["q"]}\n')
    result = port(str(source))
    moved = result.after["books_fastapi.py"]
    assert 'register_url_convertor("werkzeug_float", WerkzeugFloat())' in moved and "def werkzeug_first(" in moved
    assert "async def request_json(" in moved and result.routes_moved >= 3
    out = tmp_path / "out"
    out.mkdir()
    for relpath in ("admin.py", "app.py", "books.py"):
        (out / relpath).write_text((source / relpath).read_text(encoding="utf-8"), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(out))
    modules = ("main", "app", "books", "admin", "app_fastapi", "books_fastapi")
    try:
        import main  # noqa: PLC0415

        client = TestClient(main.app)
        assert client.put("/api/books/temp/21.5").json() == {"celsius": 21.5}
        assert client.put("/api/books/temp/21").status_code == 404
        assert client.post("/api/books/up/load?q=1", json={"a": 1}).json() == {"j": {"a": 1}, "q": "1"}
        assert [client.post("/api/books/up/load", json={}).status_code,
                client.post("/api/books/up/load?q=1", content=b"x").status_code] == [400, 415]
    finally:
        for name in modules:
            sys.modules.pop(name, None)
