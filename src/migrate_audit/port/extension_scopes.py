"""App-level extensions that answer only some URLs: a view moved to FastAPI on its own (split.py) whose URL is none
of them answers as Flask did, whatever the extension does to the others.

split.py keeps every view with Flask while an extension given the app may change how any request is answered. Read
in their source, these change only requests of URLs of their own, so a view moves when its URL rule (with its
Blueprint's prefix, as split.py reads it) can match none of them, and stays with the reason otherwise:
- Flask-CORS 6.0 (`CORS(app, resources=...)`): its `after_request` (and the `handle_exception` wrappers of
  `intercept_exceptions`) add headers only where `unquote(request.path)` matches one of the resource patterns: a
  pattern with a regular-expression character (`*\\]?$^[]()`, its `probably_regex`) by `re.match`, with case, any
  other by equality (flask_cors/extension.py `make_after_request_function`, core.py `try_match_pattern`; Flask-CORS
  4, which the sample app pins, matched `unquote_plus(request.path)` without case: the check is without case). The
  patterns must be a literal in the call: without `resources=` they come from `CORS_RESOURCES` or the default `/*`
  (every path), which the port cannot read in config loaded from elsewhere. Where main.py runs the Flask app's own
  Flask-CORS on FastAPI's routes (a `CORS(app, ...)` of the app factory: cors_front.py), it keeps no view. Given a
  Blueprint (`CORS(bp)`), its after_request is the Blueprint's, which Flask runs for that Blueprint's endpoints alone,
  all under its URL prefix (where it is registered once), and it wraps no exception handler;
- Flask-Admin 2.x (`Admin(...)`, `admin.add_view(...)`, `admin.init_app(app)`): init_app registers one Blueprint per
  view (`app.register_blueprint(view.create_blueprint(admin))`), its URL prefix `admin.url + "/" + endpoint` unless
  the view is given a `url` of its own (BaseView._get_view_url); its URL defaults and value preprocessor are the
  Blueprint's (blueprints.py), and it adds no hook to the app. So everything it answers is under the Admin's URL
  (`url=`, default `/admin`), while no view is given a `url=`, no Admin is made with `index_view=`, `subdomain=`,
  `host=` or the root URL, and no project class in a view's bases redefines `__init__`, `url`, `_get_view_url` or
  `create_blueprint`;
- Flask-RESTX 1.3 (`Api(bp)` on a Blueprint): its routes, docs and specs are the Blueprint's (under its registered
  prefix), plus the Swagger UI's static files, whose Blueprint (`restx_doc`, `/swaggerui`) it registers on the app
  (api.py `_register_apidoc`); its `error_router`, which it puts around the app's `handle_exception` and
  `handle_user_exception`, answers an error with its own handler only on its own endpoints (`_has_fr_route`: the
  request's rule is one of them, or a 405 whose other methods are, or a 404 with `catch_all_404s`, which a moved
  view's URL, matching a route, never is in Flask) and hands every other to Flask's.

Flask-Login 0.6's `init_app` adds a template context processor and `_update_remember_cookie`, an `after_request`
that sets or clears the remember cookie where the session holds `_remember` (which `login_user`/`logout_user` put
there and it pops in the same request) or REMEMBER_COOKIE_REFRESH_EACH_REQUEST is set (split.RISKY_KEYS), and which
tests `"_remember" in session` on every request: Flask 3.1.3 counts any use of its `session` proxy as an access, so
every answer of an app with a secret key gets `Vary: Cookie`. main.py runs that hook for FastAPI's routes where it
hands the login bridge the Flask app's own manager (port/login.py, `LoginContextMiddleware`, over the session
bridge, which counts accesses as Flask does): only then do views move (`LOGIN`), else the note says why.

And these change no answer of a view that does not use them: Flask-Migrate's init_app stores its config and adds
CLI commands; Flask-Marshmallow's stores itself and gives its SQLAlchemy schemas Flask-SQLAlchemy's session.
tests/test_port_extension_scopes.py checks each against the extension itself, side by side with main.py.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ast_grep_py import SgNode

from ..ecosystem import EXTENSIONS
from ..rules.ext_objects import EXTENSION_OBJECT
from . import cors_front
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .extensions import literal_value
from .routes import BlueprintInfo, arguments

OBJECT = EXTENSION_OBJECT.code
# The findings of each extension by rule name (besides FMA389, which names its extension in its advice)
RULES = {"cors-extension": "Flask-CORS", "flask-cors-options": "Flask-CORS", "flask-cors-config-keys": "Flask-CORS",
         "admin-extension": "Flask-Admin", "flask-admin-model-view": "Flask-Admin",
         "flask-admin-no-equivalent": "Flask-Admin", "flask-admin-view-registration": "Flask-Admin",
         "restx-extension": "Flask-RESTX", "login-extension": "Flask-Login"}
_BY_ADVICE = {ext.counterpart: ext.distribution for ext in EXTENSIONS}
# Extensions that change no answer of a view not using them (module docstring)
HARMLESS = frozenset({"Flask-Migrate", "Flask-Marshmallow"})
# Flask-SQLAlchemy's `db.init_app(app)` as a statement of its own in the app factory: its init_app adds a teardown
# removing the session and a shell context processor (flask_sqlalchemy.harmless judges it as a call); its other uses,
# and a module-level one (whose module's views then move: tests/test_port_flask_sqlalchemy.py sees them answer
# otherwise), are judged where they are
_INIT_APP = re.compile(r"\w+\.init_app\(\s*\w+\s*\)")
LOGIN = "Flask-Login"
CORS_CARRIED = "main.py runs the Flask app's own Flask-CORS on FastAPI's routes (port/cors_front.py)"
LOGIN_NOT_CARRIED = ("Flask-Login's after_request reads Flask's session on every request, which Flask 3.1.3 answers "
                     "with Vary: Cookie, and main.py runs it for FastAPI's routes only through the login bridge, given "
                     "a LoginManager the app factory gives the app (port/login.py)")
# Flask-CORS's characters of a regular expression (flask_cors/core.py _REGEX_HINT_CHARS)
_REGEX_HINTS = frozenset("*\\]?$^[]()")
_META = frozenset(".^$*+?{}[]\\|()")
# Admin(...) keywords that leave every URL under the Admin's own (app, name, url are read apart)
_ADMIN_KEYWORDS = frozenset({"name", "url", "app", "translations_path", "endpoint", "static_url_path", "theme",
                             "category_icon_classes", "csp_nonce_generator", "template_mode", "base_template"})
_ADMIN_VIEWS = {("flask_admin.contrib.sqla", "ModelView"), ("flask_admin.contrib.sqla.view", "ModelView"),
                ("flask_admin.contrib.fileadmin", "FileAdmin"), ("flask_admin", "BaseView"),
                ("flask_admin.base", "BaseView")}
_VIEW_OVERRIDES = ("__init__", "url", "_get_view_url", "create_blueprint")
Resolver = Callable[[PortedFile, str], "BlueprintInfo | None"]


@dataclass(frozen=True)
class Scope:
    """The URLs an extension answers otherwise: Flask-CORS's resource patterns, or URL prefixes."""

    where: str  # "FMA318 at app.py:6", the first finding of the extension
    what: str
    patterns: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def reaches(self, rule: str) -> bool:
        """Whether a URL matched by the Werkzeug `rule` may be one the extension answers otherwise."""
        return any(cors_may_match(rule, p) for p in self.patterns) or any(under(rule, p) for p in self.prefixes)


