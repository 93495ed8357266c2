"""Route by route: the views of a unit that stays Flask which convert fully, served by FastAPI first.

A unit (the app or a Blueprint) converts whole or stays Flask (units.py). When it stays, each of its views
that the port converts fully is copied into a new module beside the Flask one (`books.py` ->
`books_fastapi.py`), on an `APIRouter` with the unit's prefix, and main.py includes that router before it
mounts the Flask app: FastAPI answers those paths, Flask everything else. The Flask module is not
changed, so nothing in it can fail at import, and the Flask copy of each route still serves `url_for`,
other methods on the same path, and a rollback.

A copy answers as Flask did only when nothing outside the view takes part in answering it, so a view
moves only when all of these hold, and otherwise stays with the reason in the notes:
- no finding anywhere in the project changes how the requests of its unit are handled, unless main.py
  carries it in front of FastAPI's routes (the app module's hooks and handlers: hooks_in_front.py; ProxyFix,
  CORS, Compress, Talisman: in_front.py): a request hook, error handler or URL preprocessor on its Blueprint
  (`bp.before_request`) or on the app (`app.before_request`, `bp.before_app_request`), an extension or
  middleware that hooks every request (`CSRFProtect(app)`, `LoginManager`), an app attribute or a config key
  that changes routing or responses (`SERVER_NAME`, `MAX_CONTENT_LENGTH`, permanent sessions; not a read of
  `app.instance_path` and the like, IMMUTABLE_READS). Which rules only concern the code they are in is listed
  below by rule name (`LOCAL`); an extension that answers only URLs of its own (Flask-CORS's `resources=`,
  Flask-Admin's and Flask-RESTX's routes) keeps only the views whose URL may be one of them, and Flask-Login only
  where main.py does not run its hook (extension_scopes.py); any other rule blocks;
- every finding in the view is rewritten, and the view renders no template and builds no URL (Flask's
  template context, filters and url_for of Flask routes are not the copy's), but through urls.FLASK_URL, which
  builds from the Flask app's own URL map while it serves the endpoint (the copy builds its module's own routes
  so too: urls.for_a_copy, since they may stay Flask's);
- its URL can be matched by no other route of the project, `add_url_rule`'s included (Werkzeug orders rules
  by how specific they are, Starlette by order, so an overlap could change which view answers), but by a route of
  its module with the same rule word for word, when that one moves too (both FastAPI's, in the module's order);
  every route's URL must be readable, and each Blueprint registered once, where the port reads it;
- its other decorators are those whose rewrite answers on the copy as in Flask (decorators.Alone: Along below),
  which it takes along with the names they use, and none may raise a status the Flask app's handlers answer;
- every name it uses is its own, a builtin, a FastAPI name of the rewrite, or bound at the top of its
  Flask module, which the copy imports it from (the same object; a name some function rebinds with
  `global` is not copied, nor a view using `global`, `__name__` or its Blueprint object); and needs no Flask
  (`tainted`: Werkzeug's plain helpers do not, _plain_helpers), but for what the Flask app's application context
  gives, where the copy runs in one (Flask-SQLAlchemy's objects, port/app_context_only.py: _pushed_context), or
  names that only read the app's config or the request (Flask-Marshmallow's schemas and URL fields, `url_for`,
  `current_app`, a task reading it), where it runs in a request context built from the FastAPI request
  (`request=True`: needs_flask; not Flask's session, g or the request body).
"""
from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ast_grep_py import SgNode, SgRoot

from .. import registry
from ..rules.application import KEEP_HELPERS, WERKZEUG_HELPERS
from ..rules.inventory import IMPORT_LINE
from ..scopes import span
from . import codes, decorators, extension_scopes, flask_sqlalchemy, hooks_in_front, in_front, libraries, responses, templates, urls
from . import split_class_views
from .edits import NotPortable, PortedFile, Site, statement_names
from .imports import WRITTEN, import_block
from .plan import module_files
from .routes import STANDALONE_KEY, BlueprintInfo, arguments, call_of, registration

# Rules whose findings change only what the code they are in does: the other views' findings, and module
# code that answers no request. By name, as each rule declares it.
LOCAL = frozenset({
    "flask-application-object", "flask-route-decorator", "flask-request-method-branching", "flask-url-converter",
    "flask-custom-url-converter", "flask-blueprint", "flask-register-blueprint", "flask-url-for",
    "flask-strict-slashes", "flask-url-for-external", "werkzeug-routing-exception",
    "flask-request-args", "flask-request-form", "flask-request-files", "flask-request-json", "flask-request-data",
    "flask-request-values", "flask-request-headers-cookies", "flask-request-url-and-client",
    "flask-request-parsed-header", "flask-request-class-in-type", "flask-jsonify", "flask-make-response",
    "flask-render-template", "flask-redirect", "flask-abort", "flask-send-file", "flask-response-object",
    "flask-streamed-response", "flask-stream-template", "werkzeug-http-exception", "werkzeug-datastructures",
    "werkzeug-context-local", "flask-typing-alias", "flask-json-module", "flask-render-template-to-text",
    # extensions that add no hook, route or middleware to the app (their uses are in the views that use them)
    "sqlalchemy-extension", "migrate-extension", "mail-extension", "caching-extension", "bcrypt-extension",
    "marshmallow-extension", "pydantic-extension", "celery-extension", "rq-extension",
    "flask-sqlalchemy-model-query", "flask-sqlalchemy-query-helpers", "flask-sqlalchemy-session",
    "flask-sqlalchemy-model-class", "flask-sqlalchemy-create-all", "flask-login-api", "flask-login-fresh-login",
    "flask-jwt-extended-api", "flask-httpauth-decorators", "flask-httpauth-digest", "flask-principal-permissions",
    "flask-caching-decorators", "flask-limiter-decorators", "flask-cors-cross-origin", "flask-socketio-events",
    "flask-marshmallow-url-fields", "flask-smorest-etag", "flask-api-framework-decorators",
    "flask-executor-named-futures", "flask-wtf-forms", "flask-wtf-recaptcha", "flask-babel-locale",
    "flask-mail-messages", "flask-marshmallow-schema", "flask-marshmallow-auto-field", "flask-marshmallow-jsonify",
    "flask-injector-request-scope",
    # Flask-Injector: only the views it injects answer otherwise, and a moved copy takes their arguments from the
    # Flask app's injector (port/injector.py; its hooks with type hints are hazards of their own)
    "injector-extension", "flask-injector-wiring", "flask-injector-modules", "flask-injector-view-injection",
    "flask-g-object", "flask-flash-messages", "flask-current-app", "flask-app-context",
    "flask-request-context-helpers", "flask-after-this-request", "flask-custom-signal-namespace",
    "flask-session", "flask-session-cookie-format",  # the session cookie is set only where it changes...
    "flask-config-loading", "flask-config-from-pyfile", "flask-config-access",  # ...and config: RISKY_KEYS
    "flask-test-client", "flask-app-run", "flask-jinja-environment", "flask-cli", "flask-app-logger",
    "werkzeug-framework-agnostic-helpers", "flask-test-cli-runner", "werkzeug-helper-with-stdlib-equivalent",
    "flask-helper-with-stdlib-equivalent",
    # how the app is served: main.py is served by an ASGI server in their place
    "wsgi-entry-module", "wsgi-server-command", "wsgi-worker-threads", "flask-cli-command",
    "deprecated-uvicorn-workers-module",
    "flask-view-returns-tuple", "flask-view-returns-string", "flask-redirect-after-post", "flask-implicit-head",
    "flask-url-for-query-kwargs", "flask-converter-semantics", "flask-test-redirect-status",
    "flask-blocking-call-in-async-view", "flask-bad-request-status",
    # tests: they answer no request of the app
    "flask-test-response-json-property", "flask-test-response-data", "flask-test-response-get-json",
    "flask-test-response-get-data", "flask-test-response-status", "flask-test-response-headers-api",
    "flask-test-response-header-attribute", "flask-test-client-cookies", "flask-test-client-file-upload",
    "flask-test-client-content-type", "flask-test-client-query-string", "flask-test-client-environ",
    "flask-test-client-body-on-get", "flask-test-session-transaction", "pytest-flask-fixture",
    "flask-test-client-base-url", "flask-test-client-json-as-data", "flask-test-client-subclass-override",
    "webtest-request", "webtest-response-api",
})
# Rules of hooks that run for the requests of the object they are on: a Blueprint's, or the app's (all).
SCOPED = frozenset({"flask-before-request-hook", "flask-after-request-hook", "flask-teardown-hook",
                    "flask-error-handler", "flask-url-value-preprocessor"})
