"""FMA379-388: the mission's four named extensions followed past their adoption (FMA316, FMA318, FMA319, FMA320)
to each use of their API: Flask-Admin view registrations (its view classes are FMA355, ext_endpoints.py),
Flask-CORS options wherever they are given (`CORS(...)`, `CORS_*` configuration keys; `@cross_origin(...)` is
FMA353, ext_endpoints.py, with the same options), Flask-Injector's wiring, modules, request scope and the
views it injects into, Flask-Marshmallow's schema classes, fields and `schema.jsonify`. Each use is attributed
to its extension (the report's extension table counts it) at a low effort: the extension's own effort is
counted once, at its adoption."""
from __future__ import annotations

import re
from typing import Iterator

from ast_grep_py import SgNode

from ..api import FileContext, Hit, Use
from ..ecosystem import CORS_KEY_PREFIX
from ..registry import on_file, on_use, rule
from ._common import FASTAPI, members, short

_SQLADMIN = "https://smithyhq.github.io/sqladmin/"
_FASTAPI_INJECTOR = "https://github.com/matyasrichter/fastapi-injector"

ADMIN_REGISTRATION = rule(
    "FMA379", "flask-admin-view-registration", "Flask-Admin view registration",
    "`{call}` registers a Flask-Admin view",
    "sqladmin `admin.add_view(BookAdmin)`: the view class, declared with `model=`, not an instance built "
    "with a session",
    "mandatory", 1, "partial",
    rationale="Flask-Admin registers view instances built with the model and a session "
    "(`BookAdmin(Book, db.session)`); sqladmin registers the class, which names its model (`class "
    "BookAdmin(ModelView, model=Book)`) and gets its session from `Admin(app, engine)`. Menu links "
    "(`add_link`) become sqladmin `BaseView`s or template overrides.",
    before="admin.add_view(BookAdmin(Book, db.session))\n",
    after="admin.add_view(BookAdmin)\n",
    links=(_SQLADMIN,),
    extension="Flask-Admin",
)


def _the_call(use: Use) -> Iterator[Hit]:
    """A finding at the whole call (`admin.add_view(...)`), which the message quotes; a bare reference is none."""
    if use.call is not None:
        yield Hit(use.call, {"call": short(use.call.text(), 50)})


on_use(ADMIN_REGISTRATION, *(f"flask_admin.Admin().{n}" for n in ("add_view", "add_views", "add_link")))(_the_call)


# Flask-CORS option -> CORSMiddleware argument (None: no counterpart). From Flask-CORS's `CORS`/
# `cross_origin` signature (its configuration keys are `flask_cors.core.CONFIG_OPTIONS`, the same names
# upper-cased with `CORS_`) and the CORSMiddleware of Starlette 1.x.
_CORS_OPTIONS: dict[str, str | None] = {
    "origins": "allow_origins", "methods": "allow_methods", "allow_headers": "allow_headers",
    "expose_headers": "expose_headers", "supports_credentials": "allow_credentials", "max_age": "max_age",
    "allow_private_network": "allow_private_network",
    "resources": None, "send_wildcard": None, "vary_header": None, "automatic_options": None,
    "intercept_exceptions": None, "always_send": None,
}
_CORS_LINKS = (f"{FASTAPI}/tutorial/cors/", "https://corydolphin.com/flask-cors/extension/")

CORS_OPTIONS = rule(
    "FMA380", "flask-cors-options", "Flask-CORS options",
    "`{call}` configures Flask-CORS{options}",
    "`app.add_middleware(CORSMiddleware, {arguments})`{unmatched}",
    "mandatory", 1, "partial",
    rationale="Each Flask-CORS option has a CORSMiddleware argument except `resources` (per-path rules: a "
    "mounted sub-application with its own middleware), `send_wildcard`, `vary_header`, "
    "`automatic_options`, `intercept_exceptions` and `always_send`. Flask-CORS "
    "allows every method and requested header unless told; CORSMiddleware allows GET and a few safe "
    "headers, so the port spells `allow_methods=['*']` and `allow_headers=['*']` where Flask-CORS was left "
    "at its defaults. `CORS_*` configuration keys are the same options (FMA385).",
    before="CORS(app, origins=['https://shop.example'], supports_credentials=True)\n",
    after="app.add_middleware(CORSMiddleware, allow_origins=['https://shop.example'], allow_credentials=True,\n"
    "                   allow_methods=['*'], allow_headers=['*'])\n",
    links=_CORS_LINKS,
    extension="Flask-CORS",
)


