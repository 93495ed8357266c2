"""Flask's `session` -> `request.session`, kept in the very cookie Flask reads and writes, by a bridge module.

Why a bridge and not Starlette's SessionMiddleware: Starlette signs base64 JSON with a `TimestampSigner`; Flask
signs its tagged JSON with itsdangerous' `URLSafeTimedSerializer` (salt "cookie-session", HMAC key derivation,
SHA-1). Neither reads the other's cookie, so with SessionMiddleware every user is logged out at the cutover, and
during the strangler phase (main.py serving ported routes in front of the Flask app behind a2wsgi) a session set
by a Flask route is not seen by a FastAPI one (the session-cookie and session-cart proofs show it). The port
writes `flask_cookie_session.py` (port/written/, read as BRIDGE) into the ported tree: a pure ASGI middleware that opens Flask's
cookie into `scope["session"]`, where Starlette's `Request.session` finds it, and saves it as
`SecureCookieSessionInterface.save_session` does (same attributes, Werkzeug's Set-Cookie text, `Vary: Cookie`,
set only when modified or permanent and refreshed, deleted when emptied).

Why reimplemented rather than imported from Flask: `flask.sessions` and `flask.json.tag.TaggedJSONSerializer`
would tie the ported app to Flask, which the migration is there to remove, and would run Flask's serializer
outside an app context, where it dumps without sorted keys (not the bytes Flask writes in a request). The
bridge needs only itsdangerous (which Starlette's own SessionMiddleware needs too) and Starlette; its tagged
JSON is Flask's tag for tag, which tests/test_port_session.py checks against Flask's serializer, and the
cookies are checked crossing between a Flask app and its port both ways.

What the port rewrites:
- `app.secret_key = VALUE` (module level, the app made in the module) -> `app.add_middleware(
  FlaskSessionMiddleware, secret_key=VALUE)`, written at the end of the module after every other middleware
  (`finish`), so that it is the outermost (Flask opens the session before before_request and saves it after
  after_request). VALUE must mean the same there: a literal or an environment read. A
  `SecureCookieSessionInterface` subclass set as `app.session_interface` that only returns literal cookie
  attributes (`get_cookie_path`...) becomes the config keys those methods read (the session-interface proof).
- each `session` of a view, hook or handler the port converts -> `request.session` (the function gets
  `request: Request`), function by function as `g` becomes `request.state`. Where no request is at hand (a
  helper the views call), the name stays and is imported from the bridge instead: its `session` is the session
  of the request being served, as Flask's proxy is (a context variable the middleware sets, which the tasks and
  the thread pool serving the request inherit; outside a request, Flask's RuntimeError). Under another name
  (`import session as s`), those uses keep a TODO saying why. The module's FMA807 goes with its use.
- `flash(...)` / `get_flashed_messages(...)` (or `flask.flash(...)` under `import flask`), call by call, in the
  functions that can take the request -> the bridge's, which take the request first and keep Flask's `_flashes`
  list in the session as Flask's flash does (`get`, append, set: the same accessed/modified marks, so the same
  cookie and `Vary: Cookie`; tuples, tagged as Flask tags them). Under Flask's name where every use of it in the
  module is rewritten, else as `flask_flash` / `flask_get_flashed_messages` beside Flask's, which the calls left
  (a view that stays Flask) still use. Templates that call `get_flashed_messages` or read `session` get them from
  the bridge's context processors (port/templates.py asks `session_ready`), or, rendered by the Flask app behind
  (flask_render.py), from Flask's own over the bridge's session: the flash-messages proof,
  tests/test_port_flash.py. Not where the module listens to `message_flashed`, which the bridge does not send (a
  receiver elsewhere is FMA413, which keeps a unit from converting and a view from moving).
- during the strangler phase (the app stays Flask), a converted Blueprint's views and the views that move to
  FastAPI on their own (split.py, which no longer counts `app.secret_key` as changing every answer) read the
  session through main.py's bridge, given the Flask app's own `config` (its key and session settings however
  the app set them: the values Flask signs with) and the mounted Flask app, whose answers it leaves to Flask's
  own session interface; so one session spans the Flask and the FastAPI routes. A Blueprint's module
  converting with the app relies on the app's module adding the middleware.
Left to people (TODOs), in a whole-app port: the key set any other way (app.config, a factory), a module setting
another session key (Flask config keys, which port/config.py leaves), any other session interface, `flask.session`
used through the module's name.

Known differences: after an exception no handler answers, Flask saved the session with its 500 page;
Starlette's ServerErrorMiddleware answers outside the bridge, without the cookie (and a handler for 500, which
runs there, reads the session but its changes are not saved). Flask 3.1.3 counts any use of its `session`
proxy as an access (`Vary: Cookie`); the bridge counts the session's methods and operators, not a bare
`request.session` handed to other code that does nothing with it.
"""
from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

