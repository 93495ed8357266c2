"""The answers of the router itself where the app converts whole: Werkzeug's, through a module written beside the
ported one (port/written/werkzeug_routing.py: `werkzeug_routing(app)` right after `app = FastAPI()`).

Flask answers OPTIONS on every route, a method the URL does not take with 405 and every method of the URL, a URL
missing its rule's trailing slash with a 308, and an unknown URL with Werkzeug's 404 page; FastAPI's router
answers 405, 405 with one path operation's methods as JSON, 307 and JSON. The app module that makes the FastAPI
app takes it, and a strangler's main.py where a Blueprint left the Flask app it mounts (in_main: the Flask app
answers what FastAPI's routes do not match fully, and has no rule for that Blueprint's paths any more). Used
through bridges.MODULES, whose interface it has (it reads nothing of the extensions).
The written module never spells the framework's name in lower case: the scan takes a project whose text does as
one using Flask (index/build.py), and the next `--only` step would audit the ported modules as Flask code.
"""
from __future__ import annotations

import re
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


def in_main(main: str) -> str:
    """main.py calling `werkzeug_routing(app, <the Flask app>)` after it mounts the Flask app, where a Blueprint left
    the Flask app (FastAPI serves its routes whole): its paths' other methods, OPTIONS and missing slashes got the
    Flask app's 404, which has no rule for them any more; now Werkzeug's answers, as Flask gave them. Unchanged when
    main.py is not written as writer.main_text writes it."""
    import ast

    found = re.search(r"^app\.mount\(\"/\", (?:flask_wsgi|WSGIMiddleware\((?P<inline>.+)\))\)  # .*$", main, re.M)
    if found is None or f"{MODULE}(" in main:
        return main
    flask_app = found.group("inline")
    if flask_app is None:
        wsgi = re.search(r"^flask_wsgi = WSGIMiddleware\((.+)\)$", main, re.M)
        if wsgi is None:
            return main
        flask_app = wsgi.group(1)
    start = found.start()
    if not re.fullmatch(r"[A-Za-z_]\w*", flask_app):  # a factory called inline: named, for both to use
        main = main[:start] + f"flask_application = {flask_app}\n" + \
            main[start:].replace(f"WSGIMiddleware({flask_app})", "WSGIMiddleware(flask_application)", 1)
        flask_app = "flask_application"
    end = main.index("\n", main.index("app.mount(\"/\"")) + 1
    main = main[:end] + ("# Werkzeug's answers where FastAPI's routes have the path and the Flask app no rule for it "
                         f"({FILE})\n{MODULE}(app, {flask_app})\n") + main[end:]
    # the import, in the group of the project's own modules (the last), in isort's order
    tree = ast.parse(main)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    lines = main.split("\n")
    group = []
    for node in reversed(imports):
        if group and lines[node.end_lineno].strip() == "":  # type: ignore[index]
            break
        group.insert(0, node)
    after = next((node for node in group if isinstance(node, ast.ImportFrom) and (node.module or "").lower() >
                  MODULE), None)
    at = after.lineno - 1 if after is not None else group[-1].end_lineno  # type: ignore[union-attr]
    lines.insert(at, f"from {MODULE} import {MODULE}")  # type: ignore[arg-type]
    return "\n".join(lines)