def cors_fields(call: SgNode, positional: list[SgNode], keywords: dict[str, SgNode]) -> dict[str, str]:
    """The message fields of a `CORS(...)` or `cross_origin(...)` call: its options and their
    CORSMiddleware arguments, with Flask-CORS's defaults spelled out where the call left them; options
    passed as `**mapping` are named as such, their arguments unknown here."""
    given = [name for name in keywords if name in _CORS_OPTIONS]
    splats = [arg.text() for arg in positional if arg.kind() == "dictionary_splat"]
    arguments = [f"{_CORS_OPTIONS[name]}=..." for name in given if _CORS_OPTIONS[name]]
    if splats:
        arguments.append(f"the arguments of the options in `{short(splats[0], 40)}`")
    else:
        for name, default in (("allow_methods", "['*']"), ("allow_headers", "['*']")):
            if name not in {_CORS_OPTIONS[g] for g in given}:
                arguments.append(f"{name}={default}")  # Flask-CORS's defaults allow every method and header
        if "allow_origins=..." not in arguments:
            arguments.insert(0, "allow_origins=['*']")
    unmatched = [name for name in given if _CORS_OPTIONS[name] is None]
    named = given + [f"`{short(splat, 40)}`" for splat in splats]
    return {
        "call": short(call.text(), 50),
        "options": f" ({', '.join(named)})" if named
        else " with no options of its own (the `CORS_*` configuration keys, else every origin, method and header)",
        "arguments": ", ".join(arguments),
        "unmatched": f"; no counterpart for {', '.join(unmatched)}" if unmatched else "",
    }


@on_use(CORS_OPTIONS, "flask_cors.CORS", "flask_cors.CORS().init_app")
def _cors_options(use: Use) -> Iterator[Hit]:
    if use.call is None or (use.qual == "flask_cors.CORS" and use.node.text() != "CORS"
                            and not use.node.text().endswith(".CORS")):
        return
    yield Hit(use.call, cors_fields(use.call, *use.arguments()))


_CORS_KEYS = {f"{CORS_KEY_PREFIX}{name.upper()}": name for name in _CORS_OPTIONS}

CORS_CONFIG = rule(
    "FMA385", "flask-cors-config-keys", "Flask-CORS configuration keys",
    "`{key}` configures Flask-CORS",
    "{argument}",
    "mandatory", 1, "partial",
    rationale="Flask-CORS reads its options from the app's configuration too (`CORS_ORIGINS`, "
    "`CORS_SUPPORTS_CREDENTIALS`...: the option names upper-cased, `flask_cors.core.CONFIG_OPTIONS`), "
    "which `CORS(app)` and `@cross_origin()` apply when their own arguments leave them out. CORSMiddleware "
    "reads no configuration: each key becomes the argument of the same meaning, its value taken from the "
    "settings object; the keys without a counterpart are those of FMA380.",
    before="app.config['CORS_ORIGINS'] = ['https://shop.example']\nCORS(app)\n",
    after="app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=['*'],\n"
    "                   allow_headers=['*'])\n",
    links=_CORS_LINKS,
    extension="Flask-CORS",
)


@on_file(CORS_CONFIG)
def _cors_config(ctx: FileContext) -> Iterator[Hit]:
    """A Flask-CORS key where configuration is set: `app.config['CORS_ORIGINS'] = ...`, `CORS_ORIGINS = ...`
    in a config class or module, `config.update(CORS_ORIGINS=...)`, `{'CORS_ORIGINS': ...}`. Reading a
    key, or an environment variable of that name, sets nothing."""
    if CORS_KEY_PREFIX not in ctx.text or not ctx.uses_flask:
        return
    for node in ctx.root.find_all(kind="identifier", regex="^CORS_[A-Z_]+$"):
        parent = ctx.parents[node]
        if node.text() in _CORS_KEYS and parent is not None and (
                (parent.kind() == "assignment" and parent.field("left") == node)
                or (parent.kind() == "keyword_argument" and parent.field("name") == node)):
            yield _cors_key(node, node.text())
    for node in ctx.root.find_all(kind="string", regex="^[\"']CORS_[A-Z_]+[\"']$"):
        key, parent = node.text()[1:-1], ctx.parents[node]
        if key not in _CORS_KEYS or parent is None:
            continue
        holder = ctx.parents[parent]
        if (parent.kind() == "pair" and parent.field("key") == node) or (
                parent.kind() == "subscript" and parent.field("subscript") == node and holder is not None
                and holder.kind() == "assignment" and holder.field("left") == parent):
            yield _cors_key(node, key)


