"""Flask's `app.request_class` for the ported FastAPI app: written by `migrate-audit port`.

FastAPI has no request class setting: `app.router.route_class = request_class_route(AppRequest)`, set before the
routes are added, makes each path operation get the request as an `AppRequest` (the project's subclass, now of
Starlette's `Request`), as Flask made every request one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response


def request_class_route(request_class: type[Request]) -> type[APIRoute]:
    class RequestClassRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Any]:
            handler = super().get_route_handler()

            async def wrapped(request: Request) -> Response:
                return await handler(request_class(request.scope, request.receive))

            return wrapped

    return RequestClassRoute
