"""Route by route, for class-based views: a `MethodView` registered with `add_url_rule` moves as a whole.

split.py copies a decorated view function that converts fully into `<module>_fastapi.py`, which main.py includes in
front of the Flask app. A class-based view (`bp.add_url_rule("/books/<int:book_id>/reviews",
view_func=ReviewAPI.as_view("book_reviews"))`) converts into its class with static methods and one path operation
per method under the endpoint's name (class_views.py); it moves the same way: the class's copy and its
registrations, all of its path operations or none (they share the endpoint, and Flask's rule answers every method
of the URL), with the checks split.py makes of a function view: every finding in the class and in its
registrations rewritten, no template rendered nor URL built but through FLASK_URL (`_unmovable`), its URL rule
overlapping no other route and answered by no extension scoped to it, nothing kept in g a teardown closes, and every
name it uses its own, FastAPI's or a context-free name of its module (Flask-SQLAlchemy's objects where its
methods run in the Flask app's context, and names reading only the request's context where they run in a request
context built from the FastAPI request: split.needs_flask), nothing rebound by `global`, no statuses a Flask error handler answers
otherwise. What the class's `decorators` list wraps its methods with stays in the registrations, and is checked
as the names the copy uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ast_grep_py import SgNode

from ..scopes import span
from . import class_views, codes, decorators, flask_sqlalchemy, login
from .edits import NotPortable, PortedFile, Site

# file.memo key, set by split.split: main.py runs the login bridge with the Flask app's own manager in front of
# FastAPI's routes (login.in_front), so a moved copy's Flask-Login names answer as Flask-Login's there
LOGIN_IN_FRONT = ("split: the login bridge runs in front", 0)
# the names of a bridged module that work on the request being served, which the copy imports from the bridge
_REQUEST_NAMES = frozenset({"current_user", "login_user", "logout_user", "login_fresh", "confirm_login",
                            "login_required", "fresh_login_required"})


def bridged_login_names(file: PortedFile) -> set[str]:
    """The Flask-Login names (of _REQUEST_NAMES, not renamed) the module imports, where its Flask-Login went to the
    bridge and main.py runs the bridge with the Flask app's manager: a moved copy uses them as the converted module
    does, imported from the bridge (added to the imports split._header writes), not from the Flask module, whose
    names are Flask-Login's own. Empty otherwise (they need Flask: split.tainted)."""
    if not file.memo.get(LOGIN_IN_FRONT) or not file.memo.get(login.USED):
        return set()
    try:
        local, _ = decorators.imported_names(file, "flask_login", login.NAMES)
    except NotPortable:
        return set()
    names = {name for name, real in local.items() if real == name and name in _REQUEST_NAMES}
    if names:
        file.imports.setdefault(login.MODULE, set()).update(names)
    return names


@dataclass
class ClassMoves:
    """What the class-based views of one module add to its moved copy."""

    kept: list[str] = field(default_factory=list)  # each class's copy, then its registrations
    count: int = 0  # routes (add_url_rule calls) moved
    handled: set[tuple[str, int]] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)  # the Flask module's names the copies import
    notes: list[str] = field(default_factory=list)
    in_request: set[str] = field(default_factory=set)  # the classes whose methods run in a request context (split.needs_flask)


def registrations(file: PortedFile) -> dict[str, list[tuple[Site, SgNode, SgNode]]]:
    """Class name -> (add_url_rule site, its statement, the class definition) for each class-based view the
    module registers on a plain name at its top level."""
    found: dict[str, list[tuple[Site, SgNode, SgNode]]] = {}
    for site in file.sites_of(codes.ADD_RULE):
        view = class_views._class_view_call(site)
        cls = class_views._class_of(file, view, strict=False) if view is not None else None
        statement = file.statement_of(site.node)
        if cls is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            continue
        found.setdefault(cls.field("name").text(), []).append((site, statement, cls))  # type: ignore[union-attr]
    return found


def owners(file: PortedFile) -> set[str]:
    """The objects (`bp`) the module's class-based views are registered on."""
    return {site.node.field("object").text() for entries in registrations(file).values()  # type: ignore[union-attr]
            for site, _, _ in entries if site.node.kind() == "attribute"}


