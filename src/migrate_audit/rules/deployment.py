"""FMA72x: how the application is started: Dockerfile, Procfile, docker-compose, shell start scripts and
Makefiles, Gunicorn and uWSGI configuration, App Engine's app.yaml, `.flaskenv`, WSGI entry modules, and
gevent/eventlet green threads (in those files and in Python code).

The file readers in `filekinds/deployment.py`, `filekinds/scripts.py` and `filekinds/commands.py` turn those files into facts
(commands, `FLASK_*` variables, server settings, entry points); the text matchers here decide what is a
finding. The one Python matcher (monkey-patching) is on the engine's resolved names.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..api import Hit, Use
from ..filekinds._base import FileHit
from ..filekinds.commands import Command, CommandHit
from ..filekinds.deployment import AppEngineRuntime, EnvironmentVariable, GunicornConfig, UwsgiOption, WsgiModule
from ..registry import on_text, on_use, rule
from ._common import FASTAPI

_UVICORN_DEPLOY = "https://uvicorn.dev/deployment/"
_WORKER = "https://github.com/Kludex/uvicorn-worker"

WSGI_SERVER_COMMAND = rule(
    "FMA720", "wsgi-server-command", "Application started by a WSGI server",
    "`{command}` serves `{target}` with {server}, a WSGI server",
    "`uvicorn {uvicorn_target} --workers N` or `fastapi run --workers N` (uvicorn's own process manager); or keep "
    "Gunicorn as the process manager: `gunicorn -k uvicorn_worker.UvicornWorker {gunicorn_target}` (add "
    "`uvicorn-worker`)",
    "mandatory", 1, "partial",
    rationale="A FastAPI app is an ASGI callable: a WSGI server cannot call it. uvicorn runs several worker "
    "processes itself (`--workers N`, restarting dead ones), which is what FastAPI's deployment docs show first; "
    "Gunicorn stays usable as the process manager with the uvicorn worker from the `uvicorn-worker` package "
    "(`uvicorn.workers` is deprecated since uvicorn 0.30). uWSGI, Waitress and mod_wsgi have no ASGI mode. "
    "Gunicorn's `--threads` means nothing to uvicorn.",
    links=(f"{FASTAPI}/deployment/server-workers/", _UVICORN_DEPLOY, _WORKER),
)

FLASK_CLI_COMMAND = rule(
    "FMA721", "flask-cli-command", "Flask CLI in a start or build command",
    "`{subcommand}` runs the Flask CLI",
    "{counterpart}",
    "mandatory", 1, "direct",
    rationale="The `flask` command loads the app through `FLASK_APP` and an app context; it disappears "
    "with Flask. `fastapi run`/`fastapi dev` (fastapi-cli) start the server, Alembic runs migrations, and "
    "custom commands become Typer or click scripts.",
    links=(f"{FASTAPI}/fastapi-cli/", "https://alembic.sqlalchemy.org/en/latest/tutorial.html"),
)

FLASK_ENVIRONMENT = rule(
    "FMA722", "flask-environment-variable", "Flask CLI environment variable",
    "`{key}` {what}",
    "{counterpart}",
    "mandatory", 1, "direct",
    rationale="`FLASK_APP`, `FLASK_DEBUG` and `FLASK_RUN_*` are read by `flask run` only. FastAPI's CLI "
    "finds the app from a path argument or `[tool.fastapi] entrypoint` in pyproject.toml; settings "
    "belong in a pydantic-settings `BaseSettings`.",
    links=(f"{FASTAPI}/fastapi-cli/", f"{FASTAPI}/advanced/settings/"),
)

GREEN_THREADS = rule(
    "FMA723", "gevent-eventlet-green-threads", "gevent/eventlet green threads",
    "{what}: gevent/eventlet green threads",
    "an asyncio design: `async def` endpoints with async clients, `run_in_threadpool` for blocking "
    "code, python-socketio's ASGI mode instead of eventlet/gevent Socket.IO",
    "mandatory", 5, "none",
    rationale="Monkey-patching the standard library for green threads and an asyncio event loop do not mix: neither "
    "uvicorn, FastAPI nor Starlette runs on gevent or eventlet, and no maintained library bridges them. Code that "
    "relied on cheap blocking greenlets (long polling, websockets, many slow clients) must be redesigned around "
    "`async`/`await`.",
    links=(f"{FASTAPI}/async/", "https://www.gevent.org/api/gevent.monkey.html"),
)

THREADS = rule(
    "FMA724", "wsgi-worker-threads", "Threads per WSGI worker",
    "`{setting}` sets threads per WSGI worker",
    "drop it: the uvicorn worker ignores it; sync endpoints run in AnyIO's thread pool (40 threads by "
    "default), async ones on the event loop",
    "optional", 1, "partial",
    rationale="Gunicorn's `threads` only applies to its `gthread` worker. Under the uvicorn worker the "
    "concurrency model is the event loop plus a thread pool for `def` endpoints.",
    links=(f"{FASTAPI}/async/", _UVICORN_DEPLOY),
)

WSGI_ENTRY = rule(
    "FMA725", "wsgi-entry-module", "WSGI entry module",
    "`{target}` is the WSGI entry point ({how})",
    "expose the FastAPI app the same way and point the ASGI server at it: `uvicorn {module}:{name}` or "
    "`fastapi run {path}`",
    "mandatory", 1, "direct",
    rationale="Servers and platforms import this module by name. Keeping the module and variable names "
    "for the FastAPI app keeps every deployment file that points at it valid.",
    links=(f"{FASTAPI}/deployment/manually/", _UVICORN_DEPLOY),
)

DEPRECATED_WORKER = rule(
    "FMA726", "deprecated-uvicorn-workers-module", "Deprecated `uvicorn.workers` Gunicorn worker",
    "`{worker}` is deprecated since uvicorn 0.30",
    "`uvicorn_worker.UvicornWorker` from the `uvicorn-worker` package",
    "optional", 1, "direct",
    rationale="uvicorn deprecated its `uvicorn.workers` module (Kludex/uvicorn PR #2302, uvicorn 0.30.0) "
    "in favour of the separate `uvicorn-worker` package, and will remove it.",
    links=(_WORKER, _UVICORN_DEPLOY),
)

_PATCHES = ("gevent.monkey.patch_all", "gevent.monkey.patch_socket", "gevent.monkey.patch_thread",
            "gevent.monkey.patch_select", "gevent.monkey.patch_ssl", "eventlet.monkey_patch",
            "eventlet.patcher.monkey_patch")


@on_use(GREEN_THREADS, *_PATCHES)
def _monkey_patch(use: Use) -> Iterator[Hit]:
    if use.call is not None and use.ctx.uses_flask:
        yield use.hit(use.call, what=f"`{use.qual.rpartition('.')[2]}()` monkey-patches the standard library")


# --- what starts the server: commands and server configuration ---------------------------------------

GREEN_WORKERS = ("gevent", "eventlet", "geventwebsocket", "gevent_pywsgi", "gevent_wsgi")
DEPRECATED_ASGI_WORKERS = ("uvicorn.workers.UvicornWorker", "uvicorn.workers.UvicornH11Worker")
ASGI_WORKERS = ("uvicorn_worker.UvicornWorker", "uvicorn_worker.UvicornH11Worker")


def asgi_target(target: str) -> tuple[str, str]:
    """(gunicorn target, uvicorn arguments) for a WSGI target: `pkg:create_app()` is a factory call."""
    if not target:
        return "<module>:app", "<module>:app"
    module, _, attr = target.partition(":")
    if attr.endswith(")") and "(" in attr:
        factory = attr.partition("(")[0]
        return target, f"--factory {module}:{factory}"
    return target if attr else f"{module}:application", f"{module}:{attr or 'application'}"


def _server_args(server: str, command: str, target: str) -> dict[str, str]:
    gunicorn_target, uvicorn_target = asgi_target(target)
    return {"server": server, "command": command, "target": target or "the app",
            "gunicorn_target": gunicorn_target, "uvicorn_target": uvicorn_target}


def _target_args(target: str) -> dict[str, str]:
    if target.endswith(".py"):
        target = target[:-3].replace("/", ".") + ":application"
    gunicorn_target, uvicorn_target = asgi_target(target)
    return {"target": target, "gunicorn_target": gunicorn_target, "uvicorn_target": uvicorn_target}


def _worker_class(worker: str) -> tuple[str, dict[str, str]] | None:
    """gevent/eventlet workers are a redesign; `uvicorn.workers` is deprecated (uvicorn 0.30)."""
    lowered = worker.lower()
    if any(lowered.startswith(w) or f".{w}" in lowered for w in GREEN_WORKERS):
        return GREEN_THREADS.code, {"what": f"worker class `{worker}`"}
    if worker in DEPRECATED_ASGI_WORKERS:
        return DEPRECATED_WORKER.code, {"worker": worker}
    return None


_WSGI_ONLY_SERVERS = ("uwsgi", "waitress-serve", "mod_wsgi-express")
_TARGET_OPTIONS = ("--module", "-w", "--wsgi-file", "--wsgi", "--mount", "--call")


@on_text("command", WSGI_SERVER_COMMAND, GREEN_THREADS, DEPRECATED_WORKER, THREADS)
def _server_command(command: Command) -> Iterator[CommandHit]:
    word = command.word
    if command.program in _WSGI_ONLY_SERVERS:
        target = command.option_value(_TARGET_OPTIONS) or command.last_positional()
        yield CommandHit(WSGI_SERVER_COMMAND.code, word.offset, _server_args(command.program, word.text, target))
    elif command.program == "gunicorn":
        yield from _gunicorn(command)


def _gunicorn(command: Command) -> list[CommandHit]:
    hits: list[CommandHit] = []
    worker = ""
    args = command.args
    for i, arg in enumerate(args):
        text = arg.text
        offset: int | None = None
        if text in ("-k", "--worker-class") and i + 1 < len(args):
            worker, offset = args[i + 1].text, args[i + 1].offset
        elif text.startswith("--worker-class="):
            worker, offset = text.partition("=")[2], arg.offset + len("--worker-class=")
        elif text.startswith("-k") and len(text) > 2:
            worker, offset = text[2:], arg.offset + 2
        found = _worker_class(worker) if offset is not None else None
        if found is not None and offset is not None:
            hits.append(CommandHit(found[0], offset, found[1]))
        if text == "--threads" or text.startswith("--threads="):
            hits.append(CommandHit(THREADS.code, arg.offset, {"setting": "--threads"}))
    if not any(worker.startswith(w) for w in ASGI_WORKERS + DEPRECATED_ASGI_WORKERS):
        target = command.last_positional()
        hits.insert(0, CommandHit(WSGI_SERVER_COMMAND.code, command.word.offset,
                                  _server_args("gunicorn", command.word.text, target)))
    return hits


@on_text("command", FLASK_CLI_COMMAND)
def _flask_cli(command: Command) -> Iterator[CommandHit]:
    if command.program != "flask":
        return
    args = command.args
    app = command.option_value(("--app", "-A"))
    sub = ""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.text in ("--app", "-A", "-e", "--env-file"):
            skip = True
            continue
        if arg.text.startswith("-"):
            continue
        sub = arg.text
        break
    rest = {a.text for a in args}
    if sub == "run":
        dev = bool(rest & {"--debug", "--reload"})
        counterpart = ("`fastapi dev` (or `uvicorn <module>:app --reload`)" if dev
                       else "`fastapi run` (or `uvicorn <module>:app --host 0.0.0.0`)")
    elif sub == "db":
        counterpart = "`alembic` directly (`flask db upgrade` -> `alembic upgrade head`)"
    elif sub in ("shell", "routes"):
        counterpart = "no equivalent: `python -i` with your own imports; `app.routes` lists routes"
    else:
        counterpart = "a Typer or click command of your own (`python -m <package>.cli ...`)"
    args_ = {"subcommand": f"flask {sub}".strip(), "counterpart": counterpart}
    if app:
        args_["subcommand"] += f" (app `{app}`)"
    yield CommandHit(FLASK_CLI_COMMAND.code, command.word.offset, args_)


def flask_variable_counterpart(key: str, value: str = "") -> str:
    if key == "FLASK_APP":
        module = value.strip().strip("\"'") or "<module>"
        module = module.removesuffix(".py").replace("/", ".").partition(":")[0]
        return (f"`fastapi run` with the app's path, or `[tool.fastapi] entrypoint = \"{module}:app\"` in "
                "pyproject.toml")
    if key in ("FLASK_DEBUG", "FLASK_ENV"):
        return "`fastapi dev` (or `uvicorn --reload`) in development; the Werkzeug debugger has no equivalent"
    if key.startswith("FLASK_RUN_"):
        return f"the matching `fastapi run`/`uvicorn` option (`--{key[len('FLASK_RUN_'):].lower().replace('_', '-')}`)"
    return "a pydantic-settings `BaseSettings` field (`env_prefix='FLASK_'` keeps the variable name)"


def flask_cli_variable(key: str) -> bool:
    """A variable the `flask` command itself reads. Any other `FLASK_*` name (`FLASK_CONFIG`) is the app's
    own, read by its code (`os.environ`) or by `app.config.from_prefixed_env()` (FMA501), the same under
    FastAPI."""
    return key in ("FLASK_APP", "FLASK_DEBUG", "FLASK_ENV", "FLASK_SKIP_DOTENV") or key.startswith("FLASK_RUN_")


@on_text("environment", FLASK_ENVIRONMENT)
def _flask_variable(variable: EnvironmentVariable) -> Iterator[FileHit]:
    if flask_cli_variable(variable.key):
        what = "configures the Flask CLI"
    elif variable.flaskenv:
        what = "is set in `.flaskenv`, which only the `flask` command loads"
    else:
        return
    yield FileHit(FLASK_ENVIRONMENT.code, variable.line, variable.column,
                  {"key": variable.key, "what": what,
                   "counterpart": flask_variable_counterpart(variable.key, variable.value)})


@on_text("gunicorn", WSGI_SERVER_COMMAND, GREEN_THREADS, DEPRECATED_WORKER, THREADS)
def _gunicorn_config(config: GunicornConfig) -> Iterator[FileHit]:
    wsgi_app = config.wsgi_app
    for target, value in config.assignments:
        column = config.column(target)
        if target.id == "worker_class":
            constants = [c for c in ast.walk(value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            for constant in constants:
                found = _worker_class(constant.value)
                if found is not None:
                    yield FileHit(found[0], constant.lineno, config.column(constant) + 1, found[1])
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and not _worker_class(value.value) \
                    and value.value not in ASGI_WORKERS + DEPRECATED_ASGI_WORKERS:
                yield FileHit(WSGI_SERVER_COMMAND.code, target.lineno, column, {
                    "server": "gunicorn", "command": f"worker_class = {value.value!r}", **_target_args(wsgi_app)})
        elif target.id == "threads" and not (isinstance(value, ast.Constant) and value.value == 1):
            yield FileHit(THREADS.code, target.lineno, column, {"setting": f"threads = {ast.unparse(value)}"})
        elif target.id == "wsgi_app" and wsgi_app:
            yield FileHit(WSGI_SERVER_COMMAND.code, target.lineno, column, {
                "server": "gunicorn", "command": f"wsgi_app = {wsgi_app!r}", **_target_args(wsgi_app)})


@on_text("uwsgi", WSGI_SERVER_COMMAND, GREEN_THREADS, THREADS)
def _uwsgi_option(option: UwsgiOption) -> Iterator[FileHit]:
    key, value = option.key, option.value
    if key in ("module", "wsgi-file", "wsgi", "mount", "file"):
        target = value.split("=")[-1] if key == "mount" else value
        args = {"server": "uWSGI", "command": f"{key} = {value}", **_target_args(target)}
        yield FileHit(WSGI_SERVER_COMMAND.code, option.line, option.column, args)
    elif key in ("gevent", "gevent-monkey-patch", "gevent-early-monkey-patch"):
        yield FileHit(GREEN_THREADS.code, option.line, option.column, {"what": f"uWSGI `{key} = {value}`"})
    elif key == "threads":
        yield FileHit(THREADS.code, option.line, option.column, {"setting": f"threads = {value}"})


@on_text("appyaml", WSGI_SERVER_COMMAND)
def _app_engine_default(runtime: AppEngineRuntime) -> Iterator[FileHit]:
    if runtime.runtime.startswith("python3"):
        # Without `entrypoint`, App Engine runs `gunicorn -b :$PORT main:app`.
        args = {"server": "gunicorn", "command": "App Engine's default entrypoint", "target": "main:app",
                "gunicorn_target": "main:app", "uvicorn_target": "main:app"}
        yield FileHit(WSGI_SERVER_COMMAND.code, runtime.line, 1, args)


_FACTORY_RE = re.compile(r"^(?:(?:create|make|build|get|init)_?app(?:lication)?|Flask|application_factory)$", re.IGNORECASE)


@on_text("wsgi", WSGI_ENTRY)
def _wsgi_entry(entry: WsgiModule) -> Iterator[FileHit]:
    """`app = create_app()` / `application = ...` / `from pkg import app as application` at module level."""
    module = entry.module
    for name, callee, line, column in entry.assignments:
        if name in ("app", "application") or _FACTORY_RE.match(callee):
            yield FileHit(WSGI_ENTRY.code, line, column, {
                "target": f"{module}:{name}", "how": f"created by `{callee}()`", "module": module,
                "name": name, "path": entry.path})
    for bound, source, line, column in entry.imports:
        if bound in ("app", "application"):
            yield FileHit(WSGI_ENTRY.code, line, column, {
                "target": f"{module}:{bound}", "how": f"imported from `{source}`", "module": module,
                "name": bound, "path": entry.path})
