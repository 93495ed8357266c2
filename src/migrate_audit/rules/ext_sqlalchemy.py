"""FMA340-344: Flask-SQLAlchemy features, attributed to the extension wherever the `db` object or a model
built on `db.Model` is used (`from .extensions import db`, `from .models import Book` then `Book.query`)."""
from __future__ import annotations

import re
from typing import Iterator

from ast_grep_py import SgNode

from ..api import FileContext, Hit, Parents, Use
from ..names import root_module
from ..registry import on_file, on_use, rule
from ._common import FASTAPI, short

_DB = "flask_sqlalchemy.SQLAlchemy()"
_MODEL = f"{_DB}.Model"
_DOCS = "https://docs.sqlalchemy.org/en/21"
_EXT = "Flask-SQLAlchemy"

MODEL_QUERY = rule(
    "FMA340", "flask-sqlalchemy-model-query", "Flask-SQLAlchemy Model.query",
    "`{expr}` uses Flask-SQLAlchemy's legacy `Model.query` property",
    "`session.scalars(select(Model).where(...))` on a session injected with `Depends(get_db)`",
    "mandatory", 1, "partial",
    rationale="`Model.query` is bound to Flask-SQLAlchemy's app-context session; plain SQLAlchemy 2.x (or "
    "SQLModel) queries go through an explicit session, which FastAPI injects with a dependency.",
    before="books = Book.query.filter_by(author_id=author.id).all()\n",
    after="def books(session: Annotated[Session, Depends(get_db)]):\n"
    "    return session.scalars(select(Book).where(Book.author_id == author.id)).all()\n",
    links=(f"{FASTAPI}/tutorial/sql-databases/", f"{_DOCS}/orm/queryguide/select.html"),
    extension=_EXT,
)


@on_use(MODEL_QUERY, f"{_MODEL}.query")
def _model_query(use: Use) -> Iterator[Hit]:
    yield use.hit(expr=short(use.node.text(), 40))


QUERY_HELPERS = rule(
    "FMA341", "flask-sqlalchemy-query-helpers", "Flask-SQLAlchemy paginate / get_or_404 / first_or_404",
    "`{name}()` is a Flask-SQLAlchemy helper tied to Flask",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="These helpers call Flask's `abort(404)` or read `request.args` for the page; in FastAPI the "
    "404 is an explicit `HTTPException` and pagination comes from query parameters or fastapi-pagination. "
    "`paginate()` also aborts with 404 past the last page and on a page or per_page that is not a positive "
    "integer, where typed query parameters answer 422; keep the 404 past the end explicitly if clients rely on it. "
    "`get_debug_queries()` reads the queries Flask-SQLAlchemy recorded in the app context "
    "(`SQLALCHEMY_RECORD_QUERIES`). A `paginate(..., error_out=...)` call on a query the names do not lead to "
    "(a dynamic relationship, `user.posts.order_by(...)`) counts in a module that uses Flask-SQLAlchemy: "
    "`error_out` is its own argument.",
    before="book = Book.query.get_or_404(book_id)\npage = Book.query.paginate(page=2, per_page=20)\n",
    after="book = session.get(Book, book_id)\nif book is None:\n    raise HTTPException(status_code=404)\n"
    "page = paginate(session, select(Book))  # fastapi-pagination\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/", "https://uriyyo-fastapi-pagination.netlify.app/"),
    extension=_EXT,
)
_HELPER_FIXES = {
    "get_or_404": "`session.get(Model, id)` and `raise HTTPException(status_code=404)` when it is None",
    "first_or_404": "`session.scalars(...).first()` and `raise HTTPException(status_code=404)` when it is None",
    "one_or_404": "`session.scalars(...).one_or_none()` and `raise HTTPException(status_code=404)`",
    "paginate": "fastapi-pagination's `paginate(session, select(...))`, or `limit`/`offset` query parameters",
}
_DEBUG_FIX = ("a SQLAlchemy `after_cursor_execute` event listener that records each statement and its duration "
              "(into a `ContextVar` per request)")
_DEBUG_QUERIES = ("flask_sqlalchemy.get_debug_queries", "flask_sqlalchemy.record_queries.get_recorded_queries")
_REPORTED = f"{QUERY_HELPERS.code}-paginate"  # in `ctx.memo`: where a chain's `paginate` was reported


