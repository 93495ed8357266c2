"""webargs' `use_args` / `use_kwargs` (webargs.flaskparser, 8.x) for the ported FastAPI app: written by
`migrate-audit port`.

The parsing is webargs' own (`webargs.core.Parser`, the same marshmallow schema, the same `unknown` defaults by
location: unknown JSON and form fields refused, unknown query parameters ignored) over what Flask's parser read of
the request, read here from Starlette's: the query string, the JSON body (only for a JSON Content-Type, a 400 with
`{"json": ["Invalid JSON body."]}` when it does not parse), the form fields (not its files), the headers, the
cookies. On errors webargs' Flask parser called `flask.abort(status)` with `.data = {"messages", "schema",
"headers"}` on the exception, for the app's error handlers; here the same status is raised as a Starlette
`HTTPException` carrying the same `.data`, `.exc` and `.code`, where the app has a handler for that status, and
otherwise answered with Werkzeug's HTML page for it, as Flask answered without a handler.

How this stays out of FastAPI's way: the decorator keeps the view's signature for FastAPI (`functools.wraps`) but
without the parameters webargs fills, which FastAPI would otherwise read and validate itself (422), and with a
keyword-only `Request` parameter of its own in `__signature__`, where FastAPI passes the request. The wrapper is a
coroutine function (the body is read with `await`) that runs a sync view in the thread pool, as FastAPI would.

Not here (the port keeps webargs where a module uses them): the `files` and `view_args` / `path` locations, a
`req=` argument, parsers of the project's own (`FlaskParser` subclasses, `@parser.error_handler`).
"""

from __future__ import annotations

import functools
import html
import inspect
import itertools
import typing
from http import HTTPStatus

import marshmallow as ma
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import MultiDict
from starlette.exceptions import HTTPException
from starlette.requests import Request
from webargs import core

_NAMES = itertools.count()
_BODIES = ("json", "form", "json_or_form")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# Werkzeug's descriptions of the statuses webargs answers with (werkzeug/exceptions.py).
_DESCRIPTIONS = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    422: "The request was well-formed but was unable to be followed due to semantic errors.",
}


class WebargsHTTPException(HTTPException):
    """What webargs.flaskparser.abort raised, as Starlette's: `.data` and `.exc` for the app's handlers, and
    Werkzeug's `.code` beside Starlette's `.status_code`."""

    def __init__(
        self,
        status_code: int,
        exc: Exception | None = None,
        **data: typing.Any,
    ) -> None:
        super().__init__(status_code=status_code)  # Flask sent no headers of webargs'
        self.data = data
        self.exc = exc
        self.code = status_code


class _Read:
    """What FlaskParser reads of Flask's request, read from Starlette's before the view runs."""

    def __init__(self, request: Request, body: bytes, form: MultiDict) -> None:
        self.args = request.query_params
        self.headers = request.headers
        self.cookies = request.cookies
        self.mimetype = request.headers.get("content-type", "").partition(";")[0]
        self.mimetype = self.mimetype.strip().lower()
        self.data = body
        self.form = form


class StarletteFlaskParser(core.Parser):
    """webargs.flaskparser.FlaskParser's loaders and errors, over `_Read`."""

    __location_map__: typing.ClassVar[dict[str, typing.Any]] = {
        key: value
        for key, value in core.Parser.__location_map__.items()
        if key != "files"
    }

    def _raw_load_json(self, req: _Read) -> typing.Any:
        if not core.is_json(req.mimetype):
            return core.missing
        return core.parse_json(req.data)

    def _handle_invalid_json_error(
        self, error: Exception, req: _Read, *args: typing.Any, **kwargs: typing.Any
    ) -> typing.NoReturn:
        raise WebargsHTTPException(
            400, exc=error, messages={"json": ["Invalid JSON body."]}
        )

    def load_querystring(self, req: _Read, schema: ma.Schema) -> typing.Any:
        return self._makeproxy(req.args, schema)

    def load_form(self, req: _Read, schema: ma.Schema) -> typing.Any:
        return self._makeproxy(req.form, schema)

    def load_headers(self, req: _Read, schema: ma.Schema) -> typing.Any:
        return self._makeproxy(req.headers, schema)

    def load_cookies(self, req: _Read, schema: ma.Schema) -> typing.Any:
        return req.cookies

    def handle_error(
        self,
        error: ma.ValidationError,
        req: _Read,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: typing.Mapping[str, str] | None,
    ) -> typing.NoReturn:
        raise WebargsHTTPException(
            error_status_code or self.DEFAULT_VALIDATION_STATUS,
            exc=error,
            messages=error.messages,
            schema=schema,
            headers=error_headers,
        )