# Anywhere in the project's text, these mean a request can be answered otherwise than the view says: the host
# or root the app answers on, request size limits, sessions refreshed on every response, error propagation.
# Not PREFERRED_URL_SCHEME: Flask reads it only to build URLs outside a request (Flask.create_url_adapter without a
# request; a request's URLs take its own scheme) and as its test client's default scheme, and a moved view builds none.
RISKY_KEYS = re.compile(r"SERVER_NAME|APPLICATION_ROOT|MAX_CONTENT_LENGTH|MAX_FORM|TRAP_HTTP|TRAP_BAD_REQUEST|"
                        r"PROPAGATE_EXCEPTIONS|SESSION_REFRESH_EACH_REQUEST|\.permanent\b|PERMANENT_SESSION|"
                        r"subdomain=|host_matching|REMEMBER_COOKIE_REFRESH_EACH_REQUEST")
_VARIABLE = re.compile(r"<[^>]*>")
STATIC = "/static/<path:filename>"  # the app's own static route, there whenever the app has a static folder
Resolver = Callable[[PortedFile, str], "BlueprintInfo | None"]


def _names() -> dict[str, str]:
    registry.load()
    return {rule.code: rule.name for rule in registry.all_rules()}


@dataclass
class Moved:
    """The routes one Flask module hands to FastAPI: the new module and what main.py includes."""

    path: str
    text: str
    owner: str
    prefix: str  # for include_router: the registration's part in front of the Blueprint's own prefix
    routes: int


@dataclass
class Split:
    moved: list[Moved] = field(default_factory=list)
    handled: set[tuple[str, int]] = field(default_factory=set)  # (path, site start) now served by FastAPI
    notes: list[str] = field(default_factory=list)


def hazards(files: dict[str, PortedFile], texts: dict[str, str], resolve: Resolver,
            carried: set[tuple[str, int]] = frozenset(),  # type: ignore[assignment]
            closers: list[str] | None = None, judge_teardowns: bool = True,
            judged: extension_scopes.Judged | None = None) -> dict[str, str]:
    """Unit ("app": every unit) -> the first finding that keeps its routes from moving, and why, with the
    other rules that do (each has to be ported, or removed, before a view can move on its own). `carried`:
    the (path, start) of findings whose counterpart main.py gives FastAPI's routes (hooks_in_front.py); the
    teardown hooks that touch only g (`closes_g_only`) keep only the views using g (`closers` gets them), unless
    not `judge_teardowns`; the findings of an extension `judged` to answer only URLs of its own, or none, are left
    to the check of each view's URL (extension_scopes.py)."""
    names = _names()
    found: dict[str, str] = {}
    others: dict[str, set[str]] = {}
    for relpath, file in sorted(files.items()):
        for site in file.sites:
            name = names.get(site.code, "")
            where = f"{site.code} at {relpath}:{site.node.range().start.line + 1}"
            if name in LOCAL:
                continue
            if name == "flask-app-attribute" and site.node.text().endswith(".secret_key"):
                continue  # read only by the session, whose bridge in main.py reads the Flask app's own key (session.py)
            if name == "flask-app-attribute" and harmless_read(site.node):
                continue  # a folder, a name or a file the app reads: no request is answered otherwise
            if name == "flask-class-based-view" or _folder_setting(site, name):
                continue  # a MethodView answers only on the rule add_url_rule gives it (its URL is checked like any
                # route's), a folder of files or templates answers none of a moved view's requests, and a
                # `static_url_path=` moves the app's static route, whose rule split() reads (STATIC)
            if name == "flask-add-url-rule" and site.node.kind() == "attribute":
                continue  # a route like the decorated ones: split() checks its URL against the moved views' (or
                # stops every move where it cannot read it)
            if in_front.carried(file, site) or libraries.kept_as_is(file, site) or \
                    flask_sqlalchemy.harmless(file, site) or \
                    (relpath, span(site.node)[0]) in carried:
                continue  # main.py gives FastAPI's routes the extension's counterpart (in_front.py), or the
                # extension's object needs no app or request (libraries.py)
            dist = extension_scopes.distribution(site, name) if judged is not None else None
            if dist is not None and judged is not None and (extension_scopes.harmless(site, dist) or dist in judged.scopes):
                continue  # changes no answer, or only those of URLs split() keeps with Flask (extension_scopes.py)
            if site.code == extension_scopes.OBJECT and extension_scopes.on_a_view(file, site, codes.ROUTE_DECORATOR):
                continue
            if name == "flask-teardown-hook" and judge_teardowns and closes_g_only(file, site):
                if closers is not None:
                    closers.append(where)
                continue
            if name in SCOPED:
                head = site.node.text().split("(")[0].split(".")
                info = resolve(file, head[0]) if len(head) == 2 else None
                app_wide = info is None or "app" in head[-1].split("_")  # before_app_request, app_errorhandler
                unit = "app" if app_wide else info.unit  # type: ignore[union-attr]
                found.setdefault(unit, f"{where} ({name}) runs for its requests")
            else:
                unit = "app"
                why = f": {judged.refused[dist]}" if dist is not None and judged is not None and dist in judged.refused else ""
                found.setdefault(unit, f"{where} ({name}) may change how any request is answered{why}")
            others.setdefault(unit, set()).add(name)
    for relpath, text in sorted(texts.items()):
        if (match := RISKY_KEYS.search(text)) is not None:
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault("app", f"{relpath}:{line} mentions {match.group()}, which changes how requests are answered")
            others.setdefault("app", set()).add(match.group())
    for unit, reason in found.items():
        rest = sorted(others[unit] - {name for name in others[unit] if f"({name})" in reason or reason.endswith(
            f"mentions {name}, which changes how requests are answered")})
        if rest:
            found[unit] = f"{reason}; also {', '.join(rest)}"
    return found


def _folder_setting(site: Site, name: str) -> bool:
    """`Flask(static_folder=..., static_url_path=...)` and `Blueprint(template_folder=...)` keywords."""
    if site.node.kind() != "keyword_argument":
        return False
    keyword = site.node.field("name").text()  # type: ignore[union-attr]
    return (name == "flask-static-folder" and keyword in ("static_folder", "static_url_path")
            or name == "flask-blueprint-own-folders" and keyword == "template_folder")


