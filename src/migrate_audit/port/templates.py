"""What Flask serves from the app's folder without being asked: `static/` and `templates/`.

- `Flask(__name__)` serves `static/` beside the app module at `/static`; the port mounts the same folder
  with `StaticFiles` under the route name `static` (the application-object proof).
- `render_template(name, **context)` returned by a view becomes `templates.TemplateResponse(request, name,
  context)` with a module-level `Jinja2Templates` on the app's `templates/` folder. Folders are found from
  the module (`Path(__file__)`), as Flask finds them, not from the working directory. Starlette escapes
  .html, .htm and .xml templates as Flask does; it gives templates `request` and `url_for` but not Flask's
  `session`, `g`, `config` or `get_flashed_messages`, which the audit flags in the template itself: a
  template with findings is left to people, and so is a view that still reads Flask's `request`, which
  the `request: Request` parameter would hide.
- Starlette's template `url_for` is not Flask's: it builds the absolute URL, takes only the route's path
  parameters and names the static file `path=`. Where the app's templates call `url_for`, the port gives
  them Flask's instead, through a context processor (FLASK_URL_FOR) over urls.FLASK_URL: during the strangler
  phase the path the Flask app mounted behind FastAPI builds for the endpoints it serves (its own url_map),
  else the path of FastAPI's route under the root path, values quoted as Werkzeug's converters quote them,
  the values that are not path parameters in the query string as Werkzeug encodes it, `filename=` for the
  static mount; a relative endpoint (`.name`) is taken in the Blueprint of the route rendering, as Flask takes
  it in `request.blueprint` (Starlette's matched route, `scope["route"]`, whose name the port makes the Flask
  endpoint). So a template whose only findings are those `url_for` differences (FMA601-603) ports too, unless a
  call names another Blueprint's static endpoint, passes `_external`/`_anchor`-style options or `**` values,
  or computes the endpoint, or the project changes what url_for builds beyond the URL map (urls.URL_HOOKS:
  `url_defaults`...): those Flask resolves from its request context.
- Flask's template `request` and `g`, where the port can give the same (FLASK_REQUEST, FLASK_G): a context
  processor hands templates Starlette's request with Werkzeug's `path`, `full_path`, `script_root` and `args`
  (REQUEST_GIVEN, computed from the ASGI scope as Werkzeug computes them from the WSGI environ; the other
  attributes FMA607 flags stay left to people: `url`, `host`, `base_url`... depend on trusted hosts, IRI
  quoting and proxies), and `g` as `request.state`, where the ported views and hooks keep what Flask kept on
  `g` (port/hooks.py): only for reads of `g.name` (not `g.get(...)`, `name in g`, which `State` lacks), when
  every `g` of the module was ported and no other module of the project uses Flask's `g` (its writes would not
  reach `request.state`). A view that passes `request` or `g` to render_template itself is left: Starlette's
  context processors override what the view gives, Flask's view wins. `config` (FLASK_CONFIG) is the
  module's `settings`, where port/config.py keeps the values the app set in Flask's config: only where the
  module's config ported, no other module of the project uses a config, and the template reads literal keys
  of the app's own (Flask has defaults for its keys, which `settings` has not).
- What Flask's environment adds to every template besides the context is the module's only where the port
  writes it there (port/jinja_env.py, the module's own app registrations): a filter, global, test or context
  processor another module registers (`@app.template_filter` beside the Blueprint that renders), a Blueprint-wide
  one, an extension's template globals (Flask-Moment, Flask-Bootstrap: _JINJA_SETUP), or a template in none of
  the project's folders (Flask may find it in an extension's Blueprint) keep the render with Flask: Jinja2Templates
  would raise "No filter named", or render an undefined name. `tojson` is Flask's: the module's environment dumps
  with the app's JSON provider (`policies["json.dumps_function"]`, responses.JSON_HELPER), unless the project
  tunes that provider.
- While the app stays Flask (main.py mounts it behind FastAPI: a factory keeping its config, or `--only`), a render
  the points above refuse -> `flask_render(request, name, ...)`, the arguments as written (port/written/
  flask_render.py): the Flask app behind renders it, with its own Jinja environment and context processors, in a
  request context of it built from the FastAPI request (request.endpoint/view_args from the Flask route, or from
  FastAPI's route where the Blueprint left the app), `g` carrying what the hooks in front put on request.state, the
  session the bridge opened (or Flask's own, saved into the page as Flask saves it). Returned, or in
  `make_response(...)`; an async view keeps the refusal (Flask's render would block the event loop), and so do
  streamed templates and renders outside a view, but for an app's error handler the port converts (`return
  render_template(...), 404` -> `flask_response(flask_render(request, ...), status=404)`: port_handler_render, the
  page hooks_in_front.py carries in front of FastAPI's routes). split.py moves such views on their own.
- A Blueprint's own `template_folder` joins the app's templates/ in every module's `Jinja2Templates`, searched in
  Flask's order (the app's folder, then the Blueprints' in registration order: DispatchingJinjaLoader); its
  `static_folder` is mounted on the app at `<url_prefix><static_url_path>`, where Flask served it.
- `return stream_template(name, **context)` -> a StreamingResponse of the template's `generate()`, with the
  context processors' values under the view's, as text/html (`flask_stream_template`).
- `render_template(name, **context)` whose text a view uses otherwise (SQL, an e-mail body: FMA235) becomes
  `templates.get_template(name).render(context)`, the same Jinja rendering without a response, where the
  template cannot tell the difference: a literal name Flask and Starlette escape alike, no template of the
  app with findings (one could be included), and none of the names Flask adds to every context
  (`request`, `session`, `g`, `config`, `url_for`, `get_flashed_messages`) nor Flask's own `tojson`
  filter in any template of the folder, since a text render has no request to give them.
"""
from __future__ import annotations

import ast
import json
import re
from importlib.resources import files
from pathlib import Path, PurePosixPath

from ..filekinds.templates import analyze_template
from ..scopes import span
from ..rules.templates import DOTTED_ENDPOINT, FLASHED_MESSAGES, SESSION_IN_TEMPLATE, STATIC_FILENAME, URL_FOR_ARGUMENTS
from ..rules.templates import CONFIG_IN_TEMPLATE, CURRENT_USER, G_IN_TEMPLATE, REQUEST_ATTRIBUTE

