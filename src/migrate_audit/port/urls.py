"""URL building: `url_for(endpoint, **values)` in a converted view, for a route of the same file.

Flask's `url_for` gives the path; `request.app.url_path_for(name, ...)` gives the same path for the route
the port named after the endpoint (`name="books.detail"`). With `_external=True` Flask gives the absolute
URL, as `str(request.url_for(...))` does (the url-for proof). Flask puts values that are not path
parameters in the query string, which Starlette refuses: `werkzeug_query`, written into the module, adds
them as Werkzeug did (FMA805; the url-for-query-kwargs proof). An endpoint no route has, where the file is
the project's only Flask module and every route of it converts, raised Werkzeug's BuildError, as
`url_path_for` raises Starlette's NoMatchFound: `except BuildError:` around such calls becomes `except
NoMatchFound:` (FMA118; the werkzeug-routing-exception proof). The other underscore options are left to people.
While the Flask app stays behind FastAPI (main.py), `_external=True` goes through FLASK_EXTERNAL_URL, whatever the
endpoint: the scheme and host are those Flask's own URL adapter reads from the request (below).

An endpoint that is not a converted route of the file (another Blueprint's view, a view of the file the port
could not convert) is built by FLASK_URL, written into the module: during the strangler phase (main.py mounts
the Flask app behind FastAPI) by the Flask app's own `url_map`, which keeps every route Flask serves (the views
that moved to FastAPI too: their Flask copies stay), so the path is the one Flask's url_for builds, by the same
Werkzeug code (`MapAdapter.build`, values that are not path parameters in the query string, `_anchor` after `#` as
Flask adds it, which is why a url_for with `_anchor` goes through FLASK_URL whatever its endpoint); an endpoint the
Flask app does not have (a converted Blueprint's, removed from it) from FastAPI's route of that name, as
above. So a ported view redirecting to a page Flask still serves answers as Flask did. Only where nothing in
the project changes what Flask's url_for builds beyond the map (URL_HOOKS: `url_defaults` functions, which
read the request's `g`; URL build error handlers; host or subdomain matching), and without underscore
options. Where the Flask app is gone (a whole-app port), an endpoint no FastAPI route has raises Starlette's
NoMatchFound, as Werkzeug raised BuildError: the view it names keeps its TODO in that case, so the file is
not counted as converted.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ast_grep_py import SgNode, SgRoot

from . import codes
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .requests import starlette_request
from .routes import BlueprintInfo, Views, arguments, build_quoted, call_of, define_standalone
from ..scopes import span

OPTIONS = {"_external"}
# Werkzeug's query string for url_for's other values (werkzeug/urls.py `_urlencode`, `iter_multi_items` and
# MapAdapter.build, 3.1): None values dropped, a list one item per value, in the order given, quoted with its
# safe characters.
QUERY_HELPER = "werkzeug_query"
QUERY_HELPER_TEXT = '''
def werkzeug_query(url: Any, **values: Any) -> str:
    """`url` with url_for's values that are not path parameters added as Werkzeug added them."""
    items = [
        (key, item)
        for key, value in values.items()
        for item in (value if isinstance(value, (list, tuple, set)) else [value])
        if item is not None
    ]
    query = urlencode(items, safe="!$'()*,/:;?@")
    return f"{url}?{query}" if items else str(url)
