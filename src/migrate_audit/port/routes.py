"""Routing: the application object, Blueprints, their registration and the route decorators.

What Flask does that the port keeps, and how:
- `Blueprint(name, __name__, url_prefix=P)` becomes `APIRouter(prefix=P)`; `register_blueprint(bp,
  url_prefix=R)` replaces the Blueprint's prefix where `include_router(router, prefix=...)` prepends to
  it, so the include gets the part of R before P (and a registration whose R does not end with P is left
  to people).
- A route answers each of its methods, and Werkzeug answers HEAD on every GET rule by itself: a GET
  becomes `api_route(..., methods=["GET", "HEAD"])` (the implicit-head proof), every other method its
  own path operation, stacked on the one function.
- Werkzeug's `int` and default converters match what Starlette's `{x:int}` and `{x}` match (the
  url-converters proof). Starlette's own `float` and `path` match more URLs than Werkzeug's (`21`, an empty
  path), so those two become Starlette convertors of Werkzeug's patterns, defined and registered in the
  module (`{x:werkzeug_float}`, `{x:werkzeug_path}`; the converter-semantics proof): the route then answers
  404 where Flask did, not 422 or 200.
- The endpoint name is kept as the route's `name=` (a Blueprint's `books.detail`), so `url_for` names
  still find it.
- A converter class of the module's own registered with `app.url_map.converters["name"] = Class` (FMA105)
  is registered with Starlette through `WerkzeugConverter`, an adapter written into the module that keeps
  Werkzeug's class (a library) for its regex, `to_python` and `to_url`: the route matches and builds the
  same URLs (the custom-converter proof); where `to_python` may refuse a value (ValidationError, a
  no-match for Werkzeug, an error for Starlette), or the converter takes arguments, it is left.
- `app.url_map.iter_rules()` (FMA117) walks `URL_MAP`, a Werkzeug `Map` (a library) of the rules Flask made,
  written into the module in Flask's order: the static rule, then each route as its decorator or its
  Blueprint's registration ran, with Flask's prefixes and its added OPTIONS (and Werkzeug's HEAD); where the
  file is the project's only Flask module, so that no rule can be elsewhere (the url-map proof).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable

from ast_grep_py import SgNode

from . import codes, decorators, routing_errors
from .edits import NotPortable, PortedFile, Site, literal

# Werkzeug's rule syntax: `<converter(arguments):variable>` or `<variable>`.
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_]\w*)(?P<args>\(.*?\))?:)?(?P<name>[a-zA-Z_]\w*)>")
# Converter -> (Starlette convertor, Python type): Starlette's own where it matches the URLs Werkzeug's does, else
# one of CONVERTORS.
CONVERTERS = {None: ("", "str"), "string": ("", "str"), "int": (":int", "int"),
              "float": (":werkzeug_float", "float"), "path": (":werkzeug_path", "str")}
# The Starlette convertors written into a module for Werkzeug's `float` and `path`: converter -> (class, its
# definition and registration). Starlette compiles a route's pattern when the route is declared, so they are
# defined after the imports, before any route. Werkzeug's patterns and `to_url` (werkzeug/routing/converters.py,
# 3.1): float `\d+\.\d+` (unsigned), `str(float(value))`; path `[^/].*?`, quoted with its safe characters.
CONVERTORS = {
    "float": ("WerkzeugFloat", '''\
class WerkzeugFloat(Convertor[float]):
    """Werkzeug's `float`: digits, a dot and digits, no sign (Starlette's `float` also takes `21`)."""

    regex = r"\\d+\\.\\d+"

    def convert(self, value: str) -> float:
        return float(value)

    def to_string(self, value: float) -> str:
        return str(float(value))


register_url_convertor("werkzeug_float", WerkzeugFloat())
'''),
    # After a `/` only: Werkzeug merges repeated slashes, so `/files//etc` reached the view as `etc` (after a
    # 308 to `/files/etc`); here the slashes are stripped and it is answered at once. Starlette's `path` is
    # `.*`: empty, or `/etc`, which `os.path.join(folder, name)` makes absolute.
    "path": ("WerkzeugPath", '''\
class WerkzeugPath(Convertor[str]):
    """Werkzeug's `path`: never empty, and without the slashes Werkzeug merged away before it (`//x` is `x`)."""

    regex = r"/*[^/].*?"

    def convert(self, value: str) -> str:
        return value.lstrip("/")

    def to_string(self, value: str) -> str:
        return quote(str(value), safe="!$&'()*+,/:;=@")


