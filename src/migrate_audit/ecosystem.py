"""The Flask ecosystem catalogue: one record per extension, the single source for extension rules,
the report's extension table and the dependency rules.

The catalogue declares rules FMA301-336: a record's first field is its rule's code, and this module is
the only one that spells those codes (rules/extensions.py registers one rule per record, with
`declared_in` naming this module). It is data outside the rules package because the flake8 plugin reads
it (which modules are interesting) on every lint without loading any rule. Adding an extension is adding
a record here and a case to tests/fixtures/rules/extensions*.py.

Versions and health notes are a snapshot (late 2026) of each counterpart's release history; they are
advice to re-check, not facts that never change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FASTAPI = "https://fastapi.tiangolo.com"
STARLETTE = "https://www.starlette.io"


@dataclass(frozen=True)
class Extension:
    code: str  # the FMA3xx rule flagging its import
    distribution: str  # PyPI name, as the project spells it
    modules: tuple[str, ...]  # top-level import names
    counterpart: str
    counterpart_distributions: tuple[str, ...]
    verdict: str
    effort: int
    health: str  # the counterpart's maintenance state
    links: tuple[str, ...]
    note: str = ""  # what differs, what has no equivalent
    classes: tuple[str, ...] = ()  # classes whose instances resolution follows (`db = SQLAlchemy()`)

    @property
    def name_key(self) -> str:
        return normalize_distribution(self.distribution)


def normalize_distribution(name: str) -> str:
    """PEP 503 normalisation, plus `flask.login` spelling: `Flask_Login` == `flask-login`."""
    return re.sub(r"[-_.]+", "-", name).lower()


EXTENSIONS: tuple[Extension, ...] = (
    Extension(
        "FMA301", "Flask-SQLAlchemy", ("flask_sqlalchemy",),
        "plain SQLAlchemy 2.0 (`DeclarativeBase`, `sessionmaker`, a `Depends(get_db)` session with `yield`) or SQLModel",
        ("sqlalchemy", "sqlmodel"), "partial", 5, "SQLAlchemy 2.0 and SQLModel are actively released",
        (f"{FASTAPI}/tutorial/sql-databases/", f"{FASTAPI}/tutorial/dependencies/dependencies-with-yield/"),
        "`Model.query`, `paginate`, `get_or_404` and app-context sessions have no direct counterpart.",
        ("flask_sqlalchemy.SQLAlchemy",),
    ),
    Extension(
        "FMA302", "Flask-Migrate", ("flask_migrate",),
        "Alembic directly (`alembic revision --autogenerate`, `alembic upgrade`); the versions/ folder is reusable",
        ("alembic",), "direct", 3, "Alembic is actively released",
        ("https://alembic.sqlalchemy.org/en/latest/tutorial.html",),
        "`migrations/env.py` reads `current_app` and must be rewritten.",
        ("flask_migrate.Migrate",),
    ),
    Extension(
        "FMA303", "Flask-Login", ("flask_login",),
        "a `get_current_user` dependency (session cookie or OAuth2/JWT), `Depends` instead of `@login_required`",
        ("fastapi-login",), "partial", 5, "fastapi-users is in maintenance mode since 2025; fastapi-login is small",
        (f"{FASTAPI}/tutorial/security/get-current-user/", f"{FASTAPI}/tutorial/dependencies/"),
        "Fresh login, remember-me cookies and AnonymousUserMixin have no equivalent.",
        ("flask_login.LoginManager",),
    ),
    Extension(
        "FMA304", "Flask-WTF", ("flask_wtf",),
        "WTForms standalone or Pydantic form models; CSRF via starlette-wtf or fastapi-csrf-protect",
        ("wtforms", "starlette-wtf"), "partial", 5, "starlette-wtf released 2026; Recaptcha field has no port",
        (f"{FASTAPI}/tutorial/request-forms/",),
        "`validate_on_submit` needs an async form load; Recaptcha has no equivalent.",
        ("flask_wtf.CSRFProtect", "flask_wtf.FlaskForm", "flask_wtf.Form"),
    ),
    Extension(
        "FMA305", "Flask-Mail", ("flask_mail",),
        "fastapi-mail (`FastMail`, `MessageSchema`) or smtplib inside `BackgroundTasks`",
        ("fastapi-mail",), "direct", 3, "fastapi-mail released 2026",
        (f"{FASTAPI}/tutorial/background-tasks/",), "", ("flask_mail.Mail",),
    ),
    Extension(
        "FMA306", "Flask-Caching", ("flask_caching",),
        "cashews (`@cache(ttl=...)`) or fastapi-cache2 (`@cache(expire=...)`)",
        ("cashews", "fastapi-cache2"), "partial", 3, "cashews released 2026; fastapi-cache2 last released 2024",
        ("https://github.com/Krukov/cashews",), "`query_string=True` and key semantics differ.",
        ("flask_caching.Cache",),
    ),
    Extension(
        "FMA307", "Flask-Limiter", ("flask_limiter",),
        "slowapi (same `limits` strings; the endpoint must take `request: Request`, and `response: Response` "
        "when headers are enabled)",
        ("slowapi",), "direct", 3, "slowapi released 2026",
        ("https://slowapi.readthedocs.io/",), "", ("flask_limiter.Limiter",),
    ),
    Extension(
        "FMA308", "Flask-SocketIO", ("flask_socketio",),
        "python-socketio `AsyncServer(async_mode='asgi')` wrapped with `socketio.ASGIApp(sio, other_asgi_app=app)`",
        ("python-socketio",), "partial", 5, "python-socketio released 2026, same author and protocol",
        ("https://python-socketio.readthedocs.io/en/latest/server.html",),
        "`emit()` becomes `await sio.emit()`; gevent/eventlet workers must go.",
        ("flask_socketio.SocketIO",),
    ),
    Extension(
        "FMA309", "Flask-RESTful", ("flask_restful",),
        "`APIRouter` path operations with Pydantic models instead of `reqparse` and `fields`",
        ("fastapi",), "partial", 3, "Flask-RESTful last released 2023",
        (f"{FASTAPI}/tutorial/bigger-applications/", f"{FASTAPI}/tutorial/response-model/"),
        "", ("flask_restful.Api", "flask_restful.Resource"),
    ),
    Extension(
        "FMA310", "Flask-RESTX", ("flask_restx", "flask_restplus"),
        "`APIRouter(tags=[...])` per Namespace, Pydantic models for `api.model`, `response_model`, built-in /docs",
        ("fastapi",), "partial", 3, "FastAPI generates OpenAPI natively",
        (f"{FASTAPI}/tutorial/bigger-applications/", f"{FASTAPI}/tutorial/response-model/"),
        "`api.model` dicts convert mechanically to BaseModel classes.",
        ("flask_restx.Api", "flask_restx.Namespace", "flask_restx.Resource"),
    ),
    Extension(
        "FMA311", "flask-smorest", ("flask_smorest",),
        "`APIRouter` with Pydantic `Query`/`Body` models and `response_model`; fastapi-pagination for `@paginate`",
        ("fastapi", "fastapi-pagination"), "partial", 3, "fastapi-pagination released 2026",
        (f"{FASTAPI}/tutorial/response-model/",), "`@etag` has no equivalent.",
        ("flask_smorest.Api", "flask_smorest.Blueprint"),
    ),
    Extension(
        "FMA312", "Flask-JWT-Extended", ("flask_jwt_extended",),
        "AuthX, or PyJWT with `OAuth2PasswordBearer` as in the FastAPI security tutorial",
        ("authx", "pyjwt"), "partial", 5, "AuthX released 2026; avoid fastapi-jwt-auth (unmaintained since 2020)",
        (f"{FASTAPI}/tutorial/security/oauth2-jwt/",),
        "Tokens stay valid if the secret, algorithm and `sub` claim are kept.",
        ("flask_jwt_extended.JWTManager",),
    ),
    Extension(
        "FMA313", "Flask-HTTPAuth", ("flask_httpauth",),
        "`fastapi.security.HTTPBasic` / `HTTPBearer` / `APIKeyHeader` dependencies",
        ("fastapi",), "partial", 3, "built into FastAPI",
        (f"{FASTAPI}/advanced/security/http-basic-auth/",), "Digest auth has no equivalent.",
        ("flask_httpauth.HTTPBasicAuth", "flask_httpauth.HTTPTokenAuth", "flask_httpauth.HTTPDigestAuth",
         "flask_httpauth.MultiAuth"),
    ),
    Extension(
        "FMA314", "Flask-Babel", ("flask_babel",),
        "starlette-babel or fastapi-babel; the .po/.mo catalogs are reusable",
        ("starlette-babel",), "partial", 5, "starlette-babel released 2026",
        ("https://github.com/alex-oleshkevich/starlette_babel",),
        "The locale selector becomes middleware plus a contextvar; starlette-babel's default locale is `en_US` "
        "where Flask-Babel's is `en`.", ("flask_babel.Babel",),
    ),
    Extension(
        "FMA315", "Flask-Session", ("flask_session",),
        "starsessions (cookie or Redis stores)",
        ("starsessions",), "partial", 3, "starsessions last released 2024",
        ("https://github.com/alex-oleshkevich/starsessions",),
        "Existing server-side sessions are not portable: users are logged out at cutover. starsessions' cookie "
        "defaults to `Secure` and a browser-session lifetime: set `cookie_https_only` and `lifetime` to what "
        "Flask used (`SESSION_COOKIE_SECURE`, `PERMANENT_SESSION_LIFETIME`).",
        ("flask_session.Session",),
    ),
    Extension(
        "FMA316", "Flask-Admin", ("flask_admin",),
        "sqladmin (ModelView API modelled on Flask-Admin) or starlette-admin",
        ("sqladmin", "starlette-admin"), "partial", 5, "sqladmin and starlette-admin released 2026",
        ("https://aminalaee.github.io/sqladmin/",),
        "FileAdmin, RedisCli and custom Jinja admin templates have no equivalent.",
        ("flask_admin.Admin", "flask_admin.BaseView", "flask_admin.contrib.sqla.ModelView",
         "flask_admin.contrib.sqla.view.ModelView", "flask_admin.contrib.fileadmin.FileAdmin"),
    ),
    Extension(
        "FMA317", "Flask-AppBuilder", ("flask_appbuilder",),
        "no equivalent: its security manager, permissions and CRUD generators must be rebuilt",
        (), "none", 13, "no FastAPI counterpart exists",
        (f"{FASTAPI}/tutorial/security/",),
        "A re-architecture: plan it as its own project.", ("flask_appbuilder.AppBuilder",),
    ),
    Extension(
        "FMA318", "Flask-CORS", ("flask_cors",),
        "`app.add_middleware(CORSMiddleware, allow_origins=[...], allow_methods=[\"*\"], allow_headers=[\"*\"])`",
        ("fastapi",), "direct", 1, "built into Starlette",
        (f"{FASTAPI}/tutorial/cors/",),
        "Flask-CORS allows every method and requested header by default; CORSMiddleware allows only GET and "
        "four safe headers unless told, so a ported JSON POST fails its preflight (400). Per-route "
        "`@cross_origin` and `resources=` maps are app-wide only in Starlette.", ("flask_cors.CORS",),
    ),
    Extension(
        "FMA319", "Flask-Injector", ("flask_injector",),
        "FastAPI's native `Depends`, or fastapi-injector to keep `injector` modules and bindings",
        ("fastapi-injector",), "partial", 3, "fastapi-injector released 2025",
        (f"{FASTAPI}/tutorial/dependencies/",),
        "Request scope maps to fastapi-injector's `request_scope`. With native `Depends(SomeClass)` every "
        "request builds a new instance: an injector singleton needs a provider returning one shared object.",
        ("flask_injector.FlaskInjector",),
    ),
    Extension(
        "FMA320", "Flask-Marshmallow", ("flask_marshmallow",),
        "Pydantic v2 models (`from_attributes=True`) or SQLModel",
        ("pydantic",), "partial", 5, "Pydantic is built into FastAPI",
        (f"{FASTAPI}/tutorial/response-model/",),
        "A schema dumps only its declared fields: keep that with `response_model`, or every attribute of the "
        "returned object is sent. `URLFor`, `AbsoluteURLFor` and `Hyperlinks` fields depend on Flask's "
        "`url_for`: no equivalent.",
        ("flask_marshmallow.Marshmallow",),
    ),
    Extension(
        "FMA321", "Flask-Pydantic", ("flask_pydantic",),
        "native FastAPI parameters and body models (`@validate` disappears)",
        ("fastapi",), "direct", 1, "built into FastAPI",
        (f"{FASTAPI}/tutorial/body/", f"{FASTAPI}/tutorial/query-params/"),
        "A near-mechanical rewrite (a query model becomes `Annotated[Model, Query()]`), but invalid input answers "
        "422 `{\"detail\": [...]}` instead of Flask-Pydantic's 400 `{\"validation_error\": {...}}`.",
    ),
    Extension(
        "FMA322", "Flask-Executor", ("flask_executor",),
        "`BackgroundTasks`, `run_in_threadpool` or `concurrent.futures` directly",
        ("fastapi",), "partial", 3, "built into FastAPI/Starlette",
        (f"{FASTAPI}/tutorial/background-tasks/",), "Named futures (`executor.futures`) have no equivalent.",
        ("flask_executor.Executor",),
    ),
    Extension(
        "FMA323", "Celery", ("celery",),
        "keep Celery; remove the Flask app-context coupling (`FlaskTask`, `current_app`, `db.session` in tasks)",
        ("celery",), "keep", 3, "Celery is actively released",
        (f"{FASTAPI}/tutorial/background-tasks/",),
        "Effort grows when tasks call `url_for`, `render_template` or Flask-Mail.", ("celery.Celery",),
    ),
    Extension(
        "FMA324", "RQ", ("rq", "flask_rq2", "flask_rq"),
        "keep RQ; drop the Flask-RQ2 glue",
        ("rq",), "keep", 1, "RQ is actively released",
        ("https://python-rq.org/docs/",), "", ("rq.Queue", "flask_rq2.RQ"),
    ),
    Extension(
        "FMA325", "Flask-APScheduler", ("flask_apscheduler",),
        "APScheduler directly (`AsyncIOScheduler` started and stopped in `lifespan`)",
        ("apscheduler",), "direct", 3, "APScheduler is actively released",
        (f"{FASTAPI}/advanced/events/",), "Its REST API endpoints have no equivalent.",
        ("flask_apscheduler.APScheduler",),
    ),
    Extension(
        "FMA326", "Flask-Compress", ("flask_compress",),
        "`app.add_middleware(GZipMiddleware)`",
        ("fastapi",), "direct", 1, "built into Starlette",
        (f"{FASTAPI}/advanced/middleware/#gzipmiddleware",),
        "GZipMiddleware only writes gzip; Flask-Compress prefers zstd or brotli when the client offers them.",
        ("flask_compress.Compress",),
    ),
    Extension(
        "FMA327", "Flask-Talisman", ("flask_talisman",),
        "the `secure` package, `HTTPSRedirectMiddleware` and `TrustedHostMiddleware`",
        ("secure",), "partial", 3, "secure released 2026",
        (f"{FASTAPI}/advanced/middleware/",),
        "`Secure.with_default_headers()` is not Talisman's policy: spell out Talisman's CSP and HSTS values. "
        "HTTPSRedirectMiddleware answers 307 (Talisman 302) and, behind a TLS proxy, needs uvicorn's "
        "`--proxy-headers`. CSP nonces in templates need manual work.",
        ("flask_talisman.Talisman",),
    ),
    Extension(
        "FMA328", "Flask-Sock", ("flask_sock", "flask_sockets", "flask_sse"),
        "native `@app.websocket` endpoints; sse-starlette for server-sent events",
        ("sse-starlette",), "direct", 3, "sse-starlette released 2026",
        (f"{FASTAPI}/advanced/websockets/",),
        "The endpoint accepts the connection itself (`await websocket.accept()`); a plain HTTP request to the path "
        "is a 404 instead of Flask-Sock's 400.", ("flask_sock.Sock",),
    ),
    Extension(
        "FMA329", "Flask-GraphQL", ("flask_graphql",),
        "strawberry-graphql's `GraphQLRouter` (a Graphene schema must be rewritten)",
        ("strawberry-graphql",), "partial", 5, "Flask-GraphQL last released 2019",
        ("https://strawberry.rocks/docs/integrations/fastapi",),
    ),
    Extension(
        "FMA330", "Flask-Principal", ("flask_principal", "flask_security"),
        "security scopes and custom dependencies; the identity/permission/need model has no equivalent",
        (), "none", 7, "Flask-Principal last released 2013",
        (f"{FASTAPI}/advanced/security/oauth2-scopes/",), "",
        ("flask_principal.Principal", "flask_security.Security"),
    ),
    Extension(
        "FMA331", "Flask-Bcrypt", ("flask_bcrypt",),
        "bcrypt or pwdlib directly; existing hashes stay valid",
        ("bcrypt", "pwdlib"), "direct", 1, "bcrypt released 2025",
        (f"{FASTAPI}/tutorial/security/oauth2-jwt/",),
        "With `BCRYPT_HANDLE_LONG_PASSWORDS`, Flask-Bcrypt hashed `sha256(password).hexdigest()`: do the same "
        "before `bcrypt.checkpw`.", ("flask_bcrypt.Bcrypt",),
    ),
    Extension(
        "FMA332", "Flask-DebugToolbar", ("flask_debugtoolbar",),
        "fastapi-debug-toolbar",
        ("fastapi-debug-toolbar",), "partial", 1, "fastapi-debug-toolbar last released 2024",
        ("https://github.com/mongkok/fastapi-debug-toolbar",),
        "The toolbar shows only when `FastAPI(debug=...)` is set; there is no template panel and the SQLAlchemy "
        "panel is opt-in.", ("flask_debugtoolbar.DebugToolbarExtension",),
    ),
    Extension(
        "FMA333", "Flask-Uploads", ("flask_uploads", "flask_assets"),
        "no equivalent: `UploadFile` plus your own storage code; a build tool for assets",
        (), "none", 3, "Flask-Uploads last released 2016",
        (f"{FASTAPI}/tutorial/request-files/",),
    ),
    Extension(
        "FMA334", "webargs", ("webargs",),
        "FastAPI's native `Query`, `Body`, `Form`, `Header` parameters",
        ("fastapi",), "partial", 3, "built into FastAPI",
        (f"{FASTAPI}/tutorial/query-params-str-validations/",),
        "webargs refuses unknown fields in a JSON body (`unknown=RAISE`); a Pydantic body model ignores them "
        "unless it sets `extra=\"forbid\"`. Errors stay 422 but take FastAPI's `{\"detail\": [...]}` shape.",
    ),
    Extension(
        "FMA335", "flasgger", ("flasgger", "apispec", "flask_apispec", "flask_swagger_ui"),
        "FastAPI's generated OpenAPI schema and /docs",
        ("fastapi",), "partial", 3, "built into FastAPI",
        (f"{FASTAPI}/tutorial/metadata/",),
        "Hand-written YAML specs are replaced by type annotations (`summary=` on the decorator for the first "
        "docstring line). The spec moves from Swagger 2.0 at /apispec_1.json to OpenAPI 3.1 at /openapi.json.",
    ),
    Extension(
        "FMA336", "prometheus-flask-exporter", ("prometheus_flask_exporter",),
        "prometheus-fastapi-instrumentator or starlette-exporter",
        ("prometheus-fastapi-instrumentator",), "direct", 1, "actively released",
        ("https://github.com/trallnag/prometheus-fastapi-instrumentator",),
        "Metric names and labels differ (`flask_http_request_total{method,status}` becomes "
        "`http_requests_total{handler,method,status}`): rewrite dashboards and alerts. Pass "
        "`should_group_status_codes=False` and `excluded_handlers=[\"/metrics\"]` to count as the exporter did.",
        ("prometheus_flask_exporter.PrometheusMetrics",),
    ),
)

BY_MODULE: dict[str, Extension] = {module: ext for ext in EXTENSIONS for module in ext.modules}
BY_CODE: dict[str, Extension] = {ext.code: ext for ext in EXTENSIONS}
TRACKED_EXTENSION_CLASSES = frozenset(cls for ext in EXTENSIONS for cls in ext.classes)


# --- Distributions: what requirements files name ---------------------------------------------------
# Other PyPI names that install an extension of the catalogue (forks, renames, legacy spellings). The
# catalogue's own `distribution` is always known; `normalize_distribution` makes `Flask_Cors`,
# `flask-cors` and `Flask.CORS` one key.
DISTRIBUTION_ALIASES: dict[str, str] = {
    "flask-restplus": "FMA310",  # the unmaintained predecessor of Flask-RESTX, same API
    "flask-security-too": "FMA330",
    "flask-security": "FMA330",
    "flask-rq2": "FMA324",
    "flask-rq": "FMA324",
    "flask-sockets": "FMA328",
    "flask-sse": "FMA328",
    "flask-assets": "FMA333",
    "flask-reuploaded": "FMA333",
    "flask-apispec": "FMA335",
    "flask-swagger-ui": "FMA335",
}
# An alias must install one of its extension's `modules`: the dead-dependency rule (FMA706) looks for
# those imports. Forks under another module name (Flask-Cache's `flask_cache`, Flask-BabelPlus's
# `flask_babelplus`) stay out until the catalogue lists their modules.

BY_DISTRIBUTION: dict[str, Extension] = {
    **{normalize_distribution(ext.distribution): ext for ext in EXTENSIONS},
    **{alias: BY_CODE[code] for alias, code in DISTRIBUTION_ALIASES.items()},
}


def extension_for_distribution(name: str) -> Extension | None:
    """The catalogue entry a requirement names (`Flask_Login>=0.6` -> Flask-Login), or None."""
    return BY_DISTRIBUTION.get(normalize_distribution(name))
