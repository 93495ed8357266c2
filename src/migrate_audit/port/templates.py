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
  them Flask's instead, through a context processor (FLASK_URL_FOR): the path under the root path, values
  quoted as Werkzeug's converters quote them, the values that are not path parameters in the query string
  as Werkzeug encodes it, `filename=` for the static mount. So a template whose only findings are those
  `url_for` differences (FMA601-603) ports too, unless a call names a relative (`.name`) or another
  Blueprint's static endpoint, passes `_external`/`_anchor`-style options or `**` values, or computes the
  endpoint: those Flask resolves from its request context.
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
from pathlib import Path, PurePosixPath

from ..filekinds.templates import analyze_template
from ..rules.templates import DOTTED_ENDPOINT, FLASHED_MESSAGES, SESSION_IN_TEMPLATE, STATIC_FILENAME, URL_FOR_ARGUMENTS

from ast_grep_py import SgNode

from . import codes, session
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .requests import starlette_request
from .routes import Route, arguments, call_of

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
    """Flask's template `url_for`: the path (Starlette's is the absolute URL), `filename=` for static files,
    values that are not the route's path parameters in the query string."""

    def url_for(endpoint: str, **values: object) -> str:
        if endpoint == "static" and "filename" in values:
            values["path"] = values.pop("filename")
        for size in range(len(values), -1, -1):  # the route's path parameters: the most values it builds with
            for names in combinations(values, size):
                params = {{k: quote(str(values[k]), safe="!$&'()*+,/:;=@") for k in names}}
                try:
                    path = request.app.url_path_for(endpoint, **params)
                except NoMatchFound:
                    continue
                query = [(k, item) for k, v in values.items() if k not in params
                         for item in (v if isinstance(v, (list, tuple, set)) else [v]) if item is not None]
                url = request.scope.get("root_path", "") + path
                return url + ("?" + urlencode(query, safe="!$'()*,/:;?@") if query else "")
        raise NoMatchFound(endpoint, values)

    return {{"url_for": url_for}}

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
    if call is None or statement is None or statement.kind() != "return_statement":
        raise NotPortable("render_template(...) is ported where it is returned")
    function = enclosing_function(statement)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    file.replace(call, _template_response(file, call, function, app_folder, flagged, root))
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
    text = _template_response(file, inner, function, app_folder, flagged, root)
    file.replace(call, text)
    for node, edit in edits:
        file.replace(node, edit)
    if edits:  # what is changed on it after it is made (FMA236) is rewritten with it, as make_response's port does
        responses._changed_with(file, call)
    rendered[0].handled = True
    site.handled = True


def _literal_name(positional: list[SgNode]) -> object:
    """The template's name when it is render_template's one positional argument and a literal; else None."""
    try:
        return literal(positional[0]) if len(positional) == 1 else None
    except ValueError:
        return None

def _template_response(file: PortedFile, call: SgNode, function: SgNode, app_folder: str | None,
                       flagged: frozenset[str], root: Path | None) -> str:
    """`templates.TemplateResponse(request, name, context)` for the render_template `call`, with what it needs
    (the view's request parameter, the module's templates, Flask's url_for); NotPortable where it would differ."""
    if app_folder is None:
        raise NotPortable("the Flask app (and so its templates/ folder) was not found")
    positional, keywords = arguments(call)
    name = _literal_name(positional)
    if not isinstance(name, str) or not name.endswith(ESCAPED):
        raise NotPortable("the template is not a literal .html, .htm or .xml name (escaping would differ)")
    folder = PurePosixPath(app_folder) / TEMPLATES
    # templates may read the flashed messages where the bridge keeps Flask's session (port/session.py)
    answered = URL_FOR_CODES | ({FLASHED_MESSAGES.code, SESSION_IN_TEMPLATE.code} if session.session_ready(file)
                                else set())
    if session.session_ready(file) and {"session", "get_flashed_messages"} & set(keywords):
        raise NotPortable("the view passes session or get_flashed_messages itself, where a Starlette context "
                          "processor would take the place of its value (Flask's view wins)")
    for template in _reached(root, folder, name, flagged):
        if template in flagged:
            _answered_by_url_for(root, template, answered)
    if file.bound.get(TEMPLATES, "") not in ("", "fastapi.templating"):
        raise NotPortable(f"the module already binds the name {TEMPLATES}")
    starlette_request(file, function)
    file.use("fastapi.templating", "Jinja2Templates")
    file.use("pathlib", "Path")
    directory = folder_expression(file, app_folder, TEMPLATES)
    processors = ""
    if root is not None and _calls_url_for(root / app_folder / TEMPLATES):
        file.use("fastapi", "Request")
        file.use("urllib.parse", "quote")
        file.use("urllib.parse", "urlencode")
        file.use("itertools", "combinations")
        file.use("starlette.routing", "NoMatchFound")
        file.definitions.setdefault(URL_FOR, FLASK_URL_FOR)
        processors = f", context_processors=[{URL_FOR}]"
    for processor, given in ((session.TEMPLATE_FLASHES, "get_flashed_messages"), (session.TEMPLATE_SESSION, "session")):
        if session.session_ready(file) and root is not None and _uses_name(root / app_folder / TEMPLATES, given):
            file.use(session.MODULE, processor)
            processors = (processors[:-1] + ", " if processors else ", context_processors=[") + processor + "]"
    file.definitions[TEMPLATES] = f"{TEMPLATES} = Jinja2Templates(directory={directory}{processors})"
    context = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    return f"{TEMPLATES}.TemplateResponse(request, {json.dumps(name)}, {context})"


