"""`app.config` -> a module-level dict, `settings`, filled and read the way Flask fills and reads its config.

Flask's config is a dict that `from_object(obj)` fills with the upper-case names of `obj`
(`{key: getattr(obj, key) for key in dir(obj) if key.isupper()}`), `from_prefixed_env(prefix)` from the
`PREFIX_*` environment variables parsed as JSON (`__` for nested keys), `from_mapping`/`update` and
`app.config[key] = value` as a dict; views read it with `current_app.config[key]` or `.get(key[, default])`.
The port writes the same steps on `settings`, in the same order, and the reads on it, so every value is
the one Flask's config held (the config-from-environment proof); `load_prefixed_env` is Flask's loop.

Only the app's own keys move: Flask answers requests differently for the keys of its `default_config`
(`SECRET_KEY`, `MAX_CONTENT_LENGTH`, `SERVER_NAME`...), which a dict would keep without effect, and has a
default value for them that a read would miss. So a file ports its config all or nothing, and not when a
key it sets or reads is one of Flask's, a key is not a literal, `from_object` is given anything but a
class of the same module whose upper-case names are assignments in its body, or `app.config` is used
otherwise (handed to other code, iterated), or the app is made in a function (a factory: each app it
makes has a config of its own, where one module-level dict would carry values from one to the next):
those sites keep their TODO, and the app stays Flask. Keys
that `from_prefixed_env` reads from the environment are not known before it runs: a deployment that sets
one of Flask's keys that way changes Flask's behaviour and not the port's.

While the app itself stays Flask (the strangler phase) and keeps its config with Flask, because it is made in a
factory (each app it makes loads its own: `from_object(get_config(name))`, `from_envvar`, `from_pyfile`, a mapping)
or is not among the files ported (`--only`), the views that convert in the other modules still read that very
config: main.py, and `ported_app(flask_app)` in the ported tests, put the Flask app's `config` on the FastAPI app
they compose (`app.state.config`, STATE_LINE), one Flask app behind one FastAPI app, so `current_app.config` in a
ported view -> `request.app.state.config`, the same object, with every key Flask's loading put in it and Flask's
own defaults (`port_config_reads`). Only where the view itself reads it (a helper may serve Flask views too).
"""
from __future__ import annotations

import re

from ast_grep_py import SgNode

from ..rules.application import CONFIG_ACCESS, CONFIG_LOADING
from ..scopes import span
from . import codes
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .request_object import _only_these as request_uses_only
from .routes import arguments, call_of

NAME = "settings"  # the module-level dict the port defines
LOADER = "load_prefixed_env"
LOAD_PREFIXED_ENV = f'''

def {LOADER}(config: dict[str, Any], prefix: str) -> None:
    """Flask's `app.config.from_prefixed_env`: `prefix_*` variables in sorted order, their values parsed as
    JSON where they parse, `__` in a name for a key of a nested dict."""
    prefix = f"{{prefix}}_"
    for key in sorted(environ):
        if not key.startswith(prefix):
            continue
        value: Any = environ[key]
        key = key.removeprefix(prefix)
        try:
            value = loads(value)
        except Exception:  # noqa: BLE001 - Flask keeps the string when it is not JSON
            pass
        if "__" not in key:
            config[key] = value
            continue
        current = config
        *parts, tail = key.split("__")
        for part in parts:
            if part not in current:
                current[part] = {{}}
            current = current[part]
        current[tail] = value
'''
# Keys Flask itself reads (Flask.default_config, and those of Flask 2.x, which ported apps may pin).
FLASK_KEYS = frozenset({
    "APPLICATION_ROOT", "DEBUG", "EXPLAIN_TEMPLATE_LOADING", "MAX_CONTENT_LENGTH", "MAX_COOKIE_SIZE",
    "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS", "PERMANENT_SESSION_LIFETIME", "PREFERRED_URL_SCHEME",
    "PROPAGATE_EXCEPTIONS", "PROVIDE_AUTOMATIC_OPTIONS", "SECRET_KEY", "SECRET_KEY_FALLBACKS",
    "SEND_FILE_MAX_AGE_DEFAULT", "SERVER_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_PARTITIONED", "SESSION_COOKIE_PATH", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE", "SESSION_REFRESH_EACH_REQUEST", "TEMPLATES_AUTO_RELOAD", "TESTING",
    "TRAP_BAD_REQUEST_ERRORS", "TRAP_HTTP_EXCEPTIONS", "TRUSTED_HOSTS", "USE_X_SENDFILE", "ENV",
    "JSON_AS_ASCII", "JSON_SORT_KEYS", "JSONIFY_MIMETYPE", "JSONIFY_PRETTYPRINT_REGULAR"})
