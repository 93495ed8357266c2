"""Library-style Flask extensions: the object does its work without Flask once it is made, so the port keeps it.

`bcrypt = Bcrypt(app)` -> `bcrypt = Bcrypt()`, `ma = Marshmallow(app)` -> `ma = Marshmallow()`, and the views
go on calling the same object (`bcrypt.check_password_hash`, a schema's `dump`/`load`); `return
schema.jsonify(obj)` in a view -> `return schema.dump(obj)`, which FastAPI sends as JSON, as flask.jsonify did
(the bcrypt-password-hash, marshmallow-schema and marshmallow-jsonify proofs). Where the module sets or loads
config keys `init_app` reads (BCRYPT_LOG_ROUNDS...) and config.py wrote the module's config as `settings`, which
holds Flask's values at the same point, `init_app` is given that: `Bcrypt(SimpleNamespace(config=settings))`.
Only where `init_app` would have read nothing else, and nothing used needs Flask's app or request context
(Flask-Marshmallow's URL fields, its `Config` field, its SQLAlchemy schemas bound to Flask-SQLAlchemy's
session): what each extension reads is in LIBRARIES, from its source. The extension stays a dependency; its
module imports Flask, which a strangler-fig port has anyway.

While the app stays Flask, the binding stays with it: the Flask module keeps `bcrypt = Bcrypt(app)` (its config
read by init_app) and its schemas, and a view that moves to FastAPI on its own (split.py) imports the very object
from it, which works there without Flask's context (`context_free`): split.py no longer counts these findings
as needing Flask.

Not here, for want of a faithful counterpart (their sites keep their TODO), from their source: Flask-Mail's
`Message()` and `send` read `current_app` (0.10.0), and Flask-Executor's `submit` wraps the function with
`copy_current_request_context` (1.0.0): both need the Flask app or request context, which FastAPI does not push.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..rules.ext_followed import MARSHMALLOW_JSONIFY, MARSHMALLOW_SCHEMA
from ..rules.ext_objects import EXTENSION_OBJECT
from ..scopes import span
from . import config
from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import arguments, call_of

OBJECT = EXTENSION_OBJECT.code
SCHEMA = MARSHMALLOW_SCHEMA.code
SCHEMA_JSONIFY = MARSHMALLOW_JSONIFY.code


# What each extension's `init_app` reads and which of its names need Flask, from its source (Flask-Bcrypt 1.0.1,
# Flask-Marshmallow 1.5.0).
@dataclass(frozen=True)
class Library:
    module: str
    cls: str
    # the config keys `init_app` reads (by prefix): set anywhere, `X()` would not see them
    config: str
    # methods of the object that need no app or request context
    methods: frozenset[str]
    # names (attributes of the object, or of the module) whose use needs Flask's app or request context
    flask_bound: frozenset[str] = frozenset()
    # text in the module that means `init_app` does more than `X()` (Flask-SQLAlchemy's session for schemas)
    coupled: tuple[str, ...] = ()


LIBRARIES = {lib.cls: lib for lib in (
    # init_app reads BCRYPT_LOG_ROUNDS, BCRYPT_HASH_PREFIX, BCRYPT_HANDLE_LONG_PASSWORDS (defaults 12, "2b",
    # False: the class attributes `Bcrypt()` keeps); hashing and checking use only those
    Library("flask_bcrypt", "Bcrypt", "BCRYPT_", frozenset({"generate_password_hash", "check_password_hash"})),
    # init_app stores the object in app.extensions and, when Flask-SQLAlchemy is on the app, gives the
    # SQLAlchemy schemas its session; the schemas and marshmallow's fields need no Flask, except the fields that
    # build URLs or read config or Werkzeug's FileStorage, and jsonify (ported below where a view returns it)
    Library("flask_marshmallow", "Marshmallow", "", frozenset(),
            frozenset({"URLFor", "UrlFor", "AbsoluteURLFor", "AbsoluteUrlFor", "Hyperlinks", "HyperlinkRelated",
                       "Config", "File", "SQLAlchemySchema", "SQLAlchemyAutoSchema", "auto_field", "jsonify"}),
            ("SQLAlchemy", "sqlalchemy")),
)}
# marshmallow fields whose dumped value may be no JSON type (a Decimal, whatever a method returns): flask.jsonify and
# FastAPI's encoder write those differently
_ANY_VALUE = frozenset({"Decimal", "Raw", "Method", "Function", "Constant"})
# Config loaded from outside the module (the environment, a file): keys the port cannot see
_CONFIG_ELSEWHERE = ("from_prefixed_env", "from_envvar", "from_pyfile", "from_file")
# `config.from_object(X)`: X's keys are in this module's text only when X is a class of it
_FROM_OBJECT = re.compile(r"from_object\(\s*([^)\s]*)")
KEPT = ("extensions: library objects kept", 0)  # file.memo: object name -> its Library
# file.memo: spans of the top-level statements and of the calls kept as they are
FREE = ("extensions: statements kept as they are", 0)
ATTRIBUTES = ("extensions: (object, attribute) pairs", 0)
LOOSE = ("extensions: marshmallow fields of any value", 0)


def port_libraries(file: PortedFile, apps: set[str]) -> None:
    """Every site of a library-style extension: its object made without the app, its import and the calls of
    it that need no Flask kept as they are, a Flask-Marshmallow schema kept (its jsonify: port_schema_jsonify)."""
    kept: dict[str, Library] = file.memo.setdefault(KEPT, {})
    for site in file.sites_of(OBJECT):
        call = site.node if site.node.kind() == "call" else call_of(site.node)
        function = call.field("function") if call is not None else None
        if function is not None and function.kind() == "identifier" and function.text() in LIBRARIES:
            _attempt(file, site, lambda site=site, call=call: _make_without_app(file, site, call, apps, kept))
            given = [arg.text() for arg in call.field("arguments").named_children()]  # type: ignore[union-attr]
            if not site.handled and site.reason and set(given) & apps:  # the app stays Flask: the note says why
                file.blocked.setdefault("app", f"{function.text()}(app) at {file.path}:{call.range().start.line + 1} "
                                               f"stays: {site.reason}")
    for site in file.sites_of(OBJECT):
        call = site.node if site.node.kind() == "call" else call_of(site.node)
        function = call.field("function") if call is not None else None
        if site.handled or function is None or function.kind() != "attribute":
            continue
        owner, method = function.field("object").text(), function.field("attribute").text()  # type: ignore[union-attr]
        if owner in kept and method in kept[owner].methods:
            site.handled = True  # the same object, the same call
            file.memo.setdefault(FREE, set()).add(span(site.node))
    if not kept:
        return
    modules = {lib.module for lib in kept.values()}
    for site in file.sites:
        if site.node.kind() == "import_from_statement" and site.node.field("module_name").text() in modules:  # type: ignore[union-attr]
            site.handled = True  # the import stays: the object is still the extension's
    if any(lib.cls == "Marshmallow" for lib in kept.values()):
        for site in file.sites_of(SCHEMA):
            _attempt(file, site, lambda site=site: _schema(file, site, kept))


def port_schema_jsonify(file: PortedFile, views: dict[int, object]) -> None:
    """`schema.jsonify(obj)` returned by a converted view -> `schema.dump(obj)`; before the returns are ported
    (convert.py), so that a `return schema.jsonify(obj), 201` tuple is ported around the dump."""
    for site in file.sites_of(SCHEMA_JSONIFY):
        _attempt(file, site, lambda site=site: _schema_jsonify(file, site, views))


def _attempt(file: PortedFile, site: Site, action) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
    except NotPortable as reason:
        site.reason = site.reason or str(reason)
        file.todo(site, f"{site.advice} (not ported: {reason})")


def _make_without_app(file: PortedFile, site: Site, call, apps: set[str], kept: dict[str, Library]) -> None:  # type: ignore[no-untyped-def]
    lib = LIBRARIES[call.field("function").text()]
    if file.bound.get(lib.cls) != lib.module:
        raise NotPortable(f"{lib.cls} here is not {lib.module}'s")
    positional, keywords = arguments(call)
    made = not positional and not keywords and ".init_app" not in file.text  # `X()` bound to no app: kept as is
    if not made and (len(positional) != 1 or keywords or positional[0].kind() != "identifier"
                     or positional[0].text() not in apps):
        raise NotPortable(f"{lib.cls}() is ported where it is given this module's app alone")
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" \
            or statement is None or statement.parent() is None or statement.parent().kind() != "module":
        raise NotPortable(f"{lib.cls}(app) is ported where a module-level statement assigns it to a name")
    # init_app reads config keys: from Flask's config, or from `settings`, which holds the same values at the same
    # point of the module once config.py ported the module's config (it ports all of it or none)
    configured = lib.config and (lib.config in file.text or any(loader in file.text for loader in _CONFIG_ELSEWHERE)
                                 or any(file.bound.get(name) != file.path for name in _FROM_OBJECT.findall(file.text)))
    if not made and configured and config.NAME not in file.definitions:
        raise NotPortable(f"{lib.config}* config keys are read by init_app from Flask's config, which may hold "
                          f"them (set in or loaded by the module) and which the port does not write as settings here")
    if any(text in file.text for text in lib.coupled):
        raise NotPortable(f"init_app couples {lib.cls} to Flask-SQLAlchemy's session, which {lib.cls}() would not")
    if ATTRIBUTES not in file.memo:  # once per file, however many objects it makes
        file.memo[ATTRIBUTES] = {(node.field("object").text(), node.field("attribute").text())  # type: ignore[union-attr]
                                 for node in file.root.find_all(kind="attribute")}
    name = assignment.field("left").text()  # type: ignore[union-attr]
    bound = sorted(attribute for owner, attribute in file.memo[ATTRIBUTES]
                   if owner == name and attribute in lib.flask_bound - {"jsonify"})
    if bound:
        raise NotPortable(f"{name}.{bound[0]} needs Flask's request or app context")
    file.memo.setdefault(FREE, set()).add(span(statement))
    if not made and configured:  # init_app given what it reads of an app: its config
        file.use("types", "SimpleNamespace")
        file.replace(call, f"{lib.cls}(SimpleNamespace(config={config.NAME}))")
    elif not made:
        file.replace(call, f"{lib.cls}()")
    kept[assignment.field("left").text()] = lib  # type: ignore[union-attr]
    site.handled = True


def _schema(file: PortedFile, site: Site, kept: dict[str, Library]) -> None:
    """A schema class: the same marshmallow schema, unless it uses a field that needs Flask."""
    definition = site.node.parent()
    if definition is None or definition.kind() != "class_definition":
        raise NotPortable("not a schema class")
    bound = frozenset().union(*(lib.flask_bound for lib in kept.values())) - {"jsonify"}
    used = {node.text() for node in definition.find_all(kind="identifier")}
    if used & bound:
        raise NotPortable(f"the schema uses {', '.join(sorted(used & bound))}, which needs Flask's context")
    if definition.parent() is not None and definition.parent().kind() == "module":  # type: ignore[union-attr]
        file.memo.setdefault(FREE, set()).add(span(definition))
    site.handled = True


def _schema_jsonify(file: PortedFile, site: Site, views: dict[int, object]) -> None:
    """`return schema.jsonify(obj[, many=...])` in a view -> `return schema.dump(obj[, many=...])`:
    Flask-Marshmallow's jsonify is `flask.jsonify(self.dump(obj, many=many))`, many defaulting to the schema's,
    as dump's does; FastAPI sends the returned value as JSON."""
    call = site.node if site.node.kind() == "call" else call_of(site.node)
    function = call.field("function") if call is not None else None
    if call is None or function is None or function.kind() != "attribute" or \
            function.field("attribute").text() != "jsonify":  # type: ignore[union-attr]
        raise NotPortable("not schema.jsonify(...)")
    parent = call.parent()
    if parent is not None and parent.kind() in ("expression_list", "tuple") and parent.named_children()[0] == call:
        parent = parent.parent()  # `return schema.jsonify(obj), 201`: the tuple's port takes the dump
    view = enclosing_function(call)
    if parent is None or parent.kind() != "return_statement" or view is None or span(view)[0] not in views:
        raise NotPortable("schema.jsonify(...) is ported where a converted view returns it")
    positional, keywords = arguments(call)
    if len(positional) != 1 or set(keywords) - {"many"}:
        raise NotPortable("jsonify's other arguments go to flask.jsonify")
    if LOOSE not in file.memo:  # once per file: a module with many views stays linear
        file.memo[LOOSE] = {node.text() for node in file.root.find_all(kind="identifier")} & _ANY_VALUE
    loose = file.memo[LOOSE]
    if loose:
        raise NotPortable(f"the module's schemas may dump values that are not JSON types ({', '.join(sorted(loose))} "
                          "fields), which flask.jsonify writes otherwise than FastAPI (a Decimal as a string)")
    file.replace(function.field("attribute"), "dump")  # type: ignore[arg-type]
    site.handled = True


def context_free(file: PortedFile) -> set[tuple[int, int]]:
    """The spans of the module's top-level statements (and calls) whose findings this module kept as they are
    (`bcrypt = Bcrypt(app)`, a schema class, `bcrypt.check_password_hash(...)`): they work without Flask's
    context, in the Flask module too, so a view moved to FastAPI may import what they bind from there
    (split.py), the same object."""
    return set(file.memo.get(FREE, ()))


def kept_as_is(file: PortedFile, site: Site) -> bool:
    """True for a finding inside one of the statements or calls `context_free` gives."""
    start, end = span(site.node)
    return site.handled and any(first <= start and end <= last for first, last in file.memo.get(FREE, ()))
