"""Request-wide Flask extensions given the app: their Starlette counterpart where it answers the same, else why not.

Flask-CORS -> CORSMiddleware and Flask-Compress -> GZipMiddleware below; Flask-Talisman -> a middleware written
into the module (talisman.py); the library-style extensions, whose object works without Flask, are libraries.py's.
An app given to an extension with no faithful counterpart (NO_COUNTERPART: Flask-Mail, Flask-Executor, ...) stays
Flask, and the port's note says why, from the extension's source.

`CORS(app, ...)` -> `app.add_middleware(CORSMiddleware, ...)` with Flask-CORS's options, as it computes them
(flask_cors/core.py, 6.0): its defaults, then the `CORS_*` config keys the module sets before the call, then
the call's keywords. Each becomes the keyword that makes CORSMiddleware send the same header on a request
with an `Origin`:
- origins: `*` (the default) -> `allow_origin_regex=".*"`: Flask-CORS echoes the request's origin (not `*`,
  unless `send_wildcard=True`, then `allow_origins=["*"]`) and adds `Vary: Origin`, as Starlette does for a
  regex; a list of literal origins -> `allow_origins=[...]`. Origins that look like regular expressions are
  left: Flask-CORS matches them from the start and without case, Starlette whole and with case;
- methods -> `allow_methods=[...]`, sorted and upper-cased as Flask-CORS joins them (the default is its seven
  methods, so `Access-Control-Allow-Methods` reads the same; Starlette's `*` adds QUERY);
- supports_credentials -> `allow_credentials`; expose_headers -> `expose_headers`, sorted as Flask-CORS joins
  them; max_age (seconds) -> `max_age`; allow_headers `*` (the default) -> `allow_headers=["*"]`;
- resources: one pattern that matches every path (`{r"/*": {...}}`, Flask-CORS matches from the start) gives
  its options, over the call's, as Flask-CORS merges them.
Other options (resources limited to some paths, a list of allowed headers, always_send, vary_header,
intercept_exceptions, automatic_options, allow_private_network) change answers CORSMiddleware has no keyword
for, and keys set otherwise than `app.config["CORS_X"] = literal` before the call cannot be read: those stay
Flask-CORS.

What still differs, said in a TODO at the call (browsers treat both alike, so only non-browser clients see
it): Flask-CORS sends `Access-Control-Allow-Origin` on responses to requests without an Origin header too
(`*`, or the first configured origin), and matches origins without case (browsers send them in lower case);
a preflight from an origin or for a method not allowed is answered 400 by CORSMiddleware, where Flask
answered 200 without the CORS headers; preflights get `Access-Control-Max-Age: 600` unless max_age was set,
no Expose-Headers, the requested headers echoed as sent (Flask-CORS sorts them) and a longer `Vary`;
Starlette adds `Vary: Origin` to every response where Flask-CORS did only for several origins or a pattern,
and sends Allow-Credentials and Expose-Headers to an origin it does not allow (without Allow-Origin, which
browsers refuse the answer for). tests/test_port_extensions.py sees each of these.
A `CORS(app, ...)` of the app factory's body stays Flask's (each app the factory makes is configured apart); while the
app stays Flask, main.py runs that app's own Flask-CORS on FastAPI's routes instead (cors_front.py).
"""
from __future__ import annotations

import ast
import re

from ..rules.ext_followed import CORS_CONFIG
from ..rules.ext_objects import EXTENSION_OBJECT
from ..scopes import span
from . import codes, cors_front, in_front, talisman
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import arguments, call_of

CONFIG_KEYS = CORS_CONFIG.code
OBJECT = EXTENSION_OBJECT.code
# The request-wide extensions given the app whose counterpart this port writes, by the name that makes them
REQUEST_WIDE = {"CORS": "Flask-CORS", "Compress": "Flask-Compress", "Talisman": "Flask-Talisman"}

# Flask-CORS's defaults (flask_cors/core.py DEFAULT_OPTIONS), by option name
_DEFAULTS: dict[str, object] = {
    "origins": "*", "methods": ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"], "allow_headers": "*",
    "expose_headers": None, "supports_credentials": False, "max_age": None, "send_wildcard": False,
    "automatic_options": True, "vary_header": True, "resources": r"/*", "intercept_exceptions": True,
    "always_send": True, "allow_private_network": False}
