"""Flask-CORS given the app in the app factory (`cors = CORS(app, resources=...)` in create_app, or `cors.init_app(app,
...)` of a `cors = CORS()` made in another module): while the app stays Flask, main.py runs the Flask app's own
Flask-CORS on what FastAPI's routes answer (port/written/flask_cors_front.py), so the views whose URL its resources
match move to FastAPI too (extension_scopes.py no longer keeps them).

A whole-app port writes Starlette's CORSMiddleware for a module-level `CORS(app)` (extensions.port_cors), with the
differences it documents; in a factory that call stays Flask's. But there is no need to translate its options for
main.py: the Flask app main.py mounts is made by the factory, and Flask-CORS's `init_app` registered on it the
`cors_after_request` function that decides, from its resources, keywords and the app's CORS_* config as the factory
loaded them, which headers each answer gets. `FlaskCORSFront` calls that function on FastAPI's answers, with Flask's
request bound for it; main.py adds it wrapped in `FastAPIRoutesOnly` with `full_match`, so it runs for the requests a
route of FastAPI answers itself, and a preflight (OPTIONS) or another method of the path goes to the Flask app, which
keeps the moved view's rule and answers it with Flask-CORS as before. tests/test_port_cors_factory.py checks it side
by side with the Flask app and Flask-CORS itself.

It is carried only where it answers as on the Flask routes, else the reason is kept: the call is a statement of the
factory's body (run on every app it makes), given the app the factory makes and nothing else positional, its object
not used again (`cors.init_app(other)`; an imported one: given the app once and used nowhere else), and before any `@app.after_request` hook of the factory: Flask runs
after_request functions last registered first, so Flask-CORS's ran after those hooks, as main.py runs it around the
copy of them (hooks_in_front.py). The differences left: an exception no handler answers gets Starlette's 500 page,
without CORS headers (Flask-CORS also wrapped Flask's 500 page), as it gets none of the app's after_request hooks; and a
Blueprint that converts whole leaves the Flask app with its rules, so the preflight of its routes, which Flask answered
itself (automatic OPTIONS), reaches a Flask app without them (the note says so: `preflights_note`).
"""
from __future__ import annotations

import re
from importlib.resources import files

from ast_grep_py import SgNode

from ..scopes import span
from . import in_front
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import arguments

MODULE = "flask_cors_front"
FILE = f"{MODULE}.py"
TEXT = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
MIDDLEWARE = "FlaskCORSFront"
LABEL = "Flask-CORS"
# the reason the call keeps for a whole-app port (its TODO), where main.py carries it while the app stays Flask
WHOLE_APP = ("CORS(app) in the app factory stays Flask's: a whole-app port writes CORSMiddleware for a module-level "
             "statement only (while the app stays Flask, main.py runs the Flask app's own Flask-CORS on FastAPI's "
             "routes: port/cors_front.py)")


