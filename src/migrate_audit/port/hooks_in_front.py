"""During the strangler phase, the routes FastAPI serves run the Flask app's request hooks and error handlers, as the
Flask routes behind them do.

When views move to FastAPI on their own (split.py) while the app stays Flask, a request FastAPI answers never
reaches the app's `@app.before_request`, `after_request`, `teardown_*`, request signals or `@app.errorhandler`:
without more, a moved route would answer without the app's headers, its short-circuits or its error pages. The
port's first pass already converted those of the app module as if the app converted whole (hooks.py): plain
functions taking the request, one `flask_request_hooks` middleware calling them in Flask's order, and
`exception_handler`s. Where every one of them converted, this copies them (without their decorators) into a new
module beside the app's (`app.py` -> `app_hooks_fastapi.py`), and main.py adds them to its FastAPI app: the
middleware wrapped in `FastAPIRoutesOnly` (in_front.py), so it runs for the requests FastAPI's own routes match and
the Flask app mounted behind runs its own hooks for the others (no hook runs twice), and each handler with
`add_exception_handler` (it answers what FastAPI's routes raise; the Flask app answers its own routes' errors and
unknown URLs with its own handler). The copies run exactly as in a whole-app port, whose proofs (error-handlers,
teardown-close-db, before-request-login, builtin-signals) compare them with Flask.

A copy is made only when it answers as the original: every finding in the hooks and handlers rewritten, all of
them decorators at the top of the module or of the app factory's body (copied out of it, to the top of the new
module; main.py calls the factory once, so there is one app and one set of hooks), no handler for 500 or
`Exception` (Starlette runs those in ServerErrorMiddleware, around the mounted Flask app too), nothing that renders
a template (but with the Flask app behind: a handler's `return render_template(...), 404` -> `flask_render`, whose
request context is built from the request that failed, as Flask rendered the page in that request's), builds a URL,
reads `request.app` (main.py's FastAPI app, not the one a whole-app port makes) or
Flask's session (main.py's bridge is not added for them), and every name they use their own, a builtin, FastAPI's,
a helper of the rewrite, or bound at the top of the app's module and free of Flask's context (split.tainted), which
the copy imports from there (the same object; the Flask app itself only as the unused sender the middleware hands
signal receivers). A handler for a status that does not copy (one with a finding left to people, or registered by a
call: ihatemoney's `register_error_handler(404, ...)`) stays with Flask alone: it keeps with Flask only the views
whose copy may answer that status (split._raised), and the rest is carried. Anything else that does not copy keeps
every view with Flask, with the reason in the notes.

Where main.py adds the app's handler for a status, the modules FastAPI serves raise that status to it
(answered_in_front): `abort(404)` is already `raise HTTPException(404)` there (responses.port_abort, since a handler
takes it), and Flask-SQLAlchemy's helpers' NotFound is raised as Starlette's (`flask_app_context(..., handled=
(404,))`) instead of answered with Werkzeug's page, as Flask gave the handler the exception.
"""
from __future__ import annotations

import builtins
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ast_grep_py import SgNode, SgRoot

from ..scopes import span
from . import codes, flask_sqlalchemy, templates, urls
from .edits import NotPortable, PortedFile
from .imports import from_import, import_block
from .responses import ABORT_BODY_DIFFERS

MEMO = ("hooks_in_front: the hooks main.py adds", 0)  # file.memo of the app module: a Carried
# The rules of what runs around every request of the app, which the middleware and handlers carry
AROUND = (codes.BEFORE, codes.AFTER, codes.TEARDOWN_HOOK, codes.ERRORS, codes.SIGNAL)
DISPATCH = "BaseHTTPMiddleware"
WRAPPER = "FastAPIRoutesOnly"  # in_front.py's