# Characters by which Flask-CORS takes an origin or header for a regular expression (core._REGEX_HINT_CHARS)
_REGEX_HINTS = frozenset("*\\]?$^[]()")
CORS_DIFFERS = ("Differs from Flask-CORS only where browsers treat both alike: Flask-CORS also sent "
                "Access-Control-Allow-Origin to requests without an Origin header and matched origins without case; "
                "CORSMiddleware answers 400 a preflight from an origin or for a method not allowed (Flask: 200 "
                "without CORS headers) and adds Access-Control-Max-Age: 600 unless max_age is set (the other "
                "differences are in port/extensions.py).")


def made_by(site: Site):  # type: ignore[no-untyped-def]
    """The call of an extension's finding: `CORS(app)`, also as `cors = CORS(app)` (None when there is none)."""
    node = site.node
    if node.kind() == "expression_statement" and node.named_children():  # the call is the whole statement
        node = node.named_children()[0]
    if node.kind() == "assignment":
        node = node.field("right")
    return node if node is not None and node.kind() == "call" else call_of(node) if node is not None else None


def replaced(file: PortedFile, call, what: str):  # type: ignore[no-untyped-def]
    """What a middleware's line replaces: the call, a module-level statement of its own, or the statement
    `name = call` where the module uses the name nowhere else (the object is then nobody's); NotPortable
    otherwise (an object kept may decorate views: `@talisman(...)`, `@compress.compressed()`)."""
    parent = call.parent()
    statement = parent.parent() if parent is not None and parent.kind() == "assignment" else parent
    if statement is None or statement.kind() != "expression_statement" or statement.parent() is None or \
            statement.parent().kind() != "module":
        raise NotPortable(f"{what}(app) is ported where it is a module-level statement")
    if parent.kind() != "assignment":  # type: ignore[union-attr]
        return call
    left = parent.field("left")  # type: ignore[union-attr]
    uses = [node for node in file.root.find_all(kind="identifier") if node.text() == left.text()] \
        if left is not None and left.kind() == "identifier" else []
    if len(uses) != 1:
        raise NotPortable(f"the {what} object is kept and used (it may give views their own options)")
    return parent


def port_cors(file: PortedFile, site: Site, apps: set[str]) -> None:
    call = made_by(site)
    if call is None:
        raise NotPortable("not a call of CORS")
    statement = call.parent().parent() if call.parent() is not None and call.parent().kind() == "assignment" \
        else call.parent()  # type: ignore[union-attr]
    if statement is not None and statement.kind() == "expression_statement" and enclosing_function(call) is not None \
            and (call.field("function").text() == "CORS" and file.bound.get("CORS") == "flask_cors"  # type: ignore[union-attr]
                 or cors_front.init_app_of_import(file, call)):
        cors_front.carry(file, site, call, statement)  # in the app factory: main.py runs the Flask app's own
        raise NotPortable(cors_front.WHOLE_APP)
    target = replaced(file, call, "CORS")
    if call.field("function").text() != "CORS" or file.bound.get("CORS") != "flask_cors":  # type: ignore[union-attr]
        raise NotPortable("not Flask-CORS's CORS(app, ...)")
    positional, keywords = arguments(call)
    if len(positional) != 1 or positional[0].kind() != "identifier" or positional[0].text() not in apps:
        raise NotPortable("CORS() not given this module's app")
    app = positional[0].text()
    options = dict(_DEFAULTS)
    keys = {name.removeprefix("CORS_").lower(): value for name, value in _config_keys(file, app, call, "CORS_").items()}
    options.update(keys)
    for name, value in keywords.items():
        options[name] = literal_value(value, f"{name}=")
    options.update(_every_path(options.pop("resources")))
    options["resources"] = _DEFAULTS["resources"]
    keywords_text = _middleware_keywords(options)
    file.use("fastapi.middleware.cors", "CORSMiddleware")
    text = f"{app}.add_middleware(CORSMiddleware, {', '.join(keywords_text)})"
    if len(text) > 100:  # one keyword a line, as people write it
        text = f"{app}.add_middleware(\n    CORSMiddleware,\n" + "".join(f"    {k},\n" for k in keywords_text) + ")"
    file.replace(target, text)
    in_front.record(file, target, "Flask-CORS", "CORSMiddleware", keywords_text, {"fastapi.middleware.cors": {"CORSMiddleware"}},
                    module="flask_cors")
    file.todo(site, CORS_DIFFERS)
    site.handled = True
    for other in file.sites_of(codes.CORS_IMPORT):  # the import goes with the name (imports.py)
        if other.node.kind() in ("import_from_statement", "import_statement") or "import" in other.node.text():
            other.handled = True
    for other in file.sites_of(CONFIG_KEYS):  # the keys it read are in the middleware's keywords now
        if other.node.text().strip("'\"") in {f"CORS_{key.upper()}" for key in keys}:
            other.handled = True