register_url_convertor("werkzeug_path", WerkzeugPath())
'''),
    # Only on a route a ported url_for builds (urls.py): Starlette's `str` matches the same segment but builds it
    # unquoted (`a b`), and refuses a `/`, where Werkzeug quoted the value.
    "string": ("WerkzeugString", '''\
class WerkzeugString(Convertor[str]):
    """Werkzeug's default converter: one path segment, built quoted as Werkzeug quoted it."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return quote(str(value), safe="!$&'()*+,/:;=@")


register_url_convertor("werkzeug_string", WerkzeugString())
'''),
}
SHORTCUTS = ("get", "post", "put", "delete", "patch")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")


@dataclass(frozen=True)
class BlueprintInfo:
    """A Blueprint definition the audit found: where, bound to which name, and its name and prefix."""

    path: str
    variable: str
    name: str
    prefix: str  # "" for none, without a trailing slash
    problem: str = ""  # why it cannot become an APIRouter, if it cannot
    # its own folders, relative to its module's folder (Flask's root_path for `__name__`): templates.py
    template_folder: str | None = None
    static_folder: str | None = None
    static_url_path: str | None = None

    @property
    def unit(self) -> str:
        return f"blueprint {self.name} ({self.path})"


def call_of(node: SgNode) -> SgNode | None:
    """The call whose function `node` is."""
    parent = node.parent()
    if parent is not None and parent.kind() == "call" and parent.field("function") == node:
        return parent
    return None


def arguments(call: SgNode) -> tuple[list[SgNode], dict[str, SgNode]]:
    positional: list[SgNode] = []
    keywords: dict[str, SgNode] = {}
    arglist = call.field("arguments")
    for arg in arglist.named_children() if arglist is not None else []:
        if arg.kind() == "keyword_argument":
            keywords[arg.field("name").text()] = arg.field("value")  # type: ignore[union-attr]
        elif arg.kind() in ("list_splat", "dictionary_splat"):
            raise NotPortable("arguments unpacked with * or ** cannot be read statically")
        elif arg.kind() != "comment":
            positional.append(arg)
    return positional, keywords


def _assigned_name(call: SgNode) -> str:
    parent = call.parent()
    if parent is None or parent.kind() != "assignment" or parent.field("left").kind() != "identifier":  # type: ignore[union-attr]
        raise NotPortable("not assigned to a plain name")
    return parent.field("left").text()  # type: ignore[union-attr]


def blueprint_info(file: PortedFile, site: Site) -> BlueprintInfo:
    """The Blueprint the FMA106 site creates; NotPortable when it carries what an APIRouter has not."""
    call = call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    positional, keywords = arguments(call)
    extra = sorted(set(keywords) - {"url_prefix", "import_name", "name"} - set(FOLDERS))
    if extra:
        raise NotPortable(f"the Blueprint's {', '.join(extra)} have no APIRouter counterpart")
    name_node = positional[0] if positional else keywords.get("name")
    try:
        name = literal(name_node)
        prefix = literal(keywords["url_prefix"]) if "url_prefix" in keywords else None
    except ValueError:
        raise NotPortable("the Blueprint's name or url_prefix is not a literal") from None
    if prefix is not None and not isinstance(prefix, str):
        raise NotPortable("the url_prefix is not a string")
    folders = _folders(positional, keywords)
    return BlueprintInfo(file.path, _assigned_name(call), str(name), (prefix or "").rstrip("/"), **folders)


# A Blueprint's own folders (templates.py serves them as Flask did), found from its module: its import name must
# be `__name__`.
FOLDERS = ("template_folder", "static_folder", "static_url_path")


def _folders(positional: list[SgNode], keywords: dict[str, SgNode]) -> dict[str, str]:
    given = {key: keywords[key] for key in FOLDERS if key in keywords}
    if not given:
        return {}
    import_name = positional[1] if len(positional) > 1 else keywords.get("import_name")
    if import_name is None or import_name.text() != "__name__" or len(positional) > 2:
        raise NotPortable("the Blueprint's folders are relative to an import name other than __name__")
    found = {}
    for key, node in given.items():
        try:
            value = literal(node)
        except ValueError:
            raise NotPortable(f"the Blueprint's {key} is not a literal") from None
        if value is None:
            continue
        if key == "static_url_path":
            if not isinstance(value, str) or not value.startswith("/") or value.endswith("/") or "{" in value:
                raise NotPortable(f"the Blueprint's static_url_path={value!r} is not a plain path")
        elif not isinstance(value, str) or not value or value.startswith("/") or "\\" in value or ".." in value.split("/"):
            raise NotPortable(f"the Blueprint's {key}={value!r} is not a folder below its module")
        found[key] = value
    return found


def describe_blueprint(file: PortedFile, site: Site) -> BlueprintInfo | None:
    """The Blueprint the FMA106 site creates, with the reason it cannot be converted if so; None when it is
    not even bound to a name."""
    try:
        return blueprint_info(file, site)
    except NotPortable as reason:
        call = call_of(site.node)
        try:
            variable = _assigned_name(call) if call is not None else None
        except NotPortable:
            return None
        return BlueprintInfo(file.path, variable, variable, "", str(reason)) if variable else None


def port_blueprint(file: PortedFile, site: Site, info: BlueprintInfo) -> None:
    call = call_of(site.node)
    assert call is not None
    file.use("fastapi", "APIRouter")
    file.replace(call, f"APIRouter(prefix={json.dumps(info.prefix)})" if info.prefix else "APIRouter()")
    site.handled = True


# Flask() settings that say what Flask does by default: they port as FastAPI() does (the folders are where the
# port looks for static/ and templates/ anyway).
_DEFAULT_SETTINGS = {"static_folder": "static", "template_folder": "templates"}


def port_application(file: PortedFile, site: Site, mount: Callable[[str], str]) -> None:
    """`Flask(__name__)` -> `FastAPI()`, followed by what `mount(url)` says serves the static folder Flask
    served (at `static_url_path` when it is given); settings left at Flask's defaults go, other settings
    (other folders, instance paths, host matching) are left to people."""
    call = call_of(site.node)
    if call is None:
        raise NotPortable("not a call")
    positional, keywords = arguments(call)
    if len(positional) != 1 or positional[0].text() != "__name__" or \
            set(keywords) - set(_DEFAULT_SETTINGS) - {"static_url_path"}:
        raise NotPortable("the Flask() settings besides __name__ have no FastAPI() counterpart")
    url = "/static"
    try:
        for key, value in keywords.items():
            given = literal(value)
            if key == "static_url_path":
                if not isinstance(given, str) or not given.startswith("/") or given.endswith("/") or "{" in given:
                    raise NotPortable("static_url_path is not a plain path below the root")
                url = given
            elif given != _DEFAULT_SETTINGS[key]:
                raise NotPortable(f"{key}={given!r} is not Flask's default folder, where the port looks")
    except ValueError:
        raise NotPortable("a Flask() setting is not a literal") from None
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    static = mount(url)
    if static and (assignment is None or assignment.kind() != "assignment" or statement is None
                   or statement.kind() != "expression_statement"):
        raise NotPortable("the app serves static/ and is not assigned to a name the mount can use")
    file.use("fastapi", "FastAPI")
    file.replace(call, "FastAPI()")
    if assignment is not None and assignment.kind() == "assignment" and statement is not None \
            and statement.kind() == "expression_statement" and assignment.field("left").kind() == "identifier":  # type: ignore[union-attr]
        indent = file.text[file.line_start(statement.range().start.index):statement.range().start.index]
        name = assignment.field("left").text()  # type: ignore[union-attr]
        if static:
            file.append_line(statement, f"{indent}{name}{static}")
        routing_errors.install(file, statement, name, indent)  # Werkzeug's 404, 405, OPTIONS and slash redirects
    site.handled = True
    for other in file.sites_in(call, codes.STATIC_SETTING):  # the folder and its URL: served by the mount
        other.handled = True


def include_prefix(registered: str | None, info: BlueprintInfo) -> str:
    """What include_router needs in front of the router's own prefix to serve what Flask served."""
    if registered is None:
        return ""
    wanted = registered.rstrip("/")
    if not wanted.endswith(info.prefix):
        raise NotPortable(f"url_prefix={registered!r} replaces the Blueprint's {info.prefix!r}, which "
                          "include_router cannot do: it only prepends")
    return wanted[: len(wanted) - len(info.prefix)]


