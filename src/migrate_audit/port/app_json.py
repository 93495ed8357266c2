"""`app.json.sort_keys = ...` (and `ensure_ascii`, `compact`): Flask's JSON responses, written as Flask wrote them.

Flask turns every dict or list a view returns (and every `jsonify`) into a response through `app.json.response`
(flask/json/provider.py, DefaultJSONProvider, 3.1): `json.dumps(obj, default=..., ensure_ascii=..., sort_keys=...)`
with `separators=(",", ":")` (compact, the default out of debug mode) or `indent=2` (`compact = False`, or
debug mode with `compact` left at None), then a newline, as `application/json`. FastAPI hands what a view returns
to the app's `default_response_class`, also for the routes of the routers it includes, so a `JSONResponse`
subclass whose `render` makes the same call answers the same bytes (`FlaskJSONResponse`), and the statements
that configured the provider go.

Only where that class is the one every JSON response goes through, else the sites stay with their TODO:
- each `app.json` of the file is such an assignment at the top of the module, of a literal of the attribute's
  type, on the app the file makes and the port converts (`FastAPI(default_response_class=...)`);
- no module of the project but this one has findings (a Blueprint's module could build responses of its own),
  and no rewrite of this file builds a `JSONResponse` itself (`jsonify` with a status, a tuple), which would
  not be sorted;
- `compact` is given, or the file never mentions debug mode: with `compact` left at None Flask indents in debug
  mode (`app.debug`, `FLASK_DEBUG`), which the written class does not follow.
Values the standard json module refuses are not the class's concern: FastAPI's `jsonable_encoder` turns them into
JSON types before `render` (a `datetime` in ISO format where Flask wrote an HTTP date), as for any ported view.
"""
from __future__ import annotations

import re

from ast_grep_py import SgNode

from ..rules.application import APP_ATTRIBUTE
from ..rules.silent_changes import JSON_KEY_ORDER
from . import codes
from .edits import NotPortable, PortedFile, Site, literal
from .routes import call_of

RESPONSE = "FlaskJSONResponse"
# the provider attributes the class follows, with the type of the value they take (compact: None too)
ATTRIBUTES = {"sort_keys": bool, "ensure_ascii": bool, "compact": bool}
DEFAULTS = {"sort_keys": True, "ensure_ascii": True, "compact": None}
_DEBUG = re.compile(r"debug", re.IGNORECASE)


def port_app_json(file: PortedFile, apps: set[str], flagged: frozenset[str]) -> None:
    """Rewrite the file's `app.json.<attribute> = literal` statements into `FlaskJSONResponse`, or leave every
    one of them with its TODO and why."""
    sites = [site for site in file.sites_of(APP_ATTRIBUTE.code) if site.node.text().split(".")[-1] == "json"]
    if not sites:
        return
    try:
        settings, statements = _read(file, sites, apps)
        made = _app_call(file, apps)
        if any(path != file.path and path.endswith(".py") for path in flagged):
            raise NotPortable("other modules of the project have findings: their responses may not go through "
                              "the app's default response class")
        if "JSONResponse" in file.imports.get("fastapi.responses", set()):
            raise NotPortable("a rewrite of this file builds a JSONResponse itself, which would not follow app.json")
        if "compact" not in settings and _DEBUG.search(file.text):
            raise NotPortable("with compact left at None Flask indents JSON in debug mode, which the file mentions")
        rendered = file.rendered(made)
        if not rendered.endswith(")") or "(" not in rendered or "default_response_class" in rendered:
            raise NotPortable(f"the app is made as {rendered}, which the port does not add a response class to")
    except NotPortable as reason:
        for site in sites:
            site.reason = site.reason or str(reason)
            file.todo(site, f"{site.advice} (not ported: {reason})")
        return
    values = {**DEFAULTS, **settings}
    layout = 'indent=2' if values["compact"] is False else 'separators=(",", ":")'
    file.use("fastapi.responses", "JSONResponse")
    file.use("typing", "Any")
    file.use("json", "dumps")
    file.definitions[RESPONSE] = (
        f"class {RESPONSE}(JSONResponse):\n"
        f'    """The JSON responses Flask\'s provider made, as app.json was set: {_described(settings)}."""\n\n'
        f"    def render(self, content: Any) -> bytes:\n"
        f'        text = dumps(content, ensure_ascii={values["ensure_ascii"]}, sort_keys={values["sort_keys"]}, '
        f'{layout})\n'  # one call a line: port/layout.py splits it as ruff would when it is too long
        f'        return (text + "\\n").encode("utf-8")\n')
    inside = rendered[rendered.index("(") + 1:-1].strip()
    file.replace(made, f"{rendered[:rendered.index('(')]}({inside + ', ' if inside else ''}"
                       f"default_response_class={RESPONSE})")
    for statement in statements:
        file.delete_statement(statement)
        for site in file.sites_in(statement):
            if site.code in (APP_ATTRIBUTE.code, JSON_KEY_ORDER.code):
                site.handled = True


def _read(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[dict[str, bool | None], list[SgNode]]:
    settings: dict[str, bool | None] = {}
    statements = []
    for site in sites:
        node = site.node  # `app.json`
        owner = node.field("object") if node.kind() == "attribute" else None
        if owner is None or owner.text() not in apps:
            raise NotPortable(f"{node.text()} is not on the app this module makes")
        attribute = node.parent()
        assignment = attribute.parent() if attribute is not None else None
        if attribute is None or attribute.kind() != "attribute" or assignment is None \
                or assignment.kind() != "assignment" or assignment.field("left") != attribute:
            raise NotPortable(f"{node.text()} is used otherwise than by setting one of its attributes")
        name = attribute.field("attribute").text()  # type: ignore[union-attr]
        if name not in ATTRIBUTES:
            raise NotPortable(f"app.json.{name} is not one the port writes a response class for")
        statement = assignment.parent()
        if statement is None or statement.kind() != "expression_statement" or statement.parent() is None \
                or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable(f"app.json.{name} is set outside the top of the module")
        try:
            value = literal(assignment.field("right"))
        except ValueError:
            raise NotPortable(f"app.json.{name} is not set to a literal") from None
        if not isinstance(value, ATTRIBUTES[name]) and not (name == "compact" and value is None):
            raise NotPortable(f"app.json.{name} = {value!r} is not a {ATTRIBUTES[name].__name__}")
        settings[name] = value
        statements.append(statement)
    return settings, statements


def _app_call(file: PortedFile, apps: set[str]) -> SgNode:
    """The `Flask(__name__)` call of the file's one app, which the port rewrote to `FastAPI(...)`."""
    made = [site for site in file.sites_of(codes.APP) if call_of(site.node) is not None]
    if len(made) != 1 or not made[0].handled:
        raise NotPortable("the app this module makes does not become a FastAPI app")
    return call_of(made[0].node)  # type: ignore[return-value]


def _described(settings: dict[str, bool | None]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in sorted(settings.items()))