@dataclass
class Carried:
    """The app module's hooks and handlers copied for FastAPI's routes: the new module, and what main.py adds."""

    path: str  # the new module, relative to the project
    module: str  # its import name
    text: str
    middleware: str | None  # the name of the hooks' middleware function, if the app has hooks besides handlers
    handlers: list[tuple[str, str]] = field(default_factory=list)  # (key, as written; the handler's name)
    keys: set[str] = field(default_factory=set)  # names of exception classes main.py imports from the module
    sites: set[tuple[str, int]] = field(default_factory=set)  # (path, start) of the findings carried
    # handlers for a status that do not copy (status -> why): they keep with Flask only the views that may raise
    # that status (split.py), and their findings are not carried
    judged: dict[str, str] = field(default_factory=dict)
    judged_sites: set[tuple[str, int]] = field(default_factory=set)

    @property
    def lifted(self) -> set[tuple[str, int]]:
        """The findings that no longer keep every view with Flask: carried, or judged view by view."""
        return self.sites | self.judged_sites


def app_module(files: dict[str, PortedFile]) -> str | None:
    """The one module that makes the app, if one does."""
    found = [relpath for relpath, file in files.items() if "app" in file.units and file.sites_of(codes.APP)]
    return found[0] if len(found) == 1 else None


