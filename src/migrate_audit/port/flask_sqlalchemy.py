"""Flask-SQLAlchemy in a ported view -> the same models and session, in the Flask app's context
(port/written/flask_sqlalchemy_context.py).

What the port rewrites: in a view it converts, `Model.query...` (FMA340), `get_or_404` / `first_or_404` /
`one_or_404` and `paginate(...)` (FMA341, on a query or on `db`) and `db.session` (FMA342)
keep their code; the view gets `@flask_app_context(NAME)` under its route decorators (NAME: the model or the `db`
it uses; a class-based view's method, a path operation of its own, under its @staticmethod), which runs it in an application context of the Flask app `db` was given, pushed per call in the
view's own thread and popped after it, as Flask pushes one per request. So the view reads and writes through
Flask-SQLAlchemy's own scoped session, removed at the end of each request by Flask-SQLAlchemy's teardown, on the
engines the Flask app's config made: the Flask app serving the rest (strangler: main.py mounts it) and the
FastAPI routes share one database, and a write on either side is read on the other. A helper's `abort(404)`
(Werkzeug's NotFound) is answered with the response Werkzeug makes of it, body and headers, which is Flask's
answer where no error handler takes it (tests/test_port_flask_sqlalchemy.py runs both sides on one SQLite file).

Why not plain SQLAlchemy with a session dependency (the FMA340 advice, the db-model-session proof's FastAPI
side): that rewrites the models (`db.Model` -> `DeclarativeBase`, table names, `db.Column`), the engine's
options that Flask-SQLAlchemy derives from the app's config (`SQLALCHEMY_*`, the SQLite pool) and every
`Model.query`, all of which the Flask half still uses while the app moves route by route; this keeps one
definition of each model for both halves. Why a decorator, not a dependency with `yield`: Flask's context lives
in a ContextVar, and FastAPI runs a sync dependency and the sync endpoint in separate threadpool calls, each in a
copy of the context: a context pushed in the dependency is not current in the view (checked with FastAPI 0.165:
even the dependency's own exit finds it gone).

Left to people, with the reason (all of a view's sites or none: the view runs in the context whole):
- `paginate(*args, **kwargs)` (whether it reads `request.args` is not known; `paginate()` without `page=` or
  `per_page=` is rewritten: the decorator's `query_string=True` gives it a Flask request context with the
  request's query string, where it reads them as in Flask, 404 for a bad one);
- an `async def` view: the session's blocking calls would run on FastAPI's event loop;
- a helper that aborts, in a module with an error handler (which Flask would give the 404);
- `get_debug_queries` and the like (the queries Flask-SQLAlchemy records per Flask request);
- a view whose queries start from no name the audit resolved to Flask-SQLAlchemy's objects (a model, `db`) bound
  at the top of the module before it (the decorator's argument, evaluated where the view is defined: through a
  model's `__fsa__` or `db` itself it finds the Flask app), e.g. `g.project.bills().paginate(...)`;
- FMA342, reported once per module, stays unless every `db.session` of the module is in such a view.
"""
from __future__ import annotations

import bisect
import re
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_objects import EXTENSION_OBJECT
from ..rules.ext_sqlalchemy import APP_CONTEXT_DDL, MODEL_CLASS, MODEL_QUERY, QUERY_HELPERS, SESSION
from ..scopes import span
from . import app_context_only, class_views, codes, decorators, session
from .edits import NotPortable, PortedFile, Site, statement_names

MODULE = "flask_sqlalchemy_context"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("flask-sqlalchemy context", 0)
VIEWS = ("flask-sqlalchemy views", 0)  # the spans of the views decorated
FIRST = ("flask-sqlalchemy: first bindings", 0)
BINDINGS = ("flask-sqlalchemy: top-level bindings", 0)
KNOWN = ("flask-sqlalchemy: names of its objects", 0)
SEEN = ("flask-sqlalchemy: names found safe in the context", 0)  # file.memo of split.py's files, per call of split
DECORATOR = "flask_app_context"
QUERY, HELPERS, DB_SESSION = MODEL_QUERY.code, QUERY_HELPERS.code, SESSION.code
CODES = (QUERY, HELPERS, DB_SESSION)
ABORTING = frozenset({"get_or_404", "first_or_404", "one_or_404", "paginate"})


