"""FMA501-514: the application object: configuration, WSGI middleware, testing and serving, the CLI, its
own attributes (logger, settings, extension registry), and the Werkzeug and Flask helpers that come with it."""
from __future__ import annotations

import re
from typing import Any, Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ..testclients import WEBTEST_OF_APP
from ._common import APP, FASTAPI, FLASK, short

CONFIG_LOADING = rule(
    "FMA501", "flask-config-loading", "Configuration loaded with app.config.from_*",
    "`app.config.{method}(...)` loads configuration",
    "a pydantic-settings `BaseSettings` class (env vars, `.env`, prefixes), injected with "
    "`Depends(get_settings)` and `lru_cache`",
    "mandatory", 3, "partial",
    before="app.config.from_object('config.ProductionConfig')\napp.config.from_envvar('BOOKSHELF_SETTINGS')\n",
    after="class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='BOOKSHELF_')\n"
    "    database_url: str\n\n@lru_cache\ndef get_settings() -> Settings:\n    return Settings()\n",
    links=(f"{FASTAPI}/advanced/settings/",),
)
flag_uses(
    CONFIG_LOADING,
    args={
        f"{APP}.config.{m}": {"method": m}
        for m in ("from_object", "from_envvar", "from_mapping", "from_file", "from_prefixed_env", "from_json")
    },
)

CONFIG_PYFILE = rule(
    "FMA502", "flask-config-from-pyfile", "Configuration executed from a Python file",
    "`app.config.from_pyfile(...)` executes a Python file as configuration",
    "the same settings class as `from_object` (FMA501): move the values to environment variables or a `.env` file "
    "read by a pydantic-settings `BaseSettings`",
    "mandatory", 5, "partial",
    rationale="FastAPI has no configuration object that executes files. The names the file set become typed fields "
    "of a pydantic-settings class reading a `.env` file (a missing one is no error, like `silent=True`), so the file "
    "holds data instead of code.",
    before="app.config.from_pyfile('settings.cfg', silent=True)\n",
    after="class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n",
    links=(f"{FASTAPI}/advanced/settings/#reading-a-env-file",),
)
flag_uses(CONFIG_PYFILE, f"{APP}.config.from_pyfile")

CONFIG_ACCESS = rule(
    "FMA503", "flask-config-access", "Configuration value read from app.config",
    "`{expr}` {verb} Flask configuration",
    "an attribute of the settings object (`{setting}`)",
    "mandatory", 1, "partial",
    rationale="There is no `app.config` dict in FastAPI; every read becomes an attribute of the settings object.",
    before="per_page = current_app.config['BOOKS_PER_PAGE']\n",
    after="def books(settings: Annotated[Settings, Depends(get_settings)]):\n    per_page = settings.books_per_page\n",
    links=(f"{FASTAPI}/advanced/settings/",),
)


@on_use(CONFIG_ACCESS, f"{APP}.config")
def _config_access(use: Use) -> Iterator[Hit]:
    parent = use.parent
    if parent is None:
        return
    if parent.kind() == "subscript" and parent.field("value") == use.node:
        holder = use.ctx.parents[parent]
        sets = holder is not None and holder.kind() in ("assignment", "augmented_assignment") \
            and holder.field("left") == parent
        yield use.hit(parent, expr=short(parent.text(), 50), verb="sets" if sets else "reads",
                      setting=_setting(parent.field("subscript")))
        return
    if parent.kind() == "comparison_operator":
        # `'KEY' in app.config`, `'KEY' not in current_app.config`: a read of whether the key is set.
        operands = parent.named_children()
        operators = " ".join(child.text() for child in parent.children() if not child.is_named())
        if len(operands) == 2 and operands[1] == use.node and _MEMBERSHIP_RE.match(operators):
            yield use.hit(parent, expr=short(parent.text(), 50), verb="reads", setting=_setting(operands[0]))
        return
    if parent.kind() == "attribute" and parent.field("object") == use.node:
        attr = parent.field("attribute")
        if attr is not None and attr.text() in ("get", "setdefault", "update", "__getitem__"):
            verb = "sets" if attr.text() in ("setdefault", "update") else "reads"
            call = use.ctx.parents[parent]
            args = call.field("arguments") if call is not None and call.kind() == "call" else None
            first = args.named_children()[0] if args is not None and args.named_children() else None
            yield use.hit(parent, expr=short(parent.text() + "(...)", 50), verb=verb, setting=_setting(first))


