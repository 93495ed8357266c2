"""Units under `--only`: a Blueprint whose views keep a TODO is not served by FastAPI (port/units.py); only
its views that convert fully move (port/split.py), and through main.py every route answers as Flask did."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from migrate_audit.cli import main
from migrate_audit.port import port

FIXTURE = Path(__file__).parent / "fixtures" / "port" / "unfinished"
MODULES = ("main", "app", "shop", "shop_fastapi", "shop_fastapi_draft")
# /shop/search keeps a TODO (request.environ): served from FastAPI, its draft answers 500
REQUESTS = ["/shop/items/1", "/shop/items/7", "/shop/search", "/shop/search?q=in", "/health", "/nowhere"]


def _forget() -> None:
    """Drop the fixture's and the port's modules. Not with monkeypatch: its undo would put back the modules
    imported here, and a later test importing its own `app` (the proofs') would get this one."""
    for name in MODULES:
        sys.modules.pop(name, None)


@pytest.fixture(autouse=True)
def _fresh_modules():  # type: ignore[no-untyped-def]
    _forget()
    yield
    _forget()


def test_only_views_converted_fully_are_served_by_fastapi(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("a2wsgi")
    from fastapi.testclient import TestClient

    result = port(str(FIXTURE), only="shop")
    assert sorted(result.after) == ["main.py", "shop.py", "shop_fastapi.py", "shop_fastapi_draft.py"]
    assert (result.routes, result.routes_ported, result.routes_moved) == (2, 1, 1)
    assert [name for _, _, name in result.converted] == ["item"]
    assert any(note.startswith("blueprint shop (shop.py) stays Flask: FMA208 at shop.py:15") for note in result.notes)
    # the Flask module keeps its code (TODO comments only), so Flask still answers /shop/search
    code = [line for line in result.after["shop.py"].splitlines() if not line.lstrip().startswith("#")]
    assert code == [line for line in (FIXTURE / "shop.py").read_text(encoding="utf-8").splitlines()
                    if not line.lstrip().startswith("#")]
    assert "def search" not in result.after["shop_fastapi.py"]
    # the whole conversion, TODOs and all, is there for people to finish, and nothing imports it
    assert result.drafts == ["shop_fastapi_draft.py"]
    assert any(note.startswith("shop.py converted with its TODOs is in shop_fastapi_draft.py") for note in result.notes)
    assert "bp = APIRouter(prefix=\"/shop\")" in result.after["shop_fastapi_draft.py"]
    assert "TODO(migrate-audit FMA208)" in result.after["shop_fastapi_draft.py"]
    assert all("shop_fastapi_draft" not in text for path, text in result.after.items() if path != "shop_fastapi_draft.py")

    out = tmp_path / "out"
    assert main(["port", str(FIXTURE), "--only", "shop", "--out", str(out)]) == 0
    _forget()
    monkeypatch.syspath_prepend(str(out))
    import main as ported_main  # noqa: PLC0415

    assert set(ported_main.app.openapi()["paths"]) == {"/shop/items/{item_id}"}  # FastAPI's own paths
    ported = TestClient(ported_main.app)
    _forget()
    monkeypatch.syspath_prepend(str(FIXTURE))
    import app as flask_module  # noqa: PLC0415

    flask = flask_module.app.test_client()
    for path in REQUESTS:
        want, got = flask.get(path), ported.get(path, follow_redirects=False)
        assert got.status_code == want.status_code, path
        if want.is_json:
            assert got.json() == want.get_json(), path
    assert ported.get("/shop/search?q=in").json() == {"found": ["ink"]}
    _forget()


def test_the_draft_alone_would_answer_otherwise(tmp_path: Path, monkeypatch) -> None:
    """Why the unit is held back: the draft's unfinished view, served, does not answer as Flask."""
    pytest.importorskip("fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    result = port(str(FIXTURE), only="shop")
    (tmp_path / "shop_fastapi_draft.py").write_text(result.after["shop_fastapi_draft.py"], encoding="utf-8")
    _forget()
    monkeypatch.syspath_prepend(str(tmp_path))
    import shop_fastapi_draft  # noqa: PLC0415

    app = FastAPI()
    app.include_router(shop_fastapi_draft.bp)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/shop/items/1").json() == {"id": 1, "name": "pen"}
    assert client.get("/shop/search").status_code == 500  # Flask answers 200
    _forget()


def test_a_whole_port_converts_unfinished_units_as_before() -> None:
    """With no Flask app left to serve them (the app converts too), units convert whole, TODOs and all."""
    result = port(str(FIXTURE))
    assert "main.py" not in result.after and result.drafts == []
    assert "APIRouter" in result.after["shop.py"] and "TODO(migrate-audit FMA208)" in result.after["shop.py"]


@pytest.mark.parametrize(("module", "draft"), [("shop.py", "shop_fastapi_draft.py"),
                                               ("app/auth/routes.py", "app/auth/routes_fastapi_draft.py"),
                                               ("app/auth/__init__.py", "app/auth/package_fastapi_draft.py")])
def test_each_module_of_a_unit_has_its_own_draft(module: str, draft: str) -> None:
    """A Blueprint made in its package's __init__.py and routed in routes.py (microblog) gets two drafts."""
    from migrate_audit.port.units import draft_path

    assert draft_path(module) == draft


AROUND_APP = '''\
from flask import Flask

from books import bp

app = Flask(__name__)
{hook}
app.register_blueprint(bp)
'''
AROUND_BOOKS = '''\
from flask import Blueprint

bp = Blueprint("books", __name__, url_prefix="/books")


@bp.get("/")
def index():
    return {"books": []}
'''


@pytest.mark.parametrize(("hook", "why"), [
    # hooks and handlers main.py runs around FastAPI's routes (port/hooks_in_front.py) no longer hold it back
    ('\n\n@app.after_request\ndef stamp(response):\n    response.headers["X-Stamp"] = "1"\n    return response\n\n',
     None),
    ("\n\n@app.errorhandler(404)\ndef missing(error):\n    return {'missing': True}, 404\n\n", None),
    ("\n\n@app.errorhandler(500)\ndef broken(error):\n    return {'broken': True}, 500\n\n", "(flask-error-handler)"),
    ("from werkzeug.middleware.proxy_fix import ProxyFix\napp.wsgi_app = ProxyFix(app.wsgi_app)\n", None),
    ("from werkzeug.middleware.shared_data import SharedDataMiddleware\n"
     'app.wsgi_app = SharedDataMiddleware(app.wsgi_app, {"/files": "files"})\n', "(flask-wsgi-middleware)"),
    ("", None),
])
def test_a_blueprint_the_flask_app_runs_something_around_stays_flask(tmp_path: Path, hook: str, why: str | None) -> None:
    """main.py serves a converted Blueprint in front of the Flask app, which no longer runs its hooks, handlers
    or middleware for those requests (an after_request header would be missing): the Blueprint stays Flask."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(AROUND_APP.format(hook=hook), encoding="utf-8")
    (folder / "books.py").write_text(AROUND_BOOKS, encoding="utf-8")
    result = port(str(folder), only="books")
    if why is None:
        assert "main.py" in result.after and result.routes_ported == 1, result.notes
        return
    assert "main.py" not in result.after and result.routes_ported == 0
    assert any(note.startswith("blueprint books (books.py) stays Flask: the Flask app takes part") and why in note
               for note in result.notes), result.notes