from ast_grep_py import SgNode

from . import codes, config, login, session, urls
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .requests import starlette_request
from .routes import Route, arguments, call_of, define_standalone

ESCAPED = (".html", ".htm", ".xml")  # where Flask and Starlette both autoescape
FLASK_ONLY_ESCAPED = (".xhtml", ".svg")  # where Flask autoescapes and Starlette's select_autoescape() does not
# What Flask's render_template puts in every context (and its tojson filter): a text render has none of them.
FLASK_CONTEXT = re.compile(r"\b(request|session|g|config|url_for|get_flashed_messages|tojson)\b")
TEMPLATES = "templates"  # the module-level name the port defines
URL_FOR = "flask_url_for"  # the context processor the port defines where templates call url_for
# the template findings the context processor answers (static `filename=`, Blueprint endpoints, query values)
URL_FOR_CODES = frozenset({STATIC_FILENAME.code, DOTTED_ENDPOINT.code, URL_FOR_ARGUMENTS.code})
# Werkzeug's quoting: converters' `to_url` (werkzeug/routing/converters.py) and the query string
# (werkzeug/urls.py `_urlencode`)
FLASK_URL_FOR = f'''def {URL_FOR}(request: Request) -> dict[str, object]:
    """Flask's template `url_for`: the path Flask builds ({urls.FLASK_URL}), a `.name` endpoint taken as the name in
    the Blueprint of the route rendering (Flask's `request.blueprint`: the route's name up to its last dot)."""

    def build(endpoint: str, **values: Any) -> str:
        if endpoint[:1] == ".":
            route = getattr(request.scope.get("route"), "name", "")
            blueprint = route.rpartition(".")[0]
            endpoint = f"{{blueprint}}{{endpoint}}" if blueprint else endpoint[1:]
        return {urls.FLASK_URL}(request, endpoint, **values)

    return {{"url_for": build}}

'''


REQUEST = "flask_request"  # the context processor giving templates Flask's request attributes
G = "flask_g"  # the context processor giving templates Flask's g
CONFIG = "flask_config"  # the context processor giving templates Flask's config, as the port keeps it
# the attributes of Flask's request (FMA607) that FLASK_REQUEST gives templates as Werkzeug computes them
REQUEST_GIVEN = frozenset({"path", "full_path", "script_root", "args"})
_REQUEST_READ = re.compile(r"\brequest\s*\.\s*(?:" + "|".join(sorted(REQUEST_GIVEN)) + r")\b")
# what Flask's g (_AppCtxGlobals) has and request.state (Starlette's State) has not
_G_METHODS = frozenset({"get", "pop", "setdefault"})
_G_READ = re.compile(r"(?<![.\w])g\s*\.\s*[A-Za-z_]")
_G_ATTRIBUTE = re.compile(r"\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
# config['KEY'], config.get('KEY'...), config.KEY: a literal key
_CONFIG_READ = re.compile(r"""\s*(?:\[\s*(['"])([^'"\\]*)\1\s*\]|\.\s*get\s*\(\s*(['"])([^'"\\]*)\3\s*[,)]|"""
                          r"""\.\s*([A-Z][A-Z0-9_]*)\b(?!\s*\())""")
_CONFIG_USE = re.compile(r"(?<![.\w])config\s*[.\[]")
_FLASK_CONFIG_USE = re.compile(r"\.config\b")
# What sets up Flask's Jinja environment for every template of the app besides the views' own context: filters,
# globals and tests registered on the app or app-wide by a Blueprint, context processors, the environment itself
# (jinja_env, its options, loader), and extensions that add template globals (Flask-Moment's `moment`,
# Flask-Bootstrap's helpers and base templates)
_JINJA_SETUP = re.compile(r"\btemplate_(?:filter|global|test)\b|add_(?:app_)?template_(?:filter|global|test)\b|"
                          r"\b(?:app_)?context_processor\b|\bjinja_(?:env|options|loader)\b|"
                          r"create_jinja_environment|\bflask_(?:moment|bootstrap|assets|misaka|humanize|gravatar|"
                          r"fontawesome)\b|\bflaskext\.markdown\b")
_EXTENSION_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:flask_\w+|flaskext)\b", re.MULTILINE)
# In the rendering module itself: what port/jinja_env.py does not port onto its `templates` (Blueprint-wide ones)
_BLUEPRINT_WIDE = re.compile(r"\.(?:app_template_(?:filter|global|test)|add_app_template_(?:filter|global|test)|"
                             r"app_context_processor)\b")