def read(file: PortedFile, apps: set[str]) -> None:
    """A port before decorated these views: their Flask-SQLAlchemy sites are done (porting twice changes nothing)."""
    if file.bound.get(DECORATOR) != MODULE:
        return
    for decorator in file.root.find_all(kind="decorator"):
        call = decorator.named_children()[0] if decorator.named_children() else None
        function = call.field("function") if call is not None and call.kind() == "call" else None
        definition = decorator.parent()
        if function is None or function.text() != DECORATOR or definition is None:
            continue
        for site in file.sites_in(definition):
            if site.code in CODES:
                site.handled = True
    _session_done(file)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    sites = [site for code in CODES for site in file.sites_of(code) if not site.handled]
    if not sites:
        return
    dbs = {_head(site.node) for site in file.sites_of(DB_SESSION)} - {""}  # FMA342 is at the module's first use
    # the decorated views, and the methods of the class-based views that convert: each is a path operation
    # (port/class_views.py), which Flask called in the request's app context too
    for view in [*_views(file).values(), *class_views.methods(file)]:
        inside = [site for site in file.sites_in(view) if site.code in CODES and not site.handled]
        sessions = sorted({db for db in dbs if _session_uses(view, db)})  # `db.session` of a view after the first
        if not inside and not sessions:
            continue
        try:
            name = _plan(file, view, inside, sessions)
            if view.kind() == "function_definition":  # a method: under its @staticmethod
                class_views.decorate(file, view, f"@{DECORATOR}({name})")
            file.use(MODULE, DECORATOR)
        except NotPortable as reason:
            for site in inside:
                site.reason = site.reason or str(reason)
            continue
        if view.kind() != "function_definition":
            _decorate(file, view, name)
        for site in inside:
            if site.code != DB_SESSION:
                site.handled = True
        file.memo[USED] = True
        file.memo.setdefault(VIEWS, []).append(span(view))
    _session_done(file)


def _session_uses(node: SgNode, db: str) -> list[SgNode]:
    """The `<db>.session` attributes inside `node`."""
    return [found for found in node.find_all(kind="attribute") if found.field("attribute") is not None and
            found.field("attribute").text() == "session" and found.field("object") is not None and  # type: ignore[union-attr]
            found.field("object").text() == db]  # type: ignore[union-attr]


def _views(file: PortedFile) -> dict[int, SgNode]:
    """The decorated definitions of the module's routes, by their start."""
    found = {}
    for site in file.sites_of(codes.ROUTE_DECORATOR):
        node = site.node
        while node.parent() is not None and node.kind() != "decorated_definition":
            node = node.parent()  # type: ignore[assignment]
        if node.kind() == "decorated_definition":
            found[span(node)[0]] = node
    return found


def _plan(file: PortedFile, view: SgNode, inside: list[Site], sessions: list[str]) -> str:
    """The decorator's arguments: a model or `db` the view uses, and `query_string=True` where a `paginate()`
    reads Flask's request.args; or NotPortable with the reason."""
    query = False
    function = view if view.kind() == "function_definition" else view.field("definition")
    if function is None or function.kind() != "function_definition":
        raise NotPortable("not a function view")
    if function.children() and function.children()[0].kind() == "async":
        raise NotPortable("an async view: Flask-SQLAlchemy's session would block FastAPI's event loop")
    names = []
    for site in inside:
        if site.code == HELPERS:
            helper = site.node.text()
            if helper not in ABORTING:
                raise NotPortable(f"{helper}() reads what Flask-SQLAlchemy records per Flask request")
            call = _call_of_attribute_name(site.node)
            if call is None:
                raise NotPortable(f"{helper} is not called")
            if helper == "paginate":
                given = {arg.field("name").text() for arg in call.field("arguments").named_children()  # type: ignore[union-attr]
                         if arg.kind() == "keyword_argument"}
                if any(arg.kind() in ("list_splat", "dictionary_splat")
                       for arg in call.field("arguments").named_children()):  # type: ignore[union-attr]
                    raise NotPortable("paginate(*args/**kwargs): which of page= and per_page= it is given is not "
                                      "known, and without them it reads Flask's request.args")
                query = query or not {"page", "per_page"} <= given  # read from request.args: the query string
            if file.sites_of(codes.ERRORS):
                raise NotPortable(f"{helper}() aborts with 404, which an error handler of this module would take "
                                  "in Flask")
        names.append(_head(site.node))
    names += sessions
    first, known = _first_bound(file), _known(file)
    usable = [name for name in names if name in known and first.get(name, span(view)[0]) < span(view)[0]]
    if not usable:
        raise NotPortable(f"the view reaches Flask-SQLAlchemy through {' / '.join(sorted(set(names)))}, not a model or "
                          "db bound at the top of the module before it, so whose app context to push is not known")
    return f"{usable[0]}, query_string=True" if query else usable[0]