@dataclass
class Judged:
    scopes: dict[str, Scope] = field(default_factory=dict)  # distribution -> its URLs
    refused: dict[str, str] = field(default_factory=dict)  # distribution -> why it may change any answer


def distribution(site: Site, name: str) -> str | None:
    """The extension a finding is of, for those judged here."""
    if name in RULES:
        return RULES[name]
    if site.code == OBJECT:
        return _BY_ADVICE.get(site.advice)
    return None


def harmless(site: Site, dist: str | None) -> bool:
    """True for a finding of an extension that changes no answer of a view not using it (HARMLESS)."""
    return dist in HARMLESS or dist == "Flask-SQLAlchemy" and site.code == OBJECT and \
        _INIT_APP.fullmatch(site.node.text()) is not None and enclosing_function(site.node) is not None


def on_a_view(file: PortedFile, site: Site, route_code: str) -> bool:
    """True for an extension's object used in a decorator of a view (`@validate()`): it runs for that view alone,
    whose move split.py judges with its decorators (it stays while one is left to people or kept)."""
    node: SgNode | None = site.node
    while node is not None and node.kind() != "decorator":
        node = node.parent()
    definition = node.parent() if node is not None else None
    return definition is not None and definition.kind() == "decorated_definition" and \
        bool(file.sites_in(definition, route_code))