def plan(files: dict[str, PortedFile], converted: dict[str, str], relpath: str, where: str,
         module_name: Callable[[str, str], str], exists: Callable[[str], bool],
         tainted: Callable[[PortedFile], set[str]], view_names: Callable[[SgNode], tuple[set[str], set[str]]],
         module_bound: set[str], standalone: set[str], standalone_texts: Callable[[str], list[str]]) \
        -> tuple[Carried | None, str | None]:
    """(what main.py carries, None) for the hooks and handlers of the app module `relpath`, or (None, why not);
    (None, None) where it has none."""
    file = files[relpath]
    sites = [site for code in AROUND for site in file.sites_of(code)]
    if not sites:
        return None, None
    if not relpath.startswith(where):
        return None, f"{relpath} is not where main.py imports the app from"
    owners = {site.node.text().split("(")[0].split(".")[0] for site in sites if site.code != codes.SIGNAL}
    if not owners:  # signal receivers only (`@request_started.connect_via(app)`): the app the module makes
        owners = {_made(site) for site in file.sites_of(codes.APP)} - {None}  # type: ignore[assignment]
    if len(owners) != 1:
        return None, "the hooks are on more than one object"
    owner = owners.pop()
    # the top-level statements of the Flask module the hooks and handlers are (their findings, all carried)
    # `app.register_error_handler(404, page_not_found)` left to people (ihatemoney's page renders a template): a
    # handler for a status staying with Flask, as below
    judged: dict[str, str] = {}
    judged_sites: set[tuple[str, int]] = set()
    for site in list(sites):
        status = _registered_status(site, owner)
        if status is not None:
            where = f"{site.code} at {relpath}:{site.node.range().start.line + 1}"
            why = f": {site.reason}" if site.reason else ""
            # (converted, it is still not a decorator this copies: the page ihatemoney's renders with flask_render)
            judged.setdefault(status, f"{where} is left to people{why}" if not site.handled else
                              f"{where} registers its handler by a call, which is not copied for FastAPI's routes")
            judged_sites.add((relpath, span(site.node)[0]))
            sites.remove(site)
    if not sites:
        return Carried("", "", "", None, judged=judged, judged_sites=judged_sites), None
    statements, scopes = [], set()
    for site in sites:
        statement = site.node
        while statement.parent() is not None and statement.kind() != "decorated_definition":
            statement = statement.parent()  # type: ignore[assignment]
        scope = _scope(statement)
        if scope is None:
            return None, (f"{site.code} at {relpath}:{site.node.range().start.line + 1} is not a decorator of a "
                          "function at the top of the module or of the app factory (registered by a call)")
        scopes.add(scope)
        if span(statement) not in [span(s) for s in statements]:
            statements.append(statement)
    if len(scopes) != 1:
        return None, "the hooks are both in the module and in a function"
    scope = scopes.pop()
    # what does not copy: a handler for a status stays with Flask (judged), anything else keeps every view there
    for statement in list(statements):
        problem = _problem(file, statement, relpath)
        if problem is None:
            continue
        statuses = _statuses(statement, owner)
        if statuses is None:
            return None, problem
        for status in statuses:
            judged.setdefault(status, problem)
        judged_sites |= {(relpath, span(s.node)[0]) for s in file.sites_in(statement)}
        statements.remove(statement)
    if not statements:
        return Carried("", "", "", None, judged=judged, judged_sites=judged_sites), None
    names = [s.field("definition").field("name").text() for s in statements]  # type: ignore[union-attr]
    inside = [s for statement in statements for s in file.sites_in(statement)]
    # the same functions in the first pass's text: the hooks undecorated, the handlers and the middleware decorated
    tree = SgRoot(converted[relpath], "python").root()
    body = _body(tree, scope)
    if body is None:
        return None, f"{scope} is not at the top of the ported module"
    copies, middleware, handlers = [], None, []
    comments: dict[str, str] = {}  # the port's TODOs above a copied function (a difference it documents)
    for statement in body:
        function = statement.field("definition") if statement.kind() == "decorated_definition" else statement
        if function is None or function.kind() != "function_definition":
            continue
        name = function.field("name").text()  # type: ignore[union-attr]
        decorators = [d.text() for d in statement.children() if d.kind() == "decorator"]
        if decorators == [f'@{owner}.middleware("http")']:
            middleware = name
        elif decorators and all(d.startswith(f"@{owner}.exception_handler(") and d.endswith(")") for d in decorators):
            handlers += [(d[len(f"@{owner}.exception_handler("):-1], name) for d in decorators]
        elif decorators or name not in names:
            continue
        copies.append(function)
        comments[name] = _comments_above(converted[relpath], statement)
    copied = {c.field("name").text() for c in copies}  # type: ignore[union-attr]
    if set(names) - copied:
        return None, f"{', '.join(sorted(set(names) - copied))} is not at the top of the ported module"
    if copied - set(names) - ({middleware} if middleware else set()):
        return None, "the ported module has other functions of these names"
    if len(names) > len({*names}):
        return None, "two hooks or handlers have one name"
    if any(key in ("500", "Exception") for key, _ in handlers):
        return None, ("a handler for 500 or Exception runs in Starlette's ServerErrorMiddleware, around the mounted "
                      "Flask app's requests too")
    keys = {key for key, _ in handlers if not key.isdigit()}
    if keys - module_bound:
        return None, f"{', '.join(sorted(keys - module_bound))} is not bound at the top of {relpath}"
    # each copy at the top of the new module (a factory's hooks are indented in it)
    text = "\n\n\n".join(textwrap.dedent(comments[c.field("name").text()] + " " * c.range().start.column + c.text())  # type: ignore[union-attr]
                          for c in copies)
    if "request.app" in text:  # main.py's FastAPI app, not the one the whole-app port would have made
        return None, "a hook or handler uses the app of the request, which is main.py's, not the ported app"
    if "session" in text:
        return None, "a hook or handler uses Flask's session, whose bridge main.py does not add for them"
    unsafe = tainted(file) - copied
    fastapi = {n for imported in file.imports.values() for n in imported}
    imported: set[str] = set()
    for copy in copies:
        used, bound = view_names(copy)
        used -= bound | copied
        missing = used - module_bound - fastapi - set(dir(builtins)) - standalone
        name = copy.field("name").text()  # type: ignore[union-attr]
        if missing:
            return None, f"{name} uses {', '.join(sorted(missing))}, not bound at the top of {relpath}"
        sender = {owner} if name == middleware and _only_passed(copy, owner) else set()
        if (used - sender) & unsafe:
            return None, (f"{name} uses {', '.join(sorted((used - sender) & unsafe))}, which needs Flask (its code, or code it "
                          "uses, has findings)")
        if any(n.startswith("__") for n in used) or copy.find(kind="global_statement") or \
                copy.find(kind="nonlocal_statement"):
            return None, f"{name} uses __name__-like names or global/nonlocal"
        imported |= (used & module_bound) - fastapi
    imported |= keys
    path = PurePosixPath(relpath)
    target = str(path.parent / (f"{path.stem}_hooks_fastapi.py" if path.stem != "__init__" else "hooks_fastapi.py"))
    target = target.removeprefix("./")
    if exists(target):
        return None, f"{target} exists"
    helpers = standalone_texts(text)
    used_names = {n.text() for n in SgRoot("\n".join([text, *helpers]), "python").root().find_all(kind="identifier")}
    wanted = {module: set(names) & used_names for module, names in file.imports.items()}
    origin = module_name(relpath, where)
    lines = [f'"""The request hooks and error handlers of {origin}, for the routes FastAPI serves: written by `migrate-audit',
             f'port`; main.py adds them, and the Flask app of {origin} runs its own for its routes."""', "",
             *import_block(wanted)]
    if imported:
        lines += ["", from_import(origin, imported)]
    for helper in helpers:
        lines += ["", "", helper.strip("\n")]
    lines += ["", "", text]
    carried = {(relpath, span(s.node)[0]) for s in inside}
    return Carried(target, module_name(target, where), "\n".join(lines).rstrip("\n") + "\n", middleware, handlers,
                   keys, carried, judged, judged_sites), None


