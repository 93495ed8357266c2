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
`current_app.login_manager.unauthorized()` / `.needs_refresh()` (what a view guarding itself returns) become
`current_login_manager().unauthorized()`: the bridge's manager of the request being served, which answers them as
Flask-Login's of the app's manager does (tests/test_port_login_unauthorized.py).
A module that imports Flask-Login's names without making a manager (a Blueprint's views) goes to the bridge with the
module that makes it, and converts with it (`find_shared`, below); where the manager is made at the top of a module and
given the app by `init_app` in the app factory, it goes to the bridge on its own while the app stays Flask, and main.py
hands the bridge the Flask app's own manager (`given_in_factory`, below).

Left to people (each site keeps its TODO, with the reason), for the whole module: Flask-Login used through its
module name or a name the bridge does not have (header_loader, login_url, set_login_view...), the manager made
another way (`init_app` elsewhere than in the app factory, several managers) or used other than by its decorators
and settings (another module may give it a user or request loader), a request loader that reads more of the request than its headers, cookies and method (Werkzeug's and Starlette's
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
from ..rules.lifecycle import CURRENT_APP
from . import decorators, session
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
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


# On a view moved alone in front of the Flask app (split.py), a guard answers as Flask-Login's where main.py gives the
# routes FastAPI serves the Flask app's own LoginManager (`in_front`, the manager another module makes): the unauthorized
# or needs-refresh answer (a redirect to its view, or a 401 raised where it has none, which the Flask app's handler for
# 401 would take), or whatever a handler of the project's answers there.
ALONE = decorators.Alone(raises=frozenset({"401"}), unsure=("unauthorized_handler", "needs_refresh_handler"), login=True)


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
                      lambda site: site.code != OBJECT or "LoginManager" in file.statement_of(site.node).text(),
                      alone=lambda guard: ALONE if elsewhere is not None else None)


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
    _port_manager_calls(file)


# `current_app.login_manager.unauthorized()` / `.needs_refresh()` in a module whose Flask-Login goes to the bridge:
# Flask-Login's own answer of the manager of the app serving the request (its handler's answer; else the login
# message flashed and a redirect to the login view with `next`; else 401), which the bridge's manager of the
# request being served gives as its login_required does (main.py's FlaskAppLoginManager: the Flask app's own).
MANAGER_CALLS = frozenset({"unauthorized", "needs_refresh"})
CURRENT_MANAGER = "current_login_manager"


def _port_manager_calls(file: PortedFile) -> None:
    for site in file.sites_of(CURRENT_APP.code):
        node = site.node if site.node.kind() == "attribute" else site.node.parent()
        method = node.parent() if node is not None else None
        call = method.parent() if method is not None else None
        if site.handled or node is None or node.kind() != "attribute" or \
                node.field("object").text() != "current_app" or node.field("attribute").text() != "login_manager" or \
                method is None or method.kind() != "attribute" or method.field("attribute").text() not in MANAGER_CALLS or \
                call is None or call.kind() != "call" or call.field("function") != method or \
                call.field("arguments").text().replace(" ", "") != "()":  # type: ignore[union-attr]
            continue
        try:
            if file.bound.get("current_app") != "flask":
                raise NotPortable("current_app here is not Flask's")
            if enclosing_function(call) is None:
                raise NotPortable("outside a function: Flask-Login answers inside a request")
            file.use(MODULE, CURRENT_MANAGER)
        except NotPortable as reason:
            site.reason = str(reason)
            continue
        file.replace(node, f"{CURRENT_MANAGER}()")
        site.handled = True


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
        loaders = manager_names(file, elsewhere)  # its user and request loaders here (find_shared read them)
    else:
        manager, made = _manager(file, local, apps)
        loaders = set()
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
        if node.text().split(".")[0] in loaders and not _loader_use(node.field("object") if node.kind() == "attribute"
                                                                    else node):
            plan.ours.append(site)  # `@login_manager.user_loader` on a module-level function: the same on both
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
    front = given_in_factory(project, files, maker)
    if front is not None:  # the Flask app's manager, read by main.py's bridge while the app stays Flask
        return (Shared(maker, front[0], tuple(users), kind=KIND, why=front[1], in_front=True, views=front[2]),)
    file = project.parse(maker)
    port_file(file, resolve, None, facts)  # the manager's module as the port converts it
    plan: Plan | None = file.memo.get(PLAN)
    why = "" if plan is not None and file.memo.get(USED) else next(
        (site.reason for site in _sites(file) if site.reason), "its Flask-Login does not convert")
    name = plan.manager if plan is not None else "LoginManager"
    for path, other in sorted(files.items()):
        names = {local for local, (module, real) in imported_names(other).items()
                 if path != maker and real == name and defined_in(path, module, [maker]) == maker}
        problem = next((problem for node in other.root.find_all(kind="identifier") if node.text() in names
                        and not _imported_here(node) for problem in [_loader_use(node)] if problem), "")
        if problem and not why:  # a user or request loader given it here is the same on both sides
            why = f"{path} imports it ({problem}; the bridge reads its other callbacks and settings in {maker} only)"
    return (Shared(maker, name, tuple(users), kind=KIND, why=why),)