def registration(file: PortedFile, site: Site,
                 resolve: Callable[[PortedFile, str], BlueprintInfo | None]) -> tuple[SgNode, str, BlueprintInfo, str]:
    """The FMA107 site's call, app name, Blueprint and include prefix; NotPortable when unknown."""
    call = call_of(site.node) or (site.node if site.node.kind() == "call" else None)
    if call is None or call.field("function").kind() != "attribute":  # type: ignore[union-attr]
        raise NotPortable("not a call of register_blueprint")
    positional, keywords = arguments(call)
    if set(keywords) - {"url_prefix"} or len(positional) != 1 or positional[0].kind() not in ("identifier", "attribute"):
        raise NotPortable("register_blueprint with options besides url_prefix")
    info = resolve(file, positional[0].text())
    if info is None:
        raise NotPortable(f"the Blueprint {positional[0].text()} was not found in the project")
    if info.problem:
        raise NotPortable(f"the Blueprint {positional[0].text()} stays a Blueprint: {info.problem}")
    try:
        registered = literal(keywords["url_prefix"]) if "url_prefix" in keywords else None
    except ValueError:
        raise NotPortable("the url_prefix is not a literal") from None
    app = call.field("function").field("object").text()  # type: ignore[union-attr]
    return call, app, info, include_prefix(registered, info)


