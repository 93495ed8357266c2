"""The answers of the router itself where the app converts whole: Werkzeug's, through a module written beside the
ported one (port/written/werkzeug_routing.py: `werkzeug_routing(app)` right after `app = FastAPI()`).

Flask answers OPTIONS on every route, a method the URL does not take with 405 and every method of the URL, a URL
missing its rule's trailing slash with a 308, and an unknown URL with Werkzeug's 404 page; FastAPI's router
answers 405, 405 with one path operation's methods as JSON, 307 and JSON. Only the app module that makes the
FastAPI app takes it (a strangler's main.py mounts the Flask app, which answers what FastAPI's routes do not
match fully). Used through bridges.MODULES, whose interface it has (it reads nothing of the extensions).
"""
from __future__ import annotations

from importlib.resources import files

from ast_grep_py import SgNode

from .edits import PortedFile

MODULE = "werkzeug_routing"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("werkzeug routing", 0)


def install(file: PortedFile, statement: SgNode, name: str, indent: str) -> None:
    """`werkzeug_routing(name)` after the statement `name = FastAPI()`."""
    file.use(MODULE, MODULE)
    file.append_line(statement, f"{indent}{MODULE}({name})")
    file.memo[USED] = True


def read(file: PortedFile, apps: set[str]) -> None:
    """Nothing to read: the app's rewrite installs it (routes.port_application)."""


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}


def finish(file: PortedFile) -> None:
    """Nothing to finish: install imported the name."""


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    from . import session  # (session reads routes, which installs this module)

    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