_FLASK_G_IMPORT = re.compile(r"^\s*from\s+flask\s+import\s[^\n]*\bg\b|\bflask\.g\b", re.MULTILINE)
# Werkzeug's sansio Request (path, full_path, root_path, args) and ImmutableMultiDict (get, getlist, repr), over
# the ASGI scope: the same bytes a WSGI server gives Flask (a2wsgi's PATH_INFO is the path after root_path)
FLASK_REQUEST = f'''def _url_quote_errors(error: UnicodeDecodeError) -> tuple[str, int]:
    """Werkzeug's "werkzeug.url_quote" codec error handler: invalid bytes stay percent-encoded."""
    return quote(error.object[error.start : error.end], safe=""), error.end


register_error("flask_request.url_quote", _url_quote_errors)


class FlaskArgs(dict[str, str]):
    """Flask's `request.args` (Werkzeug's ImmutableMultiDict): the first value of each key, `getlist` for all;
    `items()` and `values()` are iterators, as Werkzeug's are."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        lists: dict[str, list[str]] = {{}}
        for key, value in pairs:
            lists.setdefault(key, []).append(value)
        super().__init__((key, values[0]) for key, values in lists.items())
        self._lists = lists

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type=: Werkzeug's keyword
        if key not in self:
            return default
        if type is None:
            return self[key]
        try:
            return type(self[key])
        except (ValueError, TypeError):
            return default

    def getlist(self, key: str, type: Any = None) -> list[Any]:  # type=: Werkzeug's keyword
        values = self._lists.get(key, [])
        if type is None:
            return list(values)
        converted = []
        for value in values:
            try:
                converted.append(type(value))
            except (ValueError, TypeError):
                pass
        return converted

    def items(self, multi: bool = False) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        for key, values in self._lists.items():
            yield from ((key, value) for value in values) if multi else [(key, values[0])]

    def values(self) -> Iterator[str]:  # type: ignore[override]
        return (values[0] for values in self._lists.values())

    def lists(self) -> Iterator[tuple[str, list[str]]]:
        return ((key, list(values)) for key, values in self._lists.items())

    def listvalues(self) -> Iterator[list[str]]:
        return (list(values) for values in self._lists.values())

    def to_dict(self, flat: bool = True) -> dict[str, Any]:
        return dict(super().items()) if flat else dict(self.lists())

    def __repr__(self) -> str:
        return f"ImmutableMultiDict({{[(key, value) for key, values in self._lists.items() for value in values]!r}})"


class FlaskTemplateRequest(Request):
    """Starlette's request, with Flask's `path`, `full_path`, `script_root` and `args` as Werkzeug computes them."""

    @property
    def script_root(self) -> str:
        return self.scope.get("root_path", "").rstrip("/")

    @property
    def path(self) -> str:
        root, path = self.scope.get("root_path", ""), self.scope["path"]
        if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
            path = path[len(root) :]
        return "/" + path.lstrip("/")

    @property
    def full_path(self) -> str:
        return f"{{self.path}}?{{self.scope['query_string'].decode()}}"

    @property
    def args(self) -> FlaskArgs:
        query = self.scope["query_string"].decode()
        return FlaskArgs(parse_qsl(query, keep_blank_values=True, errors="flask_request.url_quote"))


def {REQUEST}(request: Request) -> dict[str, object]:
    """Flask's template `request`: Starlette's with the attributes of Werkzeug's that templates read."""
    return {{"request": FlaskTemplateRequest(request.scope, request.receive)}}

'''
FLASK_CONFIG = f'''def {CONFIG}(request: Request) -> dict[str, object]:
    """Flask's template `config`: the app's config, which the port keeps in {config.NAME}."""
    return {{"config": {config.NAME}}}

'''
FLASK_G = f'''def {G}(request: Request) -> dict[str, object]:
    """Flask's template `g`: the request's state, where the ported views and hooks keep what Flask kept on g."""
    return {{"g": request.state}}

'''


def folder_expression(file: PortedFile, app_folder: str, name: str) -> str:
    """`Path(__file__).parent / "name"`, or `.parents[k]`, naming `app_folder/name` from `file`."""
    here = PurePosixPath(file.path).parent
    app = PurePosixPath(app_folder)
    if here != app and app not in here.parents:
        raise NotPortable(f"the app's {name}/ folder is not above this module")
    up = len(here.parts) - len(app.parts)
    base = "Path(__file__).resolve().parent" if up == 0 else f"Path(__file__).resolve().parents[{up}]"
    return f"{base} / {json.dumps(name)}"


# file.memo key: the template folders of the project's Blueprints, in the order Flask searches them after the
# app's (Facts.template_folders; None when the port cannot tell that order)
BLUEPRINT_FOLDERS = ("blueprint template folders", 0)
# file.memo key: the units of the Blueprints of the file with a static folder, which the app's registration
# mounts (units.staying keeps them Flask's while the app stays: main.py mounts no folder)
STATIC_UNITS = ("blueprints with static folders", 0)


def blueprint_template_folders(project, resolve) -> tuple[str, ...] | None:  # type: ignore[no-untyped-def]
    """The `template_folder`s of the registered Blueprints (project-relative), in registration order: Flask's
    loader (flask/templating.py DispatchingJinjaLoader) searches the app's folder, then each Blueprint's in
    `app.iter_blueprints()` order, which is the order of registration. None when Blueprints with folders are
    registered in several modules, whose order the port cannot read."""
    from .routes import registration

    found: list[tuple[str, int, str]] = []  # (registering module, position, folder)
    for relpath in sorted(project.findings):
        file = project.parse(relpath)
        for site in file.sites_of(codes.REGISTRATION):
            try:
                _, _, info, _ = registration(file, site, resolve)
            except NotPortable:
                continue
            if info.template_folder is not None:
                folder = str(PurePosixPath(info.path).parent / info.template_folder)
                if all(folder != seen for _, _, seen in found):
                    found.append((relpath, site.node.range().start.index, folder))
    if len({module for module, _, _ in found}) > 1:
        return None
    return tuple(folder for _, _, folder in sorted(found))


def template_folders(file: PortedFile, app_folder: str) -> list[PurePosixPath]:
    """Where Flask looks for a template, in its order: the app's templates/, then the Blueprints' folders."""
    extra = file.memo.get(BLUEPRINT_FOLDERS, ())
    if extra is None:
        raise NotPortable("Blueprints with template folders are registered in several modules, so the order Flask "
                          "searches their folders in is not known")
    return [PurePosixPath(app_folder) / TEMPLATES, *(PurePosixPath(f) for f in extra if PurePosixPath(f) !=
                                                     PurePosixPath(app_folder) / TEMPLATES)]


def project_folder_expression(file: PortedFile, folder: PurePosixPath) -> str:
    """`Path(__file__).resolve().parents[k] / "a/b"`: the project folder `folder`, named from `file`."""
    here = PurePosixPath(file.path).parent
    common = 0
    while common < min(len(here.parts), len(folder.parts)) and here.parts[common] == folder.parts[common]:
        common += 1
    up = len(here.parts) - common
    base = "Path(__file__).resolve().parent" if up == 0 else f"Path(__file__).resolve().parents[{up}]"
    rest = "/".join(folder.parts[common:])
    return f"{base} / {json.dumps(rest)}" if rest else base


def directory_expression(file: PortedFile, app_folder: str, folders: list[PurePosixPath]) -> str:
    """Jinja2Templates' `directory`: the app's folder as before, or the list of every folder in Flask's order."""
    if len(folders) == 1:
        return folder_expression(file, app_folder, TEMPLATES)
    return "[" + ", ".join(project_folder_expression(file, folder) for folder in folders) + "]"


