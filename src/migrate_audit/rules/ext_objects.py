"""FMA389: the objects of the catalogued extensions themselves, followed past their adoption (FMA301-338,
FMA365-378: one finding per project, at an import, carrying the extension's cost) to each line a port
rewrites: where the object is made (`mail = Mail()`, `migrate = Migrate(app, db)`, a project subclass's
`AppSecurity(app)`), bound to the app (`mail.init_app(app)`, every one), configured (`login.login_message =
...`) or called where no rule of its own covers the call (`socketio.emit` has FMA354;
`jwt.user_loader_callback_loader(...)` has none), and the functions of the extension's modules called or
used as decorators (Flask-Migrate's `upgrade()`, Flask-AppBuilder's `@has_access`), not its gettext.

One point each, not the extension's effort: the extension is counted once, at its adoption, and these are
the lines its replacement touches. A line another rule of the extension already reports (`CORS(app)` is
FMA380, `Babel(app, locale_selector=...)` FMA363) gets no second finding.

Left out on purpose: the attributes of Flask-SQLAlchemy's and Flask-Marshmallow's objects (`db.Column`,
`db.relationship`, `ma.Schema`, but not a store such as Flask-SQLAlchemy 2's `db.app = app`) are SQLAlchemy's
and marshmallow's own names re-exported, kept by a shim
when the port keeps those libraries (their Flask parts have rules: ext_sqlalchemy.py, ext_followed.py);
extensions the app keeps (verdict `keep`: Celery, RQ) need no port of their setup.
"""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from ..api import Chain, Hit, Use
from ..ecosystem import EXTENSIONS, Extension, extension_for_module
from ..names import root_module
from ..registry import on_unmatched, on_use, reported_elsewhere, rule
from ._common import FASTAPI, short

EXTENSION_OBJECT = rule(
    "FMA389", "flask-extension-object", "Flask extension object set up or used",
    "`{code}` {action}",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale="An extension is adopted once per project (its FMA3xx finding carries its effort); the lines "
    "that make its object, bind it to the app (`init_app`), configure it or call it are the places its "
    "replacement is written: a FastAPI dependency, middleware, lifespan or a plain library object set up "
    "without an app. Each is one point, so the estimate counts the lines, not the extension again.",
    before="mail = Mail()\n...\nmail.init_app(app)\n",
    after="mail = FastMail(ConnectionConfig(**settings.mail))\n",
    links=(f"{FASTAPI}/advanced/events/", f"{FASTAPI}/tutorial/dependencies/"),
)

_GETTEXT = frozenset({"gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_ngettext",
                      "lazy_pgettext", "lazy_npgettext", "_", "N_", "_l"})
# Objects whose attribute API is another library's, re-exported (module docstring).
_REEXPORTING = frozenset({"Flask-SQLAlchemy", "Flask-Marshmallow"})


def _followed(ext: Extension | None) -> bool:
    return ext is not None and ext.verdict != "keep"


_CLASSES: dict[str, Extension] = {cls: ext for ext in EXTENSIONS if _followed(ext) for cls in ext.classes}


def _hit(node: SgNode, ext: Extension, action: str, name: str) -> Hit:
    """`action` names what the line does, with `{ext}` and `{name}` for the distribution and the API."""
    return Hit(node, {"code": short(node.text(), 50), "action": action.format(ext=ext.distribution, name=name),
                      "counterpart": ext.counterpart})


def _own_code(ext: Extension, module: str) -> bool:
    """Code of the extension itself (the Flask-Admin repository's `flask_admin/...`), not a use of it."""
    return any(module == m or module.startswith(m + ".") for m in ext.modules)


def _kept_or_run(use: Use) -> bool:
    """A creation that stands as its own statement: assigned (`mail = Mail()`, `self.cache = Cache()`) or
    run for its effect (`CORS(app)`). One nested in another call (`admin.add_view(BookAdmin(...))`,
    `plugins=[FlaskPlugin()]`) is part of that call's line, which has its own finding or is the setup of
    another object."""
    parent = use.ctx.parents[use.call] if use.call is not None else None
    return parent is not None and parent.kind() in ("expression_statement", "assignment")