'''

# Flask's url_for wherever the route is: the Flask app mounted behind FastAPI builds what it serves (its url_map,
# Werkzeug's MapAdapter.build: what Flask's url_for runs once url defaults are injected), FastAPI the rest (the
# route's path parameters quoted as Werkzeug's converters quote them, the other values in the query string as
# Werkzeug writes it, `filename=` as the static mount's `path=`).
FLASK_URL = "flask_url"
FLASK_URL_TEXT = f'''
def {FLASK_URL}(request: Request, endpoint: str, **values: Any) -> str:
    """Flask's `url_for(endpoint, **values)`: built by the Flask app mounted behind
    FastAPI where it serves the endpoint (its url_map, as Flask's url_for builds),
    else from FastAPI's route of that name."""
    anchor = values.pop("_anchor", None)
    tail = "" if anchor is None else "#" + quote(anchor, safe="%!#$&'()*+,/:;=?@")
    root = request.scope.get("root_path", "")
    # main.py's mount of the Flask app at / (a2wsgi's WSGIMiddleware keeps it as .app)
    for route in request.app.routes:
        flask_app = getattr(getattr(route, "app", None), "app", None)
        at_root = getattr(route, "path", None) == ""
        if at_root and hasattr(flask_app, "inject_url_defaults"):
            try:
                flask_app.url_map.iter_rules(endpoint)
            except KeyError:
                break  # not Flask's: a converted Blueprint's, which FastAPI serves
            adapter = flask_app.url_map.bind("localhost", script_name=root or "/")
            return adapter.build(endpoint, values) + tail
    if endpoint == "static" and "filename" in values:
        values["path"] = values.pop("filename")
    # the route's path parameters: the most values it builds with
    for size in range(len(values), -1, -1):
        for names in combinations(values, size):
            params = {{k: quote(str(values[k]), safe="!$&'()*+,/:;=@") for k in names}}
            try:
                path = request.app.url_path_for(endpoint, **params)
            except NoMatchFound:
                continue
            query = [
                (k, item)
                for k, v in values.items()
                if k not in params
                for item in (v if isinstance(v, (list, tuple, set)) else [v])
                if item is not None
            ]
            text = "?" + urlencode(query, safe="!$'()*,/:;?@") if query else ""
            return root + path + text + tail
    raise NoMatchFound(endpoint, values)
'''
# `url_for(..., _external=True)` where the Flask app may stay behind FastAPI: FLASK_URL's path (the Flask app's
# url_map where it serves the endpoint, else FastAPI's route), after the scheme and host Flask's own URL adapter
# (Flask.create_url_adapter) reads from the WSGI environ a2wsgi's mount gives it (ProxyFix's scheme already applied
# to the scope by main.py's middleware in front of FastAPI's routes, as Flask's ProxyFix applied it to the
# environ): what Werkzeug's MapAdapter.build(force_external=True) writes, without subdomain or host matching
# (URL_HOOKS). Without the Flask app, the request's own, as `str(request.url_for(...))`. A view moving on its own
# takes FLASK_URL along with it (split.STANDALONE.texts follows the helpers' own uses).
FLASK_EXTERNAL_URL = "flask_external_url"
FLASK_EXTERNAL_URL_TEXT = f'''
def {FLASK_EXTERNAL_URL}(request: Request, endpoint: str, **values: Any) -> str:
    """Flask's `url_for(endpoint, **values, _external=True)` in a request: {FLASK_URL}'s URL
    with the scheme and host Flask's URL adapter takes from the request, as the Flask app
    mounted behind FastAPI is given it."""
    scheme, host = request.url.scheme, request.url.netloc
    for route in request.app.routes:
        flask_app = getattr(getattr(route, "app", None), "app", None)
        at_root = getattr(route, "path", None) == ""
        if at_root and hasattr(flask_app, "inject_url_defaults"):
            from a2wsgi.wsgi import build_environ

            environ = build_environ(request.scope, None)
            adapter = flask_app.create_url_adapter(flask_app.request_class(environ))
            secure = adapter.url_scheme in ("https", "wss")
            scheme, host = ("https" if secure else "http"), adapter.get_host(None)
            break
    return f"{{scheme}}://{{host}}{{{FLASK_URL}(request, endpoint, **values)}}"