def blueprint_static(file: PortedFile, app: str, info, prefix: str, root: Path | None) -> str:  # type: ignore[no-untyped-def]
    """The line serving a Blueprint's static folder where Flask served it (`<url_prefix><static_url_path>/<path:
    filename>`, flask/sansio/blueprints.py), added where the app includes its router; "" when it has none.
    A Mount is not carried over by include_router, so it goes on the app."""
    if info.static_folder is None:
        return ""  # without a folder (a static_url_path alone) Flask adds no static route
    url_prefix = prefix + info.prefix
    if not url_prefix:
        raise NotPortable("the Blueprint's static folder is served at /static without a prefix, where the app's "
                          "static route matches first in Flask")
    path = info.static_url_path if info.static_url_path is not None else "/" + PurePosixPath(info.static_folder).name
    folder = PurePosixPath(info.path).parent / info.static_folder
    if root is not None and not (root / str(folder)).is_dir():
        return ""  # Flask answers 404 for every file of a missing folder; so does FastAPI without a mount
    file.use("fastapi.staticfiles", "StaticFiles")
    file.use("pathlib", "Path")
    url = url_prefix.rstrip("/") + "/" + path.lstrip("/")
    return (f"{app}.mount({json.dumps(url.rstrip('/'))}, StaticFiles(directory={project_folder_expression(file, folder)}), "
            f"name={json.dumps(info.name + '.static')})")


def port_blueprint_folders(file: PortedFile, info) -> None:  # type: ignore[no-untyped-def]
    """The FMA108 sites of a Blueprint the port made an APIRouter: its template folder is searched by every
    module's Jinja2Templates (template_folders), its static folder mounted where the app includes the router
    (blueprint_static)."""
    from ..rules.routing import BLUEPRINT_FOLDERS as OWN_FOLDERS

    for site in file.sites_of(OWN_FOLDERS.code):
        keyword = site.node.text().split("=")[0].strip()
        if keyword == "template_folder" and info.template_folder is not None:
            if file.memo.get(BLUEPRINT_FOLDERS, ()) is None:
                file.todo(site, f"{site.advice} (not ported: Blueprints with template folders are registered in "
                                "several modules, so the order Flask searches them in is not known)")
                continue
            site.handled = True
        elif keyword in ("static_folder", "static_url_path") and (info.static_folder or info.static_url_path):
            if info.static_folder is not None:
                file.memo.setdefault(STATIC_UNITS, set()).add(info.unit)
            site.handled = True


def mount_static(file: PortedFile, site: Site, has_static: bool, url: str = "/static") -> str:
    """The line that serves the app's static/ folder as Flask did, or "" when it has none."""
    if not has_static:
        return ""
    file.use("fastapi.staticfiles", "StaticFiles")
    file.use("pathlib", "Path")
    directory = folder_expression(file, str(PurePosixPath(file.path).parent), "static")
    return f'.mount({json.dumps(url)}, StaticFiles(directory={directory}), name="static")'


def port_render(file: PortedFile, site: Site, views: dict[int, Route], app_folder: str | None,
                flagged: frozenset[str], root: Path | None = None) -> None:
    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if returned_in_tuple(site):  # `return render_template(...), 401`: the page, which the tuple's rewrite wraps
        statement = statement.parent()  # type: ignore[union-attr]
    if call is None or statement is None or statement.kind() != "return_statement":
        raise NotPortable("render_template(...) is ported where it is returned")
    function = enclosing_function(statement)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    try:
        text = _template_response(file, call, function, app_folder, flagged, root)
    except NotPortable as reason:
        if not file.memo.get(FLASK_BEHIND):
            raise
        text = _flask_render(file, call, function, reason)
    file.replace(call, text)
    site.handled = True
    if text.startswith(f"{FLASK_RENDER}("):
        file.memo.setdefault(FLASK_RENDERED, set()).add(span(site.node)[0])


def returned_in_tuple(site: Site) -> bool:
    """True for the render that is the body of a returned `(body, status[, headers])` tuple: port_render rewrites it
    to the response it returns alone (a Starlette response, to which the tuple's rewrite, responses.port_tuple, gives
    the status and headers, as Flask's make_response gave them to the page), before the tuple's rewrite encloses it."""
    call = call_of(site.node)
    items = call.parent() if call is not None else None
    return items is not None and items.kind() in ("expression_list", "tuple") and \
        len(items.named_children()) in (2, 3) and items.named_children()[0] == call and \
        items.parent() is not None and items.parent().kind() == "return_statement"  # type: ignore[union-attr]


def port_handler_render(file: PortedFile, site: Site, handlers: dict[int, SgNode]) -> None:
    """`return render_template(...)[, status[, headers]]` in an error handler the port converts (port/hooks.py),
    while the app stays Flask -> `flask_render(request, ...)`, as in a view: the Flask app behind renders the page
    in a request context built from the request that failed, as Flask's handler rendered it in the failed
    request's own (its environment, context processors, `request.path`, g, session). A returned tuple is made one
    response as a view's is (`flask_response(flask_render(...), status=404)`: Flask's status on Flask's page).
    Done before the handler itself converts, which needs every finding in it rewritten (hooks._convert)."""
    from .responses import port_tuple

    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    returned, in_tuple = statement, False
    if statement is not None and statement.kind() in ("expression_list", "tuple") and \
            statement.named_children()[0] == call:
        returned, in_tuple = statement.parent(), True
    if call is None or returned is None or returned.kind() != "return_statement":
        raise NotPortable("render_template(...) is ported where it is returned")
    function = enclosing_function(returned)
    if function is None or span(function)[0] not in handlers:
        raise NotPortable("outside a ported view function or error handler")
    if not file.memo.get(FLASK_BEHIND):
        raise NotPortable("an error handler's render is ported only while the Flask app renders it behind FastAPI")
    text = _flask_render(file, call, function, NotPortable("an error handler renders with the Flask app or not at all"))
    file.replace(call, text)
    site.handled = True
    file.memo.setdefault(FLASK_RENDERED, set()).add(span(site.node)[0])
    if in_tuple:  # the tuple made one response already (responses.port_tuple): again, with the page
        tuple_site = next((s for s in file.sites_of(codes.TUPLE) if s.handled and span(s.node) == span(statement)), None)
        if tuple_site is not None:
            port_tuple(file, tuple_site)


def rendered_with_flask(file: PortedFile, site: Site) -> bool:
    """True when the render_template `site` was rewritten to FLASK_RENDER."""
    return span(site.node)[0] in file.memo.get(FLASK_RENDERED, ())