def _cors_key(node: SgNode, key: str) -> Hit:
    argument = _CORS_OPTIONS[_CORS_KEYS[key]]
    return Hit(node, {"key": key, "argument": f"`CORSMiddleware(..., {argument}=settings.{key.lower()})`" if argument
                      else f"no CORSMiddleware counterpart for `{_CORS_KEYS[key]}` (see FMA380)"})


INJECTOR_WIRING = rule(
    "FMA381", "flask-injector-wiring", "Flask-Injector wiring",
    "`{call}` wires an injector into the Flask app",
    "fastapi-injector: `attach_injector(app, injector)` with the same `Injector(modules)`, and `Injected(T)` "
    "parameters instead of annotated view arguments",
    "mandatory", 1, "partial",
    rationale="The injector modules and their bindings are framework-agnostic and carry over as they are; "
    "what changes is how views receive their objects (`Injected(T)` rather than an annotation) and the "
    "request scope (FMA382). With FastAPI's native `Depends(T)` instead, an injector singleton becomes a new "
    "object per request unless a provider returns one shared instance.",
    before="FlaskInjector(app=app, modules=[configure])\n",
    after="injector = Injector([configure])\nattach_injector(app, injector)\n",
    links=(_FASTAPI_INJECTOR, f"{FASTAPI}/tutorial/dependencies/"),
    extension="Flask-Injector",
)


on_use(INJECTOR_WIRING, "flask_injector.FlaskInjector")(_the_call)


INJECTOR_MODULES = rule(
    "FMA386", "flask-injector-modules", "Flask-Injector modules",
    "`{name}` is an injector module that Flask-Injector installs{content}",
    "the same module in `Injector([...])`, attached with fastapi-injector's `attach_injector(app, injector)`: "
    "its `binder.bind(...)` calls and `@provider` methods carry over; request-scoped bindings take "
    "`request_scope` (FMA382)",
    "mandatory", 1, "direct",
    rationale="An injector module (an `injector.Module` subclass with `configure(self, binder)` and "
    "`@provider` methods, or a `configure(binder)` function) knows nothing of Flask: fastapi-injector "
    "builds the same `Injector` from it. What changes is around it: the views receive the bound objects "
    "through `Injected(T)` parameters (FMA381) and the request scope is fastapi-injector's (FMA382).",
    before="class ShopModule(Module):\n    @provider\n    def catalogue(self) -> Catalogue: ...\n\n"
    "FlaskInjector(app=app, modules=[ShopModule()])\n",
    after="class ShopModule(Module):\n    @provider\n    def catalogue(self) -> Catalogue: ...\n\n"
    "attach_injector(app, Injector([ShopModule()]))\n",
    links=(_FASTAPI_INJECTOR, "https://github.com/python-injector/injector"),
    extension="Flask-Injector",
)
_BINDINGS_RE = re.compile(r"\.bind\s*\(")
_PROVIDERS_RE = re.compile(r"@\s*(?:\w+\.)?(?:multi)?provider\b")


@on_use(INJECTOR_MODULES, "flask_injector.FlaskInjector")
def _injector_modules(use: Use) -> Iterator[Hit]:
    """Each module of `FlaskInjector(app, modules=[...])`, or of the `Injector([...])` it is given
    (`injector=Injector([...])`, or a name this file assigns one to): a name, an instance (`ShopModule()`),
    or the name of a list of them."""
    positional, keywords = use.arguments()
    modules = keywords.get("modules", positional[1] if len(positional) > 1 else None)
    if modules is None:
        modules = _injector_modules_of(use.ctx, keywords.get("injector", positional[2] if len(positional) > 2 else None))
    if modules is not None and modules.kind() == "identifier":
        modules = _assigned(use.ctx, modules) or modules  # `MODULES = [ShopModule]`: its modules
    if modules is None:
        return
    items = modules.named_children() if modules.kind() in ("list", "tuple") else [modules]
    for item in items:
        target = item.field("function") if item.kind() == "call" else item
        if target is None or target.kind() not in ("identifier", "attribute"):
            continue
        yield Hit(item, {"name": target.text(), "content": _module_content(use.ctx, target.text())})


