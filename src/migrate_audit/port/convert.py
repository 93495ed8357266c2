"""One file through the port: every finding of the audit in it either rewritten or marked with a TODO.

The order matters only where rewrites nest: reads of the query string and `jsonify` calls (inside
returns) first, then the returns and statements around them, then the decorators and signatures, which
nothing encloses. A site the port cannot rewrite faithfully keeps its code and gets the audit's advice as
a `# TODO(migrate-audit FMAxxx): ...` comment, with the reason it was not ported.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ast_grep_py import SgNode

from ..api import returns_of
from ..rules.application import WERKZEUG_HELPERS
from ..rules.request import VALUES
from ..rules.responses import RENDER_TO_TEXT, STREAM_TEMPLATE
from ..scopes import span
from . import (app_context, app_json, bridges, class_views, codes, config, decorators, exceptions, extensions, helper_raises,
               hooks, injector, jinja_env, libraries, proxy_fix, request_object, requests, responses, routes, session, templates,
               test_clients, url_values, urls, view_functions, werkzeug_http)
from .edits import PortedFile, Site, enclosing_function
from .imports import first_party, fix_imports
from .routes import BlueprintInfo, NotPortable

Resolver = Callable[[PortedFile, str], "BlueprintInfo | None"]
# What each handler rewrites, in the order they run.
_EXPRESSIONS: tuple[tuple[str, Callable[[PortedFile, Site], None]], ...] = (
    (codes.FLASK_JSON, responses.port_flask_json),
    (codes.STREAMED, responses.port_stream_with_context),
    (codes.JSONIFY_CALL, responses.port_jsonify),
    (codes.TUPLE, responses.port_tuple),
    (codes.ABORT_CALL, responses.port_abort),
    (codes.REDIRECT_CALL, responses.port_redirect),
    (codes.RESPONSE, responses.port_response),
    (codes.MAKE, responses.port_make_response),
    (codes.SENT_FILE, responses.port_send_file),
    (codes.AFTER_THIS, responses.port_after_this_request),  # last: it reads what the view's returns became
)


def _attempt(file: PortedFile, site: Site, action: Callable[[], object]) -> None:
    if site.handled:  # rewritten with another site already (make_response(render_template(...)))
        return
    try:
        action()
    except NotPortable as reason:
        site.reason = site.reason or str(reason)
        file.todo(site, f"{site.advice} (not ported: {reason})")


@dataclass(frozen=True)
class Facts:
    """What a file's rewrites need to know of the project: its folder on disk, the Flask app's folder (where
    Flask finds templates/), and the paths the audit has findings in (templates included)."""

    root: Path | None = None
    app_folder: str | None = None
    flagged: frozenset[str] = frozenset()
    # Flask's session comes from a middleware outside the module (main.py's, or the app module's): session.py
    session_elsewhere: bool = False
    # the Blueprints' template folders, in the order Flask searches them after the app's (None: not known)
    template_folders: tuple[str, ...] | None = ()
    # test clients: the app they drive stays Flask (behind a2wsgi); every client is rewritten, so their
    # responses are httpx's (test_clients.py)
    flask_stays: bool = False
    test_responses: bool = True
    # the decorators modules import from other modules of the project for their views (shared_decorators.py)
    shared: tuple[Any, ...] = ()
    # the app stays Flask with its config, which the FastAPI app in front carries (config.port_config_reads)
    flask_config: bool = False
    # every app gets a FlaskInjector, whose injector the FastAPI app carries (port/injector.py)
    flask_injector: bool = False


def port_file(file: PortedFile, resolve: Resolver,
              removed: Callable[[PortedFile, Site, SgNode, str, BlueprintInfo, str], None] | None = None,
              facts: Facts = Facts()) -> str:
    """The file's new text. `resolve` finds the Blueprint a name stands for (a route's owner, a registration's
    argument); `removed`, when given, takes registrations out of the file instead (the ported
    Blueprint is included by main.py, the app stays Flask)."""
    responses.port_own_helpers(file)  # first: what a port before wrote is not attempted again
    file.memo[responses.PROJECT] = (facts.root, facts.flagged)  # where abort() and raised Werkzeug exceptions look for handlers
    file.memo[templates.BLUEPRINT_FOLDERS] = facts.template_folders
    file.memo[templates.FLASK_BEHIND] = facts.flask_config or facts.flask_stays  # flask_render's Flask app
    routes.read_custom_converters(file, {name for site in file.sites_of(codes.APP) if (name := _assigned(site))})
    # before the routes: the decorators a bridge or the module's own definition carries over stay on the views
    if facts.flask_injector:
        file.memo[injector.FROM_FLASK] = True
    bridges.read(file, {name for site in file.sites_of(codes.APP) if (name := _assigned(site))}, facts.shared)
    decorators.read_own(file, facts.root, facts.flagged, facts.shared)
    found: list[routes.Route] = []
    for site in file.sites_of(codes.ROUTE_DECORATOR):
        _attempt(file, site, lambda site=site: found.append(routes.read_route(file, site, resolve)))
    class_routes = class_views.read_class_views(file, resolve)  # a class-based view's methods, as views
    found += class_routes
    views = routes.Views((span(route.function)[0], route) for route in found)
    apps = {name for site in file.sites_of(codes.APP) if (name := _assigned(site))}
    routers = {name for site in file.sites_of(codes.BLUEPRINT) if (name := _assigned(site))}
    around = hooks.read_all(file, apps, routers,
                            lambda: werkzeug_http.reads_flask_request(file.path, facts.root, facts.flagged))
    # the functions whose request the port can hand over: the views, and the handlers and hooks it converts
    contexts = {start: route.function for start, route in views.items()}
    contexts.update((span(a.function)[0], a.function) for a in around)
    contexts.update(bridges.contexts(file))
    contexts.update(decorators.own_contexts(file))
    for site in file.sites:
        if site.code in requests.SOURCES:
            _attempt(file, site, lambda site=site: requests.port_field(file, site, views))
    requests.port_datastructures(file)
    for site in file.sites_of(VALUES.code):
        _attempt(file, site, lambda site=site: requests.port_values(file, site, views))
    for site in file.sites_of(codes.BODY):
        _attempt(file, site, lambda site=site: requests.port_body(file, site, views))
    request_object.port_request_reads(file, contexts)
    config.port_config(file, apps, contexts if facts.flask_config else None)
    app_context.port_current_app(file, apps)  # early: what encloses current_app is rewritten from its text
    hooks.port_g(file, contexts, lambda name: decorators.used_elsewhere(file, name, facts.root, facts.flagged))
    session.port_session(file, contexts, apps, facts.root, facts.session_elsewhere)
    exceptions.port_exceptions(file, views, facts.root, facts.flagged)
    werkzeug_http.port_fastapi_handlers(file)
    for site in file.sites_of(codes.MAKE):  # make_response(render_template(...)): both at once, before either alone
        made = site.node if site.node.kind() == "call" else routes.call_of(site.node)
        if made is not None and any(s.code == codes.TEMPLATE for s in file.sites_in(made)):
            try:
                templates.port_made_page(file, site, views, facts.app_folder, facts.flagged, facts.root)
            except NotPortable as reason:
                site.reason = str(reason)
    for site in file.sites_of(codes.TEMPLATE):  # `return render_template(...), 401`: before the tuple around it
        if templates.returned_in_tuple(site):
            try:
                templates.port_render(file, site, views, facts.app_folder, facts.flagged, facts.root)
            except NotPortable:
                pass  # tried again with the other renders below, which say why at the site
    # url_for before the responses around it (`redirect(url_for(...))`), which take its rewrite in
    alone = all(path == file.path or not path.endswith(".py") for path in facts.flagged)
    building = decorators.with_wrappers(file, views)  # a wrapper of the module's own decorators builds URLs too
    for site in file.sites_of(codes.URL):
        _attempt(file, site, lambda site=site: urls.port_url_for(file, site, building, _blueprint_of(file, site, building, resolve),
                                                                 alone, facts.root, facts.flagged))
    url_values.port_url_values(file, resolve, facts.root, facts.flagged)  # after url_for, before what encloses it
    libraries.port_schema_jsonify(file, views)  # before the returns around it (`return schema.jsonify(obj), 201`)
    for code, handler in _EXPRESSIONS:
        # in handlers and hooks too, except abort: raised there, it would not reach the exception handlers
        scope = views if code in (codes.ABORT_CALL, codes.AFTER_THIS, codes.SENT_FILE) else contexts
        if code == codes.ABORT_CALL:  # a wrapper of the module's own decorators runs inside the path operation too
            scope = {**views, **decorators.own_contexts(file)}
        for site in file.sites_of(code):
            if code == codes.ABORT_CALL and not _within(site, scope):  # in a helper the views call: raised still
                _attempt(file, site, lambda site=site: helper_raises.port_helper_abort(file, site, views))
                continue
            _attempt(file, site, lambda site=site, handler=handler, scope=scope: _in_view(site, scope) and handler(file, site))  # type: ignore[misc]
    # an error handler's page, rendered by the Flask app behind FastAPI: before the handler converts, which needs
    # every finding in it rewritten
    handlers = {span(a.function)[0]: a.function for a in around if a.kind == "error"}
    for site in file.sites_of(codes.TEMPLATE) if handlers and file.memo.get(templates.FLASK_BEHIND) else ():
        function = enclosing_function(site.node)
        if function is not None and span(function)[0] in handlers:
            _attempt(file, site, lambda site=site: templates.port_handler_render(file, site, handlers))
    made = [site for site in file.sites_of(codes.APP) if _assigned(site)]
    hooks.port_around(file, around, file.statement_of(made[0].node) if len(made) == 1 else None)
    session.finish(file)
    bridges.finish(file)
    decorators.finish_own(file)
    for site in file.sites_of(codes.BLOCKING):
        _attempt(file, site, lambda site=site: view_functions.port_blocking(file, site, views))
    for site in file.sites_of(codes.ALIAS):
        _attempt(file, site, lambda site=site: view_functions.port_alias(file, site, views))
    for site in file.sites_of(codes.CORS):
        _attempt(file, site, lambda site=site: extensions.port_cors(file, site, apps))
    libraries.port_libraries(file, apps)
    extensions.port_middlewares(file, apps)
    extensions.explain_no_counterpart(file, apps)
    for site in file.sites_of(codes.LOGGER):
        _attempt(file, site, lambda site=site: view_functions.port_logger(file, site, apps))
    for site in file.sites_of(codes.BLUEPRINT):
        _attempt(file, site, lambda site=site: routes.port_blueprint(file, site, routes.blueprint_info(file, site)))
        if site.handled:
            templates.port_blueprint_folders(file, routes.blueprint_info(file, site))
    url_values.finish(file)  # on the routers port_blueprint made
    for site in file.sites_of(codes.TEMPLATE):
        _attempt(file, site, lambda site=site: templates.port_render(file, site, views, facts.app_folder,
                                                                   facts.flagged, facts.root))
    for site in file.sites_of(STREAM_TEMPLATE.code):
        _attempt(file, site, lambda site=site: templates.port_stream_template(file, site, views, facts.app_folder,
                                                                            facts.flagged, facts.root))
    for site in file.sites_of(RENDER_TO_TEXT.code):
        _attempt(file, site, lambda site=site: templates.port_render_text(file, site, views, facts.app_folder,
                                                                        facts.flagged, facts.root))
    jinja_env.port_jinja_env(file, apps, facts.root, facts.flagged)  # after the renders that define `templates`
    urls.port_build_errors(file, views)
    test_clients.port_test_clients(file, _attempt, facts.flask_stays, facts.test_responses, facts.root)
    for site in file.sites_of(codes.RULES):
        _attempt(file, site, lambda site=site: routes.port_url_map(file, site, views, resolve, alone))
    static = facts.root is not None and (facts.root / file.path).parent.joinpath("static").is_dir()
    for site in file.sites_of(codes.APP):
        _attempt(file, site, lambda site=site: routes.port_application(
            file, site, lambda url: templates.mount_static(file, site, static, url)))
    app_json.port_app_json(file, apps, facts.flagged)  # after the app's FastAPI() it adds a response class to
    proxy_fix.port_proxy_fix(file, apps)  # last of what adds middleware: it is the outermost, as ProxyFix was
    from_classes = {id(route) for route in class_routes}
    for route in found:
        if id(route) in from_classes:
            continue
        returns = list(returns_of(route.function))
        html = "HTMLResponse" if responses.html_view(file, route.function, returns) else None
        routes.port_route(file, route, html)
    class_views.port_class_views(file, class_routes)
    for site in file.sites_of(codes.REGISTRATION):
        _attempt(file, site, lambda site=site: _register(file, site, resolve, removed, facts.root))
    routes.render_signature(file)
    for site in file.sites_of(WERKZEUG_HELPERS.code):
        # the rule's counterpart is the code as it is: these helpers work on plain strings, werkzeug stays a library
        site.handled = True
    app_context.port_app_context(file, apps)  # last: what it wraps must keep nothing of Flask
    app_context.allow_own_attributes(file, apps)
    for site in file.sites:
        if not site.handled:
            file.todo(site)
    _units(file, found, resolve)
    return fix_imports(file.commit(), file.imports, file.definitions, first_party(facts.root))


def _within(site: Site, views: dict[int, Any]) -> bool:
    node = enclosing_function(site.node)
    return node is not None and span(node)[0] in views


def _in_view(site: Site, views: dict[int, Any]) -> bool:
    """Responses are rewritten only in the views the port converts: a helper may serve Flask views too."""
    node = enclosing_function(site.node)
    if node is None or span(node)[0] not in views:
        raise NotPortable("outside a ported view function")
    return True


# Sites whose rule creates or routes on the object itself: left to people, the module cannot convert.
_STRUCTURAL = (codes.APP, codes.ROUTE_DECORATOR, codes.BLUEPRINT, codes.REGISTRATION)


def _units(file: PortedFile, found: list[routes.Route], resolve: Resolver) -> None:
    """What this file makes or routes on, what it registers, and what keeps a unit from converting: a site
    left to people on the app or Blueprint object (`@bp.before_request` on an APIRouter fails at import),
    or any other use of the object's name (`Api(bp)`, `db.init_app(app)`), which would get the FastAPI
    object where it expects Flask's."""
    objects: dict[str, str] = {}  # name in this file -> its unit
    made: set[str] = set()  # the units this file creates or routes on (not those it only registers)
    allowed: set[int] = set()  # where a name of `objects` is used as the port converts it
    for route in found:
        info = resolve(file, route.owner)
        objects[route.owner] = info.unit if info is not None else "app"
        made.add(objects[route.owner])
        allowed.add(span(route.site.node)[0])
    # a use of the app the port rewrote (a handler's decorator, `app.logger`, `CORS(app, ...)`)
    handled = sorted([span(site.node) for site in file.sites if site.handled] + file.memo.get(hooks.REWRITTEN, []))
    handled_starts = [start for start, _ in handled]
    for site in file.sites_of(codes.APP):
        name = _assigned(site)
        objects[name or "app"] = "app"
        made.add("app")
        allowed.add(_target(site))
        allowed |= _returned_by_factory(site, name)
    for site in file.sites_of(codes.BLUEPRINT):
        name = _assigned(site)
        info = resolve(file, name) if name else None
        if info is not None:
            objects[name] = info.unit  # type: ignore[index]
            made.add(info.unit)
            allowed.add(_target(site))
    for site in file.sites_of(codes.REGISTRATION):
        call = routes.call_of(site.node)
        arguments = call.field("arguments").named_children() if call is not None and call.field("arguments") else []  # type: ignore[union-attr]
        info = resolve(file, arguments[0].text()) if arguments else None
        if info is not None and _readable(file, site, resolve):  # else the Flask app would register an APIRouter
            file.registers.add(info.unit)
            objects.setdefault(arguments[0].text(), info.unit)
            allowed |= {span(site.node)[0], span(arguments[0])[0]}
    file.units |= made
    for site in file.sites:
        head = site.node.text().split("(")[0]
        if not site.handled and (site.code in _STRUCTURAL or head.split(".")[0] in objects and "." in head):
            line = site.node.range().start.line + 1
            why = f": {site.reason}" if site.reason else ""
            file.blocked.setdefault("*", f"{site.code} at {file.path}:{line} ({head}) is left to people{why}")
    for node in file.root.find_all(kind="identifier"):
        name = node.text()
        if name in objects and span(node)[0] not in allowed and _a_use(node) and \
                not _inside(span(node), handled, handled_starts):
            line = node.range().start.line + 1
            file.blocked.setdefault(objects[name], f"{name} is used at {file.path}:{line} in a way the port does "
                                                   f"not convert: {_line(file, node)}")