CODES = (CONFIG_LOADING.code, CONFIG_ACCESS.code)
# Flask's keys that only its session reads (SecureCookieSessionInterface): written into `settings`, they are read
# there by the session bridge, which the module then adds with `config=settings` (port/session.py), each request
# as Flask reads its config; reads of them stay left (Flask has defaults for them, `settings` has not)
SESSION_KEYS = frozenset({
    "SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_PARTITIONED", "SESSION_COOKIE_SAMESITE",
    "PERMANENT_SESSION_LIFETIME", "SESSION_REFRESH_EACH_REQUEST"})
SESSION_SETTINGS = ("config: session keys in settings", 0)  # file.memo key: True when `settings` sets one


def port_config(file: PortedFile, apps: set[str], contexts: dict[int, SgNode] | None = None) -> None:
    """Rewrite every config site of the file, or none (each keeps its TODO with the reason); `contexts` (the
    functions whose request the port hands over) when the app keeps its config with Flask and the FastAPI app
    in front of it carries that config (port_config_reads)."""
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not sites:
        return
    if contexts is not None and not apps:
        port_config_reads(file, sites, contexts)
        return
    try:
        if len(apps) != 1:
            raise NotPortable("the module does not create exactly one Flask app")
        if file.bound.get(NAME, "") != "" or file.bound.get(LOADER, "") != "":
            raise NotPortable(f"the module already binds {NAME} or {LOADER}")
        app = next(iter(apps))
        if any(enclosing_function(made.node) is not None for made in file.sites_of(codes.APP)):
            # an app factory: each app Flask makes starts from its own config, one module dict would not
            raise NotPortable("the app is made in a function (a factory), each call with a config of its own: the "
                              "app keeps it with Flask, and the views that convert in its Blueprints read it from "
                              "main.py's FastAPI app (app.state.config)")
        loads: list[bool] = []
        written: set[str] = set()  # Flask's session keys the module writes
        plans = [(site, *_plan(file, site, app, loads, written))
                 for site in sorted(sites, key=lambda s: s.node.range().start.index)]
        _only_these(file, app, [node for _, node, _ in plans])
    except NotPortable as reason:
        for site in sites:
            site.reason = site.reason or str(reason)
        return
    file.use("typing", "Any")
    file.definitions[NAME] = f"{NAME}: dict[str, Any] = {{}}  # app.config: the values Flask's config held"
    if loads:
        file.use("json", "loads")
        file.use("os", "environ")
        file.definitions[LOADER] = LOAD_PREFIXED_ENV
    for site, node, text in plans:
        file.replace(node, text)
        site.handled = True
    if any(key in SESSION_KEYS for key in written):
        file.memo[SESSION_SETTINGS] = True


def _plan(file: PortedFile, site: Site, app: str, loads: list[bool], written: set[str]) -> tuple[SgNode, str]:
    """The node a config site rewrites and its new text (`written`: gets Flask's session keys it writes)."""
    node = site.node
    config = _config_object(node)
    if config is None or config.field("object").text() not in (app, "current_app"):  # type: ignore[union-attr]
        raise NotPortable("not the config of this module's app")
    parent = config.parent()
    if parent is not None and parent.kind() == "subscript" and parent.field("value") == config:
        assigned = parent.parent() is not None and parent.parent().kind() == "assignment" and \
            parent.parent().field("left") == parent  # type: ignore[union-attr]
        _key(parent.field("subscript"), written if assigned else None)
        return parent, f"{NAME}[{parent.field('subscript').text()}]"  # type: ignore[union-attr]
    method = parent.field("attribute").text() if parent is not None and parent.kind() == "attribute" else ""  # type: ignore[union-attr]
    call = call_of(parent) if parent is not None else None
    if call is None:
        raise NotPortable(f"app.config is used as {node.text()[:40]}")
    positional, keywords = arguments(call)
    if method == "get" and not keywords and 1 <= len(positional) <= 2:
        key = _key(positional[0])
        if key in FLASK_KEYS:
            raise NotPortable(f"{key} is Flask's own key, which it has a default for")
        return call, f"{NAME}.get({', '.join(p.text() for p in positional)})"
    if method in ("update", "from_mapping") and not positional:
        for name in keywords:
            _key_allowed(name, written)
        return call, f"{NAME}.update({', '.join(f'{k}={v.text()}' for k, v in keywords.items())})"
    if method == "from_object" and len(positional) == 1 and not keywords:
        _class_keys(file, positional[0])
        cls = positional[0].text()
        return call, f"{NAME}.update({{key: getattr({cls}, key) for key in dir({cls}) if key.isupper()}})"
    if method == "from_prefixed_env" and len(positional) == 1 and not keywords and \
            isinstance(_literal(positional[0]), str):
        loads.append(True)
        return call, f"{LOADER}({NAME}, {positional[0].text()})"
    raise NotPortable(f"app.config.{method}(...) with these arguments is not ported")


def _config_object(node: SgNode) -> SgNode | None:
    """The `X.config` attribute in the site."""
    for candidate in [node, *node.find_all(kind="attribute")]:
        if candidate.kind() == "attribute" and candidate.field("attribute").text() == "config":  # type: ignore[union-attr]
            return candidate
    return None


