"""Flask-Pydantic's `@validate()` (0.14) for the ported FastAPI app: written by `migrate-audit port`.

The view's `query` and `body` parameters, annotated with Pydantic models, are filled as Flask-Pydantic fills
them: the query string grouped into lists for the model's sequence fields, the JSON body (Flask's `get_json()`: a
415 page unless the Content-Type is JSON, a 400 page when it does not parse); the same Pydantic validation, and on
errors the same 400 `{"validation_error": {"query_params" | "body_params": [...]}}` with Pydantic's own error
entries. A model the view returns (or a `(model, status)`
tuple) is sent as `model_dump_json()` with `on_success_status`, as Flask-Pydantic sends it.

How this stays out of FastAPI's way: the decorator keeps the view's signature for FastAPI (`functools.wraps`)
but without `query` and `body`, which FastAPI would otherwise read and validate itself (422), and with
`_pydantic_request: Request` (keyword-only), in `__signature__`; FastAPI passes the request there. The wrapper is a
coroutine function (the body is read with `await`) that runs a sync view in the thread pool, as FastAPI would.
Where Flask-Injector wrapped the view too (`query: Annotated[Model, Injected(Model)]`, port/injector.py), it made
the model with `injector.get(Model)` before Flask-Pydantic ran (a model that needs fields failed there, a 500): that
dependency stays in the signature under a name of its own, and what it gives is dropped.

Not here (the port keeps Flask-Pydantic where a module uses them): models given to `validate(query=..., body=...)`
(the view then reads `request.query_params`, Flask's request), a `form` model, `request_body_many`,
`get_json_params`, annotated path parameters (validated by Flask-Pydantic after Flask's converters), the
FLASK_PYDANTIC_* config keys.
"""

from __future__ import annotations

import dataclasses
import decimal
import functools
import inspect
import json
import uuid
from datetime import date, datetime, time, timezone
from email.utils import format_datetime
from typing import Annotated, Any, Callable, Union, get_args, get_origin

from fastapi import params
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, RootModel, ValidationError
from starlette.requests import Request

_REQUEST = "_pydantic_request"
_INJECTED = "_pydantic_injected_"  # + query or body: the dependency their annotation carries, kept for FastAPI
_FILLED = ("query", "body")
_SEQUENCES = {list, tuple, set, frozenset}
_UNSUPPORTED = (
    "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media "
    "Type</h1>\n<p>Did not attempt to load JSON data because the request Content-Type was not &#39;"
    "application/json&#39;.</p>\n"
)
_BAD_REQUEST = (
    "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The "
    "browser (or proxy) sent a request that this server could not understand.</p>\n"
)


def _flask_json_default(value: Any) -> Any:
    """Flask's JSON provider for what json cannot write (flask/json/provider.py): dates as werkzeug's http_date."""
    if isinstance(value, date):
        if not isinstance(value, datetime):
            value = datetime.combine(value, time(), tzinfo=timezone.utc)
        value = (
            value.replace(tzinfo=timezone.utc)
            if value.tzinfo is None
            else value.astimezone(timezone.utc)
        )
        return format_datetime(value, usegmt=True)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _jsonify(value: Any, status: int) -> Response:
    """flask.jsonify: sorted keys, compact, ASCII, a trailing newline."""
    text = json.dumps(
        value,
        default=_flask_json_default,
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return Response(text + "\n", status_code=status, media_type="application/json")


def _sanitize_ctx_errors(errors: list[Any]) -> list[Any]:
    for error in errors:
        ctx = error.get("ctx")
        if isinstance(ctx, dict) and isinstance(ctx.get("error"), Exception):
            exc = ctx["error"]
            ctx["error"] = {"type": type(exc).__name__, "message": str(exc)}
    return errors


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation) or annotation
    if origin is Union or type(annotation).__name__ == "UnionType":
        return any(_is_sequence(t) for t in get_args(annotation))
    return origin in _SEQUENCES


def _query_params(request: Request, model: type[BaseModel]) -> dict[str, Any]:
    """flask_pydantic.converters.convert_query_params over Starlette's query string: first values, lists for the
    model's sequence fields."""
    first: dict[str, Any] = {}
    every: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        first.setdefault(key, value)
        every.setdefault(key, []).append(value)
    return {
        **first,
        **{
            key: values
            for key, values in every.items()
            if key in model.model_fields
            and _is_sequence(model.model_fields[key].annotation)
        },
    }