# A LoginManager given the app in the app factory --------------------------------------------------------------------
# `login_manager = LoginManager()` at the top of extensions.py (or of the factory's module), `login_manager.init_app(app)`
# in create_app, the user_loader in models.py: the sample app, microblog, most factories. Each app the factory makes is
# given the manager, whose settings and callbacks Flask-Login reads through `current_app.login_manager`. While the app
# stays Flask, main.py gives the routes FastAPI serves the bridge's FlaskAppLoginManager of the Flask app it mounts,
# which reads that same object's settings and loaders when used: a Blueprint module's Flask-Login names go to the
# bridge on their own (its users need not convert together: those that stay Flask keep Flask-Login, over the same
# session keys). Refused, saying where: what the bridge in front does not carry (an unauthorized or needs-refresh
# handler answers with Flask's response; a header loader, per-Blueprint login views, a lazily translated message),
# a request loader reading more than both requests have alike, and the manager used otherwise.
FRONT_SETTINGS = SETTINGS - {"anonymous_user"}  # given a literal: a lazy string (flask_babel) needs Flask's context
# written beside main.py, which imports FlaskAppLoginManager from it (it imports Flask: the bridge itself does not)
FRONT_MODULE = "flask_login_front"
FRONT_FILE = f"{FRONT_MODULE}.py"
FRONT = files(__package__).joinpath("written", FRONT_FILE).read_text(encoding="utf-8")


