"""FMA6xx: Jinja templates. What Flask injects into every template and FastAPI's `Jinja2Templates` does
not (it adds only `request`, which the endpoint passes, and a `url_for` global that calls
`request.url_for(name, **path_params)`), or what behaves differently there.

The template reader lives in `filekinds/templates.py`. Suppress a finding with a Jinja comment on its
line: `{# noqa: FMA601 #}` or `{# migrate-audit: ignore[FMA601] #}`.
"""
from __future__ import annotations

from ..registry import rule
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
    "a session-based flash helper (e.g. starlette-flash) exposed through a context processor",
    "mandatory", 1, "none",
    rationale="FastAPI has no message flashing; the helper and its session storage must be provided.",
    links=(_TEMPLATES, f"{FLASK}/patterns/flashing/"),
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