def _readable(file: PortedFile, site: Site, resolve: Resolver) -> bool:
    """True when the registration is one the port moves or rewrites (routes.registration reads it)."""
    try:
        routes.registration(file, site, resolve)
    except NotPortable:
        return False
    return True


def _returned_by_factory(site: Site, name: str | None) -> set[int]:
    """Where an app factory returns the app it made (`return app`): the FastAPI app then, an ASGI app as the
    Flask one was a WSGI app to whoever serves what the factory returns (what else callers do with it is
    a finding in their modules)."""
    function = enclosing_function(site.node)
    if name is None or function is None:
        return set()
    found = set()
    for statement in function.find_all(kind="return_statement"):
        value = statement.named_children()[0] if statement.named_children() else None
        if value is not None and value.kind() == "identifier" and value.text() == name and \
                enclosing_function(statement) == function:
            found.add(span(value)[0])
    return found


def _inside(where: tuple[int, int], spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """True when `where` lies in one of the sorted `spans` (the nearest one starting before it, by bisection;
    handled sites do not nest in one another except a tuple around its jsonify, which starts first)."""
    at = bisect.bisect_right(starts, where[0]) - 1
    while at >= 0:
        if spans[at][1] >= where[1]:
            return True
        if spans[at][0] < where[0] - 10_000:  # far enough back that no enclosing site remains plausible
            return False
        at -= 1
    return False


def _blueprint_of(file: PortedFile, site: Site, views: dict[int, routes.Route], resolve: Resolver) -> BlueprintInfo | None:
    function = enclosing_function(site.node)
    route = views.get(span(function)[0]) if function is not None else None
    return resolve(file, route.owner) if route is not None else None


def _a_use(node: SgNode) -> bool:
    """False for an occurrence of a name that does not use the object: an import, a parameter, a keyword
    argument's name, an attribute of something else."""
    parent = node.parent()
    if parent is None:
        return True
    kind = parent.kind()
    if kind in ("dotted_name", "aliased_import", "parameters"):
        return False
    if kind in ("default_parameter", "typed_parameter"):
        return parent.named_children()[0] != node  # the parameter's name is not a use; its default is
    if kind == "keyword_argument":
        return parent.field("name") != node
    if kind == "attribute":
        return parent.field("attribute") != node
    return True


def _target(site: Site) -> int:
    call = routes.call_of(site.node)
    parent = call.parent() if call is not None else None
    left = parent.field("left") if parent is not None and parent.kind() == "assignment" else None
    return span(left)[0] if left is not None else -1


def _line(file: PortedFile, node: SgNode) -> str:
    start = file.line_start(span(node)[0])
    end = file.text.find("\n", start)
    return file.text[start:end if end >= 0 else len(file.text)].strip()[:80]


def _assigned(site: Site) -> str | None:
    call = routes.call_of(site.node)
    parent = call.parent() if call is not None else None
    if parent is not None and parent.kind() == "assignment" and parent.field("left").kind() == "identifier":  # type: ignore[union-attr]
        return parent.field("left").text()  # type: ignore[union-attr]
    return None


def _register(file: PortedFile, site: Site, resolve: Resolver, removed, root: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    call, app, info, prefix = routes.registration(file, site, resolve)
    if removed is not None:
        removed(file, site, call, app, info, prefix)
        return
    include = routes.include_text(app, call.field("arguments").named_children()[0].text(), prefix)  # type: ignore[union-attr]
    mount = templates.blueprint_static(file, app, info, prefix, root)
    if mount:  # before the router: Werkzeug matches the static rule before a Blueprint's <path:> catch-all
        statement = file.statement_of(call)
        include = f"{mount}\n{file.text[file.line_start(span(statement)[0]):span(statement)[0]]}{include}"
    file.replace(call, include)
    site.handled = True