def _problem(file: PortedFile, statement: SgNode, relpath: str) -> str | None:
    """Why the hook or handler `statement` does not copy as the first pass converted it, or None."""
    inside = file.sites_in(statement)
    left = next((site for site in inside if not site.handled), None)
    if left is not None:
        why = f": {left.reason}" if left.reason else ""
        return f"{left.code} at {relpath}:{left.node.range().start.line + 1} is left to people{why}"
    # (a render rewritten to templates.FLASK_RENDER renders in a request context of the Flask app behind, which
    # builds the URLs too; a url_for rewritten to urls.FLASK_URL builds what Flask builds: split.py's rule for views)
    if any(s.code == codes.TEMPLATE and not templates.rendered_with_flask(file, s)
           or s.code == codes.URL and not urls.built_anywhere(file, s) for s in inside):
        # main.py's FastAPI app has neither Flask's templates nor the routes url_for names (split.py's rule for views)
        return (f"the hook or handler at {relpath}:{statement.range().start.line + 1} renders a template or builds a "
                "URL, which Flask's context does")
    return None


def _registered_status(site, owner: str) -> str | None:  # type: ignore[no-untyped-def]
    """The status of `owner.register_error_handler(404, handler)` (not 500), for its site; None otherwise."""
    from .routes import arguments, call_of

    node = site.node
    if node.kind() != "attribute" or node.text() != f"{owner}.register_error_handler":
        return None
    call = call_of(node)
    try:
        positional, keywords = arguments(call) if call is not None else ([], {"": None})
    except NotPortable:  # arguments unpacked
        return None
    if keywords or len(positional) != 2 or positional[0].kind() != "integer" or positional[0].text() == "500":
        return None
    return positional[0].text()


def _statuses(statement: SgNode, owner: str) -> list[str] | None:
    """The statuses of an error handler registered only for statuses (`@app.errorhandler(404)`), not 500 (Starlette
    answers it around the mounted Flask app too); None for anything else."""
    found = [re.fullmatch(rf"@{re.escape(owner)}\.errorhandler\(\s*(\d+)\s*\)", d.text())
             for d in statement.children() if d.kind() == "decorator"]
    if not found or any(m is None or m.group(1) == "500" for m in found):
        return None
    return [m.group(1) for m in found]  # type: ignore[union-attr]


