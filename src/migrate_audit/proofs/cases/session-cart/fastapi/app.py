import os
from typing import Annotated

from fastapi import Body, FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
# max_age=None: a browser-session cookie, as Flask's non-permanent session (Starlette's default is 14 days).
app.add_middleware(SessionMiddleware, secret_key=os.environ["SECRET_KEY"], max_age=None)


@app.post("/cart")
def add_to_cart(request: Request, book: Annotated[str, Body(embed=True)]):
    request.session["cart"] = [*request.session.get("cart", []), book]
    return {"cart": request.session["cart"]}


@app.get("/cart")
def show_cart(request: Request):
    return {"cart": request.session.get("cart", [])}