def _known(file: PortedFile) -> set[str]:
    """The names the audit resolved to Flask-SQLAlchemy's objects in this module (what the decorator may be
    given: a model knows its `db` by `__fsa__`): the heads of `Model.query` and `db.session`, of `db.get_or_404`
    and the like, and of a `paginate` without `error_out=` (with it, a query reached through other objects, a
    dynamic relationship's, is reported too), models declared here and `X = SQLAlchemy(...)`."""
    if KNOWN not in file.memo:
        known = {_head(site.node) for site in file.sites_of(QUERY) + file.sites_of(DB_SESSION)}
        for site in file.sites_of(HELPERS):
            call = _call_of_attribute_name(site.node)
            keywords = {arg.field("name").text() for arg in call.field("arguments").named_children()  # type: ignore[union-attr]
                        if arg.kind() == "keyword_argument"} if call is not None else {"error_out"}
            if site.node.text() in ABORTING and (site.node.text() != "paginate" or "error_out" not in keywords):
                known.add(_head(site.node))
        known |= {site.node.text() for site in file.sites_of(MODEL_CLASS.code) if site.node.kind() == "identifier"}
        known |= {name for site in file.sites_of(OBJECT) if harmless(file, site) and site.node.parent() is not None
                  and site.node.parent().kind() == "assignment"  # type: ignore[union-attr]
                  for name in [site.node.parent().field("left").text()]}  # type: ignore[union-attr]
        file.memo[KNOWN] = known - {""}
    return file.memo[KNOWN]  # type: ignore[no-any-return]


def _call_of_attribute_name(node: SgNode) -> SgNode | None:
    """`paginate` in `q.paginate(...)`: the call."""
    attribute = node.parent() if node.kind() == "identifier" else node
    call = attribute.parent() if attribute is not None else None
    return call if call is not None and call.kind() == "call" and call.field("function") == attribute else None


def _head(node: SgNode) -> str:
    """The leftmost name of the expression a site is in: `Book` of `Book.query.filter(...).get_or_404`."""
    current = node.parent() if node.kind() == "identifier" and node.parent() is not None and \
        node.parent().kind() == "attribute" else node  # type: ignore[union-attr]
    while current is not None and current.kind() in ("attribute", "call", "subscript"):
        current = current.field({"attribute": "object", "call": "function", "subscript": "value"}[current.kind()])
    return current.text() if current is not None and current.kind() == "identifier" else ""


def _first_bound(file: PortedFile) -> dict[str, int]:
    """Each top-level name of the module -> where the first statement binding it starts (once per file)."""
    if FIRST not in file.memo:
        first: dict[str, int] = {}
        for statement in file.root.children():
            for name in statement_names(statement):
                first.setdefault(name, span(statement)[0])
        file.memo[FIRST] = first
    return file.memo[FIRST]  # type: ignore[no-any-return]


