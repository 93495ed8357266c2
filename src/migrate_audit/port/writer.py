"""Where a port goes: main.py (the strangler fig), and the files written to a folder, each atomically.

main.py is written when part of the app stays Flask (`--only`): a FastAPI app serves the ported
routers, and everything else falls through to the Flask app, mounted at `/` behind a2wsgi's
WSGIMiddleware (Starlette's own is deprecated in its favour). Routes are tried in order, so a ported
path answers from FastAPI and any other from Flask, route by route as the migration goes.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..config import ConfigError
from ..report.atomic import write_text_atomic
from .imports import from_import
from .plan import AppSite
from .urls import FALLBACK_FILE

# Never copied into the output: version control, caches and environments of the ported project.
_SKIPPED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv", "venv", ".tox", ".mypy_cache",
                                  ".pytest_cache", ".ruff_cache", "node_modules")


# The module main.py imports Flask's url_for fallback from (port/written/, named in urls.py): written beside it
# when used.
URL_FALLBACK = FALLBACK_FILE.removesuffix(".py")
URL_FALLBACK_TEXT = files(__package__).joinpath("written", FALLBACK_FILE).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Include:
    module: str
    variable: str
    prefix: str


def main_text(app: AppSite, module: str, includes: list[Include], session: bool = False, urls: bool = False,
              config: bool = False, injector: bool = False) -> str:
    """main.py; `session`: a ported router reads Flask's session, through the bridge (port/session.py), whose
    middleware reads the Flask app's own config (its secret key and session settings, however the app set them)
    and leaves the requests Flask answers to Flask's own session interface. `urls`: a converted Blueprint left the
    Flask app, whose url_for then builds its routes' URLs from FastAPI's (URL_FALLBACK). `config`: a ported view
    reads the Flask app's config from the FastAPI app's state (port/config.py), so the one Flask app is put there;
    `injector`: a ported view takes arguments from the Flask app's injector (port/injector.py), put there too."""
    from .config import state_line
    from .injector import MODULE as INJECTOR_BRIDGE
    from .injector import injector_line

    imported = app.factory or app.variable
    flask_app = f"flask_{imported}()" if app.factory else f"flask_{imported}"
    fallback = [f"# Flask's url_for builds the URLs of the routes FastAPI serves now, as it did ({URL_FALLBACK}.py)",
                f"build_with_fastapi({'flask_application' if app.factory else flask_app}, app)"] if urls else []
    lines = ['"""The ASGI entry point written by `migrate-audit port`: the ported routers in FastAPI, the rest of the',
             'Flask app mounted behind them (pip install a2wsgi; run with `fastapi run main.py` or uvicorn)."""', "",
             "from a2wsgi import WSGIMiddleware", "from fastapi import FastAPI", ""]
    # the project's own modules (the bridge is written into it): one group, in isort's order
    own = [(module, f"{imported} as flask_{imported}")]
    own += [(include.module, f"{include.variable} as router_{index}") for index, include in enumerate(includes)]
    if session:
        own.append(("flask_cookie_session", "FlaskSessionMiddleware"))
    if urls:
        own.append((URL_FALLBACK, "build_with_fastapi"))
    if injector:
        own.append((INJECTOR_BRIDGE, "injector_of"))
    lines += [from_import(name, [item]) for name, item in sorted(own, key=lambda own: (own[0].lower(), own[0], own[1]))]
    lines += ["", "app = FastAPI()"]
    if config or injector:
        if app.factory:  # one Flask app: the one mounted is the one whose config and injector the views use
            lines.append(f"flask_application = {flask_app}")
            flask_app = "flask_application"
        lines += [state_line(flask_app)] if config else []
        lines += [injector_line(flask_app)] if injector else []
    for index, include in enumerate(includes):
        prefix = f", prefix={json.dumps(include.prefix)}" if include.prefix else ""
        lines.append(f"app.include_router(router_{index}{prefix})")
    if app.factory and (session or urls) and not (config or injector):
        # one Flask app: the one mounted is the one the bridges are given
        lines += [f"flask_application = {flask_app}"]
        flask_app = "flask_application"
    if not session:
        lines.append(f'app.mount("/", WSGIMiddleware({flask_app}))  # what is not ported yet')
        return "\n".join(lines + fallback) + "\n"
    lines += [f"flask_wsgi = WSGIMiddleware({flask_app})",
              'app.mount("/", flask_wsgi)  # what is not ported yet',
              "# Flask's session cookie for the ported routes, read and written as the Flask app does, with its config",
              f"app.add_middleware(FlaskSessionMiddleware, config={flask_app}.config, flask=flask_wsgi)"]
    return "\n".join(lines + fallback) + "\n"

def check_target(source: str, out: str | None, in_place: bool) -> None:
    if out is not None and in_place:
        raise ConfigError("--out and --in-place exclude each other: write to a new folder or over the project")
    if out is None:
        return
    real_out, real_source = os.path.realpath(out), os.path.realpath(source)
    if real_out == real_source or real_out.startswith(real_source.rstrip(os.sep) + os.sep):
        raise ConfigError(f"--out {out} is inside {source}: port writes there only with --in-place")
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        raise ConfigError(f"--out {out} exists and is not an empty folder: give a new folder")


def write(source: str, after: dict[str, str], out: str | None) -> None:
    """Copy `source` to `out` (when given) and write the ported files over it, or into `source` itself."""
    target = Path(out if out is not None else source)
    if out is not None:
        shutil.copytree(source, target, ignore=_SKIPPED, dirs_exist_ok=True)
    for relpath, text in sorted(after.items()):
        path = target / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(str(path), text)