parser = StarletteFlaskParser()


def _werkzeug_page(error: WebargsHTTPException) -> HTMLResponse:
    """Werkzeug's HTML page for the status, as Flask answered an abort no handler took."""
    name = HTTPStatus(error.status_code).phrase
    if error.status_code == 422:
        name = "Unprocessable Entity"
    description = html.escape(_DESCRIPTIONS.get(error.status_code, ""))
    text = (
        f"<!doctype html>\n<html lang=en>\n<title>{error.status_code} {name}</title>\n"
        f"<h1>{name}</h1>\n<p>{description}</p>\n"
    )
    return HTMLResponse(text, status_code=error.status_code)


async def _read(request: Request, location: str) -> _Read:
    body = await request.body() if location in _BODIES else b""
    form = MultiDict()
    mimetype = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if location in ("form", "json_or_form") and mimetype in _FORMS:
        form = MultiDict(
            [
                (k, v)
                for k, v in (await request.form()).multi_items()
                if isinstance(v, str)
            ]
        )
    return _Read(request, body, form)


def use_args(
    argmap: typing.Any,
    *,
    location: str | None = None,
    unknown: str | None = core._UNKNOWN_DEFAULT_PARAM,  # type: ignore[attr-defined]
    as_kwargs: bool = False,
    arg_name: str | None = None,
    validate: typing.Any = None,
    error_status_code: int | None = None,
    error_headers: typing.Mapping[str, str] | None = None,
) -> typing.Callable[
    [typing.Callable[..., typing.Any]], typing.Callable[..., typing.Any]
]:
    location = location or parser.location
    if isinstance(argmap, typing.Mapping):
        argmap = parser.schema_class.from_dict(dict(argmap))()
    if arg_name is not None and as_kwargs:
        raise ValueError("arg_name and as_kwargs are mutually exclusive")
    name = f"_webargs_request_{next(_NAMES)}"

    def decorate(
        func: typing.Callable[..., typing.Any],
    ) -> typing.Callable[..., typing.Any]:
        @functools.wraps(func)
        async def wrapper(*args: typing.Any, **kwargs: typing.Any) -> typing.Any:
            request: Request = kwargs.pop(name)
            try:
                parsed = parser.parse(
                    argmap,
                    await _read(request, location),
                    location=location,
                    unknown=unknown,
                    validate=validate,
                    error_status_code=error_status_code,
                    error_headers=error_headers,
                )
            except WebargsHTTPException as error:
                handlers = getattr(request.app, "exception_handlers", {})
                if error.status_code in handlers:
                    raise
                return _werkzeug_page(error)
            if as_kwargs:
                kwargs.update(parsed)
            elif arg_name is not None:
                kwargs[arg_name] = parsed
            else:
                args = (*args, parsed)
            if inspect.iscoroutinefunction(func):
                return await func(*args, **kwargs)
            return await run_in_threadpool(func, *args, **kwargs)

        signature = inspect.signature(func)
        parameters = list(signature.parameters.values())
        if as_kwargs:
            filled = {
                field.attribute or key
                for key, field in argmap.fields.items()  # type: ignore[union-attr]
            }
            parameters = [p for p in parameters if p.name not in filled]
        elif arg_name is not None:
            parameters = [p for p in parameters if p.name != arg_name]
        else:
            parameters = parameters[1:]
        at = next(
            (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
            len(parameters),
        )
        extra = inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=Request
        )
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*parameters[:at], extra, *parameters[at:]]
        )
        return wrapper

    return decorate


def use_kwargs(
    argmap: typing.Any, **options: typing.Any
) -> typing.Callable[..., typing.Any]:
    return use_args(argmap, as_kwargs=True, **options)