def _decorate(file: PortedFile, view: SgNode, name: str) -> None:
    """`@flask_app_context(NAME)` under the route decorators (outside the view's other decorators: Flask pushed
    the context before anything of the view ran), but under a bridge's that runs the view in FastAPI's thread pool
    (decorators.in_pool: Flask-Pydantic's, webargs'), whose wrapper is a coroutine function: the context is a
    ContextVar of the thread the view runs in, and the sync wrapper would hand FastAPI the coroutine unawaited.
    Those bridges read the request only, nothing of the context."""
    indent = file.text[file.line_start(span(view)[0]):span(view)[0]]
    before = view.field("definition")
    others = [child for child in view.children()
              if child.kind() == "decorator" and not file.sites_in(child, codes.ROUTE_DECORATOR)]
    pooled = [at for at, child in enumerate(others)
              if child.named_children() and decorators.in_pool(file, child.named_children()[0])]
    below = others[pooled[-1] + 1:] if pooled else others
    if below:
        before = below[0]
    at = file.line_start(span(before)[0])  # type: ignore[arg-type]
    edit = before.replace(f"{indent}@{DECORATOR}({name})\n")  # type: ignore[union-attr]
    edit.start_pos = edit.end_pos = at
    file._add(edit)


def _session_done(file: PortedFile) -> None:
    """FMA342 (once per module): done when every `<db>.session` of the module is in a decorated view."""
    views = sorted(file.memo.get(VIEWS, []))
    for site in file.sites_of(DB_SESSION):
        if site.handled:
            continue
        db = _head(site.node)
        outside = [node for node in _session_uses(file.root, db)
                   if not _within(span(node), views) and not _in_decorated(node)]
        if outside:
            site.reason = site.reason or (f"{db}.session is used at line {outside[0].range().start.line + 1}, outside "
                                          "the views the port runs in the Flask app's context")
        else:
            site.handled = True


