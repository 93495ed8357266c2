"""FMA379-384: the mission's four named extensions followed past their adoption (FMA316, FMA318, FMA319,
FMA320) to each use of their API: Flask-Admin view registrations, Flask-CORS options, Flask-Injector's
wiring and request scope, Flask-Marshmallow's schema classes and fields. Each use is attributed to its
extension (the report's extension table counts it) at a low effort: the extension's own effort is
counted once, at its adoption."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import on_use, rule
from ._common import FASTAPI, short

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
# `cross_origin` signature and Starlette's CORSMiddleware.
_CORS_OPTIONS: dict[str, str | None] = {
    "origins": "allow_origins", "methods": "allow_methods", "allow_headers": "allow_headers",
    "expose_headers": "expose_headers", "supports_credentials": "allow_credentials", "max_age": "max_age",
    "resources": None, "send_wildcard": None, "vary_header": None, "automatic_options": None,
    "intercept_exceptions": None, "always_send": None, "allow_private_network": None,
}

CORS_OPTIONS = rule(
    "FMA380", "flask-cors-options", "Flask-CORS options",
    "`{call}` configures Flask-CORS{options}",
    "`app.add_middleware(CORSMiddleware, {arguments})`{unmatched}",
    "mandatory", 1, "partial",
    rationale="Each Flask-CORS option has a CORSMiddleware argument except `resources` (per-path rules: a "
    "mounted sub-application with its own middleware), `send_wildcard`, `vary_header`, "
    "`automatic_options`, `intercept_exceptions`, `always_send` and `allow_private_network`. Flask-CORS "
    "allows every method and requested header unless told; CORSMiddleware allows GET and a few safe "
    "headers, so the port spells `allow_methods=['*']` and `allow_headers=['*']` where Flask-CORS was left "
    "at its defaults. `CORS_*` configuration keys are the same options.",
    before="CORS(app, origins=['https://shop.example'], supports_credentials=True)\n",
    after="app.add_middleware(CORSMiddleware, allow_origins=['https://shop.example'], allow_credentials=True,\n"
    "                   allow_methods=['*'], allow_headers=['*'])\n",
    links=(f"{FASTAPI}/tutorial/cors/", "https://corydolphin.com/flask-cors/extension/"),
    extension="Flask-CORS",
)


@on_use(CORS_OPTIONS, "flask_cors.CORS", "flask_cors.CORS().init_app")
def _cors_options(use: Use) -> Iterator[Hit]:
    if use.call is None or (use.qual == "flask_cors.CORS" and use.node.text() != "CORS"
                            and not use.node.text().endswith(".CORS")):
        return
    _, keywords = use.arguments()
    given = [name for name in keywords if name in _CORS_OPTIONS]
    arguments = [f"{_CORS_OPTIONS[name]}=..." for name in given if _CORS_OPTIONS[name]]
    for name, default in (("allow_methods", "['*']"), ("allow_headers", "['*']")):
        if name not in {_CORS_OPTIONS[g] for g in given}:
            arguments.append(f"{name}={default}")  # Flask-CORS's defaults allow every method and header
    if "allow_origins=..." not in arguments:
        arguments.insert(0, "allow_origins=['*']")
    unmatched = [name for name in given if _CORS_OPTIONS[name] is None]
    yield Hit(use.call, {
        "call": short(use.call.text(), 50),
        "options": f" ({', '.join(given)})" if given else " with its defaults (every origin, method and header)",
        "arguments": ", ".join(arguments),
        "unmatched": f"; no counterpart for {', '.join(unmatched)}" if unmatched else "",
    })


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


_SCHEMA_BASES = ("Schema", "SQLAlchemySchema", "SQLAlchemyAutoSchema")
_MA = "flask_marshmallow.Marshmallow()"

MARSHMALLOW_SCHEMA = rule(
    "FMA383", "flask-marshmallow-schema", "Flask-Marshmallow schema class",
    "schema `{name}` is declared on Flask-Marshmallow's `{base}`",
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


@on_use(MARSHMALLOW_SCHEMA, *(f"{_MA}.{n}" for n in _SCHEMA_BASES), "flask_marshmallow.Schema",
        *(f"flask_marshmallow.sqla.{n}" for n in _SCHEMA_BASES[1:]))
def _schema_class(use: Use) -> Iterator[Hit]:
    parent = use.parent
    cls = use.ctx.parents[parent] if parent is not None and parent.kind() == "argument_list" else None
    name = cls.field("name") if cls is not None and cls.kind() == "class_definition" else None
    if name is not None:
        yield Hit(name, {"name": name.text(), "base": use.node.text()})


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
