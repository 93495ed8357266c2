"""FMA220-235: building responses (`jsonify`, templates, redirects, files, errors, JSON serialisation),
response objects and streaming, Werkzeug HTTP exceptions and request data structures."""
from __future__ import annotations

import re
from typing import Iterator

from ast_grep_py import SgNode

from ..api import FileContext, Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import APP, FASTAPI, FLASK, STARLETTE, short

JSONIFY = rule(
    "FMA220", "flask-jsonify", "JSON response built with jsonify",
    "`jsonify(...)` builds a JSON response",
    "return the dict or a Pydantic model (with `response_model=`), or `JSONResponse(content, status_code=...)`",
    "mandatory", 1, "direct",
    rationale="FastAPI serialises returned dicts and models itself. Flask's default JSON provider sorts keys "
    "(`app.json.sort_keys = True`, still the default in Flask 3; `JSON_SORT_KEYS` before 2.3); FastAPI keeps "
    "insertion order (a model's field order): the same JSON value, different text.",
    before="return jsonify(id=book.id, title=book.title)\n",
    after="return {'id': book.id, 'title': book.title}\n",
    links=(f"{FASTAPI}/advanced/response-directly/", f"{FASTAPI}/tutorial/response-model/"),
)
flag_uses(JSONIFY, "flask.jsonify", "flask.json.jsonify")

MAKE_RESPONSE = rule(
    "FMA221", "flask-make-response", "Response object built with make_response",
    "`make_response(...)` builds a response object",
    "build the `Response`/`TemplateResponse`/`JSONResponse` and set headers and cookies on it; an injected "
    "`response: Response` parameter only works when the view returns a dict or model",
    "mandatory", 1, "direct",
    rationale="FastAPI copies the headers and cookies of an injected `response: Response` parameter only onto "
    "a response it builds from a returned dict or model; a view that returns a `Response` itself sends them "
    "nowhere. Starlette's `set_cookie` also adds `SameSite=lax` by default, which Werkzeug's does not.",
    before="resp = make_response(render_template('index.html'))\nresp.set_cookie('seen', '1')\nreturn resp\n",
    after="def index(request: Request):\n    response = templates.TemplateResponse(request, 'index.html')\n"
    "    response.set_cookie('seen', '1')\n    return response\n",
    links=(f"{FASTAPI}/advanced/response-cookies/", f"{FASTAPI}/advanced/response-headers/"),
)
flag_uses(MAKE_RESPONSE, "flask.make_response")

RENDER_TEMPLATE = rule(
    "FMA222", "flask-render-template", "Jinja template rendered with render_template",
    "`{name}(...)` renders a Jinja template",
    "`templates.TemplateResponse(request, name, context)` from `Jinja2Templates(directory=...)`; the endpoint "
    "takes `request: Request`",
    "mandatory", 1, "direct",
    rationale="FastAPI renders Jinja through Starlette's `Jinja2Templates`, which needs the request and does "
    "not inject `g`, `session`, `get_flashed_messages` or `config` into the template context. `request` is "
    "Starlette's: attributes only Flask's has (`request.full_path`, `request.args`) render as nothing or fail.",
    before="return render_template('book.html', book=book)\n",
    after="return templates.TemplateResponse(request, 'book.html', {'book': book})\n",
    links=(f"{FASTAPI}/advanced/templates/",),
)
RENDER_TO_TEXT = rule(
    "FMA235", "flask-render-template-to-text", "Template rendered to text (SQL, e-mail, fragment), not a page",
    "`{name}(...)` renders {what} to a string, not a response",
    "`templates.get_template(name).render(**context)` (any Jinja `Environment` will do: no request needed); pass "
    "what Flask injected into the context yourself (`g`, `request`, `url_for`, context processors)",
    "mandatory", 1, "direct",
    rationale="`render_template` needs Flask's app context, so every call changes, but not into "
    "`TemplateResponse`: SQL built from templates, e-mail bodies and HTML fragments put into JSON are strings, "
    "rendered by the Jinja environment itself. Recognised by the template name (`.sql`, `.txt`, `.md`, "
    "`.csv`, ... or a name that says SQL: `self._CREATE_SQL`, `sql_file`), by the variable that receives the "
    "text (`sql = ...`, `body += ...`), by the keyword argument it is passed as (`html_body=`, `text=`, ...) or "
    "by the call that executes it (`conn.execute(...)`).",
    before="sql = render_template('/'.join([template_path, 'properties.sql']), tid=tid)\n",
    after="sql = templates.get_template('/'.join([template_path, 'properties.sql'])).render(tid=tid)\n",
    links=(f"{FASTAPI}/advanced/templates/", "https://jinja.palletsprojects.com/en/stable/api/#basics"),
)
_TEXT_EXTENSION_RE = re.compile(r"\.(sql|txt|text|md|rst|csv|tsv|tex|ics|ya?ml|ini|cfg|conf|sh|eml)['\"]", re.I)
_SQL_NAME_RE = re.compile(r"sql", re.I)
_STRING_RE = re.compile(r"""(?:[rRbBuUfF]{0,2})('[^'\n]*'|"[^"\n]*")""")
_EXECUTE_RE = re.compile(r"(^|\.)execute\w*$")
_SQL_TARGET_RE = re.compile(r"sql|query", re.I)
_TEXT_KEYWORDS = frozenset({"body", "text_body", "html_body", "html", "text", "msg", "message", "subject"})


