"""FMA6xx: Jinja templates. What Flask injects into every template and FastAPI's `Jinja2Templates` does
not (it adds only `request`, which the endpoint passes, and a `url_for` global that calls
`request.url_for(name, **path_params)`), or what behaves differently there.

The template reader (`filekinds/templates.py`) lexes each template and hands the names it reads from its
context to the matchers here. Suppress a finding with a Jinja comment on its line: `{# noqa: FMA601 #}`
or `{# migrate-audit: ignore[FMA601] #}`.
"""
from __future__ import annotations

import ast
from typing import Iterator

from ..filekinds._base import FileHit
from ..filekinds.templates import TemplateFacts, Token, call_arguments
from ..registry import on_text, rule
from ._common import FASTAPI, FLASK, STARLETTE

_TEMPLATES = f"{FASTAPI}/advanced/templates/"
_STARLETTE_TEMPLATES = f"{STARLETTE}/templates/"
_CONTEXT = f"{FLASK}/templating/#standard-context"
_PROCESSORS = ("pass it in the context, or add it for every template with "
               "`Jinja2Templates(directory=..., context_processors=[...])`")

STATIC_FILENAME = rule(
    "FMA601", "template-static-url-filename", "Static URL built with `filename=` in a template",
    "`url_for({endpoint}, filename=...)`: Starlette's static route takes `path=`",
    "`url_for('static', path=...)` with `app.mount('/static', StaticFiles(directory=...), name='static')`",
    "mandatory", 1, "direct",
    rationale="Starlette's `StaticFiles` mount names its path parameter `path`; `filename=` raises "
    "`NoMatchFound` when the template renders.",
    links=(_TEMPLATES, f"{FASTAPI}/tutorial/static-files/"),
)

DOTTED_ENDPOINT = rule(
    "FMA602", "template-blueprint-endpoint", "Blueprint-qualified endpoint in a template `url_for`",
    "`url_for('{endpoint}')` names a Blueprint endpoint",
    "route names are flat in FastAPI (the function name); keep the template as is by naming the route: "
    "`@router.get(..., name='{endpoint}')`",
    "mandatory", 1, "partial",
    rationale="Flask prefixes endpoints with the Blueprint name (`catalog.index`) and resolves `.index` "
    "relative to the current Blueprint. An `APIRouter` adds no prefix to route names.",
    links=(_TEMPLATES, f"{FASTAPI}/tutorial/bigger-applications/"),
)

URL_FOR_ARGUMENTS = rule(
    "FMA603", "template-url-for-arguments", "Template `url_for` with keyword arguments or a computed endpoint",
    "`url_for({endpoint}, ...)` passes {arguments}: Starlette accepts exactly the route's path parameters",
    "pass only path parameters; add query parameters with `url_for(...).include_query_params(...)`; "
    "`_external`, `_anchor` and `_scheme` have no equivalent (Starlette's `url_for` returns an absolute URL)",
    "potential", 1, "partial",
    rationale="Flask appends keyword arguments that are not path parameters as a query string. Starlette "
    "raises `NoMatchFound` for them, at render time, only on the page that uses them. Check each one "
    "against the route.",
    links=(_TEMPLATES, f"{STARLETTE}/routing/#reverse-url-lookups"),
)

FLASHED_MESSAGES = rule(
    "FMA604", "template-flashed-messages", "Flashed messages read in a template",
    "`get_flashed_messages()` is not available in FastAPI templates",
    "a `get_flashed_messages` context processor on `Jinja2Templates(context_processors=[...])` that reads the "
    "session-backed flash list (starlette-flash's `get_messages_for_template`, or your own)",
    "mandatory", 1, "partial",
    rationale="`Jinja2Templates` does not inject Flask's `get_flashed_messages`; a context processor over the "
    "session-backed list does, and keeps the templates unchanged. starlette-flash hands templates `{\"category\", "
    "\"message\"}` dicts instead of tuples, so with it the template loop changes.",
    links=(f"{FASTAPI}/advanced/templates/", f"{STARLETTE}/templates/#context-processors",
           f"{FLASK}/patterns/flashing/"),
)

G_IN_TEMPLATE = rule(
    "FMA605", "template-flask-g", "Flask `g` read in a template",
    "`g` is not injected into FastAPI templates",
    "`request.state` (the template has `request`), or " + _PROCESSORS,
    "mandatory", 1, "partial",
    rationale="Flask puts `g` in every template context; `Jinja2Templates` does not.",
    links=(_TEMPLATES, _CONTEXT),
)

SESSION_IN_TEMPLATE = rule(
    "FMA606", "template-flask-session", "Flask `session` read in a template",
    "`session` is not injected into FastAPI templates",
    "`request.session` with `SessionMiddleware` (the cookie format differs: users are logged out once)",
    "mandatory", 1, "partial",
    rationale="Flask puts `session` in every template context; Starlette keeps it on `request.session`, "
    "and only when `SessionMiddleware` is installed.",
    links=(_TEMPLATES, f"{STARLETTE}/middleware/#sessionmiddleware"),
)

