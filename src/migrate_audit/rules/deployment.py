"""FMA72x: how the application is started: Dockerfile, Procfile, docker-compose, Gunicorn and uWSGI
configuration, App Engine's app.yaml, `.flaskenv`, WSGI entry modules, and gevent/eventlet green
threads (in those files and in Python code).

The file readers live in `filekinds/deployment.py` and `filekinds/commands.py`; the one Python matcher
(monkey-patching) is here, on the engine's resolved names.
"""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import on_use, rule
from ._common import FASTAPI

_UVICORN_DEPLOY = "https://www.uvicorn.org/deployment/"
_WORKER = "https://github.com/Kludex/uvicorn-worker"

WSGI_SERVER_COMMAND = rule(
    "FMA720", "wsgi-server-command", "Application started by a WSGI server",
    "`{command}` serves `{target}` with {server}, a WSGI server",
    "`gunicorn -k uvicorn_worker.UvicornWorker {gunicorn_target}` (add `uvicorn-worker`), or "
    "`uvicorn {uvicorn_target}`, or `fastapi run`",
    "mandatory", 1, "partial",
    rationale="A FastAPI app is an ASGI callable: a WSGI server cannot call it. Gunicorn stays usable with "
    "the uvicorn worker from the `uvicorn-worker` package (`uvicorn.workers` is deprecated since uvicorn "
    "0.30); uWSGI, Waitress and mod_wsgi have no ASGI mode. Gunicorn's `--threads` means nothing to the "
    "uvicorn worker.",
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
    "`{key}` configures the Flask CLI",
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
    rationale="Monkey-patching the standard library for green threads and an asyncio event loop do not "
    "mix: code that relied on cheap blocking greenlets (long polling, websockets, many slow clients) "
    "must be redesigned around `async`/`await`. There is no counterpart to switch to.",
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
