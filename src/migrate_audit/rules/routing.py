"""FMA101-112: the application object, routes, URL converters, Blueprints, static files, `url_for` and
class-based views."""
from __future__ import annotations

import re
from typing import Iterator

from ast_grep_py import SgNode

from ..api import Hit, Use
from ..registry import on_use, rule
from ._common import APP, FASTAPI, STARLETTE, members, short, string_items, string_value
from ._routes import is_route_helper_call, placeholder_position, route_paths

APP_CREATED = rule(
    "FMA101", "flask-application-object", "Flask application object",
    "Flask application `{call}`",
    "`app = FastAPI()`; mount static files with `app.mount('/static', StaticFiles(directory=...), name='static')` "
    "and create `Jinja2Templates(directory=...)` for templates",
    "mandatory", 1, "direct",
    rationale="The application object is where every other Flask idiom hangs. FastAPI's `FastAPI()` has no "
    "`static_folder`, `template_folder` or `static_url_path`: static files become a `StaticFiles` mount and "
    "templates a `Jinja2Templates` object.",
    before="from flask import Flask\n\napp = Flask(__name__, static_folder='static')\n",
    after="from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\n\napp = FastAPI()\n"
    "app.mount('/static', StaticFiles(directory='static'), name='static')\n",
    links=(f"{FASTAPI}/tutorial/first-steps/", f"{FASTAPI}/tutorial/static-files/"),
)


@on_use(APP_CREATED, "flask.Flask")
def _app_created(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(call=short(use.call.text(), 50))


ROUTE = rule(
    "FMA102", "flask-route-decorator", "Flask route decorator",
    "Flask route `{target}.{decorator}({path})` for {methods}",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="FastAPI registers one path operation per HTTP method (`@app.get`, `@app.post`, ...). A Flask "
    "route without `methods=` answers GET (plus HEAD and OPTIONS, which FastAPI does not add).",
    before="@app.route('/books/<int:book_id>', methods=['GET', 'PUT'])\ndef book(book_id): ...\n",
    after="@router.get('/books/{book_id:int}')\ndef read_book(book_id: int): ...\n\n"
    "@router.put('/books/{book_id:int}')\ndef update_book(book_id: int): ...\n",
    links=(f"{FASTAPI}/tutorial/first-steps/#define-a-path-operation-decorator", f"{FASTAPI}/tutorial/path-params/"),
)

_CONVERTER_RE = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>[^)]*)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")


def fastapi_path(flask_path: str) -> str:
    """`/books/<int:book_id>/<path:rest>` -> `/books/{book_id:int}/{rest:path}`: Starlette's `int` and `path`
    convertors match what Werkzeug's did (a signed int needs a bare `{book_id}`)."""

    def replace(match: re.Match[str]) -> str:
        converter = match.group("converter")
        keep = converter == "path" or (converter == "int" and not match.group("args"))
        return "{" + match.group("name") + (f":{converter}" if keep else "") + "}"

    return _CONVERTER_RE.sub(replace, flask_path)


# Flask 2.0's shortcut decorators (`@app.get`) name the method themselves.
_METHOD_SHORTCUTS = ("get", "post", "put", "patch", "delete")