def judge(files: dict[str, PortedFile], resolve: Resolver, registered: dict[str, list[str]],
          login_carried: bool = False) -> Judged:
    """`login_carried`: main.py hands the login bridge the Flask app's own manager (port/login.py)."""
    judged = Judged()
    if login_carried:
        judged.scopes[LOGIN] = Scope("", "")  # no URL of its own: its hook runs in front of FastAPI's routes too
    else:
        judged.refused[LOGIN] = LOGIN_NOT_CARRIED
    for dist, reader in (("Flask-CORS", _cors), ("Flask-Admin", _admin), ("Flask-RESTX", _restx)):
        try:
            scope = reader(files, resolve, registered)
        except NotPortable as why:
            judged.refused[dist] = str(why)
            continue
        if scope is not None:
            judged.scopes[dist] = scope
    return judged


def _calls(files: dict[str, PortedFile], module: str, name: str) -> list[tuple[PortedFile, SgNode]]:
    """The calls of `name` imported from `module` (or a module under it) in the project's files."""
    found = []
    for _, file in sorted(files.items()):
        if not file.bound.get(name, "").startswith(module):
            continue
        for call in file.root.find_all(kind="call"):
            function = call.field("function")
            if function is not None and function.kind() == "identifier" and function.text() == name:
                found.append((file, call))
    return found


def _where(file: PortedFile, node: SgNode) -> str:
    return f"{file.path}:{node.range().start.line + 1}"


def _object_used_elsewhere(file: PortedFile, call: SgNode, what: str) -> None:
    """NotPortable when `name = call`'s name is used again in the module (`cors.init_app(other, ...)`)."""
    parent = call.parent()
    if parent is not None and parent.kind() == "assignment":
        left = parent.field("left")
        if left is None or left.kind() != "identifier" or \
                sum(n.text() == left.text() for n in file.root.find_all(kind="identifier")) != 1:
            raise NotPortable(f"the {what} object at {_where(file, call)} is used again")
    elif parent is None or parent.kind() != "expression_statement":
        raise NotPortable(f"the {what} object at {_where(file, call)} is used again")


# Flask-CORS ------------------------------------------------------------------------------------------------------

def _cors(files: dict[str, PortedFile], resolve: Resolver, registered: dict[str, list[str]]) -> Scope | None:
    calls = _calls(files, "flask_cors", "CORS")
    if not calls and not any(f.bound.get("CORS") == "flask_cors" for f in files.values()):
        return None
    if not calls:
        raise NotPortable("Flask-CORS is given the app otherwise than by CORS(app, resources=...)")
    patterns: list[str] = []
    prefixes: list[str] = []  # of the Blueprints given Flask-CORS
    objects = cors_front.carried_objects(files)  # `name = CORS()` whose `name.init_app(app)` main.py carries
    for file, call in calls:
        if cors_front.carried(file, call):
            continue  # the factory's, which main.py runs for FastAPI's routes too: no URL of its own
        positional, keywords = arguments(call)
        made = call.parent()
        if not positional and made is not None and made.kind() == "assignment" and \
                made.field("left").text() in objects:  # type: ignore[union-attr]
            _object_used_elsewhere(file, call, "CORS")  # (given no app but by the factory's init_app)
            continue
        info = resolve(file, positional[0].text()) if len(positional) == 1 and \
            positional[0].kind() == "identifier" else None
        if info is not None:  # a Blueprint's: its after_request runs for the Blueprint's own endpoints alone, under
            # its URL prefix (and Flask-CORS wraps no exception handler of a Blueprint)
            if len(registered.get(info.unit, [])) != 1:
                raise NotPortable(f"CORS() at {_where(file, call)} is given a Blueprint not registered once: its "
                                  "routes may be anywhere")
            prefix = (registered[info.unit][0] + info.prefix).rstrip("/")
            if not prefix:
                raise NotPortable(f"the Blueprint of CORS() at {_where(file, call)} has no URL prefix")
            _object_used_elsewhere(file, call, "CORS")
            prefixes.append(prefix)
            continue
        if len(positional) != 1 or "resources" not in keywords:
            raise NotPortable(f"CORS() at {_where(file, call)} has no resources= of its own: every path may get "
                              "its headers (the default /*, or CORS_RESOURCES in the config)")
        _object_used_elsewhere(file, call, "CORS")
        node = keywords["resources"]
        if node.kind() == "dictionary":  # the patterns alone: their options change only the answers of their paths
            keys = [literal_value(pair.field("key"), "a pattern of resources=") if pair.kind() == "pair" else None
                    for pair in node.named_children() if pair.kind() != "comment"]
        else:
            resources = literal_value(node, "resources=")
            keys = list(resources) if isinstance(resources, (list, tuple)) else [resources]
        if not keys or not all(isinstance(key, str) for key in keys):
            raise NotPortable(f"resources= at {_where(file, call)} is not a string, a list or a dict of patterns")
        patterns += [".*" if key == "*" else key for key in keys]  # flask_cors.core.re_fix
    file, call = calls[0]
    if not patterns and not prefixes:
        return Scope(_where(file, call), CORS_CARRIED)  # no URL of its own: main.py runs it for FastAPI's routes
    shown = [f"to the paths its resources match ({', '.join(f'r{p!r}' for p in patterns)})"] if patterns else []
    shown += [f"to the answers of the Blueprints under {', '.join(prefixes)}"] if prefixes else []
    return Scope(_where(file, call), f"Flask-CORS adds its headers {' and '.join(shown)}",
                 patterns=tuple(patterns), prefixes=tuple(prefixes))