from ast_grep_py import SgNode

from ..rules.application import APP_ATTRIBUTE
from ..rules.lifecycle import FLASH, SESSION, SESSION_INTERFACE
from ..rules.silent_changes import SESSION_COOKIE
from . import codes
from .config import NAME as SETTINGS, SESSION_SETTINGS
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .hooks import give_request
from ..scopes import span

MODULE = "flask_cookie_session"  # the bridge module the port writes
FILE = f"{MODULE}.py"
# The bridge module, written as flask_cookie_session.py into the ported tree: a real module of the package's
# data (port/written/), so that it reads, lints and formats as the code it is.
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
MIDDLEWARE = "FlaskSessionMiddleware"
USES = (SESSION.code, SESSION_COOKIE.code)
USED = ("session bridge", 0)  # file.memo key: True when the ported module needs the bridge
READY = ("session ready", 0)  # file.memo key: the module's requests have Flask's session, through the bridge
FLASH_FUNCTIONS = ("flash", "get_flashed_messages")
TEMPLATE_FLASHES = "flashed_messages"  # the bridge's context processors for templates
TEMPLATE_SESSION = "session_context"
PROXY = "session"  # the bridge's stand-in for flask.session, where no request is at hand
PENDING = ("session middleware line", 0)  # file.memo key: the line `finish` writes
ADDED = ("session middleware", 0)  # file.memo key: True when the module adds the bridge's middleware itself
# Values of the secret key that mean the same at the end of the module as where Flask's app got them.
_ENVIRONMENT_READS = ("os.environ[", "os.environ.get(", "os.getenv(", "environ[", "environ.get(", "getenv(")