def move_class_views(file: PortedFile, relpath: str, converted_text: str, tree: SgNode, owner: str, rules: object,
                     scopes: list,
                     closers: list[str], module_bound: set[str], rebound: set[str], unsafe: set[str],
                     judged: dict[str, str], fastapi: set[str]) -> ClassMoves:
    """The class-based views of `file` (its first-pass port is `tree`) that move, registered on `owner`, each with
    the checks split._move makes of a function view; the others get a note saying why they stay."""
    from .split import (
        STANDALONE,
        _raised,
        _unmovable,
        _view_names,
        _with_comments,
    )

    moves = ClassMoves()
    standalone = STANDALONE.get(file)
    converted = {statement.field("name").text(): statement for statement in tree.children()  # type: ignore[union-attr]
                 if statement.kind() == "class_definition"}
    for name, entries in registrations(file).items():
        cls = entries[0][2]
        sites = [site for site, _, _ in entries]
        why = _unmovable(file, cls, sites, rules, relpath, scopes)  # type: ignore[arg-type]
        statements = [statement for _, statement, _ in entries]
        left = [s for statement in statements for s in file.sites_in(statement) if not s.handled]
        if why is None and left:
            reason = f": {left[0].reason}" if left[0].reason else ""
            why = f"{left[0].code} at line {left[0].node.range().start.line + 1} is left to people{reason}"
        if why is None and any(site.node.field("object").text() != owner for site in sites):  # type: ignore[union-attr]
            why = f"it is registered on another object than {owner}"
        if why is None and closers and any(s.code == codes.G for s in file.sites_in(cls)):
            why = f"it keeps values in g, which {closers[0]} (a teardown hook) closes in Flask, not in the copy"
        copy = converted.get(name)
        added = [statement for statement in tree.children() if statement.kind() == "expression_statement"
                 and any(n.text() == name for n in statement.find_all(kind="identifier"))]
        if why is None and (copy is None or sum(1 for s in tree.children() if s.kind() in (
                "class_definition", "function_definition") and s.field("name").text() == name) != 1):  # type: ignore[union-attr]
            why = "its name is not unique in the module"
        if why is None and not added:
            why = "its registrations are not path operations in the port"
        if why is None:
            why = _names_problem(file, relpath, copy, added, owner, module_bound, rebound, unsafe, judged,  # type: ignore[arg-type]
                                 fastapi | set(standalone), moves, _view_names, _raised)
        line = cls.range().start.line + 1
        if why is not None:
            moves.notes.append(f"{relpath}:{line} {name} stays Flask: {why}")
            continue
        text = _with_comments(converted_text, copy)  # type: ignore[arg-type]
        moves.kept.append("\n".join([flask_sqlalchemy.in_request(text) if name in moves.in_request else text,
                                     *(statement.text() for statement in added)]))
        moves.count += len(sites)
        moves.handled |= {(relpath, span(s.node)[0]) for s in file.sites_in(cls)}
        moves.handled |= {(relpath, span(s.node)[0]) for statement in statements for s in file.sites_in(statement)}
    return moves


def _names_problem(file: PortedFile, relpath: str, copy: SgNode, added: list[SgNode], owner: str,
                   module_bound: set[str], rebound: set[str], unsafe: set[str], judged: dict[str, str],
                   known: set[str], moves: ClassMoves, view_names, raised) -> str | None:  # type: ignore[no-untyped-def]
    """Why the class's copy and its registrations cannot be copied out ("" never: None when they can), as split._move
    reads a function view's copy; the Flask module's names they use go to `moves.imported`."""
    from .split import names_problem, needs_flask

    used, bound = view_names(copy)
    for statement in added:
        more, _ = view_names(statement)
        used |= more - {owner}  # the registrations are the owner's: an APIRouter in the copy too
    text = "\n".join([copy.text(), *(statement.text() for statement in added)])
    why = names_problem(file, relpath, copy, text, used, bound, owner if owner in view_names(copy)[0] else None,
                        known, known, module_bound, rebound)
    if why is not None:
        return why
    why, in_request = needs_flask(file, copy, (used - bound) & unsafe)
    if why is not None:
        return why
    if judged:
        # a method's decorator (other than staticmethod), or a wrapper around a method in a registration (the class's
        # `decorators`), may answer a status itself
        plain = re.compile(rf"\)\({re.escape(copy.field('name').text())}\.\w+\)\s*$")  # type: ignore[union-attr]
        wrapped = any(d.text() != "@staticmethod" for d in copy.find_all(kind="decorator")) or \
            not all(plain.search(statement.text()) for statement in added)
        status = min(judged) if wrapped else raised(copy, file, known, judged)
        if status is not None:
            return f"it may answer {status}, which Flask's handler answers otherwise ({judged[status]})"
    moves.imported |= (used & module_bound) - bound - known - {owner}
    if in_request:
        moves.in_request.add(copy.field("name").text())  # type: ignore[union-attr]
    return None