def _assigned(ctx: FileContext, name: SgNode) -> SgNode | None:
    """What the name is assigned in this file, when it is assigned exactly once."""
    assignments = ctx.memo.get("ext-followed-assignments")
    if assignments is None:  # one walk per file, however many calls ask
        assignments = ctx.memo["ext-followed-assignments"] = {}
        for node in ctx.root.find_all(kind="assignment"):
            left = node.field("left")
            if left is not None and left.kind() == "identifier":
                assignments.setdefault(left.text(), []).append(node.field("right"))
    assigned = assignments.get(name.text(), [])
    return assigned[0] if len(assigned) == 1 else None


def _injector_modules_of(ctx: FileContext, injector: SgNode | None) -> SgNode | None:
    """The modules argument of `Injector(modules)`: the call itself, or the one a name is assigned in this file."""
    if injector is not None and injector.kind() == "identifier":
        injector = _assigned(ctx, injector)
    if injector is None or injector.kind() != "call" or not injector.field("function").text().endswith("Injector"):
        return None
    arguments = injector.field("arguments")
    for argument in arguments.named_children() if arguments is not None else []:
        if argument.kind() == "keyword_argument":
            name = argument.field("name")
            if name is not None and name.text() == "modules":
                return argument.field("value")
        elif argument.kind() != "comment":
            return argument  # the first positional argument
    return None


def _module_content(ctx: FileContext, name: str) -> str:
    """`(2 bindings, 1 provider)` when the module is a class or function of this file; else nothing."""
    definitions = ctx.memo.get("injector-module-definitions")
    if definitions is None:  # one walk per file, however many modules the call lists
        definitions = ctx.memo["injector-module-definitions"] = {}
        for kind in ("class_definition", "function_definition"):
            for definition in ctx.root.find_all(kind=kind):
                found = definition.field("name")
                if found is not None:
                    definitions.setdefault(found.text(), definition)
    definition = definitions.get(name)
    if definition is None:
        return ""
    text = definition.text()
    counts = [(len(_BINDINGS_RE.findall(text)), "binding"), (len(_PROVIDERS_RE.findall(text)), "provider")]
    parts = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts if n]
    return f" ({', '.join(parts)})" if parts else ""


INJECTOR_REQUEST_SCOPE = rule(
    "FMA382", "flask-injector-request-scope", "Flask-Injector request scope",
    "`{name}` binds an object per Flask request",
    "fastapi-injector's `request_scope` (its `RequestScopeOptions`/`InjectorMiddleware` give one instance per "
    "request)",
    "mandatory", 1, "partial",
    rationale="flask_injector's `request` scope is tied to Flask's request context; fastapi-injector's "
    "`request_scope` keeps the same one-per-request lifetime through its middleware.",
    before="binder.bind(RequestContext, to=RequestContext, scope=request)\n",
    after="binder.bind(RequestContext, to=RequestContext, scope=request_scope)\n",
    links=(_FASTAPI_INJECTOR,),
    extension="Flask-Injector",
)


@on_use(INJECTOR_REQUEST_SCOPE, "flask_injector.request", "flask_injector.RequestScope")
def _request_scope(use: Use) -> Iterator[Hit]:
    parent = use.parent
    if parent is not None and parent.kind() in ("import_from_statement", "aliased_import", "dotted_name"):
        return
    yield use.hit(name=use.node.text())


