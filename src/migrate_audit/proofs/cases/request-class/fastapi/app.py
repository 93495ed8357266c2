from fastapi import FastAPI, Request
from fastapi.routing import APIRoute


class AppRequest(Request):
    @property
    def is_api(self) -> bool:
        return self.url.path.startswith("/api/")


class AppRoute(APIRoute):
    def get_route_handler(self):
        handler = super().get_route_handler()

        async def app_handler(request: Request):
            return await handler(AppRequest(request.scope, request.receive))

        return app_handler


app = FastAPI()
app.router.route_class = AppRoute  # before the routes are added


def token_from(req: Request) -> str | None:
    return req.query_params.get("token")


@app.get("/api/items")
def items(request: Request):
    return {"api": request.is_api, "token": token_from(request)}


@app.get("/items")
def items_page(request: Request):
    return {"api": request.is_api, "token": token_from(request)}