'''
FLASK_URL_IMPORTS = (("typing", "Any"), ("fastapi", "Request"), ("urllib.parse", "quote"), ("urllib.parse", "urlencode"),
                     ("itertools", "combinations"), ("starlette.routing", "NoMatchFound"))
# What makes Flask's url_for build otherwise than its url_map does: url_defaults functions (and their injection),
# URL build error handlers, host or subdomain matching.
URL_HOOKS = re.compile(r"url_defaults|url_build_error_handlers|handle_url_build_error|host_matching|subdomain")


def define_flask_url(file: PortedFile, external: bool = False) -> None:
    """FLASK_URL (`external`: FLASK_EXTERNAL_URL) in the module, with its imports: a standalone definition, which a
    view moving to FastAPI on its own (split.py) takes along."""
    for name in (FLASK_URL, FLASK_EXTERNAL_URL) if external else (FLASK_URL,):
        if file.bound.get(name) not in (None, file.path):
            raise NotPortable(f"the module binds {name} to something else")
    for module, imported in FLASK_URL_IMPORTS:
        file.use(module, imported)
    define_standalone(file, FLASK_URL, FLASK_URL_TEXT)
    if external:
        define_standalone(file, FLASK_EXTERNAL_URL, FLASK_EXTERNAL_URL_TEXT)


# port/written/flask_url_fallback.py, which writer.py writes beside main.py: its own URL build error handler
FALLBACK_FILE = "flask_url_fallback.py"
FALLBACK_FIRST_LINE = (files(__package__).joinpath("written", FALLBACK_FILE).read_text(encoding="utf-8")
                       .split("\n", 1)[0])


@lru_cache(maxsize=16)
def url_hooks(root: Path | None, flagged: frozenset[str]) -> str:
    """Why Flask's url_for may build otherwise than its url map ("" when it builds as the map does): a module of
    the project with findings mentions URL_HOOKS (or cannot be read)."""
    if root is None:
        return "the project's folder is not known"
    for path in sorted(flagged):
        if not path.endswith(".py"):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return f"{path} cannot be read"
        if path.rpartition("/")[2] == FALLBACK_FILE and text.startswith(FALLBACK_FIRST_LINE):
            continue  # main.py's fallback, which an earlier port wrote (the next `--only` step of a strangler)
        if (match := URL_HOOKS.search(text)) is not None:
            return f"{path} uses {match.group()}, which changes what Flask's url_for builds beyond its URL map"
    return ""


def port_url_for(file: PortedFile, site: Site, views: Views, blueprint: BlueprintInfo | None,
                 alone: bool = False, root: Path | None = None, flagged: frozenset[str] = frozenset()) -> None:
    """`blueprint` is the one the view's route is on, for `.name` endpoints; `alone` when no other Python file
    of the project has Flask findings (no route can be elsewhere); `root` and `flagged` the project's folder and
    the files with findings (for endpoints built by FLASK_URL)."""
    call = call_of(site.node)
    function = enclosing_function(call) if call is not None else None
    if call is None or function is None:
        raise NotPortable("outside a converted view function")
    callers = _helper_callers(file, function, views) if function.range().start.index not in views else None
    positional, keywords = arguments(call)
    try:
        endpoint = literal(positional[0]) if len(positional) == 1 else None
        external = literal(keywords.pop("_external")) if "_external" in keywords else False
    except ValueError:
        raise NotPortable("the endpoint or _external is not a literal") from None
    if not isinstance(endpoint, str) or set(k for k in keywords if k.startswith("_")) - OPTIONS - {"_anchor"}:
        raise NotPortable("the endpoint is not a literal, or _method/_scheme are used")
    if callers is not None:
        _port_in_helper(file, site, call, function, callers, endpoint, keywords, external, root, flagged)
        return
    if endpoint.startswith("."):
        if blueprint is None:
            raise NotPortable("a .endpoint outside a Blueprint")
        endpoint = blueprint.name + endpoint
    if "_anchor" in keywords or external and (_flask_behind(file) or not alone):
        # FLASK_URL adds the anchor after `#`, quoted as Flask quotes it, for any endpoint; and where the Flask app
        # may stay behind FastAPI (it does, or the project has other Flask modules: a unit of it may stay, and this
        # view move on its own), FLASK_EXTERNAL_URL builds an absolute URL with the scheme and host Flask takes
        # (without the Flask app, those of the request, as `str(request.url_for(...))`)
        _port_elsewhere(file, site, call, function, endpoint, keywords, external, root, flagged, alone)
        return
    target = views.by_endpoint().get(endpoint)
    if target is None and _no_such_endpoint(file, views, endpoint, alone):
        # Werkzeug's BuildError, as Starlette's NoMatchFound: what raises is kept, whatever the values
        starlette_request(file, function)
        values = "".join(f", {key}={file.rendered(value)}" for key, value in keywords.items())
        file.replace(call, f"request.app.url_path_for({json.dumps(endpoint)}{values})")
        site.handled = True
        return
    if target is None:
        _port_elsewhere(file, site, call, function, endpoint, keywords, external, root, flagged, alone)
        return
    if not set(target.types) <= set(keywords):
        why = url_hooks(root, flagged)  # (Flask's url_defaults functions may give it)
        raise NotPortable("a path parameter of the route is not given" + (f", and {why}" if why else ""))
    query = {key: value for key, value in keywords.items() if key not in target.types}
    if query and file.bound.get(QUERY_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {QUERY_HELPER} to something else")
    starlette_request(file, function)
    build_quoted(file, target, set(target.types))
    values = "".join(f", {key}={file.rendered(value)}" for key, value in keywords.items() if key in target.types)
    text = (f"str(request.url_for({json.dumps(endpoint)}{values}))" if external
            else f"request.app.url_path_for({json.dumps(endpoint)}{values})")
    if query:
        file.use("typing", "Any")
        file.use("urllib.parse", "urlencode")
        define_standalone(file, QUERY_HELPER, QUERY_HELPER_TEXT)
        text = f"{QUERY_HELPER}({text.removeprefix('str(').removesuffix(')') if external else text}" + \
            "".join(f", {key}={file.rendered(value)}" for key, value in query.items()) + ")"
    file.replace(call, text)
    site.handled = True
    for other in file.sites_in(call, codes.URL_QUERY):
        other.handled = other.handled or bool(query)
    if not external and (_flask_behind(file) or not alone) and not url_hooks(root, flagged) and _may_define(file):
        file.memo.setdefault(FOR_A_COPY, set()).add(span(site.node)[0])



def _port_elsewhere(file: PortedFile, site: Site, call, function, endpoint: str, keywords: dict,  # type: ignore[no-untyped-def]
                    external: bool, root: Path | None, flagged: frozenset[str], alone: bool = True) -> None:
    """url_for of an endpoint that is not a converted route of the file -> FLASK_URL (the Flask app's url map while
    it serves the endpoint, FastAPI's route otherwise)."""
    if external and not _flask_behind(file) and alone:
        raise NotPortable(f"{endpoint} is not a converted route of this file, and _external=True needs the host "
                          "Flask would build with")
    why = url_hooks(root, flagged)
    if why:
        raise NotPortable(f"{endpoint} is not a converted route of this file, and {why}")
    starlette_request(file, function)
    define_flask_url(file, external)
    values = "".join(f", {key}={file.rendered(value)}" for key, value in keywords.items())
    helper = FLASK_EXTERNAL_URL if external else FLASK_URL
    file.replace(call, f"{helper}(request, {json.dumps(endpoint)}{values})")
    site.handled = True
    file.memo.setdefault(BUILT_ANYWHERE, set()).add(span(site.node)[0])
    for other in file.sites_in(call, codes.URL_QUERY):
        other.handled = True


def _helper_callers(file: PortedFile, helper: SgNode, views: Views) -> list[SgNode]:
    """The calls of `helper`, a function at the top of the module that is not a view, where every use of its name
    is a call in a converted view of the module (and no other module of the project names it: checked by the
    caller); NotPortable otherwise, as for any url_for outside a converted view."""
    why = "outside a converted view function"
    name = helper.field("name")
    if helper.parent() is None or helper.parent().kind() != "module" or name is None:  # type: ignore[union-attr]
        raise NotPortable(why)
    calls = []
    for node in file.root.find_all(kind="identifier"):
        if node.text() != name.text() or node == name:
            continue
        parent = node.parent()
        if parent is not None and parent.kind() == "attribute" and parent.field("attribute") == node:
            continue  # `other.name`: not this function
        caller = enclosing_function(node)
        if parent is None or parent.kind() != "call" or parent.field("function") != node or caller is None or \
                caller.range().start.index not in views or \
                (parent.field("arguments") is not None and parent.field("arguments").kind() != "argument_list"):  # type: ignore[union-attr]
            raise NotPortable(f"{why}: {name.text()} is used otherwise than called from the converted views")
        calls.append(parent)
    if not calls:
        raise NotPortable(why)
    return calls


# file.memo key: the helpers (their starts) whose callers pass them the request, once per helper
GIVEN_REQUEST = ("helpers given the request", 0)


def _port_in_helper(file: PortedFile, site: Site, call, helper, callers: list, endpoint: str,  # type: ignore[no-untyped-def]
                    keywords: dict, external: bool, root: Path | None, flagged: frozenset[str]) -> None:
    """url_for in a module-level helper only the converted views call (`return redirect(safe_next(...))`) ->
    FLASK_URL with a request the helper takes first, each call passing the view's: what Flask's url_for built for
    that request. Relative endpoints (`.index`) are left: the Blueprint is the calling view's."""
    from .decorators import used_elsewhere

    name = helper.field("name").text()
    if endpoint.startswith(".") or external or url_hooks(root, flagged):
        raise NotPortable(f"outside a converted view function ({name}, which only converted views call, builds a "
                          "relative endpoint, an external URL, or Flask's url_for may build otherwise than its map)")
    if used_elsewhere(file, name, root, flagged):
        raise NotPortable(f"outside a converted view function ({name} may be used by another module)")
    given = file.memo.setdefault(GIVEN_REQUEST, set())
    if span(helper)[0] not in given:
        views = {span(f)[0]: f for c in callers if (f := enclosing_function(c)) is not None}
        for function in [helper, *views.values()]:  # each takes the request, or nothing is rewritten
            if any(not s.handled and s.node.text().split(".")[0] == "request" for s in file.sites_in(function)):
                raise NotPortable(f"outside a converted view function ({name} or a view calling it still reads "
                                  "Flask's request)")
            parameters = function.field("parameters")
            if parameters is not None and any(p.text() == "request" for p in parameters.find_all(kind="identifier")):
                raise NotPortable(f"outside a converted view function ({name} or a view calling it has a parameter "
                                  "named request)")
        for function in views.values():
            starlette_request(file, function)
        for caller in callers:
            arglist = caller.field("arguments")
            inner = [file.rendered(a) for a in arglist.named_children() if a.kind() != "comment"]
            file.replace(arglist, "(" + ", ".join(["request", *inner]) + ")")
        given.add(span(helper)[0])
    _port_elsewhere(file, site, call, helper, endpoint, keywords, external, root, flagged)


def _flask_behind(file: PortedFile) -> bool:
    """True when the Flask app stays, mounted behind FastAPI (main.py), so FLASK_EXTERNAL_URL has its URL adapter."""
    from .templates import FLASK_BEHIND

    return bool(file.memo.get(FLASK_BEHIND))


# file.memo key: the starts of the url_for sites rewritten to FLASK_URL, which builds the same URL whether the
# route is served by FastAPI or by the Flask app behind it (split.py: a view building URLs so moves on its own)
BUILT_ANYWHERE = ("url_for through flask_url", 0)


def built_anywhere(file: PortedFile, site: Site) -> bool:
    """True when the url_for `site` was rewritten to FLASK_URL."""
    return span(site.node)[0] in file.memo.get(BUILT_ANYWHERE, ())


# file.memo key: the url_for sites rewritten to FastAPI's route of the file (`request.app.url_path_for`, the query
# through QUERY_HELPER) where the Flask app may stay behind FastAPI: a copy of the view moving on its own in front of
# it (split.py) builds them with FLASK_URL instead (for_a_copy), since the route they name may stay Flask's, which
# only the Flask app's URL map builds (FLASK_URL builds from it whichever side serves the endpoint, as Flask did).
FOR_A_COPY = ("url_for of the file's own route, by flask_url in a moved copy", 0)
_PATH_FOR = "request.app.url_path_for"


def _may_define(file: PortedFile) -> bool:
    """True when the module can take FLASK_URL's definition and imports (none of their names bound otherwise)."""
    return file.bound.get(FLASK_URL, file.path) == file.path and \
        all(file.bound.get(name, module) == module for module, name in FLASK_URL_IMPORTS)


def built_in_a_copy(file: PortedFile, site: Site) -> bool:
    """True when a moved copy of the view builds the url_for `site` with FLASK_URL (for_a_copy)."""
    return span(site.node)[0] in file.memo.get(FOR_A_COPY, ())


def for_a_copy(file: PortedFile, text: str) -> str:
    """`text`, the copy of a view moving on its own in front of the Flask app, with each url_for the port wrote as
    `request.app.url_path_for(endpoint, **params)` (in `werkzeug_query(..., **query)`, for the values that are not
    path parameters) built by FLASK_URL: `flask_url(request, endpoint, **params, **query)`, the same values Flask's
    url_for was given (split.py moves a view only where built_in_a_copy holds for each). FLASK_URL's definition and
    imports are then the module's, which the copy takes along (split.STANDALONE)."""
    if _PATH_FOR not in text:
        return text
    root = SgRoot(text, "python").root()
    edits = []
    for call in root.find_all(kind="call"):
        function, arglist = call.field("function"), call.field("arguments")
        if function is None or function.text() != _PATH_FOR or arglist is None or arglist.kind() != "argument_list":
            continue
        values = [a.text() for a in arglist.named_children() if a.kind() != "comment"]
        outer = call.parent().parent() if call.parent() is not None else None  # type: ignore[union-attr]
        if outer is not None and outer.kind() == "call" and outer.field("function") is not None and \
                outer.field("function").text() == QUERY_HELPER and \
                outer.field("arguments").named_children()[0] == call:  # type: ignore[union-attr]
            values += [a.text() for a in outer.field("arguments").named_children()[1:]  # type: ignore[union-attr]
                       if a.kind() != "comment"]
            call = outer
        edits.append(call.replace(f"{FLASK_URL}(request, {', '.join(values)})"))
    if not edits:
        return text
    define_flask_url(file)
    return root.commit_edits(edits)


def _no_such_endpoint(file: PortedFile, views: Views, endpoint: str, alone: bool) -> bool:
    """True when no route of the Flask app can be `endpoint`: the file is the project's only Flask module, has
    no Blueprint and no add_url_rule, every route decorator in it was read, and the name is not Flask's own
    `static`."""
    return alone and endpoint != "static" and "." not in endpoint and not file.sites_of(codes.BLUEPRINT) \
        and not file.sites_of(codes.ADD_RULE) and len(views) == len(file.sites_of(codes.ROUTE_DECORATOR))


def port_build_errors(file: PortedFile, views: Views) -> None:
    """`except BuildError:` in converted views -> `except NoMatchFound:`, all of the module's uses of the name or
    none, where every url_for those `try` blocks call was rewritten (Starlette's URL building raises
    NoMatchFound where Werkzeug's raised BuildError)."""
    sites = [site for site in file.sites_of(codes.ROUTING_ERROR) if site.node.text() == "BuildError"]
    if not sites or file.bound.get("BuildError") != "werkzeug.routing":
        return
    spans = {span(site.node) for site in sites}
    uses = [node for node in file.root.find_all(kind="identifier") if node.text() == "BuildError"
            and node.parent() is not None and node.parent().kind() not in ("dotted_name", "aliased_import")]  # type: ignore[union-attr]
    for node in uses:
        clause = node.parent()
        statement = clause.parent() if clause is not None else None
        function = enclosing_function(node)
        if span(node) not in spans or clause is None or clause.kind() != "except_clause" or \
                clause.named_children()[0] != node or statement is None or statement.kind() != "try_statement" \
                or function is None or span(function)[0] not in views:
            return
        body = statement.field("body")
        if body is None or any(not s.handled for s in file.sites_in(body, codes.URL)):
            return
    try:
        file.use("starlette.routing", "NoMatchFound")
    except NotPortable:
        return
    for site in sites:
        file.replace(site.node, "NoMatchFound")
        site.handled = True