def _model_response(
    model: BaseModel, status: int, exclude_none: bool, by_alias: bool
) -> Response:
    return Response(
        model.model_dump_json(exclude_none=exclude_none, by_alias=by_alias),
        status_code=status,
        media_type="application/json",
    )


def _model(annotation: Any) -> Any:
    """The model of `query: Model`, or of `query: Annotated[Model, Injected(Model)]` (Flask-Injector's argument,
    port/injector.py)."""
    return (
        get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
    )


def _dependency(annotation: Any) -> bool:
    """Whether `annotation` is `Annotated[..., Depends(...)]`."""
    return get_origin(annotation) is Annotated and any(
        isinstance(meta, params.Depends) for meta in get_args(annotation)[1:]
    )


def validate(
    on_success_status: int = 200,
    exclude_none: bool = False,
    response_many: bool = False,
    response_by_alias: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        annotations = func.__annotations__

        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            request: Request = kwargs.pop(_REQUEST)
            # made by their dependency, then filled here: Flask-Injector's order
            for name in _FILLED:
                kwargs.pop(_INJECTED + name, None)
            err: dict[str, Any] = {}
            query_model = _model(annotations.get("query"))
            body_model = _model(annotations.get("body"))
            if query_model:
                try:
                    kwargs["query"] = query_model(**_query_params(request, query_model))
                except ValidationError as ve:
                    kwargs["query"] = None
                    err["query_params"] = _sanitize_ctx_errors(ve.errors())
            if body_model:
                mimetype = (
                    request.headers.get("content-type", "")
                    .partition(";")[0]
                    .strip()
                    .lower()
                )
                if mimetype != "application/json" and not (
                    mimetype.startswith("application/") and mimetype.endswith("+json")
                ):
                    return HTMLResponse(_UNSUPPORTED, status_code=415)
                try:
                    body_params = json.loads(await request.body())
                except ValueError:
                    return HTMLResponse(_BAD_REQUEST, status_code=400)
                try:
                    kwargs["body"] = (
                        body_model(body_params)
                        if issubclass(body_model, RootModel)
                        else body_model(**body_params)
                    )
                except TypeError:
                    raise  # not an object: Flask-Pydantic raised JsonBodyParsingError (a 500)
                except ValidationError as ve:
                    kwargs["body"] = None
                    err["body_params"] = _sanitize_ctx_errors(ve.errors())
            if err:
                return _jsonify({"validation_error": err}, 400)
            if inspect.iscoroutinefunction(func):
                res = await func(*args, **kwargs)
            else:
                res = await run_in_threadpool(func, *args, **kwargs)
            if response_many:
                if not all(isinstance(model, BaseModel) for model in res):
                    raise TypeError(f"{res} is not an iterable of models")
                text = f"[{', '.join(m.model_dump_json(exclude_none=exclude_none, by_alias=response_by_alias) for m in res)}]"
                return Response(
                    text, status_code=on_success_status, media_type="application/json"
                )
            if isinstance(res, BaseModel):
                return _model_response(
                    res, on_success_status, exclude_none, response_by_alias
                )
            if (
                isinstance(res, tuple)
                and len(res) in (2, 3)
                and isinstance(res[0], BaseModel)
            ):
                headers, status = None, on_success_status
                if isinstance(res[1], (dict, tuple, list)):
                    headers = res[1]
                elif len(res) == 3 and isinstance(res[2], (dict, tuple, list)):
                    status, headers = res[1], res[2]
                else:
                    status = res[1]
                answer = _model_response(
                    res[0], status, exclude_none, response_by_alias
                )
                for key, value in (
                    headers.items() if isinstance(headers, dict) else headers or ()
                ):
                    answer.headers[key] = str(value)
                return answer
            return res

        signature = inspect.signature(func)
        parameters = [p for p in signature.parameters.values() if p.name not in _FILLED]
        at = next(
            (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
            len(parameters),
        )
        extra = [
            inspect.Parameter(
                _REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request
            )
        ]
        # Flask-Injector wraps a typed view, this decorator's wrapper, and calls it with `injector.get(Model)` for
        # `query` and `body` before Flask-Pydantic fills them (a model that needs fields fails there: Flask's 500).
        # Their `Injected(Model)` dependency stays, under a name of its own, and its value is dropped.
        extra += [
            inspect.Parameter(
                _INJECTED + p.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=p.annotation,
            )
            for p in signature.parameters.values()
            if p.name in _FILLED and _dependency(p.annotation)
        ]
        wrapper.__signature__ = signature.replace(
            parameters=[*parameters[:at], *extra, *parameters[at:]]
        )  # type: ignore[attr-defined]
        return wrapper

    return decorate
