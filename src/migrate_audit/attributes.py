"""Flask objects held in an attribute of a class: `self.app = Flask(__name__)` in `__init__` makes every
`self.app` in that class's methods the app (`self.app.add_url_rule(...)`, `self.app.config[...]`), and
`cls.bp = Blueprint(...)` likewise for `cls.bp`.

Scoped to the class that assigns it, and conservative: every assignment of the attribute in the class
(other than `None`) must be the same tracked object; one `self.app = FastAPI()` anywhere in the class
and its `self.app` stays unknown. An attribute set in a base class is not followed into subclasses.

The receiver itself is the object in the methods of a project subclass of Flask, Blueprint, a REST
framework's Api or `db.Model` (`RECEIVER_BASES`): `self.register_blueprint(...)` in `class App(Flask)`,
`cls.query` in a model. Each such use notes how it was reached (`bindings.VIA`).

The `app` parameter of an `init_app` method is the application, by the convention Flask's extensions and
config classes share (`def init_app(cls, app): app.logger.addHandler(...)`, called as
`config[name].init_app(app)` through a dict no call fact follows).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ast_grep_py import SgNode

from . import helper_methods, names
from .bindings import FACTORY_PREFIX, VIA, _is_use_site, _model_base, _names_regex, _tracked_class, chain_of

if TYPE_CHECKING:
    from .api import Chain, FileContext
    from .index.resolve import ProjectIndex, RecordingIndex

# `self.app = X` / `cls.bp = X`: whether the text has any attribute store worth a query.
# (Each pattern starts with a literal, which `re` searches for fast; one that starts with `\b` or an
# alternation is tried at every position.)
_STORE_RES = [re.compile(rf"{receiver}\s*\.\s*\w+\s*=(?!=)\s*([A-Za-z_]\w*)") for receiver in ("self", "cls")]
_STORES = {"rule": {"kind": "assignment", "regex": r"^(?:self|cls)\s*\.\s*\w+\s*="}}
_UNKNOWN = "?"


def attribute_uses(ctx: FileContext, uses: dict[SgNode, Chain],
                   index: ProjectIndex | RecordingIndex | None = None) -> bool:
    """Add to `uses` every `self.<attr>` / `cls.<attr>` use in a class whose methods store one tracked
    app or Blueprint (or extension object) in that attribute, and every `self` / `cls` in the methods
    of a project subclass of a Flask class (`receiver_uses`); then read the calls of those subclasses'
    registration helpers as registrations (helper_methods.py). True when any use was added."""
    received = receiver_uses(ctx, uses)
    received = _mixin_query_uses(ctx, uses) or received
    held = _held_uses(ctx, uses)
    given = _init_app_uses(ctx, uses)
    helper_methods.apply(ctx, uses, _HELPER_INSTANCES, index)
    return held or received or given


# `def init_app(self, app)` / `def init_app(cls, app)`: Flask's extension convention, which config classes
# follow too (`config[name].init_app(app)`, a call through a dict that no call fact follows).
_INIT_APP = "init_app"
_INIT_APP_DONE = "attributes.init_app"
_APP_PARAMETER = "app"
_APP_RE = re.compile(rf"^{_APP_PARAMETER}$")
_ASSIGNED_RE = re.compile(rf"(?m)^[ \t]*{_APP_PARAMETER}[ \t]*(?::[^=\n]*)?=(?!=)")


def _init_app_uses(ctx: FileContext, uses: dict[SgNode, Chain]) -> bool:
    """Add to `uses` each use of the `app` parameter of an `init_app` method (after its receiver) in a
    project that uses Flask: the application, by the convention Flask's extensions and config classes share.
    Not when the method assigns `app` itself or annotates it; not inside a function nested in it."""
    if not ctx.project_uses_flask or ctx.memo.get(_INIT_APP_DONE) or f"def {_INIT_APP}" not in ctx.text:
        return False
    ctx.memo[_INIT_APP_DONE] = True
    added = False
    vias = ctx.memo.setdefault(VIA, {})
    for function in ctx.functions:
        name = function.field("name")
        if name is None or name.text() != _INIT_APP or not _is_method(function, ctx):
            continue
        _, decorators = _receiver(function, ctx)
        params = function.field("parameters")
        named = params.named_children() if params is not None else []
        position = 0 if "staticmethod" in decorators else 1  # after `self`/`cls`
        given = named[position] if len(named) > position else None
        body = function.field("body")
        if given is None or given.kind() != "identifier" or given.text() != _APP_PARAMETER or body is None \
                or _ASSIGNED_RE.search(body.text()):
            continue
        via = f"`{_APP_PARAMETER}`: the application an `{_INIT_APP}` method is given, by Flask's extension convention"
        for node in body.find_all(kind="identifier", regex=_APP_RE.pattern):
            if node in uses or not _is_use_site(node, ctx.parents) or ctx.scopes.enclosing_function(node) != function:
                continue
            uses[node] = chain_of(node, f"{_FLASK_APP}", ctx.parents)
            vias[node] = via
            added = True
    return added


_FLASK_APP = "flask.Flask()"


def _is_method(function: SgNode, ctx: FileContext) -> bool:
    holder = ctx.parents[function]
    if holder is not None and holder.kind() == "decorated_definition":
        holder = ctx.parents[holder]
    cls = ctx.parents[holder] if holder is not None and holder.kind() == "block" else None
    return cls is not None and cls.kind() == "class_definition"


# Classes whose project subclasses' methods use the class's own API on `self`: `class App(Flask)`'s
# `self.register_blueprint(...)`, `class Api(flask_restful.Api)`'s `self.add_resource(...)`, a model's
# `cls.query`. Not views, forms or other extensions: their subclasses override hooks, and their own
# members are no migration site.
RECEIVER_BASES = frozenset({
    "flask.Flask", "flask.Blueprint", "quart.Quart", "quart.Blueprint", "flask_restful.Api", "flask_restx.Api",
    "flask_restx.Namespace", "flask_smorest.Api", "flask_smorest.Blueprint", *names.TRACKED_MEMBER_CLASSES})
_HELPER_INSTANCES = frozenset(f"{base}()" for base in RECEIVER_BASES - names.TRACKED_MEMBER_CLASSES)
_DONE = "attributes.receivers"  # in `ctx.memo`: the classes whose receivers are in `uses` already
_CLASS_RE = re.compile(r"class[ \t]+(\w+)")


def receiver_uses(ctx: FileContext, uses: dict[SgNode, Chain]) -> bool:
    """Add to `uses` the `self` (and a classmethod's `cls`) of each method of this file's project
    subclasses of `RECEIVER_BASES`: the instance (a model's `self` and `cls` are both its class, whose
    `query` is the extension's). A `@staticmethod` has no receiver; a function nested in a method is not
    followed. True when any was added."""
    subclasses = {name: qual for name, qual in ctx.bindings.items() if qual in RECEIVER_BASES}
    done: set[str] = ctx.memo.setdefault(_DONE, set())
    if subclasses.keys() <= done:
        return False
    # Most such names are imported models, not classes of this file: look for their `class` lines first.
    defined = set(_CLASS_RE.findall(ctx.text)).intersection(subclasses.keys() - done)
    done |= subclasses.keys()
    if not defined:
        return False
    added = False
    for cls, found in _classes_of_methods(ctx, defined).items():
        name, bases = cls.field("name"), cls.field("superclasses")
        if name is None or bases is None:
            continue
        base = subclasses[name.text()]
        if not any(_qual_of(node, uses) == base for node in bases.named_children()):
            continue  # another class of that name (nested in a class or function) built on something else
        model = base in names.TRACKED_MEMBER_CLASSES
        methods: dict[SgNode, tuple[str, str, str]] = {}  # method -> (receiver, its qual, via)
        for method in found:
            receiver, decorators = _receiver(method, ctx)
            if receiver is None or "staticmethod" in decorators:
                continue
            qual = base if model or "classmethod" in decorators else f"{base}()"
            via = f"`{receiver}`: the model `{name.text()}`" if model else \
                f"`{receiver}`: `{name.text()}`, a subclass of `{base.removeprefix('flask.')}`"
            methods[method] = (receiver, qual, via)
        if not methods:
            continue
        vias = ctx.memo.setdefault(VIA, {})
        receivers: dict[SgNode, list[SgNode]] = {method: [] for method in methods}
        # One query per class for every method's receiver, each use given to the method it is in; of a
        # model's, only `<receiver>.query`: the rules follow nothing else of a model class.
        pattern = _names_regex({r for r, _, _ in methods.values()})
        candidates = (attr.field("object") for attr in cls.find_all(
            kind="attribute", regex=pattern[:-2] + r")\s*\.\s*query$")) if model else \
            cls.find_all(kind="identifier", regex=pattern)
        for node in candidates:
            method = ctx.scopes.enclosing_function(node) if node is not None else None
            known = methods.get(method) if method is not None else None
            parent = ctx.parents[node] if known is not None else None
            if known is None or parent is None or node.text() != known[0] or parent.kind() in (  # type: ignore[union-attr]
                    "parameters", "default_parameter", "typed_parameter") or (
                    parent.kind() == "attribute" and parent.field("object") != node):
                continue
            uses[node] = chain_of(node, known[1], ctx.parents)  # type: ignore[arg-type]
            vias[node] = known[2]
            receivers[method].append(node)  # type: ignore[index, arg-type]
            added = True
        for method, (_, qual, _) in methods.items():
            if qual in _HELPER_INSTANCES:
                helper_methods.note_method(ctx, qual, method, receivers[method])
    return added


_MODEL_CLASS = next(iter(names.TRACKED_MEMBER_CLASSES))  # Flask-SQLAlchemy's `db.Model`
_MIXINS_DONE = "attributes.mixins"
# A class that has a `query` of its own: a class attribute, a method, or one its instances store
# (pgadmin's `Message.__init__` sets `self.query = _query`, a SQL string).
_OWN_QUERY_RE = re.compile(r"(?m)^[ \t]+(?:query\b[ \t]*[:=]|def[ \t]+query\b)|\.[ \t]*query[ \t]*=(?!=)")


def _mixin_query_uses(ctx: FileContext, uses: dict[SgNode, Chain]) -> bool:
    """`cls.query` in the classmethods of a class that is no model itself, in a module bound to
    Flask-SQLAlchemy: a mixin the models are built with (realworld's `SurrogatePK.get_by_id`), whose `query`
    can only be the models'. Not a class that has a `query` of its own, nor one name resolution follows;
    not `self.query`, which an instance attribute of that name would answer as well."""
    if ctx.memo.get(_MIXINS_DONE) or ".query" not in ctx.text or not any(
            names.root_module(qual) == "flask_sqlalchemy" for qual in ctx.bindings.values()):
        return False
    ctx.memo[_MIXINS_DONE] = True
    defined = set(_CLASS_RE.findall(ctx.text)) - ctx.bindings.keys()
    added = False
    vias = ctx.memo.setdefault(VIA, {})
    for cls, methods in _classes_of_methods(ctx, defined).items():
        name, body = cls.field("name"), cls.field("body")
        if name is None or body is None or _OWN_QUERY_RE.search(cls.text()):
            continue
        for method in methods:
            receiver, decorators = _receiver(method, ctx)
            if receiver is None or "classmethod" not in decorators:
                continue
            via = f"`{receiver}`: `{name.text()}`, a class of a module that uses Flask-SQLAlchemy, whose `query` is its models'"
            for attribute in method.find_all(kind="attribute", regex=rf"^{re.escape(receiver)}\s*\.\s*query$"):
                node = attribute.field("object")
                if node is None or node in uses or ctx.scopes.enclosing_function(node) != method:
                    continue
                uses[node] = chain_of(node, _MODEL_CLASS, ctx.parents)
                vias[node] = via
                added = True
    return added


def _classes_of_methods(ctx: FileContext, names_: set[str]) -> dict[SgNode, list[SgNode]]:
    """The classes named one of `names_` that have methods, with their methods: read from the file's
    functions, without a query."""
    found: dict[SgNode, list[SgNode]] = {}
    for function in ctx.functions:
        holder = ctx.parents[function]
        if holder is not None and holder.kind() == "decorated_definition":
            holder = ctx.parents[holder]
        cls = ctx.parents[holder] if holder is not None and holder.kind() == "block" else None
        name = cls.field("name") if cls is not None and cls.kind() == "class_definition" else None
        if name is not None and name.text() in names_:
            found.setdefault(cls, []).append(function)  # type: ignore[arg-type]
    return found


def _receiver(method: SgNode, ctx: FileContext) -> tuple[str | None, set[str]]:
    """The name of `method`'s first parameter (None when it has none), and its decorators' names."""
    holder = ctx.parents[method]
    decorators = set()
    if holder is not None and holder.kind() == "decorated_definition":
        for decorator in holder.children():
            if decorator.kind() == "decorator":
                decorators.add(decorator.text().lstrip("@").strip().rpartition(".")[2])
    params = method.field("parameters")
    first = next(iter(params.named_children()), None) if params is not None else None
    if first is not None and first.kind() == "identifier":
        return first.text(), decorators
    return None, decorators


def _held_uses(ctx: FileContext, uses: dict[SgNode, Chain]) -> bool:
    if all(ctx.bindings.keys().isdisjoint(pattern.findall(ctx.text)) for pattern in _STORE_RES):
        return False  # no store's value starts with a name bound to a Flask object
    added = False
    held: dict[tuple[SgNode, str, str], str] = {}  # (class, receiver, attribute) -> qual or unknown
    stored_in: dict[tuple[SgNode, str, str], SgNode] = {}  # -> the first method storing it
    for store in ctx.root.find_all(_STORES):
        left, right = store.field("left"), store.field("right")
        if left is None or right is None or left.kind() != "attribute":
            continue
        receiver, attr = left.field("object"), left.field("attribute")
        if receiver is None or attr is None or receiver.kind() != "identifier":
            continue
        cls = _enclosing_class(store, ctx)
        if cls is None or right.kind() == "none":
            continue
        qual = _stored(right, uses) or _UNKNOWN
        key = (cls, receiver.text(), attr.text())
        before = held.get(key)
        held[key] = qual if before is None or before == qual else _UNKNOWN
        stored_in.setdefault(key, ctx.scopes.enclosing_function(store))  # type: ignore[arg-type]
    for (cls, receiver, attr), qual in held.items():
        if qual == _UNKNOWN:
            continue
        pattern = rf"^{receiver}\s*\.\s*{re.escape(attr)}$"
        via = _stored_via(cls, stored_in[cls, receiver, attr], f"{receiver}.{attr}", qual)
        vias = ctx.memo.setdefault(VIA, {})
        for node in cls.find_all(kind="attribute", regex=pattern):
            target = node.field("object")
            parent = ctx.parents[node]
            if target is None or target.kind() != "identifier" or (
                    parent is not None and parent.kind() == "assignment" and parent.field("left") == node):
                continue  # a store, not a use
            uses[node] = chain_of(node, qual, ctx.parents)
            vias[node] = via
            added = True
    return added


def _stored_via(cls: SgNode, method: SgNode, attribute: str, qual: str) -> str:
    """`self.app`: the `Flask` object stored in `ApiServer.__init__`."""
    cls_name, method_name = cls.field("name"), method.field("name")
    where = f"{cls_name.text() if cls_name else '?'}.{method_name.text() if method_name else '?'}"
    return f"`{attribute}`: the `{names.display(qual)}` object stored in `{where}`"


def _stored(right: SgNode, uses: dict[SgNode, Chain]) -> str | None:
    """The tracked instance `right` makes or names: `Flask(...)`, `flask.Blueprint(...)`, `create_app()`,
    or a name bound to an instance."""
    if right.kind() == "call":
        function = right.field("function")
        qual = _qual_of(function, uses) if function is not None else None
        if qual is None:
            return None
        if qual.startswith(FACTORY_PREFIX):
            qual = qual[len(FACTORY_PREFIX):-2]
        return f"{qual}()" if _tracked_class(qual) and not _model_base(qual) else None
    qual = _qual_of(right, uses)
    return qual if qual is not None and qual.endswith("()") else None


def _qual_of(node: SgNode, uses: dict[SgNode, Chain]) -> str | None:
    """The qual of an identifier or attribute chain that name resolution followed, at `node`'s level."""
    head = node
    while head.kind() == "attribute":
        inner = head.field("object")
        if inner is None:
            return None
        head = inner
    chain = uses.get(head)
    for qual, level in chain or ():
        if level == node:
            return qual
    return None


def _enclosing_class(node: SgNode, ctx: FileContext) -> SgNode | None:
    """The class whose method (directly) holds `node`."""
    function = ctx.scopes.enclosing_function(node)
    if function is None:
        return None
    holder = ctx.parents[function]
    if holder is not None and holder.kind() == "decorated_definition":
        holder = ctx.parents[holder]
    if holder is None or holder.kind() != "block":
        return None
    cls = ctx.parents[holder]
    return cls if cls is not None and cls.kind() == "class_definition" else None