def literal_value(node, what: str) -> object:  # type: ignore[no-untyped-def]
    """The value of a literal (a string, number, list, dict...), as the extension receives it; NotPortable for
    anything else, or a literal Python refuses to evaluate (too deep, too large)."""
    try:
        return ast.literal_eval(node.text()) if node is not None else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise NotPortable(f"{what} is not a literal the port can read") from None


def _config_keys(file: PortedFile, app: str, call, prefix: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The config keys starting with `prefix` the module sets before `call` (an extension reads the config when
    it is given the app), by name; NotPortable when one is set, or may be set, otherwise."""
    if any(loader in file.text for loader in ("from_prefixed_env", "from_envvar", "from_pyfile", "from_file",
                                              "from_object")):
        raise NotPortable(f"the config is loaded from elsewhere, where {prefix}* keys may be set")
    pattern = re.compile(re.escape(prefix) + r"[A-Z_]+")
    keys: dict[str, object] = {}
    seen = 0
    for node in file.root.find_all(kind="assignment"):
        left = node.field("left")
        if left is None or left.kind() != "subscript" or left.field("value").text() != f"{app}.config":  # type: ignore[union-attr]
            continue
        key = left.field("subscript")
        name = key.text().strip("'\"") if key is not None and key.kind() == "string" else ""
        if not pattern.fullmatch(name):
            continue
        if span(node)[0] > span(call)[0] or node.parent() is None or node.parent().parent() is None or \
                node.parent().parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"{name} is set after {call.field('function').text()}(app) or not at the top of the module")
        keys[name] = literal_value(node.field("right"), name)
        seen += 1
    if len(pattern.findall(file.text)) != seen:
        raise NotPortable(f"a {prefix}* key is named otherwise than `app.config[\"{prefix}...\"] = literal`")
    return keys


# Resource patterns Flask-CORS matches every path with (`re.match` from the start: `/*` matches an empty prefix)
_EVERY_PATH = frozenset({"*", "/*", ".*", "/.*"})


def _every_path(resources: object) -> dict[str, object]:
    """The options `resources=` gives every path, when its one pattern matches every path (`{r"/*": {...}}`, the
    default); NotPortable when it limits CORS to some paths, which CORSMiddleware cannot."""
    if isinstance(resources, str):
        resources = [resources]
    if isinstance(resources, (list, tuple)) and len(resources) == 1 and resources[0] in _EVERY_PATH:
        return {}
    if isinstance(resources, dict) and len(resources) == 1:
        pattern, options = next(iter(resources.items()))
        if pattern in _EVERY_PATH and isinstance(options, dict) and all(isinstance(k, str) for k in options):
            return options
    raise NotPortable("resources limits Flask-CORS to some paths, or gives them their own options: CORSMiddleware "
                      "answers every path alike")


def _strings(value: object, what: str) -> list[str]:
    """A string or a list of strings, as Flask-CORS takes them (ensure_iterable)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple, set)) or not all(isinstance(item, str) for item in items) or not items:
        raise NotPortable(f"{what} is not a string or a list of strings")
    return list(items)


def _middleware_keywords(options: dict[str, object]) -> list[str]:
    """CORSMiddleware's keywords for Flask-CORS's options (the module docstring says why each)."""
    for name in ("resources", "automatic_options", "vary_header", "intercept_exceptions", "always_send",
                 "allow_private_network"):
        if options[name] != _DEFAULTS[name]:
            raise NotPortable(f"{name} has no CORSMiddleware keyword")
    unknown = sorted(set(options) - set(_DEFAULTS))
    if unknown:
        raise NotPortable(f"{', '.join(unknown)} is no Flask-CORS option")
    out: list[str] = []
    origins = _strings(options["origins"], "origins")
    credentials = options["supports_credentials"]
    if not isinstance(credentials, bool) or not isinstance(options["send_wildcard"], bool):
        raise NotPortable("supports_credentials or send_wildcard is not True or False")
    if "*" in origins or ".*" in origins:
        if len(origins) != 1:
            raise NotPortable("origins mixes * with others")
        if options["send_wildcard"] and credentials:
            raise NotPortable("Flask-CORS refuses send_wildcard with supports_credentials")
        out.append('allow_origins=["*"]' if options["send_wildcard"] else 'allow_origin_regex=".*"')
    elif any(set(origin) & _REGEX_HINTS for origin in origins):
        raise NotPortable("origins looking like regular expressions are matched otherwise by Flask-CORS (from the "
                          "start, without case) than by Starlette")
    else:
        out.append(f"allow_origins={_list(origins)}")
    methods = sorted({method.upper() for method in _strings(options["methods"], "methods")})
    out.append(f"allow_methods={_list(methods)}")
    if _strings(options["allow_headers"], "allow_headers") not in (["*"], [".*"]):
        raise NotPortable("a list of allowed headers: Flask-CORS leaves out the others, Starlette refuses the preflight")
    out.append('allow_headers=["*"]')
    if credentials:
        out.append("allow_credentials=True")
    if options["expose_headers"] is not None:
        exposed = _strings(options["expose_headers"], "expose_headers")
        out.append(f"expose_headers={_list(exposed if isinstance(options['expose_headers'], str) else sorted(exposed))}")
    if options["max_age"] is not None:
        if not isinstance(options["max_age"], int) or isinstance(options["max_age"], bool):
            raise NotPortable("max_age is not a number of seconds")
        out.append(f"max_age={options['max_age']}")
    return out


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' if '"' not in item and "\\" not in item else repr(item) for item in items) + "]"