@on_use(EXTENSION_OBJECT, *_CLASSES)
def _created(use: Use) -> Iterator[Hit]:
    """`mail = Mail()`, `Migrate(app, db)`, `AppSecurity(app)` (a project subclass resolves to the class)."""
    ext = _CLASSES[use.qual]
    if ext.distribution in _REEXPORTING and use.qual != ext.classes[0]:
        return  # `UserSchema()`: a marshmallow schema, not the extension's object
    if use.call is None or _own_code(ext, use.ctx.module) or not _kept_or_run(use):
        return
    if reported_elsewhere(EXTENSION_OBJECT, use):
        return
    yield _hit(use.call, ext, "creates {ext}'s `{name}` object", use.qual.rpartition(".")[2])


@on_use(EXTENSION_OBJECT, *(f"{cls}().init_app" for cls in _CLASSES))
def _bound_to_app(use: Use) -> Iterator[Hit]:
    ext = _CLASSES[use.qual.removesuffix("().init_app")]
    if use.call is None or _own_code(ext, use.ctx.module) or reported_elsewhere(EXTENSION_OBJECT, use):
        return
    name = use.qual.removesuffix("().init_app").rpartition(".")[2]
    yield _hit(use.call, ext, "binds {ext}'s `{name}` to the Flask app", name)


@on_unmatched(EXTENSION_OBJECT)
def _configured_or_called(chain: Chain) -> Iterator[Hit]:
    """An extension object's attribute set (`login.login_message = ...`) or method called
    (`jwt.user_loader_callback_loader(f)`), or a function of its module, that no rule covers."""
    if not chain or root_module(chain[0][0]) in ("flask", "werkzeug"):
        return
    base = chain[0][0]
    if base.endswith("()") and base[:-2] in _CLASSES and len(chain) > 1:
        ext = _CLASSES[base[:-2]]
        if base[:-2] != ext.classes[0]:
            return  # a form, view or schema made from the extension's base class is the project's own object
        qual, member = chain[1]
        parent = member.parent()
        stored = parent is not None and parent.kind() == "assignment" and parent.field("left") == member
        if ext.distribution in _REEXPORTING and not (stored and not qual.rpartition(".")[2].startswith("_")):
            # `db.Column(...)`, `ma.Schema`: another library's names; a store (`_db.app = app`) is the object's
            # own setting, but not a private flag the project keeps on it (`db._loggers_applied = True`).
            return
        cls, attr = base[:-2].rpartition(".")[2], qual.rpartition(".")[2]
        # "on {ext}'s object", not "{ext}'s method": the object may be a project subclass's, whose own
        # methods (`api.add_health()`) are the project's code on the extension's object.
        if stored:
            yield _hit(parent, ext, "sets `{name}` on {ext}'s `%s` object" % cls, attr)
        elif parent is not None and parent.kind() == "call" and parent.field("function") == member:
            yield _hit(parent, ext, "calls `{name}` on {ext}'s `%s` object" % cls, attr)
        return
    yield from _module_function(chain)


def _module_function(chain: Chain) -> Iterator[Hit]:
    """A function of an extension's module called or used as a decorator (`upgrade()`, `@has_access`). Not
    its gettext functions: `_()`/`gettext()`/`lazy_gettext()` keep their signature in Babel's or gettext's
    own and port by changing the import, so the import line is the site (and templates' `_()` is FMA611)."""
    for qual, level in chain:
        ext = extension_for_module(qual)
        last = qual.rpartition(".")[2]
        if not _followed(ext) or ext is None or ext.distribution in _REEXPORTING:
            return
        if qual in ext.modules:
            continue  # `import flask_migrate` then `flask_migrate.upgrade()`: the function is the next level
        if not last[:1].islower() or last in _GETTEXT:
            return  # classes (`Message`, `fields.String`) have rules or are another library's
        parent = level.parent()
        if parent is not None and parent.kind() == "call" and parent.field("function") == level:
            outer = parent.parent()
            decorator = outer is not None and outer.kind() == "decorator"
            action = "decorates a function with {ext}'s `{name}`" if decorator else "calls {ext}'s `{name}`"
            yield _hit(parent, ext, action, last)
        elif parent is not None and parent.kind() == "decorator":
            yield _hit(level, ext, "decorates a function with {ext}'s `{name}`", last)
        return