def _static_rule(files: dict[str, PortedFile]) -> str | None:
    """The URL rule of the app's static route: Flask's default, or under the `static_url_path=` the app gives (None
    where the port cannot read it)."""
    for file in files.values():
        for site in file.sites_of(codes.STATIC_SETTING):
            if site.node.kind() == "keyword_argument" and site.node.field("name").text() == "static_url_path":  # type: ignore[union-attr]
                value = _rule_of(site.node.field("value"))  # type: ignore[arg-type]
                return None if value is None else value.rstrip("/") + "/<path:filename>"
    return STATIC


def closes_g_only(file: PortedFile, site: Site) -> bool:
    """True for a teardown hook (`app.teardown_appcontext(close_db)`, `@app.teardown_request`) whose function names
    nothing but `g`, its parameters and what it assigns itself (`db = g.pop("db", None); db.close()`): Flask runs it
    after the response is made, so it changes no answer, and it acts only on what the request put in g, which a
    moved view's copy can put nowhere unless it uses g itself (such a view stays: `_move`)."""
    node = site.node
    if node.kind() != "attribute" or file.bound.get("g") != "flask":
        return False
    call = call_of(node)
    above = (call or node).parent()
    function = None
    if above is not None and above.kind() == "decorator" and call is None:
        definition = above.parent()
        function = definition.field("definition") if definition is not None else None
    elif call is not None and above is not None and above.kind() == "expression_statement":
        try:
            positional, keywords = arguments(call)
        except NotPortable:
            return False
        if len(positional) == 1 and not keywords and positional[0].kind() == "identifier":
            function = next((s for s in file.root.children() if s.kind() == "function_definition" and
                             s.field("name").text() == positional[0].text()), None)  # type: ignore[union-attr]
    body = function.field("body") if function is not None and function.kind() == "function_definition" else None
    if body is None or body.find(kind="global_statement") or body.find(kind="nonlocal_statement") or \
            body.find(kind="lambda") or body.find(kind="function_definition") or body.find(kind="class_definition"):
        return False
    used, bound = _view_names(function)  # type: ignore[arg-type]
    if not used <= bound | {"g"}:
        return False
    # nor can it raise where the request put nothing in g: g read with a default, what it gave used under a test
    parameters = {n.text() for n in function.field("parameters").find_all(kind="identifier")}  # type: ignore[union-attr]
    for node in body.find_all(kind="identifier"):
        parent = node.parent()
        if node.text() == "g":
            if parent is not None and parent.kind() == "comparison_operator" and parent.children()[-1] == node:
                continue  # `"db" in g`
            read = call_of(parent) if parent is not None and parent.kind() == "attribute" else None
            try:
                given = arguments(read)[0] if read is not None else []
            except NotPortable:
                return False
            if parent.field("attribute").text() not in ("pop", "get") or len(given) != 2:  # type: ignore[union-attr]
                return False
        elif parent is not None and parent.kind() == "attribute" and parent.field("object") == node and \
                node.text() not in parameters and not _tested(node):
            return False
    return True


def _tested(node: SgNode) -> bool:
    """True where `node` (a name) is used inside `if name:` or `if name is not None:`."""
    above = node.parent()
    while above is not None and above.kind() != "function_definition":
        if above.kind() == "if_statement" and above.field("condition").text() in (  # type: ignore[union-attr]
                node.text(), f"{node.text()} is not None"):
            return True
        above = above.parent()
    return False


# What the Flask app runs around every request, which main.py does not for the routers it serves: the app's
# request hooks, error handlers and URL processors, and WSGI middleware (units.hazarded).
AROUND = frozenset({"flask-wsgi-middleware"})


def around_requests(files: dict[str, PortedFile], resolve: Resolver,
                    carried: hooks_in_front.Carried | None = None) -> dict[str, str]:
    """Unit ("app": every unit) -> the first hook, handler, URL processor or WSGI middleware that takes part in
    answering its requests: those on a Blueprint for its own, those on the app (`app.after_request`,
    `bp.after_app_request`, `app.wsgi_app = ...`) for all; not those main.py runs around FastAPI's routes
    (`carried`, hooks_in_front.py)."""
    names = _names()
    found: dict[str, str] = {}
    for relpath, file in sorted(files.items()):
        for site in file.sites:
            name = names.get(site.code, "")
            if name not in SCOPED and name not in AROUND or in_front.carried(file, site) or \
                    carried is not None and (relpath, span(site.node)[0]) in carried.sites:
                continue
            head = site.node.text().split("(")[0].split(".")
            info = resolve(file, head[0]) if name in SCOPED and len(head) == 2 else None
            unit = "app" if info is None or "app" in head[-1].split("_") else info.unit
            found.setdefault(unit, f"{site.code} at {relpath}:{site.node.range().start.line + 1} ({name}) runs for "
                                   "its requests")
    return found


class Rules:
    """Every route's URL rule, in a tree of their segments, so that the rules a URL may clash with are found
    by walking its own segments (a variable segment follows every branch), not by comparing every pair."""

    def __init__(self, rules: list[tuple[str, int, str | None]]) -> None:
        self.by_place = {(path, start): rule for path, start, rule in rules}
        self.tree: dict[str, object] = {}
        self.rest: list[tuple[tuple[str, int], str]] = []  # rules with a `path` converter: compared one by one
        for path, start, rule in rules:
            if rule is None:
                continue
            if "<path:" in rule:
                self.rest.append(((path, start), rule))
                continue
            node = self.tree
            for segment in [*_segments(rule), "/" if rule.endswith("/") else ""]:
                node = node.setdefault("*" if "<" in segment else segment, {})  # type: ignore[assignment]
            node.setdefault(None, []).append(((path, start), rule))  # type: ignore[call-overload, attr-defined]

    def matching(self, rule: str) -> list[tuple[tuple[str, int], str]]:
        found = [(place, other) for place, other in self.rest if overlap(rule, other)]
        level = [self.tree]
        for segment in [*_segments(rule), "/" if rule.endswith("/") else ""]:
            if "<" in segment:
                level = [child for node in level for key, child in node.items()  # type: ignore[misc]
                         if key not in (None, "", "/")]  # a segment, not the end of a shorter rule
            else:
                level = [node[key] for node in level for key in (segment, "*") if key in node]  # type: ignore[misc]
        return found + [entry for node in level for entry in node.get(None, [])]  # type: ignore[attr-defined]


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


def overlap(a: str, b: str) -> bool:
    """Whether two Werkzeug rules could match one URL (a variable matches any segment, a `path` converter
    any rest): conservative, a literal is not checked against a converter's pattern."""
    left, right = _segments(a), _segments(b)
    for i, (x, y) in enumerate(zip(left, right)):
        if "<path:" in x or "<path:" in y:
            return all(p == q or "<" in p or "<" in q for p, q in zip(left[:i], right[:i]))
        if x != y and "<" not in x and "<" not in y:
            return False
    return len(left) == len(right) and a.endswith("/") == b.endswith("/")


def _rule(site: Site) -> str | None:
    call = call_of(site.node)
    try:
        positional, _ = arguments(call) if call is not None else ([], {})
    except NotPortable:
        return None
    return _rule_of(positional[0]) if len(positional) == 1 else None


# add_url_rule's keywords that change neither which URLs the rule matches nor how other rules answer
_ADDED_KEYWORDS = frozenset({"endpoint", "view_func", "methods", "defaults", "provide_automatic_options"})