INJECTOR_VIEW = rule(
    "FMA388", "flask-injector-view-injection", "View receiving objects from Flask-Injector",
    "view `{view}` receives {params} from Flask-Injector",
    "fastapi-injector's `Injected(T)` as each parameter's default (`{example}`), with the injector attached "
    "by `attach_injector(app, injector)` (FMA381)",
    "mandatory", 1, "partial",
    rationale="Flask passes a view only its URL variables; Flask-Injector fills the other parameters from their "
    "annotations (or `@inject`). FastAPI reads an annotated parameter as a query parameter or a body: each "
    "injected one needs `Injected(T)` (fastapi-injector) or `Depends(...)` as its default, or the request "
    "fails with 422 instead of receiving the object.",
    before="@bp.route('/books/<int:book_id>')\n@inject\ndef detail(book_id, pricing: PriceCalculator): ...\n",
    after="@router.get('/books/{book_id}')\ndef detail(book_id: int, pricing: PriceCalculator = "
    "Injected(PriceCalculator)): ...\n",
    links=(_FASTAPI_INJECTOR, f"{FASTAPI}/tutorial/dependencies/"),
    extension="Flask-Injector",
)
# A file that imports the injector (or Flask-Injector) is where views take injected parameters.
_IMPORTS_INJECTOR = re.compile(r"^\s*(?:from|import)\s+(?:flask_)?injector\b", re.MULTILINE)
_PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


@on_use(INJECTOR_VIEW, *members("route", "get", "post", "put", "patch", "delete"))
def _injected_view(use: Use) -> Iterator[Hit]:
    """Once per view (at its first route decorator): the parameters that are no URL variable of any of its
    routes and have no default, annotated or under `@inject`, in a file that imports the injector."""
    view = use.decorated
    if view is None or view.kind() != "function_definition":
        return
    imports = use.ctx.memo.get("imports-injector")
    if imports is None:  # one search per file, however many routes it has
        imports = use.ctx.memo["imports-injector"] = bool(_IMPORTS_INJECTOR.search(use.ctx.text))
    if not imports:
        return
    seen = use.ctx.memo.setdefault(INJECTOR_VIEW.code, set())
    if view.range().start.index in seen:
        return
    seen.add(view.range().start.index)
    definition = use.ctx.parents[view]
    decorators = [d.text().lstrip("@").strip() for d in definition.children() if d.kind() == "decorator"] \
        if definition is not None and definition.kind() == "decorated_definition" else []
    marked = any(d == "inject" or d.endswith(".inject") for d in decorators)
    variables = set(_PLACEHOLDER.findall(" ".join(decorators)))
    injected = []
    parameters = view.field("parameters")
    for param in parameters.named_children() if parameters is not None else []:
        if param.kind() == "typed_parameter":
            name, kind = param.named_children()[0].text(), param.field("type")
            if name not in variables and kind is not None:
                injected.append((name, kind.text()))
        elif param.kind() == "identifier" and marked and param.text() not in variables | {"self", "cls"}:
            injected.append((param.text(), ""))
    if injected:
        name, kind = injected[0]
        yield Hit(view.field("name") or view, {
            "view": view.field("name").text() if view.field("name") is not None else "?",
            "params": ", ".join(f"`{n}: {k}`" if k else f"`{n}`" for n, k in injected),
            "example": f"{name}: {kind or 'T'} = Injected({kind or 'T'})"})


_SCHEMA_BASES = ("Schema", "SQLAlchemySchema", "SQLAlchemyAutoSchema")
_MA = "flask_marshmallow.Marshmallow()"

MARSHMALLOW_SCHEMA = rule(
    "FMA383", "flask-marshmallow-schema", "Flask-Marshmallow schema class",
    "schema `{name}` is declared on {base}",
    "a Pydantic model (`model_config = ConfigDict(from_attributes=True)`) used as `response_model` or the "
    "return annotation; `load` becomes the body parameter",
    "mandatory", 1, "partial",
    rationale="A schema dumps only its declared fields; a Pydantic model does the same only as the "
    "`response_model` (returning the ORM object without one sends every attribute). `dump_only` becomes a "
    "separate output model; `SQLAlchemyAutoSchema` fields are written out (or SQLModel reused).",
    before="class BookSchema(ma.SQLAlchemyAutoSchema):\n    class Meta:\n        model = Book\n",
    after="class BookOut(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n    id: int\n"
    "    title: str\n",
    links=(f"{FASTAPI}/tutorial/response-model/", "https://docs.pydantic.dev/latest/concepts/models/"),
    extension="Flask-Marshmallow",
)


_SCHEMA_CLASSES = (*(f"{_MA}.{n}" for n in _SCHEMA_BASES), "flask_marshmallow.Schema",
                   *(f"flask_marshmallow.sqla.{n}" for n in _SCHEMA_BASES[1:]))


