"""Flask-Injector -> the injector bridge (port/injector.py, port/written/flask_injector_bridge.py): the same
injector modules, singletons and Flask-Injector's request scope, each view's typed arguments from the injector;
compared side by side with Flask-Injector itself on the same requests, and the refusals with their reasons."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _port_support import bridged_sides, ported_project, tried

from migrate_audit.port import port

pytest.importorskip("flask_injector")
pytest.importorskip("fastapi")

APP = '''
from flask import Flask, jsonify
from flask_injector import FlaskInjector, request
from injector import Binder, Module, inject, provider, singleton


class Counter:
    def __init__(self):
        self.count = 0

    def hit(self):
        self.count += 1
        return self.count


class PerRequest:
    made = 0

    def __init__(self):
        PerRequest.made += 1
        self.number = PerRequest.made


class Audit:
    @inject
    def __init__(self, context: PerRequest, counter: Counter):
        self.context, self.counter = context, counter


class Greeting(str):
    pass


class Prices(Module):
    @singleton
    @provider
    def rate(self, greeting: Greeting) -> float:
        return 0.07 if greeting == "Welcome" else 0.2


def configure(binder: Binder):
    binder.bind(Counter, to=Counter, scope=singleton)
    binder.bind(PerRequest, to=PerRequest, scope=request)
    binder.bind(Greeting, to=Greeting("Welcome"))


app = Flask(__name__)


@app.get("/visits")
def visits(counter: Counter, context: PerRequest, audit: Audit):
    return {"visits": counter.hit(), "request": context.number, "same context": audit.context is context,
            "same counter": audit.counter is counter}


@app.get("/books/<int:book_id>")
@inject
def book(book_id: int, rate: float, greeting: Greeting):
    return jsonify(book=book_id, rate=rate, greeting=greeting)


@app.get("/plain/<name>")
def plain(name):
    return {"name": name}


FlaskInjector(app=app, modules=[configure, Prices()])
'''
REQUESTS = ["/visits", "/visits", "/books/7", "/plain/x", "/visits", "/books/8"]


def _answers(client, paths: list[str]) -> list[tuple[int, object]]:  # type: ignore[no-untyped-def]
    found = []
    for path in paths:
        response = client.get(path)
        found.append((response.status_code, response.json() if hasattr(response, "is_success") else response.get_json()))
    return found


def test_views_get_their_arguments_from_the_same_modules_and_scopes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A singleton counted on across requests, one request-scoped object per request (shared by the view and
    the objects built for it), a provider's singleton, and URL values passed as Flask passes them."""
    from fastapi.testclient import TestClient

    for flask_app, ported_app, result in bridged_sides(tmp_path, monkeypatch, APP, "injector", ("flask_injector_bridge",)):
        text = result.after["app.py"]
        assert "from flask_injector_bridge import FlaskInjector, Injected, request" in text
        assert "counter: Annotated[Counter, Injected(Counter)]" in text
        assert "@inject\ndef book(\n    book_id: int,\n    rate: Annotated[float, Injected(float)]," in text
        assert "FlaskInjector(app=app, modules=[configure, Prices()])" in text
        assert (result.routes, result.routes_ported) == (3, 3)
        assert result.todos == []
        flask_answers = _answers(flask_app.test_client(), REQUESTS)
        ported_answers = _answers(TestClient(ported_app), REQUESTS)
        # PerRequest.made is a class attribute of each side's own module: both count from 0
        assert ported_answers == flask_answers
        assert [answer["request"] for status, answer in flask_answers if "visits" in answer] == [1, 2, 3]
        assert [answer["visits"] for status, answer in flask_answers if "visits" in answer] == [1, 2, 3]
        assert all(answer["same context"] and answer["same counter"] for _, answer in flask_answers if "visits" in answer)


STRANGLER = '''
from typing import Annotated

from fastapi import FastAPI
from flask import Flask
from flask_injector import FlaskInjector, request
from injector import Binder, singleton

from flask_injector_bridge import Injected, injector_of


class Counter:
    def __init__(self):
        self.count = 0


class PerRequest:
    pass


def configure(binder: Binder):
    binder.bind(Counter, to=Counter, scope=singleton)
    binder.bind(PerRequest, to=PerRequest, scope=request)


flask_app = Flask(__name__)


@flask_app.get("/flask")
def from_flask(counter: Counter, one: PerRequest, two: PerRequest):
    counter.count += 1
    return {"count": counter.count, "one object": one is two}


made = FlaskInjector(app=flask_app, modules=[configure])
app = FastAPI()
app.state.injector = injector_of(flask_app)
seen = []


@app.get("/fastapi")
def from_fastapi(counter: Annotated[Counter, Injected(Counter)], one: Annotated[PerRequest, Injected(PerRequest)],
                 two: Annotated[PerRequest, Injected(PerRequest)]):
    counter.count += 1
    seen.append(one)
    return {"count": counter.count, "one object": one is two}
'''


