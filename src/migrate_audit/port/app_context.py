"""`current_app.<name>` and `with app.app_context():` in a module whose one app converts.

Flask's `current_app` is the app of the context being handled (flask/globals.py): in a module that makes one
app, at the top, the app that module's requests and `app.app_context()` blocks push, which after the port is the
module's FastAPI app. So where the module gives its app an attribute of its own at import (`app.outbox =
Outbox(...)`, a name FastAPI's app does not have), `current_app.outbox` -> `app.outbox`, the same object, in
views and in the helpers they call. And a `with app.app_context():` whose body keeps nothing of Flask once ported
has nothing left to push: the body runs as it is, without the `with`.

What differs stays with the reason: `current_app` read otherwise (Flask's own attributes, config: config.py,
handed to other code), an app made in a function (a factory: several apps), a context pushed for code that
still needs it (Flask-SQLAlchemy's `db.create_all()`, `g`), or pushed `as` a name. Where no context is pushed,
Flask raised RuntimeError on `current_app`; the port reads the module's app (never worse).
"""
from __future__ import annotations

import textwrap

from ast_grep_py import SgNode

from ..rules.lifecycle import APP_CONTEXT, CURRENT_APP
from . import codes
from .edits import NotPortable, PortedFile, Site
from .routes import call_of

# what FastAPI's app has itself (fastapi 0.165), which an attribute of the project must not shadow
FASTAPI_NAMES = frozenset("""
add_api_route add_api_websocket_route add_exception_handler add_middleware add_route api_route build_middleware_stack
contact debug delete dependency_overrides description docs_url exception_handler exception_handlers frontend get head
host include_router license_info max_body_size middleware middleware_stack mount on_event openapi
openapi_external_docs openapi_schema openapi_tags openapi_url openapi_version options patch post put redoc_url
root_path root_path_in_servers router routes separate_input_output_schemas servers setup state summary
swagger_ui_init_oauth swagger_ui_oauth2_redirect_url swagger_ui_parameters terms_of_service title trace
url_path_for user_middleware version webhooks websocket websocket_route lifespan dependencies
""".split())


def port_current_app(file: PortedFile, apps: set[str]) -> None:
    """`current_app.<own attribute>` -> `app.<own attribute>`; other uses keep their TODO."""
    sites = file.sites_of(CURRENT_APP.code)
    if not sites:
        return
    try:
        app = _the_app(file, apps)
        if file.bound.get("current_app") != "flask":
            raise NotPortable("current_app here is not Flask's")
        own = _own_attributes(file, app)
    except NotPortable as reason:
        for site in sites:
            site.reason = site.reason or str(reason)
        return
    for site in sites:
        node = site.node if site.node.kind() == "attribute" else site.node.parent()
        if site.handled:
            continue
        if node is None or node.kind() != "attribute" or node.field("object").text() != "current_app":  # type: ignore[union-attr]
            site.reason = site.reason or "current_app is used otherwise than by reading an attribute"
            continue
        name = node.field("attribute").text()  # type: ignore[union-attr]
        if name not in own:
            site.reason = site.reason or (f"current_app.{name} is not an attribute this module gives its app (Flask's "
                                          "own attributes have no FastAPI form)")
            continue
        file.replace(node.field("object"), app)  # type: ignore[arg-type]
        site.handled = True


def allow_own_attributes(file: PortedFile, apps: set[str]) -> None:
    """The module's `app.<own attribute>` uses are the port's to keep: FastAPI's app takes an attribute of the
    project's as Flask's did (convert._units would otherwise keep the app Flask's for them)."""
    try:
        app = _the_app(file, apps)
    except NotPortable:
        return
    own = _own_attributes(file, app)
    if not own:
        return
    from .hooks import REWRITTEN
    from ..scopes import span

    for node in file.root.find_all(kind="attribute"):
        if node.field("object").text() == app and node.field("attribute").text() in own:  # type: ignore[union-attr]
            file.memo.setdefault(REWRITTEN, []).append(span(node))


def port_app_context(file: PortedFile, apps: set[str]) -> None:
    """`with app.app_context():` whose body keeps nothing of Flask -> the body, run as it is."""
    for site in file.sites_of(APP_CONTEXT.code):
        try:
            _unwrap(file, site, apps)
        except NotPortable as reason:
            site.reason = site.reason or str(reason)


def _the_app(file: PortedFile, apps: set[str]) -> str:
    made = [site for site in file.sites_of(codes.APP) if call_of(site.node) is not None]
    if len(apps) != 1 or len(made) != 1:
        raise NotPortable("the module does not make one app")
    statement = file.statement_of(made[0].node)
    if statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the app is made in a function (a factory): current_app is whichever app it made")
    return next(iter(apps))


def _own_attributes(file: PortedFile, app: str) -> set[str]:
    """The names the module assigns on its app at the top (`app.outbox = ...`), FastAPI's app not having them."""
    own = set()
    for statement in file.root.children():
        if statement.kind() != "expression_statement" or not statement.named_children():
            continue
        assignment = statement.named_children()[0]
        left = assignment.field("left") if assignment.kind() == "assignment" else None
        if left is not None and left.kind() == "attribute" and left.field("object").text() == app:  # type: ignore[union-attr]
            name = left.field("attribute").text()  # type: ignore[union-attr]
            if not name.startswith("_") and name not in FASTAPI_NAMES and not file.sites_in(statement):
                own.add(name)
    return own


def _unwrap(file: PortedFile, site: Site, apps: set[str]) -> None:
    node = site.node  # `app.app_context`
    call = call_of(node)
    if node.kind() != "attribute" or node.field("object").text() not in apps or call is None:  # type: ignore[union-attr]
        raise NotPortable("not the app_context() of the app this module makes")
    _the_app(file, apps)
    statement = file.statement_of(call)
    if statement.kind() != "with_statement":
        raise NotPortable("the context is pushed otherwise than by a with statement")
    clause = statement.find(kind="with_clause")
    items = [c for c in clause.named_children() if c.kind() == "with_item"] if clause is not None else []
    if len(items) != 1 or items[0].text() != call.text():
        raise NotPortable("the with statement pushes it as a name, or with other contexts")
    body = statement.field("body")
    if body is None:
        raise NotPortable("a with statement without a body")
    left = [s for s in file.sites_in(body) if not s.handled]
    if left:
        raise NotPortable(f"{left[0].code} in it still needs Flask's context")
    indent = _indent(file, statement)
    lines = textwrap.dedent(_body_text(file, statement, body)).splitlines()
    text = "\n".join((indent + line) if line.strip() else "" for line in lines).lstrip()
    file.replace(statement, text)
    site.handled = True


def _indent(file: PortedFile, node: SgNode) -> str:
    start = node.range().start.index
    return file.text[file.line_start(start):start]


def _body_text(file: PortedFile, statement: SgNode, body: SgNode) -> str:
    """The body's lines (with the edits in them), from the start of its first line."""
    first = file.line_start(body.range().start.index)
    rendered = file.rendered(statement)
    return rendered[first - statement.range().start.index:] if first > statement.range().start.index else \
        rendered[rendered.index(":") + 1:]
