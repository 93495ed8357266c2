"""Flask-JWT-Extended -> the bridge of port/written/flask_jwt_extended_bridge.py, over the app's ported config.

What the port rewrites, in a module that makes `NAME = JWTManager(app)` (FMA389) for its own app, sets
JWT_SECRET_KEY in `app.config` (which port/config.py moves to `settings`) and imports only JWTManager,
create_access_token, create_refresh_token, jwt_required, get_jwt_identity and get_jwt from flask_jwt_extended:
the import goes to the bridge, `JWTManager(app)` becomes `JWTManager(app, config=settings)`, and every name keeps
its meaning: the bridge makes and checks the same tokens with PyJWT (claims, secret, algorithm), so tokens cross
between the Flask and the FastAPI app both ways, and answers the same errors (401 `{"msg": "Missing Authorization
Header"}`, 422 for a refresh token used as an access token...) (tests/test_port_jwt_extended.py checks it against
Flask-JWT-Extended itself). `@jwt_required(...)` (literal optional, fresh, refresh, verify_type) stays on the path
operation (port/decorators.py).

Left to people (each site keeps its TODO, with the reason), for the whole module: other names of
flask_jwt_extended (current_user, verify_jwt_in_request, decode_token, the cookie helpers...), the manager used
other than by its creation (its loaders change what tokens hold and what errors answer), token locations other
than the headers and the JWT_* keys the bridge does not read (JWT_TOKEN_LOCATION, cookies, JSON, query string,
blocklist...), a config the module does not port (or loads from the environment), and no JWT_SECRET_KEY of its
own (Flask-JWT-Extended would fall back to Flask's SECRET_KEY).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_auth import JWT
from ..rules.ext_objects import EXTENSION_OBJECT
from . import decorators, session
from .config import NAME as SETTINGS
from .edits import NotPortable, PortedFile, Site, literal
from .imports import from_import
from .routes import arguments
from ..scopes import span

MODULE = "flask_jwt_extended_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("jwt bridge", 0)  # file.memo key: True when the ported module imports the bridge
PLAN = ("jwt plan", 0)
EXTENSION, OBJECT, API = extension_for_module("flask_jwt_extended").code, EXTENSION_OBJECT.code, JWT.code  # type: ignore[union-attr]
CODES = (EXTENSION, OBJECT, API)
NAMES = frozenset({"JWTManager", "create_access_token", "create_refresh_token", "jwt_required", "get_jwt_identity",
                   "get_jwt"})
REQUIRED_OPTIONS = frozenset({"optional", "fresh", "refresh", "verify_type"})
# The JWT_* keys the bridge reads from `settings` as Flask-JWT-Extended reads them from the app's config.
KEYS = frozenset({"JWT_ACCESS_TOKEN_EXPIRES", "JWT_ALGORITHM", "JWT_COOKIE_CSRF_PROTECT", "JWT_DECODE_ALGORITHMS",
                  "JWT_DECODE_AUDIENCE", "JWT_DECODE_ISSUER", "JWT_DECODE_LEEWAY", "JWT_ENCODE_AUDIENCE",
                  "JWT_ENCODE_ISSUER", "JWT_ERROR_MESSAGE_KEY", "JWT_HEADER_NAME", "JWT_HEADER_TYPE",
                  "JWT_IDENTITY_CLAIM", "JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY", "JWT_REFRESH_TOKEN_EXPIRES",
                  "JWT_SECRET_KEY", "JWT_VERIFY_SUB", "JWT_ENCODE_NBF"})


@dataclass
class Plan:
    modules: list[SgNode]
    manager: SgNode  # the JWTManager(app) call
    views: list[tuple[SgNode, SgNode]] = field(default_factory=list)  # (@jwt_required's name, the view function)
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    """Before the routes are read: whether the module's Flask-JWT-Extended converts, and its jwt_required stays."""
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not any(site.code in (EXTENSION, API) for site in sites) or "flask_jwt_extended" not in file.text:
        return
    decorators.settle(file, sites, PLAN, lambda: _plan(file, sites, apps), "Flask-JWT-Extended's",
                      lambda site: site.node if site.node.kind() == "identifier" and site.node.parent() is not None
                      and site.node.parent().kind() in ("call", "decorator") else None,  # type: ignore[union-attr]
                      # another extension's object: its reason is its own
                      lambda site: site.code != OBJECT or "JWTManager" in file.statement_of(site.node).text())


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of the module's own whose answer is a response


def finish(file: PortedFile) -> None:
    """After the other rewrites (the config's among them): the import goes to the bridge and the manager is given
    `settings`, if the module's config moved there; else every site keeps its TODO, with why."""
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    if SETTINGS not in file.definitions:
        for site in plan.ours:
            site.reason = site.reason or "the bridge reads JWT_SECRET_KEY from the app's config, which the port " \
                                         f"does not move to `{SETTINGS}` here"
        return
    for guard, view in plan.views:
        # Flask-JWT-Extended answers before the view reads anything; FastAPI resolves the view's parameters (a JSON
        # body, a typed query parameter) before the decorator runs, and may refuse the request for them first
        if any(key != "request" for key in file.signature(view).added):
            file.blocked.setdefault("*", f"@jwt_required() at {file.path}:{guard.range().start.line + 1} stays "
                                         "Flask-JWT-Extended's: the view takes a parameter FastAPI may refuse the "
                                         "request for before the token is checked")
            return
    for module in plan.modules:
        statement = module.parent()
        if statement is not None and "#" not in statement.text():  # the whole line, wrapped as ruff wraps it
            file.replace(statement, from_import(MODULE, [item.text() for item in statement.named_children()[1:]]))
        else:
            file.replace(module, MODULE)
    arguments_node = plan.manager.field("arguments")
    file.replace(arguments_node, f"{arguments_node.text()[:-1]}, config={SETTINGS})")  # type: ignore[union-attr]
    for site in plan.ours:
        site.handled = True
    file.memo[USED] = True


