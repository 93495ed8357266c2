"""During the strangler phase, FastAPI's routes answer with the counterparts of the Flask app's request-wide
extensions, as the Flask routes behind them answer with the extensions themselves.

When the app stays Flask and main.py serves converted Blueprints in front of it (writer.py), a
request FastAPI answers never reaches the Flask app's `CORS(app)`, `Compress(app)` or `Talisman(app)`: without
more, a cross-origin call to a ported route gets no CORS headers where the Flask route sent them. So main.py
adds the counterpart the port wrote for the app module's extension in its first pass (the same middleware,
with the same keywords, as a whole-app port writes: extensions.py, talisman.py), wrapped in
`FastAPIRoutesOnly`, which applies it to the requests FastAPI's own routes match (a preflight's path included)
and leaves the others to the mounted Flask app, whose extension already answers them: no header is added
twice. Where the port could not write the counterpart (an option it has none for, or the app made in a
factory), the note says FastAPI's routes answer without the extension.

The routes this serves are those of converted Blueprints and the views split.py moves on their own: the
extensions recorded here, ProxyFix (proxy_fix.py; added last, the outermost, as it wrapped the whole of Flask's
wsgi_app) and the app's hooks and error handlers (hooks_in_front.py; added first, the innermost, as they ran inside
Flask around its views) no longer keep them with Flask.
"""
from __future__ import annotations

import re

from ..rules.ext_followed import CORS_CONFIG
from ..rules.ext_followed import CORS_OPTIONS as CORS_OPTIONS_RULE
from ..scopes import span
from . import hooks_in_front
from .edits import PortedFile, Site

# file.memo: [(offset of the call, extension, middleware class, its keywords, imports, definition)]
MEMO = ("in_front: middlewares of the app's extensions", 0)
CARRIED = ("in_front: spans of the extensions' calls", 0)  # file.memo: [((start, end), the extension's module)]
# file.memo: the same for calls the Flask module keeps (a factory's `CORS(app)`, cors_front.py), whose finding stays a
# TODO of the Flask app while main.py carries them for FastAPI's routes
FRONT_ONLY = ("in_front: spans of calls carried for FastAPI's routes only", 0)
CORS_KEYS = CORS_CONFIG.code
CORS_OPTIONS = CORS_OPTIONS_RULE.code
WRAPPER = "FastAPIRoutesOnly"
PROXY_FIX = "ProxyFix"  # the label proxy_fix.py records its middleware with
# why proxy_fix.py leaves ProxyFix in a whole-app port only for the app's own middleware added after it: main.py adds
# it last around FastAPI's routes anyway, so it is carried all the same
ADDED_AFTER = "middleware is added after it, which Starlette would put outside it"
DEFINITION = f'''

class {WRAPPER}:
    """`middleware` for the requests FastAPI's own routes match (written by `migrate-audit port`): the Flask app
    mounted behind them answers the others with its own extension, as before."""

    def __init__(
        self, app: ASGIApp, middleware: Callable[..., ASGIApp], full_match: bool = False, **options: Any
    ) -> None:
        # full_match: only the requests a route of FastAPI answers itself, not those of another method on its path,
        # which the Flask app answers (405 or its own route), running what it runs around requests
        self.app, self.wrapped = app, middleware(app, **options)
        self.matches = (Match.FULL,) if full_match else (Match.FULL, Match.PARTIAL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ours = scope["type"] == "http" and any(
            not isinstance(route, Mount) and route.matches(scope)[0] in self.matches for route in scope["app"].routes)
        await (self.wrapped if ours else self.app)(scope, receive, send)
'''
_STDLIB = frozenset({"collections.abc", "typing"})
IMPORTS = {"collections.abc": {"Callable"}, "typing": {"Any"}, "starlette.routing": {"Match", "Mount"},
           "starlette.types": {"ASGIApp", "Receive", "Scope", "Send"}}


def record(file: PortedFile, call, label: str, cls: str, keywords: list[str], imports: dict[str, set[str]],  # type: ignore[no-untyped-def]
           definition: str = "", module: str = "", front_only: bool = False) -> None:
    """Remember the middleware the port wrote for the extension `label` of the app, made by `call` (the statement it is, or the call; imported from
    `module`): main.py adds them in the module's order, as the whole-app port does (the first added, the
    innermost)."""
    file.memo.setdefault(MEMO, []).append((span(call)[0], label, cls, keywords, imports, definition))
    file.memo.setdefault(CARRIED, []).append((span(call), module))
    if front_only:  # the call itself stays (its site keeps its TODO for a whole-app port)
        file.memo.setdefault(FRONT_ONLY, []).append((span(call), module))


def carried(file: PortedFile, site: Site) -> bool:
    """True for a finding of an extension whose counterpart main.py gives FastAPI's routes: its call (and what the
    call covers), its import, and the config keys the counterpart took in (split.py then lets views move)."""
    if not (site.handled or site.reason == ADDED_AFTER or file.memo.get(FRONT_ONLY)) or "app" not in file.units:
        return False  # (ProxyFix left only for the app's own middleware added after it: main.py adds it last)
    start, end = span(site.node)
    for (first, last), module in file.memo.get(CARRIED, []):
        if first <= start and end <= last or module and site.node.kind() == "import_from_statement" and \
                site.node.field("module_name").text() == module:  # type: ignore[union-attr]
            return True
    return site.code == CORS_KEYS and any(module == "flask_cors" for _, module in file.memo.get(CARRIED, []))


