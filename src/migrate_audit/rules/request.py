"""FMA2xx, part 1: reading the request (`flask.request.*`)."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import FASTAPI, STARLETTE, short

QUERY_ARGS = rule(
    "FMA201", "flask-request-args", "Query string read from request.args",
    "query string read through `request.args`",
    "typed query parameters: `q: str | None = None` or `Annotated[int, Query()]`",
    "mandatory", 1, "direct",
    rationale="FastAPI declares query parameters in the function signature and validates them; a value that "
    "fails conversion answers 422 instead of falling back to the default as `request.args.get(type=int)` does.",
    before="page = request.args.get('page', 1, type=int)\n",
    after="def books(page: int = 1): ...\n",
    links=(f"{FASTAPI}/tutorial/query-params/", f"{FASTAPI}/tutorial/query-params-str-validations/"),
)
flag_uses(QUERY_ARGS, "flask.request.args")

FORM = rule(
    "FMA202", "flask-request-form", "Form data read from request.form",
    "form data read through `request.form`",
    "`Annotated[str, Form()]` parameters (requires python-multipart) or `await request.form()`",
    "mandatory", 1, "direct",
    before="username = request.form['username']\n",
    after="def login(username: Annotated[str, Form()]): ...\n",
    links=(f"{FASTAPI}/tutorial/request-forms/",),
)
flag_uses(FORM, "flask.request.form")

FILES = rule(
    "FMA203", "flask-request-files", "Uploaded files read from request.files",
    "uploaded files read through `request.files`",
    "`file: UploadFile` parameters (`.filename`, `.content_type`, `await file.read()`; no `.save()`, no "
    "`.mimetype`)",
    "mandatory", 3, "partial",
    rationale="Werkzeug's `FileStorage` has `.save()` and `.mimetype`; Starlette's `UploadFile` is async, has "
    "`.content_type` (which keeps parameters such as `; charset=utf-8`, unlike `.mimetype`), and saving means "
    "copying `file.file` yourself. `.filename` is still the client's name: keep `secure_filename`.",
    before="f = request.files['cover']\nf.save(os.path.join(UPLOADS, secure_filename(f.filename)))\n",
    after="async def upload(cover: UploadFile):\n    data = await cover.read()\n",
    links=(f"{FASTAPI}/tutorial/request-files/",),
)
flag_uses(FILES, "flask.request.files")

JSON_BODY = rule(
    "FMA204", "flask-request-json", "JSON body read from request.json / get_json()",
    "JSON body read through `request.{attr}`",
    "a Pydantic body model parameter (`item: Item`), or `await request.json()` for raw dicts",
    "mandatory", 1, "partial",
    rationale="A Pydantic model validates the body and documents it in OpenAPI. Error behaviour changes: "
    "Flask 2.3+ answers 415 or 400 for a bad body, FastAPI answers 422 with a list of errors.",
    before="data = request.get_json()\ntitle = data['title']\n",
    after="class BookIn(BaseModel):\n    title: str\n\ndef create(book: BookIn): ...\n",
    links=(f"{FASTAPI}/tutorial/body/",),
)
flag_uses(JSON_BODY, args={"flask.request.json": {"attr": "json"}, "flask.request.get_json": {"attr": "get_json()"}})

RAW_BODY = rule(
    "FMA205", "flask-request-data", "Raw body read from request.data / get_data() / stream",
    "raw request body read through `request.{attr}`",
    "`await request.body()` (or `async for chunk in request.stream()`) in an `async def` endpoint",
    "mandatory", 1, "direct",
    before="payload = request.get_data()\n",
    after="async def hook(request: Request):\n    payload = await request.body()\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/", f"{STARLETTE}/requests/#body"),
)
flag_uses(RAW_BODY, args={"flask.request.data": {"attr": "data"}, "flask.request.get_data": {"attr": "get_data()"},
                          "flask.request.stream": {"attr": "stream"},
                          "flask.request.input_stream": {"attr": "input_stream"}})

VALUES = rule(
    "FMA206", "flask-request-values", "Merged args and form read from request.values",
    "`request.values` merges query string and form data",
    "merge them where the view needs both: `{{**(await request.form()), **request.query_params}}` (the query string "
    "wins, as in `request.values`), or declare `Query()` and `Form()` parameters",
    "mandatory", 3, "partial",
    rationale="Starlette's Request keeps the query string and the form apart; Werkzeug's `request.values` looks a "
    "key up in the query string first, then in the form. The merge above keeps that precedence.",
    before="token = request.values.get('token')\n",
    after="values = {**(await request.form()), **request.query_params}\ntoken = values.get('token')\n",
    links=(f"{FASTAPI}/tutorial/query-params/", f"{FASTAPI}/tutorial/request-forms/"),
)
flag_uses(VALUES, "flask.request.values")

HEADERS_COOKIES = rule(
    "FMA207", "flask-request-headers-cookies", "Headers or cookies read from the request",
    "`request.{attr}` read",
    "`Header()` / `Cookie()` parameters (`user_agent: Annotated[str | None, Header()]`), or `request.headers`",
    "mandatory", 1, "direct",
    before="token = request.headers.get('X-Token')\n",
    after="def view(x_token: Annotated[str | None, Header()] = None): ...\n",
    links=(f"{FASTAPI}/tutorial/header-params/", f"{FASTAPI}/tutorial/cookie-params/"),
)
flag_uses(HEADERS_COOKIES, args={f"flask.request.{a}": {"attr": a} for a in ("headers", "cookies")})

CLIENT_INFO = rule(
    "FMA208", "flask-request-url-and-client", "Request URL and client attributes",
    "`request.{attr}` read",
    "{fix}",
    "mandatory", 1, "direct",
    rationale="Starlette's Request exposes the same facts under other names.",
    before="ip = request.remote_addr\nnext_url = request.full_path\n",
    after="ip = request.client.host\nnext_url = request.url.path + '?' + request.url.query\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/", f"{STARLETTE}/requests/"),
)
_CLIENT_FIXES = {
    "remote_addr": "`request.client.host`",
    "host": "`request.url.netloc` (or `request.headers['host']`)",
    "host_url": "`request.base_url`",
    "url_root": "`request.base_url`",
    "scheme": "`request.url.scheme`",
    "path": "`request.url.path`",
    "full_path": "`request.url.path` plus `request.url.query`",
    "url": "`str(request.url)`",
    "base_url": "`request.url.replace(query='')` (Starlette's `request.base_url` is the app root, not this URL "
    "without its query)",
    "query_string": "`request.url.query` (a str, not bytes)",
    "is_secure": "`request.url.scheme == 'https'`",
    "user_agent": "`request.headers.get('user-agent')`",
    "authorization": "`HTTPBasic()` / `HTTPBearer()` security dependencies",
    "is_json": "a check of `request.headers.get('content-type')`",
    "mimetype": "`request.headers.get('content-type')`",
    "content_type": "`request.headers.get('content-type')`",
    "content_length": "`request.headers.get('content-length')`",
    "access_route": "`request.headers.get('x-forwarded-for')` with uvicorn's proxy headers",
    "environ": "`request.scope` (an ASGI scope, not a WSGI environ)",
    "endpoint": "`request.scope['endpoint']`",
    "view_args": "`request.path_params`",
    "url_rule": "`request.scope['route']`",
    "blueprint": "the router in `request.scope['route']` (no Blueprint name)",
    "script_root": "`request.scope.get('root_path', '')` (uvicorn's `--root-path`)",
    "root_path": "`request.scope.get('root_path', '')` (uvicorn's `--root-path`)",
    "remote_user": "no WSGI `REMOTE_USER` in ASGI: the header the proxy sets, or an authentication dependency",
}
flag_uses(CLIENT_INFO, args={f"flask.request.{a}": {"attr": a, "fix": f} for a, f in _CLIENT_FIXES.items()})

PARSED_HEADERS = rule(
    "FMA209", "flask-request-parsed-header", "Request header read through a Werkzeug parsed attribute",
    "`request.{attr}` reads the `{header}` header, parsed by Werkzeug",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Starlette's `Request` has the raw headers only (`request.headers.get(...)`, a case-insensitive "
    "mapping of strings). Werkzeug's parsed objects (`.best_match()`, `.values()`, `in` on quality lists, "
    "dates, ETag sets) need a parser: werkzeug's `werkzeug.http` functions can stay as a plain library.",
    before="lang = request.accept_languages.best_match(['en', 'fr'])\nback = request.referrer or '/'\n",
    after="lang = parse_accept_header(request.headers.get('accept-language'), LanguageAccept)"
    ".best_match(['en', 'fr'])\nback = request.headers.get('referer') or '/'\n",
    links=(f"{STARLETTE}/requests/#headers", "https://werkzeug.palletsprojects.com/en/stable/http/"),
)
_ACCEPT = "`werkzeug.http.parse_accept_header(request.headers.get('{header}'), {cls})` (werkzeug as a library)"
_PARSED_HEADERS = {
    "referrer": ("referer", "`request.headers.get('referer')`"),
    "origin": ("origin", "`request.headers.get('origin')`"),
    "is_xhr": ("x-requested-with", "`request.headers.get('x-requested-with') == 'XMLHttpRequest'` (Werkzeug "
               "itself removed `is_xhr` in 1.0)"),
    "accept_languages": ("accept-language", _ACCEPT.format(header="accept-language", cls="LanguageAccept")
                         + ", or Babel's `negotiate_locale`"),
    "accept_mimetypes": ("accept", _ACCEPT.format(header="accept", cls="MIMEAccept")),
    "accept_charsets": ("accept-charset", _ACCEPT.format(header="accept-charset", cls="CharsetAccept")),
    "accept_encodings": ("accept-encoding", _ACCEPT.format(header="accept-encoding", cls="Accept")),
    "if_none_match": ("if-none-match", "`werkzeug.http.parse_etags(request.headers.get('if-none-match'))`"),
    "if_match": ("if-match", "`werkzeug.http.parse_etags(request.headers.get('if-match'))`"),
    "if_modified_since": ("if-modified-since", "`email.utils.parsedate_to_datetime(...)` of "
                          "`request.headers.get('if-modified-since')` (guard against a missing or bad value)"),
    "if_unmodified_since": ("if-unmodified-since", "`email.utils.parsedate_to_datetime(...)` of "
                            "`request.headers.get('if-unmodified-since')`"),
    "if_range": ("if-range", "`werkzeug.http.parse_if_range_header(request.headers.get('if-range'))`"),
    "range": ("range", "`werkzeug.http.parse_range_header(request.headers.get('range'))`"),
    "cache_control": ("cache-control", "`werkzeug.http.parse_cache_control_header(request.headers.get("
                      "'cache-control'))`"),
    "pragma": ("pragma", "`request.headers.get('pragma')`"),
    "date": ("date", "`email.utils.parsedate_to_datetime(request.headers['date'])`"),
    "content_encoding": ("content-encoding", "`request.headers.get('content-encoding')`"),
    "content_md5": ("content-md5", "`request.headers.get('content-md5')`"),
    "max_forwards": ("max-forwards", "`request.headers.get('max-forwards')`"),
    "mimetype_params": ("content-type", "`werkzeug.http.parse_options_header(request.headers.get('content-type'))`"),
    "access_control_request_headers": ("access-control-request-headers", "`CORSMiddleware`, which answers "
                                       "preflight requests itself"),
    "access_control_request_method": ("access-control-request-method", "`CORSMiddleware`, which answers "
                                      "preflight requests itself"),
}
flag_uses(PARSED_HEADERS, args={f"flask.request.{a}": {"attr": a, "header": h, "fix": f}
                                for a, (h, f) in _PARSED_HEADERS.items()})

_REQUEST_CLASSES = ("flask.Request", "werkzeug.Request", "werkzeug.wrappers.Request",
                    "werkzeug.wrappers.request.Request", "werkzeug.sansio.request.Request")

REQUEST_TYPE = rule(
    "FMA210", "flask-request-class-in-type", "Flask/Werkzeug Request class named in a type or check",
    "`{name}` is Werkzeug's request class; FastAPI hands code Starlette's `Request`",
    "`from fastapi import Request`, and the attributes it has: `query_params` (not `args`), `await request.json()` "
    "(not `get_json()`), `request.client.host` (not `remote_addr`)",
    "mandatory", 1, "partial",
    rationale="Helpers typed against Flask's request (`def user_from(req: Request)`) receive Starlette's request "
    "after the port: the annotation, `isinstance` checks and every attribute the helper reads change with it.",
    before="from flask import Request\n\ndef token_from(req: Request) -> str | None:\n"
    "    return req.args.get('token')\n",
    after="from fastapi import Request\n\ndef token_from(req: Request) -> str | None:\n"
    "    return req.query_params.get('token')\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/", f"{STARLETTE}/requests/"),
)

CUSTOM_REQUEST = rule(
    "FMA211", "flask-custom-request-class", "Custom Flask/Werkzeug request class",
    "`{name}` {what}",
    "a `Request` subclass used by a custom `APIRoute` (`get_route_handler` wraps the request; "
    "`APIRouter(route_class=...)`), or a dependency that computes the extra attributes",
    "mandatory", 3, "partial",
    rationale="Flask apps install a request subclass with `app.request_class` to add properties or change body "
    "parsing. FastAPI has no request-class setting: a custom `APIRoute` builds the subclass per request, and "
    "per-request values are usually better served by dependencies.",
    before="class AppRequest(Request):\n    @property\n    def is_api(self):\n"
    "        return self.path.startswith('/api')\n\napp.request_class = AppRequest\n",
    after="def is_api(request: Request) -> bool:\n    return request.url.path.startswith('/api')\n\n"
    "@app.get('/items')\ndef items(api: Annotated[bool, Depends(is_api)]): ...\n",
    links=(f"{FASTAPI}/how-to/custom-request-and-route/", f"{FASTAPI}/tutorial/dependencies/"),
)


@on_use(REQUEST_TYPE, *_REQUEST_CLASSES)
def _request_type(use: Use) -> Iterator[Hit]:
    if _request_class_customised(use) is None:
        yield use.hit(name=short(use.node.text(), 30))


@on_use(CUSTOM_REQUEST, *_REQUEST_CLASSES)
def _custom_request(use: Use) -> Iterator[Hit]:
    what = _request_class_customised(use)
    if what is not None:
        yield use.hit(name=short(use.node.text(), 30), what=what)


def _request_class_customised(use: Use) -> str | None:
    """What a use of the request class does beyond naming a type: subclass it, build one, configure it."""
    parent = use.parent
    if parent is None:
        return None
    if parent.kind() == "argument_list":
        owner = use.ctx.parents[parent]
        if owner is not None and owner.kind() == "class_definition":
            name = owner.field("name")
            return f"is subclassed by `{name.text() if name is not None else '?'}`"
    if use.call is not None:
        return "builds a Werkzeug request from a WSGI environ"
    if parent.kind() == "attribute" and parent.field("object") == use.node:
        attr = parent.field("attribute")
        return f"is customised through `.{attr.text() if attr is not None else '?'}`"
    return None