def given_in_factory(project: Any, files: dict[str, PortedFile],
                     maker: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The manager's name, why it is not bridged ("" when it is) and the endpoints its login and refresh views are
    set to, when `maker` makes one `NAME = LoginManager()` at its top that the app factory gives its app
    (`NAME.init_app(app)`, once, in the function that makes the app); None when it is not made so (the module's own
    reading applies)."""
    from .shared_decorators import defined_in, imported_names

    if project.app is None or project.app.factory is None:
        return None
    file = files[maker]
    try:
        local, _ = decorators.imported_names(file, "flask_login", NAMES)
    except NotPortable:
        return None
    makers = {name for name, real in local.items() if real == "LoginManager"}
    calls = [node for node in file.root.find_all(kind="call")
             if node.field("function") is not None and node.field("function").text() in makers]  # type: ignore[union-attr]
    assignment = calls[0].parent() if len(calls) == 1 else None
    statement = assignment.parent() if assignment is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module" or \
            arguments(calls[0]) != ([], {}):  # type: ignore[union-attr]
        return None
    name = assignment.field("left").text()  # type: ignore[union-attr]
    # the manager's name in each module that has it: its own, and those importing it from it
    names = {maker: name}
    for path, other in files.items():
        for local_name, (module, real) in imported_names(other).items():
            if path != maker and real == name and defined_in(path, module, [maker]) == maker:
                names[path] = local_name
    inits: list[tuple[str, SgNode]] = []
    views: list[str] = []
    why = ""
    for path in sorted(names):
        other = files[path]
        for node in other.root.find_all(kind="identifier"):
            if node.text() != names[path] or node == assignment.field("left") or _imported_here(node):
                continue
            problem = _front_use(node, inits, views, path)
            why = why or (f"{problem} ({path}:{node.range().start.line + 1})" if problem else "")
    factory = [call for path, call in inits if path == project.app_path and _in_factory(call, project.app)]
    if len(inits) != 1 or not factory:
        return None
    return name, why, tuple(views)


def _imported_here(node: SgNode) -> bool:
    parent = node.parent()
    while parent is not None and parent.kind() in ("dotted_name", "aliased_import"):
        parent = parent.parent()
    return parent is not None and parent.kind() == "import_from_statement"


def _in_factory(call: SgNode, app: Any) -> bool:
    """`NAME.init_app(app)` as a statement of the app factory, given the app it makes."""
    function = enclosing_function(call)
    statement = call.parent()
    try:
        positional, keywords = arguments(call)
    except NotPortable:
        return False
    return function is not None and function.field("name").text() == app.factory and \
        enclosing_function(function) is None and statement is not None and \
        statement.kind() == "expression_statement" and not keywords and len(positional) == 1 and \
        positional[0].text() == app.variable  # type: ignore[union-attr]


def _front_use(node: SgNode, inits: list[tuple[str, SgNode]], views: list[str], path: str) -> str:
    """Why the bridge in front of the Flask app cannot carry this use of the manager ("" when it can)."""
    attribute = node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node:
        return f"the LoginManager is used other than by its decorators and settings: {node.parent().text()[:40]}"  # type: ignore[union-attr]
    name = attribute.field("attribute").text()  # type: ignore[union-attr]
    holder = attribute.parent()
    if name == "init_app" and holder is not None and holder.kind() == "call":
        inits.append((path, holder))
        return ""
    if name in ("user_loader", "request_loader"):
        return _loader_use(node)
    if name in SETTINGS and holder is not None and holder.kind() == "assignment" and holder.field("left") == attribute:
        if name in FRONT_SETTINGS:
            try:
                value = literal(holder.field("right"))
            except ValueError:
                return f"{attribute.text()} is not given a literal (a lazy translation needs Flask's context)"
            if value is not None and not isinstance(value, str):
                return f"{attribute.text()} is not a string"
            if name in ("login_view", "refresh_view") and value and not value.startswith(("/", "http://", "https://")):
                views.append(value)
        return ""
    if name in ANSWERING:
        return f"its {name} answers with Flask's response, which the bridge in front of the Flask app does not carry"
    return f"{attribute.text()} is not a LoginManager setting or callback the bridge in front of the Flask app carries"


def _loader_use(node: SgNode) -> str:
    """Why this use of the manager `node` names is not `@NAME.user_loader` or `@NAME.request_loader` on a module-level
    function (with a request loader reading what both requests answer alike): "" when it is."""
    attribute = node.parent()
    if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node:
        return f"the LoginManager is used other than by its decorators and settings: {(attribute or node).text()[:40]}"
    name = attribute.field("attribute").text()  # type: ignore[union-attr]
    holder = attribute.parent()
    if name not in ("user_loader", "request_loader") or holder is None or holder.kind() != "decorator":
        return f"{attribute.text()} is not a user or request loader"
    definition = holder.parent()
    function = definition.field("definition") if definition is not None else None
    if function is None or function.kind() != "function_definition" or definition.parent() is None or \
            definition.parent().kind() != "module":  # type: ignore[union-attr]
        return f"@{attribute.text()} is not on a module-level function"
    if name == "request_loader":
        try:
            _plain_request_reads(function)
        except NotPortable as reason:
            return str(reason)
    return ""


def manager_names(file: PortedFile, one: Any) -> set[str]:
    """The names `file` imports the manager `one` (a shared_decorators.Shared of KIND) by."""
    from .shared_decorators import defined_in, imported_names

    return {local for local, (module, real) in imported_names(file).items()
            if real == one.name and defined_in(file.path, module, [one.path]) == one.path}


def in_front(shared: tuple[Any, ...]) -> Any:
    """The LoginManager main.py's bridge reads from the Flask app (given_in_factory), when there is one."""
    return next((one for one in shared if one.kind == KIND and one.in_front), None)


def views_moved(one: Any, staying: set[str], units: set[str]) -> bool:
    """True when a login or refresh view of the manager `one` (in_front) is a route of a Blueprint that moves to
    FastAPI (of `units`, not `staying`)."""
    blueprints = {view.rpartition(".")[0] for view in one.views} - {""}
    return any(unit.startswith(f"blueprint {name} (") for unit in units - staying for name in blueprints)


def main_with_manager(main: str, views: bool = False) -> str:
    """main.py (written with the session bridge) with the bridge's FlaskAppLoginManager of the Flask app it mounts,
    inside the session middleware (added before it: Starlette's last added is outermost), so the ported routes'
    current_user, login_user and login_required use the Flask app's own manager over Flask's session cookie; and
    `views`: the manager's login view moved to FastAPI, whose URL the Flask app's url_for then builds from there."""
    marker = "app.add_middleware(FlaskSessionMiddleware, config="
    at = main.find("# Flask's session cookie for the ported routes")
    config = main.find(marker)
    if at < 0 or config < 0 or "FlaskAppLoginManager" in main:
        return main
    flask_app = main[config + len(marker):].split(".config", 1)[0]
    lines = ("# Flask-Login for the ported routes: the Flask app's own LoginManager (its settings and loaders), read "
             "when used\n"
             f"app.add_middleware(LoginContextMiddleware, manager=FlaskAppLoginManager({flask_app}), flask=flask_wsgi)\n")
    if views:
        lines += ("# its login view is FastAPI's now: Flask-Login on the Flask routes builds its URL from there\n"
                  f"build_login_views({flask_app}, app)\n")
    main = main[:at] + lines + main[at:]
    session_import = "from flask_cookie_session import FlaskSessionMiddleware\n"
    names = "FlaskAppLoginManager, build_login_views" if views else "FlaskAppLoginManager"
    return main.replace(session_import, session_import + f"from {MODULE} import LoginContextMiddleware\n"
                        f"from {FRONT_MODULE} import {names}\n", 1)


def helper_with_manager(helper: str, views: bool = False) -> str:
    """The ported tests' `ported_app(flask_app)` (test_clients.app_helper_text) composed as main.py is: the bridge's
    FlaskAppLoginManager of the test's Flask app, inside the session middleware (and `views`: build_login_views)."""
    marker = "    app.add_middleware(FlaskSessionMiddleware, config=flask_app.config, flask=flask_wsgi)\n"
    session_import = "from flask_cookie_session import FlaskSessionMiddleware\n"
    if marker not in helper or session_import not in helper or "FlaskAppLoginManager" in helper:
        return helper
    lines = "    app.add_middleware(LoginContextMiddleware, manager=FlaskAppLoginManager(flask_app), flask=flask_wsgi)\n"
    if views:
        lines += "    build_login_views(flask_app, app)\n"
    names = "FlaskAppLoginManager, build_login_views" if views else "FlaskAppLoginManager"
    helper = helper.replace(marker, lines + marker, 1)
    return helper.replace(session_import, session_import + f"from {MODULE} import LoginContextMiddleware\n"
                          f"from {FRONT_MODULE} import {names}\n", 1)
