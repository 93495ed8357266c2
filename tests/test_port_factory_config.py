"""An app made in a factory keeps its config with Flask (port/config.py): the views that convert in its
Blueprints read `current_app.config` from the FastAPI app main.py composes in front of it (`app.state.config`,
the Flask app's own config object), and the ported tests' `ported_app(create_app("testing"))` composes the same
around the app the test made, so each config the factory loads (`from_object`, `from_envvar`, `from_pyfile`, a
mapping, Flask's defaults) answers as in Flask. Compared side by side: the Flask app's test client and FastAPI's
TestClient on what the port wrote, on the same requests."""
from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from migrate_audit.port import port

PACKAGE = {
    "shop/__init__.py": '''
        from flask import Flask

        from .settings import CONFIGS


        def create_app(config_name="default"):
            app = Flask(__name__)
            app.config.from_object(CONFIGS[config_name])
            app.config.from_envvar("SHOP_SETTINGS", silent=True)
            app.config.from_pyfile("local.cfg", silent=True)
            app.config.update(GREETING="hello")

            from .catalog import bp as catalog_bp

            app.register_blueprint(catalog_bp, url_prefix="/catalog")
            return app
        ''',
    "shop/settings.py": '''
        class Default:
            PER_PAGE = 2
            CURRENCY = "EUR"


        class Testing(Default):
            TESTING = True
            PER_PAGE = 1


        CONFIGS = {"default": Default, "testing": Testing}
        ''',
    "shop/catalog.py": '''
        from flask import Blueprint, current_app, jsonify

        bp = Blueprint("catalog", __name__)
        BOOKS = ["Dune", "Emma", "Ulysses"]


        @bp.get("/books")
        def books():
            return jsonify(books=BOOKS[: current_app.config["PER_PAGE"]], currency=current_app.config["CURRENCY"],
                           greeting=current_app.config.get("GREETING"), local=current_app.config.get("LOCAL", "-"),
                           testing=current_app.config["TESTING"], max_age=current_app.config["SEND_FILE_MAX_AGE_DEFAULT"])
        ''',
    "tests/test_shop.py": '''
        from shop import create_app


        def test_testing_config_pages_by_one():
            client = create_app("testing").test_client()
            response = client.get("/catalog/books")
            assert response.status_code == 200
            assert response.get_json()["books"] == ["Dune"]
        ''',
}


def _project(folder: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / relpath).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


@contextmanager
def _imported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`folder` first on sys.path, the project's modules forgotten before and after (both sides name them alike)."""
    names = ("shop", "main", "ported_test_app", "test_shop")

    def forget() -> None:
        for name in list(sys.modules):
            if name.split(".")[0] in names:
                del sys.modules[name]

    forget()
    with monkeypatch.context() as patch:
        patch.syspath_prepend(str(folder))
        try:
            yield
        finally:
            forget()


def _answers(client, requests: list[str]) -> list[tuple[int, object]]:  # type: ignore[no-untyped-def]
    answers = []
    for path in requests:
        response = client.get(path)
        answers.append((response.status_code, response.json() if hasattr(response, "is_success") else response.get_json()))
    return answers


@pytest.fixture()
def shop(tmp_path: Path):  # type: ignore[no-untyped-def]
    source = _project(tmp_path / "project", PACKAGE)
    result = port(str(source))
    out = tmp_path / "out"
    for relpath in source.rglob("*"):
        if relpath.is_file():
            target = out / relpath.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(relpath.read_bytes())
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    return source, out, result


def test_a_factory_apps_blueprint_converts_and_main_carries_the_flask_config(shop) -> None:  # type: ignore[no-untyped-def]
    _, _, result = shop
    assert (result.routes, result.routes_ported) == (1, 1)
    assert any(note.startswith("app stays Flask: FMA501 at shop/__init__.py:8") for note in result.notes)
    catalog = result.after["shop/catalog.py"]
    assert "def books(request: Request):" in catalog
    assert 'request.app.state.config["PER_PAGE"]' in catalog and 'request.app.state.config.get("GREETING")' in catalog
    assert "current_app" not in catalog
    main = result.after["main.py"]
    assert "flask_application = flask_create_app()\n" in main
    assert "app.state.config = flask_application.config" in main
    assert 'app.mount("/", WSGIMiddleware(flask_application))' in main
    helper = result.after["tests/ported_test_app.py"]
    assert "    app.state.config = flask_app.config" in helper
    assert "ported_app(create_app(\"testing\"))," in result.after["tests/test_shop.py"]


