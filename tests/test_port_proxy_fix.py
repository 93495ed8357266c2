"""`app.wsgi_app = ProxyFix(app.wsgi_app, ...)` (port/proxy_fix.py): `WerkzeugProxyFix`, ASGI middleware doing to the
scope what Werkzeug's ProxyFix does to the environ; the client, scheme and external URLs compared beside Flask."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app{counts})


@app.get("/whoami")
def whoami():
    return {{"client": request.remote_addr, "scheme": request.scheme, "url": url_for("whoami", _external=True)}}
'''
# (headers, whether the client address is compared: the test clients connect from different addresses, so only
# where ProxyFix replaces it)
REQUESTS = [
    ({"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}, True),
    ({"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "http, https"}, True),
    ({"X-Forwarded-For": '"203.0.113.9" , 10.0.0.2,10.0.0.3', "X-Forwarded-Host": "shop.example, books.example:8443",
      "X-Forwarded-Port": "9000, 443"}, True),
    ({"X-Forwarded-Host": "[::1]", "X-Forwarded-Port": "8080", "X-Forwarded-For": "a, b, c"}, True),
    ({"X-Forwarded-Proto": "https"}, False),
    ({}, False),
]


@pytest.mark.parametrize("counts", ["", ", x_for=1, x_proto=1", ", x_for=2, x_proto=0", ", x_for=3, x_host=1, x_port=1",
                                    ", x_for=1, x_proto=2, x_host=2, x_port=2", ", x_prefix=0, x_for=0"])
def test_the_middleware_reads_the_headers_as_proxy_fix(tmp_path: Path, counts: str) -> None:
    folder, result = ported_project(tmp_path, APP.format(counts=counts))
    assert result.todos == [] and result.routes_ported == 1, result.notes
    assert "ProxyFix(" not in result.after["app.py"] and "app.add_middleware(WerkzeugProxyFix" in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "proxy_fix", base_url="http://localhost")
    for headers, with_client in REQUESTS:
        expected, got = flask_client.get("/whoami", headers=headers), fastapi_client.get("/whoami", headers=headers)
        wanted, answered = expected.get_json(), got.json()
        if not with_client or wanted["client"] == "127.0.0.1":  # not replaced: each test client's own address
            wanted.pop("client"), answered.pop("client")
        assert (got.status_code, answered) == (expected.status_code, wanted), (counts, headers)


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP.format(counts=", x_for=1, x_proto=1"))
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("counts", "why"), [
    (", x_prefix=1", "x_prefix sets SCRIPT_NAME"),
    (", x_for=TRUSTED", "not a literal count"),
    (", x_for=-1", "is not a count"),
])
def test_what_the_middleware_does_not_do_stays_with_its_todo(tmp_path: Path, counts: str, why: str) -> None:
    _, result = ported_project(tmp_path, "TRUSTED = 1\n" + APP.format(counts=counts))
    assert ("app.py", "FMA504") in result.todos and why in " ".join(result.notes), result.notes
    assert "WerkzeugProxyFix" not in result.after["app.py"]


def test_middleware_added_after_it_keeps_it_to_people(tmp_path: Path) -> None:
    """Starlette wraps later middleware around earlier: a hook's middleware written after ProxyFix would see the
    proxy's address, where Flask's hooks saw the client's."""
    source = APP.format(counts="") + '''

@app.after_request
def stamp(response):
    response.headers["X-Seen"] = "1"
    return response
'''
    _, result = ported_project(tmp_path, source)
    assert ("app.py", "FMA504") in result.todos and "middleware is added after it" in " ".join(result.notes), result.notes


def test_in_an_app_factory(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from _port_support import load_app, write_ported

    source = '''
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app():
    app = Flask(__name__)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    @app.get("/whoami")
    def whoami():
        return {"client": request.remote_addr, "scheme": request.scheme}

    return app
'''
    folder, result = ported_project(tmp_path, source)
    assert result.todos == [] and "    app.add_middleware(WerkzeugProxyFix, x_for=1, x_proto=1)" in result.after["app.py"]
    flask_client = load_app(folder, "proxy_factory_flask").create_app().test_client()
    fastapi_client = TestClient(load_app(write_ported(tmp_path, result), "proxy_factory_fastapi").create_app())
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}
    assert fastapi_client.get("/whoami", headers=headers).json() == flask_client.get("/whoami", headers=headers).get_json()