def _added_rule(site: Site) -> str | None:
    """The URL rule of `app.add_url_rule("/x", ...)` (or a Blueprint's), None where the port cannot read it or it
    has a keyword changing matching (`strict_slashes`, `subdomain`, `host`, `redirect_to`...)."""
    call = call_of(site.node) if site.node.kind() == "attribute" else None  # not a project helper's call
    if call is None or site.node.field("attribute").text() != "add_url_rule":  # type: ignore[union-attr]
        return None
    try:
        positional, keywords = arguments(call)
    except NotPortable:
        return None
    if len(positional) > 3 or set(keywords) - _ADDED_KEYWORDS or not positional:
        return None
    return _rule_of(positional[0])


def _rule_of(node: SgNode) -> str | None:
    if node.kind() != "string" or node.text()[:1] not in "'\"" or any(c.kind() == "interpolation" for c in node.children()):
        return None
    return node.text()[1:-1]


# Application attributes a read of which answers no request otherwise: values Flask never changes through them
# (a folder, a name, a flag: `os.makedirs(app.instance_path)`, `if not app.debug`), the extensions' registry read by
# key (`current_app.extensions["migrate"]`); and methods that read a file or serve the shell only
# (`current_app.open_resource("schema.sql")`, `@app.shell_context_processor`)
IMMUTABLE_READS = frozenset({"instance_path", "root_path", "import_name", "name", "static_folder", "template_folder",
                             "static_url_path", "debug", "testing"})
HARMLESS_CALLS = frozenset({"open_resource", "open_instance_resource", "shell_context_processor",
                            "make_shell_context"})


def harmless_read(node: SgNode) -> bool:
    """True for `app.<attribute>` read (not assigned, deleted or called) where the attribute is in
    IMMUTABLE_READS, `app.extensions[key]` read, and a call (or decorator) of one of HARMLESS_CALLS."""
    if node.kind() != "attribute":
        return False
    attribute, parent = node.field("attribute").text(), node.parent()  # type: ignore[union-attr]
    if parent is None:
        return False
    if attribute in HARMLESS_CALLS:
        return parent.kind() == "decorator" or parent.kind() == "call" and parent.field("function") == node
    if attribute == "extensions":
        above = parent.parent()
        return parent.kind() == "subscript" and parent.field("value") == node and above is not None and not (
            above.kind() in ("assignment", "augmented_assignment") and above.field("left") == parent) \
            and above.kind() != "delete_statement"
    if attribute not in IMMUTABLE_READS:
        return False
    if parent.kind() in ("assignment", "augmented_assignment") and parent.field("left") == node:
        return False
    if parent.kind() == "call" and parent.field("function") == node:
        return False
    return parent.kind() not in ("delete_statement", "pattern_list", "tuple_pattern", "decorator")


def tainted(file: PortedFile, flagged_module: Callable[[str], bool]) -> set[str]:
    """The top-level names of the module whose use may need Flask's request or app context: a statement with a
    finding in it (a helper reading `request`; not `bcrypt = Bcrypt(app)` or a schema, which libraries.py keeps
    as they are), an import from Flask, Werkzeug or a project module with findings (`flagged_module`), and
    whatever uses such a name (a function calling that helper), followed through a graph of uses: each
    statement is read once."""
    bad: set[str] = set()
    users: dict[str, list[set[str]]] = {}  # name -> the name sets of the statements that use it
    free = libraries.context_free(file)  # `bcrypt = Bcrypt(app)`, a schema: the same object works without Flask
    for statement in file.root.children():
        names = statement_names(statement)
        if not names or span(statement) in free:
            continue
        module = statement.field("module_name") if statement.kind() == "import_from_statement" else None
        modules = [module.text()] if module is not None else \
            [n.text() for n in statement.named_children()] if statement.kind() == "import_statement" else []
        if file.sites_in(statement) or any(m.lstrip(".").split(".")[0] in ("flask", "werkzeug") or
                                           m.lstrip(".").startswith("flask_") or flagged_module(m) for m in modules):
            bad |= names - _plain_helpers(file, statement)
            continue
        for used in {n.text() for n in statement.find_all(kind="identifier")} - names:
            users.setdefault(used, []).append(names)
    queue = list(bad)
    while queue:
        for names in users.pop(queue.pop(), []):
            fresh = names - bad
            bad |= fresh
            queue += fresh
    return bad


# Findings of an import line that leave its names needing nothing of Flask: the import itself, Werkzeug's plain helpers
_PLAIN_IMPORT = frozenset({IMPORT_LINE.code, WERKZEUG_HELPERS.code})


def _plain_helpers(file: PortedFile, statement: SgNode) -> set[str]:
    """The names a `from werkzeug... import` (or flask's Markup, escape) binds to Werkzeug's and MarkupSafe's plain
    helpers (rules.application.KEEP_HELPERS, FMA509: `secure_filename`, `check_password_hash`), which work on plain
    values without a request or app: the same object in a copy FastAPI serves. None where the line has another
    finding."""
    module = statement.field("module_name") if statement.kind() == "import_from_statement" else None
    if module is None or any(site.code not in _PLAIN_IMPORT for site in file.sites_in(statement)):
        return set()
    plain = set()
    for item in statement.named_children():
        if item == module or item.kind() not in ("dotted_name", "aliased_import"):
            continue
        name = item.field("name") if item.kind() == "aliased_import" else item
        local = item.field("alias") if item.kind() == "aliased_import" else item
        if name is not None and local is not None and f"{module.text()}.{name.text()}" in KEEP_HELPERS:
            plain.add(local.text())
    return plain


def _module_names(root: SgNode) -> tuple[set[str], set[str]]:
    """Top-level names bound unconditionally, and the names any function rebinds with `global`."""
    bound = {name for statement in root.children() for name in statement_names(statement)}
    rebound = {n.text() for g in root.find_all(kind="global_statement") for n in g.find_all(kind="identifier")}
    return bound, rebound


_BINDING_PARENTS = frozenset({"parameters", "default_parameter", "typed_parameter", "typed_default_parameter",
                              "lambda_parameters", "list_splat_pattern", "dictionary_splat_pattern",
                              "pattern_list", "tuple_pattern", "list_pattern", "as_pattern_target"})


def _view_names(view: SgNode) -> tuple[set[str], set[str]]:
    """The names a view uses, and those it binds itself (parameters, assignments, loops, with/except)."""
    used, bound = set(), set()
    for node in view.find_all(kind="identifier"):
        parent = node.parent()
        kind = parent.kind() if parent is not None else ""
        if kind == "attribute" and parent.field("attribute") == node:  # type: ignore[union-attr]
            continue
        if kind == "keyword_argument" and parent.field("name") == node:  # type: ignore[union-attr]
            continue
        used.add(node.text())
        if kind in _BINDING_PARENTS or (kind in ("assignment", "augmented_assignment", "for_statement",
                                                 "for_in_clause") and parent.field("left") == node) \
                or (kind in ("function_definition", "class_definition") and parent.field("name") == node) \
                or (kind == "named_expression" and parent.field("name") == node) \
                or kind in ("except_clause", "as_pattern", "dotted_name", "aliased_import"):  # type: ignore[union-attr]
            bound.add(node.text())
    return used, bound


def _header(file: PortedFile, used: set[str], origin: str = "", imported: set[str] | None = None) -> list[str]:
    wanted = {module: names & used for module, names in file.imports.items()}
    wanted.setdefault("fastapi", set()).add("APIRouter")
    if imported:  # the Flask module's names: first-party, with the bridges the port writes into the project
        wanted.setdefault(origin, set()).update(imported)
    return import_block(wanted, WRITTEN | {origin.split(".")[0]})  # sorted and grouped as isort would (port/imports.py)