def _carried(app_file: PortedFile) -> tuple[list[str], list[str], str, list[str], list[str]] | None:
    """(stdlib imports, other imports, the import of the hooks' copy, definitions, lines adding them to `app`) of
    what main.py carries for FastAPI's routes, or None where it carries nothing."""
    found = app_file.memo.get(MEMO, [])
    own, needed, lines = hooks_in_front.in_main(app_file)  # the app's hooks and handlers, when they are carried
    if not found and not lines:
        return None
    imports: dict[str, set[str]] = {module: set(names) for module, names in IMPORTS.items()}
    for module, names in needed.items():
        imports.setdefault(module, set()).update(names)
    definitions = [DEFINITION]
    # in the module's order, but ProxyFix last (the outermost): it wrapped the whole of Flask's wsgi_app
    for _, label, cls, keywords, needed, definition in sorted(found, key=lambda entry: (entry[1] == PROXY_FIX, entry[0])):
        for module, names in needed.items():
            imports.setdefault(module, set()).update(names)
        if definition and definition not in definitions:
            definitions.append(definition)
        lines.append(f"# {label}'s answers for the routes FastAPI serves (the Flask app answers its own with {label})")
        # ProxyFix only where FastAPI answers: on another method of the path, Flask's own ProxyFix does (not twice)
        full = ["full_match=True"] if label == PROXY_FIX else []
        lines.append(f"app.add_middleware(\n    {WRAPPER},\n    middleware={cls},\n" +
                     "".join(f"    {keyword},\n" for keyword in [*full, *keywords]) + ")")
    stdlib = [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(imports.items())
              if module in _STDLIB]
    others = [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(imports.items())
              if module not in _STDLIB]
    return stdlib, others, own, definitions, lines


def in_front_of_flask(main: str, app_file: PortedFile | None, notes: list[str]) -> str:
    """main.py's text with the counterparts of the app module's extensions, for FastAPI's routes."""
    if app_file is None:
        return main
    for site_label, why in left_behind(app_file):
        notes.append(f"FastAPI's routes answer without {site_label}, which the Flask app applies to its own: {why}")
    carried = _carried(app_file)
    if carried is None:
        return main
    stdlib, others, own, definitions, lines = carried
    head, marker, rest = main.partition("from a2wsgi import WSGIMiddleware\nfrom fastapi import FastAPI\n")
    if not marker:
        return main
    main = head + "".join(f"{line}\n" for line in stdlib) + marker + "".join(f"{line}\n" for line in others) + rest
    head, marker, rest = main.partition("\napp = FastAPI()\n")
    if own:  # the project's own module, among main.py's own imports (the last group), in isort's order
        block = head.rstrip("\n").split("\n")
        first = len(block)
        while first and block[first - 1].startswith("from "):
            first -= 1
        block[first:] = sorted([*block[first:], own], key=lambda line: (line.split()[1].lower(), line.split()[1]))
        head = "\n".join(block) + "\n"
    main = head.rstrip("\n") + "\n" + "".join(definitions) + "\n" + marker + rest
    session = main.find("# Flask's session cookie for the ported routes")  # the session bridge stays outermost
    at = session if session >= 0 else len(main)
    return main[:at] + "\n".join(lines) + "\n" + main[at:]


def for_tests(app_file: PortedFile | None) -> tuple[list[str], str, list[str]]:
    """(imports, definitions, statements adding them to `app`) for the ported tests' `ported_app(flask_app)`
    (test_clients.py), which composes what main.py serves: the same carried hooks and middleware."""
    carried = _carried(app_file) if app_file is not None else None
    if carried is None:
        return [], "", []
    stdlib, others, own, definitions, lines = carried
    return [*stdlib, *others, *([own] if own else [])], "".join(definitions), lines


def left_behind(app_file: PortedFile) -> list[tuple[str, str]]:
    """(extension, why) for the request-wide extensions of the app module whose counterpart the port did not
    write (their site kept a reason)."""
    from .extensions import REQUEST_WIDE

    found = []
    front = [first_last for first_last, _ in app_file.memo.get(FRONT_ONLY, [])]
    for site in app_file.sites:
        start, end = span(site.node)
        if any(first <= start and end <= last for first, last in front):
            continue  # kept by the Flask module, carried for FastAPI's routes all the same
        made = _MADE.search(site.node.text())
        label = REQUEST_WIDE.get(made.group(1)) if made is not None else None
        if site.code == CORS_OPTIONS and _INIT_APP.match(site.node.text()):
            label = "Flask-CORS"  # `cors.init_app(app, ...)` of a CORS() object made elsewhere
        if label is not None and not site.handled and site.reason and (label, site.reason) not in found:
            found.append((label, site.reason))
    return found


_MADE = re.compile(r"^(?:\w+\s*=\s*)?(\w+)\(")
_INIT_APP = re.compile(r"\w+\.init_app\(")