def _rendered_text(use: Use) -> str | None:
    """What a `render_template` call renders when its result is text rather than the response: 'SQL', 'a
    `.txt` template', 'text'; None when it may be the page a view returns."""
    if use.call is None:
        return None
    positional, keywords = use.arguments()
    name = positional[0] if positional else keywords.get("template_name_or_list")
    name_text = name.text() if name is not None else ""
    extension = _TEXT_EXTENSION_RE.search(name_text)
    if extension is not None:
        suffix = extension.group(1).lower()
        return "SQL" if suffix == "sql" else f"a `.{suffix}` template"
    if _SQL_NAME_RE.search(_STRING_RE.sub("", name_text)):
        return "SQL"  # `self._NODES_SQL`, `properties_sql`, `sql_file`: names, not the text of literals
    holder = use.ctx.parents[use.call]
    if holder is None:
        return None
    if holder.kind() == "argument_list":
        call = use.ctx.parents[holder]
        callee = call.field("function") if call is not None and call.kind() == "call" else None
        if callee is not None and _EXECUTE_RE.search(callee.text()):
            return "SQL"  # `conn.execute_dict(render_template(...))`
    if holder.kind() == "augmented_assignment":
        target = holder.field("left")
        return "SQL" if target is not None and _SQL_TARGET_RE.search(target.text()) else "text"
    if holder.kind() == "assignment" and holder.field("right") == use.call:
        target = holder.field("left")
        if target is not None and target.kind() == "identifier" and _SQL_TARGET_RE.search(target.text()):
            return "SQL"
    if holder.kind() == "keyword_argument":
        keyword = holder.field("name")
        if keyword is not None and keyword.text() in _TEXT_KEYWORDS:
            return f"the `{keyword.text()}=` text"
    return None


@on_use(RENDER_TEMPLATE, "flask.render_template", "flask.render_template_string")
def _render_template(use: Use) -> Iterator[Hit]:
    if use.qual == "flask.render_template_string" or _rendered_text(use) is None:
        yield use.hit(name=use.qual.rpartition(".")[2])


@on_use(RENDER_TO_TEXT, "flask.render_template")
def _render_to_text(use: Use) -> Iterator[Hit]:
    what = _rendered_text(use)
    if what is not None:
        yield use.hit(name="render_template", what=what)

REDIRECT = rule(
    "FMA223", "flask-redirect", "Redirect built with redirect()",
    "`{call}` redirects with status {code}",
    "`RedirectResponse(url, status_code={code})`: pass the status explicitly, Starlette's default is 307",
    "mandatory", 1, "partial",
    rationale="Flask's `redirect()` answers 302; Starlette's `RedirectResponse` defaults to 307, which keeps "
    "the method and body: a redirect after a POST form re-POSTs instead of loading the page.",
    before="return redirect(url_for('books.index'))\n",
    after="return RedirectResponse(request.url_for('books_index'), status_code=302)\n",
    links=(f"{FASTAPI}/advanced/custom-response/#redirectresponse",),
)