def split(files: dict[str, PortedFile], converted: dict[str, str], texts: dict[str, str], candidates: set[str],
          staying: set[str], resolve: Resolver, blueprints: list[BlueprintInfo], where: str,
          module_name: Callable[[str, str], str], exists: Callable[[str], bool],
          carried: hooks_in_front.Carried | None = None, login_carried: bool = False) -> Split:
    """The views to move out of the `candidates` files (selected, of units staying Flask). `files` are the
    first pass's (every finding tried as if its unit converted), `converted` their texts, `texts` every text
    file of the project (for RISKY_KEYS)."""
    result = Split()
    # teardown hooks that act on g only keep the views using g (closes_g_only); all views, where the app's hooks
    # that main.py carries put values in g for FastAPI's routes too (which those teardowns would close in Flask)
    closers: list[str] = []
    registered: dict[str, list[str]] = {}
    for relpath, file in files.items():
        for site in file.sites_of(codes.REGISTRATION):
            try:
                _, _, info, prefix = registration(file, site, resolve)
            except NotPortable:
                continue
            registered.setdefault(info.unit, []).append(prefix)
    # extensions that answer only URLs of their own: each moved view's URL is checked against them (_unmovable)
    judged = extension_scopes.judge(files, resolve, registered, login_carried)
    blocked = hazards(files, texts, resolve, carried.lifted if carried is not None else set(), closers,
                      judge_teardowns=carried is None or "request.state" not in carried.text, judged=judged)
    # every route of the project, as the URL rule Flask matches; None where the port cannot read it
    rules: list[tuple[str, int, str | None]] = [("the app's static route", -1, _static_rule(files))]
    prefixes = {b.unit: b for b in blueprints}
    for relpath, file in sorted(files.items()):
        for site in [*file.sites_of(codes.ROUTE_DECORATOR), *file.sites_of(codes.ADD_RULE)]:
            owner = site.node.field("object").text() if site.node.kind() == "attribute" else ""  # type: ignore[union-attr]
            info = resolve(file, owner) if owner else None
            rule = _rule(site) if site.code == codes.ROUTE_DECORATOR else _added_rule(site)
            if info is not None and rule is not None:
                seen = registered.get(info.unit, [])
                rule = seen[0] + prefixes[info.unit].prefix + rule if len(seen) == 1 else None
            rules.append((relpath, span(site.node)[0], rule))
    index = Rules(rules)
    unreadable = next(((p, s) for p, s, r in rules if r is None), None)
    if unreadable is not None:
        blocked.setdefault("app", f"a route at {unreadable[0]} has a URL the port cannot read (or its Blueprint is "
                                  "not registered once, where the port reads it), so overlaps cannot be ruled out")
    if "app" in blocked:
        if candidates:
            result.notes.append(f"no route moves to FastAPI on its own: {blocked['app']}")
        return result
    flagged = set(files)  # the project's modules with findings
    teardowns = _request_teardowns(files)
    for relpath in sorted(candidates):
        files[relpath].memo[flask_sqlalchemy.FILES] = files  # where the names a moved view imports come from
        files[relpath].memo[TEARDOWNS] = teardowns
        files[relpath].memo[split_class_views.LOGIN_IN_FRONT] = login_carried
        moved = _move(relpath, files[relpath], converted[relpath], flagged, staying, blocked, registered, index, resolve,
                      where, module_name, exists, result, closers, carried.judged if carried is not None else {},
                      [scope for scope in judged.scopes.values() if scope.patterns or scope.prefixes],
                      Along("\n".join(texts.values()), login_carried,
                            {key for key, _ in carried.handlers} if carried is not None else set()),
                      carried)
        if moved is not None:
            result.moved.append(moved)
    return result


def carry(files: dict[str, PortedFile], converted: dict[str, str], where: str,
          module_name: Callable[[str, str], str], exists: Callable[[str], bool],
          notes: list[str], resolve: Resolver | None = None) -> hooks_in_front.Carried | None:
    """The app module's hooks and handlers, copied for main.py to run around what FastAPI serves while the app
    stays Flask (hooks_in_front.py), where they copy faithfully; kept in the module's memo for in_front.py. Else
    None, with the reason in `notes` when there are some."""
    app_path = hooks_in_front.app_module(files)
    if app_path is None:
        return None
    app_file = files[app_path]
    bound, rebound = _module_names(app_file.root)
    carried, why_not = hooks_in_front.plan(
        files, converted, app_path, where, module_name, exists,
        lambda file: tainted(file, lambda module: any(p in files for p in module_files(app_path, module))),
        _view_names, bound - rebound, STANDALONE.get(app_file), lambda text: STANDALONE.texts(app_file, text))
    if carried is None and why_not is None and resolve is not None:  # a Blueprint's app-wide hooks, where the
        # app module has none
        carried, why_not = _carry_app_wide(files, converted, where, module_name, exists, resolve)
    if why_not is not None:
        notes.append(f"the hooks and error handlers of {app_path} are not carried in front of FastAPI's routes: {why_not}")
    if carried is not None:
        app_file.memo[hooks_in_front.MEMO] = carried
    return carried


def _carry_app_wide(files: dict[str, PortedFile], converted: dict[str, str], where: str,
                    module_name: Callable[[str, str], str], exists: Callable[[str], bool], resolve: Resolver) \
        -> tuple[hooks_in_front.Carried | None, str | None]:
    """hooks_in_front.plan_app_wide with what it needs to know of the hooks' module and of the registrations."""
    def bound(relpath: str) -> set[str]:
        names, rebound = _module_names(files[relpath].root)
        return names - rebound

    def registered(relpath: str, name: str) -> int:
        info = resolve(files[relpath], name)
        count = 0
        for file in files.values():
            for site in file.sites_of(codes.REGISTRATION):
                try:
                    _, _, other, _ = registration(file, site, resolve)
                except NotPortable:
                    return -1  # a registration the port cannot read may be this Blueprint's
                count += info is not None and other.unit == info.unit
        return count

    return hooks_in_front.plan_app_wide(
        files, converted, where, module_name, exists,
        lambda relpath: tainted(files[relpath], lambda module: any(p in files for p in module_files(relpath, module))),
        _view_names, bound, lambda relpath: STANDALONE.get(files[relpath]),
        lambda relpath, text: STANDALONE.texts(files[relpath], text), registered)