def _only_passed(function: SgNode, name: str) -> bool:
    """True where `name` is only ever an argument of a call in `function`: the middleware hands the Flask app to the
    signal receivers as their sender (`run_in_threadpool(on_start, app)`), which they do not use (hooks.py), the
    same object in the copy, imported from the app's module."""
    found = [n for n in function.find_all(kind="identifier") if n.text() == name]
    return all(n.parent() is not None and n.parent().kind() == "argument_list" for n in found)  # type: ignore[union-attr]


def _made(site) -> str | None:  # type: ignore[no-untyped-def]
    """The name `app = Flask(...)` binds, for the site of that call."""
    from .routes import call_of

    call = call_of(site.node)
    assignment = call.parent() if call is not None else None
    left = assignment.field("left") if assignment is not None and assignment.kind() == "assignment" else None
    return left.text() if left is not None and left.kind() == "identifier" else None


def _scope(statement: SgNode) -> str | None:
    """Where a decorated hook is: "" at the top of the module, the name of the module-level function (the app
    factory) whose body it is a statement of, or None elsewhere."""
    if statement.kind() != "decorated_definition" or statement.parent() is None:
        return None
    parent = statement.parent()
    if parent.kind() == "module":  # type: ignore[union-attr]
        return ""
    function = parent.parent() if parent.kind() == "block" else None  # type: ignore[union-attr]
    outer = function.parent() if function is not None and function.kind() == "function_definition" else None
    if outer is not None and outer.kind() == "decorated_definition":
        outer = outer.parent()
    return function.field("name").text() if outer is not None and outer.kind() == "module" else None  # type: ignore[union-attr]


def _body(tree: SgNode, scope: str) -> list[SgNode] | None:
    """The statements of the module (`scope` "") or of the body of its function named `scope`."""
    if not scope:
        return tree.children()
    for statement in tree.children():
        function = statement.field("definition") if statement.kind() == "decorated_definition" else statement
        if function is not None and function.kind() == "function_definition" and \
                function.field("name").text() == scope:  # type: ignore[union-attr]
            block = function.field("body")
            return block.children() if block is not None else None
    return None


def _comments_above(text: str, node: SgNode) -> str:
    """The comment lines right above `node` in `text`, each with its line break."""
    lines = text[:span(node)[0]].split("\n")[:-1]
    above: list[str] = []
    while lines and lines[-1].lstrip().startswith("#"):
        above.insert(0, lines.pop())
    return "".join(f"{line}\n" for line in above)


def in_main(app_file: PortedFile | None) -> tuple[str, dict[str, set[str]], list[str]]:
    """(the import of the new module, other imports, lines) main.py needs for the app module's carried hooks and
    handlers; the middleware first (the innermost of main.py's: the hooks ran inside the Flask app, around its
    views)."""
    carried: Carried | None = app_file.memo.get(MEMO) if app_file is not None else None
    if carried is None or not carried.text:  # nothing copied: only handlers left with Flask
        return "", {}, []
    names = {name for _, name in carried.handlers} | carried.keys | ({carried.middleware} if carried.middleware else set())
    imports: dict[str, set[str]] = {}
    lines = [f"# the Flask app's request hooks and error handlers, for the routes FastAPI serves ({carried.path})"]
    if carried.middleware:
        imports["starlette.middleware.base"] = {DISPATCH}
        # only where a route of FastAPI answers: on another method of its path, the Flask app runs its own hooks
        lines.append(f"app.add_middleware(\n    {WRAPPER},\n    middleware={DISPATCH},\n    full_match=True,\n"
                     f"    dispatch={carried.middleware},\n)")
    lines += [f"app.add_exception_handler({key}, {name})" for key, name in carried.handlers]
    return from_import(carried.module, names), imports, lines


