"""Flask's `session` -> `request.session`, kept in the very cookie Flask reads and writes, by a bridge module.

Why a bridge and not Starlette's SessionMiddleware: Starlette signs base64 JSON with a `TimestampSigner`; Flask
signs its tagged JSON with itsdangerous' `URLSafeTimedSerializer` (salt "cookie-session", HMAC key derivation,
SHA-1). Neither reads the other's cookie, so with SessionMiddleware every user is logged out at the cutover, and
during the strangler phase (main.py serving ported routes in front of the Flask app behind a2wsgi) a session set
by a Flask route is not seen by a FastAPI one (the session-cookie and session-cart proofs show it). The port
writes `flask_cookie_session.py` (BRIDGE below) into the ported tree: a pure ASGI middleware that opens Flask's
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
- `flash(...)` / `get_flashed_messages(...)` (all of the module's or none) -> the bridge's, which take the
  request first and keep Flask's `_flashes` list in the session (tuples, tagged as Flask tags them); templates
  that call `get_flashed_messages` or read `session` get them from the bridge's context processors
  (port/templates.py asks `session_ready`): the flash-messages proof. Not where the module listens to
  `message_flashed`.
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
    # flash and get_flashed_messages all or none: the bridge's take the place of Flask's names in the module
    try:
        flashed = [_flash_plan(file, site, contexts) for site in flashes]
        for name in sorted({name for name, _, _ in flashed}):
            file.bound[name] = MODULE  # every use of Flask's is rewritten (_flash_plan): its import goes
            file.use(MODULE, name)
    except NotPortable as reason:
        for site in flashes:
            site.reason = site.reason or str(reason)
        flashed, flashes = [], []
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
    for name, call, function in flashed:
        arguments = call.field("arguments")
        inner = file.rendered(arguments)[1:-1].strip()  # type: ignore[arg-type]
        file.replace(arguments, f"(request, {inner})" if inner else "(request)")  # type: ignore[arg-type]
        give_request(file, function)
    for site in uses:
        name = site.node if site.node.kind() == "identifier" else site.node.field("object")
        if name is not None and span(name)[0] in left:
            site.reason = site.reason or left[span(name)[0]]
            file.todo(site, f"{site.advice} (not ported: {site.reason})")
        else:
            site.handled = True
    for site in flashes:
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


def _flash_plan(file: PortedFile, site: Site, contexts: dict[int, SgNode]) -> tuple[str, SgNode, SgNode]:
    """`flash(...)` or `get_flashed_messages(...)` called in a converted function: the bridge's function of that
    name, which takes the request first."""
    node = site.node
    name = node.text()
    call = node.parent()
    if node.kind() != "identifier" or name not in FLASH_FUNCTIONS or file.bound.get(name) != "flask" or \
            call is None or call.kind() != "call" or call.field("function") != node:
        raise NotPortable("not a call of flask's flash or get_flashed_messages by its name")
    if "message_flashed" in file.text:
        raise NotPortable("the module listens to message_flashed, which the bridge's flash does not send")
    function = enclosing_function(node)
    if function is None or span(function)[0] not in contexts:
        raise NotPortable(f"{name} is called outside a view, hook or handler the port converts: no request there")
    key = ("session: uses of flash names", 0)
    if key not in file.memo:  # one walk of the module, however many calls
        counts: dict[str, int] = {}
        for other in file.root.find_all(kind="identifier"):
            if other.text() in FLASH_FUNCTIONS and not _in_import(other):
                counts[other.text()] = counts.get(other.text(), 0) + 1
        called: dict[str, int] = {}
        for flashed in file.sites_of(FLASH.code):
            called[flashed.node.text()] = called.get(flashed.node.text(), 0) + 1
        file.memo[key] = (counts, called)
    counts, called = file.memo[key]
    if counts.get(name, 0) != called.get(name, 0):
        raise NotPortable(f"{name} is used otherwise than called in the module")
    _plan(file, node, contexts)  # the checks on the function's request
    return name, call, contexts[span(function)[0]]


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


# The bridge module, written as flask_cookie_session.py into the ported tree.
BRIDGE = '''
"""Flask's signed cookie session for FastAPI, written by `migrate-audit port`: the same cookie Flask reads and writes.