def _move(relpath: str, file: PortedFile, converted: str, flagged: set[str], staying: set[str], blocked: dict[str, str],
          registered: dict[str, list[str]], rules: Rules, resolve: Resolver,
          where: str, module_name: Callable[[str, str], str], exists: Callable[[str], bool],
          result: Split, closers: list[str], judged: dict[str, str],
          scopes: list[extension_scopes.Scope] = (),  # type: ignore[assignment]
          along: Along | None = None, carried: hooks_in_front.Carried | None = None) -> Moved | None:
    """The module FastAPI serves the views of `relpath` from that move on their own, or None; `along`: the decorators
    a copy takes along; `carried`: the app's hooks and handlers main.py runs around FastAPI's routes."""
    path = PurePosixPath(relpath)
    target = str(path.parent / (f"{path.stem}_fastapi.py" if path.stem != "__init__" else "fastapi_routes.py"))
    target = target.removeprefix("./")
    if not relpath.startswith(where) or exists(target):
        return None
    views: dict[int, tuple[SgNode, list[Site], str]] = {}  # view start -> (definition, its route sites, owner)
    for site in file.sites_of(codes.ROUTE_DECORATOR):
        definition = site.node
        while definition.parent() is not None and definition.kind() != "decorated_definition":
            definition = definition.parent()  # type: ignore[assignment]
        owner = site.node.field("object").text() if site.node.kind() == "attribute" else ""  # type: ignore[union-attr]
        views.setdefault(span(definition)[0], (definition, [], owner))[1].append(site)
    owners = {owner for _, _, owner in views.values()} | split_class_views.owners(file)  # class views' too
    if len(owners) != 1:
        return None  # one router per new module: routes on two objects in one file stay Flask
    owner = owners.pop()
    info = resolve(file, owner)
    unit = info.unit if info is not None else "app"
    if unit not in staying:
        return None
    if unit in blocked:
        result.notes.append(f"no route of {unit} moves to FastAPI on its own: {blocked[unit]}")
        return None
    if info is not None and (info.problem or len(registered.get(unit, [])) != 1 or not info.path.startswith(where)):
        return None
    module_bound, rebound = _module_names(file.root)
    unsafe = tainted(file, lambda module: any(p in flagged for p in module_files(relpath, module)))
    unsafe -= split_class_views.bridged_login_names(file)  # the bridge's in the copy, where main.py runs it
    tree = SgRoot(converted, "python").root()
    by_name: dict[str, list[SgNode]] = {}
    for statement in tree.children():
        if statement.kind() == "decorated_definition":
            by_name.setdefault(statement.field("definition").field("name").text(), []).append(statement)  # type: ignore[union-attr]
    kept, imported, count = [], set(), 0
    standalone = STANDALONE.get(file)
    in_request: set[str] = set()  # the views whose copies run in a request context built from the FastAPI request
    # a route whose URL rule is another route's of this module, word for word (GET and POST on "/books"), moves only
    # with it: both are FastAPI's then, tried in the module's order as Werkzeug tries rules it cannot order otherwise
    places = {(relpath, span(s.node)[0]): start for start, (_, route_sites, _) in views.items() for s in route_sites}
    outcomes: dict[int, tuple[SgNode, list[Site], str, str | None, set[tuple[str, int]], set[str]]] = {}
    pushed_copies: dict[str, str] = {}  # view name -> its copy run in the Flask app's context (_pushed_context)
    for definition, sites, _ in sorted(views.values(), key=lambda v: span(v[0])[0]):
        partners: dict[tuple[str, int], str] = {}  # the route sites it moves with -> the reason it stays without them
        why = _unmovable(file, definition, sites, rules, relpath, scopes, (places, partners))
        taken: tuple[set[str], int] = (set(), 0)  # what the decorators the copy takes along may raise, and how many
        if why is None:
            why, taken = (along or Along("", False)).decorators(file, definition)
        if why is None and closers and any(s.code == codes.G for s in file.sites_in(definition)):
            why = f"it keeps values in g, which {closers[0]} (a teardown hook) closes in Flask, not in the copy"
        name = definition.field("definition").field("name").text()  # type: ignore[union-attr]
        copies = by_name.get(name, [])
        if why is None and len(copies) != 1:
            why = "its name is not unique in the module"
        needed = (None, False)  # (why it stays, whether its copy runs in a request context: needs_flask)
        if why is None:
            # the function without its decorators: the route decorators are the only uses of the owner it may have
            used, bound = _view_names(copies[0].field("definition"))  # type: ignore[arg-type]
            for decorator in _other_decorators(copies[0]):  # the names of those it takes along are imported too
                used |= _view_names(decorator)[0]
            fastapi = {n for names in file.imports.values() for n in names}
            copy = copies[0]
            if (pushed := _pushed_context(file, definition, copy, (used - bound - fastapi) & unsafe)) is not None:
                copy, context_names = pushed
                used |= context_names
                fastapi = {n for names in file.imports.values() for n in names}
                pushed_copies[name] = copy.text()
            # the port's own helpers the view calls (werkzeug_first, request_json, ...) go into the copy with it
            why = names_problem(file, relpath, copy, copy.text(), used, bound, owner if owner in used else None,
                                fastapi | standalone, standalone, module_bound, rebound)
            # (a name the rewrites import, a bridge's `login_required`, is the bridge's in the copy too)
            if why is None and (needed := needs_flask(file, copy, (used - bound - fastapi) & unsafe))[0] is not None:
                why = needed[0]
            if why is None and (raised := _raised(copy, file, standalone, judged, taken,
                                                  along.handled if along is not None else set())) is not None:
                why = f"it may answer {raised[0]}, which Flask's handler answers otherwise ({raised[1]})"
        names = (used & module_bound) - bound - fastapi - {owner} if why is None else set()
        outcomes[span(definition)[0]] = (definition, sites, name, why, partners, names)
        if why is None and needed[1]:
            in_request.add(name)
    staying_views = {start for start, outcome in outcomes.items() if outcome[3] is not None}
    while True:  # those whose partners stay, stay (each pass keeps one more, or ends)
        alone = next((start for start, (_, _, _, why, partners, _) in outcomes.items() if why is None and
                      any(places[place] in staying_views for place in partners)), None)
        if alone is None:
            break
        definition, sites, name, _, partners, names = outcomes[alone]
        place = next(place for place in partners if places[place] in staying_views)
        outcomes[alone] = (definition, sites, name, partners[place], partners, names)
        staying_views.add(alone)
    for definition, sites, name, why, _, names in outcomes.values():
        if why is not None:
            result.notes.append(f"{relpath}:{definition.range().start.line + 1} {name} stays Flask: {why}")
            continue
        imported |= names
        # a 404 the view raises (its Flask-SQLAlchemy context's too) goes to the app's handler main.py adds, as in Flask
        text = _with_comments(converted, by_name[name][0])
        if name in pushed_copies:
            text = text.replace(by_name[name][0].text(), pushed_copies[name])
        if name in in_request:
            text = flask_sqlalchemy.in_request(text)
        kept.append(urls.for_a_copy(file, hooks_in_front.answered_in_front(text, carried)))
        count += len(sites)
        result.handled |= {(relpath, span(s.node)[0]) for s in file.sites_in(definition)}
    # the class-based views registered with add_url_rule, each class with all its path operations (split_class_views)
    classes = split_class_views.move_class_views(
        file, relpath, converted, tree, owner, rules, scopes, closers, module_bound, rebound, unsafe, judged,
        {n for names in file.imports.values() for n in names})
    result.notes += classes.notes
    # (their 404s too: a method's get_or_404 goes to the app's handler main.py adds, as in Flask)
    kept += [hooks_in_front.answered_in_front(text, carried) for text in classes.kept]
    count += classes.count
    imported |= classes.imported
    result.handled |= classes.handled
    if not kept:
        return None
    used_text = "\n".join(kept)
    helpers = STANDALONE.texts(file, used_text)
    used_names = {n.text() for n in SgRoot("\n".join([used_text, *helpers]), "python").root().find_all(kind="identifier")}
    prefix = info.prefix if info is not None else ""
    router = f'APIRouter(prefix="{prefix}")' if prefix else "APIRouter()"
    origin = module_name(relpath, where)
    lines = [f'"""The routes of {origin} that FastAPI serves, written by `migrate-audit port`: main.py includes them',
             f'before it mounts the Flask app, where {origin} keeps them too (and the rest)."""',
             "", *_header(file, used_names, origin, imported)]
    for helper in helpers:
        lines += ["", "", helper.strip("\n")]
    lines += ["", "", f"{owner} = {router}"] if helpers else ["", f"{owner} = {router}"]
    lines += ["", "", "\n\n\n".join(kept)]
    prefix_in_front = registered[unit][0] if info is not None else ""
    result.notes.append(f"{count} route(s) of {relpath} served by FastAPI from {target}; {relpath} keeps its code")
    return Moved(target, "\n".join(lines).rstrip("\n") + "\n", owner, prefix_in_front, count)