@on_use(REDIRECT, "flask.redirect")
def _redirect(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, keywords = use.arguments()
    code_node = keywords.get("code") or (positional[1] if len(positional) > 1 else None)
    code = code_node.text() if code_node is not None else "302"
    yield use.hit(call=short(use.call.text(), 40), code=code)


ABORT = rule(
    "FMA224", "flask-abort", "Request aborted with abort()",
    "`abort(...)` raises a Werkzeug HTTP exception",
    "`raise HTTPException(status_code=..., detail=...)`",
    "mandatory", 1, "direct",
    rationale="The error body changes from Werkzeug's HTML page to FastAPI's `{\"detail\": ...}` JSON.",
    before="abort(404)\n",
    after="raise HTTPException(status_code=404, detail='Book not found')\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/",),
)
flag_uses(ABORT, "flask.abort")

SEND_FILE = rule(
    "FMA225", "flask-send-file", "File sent with send_file / send_from_directory",
    "`{name}(...)` sends a file",
    "`FileResponse(path, filename=..., media_type=...)`; for a folder, join safely "
    "(`werkzeug.security.safe_join`) or mount `StaticFiles`",
    "mandatory", 1, "partial",
    rationale="`send_from_directory` guards against path traversal and answers 404 for a missing file; a naive "
    "`FileResponse(os.path.join(dir, name))` serves files outside the folder and fails with a 500 on a "
    "missing one. In-memory files (`BytesIO`) become `StreamingResponse` or `Response(bytes)`.",
    before="return send_from_directory(app.config['EXPORTS'], name, as_attachment=True)\n",
    after="path = safe_join(settings.exports, name)\nif path is None or not os.path.isfile(path):\n"
    "    raise HTTPException(404)\nreturn FileResponse(path, filename=name)\n",
    links=(f"{FASTAPI}/advanced/custom-response/#fileresponse",),
)
flag_uses(SEND_FILE, args={q: {"name": q.rpartition(".")[2]} for q in (
    "flask.send_file", "flask.send_from_directory", "werkzeug.utils.send_file", "werkzeug.utils.send_from_directory",
    "werkzeug.wsgi.FileWrapper", "werkzeug.wsgi.wrap_file")})

JSON_HELPERS = rule(
    "FMA233", "flask-json-module", "Flask's json module used for (de)serialising",
    "`{name}` is Flask's JSON helper: it serialises through the app's JSON provider",
    "the standard `json` module with a `default=` for what Flask's provider encoded (`str` for `Decimal` and "
    "`UUID`, an HTTP date for `datetime`) and `sort_keys=True`",
    "mandatory", 1, "partial",
    rationale="In an app context `flask.json.dumps` goes through the app's JSON provider, which encodes UUIDs "
    "and decimals as strings and datetimes as HTTP dates ('Wed, 25 Nov 2026 14:30:00 GMT') and sorts keys; the "
    "standard `json` module raises `TypeError` on them. `fastapi.encoders.jsonable_encoder` is no drop-in: it "
    "turns `Decimal('9.90')` into the float `9.9` and dates into ISO 8601. `json.loads` is the same in both.",
    before="from flask import json\n\npayload = json.dumps({'placed': order.placed, 'total': order.total})\n",
    after="import json\nfrom email.utils import format_datetime\n\n\ndef as_flask_did(value):\n"
    "    if isinstance(value, datetime):\n        return format_datetime(value.replace(tzinfo=timezone.utc), usegmt=True)\n"
    "    return str(value)  # Decimal, UUID\n\n\n"
    "payload = json.dumps({'placed': order.placed, 'total': order.total}, default=as_flask_did, sort_keys=True)\n",
    links=("https://docs.python.org/3/library/json.html#json.dumps",
           "https://flask.palletsprojects.com/en/stable/api/#flask.json.provider.DefaultJSONProvider"),
)
flag_uses(JSON_HELPERS, args={f"flask.json.{n}": {"name": f"json.{n}"}
                              for n in ("dumps", "loads", "dump", "load", "htmlsafe_dumps", "htmlsafe_dump")})

