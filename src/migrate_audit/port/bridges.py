"""The extensions whose decorators stay on the ported path operations through a bridge module the port writes
beside the ported one (port/written/): each module here reads, before the routes, whether a file's use of its
extension converts (and keeps its decorators, port/decorators.py), gives the handlers whose answers are responses
to the view rewrites, and at the end swaps the import and marks its sites, or leaves them all with the reason.

Each has `read(file, apps)`, `contexts(file)`, `finish(file)`, `USED` (the file.memo key set when the file imports
the bridge), `FILE`, `BRIDGE` (the bridge's text) and `bridge_path(root, path)`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ast_grep_py import SgNode

from . import (caching, cross_origin, httpauth, jwt_extended, limiter, login, pydantic_validate, request_class,
               webargs_parser)
from . import flask_sqlalchemy
from . import injector
from . import routing_errors
from .edits import PortedFile

MODULES: tuple[Any, ...] = (login, httpauth, cross_origin, caching, pydantic_validate, limiter, jwt_extended,
                            webargs_parser, request_class)
MODULES += (flask_sqlalchemy,)  # Flask-SQLAlchemy's views run in the Flask app's context (port/flask_sqlalchemy.py)
MODULES += (injector,)  # Flask-Injector (port/injector.py)
MODULES += (routing_errors,)  # Werkzeug's routing answers of an app converted whole (port/routing_errors.py)


def read(file: PortedFile, apps: set[str], shared: tuple[Any, ...] = ()) -> None:
    """`shared`: what other modules make that a module's extension names rely on (shared_decorators.find)."""
    for module in MODULES:
        if module is login:  # its LoginManager may be another module's
            module.read(file, apps, shared)
        else:
            module.read(file, apps)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    found: dict[int, SgNode] = {}
    for module in MODULES:
        found.update(module.contexts(file))
    return found


def finish(file: PortedFile) -> None:
    for module in MODULES:
        module.finish(file)


def written(file: PortedFile, root: Path, path: str) -> dict[str, str]:
    """The bridge modules the ported `file` (at `path`) imports: where each goes, and its text."""
    return {module.bridge_path(root, path): module.BRIDGE for module in MODULES if file.memo.get(module.USED)}