TEARDOWNS = ("split: the app's teardown_request hooks", 0)  # file.memo of the candidates: where each is


def _request_teardowns(files: dict[str, PortedFile]) -> list[str]:
    """Where the app's teardown_request hooks are (`app.teardown_request`, `bp.teardown_app_request`) but those that
    act on g only (closes_g_only): popping a request context runs them, so a copy run in one (needs_flask) would run
    them besides main.py's copy of them in front of FastAPI's routes, twice where Flask ran them once."""
    names = _names()
    return [f"{site.node.text().split('(')[0]} at {relpath}:{site.node.range().start.line + 1}"
            for relpath, file in sorted(files.items()) for site in file.sites
            if names.get(site.code) == "flask-teardown-hook" and not closes_g_only(file, site) and
            any(hook in site.node.text() for hook in ("teardown_request", "teardown_app_request"))]


def needs_flask(file: PortedFile, copy: SgNode, names: set[str]) -> tuple[str | None, bool]:
    """Of a view's copy using `names` (top-level names of the Flask module needing Flask: `tainted`): why it stays, or
    None; and whether it moves to run in a request context of the Flask app built from the FastAPI request
    (flask_sqlalchemy.IN_REQUEST), where names that need more than the app context (Flask-SQLAlchemy's objects) but
    only read that request's context are used as in Flask (`current_app`, `url_for`, Flask-Marshmallow's schemas)."""
    needing = names - flask_sqlalchemy.in_context(file, copy, names)
    if not needing:
        return None, False
    if flask_sqlalchemy.requestable(copy):
        left = needing - flask_sqlalchemy.in_context(file, copy, needing, request=True)
        teardowns = file.memo.get(TEARDOWNS, [])
        if not left and teardowns:
            return (f"it uses {', '.join(sorted(needing))}, which needs Flask's request context, whose end runs the "
                    f"teardown_request hook {teardowns[0]}, which main.py runs too in front of FastAPI's routes "
                    "(twice where Flask ran it once)"), False
        if not left:
            return None, True
        return (f"it uses {', '.join(sorted(left))}, which needs Flask (its code, or code it uses, has findings)"
                f"{flask_sqlalchemy.refusal(file, left)}"), False
    return f"it uses {', '.join(sorted(needing))}, which needs Flask (its code, or code it uses, has findings)", False


_ROUTE = re.compile(r"@\w+\.(?:api_route|get|post|put|patch|delete|head|options)\(")
_RAISED = re.compile(r"HTTPException\(\s*(?:status_code\s*=\s*)?(\d+)?")


# What an error handler main.py carries is registered for (`app.add_exception_handler(key, ...)`, as written) that would
# take Werkzeug's 404, which Flask-SQLAlchemy's context answers itself inside the view: a handler for the status 404
# gets it raised as Starlette's HTTPException (hooks_in_front.answered_in_front), one for a class is not known to take that
_TAKING_404 = frozenset({"NotFound", "HTTPException", "StarletteHTTPException", "Exception", "BaseException"})


def _raised(copy: SgNode, file: PortedFile, standalone: set[str], judged: dict[str, str],
            along: tuple[set[str], int] = (set(), 0),
            handled: set[str] = frozenset()) -> tuple[str, str] | None:  # type: ignore[assignment]
    """The status of `judged` (error handlers left with Flask) a view's copy may answer with: one its text or the
    helpers it takes along raise an HTTPException with, or any where one raises a status not written out; one the
    decorators it takes along may raise (`along`, Along.decorators: "*" for any), and Flask-SQLAlchemy's context
    answers itself (the 404 of get_or_404 and paginate, as Werkzeug's page, where Flask's handler would take it, the
    one main.py carries too: `handled`, the keys of those); any where the copy has another decorator the port wrote.
    The status and why, or None."""
    others = _other_decorators(copy)
    context = [d for d in others if d.text().startswith(f"@{flask_sqlalchemy.DECORATOR}(")]
    texts = [copy.text(), *STANDALONE.texts(file, copy.text())]
    statuses = {m.group(1) or "*" for text in texts for m in _RAISED.finditer(text)} | along[0]
    answered = flask_sqlalchemy.answered(copy.text()) if context else set()
    taking = next((key for key in sorted(handled) if key.rpartition(".")[2] in _TAKING_404), None)
    if answered and taking is not None:  # (a handler for the status 404 gets it raised: _move)
        return "404", (f"the handler main.py carries for {taking}, which {flask_sqlalchemy.DECORATOR} answers before it, "
                       "with Werkzeug's page")
    statuses |= answered
    if f"{responses.SEND_BEHIND}(" in copy.text():  # Werkzeug's 404 or 416, answered by Flask's handler if any
        statuses.add("*")
    if judged and ("*" in statuses or len(others) - len(context) > along[1]):
        return min(judged), judged[min(judged)]
    status = next((status for status in sorted(judged) if status in statuses), None)
    return (status, judged[status]) if status is not None else None


def _other_decorators(copy: SgNode) -> list[SgNode]:
    """The decorators of a view's copy besides its route's."""
    return [d for d in copy.children() if d.kind() == "decorator" and not _ROUTE.match(d.text())]


class STANDALONE:
    """The definitions a rewrite writes into a module that need nothing of it but their imports (a helper,
    a path convertor): declared by the rewrites (routes.define_standalone); a view copied out takes those it
    uses along."""

    @staticmethod
    def get(file: PortedFile) -> set[str]:
        return set(file.memo.get(STANDALONE_KEY, ()))

    @staticmethod
    def texts(file: PortedFile, used: str) -> list[str]:
        """The standalone definitions `used` (a copy's text) calls or routes through, and those they call."""
        taken: list[str] = []
        while True:
            text = "\n".join([used, *taken])
            names = {n.text() for n in SgRoot(text, "python").root().find_all(kind="identifier")}
            convertors = set(re.findall(r"\{\w+:(\w+)\}", used))
            found = [text for name, text in file.definitions.items() if name in STANDALONE.get(file) and
                     (name in names or any(f'register_url_convertor("{c}"' in text for c in convertors))]
            if len(found) == len(taken):
                return found
            taken = found


_STARLETTE_CONVERTORS = frozenset({"str", "path", "int", "float", "uuid"})


def names_problem(file: PortedFile, relpath: str, copy: SgNode, text: str, used: set[str], bound: set[str],
                  owner: str | None, exempt: set[str], standalone: set[str], module_bound: set[str],
                  rebound: set[str]) -> str | None:
    """The first reason a view's copy cannot be copied out for the names it uses, or None: a function view's
    (_move) or a class-based view's with its registrations (`text`, split_class_views). `owner`: the Blueprint
    object it uses, if it does (an APIRouter in the copy); `exempt`: names the copy gets besides the module's (the
    rewrites' imports, the port's own helpers); `standalone`: the definitions it takes along (a path convertor)."""
    if owner is not None:
        return f"it uses its {owner} object, which is an APIRouter in the copy"
    if any(n.startswith("__") for n in used) or copy.find(kind="global_statement") or \
            copy.find(kind="nonlocal_statement"):
        return "it uses __name__-like names or global/nonlocal"
    missing = used - bound - module_bound - exempt - set(dir(builtins))
    if missing:
        return f"it uses {', '.join(sorted(missing))}, not bound at the top of {relpath}"
    if not _convertors_provided(text, file, standalone):
        return "its path uses a convertor the Flask module registers with a statement of its own"
    if used & rebound:
        return f"{', '.join(sorted(used & rebound))} is rebound with global in {relpath}"
    return None