JSON_PROVIDER = rule(
    "FMA234", "flask-json-provider", "Flask JSON provider or encoder class",
    "`{name}` customises how Flask serialises JSON",
    "`jsonable_encoder(content, custom_encoder={{Type: function}})` returned in a `JSONResponse`, or the types as "
    "fields of a Pydantic response model with a serializer; a `default_response_class` alone never sees them",
    "mandatory", 3, "partial",
    rationale="Flask routes every `jsonify` and returned dict through `app.json` (a `JSONProvider`; before 2.3, "
    "`app.json_encoder`), so the provider's `default()` reaches the objects inside. FastAPI runs "
    "`jsonable_encoder` on a returned value before any response class sees it, and that encoder turns an "
    "unknown object into a dict of its attributes: the provider's logic has to run in that encoder, as a "
    "`custom_encoder`, or in the models.",
    before="class ShopJSONProvider(DefaultJSONProvider):\n    def default(self, o):\n"
    "        return str(o) if isinstance(o, Money) else super().default(o)\n\napp.json = ShopJSONProvider(app)\n",
    after="def encode(content):\n    return jsonable_encoder(content, custom_encoder={Money: str})\n\n\n"
    "@app.get('/cart')\ndef cart():\n    return JSONResponse(encode({'total': cart_total()}))\n",
    links=(f"{FASTAPI}/tutorial/encoder/", f"{FASTAPI}/advanced/response-directly/"),
)
flag_uses(JSON_PROVIDER, args={q: {"name": q.rpartition(".")[2]} for q in (
    "flask.json.JSONEncoder", "flask.json.JSONDecoder", "flask.json.provider.JSONProvider",
    "flask.json.provider.DefaultJSONProvider", "flask.json.provider._default")})


_RESPONSE_CLASSES = ("flask.Response", "werkzeug.wrappers.Response", "werkzeug.Response",
                     "werkzeug.wrappers.response.Response", f"{APP}.response_class")

RESPONSE_OBJECT = rule(
    "FMA226", "flask-response-object", "Response object built directly",
    "`{call}` builds a Werkzeug response",
    "`fastapi.Response(content, status_code=..., media_type=..., headers=...)` (`mimetype=` becomes "
    "`media_type=`)",
    "mandatory", 1, "direct",
    rationale="Starlette's `Response` takes the same body, status and headers under other keyword names "
    "(`media_type`, not `mimetype`/`content_type`) and has no Werkzeug helpers such as `make_conditional`.",
    before="return Response(csv_text, mimetype='text/csv', status=200)\n",
    after="return Response(content=csv_text, media_type='text/csv', status_code=200)\n",
    links=(f"{FASTAPI}/advanced/response-directly/#returning-a-custom-response", f"{STARLETTE}/responses/"),
)

STREAMING = rule(
    "FMA227", "flask-streamed-response", "Streamed response",
    "`{expr}` streams the response body",
    "a path operation that `yield`s the chunks, declared with `response_class=StreamingResponse` (a subclass sets "
    "`media_type`); request data comes in as parameters, so nothing needs `stream_with_context`",
    "mandatory", 1, "direct",
    rationale="Flask streams a generator passed to `Response` and needs `stream_with_context` to keep `request` "
    "usable inside it. Since FastAPI 0.134 the path operation itself yields the chunks when it declares "
    "`response_class=StreamingResponse`; its parameters are read before the first chunk, so the generator needs no "
    "request context. Returning `StreamingResponse(generator)` still works for code that builds the iterator "
    "elsewhere.",
    before="return Response(stream_with_context(generate()), mimetype='text/csv')\n",
    after="class CSVResponse(StreamingResponse):\n    media_type = 'text/csv'\n\n"
    "@app.get('/export.csv', response_class=CSVResponse)\ndef export(limit: int = 2):\n    yield 'id,title\\n'\n"
    "    for book in BOOKS[:limit]:\n        yield f'{book.id},{book.title}\\n'\n",
    links=(f"{FASTAPI}/advanced/stream-data/", f"{FLASK}/patterns/streaming/"),
)


def _is_generator_arg(node, ctx: FileContext) -> bool:  # type: ignore[no-untyped-def]
    """A generator expression, or a call of a function of this file whose body yields (the file's first
    function of that name)."""
    if node.kind() == "generator_expression":
        return True
    if node.kind() != "call":
        return False
    function = node.field("function")
    if function is None or function.kind() != "identifier":
        return False
    # Per file, not per call: a walk to the root and a query of the whole file for each call was quadratic.
    first: dict[str, SgNode] | None = ctx.memo.get("first-definitions")
    if first is None:
        first = ctx.memo["first-definitions"] = {}
        for definition in ctx.functions:  # in the order of the text
            name = definition.field("name")
            if name is not None:
                first.setdefault(name.text(), definition)
    yields: dict[str, bool] = ctx.memo.setdefault("generator-functions", {})
    if function.text() not in yields:
        definition = first.get(function.text())
        yields[function.text()] = definition is not None and definition.find(kind="yield") is not None
    return yields[function.text()]