@on_use(MARSHMALLOW_SCHEMA, *_SCHEMA_CLASSES)
def _schema_class(use: Use) -> Iterator[Hit]:
    """A class built on Flask-Marshmallow's schema classes, or on a project schema built on them (the
    catalogue tracks them, so a project subclass stands for its base)."""
    parent = use.parent
    cls = use.ctx.parents[parent] if parent is not None and parent.kind() == "argument_list" else None
    name = cls.field("name") if cls is not None and cls.kind() == "class_definition" else None
    if name is not None:
        base = use.node.text()
        ours = base.rpartition(".")[2] in _SCHEMA_BASES and base.rpartition(".")[2] == use.qual.rpartition(".")[2]
        yield Hit(name, {"name": name.text(),
                         "base": f"Flask-Marshmallow's `{base}`" if ours else f"`{base}`, a Flask-Marshmallow schema"})


MARSHMALLOW_FIELDS = rule(
    "FMA384", "flask-marshmallow-auto-field", "Flask-Marshmallow auto_field",
    "`{name}` is Flask-Marshmallow's",
    "a typed attribute of the Pydantic model (`title: str`)",
    "mandatory", 1, "partial",
    rationale="`ma.auto_field` reads the column type from the SQLAlchemy model, which a Pydantic model "
    "declares itself (SQLModel can reuse the model class as the schema).",
    before="class BookSchema(ma.SQLAlchemySchema):\n    title = ma.auto_field()\n",
    after="class BookOut(BaseModel):\n    model_config = ConfigDict(from_attributes=True)\n    title: str\n",
    links=(f"{FASTAPI}/tutorial/response-model/",),
    extension="Flask-Marshmallow",
)


@on_use(MARSHMALLOW_FIELDS, f"{_MA}.auto_field", "flask_marshmallow.sqla.auto_field")
def _auto_field(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(name="ma.auto_field" if use.qual.startswith(_MA) else "auto_field")


MARSHMALLOW_JSONIFY = rule(
    "FMA387", "flask-marshmallow-jsonify", "Flask-Marshmallow schema.jsonify",
    "`{call}` dumps through a Flask-Marshmallow schema into a Flask JSON response",
    "return the object and let the Pydantic model of the schema be the `response_model` (`list[BookOut]` "
    "where the schema has `many=True`)",
    "mandatory", 1, "partial",
    rationale="`schema.jsonify(obj)` is `jsonify(schema.dump(obj))`: only the schema's fields, as a JSON "
    "response. The path operation returns the object (or the list) and `response_model` does the filtering "
    "and the serialisation; returning the ORM object without one would send every attribute.",
    before="@app.get('/books/<int:book_id>')\ndef book(book_id):\n    return book_schema.jsonify(db.get_or_404(Book, "
    "book_id))\n",
    after="@app.get('/books/{book_id}', response_model=BookOut)\ndef book(book_id: int, db: DB):\n"
    "    return get_or_404(db, Book, book_id)\n",
    links=(f"{FASTAPI}/tutorial/response-model/", "https://github.com/marshmallow-code/flask-marshmallow"),
    extension="Flask-Marshmallow",
)


@on_use(MARSHMALLOW_JSONIFY, *(f"{cls}().jsonify" for cls in _SCHEMA_CLASSES))
def _jsonify(use: Use) -> Iterator[Hit]:
    """`book_schema.jsonify(book)` on an instance of a schema class the project built on Flask-Marshmallow."""
    if use.call is not None:
        yield Hit(use.call, {"call": short(use.call.text(), 50)})


@on_use(MARSHMALLOW_JSONIFY, *_SCHEMA_CLASSES)
def _jsonify_new_instance(use: Use) -> Iterator[Hit]:
    """`BookSchema(many=True).jsonify(books)`: the instance made where it is used."""
    call = use.call
    attribute = use.ctx.parents[call] if call is not None else None
    outer = use.ctx.parents[attribute] if attribute is not None else None
    name = attribute.field("attribute") if attribute is not None and attribute.kind() == "attribute" else None
    if (name is not None and name.text() == "jsonify" and outer is not None and outer.kind() == "call"
            and outer.field("function") == attribute):
        yield Hit(outer, {"call": short(outer.text(), 50)})