def _literal(node: SgNode | None) -> object:
    try:
        return literal(node) if node is not None else None
    except ValueError:
        return None


def _key(node: SgNode | None, written: set[str] | None = None) -> str:
    key = _literal(node)
    if not isinstance(key, str):
        raise NotPortable("the config key is not a literal string")
    _key_allowed(key, written)
    return key


def _key_allowed(key: str, written: set[str] | None = None) -> None:
    """NotPortable for Flask's own keys, except the session's where they are written (`written` gets them)."""
    if written is not None and key in SESSION_KEYS:
        written.add(key)
        return
    if key in FLASK_KEYS:
        raise NotPortable(f"{key} is Flask's own key: Flask answers requests differently for it")


def _class_keys(file: PortedFile, argument: SgNode) -> None:
    """NotPortable unless `argument` names a class of this module without bases whose upper-case names are
    plain assignments in its body, none of them Flask's keys."""
    name = argument.text()
    for statement in file.root.children():
        if statement.kind() == "class_definition" and statement.field("name").text() == name:  # type: ignore[union-attr]
            bases = statement.field("superclasses")
            if bases is not None and bases.text() not in ("()", "(object)"):
                raise NotPortable(f"{name} has base classes, whose names from_object also reads")
            body = statement.field("body")
            for child in body.named_children() if body is not None else []:
                assignment = child.named_children()[0] if child.kind() == "expression_statement" else None
                if assignment is not None and assignment.kind() == "assignment":
                    target = assignment.field("left").text()  # type: ignore[union-attr]
                    if target.isupper():
                        _key_allowed(target)
                elif child.kind() not in ("comment", "string", "expression_statement"):
                    raise NotPortable(f"{name}'s body has more than assignments")
            return
    raise NotPortable(f"from_object({name}): not a class of this module")


def _only_these(file: PortedFile, app: str, rewritten: list[SgNode]) -> None:
    """NotPortable when `app.config` / `current_app.config` appears anywhere but in the sites rewritten."""
    spans = [(n.range().start.index, n.range().end.index) for n in rewritten]
    for node in file.root.find_all(kind="attribute"):
        if node.field("attribute").text() != "config" or \
                node.field("object").text() not in (app, "current_app"):  # type: ignore[union-attr]
            continue
        start, end = node.range().start.index, node.range().end.index
        if not any(a <= start and end <= b for a, b in spans):
            line = node.range().start.line + 1
            raise NotPortable(f"{node.text()} is used otherwise at line {line}")



# what main.py and the ported tests' `ported_app` write after `app = FastAPI()` when a ported module reads the Flask
# app's config (`flask_app`: the Flask app they compose)
STATE = "request.app.state.config"
_IMPORT_FLASK = re.compile(r"^import flask\s*$", re.MULTILINE)  # `flask.current_app.config`
STATE_USED = ("config: read from app.state", 0)  # file.memo key: True when the module reads STATE


def state_line(flask_app: str, indent: str = "") -> str:
    return f"{indent}app.state.config = {flask_app}.config  # current_app.config for the ported views: the Flask app's"


def port_config_reads(file: PortedFile, sites: list[Site], contexts: dict[int, SgNode]) -> None:
    """`current_app.config` in a ported view of a module without an app -> `request.app.state.config`: the
    Flask app's own config, which main.py puts there (the app stays Flask and keeps its config). Each view all
    or nothing, as its `request` parameter goes in for all of them."""
    by_function: dict[int, list[Site]] = {}
    for site in sites:
        function = enclosing_function(site.node)
        by_function.setdefault(span(function)[0] if function is not None else -1, []).append(site)
    for start, found in by_function.items():
        try:
            if start not in contexts:
                raise NotPortable("outside a ported view function: current_app.config is the config of the app "
                                  "handling the request")
            function = contexts[start]
            plans = []
            for site in found:
                config = _config_object(site.node)
                owner = config.field("object").text() if config is not None else ""  # type: ignore[union-attr]
                if owner == "current_app" and file.bound.get("current_app") != "flask" or \
                        owner == "flask.current_app" and not _IMPORT_FLASK.search(file.text):
                    raise NotPortable("current_app here is not Flask's")
                if config is None or owner not in ("current_app", "flask.current_app"):
                    raise NotPortable("not current_app.config")
                plans.append((site, config))
            parameters = function.field("parameters")
            if "request" not in file.signature(function).added and parameters is not None and \
                    any(p.text() == "request" for p in parameters.find_all(kind="identifier")):
                raise NotPortable("the view already has a parameter named request")
            request_uses_only(file, function, found)  # Flask's `request` elsewhere in it would become Starlette's
            file.use("fastapi", "Request")  # NotPortable when the module binds Request to another class
        except NotPortable as reason:
            for site in found:
                site.reason = site.reason or str(reason)
            continue
        for site, config in plans:
            file.replace(config, STATE)
            site.handled = True
        file.signature(function).added["request"] = "request: Request"
        file.memo[STATE_USED] = True
