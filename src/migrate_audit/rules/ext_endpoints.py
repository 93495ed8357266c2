"""FMA351-359: extension features on endpoints (caching, rate limits, CORS, Socket.IO events, admin
views, serialised links, ETags, REST frameworks' resources and marshalling), attributed wherever their
objects are used."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import FASTAPI, STARLETTE
from .ext_followed import cors_fields

CACHE = rule(
    "FMA351", "flask-caching-decorators", "Flask-Caching cached / memoize",
    "`{name}` caches through Flask-Caching",
    "cashews `@cache(ttl=...)` or fastapi-cache2 `@cache(expire=...)`; key on the parameters explicitly",
    "mandatory", 1, "partial",
    rationale="`cache.cached` keys on `request.path` (and `query_string=True` on the query) and `memoize` on "
    "the arguments; async caches key on the function arguments, so view caches need their key revisited: an "
    "endpoint that reads its query from a `request: Request` parameter is keyed on the request object's text, "
    "which holds its memory address: it almost never hits, stores an entry per request, and when Python reuses "
    "an address serves another request's answer.",
    before="@cache.cached(timeout=60, query_string=True)\ndef books(): ...\n",
    after="@cache(ttl='1m')\nasync def books(page: int = 1): ...\n",
    links=("https://github.com/Krukov/cashews", "https://github.com/long2ice/fastapi-cache"),
    extension="Flask-Caching",
)
flag_uses(CACHE, args={f"flask_caching.Cache().{n}": {"name": f"cache.{n}"}
                       for n in ("cached", "memoize", "delete_memoized", "delete_memoized_verhash", "make_cache_key")})

LIMITER = rule(
    "FMA352", "flask-limiter-decorators", "Flask-Limiter limits",
    "`{name}` sets a Flask-Limiter rate limit",
    "slowapi's `@limiter.limit('5/minute')` with the same limit strings; the endpoint must take "
    "`request: Request` (and `response: Response` when `headers_enabled=True`)",
    "mandatory", 1, "direct",
    rationale="slowapi is adapted from Flask-Limiter and uses the same `limits` strings and X-RateLimit headers, "
    "but reads the client from the `request` parameter, which every limited endpoint must declare, and writes the "
    "headers on a `response` parameter when the endpoint returns a dict. Its default 429 answer is JSON "
    "(`{\"error\": \"Rate limit exceeded: 5 per 1 minute\"}`), not Werkzeug's HTML page.",
    before="@limiter.limit('5/minute')\ndef login(): ...\n",
    after="@limiter.limit('5/minute')\nasync def login(request: Request, response: Response): ...\n",
    links=("https://slowapi.readthedocs.io/",),
    extension="Flask-Limiter",
)
flag_uses(LIMITER, args={f"flask_limiter.Limiter().{n}": {"name": f"limiter.{n}"}
                         for n in ("limit", "exempt", "shared_limit", "request_filter")})

CROSS_ORIGIN = rule(
    "FMA353", "flask-cors-cross-origin", "Per-route CORS with @cross_origin",
    "`{call}` sets CORS headers for one route{options}",
    "mount the routes that need other CORS rules as a sub-application with its own "
    "`CORSMiddleware({arguments})` (or give a Starlette `Mount` its own `middleware=[...]`){unmatched}; "
    "`CORSMiddleware` on the app is app-wide",
    "mandatory", 3, "partial",
    rationale="Starlette's `CORSMiddleware` applies to the application it wraps, so per-route rules move to a "
    "mounted sub-application (or a `Mount`/`Route` with `middleware=[...]`). Flask-CORS echoes the request's origin "
    "and allows every method and requested header by default: say so (`allow_origin_regex='.*'`, "
    "`allow_methods=['*']`, `allow_headers=['*']`) or preflights fail. The decorator takes the same options "
    "as `CORS(...)` (FMA380).",
    before="@app.route('/public')\n@cross_origin(origins='*')\ndef public(): ...\n",
    after="public_app = FastAPI()\npublic_app.add_middleware(CORSMiddleware, allow_origins=['*'])\n"
    "app.mount('/public', public_app)\n",
    links=(f"{FASTAPI}/tutorial/cors/", f"{STARLETTE}/middleware/#applying-middleware-to-groups-of-routes"),
    extension="Flask-CORS",
)


@on_use(CROSS_ORIGIN, "flask_cors.cross_origin")
def _cross_origin(use: Use) -> Iterator[Hit]:
    # At the decorator's name, as before the options were read: the finding's place is unchanged.
    yield use.hit(**cors_fields(use.call if use.call is not None else use.node, *use.arguments()))


SOCKETIO = rule(
    "FMA354", "flask-socketio-events", "Flask-SocketIO events and emits",
    "`{name}` is a Flask-SocketIO call",
    "python-socketio's `AsyncServer`: `@sio.event async def ...(sid, data)`, `await sio.emit(...)`, "
    "`await sio.enter_room(sid, room)`",
    "mandatory", 1, "partial",
    rationale="Flask-SocketIO's context-bound `emit()`/`join_room()` and `request.sid` become explicit `sid` "
    "arguments and awaited calls on python-socketio's server (same author and protocol). A bare `emit()` inside a "
    "Flask-SocketIO handler answers the sender only; `sio.emit()` without `to=` broadcasts to every client, so "
    "each such call needs `to=sid`.",
    before="@socketio.on('join')\ndef on_join(data):\n    join_room(data['room'])\n    emit('joined', to=request.sid)\n",
    after="@sio.event\nasync def join(sid, data):\n    await sio.enter_room(sid, data['room'])\n"
    "    await sio.emit('joined', to=sid)\n",
    links=("https://python-socketio.readthedocs.io/en/latest/server.html",),
    extension="Flask-SocketIO",
)
_SIO = ("emit", "send", "join_room", "leave_room", "close_room", "rooms", "disconnect", "SocketIO().on",
        "SocketIO().emit", "SocketIO().send", "SocketIO().on_event", "SocketIO().event", "SocketIO().run",
        "SocketIO().start_background_task", "SocketIO().sleep", "SocketIO().on_error", "SocketIO().on_namespace",
        "Namespace")
flag_uses(SOCKETIO, args={
    **{f"flask_socketio.{n}": {"name": n.replace("SocketIO()", "socketio")} for n in _SIO},
    "flask.request.sid": {"name": "request.sid"},
    "flask.request.namespace": {"name": "request.namespace"},
})

ADMIN_VIEWS = rule(
    "FMA355", "flask-admin-model-view", "Flask-Admin model and custom views",
    "`{name}` is a Flask-Admin view",
    "sqladmin `ModelView` (API modelled on Flask-Admin) or starlette-admin; `BaseView` + `@expose` exist in "
    "sqladmin too",
    "mandatory", 3, "partial",
    rationale="sqladmin's `ModelView` keeps most column options (`column_list`, `column_searchable_list`, "
    "`form_columns`) but not Flask-Admin's WTForms overrides, inline models or custom Jinja admin templates.",
    before="class BookAdmin(ModelView):\n    column_searchable_list = ['title']\n\n"
    "admin.add_view(BookAdmin(Book, db.session))\n",
    after="class BookAdmin(ModelView, model=Book):\n    column_searchable_list = [Book.title]\n\n"
    "admin.add_view(BookAdmin)\n",
    links=("https://aminalaee.github.io/sqladmin/", "https://jowilf.github.io/starlette-admin/"),
    extension="Flask-Admin",
)
_ADMIN_CLASSES = ("flask_admin.contrib.sqla.ModelView", "flask_admin.contrib.sqla.view.ModelView",
                  "flask_admin.BaseView", "flask_admin.AdminIndexView", "flask_admin.contrib.mongoengine.ModelView")


@on_use(ADMIN_VIEWS, *_ADMIN_CLASSES)
def _admin_view(use: Use) -> Iterator[Hit]:
    parent = use.node.parent()
    cls = parent.parent() if parent is not None and parent.kind() == "argument_list" else None
    if cls is not None and cls.kind() == "class_definition":
        name = cls.field("name")
        yield Hit(name or use.node, {"name": name.text() if name is not None else "?"})
    elif use.call is not None and use.node.text() == use.qual.rpartition(".")[2]:
        # `ModelView(Book, db.session)` itself; an instance of a project subclass was reported at its class.
        yield use.hit(name=use.qual.rpartition(".")[2])


flag_uses(ADMIN_VIEWS, args={"flask_admin.expose": {"name": "expose"}})

ADMIN_NONE = rule(
    "FMA356", "flask-admin-no-equivalent", "Flask-Admin views without a counterpart",
    "`{name}` has no FastAPI admin counterpart",
    "no equivalent: rebuild it as your own endpoints (file browser, Redis console) or drop it",
    "mandatory", 5, "none",
    rationale="sqladmin and starlette-admin cover SQLAlchemy (and some ODM) models; no maintained FastAPI or "
    "Starlette admin offers Flask-Admin's FileAdmin, S3/Azure file admin, RedisCli or its peewee/pymongo backends: "
    "each is rebuilt as your own endpoints or dropped.",
    before="admin.add_view(FileAdmin('/srv/uploads', name='Uploads'))\n",
    after="@router.get('/admin/uploads')\ndef list_uploads(user=Depends(require_admin)):\n"
    "    return sorted(os.listdir(settings.uploads))\n",
    links=("https://aminalaee.github.io/sqladmin/",),
    extension="Flask-Admin",
)
_ADMIN_NONE = ("flask_admin.contrib.fileadmin.FileAdmin", "flask_admin.contrib.fileadmin.s3.S3FileAdmin",
               "flask_admin.contrib.fileadmin.azure.AzureFileAdmin", "flask_admin.contrib.rediscli.RedisCli",
               "flask_admin.contrib.peewee.ModelView", "flask_admin.contrib.pymongo.ModelView",
               "flask_admin.contrib.geoa.ModelView")


@on_use(ADMIN_NONE, *_ADMIN_NONE)
def _admin_none(use: Use) -> Iterator[Hit]:
    parent = use.node.parent()
    if use.call is not None or (parent is not None and parent.kind() == "argument_list"):
        yield use.hit(name=use.qual.rpartition(".")[2])


URL_FIELDS = rule(
    "FMA357", "flask-marshmallow-url-fields", "Flask-Marshmallow URLFor / Hyperlinks fields",
    "`{name}` builds links with Flask's `url_for`",
    "build the links in the path operation and put them in the Pydantic response model: "
    "`request.app.url_path_for(...)` for `URLFor`, `str(request.url_for(...))` for `AbsoluteURLFor`",
    "mandatory", 5, "partial",
    rationale="These marshmallow fields call Flask's `url_for` during serialisation; a Pydantic model has no access "
    "to the router, so the endpoint, which has the request, computes the links. `URLFor` wrote a path and "
    "`AbsoluteURLFor` an absolute URL: `url_path_for` and `url_for` give the same two.",
    before="class BookSchema(ma.Schema):\n    _links = ma.Hyperlinks({'self': ma.URLFor('books.detail', "
    "values={'id': '<id>'})})\n",
    after="class BookOut(BaseModel):\n    id: int\n    url: str\n\n"
    "book_out = BookOut(id=b.id, url=request.app.url_path_for('book_detail', book_id=b.id))\n",
    links=(f"{FASTAPI}/tutorial/response-model/", f"{STARLETTE}/routing/#reverse-url-lookups"),
    extension="Flask-Marshmallow",
)
_URL_FIELDS = ("URLFor", "UrlFor", "AbsoluteURLFor", "AbsoluteUrlFor", "Hyperlinks")
flag_uses(URL_FIELDS, args={
    **{f"flask_marshmallow.Marshmallow().{n}": {"name": f"ma.{n}"} for n in (*_URL_FIELDS, "HyperlinkRelated")},
    **{f"flask_marshmallow.fields.{n}": {"name": n} for n in _URL_FIELDS},
    "flask_marshmallow.sqla.HyperlinkRelated": {"name": "HyperlinkRelated"},  # a related object's URL, by url_for
})

SMOREST_ETAG = rule(
    "FMA358", "flask-smorest-etag", "flask-smorest ETag support",
    "`{name}` adds flask-smorest's ETag handling",
    "no equivalent: compute the ETag in the endpoint, compare it with the `If-None-Match` header and answer "
    "304 yourself",
    "mandatory", 5, "none",
    rationale="flask-smorest computes ETags from the response schema, answers 304 and enforces `If-Match` (428/412) "
    "on updates. FastAPI and Starlette have no conditional-request support for path operations (only `FileResponse` "
    "and `StaticFiles` send ETags), and fastapi-etag was last released in 2021: each endpoint computes and checks "
    "its ETag by hand.",
    before="@blp.etag\n@blp.response(200, BookSchema)\ndef get(book_id): ...\n",
    after="@router.get('/books/{book_id}')\ndef get(book_id: int, if_none_match: Annotated[str | None, Header()] = None):"
    "\n    ...\n",
    links=(f"{FASTAPI}/tutorial/header-params/",),
    extension="flask-smorest",
)
flag_uses(SMOREST_ETAG, args={"flask_smorest.Blueprint().etag": {"name": "blp.etag"},
                              "flask_smorest.Blueprint().check_etag": {"name": "blp.check_etag"},
                              "flask_smorest.Blueprint().set_etag": {"name": "blp.set_etag"}})

API_DECORATORS = rule(
    "FMA359", "flask-api-framework-decorators", "REST framework resources, parsers and marshalling",
    "`{name}` is part of {framework}'s resources, request parsing or response marshalling",
    "path-operation parameters and Pydantic models: `response_model=`, `status_code=`, `Query()`/`Body()` "
    "parameters; one function per method instead of a Resource class",
    "mandatory", 1, "partial",
    rationale="Flask-RESTful, Flask-RESTX, flask-smorest, flask-apispec and webargs declare inputs and outputs with "
    "their own schemas; FastAPI reads them from type annotations and Pydantic models, which also feed OpenAPI. "
    "Validation errors change shape (reqparse and RESTX answer 400, FastAPI 422 with `{\"detail\": [...]}`), and "
    "marshmallow schemas (flask-smorest, flask-apispec, webargs) refuse undeclared fields where a Pydantic model "
    "ignores them unless it says `model_config = ConfigDict(extra='forbid')`.",
    before="@ns.route('/books')\nclass Books(Resource):\n    @ns.marshal_with(book_model)\n    def get(self): ...\n",
    after="@router.get('/books', response_model=list[BookOut])\ndef list_books(): ...\n",
    links=(f"{FASTAPI}/tutorial/response-model/", f"{FASTAPI}/tutorial/body/"),
)
_API = {
    "flask_restful.Api().add_resource": ("api.add_resource", "Flask-RESTful"),
    "flask_restful.reqparse.RequestParser": ("reqparse.RequestParser", "Flask-RESTful"),
    "flask_restful.marshal_with": ("marshal_with", "Flask-RESTful"),
    "flask_restful.marshal": ("marshal", "Flask-RESTful"),
    "flask_restx.Api().add_resource": ("api.add_resource", "Flask-RESTX"),
    "flask_restx.reqparse.RequestParser": ("reqparse.RequestParser", "Flask-RESTX"),
    "flask_restx.marshal_with": ("marshal_with", "Flask-RESTX"),
    "flask_smorest.Blueprint().arguments": ("blp.arguments", "flask-smorest"),
    "flask_smorest.Blueprint().response": ("blp.response", "flask-smorest"),
    "flask_smorest.Blueprint().alt_response": ("blp.alt_response", "flask-smorest"),
    "flask_smorest.Blueprint().paginate": ("blp.paginate", "flask-smorest"),
    "webargs.flaskparser.use_args": ("use_args", "webargs"),
    "webargs.flaskparser.use_kwargs": ("use_kwargs", "webargs"),
    "webargs.flaskparser.parser": ("parser", "webargs"),
    "webargs.flaskparser.FlaskParser": ("FlaskParser", "webargs"),
    # flask-apispec: webargs parses the request (`use_kwargs`), marshmallow formats the response
    # (`marshal_with`), `doc` feeds apispec's OpenAPI (its README's quickstart).
    **{f"flask_apispec.{m}{n}": (n, "flask-apispec") for m in ("", "annotations.")
       for n in ("marshal_with", "use_kwargs", "doc")},
}
for _obj in ("flask_restx.Api()", "flask_restx.Namespace()"):
    for _attr in ("route", "expect", "marshal_with", "marshal_list_with", "model", "response", "param", "doc",
                  "add_resource", "parser"):
        _API[f"{_obj}.{_attr}"] = (f"{'api' if 'Api' in _obj else 'ns'}.{_attr}", "Flask-RESTX")
flag_uses(API_DECORATORS, args={q: {"name": n, "framework": fw} for q, (n, fw) in _API.items()})