# Flask-Compress 1.x: `Compress(app)` -> GZipMiddleware with its threshold and gzip level (COMPRESS_MIN_SIZE 500,
# COMPRESS_LEVEL 6, or the literal keys the module sets before the call), where both answer a request that accepts
# gzip, or no compression, with the same status, Content-Encoding and Vary (the gzip-compression proof). The keys of
# its other choices (algorithms, mimetypes, streams, caching, conditional requests) have no GZipMiddleware keyword.
COMPRESS_KEYS = {"COMPRESS_MIN_SIZE": "minimum_size", "COMPRESS_LEVEL": "compresslevel"}
COMPRESS_DEFAULTS = {"COMPRESS_MIN_SIZE": 500, "COMPRESS_LEVEL": 6}
COMPRESS_DIFFERS = ("Differs from Flask-Compress where clients decode both alike: it chose zstd, then br, when the "
                    "client offered them (browsers do), GZipMiddleware always gzip; it compresses answers of any "
                    "status and most types (Flask-Compress: 2xx text, JSON, JS, XML, SVG, fonts) and streams (Flask-"
                    "Compress: not with gzip), sends no Vary: Accept-Encoding under minimum_size, honours no q=0 "
                    "for gzip and leaves ETags and conditional requests alone.")


def port_middlewares(file: PortedFile, apps: set[str]) -> None:
    """Each extension made with the app whose counterpart is a middleware (Flask-Compress, Flask-Talisman) ->
    `app.add_middleware(...)`, or its TODO says why not."""
    templates = bool(file.sites_of(codes.TEMPLATE))
    ported = {("Compress", "flask_compress"): lambda site, call: _compress(file, site, call, apps),
              ("Talisman", "flask_talisman"): lambda site, call: talisman.port_talisman(file, site, apps, templates)}
    for site in file.sites_of(OBJECT):
        call = made_by(site)
        name = call.field("function").text() if call is not None else ""  # type: ignore[union-attr]
        action = ported.get((name, file.bound.get(name, "")))
        if action is None:
            continue
        try:
            action(site, call)
        except NotPortable as reason:
            site.reason = site.reason or str(reason)
            file.todo(site, f"{site.advice} (not ported: {reason})")


def _compress(file: PortedFile, site: Site, call, apps: set[str]) -> None:  # type: ignore[no-untyped-def]
    target = replaced(file, call, "Compress")
    positional, keywords = arguments(call)
    if len(positional) != 1 or keywords or positional[0].kind() != "identifier" or positional[0].text() not in apps:
        raise NotPortable("Compress() not given this module's app alone")
    app = positional[0].text()
    values = dict(COMPRESS_DEFAULTS)
    for name, value in _config_keys(file, app, call, "COMPRESS_").items():
        if name not in COMPRESS_KEYS:
            raise NotPortable(f"{name} has no GZipMiddleware keyword")
        if not isinstance(value, int) or isinstance(value, bool):
            raise NotPortable(f"{name} is not a number")
        values[name] = value
    if not 1 <= values["COMPRESS_LEVEL"] <= 9:
        raise NotPortable("COMPRESS_LEVEL is not a gzip level GZipMiddleware takes")
    file.use("fastapi.middleware.gzip", "GZipMiddleware")
    keywords = [f"{COMPRESS_KEYS[name]}={value}" for name, value in values.items()]
    file.replace(target, f"{app}.add_middleware(GZipMiddleware, {', '.join(keywords)})")
    in_front.record(file, target, "Flask-Compress", "GZipMiddleware", keywords, {"fastapi.middleware.gzip": {"GZipMiddleware"}},
                    module="flask_compress")
    file.todo(site, COMPRESS_DIFFERS)
    site.handled = True
    for other in file.sites:
        if other.node.kind() == "import_from_statement" and other.node.field("module_name").text() == "flask_compress":  # type: ignore[union-attr]
            other.handled = True
            if other.node.text().split(" import ", 1)[1].strip() == "Compress":  # the name goes: its import too
                file.delete_statement(other.node)


