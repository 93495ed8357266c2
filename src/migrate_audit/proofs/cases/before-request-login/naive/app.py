from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse

API_KEYS = {"k-ada": "ada", "k-alan": "alan"}
BOOKS = ["Dune", "Emma"]


def load_user(request: Request, x_api_key: Annotated[str, Header()] = ""):
    user = API_KEYS.get(x_api_key)
    if user is None:
        # A dependency's return value is not a response: FastAPI ignores it and runs the view.
        return JSONResponse({"detail": "Not authenticated"}, status_code=401)
    request.state.user = user


app = FastAPI(dependencies=[Depends(load_user)])


@app.get("/books")
def list_books():
    return BOOKS


@app.get("/me")
def me(request: Request):
    return {"name": request.state.user}
