"""Werkzeug's HTTP exceptions raised in a helper of a Blueprint's module that only its views call (`abort(404,
f"Post id {id} doesn't exist.")` in the Flask tutorial's `get_post`): raised still, Werkzeug's own exception, and
answered by the router as Flask answered it.

In a view, `abort(...)` becomes `return flask_abort(...)` (responses.py): the view returns Werkzeug's response. A
helper cannot return its caller's answer, it must raise; and FastAPI answers a raised HTTPException with JSON, a
Werkzeug one with a 500. So the helper keeps raising Werkzeug's exception (Flask's `abort(404, d)` -> `raise
NotFound(d)`, what Werkzeug's Aborter raises; Werkzeug's `abort` and classes as they are), and the module's router
gets `route_class=WerkzeugErrorRoute`, written into the module: around each of its path operations, a raised
Werkzeug HTTPException is answered with the response Werkzeug makes of it (its HTML page, text/html;
charset=utf-8, the status and headers), what Flask sent where no error handler took it. Being the same exception,
it is caught by the same `except` clauses in the helper and the views as in Flask. The response is the route's
answer, so the middleware around it (the app's carried after-request hooks) sees it, as Flask ran them on it.

Only where that is all Flask did: the helper is a function at the top of the module, every use of its name a call
made by a view of the module's one Blueprint (not in a lambda or nested function of the view, not by a hook, an
error handler or another helper, which FastAPI runs outside the path operation), no other module of the project
names it, the status is a literal Werkzeug has a class for, and no error handler of the project would have taken
it in Flask (responses.project_handler; a handler keeps today's `raise HTTPException` with its TODO).
"""
from __future__ import annotations

from ast_grep_py import SgNode

from ..scopes import span
from . import codes
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import call_of, define_standalone

ROUTE_CLASS = "WerkzeugErrorRoute"
ROUTE_TEXT = '''
class WerkzeugErrorRoute(APIRoute):
    """A path operation answering a raised Werkzeug HTTPException as Flask did where no
    error handler took it: the response Werkzeug makes of it (its HTML page, text/html;
    charset=utf-8, the status and headers)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except WerkzeugHTTPException as error:
                page = error.get_response()
                return Response(
                    page.get_data(), status_code=page.status_code, headers=dict(page.headers)
                )

        return answer
'''
WERKZEUG_NAME = "WerkzeugHTTPException"
MEMO = ("helper_raises: the router answers Werkzeug's exceptions", 0)  # file.memo: the router's name
USES = ("helper_raises: the module's identifiers by name", 0)
WRITTEN = ("helper_raises: the module defines the route class as the port wrote it", 0)


def raised_in_helper(file: PortedFile, statement: SgNode, code: int, views: dict[int, object]) -> bool:
    """NotPortable unless Werkzeug's exception for `code`, raised by `statement` in a helper of the module, reaches
    only the views of the module's router. Then True where no error handler of the project takes it (the router
    gets the route class), False where one does (FastAPI's HTTPException reaches that handler's conversion)."""
    from .exceptions import _named_elsewhere
    from .responses import PROJECT, project_handler

    helper = enclosing_function(statement)
    if helper is None or helper.parent() is None or helper.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("outside a ported view function")  # nor in a helper at the top of the module
    name = helper.field("name").text()  # type: ignore[union-attr]
    router = _router(file)
    owners = set()
    for use in _uses(file).get(name, []):
        if use == helper.field("name"):
            continue
        call = use.parent()
        caller = enclosing_function(use)
        if call is None or call.kind() != "call" or call.field("function") != use or caller is None or \
                _in_lambda(use, caller):
            raise NotPortable(f"{name} is used otherwise than called by a view")
        route = views.get(span(caller)[0])
        if route is None:
            raise NotPortable(f"{name} is called outside the views, where FastAPI's router does not answer it")
        owners.add(getattr(route, "owner", None))
    if not owners:
        raise NotPortable(f"no view calls {name}")
    if router is None or owners != {router}:
        raise NotPortable(f"the views calling {name} are not all routes of the module's one Blueprint")
    root, flagged = file.memo.get(PROJECT, (None, frozenset()))
    if _named_elsewhere(name, file.path, root, flagged):
        raise NotPortable(f"{name} is named in another Flask module, whose views Flask answers")
    try:
        project_handler(file, code)
    except NotPortable:
        return False
    if file.bound.get(ROUTE_CLASS) not in (None, file.path):
        raise NotPortable(f"the module binds {ROUTE_CLASS} to something else")
    file.use("fastapi", "Request", "Response")
    file.use("fastapi.routing", "APIRoute")
    file.use("werkzeug.exceptions", f"HTTPException as {WERKZEUG_NAME}")
    define_standalone(file, ROUTE_CLASS, ROUTE_TEXT)
    file.memo[MEMO] = router
    return True