# `{% extends "base.html" %}`, `{% include ... %}`, `{% import ... %}`, `{% from ... import %}`
_REFERENCE = re.compile(r"\{%-?\s*(?:extends|include|import|from)\s+(\S[^%]*?)\s*(?:-?%\}|\s(?:import|as|with|without|ignore)\b)")


def _reached(root: Path | None, folder: PurePosixPath, name: str, flagged: frozenset[str]) -> list[str]:
    """The templates rendering `name` reads (it, and what it extends, includes or imports, transitively), as
    paths from the project root; NotPortable when a reference is not a literal name while a template of the
    folder has findings (any of them could be the one read)."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        path = str(folder / current)
        if path in seen:
            continue
        seen.append(path)
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
            elif any(PurePosixPath(other).is_relative_to(folder) for other in flagged):
                raise NotPortable(f"{path} reads a template by a computed name, and templates of {folder} have "
                                  "findings")
    return seen


def _answered_by_url_for(root: Path | None, template: str, answered: frozenset[str] = URL_FOR_CODES) -> None:
    """NotPortable unless every finding in the template is a `url_for` difference FLASK_URL_FOR answers (or,
    in `answered`, flashed messages the bridge's context processor gives)."""
    why = f"{template} uses what Starlette's templates do not have (see its findings)"
    try:
        text = (root / template).read_text(encoding="utf-8") if root is not None else None
    except (OSError, UnicodeDecodeError):
        text = None
    if text is None:
        raise NotPortable(why)
    hits, problems = analyze_template(text, template)
    if problems or any(hit.code not in answered for hit in hits):
        raise NotPortable(why)
    for hit in hits:
        endpoint, arguments = hit.args.get("endpoint", ""), hit.args.get("arguments", "")
        if endpoint.strip("'\"").startswith(".") or endpoint == "<computed>" or "**" in arguments \
                or "`_" in arguments or ", _" in arguments or (hit.code == STATIC_FILENAME.code and endpoint != repr("static")):
            raise NotPortable(f"{template}: url_for({endpoint}, ...) depends on Flask's request context "
                              "(a relative or computed endpoint, underscore options or ** values)")


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
    folder = PurePosixPath(app_folder) / TEMPLATES
    if any(PurePosixPath(path).is_relative_to(folder) for path in flagged):
        raise NotPortable(f"a template in {folder} has findings (the rendered one may include it)")
    if _uses_flask_context(root / str(folder)):
        raise NotPortable("a template reads what Flask adds to every context (request, g, url_for...), which a "
                          "render without a request does not have")
    if file.bound.get(TEMPLATES, "") not in ("", "fastapi.templating"):
        raise NotPortable(f"the module already binds the name {TEMPLATES}")
    file.use("fastapi.templating", "Jinja2Templates")
    file.use("pathlib", "Path")
    directory = folder_expression(file, app_folder, TEMPLATES)
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
