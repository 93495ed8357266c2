"""FMA910-919: the inventory, lines a port touches that no idiom rule claims: the imports of Flask and
Werkzeug, the annotations that name Flask's application, Blueprint and response classes, and each use of
Flask-SQLAlchemy's `db.session` (FMA342 counts the session's work once per module).

Each is an `information` finding of 0 points: the work at these lines is counted where the imported names
are used (the idiom rules), so the inventory completes the list of lines to change without moving the
estimate (effort.py counts no 0-point finding). What it leaves to other rules, so that no line carries the
same claim twice: an extension's import line that carries the extension's adoption (FMA301-339, kept once
per project: `rules/_project_facts.py` drops this finding on that line), and annotations with Flask's or
Werkzeug's `Request` (FMA210 reports each one as work). The other import lines of an extension the port
replaces (`from flask_login import current_user` in every module that reads it) are listed here.
"""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from ..api import FileContext, Hit, Use
from ..ecosystem import extension_for_module
from ..names import FLASK_PUBLIC_NAMES, canonical, root_module
from ..registry import on_file, on_import, on_use, rule
from ._common import FASTAPI, import_statements, imported_module_nodes, short
from .application import KEEP_HELPERS, STDLIB_EQUIVALENT_HELPERS

_ROOTS = ("flask", "werkzeug", "webtest")
# Werkzeug helpers that keep working with Werkzeug installed as a plain library (FMA509, FMA513).
_KEEP = frozenset(KEEP_HELPERS) | frozenset(STDLIB_EQUIVALENT_HELPERS)

IMPORT_LINE = rule(
    "FMA910", "flask-import-line", "Flask or Werkzeug import",
    "`{module}` is imported here: {what}",
    "import the FastAPI/Starlette counterparts of the names it brings in; the findings at their uses say "
    "which, and the line goes when nothing uses them",
    "information", 0, "direct",
    rationale="The inventory of a port: every line that imports Flask changes or goes once Flask is "
    "uninstalled; a line that imports Werkzeug changes with what it brings in (its exceptions, `FileStorage`, "
    "`Headers` do; a `MultiDict` used as a plain container may stay). The work is counted at the uses of the "
    "imported names, so this finding costs nothing. Werkzeug imports of framework-agnostic helpers alone "
    "(`werkzeug.security`, FMA509; `cached_property`, FMA513) are left out: they keep working with Werkzeug "
    "installed as a library. WebTest's imports are listed in a Flask project (its `TestApp` wraps a WSGI app). "
    "An extension's imports are listed too, but for the line that carries its "
    "adoption (FMA301-339, once per project); extensions the app keeps (Celery, RQ) are not.",
    before="from flask import Flask, jsonify, request\n",
    after="from fastapi import FastAPI, Request\n",
    links=(f"{FASTAPI}/alternatives/#flask",),
    default_enabled=False,
)


def _direct_modules(stmt: SgNode) -> list[str]:
    """The Flask and Werkzeug modules an import statement names itself (canonical, dotted), not through
    a project module that re-exports their objects; extension spellings (`flask.ext.x`) are extensions."""
    found = []
    for node in imported_module_nodes(stmt):
        text = "".join(node.text().split())
        if text.startswith(".") or text.startswith("flask.ext"):
            continue
        module = canonical(text)
        if module.partition(".")[0] in _ROOTS:
            found.append(module)
    return found


def _only_keep_helpers(stmt: SgNode, module: str) -> bool:
    """`from werkzeug.security import generate_password_hash`: helpers that work without Flask (FMA509, FMA513)."""
    if stmt.kind() != "import_from_statement" or not module.startswith("werkzeug"):
        return False
    imported = []
    for item in stmt.field_children("name"):
        name = item.field("name") if item.kind() == "aliased_import" else item
        imported.append(canonical(f"{module}.{name.text()}") if name is not None else "")
    return bool(imported) and all(qual in _KEEP for qual in imported)