def _within(where: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Inside one of the sorted, disjoint `spans` (the one starting last before it, by bisection)."""
    at = bisect.bisect_right(spans, (where[0], float("inf"))) - 1
    return at >= 0 and spans[at][0] <= where[0] and where[1] <= spans[at][1]


def _in_decorated(node: SgNode) -> bool:
    """Inside a definition a port before decorated with the context."""
    current = node.parent()
    while current is not None:
        if current.kind() == "decorated_definition" and any(
                child.kind() == "decorator" and child.text().startswith(f"@{DECORATOR}(") for child in current.children()):
            return True
        current = current.parent()
    return False


_ABORTS = re.compile(r"\.(?:" + "|".join(sorted(ABORTING)) + r")\(")


def answered(copy: str) -> set[str]:
    """The statuses `@flask_app_context(...)` answers itself on a view (`copy`, its text): the 404 of get_or_404,
    first_or_404, one_or_404 and paginate, as Werkzeug's page (the Werkzeug exceptions it catches: a name with any
    other finding keeps a moved view with Flask, split.py), which an error handler of the Flask app would answer
    otherwise."""
    return {"404"} if _ABORTS.search(copy) else set()


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE


# Route by route (split.py): a view moved to FastAPI runs in the Flask app's context too, so the Flask-SQLAlchemy
# objects it imports from the Flask module (its models, `db`) work there as they did; what split.py counts as
# needing Flask, and this does not, is only those.
FILES = ("flask-sqlalchemy: the project's files", 0)  # file.memo, set by split.py: path -> PortedFile
OBJECT = EXTENSION_OBJECT.code
_EXTENSION = extension_for_module("flask_sqlalchemy")
_OURS = frozenset({QUERY, HELPERS, DB_SESSION, MODEL_CLASS.code, APP_CONTEXT_DDL.code,
                   _EXTENSION.code if _EXTENSION is not None else ""})


def harmless(file: PortedFile, site: Site) -> bool:
    """`db = SQLAlchemy(app)`, `SQLAlchemy()`, `db.init_app(app)` (FMA389): Flask-SQLAlchemy hooks no request of the
    app (3.1's init_app adds a `teardown_appcontext` that removes the session and a shell context processor, and
    sets SQLALCHEMY_* defaults), so it changes no answer (split.py: no hazard to the views that move)."""
    if site.code != OBJECT or _EXTENSION is None or site.advice != _EXTENSION.counterpart:
        return False
    function = site.node.field("function") if site.node.kind() == "call" else None
    name = function.text() if function is not None else ""
    return name == "SQLAlchemy" and file.bound.get(name) == "flask_sqlalchemy" or name.endswith(".init_app")


def in_context(file: PortedFile, copy: SgNode, names: set[str], request: bool = False) -> set[str]:
    """Of `names` (top-level names of `file` that split.py finds needing Flask), those a copy of a view decorated
    with the context may use: Flask-SQLAlchemy's objects (the `db`, a model class), and names bound to what uses
    only them, in this module or the project module they are imported from; with `request`, in a request context
    built from the FastAPI request (`request=True`, IN_REQUEST), those that read only it too."""
    if f"@{DECORATOR}(" not in copy.text() or FILES not in file.memo:
        return set()
    files: dict[str, PortedFile] = file.memo[FILES]
    seen: dict[tuple[str, str, bool], bool] = file.memo.setdefault(SEEN, {})  # one answer per name, for every view
    return {name for name in names if _safe(files, file.path, name, seen, set(), request)}


# Route by route, a copy may run in a request context of the Flask app built from the FastAPI request (flask_render's
# flask_request_context: method, root path, path, scheme, host, query string, headers), where what reads only the
# app's config and that request answers as in Flask: `current_app`, `url_for` (the request's host and root path),
# Flask-Marshmallow's schemas (their session is db.session, in the context) and URL fields (url_for at dump time), a
# Celery task reading `current_app`. Not Flask's `request` (its body, form and files are FastAPI's, read by the copy),
# `session` (the bridge's, written by main.py's middleware), `g` (what the app's hooks set is on request.state in
# front of FastAPI's routes), nor anything else: those keep the view with Flask, with the reason (`refusal`).
IN_REQUEST = "request=True"
# the rules whose findings only read the app's config or the request context, by name (as each rule declares it)
READS = frozenset({"flask-current-app", "flask-url-for", "flask-url-for-external", "flask-marshmallow-schema",
                   "flask-marshmallow-auto-field", "flask-marshmallow-url-fields", "flask-sqlalchemy-session-use",
                   "flask-config-access", "flask-app-context", "flask-request-context-helpers"})
# Flask's names that only read the context (flask-request-context-helpers: only these two)
FLASK_READERS = frozenset({"current_app", "url_for", "has_app_context", "has_request_context"})
# what of `current_app` only reads the app: its config, logger, names and folders, flags, extensions' registry, URL map
# and JSON provider, the app itself for an app context of its own (`current_app._get_current_object()`, as Celery tasks
# written for Flask take it)
CURRENT_APP_READS = frozenset({"config", "logger", "name", "import_name", "instance_path", "root_path", "debug",
                               "testing", "extensions", "url_map", "json", "_get_current_object", "app_context"})
# the extensions whose objects a module may import for it: their findings are on the statements using them
READ_EXTENSIONS = frozenset({"flask_sqlalchemy", "flask_marshmallow"})
_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "from_object", "from_pyfile", "from_envvar",
                       "from_mapping", "from_file", "from_prefixed_env"})
# what the copy's request context lacks, by the rule (name prefix) of the finding
_BEYOND = {"flask-g-object": "g holds what the app's hooks set in Flask, on request.state in front of FastAPI's routes",
           "flask-session": "Flask's session is the one main.py's bridge saves",
           "flask-flash": "the flashes are in Flask's session, the one main.py's bridge saves",
           "flask-request-json": "the request body is FastAPI's in the copy", "flask-request-form": "the request "
           "body is FastAPI's in the copy", "flask-request-data": "the request body is FastAPI's in the copy",
           "flask-request-files": "the request body is FastAPI's in the copy"}
WHY = ("flask-sqlalchemy: why a name needs more than a request context", 0)  # file.memo: name -> the first reason
_RULE_NAMES: dict[str, str] = {}


def _rule_name(code: str) -> str:
    if not _RULE_NAMES:
        from .. import registry

        registry.load()
        _RULE_NAMES.update({rule.code: rule.name for rule in registry.all_rules()})
    return _RULE_NAMES.get(code, "")


def _reads_only(file: PortedFile, site: Site) -> bool:
    """A finding that reads the app's config or the request context only (READS), in a request context."""
    name = _rule_name(site.code)
    text = site.node.text()
    if name == "flask-request-context-helpers":
        return text.split("(")[0].rpartition(".")[2] in ("has_app_context", "has_request_context")
    if name == "flask-app-context":  # `with app.app_context():` of the app, nested as in Flask
        return text.split("(")[0].rpartition(".")[2] == "app_context"
    if name == "flask-config-access":  # read, not set
        top = site.node
        while top.parent() is not None and top.parent().kind() in ("attribute", "subscript"):  # type: ignore[union-attr]
            if top.parent().kind() == "attribute" and top.parent().field("attribute").text() in _MUTATORS:  # type: ignore[union-attr]
                return False
            top = top.parent()  # type: ignore[assignment]
        above = top.parent()
        return above is None or not (above.kind() in ("assignment", "augmented_assignment") and above.field("left") == top
                                     or above.kind() == "delete_statement")
    if name == "flask-current-app":  # what reads the app (not `current_app.make_response`, the app passed on bare)
        return site.node.kind() == "attribute" and site.node.field("attribute").text() in CURRENT_APP_READS  # type: ignore[union-attr]
    if site.code == OBJECT:  # `ma = Marshmallow()`: the object the schemas are made with
        function = site.node.field("function") if site.node.kind() == "call" else None
        return function is not None and function.text() == "Marshmallow" and \
            file.bound.get("Marshmallow") == "flask_marshmallow"
    return name in READS