Flask (flask.sessions.SecureCookieSessionInterface) keeps the session in one cookie: Flask's tagged JSON, signed
by itsdangerous' URLSafeTimedSerializer with the salt "cookie-session", an HMAC-derived key and SHA-1. This
middleware reads and writes that cookie the same way, with the same attributes, sets it only when Flask would
(the session was changed, or is permanent and SESSION_REFRESH_EACH_REQUEST holds) and deletes it when the
session was emptied. So a user's session goes on across the routes Flask still serves and those FastAPI serves
now, and after Flask has gone. Views read it as `request.session` (the middleware puts it in the scope, where
Starlette's `Request.session` finds it). Starlette's own SessionMiddleware signs another format: it could take
over only once no cookie Flask signed is still valid (PERMANENT_SESSION_LIFETIME after the cutover).

`config` holds Flask's session keys (SECRET_KEY, SESSION_COOKIE_*, PERMANENT_SESSION_LIFETIME...), read at each
request as Flask reads app.config, with Flask's defaults; during the strangler phase it can be the Flask app's
own `app.config`.
"""

from __future__ import annotations

import dataclasses
import decimal
import hashlib
import json
import re
from base64 import b64decode, b64encode
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders

# Flask's default_config for what the session reads (Flask 3.1).
DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": [],
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "SESSION_REFRESH_EACH_REQUEST": True,
}
SALT = "cookie-session"


# Flask's tagged JSON (flask.json.tag.TaggedJSONSerializer) -------------------------------------------------------
def _http_date(value: date) -> str:
    """werkzeug.http.http_date: a naive datetime is UTC, a date is midnight UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    elif value.tzinfo != timezone.utc:
        value = value.astimezone(timezone.utc)
    return format_datetime(value, usegmt=True)


def _parse_date(value: str) -> datetime | None:
    """werkzeug.http.parse_date: None when it does not parse, UTC when it has no zone."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def _markup(value: str) -> Any:
    from markupsafe import Markup  # Flask's dependency; needed only for a session holding Markup

    return Markup(value)


_TAGS = (" di", " t", " b", " m", " u", " d")


def _tag(value: Any) -> Any:
    """TaggedJSONSerializer.tag: its tags, tried in its order."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in _TAGS:
            key = next(iter(value))
            return {" di": {f"{key}__": _tag(value[key])}}
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {" t": [_tag(item) for item in value]}
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, bytes):
        return {" b": b64encode(value).decode("ascii")}
    if callable(getattr(value, "__html__", None)):
        return {" m": str(value.__html__())}
    if isinstance(value, UUID):
        return {" u": value.hex}
    if isinstance(value, datetime):
        return {" d": _http_date(value)}
    return value


def _untag(value: dict[str, Any]) -> Any:
    if len(value) != 1:
        return value
    key, inner = next(iter(value.items()))
    if key == " di":
        name = next(iter(inner))
        return {name[:-2]: inner[name]}
    if key == " t":
        return tuple(inner)
    if key == " b":
        return b64decode(inner)
    if key == " m":
        return _markup(inner)
    if key == " u":
        return UUID(inner)
    if key == " d":
        return _parse_date(inner)
    return value


