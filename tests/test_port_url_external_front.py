"""`url_for(..., _external=True)` in a view ported while the app stays Flask behind FastAPI (port/urls.py
FLASK_EXTERNAL_URL): the absolute URL Flask built, its scheme and host read by the Flask app's own URL adapter from
the request as the mounted app is given it, behind ProxyFix (main.py applies ProxyFix's scheme in front of FastAPI's
routes, as Flask's ProxyFix did to the environ). Compared beside the Flask app its factory makes, for an endpoint
Flask still serves and for the ported Blueprint's own, on hosts Werkzeug reads otherwise than Starlette (a default
port, capitals, IPv6) and forwarded schemes."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _port_support import factory_sides, forget_packages

pytest.importorskip("fastapi")
pytest.importorskip("a2wsgi")

FACTORY = '''\
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app():
    app = Flask(__name__)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from .links import bp as links_bp
    from .pages import bp as pages_bp

    app.register_blueprint(links_bp, url_prefix="/api")
    app.register_blueprint(pages_bp)
    return app
'''

# ported with `--only links`
LINKS = '''\
from flask import Blueprint, url_for

bp = Blueprint("links", __name__)


@bp.get("/books/<int:book_id>/links")
def links(book_id):
    return {
        "self": url_for("links.links", book_id=book_id, _external=True),
        "page": url_for("pages.book", slug="d\\u00fcne ii", _external=True, _anchor="top"),
        "search": url_for("pages.search", q="a&b", tags=["x", "y"], _external=True),
    }
'''

PAGES = '''\
from flask import Blueprint

bp = Blueprint("pages", __name__)


@bp.get("/book/<slug>")
def book(slug):
    return slug


@bp.get("/search")
def search():
    return "search"
'''

SITE = {"__init__": FACTORY, "links": LINKS, "pages": PAGES}

# (a Host each time: the two test clients' defaults differ, localhost and testserver)
HEADERS = [
    {"Host": "localhost"},
    {"Host": "Example.COM"},
    {"Host": "example.com:80"},
    {"Host": "shop.example.com:8443"},
    {"Host": "[::1]:8000"},
    {"Host": "example.com:443", "X-Forwarded-Proto": "https"},
    {"Host": "example.com", "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1"},
    {"Host": "example.com", "X-Forwarded-Proto": "http, https"},
]


def _forget() -> None:
    forget_packages("site_pkg", "flask_url_fallback", "flask_cookie_session")


def test_external_urls_are_flasks(tmp_path: Path, monkeypatch: Any) -> None:
    from fastapi.testclient import TestClient

    try:
        flask_app, fastapi_app, result = factory_sides(tmp_path, monkeypatch, "site_pkg", SITE, "links", _forget)
        text = result.after["site_pkg/links.py"]
        assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
        assert 'flask_external_url(request, "links.links", book_id=book_id)' in text
        assert 'app.include_router(router_0, prefix="/api")' in result.after["main.py"]  # the links Blueprint's
        flask_client, client = flask_app.test_client(), TestClient(fastapi_app)
        answers = []
        for headers in HEADERS:
            expected = flask_client.get("/api/books/7/links", headers=headers)
            got = client.get("/api/books/7/links", headers=headers)
            assert got.status_code == expected.status_code == 200, headers
            assert got.json() == expected.get_json(), headers
            answers.append(got.json()["self"])
        assert answers[:3] == ["http://localhost/api/books/7/links", "http://example.com/api/books/7/links",
                               "http://example.com/api/books/7/links"]
        assert answers[5] == "https://example.com/api/books/7/links"  # ProxyFix's scheme, the default port left out
    finally:
        _forget()