def refusal(file: PortedFile, names: set[str]) -> str:
    """Why the first of `names` a request context does not do for needs more (after in_context(request=True)): ": ..."
    or ""."""
    reasons: dict[tuple[str, str], str] = file.memo.get(WHY, {})
    return next((f": {name} {reasons[file.path, name]}" for name in sorted(names) if (file.path, name) in reasons), "")


def requestable(copy: SgNode) -> bool:
    """Every function of a view's copy (the view, or a class's methods) runs under the context's decorator."""
    functions = [copy] if copy.kind() == "decorated_definition" else \
        [node.parent() for node in copy.find_all(kind="function_definition")]
    return bool(functions) and all(
        f is not None and f.kind() == "decorated_definition" and
        any(d.kind() == "decorator" and d.text().startswith(f"@{DECORATOR}(") for d in f.children())
        for f in functions)


_DECORATOR_LINE = re.compile(rf"^([ \t]*@{DECORATOR}\()((?:(?!{IN_REQUEST}).)*?)(?:, query_string=True)?\)[ \t]*$",
                             re.MULTILINE)


def in_request(copy: str) -> str:
    """A copy's `@flask_app_context(X[, query_string=True])` -> `@flask_app_context(X, request=True)` (the request
    context built from the whole request reads the query string too)."""
    return _DECORATOR_LINE.sub(rf"\1\2, {IN_REQUEST})", copy)


def _safe(files: dict[str, PortedFile], path: str, name: str, seen: dict[tuple[str, str, bool], bool],
          pending: set[tuple[str, str]], request: bool = False) -> bool:
    """Whether the top-level `name` of the module at `path` needs nothing of Flask but the app context that
    Flask-SQLAlchemy's objects need (with `request`: or a request context, READS): no statement it is bound by, or
    that those use, has another finding.
    Along a cycle of uses (two models naming each other) a name being decided counts as safe, so an answer
    resting on that is kept only at the top (`pending` empty); a `False` is never an assumption's."""
    key = (path, name)
    if (path, name, request) in seen:
        return seen[path, name, request]
    if key in pending:
        return True
    pending.add(key)
    ok = _decide(files, path, name, seen, pending, request)
    pending.discard(key)
    if not ok or not pending:
        seen[path, name, request] = ok
    return ok