def carry(file: PortedFile, site: Site, call: SgNode, statement: SgNode) -> None:
    """Record FlaskCORSFront for main.py where `call` (the `statement` of the app factory's body) is `CORS(app, ...)`
    given the app the factory makes; NotPortable, saying why, where main.py could not carry it faithfully."""
    where = f"{file.path}:{call.range().start.line + 1}"
    function = enclosing_function(statement)
    body = statement.parent()
    outer = function.parent() if function is not None else None
    if function is None or body is None or body.kind() != "block" or body.parent() != function or \
            outer is None or outer.kind() not in ("module", "decorated_definition"):
        raise NotPortable(f"CORS() at {where} is not a statement of the app factory's body (run on every app it makes)")
    positional, _ = arguments(call)
    made = _made_apps(file, body)
    if len(positional) != 1 or positional[0].kind() != "identifier" or positional[0].text() not in made:
        raise NotPortable(f"CORS() at {where} is not given the app the factory makes (and only it)")
    app = positional[0].text()
    if init_app_of_import(file, call):  # `cors.init_app(app)`: the object is used here alone (its own module's
        # CORS() is judged in extension_scopes.py)
        name = call.field("function").field("object").text()  # type: ignore[union-attr]
        if sum(n.text() == name for n in file.root.find_all(kind="identifier")) != 2:
            raise NotPortable(f"{name} at {where} is used otherwise than imported and given the app once")
    elif statement.kind() == "expression_statement" and statement.named_children() and \
            statement.named_children()[0].kind() == "assignment":
        left = statement.named_children()[0].field("left")
        if left is None or left.kind() != "identifier" or \
                sum(n.text() == left.text() for n in file.root.find_all(kind="identifier")) != 1:
            raise NotPortable(f"the CORS object at {where} is used again (it may be given another app or options)")
    for earlier in body.children():
        if earlier == statement:
            break
        if f"{app}.after_request" in earlier.text():
            raise NotPortable(f"an after_request hook is registered before CORS() at {where}: Flask ran Flask-CORS's "
                              "after it, where main.py runs Flask-CORS around the app's hooks")
    in_front.record(file, statement, LABEL, MIDDLEWARE, ["full_match=True"], {MODULE: {MIDDLEWARE}},
                    module="flask_cors", front_only=True)


def init_app_of_import(file: PortedFile, call: SgNode) -> bool:
    """True for `name.init_app(...)`, a finding of Flask-CORS's options (FMA380: the audit takes `name` for a
    CORS() object), where `name` is imported from a module of the project (`from .extensions import cors`)."""
    function = call.field("function")
    owner = function.field("object") if function is not None and function.kind() == "attribute" else None
    return owner is not None and owner.kind() == "identifier" and function.field("attribute").text() == "init_app" \
        and file.bound.get(owner.text(), "flask").split(".")[0] not in ("flask", "flask_cors")  # type: ignore[union-attr]


def carried_objects(files: dict[str, PortedFile]) -> set[str]:
    """The names of the CORS() objects whose `name.init_app(app, ...)` main.py carries (the app factory's)."""
    found = set()
    for file in files.values():
        for (first, last), module in file.memo.get(in_front.FRONT_ONLY, []):
            text = file.text[first:last] if module == "flask_cors" else ""
            if (match := re.match(r"(\w+)\.init_app\(", text)) is not None:
                found.add(match.group(1))
    return found


def preflights_note(blueprints: list[str]) -> str:
    """What main.py does not carry for the Blueprints that converted whole (their rules left the Flask app)."""
    return (f"FastAPI's routes of {', '.join(sorted(blueprints))} answer their preflight (OPTIONS) requests otherwise "
            "than Flask did: their rules left the Flask app, whose automatic OPTIONS answer Flask-CORS completed (the "
            "views that move on their own keep their rule with Flask, which answers it)")


def _made_apps(file: PortedFile, body: SgNode) -> set[str]:
    """The names `name = Flask(...)` binds in the function body `body` (its own statements)."""
    found = set()
    for statement in body.children():
        assignment = statement.named_children()[0] if statement.kind() == "expression_statement" and \
            statement.named_children() else None
        right = assignment.field("right") if assignment is not None and assignment.kind() == "assignment" else None
        left = assignment.field("left") if right is not None else None  # type: ignore[union-attr]
        function = right.field("function") if right is not None and right.kind() == "call" else None
        if left is not None and left.kind() == "identifier" and function is not None and \
                function.kind() == "identifier" and file.bound.get(function.text()) == "flask" and \
                function.text() == "Flask":
            found.add(left.text())
    return found


def carried(file: PortedFile, call: SgNode) -> bool:
    """True for a `CORS(...)` call main.py carries (carry recorded it)."""
    start, end = span(call)
    return any(first <= start and end <= last for (first, last), module in file.memo.get(in_front.FRONT_ONLY, [])
               if module == "flask_cors")
