"""FMA2xx, part 3: response objects, streaming, Werkzeug HTTP exceptions and request data structures."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import APP, FASTAPI, FLASK, STARLETTE, short

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
    "`StreamingResponse(generator, media_type=...)`; read what the generator needs from the request before "
    "returning it",
    "mandatory", 1, "direct",
    rationale="Flask streams a generator passed to `Response` and needs `stream_with_context` to keep "
    "`request` usable inside it; Starlette's `StreamingResponse` takes sync or async iterators and needs no "
    "context, but request data must be read before the body starts.",
    before="return Response(stream_with_context(generate()), mimetype='text/csv')\n",
    after="return StreamingResponse(generate(), media_type='text/csv')\n",
    links=(f"{FASTAPI}/advanced/custom-response/#streamingresponse", f"{FLASK}/patterns/streaming/"),
)


def _is_generator_arg(node) -> bool:  # type: ignore[no-untyped-def]
    """A generator expression, or a call of a function of this file whose body yields."""
    if node.kind() == "generator_expression":
        return True
    if node.kind() != "call":
        return False
    function = node.field("function")
    if function is None or function.kind() != "identifier":
        return False
    root = node
    while root.parent() is not None:
        root = root.parent()
    for definition in root.find_all(kind="function_definition"):
        name = definition.field("name")
        if name is not None and name.text() == function.text():
            return definition.find(kind="yield") is not None
    return False


@on_use(RESPONSE_OBJECT, *_RESPONSE_CLASSES)
def _response_object(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return  # annotations, `isinstance` checks and subclasses follow the response they describe
    positional, keywords = use.arguments()
    body = positional[0] if positional else keywords.get("response")
    if body is not None and (_is_generator_arg(body) or "stream_with_context" in body.text()):
        return  # FMA227
    yield use.hit(use.call, call=short(use.call.text(), 50))


@on_use(STREAMING, *_RESPONSE_CLASSES)
def _streaming_response(use: Use) -> Iterator[Hit]:
    positional, keywords = use.arguments()
    body = positional[0] if positional else keywords.get("response")
    if use.call is not None and body is not None and _is_generator_arg(body):
        yield use.hit(use.call, expr=short(use.call.text(), 50))


flag_uses(STREAMING, args={"flask.stream_with_context": {"expr": "stream_with_context"}})

STREAM_TEMPLATE = rule(
    "FMA228", "flask-stream-template", "Template rendered as a stream",
    "`{name}(...)` streams a rendered template",
    "`StreamingResponse(templates.get_template(name).generate(**context), media_type='text/html')`",
    "mandatory", 3, "partial",
    rationale="`Jinja2Templates` has no streaming variant; the template's `generate()` iterator must be wrapped "
    "by hand, without Flask's context processors.",
    before="return stream_template('report.html', rows=rows)\n",
    after="template = templates.get_template('report.html')\n"
    "return StreamingResponse(template.generate(rows=rows), media_type='text/html')\n",
    links=(f"{FASTAPI}/advanced/custom-response/#streamingresponse", f"{FLASK}/patterns/streaming/"),
)
flag_uses(STREAM_TEMPLATE, args={"flask.stream_template": {"name": "stream_template"},
                                 "flask.stream_template_string": {"name": "stream_template_string"}})

HTTP_EXCEPTION = rule(
    "FMA229", "werkzeug-http-exception", "Werkzeug HTTP exception",
    "`{name}` is a Werkzeug HTTP exception",
    "`raise HTTPException(status_code={status}, detail=...)`; handlers register Starlette's `HTTPException`",
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