_MEMBERSHIP_RE = re.compile(r"^(?:not\s+)?in$")
_KEY_RE = re.compile(r"""[rRuU]?(['"])([A-Za-z_][A-Za-z0-9_]*)\1""")


def _setting(key: Any) -> str:
    """`settings.books_per_page` for the key `'BOOKS_PER_PAGE'`; a generic name when the key is computed."""
    match = _KEY_RE.fullmatch(key.text()) if key is not None and key.kind() == "string" else None
    return f"settings.{match.group(2).lower()}" if match else "settings.<name>"


WSGI_MIDDLEWARE = rule(
    "FMA504", "flask-wsgi-middleware", "WSGI middleware wrapping app.wsgi_app",
    "WSGI middleware wraps the app: `{expr}`",
    "{fix}",
    "mandatory", 3, "partial",
    rationale="ASGI apps cannot run WSGI middleware. `ProxyFix` becomes uvicorn's `--proxy-headers "
    "--forwarded-allow-ips` listing the proxy's addresses: with `'*'` uvicorn takes the left-most "
    "`X-Forwarded-For` entry, which the client can write. Other middleware needs an ASGI version "
    "(`app.add_middleware(...)`).",
    before="app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n",
    after="# uvicorn main:app --proxy-headers --forwarded-allow-ips='10.0.0.1'\n",
    links=(f"{FASTAPI}/advanced/behind-a-proxy/", f"{FASTAPI}/advanced/middleware/"),
)


@on_use(WSGI_MIDDLEWARE, f"{APP}.wsgi_app")
def _wsgi_middleware(use: Use) -> Iterator[Hit]:
    parent = use.parent
    if parent is None or parent.kind() != "assignment" or parent.field("left") != use.node:
        return  # only `app.wsgi_app = Wrapper(app.wsgi_app)` wraps; reading it is part of that statement
    right = parent.field("right")
    text = right.text() if right is not None else ""
    if "ProxyFix" in text:
        fix = "uvicorn's `--proxy-headers --forwarded-allow-ips=...` (or `ProxyHeadersMiddleware`)"
    elif "DebuggedApplication" in text:
        fix = _DEBUGGER
    elif "DispatcherMiddleware" in text:
        fix = "`app.mount(prefix, sub_app)`; mount remaining Flask apps with `a2wsgi.WSGIMiddleware`"
    else:
        fix = "an ASGI middleware: `app.add_middleware(...)` or `@app.middleware('http')`"
    yield use.hit(parent, expr=short(parent.text(), 60), fix=fix)


TEST_CLIENT = rule(
    "FMA505", "flask-test-client", "Flask test client",
    "`{call}` {what}",
    "`fastapi.testclient.TestClient(app)` (httpx: `.json()` and `.content`, redirects followed by default)",
    "mandatory", 3, "partial",
    rationale="Assertions change: `response.get_json()` becomes `response.json()`, `response.data` becomes "
    "`response.content`, and TestClient follows redirects unless `follow_redirects=False`.",
    before="client = app.test_client()\nassert client.get('/').status_code == 302\n",
    after="client = TestClient(app, follow_redirects=False)\nassert client.get('/').status_code == 302\n",
    links=(f"{FASTAPI}/tutorial/testing/",),
)