REQUEST_ATTRIBUTE = rule(
    "FMA607", "template-request-attribute", "Flask-only `request` attribute in a template",
    "`request.{attribute}` does not exist on Starlette's Request",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale="The template context has Starlette's `Request`, whose attributes differ from Werkzeug's: "
    "`url`, `headers`, `cookies`, `method`, `query_params`, `path_params`, `client`, `session`, `state`.",
    links=(f"{STARLETTE}/requests/", _TEMPLATES),
)

CONFIG_IN_TEMPLATE = rule(
    "FMA608", "template-flask-config", "Flask `config` read in a template",
    "`config` is not injected into FastAPI templates",
    "a settings object (pydantic-settings) added to `templates.env.globals`, or " + _PROCESSORS,
    "mandatory", 1, "partial",
    rationale="Flask puts the app's `config` in every template context; FastAPI has no app config object.",
    links=(_TEMPLATES, f"{FASTAPI}/advanced/settings/"),
)

CURRENT_USER = rule(
    "FMA609", "template-current-user", "Flask-Login `current_user` read in a template",
    "`current_user` (Flask-Login) is not injected into FastAPI templates",
    "the user from a `get_current_user` dependency passed in the context, or `request.user` with "
    "Starlette's `AuthenticationMiddleware`",
    "mandatory", 1, "partial",
    rationale="Flask-Login's context processor adds `current_user`; nothing does in FastAPI.",
    links=(_TEMPLATES, f"{STARLETTE}/authentication/"),
)

CSRF = rule(
    "FMA610", "template-flask-wtf-csrf", "Flask-WTF CSRF token rendered in a template",
    "`{call}` comes from Flask-WTF",
    "starlette-wtf (`StarletteForm`, `CSRFProtectMiddleware`, `csrf_token(request)`) or "
    "fastapi-csrf-protect; pure JSON APIs need no form CSRF",
    "mandatory", 1, "partial",
    rationale="Flask-WTF adds the `csrf_token()` global and `FlaskForm.hidden_tag()`; both need a "
    "replacement that stores the token in Starlette's session.",
    links=("https://github.com/muicss/starlette-wtf", _TEMPLATES),
)

I18N = rule(
    "FMA611", "template-flask-babel-gettext", "Flask-Babel gettext functions in a template",
    "{count} gettext call(s) or `trans` block(s) rely on Flask-Babel's Jinja setup",
    "enable `jinja2.ext.i18n` on `templates.env` and install the translations per request (starlette-babel "
    "or fastapi-babel); the .po/.mo catalogs are reusable",
    "mandatory", 1, "partial",
    rationale="Flask-Babel installs `_`, `gettext` and `ngettext` into the Jinja environment and picks "
    "the locale per request. One finding per template: the calls themselves stay as they are.",
    links=("https://jinja.palletsprojects.com/en/stable/extensions/#i18n-extension", _TEMPLATES),
)


# --- the matchers: what each rule reads of a template ---------------------------------------------

@on_text("template", STATIC_FILENAME, DOTTED_ENDPOINT, URL_FOR_ARGUMENTS)
def _url_for(template: TemplateFacts) -> Iterator[FileHit]:
    for i in template.uses("url_for"):
        yield from _url_for_call(template.tokens, i, template.path_parameters)


def _url_for_call(tokens: list[Token], i: int, path_parameters: frozenset[str] | None) -> Iterator[FileHit]:
    name = tokens[i]
    if i + 1 >= len(tokens) or tokens[i + 1].value != "(":
        return
    args, _ = call_arguments(tokens, i + 1)
    positional = [a for a in args if not (len(a) > 1 and a[0].kind == "name" and a[1].value == "=")
                  and a[0].value not in ("*", "**")]
    keywords = [a[0] for a in args if len(a) > 1 and a[0].kind == "name" and a[1].value == "="]
    splats = [a[0] for a in args if a[0].value in ("*", "**")]
    endpoint_tokens = positional[0] if positional else []
    endpoint = None
    if len(endpoint_tokens) == 1 and endpoint_tokens[0].kind == "string":
        try:
            endpoint = ast.literal_eval(endpoint_tokens[0].value)
        except (ValueError, SyntaxError):
            endpoint = None
    is_static = isinstance(endpoint, str) and (endpoint == "static" or endpoint.endswith(".static"))
    extra = []
    for keyword in keywords:
        if is_static and keyword.value == "filename":
            yield FileHit(STATIC_FILENAME.code, keyword.line, keyword.column, {"endpoint": repr(endpoint)})
        elif is_static and keyword.value == "path":
            continue  # already Starlette's spelling
        elif path_parameters is None or keyword.value not in path_parameters:
            extra.append(keyword.value)  # not a path parameter of any route the project declares
    if isinstance(endpoint, str) and "." in endpoint and not is_static:
        tok = endpoint_tokens[0]
        yield FileHit(DOTTED_ENDPOINT.code, tok.line, tok.column + 1, {"endpoint": endpoint})
    if extra or splats or (positional and endpoint is None):
        described = ", ".join([f"{k}=" for k in extra] + ["**..." for _ in splats])
        what = f"`{described}`" if described else "a computed endpoint"
        yield FileHit(URL_FOR_ARGUMENTS.code, name.line, name.column,
                      {"endpoint": repr(endpoint) if endpoint is not None else "<computed>", "arguments": what})