def include_text(app: str, router: str, prefix: str) -> str:
    return f"{app}.include_router({router}, prefix={json.dumps(prefix)})" if prefix else f"{app}.include_router({router})"


# Routes -----------------------------------------------------------------------------------------------------
@dataclass
class Route:
    site: Site
    call: SgNode
    decorator: SgNode
    function: SgNode
    owner: str  # the app or Blueprint variable
    path: str  # the FastAPI path, quoted as in the source
    methods: list[str]
    name: str | None
    types: dict[str, str]  # path parameter -> annotation
    also: str | None = None  # strict_slashes=False: the path without its trailing slash, served too
    endpoint: str = ""  # Flask's endpoint name (`books.detail`), the route's name in FastAPI too


class Views(dict[int, Route]):
    """The converted views of a file by their function's start offset, and their routes by endpoint."""

    _endpoints: dict[str, Route] | None = None

    def by_endpoint(self) -> dict[str, Route]:
        """The first route of each endpoint name, as Flask's url_for finds it; built once (a file's views are
        all read before any url_for is ported)."""
        if self._endpoints is None:
            self._endpoints = {}
            for route in self.values():
                self._endpoints.setdefault(route.endpoint, route)
        return self._endpoints


def path_text(node: SgNode, custom: frozenset[str] = frozenset()) -> tuple[str, dict[str, str], set[str]]:
    """A route string with Werkzeug's converters written as Starlette's; the parameters' types ("" for a
    `custom` converter's, which FastAPI must not validate) and the converters used."""
    if node.kind() != "string" or any(c.kind() == "interpolation" for c in node.children()):
        raise NotPortable("the route path is not a plain string")
    types: dict[str, str] = {}
    used: set[str] = set()

    def convert(match: re.Match[str]) -> str:
        converter, args = match["converter"], match["args"]
        if not args and converter in custom:  # the module's own, registered through WerkzeugConverter
            types[match["name"]] = ""
            used.add(converter)
            return "{" + match["name"] + ":" + converter + "}"
        if args or converter not in CONVERTERS:
            raise NotPortable(f"the <{converter}{args or ''}:...> converter has no Starlette convertor that "
                              "matches the same URLs")
        if converter == "path" and match.string[match.start() - 1] != "/":
            raise NotPortable("a <path:...> converter not after a slash: Werkzeug's merged slashes go otherwise there")
        convertor, annotation = CONVERTERS[converter]
        types[match["name"]] = annotation
        used.add(converter or "string")
        return "{" + match["name"] + convertor + "}"

    text = node.text()
    if text[:1] not in ("'", '"') or text.startswith(("'''", '"""')):
        raise NotPortable("the route path is a prefixed or triple-quoted string")
    if "{" in _VARIABLE.sub("", text) or "}" in _VARIABLE.sub("", text):
        raise NotPortable("the path has braces, which Starlette reads as parameters")
    return _VARIABLE.sub(convert, text), types, used


