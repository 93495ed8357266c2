from fastapi import FastAPI, Request


class AppRequest(Request):
    @property
    def is_api(self) -> bool:
        return self.url.path.startswith("/api/")


app = FastAPI()  # no route class: endpoints get Starlette's plain Request


def token_from(req: Request) -> str | None:
    return req.query_params.get("token")


@app.get("/api/items")
def items(request: Request):
    return {"api": request.is_api, "token": token_from(request)}
