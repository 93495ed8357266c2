"""FMA2xx, part 1: reading the request (`flask.request.*`)."""
from __future__ import annotations

from ..registry import flag_uses, rule
from ._common import FASTAPI, STARLETTE

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
    "FMA205", "flask-request-data", "Raw body read from request.data / get_data()",
    "raw request body read through `request.{attr}`",
    "`await request.body()` in an `async def` endpoint",
    "mandatory", 1, "direct",
    before="payload = request.get_data()\n",
    after="async def hook(request: Request):\n    payload = await request.body()\n",
    links=(f"{FASTAPI}/advanced/using-request-directly/",),
)
flag_uses(RAW_BODY, args={"flask.request.data": {"attr": "data"}, "flask.request.get_data": {"attr": "get_data()"}})

VALUES = rule(
    "FMA206", "flask-request-values", "Merged args and form read from request.values",
    "`request.values` merges query string and form data",
    "no equivalent: declare the query and form parameters separately and merge them yourself",
    "mandatory", 3, "none",
    rationale="Starlette's Request has no merged view of query and form data.",
    before="token = request.values.get('token')\n",
    after="def view(token_q: str | None = Query(None, alias='token'),\n"
    "         token_f: str | None = Form(None, alias='token')):\n    token = token_q or token_f\n",
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
}
flag_uses(CLIENT_INFO, args={f"flask.request.{a}": {"attr": a, "fix": f} for a, f in _CLIENT_FIXES.items()})