# While the app stays Flask (mounted behind FastAPI by main.py), a render Starlette's templates cannot do as Flask
# renders with the Flask app itself (port/written/flask_render.py). file.memo key: True when the app stays Flask.
FLASK_BEHIND = ("templates: the Flask app stays behind FastAPI", 0)
FLASK_RENDER = "flask_render"  # the written module, and its function
FLASK_RENDER_FILE = f"{FLASK_RENDER}.py"
FLASK_RENDER_TEXT = files(__package__).joinpath("written", FLASK_RENDER_FILE).read_text(encoding="utf-8")
FLASK_RENDER_USED = ("templates: flask_render imported", 0)  # file.memo key
FLASK_RENDERED = ("templates: renders rewritten to flask_render", 0)  # file.memo key: their starts


def _flask_render(file: PortedFile, call: SgNode, function: SgNode, why: NotPortable) -> str:
    """`render_template(...)` -> `flask_render(request, ...)`, the same arguments: rendered by the Flask app behind
    FastAPI in a request context of it built from the request (its environment, context processors, g, session).
    NotPortable (with the reason Starlette's templates could not either) where that would not be Flask's render."""
    callee = call.field("function")
    name = callee.text() if callee is not None else ""
    if not (name == "render_template" and file.bound.get("render_template") == "flask"
            or name == "flask.render_template" and re.search(r"^import flask\s*$", file.text, re.MULTILINE)):
        raise NotPortable(f"{why}; and this render_template is not Flask's called by its name")
    if any(child.kind() == "async" for child in function.children()) or function.find(kind="await") is not None:
        raise NotPortable(f"{why}; and the view is async, where Flask's render would block the event loop")
    if file.bound.get(FLASK_RENDER) not in (None, FLASK_RENDER):
        raise NotPortable(f"{why}; and the module binds {FLASK_RENDER} to something else")
    file.use(FLASK_RENDER, FLASK_RENDER)
    try:
        starlette_request(file, function)
    except NotPortable as reason:
        raise NotPortable(f"{why}; and {reason}") from None
    file.memo[FLASK_RENDER_USED] = True
    arglist = call.field("arguments")
    # each argument as the port rewrote it (a session read in it: the bridge's)
    inner = [file.rendered(arg) for arg in (arglist.named_children() if arglist is not None else [])
             if arg.kind() != "comment"]
    return f"{FLASK_RENDER}({', '.join(['request', *inner])})"


# flask.stream_template in a view (flask/templating.py `_stream`, 3.1): the context processors' values, then the
# view's (which win), rendered piece by piece as the response is sent, as text/html.
STREAM = "flask_stream_template"
STREAM_TEXT = f'''def {STREAM}(templates: Jinja2Templates, request: Request, name: str, context: dict[str, Any]) -> Iterator[str]:
    """Flask's stream_template: the template generated as the response is sent, the context processors'
    values under the view's."""
    values: dict[str, Any] = {{"request": request}}
    for processor in templates.context_processors:
        values.update(processor(request))
    values.update(context)
    return templates.get_template(name).generate(values)
'''


def port_stream_template(file: PortedFile, site: Site, views: dict[int, Route], app_folder: str | None,
                         flagged: frozenset[str], root: Path | None = None) -> None:
    """`return stream_template(name, **context)` -> a StreamingResponse of the template's `generate()`, as
    text/html (Flask's Response of a generator); the same checks as render_template's (templates.py above)."""
    from .routes import define_standalone

    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "return_statement":
        raise NotPortable("stream_template(...) is ported where it is returned")
    if site.node.text() != "stream_template" or file.bound.get("stream_template") != "flask":
        raise NotPortable("not flask's stream_template called by its name")
    function = enclosing_function(statement)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    text = _template_response(file, call, function, app_folder, flagged, root)
    prefix = f"{TEMPLATES}.TemplateResponse(request, "
    if not text.startswith(prefix):
        raise NotPortable("the template's response is not one the port streams")  # pragma: no cover - built above
    file.use("fastapi.responses", "StreamingResponse")
    file.use("typing", "Any")
    file.use("collections.abc", "Iterator")
    define_standalone(file, STREAM, STREAM_TEXT)
    file.replace(call, f"StreamingResponse({STREAM}({TEMPLATES}, request, {text[len(prefix):-1]}), "
                       'media_type="text/html; charset=utf-8")')
    site.handled = True


def port_made_page(file: PortedFile, site: Site, views: dict[int, Route], app_folder: str | None,
                   flagged: frozenset[str], root: Path | None) -> None:
    """`resp = make_response(render_template(...))`, then headers and cookies set on `resp` and `resp` returned
    (FMA221 with FMA222 inside) -> `resp = templates.TemplateResponse(...)`, an HTMLResponse as Flask's was,
    the headers and cookies set as responses.py sets them on the responses it makes."""
    from . import responses  # the uses of the response: the same checks and edits as make_response's port

    call = site.node if site.node.kind() == "call" else call_of(site.node)
    positional, keywords = arguments(call) if call is not None else ([], {})
    inner = positional[0] if len(positional) == 1 and not keywords else None
    rendered = [s for s in file.sites_in(inner, codes.TEMPLATE) if not s.handled] if inner is not None else []
    if call is None or inner is None or inner.kind() != "call" or not rendered or \
            call_of(rendered[0].node) != inner:
        raise NotPortable("not make_response(render_template(...)) alone")
    function = enclosing_function(call)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    edits = [] if responses._returned(call) is not None else responses._response_uses(file, call)
    try:
        text = _template_response(file, inner, function, app_folder, flagged, root)
    except NotPortable as reason:  # an HTMLResponse too, which the uses below change as they change TemplateResponse
        if not file.memo.get(FLASK_BEHIND):
            raise
        text = _flask_render(file, inner, function, reason)
    file.replace(call, text)
    for node, edit in edits:
        file.replace(node, edit)
    if edits:  # what is changed on it after it is made (FMA236) is rewritten with it, as make_response's port does
        responses._changed_with(file, call)
    rendered[0].handled = True
    site.handled = True
    if text.startswith(f"{FLASK_RENDER}("):
        file.memo.setdefault(FLASK_RENDERED, set()).add(span(rendered[0].node)[0])


def _literal_name(positional: list[SgNode]) -> object:
    """The template's name when it is render_template's one positional argument and a literal; else None."""
    try:
        return literal(positional[0]) if len(positional) == 1 else None
    except ValueError:
        return None


