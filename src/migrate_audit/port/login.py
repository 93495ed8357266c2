"""Flask-Login -> the Flask-Login bridge (port/written/flask_login_bridge.py), over Flask's own session cookie.

What the port rewrites, in a module that makes the Flask app and `NAME = LoginManager(app)` (FMA389) for it:
`from flask_login import ...` becomes `from flask_login_bridge import ...`, and every name keeps its meaning: the
bridge's LoginManager, current_user, login_user, logout_user, login_required, fresh_login_required, login_fresh,
confirm_login, UserMixin and AnonymousUserMixin are Flask-Login 0.6.3's, function for function, over the
session keys Flask-Login keeps in Flask's session cookie (`_user_id`, `_fresh`, `_id`, `_remember`), which the
session bridge (port/session.py) reads and writes as Flask does: a login made by Flask is seen by FastAPI and
back (tests/test_port_login.py checks both against Flask-Login itself). `@login_required` stays on the path
operation (port/decorators.py): the bridge's keeps the view's signature for FastAPI (`functools.wraps`) and
answers what Flask-Login answered (the unauthorized handler's answer, or a 302 to the login view with `next`).
The unauthorized and needs-refresh handlers get the rewrites of a view (their answers become Responses).
A module that imports Flask-Login's names without making a manager (a Blueprint's views) goes to the bridge with the
module that makes it, and converts with it (`find_shared`, below).

Left to people (each site keeps its TODO, with the reason), for the whole module: Flask-Login used through its
module name or a name the bridge does not have (header_loader, login_url, set_login_view...), the manager made
another way (`init_app` in a factory, in another module than the app's) or used other than by its decorators and settings, a
request loader that reads more of the request than its headers, cookies and method (Werkzeug's and Starlette's
differ elsewhere), Flask-Login's config keys (read from Flask's config, which the bridge sees only through the
session middleware), a module whose secret key the session port does not carry over (the bridge needs the
session middleware), and a handler whose answer the port could not rewrite.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_auth import FRESH_LOGIN, LOGIN
from ..rules.ext_objects import EXTENSION_OBJECT
from . import decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments, call_of
from ..scopes import span

MODULE = "flask_login_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("login bridge", 0)  # file.memo key: True when the ported module imports the bridge
PLAN = ("login plan", 0)  # file.memo key: the module's Plan, when its Flask-Login converts
TEMPLATE_USER = "user_context"  # the bridge's context processor: `current_user` in templates, as Flask-Login's
EXTENSION, OBJECT, API, FRESH = (extension_for_module("flask_login").code,  # type: ignore[union-attr]
                                  EXTENSION_OBJECT.code, LOGIN.code, FRESH_LOGIN.code)
CODES = (EXTENSION, OBJECT, API, FRESH)
# The names of flask_login the bridge has, with the same meaning.
NAMES = frozenset({"LoginManager", "UserMixin", "AnonymousUserMixin", "current_user", "login_user", "logout_user",
                   "login_required", "fresh_login_required", "login_fresh", "confirm_login"})
KIND = "Flask-Login LoginManager"  # shared_decorators.Shared.kind: modules relying on another module's manager
GUARDS = frozenset({"login_required", "fresh_login_required"})
CALLBACKS = frozenset({"user_loader", "request_loader", "unauthorized_handler", "needs_refresh_handler"})
ANSWERING = frozenset({"unauthorized_handler", "needs_refresh_handler"})  # their return value is the answer
SETTINGS = frozenset({"login_view", "login_message", "login_message_category", "refresh_view", "needs_refresh_message",
                      "needs_refresh_message_category", "session_protection", "anonymous_user", "id_attribute"})
# Flask-Login's config keys: set in the module, they would not reach the bridge.
CONFIG_KEYS = ("LOGIN_DISABLED", "REMEMBER_COOKIE_", "SESSION_PROTECTION", "USE_SESSION_FOR_NEXT",
               "FORCE_HOST_FOR_REDIRECTS", "AUTH_HEADER_NAME")
# What a request loader may read of the request it is given: the same on Werkzeug's request and Starlette's.
_REQUEST_READS = {"headers", "cookies", "method"}


@dataclass
class Plan:
    modules: list[SgNode]  # the `flask_login` of each `from flask_login import ...`
    manager: str
    answering: list[SgNode] = field(default_factory=list)  # the unauthorized and needs-refresh handlers
    ours: list[Site] = field(default_factory=list)  # the sites the bridge takes


def bridged(file: PortedFile) -> bool:
    """True when the module's Flask-Login goes to the bridge (as read before the routes; `finish` may still leave
    it, and then the module's unit stays Flask): its templates get `current_user` from TEMPLATE_USER."""
    return PLAN in file.memo