@on_import(IMPORT_LINE, *_ROOTS)
def _import_line(use: Use) -> Iterator[Hit]:
    """Once per import statement that names Flask or Werkzeug (a statement binds one name per import)."""
    stmt = use.node
    seen: set[int] = use.ctx.memo.setdefault(IMPORT_LINE.code, set())
    start = stmt.range().start.index
    if start in seen:
        return
    seen.add(start)
    modules = _direct_modules(stmt)
    if not modules:
        return
    # The names this statement binds to Flask's and Werkzeug's own objects (FMA911 reads them).
    use.ctx.memo.setdefault(_DIRECT_NAMES, set()).update(_bound_names(stmt, modules))
    if all(m.startswith("webtest") for m in modules) and not use.ctx.uses_flask:
        return  # WebTest around another WSGI framework's app
    if all(m.startswith("werkzeug") for m in modules) and (
            not use.ctx.uses_flask or _only_keep_helpers(stmt, modules[0])):
        return  # Werkzeug outside a Flask project is no Flask port's concern; its agnostic helpers stay
    yield use.hit(module=modules[0], what=_WHAT[modules[0].partition(".")[0]])


_EXTENSION_WHAT = "a line to change when this module moves off the extension"


@on_file(IMPORT_LINE)
def _extension_import_lines(ctx: FileContext) -> Iterator[Hit]:
    """Once per import statement that names the module of a `flask_*` extension the port replaces itself
    (not a project module re-exporting its objects; not the project's own `flask_*` package)."""
    own = ctx.module.partition(".")[0]
    roots = {root for qual in ctx.bindings.values()
             if (root := root_module(qual)).startswith("flask_") and root != own}
    if not roots:
        return  # no name of this file comes from an extension module
    for stmt in import_statements(ctx):
        for node in imported_module_nodes(stmt):
            text = "".join(node.text().split())
            module = canonical(text)
            ext = extension_for_module(module)
            if text.startswith(".") or module.partition(".")[0] not in roots or (
                    ext is not None and ext.verdict == "keep"):
                continue
            yield Hit(stmt, {"module": module, "what": _EXTENSION_WHAT})
            break


_DIRECT_NAMES = f"{IMPORT_LINE.code}-names"
# Flask goes with the port; Werkzeug may stay installed for what does not touch requests (a `MultiDict`).
_WHAT = {"flask": "a line to change when this module moves off Flask",
         "werkzeug": "a line to review when this module moves off Flask (Werkzeug can stay as a library)",
         "webtest": "a line to change when the tests move to Starlette's `TestClient` (WebTest speaks WSGI only)"}


def _bound_names(stmt: SgNode, modules: list[str]) -> Iterator[str]:
    """The local names an import statement binds: aliases, imported names, a dotted import's first part."""
    if modules == ["flask"] and any(child.kind() == "wildcard_import" for child in stmt.children()):
        yield from FLASK_PUBLIC_NAMES  # as name resolution binds them; Werkzeug's star imports bind nothing tracked
    for item in stmt.field_children("name"):
        if item.kind() == "aliased_import":
            alias = item.field("alias")
            if alias is not None:
                yield alias.text()
        else:
            yield "".join(item.text().split()).partition(".")[0]


ANNOTATION = rule(
    "FMA911", "flask-class-annotation", "Flask class in a type annotation",
    "`{name}` in an annotation is {what}: a line to change with the object it describes",
    "annotate with {counterpart}",
    "information", 0, "direct",
    rationale="Annotations that name Flask's application, Blueprint or response class describe objects the port "
    "replaces; they change with them. The work is counted where those objects are created and used, so this "
    "finding costs nothing. A project's own subclass in an annotation stays (its definition is what changes), "
    "and the request class in an annotation is FMA210's finding, which counts its work.",
    before="def register(app: Flask) -> None: ...\n",
    after="def register(app: FastAPI) -> None: ...\n",
    links=(f"{FASTAPI}/reference/fastapi/", f"{FASTAPI}/reference/apirouter/"),
    default_enabled=False,
)