# What each context processor the port defines in a module imports there (each takes the `Request`).
_PROCESSOR_IMPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    URL_FOR: (("typing", "Any"),),
    REQUEST: (("typing", "Any"), ("collections.abc", "Iterator"), ("codecs", "register_error"),
              ("urllib.parse", "parse_qsl"), ("urllib.parse", "quote")),
}


def _define(file: PortedFile, processor: str, text: str) -> None:
    """The context processor `processor` (its definition `text`) defined in the module, with its imports."""
    file.use("fastapi", "Request")
    for module, name in _PROCESSOR_IMPORTS.get(processor, ()):
        file.use(module, name)
    file.definitions.setdefault(processor, text)


def _template_response(file: PortedFile, call: SgNode, function: SgNode, app_folder: str | None,
                       flagged: frozenset[str], root: Path | None) -> str:
    """`templates.TemplateResponse(request, name, context)` for the render_template `call`, with what it needs
    (the view's request parameter, the module's templates, Flask's url_for); NotPortable where it would differ."""
    if app_folder is None:
        raise NotPortable("the Flask app (and so its templates/ folder) was not found")
    positional, keywords, splats = _context_arguments(call)
    name = _literal_name(positional)
    if not isinstance(name, str) or not name.endswith(ESCAPED):
        raise NotPortable("the template is not a literal .html, .htm or .xml name (escaping would differ)")
    folders = template_folders(file, app_folder)
    # templates may read the flashed messages where the bridge keeps Flask's session (port/session.py)
    answered = URL_FOR_CODES | ({FLASHED_MESSAGES.code, SESSION_IN_TEMPLATE.code} if session.session_ready(file)
                                else set()) | {REQUEST_ATTRIBUTE.code}
    g_why = _g_unported(file, root, flagged)
    if not g_why:
        answered |= {G_IN_TEMPLATE.code}
    config_why = _config_unported(file, root, flagged)
    if not config_why:
        answered |= {CONFIG_IN_TEMPLATE.code}
    if login.bridged(file):  # Flask-Login's context processor: the bridge's user_context (port/login.py)
        answered |= {CURRENT_USER.code}
        if "current_user" in keywords:
            raise NotPortable("the view passes current_user itself, where a Starlette context processor would take "
                              "the place of its value (Flask's view wins)")
    if session.session_ready(file) and {"session", "get_flashed_messages"} & set(keywords):
        raise NotPortable("the view passes session or get_flashed_messages itself, where a Starlette context "
                          "processor would take the place of its value (Flask's view wins)")
    if why := _another_module(file, root, flagged, _JINJA_SETUP, "may set up Flask's Jinja environment",
                              "sets up Flask's Jinja environment (filters, globals, tests, context processors or "
                              "an extension's), which the module's templates would not have"):
        raise NotPortable(why)
    if _BLUEPRINT_WIDE.search(file.text):
        raise NotPortable("the module registers app-wide template filters, globals or context processors on a "
                          "Blueprint, which the module's templates would not have (port/jinja_env.py leaves them)")
    # an extension's Blueprint may hold templates outside the project's folders, which Flask's loader finds
    extension = _another_module(file, root, flagged, _EXTENSION_IMPORT, "may use an extension", "uses an extension") \
        or (f"{file.path} uses an extension" if _EXTENSION_IMPORT.search(file.text) else "")
    for template in _reached(root, folders, name, flagged, extension):
        if template in flagged:
            _answered_by_url_for(root, template, answered, g_why, config_why)
    if file.bound.get(TEMPLATES, "") not in ("", "fastapi.templating"):
        raise NotPortable(f"the module already binds the name {TEMPLATES}")
    starlette_request(file, function)
    file.use("fastapi.templating", "Jinja2Templates")
    file.use("pathlib", "Path")
    directory = directory_expression(file, app_folder, folders)
    processors: list[str] = []  # the context processors the templates need, in this order
    if root is not None and any(_calls_url_for(root / str(folder)) for folder in folders):
        if why := urls.url_hooks(root, flagged):
            raise NotPortable(f"a template calls url_for, and {why}")
        urls.define_flask_url(file)
        _define(file, URL_FOR, FLASK_URL_FOR)
        processors.append(URL_FOR)
    for processor, given in ((session.TEMPLATE_FLASHES, "get_flashed_messages"), (session.TEMPLATE_SESSION, "session")):
        if session.session_ready(file) and root is not None and any(_uses_name(root / str(folder), given)
                                                                    for folder in folders):
            file.use(session.MODULE, processor)
            processors.append(processor)
    if login.bridged(file) and root is not None and _uses_name(root / app_folder / TEMPLATES, "current_user"):
        file.use(login.MODULE, login.TEMPLATE_USER)
        processors.append(login.TEMPLATE_USER)
    for processor, given, text in ((REQUEST, "request", FLASK_REQUEST), (G, "g", FLASK_G),
                                   (CONFIG, "config", FLASK_CONFIG)):
        if root is None or not any(_uses_flask(root / str(folder), given) for folder in folders):
            continue
        if given in keywords:
            raise NotPortable(f"the view passes {given} itself, where a Starlette context processor would take the "
                              "place of its value (Flask's view wins)")
        _define(file, processor, text)
        processors.append(processor)
    if splats and processors:
        raise NotPortable(f"the view passes **values, which could hold a name the context processors give "
                          f"({', '.join(processors)}): Starlette's processor would take its place, Flask's view wins")
    listed = f", context_processors=[{', '.join(processors)}]" if processors else ""
    policy = _flask_tojson(file, root, flagged, folders)
    file.definitions[TEMPLATES] = f"{TEMPLATES} = Jinja2Templates(directory={directory}{listed}){policy}"
    if splats:  # dict(), as the call: a name given twice raises TypeError, as render_template's call did
        context = "dict(" + ", ".join([*(f"{k}={file.rendered(v)}" for k, v in keywords.items()),
                                       *(f"**{file.rendered(v)}" for v in splats)]) + ")"
    else:
        context = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    return f"{TEMPLATES}.TemplateResponse(request, {json.dumps(name)}, {context})"


