"""Werkzeug's HTTP exceptions raised in a converted module -> FastAPI's `HTTPException` with their status.

`raise NotFound("no book 2")` in a view, where `abort(404, "no book 2")` would become Werkzeug's response
(responses.py `flask_abort`: a statement of the view outside try/with, no error handler of the project taking
it) -> `return flask_abort(404, "no book 2")`, the same. In a helper only the views of the module's Blueprint call,
raised still, answered by the router's route class (helper_raises.py; Werkzeug's own `abort` too, which is
otherwise ported as Flask's in a view). Elsewhere -> `raise HTTPException(status_code=404,
detail="no book 2")` (the werkzeug-http-exception proof): FastAPI answers only its own and Starlette's
HTTPException, a Werkzeug one is a 500 there. The status is kept and the body is JSON where Werkzeug rendered
an HTML page, as for `abort` (said in a TODO). A class is rewritten only where every use of it in the module is such a raise, in
a view or a module-level function no other Flask module names (`except NotFound:` would no longer catch
what is raised, and a Flask view calling the function would get FastAPI's exception); classes that add
headers (MethodNotAllowed's Allow, TooManyRequests' Retry-After, a range's Content-Range) are left.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ast_grep_py import SgNode

from ..scopes import span
from . import codes
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .helper_raises import keep_werkzeug_abort, kept_before, raised_in_helper
from .responses import ABORT_BODY_DIFFERS, ABORT_HELPER, ABORT_TEXT, port_abort, returnable_abort
from .routes import arguments, call_of, define_standalone

STATUS = {
    "BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404, "NotAcceptable": 406,
    "RequestTimeout": 408, "Conflict": 409, "Gone": 410, "LengthRequired": 411, "PreconditionFailed": 412,
    "RequestEntityTooLarge": 413, "RequestURITooLarge": 414, "UnsupportedMediaType": 415, "ExpectationFailed": 417,
    "ImATeapot": 418, "UnprocessableEntity": 422, "Locked": 423, "FailedDependency": 424,
    "PreconditionRequired": 428, "RequestHeaderFieldsTooLarge": 431, "UnavailableForLegalReasons": 451,
    "InternalServerError": 500, "NotImplemented": 501, "BadGateway": 502, "ServiceUnavailable": 503,
    "GatewayTimeout": 504, "HTTPVersionNotSupported": 505,
}


def port_exceptions(file: PortedFile, views: dict[int, object], others: Path | None, flagged: frozenset[str]) -> None:
    """Each Werkzeug exception class of the module, all its raises or none; `others` is the project folder
    whose `flagged` files are searched for the helpers' names."""
    by_name: dict[str, list[Site]] = {}
    for site in file.sites_of(codes.WERKZEUG_EXCEPTION):
        if site.node.kind() == "identifier":
            by_name.setdefault(site.node.text(), []).append(site)
    for name, sites in by_name.items():
        if _imported_as(file, name) == "abort" and file.bound.get(name) == "werkzeug.exceptions":
            _port_abort(file, sites, views)
            continue
        sites = _kept(file, name, sites, views)
        if not sites:
            continue
        try:
            if file.bound.get(name) != "werkzeug.exceptions" or name not in STATUS:
                raise NotPortable(f"{name} is not a Werkzeug exception the port maps to a status alone")
            uses = [n for n in file.root.find_all(kind="identifier") if n.text() == name
                    and n.parent() is not None and n.parent().kind() not in ("dotted_name", "aliased_import")]
            if len(uses) != len(by_name[name]):  # the raises kept in helpers are such uses too
                raise NotPortable(f"{name} is also used otherwise in this module")
            plans = [_plan(file, site, views, others, flagged) for site in sites]
            faithful = [_faithful(file, node, STATUS[name], views) for node, _, _ in plans]
            if not all(faithful):
                file.use("fastapi", "HTTPException")  # NotPortable when the module binds it to Werkzeug's
        except NotPortable as reason:
            for site in sites:
                site.reason = site.reason or str(reason)
            continue
        for site, (node, detail, given), returned in zip(sites, plans, faithful):
            if returned:  # Werkzeug's response for it, returned: what Flask sent where no handler took it
                described = f", {file.rendered(given)}" if given is not None else ""
                file.replace(node.parent(), f"return {ABORT_HELPER}({STATUS[name]}{described})")  # type: ignore[arg-type]
                define_standalone(file, ABORT_HELPER, ABORT_TEXT)
            else:
                file.replace(node, f"HTTPException(status_code={STATUS[name]}{detail})")
                file.todo(site, ABORT_BODY_DIFFERS)
            site.handled = True


def _port_abort(file: PortedFile, sites: list[Site], views: dict[int, object]) -> None:
    """Werkzeug's own `abort(...)`: in a view as Flask's is (responses.port_abort), in a helper the views call
    raised still (helper_raises.py)."""
    for site in sites:
        function = enclosing_function(site.node)
        try:
            if function is not None and span(function)[0] in views:
                port_abort(file, site)
            else:
                keep_werkzeug_abort(file, site, views)
        except NotPortable as reason:
            site.reason = site.reason or str(reason)