def port_session(file: PortedFile, contexts: dict[int, SgNode], apps: set[str], root: Path | None = None,
                 elsewhere: bool = False) -> None:
    """The secret key and the uses of `session` of the file (each site left keeps its TODO with the reason).
    `root`: the project's folder, where the bridge must not overwrite a file of the project. `elsewhere`: the
    bridge's middleware is added outside this module (by main.py, from the Flask app's config, or by the app's
    module), so that a module without an app of its own (a Blueprint's) rewrites its uses only."""
    uses = [site for code in USES for site in file.sites_of(code)]
    keys = [site for site in file.sites_of(APP_ATTRIBUTE.code) if _is_secret_key(site, apps)]
    interface = [site for site in file.sites_of(APP_ATTRIBUTE.code) if _is_secret_key(site, apps, "session_interface")]
    interface += file.sites_of(SESSION_INTERFACE.code)
    flashes = file.sites_of(FLASH.code)
    # the module's config (ported to `settings` by port/config.py) sets the secret key or session settings: the
    # middleware reads them there, each request, as Flask reads its config
    from_settings = bool(file.memo.get(SESSION_SETTINGS))
    if not uses and not keys and not flashes and not from_settings:
        return
    # this module adds the middleware: it sets the key, or no middleware is added elsewhere (while the app stays
    # Flask, main.py's reads the Flask app's key however the app set it, for the app's module's views too)
    own = bool(keys) or from_settings or not elsewhere
    try:
        if root is not None and not _free(root / bridge_path(root, file.path)):
            raise NotPortable(f"the project already has a {FILE}, the name of the session bridge")
        if from_settings and (keys or interface):
            raise NotPortable("the session is configured both in app.config and by app.secret_key or session_interface")
        key, value = _secret_key(file, keys, apps) if own and not from_settings else (None, "")
        settings, removed = _cookie_interface(file, interface, apps) if own and not from_settings else ({}, [])
        names = _names(file, uses)
        if own:
            file.use(MODULE, MIDDLEWARE)
    except NotPortable as reason:
        for site in uses + keys + interface + flashes:
            site.reason = site.reason or str(reason)
        return
    # Function by function: `request.session` where the function can take the request (views, hooks, handlers)
    plans, left = [], {}
    for node in names:
        try:
            plans.append(_plan(file, node, contexts))
        except NotPortable as reason:
            left[span(node)[0]] = str(reason)
    if left and all(node.text() == PROXY for node in names):
        # the uses where no request is at hand (a helper) read the bridge's `session`, the request's as Flask's
        # proxy is: Flask's import of the name goes
        file.bound[PROXY] = MODULE
        file.use(MODULE, PROXY)
        left = {}
    # flash and get_flashed_messages call by call: the bridge's, under Flask's name where every use of the name in
    # the module is a call the port rewrites (Flask's import goes), else under its own (`flask_flash`), beside
    # Flask's that the calls left with their TODO still use
    flashed = []
    for site in flashes:
        try:
            flashed.append(_flash_plan(file, site, contexts))
        except NotPortable as reason:
            site.reason = site.reason or str(reason)
    flashed = _flash_callees(file, flashed)
    if key is not None:
        app = next(iter(apps))
        for statement in [file.statement_of(key.node), *removed]:
            _delete_with_blank_lines(file, statement)
        pairs = ", ".join(f"{json.dumps(k)}: {v}" for k, v in settings.items())
        config = f", config={{{pairs}}}" if settings else ""
        # written by `finish`, after the request hooks' middleware (port/hooks.py), which may go at the end too
        file.memo[PENDING] = (f"# Flask's session cookie, read and written as Flask does ({FILE}); added last, so "
                              "that it\n# wraps every other middleware, as Flask opens the session before its hooks "
                              f"and saves it after\n{app}.add_middleware({MIDDLEWARE}, secret_key={value}{config})")
        for site in [key, *interface]:
            site.handled = True
        file.memo[ADDED] = True
    if from_settings:
        file.memo[PENDING] = (f"# Flask's session cookie, read and written as Flask does ({FILE}), with the config "
                              f"the app\n# set in {SETTINGS}; added last, so that it wraps every other middleware, as "
                              "Flask opens the\n# session before its hooks and saves it after\n"
                              f"{next(iter(apps))}.add_middleware({MIDDLEWARE}, config={SETTINGS})")
        file.memo[ADDED] = True
    for node, function in plans:
        file.replace(node, "request.session")
        give_request(file, function)
    for site, callee, call, function in flashed:
        arguments = call.field("arguments")
        inner = file.rendered(arguments)[1:-1].strip()  # type: ignore[arg-type]
        if callee != call.field("function").text():  # type: ignore[union-attr]
            file.replace(call.field("function"), callee)  # type: ignore[arg-type]
        file.replace(arguments, f"(request, {inner})" if inner else "(request)")  # type: ignore[arg-type]
        give_request(file, function)
        site.handled = True
    for site in uses:
        name = site.node if site.node.kind() == "identifier" else site.node.field("object")
        if name is not None and span(name)[0] in left:
            site.reason = site.reason or left[span(name)[0]]
            file.todo(site, f"{site.advice} (not ported: {site.reason})")
        else:
            site.handled = True
    file.memo[USED] = True
    file.memo[READY] = True