@on_use(ROUTE, *members("route", *_METHOD_SHORTCUTS))
def _route(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, keywords = use.arguments()
    path = string_value(positional[0]) if positional else None
    decorator = use.qual.rpartition(".")[2]
    methods = [decorator.upper()] if decorator != "route" else string_items(keywords.get("methods"))
    target = use.node.field("object")
    router = "app" if use.qual.startswith(APP) else "router"
    if methods is None and "methods" in keywords:
        methods_text, fix = "computed methods", f"`@{router}.api_route(path, methods=[...])`"
    else:
        verbs = [m.lower() for m in (methods or ["GET"])]
        methods_text = ", ".join(m.upper() for m in verbs)
        shown = repr(fastapi_path(path)) if path is not None else "path"
        fix = " and ".join(f"`@{router}.{verb}({shown})`" for verb in verbs)
    yield use.hit(
        target=target.text() if target is not None else "app",
        decorator=decorator,
        path=repr(path) if path is not None else "...",
        methods=methods_text,
        fix=fix,
    )


METHOD_BRANCHING = rule(
    "FMA103", "flask-request-method-branching", "View branching on request.method",
    "view branches on `{condition}`",
    "one path operation per method (`@router.get` and `@router.post`), each with its own parameters",
    "mandatory", 3, "partial",
    rationale="A Flask view that serves several methods and tests `request.method` must be split: FastAPI "
    "derives parameters, body model and OpenAPI entry from each path operation.",
    before="@app.route('/login', methods=['GET', 'POST'])\ndef login():\n    if request.method == 'POST':\n"
    "        return do_login(request.form)\n    return render_template('login.html')\n",
    after="@router.get('/login')\ndef login_form(request: Request): ...\n\n@router.post('/login')\n"
    "def login(username: Annotated[str, Form()]): ...\n",
    links=(f"{FASTAPI}/tutorial/first-steps/#operation",),
)


@on_use(METHOD_BRANCHING, "flask.request.method")
def _method_branching(use: Use) -> Iterator[Hit]:
    parent = use.parent
    if parent is None or parent.kind() != "comparison_operator":
        return
    compared = [child for child in parent.named_children() if child != use.node]
    methods = [string_value(node) for node in compared] if len(compared) == 1 else []
    if methods and methods[0] is None:
        methods = string_items(compared[0]) or []
    if not methods or any(m is None for m in methods):
        return  # `request.method in EXEMPT_METHODS`, `method != request.method`: a lookup, not a branch per method
    if {m.upper() for m in methods if m} & {"HEAD", "OPTIONS"}:
        return  # a safe-method or preflight guard (`not in ('GET', 'HEAD')`): nothing to split
    holder = use.ctx.parents[parent]
    while holder is not None and holder.kind() in ("boolean_operator", "not_operator", "parenthesized_expression"):
        holder = use.ctx.parents[holder]
    if holder is not None and holder.kind() == "return_statement":
        return  # `return request.method == 'GET' and ...`: a predicate about the request, not a branch
    yield use.hit(condition=short(parent.text(), 50))


BUILTIN_CONVERTERS = {
    "string": "`{{{name}}}` annotated `{name}: str` (length limits: `Path(min_length=..., max_length=...)`)",
    "int": "`{{{name}:int}}` annotated `{name}: int`: Starlette's convertor matches unsigned digits like Werkzeug's "
    "(a bare `{{{name}}}` matches any segment: `abc` answers 422 instead of 404, `-1` and `1.0` are accepted)",
    "float": "`{{{name}}}` annotated `{name}: float`",
    "path": "`{{{name}:path}}` (Starlette's path convertor; leading-slash handling differs)",
    "uuid": "`{{{name}}}` annotated `{name}: uuid.UUID`",
    "any": "`{{{name}}}` annotated with a `Literal[...]` or an `Enum` of the allowed values",
    "default": "`{{{name}}}` annotated `{name}: str`",
}

CONVERTER = rule(
    "FMA104", "flask-url-converter", "Werkzeug URL converter in a route",
    "URL converter `{placeholder}` in a route path",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Werkzeug's `<converter:name>` placeholders become FastAPI path parameters in braces whose type "
    "comes from the function annotation. A Werkzeug converter decides whether the URL matches at all (404); a bare "
    "`{item_id}` matches any segment and leaves the type to validation (422 for `abc`, and `-1` or `1.0` pass as "
    "ints), while Starlette's `{item_id:int}` convertor keeps Werkzeug's matching.",
    before="@app.route('/items/<int:item_id>')\ndef item(item_id): ...\n",
    after="@app.get('/items/{item_id:int}')\ndef item(item_id: int): ...\n",
    links=(f"{FASTAPI}/tutorial/path-params/", f"{STARLETTE}/routing/#path-parameters"),
)

CUSTOM_CONVERTER = rule(
    "FMA105", "flask-custom-url-converter", "Custom Werkzeug URL converter",
    "custom URL converter `{placeholder}`",
    "`starlette.convertors.register_url_convertor(name, Convertor())` (global, invisible to OpenAPI), or a "
    "plain `str` path parameter parsed by a dependency",
    "mandatory", 3, "partial",
    rationale="Werkzeug `BaseConverter` subclasses (`to_python`/`to_url`) map to Starlette `Convertor` classes "
    "(`convert`/`to_string`), registered globally; or keep the parameter a string and parse it in a dependency. "
    "Reported where the converter class is defined, where it is registered (`app.url_map.converters[...] = ...`) "
    "and in each route path that uses it.",
    before="class ListConverter(BaseConverter): ...\napp.url_map.converters['list'] = ListConverter\n"
    "@app.route('/tags/<list:tags>')\ndef tags(tags): ...\n",
    after="def parse_tags(tags: str) -> list[str]:\n    return tags.split('+')\n\n@app.get('/tags/{tags}')\n"
    "def tags(tags: Annotated[list[str], Depends(parse_tags)]): ...\n",
    links=(f"{STARLETTE}/routing/#path-parameters", f"{FASTAPI}/tutorial/dependencies/"),
)


def _path_converters(use: Use) -> Iterator[tuple[Hit, bool]]:
    """Each typed placeholder in the route's path, and whether its converter is one of Werkzeug's own."""
    for path_node, path in route_paths(use):
        for match in _CONVERTER_RE.finditer(path):
            converter = match.group("converter")
            if converter is None:
                continue  # `<name>` is a plain string parameter; FMA102 already covers the route
            fix = BUILTIN_CONVERTERS.get(converter, "").format(name=match.group("name"))
            hit = Hit(path_node, {"placeholder": match.group(0), "fix": fix},
                      placeholder_position(path_node, match.group(0)))
            yield hit, converter in BUILTIN_CONVERTERS


@on_use(CONVERTER, *members("route", "add_url_rule", *_METHOD_SHORTCUTS))
def _builtin_converters(use: Use) -> Iterator[Hit]:
    yield from (hit for hit, builtin in _path_converters(use) if builtin)


@on_use(CUSTOM_CONVERTER, *members("route", "add_url_rule", *_METHOD_SHORTCUTS))
def _custom_converters(use: Use) -> Iterator[Hit]:
    yield from (hit for hit, builtin in _path_converters(use) if not builtin)


_CONVERTER_BASES = tuple(f"werkzeug.routing.{sub}{name}" for sub in ("", "converters.") for name in (
    "BaseConverter", "UnicodeConverter", "PathConverter", "IntegerConverter", "FloatConverter", "NumberConverter",
    "UUIDConverter", "AnyConverter"))


@on_use(CUSTOM_CONVERTER, *_CONVERTER_BASES)
def _converter_class(use: Use) -> Iterator[Hit]:
    """A converter class (`class ListConverter(BaseConverter)`), and its registration in the URL map when the
    class is assigned there (`app.url_map.converters['list'] = ListConverter`). Other uses of the class name
    (it resolves to its Werkzeug base) are part of the converter already reported."""
    parent = use.parent
    if parent is None:
        return
    if parent.kind() == "argument_list":
        owner = use.ctx.parents[parent]
        name = owner.field("name") if owner is not None and owner.kind() == "class_definition" else None
        if name is not None:
            yield use.hit(name, placeholder=name.text())
        return
    if parent.kind() == "assignment" and parent.field("right") == use.node:
        target = parent.field("left")
        if target is not None and _is_converter_slot(target):
            yield use.hit(target, placeholder=short(target.text(), 40))


def _is_converter_slot(node: SgNode) -> bool:
    """`<anything>.url_map.converters[...]`."""
    value = node.field("value") if node.kind() == "subscript" else None
    return value is not None and value.text().replace(" ", "").endswith("url_map.converters")


@on_use(CUSTOM_CONVERTER, f"{APP}.url_map")
def _converter_registration(use: Use) -> Iterator[Hit]:
    parent = use.parent
    attr = parent.field("attribute") if parent is not None and parent.kind() == "attribute" else None
    if parent is None or attr is None or attr.text() != "converters":
        return
    slot = use.ctx.parents[parent]
    node = slot if slot is not None and _is_converter_slot(slot) else parent
    yield Hit(node, {"placeholder": short(node.text(), 40)})


BLUEPRINT_CREATED = rule(
    "FMA106", "flask-blueprint", "Flask Blueprint",
    "Flask Blueprint `{call}`",
    "`router = APIRouter(prefix=..., tags=[...])`",
    "mandatory", 1, "direct",
    rationale="A Blueprint groups routes, hooks and templates; FastAPI's `APIRouter` groups path operations and "
    "router-level dependencies. Per-Blueprint static and template folders have no equivalent (FMA108).",
    before="bp = Blueprint('books', __name__, url_prefix='/books')\n",
    after="router = APIRouter(prefix='/books', tags=['books'])\n",
    links=(f"{FASTAPI}/tutorial/bigger-applications/",),
)

BLUEPRINT_FOLDERS = rule(
    "FMA108", "flask-blueprint-own-folders", "Blueprint with its own static or template folder",
    "Blueprint declares its own `{keyword}`",
    "one `Jinja2Templates(directory=[...])` over the app's and each Blueprint's template folders (searched in that "
    "order, as Flask does), and a `StaticFiles` mount per static folder",
    "mandatory", 3, "partial",
    rationale="An `APIRouter` has no static or template folder of its own. `Jinja2Templates` takes a list of "
    "folders, so template names stay the same; each Blueprint static folder becomes an `app.mount(...)` at the URL "
    "Flask served it from.",
    before="bp = Blueprint('admin', __name__, template_folder='templates', static_folder='static')\n",
    after="templates = Jinja2Templates(directory=['templates', 'admin/templates'])\n"
    "app.mount('/admin/static', StaticFiles(directory='admin/static'), name='admin-static')\n",
    links=(f"{FASTAPI}/advanced/templates/", f"{STARLETTE}/templates/", f"{FASTAPI}/tutorial/static-files/"),
)


@on_use(BLUEPRINT_CREATED, "flask.Blueprint")
def _blueprint(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, _ = use.arguments()
    name = string_value(positional[0]) if positional else None
    if name:
        use.ctx.blueprints.append(name)
    yield use.hit(call=short(use.call.text(), 50))


@on_use(BLUEPRINT_FOLDERS, "flask.Blueprint")
def _blueprint_folders(use: Use) -> Iterator[Hit]:
    _, keywords = use.arguments()
    for keyword in ("static_folder", "template_folder"):
        if keyword in keywords:
            yield Hit(keywords[keyword].parent() or use.node, {"keyword": keyword})


REGISTER_BLUEPRINT = rule(
    "FMA107", "flask-register-blueprint", "Blueprint registration",
    "`{call}` registers a Blueprint",
    "`app.include_router(router, prefix=...)` (nested: `router.include_router(sub_router)`)",
    "mandatory", 1, "direct",
    rationale="The prefixes combine differently: `register_blueprint(bp, url_prefix=...)` replaces the "
    "Blueprint's own `url_prefix`, while `include_router(router, prefix=...)` is put in front of the router's "
    "`prefix`. Copying both as they are serves every route under the two prefixes joined.",
    before="app.register_blueprint(books_bp, url_prefix='/books')\n",
    after="app.include_router(books_router, prefix='/books')  # books_router = APIRouter() without a prefix\n",
    links=(f"{FASTAPI}/tutorial/bigger-applications/#include-the-apirouters-for-users-and-items",),
)


@on_use(REGISTER_BLUEPRINT, *members("register_blueprint"))
def _register_blueprint(use: Use) -> Iterator[Hit]:
    if use.call is not None:
        yield use.hit(call=short(use.call.text(), 50))


ADD_URL_RULE = rule(
    "FMA109", "flask-add-url-rule", "Imperative route registration",
    "`{call}` registers a view{via}",
    "`app.add_api_route(path, endpoint, methods=[...])` or `router.add_api_route(...)`",
    "mandatory", 1, "direct",
    rationale="`add_api_route` takes the same path, endpoint and methods. `add_url_rule(defaults=...)` has no "
    "counterpart: bind the value into the endpoint (`functools.partial`), or the parameter becomes a required "
    "query parameter (422). Besides direct `add_url_rule` calls, the calls of a project function that passes its "
    "arguments on to `<app or Blueprint parameter>.add_url_rule(...)` (flaskbb's `register_view(bp, "
    "routes=[...], view_func=...)`) are reported, in every module that imports it: each one registers routes, "
    "and its URL rules and view function change with the port. Once the helper calls `add_api_route`, its call "
    "sites can stay helper calls.",
    before="app.add_url_rule('/ping', view_func=ping)\n",
    after="app.add_api_route('/ping', ping, methods=['GET'])\n",
    links=(f"{FASTAPI}/reference/apirouter/#fastapi.APIRouter.add_api_route",),
)


@on_use(ADD_URL_RULE, *members("add_url_rule"))
def _add_url_rule(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    if is_route_helper_call(use):
        yield use.hit(call=f"{use.node.text()}(...)", via=" through a project helper around `add_url_rule`")
        return
    target = use.node.field("object")
    yield use.hit(call=f"{target.text() if target is not None else 'app'}.add_url_rule(...)", via="")


STATIC_FILES = rule(
    "FMA110", "flask-static-folder", "Static files served by Flask",
    "static files served by Flask: {what}",
    "`app.mount('/static', StaticFiles(directory='static'), name='static')`; templates then call "
    "`url_for('static', path=...)`",
    "mandatory", 1, "direct",
    rationale="Flask serves `static/` automatically. FastAPI serves nothing until a `StaticFiles` app is mounted, "
    "and the `url_for` argument is `path=`, not `filename=` (which raises `NoMatchFound`). Starlette's `url_for`, "
    "in templates too, builds an absolute URL from the request; `.path` keeps Flask's relative link.",
    before="app = Flask(__name__, static_url_path='/assets')\nurl_for('static', filename='app.css')\n",
    after="app.mount('/assets', StaticFiles(directory='static'), name='static')\n"
    "request.url_for('static', path='app.css')\n",
    links=(f"{FASTAPI}/tutorial/static-files/",),
)


@on_use(STATIC_FILES, "flask.Flask")
def _static_kwargs(use: Use) -> Iterator[Hit]:
    _, keywords = use.arguments()
    for keyword in ("static_folder", "static_url_path"):
        if keyword in keywords:
            yield Hit(keywords[keyword].parent() or use.node, {"what": f"`{keyword}=`"})


@on_use(STATIC_FILES, *members("send_static_file"))
def _send_static_file(use: Use) -> Iterator[Hit]:
    yield use.hit(what="`send_static_file()`")


URL_FOR = rule(
    "FMA111", "flask-url-for", "URL building with url_for",
    "`{call}` builds a URL from a Flask endpoint name",
    "`request.url_for(name, **path_params)` (an absolute URL: `str()` it) or `app.url_path_for(name, ...)`",
    "mandatory", 3, "partial",
    rationale="Endpoint names change (`books.detail` becomes the route's `name=` or function name), and "
    "Starlette accepts only path parameters: Flask appends extra keyword arguments as a query string, Starlette "
    "raises `NoMatchFound` at run time. Use `URL.include_query_params` for query strings.",
    before="url_for('books.detail', book_id=3, page=2)\n",
    after="str(request.url_for('book_detail', book_id=3).include_query_params(page=2))\n",
    links=(f"{FASTAPI}/advanced/templates/#templates-and-static-files", f"{STARLETTE}/routing/#reverse-url-lookups"),
)


def _url_for_static(use: Use) -> bool:
    positional, _ = use.arguments()
    return bool(positional) and string_value(positional[0]) == "static"


@on_use(STATIC_FILES, "flask.url_for")
def _static_url_for(use: Use) -> Iterator[Hit]:
    if _url_for_static(use):
        yield use.hit(what="`url_for('static', ...)`")


@on_use(URL_FOR, "flask.url_for")
def _url_for_endpoint(use: Use) -> Iterator[Hit]:
    if use.call is not None and not _url_for_static(use):
        yield use.hit(call=short(use.call.text(), 50))


CLASS_BASED_VIEW = rule(
    "FMA112", "flask-class-based-view", "Class-based view (MethodView / View)",
    "class-based view `{name}` subclasses Flask's `{base}`",
    "one path operation function per method, or a class-based-view library (fastapi-restful `@cbv`, classy-fastapi); "
    "`decorators = [...]` become dependencies",
    "mandatory", 3, "partial",
    rationale="FastAPI routes functions. A `MethodView`'s `get`/`post` methods become separate path operations, "
    "and its `decorators` list becomes `dependencies=[Depends(...)]`.",
    before="class ReviewAPI(MethodView):\n    decorators = [login_required]\n\n    def get(self, book_id): ...\n\n"
    "app.add_url_rule('/books/<int:book_id>/reviews', view_func=ReviewAPI.as_view('reviews'))\n",
    after="@router.get('/books/{book_id}/reviews', dependencies=[Depends(require_user)])\n"
    "def list_reviews(book_id: int): ...\n",
    links=(f"{FASTAPI}/tutorial/bigger-applications/",),
)


@on_use(CLASS_BASED_VIEW, "flask.views.MethodView", "flask.views.View")
def _class_based_view(use: Use) -> Iterator[Hit]:
    parent = use.node.parent()
    if parent is None or parent.kind() != "argument_list":
        return
    cls = parent.parent()
    if cls is None or cls.kind() != "class_definition":
        return
    name = cls.field("name")
    yield use.hit(name=name.text() if name is not None else "?", base=use.qual.rpartition(".")[2])


@on_use(CLASS_BASED_VIEW, *(f"flask.views.{cls}{attr}" for cls in ("MethodView", "View", "MethodView()", "View()")
                             for attr in (".as_view", ".methods", ".decorators", ".dispatch_request",
                                          ".provide_automatic_options", ".init_every_request")))
def _as_view(use: Use) -> Iterator[Hit]:
    return iter(())  # part of the class-based view already reported; `add_url_rule` is FMA109