# Classes other rules already follow (FMA101, FMA106, FMA226): a matcher here takes no use away from the
# fallback FMA900, which still reports the sans-IO `flask.App` and `werkzeug.sansio.response.Response`.
_CLASSES = {
    "flask.Flask": ("Flask's application class", "`fastapi.FastAPI`"),
    "flask.Blueprint": ("Flask's Blueprint class", "`fastapi.APIRouter`"),
    "flask.Response": ("Flask's response class", "`fastapi.Response` (Starlette's)"),
    **{qual: ("Werkzeug's response class", "`fastapi.Response` (Starlette's)") for qual in (
        "werkzeug.Response", "werkzeug.wrappers.Response", "werkzeug.wrappers.response.Response")},
}
# Where a class named in an annotation may sit: `Optional[Flask]`, `Flask | None`, `Callable[[Flask], None]`.
_INSIDE_ANNOTATION = frozenset({"type", "generic_type", "type_parameter", "subscript", "binary_operator", "list",
                                "tuple"})
_MAX_ANNOTATION_DEPTH = 12  # levels climbed from the class to the annotation: enough for any real one


def annotation_of(node: SgNode, ctx: FileContext) -> SgNode | None:
    """The whole annotation (`type` node) that `node` is part of, or None when it is not in one."""
    found = None
    current = ctx.parents[node]
    for _ in range(_MAX_ANNOTATION_DEPTH):
        if current is None or current.kind() not in _INSIDE_ANNOTATION:
            break
        if current.kind() == "type":
            found = current
        current = ctx.parents[current]
    return found


@on_use(ANNOTATION, *_CLASSES)
def _annotation(use: Use) -> Iterator[Hit]:
    """Once per annotation naming one of the classes through a Flask or Werkzeug import, not a project
    subclass (which resolves to the same class)."""
    head = use.node
    while head.kind() == "attribute" and head.field("object") is not None:
        head = head.field("object")  # type: ignore[assignment]
    if head.text() not in use.ctx.memo.get(_DIRECT_NAMES, ()):
        return
    if use.qual.startswith("werkzeug") and not use.ctx.uses_flask:
        return  # as for the imports: Werkzeug alone is not a Flask port
    annotation = annotation_of(use.node, use.ctx)
    if annotation is None:
        return
    seen: set[int] = use.ctx.memo.setdefault(ANNOTATION.code, set())
    start = annotation.range().start.index
    if start in seen:
        return
    seen.add(start)
    what, counterpart = _CLASSES[use.qual]
    yield use.hit(name=use.node.text(), what=what, counterpart=counterpart)


SESSION_USE = rule(
    "FMA912", "flask-sqlalchemy-session-use", "Flask-SQLAlchemy db.session, each use",
    "`{expr}` reaches Flask-SQLAlchemy's app-bound session: a line to change when the session is injected",
    "the session the endpoint or helper receives (`Depends(get_db)`), or a `scoped_session` the app keeps",
    "information", 0, "partial",
    rationale="The inventory of FMA342's design decision: every line that reaches for `db.session`. The work "
    "is counted once per module by FMA342 (the session has to come from somewhere else in that module), as "
    "the effort model was calibrated; the edit at each line is a rename (`db.session.add` -> `session.add`), "
    "or nothing when the port keeps a module-level `scoped_session`, so these findings cost 0 points: "
    "25 lines of rework for each `commit()` would count one edit many times.",
    before="db.session.add(book)\ndb.session.commit()\n",
    after="session.add(book)\nsession.commit()\n",
    links=(f"{FASTAPI}/tutorial/dependencies/dependencies-with-yield/",
           "https://docs.sqlalchemy.org/en/21/orm/contextual.html"),
    extension="Flask-SQLAlchemy",
    default_enabled=False,
)


@on_use(SESSION_USE, "flask_sqlalchemy.SQLAlchemy().session")
def _session_use(use: Use) -> Iterator[Hit]:
    yield use.hit(expr=short(_used_as(use), 40))


def _used_as(use: Use) -> str:
    """`db.session.add` for `db.session.add(book)`: the session and what is done with it."""
    parent = use.parent
    if parent is not None and parent.kind() == "attribute" and parent.field("object") == use.node:
        return parent.text()
    return use.node.text()


# The inventory's codes: lines listed for people, never sites the port rewrites (port/plan.py).
INVENTORY_CODES = frozenset({IMPORT_LINE.code, ANNOTATION.code, SESSION_USE.code})