def finish(file: PortedFile) -> None:
    """The bridge's middleware at the end of the module, once every other middleware is written: added last, it
    is the outermost, as Flask's session is opened before the hooks and saved after them."""
    if file.memo.get(PENDING):
        _append_last(file, file.memo.pop(PENDING))


def _free(path: Path) -> bool:
    """True when the bridge may be written at `path`: nothing is there, or a bridge an earlier port wrote (the
    next `--only` step of a strangler migration), which it replaces."""
    try:
        with path.open(encoding="utf-8") as existing:
            return existing.readline() == BRIDGE.splitlines(keepends=True)[0]
    except FileNotFoundError:
        return True
    except (OSError, UnicodeDecodeError):
        return False


def bridge_path(root: Path, path: str) -> str:
    """Where the bridge goes for the module at `path`: the folder Python imports it from, so that
    `from flask_cookie_session import ...` finds it."""
    from .plan import import_root

    return import_root(root, path) + FILE


_IMPORT_FLASK = re.compile(r"^import flask\s*$", re.MULTILINE)  # `flask.flash(...)`


def flashing_function(file: PortedFile, node: SgNode) -> str | None:
    """The Flask function (flash or get_flashed_messages) that `node`, a callee, is: by the name the module imports
    from flask, or as an attribute of the module `import flask` binds (`flask.flash`); else None."""
    if node.kind() == "identifier":
        name = node.text()
        return name if name in FLASH_FUNCTIONS and file.bound.get(name) == "flask" else None
    owner, attribute = node.field("object"), node.field("attribute")
    if node.kind() != "attribute" or owner is None or attribute is None or owner.text() != "flask" or \
            attribute.text() not in FLASH_FUNCTIONS or "flask" in file.bound or not _IMPORT_FLASK.search(file.text):
        return None
    return attribute.text()


def _flash_plan(file: PortedFile, site: Site, contexts: dict[int, SgNode]) -> tuple[Site, str, SgNode, SgNode]:
    """`flash(...)` or `get_flashed_messages(...)` called in a converted function: (the site, Flask's function, the
    call, the function), for the bridge's function of that name, which takes the request first."""
    node = site.node
    call = node.parent()
    name = flashing_function(file, node)
    if name is None or call is None or call.kind() != "call" or call.field("function") != node:
        raise NotPortable("not a call of flask's flash or get_flashed_messages")
    if "message_flashed" in file.text:
        raise NotPortable("the module listens to message_flashed, which the bridge's flash does not send")
    function = enclosing_function(node)
    if function is None or span(function)[0] not in contexts:
        raise NotPortable(f"{name} is called outside a view, hook or handler the port converts: no request there")
    _plan(file, node, contexts)  # the checks on the function's request
    return site, name, call, contexts[span(function)[0]]


def _flash_callees(file: PortedFile, planned: list[tuple[Site, str, SgNode, SgNode]]
                   ) -> list[tuple[Site, str, SgNode, SgNode]]:
    """(site, the name the call takes, call, function) for each planned call. Flask's name is the bridge's where every
    use of it in the module is a planned call (Flask's import of it goes); else the bridge's `flask_` name
    (`flask_flash`), so that Flask's stays for the uses left (a view that stays Flask, `flash` handed on as a value)."""
    uses: dict[str, int] = {}
    if planned:  # one walk of the module, however many calls
        for other in file.root.find_all(kind="identifier"):
            parent = other.parent()
            if other.text() in FLASH_FUNCTIONS and not _in_import(other) and not (
                    parent is not None and parent.kind() == "attribute" and parent.field("attribute") == other):
                uses[other.text()] = uses.get(other.text(), 0) + 1
    by_name: dict[str, int] = {}  # the planned calls by Flask's name (not `flask.flash`)
    for _, name, call, _ in planned:
        if call.field("function").kind() == "identifier":  # type: ignore[union-attr]
            by_name[name] = by_name.get(name, 0) + 1
    found = []
    for site, name, call, function in planned:
        callee = call.field("function")
        own = callee is not None and callee.kind() == "identifier" and uses.get(name, 0) == by_name.get(name, 0)
        given = name if own else f"flask_{name}"
        if own:
            file.bound[name] = MODULE  # every use of Flask's is rewritten: its import goes
        try:
            file.use(MODULE, given)
        except NotPortable as reason:  # the module binds flask_flash to something else
            site.reason = site.reason or str(reason)
            continue
        found.append((site, given, call, function))
    return found


