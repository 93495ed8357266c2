"""`migrate-audit port`: the mechanical part of the migration, from the audit's findings.

    from migrate_audit.port import port
    result = port("path/to/project")            # every file the audit found Flask in
    result = port("path/to/project", only="books")  # one Blueprint; main.py mounts the rest with a2wsgi
    print(result.diff())

Each site is rewritten only where the FastAPI code answers what Flask answered (the proof cases hold the
evidence, tests/test_port.py runs the ported apps beside the originals); every other finding in a ported
file gets its advice as a `# TODO(migrate-audit FMAxxx)` comment at the site. A unit (the app or a Blueprint)
converts whole or stays Flask (units.py; while the app stays Flask, a unit whose views keep a TODO stays too,
and its conversion is written beside it as a draft); the views of one that stays and that convert fully on
their own move to a new module FastAPI serves in front of the Flask app (split.py). Nothing is written here:
`writer.write` puts a result in a folder.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ast_grep_py import SgNode

from . import (bridges, codes, config, flask_sqlalchemy, hooks_in_front, imported_context, in_front, injector, login,
               plan, responses, routes, routing_errors, session, shared_decorators, split, templates, test_clients,
               units)
from . import cors_front
from . import pydantic_validate
from .convert import Facts, port_file
from .edits import PortedFile, Site
from .routes import BlueprintInfo
from .writer import URL_FALLBACK, URL_FALLBACK_TEXT, Include, main_text
from ..scopes import span

__all__ = ["PortResult", "port"]
MAIN = "main.py"


@dataclass
class PortResult:
    root: str
    before: dict[str, str] = field(default_factory=dict)  # path -> text, for every file the port changed
    after: dict[str, str] = field(default_factory=dict)  # path -> new text (main.py: only here)
    handled: int = 0  # findings rewritten
    total: int = 0  # findings in the ported files
    todos: list[tuple[str, str]] = field(default_factory=list)  # (path, code) of the sites left to people
    routes: int = 0  # route decorators in the selected files
    routes_ported: int = 0  # of them, converted fully: the route and every finding in its view rewritten
    routes_moved: int = 0  # of those, served by FastAPI from a new module while their unit stays Flask (split)
    notes: list[str] = field(default_factory=list)  # the units that stay Flask, and why
    # modules written beside the Flask ones of units held back for their TODOs, for people to finish; nothing
    # imports them (units.py)
    drafts: list[str] = field(default_factory=list)
    # (path, line, column, code) of every finding of the audit the port rewrites, in any file (a registration
    # moved to main.py is one): what `scan --port` marks in the report (report/ported.py)
    ported: set[tuple[str, int, int, str]] = field(default_factory=set)
    # (path, line, view function) of each route converted fully, for runs that compare the ported app's
    # answers with Flask's (bench/port_real.py)
    converted: list[tuple[str, int, str]] = field(default_factory=list)

    def diff(self) -> str:
        """A unified diff of every change, paths relative to the ported folder."""
        chunks = []
        for path in sorted(self.after):
            chunks += difflib.unified_diff(self.before.get(path, "").splitlines(keepends=True),
                                           self.after[path].splitlines(keepends=True),
                                           f"a/{path}" if path in self.before else "/dev/null", f"b/{path}")
        return "".join(chunks)


def port(path: str, only: str | None = None, audit_options: dict[str, Any] | None = None) -> PortResult:
    """Port the project folder `path` (or the unit `only` of it); `audit_options` go to the audit it starts
    from (`cache_dir`, `no_cache`, `jobs`: the keywords of `pipeline.prepare`)."""
    project = plan.read_project(path, audit_options)
    selected = plan.select(project, only)
    resolve = plan.resolver(project)
    # (the first pass takes Flask's session as coming from outside a Blueprint's module: known after it)
    facts = Facts(project.root, project.app_folder, frozenset(project.flagged), session_elsewhere=True,
                  template_folders=templates.blueprint_template_folders(project, resolve),
                  flask_config=plan.keeps_config(project, selected), flask_injector=plan.injector_on_every_app(project))
    facts = replace(facts, shared=shared_decorators.find(project, resolve, facts))  # decorators across modules
    result = PortResult(str(project.root))
    # First pass: what each file makes, routes on and registers, and what keeps it from converting.
    trial = {relpath: project.parse(relpath) for relpath in project.findings}
    converted = {relpath: port_file(file, resolve, None, facts) for relpath, file in trial.items()}
    # main.py goes where Python imports the Flask app's package from (`src/` in a src layout)
    where = plan.import_root(project.root, project.app_path) if project.app_path else ""
    held: Any = True
    context: dict[str, str] = {}
    while held:  # a decorator another module imports converts with its module and every user, or all stay
        notes: list[str] = []
        why = units.staying(trial, selected, notes)
        # the app module's hooks and handlers, which main.py runs around what FastAPI serves (split.carry)
        carried = split.carry(trial, converted, where, plan.module_name, lambda p: (project.root / p).exists(),
                              notes, resolve) if "app" in why and selected - {project.app_path} else None
        if "app" in why:  # main.py would serve the converted units without what the Flask app runs around requests
            why.update(units.hazarded(trial, selected, why, split.around_requests(trial, resolve, carried), notes))
            # nor in Flask's context, which a helper they import from a module staying Flask's needs
            context = imported_context.held(trial, selected, why, notes, facts.shared)
            why.update(context)
        shared, held = shared_decorators.hold_together(trial, selected, why, facts.shared)
        facts = replace(facts, shared=shared)
    result.notes += notes
    staying = set(why)
    # Flask's session in a Blueprint's module: from main.py's bridge (the Flask app's own config) while the app
    # stays Flask, else from the app module's, when it adds one (session.py)
    facts = replace(facts, session_elsewhere="app" in staying or any(
        file.memo.get(session.ADDED) and "app" in file.units for file in trial.values()))
    # test clients drive the Flask app behind a2wsgi while it stays; responses are httpx's once every client is
    facts = replace(facts, flask_stays="app" in staying, test_responses=test_clients.clients_made(trial.values()))
    bridged = False  # main.py adds the bridge's middleware
    # held back only because their views keep TODOs: the whole conversion is written as a draft (units.py)
    held = units.unfinished(trial, selected) if "app" in staying else {}
    # ...or because a view calls a helper needing Flask's context (imported_context.held): a draft too
    held.update({unit: reason for unit, reason in context.items() if why.get(unit) == reason and unit not in held})
    includes: list[Include] = []
    # Units staying Flask: their views that convert fully go to new modules FastAPI serves first (split.py).
    candidates = {relpath for relpath in selected if trial[relpath].units & staying}
    moved = split.Split()
    config_read = False  # a module FastAPI serves reads the Flask app's config: main.py puts it on its app
    injected = False  # ...or takes arguments from the Flask app's injector: main.py puts it there too
    # ...or runs in the Flask app's context (port/flask_sqlalchemy.py): the tests' helper names their app for it
    in_context = False
    if "app" in staying and project.app is not None and project.app_path.startswith(where) and candidates:  # type: ignore[union-attr]
        moved = split.split(trial, converted, plan.project_texts(project), candidates, staying, resolve,
                            project.blueprints, where, plan.module_name, lambda p: (project.root / p).exists(),
                            carried, login_carried=login.in_front(facts.shared) is not None)
    result.notes += moved.notes
    for module in moved.moved:
        result.after[module.path] = module.text
        config_read = config_read or config.STATE in module.text
        injected = injected or injector.MODULE in module.text  # the Flask app's injector (port/injector.py)
        in_context = in_context or f"from {flask_sqlalchemy.MODULE} import" in module.text
        if "request.session" in module.text or session.MODULE in module.text:  # moved views use Flask's session
            # (or flash through the bridge): main.py adds the bridge
            bridged = True
            result.after[where + session.FILE] = session.BRIDGE
        includes.append(Include(plan.module_name(module.path, where), module.owner, module.prefix))
        result.routes_moved += module.routes
        if f"from {templates.FLASK_RENDER} import" in module.text:  # renders with the Flask app behind it
            result.after[where + templates.FLASK_RENDER_FILE] = templates.FLASK_RENDER_TEXT
        if f"from {responses.SEND_BEHIND} import" in module.text:  # sends files with the Flask app behind it
            result.after[where + responses.SEND_BEHIND_FILE] = responses.SEND_BEHIND_TEXT
            result.after[where + templates.FLASK_RENDER_FILE] = templates.FLASK_RENDER_TEXT  # (which finds the app)
        if f"from {flask_sqlalchemy.MODULE} import" in module.text:  # a moved view runs in the Flask app's context
            result.after[where + flask_sqlalchemy.FILE] = flask_sqlalchemy.BRIDGE
            if flask_sqlalchemy.IN_REQUEST in module.text:  # ...in a request context built as flask_render builds it
                result.after[where + templates.FLASK_RENDER_FILE] = templates.FLASK_RENDER_TEXT
        if f"from {pydantic_validate.MODULE} import" in module.text:  # a decorator it takes along (split.Along)
            result.after[where + pydantic_validate.FILE] = pydantic_validate.BRIDGE

    left_flask: list[str] = []  # the converted Blueprints whose registration leaves the Flask app

    def move_to_main(file: PortedFile, site: Site, call, app: str, info: BlueprintInfo, prefix: str) -> None:  # type: ignore[no-untyped-def]
        if info.unit not in staying and info.path.startswith(where):  # main.py's FastAPI app serves it now
            file.delete_statement(file.statement_of(call))
            includes.append(Include(plan.module_name(info.path, where), info.variable, prefix))
            site.handled = True
            left_flask.append(info.name)  # its endpoints too: Flask's url_for builds them from FastAPI's (writer.py)

    # main.py adds the bridge's FlaskAppLoginManager (login.main_with_manager); and lets the Flask app build the URL
    # of its login view where that moved to FastAPI
    front = login.in_front(facts.shared) if "app" in staying else None
    login_views = front is not None and login.views_moved(front, staying, {u for f in trial.values() for u in f.units})
    login_in_front, bridged = login_views, bridged or login_views
    if moved.moved and front is not None:  # Flask-Login's hook runs for every route FastAPI serves (extension_scopes)
        login_in_front = bridged = True
        result.after[where + session.FILE] = session.BRIDGE
        result.after[where + login.FRONT_FILE] = login.FRONT
        result.after[where + login.FILE] = login.BRIDGE
    if login_views:
        result.after[where + session.FILE] = session.BRIDGE
        result.after[where + login.FRONT_FILE] = login.FRONT
    test_apps: set[str] = set()  # where tests that drive the Flask app get `ported_app` (test_clients.py)
    for relpath in sorted(project.findings):
        file = project.parse(relpath)
        converts = relpath in selected and not trial[relpath].units & staying
        if converts:
            text = port_file(file, resolve, move_to_main if "app" in staying else None, facts)
            if "app" in staying:  # a 404 the views raise goes to the app's handler main.py adds, as in Flask
                text = hooks_in_front.answered_in_front(text, carried)
            if file.memo.get(session.USED):  # the module reads Flask's session cookie through the bridge
                result.after[session.bridge_path(project.root, relpath)] = session.BRIDGE
                bridged = bridged or not file.memo.get(session.ADDED)
            result.after.update(bridges.written(file, project.root, relpath))  # the extensions' bridges it imports
            if file.memo.get(templates.FLASK_RENDER_USED):  # renders with the Flask app behind (flask_render.py)
                result.after[plan.import_root(project.root, relpath) + templates.FLASK_RENDER_FILE] = \
                    templates.FLASK_RENDER_TEXT
            if file.memo.get(responses.SEND_BEHIND_USED):  # sends files with the Flask app behind (flask_send_file.py)
                root = plan.import_root(project.root, relpath)
                result.after[root + responses.SEND_BEHIND_FILE] = responses.SEND_BEHIND_TEXT
                result.after[root + templates.FLASK_RENDER_FILE] = templates.FLASK_RENDER_TEXT
            if file.memo.get(login.USED) and login.in_front(facts.shared) and "app" in staying:
                # Flask-Login of the Flask app's manager: main.py gives the bridge that manager and the session
                login_in_front = bridged = True
                result.after[where + session.FILE] = session.BRIDGE
                result.after[where + login.FRONT_FILE] = login.FRONT
            config_read = config_read or bool(file.memo.get(config.STATE_USED))
            injected = injected or bool(file.memo.get(injector.USED) and file.memo.get(injector.FROM_FLASK))
            in_context = in_context or bool(file.memo.get(flask_sqlalchemy.USED))
            if file.memo.get(test_clients.USED):  # the tests open Flask's session through the helper
                result.after[test_clients.helper_path(project.root, relpath)] = test_clients.HELPER_TEXT
            if file.memo.get(test_clients.APP_USED):  # the tests drive main.py's composition: written at the end
                test_apps.add(test_clients.helper_path(project.root, relpath, test_clients.APP_HELPER_FILE))
            _count_converted(result, relpath, file, moved=False)
        else:
            for site in file.sites:  # served by FastAPI from the new module: not left to people
                site.handled = site.handled or (relpath, span(site.node)[0]) in moved.handled
            _count_converted(result, relpath, file, moved=True)
            text = _keep_flask(file, resolve, move_to_main, todos=relpath in selected)
        # plan.Project.parse made one site per finding, in order, and nothing adds sites after it
        result.ported |= {(f["path"], f["line"], f["column"], f["code"])
                          for f, site in zip(project.findings[relpath], file.sites) if site.handled}
        if relpath in selected:
            result.routes += len(file.sites_of(codes.ROUTE_DECORATOR)) + len(file.sites_of(codes.ADD_RULE))
            result.total += len(file.sites)
            result.handled += sum(site.handled for site in file.sites)
            result.todos += [(relpath, site.code) for site in file.sites if not site.handled]
        if text != project.texts[relpath]:  # (a module only normalised, nothing else changed: kept as it is)
            result.before[relpath], result.after[relpath] = project.originals.get(relpath, project.texts[relpath]), text
        mine = trial[relpath].units
        if relpath in selected and mine and all(unit in held and why[unit] == held[unit] for unit in mine):
            draft = units.draft_path(relpath)
            if (project.root / draft).exists() or draft in result.after:
                result.notes.append(f"no draft of {relpath}: {draft} exists")
            else:
                result.after[draft] = converted[relpath]
                result.drafts.append(draft)
                result.notes.append(f"{relpath} converted with its TODOs is in {draft}, for people to finish; nothing "
                                    "imports it, the Flask module still answers")
    if "app" in staying and project.app is not None and includes:
        name = where + (MAIN if not (project.root / where / MAIN).exists() else "main_fastapi.py")
        # the Flask side (its code, its templates) builds a URL of a Blueprint that left it: main.py gives Flask's
        # url_for FastAPI's routes to build it from
        names = "|".join(map(re.escape, left_flask))
        built = re.compile(rf"""url_for\(\s*['"](?:{names})\.""") if left_flask else None
        fallback = built is not None and any(built.search(_text(project.root / flagged)) for flagged in sorted(project.flagged))
        result.after[name] = main_text(project.app, plan.module_name(project.app_path, where), includes, bridged,
                                       urls=fallback, config=config_read, injector=injected)
        if fallback:
            result.after[where + URL_FALLBACK + ".py"] = URL_FALLBACK_TEXT
        if login_in_front:
            result.after[name] = login.main_with_manager(result.after[name], login_views)
        if injected:
            result.after[where + injector.FILE] = injector.BRIDGE
        result.after[name] = in_front.in_front_of_flask(result.after[name], trial.get(project.app_path), result.notes)
        if left_flask:  # Werkzeug's answers on the paths of the Blueprints that left the Flask app
            result.after[name] = routing_errors.in_main(result.after[name])
            if f"{routing_errors.MODULE}(app" in result.after[name]:
                result.after[where + routing_errors.FILE] = routing_errors.BRIDGE
        if f"from {cors_front.MODULE} import" in result.after[name]:  # the Flask app's own Flask-CORS, in front
            result.after[where + cors_front.FILE] = cors_front.TEXT
            result.notes += [cors_front.preflights_note(left_flask)] if left_flask else []
        app_file = trial.get(project.app_path)
        if carried is not None and carried.text and app_file is not None and \
                app_file.memo.get(hooks_in_front.MEMO) is carried:
            # main.py imports the app's hooks and handlers from their copy (split.carry)
            result.after[carried.path] = carried.text
            if f"from {templates.FLASK_RENDER} import" in carried.text:  # a handler's page, rendered by the Flask app
                result.after[where + templates.FLASK_RENDER_FILE] = templates.FLASK_RENDER_TEXT
            # the app module's, or a Blueprint module's app-wide hooks (hooks_in_front.plan_app_wide)
            origin = re.sub(r"(^|/)(\w*?)_?hooks_fastapi\.py$",
                            lambda m: m.group(1) + (m.group(2) or "__init__") + ".py", carried.path)
            result.notes.append(f"the request hooks and error handlers of {origin} run around FastAPI's "
                                f"routes from {carried.path}; {origin} keeps its own for the Flask routes")
    urls = URL_FALLBACK + ".py" in {after.rpartition("/")[2] for after in result.after}
    for path in sorted(test_apps):  # what main.py serves (the Flask app alone while nothing moved), per test app
        result.after[path] = test_clients.app_helper_text(includes, bridged, in_front.for_tests(trial.get(project.app_path))
                                                          if includes else ([], "", []), urls,
                                                          config=config_read, injector=injected,
                                                          sqlalchemy=in_context)
        if urls:  # beside the helper, which imports it as main.py does
            result.after[path.rpartition("/")[0] + "/" * ("/" in path) + URL_FALLBACK + ".py"] = URL_FALLBACK_TEXT
    for path in sorted(test_apps) if login_in_front else ():  # with main.py's Flask-Login manager too
        result.after[path] = login.helper_with_manager(result.after[path], login_views)
    return result


def _text(path) -> str:  # type: ignore[no-untyped-def]
    """A project file's text ("" when it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _view_of(site: Site):  # type: ignore[no-untyped-def]
    """The decorated definition a route decorator belongs to (the site itself when it is not a decorator)."""
    node = site.node
    while node.parent() is not None and node.kind() != "decorated_definition":
        node = node.parent()
    return node if node.kind() == "decorated_definition" else site.node


def _count_converted(result: PortResult, relpath: str, file: PortedFile, moved: bool) -> None:
    """The routes of `file` converted fully: a decorated view whose every finding is rewritten (`moved`: whose route
    a module FastAPI serves took, split.py), an add_url_rule route whose view converted or moved with it."""
    for site in file.sites_of(codes.ROUTE_DECORATOR):
        if site.handled if moved else all(s.handled for s in file.sites_in(_view_of(site))):
            result.routes_ported += 1
            result.converted.append((relpath, site.node.range().start.line + 1, _name_of(_view_of(site))))
    for site, view in _registered_views(file):
        if site.handled and view is not None and all(s.handled for s in file.sites_in(view)):
            result.routes_ported += 1
            result.converted.append((relpath, site.node.range().start.line + 1, _name_of(view)))


def _registered_views(file: PortedFile) -> list[tuple[Site, SgNode | None]]:
    """Each `add_url_rule` route of the module with the module-level definition of its view (the class of
    `Cls.as_view(...)`, or the function given as `view_func`), None when it is not one the module defines."""
    found = []
    for site in file.sites_of(codes.ADD_RULE):
        call = routes.call_of(site.node)
        value = None
        if call is not None and call.field("arguments") is not None:
            arguments = call.field("arguments").named_children()  # type: ignore[union-attr]
            keyword = [a.field("value") for a in arguments
                       if a.kind() == "keyword_argument" and a.field("name").text() == "view_func"]  # type: ignore[union-attr]
            positional = [a for a in arguments if a.kind() not in ("keyword_argument", "comment")]
            value = keyword[0] if keyword else positional[2] if len(positional) > 2 else None
        if value is not None and value.kind() == "call" and value.field("function").kind() == "attribute":  # type: ignore[union-attr]
            value = value.field("function").field("object")  # type: ignore[union-attr]  # Cls.as_view(...)
        name = value.text() if value is not None and value.kind() == "identifier" else None
        definition = next((s for s in file.root.children()
                           if s.kind() in ("class_definition", "function_definition", "decorated_definition")
                           and _defined_name(s) == name), None) if name else None
        found.append((site, definition))
    return found


def _defined_name(statement: SgNode) -> str | None:
    definition = statement.field("definition") if statement.kind() == "decorated_definition" else statement
    name = definition.field("name") if definition is not None else None
    return name.text() if name is not None else None


def _name_of(view) -> str:  # type: ignore[no-untyped-def]
    if view.kind() in ("class_definition", "function_definition"):
        return _defined_name(view) or ""
    definition = view.field("definition") if view.kind() == "decorated_definition" else None
    name = definition.field("name") if definition is not None else None
    return name.text() if name is not None else ""


def _keep_flask(file: PortedFile, resolve, move_to_main, todos: bool) -> str:  # type: ignore[no-untyped-def]
    """A file that stays Flask: the registrations of converted Blueprints leave it (for main.py), and, when
    it was to be ported, every finding gets its TODO."""
    from .routes import NotPortable, registration

    changed = False
    for site in file.sites_of(codes.REGISTRATION):
        try:
            call, app, info, prefix = registration(file, site, resolve)
        except NotPortable:
            continue
        move_to_main(file, site, call, app, info, prefix)
        changed = changed or site.handled
    if todos:
        for site in file.sites:
            if not site.handled:
                file.todo(site)
    return file.commit() if changed or todos else file.text