@on_use(RESPONSE_OBJECT, *_RESPONSE_CLASSES)
def _response_object(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return  # annotations, `isinstance` checks and subclasses follow the response they describe
    positional, keywords = use.arguments()
    body = positional[0] if positional else keywords.get("response")
    if body is not None and (_is_generator_arg(body, use.ctx) or "stream_with_context" in body.text()):
        return  # FMA227
    yield use.hit(use.call, call=short(use.call.text(), 50))


@on_use(STREAMING, *_RESPONSE_CLASSES)
def _streaming_response(use: Use) -> Iterator[Hit]:
    positional, keywords = use.arguments()
    body = positional[0] if positional else keywords.get("response")
    if use.call is not None and body is not None and _is_generator_arg(body, use.ctx):
        yield use.hit(use.call, expr=short(use.call.text(), 50))


flag_uses(STREAMING, args={"flask.stream_with_context": {"expr": "stream_with_context"}})

STREAM_TEMPLATE = rule(
    "FMA228", "flask-stream-template", "Template rendered as a stream",
    "`{name}(...)` streams a rendered template",
    "a path operation with `response_class=` a `StreamingResponse` subclass whose `media_type` is `text/html`, that "
    "does `yield from templates.get_template(name).generate(**context)`",
    "mandatory", 3, "partial",
    rationale="`Jinja2Templates` has no streaming variant; the path operation yields from the template's "
    "`generate()` iterator (FastAPI 0.134+), without Flask's context processors: pass what they added yourself.",
    before="return stream_template('report.html', rows=rows)\n",
    after="class HTMLStreamingResponse(StreamingResponse):\n    media_type = 'text/html'\n\n"
    "@app.get('/report', response_class=HTMLStreamingResponse)\ndef report():\n"
    "    yield from templates.get_template('report.html').generate(rows=ROWS)\n",
    links=(f"{FASTAPI}/advanced/stream-data/", f"{FLASK}/patterns/streaming/"),
)
flag_uses(STREAM_TEMPLATE, args={"flask.stream_template": {"name": "stream_template"},
                                 "flask.stream_template_string": {"name": "stream_template_string"}})

HTTP_EXCEPTION = rule(
    "FMA229", "werkzeug-http-exception", "Werkzeug HTTP exception",
    "`{name}` is a Werkzeug HTTP exception",
    "`raise HTTPException(status_code={status}, detail=...)`; handlers register the status code "
    "(`exception_handler(404)`) or Starlette's `HTTPException`",
    "mandatory", 1, "direct",
    rationale="FastAPI answers only its own (and Starlette's) `HTTPException`: a Werkzeug exception raised in "
    "a path operation becomes a 500, and `except NotFound:` clauses no longer catch anything.",
    before="from werkzeug.exceptions import NotFound\n\nraise NotFound('no such book')\n",
    after="from fastapi import HTTPException\n\nraise HTTPException(status_code=404, detail='no such book')\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/",),
)
_STATUS = {
    "BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
    "MethodNotAllowed": "405", "NotAcceptable": "406", "RequestTimeout": "408", "Conflict": "409", "Gone": "410",
    "LengthRequired": "411", "PreconditionFailed": "412", "RequestEntityTooLarge": "413",
    "UnsupportedMediaType": "415", "UnprocessableEntity": "422", "Locked": "423", "TooManyRequests": "429",
    "InternalServerError": "500", "NotImplemented": "501", "BadGateway": "502", "ServiceUnavailable": "503",
    "GatewayTimeout": "504", "HTTPException": "...", "Aborter": "...", "abort": "...",
    "BadRequestKeyError": "400", "BadHost": "400", "ClientDisconnected": "400", "SecurityError": "400",
    "RequestURITooLarge": "414", "RequestedRangeNotSatisfiable": "416", "ExpectationFailed": "417",
    "ImATeapot": "418", "MisdirectedRequest": "421", "FailedDependency": "424", "PreconditionRequired": "428",
    "RequestHeaderFieldsTooLarge": "431", "UnavailableForLegalReasons": "451", "HTTPVersionNotSupported": "505",
    "default_exceptions": "...",
}
flag_uses(HTTP_EXCEPTION, args={f"werkzeug.exceptions.{n}": {"name": n, "status": s} for n, s in _STATUS.items()})