def _untag_scan(value: Any) -> Any:
    if isinstance(value, dict):
        return _untag({k: _untag_scan(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_untag_scan(item) for item in value]
    return value


def _default(value: Any) -> Any:
    """flask.json.provider._default: what Flask's JSON provider writes for the other types."""
    if isinstance(value, date):
        return _http_date(value)
    if isinstance(value, (decimal.Decimal, UUID)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class TaggedJSON:
    """Flask's session serializer, dumped as Flask dumps it in a request (its app's JSON provider: sorted keys,
    ASCII only, compact)."""

    @staticmethod
    def dumps(value: Any) -> str:
        return json.dumps(_tag(value), separators=(",", ":"), sort_keys=True, ensure_ascii=True, default=_default)

    @staticmethod
    def loads(value: str | bytes) -> Any:
        return _untag_scan(json.loads(value))


# The session object (flask.sessions.SecureCookieSession) --------------------------------------------------------
class Session(dict):  # type: ignore[type-arg]
    """A dict that knows whether it was changed (`modified`, on the changes werkzeug's CallbackDict reports) and
    used at all (`accessed`: Flask 3.1.3 counts every use through its `session` proxy, which sends
    `Vary: Cookie`), with `permanent` kept in the `_permanent` key as Flask keeps it."""

    new = False  # SessionMixin.new: a signed cookie cannot tell a new session from an empty one

    def __init__(self, initial: Mapping[str, Any] | None = None) -> None:
        super().__init__(initial or {})
        object.__setattr__(self, "modified", False)
        object.__setattr__(self, "accessed", False)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        object.__setattr__(self, "accessed", True)

    def _used(self) -> None:
        object.__setattr__(self, "accessed", True)

    def _changed(self) -> None:
        object.__setattr__(self, "accessed", True)
        object.__setattr__(self, "modified", True)

    @property
    def permanent(self) -> bool:
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    # reads
    def __getitem__(self, key: str) -> Any:
        self._used()
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._used()
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._used()
        return super().__contains__(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._used()
        return super().__iter__()

    def __len__(self) -> int:
        self._used()
        return super().__len__()

    def keys(self):  # type: ignore[no-untyped-def]
        self._used()
        return super().keys()

    def values(self):  # type: ignore[no-untyped-def]
        self._used()
        return super().values()

    def items(self):  # type: ignore[no-untyped-def]
        self._used()
        return super().items()

    def copy(self) -> dict[str, Any]:
        self._used()
        return dict(super().items())

    # changes, reported as werkzeug's UpdateDictMixin reports them
    def setdefault(self, key: str, default: Any = None) -> Any:
        self._used()
        missing = not super().__contains__(key)
        value = super().setdefault(key, default)
        if missing:
            self._changed()
        return value

    _MISSING = object()

    def pop(self, key: str, default: Any = _MISSING) -> Any:
        self._used()
        present = super().__contains__(key)
        value = super().pop(key) if default is Session._MISSING else super().pop(key, default)
        if present:
            self._changed()
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def popitem(self) -> tuple[str, Any]:
        self._changed()
        return super().popitem()

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._changed()
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> Session:  # type: ignore[override]
        self._changed()
        super().update(other)
        return self


# The middleware (SecureCookieSessionInterface.open_session / save_session) --------------------------------------
_NO_QUOTE = re.compile(r"[\\w!#$%&'()*+\\-./:<=>?@\\[\\]^`{|}~]*", re.ASCII)


def request_cookie(scope: Any, name: str) -> str | None:
    """The request's cookie `name` as Werkzeug reads it: the first one sent (a browser sends the cookie of the
    longest path first; Starlette's `request.cookies` keeps the last), quotes removed."""
    for header, value in scope.get("headers", ()):
        if header != b"cookie":
            continue
        for chunk in value.decode("latin-1").split(";"):
            key, _, found = chunk.partition("=")
            if key.strip() == name:
                found = found.strip()
                if len(found) >= 2 and found[0] == found[-1] == '"':
                    found = found[1:-1].replace('\\\\"', '"').replace("\\\\\\\\", "\\\\")
                return found
    return None


def dump_cookie(
    name: str,
    value: str,
    *,
    expires: datetime | int | None,
    domain: str | None,
    path: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
    partitioned: bool,
    max_age: int | None = None,
) -> str:
    """A Set-Cookie value written as werkzeug.http.dump_cookie writes it (same attributes, same order)."""
    if path is not None:
        path = quote(path, safe="%!$&'()*+,/:=@")
    if domain:
        domain = domain.partition(":")[0].lstrip(".").encode("idna").decode("ascii")
    expires_text = None
    if expires is not None:
        # werkzeug's http_date(0) for a deleted cookie, else the date as werkzeug writes it
        expires_text = "Thu, 01 Jan 1970 00:00:00 GMT" if isinstance(expires, int) else _http_date(expires)
    if samesite is not None:
        samesite = samesite.title()
        if samesite not in ("Strict", "Lax", "None"):
            raise ValueError("SameSite must be 'Strict', 'Lax', or 'None'.")
    if partitioned:
        secure = True
    if not _NO_QUOTE.fullmatch(value):  # never for the URL-safe tokens itsdangerous writes
        value = '"' + value.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"'
    parts = [f"{name}={value}"]
    for key, attribute in (
        ("Domain", domain),
        ("Expires", expires_text),
        ("Max-Age", max_age),
        ("Secure", secure),
        ("HttpOnly", httponly),
        ("Path", path),
        ("SameSite", samesite),
        ("Partitioned", partitioned),
    ):
        if attribute is None or attribute is False:
            continue
        parts.append(key if attribute is True else f"{key}={attribute}")
    return "; ".join(parts)


def _vary_cookie(headers: MutableHeaders) -> None:
    """`response.vary.add("Cookie")`: Werkzeug's Vary is a set, so Cookie is listed once."""
    present = [token.strip().lower() for token in headers.get("vary", "").split(",")]
    if "cookie" not in present:
        headers.add_vary_header("Cookie")


class FlaskSessionMiddleware:
    """Opens Flask's session cookie into `scope["session"]` before the app runs and saves it when the response
    starts, as Flask opens it before the before_request hooks and saves it after the after_request hooks (add it
    last, so that it wraps every other middleware)."""

    def __init__(
        self,
        app: Any,
        secret_key: str | bytes | None = None,
        config: Mapping[str, Any] | None = None,
        flask: Any = None,
    ) -> None:
        self.app = app
        self.secret_key = secret_key
        self.config = config if config is not None else {}
        # the Flask app mounted behind the FastAPI one (main.py): it saves its session itself, so the bridge
        # leaves the answers it routes there alone
        self.flask = flask

    def setting(self, key: str) -> Any:
        if key == "SECRET_KEY" and self.secret_key is not None:
            return self.secret_key
        return self.config.get(key, DEFAULTS[key]) if key in DEFAULTS else self.config[key]

    def lifetime(self) -> timedelta:
        value = self.setting("PERMANENT_SESSION_LIFETIME")
        return value if isinstance(value, timedelta) else timedelta(seconds=value)

    def serializer(self) -> URLSafeTimedSerializer | None:
        if not self.setting("SECRET_KEY"):
            return None
        keys = [*(self.setting("SECRET_KEY_FALLBACKS") or ()), self.setting("SECRET_KEY")]
        return URLSafeTimedSerializer(
            keys,
            salt=SALT,
            serializer=TaggedJSON,  # type: ignore[arg-type]
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
        )

    def open(self, scope: Any) -> Session:
        serializer = self.serializer()
        if serializer is None:
            return NullSession()
        value = request_cookie(scope, self.setting("SESSION_COOKIE_NAME"))
        if not value:
            return Session()
        try:
            return Session(serializer.loads(value, max_age=int(self.lifetime().total_seconds())))
        except BadSignature:
            return Session()

    def save(self, session: Session, headers: MutableHeaders) -> None:
        if isinstance(session, NullSession):
            return
        accessed, modified = session.accessed, session.modified
        attributes = {
            "domain": self.setting("SESSION_COOKIE_DOMAIN"),
            "path": self.setting("SESSION_COOKIE_PATH") or self.setting("APPLICATION_ROOT"),
            "secure": self.setting("SESSION_COOKIE_SECURE"),
            "partitioned": self.setting("SESSION_COOKIE_PARTITIONED"),
            "samesite": self.setting("SESSION_COOKIE_SAMESITE"),
            "httponly": self.setting("SESSION_COOKIE_HTTPONLY"),
        }
        name = self.setting("SESSION_COOKIE_NAME")
        if accessed:
            _vary_cookie(headers)
        data = dict(dict.items(session))
        if not data:
            if modified:
                headers.append("set-cookie", dump_cookie(name, "", expires=0, max_age=0, **attributes))
                _vary_cookie(headers)
            return
        permanent = bool(data.get("_permanent", False))
        if not (modified or (permanent and self.setting("SESSION_REFRESH_EACH_REQUEST"))):
            return
        expires = datetime.now(timezone.utc) + self.lifetime() if permanent else None
        value = self.serializer().dumps(data)  # type: ignore[union-attr]
        headers.append("set-cookie", dump_cookie(name, value, expires=expires, **attributes))
        _vary_cookie(headers)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self.open(scope)
        scope["session"] = session

        async def send_saving(message: Any) -> None:
            flask_answers = self.flask is not None and scope.get("endpoint") is self.flask
            if message["type"] == "http.response.start" and not flask_answers:
                self.save(session, MutableHeaders(scope=message))
            await send(message)

        token = _CURRENT.set(session)  # for `session` below: copied into the tasks and threads that serve the request
        try:
            await self.app(scope, receive, send_saving)
        finally:
            _CURRENT.reset(token)


# `session` for code that has no request at hand (a helper a view calls), as Flask's proxy is -----------------------
_CURRENT: ContextVar[Session | None] = ContextVar("flask_cookie_session", default=None)


def _current() -> Session:
    found = _CURRENT.get()
    if found is None:
        raise RuntimeError(
            "Working outside of request context.\\n\\nThis typically means that you attempted to use "
            "functionality that needed\\nan active HTTP request."
        )
    found._used()  # Flask 3.1.3: any use of its proxy counts as an access
    return found


class _SessionProxy:
    """The request's session, like `flask.session`: the one the middleware opened for the request being served
    (a context variable, which asyncio tasks and the thread pool FastAPI runs sync views in inherit)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_current(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_current(), name, value)

    def __getitem__(self, key: str) -> Any:
        return _current()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        _current()[key] = value

    def __delitem__(self, key: str) -> None:
        del _current()[key]

    def __contains__(self, key: object) -> bool:
        return key in _current()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_current())

    def __len__(self) -> int:
        return len(_current())

    def __bool__(self) -> bool:
        return bool(_current())

    def __eq__(self, other: object) -> bool:
        return _current() == other

    def __ne__(self, other: object) -> bool:
        return _current() != other

    __hash__ = None  # type: ignore[assignment]

    def __ior__(self, other: Any) -> _SessionProxy:
        _current().update(other)
        return self

    def __repr__(self) -> str:
        return repr(_current())


session = _SessionProxy()


# Message flashing (flask.helpers.flash, get_flashed_messages), over the same session -----------------------------
def flash(request: Any, message: str, category: str = "message") -> None:
    """flask.flash: the message appended to the session's `_flashes` list, as (category, message)."""
    flashes = request.session.get("_flashes", [])
    flashes.append((category, message))
    request.session["_flashes"] = flashes


def get_flashed_messages(request: Any, with_categories: bool = False, category_filter: Any = ()) -> list[Any]:
    """flask.get_flashed_messages: the session's flashes, taken out of it by the request's first call and kept for
    its later ones."""
    flashes = request.scope.get("flask.flashes")
    if flashes is None:
        flashes = request.session.pop("_flashes") if "_flashes" in request.session else []
        request.scope["flask.flashes"] = flashes
    if category_filter:
        flashes = [flashed for flashed in flashes if flashed[0] in category_filter]
    if not with_categories:
        return [flashed[1] for flashed in flashes]
    return flashes


def flashed_messages(request: Any) -> dict[str, Any]:
    """A Jinja2Templates context processor: templates call `get_flashed_messages(...)` as Flask's do."""
    return {"get_flashed_messages": lambda *args, **kwargs: get_flashed_messages(request, *args, **kwargs)}


def session_context(request: Any) -> dict[str, Any]:
    """A Jinja2Templates context processor: templates read `session` as Flask's do."""
    return {"session": request.session}


class NullSession(Session):
    """Flask's NullSession, the session without a secret key: read as empty, every change refused."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the secret_key on "
            "the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = _fail  # type: ignore[assignment]
    update = setdefault = __ior__ = _fail  # type: ignore[assignment]
'''.lstrip()