def _plan(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[Plan, list[SgNode]]:
    modules = []
    for statement in file.root.find_all(kind="import_from_statement"):
        module = statement.field("module_name")
        if module is None or not module.text().startswith("flask_jwt_extended"):
            continue
        if module.text() != "flask_jwt_extended":
            raise NotPortable(f"{module.text()} is imported, which the bridge does not have")
        if statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable("flask_jwt_extended is imported inside a function")
        for item in statement.named_children()[1:]:
            if item.kind() != "dotted_name" or item.text() not in NAMES:
                raise NotPortable(f"flask_jwt_extended's {item.text()} is not in the bridge (or is renamed)")
        modules.append(module)
    if not modules or any(node.text().startswith("flask_jwt_extended") for node in file.root.find_all(kind="dotted_name")
                          if node.parent() is not None and node.parent().kind() in ("import_statement", "aliased_import")):  # type: ignore[union-attr]
        raise NotPortable("flask_jwt_extended is imported as a module")
    for key in set(re.findall(r"\bJWT_[A-Z_]+\b", file.text)) - KEYS:
        raise NotPortable(f"{key} is a Flask-JWT-Extended setting the bridge does not have (it reads tokens from the "
                          "Authorization header only)")
    if "JWT_SECRET_KEY" not in file.text:
        raise NotPortable("JWT_SECRET_KEY is not set in this module (Flask-JWT-Extended falls back to Flask's "
                          "SECRET_KEY, which the bridge does not see)")
    if any(load in file.text for load in (".from_prefixed_env(", ".from_envvar(", ".from_pyfile(", ".from_file(")):
        raise NotPortable("the app loads config (JWT_* keys) from elsewhere than this module")
    calls = [c for c in file.root.find_all(kind="call") if c.field("function") is not None
             and c.field("function").text() == "JWTManager"]  # type: ignore[union-attr]
    if len(calls) != 1:
        raise NotPortable("not one JWTManager(...) in the module")
    call = calls[0]
    positional, keywords = arguments(call)
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if keywords or len(positional) != 1 or positional[0].text() not in apps:
        raise NotPortable("the JWTManager is not made for this module's app (`JWTManager(app)`)")
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the JWTManager is not bound to a name at module level")
    manager = assignment.field("left")
    for node in file.root.find_all(kind="identifier"):
        if node.text() == manager.text() and node != manager:  # type: ignore[union-attr]
            raise NotPortable(f"the JWTManager is used at line {node.range().start.line + 1} (its loaders change what "
                              "tokens hold or what errors answer, which the bridge does not have)")
    plan = Plan(modules, call)
    for node in file.root.find_all(kind="identifier"):
        if node.text() == "jwt_required" and file.statement_of(node).kind() != "import_from_statement":
            plan.views.append((node, _guard(node)))
    for site in sites:
        node = site.node
        statement = file.statement_of(node)
        if site.code == EXTENSION and statement.kind() == "import_from_statement" and \
                statement.field("module_name") in modules or \
                site.code == OBJECT and span(call)[0] <= span(node)[0] <= span(call)[1] or \
                site.code == API and node.text().split("(")[0] in NAMES:
            plan.ours.append(site)
            continue
        if site.code == OBJECT:
            continue  # another extension's object (FMA389 marks them all): its own port decides
        raise NotPortable(f"{site.code} at line {node.range().start.line + 1} ({node.text()[:40]}) is not a use the "
                          "bridge has")
    return plan, [guard for guard, _ in plan.views]


def _guard(node: SgNode) -> SgNode:
    """`@jwt_required(...)` on a function, with literal options the bridge has: the function."""
    call = node.parent()
    decorator = call.parent() if call is not None else None
    if call is None or call.kind() != "call" or call.field("function") != node or decorator is None or \
            decorator.kind() != "decorator":
        raise NotPortable(f"jwt_required is used at line {node.range().start.line + 1} other than as "
                          "`@jwt_required(...)` on a view")
    positional, keywords = arguments(call)
    try:
        if positional or set(keywords) - REQUIRED_OPTIONS or \
                any(not isinstance(literal(value), bool) for value in keywords.values()):
            raise ValueError
    except ValueError:
        raise NotPortable("@jwt_required(...) is given other options than literal optional, fresh, refresh or "
                          "verify_type (locations, the blocklist's: not in the bridge)") from None
    definition = decorator.parent()
    view = definition.field("definition") if definition is not None else None
    if view is None or view.kind() != "function_definition":
        raise NotPortable("@jwt_required(...) is not on a function")
    return view


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