def _convertors_provided(text: str, file: PortedFile, standalone: set[str]) -> bool:
    """True when every convertor a copied view's path uses is Starlette's or registered by a standalone
    definition the copy takes along (not one a statement of the Flask module registers)."""
    provided = {c for name, definition in file.definitions.items() if name in standalone
                for c in re.findall(r'register_url_convertor\("(\w+)"', definition)}
    return set(re.findall(r"\{\w+:(\w+)\}", text)) <= _STARLETTE_CONVERTORS | provided


def _unmovable(file: PortedFile, definition: SgNode, sites: list[Site], rules: Rules, relpath: str,
               scopes: list[extension_scopes.Scope] = (),  # type: ignore[assignment]
               together: tuple[dict[tuple[str, int], int], dict[tuple[str, int], str]] | None = None) -> str | None:
    """Why the view cannot move, or None. `together`: the route sites of the module's views (place -> view), and
    where to put those whose rule is word for word one of the view's: it moves only with them (_move), and the reason
    it stays without them."""
    if definition.parent() is None or definition.parent().kind() != "module":  # type: ignore[union-attr]
        return "it is not defined at the top of its module"
    inside = file.sites_in(definition)
    left = [s for s in inside if not s.handled]
    if left:
        why = f": {left[0].reason}" if left[0].reason else ""
        return f"{left[0].code} at line {left[0].node.range().start.line + 1} is left to people{why}"
    # (a url_for rewritten to urls.FLASK_URL builds what Flask builds wherever the route is served; one of the
    # module's own routes is built so in the copy: urls.for_a_copy)
    # (a render rewritten to templates.FLASK_RENDER renders in a request context of the Flask app it builds)
    if any(s.code == codes.TEMPLATE and not templates.rendered_with_flask(file, s)
           or s.code == codes.URL and not (urls.built_anywhere(file, s) or urls.built_in_a_copy(file, s)) for s in inside):
        return "it renders a template or builds a URL, which Flask's context does"
    own = {(relpath, span(s.node)[0]) for s in sites}
    for site in sites:
        rule = rules.by_place[relpath, span(site.node)[0]]
        clashes = [(place, r) for place, r in rules.matching(rule) if place not in own]  # type: ignore[arg-type]
        same = {place for place, r in clashes if together is not None and r == rule and place in together[0]}
        clash = next((r for place, r in clashes if place not in same), None)
        if clash is not None:
            return f"its URL {rule} can match what {clash} matches, and Werkzeug and Starlette order them differently"
        for place in same:
            together[1][place] = (f"its URL {rule} can match what {rule} matches, and Werkzeug and Starlette order "  # type: ignore[index]
                                  "them differently")
        reached = next((scope for scope in scopes if scope.reaches(rule)), None)  # type: ignore[arg-type]
        if reached is not None:
            return f"its URL {rule} may be one of those {reached.where} answers otherwise: {reached.what}"
    return None


@dataclass
class Along:
    """Which of a view's kept decorators (port/decorators.py) its copy takes along: those whose rewrite answers there as
    in Flask (decorators.Alone), given the project's text (`text`, every file: the config keys that change them) and
    whether main.py gives FastAPI's routes the Flask app's LoginManager (`login`)."""

    text: str
    login: bool
    handled: set[str] = field(default_factory=set)  # the keys of the error handlers main.py carries

    def decorators(self, file: PortedFile, definition: SgNode) -> tuple[str | None, tuple[set[str], int]]:
        """Why a decorator keeps the view with Flask, or None; and the statuses those taken along may raise ("*": any
        the port cannot tell) and how many they are."""
        statuses: set[str] = set()
        count = 0
        for decorator in definition.children():
            expression = decorator.named_children()[0] if decorator.kind() == "decorator" and \
                decorator.named_children() else None
            if expression is None or not decorators.kept(file, expression):
                continue  # its route's (any other keeps its route unread: routes.read_route)
            how = decorators.alone(file, expression)
            shown = expression.text().split("(")[0]
            if how is None:
                return f"it has another decorator ({shown}), which the copy would not take along", (set(), 0)
            if (word := next((w for w in how.unless if w in self.text), None)) is not None:
                return (f"its decorator {shown} answers otherwise where {word}... is set, which the project's "
                        "text mentions"), (set(), 0)
            if how.login and not self.login:
                return (f"its decorator {shown} needs the Flask app's LoginManager, which main.py does not give the "
                        "routes FastAPI serves"), (set(), 0)
            statuses |= {"*"} if any(w in self.text for w in how.unsure) else how.raises
            count += 1
        return None, (statuses, count)


def _pushed_context(file: PortedFile, definition: SgNode, copy: SgNode, names: set[str]) \
        -> tuple[SgNode, set[str]] | None:
    """A view's copy run in an application context of the Flask app (`@flask_app_context(db)` under its route
    decorators, port/flask_sqlalchemy.py), where that is what the names it uses needing Flask (`names`) need
    (flask_sqlalchemy.in_context: Flask-SQLAlchemy's objects, helpers using them, `g` and `current_app` as
    port/app_context_only.py counts them), and the copy is not run in it yet: the copy and the names its decorator
    uses; else None. Flask ran the view in the request's application context, pushed before anything of the view:
    the decorator goes right under the route's, where no decorator running the view in FastAPI's thread pool
    (decorators.in_pool) is, and the view is not async (the context is a ContextVar of the thread the view runs in)."""
    function = copy.field("definition")
    if not names or f"@{flask_sqlalchemy.DECORATOR}(" in copy.text() or function is None or \
            (function.children() and function.children()[0].kind() == "async"):
        return None
    if any(d.named_children() and decorators.in_pool(file, d.named_children()[0])
           for d in definition.children() if d.kind() == "decorator"):
        return None
    if names - flask_sqlalchemy.in_context(file, copy, names) == set():
        return None  # (already run in it)
    argument = flask_sqlalchemy.context_object(file, definition)
    routes = [d for d in copy.children() if d.kind() == "decorator" and _ROUTE.match(d.text())]
    if argument is None or not routes:
        return None
    start = span(copy)[0]
    at = span(routes[-1])[1] - start
    text = copy.text()
    text = f"{text[:at]}\n@{flask_sqlalchemy.DECORATOR}({argument}){text[at:]}"
    pushed = SgRoot(text, "python").root().children()[0]
    if names - flask_sqlalchemy.in_context(file, pushed, names):
        return None
    try:
        file.use(flask_sqlalchemy.MODULE, flask_sqlalchemy.DECORATOR)
    except NotPortable:
        return None
    return pushed, {flask_sqlalchemy.DECORATOR, argument}


def _with_comments(text: str, node: SgNode) -> str:
    """The node's text with the comment lines right above it (the port's TODOs for it)."""
    start = span(node)[0]
    lines = text[:start].split("\n")[:-1]
    above = []
    while lines and lines[-1].lstrip().startswith("#"):
        above.insert(0, lines.pop())
    return "\n".join([*above, text[start:span(node)[1]]])
