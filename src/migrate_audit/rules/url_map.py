"""FMA113-118: URL matching and building options that FastAPI handles differently or not at all
(trailing slashes, subdomains and hosts, external URLs, URL preprocessors, the URL map)."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import APP, FASTAPI, FLASK, STARLETTE, in_route_view, members, short

_ROUTE_METHODS = ("route", "add_url_rule", "get", "post", "put", "patch", "delete")

STRICT_SLASHES = rule(
    "FMA113", "flask-strict-slashes", "Trailing-slash policy set with strict_slashes",
    "`strict_slashes=` sets {scope} trailing-slash policy",
    "`FastAPI(redirect_slashes=...)`: one switch for the whole app, the per-route setting is lost; a route that "
    "opted out declares both paths",
    "mandatory", 1, "partial",
    rationale="Werkzeug redirects `/books` to `/books/` per rule; Starlette's `redirect_slashes` is read from the "
    "application's router only (an included `APIRouter(redirect_slashes=False)` changes nothing), so routes that "
    "opted out individually need their second path declared. The redirects that remain answer 307 where Werkzeug "
    "sent 308, and also go the other way (`/about/` to `/about`), where Werkzeug answered 404.",
    before="@app.route('/books/', strict_slashes=False)\ndef books(): ...\n",
    after="@app.get('/books/')\n@app.get('/books', include_in_schema=False)\ndef books(): ...\n",
    links=(f"{FASTAPI}/reference/apirouter/", f"{FLASK}/api/#url-route-registrations"),
)


@on_use(STRICT_SLASHES, *members(*_ROUTE_METHODS), "flask.Flask", "flask.Blueprint")
def _strict_slashes(use: Use) -> Iterator[Hit]:
    _, keywords = use.arguments()
    value = keywords.get("strict_slashes")
    if value is not None:
        scope = "an application's" if use.qual.endswith(("Flask", "Blueprint")) else "a route's"
        yield Hit(value.parent() or use.node, {"scope": scope})


@on_use(STRICT_SLASHES, f"{APP}.url_map.strict_slashes")
def _url_map_strict_slashes(use: Use) -> Iterator[Hit]:
    yield use.hit(scope="the whole URL map's")


SUBDOMAIN = rule(
    "FMA114", "flask-subdomain-routing", "Subdomain or host matching",
    "`{keyword}` routes by {what}",
    "a Starlette `Host('{{sub}}.example.com', app=...)` route wrapping a sub-application, placed before the app's "
    "own routes; there is no decorator argument",
    "mandatory", 5, "partial",
    rationale="Flask matches subdomains and hosts per rule or Blueprint; in FastAPI each host needs its own "
    "sub-application mounted through Starlette's `Host` route, and the subdomain arrives in "
    "`request.path_params`, not as a view argument. Routes match in order and the app's own routes match every "
    "host: a `Host` route appended after them is never reached for their paths.",
    before="bp = Blueprint('tenant', __name__, subdomain='<tenant>')\n",
    after="tenant_app = FastAPI()\napp.host('{tenant}.example.com', tenant_app)  # before the app's own routes\n",
    links=(f"{STARLETTE}/routing/#host-based-routing",),
)

_SUBDOMAIN_KEYWORDS = {"subdomain": "subdomain", "host": "host", "host_matching": "host",
                       "subdomain_matching": "subdomain"}


@on_use(SUBDOMAIN, *members(*_ROUTE_METHODS, "register_blueprint"), "flask.Flask", "flask.Blueprint")
def _subdomain(use: Use) -> Iterator[Hit]:
    _, keywords = use.arguments()
    for keyword, what in _SUBDOMAIN_KEYWORDS.items():
        value = keywords.get(keyword)
        if value is not None and value.text() not in ("None", "False"):
            yield Hit(value.parent() or use.node, {"keyword": f"{keyword}=", "what": what})


EXTERNAL_URL = rule(
    "FMA115", "flask-url-for-external", "Absolute URL built with url_for(_external=True)",
    "`{call}` builds an absolute URL from Flask's request or `SERVER_NAME`",
    "inside a request `str(request.url_for(...))` (already absolute); outside one (e-mails, Celery tasks) a "
    "configured base URL plus `app.url_path_for(...)`",
    "mandatory", 5, "partial",
    rationale="Flask builds external URLs from the current request, or outside one from `SERVER_NAME` and "
    "`PREFERRED_URL_SCHEME` in an app context. Starlette's `request.url_for()` is absolute from the request's scheme "
    "and host; outside a request the same setting becomes a base URL joined with `app.url_path_for()`, which needs "
    "no request.",
    before="link = url_for('auth.reset', token=token, _external=True)\n",
    after="link = settings.base_url + app.url_path_for('reset', token=token)\n",
    links=(f"{STARLETTE}/routing/#reverse-url-lookups", f"{FLASK}/api/#flask.url_for"),
)


@on_use(EXTERNAL_URL, "flask.url_for")
def _external(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    _, keywords = use.arguments()
    external = keywords.get("_external")
    if external is not None and external.text() not in ("False", "None") and not in_route_view(use.node, use.ctx):
        # Inside a view `str(request.url_for(...))` is the counterpart (FMA111); outside one there is none.
        yield use.hit(use.call, call=short(use.call.text(), 50))


URL_PROCESSORS = rule(
    "FMA116", "flask-url-value-preprocessor", "URL value preprocessor or URL defaults",
    "`{hook}` rewrites URL values for every route",
    "a router prefix parameter (`APIRouter(prefix='/{{lang}}', dependencies=[Depends(...)])`) read by a router "
    "dependency, and passed explicitly when building URLs",
    "mandatory", 5, "partial",
    rationale="`url_value_preprocessor` pops values (a language code, a tenant) from every matched URL and "
    "`url_defaults` injects them back into `url_for`. The popping becomes a router-level path parameter read by a "
    "dependency; Starlette has no hook that fills URL parameters, so every URL-building call passes it.",
    before="@bp.url_value_preprocessor\ndef pull_lang(endpoint, values):\n    g.lang = values.pop('lang')\n",
    after="def lang(lang: str, request: Request):\n    request.state.lang = lang\n\n"
    "router = APIRouter(prefix='/{lang}', dependencies=[Depends(lang)])\n",
    links=(f"{FASTAPI}/tutorial/dependencies/global-dependencies/", f"{FLASK}/patterns/urlprocessors/"),
)


@on_use(URL_PROCESSORS, *members("url_value_preprocessor", "url_defaults", "app_url_value_preprocessor",
                                 "app_url_defaults", "inject_url_defaults"))
def _url_processors(use: Use) -> Iterator[Hit]:
    target = use.node.field("object")
    name = target.text() if target is not None else "app"
    yield use.hit(hook=f"{short(name, 20)}.{use.qual.rpartition('.')[2]}")


URL_MAP = rule(
    "FMA117", "flask-url-map", "Werkzeug URL map used directly",
    "`{expr}` uses Werkzeug's URL map",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Werkzeug's `Map`, `Rule` and converter registry do not exist in FastAPI. Its routes live in "
    "`app.routes`, but since FastAPI 0.137 an included router stays one entry there, without `.path`: "
    "`iter_route_contexts` (0.137.2 and later) yields every route with its full path, name and methods, where "
    "filtering `app.routes` for `APIRoute` silently misses the routers' routes.",
    before="for rule in app.url_map.iter_rules():\n    print(rule.endpoint, rule.rule)\n",
    after="from fastapi.routing import iter_route_contexts\n\nfor route in iter_route_contexts(app.routes):\n"
    "    print(route.name, route.path)\n",
    links=(f"{STARLETTE}/routing/", f"{FASTAPI}/reference/fastapi/#fastapi.FastAPI.routes"),
)


@on_use(URL_MAP, f"{APP}.url_map")
def _url_map(use: Use) -> Iterator[Hit]:
    parent = use.parent
    attr = parent.field("attribute") if parent is not None and parent.kind() == "attribute" else None
    if attr is not None and attr.text() in ("strict_slashes", "converters"):
        return  # FMA113; a custom converter's registration is FMA105
    node = parent if attr is not None else use.node
    yield Hit(node, {"expr": short(node.text(), 40), "fix": _ROUTES_FIX})


_ROUTES_FIX = "`fastapi.routing.iter_route_contexts(app.routes)` (each route's `.path`, `.name`, `.methods`)"
_ROUTING_CLASSES = {
    "Map": _ROUTES_FIX,
    "Rule": "Starlette's `Route` / FastAPI's `APIRoute` (`.path`, `.name`, `.methods`, `.endpoint`)",
    "MapAdapter": "`app.url_path_for(name, **params)` to build, `app.router` to match",
    "Submount": "`APIRouter(prefix=...)` or `app.mount(prefix, sub_app)`",
    "Subdomain": "Starlette's `Host('{sub}.example.com', app=...)`",
    "EndpointPrefix": "route `name=` values of your own choosing",
    "RuleTemplate": "a function that adds the routes to an `APIRouter`",
    "RuleFactory": "a function that adds the routes to an `APIRouter`",
}
_CONVERTER_CLASSES = ("UnicodeConverter", "PathConverter", "IntegerConverter", "FloatConverter", "NumberConverter",
                      "UUIDConverter", "AnyConverter")


def werkzeug_routing(*names: str, submodule: str) -> dict[str, str]:
    """Quals of `names` as `werkzeug.routing` exports them and in their own submodule (Werkzeug 2.2+)."""
    return {f"werkzeug.routing.{n}": n for n in names} | {f"werkzeug.routing.{submodule}.{n}": n for n in names}


@on_use(URL_MAP, *werkzeug_routing(*_ROUTING_CLASSES, submodule="map"),
        *werkzeug_routing("Rule", "Submount", "Subdomain", "EndpointPrefix", "RuleTemplate", "RuleFactory",
                          submodule="rules"),
        *werkzeug_routing(*_CONVERTER_CLASSES, submodule="converters"))
def _werkzeug_routing_class(use: Use) -> Iterator[Hit]:
    name = use.qual.rpartition(".")[2]
    parent = use.parent
    if parent is not None and parent.kind() == "argument_list":
        owner = use.ctx.parents[parent]
        if owner is not None and owner.kind() == "class_definition" and name in _CONVERTER_CLASSES:
            return  # a custom converter built on a Werkzeug one: FMA105
    fix = _ROUTING_CLASSES.get(name, "Starlette's convertors (`starlette.convertors`): `int`, `float`, `path`, "
                               "`uuid`, `str`")
    yield use.hit(expr=name, fix=fix)


ROUTING_EXCEPTION = rule(
    "FMA118", "werkzeug-routing-exception", "Werkzeug routing exception",
    "`{name}` is a Werkzeug routing exception",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Starlette raises its own exceptions while matching and building URLs: `NoMatchFound` when "
    "`url_path_for` or `request.url_for` finds no route (Werkzeug's `BuildError`), and answers trailing-slash "
    "redirects itself. `except BuildError:` clauses stop catching anything after the port.",
    before="try:\n    link = url_for('books.detail', book_id=book_id)\nexcept BuildError:\n    link = None\n",
    after="from starlette.routing import NoMatchFound\n\ntry:\n"
    "    link = str(request.url_for('book_detail', book_id=book_id))\nexcept NoMatchFound:\n    link = None\n",
    links=(f"{STARLETTE}/routing/#reverse-url-lookups", "https://werkzeug.palletsprojects.com/en/stable/routing/"),
)
_ROUTING_EXCEPTION_FIXES = {
    "BuildError": "`starlette.routing.NoMatchFound` (raised by `url_path_for` and `request.url_for`)",
    "RequestRedirect": "no equivalent: return a `RedirectResponse` (Starlette redirects trailing slashes "
    "itself, `redirect_slashes=`)",
    "RoutingException": "no equivalent: raise an `HTTPException` or return a `RedirectResponse`",
    "WebsocketMismatch": "no equivalent: declare the route with `@app.websocket(...)`",
    "NoMatch": "no equivalent: Starlette's router answers 404 and 405 itself",
    "RequestAliasRedirect": "no equivalent: return a `RedirectResponse`",
}
flag_uses(ROUTING_EXCEPTION, args={
    qual: {"name": name, "fix": _ROUTING_EXCEPTION_FIXES[name]}
    for qual, name in werkzeug_routing(*_ROUTING_EXCEPTION_FIXES, submodule="exceptions").items()})

