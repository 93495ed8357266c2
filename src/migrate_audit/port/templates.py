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
"""
from __future__ import annotations

import json
from pathlib import PurePosixPath

from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .requests import starlette_request
from .routes import Route, arguments, call_of

ESCAPED = (".html", ".htm", ".xml")  # where Flask and Starlette both autoescape
TEMPLATES = "templates"  # the module-level name the port defines


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
                flagged: frozenset[str]) -> None:
    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "return_statement":
        raise NotPortable("render_template(...) is ported where it is returned")
    function = enclosing_function(statement)
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    if app_folder is None:
        raise NotPortable("the Flask app (and so its templates/ folder) was not found")
    positional, keywords = arguments(call)
    try:
        name = literal(positional[0]) if len(positional) == 1 else None
    except ValueError:
        name = None
    if not isinstance(name, str) or not name.endswith(ESCAPED):
        raise NotPortable("the template is not a literal .html, .htm or .xml name (escaping would differ)")
    template = str(PurePosixPath(app_folder) / TEMPLATES / name)
    if template in flagged:
        raise NotPortable(f"{template} uses what Starlette's templates do not have (see its findings)")
    if file.bound.get(TEMPLATES, "") not in ("", "fastapi.templating"):
        raise NotPortable(f"the module already binds the name {TEMPLATES}")
    starlette_request(file, function)
    file.use("fastapi.templating", "Jinja2Templates")
    file.use("pathlib", "Path")
    directory = folder_expression(file, app_folder, TEMPLATES)
    file.definitions[TEMPLATES] = f"{TEMPLATES} = Jinja2Templates(directory={directory})"
    context = "{" + ", ".join(f"{json.dumps(k)}: {file.rendered(v)}" for k, v in keywords.items()) + "}"
    file.replace(call, f"{TEMPLATES}.TemplateResponse(request, {json.dumps(name)}, {context})")
    site.handled = True