def _context_arguments(call: SgNode) -> tuple[list[SgNode], dict[str, SgNode], list[SgNode]]:
    """render_template's positional arguments, keywords and `**values` (their expressions), in order of the call's
    keywords then splats; NotPortable for `*values`."""
    keywords: dict[str, SgNode] = {}
    positional: list[SgNode] = []
    splats: list[SgNode] = []
    arglist = call.field("arguments")
    for arg in arglist.named_children() if arglist is not None else []:
        if arg.kind() == "keyword_argument":
            keywords[arg.field("name").text()] = arg.field("value")  # type: ignore[union-attr,assignment]
        elif arg.kind() == "dictionary_splat":
            splats.append(arg.named_children()[0])
        elif arg.kind() == "list_splat":
            raise NotPortable("arguments unpacked with * cannot be read statically")
        elif arg.kind() != "comment":
            positional.append(arg)
    return positional, keywords, splats


# What changes how the app's JSON provider writes (app.json set or tuned, a provider class, Flask 2's config keys)
_JSON_SETTINGS = re.compile(r"\.json\s*=[^=]|\.json\.(?:sort_keys|ensure_ascii|compact|default|dumps)\s*=|"
                            r"json_provider_class|JSON_SORT_KEYS|JSON_AS_ASCII")


def _flask_tojson(file: PortedFile, root: Path | None, flagged: frozenset[str], folders: list[PurePosixPath]) -> str:
    """Where a template of the folders uses `tojson`: the line giving the module's Jinja environment Flask's dumps.
    Flask's environment dumps with the app's JSON provider (`policies["json.dumps_function"] = app.json.dumps`:
    dates as HTTP dates, Decimal and UUID as strings, dataclasses as dicts), Jinja's own with json.dumps, which
    refuses them; the same provider's dumps is responses.JSON_HELPER. "" where no template uses tojson."""
    from .responses import _JSON_IMPORTS, JSON_HELPER, JSON_HELPER_TEXT

    if root is None or not any(_uses_name(root / str(folder), "tojson") for folder in folders):
        return ""
    why = _another_module(file, root, flagged, _JSON_SETTINGS, "may change the app's JSON provider",
                          "changes the app's JSON provider, which Flask's tojson filter dumps with")
    if _JSON_SETTINGS.search(file.text):
        why = f"{file.path} changes the app's JSON provider, which Flask's tojson filter dumps with"
    if why:
        raise NotPortable(f"a template uses tojson, and {why}")
    if file.bound.get(JSON_HELPER) not in (None, file.path):
        raise NotPortable(f"a template uses tojson, and the module binds {JSON_HELPER} to something else")
    for module, names in _JSON_IMPORTS:
        file.use(module, *names)
    define_standalone(file, JSON_HELPER, JSON_HELPER_TEXT)
    return f'\n# Flask\'s tojson filter dumps with the app\'s JSON provider\n{TEMPLATES}.env.policies["json.dumps_function"] = ' \
        f"{JSON_HELPER}"


# `{% extends "base.html" %}`, `{% include ... %}`, `{% import ... %}`, `{% from ... import %}`
_REFERENCE = re.compile(r"\{%-?\s*(?:extends|include|import|from)\s+(\S[^%]*?)\s*(?:-?%\}|\s(?:import|as|with|without|ignore)\b)")