def _helpers_on_chain(node, parents: Parents) -> Iterator[Hit]:  # type: ignore[no-untyped-def]
    """`Book.query.filter(...).order_by(...).paginate(...)`: walk up the method chain to the helper."""
    current = node
    while True:
        parent = parents[current]  # cached: each `parent()` would walk down from the root
        if parent is None:
            return
        if parent.kind() == "attribute" and parent.field("object") == current:
            attr = parent.field("attribute")
            if attr is not None and attr.text() in _HELPER_FIXES:
                yield Hit(attr, {"name": attr.text(), "fix": _HELPER_FIXES[attr.text()]})
                return
        elif not (parent.kind() == "call" and parent.field("function") == current):
            return
        current = parent


@on_use(QUERY_HELPERS, f"{_MODEL}.query", f"{_DB}.session.query")
def _query_helpers(use: Use) -> Iterator[Hit]:
    reported: set[int] = use.ctx.memo.setdefault(_REPORTED, set())
    for hit in _helpers_on_chain(use.node, use.ctx.parents):
        reported.add(hit.node.range().start.index)
        yield hit


@on_use(QUERY_HELPERS, *_DEBUG_QUERIES)
def _debug_queries(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(use.call, name=use.qual.rpartition(".")[2], fix=_DEBUG_FIX)


_PAGINATE_RE = re.compile(r"\.\s*paginate\s*\(")
_PAGINATE = {"rule": {"kind": "attribute", "regex": r"\.\s*paginate$"}}


@on_file(QUERY_HELPERS)
def _dynamic_paginate(ctx: FileContext) -> Iterator[Hit]:
    """`user.posts.order_by(...).paginate(page=page, per_page=20, error_out=False)`: a dynamic relationship's
    query, which the names do not lead to, in a module that uses Flask-SQLAlchemy (a name bound to its
    objects or models); `error_out=` is Flask-SQLAlchemy's own argument."""
    if not _PAGINATE_RE.search(ctx.text) or "error_out" not in ctx.text:
        return
    if not any(root_module(qual) == "flask_sqlalchemy" for qual in ctx.bindings.values()):
        return
    reported: set[int] = ctx.memo.get(_REPORTED, set())
    for attr in ctx.root.find_all(_PAGINATE):
        name, call = attr.field("attribute"), ctx.parents[attr]
        if name is None or call is None or call.kind() != "call" or call.field("function") != attr:
            continue
        if name.range().start.index in reported:
            continue
        arguments = call.field("arguments")
        if arguments is None or not any(
                arg.kind() == "keyword_argument" and (arg.field("name") or arg).text() == "error_out"
                for arg in arguments.named_children()):
            continue
        yield Hit(name, {"name": "paginate", "fix": _HELPER_FIXES["paginate"]})


@on_use(QUERY_HELPERS, *(f"{_DB}.{name}" for name in _HELPER_FIXES))
def _db_helpers(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    attr = use.node.field("attribute")
    use.ctx.memo.setdefault(_REPORTED, set()).add((attr or use.node).range().start.index)
    yield Hit(attr or use.node, {"name": name, "fix": _HELPER_FIXES[name]})


SESSION = rule(
    "FMA342", "flask-sqlalchemy-session", "Flask-SQLAlchemy db.session",
    "this module uses Flask-SQLAlchemy's app-bound session `{expr}`",
    "a `sessionmaker` and a `get_db` dependency with `yield`; pass the session to helpers explicitly",
    "mandatory", 3, "partial",
    rationale="`db.session` is a scoped session tied to Flask's app context and removed at teardown. FastAPI "
    "code receives a session from a dependency; every module that reaches for the global session needs one "
    "passed in. Reported once per module (at the first use) so the effort follows the modules, not the calls; "
    "each use is listed too, at 0 points, by the inventory's FMA912.",
    before="db.session.add(book)\ndb.session.commit()\n",
    after="def create(book: BookIn, session: Annotated[Session, Depends(get_db)]):\n"
    "    session.add(Book(**book.model_dump()))\n    session.commit()\n",
    links=(f"{FASTAPI}/tutorial/dependencies/dependencies-with-yield/", f"{_DOCS}/orm/session_basics.html"),
    extension=_EXT,
)


@on_use(SESSION, f"{_DB}.session")
def _session(use: Use) -> Iterator[Hit]:
    if use.ctx.memo.get(SESSION.code):
        return
    use.ctx.memo[SESSION.code] = True
    yield use.hit(expr=short(use.node.text(), 30))


MODEL_CLASS = rule(
    "FMA343", "flask-sqlalchemy-model-class", "Model declared on db.Model",
    "{subject} Flask-SQLAlchemy's `db.Model`",
    "a SQLAlchemy 2.x `DeclarativeBase` subclass (or SQLModel with `table=True`); `db.Column`/`db.relationship` "
    "become `mapped_column`/`relationship` imports",
    "mandatory", 1, "partial",
    rationale="`db.Model` adds the `query` property, automatic table names and the app-bound metadata; plain "
    "declarative models need an explicit `__tablename__` where the automatic one was relied on. SQLModel needs "
    "one too: it lower-cases the class name (`BookReview` -> `bookreview`), where Flask-SQLAlchemy wrote "
    "`book_review`, so a port without it looks for a table the existing database does not have. The lines "
    "that name `db.Model` otherwise change with the base: a module-level alias (`Model = db.Model`, which "
    "the models then import) and a model's explicit `db.Model.__init__(self, ...)` call.",
    before="class Book(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
    after="class Base(DeclarativeBase):\n    pass\n\nclass Book(Base):\n    __tablename__ = 'book'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n",
    links=(f"{FASTAPI}/tutorial/sql-databases/", f"{_DOCS}/orm/declarative_styles.html"),
    extension=_EXT,
)


@on_use(MODEL_CLASS, _MODEL)
def _model_class(use: Use) -> Iterator[Hit]:
    parents = use.ctx.parents
    parent = parents[use.node]
    if parent is None:
        return
    if parent.kind() == "argument_list":
        cls = parents[parent]
        name = cls.field("name") if cls is not None and cls.kind() == "class_definition" else None
        if name is not None:
            yield Hit(name, {"subject": f"model `{name.text()}` is declared on"})
    elif parent.kind() == "assignment" and parent.field("right") == use.node:
        # `Model = db.Model` at module level: name resolution follows the alias (bindings._class_alias).
        left, statement = parent.field("left"), parents[parent]
        module = parents[statement] if statement is not None else None
        if left is not None and left.kind() == "identifier" and module is not None and module.kind() == "module":
            yield Hit(parent, {"subject": f"`{left.text()}` is another name for"})
    elif parent.kind() == "attribute" and parent.field("object") == use.node:
        yield from _base_init(parent, use)


def _base_init(attribute: SgNode, use: Use) -> Iterator[Hit]:
    """`db.Model.__init__(self, ...)` in a model's `__init__`: the base's constructor called by name."""
    name, call = attribute.field("attribute"), use.ctx.parents[attribute]
    if name is None or name.text() != "__init__" or call is None or call.kind() != "call" \
            or call.field("function") != attribute:
        return
    yield Hit(call, {"subject": "this `__init__` calls the constructor of"})


APP_CONTEXT_DDL = rule(
    "FMA344", "flask-sqlalchemy-create-all", "Schema created with db.create_all()",
    "`db.{name}()` needs Flask's application context",
    "`Base.metadata.{name}(engine)` in `lifespan` or a script (better: Alembic migrations)",
    "mandatory", 1, "direct",
    rationale="Flask-SQLAlchemy 3 runs `create_all`/`drop_all` only inside an app context; plain SQLAlchemy "
    "takes the engine explicitly.",
    before="with app.app_context():\n    db.create_all()\n",
    after="Base.metadata.create_all(engine)\n",
    links=(f"{FASTAPI}/advanced/events/", f"{_DOCS}/core/metadata.html"),
    extension=_EXT,
)


@on_use(APP_CONTEXT_DDL, f"{_DB}.create_all", f"{_DB}.drop_all", f"{_DB}.reflect")
def _create_all(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(name=use.qual.rpartition(".")[2])