def session_ready(file: PortedFile) -> bool:
    """True when the module's templates can be given `session` and `get_flashed_messages` (templates.py): the
    bridge keeps the session of the module's requests."""
    return bool(file.memo.get(READY))


def _is_secret_key(site: Site, apps: set[str], attribute: str = "secret_key") -> bool:
    node = site.node
    return node.kind() == "attribute" and node.field("attribute").text() == attribute and \
        node.field("object").text() in apps  # type: ignore[union-attr]


# The methods of SessionInterface that only read a config key (flask/sessions.py), by the key they read.
COOKIE_METHODS = {"get_cookie_name": "SESSION_COOKIE_NAME", "get_cookie_domain": "SESSION_COOKIE_DOMAIN",
                  "get_cookie_path": "SESSION_COOKIE_PATH", "get_cookie_httponly": "SESSION_COOKIE_HTTPONLY",
                  "get_cookie_secure": "SESSION_COOKIE_SECURE", "get_cookie_samesite": "SESSION_COOKIE_SAMESITE",
                  "get_cookie_partitioned": "SESSION_COOKIE_PARTITIONED"}


def _cookie_interface(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[dict[str, str], list[SgNode]]:
    """`app.session_interface = Cls()` with Cls a `SecureCookieSessionInterface` of this module that only
    overrides cookie attributes by returning literals: those attributes as the bridge's config keys (each such
    method returns what its key would), and the statements that go (the class, the assignment)."""
    if not sites:
        return {}, []
    assigned = [site for site in sites if site.code == APP_ATTRIBUTE.code]
    if len(assigned) != 1:
        raise NotPortable("the session interface is not set once by `app.session_interface = ...`")
    assignment = assigned[0].node.parent()
    statement = assignment.parent() if assignment is not None else None
    value = assignment.field("right") if assignment is not None and assignment.kind() == "assignment" else None
    if value is None or value.kind() != "call" or value.field("arguments").text() != "()" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("app.session_interface is not set to a class called without arguments at module level")
    name = value.field("function").text()  # type: ignore[union-attr]
    cls = next((s for s in file.root.children() if s.kind() == "class_definition" and s.field("name").text() == name),  # type: ignore[union-attr]
               None)
    bases = cls.field("superclasses") if cls is not None else None
    if cls is None or bases is None or [b.text() for b in bases.named_children()] != ["SecureCookieSessionInterface"] \
            or file.bound.get("SecureCookieSessionInterface") != "flask.sessions":
        raise NotPortable(f"{name} is not a class of this module derived from SecureCookieSessionInterface alone")
    if any(span(site.node)[0] not in (span(bases.named_children()[0])[0], span(assigned[0].node)[0]) for site in sites):
        raise NotPortable("Flask's session machinery is used elsewhere in the module")
    if sum(1 for node in file.root.find_all(kind="identifier") if node.text() == name) != 2:
        raise NotPortable(f"{name} is used elsewhere in the module")
    settings: dict[str, str] = {}
    body = cls.field("body")
    for member in body.named_children() if body is not None else []:
        if member.kind() == "comment" or member.kind() == "expression_statement" and \
                member.named_children()[0].kind() == "string":
            continue  # the docstring
        method = member.field("name").text() if member.kind() == "function_definition" else ""  # type: ignore[union-attr]
        parameters = [p.text() for p in member.field("parameters").named_children()] if method else []  # type: ignore[union-attr]
        statements = [s for s in member.field("body").named_children() if s.kind() != "comment"] if method else []  # type: ignore[union-attr]
        returned = statements[0].named_children() if len(statements) == 1 and statements[0].kind() == "return_statement" else []
        if method not in COOKIE_METHODS or len(parameters) != 2 or len(returned) != 1 or \
                returned[0].kind() not in ("string", "true", "false", "none") or \
                any(c.kind() == "interpolation" for c in returned[0].find_all(kind="interpolation")):
            raise NotPortable(f"{name} does more than return literal cookie attributes ({member.text()[:40]})")
        if method == "get_cookie_path" and returned[0].kind() != "string":
            raise NotPortable("get_cookie_path returns no path")
        settings[COOKIE_METHODS[method]] = returned[0].text()
    if settings.get("SESSION_COOKIE_PATH", "'/'") in ('""', "''"):
        raise NotPortable("get_cookie_path returns an empty path, for which Flask's config falls back to APPLICATION_ROOT")
    return settings, [cls, statement]


def _delete_with_blank_lines(file: PortedFile, statement: SgNode) -> None:
    """Remove a module-level statement and the blank lines after it (a class between two pairs of blank lines
    leaves one pair)."""
    start, end = span(statement)
    first = file.line_start(start)
    stop = file.text.find("\n", end)
    stop = stop + 1 if stop >= 0 else len(file.text)
    if statement.kind() == "class_definition":
        while stop < len(file.text) and file.text[stop] == "\n":
            stop += 1
    edit = statement.replace("")
    edit.start_pos, edit.end_pos = first, stop
    file._drop(first, stop)
    file._add(edit)


def _secret_key(file: PortedFile, keys: list[Site], apps: set[str]) -> tuple[Site, str]:
    """The one `app.secret_key = VALUE` of the module and VALUE's text."""
    if len(apps) != 1:
        raise NotPortable("the module does not make exactly one Flask app, whose secret key signs the session (for "
                          "a Blueprint's module: the app's module does not add the session bridge)")
    if len(keys) != 1:
        raise NotPortable("the secret key is not set once in this module by `app.secret_key = ...` (set in "
                          "app.config, or in another module): the bridge cannot know it the same way")
    key = keys[0]
    assignment = key.node.parent()
    statement = assignment.parent() if assignment is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left") != key.node or \
            statement is None or statement.kind() != "expression_statement" or statement.parent() is None or \
            statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("app.secret_key is not assigned by a module-level statement of its own")
    value = assignment.field("right")
    if value is None or not _context_free(value):
        raise NotPortable("the secret key is not a literal or an environment variable, which would mean the same "
                          "at the end of the module, where the bridge is added")
    if any(enclosing_function(site.node) is not None for site in file.sites_of(codes.APP)):
        raise NotPortable("the app is made in a function (a factory)")
    return key, value.text()


def _context_free(value: SgNode) -> bool:
    if value.kind() in ("string", "concatenated_string"):
        return not any(child.kind() == "interpolation" for child in value.find_all(kind="interpolation"))
    text = value.text()
    if not text.startswith(_ENVIRONMENT_READS):
        return False
    # the arguments are literals: nothing of the module is read
    return all(node.kind() != "identifier" or node.text() in ("os", "environ", "get", "getenv")
               for node in value.find_all(kind="identifier"))


def _names(file: PortedFile, uses: list[Site]) -> list[SgNode]:
    """Every use of the name the module imports flask's `session` as (not only the audit's sites: the FMA407 on
    the line of the module's FMA807 is dropped, the same claim)."""
    local = None
    for statement in file.root.children():
        if statement.kind() == "import_from_statement" and statement.field("module_name").text() == "flask":  # type: ignore[union-attr]
            for item in statement.named_children()[1:]:
                if item.kind() == "aliased_import" and item.field("name").text() == "session":  # type: ignore[union-attr]
                    local = item.field("alias").text()  # type: ignore[union-attr]
                elif item.kind() == "dotted_name" and item.text() == "session":
                    local = "session"
    if local is None and not uses:
        return []  # the module sets the secret key only (its Blueprints, flash or Flask's own code use the session)
    if local is None or file.bound.get(local) != "flask":
        raise NotPortable("session is not imported by name from flask at the top of the module")
    found = []
    for node in file.root.find_all(kind="identifier"):
        if node.text() != local or _in_import(node):
            continue
        parent = node.parent()
        if parent is not None and (parent.kind() == "attribute" and parent.field("attribute") == node or
                                   parent.kind() == "keyword_argument" and parent.field("name") == node):
            continue
        if _binds(node):  # the name is not Flask's session everywhere in the module
            raise NotPortable(f"the name {local} is also bound at line {node.range().start.line + 1}")
        found.append(node)
    if re.search(r"\bflask\.session\b", file.text):
        raise NotPortable("flask.session is also used by its module's name")
    return found


def _in_import(node: SgNode) -> bool:
    current = node.parent()
    while current is not None:
        if current.kind() in ("import_from_statement", "import_statement"):
            return True
        current = current.parent()
    return False


def _plan(file: PortedFile, node: SgNode, contexts: dict[int, SgNode]) -> tuple[SgNode, SgNode]:
    """A use of `session`, and the converted function it is in."""
    line = node.range().start.line + 1
    function = enclosing_function(node)
    if function is None or span(function)[0] not in contexts:
        raise NotPortable(f"session is used at line {line} outside a view, hook or handler the port converts: no "
                          "request there")
    function = contexts[span(function)[0]]
    key = ("session: why the function cannot take the request", span(function)[0])
    if key not in file.memo:  # once per function, however many uses it has
        parameters = function.field("parameters")
        file.memo[key] = (
            "the function still reads Flask's request, which a `request: Request` parameter would hide"
            if any(not s.handled and s.node.text().split(".")[0] == "request" for s in file.sites_in(function)) else
            "the function already has a parameter named request"
            if parameters is not None and any(p.text() == "request" for p in parameters.find_all(kind="identifier"))
            else "")
    if file.memo[key]:
        raise NotPortable(file.memo[key])
    return node, function


_PATTERNS = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern", "tuple", "list",
                       "parenthesized_expression", "expression_list"})