def _imported_as(file: PortedFile, name: str) -> str:
    """The name `name` has in the module it is imported from (`abort` for `from werkzeug.exceptions import abort
    as werkzeug_abort`)."""
    for statement in file.root.children():
        if statement.kind() == "import_from_statement":
            for item in statement.named_children()[1:]:
                if item.kind() == "aliased_import" and item.field("alias").text() == name:  # type: ignore[union-attr]
                    return item.field("name").text()  # type: ignore[union-attr]
    return name


def _kept(file: PortedFile, name: str, sites: list[Site], views: dict[int, object]) -> list[Site]:
    """The sites left once those raised in a helper the views call are kept as they are (helper_raises.py), and
    then the `except NotFound:` clauses around what raises nothing else (the same class is raised and caught)."""
    if file.bound.get(name) != "werkzeug.exceptions" or name not in STATUS:
        return sites
    left = []
    for site in sites:
        call = call_of(site.node)
        raised = call if call is not None else site.node
        statement = raised.parent()
        function = enclosing_function(raised)
        if statement is None or statement.kind() != "raise_statement" or statement.named_children()[0] != raised or \
                function is None or span(function)[0] in views:
            left.append(site)
            continue
        try:  # a raise a handler of the project takes: as the other raises of the class, below
            if not kept_before(file, statement) and not raised_in_helper(file, statement, STATUS[name], views):
                raise NotPortable("an error handler takes it")
        except NotPortable:
            left.append(site)
            continue
        site.handled = True
    if len(left) == len(sites) or any(_caught_around(site) is None for site in left):
        return left
    for site in left:
        site.handled = True  # every raise of the class is kept, and each except's try raises nothing itself
    return []


def _caught_around(site: Site) -> SgNode | None:
    """The try statement of `except Name:` (or a tuple of names) when its body neither raises nor calls abort
    itself (what it catches comes from the helpers, kept Werkzeug's), else None."""
    clause = site.node.parent()
    if clause is not None and clause.kind() == "tuple":
        clause = clause.parent()
    if clause is None or clause.kind() != "except_clause" or clause.parent() is None:
        return None
    body = clause.parent().field("body")  # type: ignore[union-attr]
    if body is None or body.find(kind="raise_statement") is not None or \
            any(n.text() == "abort" or n.text().endswith("abort") for n in body.find_all(kind="identifier")):
        return None
    return clause.parent()


def _faithful(file: PortedFile, raised: SgNode, status: int, views: dict[int, object]) -> bool:
    """True when `raise X(...)` in a view may become `return flask_abort(status, ...)`, as abort() does
    (responses.py): a statement of the view itself, outside try/with, no error handler of the project taking it."""
    function = enclosing_function(raised)
    if function is None or span(function)[0] not in views:
        return False
    try:
        returnable_abort(file, raised.parent(), status)  # type: ignore[arg-type]
        file.use("fastapi", "Response")
        file.use("werkzeug.exceptions", "default_exceptions")
    except NotPortable:
        return False
    return True


def _plan(file: PortedFile, site: Site, views: dict[int, object], others: Path | None,
          flagged: frozenset[str]) -> tuple[SgNode, str, SgNode | None]:
    call = call_of(site.node)
    raised = call if call is not None else site.node
    parent = raised.parent()
    if parent is None or parent.kind() != "raise_statement" or parent.named_children()[0] != raised:
        raise NotPortable("not raised where it is named")
    detail, given = "", None
    if call is not None:
        positional, keywords = arguments(call)
        if set(keywords) - {"description"} or len(positional) > 1 or (positional and keywords):
            raise NotPortable("options besides the description (a response, headers)")
        given = positional[0] if positional else keywords.get("description")
        detail = f", detail={file.rendered(given)}" if given is not None else ""
    function = enclosing_function(raised)
    if function is None:
        raise NotPortable("raised at module level")
    if span(function)[0] not in views:
        if function.parent() is None or function.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable("raised in a function that is neither a view nor a module-level helper")
        helper = function.field("name").text()  # type: ignore[union-attr]
        if _named_elsewhere(helper, file.path, others, flagged):
            raise NotPortable(f"{helper} is named in another Flask module, whose views would get FastAPI's exception")
    return raised, detail, given


def _named_elsewhere(name: str, path: str, root: Path | None, flagged: frozenset[str]) -> bool:
    if root is None:
        return True
    for other in flagged:
        if other == path or not other.endswith(".py"):
            continue
        try:
            stat = (root / other).stat()
        except OSError:
            return True
        text = _text(root / other, stat.st_mtime_ns, stat.st_size)  # a changed file is read again
        if text is None or name in text:
            return True
    return False


@lru_cache(maxsize=256)
def _text(path: Path, mtime: int, size: int) -> str | None:
    """A project file's text, read once per port however many helpers are looked up in it (None: unreadable)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