# Extensions given the app that have no faithful FastAPI counterpart: the app stays Flask, and the note says why
# (each from the extension's source).
NO_COUNTERPART = {
    "flask_mail": "Flask-Mail's Message() and send() read current_app, an app context FastAPI does not push",
    "flask_executor": "Flask-Executor's submit() wraps the function in copy_current_request_context, which needs "
                      "Flask's request context",
    "flask_babel": "Flask-Babel keeps the locale in Flask's g and calls the selector there; its gettext and "
                   "formatters need Flask's app context",
    "flask_wtf": "CSRFProtect checks a token from Flask's session in a before_request hook on every unsafe method",
    "flasgger": "Flasgger serves its own spec and UI routes (/apispec_1.json, /apidocs/) built from the Flask "
                "views; FastAPI's OpenAPI is another document on other paths",
    "prometheus_flask_exporter": "PrometheusMetrics adds /metrics and request hooks with its own metric names; "
                                 "the FastAPI instrumentators name and label theirs otherwise",
    "flask_session": "Flask-Session keeps the session server-side under its own cookie and serializer, which "
                     "the session bridge (Flask's signed cookie) does not read",
    "flask_socketio": "Flask-SocketIO serves Socket.IO around the WSGI app; python-socketio's ASGI app needs "
                      "its event handlers moved",
    "flask_uploads": "configure_uploads registers a Blueprint serving the uploaded files, and UploadSet.save "
                     "takes Werkzeug's FileStorage, not an UploadFile",
    "flask_injector": "FlaskInjector wraps every view and hook of the Flask app to inject their arguments, with "
                      "a request scope of Flask's",
}


def explain_no_counterpart(file: PortedFile, apps: set[str]) -> None:
    """The app made here stays Flask when it is given to one of these extensions: say why in the note (units.py
    reports the first reason a unit stays) and at the extension's own finding, if it has one."""
    made: dict[str, str] = {}  # `mail = Mail()`: name -> the extension's module, for `mail.init_app(app)`
    for statement in file.root.children():
        node = statement.named_children()[0] if statement.kind() == "expression_statement" and \
            statement.named_children() else statement
        call = node.field("right") if node.kind() == "assignment" else node
        if call is None or call.kind() != "call":
            continue
        function = call.field("function")
        if function.kind() == "identifier":  # type: ignore[union-attr]
            module = file.bound.get(function.text(), "").split(".")[0]  # type: ignore[union-attr]
            if module in NO_COUNTERPART and node.kind() == "assignment" and node.field("left").kind() == "identifier":  # type: ignore[union-attr]
                made[node.field("left").text()] = module  # type: ignore[union-attr]
        elif function.kind() == "attribute" and function.field("attribute").text() == "init_app":  # type: ignore[union-attr]
            module = made.get(function.field("object").text(), "")  # type: ignore[union-attr]
        else:
            continue
        if module not in NO_COUNTERPART:
            continue
        if module == "flask_injector" and file.memo.get(("injector bridge", 0)):  # carried over: port/injector.py
            continue
        given = [arg for arg in call.field("arguments").named_children()  # type: ignore[union-attr]
                 if (arg.kind() == "identifier" and arg.text() in apps) or
                 (arg.kind() == "keyword_argument" and arg.field("value").text() in apps)]  # type: ignore[union-attr]
        if not given:
            continue
        why = NO_COUNTERPART[module]
        line = call.range().start.line + 1
        file.blocked.setdefault("app", f"{function.text()}(app) at {file.path}:{line} has no faithful "  # type: ignore[union-attr]
                                       f"FastAPI counterpart: {why}")
        for site in file.sites_in(call, OBJECT):
            if not site.handled:
                site.reason = site.reason or f"no faithful FastAPI counterpart: {why}"
                file.todo(site, f"{site.advice} (not ported: {site.reason})")