def _sites(file: PortedFile) -> list[Site]:
    return [site for code in CODES for site in file.sites_of(code)]


def read(file: PortedFile, apps: set[str], shared: tuple[Any, ...] = ()) -> None:
    """Before the routes are read: whether the module's Flask-Login converts, and its guards stay on the views.
    `shared`: the LoginManagers other modules' Flask-Login names rely on (`find_shared`)."""
    # FMA389 marks every extension's object: a module without Flask-Login's own findings is not this bridge's
    if not any(site.code != OBJECT for site in _sites(file)):
        return
    elsewhere = next((one for one in shared if one.kind == KIND and file.path in one.users), None)
    decorators.settle(file, _sites(file), PLAN, lambda: _plan(file, apps, elsewhere), "Flask-Login's",
                      lambda site: site.node if site.node.kind() == "identifier" and site.node.parent() is not None
                      and site.node.parent().kind() == "decorator" else None,  # type: ignore[union-attr]
                      # another extension's object: its reason is its own
                      lambda site: site.code != OBJECT or "LoginManager" in file.statement_of(site.node).text())


def contexts(file: PortedFile) -> dict[int, SgNode]:
    """The handlers whose answer is the response (unauthorized, needs refresh): rewritten as views are."""
    plan = file.memo.get(PLAN)
    return {span(function)[0]: function for function in plan.answering} if plan else {}


def finish(file: PortedFile) -> None:
    """After the other rewrites: the import goes to the bridge and the sites are done, if the session middleware
    is the module's and the handlers' answers were rewritten; else every site keeps its TODO, with why."""
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    problem = ""
    if not plan.manager:  # the manager is another module's, which adds the session middleware to the app (find_shared)
        pass
    elif not file.memo.get(session.ADDED):
        problem = "the bridge keeps the user in Flask's session, whose middleware this module does not add"
    for function in plan.answering:
        if file.signature(function).added or any(not s.handled for s in file.sites_in(function) if s not in plan.ours):
            problem = problem or "a handler's answer is not rewritten: " \
                                 f"{function.field('name').text()}"  # type: ignore[union-attr]
    if problem:
        for site in plan.ours:
            site.reason = site.reason or problem
        return
    decorators.bridged(file, plan.modules, MODULE, plan.ours, USED)


def _plan(file: PortedFile, apps: set[str], elsewhere: Any = None) -> tuple[Plan, list[SgNode]]:
    local, modules = decorators.imported_names(file, "flask_login", NAMES)  # local name -> flask_login's name
    if not modules:
        raise NotPortable("Flask-Login is not imported here by name")
    for key in CONFIG_KEYS:
        if key in file.text:
            raise NotPortable(f"Flask-Login's config ({key}) is read from Flask's config, which the bridge does not see")
    if elsewhere is not None:  # the LoginManager is another module's: its plan decides (find_shared)
        if elsewhere.why:
            raise NotPortable(f"the LoginManager is {elsewhere.path}'s, where {elsewhere.why}")
        manager, made = "", None
    else:
        manager, made = _manager(file, local, apps)
    plan = Plan(modules, manager)
    answering: dict[int, SgNode] = {}
    for node in file.root.find_all(kind="identifier") if made is not None else ():
        if node.text() != manager or node == made.parent().field("left"):  # type: ignore[union-attr]
            continue  # `manager = LoginManager(app)` itself
        _manager_use(file, node, answering)
    plan.answering = list(answering.values())
    guards = []
    for site in _sites(file):
        node = site.node
        statement = file.statement_of(node)
        if site.code == EXTENSION and statement.kind() == "import_from_statement" and \
                statement.field("module_name") in modules:
            plan.ours.append(site)
            continue
        if made is not None and (site.code == OBJECT and span(node)[0] == span(made)[0] or
                                 node.text().startswith(manager + ".")):
            plan.ours.append(site)  # the manager's call, decorators and settings: every use read by _manager_use
            continue
        if site.code == OBJECT:
            continue  # another extension's object (FMA389 marks them all): its own port decides
        if node.kind() == "identifier" and node.text() in local and file.bound.get(node.text()) == "flask_login":
            plan.ours.append(site)
            parent = node.parent()
            if local[node.text()] in GUARDS and parent is not None and parent.kind() == "decorator":
                guards.append(node)
            continue
        raise NotPortable(f"{site.code} at line {node.range().start.line + 1} ({node.text()[:40]}) is not a use the "
                          "bridge has")
    return plan, guards