def read_route(file: PortedFile, site: Site, blueprint_of: Callable[[PortedFile, str], BlueprintInfo | None]) -> Route:
    callee = site.node
    call = call_of(callee)
    if callee.kind() != "attribute" or call is None:
        raise NotPortable("not a route decorator call")
    decorator = call.parent()
    if decorator is None or decorator.kind() != "decorator":
        raise NotPortable("the route is not registered with a decorator")
    definition = decorator.parent()
    function = definition.field("definition") if definition is not None else None
    if function is None or function.kind() != "function_definition":
        raise NotPortable("the decorated object is not a function")
    routes = file.route_starts()
    wrappers = []
    for other in definition.children():  # type: ignore[union-attr]
        expression = other.named_children()[0] if other.kind() == "decorator" and other.named_children() else None
        wrapper = expression.field("function") if expression is not None and expression.kind() == "call" else expression
        if wrapper is not None and wrapper.range().start.index not in routes and not decorators.kept(file, wrapper):
            raise NotPortable(f"the view has another decorator ({wrapper.text()}), {decorators.why(file, wrapper)}")
        if wrapper is not None:
            wrappers.append(wrapper)
    kind = callee.field("attribute").text()  # type: ignore[union-attr]
    owner = callee.field("object").text()  # type: ignore[union-attr]
    positional, keywords = arguments(call)
    if len(positional) != 1:
        raise NotPortable("the route's path is not its one positional argument")
    extra = sorted(set(keywords) - {"methods", "endpoint", "strict_slashes"} - ({"methods"} if kind in SHORTCUTS else set()))
    if extra:
        raise NotPortable(f"the route's {', '.join(extra)} are not ported yet")
    path, types, used = path_text(positional[0], frozenset(file.memo.get(CUSTOM_MEMO, {})))
    if kind in SHORTCUTS:
        methods = [kind.upper()]
    elif kind == "route":
        try:
            methods = [str(m).upper() for m in literal_list(keywords["methods"])] if "methods" in keywords else ["GET"]
        except ValueError:
            raise NotPortable("the methods are not a literal list") from None
    else:
        raise NotPortable(f"{kind} is not a route decorator the port knows")
    if not methods or set(methods) - set(METHODS):
        raise NotPortable(f"methods {methods} are not all HTTP methods FastAPI has a decorator for")
    methods += decorators.methods_added(file, wrappers)  # Flask-CORS's OPTIONS: the decorator answers it
    function_name = function.field("name").text()  # type: ignore[union-attr]
    try:
        endpoint = str(literal(keywords["endpoint"])) if "endpoint" in keywords else function_name
    except ValueError:
        raise NotPortable("the endpoint name is not a literal") from None
    blueprint = blueprint_of(file, owner)
    name = f"{blueprint.name}.{endpoint}" if blueprint is not None else endpoint
    define_convertors(file, used)
    return Route(site, call, decorator, function, owner, path, list(dict.fromkeys(methods)),
                 None if name == function_name else name, types, _also(path, keywords.get("strict_slashes")), name)


def route_path(file: PortedFile, rule: SgNode) -> tuple[str, dict[str, str]]:
    """The FastAPI path of the Werkzeug `rule` and its parameters' types, with the convertors it needs defined in
    the module (a decorated route's, and a class-based view's: class_views.py)."""
    path, types, used = path_text(rule, frozenset(file.memo.get(CUSTOM_MEMO, {})))
    define_convertors(file, used)
    return path, types


def define_convertors(file: PortedFile, used: set[str]) -> None:
    for converter in sorted(used & set(CONVERTORS)):
        _define_convertor(file, converter)


# The definitions written into a module that need nothing of it but their imports (split.STANDALONE).
STANDALONE_KEY = ("standalone definitions", 0)


def define_standalone(file: PortedFile, name: str, text: str) -> None:
    """Write the definition `text` of `name` after the module's imports (once: not in a module that binds the
    name already, ported before), and say that a view copied out of the module may take it along."""
    if file.bound.get(name) is None:
        file.definitions[name] = text
    file.memo.setdefault(STANDALONE_KEY, set()).add(name)


def build_quoted(file: PortedFile, route: Route, names: set[str]) -> None:
    """The `str` path parameters `names` of `route`, which a ported url_for builds, take Werkzeug's quoting
    (`{name:werkzeug_string}`, the same segment matched)."""
    if any(route.types.get(name) == "str" and "{" + name + "}" in route.path for name in names):
        _define_convertor(file, "string")
    for name in names:
        if route.types.get(name) == "str":
            route.path = route.path.replace("{" + name + "}", "{" + name + ":werkzeug_string}")
            route.also = route.also.replace("{" + name + "}", "{" + name + ":werkzeug_string}") if route.also else None