def _decide(files: dict[str, PortedFile], path: str, name: str, seen: dict[tuple[str, str, bool], bool],
            pending: set[tuple[str, str]], request: bool = False) -> bool:
    from .plan import module_files

    file = files.get(path)
    if file is None:
        return True  # a module without findings needs no Flask
    why: dict[tuple[str, str], str] = file.memo.setdefault(WHY, {}) if request else {}
    statement = _binding(file, name)
    if statement is None:
        why[path, name] = f"is bound by no one statement of {path}"
        return False
    if statement.kind() == "import_from_statement":
        module = statement.field("module_name").text()  # type: ignore[union-attr]
        original = _imported_as(statement, name)
        if module == "flask_sqlalchemy" or request and module in READ_EXTENSIONS:
            return True
        if module == "flask" and original in app_context_only.NAMES:
            return True  # (Flask's g, current_app: each use of them is a finding, judged where it is)
        if request and module == "flask" and original in FLASK_READERS:
            return True  # read in the request context
        if module.lstrip(".").split(".")[0] in ("flask", "werkzeug") or module.lstrip(".").startswith("flask_"):
            why[path, name] = (f"is {module}'s {original}, which a request context built from the FastAPI request "
                               "does not give as Flask did (the body, the session, g set by the app's hooks)")
            return False
        targets = [p for p in module_files(path, module) if p in files]
        for target in targets:
            if not _safe(files, target, original or "", seen, pending, request):
                if request:
                    inner = files[target].memo.get(WHY, {}).get((target, original), "")
                    why[path, name] = f"(of {target}) {inner}".rstrip()
                return False
        return original is not None
    sites = file.sites_in(statement)
    texts = [one.text for one in files.values()]  # (where else g's keys are assigned: app_context_only)
    bad = next((site for site in sites if site.code not in _OURS and not harmless(file, site)
                and not app_context_only.needs_app_only(file, site, texts)
                and not (request and _reads_only(file, site))), None)
    if bad is not None:
        rule = _rule_name(bad.code)
        what = next((f": {text}" for start, text in _BEYOND.items() if rule.startswith(start)), "")
        why[path, name] = (f"needs Flask beyond a request context built from the FastAPI request: {bad.code} at "
                           f"{path}:{bad.node.range().start.line + 1} ({rule}{what})")
        return False
    if sites and all(harmless(file, site) for site in sites):  # `db = SQLAlchemy(app)`: the object, whatever made it
        return True
    top = _first_bound(file)
    uses = {n.text() for n in statement.find_all(kind="identifier") if n.text() in top and n.text() != name}
    for used in sorted(uses):
        if not _safe(files, path, used, seen, pending, request):
            if request and (path, used) in why:
                why.setdefault((path, name), f"uses {used}, which {why[path, used]}")
            return False
    return True


def context_object(file: PortedFile, view: SgNode) -> str | None:
    """A model or `db` of the module bound at its top before `view` (an original definition), which
    `@flask_app_context(...)` may be given to push the Flask app's context around a copy of the view (split.py), or
    None."""
    first = _first_bound(file)
    usable = sorted((first[name], name) for name in _known(file) if first.get(name, span(view)[0]) < span(view)[0])
    return usable[0][1] if usable else None


def _binding(file: PortedFile, name: str) -> SgNode | None:
    """The one top-level statement that binds `name` (None when none or several do)."""
    if BINDINGS not in file.memo:
        bindings: dict[str, list[SgNode]] = {}
        for statement in file.root.children():
            for bound in statement_names(statement):
                bindings.setdefault(bound, []).append(statement)
        file.memo[BINDINGS] = bindings
    found = file.memo[BINDINGS].get(name, [])
    return found[0] if len(found) == 1 else None


def _imported_as(statement: SgNode, name: str) -> str | None:
    """The name in the imported module of what `from m import x as name` binds to `name`."""
    module = statement.field("module_name")
    for item in statement.named_children():
        if item == module:
            continue
        if item.kind() == "aliased_import" and item.field("alias").text() == name:  # type: ignore[union-attr]
            return item.field("name").text()  # type: ignore[union-attr]
        if item.kind() == "dotted_name" and item.text() == name:
            return name
    return None


def answered_in_front(copy: str, statuses: set[str]) -> str:
    """A view's copy FastAPI serves (split.py), where main.py adds the app's error handler for 404 (hooks_in_front):
    `@flask_app_context(...)` raises the helpers' NotFound to it (`handled=(404,)`) rather than answering Werkzeug's
    page, as Flask gave the app's handler the exception."""
    if "404" not in statuses:
        return copy
    # (a decorator a port before gave it keeps it: porting twice changes nothing)
    return re.sub(rf"^([ \t]*@{DECORATOR}\()((?:(?!handled=).)*)\)[ \t]*$", r"\1\2, handled=(404,))", copy,
                  flags=re.MULTILINE)