def _manager(file: PortedFile, local: dict[str, str], apps: set[str]) -> tuple[str, SgNode]:
    """The manager's name and its `LoginManager(app)` call: one, at module level, given this module's app."""
    makers = [name for name, real in local.items() if real == "LoginManager"]
    calls = [node for node in file.root.find_all(kind="call")
             if node.field("function") is not None and node.field("function").text() in makers]  # type: ignore[union-attr]
    if len(calls) != 1:
        raise NotPortable("not one LoginManager(...) in the module")
    call = calls[0]
    positional, keywords = arguments(call)
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if keywords or len(positional) > 1 or positional and positional[0].text() not in apps:
        raise NotPortable("the LoginManager is not made for this module's app (`LoginManager(app)`)")
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the LoginManager is not bound to a name at module level")
    name = assignment.field("left").text()  # type: ignore[union-attr]
    if not positional:  # `LoginManager()`, then `manager.init_app(app)` once, at module level, for this module's app
        inits = [node for node in file.root.find_all(kind="call") if node.field("function") is not None
                 and node.field("function").text() == f"{name}.init_app"]  # type: ignore[union-attr]
        if len(inits) != 1 or _init_app(inits[0], apps) is None:
            raise NotPortable(f"the LoginManager is not given this module's app once at module level "
                              f"(`{name}.init_app(app)`)")
    return name, call


def _manager_use(file: PortedFile, node: SgNode, answering: dict[int, SgNode]) -> None:
    """A use of the manager: `@manager.user_loader` (and the other callbacks) on a module-level function, or
    `manager.login_view = ...` (and the other settings) at module level."""
    attribute = node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node:
        raise NotPortable(f"the LoginManager is used at line {node.range().start.line + 1} other than by its "
                          "decorators and settings")
    name = attribute.field("attribute").text()  # type: ignore[union-attr]
    holder = attribute.parent()
    if name == "init_app" and holder is not None and holder.kind() == "call" and _init_app(holder, None) is not None:
        return  # read by _manager: once, at module level, given the module's app
    if name in CALLBACKS and holder is not None and holder.kind() == "decorator":
        definition = holder.parent()
        function = definition.field("definition") if definition is not None else None
        if function is None or function.kind() != "function_definition" or definition.parent() is None or \
                definition.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"@{attribute.text()} is not on a module-level function")
        if name == "request_loader":
            _plain_request_reads(function)
        if name in ANSWERING:
            answering[span(function)[0]] = function
        return
    if name in SETTINGS and holder is not None and holder.kind() == "assignment" and holder.field("left") == attribute:
        statement = holder.parent()
        if statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"{attribute.text()} is set inside a function")
        if name in ("login_view", "refresh_view"):
            try:
                view = literal(holder.field("right"))
            except ValueError:
                raise NotPortable(f"{attribute.text()} is not a literal") from None
            if view is not None and not isinstance(view, str):
                raise NotPortable(f"{attribute.text()} is not a string")
        return
    raise NotPortable(f"{attribute.text()} is not a LoginManager setting or callback the bridge has")


def _init_app(call: SgNode, apps: set[str] | None) -> SgNode | None:
    """`manager.init_app(app)` as a module-level statement of its own (given one of `apps`, when they are given)."""
    statement = call.parent()
    try:
        positional, keywords = arguments(call)
    except NotPortable:
        return None
    if statement is None or statement.kind() != "expression_statement" or statement.parent() is None or \
            statement.parent().kind() != "module" or keywords or len(positional) != 1 or \
            apps is not None and positional[0].text() not in apps:  # type: ignore[union-attr]
        return None
    return call