def _define_convertor(file: PortedFile, converter: str) -> None:
    """Write the Starlette convertor for Werkzeug's `converter` into the module, once (not again in a module
    ported before, which defines it already)."""
    name, definition = CONVERTORS[converter]
    file.use("starlette.convertors", "Convertor", "register_url_convertor")
    if converter in ("path", "string"):
        file.use("urllib.parse", "quote")
    if file.bound.get(name) not in (None, file.path):
        raise NotPortable(f"the module binds {name} to something else")
    define_standalone(file, name, "\n" + definition)


def _also(path: str, strict: SgNode | None) -> str | None:
    """strict_slashes=False on a rule that ends with a slash: Werkzeug also serves the path without it, where it
    would redirect; FastAPI's redirect_slashes is app-wide, so the second path is declared (the strict-slashes
    proof)."""
    try:
        value = literal(strict) if strict is not None else True
    except ValueError:
        raise NotPortable("strict_slashes is not a literal") from None
    if value:
        return None
    if not path[1:-1].endswith("/") or path[1:-1] == "/":
        raise NotPortable("strict_slashes=False on a path without a trailing slash is not ported yet")
    return path[0] + path[1:-2] + path[-1]


def literal_list(node: SgNode) -> list[object]:
    if node.kind() not in ("list", "tuple", "set"):
        raise ValueError("not a list")
    return [literal(item) for item in node.named_children()]


def decorators_text(route: Route, indent: str, response_class: str | None) -> str:
    """The path operations for `route`, one per method, stacked (a GET also answers HEAD, as in Flask)."""
    options = "".join(f", {key}={value}" for key, value in (
        ("name", json.dumps(route.name) if route.name else None), ("response_class", response_class)) if value)
    lines = []
    methods = route.methods
    for path, hidden in ((route.path, ""), (route.also, ", include_in_schema=False")):
        for method in methods if path is not None else ():
            if method == "HEAD" and "GET" in methods:
                continue
            if method == "GET":
                lines.append(f'@{route.owner}.api_route({path}, methods=["GET", "HEAD"]{options}{hidden})')
            else:
                lines.append(f"@{route.owner}.{method.lower()}({path}{options}{hidden})")
    return f"\n{indent}".join(lines)


def port_route(file: PortedFile, route: Route, response_class: str | None) -> None:
    indent = file.text[file.line_start(route.decorator.range().start.index):route.decorator.range().start.index]
    file.replace(route.decorator, decorators_text(route, indent, response_class))
    signature = file.signature(route.function)
    for name, annotation in route.types.items():
        if annotation:  # a custom converter's value is whatever its to_python made
            signature.annotations.setdefault(name, annotation)
    settle_route_sites(file, route)


def settle_route_sites(file: PortedFile, route: Route) -> None:
    """The route's own site and those its path operations answer for (converters, HEAD, strict slashes)."""
    route.site.handled = True
    for site in file.sites_in(route.call):
        if site.code in (codes.URL_CONVERTER, codes.CONVERTER_MATCHING, codes.CUSTOM, codes.HEAD, codes.STRICT):
            site.handled = True


def render_signature(file: PortedFile) -> None:
    """One edit per view: its parameters with the path parameters' types and the query parameters added."""
    for signature in file.signatures.values():
        parameters = signature.function.field("parameters")
        assert parameters is not None
        # Python wants parameters without defaults first: the added required ones (a form field read with
        # `[key]`) go before the view's own defaults; Flask passes path parameters by name, so order is free.
        required, defaulted = [], []
        selfless = signature.function.range().start.index in file.memo.get(SELFLESS, ())
        for param in parameters.named_children():
            kind = param.kind()
            if selfless and kind == "identifier" and param.text() == "self":
                continue  # a class-based view's method, now a static method (class_views.py)
            if kind == "identifier" and param.text() in signature.annotations:
                required.append(f"{param.text()}: {signature.annotations[param.text()]}")
            elif kind == "default_parameter" and param.field("name").text() in signature.annotations:  # type: ignore[union-attr]
                name = param.field("name").text()  # type: ignore[union-attr]
                defaulted.append(f"{name}: {signature.annotations[name]} = {param.field('value').text()}")  # type: ignore[union-attr]
            elif kind != "comment":
                (required if kind in ("identifier", "typed_parameter") else defaulted).append(file.rendered(param))
        # the request first: Starlette calls exception handlers positionally, (request, exc)
        required = [text for key, text in signature.added.items() if key == "request"] + required
        required += [text for key, text in signature.added.items() if " = " not in text and key != "request"]
        defaulted += [text for text in signature.added.values() if " = " in text]
        text = "(" + ", ".join(required + defaulted) + ")"
        if text != parameters.text():
            file.replace(parameters, text)