def cors_may_match(rule: str, pattern: str) -> bool:
    """Whether a path the Werkzeug `rule` matches may be one Flask-CORS's resource `pattern` matches (conservative:
    a rule with variables is compared by the text before its first variable). Without case, as Flask-CORS 4 matched
    paths (`try_match`: IGNORECASE, `lower()`; 6.0 matches with case, which this covers)."""
    if "%" in rule or "+" in rule:
        return True  # Flask-CORS unquotes the path once more (4: unquote_plus)
    rule, pattern = rule.lower(), pattern if _REGEX_HINTS & set(pattern) else pattern.lower()
    static, full = rule.split("<")[0], "<" not in rule
    if not _REGEX_HINTS & set(pattern):
        return pattern == rule if full else pattern.startswith(static)
    if full:
        try:
            return re.match(pattern, rule, flags=re.IGNORECASE) is not None
        except re.error:
            return True
    prefix = _literal_prefix(pattern).lower()
    return static.startswith(prefix) or prefix.startswith(static)


def _literal_prefix(pattern: str) -> str:
    """The text every string `re.match(pattern, ...)` matches starts with ("" where the port cannot tell)."""
    if "|" in pattern:
        return ""
    pattern = pattern.removeprefix("^")
    out = []
    for char in pattern:
        if char in _META:
            if char in "*?{" and out:
                out.pop()  # the character before may be repeated zero times
            break
        out.append(char)
    return "".join(out)


def under(rule: str, prefix: str) -> bool:
    """Whether a path the Werkzeug `rule` matches may start with the URL prefix (`/admin`: `/admin`, `/admin/x`)."""
    static = rule.split("<")[0]
    if "<" not in rule:
        return rule == prefix or rule.startswith(prefix.rstrip("/") + "/")
    if static.startswith(prefix):  # `/partner-info/<n>` is not under `/partner`; `/partner<x>` may be
        rest = static[len(prefix):]
        return rest == "" or rest.startswith("/")
    return prefix.startswith(static)


# Flask-Admin -----------------------------------------------------------------------------------------------------