def _reached(root: Path | None, folders: list[PurePosixPath], name: str, flagged: frozenset[str],
             extension: str = "") -> list[str]:
    """The templates rendering `name` reads (it, and what it extends, includes or imports, transitively), as
    paths from the project root; NotPortable when a reference is not a literal name while a template of the
    folder has findings (any of them could be the one read)."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        # the first folder that has it, as Jinja's FileSystemLoader searches its list (the first when none has)
        path = next((str(f / current) for f in folders if root is not None and (root / str(f / current)).is_file()),
                    str(folders[0] / current))
        if path in seen:
            continue
        seen.append(path)
        if root is not None and extension and not (root / path).is_file():
            # Flask may find it where the port's loader does not look: an extension's Blueprint (Flask-Bootstrap's
            # bootstrap/base.html); without extensions Jinja fails the render in both frameworks
            raise NotPortable(f"{current} is in none of the project's template folders ({', '.join(map(str, folders))})"
                              f", and {extension}, whose Blueprint Flask may find it in")
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace") if root is not None else ""
        except OSError:
            continue  # Jinja fails the render in both frameworks
        for reference in _REFERENCE.findall(text):
            try:
                referenced = ast.literal_eval(reference.strip())
            except (ValueError, SyntaxError):
                referenced = None
            if isinstance(referenced, str):
                todo.append(referenced)
            elif any(PurePosixPath(other).is_relative_to(folder) for other in flagged for folder in folders):
                raise NotPortable(f"{path} reads a template by a computed name, and templates of "
                                  f"{', '.join(map(str, folders))} have findings")
    return seen


def _answered_by_url_for(root: Path | None, template: str, answered: frozenset[str] = URL_FOR_CODES,
                         g_why: str = "", config_why: str = "") -> None:
    """NotPortable unless every finding in the template is a `url_for` difference FLASK_URL_FOR answers (or,
    in `answered`, flashed messages or the session the bridge's context processors give, Flask's request
    attributes FLASK_REQUEST gives, reads of `g.name` FLASK_G gives, reads of the app's own config keys
    FLASK_CONFIG gives)."""
    why = f"{template} uses what Starlette's templates do not have (see its findings)"
    try:
        text = (root / template).read_text(encoding="utf-8") if root is not None else None
    except (OSError, UnicodeDecodeError):
        text = None
    if text is None:
        raise NotPortable(why)
    hits, problems = analyze_template(text, template)
    if problems:
        raise NotPortable(why)
    for hit in hits:
        if hit.code == G_IN_TEMPLATE.code and g_why:
            raise NotPortable(f"{template} reads Flask's g, and {g_why}")
        if hit.code == CONFIG_IN_TEMPLATE.code and config_why:
            raise NotPortable(f"{template} reads Flask's config, and {config_why}")
        if hit.code not in answered:
            raise NotPortable(why)
        if hit.code == REQUEST_ATTRIBUTE.code and hit.args.get("attribute") not in REQUEST_GIVEN:
            raise NotPortable(f"{template} reads request.{hit.args.get('attribute')}, which the port does not give "
                              f"templates as Werkzeug computes it (only {', '.join(sorted(REQUEST_GIVEN))})")
        if hit.code == G_IN_TEMPLATE.code:
            attribute = _G_ATTRIBUTE.match(_after(text, hit.line, hit.column + 1))
            if attribute is None or attribute.group(1) in _G_METHODS:
                raise NotPortable(f"{template}:{hit.line} uses g otherwise than reading g.name, which "
                                  "request.state (Starlette's State) does not do as Flask's g")
        if hit.code == CONFIG_IN_TEMPLATE.code:
            read = _CONFIG_READ.match(_after(text, hit.line, hit.column + len("config")))
            key = read and (read.group(2) or read.group(4) or read.group(5))
            if not key or key in config.FLASK_KEYS:
                raise NotPortable(f"{template}:{hit.line} reads config otherwise than by a literal key of the app's "
                                  "own (Flask has defaults for its keys, which the port's settings has not)")
    for hit in hits:
        endpoint, arguments = hit.args.get("endpoint", ""), hit.args.get("arguments", "")
        # `a=, _anchor=`: the names given that are not path parameters (urls.FLASK_URL adds _anchor as Flask does)
        options = [n for n in arguments.strip("`").split(", ") if n.startswith("_") and n != "_anchor="]
        if endpoint == "<computed>" or "**" in arguments \
                or options or (hit.code == STATIC_FILENAME.code and endpoint != repr("static")):
            raise NotPortable(f"{template}: url_for({endpoint}, ...) depends on Flask's request context "
                              "(a computed endpoint, underscore options or ** values)")


def _after(text: str, line: int, column: int) -> str:
    """The text from 1-based `line` and `column` (where a template token ends) on."""
    lines = text.split("\n")
    return "\n".join([lines[line - 1][column - 1:], *lines[line:]]) if 0 < line <= len(lines) else ""


def _g_unported(file: PortedFile, root: Path | None, flagged: frozenset[str]) -> str:
    """Why a template's `g` would not be the request's state Flask's g was ("" when it is): a `g` of this module
    the port did not rewrite, or another module of the project using Flask's g (its writes stay Flask's)."""
    if any(not site.handled for site in file.sites_of(codes.G)):
        return f"{file.path} keeps a use of g the port does not rewrite to request.state"
    return _another_module(file, root, flagged, _FLASK_G_IMPORT, "may use Flask's g",
                           "uses Flask's g too, whose values would not reach request.state")


def _config_unported(file: PortedFile, root: Path | None, flagged: frozenset[str]) -> str:
    """Why a template's `config` would not hold what Flask's did ("" when it would): the module's config did not
    port to `settings` (port/config.py), or another module of the project uses a config (it could set keys)."""
    if config.NAME not in file.definitions:
        return f"{file.path}'s app.config is not ported to {config.NAME}"
    return _another_module(file, root, flagged, _FLASK_CONFIG_USE, "may set config keys",
                           f"uses a config too, whose keys would not reach {config.NAME}")


def _another_module(file: PortedFile, root: Path | None, flagged: frozenset[str], use: re.Pattern[str],
                    unreadable: str, found: str) -> str:
    """Why another Python module of the project with findings keeps a template's name from being the port's
    ("" when none does): it matches `use`, or cannot be read (then it may)."""
    for path in sorted(flagged):
        if path == file.path or not path.endswith(".py") or root is None:
            continue
        try:
            other = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return f"{path} cannot be read (it {unreadable})"
        if use.search(other):
            return f"{path} {found}"
    return ""


def _uses_flask(folder: Path, given: str) -> bool:
    """True when a template of the folder reads what FLASK_REQUEST (`given` "request"), FLASK_G ("g") or
    FLASK_CONFIG ("config") gives."""
    pattern = {"request": _REQUEST_READ, "g": _G_READ, "config": _CONFIG_USE}[given]
    try:
        return any(pattern.search(path.read_text(encoding="utf-8", errors="replace"))
                   for path in folder.rglob("*") if path.is_file())
    except OSError:
        return True


def _calls_url_for(folder: Path) -> bool:
    """True when a template of the folder (the rendered one, or one it includes or extends) calls url_for."""
    try:
        return any("url_for" in path.read_text(encoding="utf-8", errors="replace")
                   for path in folder.rglob("*") if path.is_file())
    except OSError:
        return True


def _uses_name(folder: Path, name: str) -> bool:
    """True when a template of the folder names `name` (what the bridge's context processors give)."""
    try:
        return any(re.search(rf"\b{name}\b", path.read_text(encoding="utf-8", errors="replace"))
                   for path in folder.rglob("*") if path.is_file())
    except OSError:
        return True


def port_render_text(file: PortedFile, site: Site, views: dict[int, Route], app_folder: str | None,
                     flagged: frozenset[str], root: Path | None) -> None:
    """`render_template(name, **context)` used as text -> `templates.get_template(name).render(context)`."""
    call = call_of(site.node)
    function = enclosing_function(call) if call is not None else None
    if call is None or function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    if app_folder is None or root is None:
        raise NotPortable("the Flask app (and so its templates/ folder) was not found")
    positional, keywords = arguments(call)
    name = _literal_name(positional)
    if not isinstance(name, str) or name.endswith(FLASK_ONLY_ESCAPED):
        raise NotPortable("the template is not a literal name that Flask and Starlette escape alike")
    folders = template_folders(file, app_folder)
    for folder in folders:
        if any(PurePosixPath(path).is_relative_to(folder) for path in flagged):
            raise NotPortable(f"a template in {folder} has findings (the rendered one may include it)")
    if any(_uses_flask_context(root / str(folder)) for folder in folders):
        raise NotPortable("a template reads what Flask adds to every context (request, g, url_for...), which a "
                          "render without a request does not have")
    if file.bound.get(TEMPLATES, "") not in ("", "fastapi.templating"):
        raise NotPortable(f"the module already binds the name {TEMPLATES}")
    file.use("fastapi.templating", "Jinja2Templates")
    file.use("pathlib", "Path")
    directory = directory_expression(file, app_folder, folders)
    file.definitions.setdefault(TEMPLATES, f"{TEMPLATES} = Jinja2Templates(directory={directory})")
    context = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    file.replace(call, f"{TEMPLATES}.get_template({json.dumps(name)}).render({context})")
    site.handled = True


def _uses_flask_context(folder: Path) -> bool:
    try:
        return any(FLASK_CONTEXT.search(path.read_text(encoding="utf-8", errors="replace"))
                   for path in folder.rglob("*") if path.is_file())
    except OSError:
        return True