# file.memo key: the start offsets of the methods of class-based views that lose `self` (class_views.py)
SELFLESS = ("methods without self", 0)
URL_MAP_NAME = "URL_MAP"


def port_url_map(file: PortedFile, site: Site, views: "Views", resolve: Callable[[PortedFile, str], BlueprintInfo | None],
                 alone: bool) -> None:
    """`app.url_map.iter_rules()` -> `URL_MAP.iter_rules()`."""
    node = site.node
    call = call_of(node)
    url_map = node.field("object") if node.kind() == "attribute" else None
    if call is None or url_map is None or node.field("attribute").text() != "iter_rules" or \
            arguments(call) != ([], {}) or url_map.kind() != "attribute" or \
            url_map.field("attribute").text() != "url_map":  # type: ignore[union-attr]
        raise NotPortable("only app.url_map.iter_rules() is ported")
    app = url_map.field("object").text()  # type: ignore[union-attr]
    made = [s for s in file.sites_of(codes.APP) if s.node.text() == "Flask" and _made_as(s, app)]
    if not alone or len(made) != 1 or file.sites_of(codes.ADD_RULE) or len(views) != len(file.sites_of(codes.ROUTE_DECORATOR)):
        raise NotPortable("the app's rules may come from elsewhere (other Flask modules, add_url_rule, a route the "
                          "port did not read)")
    app_call = call_of(made[0].node)
    if app_call is None or arguments(app_call) != ([app_call.field("arguments").named_children()[0]], {}):  # type: ignore[union-attr]
        raise NotPortable("Flask() with settings that move the static rule")
    # Flask(__name__) adds its static rule first, whether or not the folder exists (has_static_folder: a folder
    # is set)
    rules: list[tuple[tuple[int, int], str]] = [((-1, -1), _rule_text("/static/<path:filename>", "static", ["GET"]))]
    registered = _registrations(file, resolve, app)
    for route in views.values():
        if route.also is not None:
            raise NotPortable("strict_slashes=False, a rule setting the port does not write into URL_MAP yet")
        try:
            rule = literal(route.call.field("arguments").named_children()[0])  # type: ignore[union-attr]
        except ValueError:
            raise NotPortable("a route path is not a literal") from None
        start = route.decorator.range().start.index
        if route.owner == app:
            rules.append(((start, 0), _rule_text(str(rule), route.endpoint, route.methods)))
            continue
        info = resolve(file, route.owner)
        if info is None or route.owner not in registered:
            raise NotPortable(f"{route.owner} is not registered in this file, once, with a prefix the port reads")
        at, prefix = registered[route.owner]
        if prefix:
            rule = "/".join((prefix.rstrip("/"), str(rule).lstrip("/"))) if rule else prefix
        rules.append(((at, start), _rule_text(str(rule), route.endpoint, route.methods)))
    file.use("werkzeug.routing", "Map", "Rule")
    lines = "".join(f"    {text},\n" for _, text in sorted(rules))
    file.definitions[URL_MAP_NAME] = f"# app.url_map: the rules Flask made, in its order\n{URL_MAP_NAME} = Map([\n{lines}])"
    file.replace(url_map, URL_MAP_NAME)
    site.handled = True


def _made_as(site: Site, name: str) -> bool:
    call = call_of(site.node)
    assignment = call.parent() if call is not None else None
    return assignment is not None and assignment.kind() == "assignment" and assignment.field("left").text() == name \
        and assignment.parent() is not None and assignment.parent().parent() is not None \
        and assignment.parent().parent().kind() == "module"  # type: ignore[union-attr]


def _registrations(file: PortedFile, resolve: Callable[[PortedFile, str], BlueprintInfo | None],
                   app: str) -> dict[str, tuple[int, str]]:
    """Blueprint variable -> (where `app.register_blueprint` registers it, the URL prefix Flask gave its rules),
    for those registered once at module level; NotPortable for any registration the port cannot read."""
    found: dict[str, tuple[int, str]] = {}
    for site in file.sites_of(codes.REGISTRATION):
        call, owner, info, include = registration(file, site, resolve)
        statement = call.parent()
        if owner != app or info.variable in found or statement is None or statement.parent() is None or \
                statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable("a Blueprint registered twice, on another object, or inside a function")
        found[info.variable] = (call.range().start.index, include + info.prefix)
    return found