def _binds(node: SgNode) -> bool:
    """True where the name is bound rather than read: assigned (in a pattern too), a loop, `with` or `except`
    target, a walrus, a parameter, a function or class name, global or nonlocal."""
    current, parent = node, node.parent()
    while parent is not None and parent.kind() in _PATTERNS:
        current, parent = parent, parent.parent()
    if parent is None:
        return False
    kind = parent.kind()
    if kind in ("assignment", "augmented_assignment", "for_statement", "for_in_clause"):
        return parent.field("left") == current
    if kind == "named_expression":
        return parent.field("name") == current
    if kind in ("function_definition", "class_definition"):
        return parent.field("name") == current
    if kind in ("default_parameter", "typed_parameter", "typed_default_parameter"):
        return parent.named_children()[0] == current
    return kind in ("parameters", "lambda_parameters", "global_statement", "nonlocal_statement",
                    "as_pattern_target", "as_pattern", "keyword_separator")


def _append_last(file: PortedFile, line: str) -> None:
    """`line` at the end of the module, before a closing `if __name__ == "__main__":` block (which runs the
    server: the middleware must be there before)."""
    statements = [s for s in file.root.children() if s.kind() != "comment"]
    last = statements[-1] if statements else None
    if last is not None and last.kind() == "if_statement" and "__name__" in (last.field("condition").text() if
                                                                            last.field("condition") else ""):
        start = file.line_start(span(last)[0])
        edit = file.root.replace(line + "\n\n\n")
        edit.start_pos = edit.end_pos = start
    else:
        edit = file.root.replace(("" if file.text.endswith("\n") else "\n") + "\n\n" + line + "\n")
        edit.start_pos = edit.end_pos = len(file.text)
    file._add(edit)