def answered_in_front(text: str, carried: Carried | None) -> str:
    """A module FastAPI serves while the app stays Flask (a view's copy, split.py, or a converted Blueprint), where
    main.py adds the app's error handlers for statuses (`carried`): Flask-SQLAlchemy's NotFound goes to the one for
    404 (flask_sqlalchemy.answered_in_front), and an aborted status it answers is no longer answered with JSON, so
    the note saying so goes, as hooks.py drops it beside a handler it converts."""
    statuses = {key for key, _ in carried.handlers if key.isdigit()} if carried is not None else set()
    if not statuses:
        return text
    text = flask_sqlalchemy.answered_in_front(text, statuses)
    note = " ".join(ABORT_BODY_DIFFERS.split())
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _TODO.match(line)
        if match is None:
            kept.append(line)
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].lstrip().startswith("#   "):
            end += 1
        said = " ".join([match.group(2), *(part.lstrip().removeprefix("#").strip() for part in lines[index + 1:end])])
        raised = _RAISED.match(lines[end]) if end < len(lines) else None
        if said == note and raised is not None and raised.group(1) in statuses:
            index = end  # the note goes, the raise stays
            continue
        kept.extend(lines[index:end])
        index = end
    return "\n".join(kept)


_TODO = re.compile(r"^([ \t]*)# TODO\(migrate-audit FMA\d+\): (.*)$")
_RAISED = re.compile(r"^[ \t]*raise HTTPException\(status_code=(\d+)[,)]")  # responses.port_abort's raise


# A Blueprint's hooks for every request of the app ------------------------------------------------------------
# `@bp.before_app_request`, `after_app_request`, `teardown_app_request`: Flask adds them to the app's own hooks
# when the Blueprint is registered, so they run for every request, FastAPI's routes' included once the views move.
# The first pass converts each as the app's (hooks.py, `Around.app_wide`), leaving its decorator and a TODO in the
# module (an APIRouter has no hook for the whole app); where they copy faithfully, they are carried as the app
# module's are: copied into `<module>_hooks_fastapi.py` beside their module with a middleware calling them in
# Flask's order, which main.py adds for FastAPI's routes only. Only where nothing else runs around requests (no
# hook or handler of the app or of another module: their order among the app's would depend on where the
# Blueprint is registered) and the Blueprint is registered once.
APP_WIDE_MIDDLEWARE = "flask_app_wide_hooks"


