"""FMA5xx, part 2: the application object's own attributes (logger, settings, extension registry) and
the CLI test runner."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import APP, FASTAPI, FLASK, short

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