@on_use(TEST_CLIENT, f"{APP}.test_client")
def _test_client(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(call=short(use.call.text(), 40), what="creates a Flask test client")


@on_use(TEST_CLIENT, WEBTEST_OF_APP)
def _webtest_client(use: Use) -> Iterator[Hit]:
    yield use.hit(call=short(use.node.text(), 40), what="wraps the Flask app in WebTest's WSGI client, which cannot "
                  "drive an ASGI app")


flag_uses(TEST_CLIENT, args={q: {"call": q.rpartition(".")[2], "what": "is the Flask/Werkzeug test client or its "
                                 "response"} for q in (
    "flask.testing.FlaskClient", "flask.testing.EnvironBuilder", "werkzeug.test.Client",
    "werkzeug.test.TestResponse", "werkzeug.test.EnvironBuilder", "werkzeug.test.create_environ",
    "werkzeug.Client")})


APP_RUN = rule(
    "FMA506", "flask-app-run", "Development server started with app.run()",
    "`{call}` starts Werkzeug's development server",
    "`uvicorn.run('module:app', reload=True)` or `fastapi dev module.py`",
    "mandatory", 1, "direct",
    rationale="Werkzeug's interactive debugger (`debug=True`) has no FastAPI equivalent. uvicorn's reloader "
    "needs the app as an import string (`'main:app'`): given the app object with `reload=True`, it exits.",
    before="if __name__ == '__main__':\n    app.run(debug=True, port=5000)\n",
    after="if __name__ == '__main__':\n    uvicorn.run('main:app', reload=True, port=5000)\n",
    links=(f"{FASTAPI}/deployment/manually/", f"{FASTAPI}/tutorial/debugging/"),
)


@on_use(APP_RUN, f"{APP}.run", "werkzeug.serving.run_simple", "werkzeug.run_simple", "werkzeug.serving.make_server")
def _app_run(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(call=short(use.call.text(), 40))


_DEBUGGER = ("no equivalent: Werkzeug's interactive debugger; `FastAPI(debug=True)` shows tracebacks, uvicorn "
             "`--reload` restarts, and an IDE debugger steps through")
_WERKZEUG_MIDDLEWARE = {
    "werkzeug.middleware.proxy_fix.ProxyFix": "uvicorn's `--proxy-headers --forwarded-allow-ips=...`",
    "werkzeug.middleware.dispatcher.DispatcherMiddleware": "`app.mount(prefix, sub_app)`",
    "werkzeug.middleware.shared_data.SharedDataMiddleware": "`app.mount(prefix, StaticFiles(directory=...))`",
    "werkzeug.middleware.profiler.ProfilerMiddleware": "an ASGI profiling middleware (e.g. pyinstrument's)",
    "werkzeug.middleware.lint.LintMiddleware": "nothing: drop it",
    "werkzeug.debug.DebuggedApplication": _DEBUGGER,
}


@on_use(WSGI_MIDDLEWARE, *_WERKZEUG_MIDDLEWARE)
def _werkzeug_middleware(use: Use) -> Iterator[Hit]:
    """Werkzeug middleware built outside `app.wsgi_app = ...` (e.g. `application = DispatcherMiddleware(...)`)."""
    if use.call is None:
        return
    statement = use.ctx.parents[use.call]  # cached: each `parent()` would walk down from the root
    while statement is not None and statement.kind() not in ("assignment", "expression_statement", "module"):
        statement = use.ctx.parents[statement]
    if statement is not None and statement.kind() == "assignment":
        left = statement.field("left")
        if left is not None and left.text().endswith(".wsgi_app"):
            return  # reported once, at the `app.wsgi_app = ...` assignment
    yield use.hit(expr=short(use.call.text(), 60), fix=_WERKZEUG_MIDDLEWARE[use.qual])


JINJA_ENVIRONMENT = rule(
    "FMA507", "flask-jinja-environment", "Jinja environment customised on the app",
    "`{expr}` customises Flask's Jinja environment",
    "`templates.env.filters[...]`, `templates.env.globals[...]` on `Jinja2Templates`, and "
    "`Jinja2Templates(context_processors=[...])`",
    "mandatory", 1, "direct",
    rationale="`Jinja2Templates(directory=...)` builds an environment that autoescapes .html templates as "
    "Flask's does; a hand-built `jinja2.Environment` passed as `env=` does not autoescape unless told.",
    before="@app.template_filter('price')\ndef price(value): ...\n",
    after="templates = Jinja2Templates(directory='templates')\ntemplates.env.filters['price'] = price\n",
    links=(f"{FASTAPI}/advanced/templates/",),
)
flag_uses(JINJA_ENVIRONMENT, args={
    f"{obj}.{attr}": {"expr": f"{'app' if obj == APP else 'bp'}.{attr}"}
    for obj in (APP, "flask.Blueprint()")
    for attr in ("jinja_env", "template_filter", "add_template_filter", "template_global", "add_template_global",
                 "template_test", "add_template_test", "context_processor", "app_context_processor",
                 "app_template_filter", "app_template_global", "app_template_test", "add_app_template_filter",
                 "add_app_template_global", "add_app_template_test")
} | {f"flask.{name}": {"expr": name} for name in ("DispatchingJinjaLoader", "Environment")})

CLI_COMMANDS = rule(
    "FMA508", "flask-cli", "Flask CLI commands",
    "`{expr}` is part of the `flask` command line",
    "Typer (or click) commands that build what they need explicitly; `fastapi dev` / `fastapi run` to serve",
    "mandatory", 3, "partial",
    rationale="`flask` CLI commands run inside an app context (`with_appcontext`); a standalone Typer app must "
    "create its own database session and settings. A Typer app with a single command runs it as the whole "
    "program (`seed` becomes an unexpected argument) unless it has a `@cli.callback()`. `flask shell` has no "
    "equivalent.",
    before="@app.cli.command('seed')\ndef seed():\n    db.session.add(Book(title='Dune'))\n",
    after="cli = typer.Typer()\n\n@cli.command()\ndef seed():\n    with SessionLocal() as session:\n"
    "        session.add(Book(title='Dune'))\n",
    links=("https://typer.tiangolo.com/", f"{FASTAPI}/fastapi-cli/"),
)


@on_use(CLI_COMMANDS, f"{APP}.cli", "flask.Blueprint().cli", "flask.cli")
def _cli(use: Use) -> Iterator[Hit]:
    parent = use.parent
    node = parent if parent is not None and parent.kind() == "attribute" else use.node
    yield Hit(node, {"expr": short(node.text(), 40)})


flag_uses(CLI_COMMANDS, args={f"flask.cli.{n}": {"expr": n} for n in (
    "with_appcontext", "FlaskGroup", "AppGroup", "ScriptInfo", "routes_command", "run_command", "shell_command",
    "pass_script_info", "load_dotenv", "find_best_app", "locate_app", "prepare_import")})

WERKZEUG_HELPERS = rule(
    "FMA509", "werkzeug-framework-agnostic-helpers", "Framework-agnostic Werkzeug and MarkupSafe helpers",
    "`{name}` is a framework-agnostic helper",
    "keep it: werkzeug (or markupsafe) stays installed as a plain library; kept password helpers keep existing "
    "hashes valid",
    "information", 0, "keep",
    rationale="`generate_password_hash`, `check_password_hash`, `secure_filename`, `safe_join`, "
    "`escape`/`Markup`, the `werkzeug.http` parsers and formatters (`http_date`, `parse_date`, "
    "`parse_options_header`, `quote_header_value`, `HTTP_STATUS_CODES`, ...) and `UserAgent` work on plain "
    "strings and do not depend on Flask; keeping the password helpers avoids invalidating stored hashes.",
    before="from werkzeug.security import check_password_hash\n",
    after="from werkzeug.security import check_password_hash  # unchanged\n",
    links=("https://werkzeug.palletsprojects.com/en/stable/utils/",),
    default_enabled=False,
)
# Public: the import inventory (rules/inventory.py) leaves out a Werkzeug import of these alone.
KEEP_HELPERS = ("werkzeug.security.generate_password_hash", "werkzeug.security.check_password_hash",
                "werkzeug.security.safe_join", "werkzeug.utils.secure_filename", "flask.Markup", "flask.escape",
                "werkzeug.utils.safe_join", "werkzeug.user_agent.UserAgent", "werkzeug.useragents.UserAgent",
                *(f"werkzeug.http.{name}" for name in (
                    "HTTP_STATUS_CODES", "http_date", "cookie_date", "parse_date", "quote_header_value",
                    "unquote_header_value", "dump_header", "dump_options_header", "parse_options_header",
                    "parse_list_header", "parse_dict_header", "parse_accept_header", "parse_cache_control_header",
                    "parse_etags", "quote_etag", "unquote_etag", "generate_etag", "parse_range_header",
                    "parse_content_range_header", "parse_if_range_header", "is_resource_modified", "parse_cookie",
                    "dump_cookie", "is_hop_by_hop_header", "is_entity_header", "remove_entity_headers",
                    "remove_hop_by_hop_headers", "dump_age", "parse_age", "COEP", "COOP")),
                # the classes `parse_accept_header` parses into (FMA209's counterpart names them)
                *(f"werkzeug.datastructures.{name}" for name in ("Accept", "MIMEAccept", "LanguageAccept",
                                                                 "CharsetAccept")))
flag_uses(WERKZEUG_HELPERS, args={q: {"name": q.rpartition(".")[2]} for q in KEEP_HELPERS})

STDLIB_HELPERS = rule(
    "FMA513", "werkzeug-helper-with-stdlib-equivalent", "Werkzeug utility with a standard-library equivalent",
    "`{name}` has a standard-library equivalent",
    "{fix}",
    "optional", 1, "direct",
    rationale="These utilities have nothing to do with the web: they keep working while werkzeug stays "
    "installed as a library, and the standard library has the same tool, so the port can drop the dependency "
    "they add.",
    before="from werkzeug.utils import cached_property, import_string\n\nloader = import_string('app.loaders:yaml')\n",
    after="import importlib\nfrom functools import cached_property\n\n"
    "loader = getattr(importlib.import_module('app.loaders'), 'yaml')\n",
    links=("https://docs.python.org/3/library/functools.html#functools.cached_property",
           "https://docs.python.org/3/library/importlib.html#importlib.import_module"),
)
_STDLIB_FIXES = {
    "cached_property": "`functools.cached_property` (it needs an instance `__dict__`; Werkzeug's also works with "
    "a `_cache_<name>` slot)",
    "import_string": "`importlib.import_module(module)` and `getattr` for the name (`import_string` also "
    "accepts `module:name`)",
    "ImportStringError": "`ImportError` (plus `AttributeError` for a missing name)",
    "find_modules": "`pkgutil.iter_modules(package.__path__, package.__name__ + '.')` (`pkgutil.walk_packages` to "
    "recurse)",
}
# Public: like KEEP_HELPERS, a Werkzeug import of these alone is no line the port must touch (inventory.py).
STDLIB_EQUIVALENT_HELPERS = tuple(f"werkzeug.{module}{name}" for name in _STDLIB_FIXES for module in ("utils.", ""))
flag_uses(STDLIB_HELPERS, args={qual: {"name": qual.rpartition(".")[2], "fix": _STDLIB_FIXES[qual.rpartition(".")[2]]}
                                for qual in STDLIB_EQUIVALENT_HELPERS})

FLASK_HELPERS = rule(
    "FMA514", "flask-helper-with-stdlib-equivalent", "Flask helper with a standard-library equivalent",
    "`{name}` is a Flask helper that the standard library replaces",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="These helpers come from the `flask` package, which the port removes; they do not need an "
    "application, so the standard-library version is a one-line change.",
    before="from flask.helpers import get_root_path\n\nTEMPLATES = os.path.join(get_root_path('app'), 'templates')\n",
    after="import importlib.util\n\nTEMPLATES = os.path.join(\n"
    "    os.path.dirname(importlib.util.find_spec('app').origin), 'templates')\n",
    links=("https://docs.python.org/3/library/importlib.html#importlib.util.find_spec",),
)
flag_uses(FLASK_HELPERS, args={
    "flask.get_root_path": {"name": "get_root_path", "fix": "`os.path.dirname(importlib.util.find_spec(name).origin)`, "
                            "or `pathlib.Path(module.__file__).parent`"},
    "flask.locked_cached_property": {"name": "locked_cached_property", "fix": "`functools.cached_property`, with a "
                                     "`threading.Lock` if the value must be computed once across threads"},
})


APP_LOGGER = rule(
    "FMA510", "flask-app-logger", "Application logger app.logger",
    "`{expr}` logs through Flask's application logger",
    "`logger = logging.getLogger(__name__)` (uvicorn configures the `uvicorn.*` loggers)",
    "mandatory", 1, "direct",
    rationale="`FastAPI` objects have no `logger`; a module-level standard logger replaces it, and "
    "`app.logger.handlers` configuration moves to the logging config passed to uvicorn.",
    before="current_app.logger.warning('cache miss for %s', key)\n",
    after="logger = logging.getLogger(__name__)\nlogger.warning('cache miss for %s', key)\n",
    links=("https://docs.python.org/3/library/logging.html", f"{FASTAPI}/deployment/server-workers/"),
)


@on_use(APP_LOGGER, f"{APP}.logger")
def _logger(use: Use) -> Iterator[Hit]:
    yield use.hit(expr=short(use.node.text(), 40))


CLI_RUNNER = rule(
    "FMA511", "flask-test-cli-runner", "CLI test runner app.test_cli_runner()",
    "`{call}` tests Flask CLI commands",
    "`typer.testing.CliRunner().invoke(cli_app, [...])` (or click's `CliRunner`) on the standalone CLI",
    "mandatory", 3, "partial",
    rationale="Flask's runner invokes commands inside the app's `FlaskGroup` and app context; after the port "
    "the commands are a standalone Typer or click app tested with its own runner.",
    before="runner = app.test_cli_runner()\nresult = runner.invoke(args=['seed'])\n",
    after="runner = CliRunner()\nresult = runner.invoke(cli, ['seed'])\n",
    links=("https://typer.tiangolo.com/tutorial/testing/", f"{FLASK}/testing/#running-commands-with-the-cli-runner"),
)


@on_use(CLI_RUNNER, f"{APP}.test_cli_runner")
def _cli_runner(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(use.call, call=short(use.call.text(), 40))


APP_ATTRIBUTE = rule(
    "FMA512", "flask-app-attribute", "Flask application attribute",
    "`{expr}` uses a Flask application attribute",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="These attributes exist only on Flask's application class; each has a different home in "
    "FastAPI (settings, `app.state`, middleware options, the server's flags).",
    before="app.secret_key = os.environ['SECRET_KEY']\nmail = current_app.extensions['mail']\n",
    after="app.add_middleware(SessionMiddleware, secret_key=settings.secret_key)\nmail = request.app.state.mail\n",
    links=(f"{FASTAPI}/reference/fastapi/", f"{FASTAPI}/advanced/settings/"),
)
_ATTRIBUTE_FIXES = {
    "secret_key": "`SessionMiddleware(secret_key=...)` and a settings field",
    "debug": "`FastAPI(debug=...)` and uvicorn's `--reload`; no interactive debugger",
    "testing": "`app.dependency_overrides` in tests instead of a testing flag",
    "extensions": "`app.state.<name>` (set in `lifespan`) or a module-level object",
    "permanent_session_lifetime": "`SessionMiddleware(max_age=...)`",
    "session_interface": "a custom session middleware (starsessions for server-side stores)",
    "json": "a custom `JSONResponse` subclass or `jsonable_encoder`",
    "json_provider_class": "a custom `JSONResponse` subclass (`default_response_class=`)",
    "json_encoder": "a custom `JSONResponse` subclass (`default_response_class=`)",
    "response_class": "`FastAPI(default_response_class=...)`",
    "request_class": "no equivalent: a custom `APIRoute` class (`route_class=`)",
    "instance_path": "a settings field for the data folder",
    "root_path": "`pathlib.Path(__file__).parent` (FastAPI's `root_path` is the proxy prefix, not a folder)",
    "static_folder": "the `StaticFiles(directory=...)` mount",
    "template_folder": "`Jinja2Templates(directory=...)`",
    "import_name": "`__name__` of the module",
    "name": "`app.title`",
    "view_functions": "`app.routes` (`route.endpoint`)",
    "blueprints": "no registry of routers: keep your own list",
    "before_request_funcs": "no hook registry: middleware order is `app.user_middleware`",
    "after_request_funcs": "no hook registry: middleware order is `app.user_middleware`",
    "teardown_request_funcs": "no hook registry: dependencies with `yield`",
    "error_handler_spec": "`app.exception_handlers`",
    "template_context_processors": "`Jinja2Templates(context_processors=[...])`",
    "jinja_loader": "`Jinja2Templates(env=Environment(loader=...))`",
    "jinja_options": "`Jinja2Templates(env=Environment(...))`",
    "make_response": "return a `Response` directly",
    "open_resource": "`open(pathlib.Path(__file__).parent / name)` or `importlib.resources`",
    "open_instance_resource": "`open()` on a path from settings",
    "send_static_file": "a `StaticFiles` mount",
    "handle_exception": "`app.exception_handlers` / `exception_handler(Exception)`",
    "handle_http_exception": "`fastapi.exception_handlers.http_exception_handler`",
    "handle_user_exception": "`app.exception_handlers`",
    "log_exception": "`logging.getLogger(__name__).exception(...)`",
    "dispatch_request": "no equivalent: call the endpoint function or use `TestClient`",
    "full_dispatch_request": "no equivalent: use `TestClient`",
    "preprocess_request": "no equivalent: middleware runs inside the ASGI call",
    "process_response": "no equivalent: middleware runs inside the ASGI call",
    "make_default_options_response": "`CORSMiddleware` answers preflight requests",
    "create_url_adapter": "`app.url_path_for(...)`",
    "request_context": "no equivalent: build a `Request(scope)` by hand",
    "ensure_sync": "`starlette.concurrency.run_in_threadpool` (the other direction)",
    "async_to_sync": "`anyio.from_thread.run`",
    "config_class": "a pydantic-settings `BaseSettings` class",
    "make_shell_context": "no equivalent: build the namespace in your own shell command",
    "shell_context_processor": "no equivalent: build the namespace in your own shell command",
    "iter_blueprints": "no registry of routers: keep your own list",
}
flag_uses(APP_ATTRIBUTE, args={f"{APP}.{a}": {"expr": f"app.{a}", "fix": f} for a, f in _ATTRIBUTE_FIXES.items()})