@pytest.mark.parametrize("settings", [None, "PER_PAGE = 3\nGREETING = 'overwritten by update'\n"])
def test_main_answers_with_the_default_config_as_flask(shop, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       settings: str | None) -> None:
    """main.py's FastAPI app in front of `create_app()`: from_object, from_envvar (a settings file named by the
    environment), update and Flask's own defaults, read by the ported view as by Flask's."""
    from fastapi.testclient import TestClient

    source, out, _ = shop
    if settings is not None:
        (tmp_path / "shop.cfg").write_text(settings, encoding="utf-8")
        monkeypatch.setenv("SHOP_SETTINGS", str(tmp_path / "shop.cfg"))
    requests = ["/catalog/books"]
    with _imported(source, monkeypatch):
        flask_answers = _answers(importlib.import_module("shop").create_app().test_client(), requests)
    with _imported(out, monkeypatch):
        main = importlib.import_module("main")
        assert "/catalog/books" in main.app.openapi()["paths"]  # FastAPI answers it, not the Flask app behind
        ported_answers = _answers(TestClient(main.app), requests)
    assert ported_answers == flask_answers
    assert flask_answers[0][1]["books"] == (["Dune", "Emma", "Ulysses"] if settings else ["Dune", "Emma"])


def test_each_app_the_factory_makes_answers_with_its_own_config(shop, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """`ported_app(create_app(name))` per config, as the ported tests compose it; a `local.cfg` beside the package
    (`from_pyfile`, relative to the app's root path) read by both; and the project's own test, ported, passes."""
    from fastapi.testclient import TestClient

    source, out, _ = shop
    for folder in (source, out):
        (folder / "shop" / "local.cfg").write_text("LOCAL = 'from local.cfg'\n", encoding="utf-8")
    requests = ["/catalog/books"]
    answers = {}
    for name in ("default", "testing"):
        with _imported(source, monkeypatch):
            flask_answers = _answers(importlib.import_module("shop").create_app(name).test_client(), requests)
        with _imported(out, monkeypatch):
            monkeypatch.syspath_prepend(str(out / "tests"))
            ported_app = importlib.import_module("ported_test_app").ported_app
            flask_app = importlib.import_module("shop").create_app(name)
            ported_answers = _answers(TestClient(ported_app(flask_app)), requests)
        assert ported_answers == flask_answers, name
        answers[name] = flask_answers[0][1]
    assert answers["default"]["books"] == ["Dune", "Emma"] and answers["testing"]["books"] == ["Dune"]
    assert answers["testing"]["local"] == "from local.cfg" and answers["testing"]["testing"] is True
    with _imported(out, monkeypatch):
        monkeypatch.syspath_prepend(str(out / "tests"))
        importlib.import_module("test_shop").test_testing_config_pages_by_one()  # the ported test, as pytest runs it


def _port_catalog(tmp_path: Path, catalog: str, app: str | None = None) -> tuple[str, list[str]]:
    files = {**PACKAGE, "shop/catalog.py": catalog}
    files.pop("tests/test_shop.py")
    if app is not None:
        files["shop/__init__.py"] = app
    result = port(str(_project(tmp_path / "project", files)))
    return result.after.get("shop/catalog.py", ""), result.notes


def test_a_config_read_outside_a_view_stays_flask_with_the_reason(tmp_path: Path) -> None:
    """A helper may serve Flask views too, and where no request is handed over there is no `request.app`."""
    text, notes = _port_catalog(tmp_path, '''
        from flask import Blueprint, current_app, jsonify

        bp = Blueprint("catalog", __name__)


        def per_page():
            return current_app.config["PER_PAGE"]


        @bp.get("/books")
        def books():
            return jsonify(per_page=per_page())
        ''')
    assert "request.app.state.config" not in text and "# TODO(migrate-audit FMA503)" in text
    assert any(note.startswith("blueprint catalog (shop/catalog.py) stays Flask: FMA503 at shop/catalog.py:7")
               for note in notes)


def test_a_view_using_flasks_request_otherwise_keeps_its_config_read(tmp_path: Path) -> None:
    """The `request` parameter the read needs would change what the view's other `request` uses see."""
    from migrate_audit.port import plan
    from migrate_audit.port.convert import Facts, port_file

    folder = _project(tmp_path / "project", {**PACKAGE, "shop/catalog.py": '''
        from flask import Blueprint, current_app, jsonify, request

        bp = Blueprint("catalog", __name__)


        @bp.get("/books")
        def books():
            return jsonify(per_page=current_app.config["PER_PAGE"], agent=str(request.user_agent))
        '''})
    project = plan.read_project(str(folder))
    assert plan.keeps_config(project, set(project.findings))
    file = project.parse("shop/catalog.py")
    port_file(file, plan.resolver(project), None, Facts(flask_config=True))
    [read] = [site for site in file.sites if site.code == "FMA503"]
    assert not read.handled and read.reason.startswith("the view also uses Flask's request otherwise (line 8)")


def test_a_module_level_app_ported_whole_keeps_its_config_rewrite(tmp_path: Path) -> None:
    """Where the app module itself is ported and not made in a factory, nothing says it stays Flask: a
    Blueprint's `current_app.config` keeps its TODO (no FastAPI app would carry the config), as before."""
    from migrate_audit.port import plan

    app = '''
        from flask import Flask

        from .catalog import bp as catalog_bp

        app = Flask(__name__)
        app.config["PER_PAGE"] = 2
        app.register_blueprint(catalog_bp, url_prefix="/catalog")
        '''
    folder = _project(tmp_path / "project", {**PACKAGE, "shop/__init__.py": app})
    project = plan.read_project(str(folder))
    assert not plan.keeps_config(project, set(project.findings))
    assert plan.keeps_config(project, {"shop/catalog.py"})  # --only catalog: the app module stays Flask


def test_flask_current_app_config_through_the_module_reads_the_same(shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """`import flask` and `flask.current_app.config[...]`: the same config, read the same way."""
    from fastapi.testclient import TestClient

    files = {**PACKAGE, "shop/catalog.py": '''
        import flask

        bp = flask.Blueprint("catalog", __name__)


        @bp.get("/books")
        def books():
            return {"per_page": flask.current_app.config["PER_PAGE"], "testing": flask.current_app.config.get("TESTING")}
        '''}
    files.pop("tests/test_shop.py")
    source = _project(tmp_path / "module", files)
    result = port(str(source))
    assert 'request.app.state.config["PER_PAGE"]' in result.after["shop/catalog.py"]
    assert (result.routes, result.routes_ported) == (1, 1)
    out = tmp_path / "module_out"
    for path in source.rglob("*.py"):
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.after.get(path.relative_to(source).as_posix(), path.read_text(encoding="utf-8")),
                          encoding="utf-8")
    (out / "main.py").write_text(result.after["main.py"], encoding="utf-8")
    with _imported(source, monkeypatch):
        flask_answers = _answers(importlib.import_module("shop").create_app().test_client(), ["/catalog/books"])
    with _imported(out, monkeypatch):
        ported_answers = _answers(TestClient(importlib.import_module("main").app), ["/catalog/books"])
    assert ported_answers == flask_answers == [(200, {"per_page": 2, "testing": False})]


def test_a_view_that_moves_on_its_own_reads_the_flask_apps_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Blueprint stays Flask for another view's TODO; the view reading config moves alone (split.py) into
    catalog_fastapi.py, and main.py still carries the Flask app's config to it."""
    from fastapi.testclient import TestClient

    files = {**PACKAGE, "shop/catalog.py": '''
        from flask import Blueprint, current_app, request

        bp = Blueprint("catalog", __name__)


        @bp.get("/where")
        def where():
            return {"host": request.environ["HTTP_HOST"]}


        @bp.get("/per-page")
        def per_page():
            return {"per_page": current_app.config["PER_PAGE"], "currency": current_app.config["CURRENCY"]}
        '''}
    files.pop("tests/test_shop.py")
    source = _project(tmp_path / "split", files)
    result = port(str(source))
    assert (result.routes_ported, result.routes_moved) == (1, 1)
    assert 'request.app.state.config["PER_PAGE"]' in result.after["shop/catalog_fastapi.py"]
    assert "app.state.config = flask_application.config" in result.after["main.py"]
    out = tmp_path / "split_out"
    for path in source.rglob("*.py"):
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    requests = ["/catalog/per-page", "/catalog/where"]
    with _imported(source, monkeypatch):
        flask_answers = _answers(importlib.import_module("shop").create_app().test_client(), requests)
    with _imported(out, monkeypatch):
        main = importlib.import_module("main")
        assert set(main.app.openapi()["paths"]) == {"/catalog/per-page"}  # the other stays the Flask app's
        ported_answers = _answers(TestClient(main.app, base_url="http://localhost"), requests)
    assert ported_answers == flask_answers
    assert flask_answers[0] == (200, {"per_page": 2, "currency": "EUR"})