DATASTRUCTURES = rule(
    "FMA230", "werkzeug-datastructures", "Werkzeug request data structure",
    "`{name}` is a Werkzeug data structure",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Starlette passes its own `UploadFile`, `Headers`, `QueryParams` and `FormData`; code typed "
    "against or constructing Werkzeug's classes must switch to them (or keep Werkzeug as a plain library where "
    "the object never comes from the request).",
    before="def save_cover(storage: FileStorage):\n    storage.save(path)\n",
    after="async def save_cover(upload: UploadFile):\n    data = await upload.read()\n",
    links=(f"{STARLETTE}/requests/", f"{FASTAPI}/tutorial/request-files/#uploadfile"),
)
_DATASTRUCTURE_FIXES = {
    "FileStorage": "`fastapi.UploadFile` (`.content_type`, `await read()`, no `.save()`)",
    "MultiDict": "`starlette.datastructures.MultiDict` (or `QueryParams`/`FormData`)",
    "ImmutableMultiDict": "`starlette.datastructures.ImmutableMultiDict`",
    "CombinedMultiDict": "no equivalent: merge query and form values yourself",
    "Headers": "`starlette.datastructures.Headers` / `MutableHeaders`",
    "EnvironHeaders": "`starlette.datastructures.Headers`",
    "Authorization": "`fastapi.security.HTTPBasicCredentials` / `HTTPAuthorizationCredentials`",
    "ImmutableDict": "`types.MappingProxyType` (a plain library use can keep Werkzeug)",
    "CallbackDict": "a `dict` subclass (Flask sessions use it; Starlette's session is a plain dict)",
    "FileMultiDict": "`starlette.datastructures.FormData`",
}
flag_uses(DATASTRUCTURES, args={
    f"werkzeug.datastructures.{n}": {"name": n, "fix": f} for n, f in _DATASTRUCTURE_FIXES.items()})

LOCAL_PROXY = rule(
    "FMA231", "werkzeug-context-local", "Werkzeug context-local proxy",
    "`{name}` builds a context-local proxy",
    "a `contextvars.ContextVar` set by an `async def` dependency or a middleware, or the value passed as an "
    "argument",
    "mandatory", 3, "partial",
    rationale="`LocalProxy` objects (like `current_user`) read Flask's context stack, which FastAPI does not "
    "have; `contextvars` work across threads and asyncio tasks. Set the variable in an `async def` "
    "dependency: a plain `def` dependency runs in a worker thread on a copy of the context, so its `set()` "
    "never reaches the endpoint.",
    before="current_tenant = LocalProxy(lambda: g.tenant)\n",
    after="current_tenant: ContextVar[Tenant] = ContextVar('current_tenant')\n",
    links=("https://docs.python.org/3/library/contextvars.html", f"{FASTAPI}/tutorial/dependencies/"),
)
flag_uses(LOCAL_PROXY, args={f"werkzeug.local.{n}": {"name": n} for n in ("LocalProxy", "Local", "LocalStack")})

TYPING_ALIAS = rule(
    "FMA232", "flask-typing-alias", "Flask typing alias",
    "`{name}` annotates a Flask view's return value",
    "annotate with the returned model, `dict`, or `fastapi.Response`",
    "information", 0, "direct",
    rationale="Flask's typing aliases describe what a Flask view may return (tuples, strings, WSGI apps); they "
    "change with the view's return values. FastAPI reads a path operation's return annotation as its "
    "response model: `-> ResponseReturnValue` left in place makes every request to the route fail with a 500.",
    before="def index() -> ResponseReturnValue: ...\n",
    after="def index() -> BookOut: ...\n",
    links=(f"{FASTAPI}/tutorial/response-model/",),
    default_enabled=False,
)


_ALIASES = (
    "ResponseReturnValue ResponseValue ResponseClass HeadersValue HeaderValue StatusCode RouteCallable "
    "AfterRequestCallable BeforeRequestCallable ErrorHandlerCallable TeardownCallable TemplateFilterCallable "
    "TemplateGlobalCallable TemplateTestCallable TemplateContextProcessorCallable AppOrBlueprintKey "
    "URLDefaultCallable URLValuePreprocessorCallable ShellContextProcessorCallable ResponseReturnValue"
).split()
flag_uses(TYPING_ALIAS, args={f"flask.typing.{n}": {"name": n} for n in _ALIASES})