def plan_app_wide(files: dict[str, PortedFile], converted: dict[str, str], where: str,
                  module_name: Callable[[str, str], str], exists: Callable[[str], bool],
                  tainted_of: Callable[[str], set[str]], view_names: Callable[[SgNode], tuple[set[str], set[str]]],
                  bound_of: Callable[[str], set[str]], standalone_of: Callable[[str], set[str]],
                  standalone_texts_of: Callable[[str, str], list[str]],
                  registered: Callable[[str, str], int]) -> tuple[Carried | None, str | None]:
    """(what main.py carries, None) for the app-wide hooks of a Blueprint module, or (None, why not); (None, None)
    where the project has none. `tainted_of`, `bound_of`, `standalone_of`, `standalone_texts_of` answer for a
    module's path what plan's arguments do for the app module's; `registered(path, name)`: how many times the
    Blueprint `name` of that module is registered."""
    from .edits import _comment
    from .hooks import AFTER_DIFFERS, APP_WIDE, APP_WIDE_LEFT

    around = {relpath: [site for code in AROUND for site in file.sites_of(code)] for relpath, file in files.items()}
    around = {relpath: sites for relpath, sites in around.items() if sites}
    wide = {relpath for relpath, sites in around.items()
            if any(site.node.text().split("(")[0].rsplit(".", 1)[-1] in APP_WIDE for site in sites)}
    if not wide:
        return None, None
    if len(around) > 1:
        return None, (f"hooks or handlers run around requests in {', '.join(sorted(around))}, whose order among the "
                      "app's the port does not follow")
    relpath = wide.pop()
    file, sites = files[relpath], around[relpath]
    left = next((site for site in sites if site.reason != APP_WIDE_LEFT), None)
    if left is not None:
        why = f": {left.reason}" if left.reason else ""
        return None, f"{left.code} at {relpath}:{left.node.range().start.line + 1} is left to people{why}"
    owners = {site.node.text().split(".")[0] for site in sites}
    owner = owners.pop() if len(owners) == 1 else ""
    if not owner or registered(relpath, owner) != 1:
        return None, f"the hooks of {relpath} are not on one Blueprint registered once on the app"
    statements = []
    for site in sites:
        statement = site.node
        while statement.parent() is not None and statement.kind() != "decorated_definition":
            statement = statement.parent()  # type: ignore[assignment]
        if _scope(statement) != "":
            return None, f"{site.code} at {relpath}:{site.node.range().start.line + 1} is not at the top of the module"
        inside = [s for s in file.sites_in(statement) if s is not site]
        other = next((s for s in inside if not s.handled), None)
        if other is not None:
            return None, f"{other.code} at {relpath}:{other.node.range().start.line + 1} is left to people"
        if any(s.code in (codes.TEMPLATE, codes.URL) for s in inside):
            return None, (f"the hook at {relpath}:{statement.range().start.line + 1} renders a template or builds a "
                          "URL, which Flask's context does")
        statements.append((statement, APP_WIDE[site.node.text().split("(")[0].rsplit(".", 1)[-1]]))
    names = [s.field("definition").field("name").text() for s, _ in statements]  # type: ignore[union-attr]
    if len(names) > len({*names}):
        return None, "two hooks have one name"
    # the same functions in the first pass's text (converted, still decorated), in the module's order
    tree = SgRoot(converted[relpath], "python").root()
    copies: dict[str, SgNode] = {}
    comments: dict[str, str] = {}
    for statement in tree.children():
        function = statement.field("definition") if statement.kind() == "decorated_definition" else None
        if function is not None and function.kind() == "function_definition" and \
                function.field("name").text() in names:  # type: ignore[union-attr]
            name = function.field("name").text()  # type: ignore[union-attr]
            copies[name], comments[name] = function, _own_comments_above(converted[relpath], statement)
    if set(names) - set(copies):
        return None, f"{', '.join(sorted(set(names) - set(copies)))} is not at the top of the ported module"
    for name, (_, kind) in zip(names, statements):
        if kind == "after_request":  # what the whole-app port says of an after hook (hooks.py)
            comments[name] += _comment("", codes.AFTER, AFTER_DIFFERS)
    text = "\n\n\n".join(textwrap.dedent(comments[name] + copies[name].text()) for name in names)
    if "request.app" in text:
        return None, "a hook uses the app of the request, which is main.py's, not the ported app"
    if "session" in text:
        return None, "a hook uses Flask's session, whose bridge main.py does not add for them"
    if APP_WIDE_MIDDLEWARE in text or APP_WIDE_MIDDLEWARE in bound_of(relpath):
        return None, f"the module already has a name {APP_WIDE_MIDDLEWARE}"
    module_bound = bound_of(relpath)
    unsafe = tainted_of(relpath) - set(names)
    fastapi = {n for imported in file.imports.values() for n in imported}
    imported: set[str] = set()
    for name in names:
        used, bound = view_names(copies[name])
        used -= bound | set(names)
        missing = used - module_bound - fastapi - set(dir(builtins)) - standalone_of(relpath)
        if missing:
            return None, f"{name} uses {', '.join(sorted(missing))}, not bound at the top of {relpath}"
        if used & unsafe:
            return None, (f"{name} uses {', '.join(sorted(used & unsafe))}, which needs Flask (its code, or code it "
                          "uses, has findings)")
        if any(n.startswith("__") for n in used) or copies[name].find(kind="global_statement") or \
                copies[name].find(kind="nonlocal_statement"):
            return None, f"{name} uses __name__-like names or global/nonlocal"
        imported |= (used & module_bound) - fastapi
    path = PurePosixPath(relpath)
    target = str(path.parent / (f"{path.stem}_hooks_fastapi.py" if path.stem != "__init__" else "hooks_fastapi.py"))
    target = target.removeprefix("./")
    if exists(target):
        return None, f"{target} exists"
    kinds = [(name, kind, copies[name].text().startswith("async")) for name, (_, kind) in zip(names, statements)]
    text += "\n\n\n" + _app_wide_middleware(kinds)
    helpers = standalone_texts_of(relpath, text)
    used_names = {n.text() for n in SgRoot("\n".join([text, *helpers]), "python").root().find_all(kind="identifier")}
    wanted = {module: set(imported_names) & used_names for module, imported_names in file.imports.items()}
    wanted.setdefault("fastapi", set()).add("Request")
    if any(not is_async for _, _, is_async in kinds):
        wanted.setdefault("fastapi.concurrency", set()).add("run_in_threadpool")
    origin = module_name(relpath, where)
    lines = [f'"""The hooks Blueprint {owner} of {origin} adds to the app, for the routes FastAPI serves: written by',
             '`migrate-audit port`; main.py adds them, and the Flask app runs its own for its routes."""', "",
             *import_block(wanted)]
    if imported:
        lines += ["", from_import(origin, imported)]
    for helper in helpers:
        lines += ["", "", helper.strip("\n")]
    lines += ["", "", text]
    carried = {(relpath, span(s.node)[0]) for statement, _ in statements for s in file.sites_in(statement)}
    return Carried(target, module_name(target, where), "\n".join(lines).rstrip("\n") + "\n", APP_WIDE_MIDDLEWARE,
                   sites=carried), None