def test_the_bridge_injector_is_the_one_flask_injector_made_for_a_flask_app(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """injector_of(flask_app): the strangler phase's FastAPI app takes its arguments from the Flask app's own
    injector (its singletons shared with the Flask views), with Flask-Injector's request scope kept per FastAPI
    request (one object for the request, a new one the next)."""
    from _tools import load_module
    from fastapi.testclient import TestClient
    from flask import Flask

    from migrate_audit.port import injector as port_injector

    (tmp_path / "flask_injector_bridge.py").write_text(port_injector.BRIDGE, encoding="utf-8")
    (tmp_path / "strangler.py").write_text(STRANGLER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = load_module(tmp_path / "strangler.py", f"strangler_{tmp_path.name}")
    assert module.app.state.injector is module.made.injector
    with pytest.raises(LookupError):
        module.injector_of(Flask("other"))
    flask_client, fastapi_client = module.flask_app.test_client(), TestClient(module.app)
    assert flask_client.get("/flask").get_json() == {"count": 1, "one object": True}
    assert fastapi_client.get("/fastapi").json() == {"count": 2, "one object": True}
    assert fastapi_client.get("/fastapi").json() == {"count": 3, "one object": True}
    assert module.seen[0] is not module.seen[1]  # a new one per request
    assert flask_client.get("/flask").get_json() == {"count": 4, "one object": True}
    import sys

    sys.modules.pop("flask_injector_bridge", None)


@pytest.mark.parametrize(("change", "reason"), [
    (("def book(book_id: int, rate: float, greeting: Greeting):", "def book(book_id: int, rate: float, greeting: Greeting = None):"),
     "the view's parameter greeting: Greeting = None has a type and a default"),
    (("def visits(counter: Counter, context: PerRequest, audit: Audit):", "def visits(counter: Counter, config: Config):"),
     "config: Config is Flask's, which Flask-Injector binds to the Flask app's"),
    (("FlaskInjector(app=app, modules=[configure, Prices()])", "FlaskInjector(app=app, modules=[configure], injector=None)"),
     "FlaskInjector(...) with injector=, which the bridge does not take"),
    (("@app.get(\"/plain/<name>\")", "@app.before_request\ndef hook(counter: Counter):\n    pass\n\n\n@app.get(\"/plain/<name>\")"),
     "the before_request function at line 63 has type hints, which Flask-Injector injects into and the port does not"),
    (("from flask_injector import FlaskInjector, request", "from flask_injector import Config, FlaskInjector, request"),
     "flask_injector's Config is not in the bridge"),
])
def test_what_the_bridge_does_not_carry_stays_flask_with_the_reason(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    source = APP.replace(*change)
    assert source != APP
    folder, result = ported_project(tmp_path, source)
    assert "flask_injector_bridge" not in "".join(result.after.values())
    [view] = [site for site in tried(folder) if site.code == "FMA388" and "visits" in site.node.text()]
    assert not view.handled and view.reason.startswith(reason), view.reason
    assert any("stays Flask" in note for note in result.notes)


def test_a_blueprint_module_whose_app_does_not_stay_flask_with_an_injector_keeps_its_todo(tmp_path: Path) -> None:
    """Without FlaskInjector in its module, a view's injector is the app's: only where the app stays Flask with
    one does main.py hand it to FastAPI (below); otherwise there would be no injector to get the arguments from."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "views.py").write_text(textwrap.dedent('''
        from flask import Blueprint
        from injector import inject

        bp = Blueprint("views", __name__)


        class Clock:
            pass


        @bp.get("/now")
        @inject
        def now(clock: Clock):
            return {"clock": type(clock).__name__}
        '''), encoding="utf-8")
    from migrate_audit.port import plan
    from migrate_audit.port.convert import Facts, port_file

    project = plan.read_project(str(folder))
    file = project.parse("views.py")
    port_file(file, plan.resolver(project), None, Facts())
    [view] = [site for site in file.sites if site.code == "FMA388"]
    assert not view.handled and view.reason.startswith("no FlaskInjector(app=...) in this module, nor on every app")


FACTORY = {
    "shop/__init__.py": '''
        from flask import Flask
        from flask_injector import FlaskInjector, request
        from injector import Binder, singleton

        from .pricing import Basket, PriceCalculator

        CONFIGS = {"default": {"VAT_RATE": 0.2, "PER_PAGE": 2}, "testing": {"VAT_RATE": 0.0, "PER_PAGE": 1}}


        def create_app(config_name="default"):
            app = Flask(__name__)
            app.config.from_mapping(CONFIGS[config_name])

            from .catalog import bp as catalog_bp

            app.register_blueprint(catalog_bp)

            def configure(binder: Binder):
                binder.bind(PriceCalculator, to=PriceCalculator(app.config["VAT_RATE"]), scope=singleton)
                binder.bind(Basket, to=Basket, scope=request)

            FlaskInjector(app=app, modules=[configure])
            return app
        ''',
    "shop/pricing.py": '''
        class PriceCalculator:
            def __init__(self, vat_rate):
                self.vat_rate = vat_rate
                self.quotes = 0

            def quote(self, cents):
                self.quotes += 1
                return round(cents * (1 + self.vat_rate))


        class Basket:
            def __init__(self):
                self.items = []
        ''',
    "shop/catalog.py": '''
        from flask import Blueprint, current_app
        from injector import inject

        from .pricing import Basket, PriceCalculator

        bp = Blueprint("catalog", __name__)
        BOOKS = {1: 1000, 2: 2500}


        @bp.get("/books/<int:book_id>")
        @inject
        def detail(book_id, pricing: PriceCalculator, basket: Basket):
            basket.items.append(book_id)
            return {"price": pricing.quote(BOOKS[book_id]), "quotes": pricing.quotes, "basket": basket.items,
                    "per_page": current_app.config["PER_PAGE"]}
        ''',
}


def test_a_factory_apps_blueprint_takes_its_arguments_from_the_flask_apps_injector(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app stays Flask (made in a factory, its config of its own per call): the Blueprint converts, and the
    FastAPI app composed in front of each app the factory makes (main.py's; `ported_app(create_app(name))`) takes
    the view's arguments from that app's injector (its singleton built from that app's config) and its config."""
    import importlib
    import shutil
    import sys

    from fastapi.testclient import TestClient


    source = tmp_path / "project"
    for relpath, text in FACTORY.items():
        (source / relpath).parent.mkdir(parents=True, exist_ok=True)
        (source / relpath).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    result = port(str(source))
    assert (result.routes, result.routes_ported) == (1, 1)
    catalog = result.after["shop/catalog.py"]
    assert "def detail(\n    request: Request,\n    book_id: int,\n    pricing: Annotated[PriceCalculator, Injected(PriceCalculator)]," \
        in catalog
    assert "from flask_injector_bridge import Injected" in catalog
    main = result.after["main.py"]
    assert "from flask_injector_bridge import injector_of" in main
    assert "app.state.injector = injector_of(flask_application)" in main
    assert result.after["flask_injector_bridge.py"] == (Path(__file__).parent.parent / "src" / "migrate_audit" / "port" /
                                                        "written" / "flask_injector_bridge.py").read_text(encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(source, out)
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")

    def forget() -> None:
        for name in list(sys.modules):
            if name.split(".")[0] in ("shop", "main", "flask_injector_bridge"):
                del sys.modules[name]

    requests = ["/books/1", "/books/2", "/books/1"]
    for config_name in ("default", "testing", None):
        forget()
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(source))
            flask_app = importlib.import_module("shop").create_app(*([config_name] if config_name else []))
            flask_answers = _answers(flask_app.test_client(), requests)
        forget()
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(out))
            if config_name is None:  # main.py: the app the factory makes with its defaults
                ported = importlib.import_module("main").app
            else:
                from fastapi import FastAPI

                from migrate_audit.port.test_clients import app_helper_text
                from migrate_audit.port.writer import Include

                namespace: dict = {}
                exec(app_helper_text([Include("shop.catalog", "bp", "")], False, config=True, injector=True), namespace)  # noqa: S102
                ported = namespace["ported_app"](importlib.import_module("shop").create_app(config_name))
                assert isinstance(ported, FastAPI)
            assert "/books/{book_id}" in ported.openapi()["paths"]  # FastAPI answers it, not the Flask app
            ported_answers = _answers(TestClient(ported), requests)
        forget()
        assert ported_answers == flask_answers, config_name
    assert flask_answers[0][1] == {"price": 1200, "quotes": 1, "basket": [1], "per_page": 2}


MOVING = '''
from flask import Flask
from flask_injector import FlaskInjector, request
from injector import Binder, singleton


class Counter:
    def __init__(self):
        self.count = 0


class PerRequest:
    pass


def configure(binder: Binder):
    binder.bind(Counter, to=Counter, scope=singleton)
    binder.bind(PerRequest, to=PerRequest, scope=request)


app = Flask(__name__)


@app.get("/visits")
def visits(counter: Counter, one: PerRequest, two: PerRequest):
    counter.count += 1
    return {"visits": counter.count, "one object": one is two}


FlaskInjector(app=app, modules=[configure])

if __name__ == "__main__":
    app.run(debug=True, port=5000)
'''


def test_an_injected_view_moves_on_its_own_with_the_flask_apps_injector(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app stays Flask (app.run with options), its injected view moves to FastAPI in front of it (split.py):
    main.py hands the copy the Flask app's own injector, so the singleton counts on across both, and each FastAPI
    request has its own request-scoped object."""
    import importlib
    import sys

    from fastapi.testclient import TestClient


    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(MOVING, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1, result.notes
    assert "counter: Annotated[Counter, Injected(Counter)]" in result.after["app_fastapi.py"]
    assert "app.state.injector = injector_of(flask_app)" in result.after["main.py"]
    out = tmp_path / "out"
    out.mkdir()
    (out / "app.py").write_text(MOVING, encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    for name in ("app", "main", "app_fastapi", "flask_injector_bridge"):
        sys.modules.pop(name, None)
    monkeypatch.syspath_prepend(str(out))
    main = importlib.import_module("main")
    assert "/visits" in main.app.openapi()["paths"]
    client = TestClient(main.app)
    flask_client = importlib.import_module("app").app.test_client()  # the Flask app main.py mounts
    assert client.get("/visits").json() == {"visits": 1, "one object": True}
    assert flask_client.get("/visits").get_json() == {"visits": 2, "one object": True}
    assert client.get("/visits").json() == {"visits": 3, "one object": True}
    for name in ("app", "main", "app_fastapi", "flask_injector_bridge"):
        sys.modules.pop(name, None)


def test_a_flask_injector_made_only_under_a_condition_keeps_the_blueprints_views_with_flask(tmp_path: Path) -> None:
    """main.py's injector_of(flask_app) must find the injector on every app the factory makes: one made under an
    `if` may be missing, and main.py would fail at import, so the injected view keeps its TODO."""

    files = dict(FACTORY)
    files["shop/__init__.py"] = files["shop/__init__.py"].replace(
        "            FlaskInjector(app=app, modules=[configure])",
        "            if app.config.get(\"INJECT\", True):\n                FlaskInjector(app=app, modules=[configure])")
    assert files != FACTORY
    source = tmp_path / "project"
    for relpath, text in files.items():
        (source / relpath).parent.mkdir(parents=True, exist_ok=True)
        (source / relpath).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    result = port(str(source))
    assert result.routes_ported == 0 and "main.py" not in result.after
    assert "blueprint catalog (shop/catalog.py) stays Flask: Flask-Injector fills the typed views of shop/catalog.py: no " \
        "FlaskInjector(app=...) in this module, nor on every app the project makes" in "\n".join(result.notes)


def test_a_typed_default_is_injected_by_flask_injector_so_the_module_stays(tmp_path: Path) -> None:
    """Flask-Injector injects every annotated parameter, defaults included: `page: int = 1` gets injector.get(int),
    0, where FastAPI would read the query. Checked on Flask-Injector itself, then the port's refusal."""
    from flask import Flask
    from flask_injector import FlaskInjector

    app = Flask(__name__)

    @app.get("/list")
    def listing(page: int = 1):  # type: ignore[no-untyped-def]
        return {"page": page}

    FlaskInjector(app=app, modules=[])
    assert app.test_client().get("/list?page=3").get_json() == {"page": 0}
    source = APP.replace('@app.get("/plain/<name>")\ndef plain(name):', '@app.get("/plain/<name>")\ndef plain(name, page: int = 1):')
    assert source != APP
    folder, result = ported_project(tmp_path, source)
    assert "flask_injector_bridge" not in "".join(result.after.values())
    [view] = [site for site in tried(folder) if site.code == "FMA388" and "visits" in site.node.text()]
    assert view.reason.startswith("the view's parameter page: int = 1 has a type and a default"), view.reason


WHOLE = {
    "app.py": '''
        from flask import Flask
        from flask_injector import FlaskInjector, request
        from injector import Binder, singleton

        from more import bp as more_bp
        from services import Clock, Visit
        from views import bp as views_bp

        app = Flask(__name__)
        app.register_blueprint(views_bp)
        app.register_blueprint(more_bp, url_prefix="/more")


        def configure(binder: Binder):
            binder.bind(Clock, to=Clock, scope=singleton)
            binder.bind(Visit, to=Visit, scope=request)


        FlaskInjector(app=app, modules=[configure])
        ''',
    "services.py": '''
        class Clock:
            def __init__(self):
                self.ticks = 0

            def tick(self):
                self.ticks += 1
                return self.ticks


        class Visit:
            made = 0

            def __init__(self):
                Visit.made += 1
                self.number = Visit.made
        ''',
    "views.py": '''
        from flask import Blueprint
        from injector import inject

        from services import Clock, Visit

        bp = Blueprint("views", __name__)


        @bp.get("/tick/<int:step>")
        @inject
        def tick(step, clock: Clock, visit: Visit):
            return {"step": step, "ticks": clock.tick(), "visit": visit.number}
        ''',
    "more.py": '''
        from flask import Blueprint

        from services import Clock, Visit

        bp = Blueprint("more", __name__)


        @bp.get("/again")
        def again(clock: Clock, one: Visit, two: Visit):
            return {"ticks": clock.tick(), "one visit": one is two, "visit": one.number}
        ''',
}


def test_blueprints_of_an_app_ported_whole_take_their_arguments_from_its_injector(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app's module converts whole (the bridge's FlaskInjector puts the injector on the FastAPI app): its
    Blueprints' views take their arguments from it, those of a module that does not import the injector too
    (Flask-Injector wraps every typed view), with the singleton and the request scope as Flask-Injector's."""
    import importlib
    import sys

    from fastapi.testclient import TestClient

    source = tmp_path / "project"
    source.mkdir()
    for relpath, text in WHOLE.items():
        (source / relpath).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    result = port(str(source))
    assert "main.py" not in result.after and (result.routes, result.routes_ported) == (2, 2), result.notes
    assert "one: Annotated[Visit, Injected(Visit)]" in result.after["more.py"]
    assert "from flask_injector_bridge import FlaskInjector, request" in result.after["app.py"]
    out = tmp_path / "out"
    out.mkdir()
    for relpath in WHOLE:
        (out / relpath).write_text(result.after.get(relpath, (source / relpath).read_text(encoding="utf-8")),
                                   encoding="utf-8")
    for relpath, text in result.after.items():
        (out / relpath).write_text(text, encoding="utf-8")
    requests = ["/tick/1", "/more/again", "/tick/2", "/more/again"]
    answers = []
    for folder in (source, out):
        for name in ("app", "more", "views", "services", "flask_injector_bridge"):
            sys.modules.pop(name, None)
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(folder))
            app = importlib.import_module("app").app
            client = app.test_client() if folder == source else TestClient(app)
            answers.append(_answers(client, requests))
    for name in ("app", "more", "views", "services", "flask_injector_bridge"):
        sys.modules.pop(name, None)
    assert answers[1] == answers[0]
    assert [answer["ticks"] for _, answer in answers[0]] == [1, 2, 3, 4]
    assert answers[0][1][1] == {"ticks": 2, "one visit": True, "visit": 2}


def test_a_typed_view_the_port_cannot_inject_keeps_its_route_with_flask_without_a_finding(tmp_path: Path) -> None:
    """A module that does not import the injector has no finding for its typed views, but Flask-Injector fills
    them all the same: one the port cannot fill (a string annotation) keeps its route, and its module's units,
    with Flask, saying why, and nothing of it moves on its own."""
    files = {**WHOLE, "more.py": WHOLE["more.py"].replace("def again(clock: Clock,", "def again(clock: 'Clock',")}
    assert files != WHOLE
    source = tmp_path / "project"
    source.mkdir()
    for relpath, text in files.items():
        (source / relpath).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    result = port(str(source))
    assert result.routes_ported == 1 and result.routes_moved == 0
    assert "Injected" not in result.after.get("more.py", "")
    assert "blueprint more (more.py) stays Flask: Flask-Injector fills the typed views of more.py: the type of clock " \
        "is not a name, which the port does not inject" in result.notes