def _plain_request_reads(function: SgNode) -> None:
    """The request loader is given Starlette's request where Flask-Login gave Werkzeug's: it may read only what
    both have alike (headers, cookies, method)."""
    parameters = [p for p in function.field("parameters").named_children() if p.kind() == "identifier"]  # type: ignore[union-attr]
    if len(parameters) != 1 or len(function.field("parameters").named_children()) != 1:  # type: ignore[union-attr]
        raise NotPortable("the request loader does not take the request as its one parameter")
    name = parameters[0].text()
    for node in function.field("body").find_all(kind="identifier"):  # type: ignore[union-attr]
        if node.text() != name:
            continue
        parent = node.parent()
        if parent is None or parent.kind() != "attribute" or parent.field("object") != node or \
                parent.field("attribute").text() not in _REQUEST_READS or not _alike(parent):  # type: ignore[union-attr]
            raise NotPortable(f"the request loader reads {(parent or node).text()[:40]}, which Starlette's request "
                              "may answer otherwise than Werkzeug's")


def _alike(read: SgNode) -> bool:
    """`request.method`, `request.headers.get(key[, default])`, `key in request.cookies`: what Werkzeug's request and
    Starlette's answer alike (Werkzeug's `headers[key]` raises a 400 where Starlette's raises KeyError, its `get`
    takes `type=`)."""
    if read.field("attribute").text() == "method":  # type: ignore[union-attr]
        return True
    parent = read.parent()
    if parent is not None and parent.kind() == "comparison_operator" and parent.named_children()[-1] == read:
        return any(child.text() in ("in", "not in") for child in parent.children())
    call = call_of(parent) if parent is not None and parent.kind() == "attribute" else None
    if call is None or parent.field("attribute").text() != "get":  # type: ignore[union-attr]
        return False
    try:
        positional, keywords = arguments(call)
    except NotPortable:
        return False
    return not keywords and 1 <= len(positional) <= 2


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    """Where the bridge goes: beside the session bridge, where `from flask_login_bridge import ...` finds it."""
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE


# Flask-Login in modules other than the manager's ------------------------------------------------------------------
# Blueprint modules import `login_required`, `current_user`, `login_user` from flask_login while the LoginManager is
# made in the app's module. The bridge's names find the manager through the request (the middleware `LoginManager(app)`
# adds keeps it in a context variable), so such a module's names go to the bridge as they are, when the manager's
# module converts with the bridge, and the module converts with it (shared_decorators.hold_together: they stay Flask
# together). Where the manager's callbacks or settings are reached from another module (`@login_manager.user_loader`
# in models.py), the bridge would not see them: left to people, saying so.
def find_shared(project: Any, resolve: Any, facts: Any) -> tuple[Any, ...]:
    """The LoginManager other modules' Flask-Login names rely on, with whether it converts (`why`): one
    shared_decorators.Shared, or none where no module uses Flask-Login without making a manager."""
    from .convert import port_file
    from .shared_decorators import Shared, defined_in, imported_names

    files = {path: project.parse(path) for path in project.findings if path.endswith(".py")}
    makers, users = [], []
    for path, file in sorted(files.items()):
        try:
            local, modules = decorators.imported_names(file, "flask_login", NAMES)
        except NotPortable:  # its own reading says why; a factory's import inside a function may make one
            local, modules = {"LoginManager": "LoginManager"}, [None]
        if not modules:
            continue
        made = {name for name, real in local.items() if real == "LoginManager"}
        if any(call.field("function") is not None and call.field("function").text() in made  # type: ignore[union-attr]
               for call in file.root.find_all(kind="call")):
            makers.append(path)
        elif any(site.code != OBJECT for site in _sites(file)):
            users.append(path)
    if not users:
        return ()
    if len(makers) != 1:
        return (Shared(makers[0] if makers else "", "LoginManager", tuple(users), kind=KIND,
                       why="no module of the project makes it" if not makers else
                       f"{len(makers)} modules make one ({', '.join(makers)})"),)
    maker = makers[0]
    file = project.parse(maker)
    port_file(file, resolve, None, facts)  # the manager's module as the port converts it
    plan: Plan | None = file.memo.get(PLAN)
    why = "" if plan is not None and file.memo.get(USED) else next(
        (site.reason for site in _sites(file) if site.reason), "its Flask-Login does not convert")
    name = plan.manager if plan is not None else "LoginManager"
    for path, other in sorted(files.items()):
        if path != maker and not why and any(real == name and defined_in(path, module, [maker]) == maker
                                             for module, real in imported_names(other).values()):
            why = f"{path} imports it (the bridge reads its callbacks and settings in {maker} only)"
    return (Shared(maker, name, tuple(users), kind=KIND, why=why),)