@on_text("template", FLASHED_MESSAGES)
def _flashed_messages(template: TemplateFacts) -> Iterator[FileHit]:
    for i in template.uses("get_flashed_messages"):
        token = template.tokens[i]
        yield FileHit(FLASHED_MESSAGES.code, token.line, token.column)


# Flask's template globals that FastAPI's templates lack, each a rule of its own.
_GLOBALS = {"g": G_IN_TEMPLATE, "session": SESSION_IN_TEMPLATE, "config": CONFIG_IN_TEMPLATE,
            "current_user": CURRENT_USER}


@on_text("template", *_GLOBALS.values())
def _flask_globals(template: TemplateFacts) -> Iterator[FileHit]:
    for name, rule_ in _GLOBALS.items():
        if name in template.context_names:
            continue  # the project passes it to its render calls itself
        for i in template.uses(name):
            token = template.tokens[i]
            yield FileHit(rule_.code, token.line, token.column)


# Flask `request` attributes that Starlette's Request lacks or spells differently -> what to write.
REQUEST_ATTRIBUTES = {
    "args": "`request.query_params`",
    "form": "the form data read in the endpoint (`await request.form()`) and passed to the template",
    "files": "the uploads read in the endpoint and passed to the template",
    "values": "`request.query_params` and the form data, merged by hand",
    "json": "the body parsed in the endpoint and passed to the template",
    "data": "the body read in the endpoint (`await request.body()`)",
    "endpoint": "`request.scope['route'].name`",
    "view_args": "`request.path_params`",
    "url_rule": "`request.scope['route']`",
    "blueprint": "the router's tags or prefix (no Blueprint name exists)",
    "path": "`request.url.path`",
    "full_path": "`request.url.path` plus `request.url.query`",
    "script_root": "`request.scope['root_path']`",
    "url_root": "`request.base_url`",
    "host_url": "`request.base_url`",
    "base_url": "`request.url.replace(query='')` (Starlette's `base_url` is the app's root URL)",
    "host": "`request.url.netloc`",
    "scheme": "`request.url.scheme`",
    "is_secure": "`request.url.scheme == 'https'`",
    "remote_addr": "`request.client.host`",
    "access_route": "`request.headers.get('x-forwarded-for')`",
    "referrer": "`request.headers.get('referer')`",
    "user_agent": "`request.headers.get('user-agent')`",
    "accept_languages": "the parsed `accept-language` header",
    "accept_mimetypes": "the parsed `accept` header",
    "mimetype": "`request.headers.get('content-type')`",
    "is_json": "a check of `request.headers.get('content-type')`",
    "environ": "`request.scope`",
    "authorization": "a security dependency's result passed to the template",
}


@on_text("template", REQUEST_ATTRIBUTE)
def _request_attributes(template: TemplateFacts) -> Iterator[FileHit]:
    tokens = template.tokens
    for i in template.uses("request"):
        if i + 2 < len(tokens) and tokens[i + 1].value == ".":
            attribute = tokens[i + 2].value
            if attribute in REQUEST_ATTRIBUTES:
                yield FileHit(REQUEST_ATTRIBUTE.code, tokens[i].line, tokens[i].column,
                              {"attribute": attribute, "counterpart": REQUEST_ATTRIBUTES[attribute]})


@on_text("template", CSRF)
def _csrf(template: TemplateFacts) -> Iterator[FileHit]:
    for i in template.method_calls.get("hidden_tag", []):
        yield FileHit(CSRF.code, template.tokens[i].line, template.tokens[i].column, {"call": "form.hidden_tag()"})
    for i in template.uses("csrf_token"):
        if template.is_called(i):
            yield FileHit(CSRF.code, template.tokens[i].line, template.tokens[i].column, {"call": "csrf_token()"})


_I18N_FUNCTIONS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext"})


@on_text("template", I18N)
def _i18n(template: TemplateFacts) -> Iterator[FileHit]:
    """One finding per template, at its first gettext call or `trans` block, counting them all."""
    uses = sorted([*template.tags.get("trans", []),
                   *(i for name in _I18N_FUNCTIONS for i in template.uses(name) if template.is_called(i))])
    if uses:
        first = template.tokens[uses[0]]
        yield FileHit(I18N.code, first.line, first.column, {"count": str(len(uses))})