def _rule_text(rule: str, endpoint: str, methods: list[str]) -> str:
    """A Werkzeug Rule as Flask's add_url_rule made it: OPTIONS added (Werkzeug adds HEAD to GET itself)."""
    methods = list(dict.fromkeys(methods + ([] if "OPTIONS" in methods else ["OPTIONS"])))
    return f"Rule({json.dumps(rule)}, endpoint={json.dumps(endpoint)}, methods={json.dumps(methods)})"


# What port_url_map writes, to the character: a second port leaves it alone (responses.port_own_helpers).
URL_MAP_TEXT = re.compile(r'# app\.url_map: the rules Flask made, in its order\nURL_MAP = Map\(\[\n'
                          r'(?:    Rule\("[^"\\\n]*", endpoint="[^"\\\n]*", methods=\[[A-Z", ]*\]\),\n)*\]\)')


CUSTOM_MEMO = ("custom converters", 0)
ADAPTER = "WerkzeugConverter"
ADAPTER_TEXT = '''
class WerkzeugConverter(Convertor[Any]):
    """A Werkzeug converter class (a library) as a Starlette convertor: Werkzeug's regex, to_python and to_url."""

    def __init__(self, converter: Any) -> None:
        self.converter = converter(Map())
        self.regex = self.converter.regex

    def convert(self, value: str) -> Any:
        return self.converter.to_python(value)

    def to_string(self, value: Any) -> str:
        return self.converter.to_url(value)
'''
_REGISTERED = re.compile(r'register_url_convertor\("(\w+)", WerkzeugConverter\((\w+)\)\)')


def read_custom_converters(file: PortedFile, apps: set[str]) -> None:
    """Before the routes are read: each `app.url_map.converters["name"] = Class` of a class the module defines
    (FMA105) becomes `register_url_convertor("name", WerkzeugConverter(Class))`, and "name" a convertor the
    routes may use; and a module ported before, which registers them so, keeps them."""
    found = {name: cls for name, cls in _REGISTERED.findall(file.text)}
    for site in file.sites_of(codes.CUSTOM):
        try:
            name, cls, statement = _registration(file, site, apps)
        except NotPortable as reason:
            site.reason = str(reason)
            continue
        file.use("starlette.convertors", "Convertor", "register_url_convertor")
        file.use("typing", "Any")
        file.use("werkzeug.routing", "Map")
        if file.bound.get(ADAPTER) is None:
            file.definitions[ADAPTER] = ADAPTER_TEXT
        file.replace(statement, f"register_url_convertor({json.dumps(name)}, {ADAPTER}({cls}))")
        found[name] = cls
        site.handled = True
    for site in file.sites_of(codes.CUSTOM):  # the classes themselves stay, as Werkzeug's
        if site.node.kind() == "identifier" and site.node.text() in found.values() and \
                site.node.parent() is not None and site.node.parent().kind() == "class_definition":  # type: ignore[union-attr]
            site.handled = True
    file.memo[CUSTOM_MEMO] = found


def _registration(file: PortedFile, site: Site, apps: set[str]) -> tuple[str, str, SgNode]:
    node = site.node
    assignment = node.parent()
    statement = assignment.parent() if assignment is not None else None
    if node.kind() != "subscript" or assignment is None or assignment.kind() != "assignment" or \
            assignment.field("left") != node or statement is None or statement.kind() != "expression_statement" \
            or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("not a module-level app.url_map.converters[name] = Class")
    target = node.field("value")
    if target is None or target.text() not in {f"{app}.url_map.converters" for app in apps}:
        raise NotPortable("not the converters of this module's app")
    try:
        name = literal(node.field("subscript"))
    except ValueError:
        raise NotPortable("the converter's name is not a literal") from None
    cls = assignment.field("right")
    if not isinstance(name, str) or not name.isidentifier() or cls is None or cls.kind() != "identifier" \
            or file.bound.get(cls.text()) != file.path:
        raise NotPortable("not a converter class this module defines")
    definition = next(c for c in file.root.children() if c.kind() == "class_definition"
                      and c.field("name").text() == cls.text())  # type: ignore[union-attr]
    if "ValidationError" in definition.text() or "__init__" in definition.text():
        raise NotPortable("the converter refuses values (ValidationError: a no-match in Werkzeug, an error in "
                          "Starlette) or takes arguments")
    return name, cls.text(), statement