def _admin(files: dict[str, PortedFile], resolve: Resolver, registered: dict[str, list[str]]) -> Scope | None:
    calls = _calls(files, "flask_admin", "Admin")
    used = [f for f in files.values() if any(m.startswith("flask_admin") for m in f.bound.values())]
    if not calls and not used:
        return None
    if not calls:
        raise NotPortable("the port reads no Admin(...) of Flask-Admin in the project")
    prefixes = []
    for file, call in calls:
        positional, keywords = arguments(call)
        odd = sorted(set(keywords) - _ADMIN_KEYWORDS)
        if len(positional) > 1 or odd:
            raise NotPortable(f"Admin() at {_where(file, call)} is given {', '.join(odd) or 'more than the app'}, "
                              "which may put its views outside its URL")
        url = literal_value(keywords["url"], "url=") if "url" in keywords else "/admin"
        if not isinstance(url, str) or not url.startswith("/") or url.rstrip("/") == "":
            raise NotPortable(f"Admin() at {_where(file, call)} has a URL the port cannot read, or the root")
        prefixes.append(url.rstrip("/"))
    for file in used:
        for node in file.root.find_all(kind="call"):
            function = node.field("function")
            method = function.field("attribute").text() if function is not None and function.kind() == "attribute" \
                else ""  # type: ignore[union-attr]
            if method == "init_app" and "admin" in function.field("object").text().lower():  # type: ignore[union-attr]
                if arguments(node)[1]:
                    raise NotPortable(f"init_app at {_where(file, node)} gives the Admin an index view or URL")
            elif method in ("add_view", "add_views"):
                for view in arguments(node)[0]:
                    _admin_view(file, view)
    file, call = calls[0]
    return Scope(_where(file, call), f"Flask-Admin's views answer under {', '.join(prefixes)}",
                 prefixes=tuple(prefixes))


def _admin_view(file: PortedFile, view: SgNode) -> None:
    """NotPortable unless `view` is `Cls(...)`, a Flask-Admin view given no URL of its own."""
    if view.kind() != "call" or view.field("function").kind() != "identifier":  # type: ignore[union-attr]
        raise NotPortable(f"the view added at {_where(file, view)} is not made there by its class")
    positional, keywords = arguments(view)
    if len(positional) > 2 or "url" in keywords:
        raise NotPortable(f"the view at {_where(file, view)} may be given a URL of its own")
    name, seen = view.field("function").text(), set()  # type: ignore[union-attr]
    while (file.bound.get(name, ""), name) not in _ADMIN_VIEWS:
        definition = next((c for c in file.root.children() if c.kind() == "class_definition" and
                           c.field("name").text() == name), None)  # type: ignore[union-attr]
        bases = definition.field("superclasses") if definition is not None else None
        if definition is None or bases is None or name in seen or len(bases.named_children()) != 1:
            raise NotPortable(f"{name} at {_where(file, view)} is no Flask-Admin view class the port reads")
        body = definition.field("body")
        if any(n.text() in _VIEW_OVERRIDES for n in body.children() for n in  # type: ignore[union-attr]
               ([n.field("name")] if n.kind() == "function_definition" else n.find_all(kind="identifier")[:1])
               if n is not None):
            raise NotPortable(f"{name} redefines how its URL is made")
        seen.add(name)
        name = bases.named_children()[0].text()


# Flask-RESTX -----------------------------------------------------------------------------------------------------

def _restx(files: dict[str, PortedFile], resolve: Resolver, registered: dict[str, list[str]]) -> Scope | None:
    calls = _calls(files, "flask_restx", "Api")
    if not calls and not any(m.startswith("flask_restx") for f in files.values() for m in f.bound.values()):
        return None
    if not calls:
        raise NotPortable("the port reads no Api(...) of Flask-RESTX in the project")
    prefixes = {"/swaggerui"}  # the Swagger UI's static files, on the app (restx_doc)
    for file, call in calls:
        positional, keywords = arguments(call)
        given = positional[0] if positional else keywords.get("app")
        info = resolve(file, given.text()) if given is not None and given.kind() == "identifier" else None
        if info is None or len(registered.get(info.unit, [])) != 1:
            raise NotPortable(f"Api() at {_where(file, call)} is not given a Blueprint registered once: its routes "
                              "may be anywhere")
        prefix = (registered[info.unit][0] + info.prefix).rstrip("/")
        if not prefix:
            raise NotPortable(f"the Blueprint of Api() at {_where(file, call)} has no URL prefix")
        prefixes.add(prefix)
    file, call = calls[0]
    return Scope(_where(file, call), f"Flask-RESTX answers under {', '.join(sorted(prefixes))} and routes the "
                                     "errors of its own endpoints", prefixes=tuple(sorted(prefixes)))