def port_helper_abort(file: PortedFile, site: Site, views: dict[int, object]) -> None:
    """Flask's `abort(404, d)` as a statement of a helper its views call -> `raise NotFound(d)`, what Werkzeug's
    Aborter raises (Flask's abort outside an app whose aborter was replaced), answered by the route class."""
    from .responses import _CLASS_OF as CLASS_OF
    from .responses import abort_statement

    statement, code, described, positionally = abort_statement(site)
    if not raised_in_helper(file, statement, code, views):
        _handled_by_project(file, site, statement, code, described)
        return
    name = CLASS_OF[code]
    file.use("werkzeug.exceptions", name)
    given = "" if described is None else file.rendered(described) if positionally else \
        f"description={file.rendered(described)}"
    file.replace(statement, f"raise {name}({given})")
    site.handled = True


def keep_werkzeug_abort(file: PortedFile, site: Site, views: dict[int, object]) -> None:
    """Werkzeug's own `abort(404, d)` as a statement of a helper its views call: left as it is, answered by the
    route class (or written so by a port before: `keep_raised`)."""
    from .responses import abort_statement

    statement, code, described, _ = abort_statement(site)
    if not kept_before(file, statement) and not raised_in_helper(file, statement, code, views):
        _handled_by_project(file, site, statement, code, described)
    site.handled = True


def _handled_by_project(file: PortedFile, site: Site, statement: SgNode, code: int, described: SgNode | None) -> None:
    """An abort an error handler of the project takes: FastAPI's HTTPException, with its status, as in a view
    (responses.port_abort), which the handler's conversion answers (hooks.py), with the abort proof's note."""
    from .responses import ABORT_BODY_DIFFERS

    file.use("fastapi", "HTTPException")
    detail = f", detail={file.rendered(described)}" if described is not None else ""
    file.replace(statement, f"raise HTTPException(status_code={code}{detail})")
    file.todo(site, ABORT_BODY_DIFFERS)
    site.handled = True


def kept_before(file: PortedFile, statement: SgNode) -> bool:
    """True for a statement of a function at the top of a module a port before gave the route class (its text as
    written, responses.port_own_helpers): the raises it kept there, which a second port leaves as they are."""
    function = enclosing_function(statement)
    outer = function.parent() if function is not None else None
    if outer is None or outer.kind() != "module":
        return False
    if WRITTEN not in file.memo:
        file.memo[WRITTEN] = any(node.kind() == "class_definition" and node.text() == ROUTE_TEXT.strip()
                                 for node in file.root.children())
    return bool(file.memo[WRITTEN])


def router_argument(file: PortedFile, router: str) -> str:
    """`route_class=WerkzeugErrorRoute` for APIRouter() where a helper's raise needs it, else ""."""
    return f"route_class={ROUTE_CLASS}" if file.memo.get(MEMO) == router else ""


def _uses(file: PortedFile) -> dict[str, list[SgNode]]:
    """The identifiers of the module by name, read once per file however many raises are looked at."""
    uses = file.memo.get(USES)
    if uses is None:
        uses = file.memo[USES] = {}
        for node in file.root.find_all(kind="identifier"):
            uses.setdefault(node.text(), []).append(node)
    return uses


def _router(file: PortedFile) -> str | None:
    """The name the module's one Blueprint is assigned to, if it makes exactly one."""
    names = set()
    for site in file.sites_of(codes.BLUEPRINT):
        call = call_of(site.node)
        assignment = call.parent() if call is not None else None
        left = assignment.field("left") if assignment is not None and assignment.kind() == "assignment" else None
        if left is None or left.kind() != "identifier":
            return None
        names.add(left.text())
    return names.pop() if len(names) == 1 else None


def _in_lambda(node: SgNode, function: SgNode) -> bool:
    current = node.parent()
    while current is not None and current != function:
        if current.kind() == "lambda":
            return True
        current = current.parent()
    return False