def _app_wide_middleware(hooks: list[tuple[str, str, bool]]) -> str:
    """The middleware calling the hooks (name, kind, async) in Flask's order, as hooks.py's does for the app's:
    the before hooks until one answers, the after hooks in reverse, the teardown hooks last (in reverse)."""
    def call(name: str, is_async: bool, *rest: str) -> str:
        given = ", ".join(("request", *rest))
        return f"await {name}({given})" if is_async else f"await run_in_threadpool({name}, {given})"

    before = [(n, a) for n, kind, a in hooks if kind == "before_request"]
    after = [(n, a) for n, kind, a in hooks if kind == "after_request"]
    teardown = [(n, a) for n, kind, a in hooks if kind == "teardown_request"]
    body: list[str] = []
    for index, (name, is_async) in enumerate(before):
        body += [f"response = {call(name, is_async)}"] if index == 0 else \
            ["if response is None:", f"    response = {call(name, is_async)}"]
    body += ["if response is None:", "    response = await call_next(request)"] if before else \
        ["response = await call_next(request)"]
    body += [f"response = {call(name, is_async, 'response')}" for name, is_async in reversed(after)]
    if teardown:
        body = ["try:", *("    " + line for line in body), "except Exception as exc:",
                *(f"    {call(name, is_async, 'exc')}" for name, is_async in reversed(teardown)), "    raise"]
        body += [call(name, is_async, "None") for name, is_async in reversed(teardown)]
    body.append("return response")
    return "\n".join([f"async def {APP_WIDE_MIDDLEWARE}(request: Request, call_next):",
                      "    # the Blueprint's app-wide hooks in Flask's order: before_app_request until one answers,",
                      "    # after_app_request in reverse, teardown_app_request last",
                      *("    " + line for line in body)])


def _own_comments_above(text: str, node: SgNode) -> str:
    """The comments above a hook the copy keeps: not the TODO its module keeps for the decorator (APP_WIDE_LEFT)."""
    kept, skipping = [], False
    for line in _comments_above(text, node).splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("# TODO(migrate-audit "):
            skipping = stripped.startswith(f"# TODO(migrate-audit {codes.BEFORE})") or \
                stripped.startswith(f"# TODO(migrate-audit {codes.AFTER})") or \
                stripped.startswith(f"# TODO(migrate-audit {codes.TEARDOWN_HOOK})")
        elif not stripped.startswith("#   "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)
